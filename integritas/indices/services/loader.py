"""Read one wave from the database into the engine's plain inputs (see docs/compute-indices.md).

All responses are read in one streamed query; their packed answer vectors are joined and viewed
as one int16 matrix with numpy, so no Python code runs per answer.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from itertools import islice
from typing import Any, TypeVar

import numpy as np
from django.db import connection
from django.db.models import F, QuerySet

from integritas.core.models import Unit
from integritas.indices import engine
from integritas.indices.engine import Instrument, Leaves, Matrix, Tree
from integritas.indices.models import IndexRun
from integritas.indices.services import columnar
from integritas.indices.services.settings import METHODS, effective_config, wave_year
from integritas.surveys.models import Question, Response, Wave, WaveUnit

CHUNK_SIZE = 20_000
UNIT_BATCH = 500  # unit ids per query when reading some units only
SCAN_SHARE = 4  # SQLite: scan the table when the wave holds at least 1/4 of all responses
EXTEND_SHARE = 16  # the copy is written again once more than 1/16 of its rows came on top;
# the stored leaf statistics are used while their units' rows to read again are at most 1/16
DENSE_IDS = 1 << 20  # unit ids up to about this are looked up in a table indexed by id
GROUPS = {"internal", "external", "expert"}


class LoadError(ValueError):
    """The wave cannot be computed (e.g. its instrument kind has no index method)."""


def method_for(wave: Wave) -> str:
    """The engine method for the wave's instrument kind."""
    kind = wave.version.instrument.kind
    try:
        return METHODS[kind]
    except KeyError:
        raise LoadError(
            f"Instrument kind {kind!r} of wave {wave.code!r} has no index method."
        ) from None


def config_for(wave: Wave) -> dict[str, Any]:
    """The engine configuration of a wave: the method setting in force for the wave's year
    (``method_settings``), with the wave's smallest shown group as k."""
    return {**effective_config(method_for(wave), wave_year(wave)), "k": int(wave.min_group_size)}


def load_instrument(wave: Wave) -> Instrument:
    """Per slot: dimension code (None if not scored), choice scores in order, dimension groups."""
    questions = list(
        Question.objects.filter(version_id=wave.version_id, slot__isnull=False)
        .select_related("dimension")
        .prefetch_related("choices")
        .order_by("slot")
    )
    n_slots = 1 + max((q.slot for q in questions if q.slot is not None), default=-1)
    dimension: list[str | None] = [None] * n_slots
    scores: list[list[float | None]] = [[] for _ in range(n_slots)]
    groups: dict[str, str | None] = {}
    for q in questions:
        assert q.slot is not None
        choices = sorted(q.choices.all(), key=lambda c: (c.order, c.pk))
        scores[q.slot] = [None if c.score is None else float(c.score) for c in choices]
        if q.dimension is not None and q.type in Question.SCORABLE_TYPES:
            dimension[q.slot] = q.dimension.code
            group = q.dimension.group
            groups[q.dimension.code] = group if group in GROUPS else None
    return Instrument(dimension=dimension, scores=scores, groups=groups)


def load_tree(unit_ids: Iterable[int]) -> tuple[Tree, dict[int, int]]:
    """The given units and all their ancestors; returns the tree and unit id → node index."""
    units = {
        pk: (code, parent)
        for pk, code, parent in Unit.objects.values_list("id", "code", "parent_id")
    }
    keep: set[int] = set()
    for pk in unit_ids:
        node: int | None = pk
        while node is not None and node not in keep and node in units:
            keep.add(node)
            node = units[node][1]
    ordered = sorted(keep, key=lambda pk: units[pk][0])
    index = {pk: i for i, pk in enumerate(ordered)}
    parent = [index.get(units[pk][1], -1) if units[pk][1] is not None else -1 for pk in ordered]
    return Tree(nodes=[units[pk][0] for pk in ordered], parent=parent), index


def _answer_matrix(chunks: list[bytes], lengths: set[int], n: int, n_slots: int) -> np.ndarray:
    width = 2 * n_slots
    if lengths <= {width}:
        data = b"".join(chunks)
        return np.frombuffer(data, dtype="<i2").reshape(n, n_slots).astype(np.int16, copy=False)
    # Rare: vectors of another length (never written by this version); pad or cut each one.
    fixed = [(bytes(c) + b"\0" * width)[:width] for c in chunks]
    return np.frombuffer(b"".join(fixed), dtype="<i2").reshape(n, n_slots).astype(np.int16)


