"""Operations on government, units, fiscal years, people and roles.

Each is atomic and writes one audit event; the actor comes from the current request (or the
``acting_as`` label in commands), so callers pass only what the operation is about.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import models, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.utils.translation import override

from integritas import audit
from integritas.audit.services import changes_between, snapshot
from integritas.core import policy
from integritas.core.models import FiscalYear, Government, Role, RoleAssignment, Unit, User

UNIT_FIELDS = ["code", "name", "type", "parent", "size_class", "head", "address", "is_active"]
USER_FIELDS = [
    "username",
    "name",
    "email",
    "nip",
    "position",
    "unit",
    "phone",
    "language",
    "is_active",
]
GOVERNMENT_FIELDS = ["name", "kind", "province", "address", "phone", "email", "website", "emblem"]
FISCAL_YEAR_FIELDS = ["year", "starts_on", "ends_on", "status"]


M = TypeVar("M", bound=models.Model)


def _save(
    obj: M, values: Mapping[str, Any], *, fields: list[str], kind: str, reason: str = ""
) -> M:
    """Apply ``values``, validate, save, and record ``<kind>.created`` or ``<kind>.updated``
    with the fields that changed (nothing is recorded when nothing changed)."""
    creating = obj.pk is None
    before = {} if creating else snapshot(obj, fields)
    for name, value in values.items():
        setattr(obj, name, value)
    obj.full_clean()
    obj.save()
    changes = changes_between(before, snapshot(obj, fields))
    if creating or changes:
        action = f"{kind}.created" if creating else f"{kind}.updated"
        audit.record(action, obj=obj, changes=changes, reason=reason)
    return obj


@transaction.atomic
def unit_create(*, values: Mapping[str, Any]) -> Unit:
    return _save(Unit(), values, fields=UNIT_FIELDS, kind="unit")


@transaction.atomic
def unit_update(*, unit: Unit, values: Mapping[str, Any], reason: str = "") -> Unit:
    return _save(unit, values, fields=UNIT_FIELDS, kind="unit", reason=reason)


@transaction.atomic
def government_save(*, government: Government, values: Mapping[str, Any]) -> Government:
    values = dict(values)
    if values.get("emblem") is None:
        values.pop("emblem", None)  # no new upload: keep the current emblem
    elif values["emblem"] is False:
        values["emblem"] = ""  # the "clear" box was ticked
    return _save(government, values, fields=GOVERNMENT_FIELDS, kind="government")


@transaction.atomic
def fiscal_year_save(*, fiscal_year: FiscalYear, values: Mapping[str, Any]) -> FiscalYear:
    return _save(fiscal_year, values, fields=FISCAL_YEAR_FIELDS, kind="fiscal_year")


@transaction.atomic
def user_create(*, values: Mapping[str, Any], password: str | None = None) -> User:
    """Create an account; without a password it cannot log in until the person sets one."""
    user = User()
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    return _save(user, values, fields=USER_FIELDS, kind="user")


@transaction.atomic
def user_update(*, user: User, values: Mapping[str, Any], reason: str = "") -> User:
    return _save(user, values, fields=USER_FIELDS, kind="user", reason=reason)


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
