"""Scores and learning gain (DOMAIN.md §7b) of an event: class g and mean individual g with
N pre, N post and N paired, per event, per audience group and per question (share correct before
and after); ``manage.py event_results`` prints them."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command

from integritas.core.testing import World
from integritas.education.models import Event, Phase
from integritas.education.services import assessment, results
from integritas.education.tests.test_assessment import participant, right, with_test


@pytest.fixture
def taken(world: World, event: Event) -> Event:
    """Four questions; staff A 25 → 75, staff B 50 → 100, press C 100 → 100 (no individual g),
    press D only a post-test (75), staff E a post-test (50) before the pre-test (25)."""
    event.capacity = None
    event.save()
    questions = with_test(world, event, 4)
    a, b, c, d, e = (
        participant(event, i, g) for i, g in enumerate("staff staff press press staff".split())
    )
    assessment.open_phase(event=event, phase=Phase.POST, by=world.inspector)
    assessment.submit(event=event, phase=Phase.POST, registration=e, answers=right(questions, 2))
    assessment.close_phase(event=event, phase=Phase.POST, by=world.inspector)
    assessment.open_phase(event=event, phase=Phase.PRE, by=world.inspector)
    for reg, n in ((a, 1), (b, 2), (c, 4), (e, 1)):
        assessment.submit(
            event=event, phase=Phase.PRE, registration=reg, answers=right(questions, n)
        )
    assessment.close_phase(event=event, phase=Phase.PRE, by=world.inspector)
    assessment.open_phase(event=event, phase=Phase.POST, by=world.inspector)
    for reg, n in ((a, 3), (b, 4), (c, 4), (d, 3)):
        assessment.submit(
            event=event, phase=Phase.POST, registration=reg, answers=right(questions, n)
        )
    return event


def test_the_event_gain_pairs_by_ticket_and_leaves_a_post_before_the_pre_unpaired(taken: Event):
    found = results.event_results(taken)
    g = found.overall
    assert (g.n_pre, g.n_post, g.n_paired, g.n_individual) == (4, 5, 3, 2)
    assert g.mean_pre == pytest.approx((25 + 50 + 100 + 25) / 4)
    assert g.mean_post == pytest.approx((75 + 100 + 100 + 75 + 50) / 5)
    assert g.class_gain == pytest.approx((80 - 50) / 50)
    # A: (75-25)/75 = 2/3, B: (100-50)/50 = 1; C is a pair with no g.
    assert g.mean_individual_gain == pytest.approx((2 / 3 + 1) / 2)
    assert found.unpaired_post == 2  # D without a pre-test, E before it


def test_the_gain_is_given_per_audience_group(taken: Event):
    groups = {row.group: row.gain for row in results.event_results(taken).groups}
    assert set(groups) == {"staff", "press"}
    assert (groups["staff"].n_pre, groups["staff"].n_post, groups["staff"].n_paired) == (3, 3, 2)
    assert (groups["press"].n_pre, groups["press"].n_post, groups["press"].n_paired) == (1, 2, 1)
    assert groups["press"].mean_individual_gain is None


def test_each_question_shows_the_share_correct_before_and_after(taken: Event):
    rows = results.event_results(taken).questions
    assert len(rows) == 4
    first = rows[0]
    # Every participant with a score of 25 or more answered the first question right.
    assert (first.pre_answered, first.pre_correct) == (4, 4)
    assert first.pre_share == pytest.approx(1.0)
    last = rows[3]
    assert (last.pre_correct, last.post_correct, last.post_answered) == (1, 2, 5)


def test_the_participants_list_says_who_is_unpaired(taken: Event):
    rows = {row.name: row for row in results.event_results(taken).participants}
    assert rows["Peserta 0"].gain == pytest.approx(2 / 3)
    assert rows["Peserta 3"].paired is False and rows["Peserta 3"].pre is None
    assert rows["Peserta 4"].paired is False and rows["Peserta 4"].pre == 25


def test_an_event_without_results_has_empty_figures(event: Event):
    found = results.event_results(event)
    assert found.overall.n_pre == 0 and found.overall.class_gain is None
    assert found.groups == [] and found.participants == []


def test_the_command_prints_the_results_as_json(taken: Event):
    out = io.StringIO()
    call_command("event_results", "--event", taken.code, "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["event"] == taken.code
    assert data["overall"]["n_pre"] == 4 and data["overall"]["n_paired"] == 3
    assert data["overall"]["class_gain"] == pytest.approx(0.6)
    assert data["overall"]["class_band"] == "medium"
    assert {g["group"] for g in data["groups"]} == {"staff", "press"}
    assert len(data["questions"]) == 4 and "pre_share" in data["questions"][0]


def test_the_command_prints_a_readable_summary_without_json(taken: Event):
    out = io.StringIO()
    call_command("event_results", "--event", taken.code, stdout=out)
    assert "N paired" in out.getvalue() or "N berpasangan" in out.getvalue()


def test_the_command_names_an_unknown_event(db: None):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("event_results", "--event", "EDU-0000-000", "--json", stdout=io.StringIO())
