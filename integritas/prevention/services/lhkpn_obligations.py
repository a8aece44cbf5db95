"""The LHKPN register's obligations (wajib lapor): who must file which report, by when.

- ``create_from_positions`` lists, for a year's periodic report, every active person whose
  position is one of the positions that must file (``LhkpnPosition``), with a NIP and a unit.
- ``import_decree`` reads the government's decree (CSV or XLSX through the import kit): one row
  per official with NIP or NIK, name, position and unit code; all or nothing, every bad row
  reported; an official already listed for the year is updated from the decree.
- ``record_special`` records an appointment or a departure: an initial or final obligation due
  3 months later (``lhkpn.special_due``).

Each writes one audit event with counts (the trail names no official).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.functions import Lower
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from integritas import audit
from integritas.core.models import Unit, User
from integritas.core.validators import nip_problem
from integritas.lib.imports import Cells, Column, Importer, ImportReport, read_or_report, run_import
from integritas.prevention import lhkpn
from integritas.prevention.models import (
    LhkpnAuditAction,
    LhkpnObligation,
    LhkpnPosition,
    LhkpnReportType,
    LhkpnSource,
)

OBLIGATION_TYPE = LhkpnObligation._meta.label_lower
NIK_RE = re.compile(r"\d{16}")


def nik_problem(value: str) -> str | None:
    if not NIK_RE.fullmatch(value):
        return _("NIK must be exactly 16 digits (got %(count)d characters).") % {
            "count": len(value)
        }
    return None


def identity_problems(nip: str, nik: str) -> dict[str, str]:
    """What is wrong with an official's NIP and NIK (one of them is needed)."""
    problems: dict[str, str] = {}
    if not nip and not nik:
        problems["nip"] = _("Give the NIP, or the NIK for someone without a NIP.")
    if nip and (problem := nip_problem(nip)):
        problems["nip"] = problem
    if nik and (problem := nik_problem(nik)):
        problems["nik"] = problem
    return problems


def actor_of(by: User | None) -> dict[str, Any]:
    """``audit.record``'s actor: ``by``, or the command's name when nobody signed in acts."""
    return {"actor": by} if by is not None else {}


def _account(nip: str) -> User | None:
    return User.objects.filter(nip=nip, is_active=True).first() if nip else None


@dataclass
class Listed:
    created: int
    existing: int
    without_nip: list[str]


@transaction.atomic
def create_from_positions(*, year: int, by: User | None) -> Listed:
    """The periodic obligations of ``year`` for every active person holding a position that
    must file; people already listed are left as they are. People without a NIP or a unit are
    named in ``without_nip`` (they cannot be matched with e-LHKPN) and not listed."""
    titles = {
        title.strip().lower()
        for title in LhkpnPosition.objects.filter(is_active=True).values_list("title", flat=True)
    }
    listed = set(
        LhkpnObligation.objects.filter(year=year, report_type=LhkpnReportType.PERIODIC).values_list(
            "person_key", flat=True
        )
    )
    people = User.objects.filter(is_active=True).annotate(lower_position=Lower("position"))
    created, existing, without = 0, 0, []
    for person in people.filter(lower_position__in=titles).select_related("unit").order_by("name"):
        if not person.nip or person.unit is None:
            without.append(person.name or person.username)
            continue
        if person.nip in listed:
            existing += 1
            continue
        LhkpnObligation.objects.create(
            year=year,
            report_type=LhkpnReportType.PERIODIC,
            nip=person.nip,
            name=person.name or person.username,
            position=person.position,
            unit=person.unit,
            user=person,
            due_on=lhkpn.periodic_due(year),
            source=LhkpnSource.POSITION,
        )
        created += 1
    if created:
        audit.record(
            LhkpnAuditAction.OBLIGATIONS_CREATED,
            object_type=OBLIGATION_TYPE,
            object_label=str(year),
            changes={"year": [None, year], "created": [None, created]},
            **actor_of(by),
        )
    return Listed(created=created, existing=existing, without_nip=without)


@transaction.atomic
def record_special(
    *, values: Mapping[str, Any], report_type: str, by: User | None
) -> LhkpnObligation:
    """An appointment (``initial``) or a departure (``final``): an obligation due 3 months after
    ``event_date``. Refuses, storing nothing, a bad NIP or NIK, a missing name, position, unit
    or date, and a second obligation for the same person, type and date."""
    errors: dict[str, str] = {}
    if report_type not in (LhkpnReportType.INITIAL, LhkpnReportType.FINAL):
        errors["report_type"] = _("Choose one of the listed options.")
    nip, nik = str(values.get("nip") or "").strip(), str(values.get("nik") or "").strip()
    errors.update(identity_problems(nip, nik))
    for name in ("name", "position"):
        if not str(values.get(name) or "").strip():
            errors[name] = _("This field is required.")
    if not isinstance(values.get("unit"), Unit):
        errors["unit"] = _("This field is required.")
    event_date = values.get("event_date")
    if not isinstance(event_date, dt.date):
        errors["event_date"] = _("This field is required.")
    elif LhkpnObligation.objects.filter(
        report_type=report_type, person_key=nip or nik, event_date=event_date
    ).exists():
        errors["event_date"] = _("This official already has this obligation for this date.")
    if errors:
        raise ValidationError(errors)
    assert isinstance(event_date, dt.date)
    obligation = LhkpnObligation.objects.create(
        year=event_date.year,
        report_type=report_type,
        nip=nip,
        nik=nik,
        name=str(values["name"]).strip(),
        position=str(values["position"]).strip(),
        unit=values["unit"],
        user=_account(nip),
        event_date=event_date,
        due_on=lhkpn.special_due(event_date),
        source=(
            LhkpnSource.APPOINTMENT
            if report_type == LhkpnReportType.INITIAL
            else LhkpnSource.DEPARTURE
        ),
        decree_number=str(values.get("decree_number") or "").strip(),
    )
    audit.record(
        LhkpnAuditAction.SPECIAL_CREATED,
        obj=obligation,
        changes={
            "report_type": [None, report_type],
            "event_date": [None, event_date.isoformat()],
            "due_on": [None, obligation.due_on.isoformat()],
        },
        **actor_of(by),
    )
    return obligation


