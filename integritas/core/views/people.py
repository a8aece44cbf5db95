"""People and their roles."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from integritas.core import history, policy
from integritas.core.forms.people import PersonFilterForm, PersonForm, ReasonForm, RoleGrantForm
from integritas.core.models import Role, RoleAssignment, Unit, User
from integritas.core.services import people as services
from integritas.lib.tables import Column, export_format, export_response, paginate

PERSON_COLUMNS: list[Column[User]] = [
    Column("name", "name"),
    Column("username", "username"),
    Column("nip", lambda p: p.nip or ""),
    Column("position", "position"),
    Column("unit_code", lambda p: p.unit.code if p.unit else ""),
    Column("email", "email"),
    Column("roles", lambda p: "; ".join(str(a) for a in p.role_assignments.all())),
    Column("active", lambda p: "yes" if p.is_active else "no"),
]


@login_required
def person_list(request: HttpRequest) -> HttpResponseBase:
    people = (
        policy.scope(request.user, User)
        .select_related("unit")
        .prefetch_related("role_assignments__unit")
    )
    form = PersonFilterForm(request.GET)
    f = form.filters
    if f["q"]:
        people = people.filter(
            Q(name__icontains=f["q"])
            | Q(username__icontains=f["q"])
            | Q(nip__icontains=f["q"])
            | Q(position__icontains=f["q"])
        )
    if f["unit"]:
        people = people.filter(unit__code=f["unit"])
    if f["role"]:
        people = people.filter(role_assignments__role=f["role"]).distinct()
    people = form.filter_status(people).order_by("name")
    fmt = export_format(request)
    if fmt:
        return export_response(fmt=fmt, stem="people", columns=PERSON_COLUMNS, objects=people)
    page, query = paginate(request, people)
    context = {
        "page": page,
        "query": query,
        "q": f["q"],
        "unit": f["unit"],
        "role": f["role"],
        "status": f["status"],
        "roles": Role.choices,
        "units": policy.scope(request.user, Unit).order_by("code").only("code", "name"),
        "can_create": policy.allows_model(request.user, "create", User),
    }
    return render(request, "core/person_list.html", context)


@login_required
def person_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    person = policy.get_for_user(request.user, User, public_id=public_id)
    can_manage = policy.allows(request.user, "manage_roles", person)
    context: dict[str, Any] = {
        "person": person,
        "roles": person.role_assignments.select_related("unit"),
        "history": history.for_viewer(request.user, policy.history(request.user, person)[:50]),
        "can_change": policy.allows(request.user, "change", person),
        "can_manage_roles": can_manage,
        "grant_form": RoleGrantForm() if can_manage else None,
        "revoke_form": ReasonForm() if can_manage else None,
    }
    return render(request, "core/person_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def person_create(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, "create", User)
    form = PersonForm(request.POST or None, initial={"unit": request.GET.get("unit")})
    if request.method == "POST" and form.is_valid():
        person = services.user_create(values=form.cleaned_data)
        services.send_invitation(user=person, base_url=request.build_absolute_uri("/"))
        messages.success(
            request,
            _("%(name)s was added. An email with a link to set a password was sent to %(email)s.")
            % {"name": person.name, "email": person.email},
        )
        return redirect("core-person", person.public_id)
    status = 400 if request.method == "POST" else 200
    return render(request, "core/person_form.html", {"form": form, "person": None}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def person_edit(request: HttpRequest, public_id: UUID) -> HttpResponse:
    person = policy.get_for_user(request.user, User, need="change", public_id=public_id)
    form = PersonForm(request.POST or None, instance=person)
    if request.method == "POST" and form.is_valid():
        services.user_update(user=User.objects.get(pk=person.pk), values=form.cleaned_data)
        messages.success(request, _("The changes were saved."))
        return redirect("core-person", person.public_id)
    status = 400 if request.method == "POST" else 200
    return render(request, "core/person_form.html", {"form": form, "person": person}, status=status)


@require_POST
@login_required
def person_invite(request: HttpRequest, public_id: UUID) -> HttpResponse:
    person = policy.get_for_user(request.user, User, need="change", public_id=public_id)
    if not person.email:
        messages.error(request, _("This person has no email address."))
    else:
        services.send_invitation(user=person, base_url=request.build_absolute_uri("/"))
        messages.success(
            request, _("A link to set a password was sent to %(email)s.") % {"email": person.email}
        )
    return redirect("core-person", person.public_id)


@require_POST
@login_required
def role_grant(request: HttpRequest, public_id: UUID) -> HttpResponse:
    person = policy.get_for_user(request.user, User, need="manage_roles", public_id=public_id)
    form = RoleGrantForm(request.POST)
    if form.is_valid():
        role, unit = form.cleaned_data["role"], form.cleaned_data["unit"]
        if RoleAssignment.objects.filter(user=person, role=role, unit=unit).exists():
            form.add_error("role", _("This person already holds this role."))
        else:
            services.role_grant(user=person, role=role, unit=unit, by=request.user)  # type: ignore[arg-type]
            messages.success(request, _("The role was granted."))
            return redirect("core-person", person.public_id)
    context: dict[str, Any] = {
        "person": person,
        "roles": person.role_assignments.select_related("unit"),
        "history": history.for_viewer(request.user, policy.history(request.user, person)[:50]),
        "can_change": True,
        "can_manage_roles": True,
        "grant_form": form,
        "revoke_form": ReasonForm(),
    }
    return render(request, "core/person_detail.html", context, status=400)


@require_POST
@login_required
def role_revoke(request: HttpRequest, public_id: UUID, assignment_id: UUID) -> HttpResponse:
    person = policy.get_for_user(request.user, User, need="manage_roles", public_id=public_id)
    assignment = get_object_or_404(RoleAssignment, user=person, public_id=assignment_id)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a reason for removing the role."))
        return redirect("core-person", person.public_id)
    services.role_revoke(assignment=assignment, reason=form.cleaned_data["reason"])
    messages.success(request, _("The role was removed."))
    return redirect("core-person", person.public_id)
