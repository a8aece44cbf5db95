"""Validators for Indonesian identifiers and codes, with messages that say what to fix."""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

UNIT_CODE_RE = re.compile(r"[A-Z0-9][A-Z0-9.\-]{0,29}")


def nip_problem(value: str) -> str | None:
    """Why ``value`` is not a valid civil-servant NIP, or None when it is.

    A NIP has 18 digits: birth date (YYYYMMDD), appointment month (YYYYMM), sex (1 male,
    2 female) and a three-digit sequence number.
    """
    if not (value.isascii() and value.isdigit()) or len(value) != 18:
        return _("NIP must be exactly 18 digits (got %(count)d characters).") % {
            "count": len(value)
        }
    try:
        birth = dt.date(int(value[0:4]), int(value[4:6]), int(value[6:8]))
    except ValueError:
        return _("The first 8 digits of the NIP must be a valid birth date (YYYYMMDD).")
    year, month = int(value[8:12]), int(value[12:14])
    if not 1 <= month <= 12:
        return _("Digits 9–14 of the NIP must be the appointment year and month (YYYYMM).")
    if year < birth.year + 15:
        return _("The appointment year in the NIP is too close to the birth year.")
    if value[14] not in "12":
        return _("Digit 15 of the NIP must be 1 (male) or 2 (female).")
    if value[15:] == "000":
        return _("The last 3 digits of the NIP (sequence number) cannot be 000.")
    return None


def validate_nip(value: str) -> None:
    problem = nip_problem(value)
    if problem:
        raise ValidationError(problem, code="invalid_nip")


def validate_unit_code(value: str) -> None:
    if not UNIT_CODE_RE.fullmatch(value):
        raise ValidationError(
            _(
                "A unit code uses capital letters, digits, dots and dashes, starts with a letter "
                "or digit, and has at most 30 characters."
            ),
            code="invalid_unit_code",
        )
