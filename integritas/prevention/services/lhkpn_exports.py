"""The LHKPN register and its compliance as XLSX (``lib.spreadsheets``): one row per obligation
with what the register page shows, and the compliance table per unit (the government first) with
both rates as numbers, so a reader can sort and sum."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.text import capfirst
from django.utils.translation import gettext as _

from integritas.lib.spreadsheets import write_xlsx
from integritas.prevention import lhkpn
from integritas.prevention.models import LhkpnObligation
from integritas.prevention.services.lhkpn_compliance import YearCompliance


def register_xlsx(obligations: Iterable[LhkpnObligation]) -> bytes:
    headers = [
        _("Name"),
        _("NIP"),
        _("NIK"),
        _("Position"),
        _("Unit code"),
        _("Unit"),
        _("Report type"),
        _("Year"),
        _("Due"),
        capfirst(_("e-LHKPN status")),
        capfirst(_("submitted on")),
        capfirst(_("status since")),
        capfirst(_("date of appointment or leaving")),
        capfirst(_("source")),
        capfirst(_("decree number")),
    ]
    rows = (
        [
            o.name,
            o.nip,
            o.nik,
            o.position,
            o.unit.code,
            o.unit.name,
            o.get_report_type_display(),
            o.year,
            o.due_on,
            "" if o.status is None else o.get_status_display(),
            o.submitted_on,
            o.status_on,
            o.event_date,
            o.get_source_display(),
            o.decree_number,
        ]
        for o in obligations
    )
    return write_xlsx(headers, rows, _("LHKPN register"))


def _figures(c: lhkpn.Compliance) -> list[object]:
    return [
        c.obliged,
        c.filed,
        c.complete,
        c.drafts,
        c.not_filed,
        c.rejected,
        c.filing_rate,
        c.complete_rate,
    ]


def compliance_xlsx(figures: YearCompliance, *, government: bool) -> bytes:
    """The year's table: the government's row first (``government``: the reader sees all), then
    each unit's."""
    headers = [
        _("Unit code"),
        _("Unit"),
        _("Obliged"),
        _("Filed"),
        _("Complete"),
        _("Drafts"),
        _("Not filed"),
        _("Rejected"),
        f"{_('Filing rate')} (%)",
        f"{_('Complete rate')} (%)",
    ]
    rows: list[list[object]] = []
    if government:
        rows.append(["", _("Whole government"), *_figures(figures.government)])
    rows += [[row.unit.code, row.unit.name, *_figures(row.figures)] for row in figures.units]
    return write_xlsx(headers, rows, _("LHKPN compliance"))
