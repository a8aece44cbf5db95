"""The actions the indices app records in the audit trail."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    """The actions this app records in the audit trail, with the names its pages show."""

    INDICES_COMPUTED = "indices.computed", _("Indices computed")
    INDICES_UPDATED = "indices.updated", _("Indices updated for changed responses")
    METHOD_SETTING_CREATED = "method_setting.created", _("Index method setting created")
    METHOD_SETTING_UPDATED = "method_setting.updated", _("Index method setting changed")
    METHOD_SETTING_DELETED = "method_setting.deleted", _("Index method setting deleted")
    INDICES_WEAK_POINTS_DETECTED = "indices.weak_points_detected", _("Weak points detected")
    INDICES_WEAK_POINT_REQUESTED = (
        "indices.weak_point_requested",
        _("Recommendation requested for a weak point"),
    )
    INDICES_WEAK_POINT_DISMISSED = "indices.weak_point_dismissed", _("Weak point dismissed")
    INDICES_WEAK_POINT_RECOMMENDED = (
        "indices.weak_point_recommended",
        _("Recommendation written for a weak point"),
    )
    INDICES_WEAK_POINT_ADDRESSED = (
        "indices.weak_point_addressed",
        _("Weak point's recommendation issued"),
    )
    INDICES_WEAK_POINT_RESOLVED = (
        "indices.weak_point_resolved",
        _("Weak point resolved: its recommendation was closed"),
    )
    INDICES_WEAK_POINT_REOPENED = (
        "indices.weak_point_reopened",
        _("Weak point open again: its recommendation was reopened"),
    )
    INDICES_INSTITUTION_CREATED = "indices.institution_created", _("SPI institution added")
    INDICES_INSTITUTION_UPDATED = "indices.institution_updated", _("SPI institution changed")
    INDICES_INSTITUTIONS_IMPORTED = "indices.institutions_imported", _("SPI institutions imported")
    INDICES_SPI_RESULTS_IMPORTED = "indices.spi_results_imported", _("SPI results imported")
    INDICES_NATIONAL_FIGURE_CREATED = (
        "indices.national_figure_created",
        _("National SPI figure added"),
    )
    INDICES_NATIONAL_FIGURE_UPDATED = (
        "indices.national_figure_updated",
        _("National SPI figure changed"),
    )
