"""The column-wise path of the response import (see ``integritas.surveys.imports.responses``).

A plain CSV file (no quote character anywhere, lines ended by LF or CRLF, no line longer than a
CSV field may be) is read as one byte buffer and checked a block of lines at a time with numpy:

- The line ends and delimiters are found in one pass; a line with exactly as many fields as the
  header has names is *regular*, and the start and length of each of its cells is known.
- For every column the distinct cells are found (a 65,536-entry table for cells of up to two
  bytes, such as answer codes; exact 16-byte keys sorted by numpy for longer ones such as unit
  codes and dates), each distinct cell is looked up once in the importer's dicts, and the answer
  is spread back to every row with one gather.
- The conditions of a respondent type are applied to the packed answers of all its rows at once,
  in the order ``apply_conditions`` applies them.

A row goes through this path only when every one of its cells is found and nothing is left to
judge (no extra answer such as a number or text, no shown required question left empty). Every
other line (irregular, unknown cell, extra answers, blank) goes, in file order, through the
importer's row path (``ResponseImporter.row``), which gives every problem its message as before.
So the stored rows and the report are the same as the row path's (a test compares them on a file
with every kind of cell).

The column-wise *scan* of a block works on a copy of what the importer knows (``Known``), so the
scans of the next blocks run in threads (numpy leaves the interpreter lock for most of the work)
while the main thread *merges* a block through the row path, in file order.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections import deque
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from integritas.lib.spreadsheets import _DELIMITERS as DELIMITERS
from integritas.lib.spreadsheets import StreamInfo, detect_delimiter, stream_rows
from integritas.surveys.imports.response_plans import Plan

if TYPE_CHECKING:
    from integritas.surveys.imports.responses import ResponseImporter

BLOCK_LINES = 131_072
SCAN_THREADS = 2  # blocks scanned at once (the bench machine has two cores)
RESCAN_SHARE = 8  # a stale scan that missed more than 1/8 of its lines is made again
MAX_KEY = 16  # longer cells are looked up by the row path
NEWLINE, CR, QUOTE = 10, 13, 34
# WORD_MASKS[k]: the low k bytes of a word.
WORD_MASKS = np.array([(1 << (8 * k)) - 1 for k in range(9)], dtype=np.uint64)


def plain_lines(data: bytes) -> bool:
    """Whether ``csv.reader`` would read ``data`` as one row per line split at the delimiter."""
    if b'"' in data or data.count(b"\r") != data.count(b"\r\n"):
        return False
    arr = np.frombuffer(data, dtype=np.uint8)
    ends = np.flatnonzero(arr == NEWLINE)
    longest = int(np.diff(ends, prepend=-1).max()) if len(ends) else 0
    longest = max(longest, len(data) - (int(ends[-1]) + 1 if len(ends) else 0))
    return longest < csv.field_size_limit()


@dataclass
class Block:
    """The good rows of a block of lines, in file order."""

    units: np.ndarray
    services: np.ndarray
    ordinals: np.ndarray
    rtype_indexes: np.ndarray
    answers: np.ndarray  # (rows, slots) int16
    extras: dict[int, dict[str, Any]]  # by position in this block


@dataclass
class Keys:
    """Text keys as the file writes them (up to 16 bytes, two little-endian words zero-padded)
    and their values, for ``ColumnChecker._known``."""

    table: np.ndarray  # (keys, 2) uint64
    values: np.ndarray  # int64
    longest: int  # bytes


@dataclass
class Known:
    """A copy of what the importer knows (the exact forms and what the row path learned)."""

    types: Keys  # respondent type word -> plan number
    units: Keys
    days: Keys
    maps: list[list[dict[str, int]]]  # per plan, per slot: raw cell text -> stored value
    size: int  # the number of forms: it grows with each one learned (the dicts only grow)


@dataclass
class Scan:
    """The column-wise check of a block: per line, whether it is done (``fast``) and its
    values."""

    fast: np.ndarray
    units: np.ndarray
    services: np.ndarray
    ordinals: np.ndarray
    plan_index: np.ndarray
    answers: np.ndarray
    known: int  # the ``Known.size`` of what the scan knew


class ColumnChecker:
    """Checks the data lines of a plain CSV file for ``importer`` (its header already read)."""

    def __init__(self, importer: ResponseImporter, data: bytes, delimiter: str) -> None:
        self.importer = importer
        self.arr = np.frombuffer(data, dtype=np.uint8)
        self.data = data
        # The file as a little-endian 64-bit word starting at every byte (zeros after its end).
        padded = np.zeros(len(data) + 16, dtype=np.uint8)
        padded[: len(data)] = self.arr
        self.words = np.ndarray((len(data) + 9,), dtype="<u8", buffer=padded, strides=(1,))
        self._keys_cache: dict[str, tuple[int, Keys]] = {}
        self.delimiter = ord(delimiter)
        self.text_delimiter = delimiter
        encoding = importer.encoding
        self.encoding = "utf-8" if encoding == "utf-8-sig" else encoding
        self.plans: list[Plan] = list(importer.plans.values())
        self.slots = importer.schema.slot_count
        # The text of each one-byte cell (None: not a character alone); 0 is the empty cell.
        self.single: list[str | None] = [""]
        for byte in range(1, 256):
            try:
                self.single.append(bytes([byte]).decode(self.encoding))
            except UnicodeDecodeError:
                self.single.append(None)

    # -- lines ----------------------------------------------------------------------------

    def lines(self, start: int) -> tuple[np.ndarray, np.ndarray]:
        """Start and end (before CR LF) of every line from byte ``start`` on."""
        arr = self.arr
        newlines = np.flatnonzero(arr[start:] == NEWLINE) + start
        starts = np.concatenate(([start], newlines + 1))
        ends = np.concatenate((newlines, [len(arr)]))
        if starts[-1] >= len(arr):  # the file ends with a newline
            starts, ends = starts[:-1], ends[:-1]
        if len(ends):
            before = np.maximum(ends - 1, 0)
            ends = ends - ((ends > starts) & (arr[before] == CR))
        return starts, ends

    def row(self, start: int, end: int) -> list[str]:
        if start == end:
            return []
        return self.data[start:end].decode(self.encoding).split(self.text_delimiter)

    # -- cells ----------------------------------------------------------------------------

    def _distinct(self, starts: np.ndarray, lengths: np.ndarray) -> tuple[np.ndarray, list[str]]:
        """Per row, the index of its cell among the distinct cells (-1: too long), and those."""
        arr, last = self.arr, len(self.arr) - 1
        n = len(starts)
        longest = int(lengths.max()) if n else 0
        if longest <= 2:
            key = np.zeros(n, dtype=np.int64)
            for k in range(longest):
                byte = arr[np.minimum(starts + k, last)].astype(np.int64)
                key |= np.where(lengths > k, byte, 0) << (8 * k)
            present = np.flatnonzero(np.bincount(key, minlength=1))
            remap = np.full(int(present[-1]) + 1 if len(present) else 1, -1, dtype=np.int64)
            remap[present] = np.arange(len(present))
            raw = [int(k).to_bytes(2, "little").rstrip(b"\0") for k in present]
            return remap[key], [c.decode(self.encoding, "replace") for c in raw]
        words = self._words(starts, np.minimum(lengths, MAX_KEY), 2 if longest > 8 else 1)
        if len(words) == 1:
            first, inverse = np.unique(words[0], return_index=True, return_inverse=True)[1:]
        else:
            high_values, high = np.unique(words[1], return_inverse=True)
            combined = np.unique(words[0], return_inverse=True)[1] * len(high_values) + high
            first, inverse = np.unique(combined, return_index=True, return_inverse=True)[1:]
        inverse = inverse.reshape(-1).astype(np.int64)
        inverse[lengths > MAX_KEY] = -1
        cells = [
            self.data[s : s + min(ln, MAX_KEY)].decode(self.encoding, "replace")
            for s, ln in zip(starts[first].tolist(), lengths[first].tolist(), strict=True)
        ]
        return inverse, cells

    def _words(self, starts: np.ndarray, lengths: np.ndarray, count: int) -> list[np.ndarray]:
        """The first ``8 * count`` bytes of each cell as ``count`` integers (zero-padded): one
        gather per word from the view of the file as a little-endian word at every byte."""
        words = []
        for word in range(count):
            fill = np.clip(lengths - 8 * word, 0, 8)
            words.append(self.words[starts + 8 * word] & WORD_MASKS[fill])
        return words

    def keys(self, known: Mapping[Any, int]) -> Keys:
        """``known``'s text keys as the file writes them, ready for ``_known``."""
        keys: dict[bytes, int] = {}
        for text, value in known.items():
            if isinstance(text, str):
                try:
                    raw = text.encode(self.encoding)
                except UnicodeEncodeError:  # cannot be written in this file
                    continue
                if len(raw) <= MAX_KEY:
                    keys[raw] = value
        table = np.frombuffer(b"".join(k.ljust(16, b"\0") for k in keys), dtype="<u8")
        return Keys(
            table=table.reshape(len(keys), 2),
            values=np.array(list(keys.values()), dtype=np.int64),
            longest=max((len(k) for k in keys), default=0),
        )

    def _learned(self, name: str, known: Mapping[Any, int]) -> Keys:
        """``keys`` of one of the importer's learned dicts, made again only when it has grown
        (they only grow: ``setdefault``)."""
        cached = self._keys_cache.get(name)
        if cached is None or cached[0] != len(known):
            cached = (len(known), self.keys(known))
            self._keys_cache[name] = cached
        return cached[1]

    def known(self) -> Known:
        """What the importer knows now, copied for a scan that may run in another thread while
        the row path learns more."""
        importer = self.importer
        numbers = {id(plan): number for number, plan in enumerate(self.plans)}
        types = {word: numbers[id(plan)] for word, plan in importer.plan_of.items()}
        maps = [[dict(mapping) for mapping in plan.maps] for plan in self.plans]
        return Known(
            types=self._learned("types", types),
            units=self._learned("units", importer.learned_units),
            days=self._learned("days", importer.learned_days),
            maps=maps,
            size=len(types)
            + len(importer.learned_units)
            + len(importer.learned_days)
            + sum(len(mapping) for plan_maps in maps for mapping in plan_maps),
        )

    def _known(self, starts: np.ndarray, lengths: np.ndarray, keys: Keys) -> np.ndarray:
        """Per row, the value of its cell's key for cells written exactly as a key, else -1 (no
        sorting of the rows: the keys are sorted and each cell is found by binary search)."""
        n = len(starts)
        if not len(keys.values) or not n:
            return np.full(n, -1, dtype=np.int64)
        longest = max(int(lengths.max()), keys.longest)
        count = 2 if longest > 8 else 1
        table = keys.table[:, :count]
        rows = self._words(starts, lengths, count)
        ok = lengths <= MAX_KEY
        ranks = []
        for word in range(count):
            distinct = np.unique(table[:, word])
            at = np.minimum(np.searchsorted(distinct, rows[word]), len(distinct) - 1)
            ok &= distinct[at] == rows[word]
            ranks.append((at, np.searchsorted(distinct, table[:, word]), len(distinct)))
        row_key, key_key = ranks[0][0].astype(np.int64), ranks[0][1].astype(np.int64)
        if count == 2:
            row_key = row_key * ranks[1][2] + ranks[1][0]
            key_key = key_key * ranks[1][2] + ranks[1][1]
        order = np.argsort(key_key)
        sorted_keys = key_key[order]
        values = keys.values[order]
        at = np.minimum(np.searchsorted(sorted_keys, row_key), len(sorted_keys) - 1)
        ok &= sorted_keys[at] == row_key
        return np.where(ok, values[at], -1)

    # -- a block --------------------------------------------------------------------------

    def block(self, starts: np.ndarray, ends: np.ndarray, first_number: int) -> Block:
        """Check lines ``starts``/``ends`` (the first is row ``first_number``)."""
        return self.merge(starts, ends, first_number, self.scan(starts, ends, self.known()))

    def scan(self, starts: np.ndarray, ends: np.ndarray, known: Known) -> Scan:
        """The column-wise check of lines ``starts``/``ends`` with what ``known`` holds (touches
        nothing shared: scans of several blocks can run in threads at once)."""
        importer, arr = self.importer, self.arr
        n, width = len(starts), importer.width
        fast = np.zeros(n, dtype=bool)
        units = np.zeros(n, dtype=np.int64)
        services = np.zeros(n, dtype=np.int64)
        ordinals = np.zeros(n, dtype=np.int64)
        plan_index = np.zeros(n, dtype=np.int64)
        answers = np.zeros((n, self.slots), dtype=np.int16)
        if n and self.plans:
            lo, hi = int(starts[0]), int(ends[-1])
            # Byte offsets as int32 (a plain file is under 512 MB): half the memory traffic of
            # the (rows, columns) offset matrices below.
            delims = (np.flatnonzero(arr[lo:hi] == self.delimiter) + lo).astype(np.int32)
            first = np.searchsorted(delims, starts)
            regular = np.flatnonzero(np.searchsorted(delims, ends) - first == width - 1)
            if len(regular):
                cell_starts = np.empty((len(regular), width), dtype=np.int32)
                cell_ends = np.empty((len(regular), width), dtype=np.int32)
                cell_starts[:, 0] = starts[regular]
                cell_ends[:, -1] = ends[regular]
                positions = delims[first[regular, None] + np.arange(width - 1, dtype=np.int32)]
                cell_ends[:, :-1] = positions
                cell_starts[:, 1:] = positions + 1
                ok, values = self._regular(cell_starts, cell_ends - cell_starts, known)
                fast[regular] = ok
                for target, column in zip(
                    (units, services, ordinals, plan_index), values[:4], strict=True
                ):
                    target[regular] = column
                answers[regular] = values[4]
        return Scan(fast, units, services, ordinals, plan_index, answers, known.size)

    def _regular(
        self, starts: np.ndarray, lengths: np.ndarray, known: Known
    ) -> tuple[np.ndarray, list[np.ndarray]]:
        importer = self.importer
        n = len(starts)
        i_type, i_unit, i_date = importer.i_type, importer.i_unit, importer.i_date
        plan_index = self._known(starts[:, i_type], lengths[:, i_type], known.types)
        units = self._known(starts[:, i_unit], lengths[:, i_unit], known.units)
        ordinals = self._known(starts[:, i_date], lengths[:, i_date], known.days)
        ok = (plan_index >= 0) & (units >= 0) & (ordinals >= 0)
        services = np.zeros(n, dtype=np.int64)
        i_service = importer.fixed["service_code"]
        if i_service is not None:
            codes, cells = self._distinct(starts[:, i_service], lengths[:, i_service])
            named = np.flatnonzero(lengths[:, i_service] > 0)
            if len(named):
                pairs, back = np.unique(
                    units[named] * (len(cells) + 1) + codes[named], return_inverse=True
                )
                found = [
                    importer.services.get((int(p) // (len(cells) + 1), cells[int(p) % (len(cells) + 1)].strip()), -1)
                    if int(p) % (len(cells) + 1) < len(cells) and int(p) >= 0
                    else -1
                    for p in pairs.tolist()
                ]  # fmt: skip
                services[named] = np.array(found, dtype=np.int64)[back.reshape(-1)]
                # A blank-looking code (spaces) is no service: the row path decides.
                ok &= services >= 0
        answers = np.zeros((n, self.slots), dtype=np.int16)
        for number, plan in enumerate(self.plans):
            rows = np.flatnonzero(ok & (plan_index == number))
            if len(rows):
                good, values = self._answers(plan, known.maps[number], starts[rows], lengths[rows])
                answers[rows] = values
                ok[rows[~good]] = False
        return ok, [units, services, ordinals, plan_index, answers]

    def _answers(
        self, plan: Plan, maps: list[dict[str, int]], starts: np.ndarray, lengths: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """The packed answers of rows of one plan (``maps``: its dicts as known), and which rows
        need nothing more."""
        n, width = len(starts), self.importer.width
        ok = np.ones(n, dtype=bool)
        values = np.zeros((n, len(maps)), dtype=np.int64)
        # Columns whose cells are at most one byte long (answer codes 1-9 and blanks): one table
        # of 256 entries per slot, one gather for all of them.
        present = [p < width for p in plan.positions]
        columns = [p for p in plan.positions if p < width]
        short = np.zeros(len(maps), dtype=bool)
        if columns:
            short[np.flatnonzero(present)] = lengths[:, columns].max(axis=0) <= 1
        for slot, mapping in enumerate(maps):
            if not present[slot]:  # the column is absent: every cell is empty
                values[:, slot] = mapping.get("", -1)
            elif not short[slot]:
                position = plan.positions[slot]
                keys = self.keys(mapping)
                values[:, slot] = self._known(starts[:, position], lengths[:, position], keys)
        slots = np.flatnonzero(short)
        if len(slots):
            table = np.full((len(slots), 256), -1, dtype=np.int64)
            for row, slot in enumerate(slots.tolist()):
                mapping = maps[slot]
                for byte, text in enumerate(self.single):
                    if text is not None:
                        table[row, byte] = mapping.get(text, -1)
            where = [plan.positions[slot] for slot in slots.tolist()]
            cells = np.where(lengths[:, where] == 1, self.arr[starts[:, where]], 0)
            values[:, slots] = table[np.arange(len(slots)), cells]
        ok &= (values >= 0).all(axis=1)
        for column in plan.extras:  # extra answers are judged by the row path
            if column.required:
                ok[:] = False
            ok &= lengths[:, column.position] == 0
        shown: list[np.ndarray] = []
        for c in plan.conditions:
            visible = np.full(n, c.source_shown, dtype=bool)
            if c.source_condition is not None:
                visible &= shown[c.source_condition]
            source = values[:, c.source_slot]
            hit = (source & c.mask) != 0 if c.multiple else np.isin(source, list(c.hits))
            visible &= hit if c.op_in else ~hit
            shown.append(visible)
            if c.slot is not None:
                values[~visible, c.slot] = 0
                if c.required:
                    ok &= ~(visible & (values[:, c.slot] == 0))
            elif c.extra is not None and c.required:
                ok &= ~visible
        values[~ok] = 0
        return ok, values.astype(np.int16)

    def merge(self, starts: np.ndarray, ends: np.ndarray, first_number: int, scan: Scan) -> Block:
        """The block's good rows in file order: the fast ones as they are, the others through
        the importer's row path (which reports the bad ones and learns new forms)."""
        importer, report = self.importer, self.importer.report
        fast, units, services = scan.fast, scan.units, scan.services
        ordinals, plan_index, answers = scan.ordinals, scan.plan_index, scan.answers
        rtype_of = np.array([plan.rtype_index for plan in self.plans] or [0], dtype=np.int64)
        rtype_indexes = rtype_of[plan_index]
        keep = fast.copy()
        extras: dict[int, dict[str, Any]] = {}
        slow = np.flatnonzero(~fast)
        for i in slow.tolist():
            good = importer.row(self.row(int(starts[i]), int(ends[i])), first_number + i)
            if good is None:  # a blank row
                continue
            if good is False:
                report.total_rows += 1
                continue
            report.total_rows += 1
            plan, unit_id, ordinal, service_id, vector, extra = good
            keep[i] = True
            units[i], services[i], ordinals[i] = unit_id, service_id, ordinal
            rtype_indexes[i] = plan.rtype_index
            answers[i] = np.frombuffer(vector.tobytes(), dtype=np.int16) if len(vector) else 0
            if extra:
                extras[i] = extra
        report.total_rows += int(fast.sum())
        kept = np.flatnonzero(keep)
        position = np.cumsum(keep) - 1
        return Block(
            units=units[kept],
            services=services[kept],
            ordinals=ordinals[kept],
            rtype_indexes=rtype_indexes[kept],
            answers=answers[kept],
            extras={int(position[i]): extra for i, extra in extras.items()},
        )


def check_plain(
    importer: ResponseImporter,
    data: bytes,
    sniff: StreamInfo,
    every: int,
    write: Callable[[Block], None] | None = None,
) -> None:
    """Read the header of a plain CSV file and check its lines block by block; the good rows
    end up in the importer's columns as with its row path (``every``: rows between progress
    calls). With ``write``, each block's good rows are handed to it instead, in file order, as
    soon as the block is merged and while no row was bad (the scans of the next blocks go on
    meanwhile); the caller undoes what it wrote if a later row is bad."""
    offset = 3 if sniff.encoding == "utf-8-sig" and data.startswith(codecs.BOM_UTF8) else 0
    end = data.find(b"\n", offset)
    end = len(data) if end < 0 else end
    line = data[offset:end].decode(sniff.encoding).rstrip("\r")
    # Excel honours (and sometimes writes) a first line "sep=;" naming the delimiter; it is
    # not shown as a row, so it does not count in the numbering either.
    if len(line) == 5 and line.lower().startswith("sep=") and line[4] in DELIMITERS:
        delimiter, offset = line[4], end + 1
        end = data.find(b"\n", offset)
        end = len(data) if end < 0 else end
        line = data[offset:end].decode(sniff.encoding).rstrip("\r")
    else:
        delimiter = detect_delimiter(line)
    if offset >= len(data) or not line:
        # An empty header line (or none): the row path says so in its words.
        importer.check(stream_rows(io.BytesIO(data), sniff), sniff)
        return
    if not importer._header(line.split(delimiter)):
        return
    importer._prepare_rows()
    checker = ColumnChecker(importer, data, delimiter)
    starts, ends = checker.lines(end + 1)
    total, progress, report = len(starts), importer.progress, importer.report
    blocks: list[Block] = []
    firsts = range(0, total, BLOCK_LINES)
    # The scans of the next blocks run in threads (numpy leaves the interpreter lock for most
    # of their work) while this one merges a block through the row path, in file order.
    pending: deque[tuple[int, Future[Scan]]] = deque()
    with ThreadPoolExecutor(max_workers=SCAN_THREADS, thread_name_prefix="import-scan") as pool:

        def submit(index: int) -> None:
            if index < len(firsts):
                first = firsts[index]
                lines = starts[first : first + BLOCK_LINES], ends[first : first + BLOCK_LINES]
                pending.append((first, pool.submit(checker.scan, *lines, checker.known())))

        for index in range(SCAN_THREADS):
            submit(index)
        for index in range(len(firsts)):
            first, future = pending.popleft()
            scan = future.result()
            last = first + BLOCK_LINES
            lines = starts[first:last], ends[first:last]
            known = checker.known()
            if known.size != scan.known and (~scan.fast).sum() * RESCAN_SHARE > len(scan.fast):
                # The row path learned forms after this scan was made (an odd way of writing a
                # unit, a date, a type or an answer) and many lines missed: scan them again
                # rather than send them all through the row path.
                scan = checker.scan(*lines, known)
            submit(index + SCAN_THREADS)
            block = checker.merge(*lines, first + 2, scan)
            if report.error_count:
                pass
            elif write is not None:
                write(block)
            else:
                blocks.append(block)
            if progress is not None:
                for seen in range(first + every - first % every, min(last, total) + 1, every):
                    progress("check", seen, max(sniff.rows_estimate, seen))
    if progress is not None:
        progress("check", total, total)
    if report.error_count or write is not None:
        return

    def joined(name: str, empty: np.ndarray) -> np.ndarray:
        return np.concatenate([getattr(b, name) for b in blocks] or [empty])

    importer.unit_ids = joined("units", np.zeros(0, np.int64))
    importer.service_ids = joined("services", np.zeros(0, np.int64))
    importer.ordinals = joined("ordinals", np.zeros(0, np.int64))
    importer.rtype_indexes = joined("rtype_indexes", np.zeros(0, np.int64))
    importer.answers = joined("answers", np.zeros((0, checker.slots), "<i2")).astype("<i2")
    at = 0
    for b in blocks:
        for index, extra in b.extras.items():
            importer.extras[at + index] = extra
        at += len(b.units)
    importer.count = at
