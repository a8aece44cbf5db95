from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from integritas.lib import formatting
from integritas.lib.formatting import (
    format_date,
    format_datetime,
    format_number,
    format_percent,
    format_rupiah,
)


def test_it_writes_dates_with_indonesian_month_names() -> None:
    assert format_date(dt.date(2024, 5, 29)) == "29 Mei 2024"
    assert format_date(dt.date(2024, 1, 1), "id") == "1 Januari 2024"
    assert format_date(dt.date(2024, 12, 31), "id") == "31 Desember 2024"


def test_it_writes_dates_with_english_month_names() -> None:
    assert format_date(dt.date(2024, 5, 29), "en") == "29 May 2024"
    assert format_date(dt.date(2024, 8, 17), "en-us") == "17 August 2024"


def test_it_falls_back_to_indonesian_for_other_languages() -> None:
    assert format_date(dt.date(2024, 3, 5), "fr") == "5 Maret 2024"
    assert format_date(dt.date(2024, 3, 5), "id-ID") == "5 Maret 2024"


WIB = dt.timezone(dt.timedelta(hours=7), "WIB")


def test_it_writes_datetimes_with_a_dot_in_indonesian_and_a_colon_in_english() -> None:
    moment = dt.datetime(2024, 5, 29, 14, 5, tzinfo=WIB)
    assert format_datetime(moment) == "29 Mei 2024 14.05"
    assert format_datetime(moment, "en") == "29 May 2024 14:05"
    assert format_datetime(dt.datetime(2024, 5, 29, 7, 0, tzinfo=WIB), "id") == "29 Mei 2024 07.00"


def test_it_shows_the_wall_clock_time_it_is_given() -> None:
    utc = dt.datetime(2024, 5, 29, 7, 5, tzinfo=dt.UTC)
    assert format_datetime(utc.astimezone(WIB)) == "29 Mei 2024 14.05"


def test_it_shows_only_the_date_of_a_datetime_in_format_date() -> None:
    assert format_date(dt.datetime(2024, 10, 2, 23, 59, tzinfo=WIB)) == "2 Oktober 2024"


@pytest.mark.parametrize(
    ("value", "decimals", "lang", "expected"),
    [
        (1234567, 0, "id", "1.234.567"),
        (Decimal("1234567.89"), 2, "id", "1.234.567,89"),
        (71.53, 2, "id", "71,53"),
        (Decimal("1234567.89"), 2, "en", "1,234,567.89"),
        (0, 0, "id", "0"),
        (999, 0, "id", "999"),
        (1000, 0, "id", "1.000"),
        (-1234.5, 1, "id", "-1.234,5"),
        (-1234.5, 1, "en", "-1,234.5"),
        (7, 2, "id", "7,00"),
    ],
)
def test_it_groups_thousands_and_uses_the_decimal_separator_of_the_language(
    value: int | float | Decimal, decimals: int, lang: str, expected: str
) -> None:
    assert format_number(value, decimals, lang) == expected


def test_it_rounds_half_up_not_to_even() -> None:
    assert format_number(Decimal("0.5")) == "1"
    assert format_number(Decimal("2.5")) == "3"
    assert format_number(Decimal("-2.5")) == "-3"
    assert format_number(Decimal("71.525"), 2) == "71,53"
    # 2.675 is stored as 2.67499999... in binary; people typed 2.675 and expect 2.68.
    assert format_number(2.675, 2) == "2,68"


def test_it_drops_the_minus_sign_when_a_negative_number_rounds_to_zero() -> None:
    assert format_number(-0.004, 2) == "0,00"
    assert format_number(Decimal("-0.4")) == "0"


def test_it_refuses_values_that_are_not_finite_numbers() -> None:
    with pytest.raises(ValueError):
        format_number(float("nan"))
    with pytest.raises(ValueError):
        format_number(Decimal("Infinity"))
    with pytest.raises(TypeError):
        format_number(True)
    with pytest.raises(ValueError):
        format_number(1, -1)


