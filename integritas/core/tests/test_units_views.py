"""The unit pages: list with filters, pagination and export; detail; create; edit; import."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from openpyxl import load_workbook

from integritas.audit.models import Event
from integritas.core.imports.units import import_units
from integritas.core.models import Unit
from integritas.core.testing import body
from integritas.core.tests.conftest import World, client_for

UNDER_ITSELF = "A unit cannot be placed under itself or under one of its sub-units."
GOOD_CSV = "code,name,type,parent_code\nBAPPEDA,Badan Perencanaan,badan,\nBAPPEDA.SEK,Sekretariat Bappeda,bagian,BAPPEDA\n"


def seen(message: str, **values: Any) -> str:
    """``message`` as the page shows it to the personas, whose language is Indonesian."""
    with translation.override("id"):
        text = translation.gettext(message)
    return escape(text % values if values else text)


def unit_form_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "code": "BPKAD",
        "name": "Badan Pengelolaan Keuangan",
        "type": Unit.Type.AGENCY,
        "parent": "",
        "size_class": Unit.Size.LARGE,
        "head": "",
        "address": "Jl. Merdeka 1",
        "is_active": "on",
    }
    data.update(overrides)
    return data


def edit_data(unit: Unit, **overrides: Any) -> dict[str, Any]:
    """The edit form as the browser would submit it, unchanged except for ``overrides``."""
    current = {
        "code": unit.code,
        "name": unit.name,
        "type": unit.type,
        "parent": unit.parent_id or "",
        "size_class": unit.size_class,
        "head": unit.head_id or "",
        "address": unit.address,
    }
    return unit_form_data(**{**current, **overrides})


def csv_rows(body: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def xlsx_rows(body: bytes) -> list[list[Any]]:
    sheet = load_workbook(io.BytesIO(body), read_only=True).worksheets[0]
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def upload(content: bytes, name: str = "units.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="text/csv")


def add_offices(count: int) -> None:
    Unit.objects.bulk_create(
        Unit(code=f"KEC-{n:02d}", name=f"Kecamatan Nomor {n:02d}", type=Unit.Type.DISTRICT)
        for n in range(1, count + 1)
    )


# --- List --------------------------------------------------------------------------------------


def test_it_lists_every_active_unit_for_the_inspector(world: World) -> None:
    Unit.objects.create(
        code="DISHUB", name="Dinas Perhubungan", type=Unit.Type.OFFICE, is_active=False
    )

    response = client_for(world.inspector).get(reverse("core-unit-list"))

    assert response.status_code == 200
    codes = [u.code for u in response.context["page"].object_list]
    assert codes == ["DINKES", "DINKES.PKM", "DISDIK"]
    assert "Dinas Perhubungan" not in response.content.decode()


def test_it_lists_only_the_officers_unit_and_its_sub_units(world: World) -> None:
    response = client_for(world.officer_a).get(reverse("core-unit-list"))

    assert response.status_code == 200
    codes = [u.code for u in response.context["page"].object_list]
    assert codes == ["DINKES", "DINKES.PKM"]
    assert "DISDIK" not in response.content.decode()


def test_it_searches_code_and_name_without_regard_to_case(world: World) -> None:
    client = client_for(world.inspector)

    by_name = client.get(reverse("core-unit-list"), {"q": "pendidikan"})
    by_code = client.get(reverse("core-unit-list"), {"q": "pkm"})

    assert [u.code for u in by_name.context["page"].object_list] == ["DISDIK"]
    assert [u.code for u in by_code.context["page"].object_list] == ["DINKES.PKM"]


def test_it_filters_by_type(world: World) -> None:
    response = client_for(world.inspector).get(
        reverse("core-unit-list"), {"type": Unit.Type.TECHNICAL_UNIT}
    )

    assert [u.code for u in response.context["page"].object_list] == ["DINKES.PKM"]


def test_it_ignores_an_unknown_type(world: World) -> None:
    response = client_for(world.inspector).get(reverse("core-unit-list"), {"type": "castle"})

    assert response.status_code == 200
    assert response.context["page"].paginator.count == 3


def test_it_filters_by_status(world: World) -> None:
    Unit.objects.filter(code="DISDIK").update(is_active=False)
    client = client_for(world.inspector)

    inactive = client.get(reverse("core-unit-list"), {"status": "inactive"})
    everything = client.get(reverse("core-unit-list"), {"status": "all"})
    default = client.get(reverse("core-unit-list"))

    assert [u.code for u in inactive.context["page"].object_list] == ["DISDIK"]
    assert everything.context["page"].paginator.count == 3
    assert [u.code for u in default.context["page"].object_list] == ["DINKES", "DINKES.PKM"]


def test_it_shows_25_units_per_page_and_keeps_the_filters_in_the_page_links(world: World) -> None:
    add_offices(30)
    client = client_for(world.inspector)

    first = client.get(reverse("core-unit-list"), {"type": "district", "q": "kecamatan"})
    second = client.get(
        reverse("core-unit-list"), {"type": "district", "q": "kecamatan", "page": "2"}
    )

    assert len(first.context["page"].object_list) == 25
    assert first.context["page"].paginator.count == 30
    html = first.content.decode()
    assert 'href="?type=district&amp;q=kecamatan&amp;page=2"' in html
    assert 'href="?type=district&amp;q=kecamatan&amp;export=csv"' in html
    assert [u.code for u in second.context["page"].object_list] == [
        f"KEC-{n:02d}" for n in range(26, 31)
    ]
    assert 'href="?type=district&amp;q=kecamatan&amp;page=1"' in second.content.decode()


def test_it_exports_every_filtered_unit_as_csv_not_just_one_page(world: World) -> None:
    add_offices(30)

    response = client_for(world.inspector).get(
        reverse("core-unit-list"), {"type": "district", "export": "csv"}
    )

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="units-' in response["Content-Disposition"]
    rows = csv_rows(body(response))
    assert rows[0] == [
        "Kode",
        "Nama",
        "Jenis",
        "Kode unit kerja induk",
        "Klasifikasi ukuran",
        "NIP kepala",
        "Alamat",
        "Aktif",
        "Pegawai aktif",
    ]
    assert [row[0] for row in rows[1:]] == [f"KEC-{n:02d}" for n in range(1, 31)]


def test_it_exports_only_the_units_in_the_officers_scope_as_csv(world: World) -> None:
    response = client_for(world.officer_a).get(reverse("core-unit-list"), {"export": "csv"})

    data = body(response)
    rows = csv_rows(data)
    assert rows[1:] == [
        ["DINKES", "Dinas Kesehatan", "office", "", "", "", "", "yes", "2"],
        ["DINKES.PKM", "UPTD Puskesmas", "technical_unit", "DINKES", "", "", "", "yes", "0"],
    ]
    assert b"DISDIK" not in data


def test_it_exports_only_the_units_in_the_officers_scope_as_xlsx(world: World) -> None:
    world.dinkes.head = world.head_a
    world.head_a.nip = "199001012015031001"
    world.head_a.save()
    world.dinkes.save()

    response = client_for(world.officer_a).get(reverse("core-unit-list"), {"export": "xlsx"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = xlsx_rows(body(response))
    assert rows[0][0] == "Kode"
    assert [row[0] for row in rows[1:]] == ["DINKES", "DINKES.PKM"]
    assert rows[1][5] == "199001012015031001"
    assert not any("DISDIK" in str(cell) for row in rows for cell in row)


def test_it_escapes_unit_names_that_a_spreadsheet_would_run_as_a_formula(world: World) -> None:
    Unit.objects.filter(pk=world.puskesmas.pk).update(name="=HYPERLINK(1)")

    response = client_for(world.officer_a).get(reverse("core-unit-list"), {"export": "csv"})

    assert csv_rows(body(response))[2][1] == "'=HYPERLINK(1)"


# --- Detail ------------------------------------------------------------------------------------


def test_it_shows_a_unit_with_its_sub_units_and_its_history(world: World) -> None:
    admin = client_for(world.admin)
    admin.post(
        reverse("core-unit-edit", args=["DINKES"]),
        edit_data(world.dinkes, address="Jl. Sehat 5"),
    )

    response = client_for(world.inspector).get(reverse("core-unit", args=["DINKES"]))

    assert response.status_code == 200
    assert [c.code for c in response.context["children"]] == ["DINKES.PKM"]
    assert [e.action for e in response.context["history"]] == ["unit.updated"]
    html = response.content.decode()
    assert "UPTD Puskesmas" in html
    assert seen("Unit changed") in html
    assert "Jl. Sehat 5" in html


def test_it_shows_a_sub_unit_to_the_officer_of_its_parent(world: World) -> None:
    response = client_for(world.officer_a).get(reverse("core-unit", args=["DINKES.PKM"]))

    assert response.status_code == 200
    assert [a.code for a in response.context["ancestors"]] == ["DINKES"]


def test_it_hides_a_unit_outside_the_officers_scope(world: World) -> None:
    response = client_for(world.officer_a).get(reverse("core-unit", args=["DISDIK"]))

    assert response.status_code == 404


# --- Create ------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["admin", "inspector_general"])
def test_it_creates_a_unit_and_records_who_did_it(world: World, persona: str) -> None:
    user = world.personas()[persona]

    response = client_for(user).post(
        reverse("core-unit-create"), unit_form_data(code="bpkad", parent=world.dinkes.pk)
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("core-unit", args=["BPKAD"])
    unit = Unit.objects.get(code="BPKAD")
    assert (unit.name, unit.parent_id, unit.type) == (
        "Badan Pengelolaan Keuangan",
        world.dinkes.pk,
        "agency",
    )
    event = Event.objects.get(action="unit.created")
    assert (event.object_type, event.object_id, event.actor_id) == (
        "core.unit",
        str(unit.pk),
        user.pk,
    )
    assert event.changes["code"] == [None, "BPKAD"]
    assert event.changes["parent"] == [None, str(world.dinkes)]


@pytest.mark.parametrize("persona", ["leader", "officer_a", "inspector"])
def test_it_refuses_to_create_a_unit_for_roles_without_the_right(
    world: World, persona: str
) -> None:
    client = client_for(world.personas()[persona])

    page = client.get(reverse("core-unit-create"))
    response = client.post(reverse("core-unit-create"), unit_form_data())

    assert page.status_code == 403
    assert response.status_code == 403
    assert not Unit.objects.filter(code="BPKAD").exists()
    assert not Event.objects.filter(action="unit.created").exists()


def test_it_rejects_an_invalid_unit_code_and_saves_nothing(world: World) -> None:
    response = client_for(world.admin).post(
        reverse("core-unit-create"), unit_form_data(code="bad code!")
    )

    assert response.status_code == 400
    assert (
        seen(
            "A unit code uses capital letters, digits, dots and dashes, starts with a letter "
            "or digit, and has at most 30 characters."
        )
        in response.content.decode()
    )
    assert Unit.objects.count() == 3
    assert not Event.objects.filter(action="unit.created").exists()


def test_it_rejects_a_duplicate_unit_code_and_saves_nothing(world: World) -> None:
    response = client_for(world.admin).post(
        reverse("core-unit-create"), unit_form_data(code="dinkes", name="Another")
    )

    assert response.status_code == 400
    assert [e.code for e in response.context["form"].errors.as_data()["code"]] == ["unique"]
    assert Unit.objects.filter(code="DINKES").get().name == "Dinas Kesehatan"
    assert Unit.objects.count() == 3
    assert not Event.objects.filter(action="unit.created").exists()


# --- Edit --------------------------------------------------------------------------------------


def test_it_refuses_to_place_a_unit_under_its_own_sub_unit(world: World) -> None:
    response = client_for(world.admin).post(
        reverse("core-unit-edit", args=["DINKES"]),
        edit_data(world.dinkes, parent=world.puskesmas.pk, name="Renamed"),
    )

    assert response.status_code == 400
    assert seen(UNDER_ITSELF) in response.content.decode()
    world.dinkes.refresh_from_db()
    assert (world.dinkes.parent_id, world.dinkes.name) == (None, "Dinas Kesehatan")
    assert not Event.objects.filter(action="unit.updated").exists()


def test_it_refuses_to_make_a_unit_its_own_parent(world: World) -> None:
    response = client_for(world.admin).post(
        reverse("core-unit-edit", args=["DINKES"]), edit_data(world.dinkes, parent=world.dinkes.pk)
    )

    assert response.status_code == 400
    assert seen(UNDER_ITSELF) in response.content.decode()
    world.dinkes.refresh_from_db()
    assert world.dinkes.parent_id is None
    assert not Event.objects.filter(action="unit.updated").exists()


def test_it_renames_a_unit_and_records_the_old_and_new_name(world: World) -> None:
    response = client_for(world.inspector_general).post(
        reverse("core-unit-edit", args=["DINKES"]),
        edit_data(world.dinkes, name="Dinas Kesehatan dan KB"),
    )

    assert response.status_code == 302
    world.dinkes.refresh_from_db()
    assert world.dinkes.name == "Dinas Kesehatan dan KB"
    event = Event.objects.get(action="unit.updated")
    assert (event.object_type, event.object_id, event.actor_id) == (
        "core.unit",
        str(world.dinkes.pk),
        world.inspector_general.pk,
    )
    assert event.changes == {"name": ["Dinas Kesehatan", "Dinas Kesehatan dan KB"]}


def test_it_changes_a_units_code_and_redirects_to_the_new_address(world: World) -> None:
    response = client_for(world.admin).post(
        reverse("core-unit-edit", args=["DISDIK"]), edit_data(world.disdik, code="disdikbud")
    )

    assert response["Location"] == reverse("core-unit", args=["DISDIKBUD"])
    world.disdik.refresh_from_db()
    assert world.disdik.code == "DISDIKBUD"
    assert Event.objects.get(action="unit.updated").changes == {"code": ["DISDIK", "DISDIKBUD"]}


def test_it_writes_no_event_when_an_edit_changes_nothing(world: World) -> None:
    response = client_for(world.admin).post(
        reverse("core-unit-edit", args=["DINKES"]), edit_data(world.dinkes)
    )

    assert response.status_code == 302
    assert not Event.objects.filter(action="unit.updated").exists()


def test_it_refuses_the_edit_page_to_the_leader(world: World) -> None:
    client = client_for(world.leader)

    page = client.get(reverse("core-unit-edit", args=["DINKES"]))
    response = client.post(
        reverse("core-unit-edit", args=["DINKES"]), edit_data(world.dinkes, name="Hijacked")
    )

    assert (page.status_code, response.status_code) == (403, 403)
    world.dinkes.refresh_from_db()
    assert world.dinkes.name == "Dinas Kesehatan"
    assert not Event.objects.filter(action="unit.updated").exists()


def test_it_refuses_the_officer_edits_to_their_own_unit(world: World) -> None:
    response = client_for(world.officer_a).post(
        reverse("core-unit-edit", args=["DINKES"]), edit_data(world.dinkes, name="Hijacked")
    )

    assert response.status_code == 403
    world.dinkes.refresh_from_db()
    assert world.dinkes.name == "Dinas Kesehatan"


def test_it_hides_another_units_edit_page_from_an_officer(world: World) -> None:
    response = client_for(world.officer_b).post(
        reverse("core-unit-edit", args=["DINKES"]), edit_data(world.dinkes, name="Hijacked")
    )

    assert response.status_code == 404
    world.dinkes.refresh_from_db()
    assert world.dinkes.name == "Dinas Kesehatan"
    assert not Event.objects.filter(action="unit.updated").exists()


# --- Import ------------------------------------------------------------------------------------


def post_import(client: Client, content: bytes, **fields: Any) -> Any:
    return client.post(
        reverse("core-unit-import"), {"file": upload(content), **fields}, follow=False
    )


def test_it_imports_a_good_file_and_says_how_many_units_were_created(world: World) -> None:
    client = client_for(world.admin)

    response = post_import(client, GOOD_CSV.encode())

    assert response.status_code == 302
    assert response["Location"] == reverse("core-unit-list")
    page = client.get(response["Location"])
    assert (
        seen(
            "Import finished: %(created)d units created, %(updated)d updated.", created=2, updated=0
        )
        in page.content.decode()
    )
    child = Unit.objects.get(code="BAPPEDA.SEK")
    assert child.parent == Unit.objects.get(code="BAPPEDA")
    event = Event.objects.get(action="unit.imported")
    assert event.actor_id == world.admin.pk
    assert event.changes["created"] == ["BAPPEDA", "BAPPEDA.SEK"]


def test_it_shows_every_problem_with_its_row_number_and_saves_nothing(world: World) -> None:
    content = b"code,name,type\nOK-1,Fine Unit,dinas\nbad code!,Broken,dinas\nOK-2,,castle\n"

    response = post_import(client_for(world.admin), content)

    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="import-errors"' in html
    errors = {(e.row, e.column) for e in response.context["report"].errors}
    assert errors == {(3, "code"), (4, "name"), (4, "type")}
    assert "<td>3</td><td>code</td><td>bad code!</td>" in html
    assert "<td>4</td><td>type</td><td>castle</td>" in html
    assert Unit.objects.count() == 3
    assert not Event.objects.filter(action="unit.imported").exists()


def test_it_checks_a_file_without_saving_it_on_a_dry_run(world: World) -> None:
    response = post_import(client_for(world.admin), GOOD_CSV.encode(), dry_run="on")

    assert response.status_code == 200
    report = response.context["report"]
    assert (report.ok, report.created) == (True, 2)
    html = response.content.decode()
    assert 'class="message success"' in html
    assert 'id="import-errors"' not in html
    assert not Unit.objects.filter(code__startswith="BAPPEDA").exists()
    assert not Event.objects.filter(action="unit.imported").exists()


def test_it_refuses_a_file_over_the_upload_limit(world: World, settings: Any) -> None:
    settings.UPLOAD_MAX_BYTES = 1024 * 1024
    padding = "x" * (1024 * 1024)
    content = f"code,name,type,address\nBIG,Big Unit,dinas,{padding}\n".encode()

    response = post_import(client_for(world.admin), content)

    assert response.status_code == 400
    assert (
        seen("The file is larger than the limit of %(mb)d MB.", mb=1) in response.content.decode()
    )
    assert response.context["report"] is None
    assert not Unit.objects.filter(code="BIG").exists()
    assert not Event.objects.filter(action="unit.imported").exists()


@pytest.mark.parametrize("persona", ["leader", "inspector", "officer_a"])
def test_it_refuses_the_import_to_roles_without_the_right(world: World, persona: str) -> None:
    response = post_import(client_for(world.personas()[persona]), GOOD_CSV.encode())

    assert response.status_code == 403
    assert not Unit.objects.filter(code__startswith="BAPPEDA").exists()


def test_the_download_has_headers_in_the_readers_language(world: World) -> None:
    english = client_for(world.inspector, language="en").get(
        reverse("core-unit-list"), {"export": "csv"}
    )
    assert csv_rows(body(english))[0][:4] == ["Code", "Name", "Type", "Parent unit code"]


def test_a_download_goes_back_in_through_the_import(world: World) -> None:
    for language in ("id", "en"):
        download = client_for(world.admin, language=language).get(
            reverse("core-unit-list"), {"export": "xlsx"}
        )
        report = import_units(
            data=body(download), filename="units.xlsx", update_existing=True, dry_run=True
        )
        assert report.ok, report.errors
        assert report.total_rows == Unit.objects.count()
