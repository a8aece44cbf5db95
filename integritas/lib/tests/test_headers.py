"""Export headers: every column name of a download has a label in both languages."""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any

from django.utils import translation

import integritas
from integritas.lib.headers import LABELS, header_label, label_spellings
from integritas.lib.tables import Column


def declared_headers() -> dict[str, str]:
    """{header: module} for the export columns declared at module level in the project."""
    found: dict[str, str] = {}
    for info in pkgutil.walk_packages(integritas.__path__, "integritas."):
        if ".tests" in info.name or ".migrations" in info.name or "management" in info.name:
            continue
        module = importlib.import_module(info.name)
        for value in vars(module).values():
            items: list[Any] = list(value) if isinstance(value, list | tuple) else [value]
            for item in items:
                if isinstance(item, Column) and isinstance(item.header, str):
                    found[item.header] = info.name
    return found


def test_every_declared_column_name_has_a_label() -> None:
    headers = declared_headers()
    assert len(headers) > 50  # the walk found the export columns
    assert {h: m for h, m in headers.items() if h not in LABELS} == {}


def test_the_index_dashboard_headers_have_labels() -> None:
    from integritas.indices.views.dashboards import CELL_HEADERS, SUMMARY_HEADERS

    assert [h for h in [*CELL_HEADERS, *SUMMARY_HEADERS] if h not in LABELS] == []


def test_every_label_is_translated_and_no_two_names_share_one_in_english() -> None:
    english: dict[str, str] = {}
    for name in LABELS:
        indonesian, in_english = label_spellings(name)
        assert indonesian != in_english or in_english in {
            "Status",
            "NIP",
            "Email",
            "Hash",
            "Target",
            "Internal",
        }, name
        assert in_english not in english, (name, english.get(in_english))
        english[in_english] = name


def test_a_header_that_is_not_a_name_is_written_as_it_is() -> None:
    with translation.override("id"):
        assert header_label("dim:INT-PROC") == "dim:INT-PROC"
        assert header_label("parent_code") == "Kode unit kerja induk"
