"""LHKPN (officials' wealth reports, DOMAIN.md §7), pure: the e-LHKPN statuses, the due dates
and the two compliance figures. No Django here.

- The **periodic** report of year *Y* (the position held on 31 December of *Y*) is due on
  **31 March of Y + 1**.
- A **special** report on taking office (initial) or on leaving it (final) is due **3 months**
  after the appointment or the departure: the same day of the month three months on, or that
  month's last day when it has no such day (appointed 30 November → due 28 or 29 February).
- e-LHKPN's statuses: 0 draft · 1 submitted · 2 needs fixing · 3 verified complete · 4 published
  complete · 5 verified incomplete · 6 published incomplete · 7 rejected. **Filed** is 1–7 (a
  draft counts as not filed), **complete** is 3–4. The **filing rate** is filed ÷ obliged, the
  **complete rate** complete ÷ obliged; both are percentages with two decimals.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

DRAFT = 0
SUBMITTED = 1
NEEDS_FIXING = 2
VERIFIED_COMPLETE = 3
PUBLISHED_COMPLETE = 4
VERIFIED_INCOMPLETE = 5
PUBLISHED_INCOMPLETE = 6
REJECTED = 7
STATUSES = range(0, 8)
FILED = frozenset(range(1, 8))
COMPLETE = frozenset({VERIFIED_COMPLETE, PUBLISHED_COMPLETE})

# The statuses as e-LHKPN's export and people write them, as lookup keys (lower case, words
# joined by one space).
STATUS_WORDS: dict[str, int] = {
    "draft": DRAFT,
    "konsep": DRAFT,
    "submitted": SUBMITTED,
    "terkirim": SUBMITTED,
    "disampaikan": SUBMITTED,
    "proses verifikasi": SUBMITTED,
    "needs fixing": NEEDS_FIXING,
    "perlu perbaikan": NEEDS_FIXING,
    "perbaikan": NEEDS_FIXING,
    "verified complete": VERIFIED_COMPLETE,
    "terverifikasi lengkap": VERIFIED_COMPLETE,
    "published complete": PUBLISHED_COMPLETE,
    "diumumkan lengkap": PUBLISHED_COMPLETE,
    "verified incomplete": VERIFIED_INCOMPLETE,
    "terverifikasi tidak lengkap": VERIFIED_INCOMPLETE,
    "published incomplete": PUBLISHED_INCOMPLETE,
    "diumumkan tidak lengkap": PUBLISHED_INCOMPLETE,
    "rejected": REJECTED,
    "ditolak": REJECTED,
}


def status_key(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", text.strip().lower()).strip()


def parse_status(text: str) -> int | None:
    """The status a cell names: its number 0–7 or one of its names; None when it names none
    (a number outside 0–7 included)."""
    raw = text.strip()
    if re.fullmatch(r"[+-]?\d+(\.0+)?", raw):
        number = int(float(raw))
        return number if number in STATUSES else None
    return STATUS_WORDS.get(status_key(raw))


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved ``months`` calendar months on, kept inside the month it lands in."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


SPECIAL_MONTHS = 3


def periodic_due(year: int) -> dt.date:
    """The last day to file the periodic report for the position held at the end of ``year``."""
    return dt.date(year + 1, 3, 31)


def special_due(event_date: dt.date) -> dt.date:
    """The last day to file on taking or leaving office on ``event_date``."""
    return add_months(event_date, SPECIAL_MONTHS)


HUNDRED = Decimal(100)
CENT = Decimal("0.01")


def rate(part: int, whole: int) -> Decimal | None:
    """``part`` ÷ ``whole`` as a percentage with two decimals; None when nobody is obliged."""
    if whole == 0:
        return None
    return (Decimal(part) * HUNDRED / Decimal(whole)).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Compliance:
    """The figures of one set of obligations (a unit's, or the government's)."""

    obliged: int
    filed: int
    complete: int
    drafts: int
    rejected: int

    @property
    def not_filed(self) -> int:
        """Nothing in e-LHKPN yet, or only a draft."""
        return self.obliged - self.filed

    @property
    def filing_rate(self) -> Decimal | None:
        return rate(self.filed, self.obliged)

    @property
    def complete_rate(self) -> Decimal | None:
        return rate(self.complete, self.obliged)

    def as_dict(self) -> dict[str, object]:
        def text(value: Decimal | None) -> str | None:
            return None if value is None else str(value)

        return {
            "obliged": self.obliged,
            "filed": self.filed,
            "complete": self.complete,
            "drafts": self.drafts,
            "not_filed": self.not_filed,
            "rejected": self.rejected,
            "filing_rate": text(self.filing_rate),
            "complete_rate": text(self.complete_rate),
        }


def tally(statuses: Iterable[int | None]) -> Compliance:
    """The figures of the obligations whose e-LHKPN statuses are ``statuses`` (None: nothing
    reported in e-LHKPN, not even a draft)."""
    statuses = list(statuses)
    return Compliance(
        obliged=len(statuses),
        filed=sum(1 for s in statuses if s in FILED),
        complete=sum(1 for s in statuses if s in COMPLETE),
        drafts=sum(1 for s in statuses if s == DRAFT),
        rejected=sum(1 for s in statuses if s == REJECTED),
    )