# --- The decree --------------------------------------------------------------------------------

DECREE_COLUMNS: list[Column] = [
    Column("nip", False, gettext_lazy("18 digits; empty for someone without a NIP."), ()),
    Column("nik", False, gettext_lazy("16 digits, when there is no NIP."), ()),
    Column("name", True, gettext_lazy("The official's full name."), ("nama", "nama_lengkap")),
    Column("position", True, gettext_lazy("The position held."), ("jabatan",)),
    Column(
        "unit",
        True,
        gettext_lazy("The unit's code, as on the units page."),
        ("unit_kerja", "kode_unit", "perangkat_daerah", "opd"),
    ),
]


@dataclass
class DecreeReport(ImportReport):
    created: int = 0
    updated: int = 0


@dataclass(frozen=True)
class _DecreeRow:
    number: int
    nip: str
    nik: str
    name: str
    position: str
    unit: Unit


def import_decree(
    *, data: bytes, filename: str, year: int, decree_number: str, by: User | None
) -> DecreeReport:
    """The officials the decree names must file the periodic report of ``year``. Every row is
    checked (NIP or NIK, name, position, a known unit code, each person once); only a file
    without a problem is stored."""
    report = DecreeReport()
    units = {unit.code.upper(): unit for unit in Unit.objects.all()}
    seen: dict[str, int] = {}

    def parse_row(cells: Cells) -> _DecreeRow | None:
        nip, nik = cells.get("nip"), cells.get("nik")
        bad = False
        for name, problem in identity_problems(nip, nik).items():
            cells.fail(name, cells.get(name), problem)
            bad = True
        for name in ("name", "position"):
            if not cells.get(name):
                cells.fail(name, "", _("This field is required."))
                bad = True
        code = cells.get("unit")
        unit = units.get(code.upper())
        if unit is None:
            cells.fail("unit", code, _("No unit has this code."))
            bad = True
        if bad or unit is None:
            return None
        key = nip or nik
        if key in seen:
            cells.fail(
                "nip" if nip else "nik",
                key,
                _("This official is already in row %(row)d.") % {"row": seen[key]},
            )
            return None
        seen[key] = cells.number
        return _DecreeRow(cells.number, nip, nik, cells.get("name"), cells.get("position"), unit)

    def apply(rows: list[_DecreeRow]) -> None:
        existing = {
            o.person_key: o
            for o in LhkpnObligation.objects.filter(year=year, report_type=LhkpnReportType.PERIODIC)
        }
        for row in rows:
            found = existing.get(row.nip or row.nik)
            if found is not None:
                found.name, found.position, found.unit = row.name, row.position, row.unit
                found.nik = row.nik or found.nik
                found.source, found.decree_number = LhkpnSource.DECREE, decree_number
                found.save()
                report.updated += 1
                continue
            LhkpnObligation.objects.create(
                year=year,
                report_type=LhkpnReportType.PERIODIC,
                nip=row.nip,
                nik=row.nik,
                name=row.name,
                position=row.position,
                unit=row.unit,
                user=_account(row.nip),
                due_on=lhkpn.periodic_due(year),
                source=LhkpnSource.DECREE,
                decree_number=decree_number,
            )
            report.created += 1
        audit.record(
            LhkpnAuditAction.DECREE_IMPORTED,
            object_type=OBLIGATION_TYPE,
            object_label=decree_number or filename,
            changes={
                "file": filename,
                "year": [None, year],
                "rows": len(rows),
                "created": [None, report.created],
                "updated": [None, report.updated],
            },
            **actor_of(by),
        )

    importer: Importer[_DecreeRow, DecreeReport] = Importer(
        columns=DECREE_COLUMNS,
        parse_row=parse_row,
        apply=apply,
        empty_message=gettext_lazy("The file lists no official."),
    )
    return run_import(
        table=read_or_report(data, filename, report), report=report, importer=importer
    )


@transaction.atomic
def set_positions(*, titles: list[str], by: User | None) -> None:
    """The positions that must file are exactly ``titles`` (one per line on the page)."""
    wanted = {t.strip(): None for t in titles if t.strip()}
    before = sorted(LhkpnPosition.objects.filter(is_active=True).values_list("title", flat=True))
    LhkpnPosition.objects.exclude(title__in=wanted).update(is_active=False)
    for title in wanted:
        LhkpnPosition.objects.update_or_create(title=title, defaults={"is_active": True})
    after = sorted(wanted)
    if before != after:
        audit.record(
            LhkpnAuditAction.POSITIONS_CHANGED,
            object_type=LhkpnPosition._meta.label_lower,
            changes={"positions": [before, after]},
            **actor_of(by),
        )
