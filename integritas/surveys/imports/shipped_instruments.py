"""The instruments that come with Integritas (``surveys/data/*.json``, in the layout of the
instrument workbook, see docs/instrument-xlsx.md), read with the workbook's reader and loaded as
published versions."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from django.db import transaction

from integritas.surveys.imports.instruments import parse_sheets, sheets_from_json
from integritas.surveys.models import Instrument, InstrumentVersion
from integritas.surveys.services.instrument_library import (
    InstrumentData,
    version_import,
    version_publish,
)

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
# Shipped instruments, in the order they are loaded.
SHIPPED_FILES = (
    "skm-permenpanrb-14-2017.json",
    "integrity-self-survey.json",
    "zi-ipak.json",
    "zi-ipkp.json",
)


def shipped_data() -> list[InstrumentData]:
    """The instruments that come with Integritas, read from ``data/*.json`` (their layout mirrors
    the XLSX sheets; see docs/instrument-xlsx.md). Raises ValueError if a file is broken."""
    result = []
    for name in SHIPPED_FILES:
        raw = json.loads((DATA_DIR / name).read_text(encoding="utf-8"))
        data, errors = parse_sheets(sheets_from_json(raw))
        if data is None or errors:
            details = "; ".join(f"{e.sheet} row {e.row} {e.column}: {e.message}" for e in errors)
            raise ValueError(f"{name} is not a valid instrument: {details}")
        result.append(data)
    return result


def load_shipped(*, codes: Iterable[str] | None = None) -> list[InstrumentVersion]:
    """Load the shipped instruments as published version 1. Instruments whose code already exists
    are left alone, so running it again changes nothing. Returns the versions it published."""
    wanted = set(codes) if codes is not None else None
    loaded = []
    for data in shipped_data():
        if wanted is not None and data.code not in wanted:
            continue
        with transaction.atomic():
            if Instrument.objects.filter(code=data.code).exists():
                continue
            version, _created = version_import(data=data, source="shipped")
            loaded.append(version_publish(version=version))
    return loaded
