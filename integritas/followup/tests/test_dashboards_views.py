"""The follow-up dashboard pages: what each role sees (policy scope), the tables and their
CSV/XLSX downloads, the unit page and the leadership scoreboard."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from openpyxl import load_workbook

from integritas.core.testing import World, body, client_for
from integritas.followup.models import ActionPlan
from integritas.followup.services import plans as services
from integritas.followup.testing import draft_plan, recommendation, running_plan

pytestmark = pytest.mark.django_db


def verified_plan(world: World) -> ActionPlan:
    """DINKES's plan verified at 100%."""
    plan = running_plan(world)
    activity = plan.activities.get()
    services.activity_report_progress(
        activity=activity, progress=Decimal("100"), by=world.officer_a
    )
    services.plan_transition(plan=plan, name="submit_evidence", by=world.head_a)
    services.activity_step(activity=activity, name="verify", by=world.inspector)
    return services.plan_transition(plan=plan, name="verify", by=world.inspector)


def disdik_plan(world: World) -> ActionPlan:
    rec = recommendation(world, world.disdik, title="Rekomendasi Disdik")
    return rec.plans.get()


def csv_rows(response: Any) -> list[list[str]]:
    return list(csv.reader(io.StringIO(body(response).decode("utf-8-sig"))))


def test_the_unit_dashboard_shows_a_verified_plan_at_100_percent(world: World) -> None:
    plan = verified_plan(world)
    page = client_for(world.officer_a).get("/followup/dashboard/units/DINKES/")
    assert page.status_code == 200
    summary = page.context["summary"]
    assert (summary.claimed, summary.verified, summary.finished) == (
        Decimal("100.0"),
        Decimal("100.0"),
        1,
    )
    html = page.content.decode()
    assert plan.recommendation.code in html and "100,0%" in html


def test_unit_staff_see_only_their_own_units(world: World) -> None:
    verified_plan(world)
    disdik_plan(world)
    own = client_for(world.officer_b).get("/followup/dashboard/")
    assert [r.key for r in own.context["units"]] == ["DISDIK"]
    assert client_for(world.officer_b).get("/followup/dashboard/units/DINKES/").status_code == 404
    board = client_for(world.officer_b).get("/followup/dashboard/scoreboard/")
    assert [r.key for r in board.context["page"].object_list] == ["DISDIK"]


def test_leadership_and_the_inspectorate_see_every_unit(world: World) -> None:
    verified_plan(world)
    disdik_plan(world)
    for user in (world.leader, world.inspector, world.admin):
        page = client_for(user).get("/followup/dashboard/")
        assert [r.key for r in page.context["units"]] == ["DINKES", "DISDIK"]


def test_the_dashboard_counts_plans_by_status_and_by_source(world: World) -> None:
    verified_plan(world)
    disdik_plan(world)
    draft_plan(world, recommendation(world, title="BPK", source="bpk"))
    page = client_for(world.leader).get("/followup/dashboard/")
    summary = page.context["summary"]
    assert summary.by_status["verified"] == 1 and summary.by_status["draft"] == 2
    sources = {r.key: r for r in page.context["sources"]}
    assert sources["kpk_letter"].plans == 2 and sources["kpk_letter"].verified == Decimal("50.0")
    assert sources["bpk"].plans == 1
    assert 'class="chart"' in page.content.decode()  # the chart, and its table
    assert len(page.context["months"]) == 12


def test_filters_narrow_the_plans_to_a_source(world: World) -> None:
    verified_plan(world)
    draft_plan(world, recommendation(world, title="BPK", source="bpk"))
    page = client_for(world.leader).get("/followup/dashboard/", {"source": "bpk"})
    assert page.context["summary"].plans == 1


def test_every_table_downloads_as_csv_and_xlsx(world: World) -> None:
    verified_plan(world)
    client = client_for(world.inspector)
    units = csv_rows(client.get("/followup/dashboard/", {"table": "units", "export": "csv"}))
    assert len(units[0]) == len(units[1]) == 14
    assert units[1][:3] == ["DINKES", "Dinas Kesehatan", "1"]
    assert units[1][3:7] == ["100.0", "100.0", "0", "100.0"]  # claimed, verified, overdue, on time
    assert units[1][7:] == ["0", "0", "0", "0", "0", "1", "0"]  # by status: one verified
    sources = csv_rows(client.get("/followup/dashboard/", {"table": "sources", "export": "csv"}))
    assert sources[1][0] == "kpk_letter"
    months = csv_rows(client.get("/followup/dashboard/", {"table": "months", "export": "csv"}))
    assert len(months) == 13 and months[-1][2:5] == ["1", "1", "0"]  # issued, verified, overdue
    board = csv_rows(client.get("/followup/dashboard/scoreboard/", {"export": "csv"}))
    assert board[1][:2] == ["1", "DINKES"]
    plans = csv_rows(client.get("/followup/dashboard/units/DINKES/", {"export": "csv"}))
    assert len(plans) == 2
    response = client.get("/followup/dashboard/", {"table": "units", "export": "xlsx"})
    sheet = load_workbook(io.BytesIO(body(response))).active
    assert sheet is not None and sheet["A2"].value == "DINKES"


def test_unit_staff_cannot_download(world: World) -> None:
    verified_plan(world)
    response = client_for(world.officer_a).get("/followup/dashboard/", {"export": "csv"})
    assert response.status_code == 403
    page = client_for(world.officer_a).get("/followup/dashboard/")
    assert "export=csv" not in body(page).decode()


def test_the_scoreboard_explains_its_ranking_rule(world: World) -> None:
    verified_plan(world)
    disdik_plan(world)
    page = client_for(world.leader).get("/followup/dashboard/scoreboard/")
    html = page.content.decode()
    rule = html.split('id="ranking-rule"')[1].split("</ol>")[0]
    assert rule.count("<li>") == 3  # verified progress, timeliness, overdue plans
    ranked = [(r.rank, r.key) for r in page.context["page"].object_list]
    assert ranked == [(1, "DINKES"), (2, "DISDIK")]


def test_an_empty_dashboard_says_so(world: World) -> None:
    page = client_for(world.nobody).get("/followup/dashboard/")
    assert page.status_code == 200 and page.context["summary"].total == 0


@time_machine.travel(dt.datetime(2026, 10, 15, 9, tzinfo=dt.UTC), tick=False)
def test_the_monthly_table_names_months_in_the_readers_language(world: World) -> None:
    verified_plan(world)
    page = client_for(world.inspector).get("/followup/dashboard/").content.decode()
    assert "<tr><td>Oktober 2026</td><td>15 Oktober 2026</td>" in page
    english = client_for(world.inspector, language="en").get("/followup/dashboard/")
    assert "<tr><td>October 2026</td>" in english.content.decode()


def test_downloads_have_headers_in_the_readers_language(world: World) -> None:
    verified_plan(world)
    for language, first in (("id", ["Kode unit kerja", "Nama"]), ("en", ["Unit code", "Name"])):
        client = client_for(world.inspector, language=language)
        units = csv_rows(client.get("/followup/dashboard/", {"table": "units", "export": "csv"}))
        assert units[0][:2] == first
    recommendations = csv_rows(
        client_for(world.inspector, language="id").get("/followup/", {"export": "csv"})
    )
    assert recommendations[0][:3] == ["Kode", "Judul", "Sumber"]
