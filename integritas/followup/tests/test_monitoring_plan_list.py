"""The cross-unit list of action plans: scoped by the policy, filtered by status (including
"returned" and "not started"), unit, source, year, deadline and words, paginated and exported."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
import time_machine

from integritas.core.testing import World, body, client_for
from integritas.followup.models import ActionPlan
from integritas.followup.services import plans as services
from integritas.followup.testing import draft_plan, recommendation, running_plan

pytestmark = pytest.mark.django_db
URL = "/followup/plans/"


def listed(user: object, query: str = "") -> list[str]:
    page = client_for(user).get(f"{URL}?{query}")  # type: ignore[arg-type]
    assert page.status_code == 200
    return [str(row["plan"]) for row in page.context["rows"]]


def test_the_inspectorate_sees_every_units_plans_and_a_unit_only_its_own(world: World) -> None:
    rec = recommendation(world, world.dinkes, world.disdik)
    assert listed(world.inspector) == [f"{rec.code} / DINKES", f"{rec.code} / DISDIK"]
    assert listed(world.leader) == [f"{rec.code} / DINKES", f"{rec.code} / DISDIK"]
    assert listed(world.officer_a) == [f"{rec.code} / DINKES"]
    assert listed(world.officer_b) == [f"{rec.code} / DISDIK"]
    assert listed(world.nobody) == []


def test_it_filters_by_status_unit_source_year_and_words(world: World) -> None:
    kpk = recommendation(world, world.dinkes, world.disdik, title="Benturan kepentingan")
    bpk = recommendation(
        world,
        world.dinkes,
        source="bpk",
        finding="Kelebihan bayar",
        report_received_on=dt.date(2024, 5, 2),
        title="Kelebihan pembayaran perjalanan dinas",
        year=2023,
    )
    running_plan(world, kpk)
    assert listed(world.inspector, "status=in_progress") == [f"{kpk.code} / DINKES"]
    assert listed(world.inspector, "unit=DISDIK") == [f"{kpk.code} / DISDIK"]
    assert listed(world.inspector, "source=bpk") == [f"{bpk.code} / DINKES"]
    assert listed(world.inspector, "year=2023") == [f"{bpk.code} / DINKES"]
    assert listed(world.inspector, "q=perjalanan") == [f"{bpk.code} / DINKES"]
    assert listed(world.inspector, "q=pendidikan") == [f"{kpk.code} / DISDIK"]
    assert listed(world.inspector, "status=draft&unit=DINKES") == [f"{bpk.code} / DINKES"]


def test_a_returned_plan_is_listed_as_returned_not_as_not_started(world: World) -> None:
    rec = recommendation(world, world.dinkes, world.disdik)
    plan = draft_plan(world, rec)
    services.plan_transition(plan=plan, name="submit", by=world.head_a)
    services.plan_transition(
        plan=plan, name="return_plan", by=world.inspector, reason="Bobot kegiatan tidak jelas"
    )
    assert listed(world.inspector, "status=returned") == [f"{rec.code} / DINKES"]
    assert listed(world.inspector, "status=not_started") == [f"{rec.code} / DISDIK"]
    page = client_for(world.inspector, language="en").get(f"{URL}?status=returned")
    assert b"Returned to the unit" in page.content


def test_overdue_and_due_soon_follow_the_last_activitys_due_date(world: World) -> None:
    late = draft_plan(world, recommendation(world, title="Terlambat"), due=dt.date(2025, 3, 3))
    soon = running_plan(world, recommendation(world, title="Segera"), due=dt.date(2025, 3, 14))
    draft_plan(world, recommendation(world, title="Nanti"), due=dt.date(2025, 6, 2))
    with time_machine.travel(dt.datetime(2025, 3, 10, 9, tzinfo=dt.UTC), tick=False):
        assert listed(world.inspector, "due=overdue") == [str(late)]
        assert listed(world.officer_a, "due=soon") == [str(soon)]
        assert listed(world.officer_b, "due=overdue") == []


def test_a_filter_value_it_does_not_know_is_ignored(world: World) -> None:
    rec = recommendation(world)
    assert listed(world.inspector, "status=lost&due=yesterday&year=abc") == [f"{rec.code} / DINKES"]


def test_the_export_holds_the_filtered_plans_and_only_readers_of_all_may_export(
    world: World,
) -> None:
    rec = recommendation(world, world.dinkes, world.disdik)
    response = client_for(world.inspector, language="en").get(f"{URL}?unit=DISDIK&export=csv")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(body(response).decode("utf-8-sig"))))
    assert rows[0][:3] == ["Recommendation", "Title", "Source"]
    assert [(r[0], r[4]) for r in rows[1:]] == [(rec.code, "DISDIK")]
    xlsx = client_for(world.leader).get(f"{URL}?export=xlsx")
    assert xlsx.status_code == 200 and xlsx["Content-Type"].startswith("application/vnd")
    assert client_for(world.officer_a).get(f"{URL}?export=csv").status_code == 403


def test_the_list_pages_and_says_in_words_when_nothing_matches(world: World) -> None:
    units = [world.dinkes, world.disdik]
    for n in range(13):
        recommendation(world, *units, title=f"Rekomendasi {n}")
    first = client_for(world.inspector).get(URL)
    assert first.context["page"].paginator.count == ActionPlan.objects.count() == 26
    assert len(first.context["rows"]) == 25
    assert len(client_for(world.inspector).get(f"{URL}?page=2").context["rows"]) == 1
    empty = client_for(world.inspector, language="en").get(f"{URL}?status=verified")
    assert b"No action plan matches these filters." in empty.content
    nothing = client_for(world.nobody, language="en").get(URL)
    assert b"No action plan yet" in nothing.content