def _responses_of(wave: Wave) -> QuerySet[Response]:
    """The wave's responses, read the fastest way for the backend, each unit's in id order.

    On SQLite, walking the (wave, unit) index visits the table's pages in random order: for a
    million responses that takes ~2.8 s against ~0.65 s for a plain scan of the table. So when
    the wave holds a good share of all responses, the filter is written ``wave_id + 0 = ?``, which
    SQLite cannot answer from the index, and it scans. Either way SQLite returns a unit's rows in
    id (rowid) order; other backends are asked for it. The order matters because leaf sums are
    added row by row: reading one unit again (``load_units``) must give bit-identical sums.
    """
    responses = Response.objects.filter(wave=wave)
    if connection.vendor != "sqlite":
        return responses.order_by("id")
    in_wave, total = responses.count(), Response.objects.count()
    if in_wave * SCAN_SHARE < total:
        return responses
    return Response.objects.alias(_wave=F("wave_id") + 0).filter(_wave=wave.pk)


class NewRespondentType(LoadError):
    """Responses of a respondent type the stored results do not have: recompute in full."""


@dataclass(frozen=True, eq=False)
class Loaded:
    """A wave read for the engine, with each unit's node index in ``tree``."""

    matrix: Matrix
    instrument: Instrument
    tree: Tree
    index: dict[int, int]
    columnar: str = ""  # token of the wave's columnar copy ("" when none could be written)
    signature: tuple[int, int, int] = (0, 0, 0)  # of the responses read (``columnar.signature``)
    names: tuple[str, ...] = ()  # the copy's respondent type names (``matrix``'s are those used)


def _read(
    rows: Iterable[tuple[int, str, bytes]], type_index: dict[str, int], *, grow: bool
) -> tuple[list[int], list[int], list[bytes], set[int]]:
    """Unit ids, type codes and packed answers of the rows; new types are added to
    ``type_index`` when ``grow``, else raise ``NewRespondentType``."""
    unit_ids: list[int] = []
    type_codes: list[int] = []
    answers: list[bytes] = []
    lengths: set[int] = set()
    # A million small tuples would trigger the cyclic garbage collector hundreds of times
    # (about a third of the load time); they hold no cycles, so it is paused while reading.
    collecting = gc.isenabled()
    gc.disable()
    try:
        stream = iter(rows)
        while chunk := list(islice(stream, CHUNK_SIZE)):
            # Column-wise with C-level zip/map/set: no Python statement runs per response.
            chunk_units, chunk_types, chunk_answers = zip(*chunk, strict=True)
            for name in set(chunk_types) - type_index.keys():
                if not grow:
                    raise NewRespondentType(f"Respondent type {name!r} is new to the results.")
                type_index[name] = len(type_index)
            unit_ids.extend(chunk_units)
            type_codes.extend(map(type_index.__getitem__, chunk_types))
            answers.extend(chunk_answers)
            lengths.update(map(len, chunk_answers))
    finally:
        if collecting:
            gc.enable()
    return unit_ids, type_codes, answers, lengths


def _present(raw_units: np.ndarray) -> list[int]:
    """The distinct unit ids of the responses, ascending."""
    if not raw_units.size:
        return []
    if _dense(raw_units):
        return np.flatnonzero(np.bincount(raw_units)).tolist()
    return np.unique(raw_units).tolist()


def _dense(raw_units: np.ndarray, top: int = 0) -> bool:
    """Whether unit ids (and ``top``) are small enough to be looked up in a table indexed by
    id."""
    largest = max(int(raw_units.max()), top)
    return bool(raw_units.min() >= 0 and largest <= DENSE_IDS + 16 * raw_units.size)


def _node_indexes(raw_units: np.ndarray, index: dict[int, int]) -> np.ndarray:
    top = max(index, default=0)
    if raw_units.size and _dense(raw_units, top):
        # A table indexed by unit id: one gather instead of a binary search per response.
        size = 1 + max(int(raw_units.max()), top)
        lookup = np.full(size, -1, dtype=np.int32)
        lookup[np.fromiter(index.keys(), dtype=np.int64, count=len(index))] = np.fromiter(
            index.values(), dtype=np.int32, count=len(index)
        )
        nodes = lookup[raw_units]
        if (nodes < 0).any():
            raise LoadError("A response belongs to a unit outside the wave's tree.")
        return nodes
    lookup_ids = np.array(sorted(index), dtype=np.int64)
    lookup_nodes = np.array([index[pk] for pk in sorted(index)], dtype=np.int32)
    position = np.searchsorted(lookup_ids, raw_units)
    if raw_units.size and (
        position.max() >= len(lookup_ids) or (lookup_ids[position] != raw_units).any()
    ):
        raise LoadError("A response belongs to a unit outside the wave's tree.")
    return lookup_nodes[position]


