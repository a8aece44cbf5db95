"""The NIP and unit-code validators: hand-picked cases and properties over generated values."""

from __future__ import annotations

import datetime as dt
import string

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import example, given
from hypothesis import strategies as st

from integritas.core.validators import nip_problem, validate_nip, validate_unit_code

ASCII_DIGITS = frozenset(string.digits)


# --- NIP ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "nip",
    [
        "199001012015031001",  # a man appointed in March 2015
        "198512312010122002",  # a woman born on New Year's Eve
        "199202292015011999",  # born on a leap day, sequence 999
        "195001011965011001",  # appointed at 15, the youngest the rule allows
    ],
)
def test_it_accepts_a_well_formed_nip(nip: str) -> None:
    assert nip_problem(nip) is None
    validate_nip(nip)


@pytest.mark.parametrize(
    ("nip", "message"),
    [
        ("", "NIP must be exactly 18 digits (got 0 characters)."),
        ("19900101201503100", "NIP must be exactly 18 digits (got 17 characters)."),
        ("1990010120150310011", "NIP must be exactly 18 digits (got 19 characters)."),
        ("19900101 201503 1 001", "NIP must be exactly 18 digits (got 21 characters)."),
        ("19900101201503100A", "NIP must be exactly 18 digits (got 18 characters)."),
        ("-99001012015031001", "NIP must be exactly 18 digits (got 18 characters)."),
        (
            "199013012015031001",
            "The first 8 digits of the NIP must be a valid birth date (YYYYMMDD).",
        ),
        (
            "199302292015031001",
            "The first 8 digits of the NIP must be a valid birth date (YYYYMMDD).",
        ),
        (
            "000001012015031001",
            "The first 8 digits of the NIP must be a valid birth date (YYYYMMDD).",
        ),
        (
            "199001012015001001",
            "Digits 9–14 of the NIP must be the appointment year and month (YYYYMM).",
        ),
        (
            "199001012015131001",
            "Digits 9–14 of the NIP must be the appointment year and month (YYYYMM).",
        ),
        ("199001012004121001", "The appointment year in the NIP is too close to the birth year."),
        ("199001012015030001", "Digit 15 of the NIP must be 1 (male) or 2 (female)."),
        ("199001012015033001", "Digit 15 of the NIP must be 1 (male) or 2 (female)."),
        ("199001012015031000", "The last 3 digits of the NIP (sequence number) cannot be 000."),
    ],
)
def test_it_rejects_a_malformed_nip_and_says_what_is_wrong(nip: str, message: str) -> None:
    with translation.override("en"):
        assert nip_problem(nip) == message
        with pytest.raises(ValidationError) as caught:
            validate_nip(nip)
    assert caught.value.messages == [message]
    assert caught.value.code == "invalid_nip"


@st.composite
def valid_nips(draw: st.DrawFn) -> str:
    birth = draw(st.dates(min_value=dt.date(1940, 1, 1), max_value=dt.date(2010, 12, 31)))
    year = draw(st.integers(min_value=birth.year + 15, max_value=min(birth.year + 60, 2099)))
    month = draw(st.integers(min_value=1, max_value=12))
    sex = draw(st.sampled_from("12"))
    sequence = draw(st.integers(min_value=1, max_value=999))
    return f"{birth:%Y%m%d}{year:04d}{month:02d}{sex}{sequence:03d}"


@given(valid_nips())
def test_every_nip_built_from_a_real_birth_date_and_a_later_appointment_passes(nip: str) -> None:
    assert len(nip) == 18
    assert nip_problem(nip) is None


@given(
    st.text(
        alphabet=st.characters(categories=["L", "P", "Zs", "S"], exclude_characters=string.digits),
        min_size=1,
    ),
    valid_nips(),
    st.integers(min_value=0, max_value=17),
)
def test_a_nip_with_a_letter_space_or_symbol_in_it_always_fails(
    intruders: str, nip: str, position: int
) -> None:
    broken = nip[:position] + intruders + nip[position + 1 :]

    assert nip_problem(broken) is not None
    with pytest.raises(ValidationError):
        validate_nip(broken)


@given(
    valid_nips(),
    st.integers(min_value=0, max_value=17),
    st.characters(categories=["Nd", "No"]).filter(lambda c: c not in ASCII_DIGITS and c.isdigit()),
)
@example(nip="199001012015031001", position=0, digit="٢").via("Arabic-Indic digit")
@example(nip="199001012015031001", position=9, digit="²").via("superscript two")
def test_a_nip_with_a_digit_other_than_0_to_9_always_fails(
    nip: str, position: int, digit: str
) -> None:
    broken = nip[:position] + digit + nip[position + 1 :]

    with pytest.raises(ValidationError):
        validate_nip(broken)


# --- Unit code ---------------------------------------------------------------------------------


@pytest.mark.parametrize("code", ["DINKES", "DINKES.PKM", "1.02.01", "KEC-01", "A", "X" * 30])
def test_it_accepts_a_well_formed_unit_code(code: str) -> None:
    validate_unit_code(code)


@pytest.mark.parametrize(
    "code",
    [
        "",
        "dinkes",
        "BAD CODE!",
        ".DINKES",
        "-DINKES",
        "DINKES/PKM",
        "DINKES_PKM",
        "X" * 31,
        "DİNKES",
    ],
)
def test_it_rejects_a_malformed_unit_code_with_a_message_that_explains_the_format(
    code: str,
) -> None:
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        validate_unit_code(code)

    assert caught.value.code == "invalid_unit_code"
    assert "capital letters, digits, dots and dashes" in caught.value.messages[0]


def test_it_rejects_a_unit_code_that_ends_with_a_newline() -> None:
    with pytest.raises(ValidationError):
        validate_unit_code("DINKES\n")


@given(
    st.from_regex(r"[A-Z0-9]", fullmatch=True),
    st.text(alphabet=string.ascii_uppercase + string.digits + ".-", max_size=29),
)
def test_every_code_of_capitals_digits_dots_and_dashes_up_to_30_long_passes(
    first: str, rest: str
) -> None:
    validate_unit_code(first + rest)


@given(
    st.text(alphabet=string.ascii_uppercase + string.digits, min_size=1, max_size=10),
    st.characters(exclude_characters=string.ascii_uppercase + string.digits + ".-\n"),
)
def test_any_code_with_another_character_fails(code: str, intruder: str) -> None:
    with pytest.raises(ValidationError):
        validate_unit_code(code + intruder)
