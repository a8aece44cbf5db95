"""The checker against hand-computed cases under the shipped rules, on both sides of each
threshold and of 20 January 2026, with the deadlines counted on the seeded 2026 calendar."""

from __future__ import annotations

import datetime as dt

import pytest

from integritas.prevention.gratification import Action, Reason
from integritas.prevention.services.checker import CheckError, answer
from integritas.prevention.tests.conftest import (
    FIRST_DAY_NEW,
    LAST_DAY_OLD,
    collective_leave_is_day_off,
    gift,
)

pytestmark = pytest.mark.django_db

OLD, NEW = "Perkom 2/2019", "Perkom 1/2026"


@pytest.mark.parametrize(
    ("received_on", "value", "action", "regulation"),
    [
        (LAST_DAY_OLD, 1_000_000, Action.NONE, OLD),
        (LAST_DAY_OLD, 1_000_001, Action.REPORT, OLD),
        (LAST_DAY_OLD, 1_200_000, Action.REPORT, OLD),
        (FIRST_DAY_NEW, 1_200_000, Action.NONE, NEW),
        (FIRST_DAY_NEW, 1_500_000, Action.NONE, NEW),
        (FIRST_DAY_NEW, 1_500_001, Action.REPORT, NEW),
    ],
)
def test_a_ceremony_gift_is_exempt_up_to_the_limit_of_the_rules_in_force_on_the_day_of_receipt(
    received_on: dt.date, value: int, action: Action, regulation: str
) -> None:
    result = answer(gift(received_on=received_on, category="ceremony", value=value, cash=True))
    assert (result.action, result.regulation) == (action, regulation)
    assert result.rule.startswith("Hadiah pernikahan")


@pytest.mark.parametrize(
    ("received_on", "value", "giver_ytd", "action", "reason"),
    [
        (LAST_DAY_OLD, 200_000, 0, Action.NONE, Reason.WITHIN),
        (LAST_DAY_OLD, 200_001, 0, Action.REPORT, Reason.OVER_GIFT),
        (LAST_DAY_OLD, 300_000, 0, Action.REPORT, Reason.OVER_GIFT),
        (FIRST_DAY_NEW, 300_000, 0, Action.NONE, Reason.WITHIN),
        (FIRST_DAY_NEW, 500_000, 0, Action.NONE, Reason.WITHIN),
        (FIRST_DAY_NEW, 500_001, 0, Action.REPORT, Reason.OVER_GIFT),
        # Year to date from the same giver, the gift at hand included.
        (LAST_DAY_OLD, 150_000, 850_000, Action.NONE, Reason.WITHIN),
        (LAST_DAY_OLD, 150_000, 850_001, Action.REPORT, Reason.OVER_YEAR),
        (FIRST_DAY_NEW, 150_000, 850_001, Action.NONE, Reason.WITHIN),
        (FIRST_DAY_NEW, 400_000, 1_100_000, Action.NONE, Reason.WITHIN),
        (FIRST_DAY_NEW, 400_000, 1_100_001, Action.REPORT, Reason.OVER_YEAR),
    ],
)
def test_a_colleagues_gift_counts_per_gift_and_with_what_the_giver_gave_this_year(
    received_on: dt.date, value: int, giver_ytd: int, action: Action, reason: Reason
) -> None:
    result = answer(gift(received_on=received_on, value=value, giver_ytd=giver_ytd))
    assert (result.action, result.reason) == (action, reason)


@pytest.mark.parametrize("received_on", [LAST_DAY_OLD, FIRST_DAY_NEW])
def test_money_from_a_colleague_is_never_exempt(received_on: dt.date) -> None:
    result = answer(gift(received_on=received_on, value=50_000, cash=True))
    assert (result.action, result.reason) == (Action.REPORT, Reason.CASH)
    assert result.rule == "Hadiah bukan uang dari rekan kerja"


@pytest.mark.parametrize(
    ("value", "giver_ytd", "action"),
    [(300_000, 0, Action.NONE), (300_001, 0, Action.REPORT), (200_000, 800_000, Action.NONE)]
    + [(200_000, 800_001, Action.REPORT)],
)
def test_a_birthday_gift_from_colleagues_was_exempt_under_perkom_2_2019(
    value: int, giver_ytd: int, action: Action
) -> None:
    result = answer(
        gift(
            received_on=LAST_DAY_OLD,
            category="colleague_occasion",
            value=value,
            giver_ytd=giver_ytd,
        )
    )
    assert (result.action, result.regulation) == (action, OLD)


