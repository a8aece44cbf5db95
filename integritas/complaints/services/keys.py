"""Handler key pairs: enrolment, unlocking with the password or the recovery key, recovery.

A handler (or identity custodian) enrols once: we make an X25519 key pair and keep the private
key only encrypted, once under their password and once under a recovery key that is shown to them
a single time. Without one of the two, nobody (an administrator included) can open the reports
sealed to them; a handler who loses both must enrol again and be given access anew by a colleague.

The password is the one the caller passes: the sign-in password, checked by the caller first. A
password reset by email does not know the old password, so after one the handler recovers with
the recovery key (``recover``), which re-locks the key under the new password.
"""

from __future__ import annotations

import base64
import binascii
import time
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse

from integritas import audit
from integritas.complaints.models import HandlerKey
from integritas.core.services import accounts
from integritas.lib import crypto


class KeyProblem(Exception):
    """Base for the errors shown to a handler about their key."""


class NotEnrolled(KeyProblem):
    pass


class AlreadyEnrolled(KeyProblem):
    pass


class WrongSecret(KeyProblem):
    """The password or recovery key does not open the private key."""


def _fast_for_tests() -> bool:
    """The test suite's cheap Argon2id cost; ignored in production whatever the setting says."""
    return bool(settings.COMPLAINTS_FAST_KDF_FOR_TESTS) and not settings.PRODUCTION


def kdf_params() -> crypto.KdfParams:
    """Argon2id cost for new salts (stored beside each salt, so it may be raised later)."""
    return crypto.FAST_FOR_TESTS if _fast_for_tests() else crypto.STRONG


def lookup_params() -> crypto.KdfParams:
    """The receipt lookup cost. It is the same for every report (changing it would make existing
    receipts unfindable), so it is a constant; only the test suite lowers it."""
    return crypto.FAST_FOR_TESTS if _fast_for_tests() else crypto.LOOKUP


def _lock(key: HandlerKey, private_key: bytes, secret: str, which: str) -> None:
    locked = crypto.lock_private_key(private_key, secret, params=kdf_params(), context=key.context)
    setattr(key, f"by_{which}", locked.ciphertext)
    setattr(key, f"{which}_salt", locked.salt)
    setattr(key, f"{which}_kdf", str(locked.params))


def _unlock(key: HandlerKey, secret: str, which: str) -> bytes:
    locked = crypto.LockedPrivateKey(
        ciphertext=bytes(getattr(key, f"by_{which}")),
        salt=bytes(getattr(key, f"{which}_salt")),
        params=crypto.KdfParams.parse(getattr(key, f"{which}_kdf")),
    )
    try:
        return crypto.unlock_private_key(locked, secret, context=key.context)
    except crypto.DecryptionError as exc:
        raise WrongSecret from exc


def key_of(user: Any) -> HandlerKey:
    try:
        return HandlerKey.objects.get(user=user)
    except HandlerKey.DoesNotExist as exc:
        raise NotEnrolled from exc


@transaction.atomic
def enrol(*, user: Any, password: str, replace: bool = False) -> str:
    """Make the user's key pair; returns the recovery key, to be shown once and never again.

    ``replace`` starts over after both password and recovery key are lost: reports sealed to the
    old key stay unreadable to this user until a colleague grants access again.
    """
    existing = HandlerKey.objects.select_for_update().filter(user=user).first()
    if existing is not None and not replace:
        raise AlreadyEnrolled
    if existing is not None:
        existing.delete()
    pair = crypto.new_key_pair()
    recovery = crypto.new_recovery_key()
    key = HandlerKey(user=user, public_key=pair.public)
    _lock(key, pair.private, password, "password")
    _lock(key, pair.private, crypto.normalise_recovery_key(recovery), "recovery")
    key.save()
    audit.record(
        "complaints.key_replaced" if existing is not None else "complaints.key_enrolled",
        obj=user,
        object_label=str(user),
    )
    return recovery


# The purpose wrong key passwords are counted under (``core.services.accounts.start_attempt``).
UNLOCK_ATTEMPTS = "complaints-key"


@transaction.atomic
def unlock_failed(*, user: Any) -> bool:
    """Count a wrong password for ``user``'s key; True when it locked the key page. Both are
    audit events (the handler's own, about nobody's report)."""
    locked = accounts.attempt_failed(user.get_username(), purpose=UNLOCK_ATTEMPTS)
    audit.record("complaints.key_unlock_failed", obj=user, actor=user)
    if locked:
        audit.record("complaints.key_locked", obj=user, actor=user)
    return locked


def unlock(*, user: Any, password: str) -> bytes:
    """The user's private key, opened with their password (a read: no event)."""
    return _unlock(key_of(user), password, "password")


def unlock_with_recovery(*, user: Any, recovery_key: str) -> bytes:
    try:
        secret = crypto.normalise_recovery_key(recovery_key)
    except crypto.MalformedRecoveryKey as exc:
        raise WrongSecret from exc
    return _unlock(key_of(user), secret, "recovery")


