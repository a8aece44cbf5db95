"""Sign-in rules: throttling failed logins, two-factor enrolment and recovery codes, and the
password reset mail (sent by the background worker)."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
import time
from typing import Any

from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.core import signing
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tasks import task

from integritas import audit
from integritas.core.models import LoginFailure, User
from integritas.core.services.notifications import base_url, language_of

RECOVERY_CODE_COUNT = 10
TOTP_DEVICE_NAME = "authenticator"
RECOVERY_DEVICE_NAME = "recovery"


SIGN_IN = ""  # the purpose of sign-in attempts; other secrets name theirs (e.g. a report key)


def throttle_key(username: str, *, purpose: str = SIGN_IN) -> str:
    """What failures are counted under: a keyed hash of the username as typed (case and spaces
    ignored) and the purpose, so that a password typed into the username field is never stored."""
    typed = username.strip().lower()[:150]
    message = f"{purpose}\x00{typed}" if purpose else typed
    return hmac.new(settings.SECRET_KEY.encode(), message.encode(), hashlib.sha256).hexdigest()


def _window_start() -> dt.datetime:
    return timezone.now() - dt.timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)


def _minutes_left(key: str) -> int:
    last = (
        LoginFailure.objects.filter(username=key, at__gte=_window_start())
        .order_by("-at")
        .values_list("at", flat=True)
        .first()
    )
    if last is None:
        return 0
    remaining = last + dt.timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES) - timezone.now()
    return max(1, int(remaining.total_seconds() // 60) + 1)


def start_attempt(username: str, *, purpose: str = SIGN_IN) -> int:
    """Count a sign-in attempt before its password is checked; return the minutes until this
    username may try again (0: go ahead and check the password).

    The attempt is saved (and committed) first and counted after, so attempts made at the same
    moment see each other: of many at once, only LOGIN_MAX_FAILURES reach the password check.
    An attempt that finds the username locked is not kept, so the lock still ends
    LOGIN_LOCKOUT_MINUTES after the last failure. Names that belong to nobody lock the same way,
    so the answers do not tell which accounts exist. A failed check leaves the attempt as a
    failure (``login_failed``, ``attempt_failed``); a good one clears them (``login_succeeded``,
    ``attempts_cleared``). ``purpose`` counts the attempts at another secret apart from sign-in.
    """
    key = throttle_key(username, purpose=purpose)
    attempt = LoginFailure.objects.create(username=key)
    earlier = LoginFailure.objects.filter(
        username=key, at__gte=_window_start(), pk__lt=attempt.pk
    ).count()
    if earlier < settings.LOGIN_MAX_FAILURES:
        return 0
    attempt.delete()
    return _minutes_left(key)


def attempt_failed(username: str, *, purpose: str = SIGN_IN) -> bool:
    """The attempt started with ``start_attempt`` failed (it stays counted); True when this
    failure locked the name for ``purpose``."""
    key = throttle_key(username, purpose=purpose)
    LoginFailure.objects.filter(at__lt=timezone.now() - dt.timedelta(days=1)).delete()
    failures = LoginFailure.objects.filter(username=key, at__gte=_window_start()).count()
    return failures >= settings.LOGIN_MAX_FAILURES


def attempts_cleared(username: str, *, purpose: str = SIGN_IN) -> None:
    """The secret was right: forget the failures counted for ``purpose``."""
    LoginFailure.objects.filter(username=throttle_key(username, purpose=purpose)).delete()


@transaction.atomic
def login_failed(username: str) -> bool:
    """Record a failed password check (its attempt is already counted); return True when this
    failure locked the username. The event names the account when it exists, and never
    records a name that belongs to nobody (it may be a password typed in the wrong field)."""
    locked = attempt_failed(username)
    user = User.objects.filter(username__iexact=username.strip()).first()
    where: dict[str, Any] = (
        {"obj": user, "object_label": user.get_username()}
        if user is not None
        else {"object_type": "core.user", "object_label": "?"}
    )
    audit.record("auth.login_failed", **where)
    if locked:
        audit.record("auth.locked", **where)
    return locked


@transaction.atomic
def login_succeeded(user: User) -> None:
    attempts_cleared(user.get_username())
    audit.record("auth.login", obj=user, actor=user)


# --- Device cookies --------------------------------------------------------------------------
# A browser where an account signed in keeps a signed cookie with, per account, a keyed hash of
# the username, a random nonce and the time it was issued. When guesses from many networks lock
# a username, its owner's browser still gets in with the right password; tries from that browser
# are counted under its nonce, apart from the name's, so neither side can lock the other out.

DEVICE_COOKIE = "integritas_device"
_DEVICE_SALT = "integritas.core.accounts.device"
_DEVICE_ACCOUNTS = 5  # accounts one browser remembers (a shared office computer)


def _device_account(username: str) -> str:
    return throttle_key(username)[:32]


def _device_entries(value: str | None) -> list[list[Any]]:
    """The cookie's entries that are genuine and still valid: ``[account, nonce, issued]``."""
    if not value:
        return []
    try:
        entries = signing.loads(value, salt=_DEVICE_SALT)
    except signing.BadSignature:
        return []
    oldest = time.time() - settings.LOGIN_DEVICE_COOKIE_DAYS * 86400
    if not isinstance(entries, list):
        return []
    return [
        e
        for e in entries
        if isinstance(e, list) and len(e) == 3 and isinstance(e[2], int) and e[2] >= oldest
    ]