def test_the_birthday_category_is_removed_from_20_january_2026_so_even_a_small_gift_is_reported() -> (
    None
):
    result = answer(gift(category="colleague_occasion", value=50_000))
    assert (result.action, result.reason, result.regulation) == (
        Action.REPORT,
        Reason.NOT_EXEMPT,
        NEW,
    )
    assert "tidak lagi dikecualikan" in result.rule


@pytest.mark.parametrize("category", ["ceremony", "colleague", "family", "other"])
@pytest.mark.parametrize("received_on", [LAST_DAY_OLD, FIRST_DAY_NEW])
def test_a_gift_connected_to_duty_is_refused_whatever_its_kind_and_value(
    category: str, received_on: dt.date
) -> None:
    result = answer(gift(received_on=received_on, category=category, value=1, duty_related=True))
    assert (result.action, result.reason) == (Action.REFUSE, Reason.DUTY)
    assert result.rule == "Pemberian yang berhubungan dengan jabatan wajib ditolak"
    assert result.deadline_upg is None and result.deadline_kpk is None


def test_a_gift_from_close_family_needs_no_report_even_in_money() -> None:
    result = answer(gift(category="family", value=25_000_000, cash=True))
    assert result.action == Action.NONE


def test_any_other_gift_is_reported() -> None:
    assert answer(gift(category="other", value=10_000)).action == Action.REPORT


def test_no_deadline_is_given_when_no_report_is_needed() -> None:
    result = answer(gift(value=100_000))
    assert result.action == Action.NONE
    assert result.deadline_upg is None and result.deadline_kpk is None


# Received Tuesday 20 January 2026. Ten working days: 21, 22, 23, 26, 27, 28, 29, 30 January,
# 2 and 3 February. Thirty: then 4, 5, 6, 9, 10, 11, 12, 13 February (18 days), 16 February is
# collective leave and 17 February the Lunar New Year, then 18, 19, 20, 23, 24, 25, 26, 27
# February (26), 2, 3, 4, 5 March (30).
def test_the_deadlines_count_working_days_and_skip_collective_leave() -> None:
    result = answer(gift(value=600_000))
    assert result.action == Action.REPORT
    assert result.deadline_upg == dt.date(2026, 2, 3)
    assert result.deadline_kpk == dt.date(2026, 3, 5)


def test_collective_leave_counts_as_a_working_day_when_the_calendar_says_so() -> None:
    collective_leave_is_day_off(False)
    result = answer(gift(value=600_000))
    assert result.deadline_upg == dt.date(2026, 2, 3)
    assert result.deadline_kpk == dt.date(2026, 3, 4)


# Received Monday 19 January 2026 (Perkom 2/2019): ten working days end on 2 February; thirty on
# 4 March (3 March when collective leave is worked).
def test_the_deadlines_of_a_gift_received_under_the_old_rules() -> None:
    result = answer(gift(received_on=LAST_DAY_OLD, value=600_000))
    assert (result.deadline_upg, result.deadline_kpk) == (dt.date(2026, 2, 2), dt.date(2026, 3, 4))
    collective_leave_is_day_off(False)
    result = answer(gift(received_on=LAST_DAY_OLD, value=600_000))
    assert result.deadline_kpk == dt.date(2026, 3, 3)


def test_a_receipt_in_the_future_is_refused_naming_the_date() -> None:
    with pytest.raises(CheckError) as caught:
        answer(gift(received_on=dt.date(2026, 3, 2)), today=dt.date(2026, 3, 1))
    assert caught.value.parameter == "received_on"


@pytest.mark.parametrize("name", ["value", "giver_ytd"])
@pytest.mark.parametrize("amount", [-1, 10**15 + 1])
def test_a_negative_or_absurd_amount_is_refused_naming_it(name: str, amount: int) -> None:
    with pytest.raises(CheckError) as caught:
        answer(gift(**{name: amount}))
    assert caught.value.parameter == name
