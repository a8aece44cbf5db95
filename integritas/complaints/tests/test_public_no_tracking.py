"""Proof that a reporter leaves no address, device or time of day behind.

A reporter with a recognisable IP address and user agent goes through the real pages: sends a
report with a photo, mistypes and misremembers the receipt, opens the report, answers with a
file. Afterwards neither the address nor the user agent (nor the receipt) is in any table, in
the raw bytes of the SQLite database (free pages included), in the cache, in the media files, in
the log records or in any log file; and the report's text is not readable in the database or
the files either.

Committed for real (``transaction=True``) so the raw database is what a copy of the file would be.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection, models
from django.test import Client

from integritas.complaints.models import Attachment, Message, Report
from integritas.complaints.services.handler import handler_message
from integritas.complaints.tests.conftest import Desk
from integritas.complaints.tests.helpers import pdf_with, photo_with_gps
from integritas.complaints.tests.test_public_helpers import (
    CHECK_URL,
    REPLY_URL,
    form_data,
    once_token,
    open_report,
    receipt_from,
    reporter_pass,
    send,
    upload,
)
from integritas.lib import crypto

pytestmark = pytest.mark.django_db(transaction=True)

ADDRESS = "198.51.100.77"
USER_AGENT = "ReporterProbe/9.1 (Linux; Android 14; unique-ua-c0ffee42)"
SENTENCE = "Kepala seksi meminta amplop tebal di ruang arsip lantai dua 4b7e91"
MARKER = "UNIQUE-ATTACHMENT-MARKER-93d0aa"


@dataclass
class Reported:
    receipt: str
    logs: str
    media: Path


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


def log_files() -> list[Path]:
    """Files any configured logging handler writes to."""
    handlers = list(logging.getLogger().handlers)
    for logger in logging.Logger.manager.loggerDict.values():
        handlers += getattr(logger, "handlers", [])
    return [Path(h.baseFilename) for h in handlers if isinstance(h, logging.FileHandler)]


@pytest.fixture
def reported(desk: Desk, caplog: Any, capfd: Any, settings: Any) -> Reported:
    photo, pdf = photo_with_gps(MARKER), pdf_with(MARKER)
    caplog.set_level(logging.DEBUG)
    # Pillow logs every EXIF tag it reads at DEBUG (GPS included): settings.LOGGING must keep
    # the "PIL" logger at INFO or above (docs/whistleblowing.md); here it is at the default.
    caplog.set_level(logging.INFO, logger="PIL")
    client = Client(REMOTE_ADDR=ADDRESS, HTTP_USER_AGENT=USER_AGENT)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.get("/lapor/")
    send(client, form_data(desk.world.disdik, what=""))  # a mistake first
    response = send(
        client,
        form_data(
            desk.world.disdik,
            what=SENTENCE,
            attachments=[
                upload("foto.jpg", photo),
                upload("b.pdf", pdf),
            ],
        ),
    )
    receipt = receipt_from(response)
    client.get("/lapor/selesai/")
    digits = receipt.replace(" ", "")
    open_report(client, digits[:6] + str((int(digits[6]) + 1) % 10) + digits[7:])  # a typo
    open_report(client, crypto.new_receipt())  # a wrong one, counted by the limiter
    report = Report.objects.get()
    handler_message(
        report=report,
        handler=desk.handler,
        private_key=desk.private_key(desk.handler),
        text="Siapa saja yang hadir?",
    )
    page = open_report(client, receipt)
    client.post(
        REPLY_URL,
        {
            "pass": reporter_pass(page),
            "once": once_token(page),
            "text": "Dua orang staf keuangan.",
            "attachments": [upload("catatan.pdf", pdf)],
        },
    )
    client.post(CHECK_URL, {"pass": reporter_pass(page)})
    client.put(CHECK_URL)  # a refused method, which Django would normally log
    captured = capfd.readouterr()
    logs = "\n".join(f"{r.name} {r.getMessage()} {r.__dict__!r}" for r in caplog.records)
    logs += captured.out + captured.err
    for path in log_files():
        logs += path.read_text(encoding="utf-8", errors="replace")
    return Reported(receipt=receipt, logs=logs, media=Path(settings.MEDIA_ROOT))


def forbidden(reported: Reported) -> list[str]:
    return [ADDRESS, USER_AGENT, reported.receipt, reported.receipt.replace(" ", "")]


def table_text() -> dict[str, str]:
    texts = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            texts[table] = " ".join(
                bytes(v).decode("latin-1") if isinstance(v, bytes | memoryview) else str(v)
                for row in cursor.fetchall()
                for v in row
            )
    return texts


def test_the_report_rows_hold_dates_only_never_a_time_of_day(reported: Reported) -> None:
    for model in (Report, Message, Attachment):
        for field in model._meta.concrete_fields:
            assert not isinstance(field, models.DateTimeField | models.TimeField), field


def test_no_table_holds_the_address_the_user_agent_or_the_receipt(reported: Reported) -> None:
    texts = table_text()
    assert "Dinas Pendidikan" in texts["core_unit"]  # the scan reads real content
    hits = [(table, s) for table, text in texts.items() for s in forbidden(reported) if s in text]
    assert hits == []


@pytest.mark.skipif(connection.vendor != "sqlite", reason="reads the raw SQLite database")
def test_the_raw_database_bytes_hold_none_of_them_nor_the_report_text(
    reported: Reported,
) -> None:
    raw = connection.connection.serialize()  # type: ignore[union-attr]
    assert b"Dinas Pendidikan" in raw
    for secret in [*forbidden(reported), SENTENCE, MARKER, "Dua orang staf keuangan"]:
        assert secret.encode() not in raw, secret


def test_no_log_record_or_log_file_mentions_the_reporter(reported: Reported) -> None:
    assert "/lapor/" not in reported.logs  # not even that a reporter came by
    for secret in [*forbidden(reported), SENTENCE, MARKER, "GPS"]:
        assert secret not in reported.logs, secret


def test_the_cache_holds_no_address_or_receipt(reported: Reported) -> None:
    held = " ".join(f"{key} {value!r}" for key, value in cache.entries().items())  # type: ignore[attr-defined]
    assert "complaints-receipt" in held  # the wrong receipt was counted, under a hash
    for secret in forbidden(reported):
        assert secret not in held


def test_the_media_files_hold_no_content_in_the_clear(reported: Reported) -> None:
    files = [p for p in reported.media.rglob("*") if p.is_file()]
    assert len(files) == 4  # photo original and clean copy, two PDFs
    for path in files:
        data = path.read_bytes()
        for secret in [MARKER, SENTENCE, *forbidden(reported)]:
            assert secret.encode() not in data, (path, secret)
