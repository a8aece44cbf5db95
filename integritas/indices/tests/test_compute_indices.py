"""compute_wave on a tiny SKM-like wave, checked by hand, stored and replaced on recompute."""

from __future__ import annotations

import pytest
from django.utils import timezone

from integritas.audit.models import Event
from integritas.core.models import Unit
from integritas.indices.models import IndexResult, IndexRun
from integritas.indices.services.compute import NoResponses, compute_wave
from integritas.surveys.models import Response, Wave
from integritas.surveys.testing import build_version, build_wave

pytestmark = pytest.mark.django_db

# SMALL_SPEC slots: 0 sex (unscored), 1 U1, 2 U2 (Likert scored 1-4), 3 complained (unscored).
# Unit A: U1 = 4, 3, 2 -> NRR 3 -> 75.00;   U2 = 3, 3, 4 -> NRR 10/3 -> 83.33
#         IKM = (3 + 10/3) / 2 × 25 = 79.1667 -> grade B (76.61-88.30)
# Unit B: U1 = 1, 3 -> NRR 2 -> 50.00 (n 2); U2 = 2 only -> n 1 < k 2 -> suppressed
# With k 2, A's U2 (n 3) is hidden as well: DINAS's U2 (n 4) minus A's would give B's one
# answer (complementary suppression), and so is A's IKM, which is computed from U2.
# DINAS (parent of A and B) and ALL: U1 = 4, 3, 2, 1, 3 -> 2.6 -> 65.00; U2 = 3, 3, 4, 2 -> 3 -> 75
#         IKM = (2.6 + 3) / 2 × 25 = 70.00 -> grade C (65.00-76.60)
ROWS = [
    ("DINAS-A", [1, 4, 3, 1]),
    ("DINAS-A", [0, 3, 3, 0]),
    ("DINAS-A", [0, 2, 4, 2]),
    ("DINAS-B", [2, 1, 2, 0]),
    ("DINAS-B", [0, 3, 0, 0]),
]


def make_wave(*, k: int = 2, rows: list[tuple[str, list[int]]] = ROWS) -> Wave:
    dinas = Unit.objects.create(code="DINAS", name="Dinas", type=Unit.Type.AGENCY)
    units = {
        code: Unit.objects.create(code=code, name=code, type=Unit.Type.DIVISION, parent=dinas)
        for code in ("DINAS-A", "DINAS-B")
    }
    wave = build_wave(build_version(), list(units.values()), min_group_size=k)
    for code, answers in rows:
        Response.objects.create(
            wave=wave,
            unit=units[code],
            respondent_type="public",
            submitted_on=timezone.localdate(),
            answers=Response.pack(answers),
        )
    return wave


def cell(node: str, dimension: str, kind: str = "all") -> IndexResult:
    return IndexResult.objects.get(node=node, dimension=dimension, respondent_type=kind)


def test_scores_match_the_hand_computation() -> None:
    run = compute_wave(wave=make_wave(k=1))
    assert run.method == "satisfaction"
    assert run.response_count == 5
    assert run.config == {"k": 1}
    a_u1 = cell("DINAS-A", "U1")
    assert a_u1.score == pytest.approx(75.0)
    assert a_u1.n == 3
    assert a_u1.ci_low is not None and a_u1.ci_high is not None
    assert a_u1.ci_low < 75.0 < a_u1.ci_high
    assert cell("DINAS-A", "U2").score == pytest.approx(250 / 3)
    a_all = cell("DINAS-A", "ALL")
    assert a_all.score == pytest.approx(79.1666667)
    assert a_all.grade == "B"
    assert cell("DINAS-B", "U1").score == pytest.approx(50.0)
    for node in ("DINAS", "ALL"):
        assert cell(node, "U1").score == pytest.approx(65.0)
        assert cell(node, "U2").score == pytest.approx(75.0)
        total = cell(node, "ALL")
        assert total.score == pytest.approx(70.0)
        assert total.grade == "C"
        assert total.n == 5
    # Per respondent type as well as pooled.
    assert cell("DINAS-A", "U1", "public").score == pytest.approx(75.0)


def test_small_groups_are_stored_suppressed_without_values() -> None:
    compute_wave(wave=make_wave(k=2))
    hidden = cell("DINAS-B", "U2")
    assert hidden.suppressed
    assert hidden.n == 1
    assert (hidden.score, hidden.se, hidden.ci_low, hidden.ci_high, hidden.nrr) == (None,) * 5
    assert hidden.grade == ""
    assert not cell("DINAS-B", "U1").suppressed
    # DINAS (n 4) − A (n 3) would isolate B's one U2 answer: the aggregates DINAS and ALL are
    # hidden on U2, not A, which has enough answers of its own.
    assert not cell("DINAS-A", "U2").suppressed
    assert cell("DINAS-A", "U2").score == pytest.approx(250 / 3)
    for node in ("DINAS", "ALL"):
        assert cell(node, "U2").suppressed
        assert cell(node, "U2").score is None
        # The IKM leaves the hidden element out (so it cannot be solved for): U1 alone.
        assert not cell(node, "ALL").suppressed
        assert cell(node, "ALL").score == pytest.approx(cell(node, "U1").score)
    assert cell("DINAS-A", "ALL").score == pytest.approx(79.1666667)


def test_a_larger_min_group_size_suppresses_more() -> None:
    compute_wave(wave=make_wave(k=4))
    assert cell("DINAS-A", "U1").suppressed  # n 3 < 4
    assert cell("DINAS-A", "U1").score is None
    assert not cell("DINAS", "U1").suppressed  # n 5
    assert cell("DINAS", "U1").score == pytest.approx(65.0)


def test_recompute_replaces_the_previous_results_and_records_one_event_each() -> None:
    wave = make_wave()
    first = compute_wave(wave=wave)
    count = IndexResult.objects.count()
    assert count == first.results.count() > 0
    Response.objects.create(
        wave=wave,
        unit=Unit.objects.get(code="DINAS-B"),
        respondent_type="public",
        submitted_on=timezone.localdate(),
        answers=Response.pack([0, 4, 4, 0]),
    )
    second = compute_wave(wave=wave)
    assert list(IndexRun.objects.values_list("id", flat=True)) == [second.id]
    assert IndexResult.objects.count() == count
    assert second.response_count == 6
    assert cell("DINAS-B", "U2").n == 2 and not cell("DINAS-B", "U2").suppressed
    assert cell("DINAS-B", "U2").score == pytest.approx(75.0)  # (2 + 4) / 2 × 25
    events = list(Event.objects.filter(action="indices.computed").order_by("seq"))
    assert len(events) == 2
    assert events[-1].changes["responses"] == [5, 6]
    assert events[-1].changes["results"] == [count, count]


def test_results_of_other_waves_are_kept() -> None:
    wave = make_wave()
    other = build_wave(wave.version, [Unit.objects.get(code="DINAS-A")], code="other-wave")
    Response.objects.create(
        wave=other,
        unit=Unit.objects.get(code="DINAS-A"),
        respondent_type="public",
        submitted_on=timezone.localdate(),
        answers=Response.pack([0, 1, 1, 0]),
    )
    kept = compute_wave(wave=other)
    compute_wave(wave=wave)
    compute_wave(wave=wave)
    assert IndexRun.objects.filter(wave=other).get() == kept
    assert kept.results.count() > 0


def test_a_wave_without_responses_changes_nothing() -> None:
    wave = make_wave(rows=[])
    with pytest.raises(NoResponses):
        compute_wave(wave=wave)
    assert not IndexRun.objects.exists()
    assert not Event.objects.filter(action="indices.computed").exists()