def _read_database(wave: Wave, type_index: dict[str, int], n_slots: int) -> columnar.Arrays:
    rows = _responses_of(wave).values_list("unit_id", "respondent_type", "answers")
    unit_ids, type_codes, answers, lengths = _read(
        rows.iterator(chunk_size=CHUNK_SIZE), type_index, grow=True
    )
    n = len(unit_ids)
    matrix = (
        _answer_matrix(answers, lengths, n, n_slots)
        if n
        else np.zeros((0, n_slots), dtype=np.int16)
    )
    return (
        np.array(unit_ids, dtype=np.int64),
        list(type_index),
        np.array(type_codes, dtype=np.int16),
        matrix,
    )


def _extend(
    wave: Wave,
    arrays: columnar.Arrays,
    built: columnar.Signature,
    seen: columnar.Signature,
    n_slots: int,
) -> columnar.Arrays | None:
    """The copy's arrays with the responses added since it was built (ids above its largest, in
    id order, so every unit's rows stay in id order), or None when responses it holds were
    deleted, or a new respondent type came.

    The responses up to the copy's largest id are those it holds when their count and sum of
    ids (the wave's, ``seen``, less those of the added ones) are still the copy's: ids only
    grow, so a deleted one cannot be replaced below it."""
    if seen[1] <= built[1]:
        return None
    units, names, codes, answers = arrays
    added = list(
        Response.objects.filter(wave=wave, id__gt=built[1], id__lte=seen[1])
        .order_by("id")
        .values_list("id", "unit_id", "respondent_type", "answers")
    )
    ids = [row[0] for row in added]
    if (seen[0] - len(ids), seen[2] - sum(ids)) != (built[0], built[2]):
        return None  # responses of the copy were deleted (or more came meanwhile)
    type_index = {name: i for i, name in enumerate(names)}
    try:
        more_units, more_codes, more_answers, lengths = _read(
            (row[1:] for row in added), type_index, grow=False
        )
    except NewRespondentType:
        return None
    return (
        np.concatenate([units, np.array(more_units, dtype=np.int64)]),
        names,
        np.concatenate([codes, np.array(more_codes, dtype=np.int16)]),
        np.concatenate(
            [answers, _answer_matrix(more_answers, lengths, len(more_units), n_slots)]
            if more_units
            else [answers]
        ),
    )


_T = TypeVar("_T")


def _with_signature(
    wave: Wave, token: str, read: Callable[[], _T | None]
) -> tuple[_T | None, columnar.Signature]:
    """``read()`` (a side file's ``columnar.read…``) and ``columnar.signature(wave)`` at the
    same time: the file is read and checked (file reads and CRC-32 release the GIL) in a second
    thread while this one waits for the database's answer. The thread touches no database
    connection."""
    if not token:
        return None, columnar.signature(wave)
    with ThreadPoolExecutor(max_workers=1) as pool:
        pending = pool.submit(read)
        seen = columnar.signature(wave)
        return pending.result(), seen


def _run_token(wave: Wave) -> str:
    """The token of the columnar copy the wave's stored run was computed from ("" if none)."""
    return (
        IndexRun.objects.filter(wave=wave)
        .order_by("-computed_at")
        .values_list("columnar", flat=True)
        .first()
    ) or ""


def load(wave: Wave) -> Loaded:
    """The wave's responses, instrument and unit tree, ready for the engine.

    The responses come from the wave's columnar copy when it matches the database and the
    wave's stored run (``columnar.read``), with the responses added since read from the
    database on top of it; else from the database. The copy is written again (``Loaded.columnar``
    is its token, for the run to record) when it was not usable or more than
    1/``EXTEND_SHARE`` of its rows came on top."""
    instrument = load_instrument(wave)
    return _load(wave, instrument, _run_token(wave))


