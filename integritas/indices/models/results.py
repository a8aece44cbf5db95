"""Stored index results: one ``IndexRun`` per wave (the latest computation), its cells, the leaf
statistics it was rolled up from (for incremental recomputation) and the wave's fill-state."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from integritas.core.models import Unit
from integritas.surveys.models import Wave


class IndexRun(models.Model):
    """One computation of a wave's indices; recomputing replaces the wave's previous run."""

    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="index_runs")
    method = models.CharField(max_length=30)
    computed_at = models.DateTimeField(default=timezone.now)
    config = models.JSONField(default=dict)
    response_count = models.PositiveIntegerField(default=0)
    seconds = models.FloatField(default=0.0)
    # What the stored leaves were computed against; an incremental update needs the same.
    type_names = models.JSONField(default=list)
    fingerprint = models.CharField(max_length=64, blank=True)
    # Per node code: [digest of its stored result cells, how many]; a recompute rewrites only
    # the nodes whose digest changed (services.compute). Empty: compare the stored rows instead.
    node_digests = models.JSONField(default=dict, blank=True)
    # Token of the columnar copy of the wave's answers this run was computed from
    # (services.columnar); a copy with another token is not used.
    columnar = models.CharField(max_length=32, blank=True)

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
        # An update rewrites the rows of a few nodes of a run of ~200,000.
        indexes = [models.Index(fields=["run", "node"], name="indices_result_run_node")]
        verbose_name = _("index result")
        verbose_name_plural = _("index results")

    def __str__(self) -> str:
        return f"{self.node}/{self.dimension}/{self.respondent_type}"


class IndexLeaf(models.Model):
    """Leaf statistics of one unit's own responses in a run (``engine.Leaves.pack``: count, sum
    and squared deviations per respondent type and column, then responses per type). Units
    without responses have no row. Replacing the rows of changed units and rolling up again
    gives the same results as reading the whole wave (docs/index-engine.md)."""

    run = models.ForeignKey(IndexRun, on_delete=models.CASCADE, related_name="leaves")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    stats = models.BinaryField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["run", "unit"], name="indices_indexleaf_once"),
        ]
        verbose_name = _("index leaf")
        verbose_name_plural = _("index leaves")

    def __str__(self) -> str:
        return f"{self.run_id}/{self.unit_id}"


class WaveIndexState(models.Model):
    """Whether a wave's stored indices match its responses (its *fill-state*).

    Responses arriving or leaving mark their units dirty (``indices.signals``); the scheduled
    refresh (``indices.tasks.refresh_stale_indices``) recomputes stale waves. ``generation``
    counts the changes, so a computation knows whether more arrived meanwhile.
    Deliberately no time of the last change: with one dirty unit it would date a response more
    precisely than the day responses keep (DOMAIN.md, anonymity rules).
    """

    class Status(models.TextChoices):
        EMPTY = "empty", _("No results yet")
        STALE = "stale", _("Out of date")
        COMPUTING = "computing", _("Being computed")
        FRESH = "fresh", _("Up to date")
        FAILED = "failed", _("Computation failed")

    wave = models.OneToOneField(Wave, on_delete=models.CASCADE, related_name="index_state")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.EMPTY)
    dirty_units = models.JSONField(default=list, blank=True)
    full_needed = models.BooleanField(default=False)
    changed_responses = models.PositiveIntegerField(default=0)
    computed_at = models.DateTimeField(null=True, blank=True)
    responses_at_compute = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    computing_since = models.DateTimeField(null=True, blank=True)
    generation = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("index fill-state")
        verbose_name_plural = _("index fill-states")

    def __str__(self) -> str:
        return f"{self.wave.code}: {self.status}"
