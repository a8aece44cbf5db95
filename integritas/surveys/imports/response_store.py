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
- **PostgreSQL**: ``COPY … FROM STDIN (FORMAT BINARY)`` per chunk, each chunk one
  buffer of binary fields laid out by numpy for the column types the catalog gives (the text
  format, every field of a row in a fixed-width byte matrix with padding bytes dropped, when a
  type is not the one foreseen). A *large* import (``bulk_worthwhile``) is written with
  the table's secondary indexes and foreign keys dropped inside the transaction and recreated,
  from their own definitions, before it commits (``_postgres_bulk``): PostgreSQL checks a
  foreign key row by row (four checks per response, most of the write's time) but re-validates
  a re-added one with one join over the table, and builds an index by sorting instead of
  inserting a million entries one by one. DDL is transactional there, so a failure anywhere
  (including a reference the re-validation refuses) rolls back the rows and the DDL together.

The rows given go in sorted by unit (a stable sort, so rows of one unit keep the file's order):
the unit indexes then grow in order, which makes the insert faster, and a wave is stored unit by
unit for the index engine's scans. (A plain CSV file written while it is checked, on SQLite, is
given block by block, so it is sorted by unit within each block: ``response_saving``.)
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json as jsonlib
import sqlite3
import threading
from collections.abc import Callable, Mapping, Sequence
from typing import Any, cast

import numpy as np
from django.db import IntegrityError, OperationalError, connection, transaction

from integritas.core.models import Unit
from integritas.surveys.models import ImportBatch, Response, Service, Wave

PAD = 0xFF  # never a byte of the ASCII fields written here

# PostgreSQL: drop and recreate the indexes and foreign keys around an import of at least
# BULK_MIN_ROWS rows that is at least 1/BULK_TABLE_SHARE of the rows already in the table (the
# rebuild costs in proportion to the whole table, the row-by-row upkeep to the import only).
BULK_MIN_ROWS = 100_000
BULK_TABLE_SHARE = 3
# How long the bulk path waits for its locks before it gives up and writes row by row.
BULK_LOCK_TIMEOUT = "2s"

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
    postgres = connection.vendor == "postgresql"
    writer: _SqliteWriter | _PostgresWriter | _PostgresBinaryWriter
    if postgres:
        types = _postgres_types()
        writer = _PostgresBinaryWriter(types) if types is not None else _PostgresWriter()
    else:
        writer = _SqliteWriter()
    with contextlib.ExitStack() as stack:
        if postgres and bulk_worthwhile(n):
            stack.enter_context(_postgres_bulk())
        for start in range(0, n, chunk):
            rows = order[start : start + chunk]
            # The JSON text Django's JSONField writes (``json.dumps``), for the rows with extras.
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
                ordinals=ordinals[rows],
                days=_texts(days, (ordinals[rows] - first).astype(np.intp), PAD)[0],
                rtypes=_texts(rtypes, rtype_indexes[rows].astype(np.intp), PAD)[0],
                answers=(
                    blob[rows] if blob is not None else np.zeros((len(rows), 0), dtype=np.uint8)
                ),
                json=json,
            )
            if progress is not None:
                progress(min(start + chunk, n), n)


def bulk_worthwhile(rows: int) -> bool:
    """Whether an import of ``rows`` rows takes the bulk path on PostgreSQL."""
    if rows < BULK_MIN_ROWS:
        return False
    with connection.cursor() as cursor:
        # The planner's estimate (-1 before the first ANALYZE): good enough to compare sizes.
        cursor.execute(
            "SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [Response._meta.db_table]
        )
        (existing,) = cursor.fetchone()
    return rows * BULK_TABLE_SHARE >= max(existing, 0)


