"""The Inspectorate's framework pages: the list, the tree, import and export, copying into a new
year, activating and deleting a draft."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from integritas.assessments.models import Framework, FrameworkStatus
from integritas.assessments.services import framework_workbook, frameworks
from integritas.assessments.tests.conftest import make_framework
from integritas.audit.models import Event
from integritas.core.testing import World, client_for


def test_the_list_shows_frameworks_with_their_status_and_filters(world: World) -> None:
    make_framework(year=2025)
    make_framework(year=2026)
    client = client_for(world.inspector, language="id")
    page = client.get("/penilaian/kerangka/").content.decode()
    assert "LKE Zona Integritas 2025" in page and "LKE Zona Integritas 2026" in page
    assert "Draf" in page
    page = client.get("/penilaian/kerangka/", {"year": 2025}).content.decode()
    assert "LKE Zona Integritas 2026" not in page
    empty = client.get("/penilaian/kerangka/", {"year": 2030}).content.decode()
    assert "Tidak ada kerangka yang cocok dengan filter ini." in empty


def test_the_list_says_how_to_start_when_there_is_no_framework(world: World) -> None:
    page = client_for(world.inspector, language="en").get("/penilaian/kerangka/")
    assert "No framework yet. Upload the year's workbook to start." in page.content.decode()


def test_the_tree_shows_every_node_weight_and_method_and_the_thresholds(world: World) -> None:
    framework = make_framework()
    page = client_for(world.leader, language="en").get(
        f"/penilaian/kerangka/{framework.public_id}/"
    )
    text = page.content.decode()
    assert page.status_code == 200
    for words in (
        "Manajemen Perubahan",
        "Tim kerja telah dibentuk",
        "Tiered choices (A–E)",
        "Value 0–4",
        "4 documents",
        "WBK",
        "Wilayah Bebas dari Korupsi",
        "DINKES",
    ):
        assert words in text, words
    assert 'class="tree-depth-2"' in text
    assert 'class="badge band-red">Red</span>' in text  # the colour bands, with their bounds
    assert "Activate" not in text  # leadership reads only


def test_a_unit_officer_sees_no_framework(world: World) -> None:
    framework = make_framework()
    client = client_for(world.officer_a)
    assert client.get("/penilaian/kerangka/").status_code == 403
    assert client.get(f"/penilaian/kerangka/{framework.public_id}/").status_code == 404


def test_uploading_a_good_workbook_makes_a_draft_and_shows_it(world: World) -> None:
    data = framework_workbook.export(make_framework())
    client = client_for(world.inspector, language="en")
    response = client.post(
        "/penilaian/kerangka/impor/",
        {"file": SimpleUploadedFile("lke-2026.xlsx", data)},
    )
    new = Framework.objects.get(version=2)
    assert response.status_code == 302
    assert response["Location"] == f"/penilaian/kerangka/{new.public_id}/"
    assert new.status == FrameworkStatus.DRAFT


def test_a_bad_workbook_lists_every_problem_and_saves_nothing(world: World) -> None:
    framework = make_framework()
    book = load_workbook(io.BytesIO(framework_workbook.export(framework)))
    book["structure"]["F4"] = 11  # MP.1's weight: MP's children add up to 21
    book["structure"]["G5"] = "stars"  # MP.2's method
    buffer = io.BytesIO()
    book.save(buffer)
    response = client_for(world.inspector, language="en").post(
        "/penilaian/kerangka/impor/",
        {"file": SimpleUploadedFile("lke.xlsx", buffer.getvalue())},
    )
    text = response.content.decode()
    assert response.status_code == 400
    assert "The weights under MP add up to 21, not to its weight 20." in text
    assert "Unknown value “stars”." in text
    assert Framework.objects.count() == 1


def test_the_export_downloads_the_workbook(world: World) -> None:
    framework = make_framework()
    response = client_for(world.leader).get(f"/penilaian/kerangka/{framework.public_id}/unduh.xlsx")
    assert response.status_code == 200
    assert 'filename="lke-2026-v1.xlsx"' in response["Content-Disposition"]
    assert load_workbook(io.BytesIO(response.content)).sheetnames[:2] == ["settings", "structure"]


def test_a_new_year_starts_by_copying_last_years_framework(world: World) -> None:
    last = make_framework(year=2025)
    response = client_for(world.inspector).post(
        f"/penilaian/kerangka/{last.public_id}/salin/", {"year": 2026}
    )
    copy = Framework.objects.get(year=2026)
    assert response.status_code == 302
    assert (copy.version, copy.status, copy.copied_from) == (1, FrameworkStatus.DRAFT, last)
    assert copy.title == "LKE Zona Integritas 2026"
    before, after = frameworks.framework_data(last), frameworks.framework_data(copy)
    assert (after.nodes, after.threshold_sets) == (before.nodes, before.threshold_sets)
    event = Event.objects.get(action="assessments.framework_copied")
    assert event.object_id == str(copy.pk) and event.actor == world.inspector


def test_copying_needs_a_year(world: World) -> None:
    last = make_framework(year=2025)
    response = client_for(world.inspector).post(f"/penilaian/kerangka/{last.public_id}/salin/", {})
    assert response.status_code == 400
    assert Framework.objects.count() == 1


def test_activating_a_draft_retires_the_framework_active_before(world: World) -> None:
    first = make_framework()
    frameworks.activate(framework=first, by=world.inspector)
    second = make_framework()
    response = client_for(world.inspector).post(f"/penilaian/kerangka/{second.public_id}/aktifkan/")
    assert response.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (FrameworkStatus.RETIRED, FrameworkStatus.ACTIVE)
    assert Event.objects.filter(action="assessments.framework_activated").count() == 2


def test_an_active_framework_cannot_be_deleted_or_activated_again(world: World) -> None:
    framework = make_framework()
    frameworks.activate(framework=framework, by=world.inspector)
    client = client_for(world.inspector, language="en")
    response = client.post(f"/penilaian/kerangka/{framework.public_id}/hapus/")
    assert (
        response.status_code == 400 and "Only a draft can be deleted." in response.content.decode()
    )
    response = client.post(f"/penilaian/kerangka/{framework.public_id}/aktifkan/")
    assert response.status_code == 400
    assert Framework.objects.filter(pk=framework.pk).exists()


def test_a_draft_can_be_deleted_and_the_deletion_is_audited(world: World) -> None:
    framework = make_framework()
    response = client_for(world.inspector).post(f"/penilaian/kerangka/{framework.public_id}/hapus/")
    assert response.status_code == 302 and not Framework.objects.exists()
    assert Event.objects.filter(action="assessments.framework_deleted").exists()


def test_the_menu_shows_assessments_to_the_inspectorate_and_leadership_only(world: World) -> None:
    for user, shown in ((world.inspector, True), (world.leader, True), (world.officer_a, False)):
        page = client_for(user, language="id").get("/").content.decode()
        assert ('href="/penilaian/kerangka/"' in page) is shown, user
