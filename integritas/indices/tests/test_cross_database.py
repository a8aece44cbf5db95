"""Stored index results are the engine's results, on SQLite and on PostgreSQL alike.

CI runs the suite on both databases, so these tests check the same thing on each:

* a hypothesis-generated small wave stored through ``compute_wave`` reads back exactly equal to
  ``engine.compute`` on the same data built by hand (no loader): every cell, every float bit for
  bit (both databases store double precision), the empty grade and NULLs of suppressed cells;
* a fixed reference wave per method reads back equal, within 1e-9, to the golden file
  ``cross_database_golden.json`` beside this test (values rounded to 9 decimals).

Regenerate the golden file after an intended change of the engine's numbers (it is written from
``engine.compute`` on the reference data, then the test compares the stored results with it)::

    INDICES_GOLDEN=write .venv/bin/pytest integritas/indices/tests/test_cross_database.py -k golden

and review the diff of the JSON file before committing it.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from integritas.core.models import Unit
from integritas.indices.engine import Instrument, Matrix, Result, Tree, compute
from integritas.indices.models import IndexResult, IndexRun
from integritas.indices.services.compute import compute_wave
from integritas.indices.services.loader import config_for, method_for
from integritas.surveys.models import Dimension, Response, Wave
from integritas.surveys.testing import build_version, build_wave

pytestmark = pytest.mark.django_db

GOLDEN = Path(__file__).with_name("cross_database_golden.json")
DECIMALS = 9
OPENS_ON = dt.date(2025, 1, 6)  # a fixed year, so the year's method settings never change
FIELDS = ("score", "n", "se", "ci_low", "ci_high", "grade", "nrr", "suppressed")


@dataclass(frozen=True)
class Scenario:
    """A wave as plain data, stored through the models or handed straight to the engine."""

    kind: str  # instrument kind
    units: tuple[tuple[str, str | None], ...]  # (code, parent code), parents first
    slots: tuple[tuple[str | None, tuple[int | None, ...]], ...]  # (dimension, choice scores)
    groups: tuple[tuple[str, str], ...]  # (dimension, group or "")
    types: tuple[str, ...]  # the wave's respondent types, in order
    rows: tuple[tuple[str, str, tuple[int, ...]], ...]  # (unit code, type, answer codes)
    k: int

    def store(self) -> Wave:
        """Units, a published instrument version, the wave and its responses in the database."""
        units: dict[str, Unit] = {}
        for code, parent in self.units:
            units[code] = Unit.objects.create(
                code=code,
                name=code,
                type=Unit.Type.AGENCY if parent is None else Unit.Type.DIVISION,
                parent=units[parent] if parent else None,
            )
        dimensions = [code for code, _ in self.groups]
        spec = {
            "code": f"xdb-{self.kind}",
            "kind": self.kind,
            "title": "Cross-database",
            "dimensions": [(code, code) for code in dimensions],
            "sections": [
                {
                    "code": "s1",
                    "title": "Bagian 1",
                    "questions": [
                        {
                            "code": f"Q{slot}",
                            "type": "single",
                            "dimension": dimension or "",
                            "choices": [
                                (f"c{i}", f"Pilihan {i}", score) for i, score in enumerate(scores)
                            ],
                        }
                        for slot, (dimension, scores) in enumerate(self.slots)
                    ],
                }
            ],
        }
        version = build_version(spec)
        for code, group in self.groups:
            Dimension.objects.filter(version=version, code=code).update(group=group)
        wave = build_wave(
            version,
            list(units.values()),
            code=f"xdb-{self.kind}",
            respondent_types=list(self.types),
            min_group_size=self.k,
            opens_on=OPENS_ON,
            closes_on=OPENS_ON + dt.timedelta(days=30),
            status=Wave.Status.CLOSED,
        )
        Response.objects.bulk_create(
            Response(
                wave=wave,
                unit=units[unit],
                respondent_type=kind,
                submitted_on=OPENS_ON,
                answers=Response.pack(list(answers)),
            )
            for unit, kind, answers in self.rows
        )
        return wave

    def engine_inputs(self) -> tuple[Matrix, Instrument, Tree]:
        """The same wave as the engine's plain inputs, built without the loader."""
        codes = [code for code, _ in self.units]
        tree = Tree(codes, [-1 if p is None else codes.index(p) for _, p in self.units])
        instrument = Instrument(
            [dimension for dimension, _ in self.slots],
            [scores for _, scores in self.slots],
            {code: group or None for code, group in self.groups},
        )
        # As documented for the loader: the types that answered, in the wave's order.
        answered = [t for t in self.types if any(kind == t for _, kind, _ in self.rows)]
        matrix = Matrix(
            answers=np.array([answers for _, _, answers in self.rows], dtype=np.int16).reshape(
                len(self.rows), len(self.slots)
            ),
            unit=np.array([codes.index(unit) for unit, _, _ in self.rows], dtype=np.int32),
            respondent_type=np.array(
                [answered.index(kind) for _, kind, _ in self.rows], dtype=np.int8
            ),
            type_names=answered,
        )
        return matrix, instrument, tree


