"""detect(run=...) on small waves computed by hand: the threshold rule, the interval rule,
suppression, ranking, and what happens to stored weak points when detection runs again."""

from __future__ import annotations

import pytest
from django.utils import timezone

from integritas.audit.models import Event
from integritas.core.models import Unit
from integritas.core.testing import World
from integritas.indices.models import IndexRun, MethodSetting, WeakPoint
from integritas.indices.services.compute import compute_wave
from integritas.indices.services.settings import wave_year
from integritas.indices.services.weak_points import (
    Cell,
    detect,
    dismiss,
    judge,
    request_recommendation,
)
from integritas.surveys.models import Response, Wave
from integritas.surveys.testing import LIKERT4, build_version, build_wave

pytestmark = pytest.mark.django_db

# An SKM-like questionnaire: D1 has two questions, D2 one. Slots: 0 = Q1, 1 = Q2, 2 = Q3.
SPEC = {
    "code": "wp-test",
    "kind": "satisfaction",
    "title": "Survei titik lemah",
    "dimensions": [("D1", "Prosedur"), ("D2", "Waktu layanan")],
    "sections": [
        {
            "code": "layanan",
            "title": "Layanan",
            "questions": [
                {"code": "Q1", "type": "likert4", "dimension": "D1", "choices": LIKERT4},
                {"code": "Q2", "type": "likert4", "dimension": "D1", "choices": LIKERT4},
                {"code": "Q3", "type": "likert4", "dimension": "D2", "choices": LIKERT4},
            ],
        }
    ],
}

# Satisfaction scores are the choice × 25: 1 → 25, 2 → 50, 3 → 75, 4 → 100. Ten respondents
# per unit, answers [Q1, Q2, Q3]; 95 % interval = mean ± 1.96 × sd / √n (sd with n − 1).
#
# A: Q1 = 25 ×5, 50 ×5 → 37.5; squares 10 × 12.5² = 1562.5, se = √(1562.5/9)/√10 = 4.1667,
#        interval 37.5 ± 8.1667 = [29.33, 45.67]
#    D1 per respondent = (Q1 + 75)/2 = 50 ×5, 62.5 ×5 → 56.25, se 4.1667/2 = 2.0833,
#        interval [52.17, 60.33];  D2 = Q3 = 75 (se 0)
# B: Q1 = Q2 = 75 → D1 75;  D2 = Q3 = 50 ×5, 75 ×5 → 62.5, se 4.1667, interval [54.33, 70.67]
# C: Q1 = 100, Q2 = 75 → D1 87.5;  D2 = Q3 = 75
# Government (30 respondents):
#    D1 = (5×50 + 5×62.5 + 10×75 + 10×87.5)/30 = 2187.5/30 = 72.92; squares 5338.54,
#        se = √(5338.54/29)/√30 = 2.4771, interval [68.06, 77.77]
#    Q1 = (5×25 + 5×50 + 10×75 + 10×100)/30 = 2125/30 = 70.83; squares 21354.17,
#        se = 4.9543, interval [61.12, 80.54]
#    Q2 = 75 everywhere (interval [75, 75]);  D2 = Q3 = 2125/30 = 70.83; squares
#        20 × 4.17² + 5 × 20.83² + 5 × 4.17² = 2604.17, se = 1.7301, interval [67.44, 74.22]
# So, without a threshold:
#    A D1: 60.33 < 68.06 → significantly below, severity 72.92 − 56.25 = 16.67
#    A Q1: 45.67 < 61.12 → significantly below, severity 70.83 − 37.5 = 33.33
#    B D2: 62.5 is below the government's 70.83 but 70.67 ≥ 67.44: the intervals overlap → not weak
#    Q2: 75 everywhere; a bound equal to the government's is not below it → not weak
ROWS = {
    "A": [[1, 3, 3]] * 5 + [[2, 3, 3]] * 5,
    "B": [[3, 3, 2]] * 5 + [[3, 3, 3]] * 5,
    "C": [[4, 3, 3]] * 10,
}


