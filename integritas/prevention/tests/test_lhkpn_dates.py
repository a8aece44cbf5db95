"""The LHKPN date rules and figures, pure (DOMAIN.md §7): the periodic report due 31 March of
the next year, a special report due 3 months after taking or leaving office, the statuses 0–7
by number or name, and both compliance rates."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from integritas.prevention import lhkpn


def test_the_periodic_report_of_a_year_is_due_on_31_march_of_the_next() -> None:
    assert lhkpn.periodic_due(2025) == dt.date(2026, 3, 31)


@pytest.mark.parametrize(
    ("event", "due"),
    [
        (dt.date(2026, 1, 15), dt.date(2026, 4, 15)),
        (dt.date(2026, 10, 31), dt.date(2027, 1, 31)),
        (dt.date(2026, 11, 30), dt.date(2027, 2, 28)),  # no 30 February: the month's last day
        (dt.date(2027, 11, 30), dt.date(2028, 2, 29)),  # a leap year
        (dt.date(2026, 12, 31), dt.date(2027, 3, 31)),
    ],
)
def test_a_special_report_is_due_three_months_after_the_appointment_or_departure(
    event: dt.date, due: dt.date
) -> None:
    assert lhkpn.special_due(event) == due


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("0", 0),
        ("7", 7),
        ("Draft", 0),
        ("Terkirim", 1),
        ("Perlu Perbaikan", 2),
        ("terverifikasi lengkap", 3),
        ("Diumumkan Lengkap", 4),
        ("Terverifikasi tidak lengkap", 5),
        ("Diumumkan tidak lengkap", 6),
        ("DITOLAK", 7),
        ("8", None),
        ("-1", None),
        ("selesai", None),
    ],
)
def test_a_status_is_read_from_its_number_or_its_name(text: str, status: int | None) -> None:
    assert lhkpn.parse_status(text) == status


def test_a_draft_is_not_filed_and_only_statuses_3_and_4_are_complete() -> None:
    figures = lhkpn.tally([None, 0, 1, 2, 3, 4, 5, 6, 7])
    assert (figures.obliged, figures.filed, figures.complete) == (9, 7, 2)
    assert (figures.drafts, figures.not_filed, figures.rejected) == (1, 2, 1)
    assert figures.filing_rate == Decimal("77.78")  # 7 / 9
    assert figures.complete_rate == Decimal("22.22")  # 2 / 9


def test_nobody_obliged_has_no_rate_rather_than_zero() -> None:
    figures = lhkpn.tally([])
    assert figures.filing_rate is None and figures.complete_rate is None
