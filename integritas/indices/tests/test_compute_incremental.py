"""update_wave: only the dirty units' responses are read, and the stored results are exactly
those of a full recomputation."""

from __future__ import annotations

from typing import Any
from unittest import mock

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from integritas.audit.models import Event
from integritas.core.models import Unit
from integritas.indices.engine import registry
from integritas.indices.models import IndexResult, IndexRun
from integritas.indices.models.results import IndexLeaf, WaveIndexState
from integritas.indices.services import compute as services
from integritas.indices.services.compute import compute_wave, mark_responses_changed, update_wave
from integritas.surveys.models import Response, Wave
from integritas.surveys.testing import build_version, build_wave

pytestmark = pytest.mark.django_db

# SMALL_SPEC slots: 0 sex (unscored), 1 U1, 2 U2 (Likert 1-4), 3 complained (unscored).
# Units: GOV > DINAS > (DINAS-A, DINAS-B); GOV > BADAN (which takes responses itself); KEC alone.
UNIT_CODES = ("DINAS-A", "DINAS-B", "BADAN", "KEC")
TYPES = ("public", "internal")
FIELDS = ("score", "n", "se", "ci_low", "ci_high", "grade", "nrr", "suppressed")


def make_units() -> dict[str, Unit]:
    gov = Unit.objects.create(code="GOV", name="Pemerintah", type=Unit.Type.AGENCY)
    dinas = Unit.objects.create(code="DINAS", name="Dinas", type=Unit.Type.AGENCY, parent=gov)
    units = {
        "DINAS-A": Unit.objects.create(
            code="DINAS-A", name="A", type=Unit.Type.DIVISION, parent=dinas
        ),
        "DINAS-B": Unit.objects.create(
            code="DINAS-B", name="B", type=Unit.Type.DIVISION, parent=dinas
        ),
        "BADAN": Unit.objects.create(code="BADAN", name="Badan", type=Unit.Type.AGENCY, parent=gov),
        "KEC": Unit.objects.create(code="KEC", name="Kecamatan", type=Unit.Type.AGENCY),
    }
    return units


def make_wave(units: dict[str, Unit], *, k: int, code: str = "wave-incremental") -> Wave:
    return build_wave(
        build_version(),
        [units["DINAS-A"], units["DINAS-B"], units["BADAN"]],
        code=code,
        min_group_size=k,
        respondent_types=list(TYPES),
    )


def add(wave: Wave, unit: Unit, kind: str, answers: list[int]) -> Response:
    return Response.objects.create(
        wave=wave,
        unit=unit,
        respondent_type=kind,
        submitted_on=timezone.localdate(),
        answers=Response.pack(answers),
    )


def stored(wave: Wave) -> dict[tuple[str, str, str], tuple[Any, ...]]:
    run = IndexRun.objects.get(wave=wave)
    rows = run.results.values_list("node", "dimension", "respondent_type", *FIELDS)
    return {row[:3]: row[3:] for row in rows}


responses = st.lists(
    st.tuples(
        st.sampled_from(UNIT_CODES),
        st.sampled_from(TYPES),
        st.lists(st.integers(0, 4), min_size=4, max_size=4),
    ),
    max_size=30,
)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    first=responses.filter(bool),
    added=responses,
    deleted=st.lists(st.integers(0, 40), max_size=10),
    k=st.integers(1, 4),
)
def test_an_incremental_update_stores_exactly_what_a_full_recompute_stores(
    first, added, deleted, k
):
    # Never fall back to a full run because many of these few units changed.
    with transaction.atomic(), mock.patch.object(services, "INCREMENTAL_SHARE", 0):
        units = make_units()
        wave = make_wave(units, k=k)
        rows = [add(wave, units[code], kind, answers) for code, kind, answers in first]
        compute_wave(wave=wave)
        gone = {rows[i % len(rows)] for i in deleted}
        for row in gone:
            row.delete()
        for code, kind, answers in added:
            add(wave, units[code], kind, answers)
        touched = {row.unit_id for row in gone} | {units[code].pk for code, _, _ in added}
        mark_responses_changed(wave_id=wave.pk, unit_ids=touched, count=len(gone) + len(added))
        if not Response.objects.filter(wave=wave).exists():
            transaction.set_rollback(True)
            return
        update_wave(wave=wave)
        incremental = stored(wave)
        compute_wave(wave=wave)
        full = stored(wave)
        assert incremental == full
        transaction.set_rollback(True)


