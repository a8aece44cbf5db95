"""Rate limits for the public report pages, without storing IP addresses.

The counting itself is ``integritas/lib/ratelimit.py``: a client is
counted under HMAC-SHA256 of its address with a random key made for the day, and both the key and
the hourly counters live only in Django's cache, never in the database, a file or a log. Here are
the buckets and limits of the whistleblowing pages, and the ``ReceiptLimiter`` that
``services.open_with_receipt`` uses to count wrong receipts.

- **Submissions**: every POST of the report form from one address counts (a report costs two
  Argon2id derivations and file checks, so refused ones count too).
- **Wrong receipts**: well-formed receipts that open nothing; after too many in an hour from one
  network (an IPv4 address, an IPv6 /64) even the right receipt is refused until the hour is
  over. Typos (a wrong check digit) are not counted.
- **Wrong receipts from everyone together**: guessing spread over many networks meets a cap for
  the whole service (``COMPLAINTS_RECEIPT_FAILURES_PER_HOUR_TOTAL``); once it is reached every
  receipt lookup is refused for the rest of the hour, and the limiter's ``on_cap`` (the key
  holders' alert) runs once.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest

from integritas.lib import ratelimit as counting

WINDOW = counting.WINDOW

SUBMIT = "complaints-submit"
RECEIPT = "complaints-receipt"


def submissions_per_hour() -> int:
    return int(settings.COMPLAINTS_SUBMISSIONS_PER_HOUR)


def receipt_failures_per_hour() -> int:
    return int(settings.COMPLAINTS_RECEIPT_FAILURES_PER_HOUR)


def receipt_failures_per_hour_total() -> int:
    return int(settings.COMPLAINTS_RECEIPT_FAILURES_PER_HOUR_TOTAL)


def submission_refused(request: HttpRequest) -> bool:
    """Count this submission attempt; True when the address is over its hourly limit."""
    return counting.hit(request, SUBMIT, limit=submissions_per_hour())


def receipt_lookups_paused() -> bool:
    """Have wrong receipts from everyone together reached this hour's cap?"""
    return counting.count_everyone(RECEIPT) >= receipt_failures_per_hour_total()


class ReceiptLimiter:
    """``services.Limiter`` for one request: wrong receipts counted per hashed network and for
    everyone together. ``on_cap`` runs for the wrong receipt that reaches the cap (one request
    of the hour, however many processes count)."""

    def __init__(self, request: HttpRequest, *, on_cap: Callable[[], object] | None = None) -> None:
        self.request = request
        self.on_cap = on_cap
        self.paused = False  # refused because of the cap for everyone (not this network's limit)

    def blocked(self) -> bool:
        self.paused = receipt_lookups_paused()
        return self.paused or counting.is_limited(
            self.request, RECEIPT, limit=receipt_failures_per_hour()
        )

    def failed(self) -> None:
        counting.hit(self.request, RECEIPT, limit=receipt_failures_per_hour())
        if counting.hit_everyone(RECEIPT) == receipt_failures_per_hour_total() and self.on_cap:
            self.on_cap()
