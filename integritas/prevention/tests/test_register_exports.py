"""The register for KPK: the XLSX in KPK's form (a confidential reporter written only for the
UPG), the periodic recap (counts and values by state, forwarded and decided in the period), and
the statistics of a year with small groups withheld."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from openpyxl import load_workbook

from integritas.core.testing import client_for
from integritas.prevention.services import register, statistics
from integritas.prevention.services.reports import act
from integritas.prevention.tests.conftest import file_reports, travel

TODAY = dt.date(2026, 2, 5)


def sheet_rows(body: bytes, index: int = 0) -> list[list[Any]]:
    workbook = load_workbook(io.BytesIO(body))
    sheet = workbook.worksheets[index]
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_the_register_downloads_in_kpks_form_with_a_confidential_reporter_hidden(
    world: Any, upg: Any
) -> None:
    with travel(TODAY):
        file_reports(
            upg, 1, reporter_name="Budi Rahasia", confidential=True, reporter_unit=world.dinkes
        )
        file_reports(upg, 1, reporter_name="Siti Terbuka", reporter_unit=world.disdik)
    response = client_for(world.inspector).get("/pencegahan/gratifikasi/ekspor.xlsx")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="register-gratifikasi-')
    rows = sheet_rows(response.content)
    assert rows[0][:6] == [
        "Nomor lacak",
        "Jenis laporan",
        "Nama pelapor",
        "Unit kerja pelapor",
        "Tanggal penerimaan",
        "Tanggal lapor",
    ]
    names = {row[2] for row in rows[1:]}
    assert names == {"Dirahasiakan", "Siti Terbuka"}
    assert rows[1][11] == 750_000 and rows[1][6] == "PT Maju Jaya"
    upg_rows = sheet_rows(client_for(upg).get("/pencegahan/gratifikasi/ekspor.xlsx").content)
    assert {row[2] for row in upg_rows[1:]} == {"Budi Rahasia", "Siti Terbuka"}


def test_the_register_export_keeps_the_pages_filters(world: Any, upg: Any) -> None:
    with travel(TODAY):
        first, second = file_reports(upg, 2)
        act(report=second, step="complete", by=upg)
    rows = sheet_rows(
        client_for(upg).get("/pencegahan/gratifikasi/ekspor.xlsx", {"status": "complete"}).content
    )
    assert [row[0] for row in rows[1:]] == [second.tracking_number]


def test_readers_outside_the_register_get_no_export(world: Any) -> None:
    for url in (
        "/pencegahan/gratifikasi/ekspor.xlsx",
        "/pencegahan/gratifikasi/rekap/",
        "/pencegahan/gratifikasi/statistik/",
    ):
        assert client_for(world.officer_a).get(url).status_code == 403


def test_the_recap_counts_the_period_by_state_forwarded_and_decided(world: Any, upg: Any) -> None:
    with travel(dt.date(2026, 3, 2)):
        a, b, c = file_reports(upg, 3, value=1_000_000)
        (late,) = file_reports(
            upg, 1, received_on=dt.date(2026, 1, 5), reported_on=dt.date(2026, 3, 2), value=40_000
        )
        for report in (a, b):
            act(report=report, step="complete", by=upg)
            act(
                report=report,
                step="forward",
                by=upg,
                values={"gol_reference": "GOL", "forwarded_on": dt.date(2026, 2, 20)},
            )
        act(
            report=a,
            step="decide",
            by=upg,
            values={
                "decision": "state",
                "decree_number": "SK-1",
                "decree_date": dt.date(2026, 3, 2),
            },
        )
    found = register.recap(dt.date(2026, 2, 1), dt.date(2026, 2, 28))
    assert (found.made, found.made_value, found.late) == (3, 3_000_000, 0)
    assert {line.status: line.count for line in found.by_state} == {
        "submitted": 1,
        "forwarded": 1,
        "decided": 1,
    }
    assert (found.forwarded, found.forwarded_value) == (2, 2_000_000)
    assert found.decided_state == 0  # decided on 2 March, after the period
    march = register.recap(dt.date(2026, 3, 1), dt.date(2026, 3, 31))
    assert (march.made, march.late, march.decided_state, march.decided_state_value) == (
        1,
        1,
        1,
        1_000_000,
    )
    assert late.late
    response = client_for(world.inspector).get(
        "/pencegahan/gratifikasi/rekap/",
        {"start": "2026-02-01", "end": "2026-02-28", "format": "xlsx"},
    )
    rows = sheet_rows(response.content)
    assert rows[0] == ["Angka", "Rincian", "Laporan", "Nilai (Rp)"]
    assert ["Diteruskan ke KPK dalam periode", None, 2, 2_000_000] in rows
    assert sheet_rows(response.content, 1)[0] == ["Rincian", "Kelompok", "Laporan", "Nilai (Rp)"]


def test_a_recap_period_that_ends_before_it_starts_is_refused(world: Any) -> None:
    response = client_for(world.inspector).get(
        "/pencegahan/gratifikasi/rekap/", {"start": "2026-03-01", "end": "2026-02-01"}
    )
    assert response.status_code == 400
    assert "Akhir periode tidak boleh sebelum awalnya." in response.content.decode()


def test_statistics_withhold_small_groups_and_their_values(world: Any, upg: Any) -> None:
    from integritas.core.models import Unit

    third = Unit.objects.exclude(pk__in=[world.dinkes.pk, world.disdik.pk]).first()
    with travel(TODAY):
        file_reports(upg, 6, reporter_unit=world.dinkes)
        file_reports(upg, 5, reporter_unit=world.disdik)
        file_reports(upg, 1, reporter_unit=third, value=30_000_000)
    figures = statistics.for_year(2026)
    units = {line.key: line for line in figures.breakdowns[0].lines}
    assert units[world.dinkes.code].count == 6 and units[world.dinkes.code].value == 4_500_000
    assert units[third.code].count is None and units[third.code].withheld == "< 5"
    assert units[third.code].value is None
    # Hidden too, so that the small unit cannot be worked out from the total.
    assert units[world.disdik.code].count is None and units[world.disdik.code].withheld == "≥ 5"
    bands = {line.key: line for line in figures.breakdowns[3].lines}
    assert bands["4"].withheld == "< 5"  # the one Rp30,000,000 gift
    assert bands["1"].withheld == "≥ 5"  # the eleven of Rp750,000: else the total tells the one
    events = {line.key: line for line in figures.breakdowns[1].lines}
    assert events["official_duty"].count == 12
    page = client_for(world.inspector).get("/pencegahan/gratifikasi/statistik/").content.decode()
    assert "&lt; 5" in page and "30.000.000" not in page


def test_the_recap_form_shows_the_period_it_used_by_default(world: Any) -> None:
    with travel(dt.date(2026, 5, 4)):
        page = client_for(world.inspector).get("/pencegahan/gratifikasi/rekap/").content.decode()
    assert 'name="start" value="2026-01-01"' in page and 'name="end" value="2026-05-04"' in page