def engine_results(scenario: Scenario, wave: Wave) -> list[Result]:
    matrix, instrument, tree = scenario.engine_inputs()
    return compute(
        method_for(wave), matrix=matrix, instrument=instrument, tree=tree, config=config_for(wave)
    )


def expected_cells(results: list[Result]) -> dict[tuple[str, str, str], tuple[Any, ...]]:
    """The engine's cells as compute_wave stores them (no grade = "", suppressed = NULLs)."""
    return {
        (r.node, r.dimension, r.respondent_type): (
            (None, r.n, None, None, None, "", None, True)
            if r.suppressed
            else (r.score, r.n, r.se, r.ci_low, r.ci_high, r.grade or "", r.nrr, False)
        )
        for r in results
    }


def stored_cells(run: IndexRun) -> dict[tuple[str, str, str], tuple[Any, ...]]:
    rows = IndexResult.objects.filter(run=run).values_list(
        "node", "dimension", "respondent_type", *FIELDS
    )
    cells = {row[:3]: row[3:] for row in rows}
    assert len(cells) == run.results.count(), "a cell is stored twice"
    return cells


# --- (a) any small wave: stored results are exactly the engine's ---------------------------

KINDS = ("satisfaction", "integrity", "zi_anticorruption")
TYPES = ("internal", "external", "public")


@st.composite
def scenarios(draw: Any) -> Scenario:
    units: list[tuple[str, str | None]] = []
    for r in range(1, draw(st.integers(1, 2)) + 1):
        units.append((f"R{r}", None))
        units += [(f"R{r}.C{c}", f"R{r}") for c in range(1, draw(st.integers(0, 3)) + 1)]
    dimensions = [f"D{d}" for d in range(1, draw(st.integers(1, 3)) + 1)]
    score = st.one_of(st.none(), st.integers(0, 10))
    slots = draw(
        st.lists(
            st.tuples(
                st.one_of(st.none(), st.sampled_from(dimensions)),
                st.lists(score, min_size=2, max_size=5).map(tuple),
            ),
            min_size=1,
            max_size=5,
        )
    )
    used = list(dict.fromkeys(d for d, _ in slots if d is not None))
    groups = [(d, draw(st.sampled_from(["", "internal", "external", "expert"]))) for d in used]
    types = draw(st.lists(st.sampled_from(TYPES), min_size=1, max_size=3, unique=True))
    rows = draw(
        st.lists(
            st.tuples(
                st.sampled_from([code for code, _ in units]),
                st.sampled_from(types),
                # 0 = no answer; codes above the number of choices count as no answer too.
                st.lists(st.integers(0, 6), min_size=len(slots), max_size=len(slots)).map(tuple),
            ),
            min_size=1,
            max_size=30,
        )
    )
    return Scenario(
        kind=draw(st.sampled_from(KINDS)),
        units=tuple(units),
        slots=tuple(slots),
        groups=tuple(groups),
        types=tuple(types),
        rows=tuple(rows),
        k=draw(st.integers(2, 4)),
    )


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(scenario=scenarios())
def test_stored_results_are_exactly_the_engines_results(scenario: Scenario) -> None:
    # One database for every example: each one runs in a transaction that is rolled back.
    with transaction.atomic():
        wave = scenario.store()
        run = compute_wave(wave=wave)
        expected = expected_cells(engine_results(scenario, wave))
        stored = stored_cells(run)
        assert stored.keys() == expected.keys()
        for key, cell in expected.items():
            # Plain ==: floats must come back bit for bit (double precision on both databases).
            assert stored[key] == cell, key
        transaction.set_rollback(True)


# --- (b) a fixed wave per method: stored results match the golden file ---------------------


