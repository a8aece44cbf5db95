"""A columnar copy of a wave's answers under ``VAR_DIR/indices/`` (see docs/compute-indices.md).

Reading a million responses from the database builds a Python tuple per response; the copy is
the same arrays the loader builds from them (unit id, respondent type code and the int16 answer
matrix, in the order the database returned them), read back in a fraction of the time. It is
never the source of truth: it is used only when

- its token is the one the wave's stored run recorded when it was computed from it (so a copy
  from another database, a restored backup or a computation that was rolled back is not used),
- the wave's responses still have the count, largest id and sum of ids it was built from (ids
  only grow, so any response added or deleted changes them); when only responses with larger
  ids were added (the others still have its count and sum of ids), they are read from the
  database on top of it (``loader.load``), and the copy is written again with them once they
  are many,
- its shape is the instrument's (slots) and its respondent types start like the wave's, and
- every array's CRC-32 is the one recorded with it.

Otherwise it is rebuilt from the database by the loader; a missing, stale or corrupt copy is
therefore rebuilt automatically and never changes a result.

Beside it, ``wave-<id>.leaves.npz`` keeps the wave's leaf statistics (per unit with responses:
count, sum and M2 of every column per respondent type, ``Leaves.pack_all`` rows) with the
signature of the responses they summarise and the key of what else they depend on
(``engine.leaf_key``: method, instrument, the settings the method's columns read). A full
computation whose responses did not change (a recompute, a method-settings change) reads them
instead of every answer. They are used under the same rules as the copy (the run's token, the
database's signature, CRC-32 of every array) plus an equal key; otherwise the loader computes
the leaves from the answers again and writes the file anew.
"""

from __future__ import annotations

import json
import os
import secrets
import zlib
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
from django.conf import settings
from django.db.models import Count, Max, Sum

from integritas.surveys.models import Response, Wave

FORMAT = 1
Signature = tuple[int, int, int]
Arrays = tuple[np.ndarray, list[str], np.ndarray, np.ndarray]
"""Unit ids (int64), respondent type names, type codes (int16), answers (int16, n × slots)."""


def path(wave_id: int) -> Path:
    return Path(settings.VAR_DIR) / "indices" / f"wave-{int(wave_id)}.npz"


def leaves_path(wave_id: int) -> Path:
    return Path(settings.VAR_DIR) / "indices" / f"wave-{int(wave_id)}.leaves.npz"


def signature(wave: Wave) -> Signature:
    """Count, largest id and sum of ids of the wave's responses (one indexed query)."""
    row = Response.objects.filter(wave=wave).aggregate(n=Count("id"), top=Max("id"), ids=Sum("id"))
    return int(row["n"] or 0), int(row["top"] or 0), int(row["ids"] or 0)


def _crc(array: np.ndarray) -> int:
    if not array.size:
        return 0
    return zlib.crc32(np.ascontiguousarray(array).data.cast("B"))


def read(
    wave: Wave, *, token: str, n_slots: int, types: list[str]
) -> tuple[Arrays, Signature] | None:
    """The copy's arrays and the signature of the responses it holds when it is intact and the
    run's (see the module's docstring), else None. The caller compares the signature with the
    database's."""
    if not token:
        return None
    try:
        with np.load(path(wave.pk), allow_pickle=False) as stored:
            meta: dict[str, Any] = json.loads(bytes(stored["meta"]).decode())
            arrays = {name: stored[name] for name in ("units", "types", "answers")}
    except Exception:  # missing, truncated, not a zip, a member missing: rebuild
        return None
    names = meta.get("type_names")
    units, codes, answers = arrays["units"], arrays["types"], arrays["answers"]
    built = meta.get("signature")
    if not (isinstance(built, list) and len(built) == 3 and all(isinstance(v, int) for v in built)):
        return None
    seen = (int(built[0]), int(built[1]), int(built[2]))
    if (
        meta.get("format") != FORMAT
        or meta.get("token") != token
        or meta.get("wave") != wave.pk
        or not isinstance(names, list)
        or names[: len(types)] != types
        or answers.dtype != np.int16
        or units.dtype != np.int64
        or codes.dtype != np.int16
        or answers.ndim != 2
        or answers.shape != (seen[0], n_slots)
        or units.shape != (seen[0],)
        or codes.shape != (seen[0],)
        or meta.get("crc") != [_crc(units), _crc(codes), _crc(answers)]
    ):
        return None
    if codes.size and (codes.min() < 0 or codes.max() >= len(names)):
        return None
    return (units, [str(name) for name in names], codes, answers), seen


