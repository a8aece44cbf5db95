"""Abuse protection for citizens' feedback, without storing addresses.

- **Submissions**: every POST of the feedback form from one network counts, in the hourly
  counters of ``integritas/lib/ratelimit.py`` (a keyed hash of the address with a random key
  made for the day, both in the cache only); over ``FOLLOWUP_FEEDBACK_PER_HOUR`` the form is
  refused until the hour is over.
- **One-time form tokens**: each form shown carries a random token; the first post that stores
  feedback claims it (a keyed digest in the cache for a day), so reloading the thank-you page or
  pressing *Send* twice stores nothing more.

The honeypot (a field people never see) is the form's; the portal's view checks it.
"""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from integritas.lib import ratelimit as counting

WINDOW = counting.WINDOW
SUBMIT = "feedback-submit"
ONCE_SECONDS = 24 * 3600


def per_hour() -> int:
    return int(settings.FOLLOWUP_FEEDBACK_PER_HOUR)


def submission_refused(request: HttpRequest) -> bool:
    """Count this submission; True when the client's network is over its hourly limit."""
    return counting.hit(request, SUBMIT, limit=per_hour())


def new_form_token() -> str:
    return secrets.token_hex(16)


def _once_key(token: str) -> str:
    digest = hashlib.sha256(f"integritas.feedback.once:{token}".encode()).hexdigest()
    return f"feedback:once:{digest[:40]}"


def claim(token: str) -> bool:
    """Take a form's one-time token; False when it was taken already (the form sent twice). A
    missing or malformed token claims nothing and is refused."""
    if not token or len(token) > 64:
        return False
    return bool(cache.add(_once_key(token), 1, ONCE_SECONDS))


def release(token: str) -> None:
    """Give the token back when nothing was stored, so the corrected form can be sent."""
    if token and len(token) <= 64:
        cache.delete(_once_key(token))