def test_it_reads_and_rewrites_only_the_changed_unit_and_the_nodes_above_it():
    units = make_units()
    wave = make_wave(units, k=1)
    for code in ("DINAS-A", "DINAS-B", "BADAN"):
        add(wave, units[code], "public", [0, 3, 2, 0])
        add(wave, units[code], "internal", [0, 4, 4, 0])
    run = compute_wave(wave=wave)
    kept = dict(
        run.results.exclude(node__in=["DINAS-A", "DINAS", "GOV", "ALL"]).values_list("id", "score")
    )
    add(wave, units["DINAS-A"], "public", [0, 1, 1, 0])
    mark_responses_changed(wave_id=wave.pk, unit_ids=[units["DINAS-A"].pk], count=1)

    updated = update_wave(wave=wave)

    assert updated.pk == run.pk
    assert updated.response_count == 7
    # Rows of DINAS-B and BADAN are the very same rows; the others were rewritten.
    assert dict(IndexResult.objects.filter(id__in=kept).values_list("id", "score")) == kept
    assert IndexResult.objects.filter(
        run=run, node="DINAS-A", dimension="U1", respondent_type="public"
    ).get().score == pytest.approx((3 + 1) / 2 * 25)
    event = Event.objects.filter(action="indices.updated").get()
    assert event.changes == {"units": [None, 1], "responses": [6, 7], "results": [None, 4 * 3 * 3]}
    assert IndexLeaf.objects.filter(run=run).count() == 3
    state = WaveIndexState.objects.get(wave=wave)
    assert state.status == WaveIndexState.Status.FRESH
    assert state.dirty_units == [] and state.changed_responses == 0
    assert state.responses_at_compute == 7


def test_it_recomputes_in_full_when_a_setting_changed_since_the_stored_run():
    units = make_units()
    wave = make_wave(units, k=1)
    add(wave, units["DINAS-A"], "public", [0, 3, 2, 0])
    compute_wave(wave=wave)
    wave.min_group_size = 2
    wave.save()
    add(wave, units["DINAS-A"], "public", [0, 3, 2, 0])
    mark_responses_changed(wave_id=wave.pk, unit_ids=[units["DINAS-A"].pk], count=1)

    run = update_wave(wave=wave)

    assert run.config["k"] == 2
    assert not Event.objects.filter(action="indices.updated").exists()
    assert Event.objects.filter(action="indices.computed").count() == 2


def test_it_recomputes_in_full_for_a_respondent_type_new_to_the_wave():
    units = make_units()
    wave = make_wave(units, k=1)
    add(wave, units["DINAS-A"], "public", [0, 3, 2, 0])
    compute_wave(wave=wave)
    add(wave, units["DINAS-B"], "internal", [0, 3, 2, 0])
    mark_responses_changed(wave_id=wave.pk, unit_ids=[units["DINAS-B"].pk], count=1)

    run = update_wave(wave=wave)

    assert run.type_names == ["public", "internal"]
    assert stored(wave)[("DINAS-B", "U1", "internal")][1] == 1


def test_nothing_is_read_when_no_unit_is_dirty():
    units = make_units()
    wave = make_wave(units, k=1)
    add(wave, units["DINAS-A"], "public", [0, 3, 2, 0])
    run = compute_wave(wave=wave)
    assert update_wave(wave=wave) == run
    assert Event.objects.filter(action__startswith="indices.").count() == 1


def test_a_sibling_whose_suppression_flips_when_one_unit_grows_is_rewritten_as_in_full():
    # k = 4. One public response more in BADAN makes GOV's residual large enough, which changes
    # what must be hidden in DINAS, a node that is neither BADAN nor above it.
    units = make_units()
    wave = make_wave(units, k=4)
    counts = {"DINAS-A": (1, 3), "DINAS-B": (0, 3), "KEC": (5, 1)}
    for code, (public, internal) in counts.items():
        for kind, times in (("public", public), ("internal", internal)):
            for _ in range(times):
                add(wave, units[code], kind, [0, 3, 2, 0])
    compute_wave(wave=wave)
    before = stored(wave)
    add(wave, units["BADAN"], "public", [0, 3, 2, 0])
    mark_responses_changed(wave_id=wave.pk, unit_ids=[units["BADAN"].pk], count=1)

    update_wave(wave=wave)
    incremental = stored(wave)
    compute_wave(wave=wave)

    assert incremental == stored(wave)
    flipped = {
        cell[0]
        for cell, values in incremental.items()
        if before.get(cell, values)[-1] != values[-1]
    }
    assert "DINAS" in flipped


def test_an_update_rolls_the_leaves_up_once():
    # The suppression before the change is decided on counts alone (the stored counts of the
    # changed units tell how the old counts differ), so the old leaves are not rolled up again.
    units = make_units()
    wave = make_wave(units, k=2)
    for code in ("DINAS-A", "DINAS-B", "BADAN"):
        add(wave, units[code], "public", [0, 3, 2, 0])
        add(wave, units[code], "internal", [0, 4, 4, 0])
    compute_wave(wave=wave)
    add(wave, units["DINAS-A"], "public", [0, 1, 1, 0])
    mark_responses_changed(wave_id=wave.pk, unit_ids=[units["DINAS-A"].pk], count=1)

    with mock.patch.object(registry, "roll_up", wraps=registry.roll_up) as roll_up:
        update_wave(wave=wave)

    assert roll_up.call_count == 1
    assert Event.objects.filter(action="indices.updated").count() == 1
