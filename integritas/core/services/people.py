"""Operations on people and their roles: accounts, invitations, language, role grants.

Each is atomic and writes one audit event; the actor comes from the current request (or the
``acting_as`` label in commands), so callers pass only what the operation is about.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.utils.translation import override

from integritas import audit
from integritas.audit.services import save_with_event
from integritas.core import policy
from integritas.core.models import Role, RoleAssignment, Unit, User

USER_FIELDS = [
    "username",
    "name",
    "email",
    "nip",
    "position",
    "can_sign",
    "unit",
    "phone",
    "language",
    "is_active",
]


@transaction.atomic
def user_create(*, values: Mapping[str, Any], password: str | None = None) -> User:
    """Create an account; without a password it cannot log in until the person sets one."""
    user = User()
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    return save_with_event(user, values, fields=USER_FIELDS, kind="user")


@transaction.atomic
def user_update(*, user: User, values: Mapping[str, Any], reason: str = "") -> User:
    return save_with_event(user, values, fields=USER_FIELDS, kind="user", reason=reason)


def send_invitation(*, user: User, base_url: str) -> None:
    """Email a one-time link with which the person sets their own password."""
    if not user.email:
        return
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    link = base_url.rstrip("/") + reverse("core-password-reset-confirm", args=[uid, token])
    with override(user.language):
        context = {"user": user, "link": link}
        send_mail(
            subject=_("Your Integritas account"),
            message=render_to_string("core/email/invitation.txt", context),
            from_email=None,
            recipient_list=[user.email],
        )
    audit.record("user.invited", obj=user)


@transaction.atomic
def user_set_language(*, user: User, language: str) -> User:
    if user.language != language:
        before = user.language
        user.language = language
        user.save(update_fields=["language"])
        audit.record("user.language_changed", obj=user, changes={"language": [before, language]})
    return user


@transaction.atomic
def role_grant(*, user: User, role: str, unit: Unit | None, by: User | None) -> RoleAssignment:
    assignment = RoleAssignment(user=user, role=role, unit=unit, granted_by=by)
    assignment.full_clean()
    assignment.save()
    policy.forget(user)
    audit.record(
        "role.granted",
        obj=user,
        changes={"role": [None, role], "unit": [None, unit.code if unit else None]},
    )
    return assignment


@transaction.atomic
def role_revoke(*, assignment: RoleAssignment, reason: str = "") -> None:
    user = assignment.user
    role, unit = assignment.role, assignment.unit
    assignment.delete()
    policy.forget(user)
    audit.record(
        "role.revoked",
        obj=user,
        changes={"role": [role, None], "unit": [unit.code if unit else None, None]},
        reason=reason,
    )


def role_label(role: str) -> str:
    return str(Role(role).label)
