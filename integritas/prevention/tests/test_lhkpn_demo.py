"""The LHKPN demo: the city's register for 2024 and 2025 (unit heads, the Regional Secretary, the
Inspectorate's leaders and the decree's treasurers and procurement officers), both years' e-LHKPN
statuses imported, an appointment due three months later; seeding twice changes nothing."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core.management import call_command

from integritas.audit.models import Event
from integritas.prevention import demo
from integritas.prevention.models import LhkpnObligation
from integritas.prevention.services.lhkpn_compliance import compliance


@pytest.fixture
def seeded(db: None, settings: Any) -> None:
    settings.DEMO_MODE = True
    call_command("seed_demo", stdout=io.StringIO())


def test_the_demo_city_has_an_lhkpn_register_with_imported_statuses(seeded: None) -> None:
    y2025 = compliance(2025)
    y2024 = compliance(2024)
    assert y2025.government.obliged == y2024.government.obliged + len(demo.DECREE_EXTRA)
    assert 0 < y2025.government.complete < y2025.government.filed < y2025.government.obliged
    assert y2025.government.drafts > 0 and y2025.government.rejected > 0
    assert y2024.government.filing_rate > y2025.government.filing_rate  # type: ignore[operator]
    assert len(y2025.units) > 10
    special = LhkpnObligation.objects.get(report_type="initial")
    assert special.due_on == dt.date(2027, 1, 1)
    assert Event.objects.filter(action="prevention.lhkpn_status_imported").count() == 2
    assert demo.seed_lhkpn() == []


def test_the_demo_publishes_the_last_filed_year_on_the_portal(seeded: None) -> None:
    from django.test import Client

    from integritas.prevention.services import lhkpn_publication

    assert lhkpn_publication.published_years() == [2025]
    [event] = Event.objects.filter(action="prevention.lhkpn_compliance_published")
    assert event.actor is not None and event.actor.username == "inspektur"
    page = Client().get("/kepatuhan-lhkpn/")
    assert page.status_code == 200 and "2025" in page.content.decode()
    assert demo.seed_lhkpn_publication() == []
    assert lhkpn_publication.published_years() == [2025]
