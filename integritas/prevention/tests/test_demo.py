"""The prevention demo: a year of the city's gratification reports in every state of the UPG's
workflow, some lapsed, some late, one confidential, moved by the real services; idempotent."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from integritas.core.demo import seed
from integritas.prevention import demo
from integritas.prevention.models import GratificationReport, ReportStatus
from integritas.prevention.services.signals import late_reports_by_unit
from integritas.prevention.tests.conftest import travel

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 12, 7)


def test_the_demo_year_has_every_state_late_reports_and_a_signal(db: Any) -> None:
    with travel(TODAY):
        seed(password=None)
        lines = demo.seed_gratification_reports()
        reports = GratificationReport.objects.all()
        assert lines and reports.count() == len(demo.DEMO_REPORTS)
        assert set(reports.values_list("status", flat=True)) == set(ReportStatus.values)
        assert reports.filter(late=True).count() == 2
        assert reports.filter(status="closed").exclude(handover_receipt="").exists()
        assert reports.filter(confidential=True).count() == 1
        assert reports.filter(kind="refusal").count() == 1
        oldest = min(reports.values_list("reported_on", flat=True))
        assert oldest >= TODAY - dt.timedelta(days=366)
        assert [u.code for u in late_reports_by_unit(TODAY)] == ["DINKES"]
        assert demo.seed_gratification_reports() == []
        assert GratificationReport.objects.count() == len(demo.DEMO_REPORTS)