def _load(
    wave: Wave, instrument: Instrument, token: str, seen: columnar.Signature | None = None
) -> Loaded:
    """``load`` with the instrument and the run's token read (and the database's signature,
    when known)."""
    n_slots = len(instrument.dimension)
    type_index: dict[str, int] = {t: i for i, t in enumerate(dict.fromkeys(wave.respondent_types))}
    types = list(type_index)

    def read() -> tuple[columnar.Arrays, columnar.Signature] | None:
        return columnar.read(wave, token=token, n_slots=n_slots, types=types)

    if seen is None:
        found, seen = _with_signature(wave, token, read)
    else:
        found = read() if token else None
    arrays, rewrite = None, True
    if found is not None:
        copy, built = found
        if seen == built:
            arrays, rewrite = copy, False
        else:
            arrays = _extend(wave, copy, built, seen, n_slots)
            # A few responses added since are read on top of the copy each time; once they are
            # many, the copy is written again with them.
            added = seen[0] - built[0]
            rewrite = arrays is None or added * EXTEND_SHARE > built[0]
    if arrays is None:
        arrays = _read_database(wave, type_index, n_slots)
    if rewrite:
        raw_units, names, codes, answers = arrays
        token = columnar.write(
            wave, seen=seen, units=raw_units, type_names=names, codes=codes, answers=answers
        )
    raw_units, names, codes, answers = arrays
    n = len(raw_units)
    present = _present(raw_units)
    tree, index = load_tree([*wave_unit_ids(wave), *present])
    if not n:
        matrix = Matrix.empty(n_slots, names or ["respondent"])
        return Loaded(matrix, instrument, tree, index, token, seen, tuple(names))
    # Keep only the respondent types that answered, in the wave's order.
    used = np.flatnonzero(np.bincount(codes, minlength=len(names)))
    remap = np.zeros(len(names), dtype=np.int8)
    remap[used] = np.arange(len(used), dtype=np.int8)
    type_names = [names[i] for i in used]
    matrix = Matrix(
        answers=answers,
        unit=_node_indexes(raw_units, index).astype(np.int32, copy=False),
        respondent_type=remap[codes],
        type_names=type_names,
    )
    return Loaded(matrix, instrument, tree, index, token, seen, tuple(names))


def load_wave(wave: Wave) -> tuple[Matrix, Instrument, Tree]:
    """The wave's responses, instrument and unit tree, ready for ``engine.compute``."""
    loaded = load(wave)
    return loaded.matrix, loaded.instrument, loaded.tree


def wave_unit_ids(wave: Wave) -> list[int]:
    """The units taking part in the wave (its ``WaveUnit`` rows)."""
    return list(WaveUnit.objects.filter(wave=wave).values_list("unit_id", flat=True))


def load_units(
    wave: Wave,
    unit_ids: Iterable[int],
    *,
    index: dict[int, int],
    type_names: Iterable[str],
    n_slots: int,
) -> Matrix:
    """Only the responses of ``unit_ids`` (through the ``(wave, unit)`` index, in id order), as a
    matrix over an existing tree (``index``) and respondent types (``type_names``). Raises
    ``NewRespondentType`` for a type outside ``type_names``."""
    names = list(type_names)
    type_index = {name: i for i, name in enumerate(names)}
    wanted = sorted(set(unit_ids))
    rows: list[tuple[int, str, bytes]] = []
    for start in range(0, len(wanted), UNIT_BATCH):
        rows.extend(
            Response.objects.filter(wave=wave, unit_id__in=wanted[start : start + UNIT_BATCH])
            .order_by("id")
            .values_list("unit_id", "respondent_type", "answers")
        )
    found_units, type_codes, answers, lengths = _read(rows, type_index, grow=False)
    n = len(found_units)
    if not n:
        return Matrix.empty(n_slots, names)
    return Matrix(
        answers=_answer_matrix(answers, lengths, n, n_slots),
        unit=_node_indexes(np.array(found_units, dtype=np.int64), index).astype(np.int32),
        respondent_type=np.array(type_codes, dtype=np.int8),
        type_names=names,
    )


@dataclass(frozen=True, eq=False)
class Prepared:
    """A wave read for a full computation: its leaf statistics when the stored ones were
    current (``leaves``), else the answers to compute them from (``loaded``); see
    ``statistics``."""

    wave: Wave
    instrument: Instrument
    tree: Tree
    index: dict[int, int]
    columnar: str  # the token for the run to record
    responses: int
    key: str  # ``engine.leaf_key`` of the method, instrument and configuration
    leaves: Leaves | None = None
    loaded: Loaded | None = None

    def statistics(self, method: str, config: dict[str, Any]) -> Leaves:
        """The wave's leaf statistics: the stored ones, or computed from the answers with
        ``engine.leaves`` and stored beside the copy for the next computation."""
        if self.leaves is not None:
            return self.leaves
        assert self.loaded is not None
        loaded = self.loaded
        leaves = engine.leaves(
            method, matrix=loaded.matrix, instrument=self.instrument, tree=self.tree, config=config
        )
        _write_statistics(
            self.wave, loaded.columnar, self.key, loaded.signature, loaded.names, leaves, self.index
        )
        return leaves


