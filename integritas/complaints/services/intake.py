"""What the public report pages need besides ``public``: the officials a reporter may name, a
short-lived *reporter pass* that keeps a report open between pages without a session (renewed
by each use up to an absolute lifetime, and ended by "Close my report"), and
one-time form tokens so that reloading a page does not send a report or a reply twice.

Nothing here writes to the database. The pass and the form tokens exist only in the reporter's
own page (hidden form fields) and, for form tokens, as a keyed digest in the cache for a day; a
closed opening is remembered in the cache as a digest of its random id until it would have ended.
docs/whistleblowing.md explains the design to reporters and operators.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import secrets
import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import Q, QuerySet

from integritas.complaints.models import Report
from integritas.complaints.services import public
from integritas.core.models import INSPECTORATE_ROLES, Role, Unit, User
from integritas.lib import crypto

# How long an opened report stays open in the reporter's page without anything being done; each
# use renews it, up to ``COMPLAINTS_REPORTER_PASS_MAX_MINUTES`` after the receipt opened it.
PASS_SECONDS = 30 * 60
ONCE_SECONDS = 24 * 3600
# People a reporter may pick by name: those who hold authority over others. Anyone else is named
# in "who" (the text, encrypted) and is not automatically kept away from the report.
OFFICIAL_ROLES = INSPECTORATE_ROLES | {Role.LEADERSHIP, Role.UNIT_HEAD}


class PassExpired(Exception):
    """The pass is missing, altered, too old, or its report no longer exists."""


def units() -> QuerySet[Unit]:
    """The units a reporter can choose: the active ones, by name."""
    return Unit.objects.filter(is_active=True).order_by("name", "code")


def officials() -> QuerySet[User]:
    """The officials a reporter can name: active heads of units and holders of leadership or
    Inspectorate roles."""
    return (
        User.objects.filter(is_active=True)
        .filter(Q(role_assignments__role__in=OFFICIAL_ROLES) | Q(headed_units__is_active=True))
        .select_related("unit")
        .distinct()
        .order_by("name", "pk")
    )


# -- the reporter pass ---------------------------------------------------------------------------


def _pass_key() -> bytes:
    """A key for passes, derived from the receipt pepper (a server secret kept outside the
    database), so that no other part of the application can make or read a pass."""
    return hmac.new(public.pepper(), b"integritas.complaints.reporter-pass", "sha256").digest()


@dataclass(frozen=True)
class PassView(public.ReporterView):
    """A report opened with a reporter pass: the opening it belongs to (a random id, and when
    its absolute lifetime ends), which every pass renewed from it keeps."""

    opening: str = ""
    ends: int = 0


def max_seconds() -> int:
    """How long one opening with the receipt lasts at most, however often it is used."""
    return int(settings.COMPLAINTS_REPORTER_PASS_MAX_MINUTES) * 60


def issue_pass(view: public.ReporterView, *, now: float | None = None) -> str:
    """A token that opens this report for ``PASS_SECONDS``, to be put in the page's forms.

    It holds the report key, encrypted and authenticated with a server key: nothing about it is
    stored on the server, and without the server key it reveals nothing. It is never put in a
    URL or a cookie, so it is gone when the page is closed.

    A pass renewed from a pass (``view`` opened by ``open_pass``) keeps its opening and that
    opening's end: using a pass never takes the report beyond ``max_seconds()`` after the receipt
    opened it.
    """
    moment = time.time() if now is None else now
    if isinstance(view, PassView) and view.opening:
        opening, ends = view.opening, view.ends
    else:
        opening, ends = secrets.token_hex(16), int(moment + max_seconds())
    body = json.dumps(
        {
            "r": str(view.report.public_id),
            "k": base64.b64encode(view.key).decode(),
            "e": min(int(moment + PASS_SECONDS), ends),
            "o": opening,
            "a": ends,
        }
    ).encode()
    sealed = crypto.encrypt(_pass_key(), body, context=b"reporter-pass")
    return base64.urlsafe_b64encode(sealed).decode().rstrip("=")


def _closed_key(opening: str) -> str:
    digest = hashlib.sha256(f"integritas.complaints.closed:{opening}".encode()).hexdigest()
    return f"complaints:closed:{digest[:40]}"


def open_pass(token: str, *, now: float | None = None) -> PassView:
    """The report a pass opens, or ``PassExpired``: also when its opening has reached its
    absolute end or was closed (``close_pass``)."""
    if not token or len(token) > 1000:
        raise PassExpired
    try:
        sealed = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        body: dict[str, Any] = json.loads(
            crypto.decrypt(_pass_key(), sealed, context=b"reporter-pass")
        )
        expires = int(body["e"])
        ends = int(body["a"])
        opening = str(body["o"])
        public_id = str(body["r"])
        key = base64.b64decode(body["k"])
    except (binascii.Error, ValueError, KeyError, TypeError, crypto.CryptoError) as exc:
        raise PassExpired from exc
    if (time.time() if now is None else now) > min(expires, ends):
        raise PassExpired
    if cache.get(_closed_key(opening)) is not None:
        raise PassExpired
    report = Report.objects.filter(public_id=public_id).first()
    if report is None:
        raise PassExpired
    return PassView(report=report, key=key, opening=opening, ends=ends)


def close_pass(token: str, *, now: float | None = None) -> None:
    """End the opening a pass belongs to, and with it every pass renewed from it ("Close my
    report on this page"). Remembered in the cache, as a digest of the opening's random id (it
    names no report), until the opening would have ended anyway. A pass that opens nothing any
    more needs nothing."""
    try:
        view = open_pass(token, now=now)
    except PassExpired:
        return
    left = view.ends - int(time.time() if now is None else now)
    cache.set(_closed_key(view.opening), 1, max(left, 1) + 60)


# -- one-time form tokens ------------------------------------------------------------------------


def new_form_token() -> str:
    return secrets.token_hex(16)


def _once_key(token: str) -> str:
    digest = hashlib.sha256(f"integritas.complaints.once:{token}".encode()).hexdigest()
    return f"complaints:once:{digest[:40]}"


def claim(token: str) -> bool:
    """Take a form's one-time token; False when it was taken already (the same form sent again,
    for example by reloading the page that showed the receipt). A missing token claims nothing."""
    if not token:
        return True
    return bool(cache.add(_once_key(token), 1, ONCE_SECONDS))


def release(token: str) -> None:
    """Give the token back when nothing was stored, so the corrected form can be sent."""
    if token:
        cache.delete(_once_key(token))