def make_wave(
    rows: dict[str, list[list[int]]] = ROWS,
    *,
    k: int = 3,
    units: dict[str, Unit] | None = None,
    respondent_type: str = "public",
) -> Wave:
    """A wave of the SPEC instrument; ``rows`` maps a unit code to its respondents' answers."""
    if units is None:
        parent = Unit.objects.create(code="DINAS", name="Dinas", type=Unit.Type.AGENCY)
        units = {
            code: Unit.objects.create(
                code=code, name=f"Bidang {code}", type=Unit.Type.DIVISION, parent=parent
            )
            for code in rows
        }
    wave = build_wave(build_version(SPEC), list(units.values()), min_group_size=k)
    for code, answers in rows.items():
        add_responses(wave, units[code], answers, respondent_type)
    return wave


def add_responses(
    wave: Wave, unit: Unit, answers: list[list[int]], respondent_type: str = "public"
) -> None:
    Response.objects.bulk_create(
        Response(
            wave=wave,
            unit=unit,
            respondent_type=respondent_type,
            submitted_on=timezone.localdate(),
            answers=Response.pack(row),
        )
        for row in answers
    )


def world_wave(w: World, *, threshold: float | None = 70) -> Wave:
    """A computed and detected wave of the world's units DINKES (unit A) and DISDIK (unit B).

    Threshold 70; 95 % interval = mean ± 1.96 × sd / √n.
    DINKES: Q1 = 25 ×5, 50 ×5 → 37.5 [29.33, 45.67]; D1 = 56.25 [52.17, 60.33];
            Q2 = 75 [75, 75]; Q3 = D2 = 75.
    DISDIK: Q1 = Q2 = 100 → D1 100; Q3 = D2 = 25 [25, 25].
    Government (20 respondents):
      D1 = (5×50 + 5×62.5 + 10×100)/20 = 78.125; squares 5×28.125² + 5×15.625² + 10×21.875²
         = 9960.94, se √(9960.94/19)/√20 = 5.12 → [68.09, 88.16]
      Q1 = (5×25 + 5×50 + 10×100)/20 = 68.75, squares 21093.75, se 7.45 → [54.15, 83.35]
      Q2 = (10×75 + 10×100)/20 = 87.5, squares 3125, se 2.868 → [81.88, 93.12]
      D2 = Q3 = (10×75 + 10×25)/20 = 50, squares 12500, se 5.735 → [38.76, 61.24]
    Weak points, severity = the larger gap to the government or to 70, all below 70 and
    significantly below (reason "both") except DINKES Q2 (75 ≥ 70, but 75 < 81.88):
      DISDIK D2 and Q3: max(70 − 25, 50 − 25) = 45; DINKES Q1: max(32.5, 31.25) = 32.5;
      DINKES D1: max(13.75, 21.875) = 21.875; DINKES Q2: 87.5 − 75 = 12.5 ("significant").
    """
    units = {"DINKES": w.dinkes, "DISDIK": w.disdik}
    rows = {"DINKES": ROWS["A"], "DISDIK": [[4, 4, 1]] * 10}
    wave = make_wave(rows, units=units)
    set_threshold(wave, threshold)
    detect(run=compute_wave(wave=wave))
    return wave


def set_threshold(wave: Wave, threshold: float | None) -> None:
    MethodSetting.objects.update_or_create(
        method="satisfaction", year=wave_year(wave), defaults={"weak_threshold": threshold}
    )


def found(wave: Wave) -> dict[tuple[str, str], WeakPoint]:
    """Stored weak points by (unit code, dimension or question code)."""
    return {
        (w.unit.code, w.question.code if w.question else w.dimension): w
        for w in WeakPoint.objects.filter(wave=wave).select_related("unit", "question")
    }