class _postgres_bulk:  # noqa: N801 - used like a function
    """Inside the caller's transaction: drop the response table's secondary indexes and foreign
    keys, let the rows be written, then recreate them from the definitions PostgreSQL gave
    (same names, columns and deferrability); re-adding a foreign key validates every row of the
    table. If the locks are not granted within ``BULK_LOCK_TIMEOUT`` (a long reader or writer of
    the table), nothing is dropped and the rows are written with the checks row by row."""

    def __init__(self) -> None:
        self.indexes: list[tuple[str, str]] = []
        self.keys: list[tuple[str, str]] = []

    def __enter__(self) -> None:
        table = Response._meta.db_table
        qn = connection.ops.quote_name
        with connection.cursor() as cursor:
            # Pending checks of rows written earlier in this transaction are made now: a table
            # with pending trigger events cannot be altered.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(
                "SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x "
                "JOIN pg_class i ON i.oid = x.indexrelid "
                "WHERE x.indrelid = %s::regclass AND NOT x.indisprimary "
                "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.oid) "
                "ORDER BY i.relname",
                [table],
            )
            indexes = [(name, definition) for name, definition in cursor.fetchall()]
            cursor.execute(
                "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE conrelid = %s::regclass AND contype = 'f' ORDER BY conname",
                [table],
            )
            keys = [(name, definition) for name, definition in cursor.fetchall()]
            cursor.execute("SELECT current_setting('lock_timeout')")
            (old_timeout,) = cursor.fetchone()
            try:
                with transaction.atomic():  # a savepoint: a refused lock undoes nothing else
                    cursor.execute("SET LOCAL lock_timeout = %s", [BULK_LOCK_TIMEOUT])
                    for name, _definition in keys:
                        cursor.execute(f"ALTER TABLE {qn(table)} DROP CONSTRAINT {qn(name)}")
                    for name, _definition in indexes:
                        cursor.execute(f"DROP INDEX {qn(name)}")
            except OperationalError:  # lock_timeout: write with the checks row by row
                indexes, keys = [], []
            cursor.execute("SELECT set_config('lock_timeout', %s, true)", [old_timeout])
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        self.indexes, self.keys = indexes, keys

    def __exit__(self, exc_type: object, *exc: object) -> None:
        if exc_type is not None:  # the transaction is rolled back, the DDL with it
            return
        table = connection.ops.quote_name(Response._meta.db_table)
        with connection.cursor() as cursor:
            for _name, definition in self.indexes:
                cursor.execute(definition)
            for name, definition in self.keys:
                # Validated here, over every row of the table, in one query per key.
                cursor.execute(
                    f"ALTER TABLE {table} ADD CONSTRAINT {connection.ops.quote_name(name)} "
                    f"{definition}"
                )


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


class _Copy:
    """One ``COPY … FROM STDIN`` per chunk."""

    sql: str

    def _send(self, pieces: list[bytes]) -> None:
        with connection.cursor() as cursor, cursor.cursor.copy(self.sql) as copy:
            for piece in pieces:
                copy.write(piece)


class _PostgresWriter(_Copy):
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
        self._send(pieces)


# COPY in binary format: the server reads each field as it is stored, with no parsing of text
# (integers, dates, hex-coded bytes). The fields are laid out by numpy for the column types
# below, read from the catalog; any other type (a changed model) falls back to text.
BINARY_SIGNATURE = b"PGCOPY\n\xff\r\n\0" + bytes(8)  # no flags, no header extension
BINARY_INTEGERS = {"bigint": ">i8", "integer": ">i4"}
BINARY_TYPES = {
    "wave": BINARY_INTEGERS,
    "unit": BINARY_INTEGERS,
    "service": BINARY_INTEGERS,
    "batch": BINARY_INTEGERS,
    "respondent_type": {"character varying": "text"},
    "source": {"character varying": "text"},
    "submitted_on": {"date": "date"},
    "answers": {"bytea": "bytes"},
    "extra": {"jsonb": "jsonb"},
}
POSTGRES_EPOCH = dt.date(2000, 1, 1).toordinal()


def _postgres_types() -> dict[str, str] | None:
    """Per field, how the binary COPY writes it; None when a column has a type not foreseen."""
    meta = Response._meta
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attname, format_type(atttypid, NULL) FROM pg_attribute "
            "WHERE attrelid = %s::regclass AND attnum > 0 AND NOT attisdropped",
            [meta.db_table],
        )
        types = dict(cursor.fetchall())
    found: dict[str, str] = {}
    for name, known in BINARY_TYPES.items():
        kind = known.get(types.get(cast(Any, meta.get_field(name)).column, ""))
        if kind is None:
            return None
        found[name] = kind
    return found


