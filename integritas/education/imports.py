"""Paper test scores from a CSV or XLSX file (many events test on paper), through the import kit
(``lib.imports``): one row per participant and phase, with the ticket code, the phase (pre or
post) and the score 0–100.

All or nothing: every row is checked and every bad one reported with its row number — a code
that is not a ticket of this event's confirmed participants, a phase or score that cannot be
read or lies outside 0–100, a ticket and phase given twice in the file, or already recorded (the
first result counts). Only a file without a problem is stored, in one transaction with one audit
event (counts only: the trail names nobody).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from integritas import audit
from integritas.core.models import User
from integritas.education.models import AuditAction, Event, Phase, Registration, Submission
from integritas.education.services import assessment
from integritas.lib.imports import Cells, Column, Importer, ImportReport, read_or_report, run_import

COLUMNS: list[Column] = [
    Column(
        "ticket",
        True,
        gettext_lazy("The participant's ticket code, such as 7KQ2-MXD9-4TAB."),
        ("ticket_code", "kode_tiket", "tiket", "kode"),
    ),
    Column(
        "phase",
        True,
        gettext_lazy("pre or post (also: awal, akhir, pre-test, post-test)."),
        ("fase", "tes", "jenis_tes"),
    ),
    Column(
        "score",
        True,
        gettext_lazy("The score from 0 to 100; a decimal comma is accepted (85,5)."),
        ("nilai", "skor"),
    ),
]

PHASE_WORDS = {
    "pre": Phase.PRE,
    "pretest": Phase.PRE,
    "pre_test": Phase.PRE,
    "awal": Phase.PRE,
    "tes_awal": Phase.PRE,
    "post": Phase.POST,
    "posttest": Phase.POST,
    "post_test": Phase.POST,
    "akhir": Phase.POST,
    "tes_akhir": Phase.POST,
}


@dataclass
class ScoreReport(ImportReport):
    stored: int = 0


@dataclass(frozen=True)
class _Row:
    number: int
    registration: Registration
    phase: str
    score: Decimal


def _score(text: str) -> Decimal:
    try:
        value = Decimal(text.replace(",", "."))
    except InvalidOperation as exc:
        raise ValueError(_("The score must be a number from 0 to 100.")) from exc
    if not value.is_finite() or not 0 <= value <= 100:
        raise ValueError(_("The score must lie between 0 and 100."))
    return value.quantize(assessment.CENT)


def import_scores(*, event: Event, data: bytes, filename: str, by: User | None) -> ScoreReport:
    """Check every row and store the scores as paper submissions, or nothing."""
    report = ScoreReport()
    seen: dict[tuple[int, str], int] = {}
    recorded = {
        (reg_id, phase): submitted
        for reg_id, phase, submitted in Submission.objects.filter(
            registration__event=event
        ).values_list("registration_id", "phase", "submitted_at")
    }

    def parse_row(cells: Cells) -> _Row | None:
        code, phase_text, score_text = cells.get("ticket"), cells.get("phase"), cells.get("score")
        registration = phase = score = None
        if not code:
            cells.fail("ticket", "", _("The ticket code is required."))
        else:
            try:
                registration = assessment.find_participant(event=event, code=code)
            except assessment.TicketRefused as exc:
                cells.fail("ticket", code, exc.message)
        phase = PHASE_WORDS.get(phase_text.lower().replace("-", "_").replace(" ", "_"))
        if phase is None:
            cells.fail("phase", phase_text, _("The phase must be pre or post."))
        if not score_text:
            cells.fail("score", "", _("The score is required."))
        else:
            try:
                score = _score(score_text)
            except ValueError as exc:
                cells.fail("score", score_text, str(exc))
        if registration is None or phase is None:
            return None
        key = (registration.pk, phase)
        if key in seen:
            cells.fail(
                "ticket",
                code,
                _("This ticket and phase are already in row %(row)d.") % {"row": seen[key]},
            )
            return None
        seen[key] = cells.number
        if key in recorded:
            cells.fail(
                "phase",
                phase_text,
                _("This participant already has a result for this phase; the first counts."),
            )
            return None
        if score is None:
            return None
        return _Row(cells.number, registration, phase, score)

    def apply(rows: list[_Row]) -> None:
        now = timezone.now()
        Submission.objects.bulk_create(
            Submission(
                registration=row.registration,
                phase=row.phase,
                score=row.score,
                source=Submission.Source.PAPER,
                submitted_at=now,
                imported_by=by,
            )
            for row in rows
        )
        report.stored = len(rows)
        audit.record(
            AuditAction.TEST_SCORES_IMPORTED,
            obj=event,
            changes={
                "file": filename,
                "pre": sum(r.phase == Phase.PRE for r in rows),
                "post": sum(r.phase == Phase.POST for r in rows),
            },
            actor=by,
        )

    importer: Importer[_Row, ScoreReport] = Importer(
        columns=COLUMNS,
        parse_row=parse_row,
        apply=apply,
        empty_message=gettext_lazy("The file has no scores."),
    )
    table = read_or_report(data, filename, report)
    try:
        return run_import(table=table, report=report, importer=importer)
    except IntegrityError:
        # A participant submitted the same test online between the check and the write: the
        # first result counts, so nothing of the file is stored; importing again names the row.
        report.stored = 0
        report.fail_file(
            _("A result arrived while the file was being saved. Nothing was imported; try again.")
        )
        return report
