"""Shared helpers for the tests of public pages (no tests here): every log record a request
leaves, a runserver access line, and a signed-in employee's session row."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.servers.basehttp import WSGIRequestHandler
from django.test import Client

# The root logger, and the loggers that write request lines (a handler on them sees a record
# even when a filter or ``propagate`` keeps it from the root).
REQUEST_LOGGERS = ("", "django.request", "django.server", "django.security.csrf", "gunicorn.access")


class Captured(logging.Handler):
    """Keeps every record that reaches it."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def text(self) -> str:
        """Everything the records hold: messages, arguments and extra fields."""
        return "\n".join(f"{r.name} {r.getMessage()} {r.__dict__!r}" for r in self.records)


@contextmanager
def request_logs() -> Iterator[Captured]:
    """A handler on the root logger and directly on every logger that writes request lines,
    all at DEBUG for the test."""
    handler = Captured()
    loggers = [logging.getLogger(name) for name in REQUEST_LOGGERS]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.addHandler(handler)
        logger.setLevel(logging.DEBUG)
    try:
        yield handler
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.removeHandler(handler)
            logger.setLevel(level)


def runserver_line(request_line: str, status: int) -> None:
    """Have Django's runserver handler log a request line, as ``manage.py runserver`` does."""
    handler = WSGIRequestHandler.__new__(WSGIRequestHandler)
    handler.request = None  # type: ignore[assignment]
    handler.requestline = request_line
    handler.log_request(status, 512)


def session_row(client: Client) -> tuple[str, datetime]:
    """The stored session of a signed-in client: its data and its expiry."""
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    row = Session.objects.get(session_key=key)
    return row.session_data, row.expire_date
