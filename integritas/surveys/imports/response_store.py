"""Writing the checked rows of a response import (see ``integritas.surveys.imports.responses``).

The importer hands over its good rows as columns: unit, service (0: none), day ordinal,
respondent type index, the packed int16 answers of every row in one buffer, and the few rows'
extra answers. They are written in one pass per chunk of ``chunk`` rows, without a Python object
per row:

- **SQLite**: one ``INSERT … SELECT`` per chunk over a recursive counter, each column passed as
  one blob of fixed-width fields that SQL slices with ``substr`` (blob slicing is by byte, so
  each slice costs the same wherever it is). That is the same single transaction and the same
  rows as ``executemany``, at about half its CPU time: the binding of nine parameters per row
  was most of the cost.
- **PostgreSQL**: ``COPY … FROM STDIN`` fed with text built by numpy: every field of a row in a
  fixed-width byte matrix, padding bytes (0xFF, which never occurs in the text of a field) then
  dropped, so each chunk is one buffer.

Rows go in sorted by unit (a stable sort, so rows of one unit keep the file's order): the unit
indexes then grow in order, which makes the insert faster, and a wave is stored unit by unit for
the index engine's scans.
"""

from __future__ import annotations

import datetime as dt
import json as jsonlib
from collections.abc import Callable, Mapping, Sequence
from typing import Any, cast

import numpy as np
from django.db import connection

from integritas.surveys.models import Response

PAD = 0xFF  # never a byte of the ASCII fields written here

NAMES = ("wave", "unit", "service", "respondent_type", "submitted_on", "answers", "source", "batch")


