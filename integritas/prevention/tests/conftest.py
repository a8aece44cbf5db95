"""Prevention tests: the rule sets the data migration ships (Perkom 2/2019, and Perkom 1/2026 from
20 January 2026) and the holidays core seeds (2026: 16 February is collective leave for the Lunar
New Year, 17 February the holiday itself)."""

from __future__ import annotations

import datetime as dt
import importlib
from typing import Any

import pytest
from django.apps import apps

from integritas.core.models import CalendarSettings
from integritas.core.services.calendar import calendar_changed
from integritas.core.testing import ensure_holidays
from integritas.prevention.gratification import Gift
from integritas.prevention.models import RuleSet

LAST_DAY_OLD = dt.date(2026, 1, 19)  # Monday: the last day of Perkom 2/2019
FIRST_DAY_NEW = dt.date(2026, 1, 20)  # Tuesday: Perkom 1/2026 in force


def ensure_rule_sets() -> None:
    """Put back the rule sets shipped by migration when a transactional test (a browser test
    with its live server) emptied the tables before this test."""
    if not RuleSet.objects.exists():
        importlib.import_module("integritas.prevention.migrations.0002_shipped_rule_sets").ship(
            apps, None
        )


@pytest.fixture(autouse=True)
def _holidays(db: None) -> None:
    ensure_holidays()
    ensure_rule_sets()


def gift(**values: Any) -> Gift:
    fields: dict[str, Any] = {
        "received_on": FIRST_DAY_NEW,
        "category": "colleague",
        "value": 100_000,
        "cash": False,
        "giver_ytd": 0,
        "duty_related": False,
        **values,
    }
    return Gift(**fields)


def collective_leave_is_day_off(value: bool) -> None:
    CalendarSettings.load()
    CalendarSettings.objects.filter(pk=1).update(collective_leave_is_day_off=value)
    calendar_changed()


def travel(day: dt.date) -> Any:
    """Freeze the clock at 09:00 in Jakarta on ``day``."""
    import time_machine

    jakarta = dt.timezone(dt.timedelta(hours=7))
    return time_machine.travel(dt.datetime.combine(day, dt.time(9), tzinfo=jakarta), tick=False)


@pytest.fixture
def upg(world: Any) -> Any:
    from integritas.core.models import Role
    from integritas.core.testing import make_user

    return make_user("upg_officer", role=Role.UPG_OFFICER)


@pytest.fixture
def upg_head(world: Any) -> Any:
    from integritas.core.models import Role
    from integritas.core.testing import make_user

    return make_user("upg_head", role=Role.UPG_HEAD)


def report_values(**values: Any) -> dict[str, Any]:
    """A complete receipt report of a gift received on Monday 2 February 2026 (Perkom 1/2026)
    and reported on Thursday 5 February."""
    return {
        "kind": "receipt",
        "reporter_name": "Officer A",
        "confidential": False,
        "giver": "PT Maju Jaya",
        "relation": "vendor",
        "event": "official_duty",
        "object_kind": "goods",
        "description": "Parsel buah dan kue",
        "value": 750_000,
        "location": "Kantor UPG, lemari arsip",
        "received_on": dt.date(2026, 2, 2),
        "reported_on": dt.date(2026, 2, 5),
        "chronology": "Diantar kurir ke kantor setelah rapat evaluasi pengadaan.",
        **values,
    }


def file_reports(by: Any, count: int, **values: Any) -> list[Any]:
    """``count`` paper reports entered by ``by`` (a UPG officer), each with ``values`` over
    ``report_values``; rule sets and holidays put back first (other apps' tests call this)."""
    from integritas.core.testing import ensure_holidays
    from integritas.prevention.services.reports import submit

    ensure_holidays()
    ensure_rule_sets()
    today = max(values.get("reported_on", dt.date(2026, 2, 5)), dt.date(2026, 2, 5))
    return [
        submit(values=report_values(**values), reporter=None, by=by, today=today)
        for _ in range(count)
    ]
