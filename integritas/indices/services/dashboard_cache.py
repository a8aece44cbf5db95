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
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, overload

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import get_language

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
    return f"indices:board:{hashlib.sha256(raw.encode()).hexdigest()}"


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
    kept = cache.get(key)
    if kept is not None:
        return dataclasses.replace(kept, wave=wave, run=run)
    built = build()
    cache.set(key, pack(built), timeout)
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