def test_a_unit_whose_interval_lies_below_the_governments_is_weak() -> None:
    wave = make_wave()
    summary = detect(run=compute_wave(wave=wave))
    weak = found(wave)
    assert set(weak) == {("A", "D1"), ("A", "Q1")}
    a_d1 = weak["A", "D1"]
    assert a_d1.reason == WeakPoint.Reason.SIGNIFICANT
    assert a_d1.question is None
    assert a_d1.score == pytest.approx(56.25)
    assert a_d1.n == 10
    assert (a_d1.ci_low, a_d1.ci_high) == (
        pytest.approx(52.1667, abs=1e-3),
        pytest.approx(60.3333, abs=1e-3),
    )
    assert a_d1.government_score == pytest.approx(2187.5 / 30)
    assert a_d1.government_ci_low == pytest.approx(68.0615, abs=1e-3)
    assert a_d1.severity == pytest.approx(2187.5 / 30 - 56.25)
    assert a_d1.threshold is None
    assert a_d1.respondent_type == "all"
    assert a_d1.status == WeakPoint.Status.OPEN and a_d1.still_weak
    a_q1 = weak["A", "Q1"]
    assert a_q1.dimension == "D1"
    assert a_q1.score == pytest.approx(37.5)
    assert a_q1.ci_high == pytest.approx(45.6667, abs=1e-3)
    assert a_q1.government_ci_low == pytest.approx(61.1229, abs=1e-3)
    assert a_q1.severity == pytest.approx(2125 / 30 - 37.5)
    assert (summary.found, summary.dimensions, summary.questions, summary.created) == (2, 1, 1, 2)


def test_a_unit_below_the_government_with_overlapping_intervals_is_not_weak() -> None:
    wave = make_wave()
    detect(run=compute_wave(wave=wave))
    # B's D2 is 62.5 against the government's 70.83, but 70.67 ≥ 67.44.
    assert ("B", "D2") not in found(wave)
    assert ("B", "Q3") not in found(wave)


def test_a_score_below_the_threshold_is_weak_even_when_not_significant() -> None:
    wave = make_wave()
    set_threshold(wave, 70)
    detect(run=compute_wave(wave=wave))
    weak = found(wave)
    # B's D2 (and its only question Q3): 62.5 < 70; severity = the larger of 70 − 62.5 = 7.5
    # and 70.83 − 62.5 = 8.33.
    assert set(weak) == {("A", "D1"), ("A", "Q1"), ("B", "D2"), ("B", "Q3")}
    for key in (("B", "D2"), ("B", "Q3")):
        assert weak[key].reason == WeakPoint.Reason.THRESHOLD
        assert weak[key].threshold == 70
        assert weak[key].severity == pytest.approx(2125 / 30 - 62.5)
    # A's D1 is both: 56.25 < 70 and significantly below.
    assert weak["A", "D1"].reason == WeakPoint.Reason.BOTH


def test_severity_is_the_distance_to_the_threshold_when_that_is_larger() -> None:
    wave = make_wave()
    set_threshold(wave, 80)
    detect(run=compute_wave(wave=wave))
    weak = found(wave)
    # C's D2 is 75: above the government's 70.83 but below 80 → severity 80 − 75 = 5.
    assert weak["C", "D2"].reason == WeakPoint.Reason.THRESHOLD
    assert weak["C", "D2"].severity == pytest.approx(5.0)
    # A score equal to the threshold is not below it: nobody's 75s would count at threshold 75.
    set_threshold(wave, 75)
    detect(run=IndexRun.objects.get(wave=wave))
    assert ("C", "D2") not in found(wave)
    assert ("C", "Q2") not in found(wave)


def test_weak_points_are_ranked_by_severity() -> None:
    wave = make_wave()
    set_threshold(wave, 70)
    detect(run=compute_wave(wave=wave))
    ranked = [
        (w.unit.code, w.question.code if w.question else w.dimension)
        for w in WeakPoint.objects.filter(wave=wave)
    ]
    # A Q1 33.33 > A D1 16.67 > B D2 = B Q3 8.33 (ties by unit, dimension, then the dimension
    # before its question).
    assert ranked[:2] == [("A", "Q1"), ("A", "D1")]
    assert set(ranked[2:]) == {("B", "D2"), ("B", "Q3")}