def _digits(values: np.ndarray, width: int) -> np.ndarray:
    """Non-negative integers as zero-padded ASCII digits, one row of ``width`` bytes each."""
    values = values.astype(np.int64, copy=False)
    powers = 10 ** np.arange(width - 1, -1, -1, dtype=np.int64)
    return ((values[:, None] // powers) % 10 + 48).astype(np.uint8)


def _width(values: np.ndarray) -> int:
    return len(str(int(values.max()))) if len(values) else 1


def _texts(codes: Sequence[str], index: np.ndarray, pad: int) -> tuple[np.ndarray, int]:
    """``codes[index]`` as rows of ASCII bytes padded with ``pad`` to the longest code."""
    width = max((len(c.encode()) for c in codes), default=1) or 1
    table = np.full((max(len(codes), 1), width), pad, dtype=np.uint8)
    for i, code in enumerate(codes):
        raw = np.frombuffer(code.encode(), dtype=np.uint8)
        table[i, : len(raw)] = raw
    return table[index], width


def write_rows(
    *,
    wave_id: int,
    batch_id: int,
    rtypes: Sequence[str],
    units: np.ndarray,
    services: np.ndarray,
    ordinals: np.ndarray,
    rtype_indexes: np.ndarray,
    answers: bytes,
    width: int,
    extras: Mapping[int, Any],
    chunk: int,
    progress: Callable[[int, int], None] | None = None,
) -> None:
    """Insert the rows (the caller holds the transaction); ``answers`` holds ``width`` bytes a
    row, ``extras`` the extra answers by row index (JSON-ready values)."""
    n = len(units)
    if not n:
        return
    order = np.argsort(units, kind="stable")
    first = int(ordinals.min())
    days = [dt.date.fromordinal(o).isoformat() for o in range(first, int(ordinals.max()) + 1)]
    blob = np.frombuffer(answers, dtype=np.uint8).reshape(n, width) if width else None
    writer = _PostgresWriter() if connection.vendor == "postgresql" else _SqliteWriter()
    for start in range(0, n, chunk):
        rows = order[start : start + chunk]
        # The JSON text Django's JSONField writes (``json.dumps``), for the rows that have extras.
        json = (
            {j: jsonlib.dumps(extras[i]) for j, i in enumerate(rows.tolist()) if i in extras}
            if extras
            else {}
        )
        writer.write(
            wave_id=wave_id,
            batch_id=batch_id,
            units=units[rows],
            services=services[rows],
            days=_texts(days, (ordinals[rows] - first).astype(np.intp), PAD)[0],
            rtypes=_texts(rtypes, rtype_indexes[rows].astype(np.intp), PAD)[0],
            answers=(blob[rows] if blob is not None else np.zeros((len(rows), 0), dtype=np.uint8)),
            json=json,
        )
        if progress is not None:
            progress(min(start + chunk, n), n)


def _columns() -> tuple[str, str]:
    meta = Response._meta
    qn = connection.ops.quote_name
    names = [*NAMES, "extra"]
    columns = ", ".join(qn(cast(Any, meta.get_field(name)).column) for name in names)
    return qn(meta.db_table), columns


class _SqliteWriter:
    def __init__(self) -> None:
        table, columns = _columns()
        counter = (
            "WITH RECURSIVE c(x) AS (SELECT 0 UNION ALL SELECT x + 1 FROM c WHERE x + 1 < %s) "
        )
        self.head = counter + f"INSERT INTO {table} ({columns}) "  # noqa: S608 - model names

    def write(self, **c: Any) -> None:
        n = len(c["units"])
        uw, sw, aw = _width(c["units"]), _width(c["services"]), c["answers"].shape[1]
        rtypes, rw = c["rtypes"], c["rtypes"].shape[1]
        rtypes = np.where(rtypes == PAD, 0x20, rtypes).astype(np.uint8)  # rtrim below
        params: list[Any] = [n, c["wave_id"]]
        select = [
            "%s",
            f"CAST(substr(%s, x * {uw} + 1, {uw}) AS INTEGER)",
            f"NULLIF(CAST(substr(%s, x * {sw} + 1, {sw}) AS INTEGER), 0)",
            f"rtrim(CAST(substr(%s, x * {rw} + 1, {rw}) AS TEXT))",
            "CAST(substr(%s, x * 10 + 1, 10) AS TEXT)",
            f"substr(%s, x * {aw} + 1, {aw})" if aw else "X''",
            "%s",
            "%s",
        ]
        params += [
            _digits(c["units"], uw).tobytes(),
            _digits(c["services"], sw).tobytes(),
            rtypes.tobytes(),
            c["days"].tobytes(),
        ]
        if aw:
            params.append(c["answers"].tobytes())
        params += [Response.Source.IMPORT.value, c["batch_id"]]
        json: dict[int, str] = c["json"]
        if json:
            # The extra answers of the few rows that have them: one text, sliced by offsets.
            texts = [json.get(i, "").encode() for i in range(n)]
            lengths = np.fromiter((len(t) for t in texts), dtype=np.int64, count=n)
            starts = np.cumsum(lengths) - lengths + 1
            ow = max(_width(starts), _width(lengths))
            select.append(
                f"CASE WHEN CAST(substr(%s, x * {ow} + 1, {ow}) AS INTEGER) > 0 "
                f"THEN CAST(substr(%s, CAST(substr(%s, x * {ow} + 1, {ow}) AS INTEGER), "
                f"CAST(substr(%s, x * {ow} + 1, {ow}) AS INTEGER)) AS TEXT) END"
            )
            offsets, sizes = _digits(starts, ow).tobytes(), _digits(lengths, ow).tobytes()
            params += [sizes, b"".join(texts), offsets, sizes]
        else:
            select.append("NULL")
        with connection.cursor() as cursor:
            sql = self.head + "SELECT " + ", ".join(select) + " FROM c"  # noqa: S608 - no data
            cursor.execute(sql, params)


class _PostgresWriter:
    def __init__(self) -> None:
        table, columns = _columns()
        self.sql = f"COPY {table} ({columns}) FROM STDIN"

    def write(self, **c: Any) -> None:
        n = len(c["units"])
        tab = np.full((n, 1), 9, dtype=np.uint8)
        wave = np.frombuffer(f"{c['wave_id']}\t".encode(), dtype=np.uint8)
        services = c["services"]
        sw = max(_width(services), 2)  # room for \\N
        service = _digits(services, sw)
        none = np.full(sw, PAD, dtype=np.uint8)
        none[:2] = np.frombuffer(b"\\N", dtype=np.uint8)
        service[services == 0] = none
        hexdigits = np.frombuffer(b"0123456789abcdef", dtype=np.uint8)
        answers = c["answers"]
        hexed = np.empty((n, answers.shape[1] * 2), dtype=np.uint8)
        hexed[:, 0::2] = hexdigits[answers >> 4]
        hexed[:, 1::2] = hexdigits[answers & 15]
        tail = f"\t{Response.Source.IMPORT.value}\t{c['batch_id']}\t\\N\n".encode()
        parts = [
            np.broadcast_to(wave, (n, len(wave))),
            _digits(c["units"], _width(c["units"])),
            tab,
            service,
            tab,
            c["rtypes"],
            tab,
            c["days"],
            np.broadcast_to(np.frombuffer(b"\t\\\\x", dtype=np.uint8), (n, 4)),
            hexed,
            np.broadcast_to(np.frombuffer(tail, dtype=np.uint8), (n, len(tail))),
        ]
        matrix = np.concatenate(parts, axis=1)
        keep = matrix != PAD
        text = matrix[keep].tobytes()
        json: dict[int, str] = c["json"]
        pieces: list[bytes] = []
        if json:
            ends = np.cumsum(keep.sum(axis=1))
            at = 0
            for i in sorted(json):
                end = int(ends[i])
                escaped = json[i].replace("\\", "\\\\").replace("\t", "\\t")
                escaped = escaped.replace("\n", "\\n").replace("\r", "\\r")
                pieces += [text[at : end - 3], escaped.encode(), b"\n"]
                at = end
            pieces.append(text[at:])
        else:
            pieces.append(text)
        with connection.cursor() as cursor, cursor.cursor.copy(self.sql) as copy:
            for piece in pieces:
                copy.write(piece)
