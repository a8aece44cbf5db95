"""Wave dashboards kept in the shared cache, retired when anything they show changes.

A national wave's dashboard reads some 60,000 stored results, counts a million responses per
unit and ranks thousands of units; built for each request, that takes seconds. The built
``WaveDashboard`` (without its wave and run, which the caller supplies) is therefore kept in the
shared cache (``lib.cache``) under a key made of the run and the moment it was computed, the
respondent type, level and order asked for, the units the person may see and the language, and
the generation of the ``indices-dashboards`` namespace (``lib.pagecache``). ``indices.signals``
retires every kept dashboard (``invalidate``) when a run is saved or deleted (every compute and
update saves its run), responses of a wave change, or a unit, a wave, its units or its
dimensions change. ``INDICES_DASHBOARD_CACHE_SECONDS`` (600 by default; 0 keeps nothing) bounds
how long one is kept in any case.

Each process also holds the last few boards it loaded or built (``LOCAL_BOARDS``), each with the
random token it was kept under in the shared cache, and serves one again only while the shared
cache keeps that same token under its key. ``per_run`` keeps, per run, what every person who may
see the run sees alike (the whole government's results of the overview and the year page).
"""

from __future__ import annotations

import dataclasses
import hashlib
import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, overload

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import get_language

from integritas.indices.models import IndexResult
from integritas.lib import pagecache

if TYPE_CHECKING:
    from integritas.indices.models import IndexRun
    from integritas.indices.services.dashboards import WaveDashboard
    from integritas.surveys.models import Wave

NAMESPACE = "indices-dashboards"


def seconds() -> int:
    return int(settings.INDICES_DASHBOARD_CACHE_SECONDS)


def invalidate() -> None:
    """Retire every kept dashboard, now and again when the current transaction commits."""
    pagecache.invalidate(NAMESPACE)


def _key(run: IndexRun, visible: dict[str, str] | None, parts: tuple[Any, ...]) -> str:
    seen = "all" if visible is None else "\n".join(f"{c}\t{visible[c]}" for c in sorted(visible))
    raw = repr(
        (
            pagecache.generation(NAMESPACE),
            run.pk,
            run.computed_at.isoformat(),
            get_language() or "",
            hashlib.sha256(seen.encode()).hexdigest(),
            parts,
        )
    )
    # "v2": kept as (token, board); an entry kept before in another form is never read.
    return f"indices:board:v2:{hashlib.sha256(raw.encode()).hexdigest()}"


def per_run(
    runs: Sequence[IndexRun],
    name: str,
    load: Callable[[list[IndexRun]], dict[int, Any]],
) -> dict[int, Any]:
    """Run id → what ``load`` gives for it (``load`` takes the runs not kept and answers for each
    of them), kept per run under ``name``, the run and the moment it was computed, and the
    namespace's generation. For what every person who may see a run sees alike (the
    government-wide results): nothing here depends on the units a person may see."""
    if not runs:
        return {}
    timeout = seconds()
    if timeout <= 0:
        return load(list(runs))
    generation = pagecache.generation(NAMESPACE)
    keys = {
        run.pk: f"indices:run:{name}:{generation}:{run.pk}:{run.computed_at.isoformat()}"
        for run in runs
    }
    kept = cache.get_many(list(keys.values()))
    found = {pk: kept[key] for pk, key in keys.items() if key in kept}
    missing = [run for run in runs if run.pk not in found]
    if missing:
        loaded = load(missing)
        cache.set_many({keys[pk]: value for pk, value in loaded.items()}, timeout)
        found.update(loaded)
    return found


# The boards this process loaded or built last, by key, each with the token it was kept under.
# Loading a national board from the shared cache (tens of thousands of tuples) takes 20–60 ms;
# a worker that has one in memory asks the shared cache only for its token (a few bytes): the
# same token means the very entry it loaded is still kept there (a board retired, expired or
# built again elsewhere has none, or another), so nothing the shared cache no longer holds is
# served. At most ``LOCAL_BOARDS`` are held (a board of 6,400 units is ~9 MB of tuples).
LOCAL_BOARDS = 4
_local: OrderedDict[str, tuple[str, Any]] = OrderedDict()
_local_lock = threading.Lock()