def write(
    wave: Wave,
    *,
    seen: Signature,
    units: np.ndarray,
    type_names: list[str],
    codes: np.ndarray,
    answers: np.ndarray,
) -> str:
    """Write the copy (atomically: a temporary file renamed over the old one); returns its new
    token, or "" when it could not be written (the computation goes on without it)."""
    token = secrets.token_hex(16)
    units = np.ascontiguousarray(units, dtype=np.int64)
    codes = np.ascontiguousarray(codes, dtype=np.int16)
    answers = np.ascontiguousarray(answers, dtype=np.int16)
    meta = {
        "format": FORMAT,
        "token": token,
        "wave": wave.pk,
        "signature": list(seen),
        "type_names": list(type_names),
        "crc": [_crc(units), _crc(codes), _crc(answers)],
    }
    saved = _save(path(wave.pk), token, meta, units=units, types=codes, answers=answers)
    return token if saved else ""


def _save(target: Path, token: str, meta: dict[str, Any], **arrays: Any) -> bool:
    """Write ``arrays`` and ``meta`` to ``target`` atomically; False when it failed."""
    temporary = target.with_name(f"{target.name}.{token}.{secrets.token_hex(4)}.tmp")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(temporary, "wb") as handle:
            np.savez(
                handle, meta=np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8), **arrays
            )
        os.replace(temporary, target)
    except OSError:
        temporary.unlink(missing_ok=True)
        return False
    return True


class StoredLeaves(NamedTuple):
    """The leaf statistics file's contents: the units with responses, their ``pack_all`` rows,
    the respondent types of the statistics, the copy's type names they were read with, and the
    signature of the responses they summarise."""

    units: np.ndarray
    stats: np.ndarray
    type_names: list[str]
    names: list[str]
    signature: Signature


def read_leaves(wave: Wave, *, token: str, key: str, types: list[str]) -> StoredLeaves | None:
    """The wave's stored leaf statistics when the file is intact, the run's (``token``), of
    the same ``key`` (``engine.leaf_key``) and its type names start like the wave's, else None.
    The caller compares the signature with the database's."""
    if not token:
        return None
    try:
        with np.load(leaves_path(wave.pk), allow_pickle=False) as stored:
            meta: dict[str, Any] = json.loads(bytes(stored["meta"]).decode())
            units, stats = stored["units"], stored["stats"]
    except Exception:  # missing, truncated, not a zip, a member missing: rebuild
        return None
    built, names, kinds = meta.get("signature"), meta.get("names"), meta.get("type_names")
    if not (isinstance(built, list) and len(built) == 3 and all(isinstance(v, int) for v in built)):
        return None
    if (
        meta.get("format") != FORMAT
        or meta.get("token") != token
        or meta.get("wave") != wave.pk
        or meta.get("key") != key
        or not isinstance(names, list)
        or names[: len(types)] != types
        or not isinstance(kinds, list)
        or not set(kinds) <= set(names)
        or units.dtype != np.int64
        or stats.dtype != np.dtype("<f8")
        or units.ndim != 1
        or stats.ndim != 2
        or stats.shape[0] != units.shape[0]
        or meta.get("crc") != [_crc(units), _crc(stats)]
    ):
        return None
    return StoredLeaves(
        units,
        stats,
        [str(k) for k in kinds],
        [str(n) for n in names],
        (built[0], built[1], built[2]),
    )


def write_leaves(
    wave: Wave,
    *,
    token: str,
    key: str,
    seen: Signature,
    units: np.ndarray,
    stats: np.ndarray,
    type_names: list[str],
    names: list[str],
) -> bool:
    """Write the wave's leaf statistics (atomically), for the copy of ``token``; False when it
    could not be written (the next computation reads the answers again)."""
    if not token:
        return False
    units = np.ascontiguousarray(units, dtype=np.int64)
    stats = np.ascontiguousarray(stats, dtype="<f8")
    meta = {
        "format": FORMAT,
        "token": token,
        "wave": wave.pk,
        "key": key,
        "signature": list(seen),
        "type_names": list(type_names),
        "names": list(names),
        "crc": [_crc(units), _crc(stats)],
    }
    return _save(leaves_path(wave.pk), token, meta, units=units, stats=stats)