def reference(kind: str) -> Scenario:
    """A fixed wave: two agencies, five divisions, six questions in three dimensions, 150
    responses of two types whose answers follow a fixed formula (no random generator, so the
    data cannot change with a library version). Codes 5 are out of range (no answer) except
    on the question with a "don't know" choice."""
    units = (
        ("AGENCY-A", None),
        ("AGENCY-A.1", "AGENCY-A"),
        ("AGENCY-A.2", "AGENCY-A"),
        ("AGENCY-A.3", "AGENCY-A"),
        ("AGENCY-B", None),
        ("AGENCY-B.1", "AGENCY-B"),
        ("AGENCY-B.2", "AGENCY-B"),
    )
    likert = (1, 2, 3, 4)
    slots = (
        ("D1", likert),
        ("D1", likert),
        ("D2", (1, 2, 3, 4, None)),  # a "don't know" choice
        ("D2", likert),
        ("D3", (4, 3, 2, 1)),  # reversed item
        (None, (None, None)),  # unscored profile question
    )
    groups = (("D1", "internal"), ("D2", "internal"), ("D3", "external"))
    # 146 responses spread over four divisions and both types, then 4 in AGENCY-B.2, whose
    # cells fall below k = 5 and are suppressed; AGENCY-B has no responses of its own, so
    # AGENCY-B minus AGENCY-B.1 would give AGENCY-B.2 away: AGENCY-B.1 is hidden as well.
    spread = ("AGENCY-A.1", "AGENCY-A.2", "AGENCY-A.3", "AGENCY-B.1")
    placed = [(spread[i % 4], ("internal", "external")[(i // 4) % 2]) for i in range(146)]
    placed += [("AGENCY-B.2", ("internal", "external")[i % 2]) for i in range(4)]
    rows = tuple(
        (unit, kind, tuple((i * (2 * s + 3) + s + i // 11) % 6 for s in range(len(slots))))
        for i, (unit, kind) in enumerate(placed)
    )
    return Scenario(
        kind=kind,
        units=units,
        slots=slots,
        groups=groups,
        types=("internal", "external"),
        rows=rows,
        k=5,
    )


def rounded(cells: dict[tuple[str, str, str], tuple[Any, ...]]) -> list[dict[str, Any]]:
    return [
        {
            "node": key[0],
            "dimension": key[1],
            "respondent_type": key[2],
            **{
                name: round(value, DECIMALS) if isinstance(value, float) else value
                for name, value in zip(FIELDS, cell, strict=True)
            },
        }
        for key, cell in sorted(cells.items())
    ]


def dump(golden: dict[str, list[dict[str, Any]]]) -> str:
    """One cell per line, so a regenerated file shows a readable diff."""
    methods = [
        f"{json.dumps(kind)}: [\n"
        + ",\n".join(f"  {json.dumps(cell, sort_keys=True)}" for cell in cells)
        + "\n ]"
        for kind, cells in sorted(golden.items())
    ]
    return "{\n " + ",\n ".join(methods) + "\n}\n"


@pytest.mark.parametrize("kind", KINDS)
def test_stored_results_of_the_reference_wave_match_the_golden_file(kind: str) -> None:
    scenario = reference(kind)
    wave = scenario.store()
    run = compute_wave(wave=wave)
    if os.environ.get("INDICES_GOLDEN") == "write":
        golden = json.loads(GOLDEN.read_text()) if GOLDEN.exists() else {}
        golden[kind] = rounded(expected_cells(engine_results(scenario, wave)))
        GOLDEN.write_text(dump(golden))
    expected = json.loads(GOLDEN.read_text())[kind]
    stored = rounded(stored_cells(run))
    assert [(c["node"], c["dimension"], c["respondent_type"]) for c in stored] == [
        (c["node"], c["dimension"], c["respondent_type"]) for c in expected
    ]
    for mine, theirs in zip(stored, expected, strict=True):
        for name in FIELDS:
            if isinstance(theirs[name], float):
                assert mine[name] == pytest.approx(theirs[name], rel=0, abs=1e-9), (mine, name)
            else:
                assert mine[name] == theirs[name], (mine, name)
    # The reference wave exercises what it is meant to: shown cells, cells hidden because
    # they are small, and cells hidden although large (complementary suppression).
    assert any(c["score"] is not None for c in expected)
    assert any(c["suppressed"] and 0 < c["n"] < scenario.k for c in expected)
    assert any(c["suppressed"] and c["n"] >= scenario.k for c in expected)
