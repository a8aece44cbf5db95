"""The MCSP desk's reports: the progress report per area and unit on the letterhead (it fits its
page), and the desk as a workbook (requirements with their owners, documents with their states).
"""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest

from integritas.assessments.models import Assessment, Node
from integritas.assessments.services import desk, desk_reports, snapshots
from integritas.assessments.tests.desk_fixtures import open_desk, pdf
from integritas.core.testing import World, client_for
from integritas.lib.tests.test_pdf_layout import REPORT_RIGHT_MARGIN, beyond_right_edge, page_text


@pytest.fixture
def busy_desk(world: World) -> Assessment:
    """One document ready for PRC.1 (DINKES), one returned for PBJ.1."""
    assessment = open_desk()
    node = Node.objects.get(framework=assessment.framework, code="PRC.1")
    ready = desk.upload(
        assessment=assessment,
        node=node,
        unit=world.dinkes,
        file=pdf("a"),
        name="rkpd.pdf",
        valid_from=dt.date(2026, 1, 1),
        title="RKPD 2026 dengan pokok-pokok pikiran DPRD yang telah dibahas dalam musrenbang",
        by=world.officer_a,
    ).document
    desk.review(document=ready, action="ready", by=world.inspector)
    returned = desk.upload(
        assessment=assessment,
        node=Node.objects.get(framework=assessment.framework, code="PBJ.1"),
        unit=world.dinkes,
        file=pdf("b"),
        name="rup.pdf",
        valid_from=dt.date(2026, 1, 1),
        title="RUP",
        by=world.officer_a,
    ).document
    desk.review(document=returned, action="return", reason="Belum diumumkan", by=world.inspector)
    return assessment


def test_the_progress_report_is_a_letterhead_pdf_per_area_and_unit_that_fits_its_page(
    world: World, busy_desk: Assessment
) -> None:
    response = client_for(world.inspector, language="en").get(
        f"/penilaian/meja/{busy_desk.public_id}/laporan.pdf"
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="laporan-mcsp-2026.pdf"' in response["Content-Disposition"]
    assert beyond_right_edge(response.content, REPORT_RIGHT_MARGIN) == []
    text = page_text(response.content)
    assert "LAPORAN KEMAJUAN MCSP 2026" in text  # in Indonesian, whatever the reader's language
    for expected in ("Perencanaan", "Pengadaan Barang dan Jasa", "Dinas Kesehatan", "Kepala"):
        assert expected in text


def test_the_progress_report_draws_the_scores_over_time_with_their_table(
    world: World, busy_desk: Assessment
) -> None:
    snapshots.take(assessment=busy_desk, by=world.inspector)
    snapshots.record_kpk_score(
        assessment=busy_desk,
        score="12.5",
        on=dt.date(2026, 11, 2),
        source="Portal MCSP",
        by=world.inspector,
    )
    html = desk_reports.progress_html(busy_desk)
    assert '<img src="data:image/svg+xml;base64,' in html  # one picture, scaled to the column
    text = page_text(desk_reports.progress_pdf(busy_desk))
    assert "Nilai dari waktu ke waktu" in text and "Portal MCSP" in text and "12,50" in text


def test_the_workbook_lists_requirements_with_owners_and_documents_with_states(
    world: World, busy_desk: Assessment
) -> None:
    response = client_for(world.leader).get(f"/penilaian/meja/{busy_desk.public_id}/unduh.xlsx")
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    requirements, documents = book.worksheets
    rows = list(requirements.iter_rows(values_only=True))
    assert rows[0][:3] == ("Area", "Kode", "Syarat")
    assert [(r[1], r[4], r[5], r[6], r[7], r[9]) for r in rows[1:]] == [
        ("PRC.1", "DINKES Dinas Kesehatan", "Kepala Bappeda", 2, 1, 1),
        ("PRC.2", "DISDIK Dinas Pendidikan", "Kepala Bappeda", 1, 0, 1),
        ("PBJ.1", "DINKES Dinas Kesehatan", "Kepala Bagian PBJ", 1, 0, 1),
        ("PBJ.1", "DISDIK Dinas Pendidikan", "Kepala Bagian PBJ", 1, 0, 1),
    ]
    docs = list(documents.iter_rows(values_only=True))
    assert [(r[0], r[1], r[4], r[12]) for r in docs[1:]] == [
        ("D-0001", "PRC.1", "Siap diunggah", None),
        ("D-0002", "PBJ.1", "Dikembalikan ke unit", "Belum diumumkan"),
    ]
    assert docs[1][7] and len(docs[1][7]) == 64  # the SHA-256 of the current version


def test_unit_staff_cannot_download_the_reports(world: World, busy_desk: Assessment) -> None:
    client = client_for(world.officer_a)
    for suffix in ("laporan.pdf", "unduh.xlsx"):
        assert client.get(f"/penilaian/meja/{busy_desk.public_id}/{suffix}").status_code == 403
