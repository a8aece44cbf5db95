"""The LKE pages: starting one, answering question by question on plain forms (a bad answer comes
back with its message and nothing stored), evidence, the survey results, the stage buttons, the
TPI's review beside the unit's answer, and the result as PDF and XLSX."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from integritas.assessments.models import LkeAnswer, LkeAssessment, LkeEvidence
from integritas.assessments.services import lke as lke_service
from integritas.assessments.tests.lke_fixtures import (
    answer_all,
    evidence_pdf,
    full_answers,
    shipped_lke,
    start,
    zi_wave,
)
from integritas.core.testing import World, client_for

pytestmark = pytest.mark.django_db


def test_a_unit_starts_its_lke_for_a_target(world: World) -> None:
    framework = shipped_lke()
    client = client_for(world.head_a, language="en")
    page = client.get("/penilaian/lke/")
    assert page.status_code == 200
    assert list(page.context["form"].fields["unit"].queryset) == [world.dinkes, world.puskesmas]
    response = client.post(
        "/penilaian/lke/", {"framework": framework.pk, "unit": world.dinkes.pk, "target": "WBK"}
    )
    lke = LkeAssessment.objects.get()
    assert (
        response.status_code == 302 and response["Location"] == f"/penilaian/lke/{lke.public_id}/"
    )
    again = client.post(
        "/penilaian/lke/", {"framework": framework.pk, "unit": world.dinkes.pk, "target": "WBK"}
    )
    assert again.status_code == 400
    assert "already has an LKE" in again.content.decode()


def test_another_unit_cannot_start_one_for_dinkes(world: World) -> None:
    framework = shipped_lke()
    response = client_for(world.officer_b, language="en").post(
        "/penilaian/lke/", {"framework": framework.pk, "unit": world.dinkes.pk, "target": "WBK"}
    )
    assert response.status_code == 400 and not LkeAssessment.objects.exists()


def test_answering_on_the_question_page_and_a_bad_answer_comes_back(world: World) -> None:
    lke = start(world)
    client = client_for(world.officer_a, language="en")
    url = f"/penilaian/lke/{lke.public_id}/soal/SDM.RF.3/"
    page = client.get(url)
    assert page.status_code == 200 and b"<script" not in page.content
    bad = client.post(url, {"part": "answer", "answer": "120"})
    assert bad.status_code == 400
    assert "120 is outside 0–100." in bad.content.decode()
    assert not LkeAnswer.objects.exists()
    good = client.post(url, {"part": "answer", "answer": "95", "next": "SDM.PM.1"})
    assert good["Location"].endswith("/soal/SDM.PM.1/")
    assert LkeAnswer.objects.get().answer == "95"
    choice = client.get(f"/penilaian/lke/{lke.public_id}/soal/MP.PM.2/").content.decode()
    assert 'type="radio"' in choice and "Fully met" in choice


def test_evidence_is_added_and_downloaded_through_the_policy(world: World) -> None:
    lke = start(world)
    client = client_for(world.officer_a, language="en")
    url = f"/penilaian/lke/{lke.public_id}/soal/MP.PM.1/"
    upload = evidence_pdf("sk-tim.pdf")
    assert (
        client.post(url, {"part": "evidence", "title": "SK Tim", "file": upload}).status_code == 302
    )
    evidence = LkeEvidence.objects.get()
    download = client.get(f"/penilaian/lke/bukti/{evidence.public_id}/")
    assert download.status_code == 200 and "sk-tim.pdf" in download["Content-Disposition"]
    assert (
        client_for(world.officer_b, language="en")
        .get(f"/penilaian/lke/bukti/{evidence.public_id}/")
        .status_code
        == 404
    )
    nothing = client.post(url, {"part": "evidence", "title": "Kosong"})
    assert nothing.status_code == 400 and "either a file or a link" in nothing.content.decode()


def test_the_survey_button_takes_the_indices(world: World) -> None:
    zi_wave(world, "zi_anticorruption", 3.66)
    lke = start(world)
    response = client_for(world.officer_a, language="en").post(
        f"/penilaian/lke/{lke.public_id}/survei/", follow=True
    )
    text = response.content.decode()
    assert "H.IPAK taken from" in text and "H.IPKP" in text
    assert LkeAnswer.objects.get(node__code="H.IPAK").answer == "3.66"


def test_the_whole_flow_on_the_pages(world: World) -> None:
    lke = start(world)
    answer_all(
        lke,
        world.officer_a,
        {**full_answers(lke.framework), "H.IPAK": "3.7", "H.IPKP": "3.1", "H.KIN": "90"},
    )
    unit = client_for(world.head_a, language="en")
    page = unit.get(f"/penilaian/lke/{lke.public_id}/").content.decode()
    assert 'value="submit"' in page
    assert "Service quality perception index" in page  # IPKP 3.1 < 3.2
    unit.post(f"/penilaian/lke/{lke.public_id}/langkah/", {"action": "submit"})
    lke.refresh_from_db()
    assert lke.stage == "submitted"
    tpi = client_for(world.inspector, language="en")
    question = f"/penilaian/lke/{lke.public_id}/soal/MP.RF.1/"
    assert "TPI review" in tpi.get(question).content.decode()
    assert "TPI review" not in unit.get(question).content.decode()
    tpi.post(
        question, {"part": "review", "verdict": "adjusted", "adjusted": "C", "note": "Sebagian"}
    )
    detail = tpi.get(f"/penilaian/lke/{lke.public_id}/").content.decode()
    assert "After TPI review" in detail
    refused = tpi.post(
        f"/penilaian/lke/{lke.public_id}/langkah/", {"action": "complete_review"}, follow=True
    )
    assert "not reviewed yet" in refused.content.decode()


def test_the_result_downloads_as_pdf_and_xlsx(world: World) -> None:
    lke = start(world)
    answer_all(
        lke,
        world.officer_a,
        {**full_answers(lke.framework), "H.IPAK": "3.6", "H.IPKP": "3.2", "H.KIN": "50"},
    )
    client = client_for(world.inspector, language="en")
    document = client.get(f"/penilaian/lke/{lke.public_id}/hasil.pdf")
    assert document.status_code == 200 and document.content.startswith(b"%PDF")
    sheet = client.get(f"/penilaian/lke/{lke.public_id}/hasil.xlsx")
    workbook = load_workbook(io.BytesIO(sheet.content))
    summary = [list(r) for r in workbook["summary"].iter_rows(values_only=True)]
    assert [None, "Total", 100, 92.25, 92.25] in summary
    questions = list(workbook["questions"].iter_rows(values_only=True))
    assert len(questions) == 1 + len(lke_service.questions(lke.framework))
