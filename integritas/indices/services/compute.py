"""Compute a wave's indices and store them, in full or for the units whose responses changed;
keep the wave's fill-state (see docs/compute-indices.md).

Responses arriving or leaving mark their units dirty in the fill-state
(``mark_responses_changed``, through ``indices.signals``) and nothing else: no task is queued
per response, so no task row or log line dates one. The scheduled task
``indices.tasks.refresh_stale_indices`` (every ``INDICES_REFRESH_MINUTES``) runs
``refresh_stale_waves``, which recomputes every out-of-date wave incrementally (only the dirty
units' responses are read), records the outcome in the fill-state and looks for weak points
again.
"""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
import json
import logging
import marshal
import time
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from itertools import groupby, zip_longest
from operator import itemgetter
from typing import Any

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy, ngettext
from django_tasks import task

from integritas import audit
from integritas.audit.context import acting_as
from integritas.core.history import UnitChanges
from integritas.indices import engine
from integritas.indices.engine import Instrument, Leaves, Result, Tree
from integritas.indices.engine.suppression import complementary
from integritas.indices.models import IndexResult, IndexRun
from integritas.indices.models.results import IndexLeaf, WaveIndexState
from integritas.indices.services import incremental, weak_points
from integritas.indices.services.loader import (
    LoadError,
    NewRespondentType,
    config_for,
    load_instrument,
    load_tree,
    load_units,
    method_for,
    prepare,
    wave_unit_ids,
)
from integritas.indices.services.settings import METHODS
from integritas.surveys.models import Response, Wave

BATCH_SIZE = 20_000
NODE_BATCH = 500  # node codes per DELETE when rewriting some nodes' results
INCREMENTAL_SHARE = 2  # more than 1/2 of the units changed: recompute in full instead
COMPUTING_TIMEOUT = dt.timedelta(minutes=30)  # a computation older than this has died

logger = logging.getLogger(__name__)

# The figures these events record on a wave add up every unit: a viewer limited to some units does
# not see them in the wave's history (core/history.py).
# The names of this app's event changes that are not model fields, and the names its tasks act
# under, for the audit pages.
EVENT_LABELS = {
    "previous_own": gettext_lazy("Previously marked as own government"),
    "units": gettext_lazy("units"),
    "results": gettext_lazy("results"),
    "suppressed": gettext_lazy("results hidden (groups too small)"),
}
EVENT_ACTORS = {
    "refresh_indices": gettext_lazy("Scheduled task: index refresh"),
    "compute_indices": gettext_lazy("Command: compute indices"),
}

UNIT_CHANGES = {
    "indices.computed": UnitChanges(totals=frozenset({"responses", "results", "suppressed"})),
    "indices.updated": UnitChanges(totals=frozenset({"units", "responses", "results"})),
    "indices.weak_points_detected": UnitChanges(
        totals=frozenset(
            {
                "weak_points",
                "weak_points_new",
                "weak_points_removed",
                "weak_points_kept",
            }
        )
    ),
}


class NoResponses(ValueError):
    """The wave has no responses, so there is nothing to compute."""


