"""Rate limits and duplicate protection for the public survey pages, without storing IP addresses.

**Rate limits.** A client is counted under a keyed hash of its address: HMAC-SHA256 with a random
key made for the day. The key lives only in Django's cache (never in the database, a file or a
log) and expires after two days, so yesterday's counters cannot be traced back to an address by
anyone, us included: without the key, testing the four billion IPv4 addresses against a hash is
impossible. Counters are per hour and also live only in the cache.

**Duplicate protection.** After a respondent answers through a public link, a signed cookie on
their own device lists the public codes answered from it; the server keeps nothing.

docs/survey-anonymity.md explains the scheme for operators and respondents.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

KEY_LIFETIME = 2 * 24 * 3600  # the day's key outlives the day a little, then it is gone
WINDOW = 3600  # counters are per hour

# Defaults, each overridable in settings (read when used, never at import).
STARTS_PER_HOUR = 30  # SURVEY_STARTS_PER_HOUR: new drafts from public links per address
RESUME_FAILURES_PER_HOUR = 20  # SURVEY_RESUME_FAILURES_PER_HOUR: wrong resume codes per address
# Peers whose X-Real-IP / X-Forwarded-For we believe (the local reverse proxy).
TRUSTED_PROXIES = ("127.0.0.1", "::1")

DONE_COOKIE = "integritas_survey_done"
DONE_SALT = "integritas.surveys.done"
DONE_MAX_CODES = 50
DONE_MAX_AGE = 180 * 24 * 3600


def starts_per_hour() -> int:
    return int(getattr(settings, "SURVEY_STARTS_PER_HOUR", STARTS_PER_HOUR))


def resume_failures_per_hour() -> int:
    return int(getattr(settings, "SURVEY_RESUME_FAILURES_PER_HOUR", RESUME_FAILURES_PER_HOUR))


def client_address(request: HttpRequest) -> str:
    """The address to count under: the peer, or, when the peer is our own reverse proxy, the
    address it passes on (X-Real-IP, else the last X-Forwarded-For entry, the one it added)."""
    remote = request.META.get("REMOTE_ADDR", "")
    trusted = getattr(settings, "SURVEY_TRUSTED_PROXIES", TRUSTED_PROXIES)
    if remote in trusted:
        real = request.META.get("HTTP_X_REAL_IP", "").strip()
        if real:
            return real
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded.strip():
            return forwarded.split(",")[-1].strip()
    return remote


def _daily_key() -> bytes:
    name = f"surveys:ratelimit:key:{timezone.localdate().isoformat()}"
    key = cache.get(name)
    if key is None:
        cache.add(name, secrets.token_hex(32), KEY_LIFETIME)
        # Another process may have won the race: use whichever key the cache kept. A cache that
        # keeps nothing (the dummy backend) gets a throwaway key and, in effect, no limits.
        key = cache.get(name) or secrets.token_hex(32)
    return bytes.fromhex(key)


def address_hash(request: HttpRequest) -> str:
    """The keyed hash a client is counted under today; the address itself is never kept."""
    return hmac.new(_daily_key(), client_address(request).encode(), hashlib.sha256).hexdigest()[:32]


def _counter(request: HttpRequest, bucket: str) -> str:
    return f"surveys:ratelimit:{bucket}:{address_hash(request)}:{int(time.time() // WINDOW)}"


def count(request: HttpRequest, bucket: str) -> int:
    """How many events of this kind the client had in the current hour."""
    return int(cache.get(_counter(request, bucket), 0))


def hit(request: HttpRequest, bucket: str, *, limit: int) -> bool:
    """Count one event; True when it goes over ``limit`` (a limit of 0 or less means none)."""
    if limit <= 0:
        return False
    key = _counter(request, bucket)
    cache.add(key, 0, WINDOW)
    try:
        value = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, WINDOW)
        value = 1
    return value > limit


def is_limited(request: HttpRequest, bucket: str, *, limit: int) -> bool:
    """Already over ``limit`` this hour (without counting this request)?"""
    return limit > 0 and count(request, bucket) >= limit


# -- duplicate protection ---------------------------------------------------------------------


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