@pytest.mark.parametrize(
    ("amount", "lang", "expected"),
    [
        (1500000, "id", "Rp1.500.000"),
        (Decimal("1500000.00"), "id", "Rp1.500.000"),
        (Decimal("1500.50"), "id", "Rp1.500,50"),
        (Decimal("1500.5"), "id", "Rp1.500,50"),
        (-1500000, "id", "-Rp1.500.000"),
        (Decimal("-1500.25"), "id", "-Rp1.500,25"),
        (0, "id", "Rp0"),
        (1500000, "en", "Rp1,500,000"),
        (Decimal("1500.50"), "en", "Rp1,500.50"),
        (Decimal("1500.004"), "id", "Rp1.500"),
        (Decimal("1500.005"), "id", "Rp1.500,01"),
        (Decimal("-0.001"), "id", "Rp0"),
    ],
)
def test_it_writes_rupiah_without_a_space_and_with_cents_only_when_present(
    amount: int | Decimal, lang: str, expected: str
) -> None:
    assert format_rupiah(amount, lang) == expected


def test_it_writes_percentages_with_one_decimal_by_default() -> None:
    assert format_percent(71.53) == "71,5%"
    assert format_percent(Decimal("71.55")) == "71,6%"
    assert format_percent(100, 0) == "100%"
    assert format_percent(71.53, 2, "en") == "71.53%"


decimals_strategy = st.decimals(
    min_value=Decimal("-1e15"), max_value=Decimal("1e15"), places=2, allow_nan=False
)


@given(value=decimals_strategy, lang=st.sampled_from(["id", "en"]))
def test_it_round_trips_when_the_separators_are_removed(value: Decimal, lang: str) -> None:
    text = format_number(value, 2, lang)
    thousands, decimal_sep = (".", ",") if lang == "id" else (",", ".")
    assert Decimal(text.replace(thousands, "").replace(decimal_sep, ".")) == value


@given(value=st.integers(min_value=-(10**18), max_value=10**18))
def test_it_groups_integers_in_threes(value: int) -> None:
    text = format_number(value)
    digits = text.lstrip("-")
    groups = digits.split(".")
    assert all(len(group) == 3 for group in groups[1:])
    assert 1 <= len(groups[0]) <= 3
    assert int(text.replace(".", "")) == value


@given(value=decimals_strategy)
def test_it_writes_the_same_digits_in_both_languages(value: Decimal) -> None:
    swapped = format_number(value, 2, "en").translate(str.maketrans({",": ".", ".": ","}))
    assert swapped == format_number(value, 2, "id")


@given(
    value=st.decimals(min_value=-(10**9), max_value=10**9, allow_nan=False, allow_infinity=False),
    decimals=st.integers(min_value=0, max_value=4),
)
def test_it_rounds_to_within_half_a_unit_of_the_last_place(value: Decimal, decimals: int) -> None:
    text = format_number(value, decimals, "en").replace(",", "")
    assert abs(Decimal(text) - value) <= Decimal(5).scaleb(-decimals - 1)
    assert len(text.partition(".")[2]) == decimals


@given(amount=st.integers(min_value=-(10**15), max_value=10**15))
def test_it_writes_whole_rupiah_amounts_without_decimals(amount: int) -> None:
    text = format_rupiah(amount)
    assert "," not in text
    assert text.startswith("-Rp" if amount < 0 else "Rp")
    assert int(text.replace("Rp", "").replace(".", "")) == amount


def test_format_decimal_writes_as_many_decimals_as_the_number_needs() -> None:
    assert formatting.format_decimal(3.841) == "3,841"
    assert formatting.format_decimal(3.841, lang="en") == "3.841"
    assert formatting.format_decimal(Decimal("0.0500")) == "0,05"
    assert formatting.format_decimal(1000) == "1000"
    assert formatting.format_decimal(0.1234567, 4) == "0,1235"
    assert formatting.format_decimal(-0.00001, 2) == "0"


def test_roman_numerals_write_the_months_of_letter_numbers() -> None:
    months = [formatting.roman_numeral(m) for m in range(1, 13)]
    assert months == ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]
    with pytest.raises(ValueError):
        formatting.roman_numeral(0)


def test_a_person_is_written_with_position_and_grouped_nip() -> None:
    assert (
        formatting.person_with_position("Endang", "Inspektur Daerah", "197203021995022938")
        == "Endang — Inspektur Daerah (NIP 19720302 199502 2 938)"
    )
    assert formatting.person_with_position("Endang", "", None) == "Endang"
    assert formatting.person_with_position("Endang", nip="12345") == "Endang (NIP 12345)"