def _field(values: np.ndarray, dtype: str) -> np.ndarray:
    """Integers as binary COPY fields: the length, then the big-endian value, one row each."""
    size = np.dtype(dtype).itemsize
    out = np.empty((len(values), 4 + size), dtype=np.uint8)
    out[:, :4] = np.frombuffer(size.to_bytes(4, "big"), dtype=np.uint8)
    out[:, 4:] = values.astype(dtype).view(np.uint8).reshape(-1, size)
    return out


def _constant(data: bytes, n: int) -> np.ndarray:
    """The same binary COPY field in every row."""
    raw = np.frombuffer(len(data).to_bytes(4, "big") + data, dtype=np.uint8)
    return np.broadcast_to(raw, (n, len(raw)))


class _PostgresBinaryWriter(_Copy):
    def __init__(self, types: dict[str, str]) -> None:
        table, columns = _columns()
        self.sql = f"COPY {table} ({columns}) FROM STDIN (FORMAT BINARY)"
        self.types = types

    def _int(self, name: str, value: int, n: int) -> np.ndarray:
        return _constant(np.array([value], dtype=self.types[name]).tobytes(), n)

    def write(self, **c: Any) -> None:
        n, types = len(c["units"]), self.types
        count = np.frombuffer(len([*NAMES, "extra"]).to_bytes(2, "big"), dtype=np.uint8)
        services = c["services"]
        service = _field(services, types["service"])
        service[services == 0, :4] = 0xFF  # length -1: NULL, and no value bytes (dropped below)
        rtypes = c["rtypes"]
        rw = rtypes.shape[1]
        lengths = (rtypes != PAD).sum(axis=1).astype(">i4")
        answers = c["answers"]
        aw = answers.shape[1]
        parts = [
            np.broadcast_to(count, (n, 2)),
            self._int("wave", c["wave_id"], n),
            _field(c["units"], types["unit"]),
            service,
            lengths.view(np.uint8).reshape(n, 4),
            rtypes,
            _field(c["ordinals"] - POSTGRES_EPOCH, ">i4"),
            np.broadcast_to(np.frombuffer(aw.to_bytes(4, "big"), dtype=np.uint8), (n, 4)),
            answers,
            _constant(Response.Source.IMPORT.value.encode(), n),
            self._int("batch", c["batch_id"], n),
            np.full((n, 4), 0xFF, dtype=np.uint8),  # extra: NULL unless set below
        ]
        matrix = np.concatenate(parts, axis=1)
        # What to keep of each row: a NULL service without its value, the type without padding.
        keep = np.ones(matrix.shape, dtype=bool)
        at = 2 + parts[1].shape[1] + parts[2].shape[1]
        keep[services == 0, at + 4 : at + service.shape[1]] = False
        at += service.shape[1] + 4
        keep[:, at : at + rw] = np.arange(rw) < lengths[:, None]
        data = matrix[keep].tobytes() if not keep.all() else matrix.tobytes()
        json: dict[int, str] = c["json"]
        pieces: list[bytes] = [BINARY_SIGNATURE]
        if json:
            ends = np.cumsum(keep.sum(axis=1))
            done = 0
            for i in sorted(json):
                end = int(ends[i])
                text = json[i].encode()
                # jsonb's binary form: a version byte (1), then the text.
                size = (len(text) + 1).to_bytes(4, "big")
                pieces += [data[done : end - 4], size, b"\x01", text]
                done = end
            pieces.append(data[done:])
        else:
            pieces.append(data)
        self._send(pieces)


class sqlite_tuning:  # noqa: N801 - used like a function
    """A larger page cache while SQLite builds the indexes of a big insert, then the old size."""

    def __init__(self, cursor: Any) -> None:
        self.cursor = cursor
        self.old: Any = None

    def __enter__(self) -> None:
        if connection.vendor == "sqlite":
            self.cursor.execute("PRAGMA cache_size")
            self.old = self.cursor.fetchone()[0]
            self.cursor.execute("PRAGMA cache_size = -262144")  # 256 MB

    def __exit__(self, *exc: object) -> None:
        if self.old is not None:
            self.cursor.execute(f"PRAGMA cache_size = {int(self.old)}")


