"""Import work units from a CSV or XLSX file prepared in a spreadsheet program.

The import is all or nothing: every row is checked first and every problem is reported with its
row number, column and value, so the user can fix the whole file in one pass. Only a file without
a single problem is written, in one transaction with one audit event.

When an existing unit is updated, the row replaces the unit's values for the columns present in
the file (an empty ``parent_code`` makes it a top-level unit, an empty ``head_nip`` removes the
head); columns left out of the file leave those values unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from integritas import audit
from integritas.audit.services import changes_between
from integritas.core.models import Unit, User
from integritas.core.validators import nip_problem, validate_unit_code
from integritas.lib.imports import (
    Cells,
    Column,
    Importer,
    header_key,
    read_or_report,
    run_import,
)
from integritas.lib.imports import ImportReport as BaseReport

UNIT_IMPORT_COLUMNS: list[Column] = [
    Column(
        "code",
        True,
        gettext_lazy("Short unit code: capital letters, digits, dots and dashes."),
        ("kode", "kode_unit"),
    ),
    Column(
        "name",
        True,
        gettext_lazy("Full name of the unit, at most 200 characters."),
        ("nama", "nama_unit"),
    ),
    Column(
        "type",
        True,
        gettext_lazy(
            "secretariat, inspectorate, agency, office, division, district, subdistrict, "
            "technical_unit, hospital or other; the Indonesian words sekretariat, inspektorat, "
            "badan, dinas, bagian, kecamatan, kelurahan, uptd, rsud and lainnya work too."
        ),
        ("jenis", "jenis_unit"),
    ),
    Column(
        "parent_code",
        False,
        gettext_lazy(
            "Code of the unit above this one, in this file or already saved; empty for a top-level unit."
        ),
        ("kode_induk", "induk"),
    ),
    Column(
        "size_class",
        False,
        gettext_lazy("large, medium or small (besar, sedang, kecil)."),
        ("ukuran",),
    ),
    Column("address", False, gettext_lazy("Postal address, at most 300 characters."), ("alamat",)),
    Column(
        "head_nip",
        False,
        gettext_lazy("NIP of the head of the unit, who must already have an account."),
        ("nip_kepala",),
    ),
    Column(
        "active",
        False,
        gettext_lazy("yes or no (ya, tidak, 1, 0, true, false); yes when empty."),
        ("aktif",),
    ),
]

_NAME_MAX = Unit._meta.get_field("name").max_length or 200
_ADDRESS_MAX = Unit._meta.get_field("address").max_length or 300

_TYPE_WORDS: dict[str, str] = {value: value for value in Unit.Type.values} | {
    "sekretariat": Unit.Type.SECRETARIAT,
    "inspektorat": Unit.Type.INSPECTORATE,
    "badan": Unit.Type.AGENCY,
    "dinas": Unit.Type.OFFICE,
    "bagian": Unit.Type.DIVISION,
    "kecamatan": Unit.Type.DISTRICT,
    "kelurahan": Unit.Type.SUBDISTRICT,
    "uptd": Unit.Type.TECHNICAL_UNIT,
    "rsud": Unit.Type.HOSPITAL,
    "lainnya": Unit.Type.OTHER,
    "sub_district": Unit.Type.SUBDISTRICT,
}
_SIZE_WORDS: dict[str, str] = {value: value for value in Unit.Size.values} | {
    "besar": Unit.Size.LARGE,
    "sedang": Unit.Size.MEDIUM,
    "kecil": Unit.Size.SMALL,
}
_ACTIVE_WORDS: dict[str, bool] = {
    "yes": True,
    "ya": True,
    "1": True,
    "true": True,
    "no": False,
    "tidak": False,
    "0": False,
    "false": False,
}


@dataclass
class ImportReport(BaseReport):
    """What happened, or would happen in a dry run; nothing is written when there are errors."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0  # existing units whose row matched what is already saved
    created_codes: list[str] = field(default_factory=list)
    updated_codes: list[str] = field(default_factory=list)


@dataclass
class _UnitRow:
    """One row's cleaned values; ``present`` lists the optional columns the file provides."""

    number: int
    code: str
    name: str = ""
    type: str = ""
    parent_code: str = ""
    size_class: str = ""
    address: str = ""
    head_nip: str = ""
    is_active: bool = True
    present: frozenset[str] = frozenset()
    code_ok: bool = True  # the code itself is usable, so other rows may refer to it