def test_suppressed_cells_are_never_flagged() -> None:
    # k = 3, threshold 70.
    # S: two respondents answering 1 everywhere (score 25): n 2 < 3, suppressed.
    # T: three respondents answering 1 (25). n 3 ≥ k: DINAS minus its published units would
    #    reveal S's two respondents, so the engine hides the aggregate DINAS, and T keeps its
    #    result (weak at 25).
    # E: five respondents; two answered Q1 (1 → 25), all answered Q2 (3 → 75):
    #    D1 per respondent = 50, 50, 75, 75, 75 → 65 with n 5: published, and below 70;
    #    Q1 has n 2 < 3: suppressed, so it is never a weak point although 25 < 70.
    rows = {
        **ROWS,
        "S": [[1, 1, 1]] * 2,
        "T": [[1, 1, 1]] * 3,
        "E": [[1, 3, 3]] * 2 + [[0, 3, 3]] * 3,
    }
    wave = make_wave(rows)
    set_threshold(wave, 70)
    detect(run=compute_wave(wave=wave))
    weak = found(wave)
    assert not [key for key in weak if key[0] == "S"]
    assert weak["T", "D1"].score == pytest.approx(25.0)
    assert weak["E", "D1"].score == pytest.approx(65.0)
    assert weak["E", "D1"].reason == WeakPoint.Reason.THRESHOLD
    assert ("E", "Q1") not in weak
    assert all(w.n >= 3 for w in weak.values())


def test_a_question_of_a_unit_with_enough_answers_is_flagged_although_a_sibling_is_small() -> None:
    # k = 3, threshold 70. F: five respondents, only two answered Q1: F's Q1 cell (n 2) is
    # suppressed. DINAS's Q1 minus its published units would then reveal those two answers, so
    # the aggregate (DINAS's Q1, then the government's) is hidden, not E's, which has 5.
    # E: five respondents answering Q1 = 1 (25), Q2 = 3 (75): D1 = 50 and Q1 = 25, both weak.
    rows = {
        **ROWS,
        "E": [[1, 3, 3]] * 5,
        "F": [[4, 4, 4]] * 2 + [[0, 4, 4]] * 3,
    }
    wave = make_wave(rows)
    set_threshold(wave, 70)
    detect(run=compute_wave(wave=wave))
    weak = found(wave)
    assert weak["E", "D1"].score == pytest.approx(50.0)
    assert weak["E", "Q1"].score == pytest.approx(25.0)
    assert not [key for key in weak if key[0] == "F"]


def test_units_that_only_contain_wave_units_are_not_flagged() -> None:
    wave = make_wave()
    set_threshold(wave, 90)  # everything is weak, including DINAS (the parent) as a node
    detect(run=compute_wave(wave=wave))
    assert {w.unit.code for w in WeakPoint.objects.filter(wave=wave)} == {"A", "B", "C"}


def test_each_respondent_type_is_checked_when_its_respondents_differ_from_all() -> None:
    parent = Unit.objects.create(code="DINAS", name="Dinas", type=Unit.Type.AGENCY)
    units = {
        code: Unit.objects.create(code=code, name=code, type=Unit.Type.DIVISION, parent=parent)
        for code in ("A", "B")
    }
    wave = make_wave({}, units=units)
    wave.respondent_types = ["internal", "external"]
    wave.save()
    # Internal respondents score 75 everywhere. External: A answers 1 (25), B answers 4 (100).
    # Pooled A = (10×75 + 10×25)/20 = 50; the external cell A = 25 against the government's
    # external (10×25 + 10×100)/20 = 62.5.
    for code in ("A", "B"):
        add_responses(wave, units[code], [[3, 3, 3]] * 10, "internal")
    add_responses(wave, units["A"], [[1, 1, 1]] * 10, "external")
    add_responses(wave, units["B"], [[4, 4, 4]] * 10, "external")
    set_threshold(wave, 60)
    detect(run=compute_wave(wave=wave))
    types = {
        (w.dimension, w.respondent_type)
        for w in WeakPoint.objects.filter(wave=wave, unit=units["A"], question=None)
    }
    assert types == {("D1", "all"), ("D2", "all"), ("D1", "external"), ("D2", "external")}
    external = WeakPoint.objects.get(
        wave=wave, unit=units["A"], dimension="D2", question=None, respondent_type="external"
    )
    assert external.score == pytest.approx(25.0)
    assert external.government_score == pytest.approx(62.5)


