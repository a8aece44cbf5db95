"""Sign-in rules: throttling failed logins, two-factor enrolment and recovery codes."""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from integritas import audit
from integritas.core.models import LoginFailure, User

RECOVERY_CODE_COUNT = 10
TOTP_DEVICE_NAME = "authenticator"
RECOVERY_DEVICE_NAME = "recovery"


def _key(username: str) -> str:
    return username.strip().lower()[:150]


def _window_start() -> dt.datetime:
    return timezone.now() - dt.timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)


def lockout_remaining(username: str) -> int:
    """Minutes until ``username`` may try again; 0 when it is not locked.

    An account locks after LOGIN_MAX_FAILURES failures within LOGIN_LOCKOUT_MINUTES and unlocks
    LOGIN_LOCKOUT_MINUTES after the last of them. The lock is per username, so an attacker
    guessing many accounts is slowed on each, and a victim is not locked out forever.
    """
    recent = LoginFailure.objects.filter(username=_key(username), at__gte=_window_start())
    if recent.count() < settings.LOGIN_MAX_FAILURES:
        return 0
    last = recent.order_by("-at").values_list("at", flat=True).first()
    assert last is not None
    remaining = last + dt.timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES) - timezone.now()
    return max(1, int(remaining.total_seconds() // 60) + 1)


@transaction.atomic
def login_failed(username: str) -> bool:
    """Count a failed login; return True when this failure locked the account."""
    key = _key(username)
    LoginFailure.objects.create(username=key)
    LoginFailure.objects.filter(at__lt=timezone.now() - dt.timedelta(days=1)).delete()
    locked = lockout_remaining(key) > 0
    audit.record("auth.login_failed", object_type="core.user", object_label=key)
    if locked:
        audit.record("auth.locked", object_type="core.user", object_label=key)
    return locked


@transaction.atomic
def login_succeeded(user: User) -> None:
    LoginFailure.objects.filter(username=_key(user.get_username())).delete()
    audit.record("auth.login", obj=user, actor=user)


def totp_device(user: User, *, confirmed: bool | None = None) -> TOTPDevice | None:
    devices = TOTPDevice.objects.devices_for_user(user, confirmed=confirmed)
    return devices.filter(name=TOTP_DEVICE_NAME).first()


def pending_totp_device(user: User) -> TOTPDevice:
    """The unconfirmed device being enrolled, created on first visit to the setup page."""
    device = TOTPDevice.objects.filter(user=user, name=TOTP_DEVICE_NAME, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)
    return device


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
    """Confirm an enrolled authenticator, drop older ones, issue recovery codes."""
    TOTPDevice.objects.filter(user=user, name=TOTP_DEVICE_NAME).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = issue_recovery_codes(user)
    audit.record("auth.2fa_enrolled", obj=user)
    return codes


@transaction.atomic
def regenerate_recovery_codes(*, user: User) -> list[str]:
    codes = issue_recovery_codes(user)
    audit.record("auth.recovery_codes_regenerated", obj=user)
    return codes


def recovery_codes_left(user: User) -> int:
    device = StaticDevice.objects.filter(user=user, name=RECOVERY_DEVICE_NAME).first()
    return device.token_set.count() if device else 0
