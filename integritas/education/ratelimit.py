"""Rate limit of the public registration form, without storing IP addresses: counted like the
whistleblowing pages (``integritas/lib/ratelimit.py``), every POST from one address per hour."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from integritas.lib import ratelimit as counting

WINDOW = counting.WINDOW
REGISTER = "education-register"


def registration_refused(request: HttpRequest) -> bool:
    """Count this registration attempt; True when the address is over its hourly limit."""
    return counting.hit(request, REGISTER, limit=int(settings.EDUCATION_REGISTRATIONS_PER_HOUR))
