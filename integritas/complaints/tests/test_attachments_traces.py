"""A report's files leave no time of day and no log line behind.

The database keeps only the day of a report; the encrypted files must not tell more through their
filesystem times (nor their folder's), and nothing a PDF library says about a reporter's file may
reach a log.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import os
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.conf import settings
from django.utils import timezone
from pypdf import PdfWriter

from integritas.complaints.models import Attachment
from integritas.complaints.services import attachments
from integritas.complaints.services.attachments import Upload
from integritas.complaints.tests.conftest import Desk
from integritas.complaints.tests.helpers import photo_with_gps, submit
from integritas.lib import files

pytestmark = pytest.mark.django_db

AFTERNOON = dt.datetime(2026, 3, 10, 14, 37, 21, tzinfo=dt.UTC)


def local_midnight(day: dt.date) -> float:
    return dt.datetime.combine(day, dt.time(), tzinfo=timezone.get_current_timezone()).timestamp()


@time_machine.travel(AFTERNOON, tick=False)
def test_the_files_of_a_report_and_their_folder_show_only_the_day(desk: Desk) -> None:
    report, _receipt = submit(desk.world.disdik, attachments=[Upload("p.jpg", photo_with_gps())])
    attachment = Attachment.objects.get(report=report)
    midnight = local_midnight(timezone.localdate())
    paths = [Path(settings.MEDIA_ROOT) / attachment.original_file]
    paths.append(Path(settings.MEDIA_ROOT) / attachment.clean_file)
    for path in [*paths, paths[0].parent]:
        stat = os.stat(path)
        assert (stat.st_mtime, stat.st_atime) == (midnight, midnight), path


def broken_pdf() -> bytes:
    """A PDF whose cross-reference offset is wrong and whose catalogue names a key of its own,
    so the PDF library warns about it while reading."""
    writer = PdfWriter()
    writer.add_blank_page(100, 100)
    out = io.BytesIO()
    writer.write(out)
    return (
        out.getvalue()
        .replace(b"startxref\n", b"startxref\n9")
        .replace(b"/Type /Catalog", b"/Type /Catalog /ReporterSecretKey 1 0 R")
    )


class Everything(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def test_reading_a_broken_pdf_logs_nothing(capsys: Any) -> None:
    content = broken_pdf()
    handler = Everything()
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        sniffed = files.sniff(io.BytesIO(content))
        assert sniffed is not None
        attachments.strip_metadata(content, sniffed)
    finally:
        root.removeHandler(handler)
    assert [r.getMessage() for r in handler.records] == []
    captured = capsys.readouterr()
    assert captured.err == "" and captured.out == ""