def device_cookie(value: str | None, user: User) -> str:
    """The cookie after ``user`` signed in on this browser: that account with a new nonce first,
    then the other accounts it still remembers."""
    account = _device_account(user.get_username())
    kept = [e for e in _device_entries(value) if e[0] != account]
    entries = [[account, secrets.token_urlsafe(12), int(time.time())], *kept]
    return signing.dumps(entries[:_DEVICE_ACCOUNTS], salt=_DEVICE_SALT, compress=True)


def device_purpose(value: str | None, username: str) -> str:
    """What this browser's tries at ``username`` are counted under, or "" when the browser
    holds no valid cookie for that account."""
    account = _device_account(username)
    for entry in _device_entries(value):
        if entry[0] == account:
            return f"device:{entry[1]}"
    return ""


@transaction.atomic
def device_login_failed(username: str, purpose: str) -> None:
    """A wrong password from a remembered browser: counted for that browser only, recorded like
    any failed sign-in."""
    attempt_failed(username, purpose=purpose)
    user = User.objects.filter(username__iexact=username.strip()).first()
    if user is not None:
        audit.record("auth.login_failed", obj=user, object_label=user.get_username())
    else:
        audit.record("auth.login_failed", object_type="core.user", object_label="?")


@transaction.atomic
def device_login_succeeded(user: User, purpose: str) -> None:
    """The owner got in from a remembered browser: that browser's failures are forgotten, the
    name's stay (they were someone else's)."""
    attempts_cleared(user.get_username(), purpose=purpose)
    audit.record("auth.login", obj=user, actor=user)


def totp_device(user: User, *, confirmed: bool | None = None) -> TOTPDevice | None:
    devices = TOTPDevice.objects.devices_for_user(user, confirmed=confirmed)
    return devices.filter(name=TOTP_DEVICE_NAME).first()


def pending_totp_device(user: User, pk: Any) -> TOTPDevice | None:
    """The unconfirmed authenticator ``pk`` of ``user`` being set up, if it is still pending."""
    if not isinstance(pk, int):
        return None
    return TOTPDevice.objects.filter(
        user=user, pk=pk, name=TOTP_DEVICE_NAME, confirmed=False
    ).first()


@transaction.atomic
def start_totp_setup(user: User) -> TOTPDevice:
    """Make a new unconfirmed authenticator with a fresh key, dropping any earlier unconfirmed
    one; the confirmed authenticator (if any) keeps working until the new one is confirmed."""
    TOTPDevice.objects.filter(user=user, name=TOTP_DEVICE_NAME, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)


# The purpose wrong passwords are counted under when someone confirms who they are before
# changing their second factor (``start_attempt``).
SECOND_FACTOR_CHANGE = "second-factor-change"


def verify_second_factor(user: User, token: str) -> Device | None:
    """The user's confirmed authenticator or recovery device that accepts ``token`` (a recovery
    code is used up), or None. django-otp's back-off applies."""
    devices: list[Device] = [
        *TOTPDevice.objects.filter(user=user, name=TOTP_DEVICE_NAME, confirmed=True),
        *StaticDevice.objects.filter(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True),
    ]
    for device in devices:
        if token and device.verify_token(token):
            if device.name == RECOVERY_DEVICE_NAME and isinstance(device, StaticDevice):
                audit.record("auth.recovery_code_used", obj=user)
            return device
    return None


def confirm_identity(*, user: User, password: str, token: str) -> int | None:
    """Check the password and a current second factor (a code of the authenticator or an
    unused recovery code) before the second factor is changed. Returns None when both are
    right; otherwise the minutes until the next try is allowed (0: wrong, try again).

    Wrong tries are counted like sign-in failures, under their own purpose, so a session left
    open cannot be used to guess the password. The code is checked only after the right
    password, so wrong guesses neither use up a recovery code nor slow down the authenticator.
    """
    name = user.get_username()
    minutes = start_attempt(name, purpose=SECOND_FACTOR_CHANGE)
    if minutes:
        return minutes
    if user.check_password(password) and verify_second_factor(user, token) is not None:
        attempts_cleared(name, purpose=SECOND_FACTOR_CHANGE)
        return None
    attempt_failed(name, purpose=SECOND_FACTOR_CHANGE)
    return 0


