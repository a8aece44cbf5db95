"""The register as KPK's gratification forms ask for it, and the periodic recap for KPK.

``register_xlsx``: one row per report with the fields of KPK's gratification report form (the
reporter, the receipt, the giver and relation, the occasion and object, its value and where it
is, the chronology) and what the UPG recorded (forwarding with the GOL reference, KPK's decision
with its decree, the handover). The headings are in Indonesian, as KPK's form is, whatever the
reader's language. A confidential reporter's name and unit are written only for the UPG
(``reports.shows_reporter``); everyone else's export says *Dirahasiakan*.

``recap``: for a period (dates of report), the reports made in it by state with their values,
those forwarded to KPK in it, and KPK's decisions dated in it (state property or the
recipient's), with the late reports among those made.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from integritas.lib.spreadsheets import Sheet, write_workbook, write_xlsx
from integritas.prevention.models import Decision, GratificationReport, ReportStatus
from integritas.prevention.services import statistics
from integritas.prevention.services.reports import shows_reporter

# The columns of KPK's gratification report form, then the UPG's own.
REGISTER_HEADERS = [
    gettext_lazy("Tracking number"),
    gettext_lazy("Report of"),
    gettext_lazy("Reporter's name"),
    gettext_lazy("Reporter's unit"),
    gettext_lazy("Date of receipt"),
    gettext_lazy("Date of report"),
    gettext_lazy("Giver"),
    gettext_lazy("Relation to the giver"),
    gettext_lazy("Occasion"),
    gettext_lazy("Kind of object"),
    gettext_lazy("Description"),
    gettext_lazy("Estimated value (Rp)"),
    gettext_lazy("Where the object is"),
    gettext_lazy("Chronology"),
    gettext_lazy("Rule set"),
    gettext_lazy("Late: possibly state property"),
    gettext_lazy("Status"),
    gettext_lazy("GOL reference"),
    gettext_lazy("Forwarded to KPK on"),
    gettext_lazy("KPK's decision"),
    gettext_lazy("Decree number"),
    gettext_lazy("Decree date"),
    gettext_lazy("Handover receipt number"),
]


def register_rows(reports: Iterable[GratificationReport], reader: Any) -> list[list[Any]]:
    rows: list[list[Any]] = []
    confidential = _("Confidential")
    for r in reports:
        shown = shows_reporter(reader, r)
        rows.append(
            [
                r.tracking_number,
                r.get_kind_display(),
                r.reporter_name if shown else confidential,
                (r.reporter_unit.name if r.reporter_unit else "") if shown else confidential,
                r.received_on,
                r.reported_on,
                r.giver,
                r.get_relation_display(),
                r.get_event_display(),
                r.get_object_kind_display(),
                r.description,
                r.value,
                r.location,
                r.chronology,
                r.rule_set.regulation,
                _("Yes") if r.late else _("No"),
                r.get_status_display(),
                r.gol_reference,
                r.forwarded_on,
                r.get_decision_display() if r.decision else "",
                r.decree_number,
                r.decree_date,
                r.handover_receipt,
            ]
        )
    return rows


def register_xlsx(reports: Iterable[GratificationReport], reader: Any) -> bytes:
    """The register in KPK's form, in Indonesian."""
    with translation.override("id"):
        headers = [str(h) for h in REGISTER_HEADERS]
        rows = register_rows(reports, reader)
        return write_xlsx(headers, rows, _("Gratification register"))


@dataclass(frozen=True)
class StateLine:
    status: str
    label: str
    count: int
    value: int


@dataclass(frozen=True)
class Recap:
    start: dt.date
    end: dt.date
    made: int
    made_value: int
    late: int
    by_state: list[StateLine]
    forwarded: int
    forwarded_value: int
    decided_state: int
    decided_state_value: int
    decided_recipient: int
    decided_recipient_value: int
    handed_over: int

    def rows(self) -> list[list[Any]]:
        rows: list[list[Any]] = [
            [_("Period"), f"{self.start.isoformat()} – {self.end.isoformat()}", None, None],
            [_("Reports made in the period"), "", self.made, self.made_value],
            [_("of which late: possibly state property"), "", self.late, None],
        ]
        rows += [[_("Status now"), line.label, line.count, line.value] for line in self.by_state]
        rows += [
            [_("Forwarded to KPK in the period"), "", self.forwarded, self.forwarded_value],
            [
                _("KPK's decisions in the period"),
                str(Decision.STATE.label),
                self.decided_state,
                self.decided_state_value,
            ],
            [
                _("KPK's decisions in the period"),
                str(Decision.RECIPIENT.label),
                self.decided_recipient,
                self.decided_recipient_value,
            ],
            [
                _("Handed over (state property), reports made in the period"),
                "",
                self.handed_over,
                None,
            ],
        ]
        return rows


def recap(start: dt.date, end: dt.date) -> Recap:
    """The recap of ``start`` to ``end`` (both included)."""
    qs = GratificationReport.objects.all()
    made = list(qs.filter(reported_on__range=(start, end)))
    forwarded = list(qs.filter(forwarded_on__range=(start, end)))
    decided = list(qs.filter(decree_date__range=(start, end)))
    by_state = []
    for status in ReportStatus:
        found = [r for r in made if r.status == status]
        if found:
            by_state.append(
                StateLine(status.value, str(status.label), len(found), sum(r.value for r in found))
            )
    state = [r for r in decided if r.decision == Decision.STATE]
    recipient = [r for r in decided if r.decision == Decision.RECIPIENT]
    return Recap(
        start=start,
        end=end,
        made=len(made),
        made_value=sum(r.value for r in made),
        late=sum(1 for r in made if r.late),
        by_state=by_state,
        forwarded=len(forwarded),
        forwarded_value=sum(r.value for r in forwarded),
        decided_state=len(state),
        decided_state_value=sum(r.value for r in state),
        decided_recipient=len(recipient),
        decided_recipient_value=sum(r.value for r in recipient),
        handed_over=sum(1 for r in made if r.handover_receipt),
    )


RECAP_HEADERS = [
    gettext_lazy("Figure"),
    gettext_lazy("Detail"),
    gettext_lazy("Reports"),
    gettext_lazy("Value (Rp)"),
]


def recap_xlsx(found: Recap) -> bytes:
    """The recap for KPK, in Indonesian: a sheet of figures, and a sheet of the period's
    statistics (small groups withheld, ``services/statistics.py``)."""
    made = GratificationReport.objects.filter(
        reported_on__range=(found.start, found.end)
    ).select_related("reporter_unit")
    with translation.override("id"):
        figures = statistics.compute(made, found.start.year)
        head = [_("Breakdown"), _("Group"), _("Reports"), _("Value (Rp)")]
        return write_workbook(
            [
                Sheet(_("Recap"), [[str(h) for h in RECAP_HEADERS], *found.rows()]),
                Sheet(_("Statistics"), [head, *figures.rows()]),
            ]
        )