def _parse_row(cells: Cells) -> _UnitRow:
    """Clean one row's cells, reporting every cell that is not acceptable."""
    cell, fail = cells.get, cells.fail
    parsed = _UnitRow(
        number=cells.number, code=cell("code").upper(), present=frozenset(cells.headers)
    )

    if not parsed.code:
        fail("code", "", _("The code is required."))
        parsed.code_ok = False
    else:
        try:
            validate_unit_code(parsed.code)
        except ValidationError as exc:
            fail("code", cell("code"), " ".join(exc.messages))
            parsed.code_ok = False

    parsed.name = cell("name")
    if not parsed.name:
        fail("name", "", _("The name is required."))
    elif len(parsed.name) > _NAME_MAX:
        fail(
            "name",
            parsed.name,
            _("The name has %(count)d characters; at most %(max)d are allowed.")
            % {"count": len(parsed.name), "max": _NAME_MAX},
        )

    raw_type = cell("type")
    if not raw_type:
        fail("type", "", _("The type is required."))
    elif header_key(raw_type) not in _TYPE_WORDS:
        fail(
            "type",
            raw_type,
            _("Unknown unit type. Use one of: %(choices)s.")
            % {"choices": ", ".join(Unit.Type.values)},
        )
    else:
        parsed.type = _TYPE_WORDS[header_key(raw_type)]

    parsed.parent_code = cell("parent_code").upper()

    raw_size = cell("size_class")
    if raw_size:
        if raw_size.lower() in _SIZE_WORDS:
            parsed.size_class = _SIZE_WORDS[raw_size.lower()]
        else:
            fail("size_class", raw_size, _("Use large, medium or small (besar, sedang, kecil)."))

    parsed.address = cell("address")
    if len(parsed.address) > _ADDRESS_MAX:
        fail(
            "address",
            parsed.address,
            _("The address has %(count)d characters; at most %(max)d are allowed.")
            % {"count": len(parsed.address), "max": _ADDRESS_MAX},
        )

    parsed.head_nip = cell("head_nip")

    raw_active = cell("active")
    if raw_active:
        if raw_active.lower() in _ACTIVE_WORDS:
            parsed.is_active = _ACTIVE_WORDS[raw_active.lower()]
        else:
            fail("active", raw_active, _("Use yes or no (ya or tidak)."))
    return parsed


def _find_cycles(parents: dict[str, str | None], starts: list[str]) -> list[list[str]]:
    """Each distinct cycle reachable by walking up from ``starts``, as a list of codes."""
    cycles: list[list[str]] = []
    in_a_cycle: set[str] = set()
    for start in starts:
        path: list[str] = []
        position: dict[str, int] = {}
        node: str | None = start
        while node is not None and node not in position and node not in in_a_cycle:
            position[node] = len(path)
            path.append(node)
            node = parents.get(node)
        if node is not None and node in position:
            cycle = path[position[node] :]
            cycles.append(cycle)
            in_a_cycle.update(cycle)
    return cycles


def _creation_order(rows: list[_UnitRow], codes_in_file: set[str]) -> list[_UnitRow]:
    """Rows with every parent from the file before its children (the tree has no cycles)."""
    by_code = {row.code: row for row in rows}
    ordered: list[_UnitRow] = []
    placed: set[str] = set()
    for row in rows:
        chain: list[_UnitRow] = []
        current: _UnitRow | None = row
        while current is not None and current.code not in placed:
            chain.append(current)
            placed.add(current.code)
            parent = current.parent_code if "parent_code" in current.present else ""
            current = by_code.get(parent) if parent in codes_in_file else None
        ordered.extend(reversed(chain))
    return ordered


def import_units(
    *, data: bytes, filename: str, update_existing: bool = False, dry_run: bool = False
) -> ImportReport:
    """Check every row of a unit file and, when nothing is wrong, create and update the units.

    With ``dry_run`` the file is checked the same way and the report says what would be created
    and updated, but nothing is written.
    """
    report = ImportReport()
    units = _UnitImport(report=report, filename=filename, update_existing=update_existing)
    importer: Importer[_UnitRow, ImportReport] = Importer(
        columns=UNIT_IMPORT_COLUMNS,
        parse_row=_parse_row,
        check=units.check,
        apply=lambda rows: units.apply(rows, write=True),
        preview=lambda rows: units.apply(rows, write=False),
        empty_message=gettext_lazy("The file has no units below the header row."),
        strict_headers=False,
        ignored=("staff",),  # the download's count of active staff
    )
    return run_import(
        table=read_or_report(data, filename, report),
        report=report,
        importer=importer,
        write=not dry_run,
    )