RESULT_FIELDS = (
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
"""The ``IndexResult`` columns in the order of ``engine.Result``'s fields, so a result is a row."""


def _insert_results(run: IndexRun, results: list[Result]) -> None:
    """Insert the cells (a national wave has ~200,000 of them) without building model instances.

    ``engine.Result`` is a named tuple whose fields are the table's columns in order, and
    suppressed cells already hold None for every value: on SQLite each result is handed to
    ``executemany`` as it is (the run id is a constant of the statement and the grade, None when
    there is none, is stored as an empty string by ``COALESCE``); on PostgreSQL the rows are
    streamed with ``COPY`` (``executemany`` there runs one statement per row, 12-20 s).
    """
    meta = IndexResult._meta
    qn = connection.ops.quote_name
    column = {field.name: field.column for field in meta.concrete_fields}
    table = qn(meta.db_table)
    names = [column[name] for name in RESULT_FIELDS]
    grade = RESULT_FIELDS.index("grade")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            columns = ", ".join(qn(c) for c in (column["run"], *names))
            pk = run.pk
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                write = copy.write_row
                for r in results:
                    write((pk, *r[:grade], r[grade] or "", *r[grade + 1 :]))
            return
        columns = ", ".join(qn(c) for c in (column["run"], *names))
        values = ["%s"] * len(names)
        values[grade] = "COALESCE(%s, '')"
        sql = f"INSERT INTO {table} ({columns}) VALUES ({int(run.pk)}, {', '.join(values)})"  # noqa: S608 - names from the model, the run id an int, values bound
        for begin in range(0, len(results), BATCH_SIZE):
            cursor.executemany(sql, results[begin : begin + BATCH_SIZE])


def _stored_rows(sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    collecting = gc.isenabled()
    gc.disable()  # up to ~200,000 row tuples without cycles: skip the collector's passes
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return [tuple(row) for row in cursor.fetchall()]
    finally:
        if collecting:
            gc.enable()


def _delete_ids(model: type[Any], ids: list[int]) -> None:
    for begin in range(0, len(ids), NODE_BATCH):
        model.objects.filter(id__in=ids[begin : begin + NODE_BATCH]).delete()


def _replace_results(run: IndexRun, results: list[Result]) -> int:
    """Make the run's stored cells equal ``results``, writing only the cells that differ: a cell
    whose values changed is deleted and inserted again, a cell no longer computed is deleted, a
    new one inserted. Returns how many cells the run had.

    The stored cells are read back in id order, which is the order they were inserted in, so
    for an unchanged wave each row lines up with its result and one tuple comparison per cell
    decides (the grade is read back as NULL when empty, so a row equals its ``Result``).
    """
    meta = IndexResult._meta
    qn = connection.ops.quote_name
    column = {field.name: field.column for field in meta.concrete_fields}
    selected = [
        f"NULLIF({qn(column[name])}, '')" if name == "grade" else qn(column[name])
        for name in ("id", *RESULT_FIELDS)
    ]
    key = RESULT_FIELDS.index("score")  # node, dimension and respondent type come first
    collecting = gc.isenabled()
    gc.disable()  # ~200,000 row tuples without cycles: skip the collector's passes
    try:
        rows = _stored_rows(
            f"SELECT {', '.join(selected)} FROM {qn(meta.db_table)} "  # noqa: S608 - names from the model, value bound
            f"WHERE {qn(column['run'])} = %s ORDER BY {qn(column['id'])}",
            [run.pk],
        )
        old: dict[tuple[Any, ...], tuple[Any, ...]] = {}
        unmatched: list[Result] = []
        duplicated = False
        for was, result in zip_longest(rows, results):
            if was is not None and result is not None and was[1:] == result:
                continue
            if was is not None:
                duplicated = duplicated or was[1 : 1 + key] in old
                old[was[1 : 1 + key]] = was
            if result is not None:
                unmatched.append(result)
        if duplicated:  # the same cell stored twice: rewrite them all
            IndexResult.objects.filter(run=run).delete()
            _insert_results(run, results)
            return len(rows)
        stale: list[int] = []
        fresh: list[Result] = []
        for result in unmatched:
            was = old.pop(result[:key], None)
            if was is not None and was[1:] == result:
                continue  # the same cell, stored at another place
            if was is not None:
                stale.append(was[0])
            fresh.append(result)
        stale.extend(row[0] for row in old.values())
    finally:
        if collecting:
            gc.enable()
    _delete_ids(IndexResult, stale)
    _insert_results(run, fresh)
    return len(rows)


def node_digests(results: Iterable[Result]) -> dict[str, list[Any]]:
    """Per node code: [a digest of its result cells, how many], for ``IndexRun.node_digests``.
    The cells are serialised exactly (``marshal`` writes floats as their 8 bytes), so equal
    digests mean equal cells."""
    digests: dict[str, list[Any]] = {}
    for node, cells in groupby(results, key=itemgetter(0)):
        rows = [tuple(cell) for cell in cells]
        # Format 2: floats as their 8 bytes and no back-references, so the bytes depend on
        # the values only, not on which objects happen to be shared.
        digest = hashlib.blake2b(marshal.dumps(rows, 2), digest_size=16).hexdigest()
        digests[node] = [digest, len(rows)]
    return digests


def _rewrite_changed_nodes(run: IndexRun, results: list[Result], digests: dict[str, Any]) -> int:
    """Rewrite the result cells of the nodes whose digest differs from the run's stored ones;
    returns how many cells the run had. When the stored digests are missing or do not account
    for the stored rows, the stored rows are compared instead (``_replace_results``)."""
    stored = run.node_digests or {}
    expected = sum(int(entry[1]) for entry in stored.values())
    count = IndexResult.objects.filter(run=run).count()
    if not stored or count != expected:
        return _replace_results(run, results)
    changed = sorted(
        {code for code, entry in digests.items() if stored.get(code) != entry}
        | (stored.keys() - digests.keys())
    )
    for begin in range(0, len(changed), NODE_BATCH):
        IndexResult.objects.filter(run=run, node__in=changed[begin : begin + NODE_BATCH]).delete()
    wanted = set(changed)
    _insert_results(run, [r for r in results if r[0] in wanted])
    return count


def _replace_leaves(run: IndexRun, leaves: Leaves, index: dict[int, int]) -> None:
    """Make the run's stored leaves equal ``leaves``, writing only the units whose changed."""
    meta = IndexLeaf._meta
    qn = connection.ops.quote_name
    column = {field.name: field.column for field in meta.concrete_fields}
    names = ", ".join(qn(column[name]) for name in ("id", "unit", "stats"))
    sql = f"SELECT {names} FROM {qn(meta.db_table)} WHERE {qn(column['run'])} = %s"  # noqa: S608 - names from the model, value bound
    stored = {unit: (pk, bytes(stats)) for pk, unit, stats in _stored_rows(sql, [run.pk])}
    stale: list[int] = []
    fresh: list[tuple[int, int, bytes]] = []
    for row in _leaf_rows(run, leaves, index):
        was = stored.pop(row[1], None)
        if was is None or was[1] != row[2]:
            fresh.append(row)
            if was is not None:
                stale.append(was[0])
    stale.extend(pk for pk, _ in stored.values())
    _delete_ids(IndexLeaf, stale)
    _write_leaves(fresh)


@dataclass(frozen=True)
class FillState:
    """A wave's fill-state for display: ``status`` (a ``WaveIndexState.Status`` value), its
    translated ``label``, and a one-sentence ``detail``."""

    status: str
    label: str
    detail: str
    dirty_units: int
    changed_responses: int
    computed_at: dt.datetime | None
    responses_at_compute: int
    error: str

    @property
    def is_current(self) -> bool:
        """The stored results match the responses."""
        return self.status == WaveIndexState.Status.FRESH


def fill_state(wave: Wave) -> FillState:
    """Whether the wave's stored indices are up to date, for pages and the API to show.

    A wave computed before fill-states existed counts as up to date when it has a run."""
    Status = WaveIndexState.Status
    state = WaveIndexState.objects.filter(wave=wave).first()
    if state is None:
        run = IndexRun.objects.filter(wave=wave).order_by("-computed_at").first()
        state = WaveIndexState(
            wave=wave,
            status=Status.FRESH if run else Status.EMPTY,
            computed_at=run.computed_at if run else None,
            responses_at_compute=run.response_count if run else 0,
        )
    status = Status(state.status)
    units, changed = len(state.dirty_units), state.changed_responses
    if status == Status.STALE:
        if state.full_needed or not units:
            detail = gettext("Responses changed since the last computation.")
        else:
            detail = ngettext(
                "%(units)d unit has new or removed responses since the last computation.",
                "%(units)d units have new or removed responses since the last computation.",
                units,
            ) % {"units": units}
    elif status == Status.FAILED:
        detail = gettext(
            "The last computation failed; ask the administrator to look at the background "
            "worker's log."
        )
    elif status == Status.COMPUTING:
        detail = gettext("The indices are being computed; this page will show them soon.")
    elif status == Status.FRESH:
        detail = ngettext(
            "Up to date with all %(responses)d response.",
            "Up to date with all %(responses)d responses.",
            state.responses_at_compute,
        ) % {"responses": state.responses_at_compute}
    else:
        detail = gettext("No indices have been computed for this wave yet.")
    return FillState(
        status=status.value,
        label=str(status.label),
        detail=detail,
        dirty_units=units,
        changed_responses=changed,
        computed_at=state.computed_at,
        responses_at_compute=state.responses_at_compute,
        error=state.error,
    )


def fingerprint(method: str, config: dict[str, Any], instrument: Instrument, tree: Tree) -> str:
    """What stored leaves depend on besides the responses: if any of it changed (a setting, the
    instrument's scores, the units of the wave), an update must recompute in full."""
    payload = [
        method,
        config,
        list(instrument.dimension),
        [list(row) for row in instrument.scores],
        sorted(instrument.groups.items(), key=lambda item: item[0]),
        list(tree.nodes),
        list(tree.parent),
    ]
    text = json.dumps(payload, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True)
class _Snapshot:
    """The fill-state as a computation starts: what it will have taken into account."""

    generation: int
    dirty: frozenset[int]
    changed: int
    full_needed: bool


def _snapshot(wave: Wave) -> _Snapshot:
    state = WaveIndexState.objects.filter(wave=wave).first()
    if state is None:
        return _Snapshot(0, frozenset(), 0, True)
    return _Snapshot(
        state.generation,
        frozenset(int(u) for u in state.dirty_units),
        state.changed_responses,
        state.full_needed,
    )


def _locked_state(wave_id: int) -> WaveIndexState:
    WaveIndexState.objects.get_or_create(wave_id=wave_id)
    return WaveIndexState.objects.select_for_update().get(wave_id=wave_id)


def _settle_state(wave: Wave, snapshot: _Snapshot, *, responses: int | None) -> None:
    """After a computation (inside its transaction): forget the changes it took into account.
    ``responses`` None means the wave has no responses (and no results) any more."""
    state = _locked_state(wave.pk)
    if state.generation == snapshot.generation:
        state.dirty_units, state.changed_responses, state.full_needed = [], 0, False
    else:
        # Changes arrived while computing: keep those not covered, they need another pass.
        state.dirty_units = sorted(set(state.dirty_units) - snapshot.dirty)
        state.changed_responses = max(0, state.changed_responses - snapshot.changed)
        state.full_needed = state.full_needed and not snapshot.full_needed
    pending = bool(state.dirty_units or state.full_needed)
    state.computing_since = None
    if responses is None:
        state.status = WaveIndexState.Status.STALE if pending else WaveIndexState.Status.EMPTY
        state.responses_at_compute = 0
    else:
        state.status = WaveIndexState.Status.STALE if pending else WaveIndexState.Status.FRESH
        state.computed_at = timezone.now()
        state.responses_at_compute = responses
    state.error = ""
    state.save()


def mark_responses_changed(*, wave_id: int, unit_ids: Iterable[int] | None, count: int) -> None:
    """Record that ``count`` responses of ``unit_ids`` (None = unknown units) changed; the next
    scheduled refresh (``refresh_stale_waves``) recomputes the wave.

    Deliberately no audit event, no time and no task: an event or a queued task per web
    submission would date each response to the microsecond, which the survey's anonymity rules
    forbid (only the day is kept).
    """
    wave = Wave.objects.select_related("version__instrument").filter(pk=wave_id).first()
    if wave is None or wave.version.instrument.kind not in METHODS:
        return  # nothing to compute for this wave
    with transaction.atomic():
        state = _locked_state(wave_id)
        if unit_ids is None:
            state.full_needed = True
        else:
            state.dirty_units = sorted(set(state.dirty_units) | {int(u) for u in unit_ids})
        state.changed_responses += max(0, int(count))
        state.generation += 1
        if state.status != WaveIndexState.Status.COMPUTING:
            state.status = WaveIndexState.Status.STALE
        state.save()


def compute_wave(*, wave: Wave) -> IndexRun:
    """Load the whole wave, run its method and replace its stored results and leaf statistics,
    in one transaction; the fill-state becomes fresh (or stays stale for changes that arrived
    meanwhile).

    Raises ``NoResponses`` (changing nothing) when the wave has no responses, and
    ``loader.LoadError`` when its instrument kind has no index method.
    """
    start = time.perf_counter()
    snapshot = _snapshot(wave)
    method = method_for(wave)
    config = config_for(wave)
    loaded = prepare(wave, method=method, config=config)  # the stored leaves when current
    instrument, tree = loaded.instrument, loaded.tree
    if loaded.responses == 0:
        raise NoResponses(f"Wave {wave.code!r} has no responses.")
    read_end = time.perf_counter()
    leaves = loaded.statistics(method, config)
    results = engine.finish(method, leaves=leaves, instrument=instrument, tree=tree, config=config)
    engine_end = time.perf_counter()
    digests = node_digests(results)
    with transaction.atomic():
        previous = list(IndexRun.objects.filter(wave=wave).values_list("id", "response_count"))
        responses = int(leaves.responses.sum())
        fields = {
            "method": method,
            "computed_at": timezone.now(),
            "config": config,
            "response_count": responses,
            "type_names": list(leaves.type_names),
            "fingerprint": fingerprint(method, config, instrument, tree),
            "columnar": loaded.columnar,
        }
        # The latest run is kept and only its cells and leaves that changed are written (a
        # recompute after a settings change rewrites a few rows of 200,000); older runs go.
        older = [pk for pk, _ in previous[1:]]
        previous_results = IndexResult.objects.filter(run_id__in=older).count() if older else 0
        IndexResult.objects.filter(run_id__in=older).delete()
        IndexLeaf.objects.filter(run_id__in=older).delete()
        IndexRun.objects.filter(id__in=older).delete()
        if previous:
            run = IndexRun.objects.get(pk=previous[0][0])
            for name, value in fields.items():
                setattr(run, name, value)
            previous_results += _rewrite_changed_nodes(run, results, digests)
            _replace_leaves(run, leaves, loaded.index)
        else:
            run = IndexRun.objects.create(wave=wave, **fields)
            _insert_results(run, results)
            _insert_leaves(run, leaves, loaded.index)
        run.node_digests = digests
        suppressed = sum(r.suppressed for r in results)
        run.seconds = time.perf_counter() - start
        run.save()
        audit.record(
            "indices.computed",
            obj=wave,
            changes={
                "method": [None, method],
                "responses": [previous[0][1] if previous else None, responses],
                "results": [previous_results if previous else None, len(results)],
                "suppressed": [None, suppressed],
            },
        )
        _settle_state(wave, snapshot, responses=responses)
    phases = {
        "read": read_end - start,
        "engine": engine_end - read_end,
        "store": time.perf_counter() - engine_end,
    }
    logger.debug(
        "Computed wave %s: %d responses, %d results; read %.2f s, engine %.2f s, store %.2f s",
        wave.code,
        responses,
        len(results),
        phases["read"],
        phases["engine"],
        phases["store"],
        extra={"phases": phases},
    )
    return run


def update_wave(*, wave: Wave) -> IndexRun:
    """Bring the wave's results up to date with its responses, reading only what changed.

    With a stored run computed against the same settings, instrument, units and respondent
    types, only the responses of the dirty units (``WaveIndexState.dirty_units``) are read;
    their leaf statistics are replaced, the leaves rolled up again, and only the result rows of
    the affected nodes rewritten: the dirty units, their ancestors, ``ALL``, and any node whose
    suppression changed. Otherwise (or when most units changed) this is ``compute_wave``.
    Either way the stored results equal those of a full computation.
    """
    start = time.perf_counter()
    snapshot = _snapshot(wave)
    run = IndexRun.objects.filter(wave=wave).order_by("-computed_at").first()
    if run is None or snapshot.full_needed or not run.fingerprint:
        return compute_wave(wave=wave)
    if not snapshot.dirty:
        with transaction.atomic():
            _settle_state(wave, snapshot, responses=run.response_count)
        return run
    method, config = method_for(wave), config_for(wave)
    stored = dict(IndexLeaf.objects.filter(run=run).values_list("unit_id", "stats"))
    dirty = set(snapshot.dirty)
    with_responses = _units_with_responses(wave, dirty)
    units = {*wave_unit_ids(wave), *(set(stored) - dirty), *with_responses}
    instrument = load_instrument(wave)
    tree, index = load_tree(units)
    changed_inputs = fingerprint(method, config, instrument, tree) != run.fingerprint
    if changed_inputs or len(dirty) * INCREMENTAL_SHARE > len(tree.nodes):
        return compute_wave(wave=wave)
    type_names = tuple(run.type_names)
    n_slots = len(instrument.dimension)
    try:
        matrix = load_units(wave, dirty, index=index, type_names=type_names, n_slots=n_slots)
    except NewRespondentType:
        return compute_wave(wave=wave)
    fresh = engine.leaves(method, matrix=matrix, instrument=instrument, tree=tree, config=config)
    old = incremental.stored_leaves(stored, index, fresh)
    dirty_nodes = sorted(index[u] for u in dirty if u in index)
    new = old.replace(dirty_nodes, fresh)
    if (new.responses.sum(axis=0) == 0).any():
        return compute_wave(wave=wave)  # a respondent type is gone: a full run drops it
    after = engine.summary(method, leaves=new, instrument=instrument, tree=tree, config=config)
    # The suppression stored with the old results, decided on the old counts alone.
    counts = incremental.counts_before(after.cells.n, old, new, dirty_nodes, tree)
    hidden = complementary(counts, tree, engine.validate_config(method, config)["k"])
    affected = incremental.affected_nodes(tree, dirty_nodes, hidden != after.hidden)
    results = engine.finish(
        method,
        leaves=new,
        instrument=instrument,
        tree=tree,
        config=config,
        nodes=affected,
        summarised=after,
    )
    codes = tree.codes
    responses = int(new.responses.sum())
    with transaction.atomic():
        previous_responses = run.response_count
        affected_codes = [codes[node] for node in affected]
        for begin in range(0, len(affected_codes), NODE_BATCH):
            IndexResult.objects.filter(
                run=run, node__in=affected_codes[begin : begin + NODE_BATCH]
            ).delete()
        _insert_results(run, results)
        IndexLeaf.objects.filter(run=run, unit_id__in=sorted(dirty)).delete()
        _insert_leaves(run, new, {u: index[u] for u in dirty if u in index})
        run.computed_at = timezone.now()
        run.response_count = responses
        run.seconds = time.perf_counter() - start
        if run.node_digests:
            kept = set(affected_codes)
            run.node_digests = {
                **{c: entry for c, entry in run.node_digests.items() if c not in kept},
                **node_digests(results),
            }
        run.save(update_fields=["computed_at", "response_count", "seconds", "node_digests"])
        audit.record(
            "indices.updated",
            obj=wave,
            changes={
                "units": [None, len(dirty)],
                "responses": [previous_responses, responses],
                "results": [None, len(results)],
            },
        )
        _settle_state(wave, snapshot, responses=responses)
    return run


def refresh_wave(*, wave: Wave) -> IndexRun | None:
    """What the background task runs: claim the wave (mark it computing), ``update_wave`` it,
    and record the outcome in its fill-state (empty when no responses are left, failed with the
    error). Returns the run, or None when the wave has no responses or another computation of
    it is running (changes it did not cover leave the wave stale for the next scheduled pass)."""
    with transaction.atomic():
        state = _locked_state(wave.pk)
        busy = (
            state.status == WaveIndexState.Status.COMPUTING
            and state.computing_since is not None
            and timezone.now() - state.computing_since < COMPUTING_TIMEOUT
        )
        if not busy:
            state.status = WaveIndexState.Status.COMPUTING
            state.computing_since = timezone.now()
        state.save(update_fields=["status", "computing_since"])
    if busy:
        return None
    try:
        return update_wave(wave=wave)
    except NoResponses:
        snapshot = _snapshot(wave)
        with transaction.atomic():
            runs = IndexRun.objects.filter(wave=wave)
            IndexResult.objects.filter(run__in=runs).delete()
            IndexLeaf.objects.filter(run__in=runs).delete()
            runs.delete()
            _settle_state(wave, snapshot, responses=None)
        return None
    except Exception as exc:
        WaveIndexState.objects.filter(wave=wave).update(
            status=WaveIndexState.Status.FAILED,
            error=str(exc)[:2000] or type(exc).__name__,
            computing_since=None,
        )
        raise


def _units_with_responses(wave: Wave, unit_ids: Collection[int]) -> set[int]:
    found: set[int] = set()
    wanted = sorted(unit_ids)
    for begin in range(0, len(wanted), NODE_BATCH):
        found.update(
            Response.objects.filter(wave=wave, unit_id__in=wanted[begin : begin + NODE_BATCH])
            .values_list("unit_id", flat=True)
            .distinct()
        )
    return found


def _leaf_rows(
    run: IndexRun, leaves: Leaves, index: dict[int, int]
) -> list[tuple[int, int, bytes]]:
    """(run, unit, statistics) of every unit of ``index`` that has responses."""
    packed = leaves.pack_all()
    has = (leaves.responses.sum(axis=1) > 0).tolist()
    return [
        (run.pk, unit_id, packed[node].tobytes()) for unit_id, node in index.items() if has[node]
    ]


def _write_leaves(rows: list[tuple[int, int, bytes]]) -> None:
    meta = IndexLeaf._meta
    qn = connection.ops.quote_name
    column = {field.name: field.column for field in meta.concrete_fields}
    columns = ", ".join(qn(column[name]) for name in ("run", "unit", "stats"))
    sql = f"INSERT INTO {qn(meta.db_table)} ({columns}) VALUES (%s, %s, %s)"  # noqa: S608 - names from the model, values bound
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH_SIZE):
            cursor.executemany(sql, rows[start : start + BATCH_SIZE])


def _insert_leaves(run: IndexRun, leaves: Leaves, index: dict[int, int]) -> None:
    """One row per unit (of ``index``) that has responses, with plain ``executemany`` (6,400
    model instances for bulk_create cost about a second at national scale)."""
    _write_leaves(_leaf_rows(run, leaves, index))


def stale_waves() -> list[Wave]:
    """The waves a scheduled refresh recomputes: out of date, or claimed by a computation that
    died (claimed longer ago than ``COMPUTING_TIMEOUT``)."""
    Status = WaveIndexState.Status
    died = timezone.now() - COMPUTING_TIMEOUT
    states = WaveIndexState.objects.filter(
        Q(status=Status.STALE) | Q(status=Status.COMPUTING, computing_since__lte=died)
    )
    return list(
        Wave.objects.select_related("version__instrument")
        .filter(pk__in=states.values("wave_id"))
        .order_by("pk")
    )


def refresh_one(wave: Wave) -> IndexRun | None:
    """Refresh one wave and look for its weak points again; None when nothing was computed."""
    with acting_as(label="refresh_indices"):
        run = refresh_wave(wave=wave)
        if run is not None:
            weak_points.detect(run=run)
    return run


def refresh_stale_waves(*, then: Callable[[Wave], None] | None = None) -> int:
    """Bring every out-of-date wave up to date (what the scheduled task runs); returns how many
    waves were refreshed. A wave that fails is recorded as failed in its fill-state and logged,
    and the others still run. ``then`` is called with each wave a run was stored for."""
    refreshed = 0
    for wave in stale_waves():
        try:
            run = refresh_one(wave)
        except LoadError:
            continue  # the wave's instrument kind has no index method: nothing to compute
        except Exception:
            logger.exception("Computing the indices of wave %s failed", wave.code)
            continue
        refreshed += 1
        if run is not None and then is not None:
            then(wave)
    return refreshed


# --- the background task ---------------------------------------------------------------------
# Declared beside the service it runs; the worker (``manage.py db_worker``) runs it. Nothing
# queues it any more (the schedule in ``indices.tasks`` refreshes every stale wave); it stays so
# that rows queued by an earlier version still run.


@task()
def refresh_indices(wave_id: int) -> dict[str, Any]:
    """Bring one wave's stored indices up to date with its responses."""
    wave = Wave.objects.select_related("version__instrument").filter(pk=wave_id).first()
    if wave is None:
        return {"status": "missing"}
    try:
        run = refresh_one(wave)
    except LoadError as exc:
        # The wave's instrument has no index method: nothing to compute, ever.
        return {"status": "failed", "error": str(exc)}
    return {"status": "empty" if run is None else "fresh"}
