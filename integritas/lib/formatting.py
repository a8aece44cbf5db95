"""Dates, numbers, money and percentages written the way Indonesian (or English) readers expect.

Django's own localisation follows the active language of a request; these helpers take the
language as an argument so that documents, exports and mail render the same way everywhere,
including in background jobs. Indonesian is the default: "29 Mei 2024", "Rp1.500.000", "71,53".
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

MONTHS: dict[str, tuple[str, ...]] = {
    "id": (
        "Januari",
        "Februari",
        "Maret",
        "April",
        "Mei",
        "Juni",
        "Juli",
        "Agustus",
        "September",
        "Oktober",
        "November",
        "Desember",
    ),
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
}

# (thousands separator, decimal separator, separator between hour and minute)
_SEPARATORS: dict[str, tuple[str, str, str]] = {
    "id": (".", ",", "."),
    "en": (",", ".", ":"),
}

Number = int | float | Decimal


def _language(lang: str) -> str:
    """Reduce a language tag ("en-us", "id_ID") to "en" or "id"; anything else is Indonesian."""
    base = lang.lower().replace("_", "-").split("-", 1)[0] if lang else ""
    return "en" if base == "en" else "id"


def format_date(d: dt.date, lang: str = "id") -> str:
    """Write a date as "29 Mei 2024" (Indonesian) or "29 May 2024"; a datetime shows its date."""
    return f"{d.day} {MONTHS[_language(lang)][d.month - 1]} {d.year}"


def format_month(d: dt.date, lang: str = "id") -> str:
    """Write a date's month as "Oktober 2026" (Indonesian) or "October 2026"."""
    return f"{MONTHS[_language(lang)][d.month - 1]} {d.year}"


def format_datetime(value: dt.datetime, lang: str = "id") -> str:
    """Write a datetime as "29 Mei 2024 14.05" (Indonesian) or "29 May 2024 14:05".

    The value is shown as given: callers convert aware datetimes to the reader's time zone first
    (``django.utils.timezone.localtime``), which keeps this module free of settings.
    """
    time_sep = _SEPARATORS[_language(lang)][2]
    return f"{format_date(value, lang)} {value.hour:02d}{time_sep}{value.minute:02d}"


def _to_decimal(value: Number) -> Decimal:
    if isinstance(value, bool):
        raise TypeError("format_number() expects a number, not a bool")
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int):
        result = Decimal(value)
    elif isinstance(value, float):
        # str() gives the shortest repr, so 2.675 rounds as the 2.675 a person typed, not as
        # the binary 2.67499999... it is stored as.
        result = Decimal(str(value))
    else:
        raise TypeError(f"format_number() expects a number, not {type(value).__name__}")
    if not result.is_finite():
        raise ValueError(f"cannot format {value!r} as a number")
    return result


def format_number(value: Number, decimals: int = 0, lang: str = "id") -> str:
    """Group thousands and round half up: "1.234.567,89" in Indonesian, "1,234,567.89" in English.

    A result that rounds to zero is shown without a minus sign ("0,00", not "-0,00").
    """
    if decimals < 0:
        raise ValueError("decimals must be zero or more")
    quantum = Decimal(1).scaleb(-decimals)
    rounded = _to_decimal(value).quantize(quantum, rounding=ROUND_HALF_UP)
    if rounded.is_zero():
        rounded = abs(rounded)
    # Python's own format uses "," for thousands and "." for decimals; swap them via a placeholder.
    text = f"{rounded:,.{decimals}f}"
    thousands, decimal_sep, _time_sep = _SEPARATORS[_language(lang)]
    return text.replace(",", "\0").replace(".", decimal_sep).replace("\0", thousands)


def format_rupiah(amount: int | Decimal, lang: str = "id") -> str:
    """Write Rupiah as "Rp1.500.000", with cents only when there are any ("Rp1.500,50").

    Negative amounts read "-Rp1.500.000". Amounts are rounded half up to whole cents first.
    """
    value = _to_decimal(amount).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    decimals = 0 if value == value.to_integral_value() else 2
    sign = "-" if value < 0 else ""
    return f"{sign}Rp{format_number(abs(value), decimals, lang)}"


def format_percent(value: Number, decimals: int = 1, lang: str = "id") -> str:
    """Write ``71.5`` as "71,5%": the value is already a percentage (0–100), not a fraction."""
    return f"{format_number(value, decimals, lang)}%"


def format_decimal(value: Number, max_decimals: int = 6, lang: str = "id") -> str:
    """A number with as many decimals as it needs, up to ``max_decimals``, without grouping:
    "3,841", "0,05", "1000" in Indonesian; "3.841" in English. For figures inside formulas and
    settings, where trailing zeros and thousands separators would only get in the way."""
    if max_decimals < 0:
        raise ValueError("max_decimals must be zero or more")
    quantum = Decimal(1).scaleb(-max_decimals)
    rounded = _to_decimal(value).quantize(quantum, rounding=ROUND_HALF_UP)
    if rounded.is_zero():
        rounded = abs(rounded)
    text = f"{rounded:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", _SEPARATORS[_language(lang)][1])


_ROMAN = (
    (10, "X"),
    (9, "IX"),
    (5, "V"),
    (4, "IV"),
    (1, "I"),
)


def roman_numeral(number: int) -> str:
    """1–39 in Roman numerals, as Indonesian letter numbers write the month ("XII")."""
    if not 1 <= number <= 39:
        raise ValueError("roman_numeral() writes 1 to 39")
    text = ""
    for value, letters in _ROMAN:
        while number >= value:
            text += letters
            number -= value
    return text


def format_nip(nip: str | None) -> str:
    """Write an 18-digit NIP in its usual groups: birth date, appointment month, sex, number
    ("19700101 199003 1 001"). Anything else is returned as given."""
    if not nip:
        return ""
    digits = nip.replace(" ", "")
    if len(digits) != 18 or not digits.isdigit():
        return nip
    return f"{digits[:8]} {digits[8:14]} {digits[14]} {digits[15:]}"


def person_with_position(name: str, position: str = "", nip: str | None = "") -> str:
    """ "Name — Position (NIP 19700101 199003 1 001)", leaving out what is not known."""
    text = name
    if position:
        text += f" — {position}"
    if nip:
        text += f" (NIP {format_nip(nip)})"
    return text
