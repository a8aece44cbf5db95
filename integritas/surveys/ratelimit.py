"""The respondents' limits: new answers started through public links and wrong resume codes,
counted per hashed address by ``lib/ratelimit.py``; and duplicate protection.

**Duplicate protection.** After a respondent answers through a public link, a signed cookie on
their own device lists the public codes answered from it; the server keeps nothing.

docs/survey-anonymity.md explains the scheme for operators and respondents.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from integritas.lib import ratelimit as counting

WINDOW = counting.WINDOW
START = "surveys-start"
RESUME = "surveys-resume"

DONE_COOKIE = "integritas_survey_done"
DONE_SALT = "integritas.surveys.done"
DONE_MAX_CODES = 50
DONE_MAX_AGE = 180 * 24 * 3600


def start_refused(request: HttpRequest) -> bool:
    """Count a new answer started through a public link; True when the address is over its
    hourly limit (``SURVEY_STARTS_PER_HOUR``, 0 for none)."""
    return counting.hit(request, START, limit=int(settings.SURVEY_STARTS_PER_HOUR))


def resume_blocked(request: HttpRequest) -> bool:
    """Too many wrong resume codes from this address this hour?"""
    return counting.is_limited(request, RESUME, limit=int(settings.SURVEY_RESUME_FAILURES_PER_HOUR))


def resume_failed(request: HttpRequest) -> None:
    """Count one wrong resume code."""
    counting.hit(request, RESUME, limit=int(settings.SURVEY_RESUME_FAILURES_PER_HOUR))


def _answered_codes(request: HttpRequest) -> list[str]:
    raw = request.get_signed_cookie(DONE_COOKIE, default="", salt=DONE_SALT)
    return [code for code in (raw or "").split() if code]


def answered(request: HttpRequest, public_code: str) -> bool:
    """Has this device already answered through this public link?"""
    return bool(public_code) and public_code in _answered_codes(request)


def mark_answered(request: HttpRequest, response: HttpResponse, public_code: str) -> None:
    """Remember on the respondent's device (only there) that this public link was answered."""
    codes = [c for c in _answered_codes(request) if c != public_code] + [public_code]
    response.set_signed_cookie(
        DONE_COOKIE,
        " ".join(codes[-DONE_MAX_CODES:]),
        salt=DONE_SALT,
        max_age=DONE_MAX_AGE,
        path="/s/",
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )
