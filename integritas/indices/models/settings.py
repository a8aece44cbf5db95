"""Year-versioned configuration of the index methods (ARCHITECTURE: rules that change by year
are data). A setting applies from its year until the next setting of the same method."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class MethodSetting(models.Model):
    """The engine configuration of one method from ``year`` on (``k`` always comes from the wave).

    ``config`` holds only the keys that differ from the method's documented defaults
    (docs/index-engine.md); it is validated by ``engine.validate_config`` before it is saved.
    """

    class Method(models.TextChoices):
        SATISFACTION = "satisfaction", _("Satisfaction index (IKM)")
        INTEGRITY = "integrity", _("Integrity index (SPI-style)")
        ZI_PERCEPTION = "zi_perception", _("Integrity zone perception (IPAK, IPKP)")

    method = models.CharField(_("method"), max_length=30, choices=Method.choices)
    year = models.PositiveSmallIntegerField(_("from year"))
    config = models.JSONField(_("configuration"), default=dict)
    weak_threshold = models.FloatField(
        _("weak-point threshold"),
        null=True,
        blank=True,
        help_text=_("A unit's dimension or question scoring below this is a weak point."),
    )
    note = models.TextField(_("note"), blank=True)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["method", "-year"]
        verbose_name = _("method setting")
        verbose_name_plural = _("method settings")
        constraints = [
            models.UniqueConstraint(fields=["method", "year"], name="indices_setting_method_year")
        ]

    def __str__(self) -> str:
        return f"{self.method} {self.year}"
