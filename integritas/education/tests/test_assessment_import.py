"""Paper test scores from a CSV or XLSX file: columns ticket code, phase (pre/post) and score
0–100; all or nothing; every bad row (unknown ticket, score out of range, a duplicate row, a phase
already recorded) is reported with its row number, and nothing is stored."""

from __future__ import annotations

import io
from decimal import Decimal

import openpyxl
import pytest

from integritas.audit.models import Event as AuditEvent
from integritas.core.testing import World
from integritas.education import imports
from integritas.education.models import Event, Phase, Submission
from integritas.education.services import assessment, tickets
from integritas.education.tests.test_assessment import participant, right, with_test


def _csv(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode()


def _import(world: World, event: Event, data: bytes, name: str = "nilai.csv"):
    return imports.import_scores(event=event, data=data, filename=name, by=world.inspector)


def test_a_good_file_stores_every_score_as_paper(world: World, event: Event):
    a, b = participant(event, 1), participant(event, 2)
    code_a, code_b = tickets.code_for(a.ticket), tickets.code_for(b.ticket)
    report = _import(
        world,
        event,
        _csv(
            "kode_tiket;fase;nilai", f"{code_a};pre;40", f"{code_a};post;85,5", f"{code_b};PRE;60"
        ),
    )
    assert report.ok and report.saved and report.stored == 3
    scores = {(s.registration_id, s.phase): s.score for s in Submission.objects.all()}
    assert scores == {
        (a.pk, "pre"): Decimal("40"),
        (a.pk, "post"): Decimal("85.5"),
        (b.pk, "pre"): Decimal("60"),
    }
    assert set(Submission.objects.values_list("source", flat=True)) == {"paper"}
    assert AuditEvent.objects.filter(action="education.test_scores_imported").count() == 1


def test_an_xlsx_file_is_read_too(world: World, event: Event):
    reg = participant(event, 1)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["ticket", "phase", "score"])
    sheet.append([tickets.code_for(reg.ticket), "post", 90])
    buffer = io.BytesIO()
    book.save(buffer)
    report = _import(world, event, buffer.getvalue(), "nilai.xlsx")
    assert report.saved
    assert Submission.objects.get().score == Decimal("90")


def test_every_bad_row_is_reported_with_its_number_and_nothing_is_stored(
    world: World, event: Event
):
    from integritas.education.tests.conftest import make_event

    a, b = participant(event, 1), participant(event, 2)
    stranger = participant(make_event(world, title="Lain"), 3)
    code_a, code_b = tickets.code_for(a.ticket), tickets.code_for(b.ticket)
    report = _import(
        world,
        event,
        _csv(
            "ticket;phase;score",
            f"{code_a};pre;40",  # 2: good
            f"{code_b};pre;101",  # 3: out of range
            "ZZZZ-ZZZZ-ZZZZ;pre;50",  # 4: not a ticket
            f"{tickets.code_for(stranger.ticket)};pre;50",  # 5: another event's ticket
            f"{code_a};pre;45",  # 6: duplicate of row 2
            f"{code_b};during;50",  # 7: unknown phase
            f"{code_b};post;-1",  # 8: out of range
            f"{code_b};post;",  # 9: missing score
        ),
    )
    assert not report.saved
    assert sorted({e.row for e in report.errors}) == [3, 4, 5, 6, 7, 8, 9]
    duplicate = next(e for e in report.errors if e.row == 6)
    assert "2" in duplicate.message
    assert not Submission.objects.exists()


def test_a_phase_already_recorded_for_a_ticket_is_a_bad_row(world: World, event: Event):
    questions = with_test(world, event, 2)
    reg = participant(event, 1)
    assessment.open_phase(event=event, phase=Phase.PRE, by=world.inspector)
    assessment.submit(event=event, phase=Phase.PRE, registration=reg, answers=right(questions, 1))
    report = _import(
        world, event, _csv("ticket,phase,score", f"{tickets.code_for(reg.ticket)},pre,90")
    )
    assert [e.row for e in report.errors] == [2]
    assert Submission.objects.get().score == Decimal("50.00")


def test_a_file_without_the_columns_or_rows_is_refused(world: World, event: Event):
    assert not _import(world, event, _csv("ticket;score", "X;1")).ok
    assert not _import(world, event, _csv("ticket;phase;score")).ok


def test_paper_scores_pair_whichever_file_is_imported_first(world: World, event: Event):
    from integritas.education.services import results

    reg = participant(event, 1)
    code = tickets.code_for(reg.ticket)
    assert _import(world, event, _csv("ticket;phase;score", f"{code};post;80")).saved
    assert _import(world, event, _csv("ticket;phase;score", f"{code};pre;60")).saved
    assert assessment.is_paired(reg)
    gain = results.event_results(event).overall
    assert gain.n_paired == 1 and gain.mean_individual_gain == 0.5


def test_a_result_arriving_while_the_file_is_saved_stores_nothing_of_the_file(
    world: World, event: Event, monkeypatch: pytest.MonkeyPatch
):
    reg = participant(event, 1)
    code = tickets.code_for(reg.ticket)
    real = Submission.objects.bulk_create

    def late(objs, *args, **kwargs):  # type: ignore[no-untyped-def]
        # The participant's online pre-test lands between the check and the write (here in the
        # import's own transaction, so it is rolled back with it; on a server another request
        # commits it).
        Submission.objects.create(registration=reg, phase="pre", score=10, source="online")
        return real(objs, *args, **kwargs)

    monkeypatch.setattr(Submission.objects, "bulk_create", late)
    report = _import(world, event, _csv("ticket;phase;score", f"{code};pre;60"))
    assert not report.saved and report.stored == 0
    assert [e.row for e in report.errors] == [0]
    assert not Submission.objects.filter(score=60).exists()