def test_detecting_again_updates_keeps_or_removes_stored_weak_points() -> None:
    wave = make_wave()
    set_threshold(wave, 70)
    run = compute_wave(wave=wave)
    detect(run=run)
    before = found(wave)
    request_recommendation(weak_point=before["B", "D2"], by=None, note="")
    dismiss(weak_point=before["A", "Q1"], by=None, reason="Covered by the 2025 action plan.")
    # Without a threshold only A's significant weak points remain.
    set_threshold(wave, None)
    summary = detect(run=run)
    after = found(wave)
    assert set(after) == {("A", "D1"), ("A", "Q1"), ("B", "D2")}
    # Same record, new figures: the reason and severity follow the new rule.
    assert after["A", "D1"].public_id == before["A", "D1"].public_id
    assert after["A", "D1"].reason == WeakPoint.Reason.SIGNIFICANT
    assert after["A", "D1"].threshold is None
    assert after["A", "D1"].status == WeakPoint.Status.OPEN
    # Dismissed and still weak: stays dismissed.
    assert after["A", "Q1"].status == WeakPoint.Status.DISMISSED and after["A", "Q1"].still_weak
    # A recommendation was requested: kept, marked as no longer weak.
    assert after["B", "D2"].status == WeakPoint.Status.RECOMMENDATION_REQUESTED
    assert not after["B", "D2"].still_weak
    # B's Q3 was open and is gone.
    assert (summary.found, summary.created, summary.updated, summary.removed, summary.kept) == (
        2,
        0,
        2,
        1,
        1,
    )
    # Weak again later: the kept one is weak again, the removed one comes back as new and open.
    set_threshold(wave, 70)
    again = detect(run=run)
    assert found(wave)["B", "D2"].still_weak
    assert found(wave)["B", "Q3"].status == WeakPoint.Status.OPEN
    assert again.created == 1


def test_detection_records_one_event_with_the_counts() -> None:
    wave = make_wave()
    set_threshold(wave, 70)
    run = compute_wave(wave=wave)
    detect(run=run)
    detect(run=run)
    events = list(Event.objects.filter(action="indices.weak_points_detected").order_by("seq"))
    assert len(events) == 2
    assert events[0].object_id == str(wave.pk)
    assert events[0].changes["weak_points"] == [None, 4]
    assert events[0].changes["weak_points_new"] == [None, 4]
    assert events[0].changes["weak_threshold"] == [None, 70.0]
    assert events[1].changes["weak_points"] == [4, 4]
    assert events[1].changes["weak_points_new"] == [None, 0]


def test_weak_points_of_other_waves_are_untouched() -> None:
    wave = make_wave()
    run = compute_wave(wave=wave)
    detect(run=run)
    other = build_wave(wave.version, [Unit.objects.get(code="A")], code="other-wave")
    add_responses(other, Unit.objects.get(code="A"), [[4, 4, 4]] * 5)
    detect(run=compute_wave(wave=other))
    assert WeakPoint.objects.filter(wave=wave).count() == 2
    assert not WeakPoint.objects.filter(wave=other).exists()


def test_judge_needs_an_interval_on_both_sides_for_significance() -> None:
    government = Cell(score=70.0, n=30, ci_low=65.0, ci_high=75.0)
    assert judge(Cell(50.0, 1, None, None), government, None) is None  # n 1: no interval
    assert judge(Cell(50.0, 10, 40.0, 60.0), Cell(70.0, 1, None, None), None) is None
    assert judge(Cell(50.0, 10, 40.0, 60.0), government, None) == (
        WeakPoint.Reason.SIGNIFICANT,
        20.0,
    )
    assert judge(Cell(50.0, 10, 40.0, 60.0), None, 55.0) == (WeakPoint.Reason.THRESHOLD, 5.0)