@transaction.atomic
def change_password(*, user: Any, old_password: str, new_password: str) -> None:
    """Re-lock the private key under a new password (call it when the sign-in password changes)."""
    key = HandlerKey.objects.select_for_update().get(pk=key_of(user).pk)
    private_key = _unlock(key, old_password, "password")
    _lock(key, private_key, new_password, "password")
    key.save(update_fields=["by_password", "password_salt", "password_kdf"])
    audit.record("complaints.key_password_changed", obj=user, object_label=str(user))


def on_password_change(*, user: Any, old_password: str, new_password: str) -> bool:
    """Hook for the sign-in password change: re-lock the key under the new password. Returns
    False when there is nothing to do (not enrolled) or the old password does not open the key
    (it was locked under an earlier one: the recovery key is needed then)."""
    if not HandlerKey.objects.filter(user=user).exists():
        return False
    try:
        change_password(user=user, old_password=old_password, new_password=new_password)
    except WrongSecret:
        return False
    return True


@transaction.atomic
def recover(*, user: Any, recovery_key: str, new_password: str) -> str:
    """Open the key with the recovery key, lock it under ``new_password`` and issue a new recovery
    key (the old one has been typed somewhere, so it is retired). Returns the new recovery key."""
    key = HandlerKey.objects.select_for_update().get(pk=key_of(user).pk)
    private_key = unlock_with_recovery(user=user, recovery_key=recovery_key)
    fresh = crypto.new_recovery_key()
    _lock(key, private_key, new_password, "password")
    _lock(key, private_key, crypto.normalise_recovery_key(fresh), "recovery")
    key.save()
    audit.record("complaints.key_recovered", obj=user, object_label=str(user))
    return fresh


# -- an unlocked key between requests ------------------------------------------------------------
#
# After the handler types their password (or recovery key), the private key must survive until the
# next request without being stored in the clear. It is encrypted with a random 32-byte *session
# wrapping key*; the ciphertext goes into the server-side session (database), the wrapping key only
# into a cookie in the handler's browser (signed, HttpOnly, SameSite=Strict, Secure in production,
# no expiry date so it ends with the browser). Neither half opens anything alone: a copy of the
# sessions table has no wrapping keys, a stolen cookie has no ciphertext (and no session). The
# ciphertext is bound to the user and to the time it was last used; after
# ``COMPLAINTS_KEY_IDLE_MINUTES`` (30) without use, or "Lock now", or signing out (the session is
# flushed), it is gone.

SESSION_FIELD = "complaints.unlocked_key"
COOKIE_NAME = "integritas_key"
COOKIE_SALT = "integritas.complaints.key"


def _cookie_path() -> str:
    """The cookie goes only to the handlers' pages (not to the public or other staff pages)."""
    return reverse("complaints-report-list")


def idle_seconds() -> int:
    return int(settings.COMPLAINTS_KEY_IDLE_MINUTES) * 60


def _session_context(user: Any) -> bytes:
    return f"session-key:{user.pk}".encode()


def keep_unlocked(request: Any, response: Any, private_key: bytes) -> None:
    """Keep ``private_key`` usable for the signed-in user's next requests (see above)."""
    wrapping = crypto.new_key()
    request.session[SESSION_FIELD] = {
        "key": base64.b64encode(
            crypto.encrypt(wrapping, private_key, context=_session_context(request.user))
        ).decode(),
        "used": int(time.time()),
    }
    response.set_signed_cookie(
        COOKIE_NAME,
        base64.urlsafe_b64encode(wrapping).decode(),
        salt=COOKIE_SALT,
        path=_cookie_path(),
        httponly=True,
        secure=settings.SESSION_COOKIE_SECURE,
        samesite="Strict",
    )


def unlocked(request: Any) -> bytes | None:
    """The private key kept for this session, or None (never unlocked, locked, idle too long,
    cookie missing or altered). Each use restarts the idle time."""
    stored = request.session.get(SESSION_FIELD)
    if not stored:
        return None
    now = int(time.time())
    if now - int(stored.get("used", 0)) > idle_seconds():
        del request.session[SESSION_FIELD]
        return None
    try:
        token = request.get_signed_cookie(COOKIE_NAME, salt=COOKIE_SALT)
        wrapping = base64.urlsafe_b64decode(token)
        private_key = crypto.decrypt(
            wrapping, base64.b64decode(stored["key"]), context=_session_context(request.user)
        )
    except (KeyError, ValueError, binascii.Error, signing.BadSignature, crypto.CryptoError):
        return None
    stored["used"] = now
    request.session[SESSION_FIELD] = stored
    return private_key


def lock(request: Any, response: Any) -> None:
    """Forget the unlocked key now: drop the ciphertext and the browser's half."""
    request.session.pop(SESSION_FIELD, None)
    response.delete_cookie(COOKIE_NAME, path=_cookie_path(), samesite="Strict")
