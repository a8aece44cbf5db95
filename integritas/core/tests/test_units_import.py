from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from integritas.audit.context import acting_as
from integritas.audit.models import Event
from integritas.core.imports.units import UNIT_IMPORT_COLUMNS, ImportReport, import_units
from integritas.core.models import Unit, User
from integritas.lib.imports import RowError

HEAD_NIP = "199001012015031001"
OTHER_VALID_NIP = "198512312010122002"  # well formed, but nobody has it
RETIRED_NIP = "197001012000011003"

pytestmark = pytest.mark.django_db


def csv_file(*lines: str, encoding: str = "utf-8") -> bytes:
    return ("\n".join(lines) + "\n").encode(encoding)


def xlsx_file(rows: list[list[object]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def places(report: ImportReport) -> set[tuple[int, str]]:
    return {(error.row, error.column) for error in report.errors}


def error_at(report: ImportReport, row: int, field: str) -> RowError:
    matches = [e for e in report.errors if e.row == row and e.column == field]
    assert len(matches) == 1, report.errors
    return matches[0]


@pytest.fixture
def head() -> User:
    return User.objects.create_user(
        username="kepala", password="x", name="Siti Rahayu", nip=HEAD_NIP, email="siti@example.id"
    )


@pytest.fixture
def retired() -> User:
    return User.objects.create_user(
        username="pensiun", password="x", name="Budi", nip=RETIRED_NIP, is_active=False
    )


@pytest.fixture
def secretariat() -> Unit:
    return Unit.objects.create(code="SETDA", name="Sekretariat Daerah", type=Unit.Type.SECRETARIAT)


# --- Success -----------------------------------------------------------------------------------


def test_it_creates_units_from_csv_with_children_listed_before_parents(head: User) -> None:
    data = csv_file(
        "code,name,type,parent_code,size_class,address,head_nip,active",
        "kel-01,Kelurahan Cikini,Kelurahan,KEC-01,kecil,Jl. Cikini Raya 1,,ya",
        "KEC-01,Kecamatan Menteng,kecamatan,,sedang,,,",
        f"DINKES,Dinas Kesehatan,Dinas,,BESAR,,{HEAD_NIP},tidak",
        "UPT-LAB,UPTD Laboratorium,uptd,DINKES,small,,,1",
        "RSUD,RSUD Kota,RSUD,DINKES,Medium,,,true",
    )

    report = import_units(data=data, filename="units.csv")

    assert report.ok, report.errors
    assert (report.created, report.updated, report.total_rows) == (5, 0, 5)
    kelurahan = Unit.objects.get(code="KEL-01")
    assert kelurahan.name == "Kelurahan Cikini"
    assert kelurahan.type == Unit.Type.SUBDISTRICT
    assert kelurahan.parent == Unit.objects.get(code="KEC-01")
    assert kelurahan.size_class == Unit.Size.SMALL
    assert kelurahan.address == "Jl. Cikini Raya 1"
    assert kelurahan.is_active
    dinkes = Unit.objects.get(code="DINKES")
    assert (dinkes.type, dinkes.size_class, dinkes.head, dinkes.is_active) == (
        Unit.Type.OFFICE,
        Unit.Size.LARGE,
        head,
        False,
    )
    assert dinkes.parent is None
    assert Unit.objects.get(code="KEC-01").is_active
    assert Unit.objects.get(code="UPT-LAB").type == Unit.Type.TECHNICAL_UNIT
    assert Unit.objects.get(code="RSUD").parent == dinkes


def test_it_records_one_audit_event_summarising_the_import() -> None:
    data = csv_file(
        "code,name,type,parent_code", "B,Bagian Umum,bagian,A", "A,Sekretariat,sekretariat,"
    )

    with acting_as(label="admin test"):
        import_units(data=data, filename="units.csv")

    event = Event.objects.get()
    assert event.action == "unit.imported"
    assert event.object_type == "core.unit"
    assert event.object_label == "units.csv"
    assert event.actor_label == "admin test"
    assert event.changes["created"] == ["A", "B"]
    assert event.changes["updated"] == {}
    assert event.changes["rows"] == 2


def test_it_creates_units_from_xlsx_with_children_listed_before_parents() -> None:
    data = xlsx_file(
        [
            ["Code", "Name", "Type", "Parent_Code", "Active"],
            ["SUB-2", "Sub Bagian Dua", "other", "BAG-1", "no"],
            ["BAG-1", "Bagian Satu", "division", "SETDA", None],
            ["SETDA", "Sekretariat Daerah", "Secretariat", None, True],
        ]
    )

    report = import_units(data=data, filename="units.xlsx")

    assert report.ok, report.errors
    assert report.created == 3
    assert Unit.objects.get(code="SUB-2").parent == Unit.objects.get(code="BAG-1")
    assert Unit.objects.get(code="BAG-1").parent == Unit.objects.get(code="SETDA")
    assert not Unit.objects.get(code="SUB-2").is_active
    assert Unit.objects.get(code="SETDA").is_active
    assert Event.objects.filter(action="unit.imported").count() == 1


def test_it_accepts_semicolons_and_headers_written_as_words() -> None:
    data = csv_file(
        "Code;Name;Type;Parent Code;Size class",
        "BAPPEDA;Badan Perencanaan;badan;;",
        "BID-1;Bidang Satu;Other;bappeda;",
        encoding="cp1252",
    )

    report = import_units(data=data, filename="units.csv")

    assert report.ok, report.errors
    assert Unit.objects.get(code="BID-1").parent == Unit.objects.get(code="BAPPEDA")


def test_it_reads_windows_1252_files() -> None:
    data = csv_file("code,name,type", "KEL-02,Kelurahan Cikini — é,kelurahan", encoding="cp1252")

    report = import_units(data=data, filename="units.csv")

    assert report.ok, report.errors
    assert Unit.objects.get(code="KEL-02").name == "Kelurahan Cikini — é"


def test_it_attaches_new_units_to_saved_parents(secretariat: Unit) -> None:
    data = csv_file("code,name,type,parent_code", "BAG-UMUM,Bagian Umum,bagian,setda")

    report = import_units(data=data, filename="units.csv")

    assert report.ok, report.errors
    assert Unit.objects.get(code="BAG-UMUM").parent == secretariat


# --- Rejected files: nothing is saved ----------------------------------------------------------


def assert_nothing_saved(before: int) -> None:
    assert Unit.objects.count() == before
    assert not Event.objects.filter(action="unit.imported").exists()


def test_it_reports_every_bad_cell_and_saves_nothing(secretariat: Unit, retired: User) -> None:
    before = Unit.objects.count()
    data = csv_file(
        "code,name,type,parent_code,size_class,address,head_nip,active",
        "GOOD,Unit Baik,other,,,,,",  # row 2 is fine
        "bad code!,Unit,other,,,,,",  # row 3
        "NONAME,,other,,,,,",  # row 4
        "TYPE,Unit,kantor,,,,,",  # row 5
        "ORPHAN,Unit,other,NOWHERE,,,,",  # row 6
        "GOOD,Unit Lagi,other,,,,,",  # row 7
        "SETDA,Sekretariat,sekretariat,,,,,",  # row 8
        f"HEAD,Unit,other,,,,{OTHER_VALID_NIP},",  # row 9
        "HEAD2,Unit,other,,,,12345,",  # row 10
        f"HEAD3,Unit,other,,,,{RETIRED_NIP},",  # row 11
        "SIZE,Unit,other,,huge,,,",  # row 12
        "ACTIVE,Unit,other,,,,,maybe",  # row 13
        f"LONG,{'n' * 201},other,,,{'a' * 301},,",  # row 14
        "SELF,Unit,other,SELF,,,,",  # row 15
        ",Unit,,,,,,",  # row 16
    )

    report = import_units(data=data, filename="units.csv")

    assert not report.ok
    assert report.created == report.updated == 0
    assert report.total_rows == 15
    assert places(report) == {
        (3, "code"),
        (4, "name"),
        (5, "type"),
        (6, "parent_code"),
        (7, "code"),
        (8, "code"),
        (9, "head_nip"),
        (10, "head_nip"),
        (11, "head_nip"),
        (12, "size_class"),
        (13, "active"),
        (14, "name"),
        (14, "address"),
        (15, "parent_code"),
        (16, "code"),
        (16, "type"),
    }
    assert [error.row for error in report.errors] == sorted(error.row for error in report.errors)
    assert error_at(report, 3, "code").value == "bad code!"
    assert error_at(report, 5, "type").value == "kantor"
    assert "NOWHERE" in error_at(report, 6, "parent_code").message
    assert "row 2" in error_at(report, 7, "code").message
    assert "already exists" in error_at(report, 8, "code").message
    assert OTHER_VALID_NIP in error_at(report, 9, "head_nip").message
    assert "18 digits" in error_at(report, 10, "head_nip").message
    assert "deactivated" in error_at(report, 11, "head_nip").message
    assert "201" in error_at(report, 14, "name").message
    assert "own parent" in error_at(report, 15, "parent_code").message
    assert_nothing_saved(before)


def test_it_rejects_a_cycle_within_the_file_and_names_the_rows() -> None:
    data = csv_file(
        "code,name,type,parent_code",
        "ROOT,Root,other,",
        "A,Unit A,other,C",
        "B,Unit B,other,A",
        "C,Unit C,other,B",
        "D,Unit D,other,C",  # under the loop, but not part of it
    )

    report = import_units(data=data, filename="units.csv")

    assert places(report) == {(3, "parent_code"), (4, "parent_code"), (5, "parent_code")}
    message = error_at(report, 3, "parent_code").message
    assert "A (row 3)" in message and "B (row 4)" in message and "C (row 5)" in message
    assert_nothing_saved(0)


def test_it_rejects_a_cycle_made_by_updating_saved_units(secretariat: Unit) -> None:
    child = Unit.objects.create(
        code="BAG-1", name="Bagian", type=Unit.Type.DIVISION, parent=secretariat
    )
    data = csv_file("code,name,type,parent_code", "SETDA,Sekretariat Daerah,sekretariat,BAG-1")

    report = import_units(data=data, filename="units.csv", update_existing=True)

    error = error_at(report, 2, "parent_code")
    assert "SETDA (row 2)" in error.message
    assert "BAG-1 (already saved)" in error.message
    secretariat.refresh_from_db()
    assert secretariat.parent is None
    child.refresh_from_db()
    assert child.parent == secretariat
    assert not Event.objects.exists()


def test_it_accepts_swapping_parent_and_child_in_one_update(secretariat: Unit) -> None:
    Unit.objects.create(code="BAG-1", name="Bagian", type=Unit.Type.DIVISION, parent=secretariat)
    data = csv_file(
        "code,name,type,parent_code",
        "SETDA,Sekretariat Daerah,sekretariat,BAG-1",
        "BAG-1,Bagian,bagian,",
    )

    report = import_units(data=data, filename="units.csv", update_existing=True)

    assert report.ok, report.errors
    assert Unit.objects.get(code="SETDA").parent == Unit.objects.get(code="BAG-1")
    assert Unit.objects.get(code="BAG-1").parent is None


def test_it_reports_unknown_columns_on_the_header_row_and_still_checks_rows() -> None:
    data = csv_file("code,name,type,colour", "A,Unit A,nonsense,red")

    report = import_units(data=data, filename="units.csv")

    assert places(report) == {(1, "colour"), (2, "type")}
    assert "code, name, type" in error_at(report, 1, "colour").message
    assert_nothing_saved(0)


def test_it_reports_missing_required_columns_in_one_error() -> None:
    data = csv_file("code,address", "A,Jl. Satu")

    report = import_units(data=data, filename="units.csv")

    assert len(report.errors) == 1
    assert report.errors[0].row == 1
    assert report.errors[0].column == "name, type"
    assert "name, type" in report.errors[0].message
    assert_nothing_saved(0)


def test_it_reports_a_file_without_units() -> None:
    report = import_units(data=csv_file("code,name,type"), filename="units.csv")

    assert [(e.row, e.column) for e in report.errors] == [(0, "")]
    assert_nothing_saved(0)


@pytest.mark.parametrize(
    ("data", "filename", "words"),
    [
        (b"code,name,type\nA,\x81\x8d,other\n", "units.csv", "encoding"),
        (b"%PDF-1.7\n1 0 obj\n", "units.pdf", "CSV"),
        (b"PK\x03\x04 broken archive", "units.xlsx", ".xlsx"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100), "units.xls", ".xlsx"),
        (b"", "units.csv", "empty"),
        (b"code,name,code\n", "units.csv", "code"),
    ],
)
def test_it_reports_unreadable_files_as_one_error(data: bytes, filename: str, words: str) -> None:
    report = import_units(data=data, filename=filename)

    assert len(report.errors) == 1
    error = report.errors[0]
    assert (error.row, error.column, error.value) == (0, "", "")
    assert words in error.message
    assert report.total_rows == 0
    assert_nothing_saved(0)


# --- Updating and dry runs ---------------------------------------------------------------------


def test_it_updates_existing_units_when_asked(secretariat: Unit, head: User) -> None:
    office = Unit.objects.create(
        code="DISDIK", name="Dinas Pendidikan", type=Unit.Type.OFFICE, address="Jl. Lama", head=head
    )
    data = csv_file(
        "code,name,type,parent_code,head_nip",
        "disdik,Dinas Pendidikan dan Kebudayaan,dinas,SETDA,",
        "SETDA,Sekretariat Daerah,sekretariat,,",
        "BARU,Unit Baru,lainnya,DISDIK,",
    )

    report = import_units(data=data, filename="units.csv", update_existing=True)

    assert report.ok, report.errors
    assert (report.created, report.updated, report.unchanged) == (1, 1, 1)
    assert report.created_codes == ["BARU"]
    assert report.updated_codes == ["DISDIK"]
    office.refresh_from_db()
    assert office.name == "Dinas Pendidikan dan Kebudayaan"
    assert office.parent == secretariat
    assert office.head is None
    # The address column is not in the file, so the saved address stays.
    assert office.address == "Jl. Lama"
    assert Unit.objects.get(code="BARU").parent == office
    event = Event.objects.get(action="unit.imported")
    assert event.changes["created"] == ["BARU"]
    assert event.changes["updated"] == {
        "DISDIK": {
            "head": [HEAD_NIP, None],
            "name": ["Dinas Pendidikan", "Dinas Pendidikan dan Kebudayaan"],
            "parent": [None, "SETDA"],
        }
    }
    assert event.changes["unchanged"] == 1


def test_it_refuses_existing_codes_without_the_update_flag(secretariat: Unit) -> None:
    data = csv_file("code,name,type", "SETDA,Nama Baru,sekretariat", "NEW,Unit Baru,other")

    report = import_units(data=data, filename="units.csv")

    assert places(report) == {(2, "code")}
    secretariat.refresh_from_db()
    assert secretariat.name == "Sekretariat Daerah"
    assert_nothing_saved(1)


def test_it_writes_nothing_in_a_dry_run(secretariat: Unit) -> None:
    data = csv_file(
        "code,name,type,parent_code",
        "SETDA,Sekretariat Daerah Kota,sekretariat,",
        "BAG-1,Bagian Satu,bagian,SETDA",
        "BAG-2,Bagian Dua,bagian,BAG-1",
    )

    report = import_units(data=data, filename="units.csv", update_existing=True, dry_run=True)

    assert report.ok, report.errors
    assert (report.created, report.updated, report.unchanged) == (2, 1, 0)
    assert report.created_codes == ["BAG-1", "BAG-2"]
    assert report.updated_codes == ["SETDA"]
    secretariat.refresh_from_db()
    assert secretariat.name == "Sekretariat Daerah"
    assert_nothing_saved(1)


def test_it_checks_everything_in_a_dry_run() -> None:
    data = csv_file("code,name,type,parent_code", "A,Unit A,other,B", "B,Unit B,other,A")

    report = import_units(data=data, filename="units.csv", dry_run=True)

    assert places(report) == {(2, "parent_code"), (3, "parent_code")}
    assert_nothing_saved(0)


def test_it_describes_every_column_for_the_import_page() -> None:
    assert [column.name for column in UNIT_IMPORT_COLUMNS] == [
        "code",
        "name",
        "type",
        "parent_code",
        "size_class",
        "address",
        "head_nip",
        "active",
    ]
    assert [column.name for column in UNIT_IMPORT_COLUMNS if column.required] == [
        "code",
        "name",
        "type",
    ]
    assert all(str(column.help) for column in UNIT_IMPORT_COLUMNS)
