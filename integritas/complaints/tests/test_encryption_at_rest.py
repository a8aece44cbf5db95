"""Proof that a copy of the database plus the file store reveals no report text, file content,
reporter identity or receipt (docs/security.md).

A report with a unique sentence, an identity, a photo and a PDF carrying unique markers is
submitted, questioned, answered and given more files; then the raw bytes of the SQLite database
(what a copy of the file would hold, free pages included) and every file of the media store are
searched for each secret. These tests commit for real (``transaction=True``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from integritas.complaints.services import keys
from integritas.complaints.services.attachments import Upload
from integritas.complaints.services.handler import handler_decrypt, handler_message
from integritas.complaints.services.public import open_with_receipt, reporter_reply
from integritas.complaints.tests.conftest import Desk
from integritas.complaints.tests.helpers import FIELDS, pdf_with, photo_with_gps, submit
from integritas.core.testing import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

SENTENCE = "Kepala seksi perizinan menerima amplop berisi Rp7.350.000 dari CV Sinar Qx9."
REPLY = "Saksi kedua bernama Pak Zulkarnaen-7Q, petugas parkir."
QUESTION = "Apakah ada bukti transfer? (pertanyaan-K2)"
PHOTO_MARKER = "EXIF-MARKER-c41d9e"
PDF_MARKER = "PDF-MARKER-88be02"
FILE_NAME = "foto-amplop-unik-31f.jpg"
IDENTITY = {"name": "Ratna Wulandari-U8", "contact": "ratna.u8@example.test"}


@dataclass
class Submitted:
    secrets: dict[str, bytes]
    database: bytes
    media: list[tuple[Path, bytes]]


def raw_database() -> bytes:
    if connection.vendor != "sqlite":
        pytest.skip("reads the raw SQLite database")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_checkpoint")
    return connection.connection.serialize()  # type: ignore[union-attr]


@pytest.fixture
def submitted(desk: Desk, settings: Any) -> Submitted:
    report, receipt = submit(
        desk.world.disdik,
        fields={**FIELDS, "what": SENTENCE},
        identity=IDENTITY,
        attachments=[
            Upload(FILE_NAME, photo_with_gps(marker=PHOTO_MARKER)),
            Upload("dokumen.pdf", pdf_with(PDF_MARKER)),
        ],
    )
    handler_key = keys.unlock(user=desk.handler, password=PASSWORD)
    handler_message(report=report, handler=desk.handler, private_key=handler_key, text=QUESTION)
    view = open_with_receipt(receipt)
    reporter_reply(
        view=view,
        text=REPLY,
        attachments=[Upload("lagi.pdf", pdf_with(PDF_MARKER + "-2"))],
    )
    # Everything is readable by those who should read it (so the scan below is meaningful).
    opened = handler_decrypt(report=report, handler=desk.handler, private_key=handler_key)
    assert opened.content["what"] == SENTENCE
    assert opened.identity == IDENTITY
    assert [m.text for m in opened.messages] == [QUESTION, REPLY]
    digits = receipt.replace(" ", "")
    secret_values = {
        "sentence": SENTENCE.encode(),
        "reply": REPLY.encode(),
        "question": QUESTION.encode(),
        "photo marker": PHOTO_MARKER.encode(),
        "pdf marker": PDF_MARKER.encode(),
        "file name": FILE_NAME.encode(),
        "identity name": IDENTITY["name"].encode(),
        "identity contact": IDENTITY["contact"].encode(),
        "receipt": digits.encode(),
        "receipt as shown": receipt.encode(),
        "receipt in utf-16": digits.encode("utf-16-le"),
        "report key": view.key,
        "report key (hex)": view.key.hex().encode(),
        "handler private key": handler_key,
        "handler private key (hex)": handler_key.hex().encode(),
        "recovery key": desk.recovery["handler"].replace("-", "").encode(),
        "camera model": b"Model X-42",
    }
    media_root = Path(settings.MEDIA_ROOT)
    media = [(p, p.read_bytes()) for p in sorted(media_root.rglob("*")) if p.is_file()]
    return Submitted(secret_values, raw_database(), media)


def test_the_scan_sees_real_data(submitted: Submitted) -> None:
    assert b"Dinas Pendidikan" in submitted.database  # plain tables are readable
    assert b"whistleblowing" in submitted.database
    assert len(submitted.media) == 4  # photo original + clean copy, two PDFs


def test_the_raw_database_holds_no_report_text_identity_file_content_receipt_or_key(
    submitted: Submitted,
) -> None:
    found = [name for name, value in submitted.secrets.items() if value in submitted.database]
    assert found == []


def test_the_media_store_holds_no_file_content_name_or_text(submitted: Submitted) -> None:
    for path, content in submitted.media:
        found = [name for name, value in submitted.secrets.items() if value in content]
        assert found == [], path
        assert path.name.endswith(".bin") and FILE_NAME not in str(path)