class sqlite_commit:  # noqa: N801 - used like a function
    """Around the import's transaction on a SQLite file in write-ahead-log mode (and not inside
    an outer transaction):

    - Its commit makes the log durable at once (``synchronous=FULL`` for this transaction: the
      import is on disk when it returns) but does not copy the log into the database file (no
      automatic checkpoint, ~1 s for a million rows); a passive checkpoint does that right
      after, from a connection of its own in a thread, while the caller goes on (it takes no
      lock that readers or writers wait for).
    - SQLite's row-by-row foreign key checks are off (four lookups per response, about a tenth
      of the import's time); ``references_unchecked`` is then true and the caller checks the
      references of the rows it wrote itself, once per distinct value, before the commit
      (``check_references``).

    The connection's settings are restored."""

    def __init__(self) -> None:
        self.old: tuple[int, int, int] | None = None
        self.references_unchecked = False

    def __enter__(self) -> sqlite_commit:
        if connection.vendor != "sqlite" or connection.in_atomic_block:
            return self
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            if str(cursor.fetchone()[0]).lower() != "wal":
                return self
            cursor.execute("PRAGMA synchronous")
            synchronous = int(cursor.fetchone()[0])
            cursor.execute("PRAGMA wal_autocheckpoint")
            pages = int(cursor.fetchone()[0])
            cursor.execute("PRAGMA foreign_keys")
            foreign_keys = int(cursor.fetchone()[0])
            self.old = (synchronous, pages, foreign_keys)
            cursor.execute("PRAGMA synchronous = FULL")
            cursor.execute("PRAGMA wal_autocheckpoint = 0")
            if foreign_keys:
                cursor.execute("PRAGMA foreign_keys = OFF")
                self.references_unchecked = True
        return self

    def __exit__(self, exc_type: object, *exc: object) -> None:
        if self.old is None:
            return
        synchronous, pages, foreign_keys = self.old
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA synchronous = {max(synchronous, 0):d}")
            cursor.execute(f"PRAGMA wal_autocheckpoint = {pages:d}")
            cursor.execute(f"PRAGMA foreign_keys = {'ON' if foreign_keys else 'OFF'}")
        if exc_type is not None:  # rolled back: nothing to copy
            return
        name = str(connection.settings_dict["NAME"])
        threading.Thread(target=_checkpoint, args=(name,), name="import-checkpoint").start()


def check_references(*, wave_id: int, batch_id: int, unit_ids: Any, service_ids: Any) -> None:
    """(SQLite) Raise ``IntegrityError`` unless the wave, the batch and every unit and service (0: none)
    the written rows name exist (inside the import's transaction, after the rows are written:
    the transaction holds the database's write lock, so nothing named can be deleted before it
    commits). One query per table, whatever the number of rows."""
    units = np.unique(np.asarray(unit_ids, dtype=np.int64)).tolist()
    services = [s for s in np.unique(np.asarray(service_ids, dtype=np.int64)).tolist() if s]
    checks = [
        (Wave._meta.db_table, [wave_id]),
        (ImportBatch._meta.db_table, [batch_id]),
        (Unit._meta.db_table, units),
        (Service._meta.db_table, services),
    ]
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table, ids in checks:
            if not ids:
                continue
            cursor.execute(
                f"SELECT COUNT(*) FROM {qn(table)} WHERE id IN "  # noqa: S608 - model names
                "(SELECT value FROM json_each(%s))",
                [jsonlib.dumps(ids)],
            )
            if int(cursor.fetchone()[0]) != len(ids):
                raise IntegrityError(f"FOREIGN KEY constraint failed ({table})")


def _checkpoint(name: str) -> None:
    """Copy the write-ahead log into the database file (what SQLite's automatic checkpoint
    does), without waiting for any lock; whatever is left is copied by a later checkpoint."""
    with contextlib.closing(sqlite3.connect(name, timeout=20)) as db:
        db.execute("PRAGMA wal_checkpoint(PASSIVE)")
