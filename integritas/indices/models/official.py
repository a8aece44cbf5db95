"""KPK's published SPI results (DOMAIN.md §1): the institutions surveyed, their yearly results
and the national figures. The government cannot run the official survey; it imports the results."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Institution(models.Model):
    """An institution KPK surveys (a ministry, province, city or regency)."""

    class Kind(models.TextChoices):
        CITY = "city", _("City (Kota)")
        REGENCY = "regency", _("Regency (Kabupaten)")
        PROVINCE = "province", _("Province (Provinsi)")
        MINISTRY = "ministry", _("Ministry or agency")

    class Size(models.TextChoices):
        LARGE = "large", _("Large")
        MEDIUM = "medium", _("Medium")
        SMALL = "small", _("Small")

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    size_class = models.CharField(_("size class"), max_length=10, choices=Size.choices, blank=True)
    province = models.CharField(_("province"), max_length=100, blank=True)
    is_own = models.BooleanField(
        _("this government"),
        default=False,
        help_text=_("The institution whose results this installation follows up."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")

    def __str__(self) -> str:
        return self.name


class SpiResult(models.Model):
    """One institution's published SPI result for one year. Scores are on 0–100, two decimals."""

    institution = models.ForeignKey(
        Institution,
        verbose_name=_("institution"),
        on_delete=models.PROTECT,
        related_name="spi_results",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    index = models.DecimalField(_("final index"), max_digits=5, decimal_places=2)
    internal = models.DecimalField(
        _("internal score"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    external = models.DecimalField(
        _("external score"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    expert = models.DecimalField(
        _("expert score"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    correction = models.DecimalField(
        _("correction"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    # {dimension code: score}, e.g. {"INT-PROC": 64.2, ...}; codes in indices/official.py DIMENSIONS.
    dimension_scores = models.JSONField(_("dimension scores"), default=dict, blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)
    imported_at = models.DateTimeField(_("imported at"), default=timezone.now)

    class Meta:
        ordering = ["institution__name", "-year"]
        verbose_name = _("SPI result")
        verbose_name_plural = _("SPI results")
        constraints = [
            models.UniqueConstraint(fields=["institution", "year"], name="indices_spi_one_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.institution} {self.year}: {self.index}"


class NationalFigure(models.Model):
    """The national SPI figures of one year (DOMAIN.md §1), with averages by institution type."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    index = models.DecimalField(_("national index"), max_digits=5, decimal_places=2)
    respondents = models.PositiveIntegerField(_("respondents used"), null=True, blank=True)
    respondents_collected = models.PositiveIntegerField(
        _("respondents collected"), null=True, blank=True
    )
    institutions = models.PositiveIntegerField(_("institutions"), null=True, blank=True)
    # {Institution.Kind value: average index}, e.g. {"province": 69, "city": 72}.
    averages_by_kind = models.JSONField(_("averages by type"), default=dict, blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        ordering = ["year"]
        verbose_name = _("national SPI figure")
        verbose_name_plural = _("national SPI figures")

    def __str__(self) -> str:
        return f"{self.year}: {self.index}"
