"""The home page: one panel per kind of role the user holds, each showing live data."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django_otp.plugins.otp_totp.models import TOTPDevice

from integritas.audit.models import ChainHead, Event
from integritas.core import extensions, history, policy
from integritas.core.models import (
    INSPECTORATE_ROLES,
    UNIT_ROLES,
    FiscalYear,
    Role,
    Unit,
    User,
)


def _unit_type_counts(units: Any) -> list[dict[str, Any]]:
    rows = units.values("type").annotate(n=Count("pk")).order_by("-n", "type")
    return [{"label": Unit.Type(row["type"]).label, "n": row["n"]} for row in rows]


def home(request: HttpRequest) -> HttpResponse:
    """``/``: the staff home once signed in; before, the public home an app registered (the
    transparency portal), or the sign-in page when none did."""
    public_home = extensions.public_home()
    if not request.user.is_authenticated and public_home is not None:
        return public_home(request)
    return staff_home(request)


@login_required
def staff_home(request: HttpRequest) -> HttpResponse:
    user = request.user
    g = policy.grants(user)
    units = policy.scope(user, Unit).filter(is_active=True)
    people = policy.scope(user, User).filter(is_active=True)
    context: dict[str, Any] = {
        "roles": user.role_assignments.select_related("unit"),  # type: ignore[union-attr]
        "fiscal_year": FiscalYear.objects.filter(status=FiscalYear.Status.OPEN).first(),
        "panels": [],
    }
    panels: list[str] = context["panels"]
    if g.has_global(Role.ADMINISTRATOR):
        panels.append("admin")
        needing = policy.two_factor_people()
        enrolled = TOTPDevice.objects.filter(confirmed=True).values("user_id")
        context["admin"] = {
            "users": User.objects.filter(is_active=True).count(),
            "without_role": User.objects.filter(
                is_active=True, role_assignments__isnull=True
            ).count(),
            "missing_2fa": needing.exclude(pk__in=enrolled).order_by("name")[:10],
            "chain_head": ChainHead.objects.filter(pk=1).first(),
        }
    if g.has(*INSPECTORATE_ROLES):
        panels.append("inspectorate")
        context["inspectorate"] = {
            "unit_count": units.count(),
            "top_level": units.filter(parent__isnull=True).count(),
            "staff_count": people.count(),
            "by_type": _unit_type_counts(units),
            "largest": units.annotate(n=Count("staff", filter=Q(staff__is_active=True))).order_by(
                "-n", "code"
            )[:8],
        }
    if g.has(Role.LEADERSHIP):
        panels.append("leadership")
        context["leadership"] = {
            "unit_count": units.count(),
            "staff_count": people.count(),
            "top_units": units.filter(parent__isnull=True)
            .annotate(
                children_n=Count("children", filter=Q(children__is_active=True), distinct=True),
                staff_n=Count("staff", filter=Q(staff__is_active=True), distinct=True),
            )
            .order_by("code"),
        }
    if g.has(*UNIT_ROLES):
        panels.append("unit")
        own_roots = user.role_assignments.filter(  # type: ignore[union-attr]
            role__in=UNIT_ROLES
        ).values("unit_id")
        own_units = Unit.objects.filter(pk__in=own_roots).select_related("head", "parent")
        context["unit_panel"] = [
            {
                "unit": unit,
                "children": unit.children.filter(is_active=True).order_by("code"),
                "staff": unit.staff.filter(is_active=True).order_by("name"),
                "history": history.for_viewer(user, policy.history(user, unit)[:5]),
            }
            for unit in own_units
        ]
    if g.has(Role.COMPLAINT_HANDLER, Role.IDENTITY_CUSTODIAN):
        panels.append("handler")
    if policy.allows_model(user, "view", Event):
        context["recent_events"] = policy.scope(user, Event).select_related("actor")[:10]
    if not g.roles:
        panels.append("no_role")
    context["extra_panels"] = extensions.home_panels(request)
    return render(request, "core/home.html", context)
