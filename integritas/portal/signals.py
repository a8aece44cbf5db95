"""Kept portal pages are retired when what they show changes: a save or delete of any record of
the apps the portal reads, a change of a many-to-many link between them, every migration (an
upgrade may change what a page shows) and a setting changed while running.

Every model of ``SHOWN_APPS`` counts, so that a model added later is covered without a thought;
``NOT_SHOWN`` names the models no public page reads that are written too often for their writes
to empty the cache (a survey answer, a draft, an index result row, which comes with its run, a
sign-in). A new app whose records appear on the portal joins ``SHOWN_APPS``.

A bulk ``QuerySet.update()`` sends no signal; the pages' lifetime (``PORTAL_CACHE_SECONDS``)
bounds how long such a change can wait.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core.signals import setting_changed
from django.db import models
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save

from integritas.portal.services import cache

SHOWN_APPS = ("core", "surveys", "indices", "followup", "portal", "education", "assessments")
# The anchors list, and the reports the public whistleblowing statistics count.
SHOWN_ELSEWHERE = (
    "audit.Anchor",
    "complaints.Report",
    # The published years of gratification statistics, and the reports they count.
    "prevention.StatisticsPublication",
    "prevention.GratificationReport",
    # The published years of LHKPN compliance, and the obligations they count.
    "prevention.LhkpnPublication",
    "prevention.LhkpnObligation",
)
NOT_SHOWN = frozenset(
    {
        "core.User",  # its last sign-in is written at every sign-in
        "core.LoginFailure",
        "core.Notification",
        "core.NotificationDigest",
        "surveys.Response",
        "surveys.Draft",
        "surveys.Invitation",
        "surveys.ImportBatch",
        "surveys.ResponseExport",  # a staff download, prepared in the background
        "indices.IndexResult",  # written in bulk with their IndexRun, which is saved too
        "indices.IndexLeaf",
        "indices.WaveIndexState",  # the fill-state, written with each survey answer
        # Written at every registration and check-in (hundreds in an event's first half hour):
        # the attendance figures on the event pages wait for the pages' lifetime instead.
        "education.Registration",
        "education.Submission",  # a participant's test, and its answers
        "education.Answer",
    }
)


def shown_models() -> list[type[models.Model]]:
    """The models whose changes retire the kept portal pages."""
    found = [
        model
        for label in SHOWN_APPS
        for model in apps.get_app_config(label).get_models()
        if model._meta.label not in NOT_SHOWN
    ]
    return found + [apps.get_model(label) for label in SHOWN_ELSEWHERE]


def changed(**kwargs: Any) -> None:
    cache.invalidate()


def setting(**kwargs: Any) -> None:
    cache.invalidate(data=False)


def connect() -> None:
    """Connect the receivers (from ``PortalConfig.ready``)."""
    for model in shown_models():
        post_save.connect(changed, sender=model, dispatch_uid=f"portal-cache-save-{model}")
        post_delete.connect(changed, sender=model, dispatch_uid=f"portal-cache-delete-{model}")
        for field in model._meta.local_many_to_many:
            through = field.remote_field.through
            m2m_changed.connect(changed, sender=through, dispatch_uid=f"portal-cache-m2m-{through}")
    post_migrate.connect(changed, dispatch_uid="portal-cache-migrate")
    # A setting changed while running (tests override them; the licence and contact of the open
    # data, the public base address and the like are on the pages): no page built before stays.
    setting_changed.connect(setting, dispatch_uid="portal-cache-setting")