class _UnitImport:
    """The checks across rows (codes, heads, parents) and the saving of one unit file."""

    def __init__(self, *, report: ImportReport, filename: str, update_existing: bool) -> None:
        self.report = report
        self.filename = filename
        self.update_existing = update_existing
        self.existing: dict[str, Unit] = {}
        self.users: dict[str | None, User] = {}

    def check(self, parsed: list[_UnitRow]) -> None:
        """Report what no single row shows; keep only the first row of each code."""
        fail = self.report.fail
        # Codes: unique within the file, and new unless updating is allowed.
        first_row: dict[str, int] = {}
        for row in parsed:
            if not row.code_ok:
                continue
            if row.code in first_row:
                message = _("The code %(code)s already appears in row %(row)d.") % {
                    "code": row.code,
                    "row": first_row[row.code],
                }
                fail(row.number, "code", row.code, message)
            else:
                first_row[row.code] = row.number
        file_codes = set(first_row)
        self.existing = existing = {
            unit.code: unit
            for unit in Unit.objects.filter(code__in=file_codes).select_related("parent", "head")
        }
        if not self.update_existing:
            for row in parsed:
                if row.code in existing and first_row.get(row.code) == row.number:
                    message = _(
                        "A unit with the code %(code)s already exists. Remove the row, or "
                        "choose to update existing units."
                    ) % {"code": row.code}
                    fail(row.number, "code", row.code, message)

        # Heads: an existing, active account with that NIP.
        nips = {row.head_nip for row in parsed if row.head_nip}
        self.users = users = {user.nip: user for user in User.objects.filter(nip__in=nips)}
        for row in parsed:
            if not row.head_nip:
                continue
            user = users.get(row.head_nip)
            if user is None:
                problem = nip_problem(row.head_nip)
                message = problem or _("No user account has the NIP %(nip)s.") % {
                    "nip": row.head_nip
                }
            elif not user.is_active:
                message = _("The account with the NIP %(nip)s is deactivated.") % {
                    "nip": row.head_nip
                }
            else:
                continue
            fail(row.number, "head_nip", row.head_nip, message)

        # Parents: known, not the unit itself, and no cycles once the file is applied.
        saved_parents: dict[str, str | None] = dict(
            Unit.objects.values_list("code", "parent__code")
        )
        known_codes = file_codes | set(saved_parents)
        parents = dict(saved_parents)
        unit_rows = {row.code: row for row in parsed if first_row.get(row.code) == row.number}
        for row in unit_rows.values():
            if "parent_code" not in row.present:
                parents.setdefault(row.code, None)
                continue
            parents[row.code] = None
            if not row.parent_code:
                continue
            if row.parent_code == row.code:
                message = _("A unit cannot be its own parent.")
            elif row.parent_code not in known_codes:
                message = _("No unit has the code %(code)s, in this file or already saved.") % {
                    "code": row.parent_code
                }
            else:
                parents[row.code] = row.parent_code
                continue
            fail(row.number, "parent_code", row.parent_code, message)
        starts = sorted(unit_rows, key=lambda code: unit_rows[code].number)
        for cycle in _find_cycles(parents, starts):
            described = " → ".join(
                _("%(code)s (row %(row)d)") % {"code": code, "row": unit_rows[code].number}
                if code in unit_rows
                else _("%(code)s (already saved)") % {"code": code}
                for code in [*cycle, cycle[0]]
            )
            for code in cycle:
                if code in unit_rows:
                    row = unit_rows[code]
                    message = _("These parent codes form a loop: %(cycle)s.") % {"cycle": described}
                    fail(row.number, "parent_code", row.parent_code, message)
        parsed[:] = unit_rows.values()

    def apply(self, rows: list[_UnitRow], *, write: bool) -> None:
        """Create and update units from checked rows, parents first, and record one audit event.

        Without ``write`` the same changes are worked out on unsaved objects, for a dry run.
        """
        report, existing, users = self.report, self.existing, self.users
        created: list[str] = []
        updated: dict[str, dict[str, list[Any]]] = {}
        unchanged = 0
        file_codes = {row.code for row in rows}
        outside_parents = {row.parent_code for row in rows if row.parent_code} - file_codes
        units = {unit.code: unit for unit in Unit.objects.filter(code__in=outside_parents)}
        for row in _creation_order(rows, file_codes):
            unit = existing.get(row.code) or Unit(code=row.code)
            before = _state(unit) if unit.pk else {}
            unit.name, unit.type = row.name, row.type
            if "parent_code" in row.present:
                unit.parent = units[row.parent_code] if row.parent_code else None
            if "size_class" in row.present:
                unit.size_class = row.size_class
            if "address" in row.present:
                unit.address = row.address
            if "head_nip" in row.present:
                unit.head = users[row.head_nip] if row.head_nip else None
            if "active" in row.present:
                unit.is_active = row.is_active
            if unit.pk is None:
                created.append(unit.code)
                if write:
                    unit.save()
            elif changes := changes_between(before, _state(unit)):
                updated[unit.code] = changes
                if write:
                    unit.save(update_fields=[*changes])
            else:
                unchanged += 1
            units[unit.code] = unit
        if write:
            audit.record(
                "unit.imported",
                object_type="core.unit",
                object_label=self.filename,
                changes={
                    "file": self.filename,
                    "rows": report.total_rows,
                    "created": created,
                    "updated": updated,
                    "unchanged": unchanged,
                },
            )
        report.created, report.updated, report.unchanged = len(created), len(updated), unchanged
        report.created_codes, report.updated_codes = created, list(updated)


def _state(unit: Unit) -> dict[str, Any]:
    """The imported fields of a unit, with the parent and head by code and NIP for the audit trail."""
    return {
        "name": unit.name,
        "type": unit.type,
        "parent": unit.parent.code if unit.parent else None,
        "size_class": unit.size_class,
        "address": unit.address,
        "head": unit.head.nip if unit.head else None,
        "is_active": unit.is_active,
    }
