"""Sniffing uploads by content: real types are recognised, disguised files are not."""

from __future__ import annotations

import hashlib
import io
import zipfile

import openpyxl
import pytest

from integritas.lib import files


def xlsx_bytes() -> bytes:
    buffer = io.BytesIO()
    openpyxl.Workbook().save(buffer)
    return buffer.getvalue()


def zip_bytes(members: dict[str, bytes] | dict[str, str]) -> bytes:
    """A zip of ``members`` (name: content) in their order."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"%PDF-1.7\n...", "pdf"),
        (b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", "png"),
        (b"\xff\xd8\xff\xe0\0\x10JFIF", "jpeg"),
        (b"GIF89a\x01\0\x01\0", "gif"),
        (b"RIFF\x24\0\0\0WEBPVP8 ", "webp"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 8, "doc"),
        (zip_bytes({"[Content_Types].xml": b"<x/>", "word/document.xml": b"<w/>"}), "docx"),
        (zip_bytes({"mimetype": b"application/vnd.oasis.opendocument.text"}), "odt"),
    ],
)
def test_it_recognises_accepted_types_by_their_bytes(data: bytes, kind: str) -> None:
    sniffed = files.sniff(io.BytesIO(data))
    assert sniffed is not None and sniffed.kind == kind


def test_it_recognises_a_real_spreadsheet() -> None:
    sniffed = files.sniff(io.BytesIO(xlsx_bytes()))
    assert sniffed is not None and sniffed.kind == "xlsx"


@pytest.mark.parametrize(
    "data",
    [
        b"MZ\x90\0\x03 a Windows program named report.pdf",
        b"#!/bin/sh\nrm -rf /\n",
        b"<html><script>alert(1)</script></html>",
        zip_bytes({"payload.exe": b"MZ"}),  # a plain zip is not an office document
        b"PK\x03\x04 but not really a zip",
        b"",
    ],
)
def test_it_refuses_anything_else(data: bytes) -> None:
    assert files.sniff(io.BytesIO(data)) is None


def test_sniffing_and_hashing_rewind_the_stream() -> None:
    stream = io.BytesIO(b"%PDF-1.4 hello")
    files.sniff(stream)
    assert stream.tell() == 0
    assert files.sha256_of(stream) == hashlib.sha256(b"%PDF-1.4 hello").hexdigest()
    assert stream.tell() == 0
    assert files.size_of(stream) == 14
