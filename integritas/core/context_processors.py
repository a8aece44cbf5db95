"""Values every page needs: the government, navigation for the user's roles, demo flag."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from django_otp import user_has_device

from integritas.audit.models import Event
from integritas.core import extensions, policy
from integritas.core.models import FiscalYear, Government, Holiday, Unit, User
from integritas.core.services.notifications import unread_count


def owes_second_factor(user: Any) -> bool:
    """Signed in with a password but not yet past the second step that the user needs."""
    if user.is_verified():
        return False

    return user_has_device(user, confirmed=True) or (
        settings.REQUIRE_2FA and policy.requires_two_factor(user)
    )


def navigation(user: Any) -> list[dict[str, str]]:
    """Menu entries the user's roles can open, in a fixed order."""
    if not user.is_authenticated or owes_second_factor(user):
        return []
    items = [{"url": reverse("core-home"), "label": _("Home"), "name": "core-home"}]
    if policy.scope(user, Unit).exists():
        items.append({"url": reverse("core-unit-list"), "label": _("Units"), "name": "core-unit"})
    if policy.scope(user, User).exclude(pk=user.pk).exists():
        items.append(
            {"url": reverse("core-person-list"), "label": _("People"), "name": "core-person"}
        )
    if policy.allows_model(user, "view", Event):
        items.append(
            {"url": reverse("audit-event-list"), "label": _("Audit trail"), "name": "audit-"}
        )
    items.extend(extensions.navigation_items(user))
    g = policy.grants(user)
    if g.has_global(*policy.SEE_ALL_PEOPLE):
        items.append(
            {"url": reverse("core-government"), "label": _("Government"), "name": "core-government"}
        )
    if policy.allows_model(user, "create", FiscalYear):
        items.append(
            {"url": reverse("core-fiscal-years"), "label": _("Fiscal years"), "name": "core-fiscal"}
        )
    if policy.allows_model(user, "change", Holiday):
        items.append(
            {"url": reverse("core-calendar"), "label": _("Working days"), "name": "core-calendar"}
        )
    return items


def _unread_notifications(user: Any) -> int | None:
    """How many unread notifications the header badge shows (None hides the link)."""
    if not user.is_authenticated or owes_second_factor(user):
        return None

    return unread_count(user)


def integritas(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    current = getattr(getattr(request, "resolver_match", None), "url_name", "") or ""
    nav = navigation(user)
    for item in nav:
        item["active"] = "true" if current.startswith(item["name"]) else ""
    return {
        "unread_notifications": _unread_notifications(user),
        "government": Government.current(),
        "nav_items": nav,
        "demo_mode": settings.DEMO_MODE,
        "languages": settings.LANGUAGES,
    }
