"""Logging filters named in ``settings.LOGGING``."""

from __future__ import annotations

import logging


class WarningsOnly(logging.Filter):
    """Let through warnings and errors only, whatever level the logger is set to (a library
    that sets its own logger's level cannot open it up again)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno >= logging.WARNING
