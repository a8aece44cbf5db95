"""Rate limits for the public report pages, without storing IP addresses.

The counting itself is ``integritas/lib/ratelimit.py``: a client is
counted under HMAC-SHA256 of its address with a random key made for the day, and both the key and
the hourly counters live only in Django's cache, never in the database, a file or a log. Here are
the buckets and limits of the whistleblowing pages, and the ``ReceiptLimiter`` that
``services.open_with_receipt`` uses to count wrong receipts.

- **Submissions**: every POST of the report form from one address counts (a report costs two
  Argon2id derivations and file checks, so refused ones count too).
- **Wrong receipts**: well-formed receipts that open nothing; after too many in an hour even the
  right receipt is refused until the hour is over. Typos (a wrong check digit) are not counted.
"""

from __future__ import annotations

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


def submission_refused(request: HttpRequest) -> bool:
    """Count this submission attempt; True when the address is over its hourly limit."""
    return counting.hit(request, SUBMIT, limit=submissions_per_hour())


class ReceiptLimiter:
    """``services.Limiter`` for one request: wrong receipts counted per hashed address."""

    def __init__(self, request: HttpRequest) -> None:
        self.request = request

    def blocked(self) -> bool:
        return counting.is_limited(self.request, RECEIPT, limit=receipt_failures_per_hour())

    def failed(self) -> None:
        counting.hit(self.request, RECEIPT, limit=receipt_failures_per_hour())