def _write_statistics(
    wave: Wave,
    token: str,
    key: str,
    seen: columnar.Signature,
    names: Iterable[str],
    leaves: Leaves,
    index: dict[int, int],
) -> None:
    """Store the leaves of the units with responses beside the copy of ``token``."""
    if not token:
        return
    unit_of = np.zeros(leaves.shape[0], dtype=np.int64)
    unit_of[np.fromiter(index.values(), dtype=np.int64, count=len(index))] = np.fromiter(
        index.keys(), dtype=np.int64, count=len(index)
    )
    has = np.flatnonzero(leaves.responses.sum(axis=1) > 0)
    columnar.write_leaves(
        wave,
        token=token,
        key=key,
        seen=seen,
        units=unit_of[has],
        stats=leaves.pack_all()[has],
        type_names=list(leaves.type_names),
        names=list(names),
    )


def prepare(wave: Wave, *, method: str, config: dict[str, Any]) -> Prepared:
    """The wave ready for a full computation of ``method`` with ``config``.

    When the leaf statistics stored beside the copy (``columnar.read_leaves``) are the run's,
    of the same ``engine.leaf_key`` and summarise the wave's responses (its signature), they
    are used and no answer is read. Responses added since (ids above the statistics' largest,
    none deleted, no new respondent type) are summarised on top: the leaves of their units are
    computed again from those units' responses (``load_units``, in id order, so bit for bit
    what the whole wave gives) when the rows to read are at most 1/``EXTEND_SHARE`` of the
    wave's; the file is then written again. Otherwise the answers are loaded (``load``) and
    ``Prepared.statistics`` computes the leaves and writes the file."""
    instrument = load_instrument(wave)
    types = list(dict.fromkeys(wave.respondent_types))
    token = _run_token(wave)
    key = engine.leaf_key(method, instrument, config)

    def read() -> columnar.StoredLeaves | None:
        return columnar.read_leaves(wave, token=token, key=key, types=types)

    found, seen = _with_signature(wave, token, read)
    if found is not None:
        prepared = _from_statistics(wave, found, seen, instrument, token, key, method, config)
        if prepared is not None:
            return prepared
    loaded = _load(wave, instrument, token, seen)
    return Prepared(
        wave=wave,
        instrument=instrument,
        tree=loaded.tree,
        index=loaded.index,
        columnar=loaded.columnar,
        responses=loaded.matrix.n_responses,
        key=key,
        loaded=loaded,
    )


def _from_statistics(
    wave: Wave,
    found: columnar.StoredLeaves,
    seen: columnar.Signature,
    instrument: Instrument,
    token: str,
    key: str,
    method: str,
    config: dict[str, Any],
) -> Prepared | None:
    """``Prepared`` from the stored statistics and the responses added since, or None when
    they cannot be used (see ``prepare``)."""
    units, stats, type_names, names, built = found
    touched: list[int] = []
    if seen != built:
        if seen[1] <= built[1]:
            return None
        added = list(
            Response.objects.filter(wave=wave, id__gt=built[1], id__lte=seen[1]).values_list(
                "id", "unit_id", "respondent_type"
            )
        )
        ids = [row[0] for row in added]
        if (seen[0] - len(ids), seen[2] - sum(ids)) != (built[0], built[2]):
            return None  # responses they summarise were deleted (or more came meanwhile)
        if not {row[2] for row in added} <= set(type_names):
            return None  # a respondent type new to the statistics: their shape changes
        touched = sorted({row[1] for row in added})
        n_types = len(type_names)
        wanted = np.isin(units, np.array(touched, dtype=np.int64))
        again = len(added) + int(np.rint(stats[wanted, stats.shape[1] - n_types :]).sum())
        if again * EXTEND_SHARE > built[0]:
            return None  # many rows to read again: read the copy instead
    present = sorted({*units.tolist(), *touched})
    tree, index = load_tree([*wave_unit_ids(wave), *present])
    at = _node_indexes(units, index).astype(np.int64, copy=False)
    leaves = Leaves.from_packed(len(tree.nodes), type_names, at, stats)
    if touched:
        matrix = load_units(
            wave,
            touched,
            index=index,
            type_names=type_names,
            n_slots=len(instrument.dimension),
        )
        fresh = engine.leaves(
            method, matrix=matrix, instrument=instrument, tree=tree, config=config
        )
        leaves = leaves.replace([index[unit] for unit in touched], fresh)
        _write_statistics(wave, token, key, seen, names, leaves, index)
    return Prepared(
        wave=wave,
        instrument=instrument,
        tree=tree,
        index=index,
        columnar=token,
        responses=int(leaves.responses.sum()),
        key=key,
        leaves=leaves,
    )
