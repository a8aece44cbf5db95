"""Stored index results: one ``IndexRun`` per wave (the latest computation) and its cells."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from integritas.surveys.models import Wave


class IndexRun(models.Model):
    """One computation of a wave's indices; recomputing replaces the wave's previous run."""

    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="index_runs")
    method = models.CharField(max_length=30)
    computed_at = models.DateTimeField(default=timezone.now)
    config = models.JSONField(default=dict)
    response_count = models.PositiveIntegerField(default=0)
    seconds = models.FloatField(default=0.0)

    class Meta:
        ordering = ["-computed_at"]
        verbose_name = _("index run")
        verbose_name_plural = _("index runs")

    def __str__(self) -> str:
        return f"{self.wave.code} {self.method} {self.computed_at:%Y-%m-%d %H:%M}"


class IndexResult(models.Model):
    """One cell: node (unit code or "ALL") × dimension × respondent type.

    A suppressed cell (n below the wave's smallest group) keeps only n: score, se, interval,
    grade and nrr are NULL.
    """

    run = models.ForeignKey(IndexRun, on_delete=models.CASCADE, related_name="results")
    node = models.CharField(max_length=30)
    dimension = models.CharField(max_length=50)
    respondent_type = models.CharField(max_length=10)
    score = models.FloatField(null=True, blank=True)
    n = models.PositiveIntegerField()
    se = models.FloatField(null=True, blank=True)
    ci_low = models.FloatField(null=True, blank=True)
    ci_high = models.FloatField(null=True, blank=True)
    grade = models.CharField(max_length=30, blank=True)
    nrr = models.FloatField(null=True, blank=True)
    suppressed = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("index result")
        verbose_name_plural = _("index results")

    def __str__(self) -> str:
        return f"{self.node}/{self.dimension}/{self.respondent_type}"