def _new_code() -> str:
    raw = "".join(secrets.choice("abcdefghjkmnpqrstuvwxyz23456789") for _ in range(10))
    return f"{raw[:5]}-{raw[5:]}"


def issue_recovery_codes(user: User) -> list[str]:
    """Replace the user's recovery codes with fresh ones and return them (shown once)."""
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY_DEVICE_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [_new_code() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@transaction.atomic
def confirm_totp(*, user: User, device: TOTPDevice) -> list[str]:
    """Confirm an enrolled authenticator, drop older ones, issue recovery codes; the owner is
    emailed about it."""
    older = TOTPDevice.objects.filter(user=user, name=TOTP_DEVICE_NAME).exclude(pk=device.pk)
    replaced = older.filter(confirmed=True).exists()
    older.delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = issue_recovery_codes(user)
    audit.record("auth.2fa_replaced" if replaced else "auth.2fa_enrolled", obj=user)
    tell_owner(user, AUTHENTICATOR_REPLACED if replaced else TWO_FACTOR_ON)
    return codes


@transaction.atomic
def regenerate_recovery_codes(*, user: User) -> list[str]:
    """New recovery codes (the old ones stop working); the owner is emailed about it."""
    codes = issue_recovery_codes(user)
    audit.record("auth.recovery_codes_regenerated", obj=user)
    tell_owner(user, RECOVERY_CODES_MADE)
    return codes


def recovery_codes_left(user: User) -> int:
    device = StaticDevice.objects.filter(user=user, name=RECOVERY_DEVICE_NAME).first()
    return device.token_set.count() if device else 0


# --- Password reset ------------------------------------------------------------------------------

RESET_SUBJECT_TEMPLATE = "core/email/password_reset_subject.txt"
RESET_EMAIL_TEMPLATE = "core/email/password_reset.txt"


def request_password_reset(*, email: str, domain: str, use_https: bool, language: str) -> None:
    """Queue the reset mail for whatever address was typed. The request neither looks the
    address up nor builds or sends a mail, so a registered and an unknown address take the same
    path and the same time; the worker does both (``send_password_reset``)."""
    send_password_reset.enqueue(email=email, domain=domain, use_https=use_https, language=language)


@task()
def send_password_reset(
    *, email: str, domain: str, use_https: bool, language: str
) -> dict[str, int]:
    """Email a one-time reset link to each active account with this address and a usable
    password (Django's rules); nothing when there is none. Its result holds a count only."""
    form = PasswordResetForm({"email": email})
    if not form.is_valid():
        return {"sent": 0}
    sent = sum(1 for _user in form.get_users(form.cleaned_data["email"]))
    with translation.override(language):
        form.save(
            domain_override=domain,
            use_https=use_https,
            subject_template_name=RESET_SUBJECT_TEMPLATE,
            email_template_name=RESET_EMAIL_TEMPLATE,
        )
    return {"sent": sent}


# --- Telling the owner about changes to their second factor ---------------------------------------

TWO_FACTOR_ON = "two-factor-on"
AUTHENTICATOR_REPLACED = "authenticator-replaced"
RECOVERY_CODES_MADE = "recovery-codes-made"
SECURITY_NOTICES = {
    TWO_FACTOR_ON: _("Two-factor sign-in was turned on for your Integritas account"),
    AUTHENTICATOR_REPLACED: _("The authenticator of your Integritas account was replaced"),
    RECOVERY_CODES_MADE: _("New recovery codes were made for your Integritas account"),
}


def tell_owner(user: User, notice: str) -> None:
    """Queue an email to the account's owner about a change to its second factor. It goes to
    everyone with an address, whatever they chose for notifications: someone else who changed
    it would be found out only this way."""
    if user.email:
        send_security_notice.enqueue(user_id=user.pk, notice=notice, at=timezone.now().isoformat())


@task()
def send_security_notice(*, user_id: int, notice: str, at: str) -> dict[str, int]:
    """Email the owner the notice, in their language, saying when the change was made."""
    user = User.objects.filter(pk=user_id).first()
    if user is None or not user.email or notice not in SECURITY_NOTICES:
        return {"sent": 0}
    with translation.override(language_of(user)):
        subject = str(SECURITY_NOTICES[notice])
        context = {
            "user": user,
            "what": subject,
            "when": dt.datetime.fromisoformat(at),
            "profile_link": base_url() + reverse("core-profile"),
        }
        body = render_to_string("core/email/security_notice.txt", context)
    EmailMessage(subject=subject, body=body, to=[user.email]).send()
    return {"sent": 1}
