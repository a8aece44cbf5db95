"""A recompute of a wave keeps its run and writes only the result cells and leaves that changed;
what it stores is exactly what a first computation stores."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from integritas.core.models import Unit
from integritas.indices.engine import Result
from integritas.indices.models import IndexResult, IndexRun
from integritas.indices.models.results import IndexLeaf
from integritas.indices.services.compute import compute_wave, node_digests
from integritas.indices.tests.test_compute_indices import make_wave
from integritas.surveys.models import Response, Wave

pytestmark = pytest.mark.django_db

VALUES = (
    "score",
    "n",
    "se",
    "ci_low",
    "ci_high",
    "grade",
    "nrr",
    "suppressed",
)


def stored(wave: Wave) -> tuple[dict[tuple[str, str, str], tuple[Any, ...]], dict[int, bytes]]:
    """The wave's result cells (key → values) and leaves (unit id → statistics)."""
    run = IndexRun.objects.get(wave=wave)
    cells = {
        (row[0], row[1], row[2]): row[3:]
        for row in IndexResult.objects.filter(run=run).values_list(
            "node", "dimension", "respondent_type", *VALUES
        )
    }
    leaves = {unit: bytes(stats) for unit, stats in run.leaves.values_list("unit_id", "stats")}
    return cells, leaves


def row_ids(wave: Wave) -> dict[tuple[str, str, str], int]:
    return {
        (node, dimension, kind): pk
        for pk, node, dimension, kind in IndexResult.objects.filter(run__wave=wave).values_list(
            "id", "node", "dimension", "respondent_type"
        )
    }


def add_response(wave: Wave, unit: str, answers: list[int]) -> None:
    Response.objects.create(
        wave=wave,
        unit=Unit.objects.get(code=unit),
        respondent_type="public",
        submitted_on=timezone.localdate(),
        answers=Response.pack(answers),
    )


def test_a_recompute_of_unchanged_responses_keeps_the_run_and_rewrites_no_row() -> None:
    wave = make_wave()
    first = compute_wave(wave=wave)
    before, ids = stored(wave), row_ids(wave)
    leaf_ids = set(IndexLeaf.objects.values_list("id", flat=True))
    second = compute_wave(wave=wave)
    assert second.pk == first.pk
    assert second.computed_at >= first.computed_at
    assert stored(wave) == before
    assert row_ids(wave) == ids
    assert set(IndexLeaf.objects.values_list("id", flat=True)) == leaf_ids


def test_a_recompute_after_new_responses_stores_what_a_first_computation_stores() -> None:
    wave = make_wave()
    compute_wave(wave=wave)
    ids = row_ids(wave)
    add_response(wave, "DINAS-B", [0, 4, 4, 0])
    add_response(wave, "DINAS-B", [0, 1, 2, 0])
    run = compute_wave(wave=wave)
    assert run.response_count == 7
    recomputed = stored(wave)
    kept = row_ids(wave)
    # Cells that did not change keep their rows; the others were rewritten.
    assert any(kept[key] == ids[key] for key in kept.keys() & ids.keys())
    assert kept != ids
    IndexRun.objects.filter(wave=wave).delete()
    compute_wave(wave=wave)
    assert stored(wave) == recomputed


def test_a_recompute_with_a_larger_min_group_size_stores_what_a_first_computation_stores() -> None:
    wave = make_wave(k=1)
    compute_wave(wave=wave)
    Wave.objects.filter(pk=wave.pk).update(min_group_size=4)
    wave.refresh_from_db()
    compute_wave(wave=wave)
    recomputed = stored(wave)
    assert recomputed[0][("DINAS-A", "U1", "all")][-1] is True  # n 3 < 4: suppressed now
    IndexRun.objects.filter(wave=wave).delete()
    compute_wave(wave=wave)
    assert stored(wave) == recomputed


def test_a_recompute_repairs_stored_cells_that_were_changed_deleted_or_doubled() -> None:
    """When the stored rows no longer add up to the run's per-node digests, every stored row is
    compared with the computed cells."""
    wave = make_wave()
    compute_wave(wave=wave)
    expected = stored(wave)
    run = IndexRun.objects.get(wave=wave)
    cells = list(IndexResult.objects.filter(run=run).order_by("id"))
    IndexResult.objects.filter(pk=cells[0].pk).update(n=999, score=1.0)
    IndexResult.objects.filter(pk__in=[cells[1].pk, cells[3].pk]).delete()
    doubled = cells[2]
    doubled.pk = None
    doubled.save()
    IndexLeaf.objects.filter(run=run).first().delete()  # type: ignore[union-attr]
    compute_wave(wave=wave)
    assert stored(wave) == expected
    assert IndexResult.objects.filter(run=run).count() == len(expected[0])


def test_a_recompute_rewrites_only_the_nodes_whose_cells_changed() -> None:
    wave = make_wave()
    compute_wave(wave=wave)
    ids = row_ids(wave)
    add_response(wave, "DINAS-A", [0, 4, 4, 0])
    compute_wave(wave=wave)
    kept = row_ids(wave)
    rewritten = {key[0] for key in kept if kept[key] != ids.get(key)}
    assert "DINAS-A" in rewritten and "ALL" in rewritten
    run = IndexRun.objects.get(wave=wave)
    assert run.node_digests == node_digests(
        sorted_results(run)  # what is stored is what the digests describe
    )
    recomputed = stored(wave)
    IndexRun.objects.filter(wave=wave).delete()
    compute_wave(wave=wave)
    assert stored(wave) == recomputed


def sorted_results(run: IndexRun) -> list[Result]:
    """The run's cells as ``Result`` tuples in the engine's order (node, type, dimension)."""
    from integritas.indices.services.loader import load

    loaded = load(run.wave)
    order = {code: i for i, code in enumerate(loaded.tree.codes)}
    rows = [
        Result(
            node,
            dimension,
            kind,
            score,
            n,
            se,
            low,
            high,
            grade or None,
            suppressed,
            nrr,
        )
        for node, dimension, kind, score, n, se, low, high, grade, suppressed, nrr in (
            IndexResult.objects.filter(run=run)
            .order_by("id")
            .values_list(
                "node",
                "dimension",
                "respondent_type",
                "score",
                "n",
                "se",
                "ci_low",
                "ci_high",
                "grade",
                "suppressed",
                "nrr",
            )
        )
    ]
    return sorted(rows, key=lambda r: order[r.node])
