"""The loader reads a wave's responses into one int16 matrix and its units with ancestors."""

from __future__ import annotations

import numpy as np
import pytest
from django.utils import timezone

from integritas.core.models import Unit
from integritas.indices.services.loader import LoadError, load_wave, method_for
from integritas.surveys.models import Response, Wave
from integritas.surveys.testing import build_version, build_wave

pytestmark = pytest.mark.django_db

# SMALL_SPEC slots: 0 sex (unscored), 1 U1, 2 U2 (Likert 1-4), 3 complained (unscored).
ROWS = [
    ("DINAS-A", "public", [1, 4, 3, 1]),
    ("DINAS-B", "internal", [0, 3, 0, 0]),
    ("DINAS-A", "public", [0, 2, 4, 2]),
]


def _units() -> dict[str, Unit]:
    gov = Unit.objects.create(code="GOV", name="Pemerintah", type=Unit.Type.AGENCY)
    dinas = Unit.objects.create(code="DINAS", name="Dinas", type=Unit.Type.AGENCY, parent=gov)
    a = Unit.objects.create(code="DINAS-A", name="A", type=Unit.Type.DIVISION, parent=dinas)
    b = Unit.objects.create(code="DINAS-B", name="B", type=Unit.Type.DIVISION, parent=dinas)
    Unit.objects.create(code="OTHER", name="Other", type=Unit.Type.AGENCY)
    return {u.code: u for u in (gov, dinas, a, b)}


def _wave() -> Wave:
    units = _units()
    wave = build_wave(
        build_version(),
        [units["DINAS-A"], units["DINAS-B"]],
        respondent_types=["public", "internal"],
    )
    for code, kind, answers in ROWS:
        Response.objects.create(
            wave=wave,
            unit=units[code],
            respondent_type=kind,
            submitted_on=timezone.localdate(),
            answers=Response.pack(answers),
        )
    return wave


def test_matrix_holds_every_response_in_one_int16_block() -> None:
    wave = _wave()
    matrix, instrument, tree = load_wave(wave)
    assert matrix.answers.shape == (3, 4)
    assert matrix.answers.dtype == np.int16
    rows = sorted(matrix.answers.tolist())
    assert rows == sorted(answers for _, _, answers in ROWS)
    by_answers = {
        tuple(matrix.answers[i].tolist()): (
            tree.nodes[matrix.unit[i]],
            matrix.type_names[matrix.respondent_type[i]],
        )
        for i in range(3)
    }
    for code, kind, answers in ROWS:
        assert by_answers[tuple(answers)] == (code, kind)


def test_tree_has_the_wave_units_and_all_their_ancestors_only() -> None:
    _matrix, _instrument, tree = load_wave(_wave())
    assert set(tree.nodes) == {"GOV", "DINAS", "DINAS-A", "DINAS-B"}
    parent = {tree.nodes[i]: (tree.nodes[p] if p >= 0 else None) for i, p in enumerate(tree.parent)}
    assert parent == {"GOV": None, "DINAS": "GOV", "DINAS-A": "DINAS", "DINAS-B": "DINAS"}


def test_instrument_comes_from_the_slot_questions() -> None:
    _matrix, instrument, _tree = load_wave(_wave())
    assert instrument.dimension == (None, "U1", "U2", None)
    assert instrument.scores[1] == (1.0, 2.0, 3.0, 4.0)
    assert instrument.scores[0] == (None, None)
    assert instrument.groups == {"U1": None, "U2": None}


def test_a_wave_without_responses_gives_an_empty_matrix() -> None:
    units = _units()
    wave = build_wave(build_version(), [units["DINAS-A"]])
    matrix, _instrument, tree = load_wave(wave)
    assert matrix.answers.shape == (0, 4)
    assert set(tree.nodes) == {"GOV", "DINAS", "DINAS-A"}


def test_method_follows_the_instrument_kind() -> None:
    wave = _wave()
    assert method_for(wave) == "satisfaction"
    instrument = wave.version.instrument
    for kind, method in [
        ("integrity", "integrity"),
        ("zi_anticorruption", "zi_perception"),
        ("zi_service", "zi_perception"),
    ]:
        instrument.kind = kind
        assert method_for(wave) == method
    instrument.kind = "other"
    with pytest.raises(LoadError):
        method_for(wave)


def test_a_vector_of_another_length_is_padded_or_cut_to_the_slots() -> None:
    wave = _wave()
    unit = Unit.objects.get(code="DINAS-A")
    for answers in ([4, 4], [1, 2, 3, 4, 9]):
        Response.objects.create(
            wave=wave,
            unit=unit,
            respondent_type="public",
            submitted_on=timezone.localdate(),
            answers=Response.pack(answers),
        )
    matrix, _instrument, _tree = load_wave(wave)
    rows = matrix.answers.tolist()
    assert matrix.answers.shape == (5, 4)
    assert [4, 4, 0, 0] in rows and [1, 2, 3, 4] in rows