def _remember(key: str, token: str, packed: Any) -> None:
    with _local_lock:
        _local[key] = (token, packed)
        _local.move_to_end(key)
        while len(_local) > LOCAL_BOARDS:
            _local.popitem(last=False)


def _recalled(key: str) -> Any:
    """The board this process holds under ``key`` if the shared cache still keeps that one."""
    with _local_lock:
        held = _local.get(key)
    if held is None:
        return None
    if cache.get(key + ":token") != held[0]:
        with _local_lock:
            _local.pop(key, None)
        return None
    return held[1]


def forget_local() -> None:
    """Drop the boards this process holds (the shared cache's are untouched)."""
    with _local_lock:
        _local.clear()


GovernmentCell = tuple[float | None, int, float | None, float | None, str, bool]


def government_results(
    runs: Sequence[IndexRun], *, node: str, respondent_type: str
) -> dict[int, dict[str, GovernmentCell]]:
    """Per run, its results of the whole government (``node``) over all respondents
    (``respondent_type``), dimension → (score, n, ci_low, ci_high, grade, suppressed), as the
    overview, the year page and the trends read them. Kept per run (``per_run``): in the stored
    results they are found among a national run's 190,000 by the run alone. The same for
    everyone who may see the run: no unit's own row is among them."""

    def load(missing: list[IndexRun]) -> dict[int, dict[str, GovernmentCell]]:
        found: dict[int, dict[str, GovernmentCell]] = {run.pk: {} for run in missing}
        rows = IndexResult.objects.filter(
            run__in=missing, node=node, respondent_type=respondent_type
        ).values_list(
            "run_id", "dimension", "score", "n", "ci_low", "ci_high", "grade", "suppressed"
        )
        for run_id, dimension, *cell in rows:
            found[run_id][dimension] = tuple(cell)  # type: ignore[assignment]
        return found

    return per_run(runs, "government", load)


def board(
    *,
    wave: Wave,
    run: IndexRun,
    visible: dict[str, str] | None,
    parts: tuple[Any, ...],
    build: Callable[[], WaveDashboard],
    pack: Callable[[WaveDashboard], Any],
) -> WaveDashboard:
    """The dashboard ``build`` makes, from the cache when it was built before under the same
    key; ``parts`` are the choices it depends on besides the run, the units seen and the
    language. ``pack`` gives what is kept (without the wave and the run)."""
    timeout = seconds()
    if timeout <= 0:
        return build()
    key = _key(run, visible, parts)
    packed = _recalled(key)
    if packed is None:
        kept = cache.get(key)
        if kept is not None:
            token, packed = kept
            _remember(key, token, packed)
    if packed is not None:
        return dataclasses.replace(packed, wave=wave, run=run)
    built = build()
    token = secrets.token_hex(8)
    packed = pack(built)
    cache.set_many({key: (token, packed), key + ":token": token}, timeout)
    _remember(key, token, packed)
    return built


class Packed(Sequence[Any]):
    """A read-only list kept as plain tuples (which load from the cache far faster than
    objects); ``unpack`` (a module-level function, so that it pickles) builds an item when it
    is read."""

    def __init__(self, packed: list[tuple[Any, ...]], unpack: Callable[[Any], Any]) -> None:
        self._packed = packed
        self._unpack = unpack

    def __len__(self) -> int:
        return len(self._packed)

    def packed(self) -> Iterator[Any]:
        """The items as kept, without building them."""
        return iter(self._packed)

    @overload
    def __getitem__(self, index: int) -> Any: ...

    @overload
    def __getitem__(self, index: slice) -> list[Any]: ...

    def __getitem__(self, index: int | slice) -> Any:
        if isinstance(index, slice):
            return [self._unpack(p) for p in self._packed[index]]
        return self._unpack(self._packed[index])

    def __iter__(self) -> Iterator[Any]:
        return (self._unpack(p) for p in self._packed)

    def __bool__(self) -> bool:
        return bool(self._packed)
