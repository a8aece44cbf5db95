"""The staff pages of gratification reports: filing one, my reports, the UPG's register with its
filters, a report's page with the steps of its state, and a confidential reporter hidden from
every reader but the UPG and the reporter, on the pages and in the audit trail."""

from __future__ import annotations

import datetime as dt
from typing import Any

from integritas.core.testing import client_for
from integritas.prevention.models import GratificationReport
from integritas.prevention.services.reports import act, submit
from integritas.prevention.tests.conftest import report_values, travel

TODAY = dt.date(2026, 2, 5)


def form_data(**values: Any) -> dict[str, Any]:
    data = {k: v for k, v in report_values(**values).items() if k != "reporter_name"}
    data = {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in data.items()}
    if not data.get("confidential"):
        data.pop("confidential")
    return data


def test_an_employee_reports_a_gift_and_finds_it_in_my_reports(world: Any) -> None:
    client = client_for(world.officer_a)
    with travel(TODAY):
        response = client.post("/pencegahan/gratifikasi/lapor/", form_data())
        report = GratificationReport.objects.get()
        assert response.status_code == 302
        assert response["Location"] == f"/pencegahan/gratifikasi/{report.pk}/"
        assert report.reporter == world.officer_a and report.reporter_name == "Officer A"
        page = client.get("/pencegahan/gratifikasi/saya/").content.decode()
    assert report.tracking_number in page and "Diajukan" in page


def test_a_future_date_of_receipt_is_refused_on_the_form_and_nothing_stored(world: Any) -> None:
    client = client_for(world.officer_a)
    with travel(TODAY):
        response = client.post(
            "/pencegahan/gratifikasi/lapor/",
            form_data(received_on=dt.date(2026, 2, 6), reported_on=dt.date(2026, 2, 5)),
        )
    assert response.status_code == 400
    assert "Tanggal penerimaan tidak boleh di masa depan." in response.content.decode()
    assert not GratificationReport.objects.exists()


def test_the_upg_moves_a_report_through_its_page(world: Any, upg: Any) -> None:
    with travel(TODAY):
        report = submit(values=report_values(), reporter=world.officer_a, by=world.officer_a)
        client = client_for(upg)
        page = client.get(f"/pencegahan/gratifikasi/{report.pk}/").content.decode()
        assert "Kembalikan untuk dilengkapi" in page
        assert client.post(f"/pencegahan/gratifikasi/{report.pk}/complete/").status_code == 302
        bad = client.post(
            f"/pencegahan/gratifikasi/{report.pk}/forward/", {"forward-gol_reference": ""}
        )
        assert bad.status_code == 400
        ok = client.post(
            f"/pencegahan/gratifikasi/{report.pk}/forward/",
            {"forward-gol_reference": "GOL-77", "forward-forwarded_on": "2026-02-05"},
        )
        assert ok.status_code == 302
    report.refresh_from_db()
    assert report.status == "forwarded" and report.gol_reference == "GOL-77"


def test_the_reporter_and_other_readers_cannot_take_the_upgs_steps(world: Any, upg: Any) -> None:
    with travel(TODAY):
        report = submit(values=report_values(), reporter=world.officer_a, by=world.officer_a)
        for user in (world.officer_a, world.inspector):
            response = client_for(user).post(f"/pencegahan/gratifikasi/{report.pk}/complete/")
            assert response.status_code == 403
        assert (
            client_for(world.officer_b).get(f"/pencegahan/gratifikasi/{report.pk}/").status_code
            == 404
        )
    report.refresh_from_db()
    assert report.status == "submitted"


def test_the_register_filters_by_state_overdue_unit_and_month(world: Any, upg: Any) -> None:
    with travel(TODAY):
        first = submit(values=report_values(reporter_unit=world.dinkes), reporter=None, by=upg)
        second = submit(
            values=report_values(reported_on=dt.date(2026, 2, 3), reporter_unit=world.disdik),
            reporter=None,
            by=upg,
        )
        act(report=second, step="complete", by=upg)
    client = client_for(upg)
    with travel(dt.date(2026, 2, 24)):  # the first's forward deadline (23 February) has passed
        url = "/pencegahan/gratifikasi/"

        def numbers(**params: Any) -> set[str]:
            rows = client.get(url, params).context["page"].object_list
            return {row["report"].tracking_number for row in rows}

        assert numbers() == {first.tracking_number, second.tracking_number}
        assert numbers(status="complete") == {second.tracking_number}
        assert numbers(unit=world.dinkes.pk) == {first.tracking_number}
        assert numbers(overdue="on") == {first.tracking_number, second.tracking_number}
        assert numbers(month="2026-03") == set()
        assert numbers(status="bogus") == {first.tracking_number, second.tracking_number}


def test_a_confidential_reporter_is_hidden_from_other_readers_on_pages_and_in_the_trail(
    world: Any, upg: Any
) -> None:
    with travel(TODAY):
        report = submit(
            values=report_values(confidential=True), reporter=world.officer_a, by=world.officer_a
        )
        act(report=report, step="complete", by=upg)
    detail = f"/pencegahan/gratifikasi/{report.pk}/"
    for reader in (world.admin, world.inspector_general, world.leader):
        client = client_for(reader)
        assert "Officer A" not in client.get(detail).content.decode()
        assert "Officer A" not in client.get("/pencegahan/gratifikasi/").content.decode()
        audit = client.get("/audit/").content.decode()
        assert report.tracking_number not in audit and "Officer A" not in audit
    assert "Officer A" in client_for(upg).get(detail).content.decode()
    assert "Officer A" in client_for(world.officer_a).get(detail).content.decode()


def test_an_ordinary_report_shows_its_reporter_and_trail_to_readers(world: Any, upg: Any) -> None:
    with travel(TODAY):
        report = submit(values=report_values(), reporter=world.officer_a, by=world.officer_a)
    client = client_for(world.admin)
    assert "Officer A" in client.get(f"/pencegahan/gratifikasi/{report.pk}/").content.decode()
    assert report.tracking_number in client.get("/audit/").content.decode()


def test_filtering_the_register_by_unit_does_not_tell_a_confidential_reporters_unit(
    world: Any, upg: Any
) -> None:
    with travel(TODAY):
        report = submit(
            values=report_values(confidential=True, reporter_unit=world.dinkes),
            reporter=None,
            by=upg,
        )
    for reader, found in ((world.inspector_general, False), (upg, True)):
        rows = client_for(reader).get("/pencegahan/gratifikasi/", {"unit": world.dinkes.pk})
        numbers = {row["report"].tracking_number for row in rows.context["page"].object_list}
        assert (report.tracking_number in numbers) is found
