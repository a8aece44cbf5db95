"""Monitoring: the TLHP table by unit and category with Rupiah amounts and its export, and the
overdue list."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from integritas.core.testing import World, body, client_for
from integritas.followup.models import ActionPlan, Recommendation
from integritas.followup.services import recommendations as services
from integritas.followup.testing import draft_plan, recommendation

pytestmark = pytest.mark.django_db


def finding(world: World, *units: object, amount: int, **values: object) -> Recommendation:
    return recommendation(
        world,
        *units,  # type: ignore[arg-type]
        source="bpk",
        finding="Kelebihan bayar",
        amount_to_recover=Decimal(amount),
        **values,
    )


def classify(rec: Recommendation, category: str, recovered: int, world: World) -> None:
    services.recommendation_set_tlhp(
        recommendation=rec,
        category=category,
        reason="Alasan sah" if category == "tidak_dapat" else "",
        amount_recovered=Decimal(recovered),
        by=world.inspector,
    )


def test_the_table_counts_categories_and_amounts_per_unit(world: World) -> None:
    classify(finding(world, world.dinkes, amount=10_000_000), "sesuai", 10_000_000, world)
    classify(finding(world, world.dinkes, amount=4_000_000), "belum_sesuai", 1_000_000, world)
    finding(world, world.dinkes, world.disdik, amount=2_000_000)
    page = client_for(world.inspector).get("/followup/monitoring/")
    rows = {r.code: r for r in page.context["rows"]}
    dinkes = rows["DINKES"]
    assert dinkes.counts == {
        "sesuai": 1,
        "belum_sesuai": 1,
        "belum_ditindaklanjuti": 1,
        "tidak_dapat": 0,
    }
    assert (dinkes.to_recover, dinkes.recovered, dinkes.outstanding) == (
        Decimal("16000000"),
        Decimal("11000000"),
        Decimal("5000000"),
    )
    assert rows["DISDIK"].total == 1
    total = page.context["total"]
    assert total.total == 3 and total.to_recover == Decimal("16000000")
    assert "Rp16.000.000" in page.content.decode()


def test_unit_staff_see_only_their_units_line(world: World) -> None:
    finding(world, world.dinkes, world.disdik, amount=1)
    page = client_for(world.officer_b).get("/followup/monitoring/")
    assert [r.code for r in page.context["rows"]] == ["DISDIK"]


def test_the_monitoring_export_has_the_usual_columns_and_a_total(world: World) -> None:
    classify(finding(world, world.dinkes, amount=3_000_000), "tidak_dapat", 0, world)
    response = client_for(world.leader).get("/followup/monitoring/?export=csv")
    lines = body(response).decode("utf-8-sig").splitlines()
    assert len(lines) == 3
    # Headers follow the language of the request (Indonesian here): ten columns.
    assert len(lines[0].split(",")) == 10
    assert lines[1].startswith("DINKES,Dinas Kesehatan,1,0,0,0,1,3000000")
    assert lines[2].startswith(",Total,1,")
    assert client_for(world.officer_a).get("/followup/monitoring/?export=csv").status_code == 403


def test_the_overdue_list_shows_open_plans_past_their_due_date(world: World) -> None:
    late = draft_plan(world, due=dt.date(2025, 3, 3))
    done = draft_plan(world, recommendation(world, title="Selesai"), due=dt.date(2025, 3, 3))
    ActionPlan.objects.filter(pk=done.pk).update(status=ActionPlan.Status.VERIFIED)
    draft_plan(world, recommendation(world, title="Belum jatuh tempo"))
    with time_machine.travel(dt.datetime(2025, 3, 10, 9, tzinfo=dt.UTC), tick=False):
        page = client_for(world.inspector).get("/followup/overdue/")
        assert [(r["plan"], r["late"]) for r in page.context["rows"]] == [(late, 7)]
        csv = client_for(world.inspector).get("/followup/overdue/?export=csv")
    assert "REK-2024-001" in body(csv).decode("utf-8-sig").splitlines()[1]
    assert client_for(world.officer_b).get("/followup/overdue/").context["rows"] == []
