"""The government's own record and its fiscal years."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from integritas.core import history, policy
from integritas.core.forms.government import FiscalYearForm, GovernmentForm
from integritas.core.models import FiscalYear, Government
from integritas.core.services.government import fiscal_year_save, government_save


@login_required
def government_detail(request: HttpRequest) -> HttpResponse:
    government = Government.current()
    context = {
        "gov": government,
        "history": history.for_viewer(request.user, policy.history(request.user, government)[:30])
        if government
        else [],
        "can_change": policy.allows_model(request.user, "change", Government),
    }
    return render(request, "core/government_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def government_edit(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, "change", Government)
    government = Government.current() or Government()
    form = GovernmentForm(request.POST or None, request.FILES or None, instance=government)
    if request.method == "POST" and form.is_valid():
        fresh = Government.objects.get(pk=government.pk) if government.pk else Government()
        government_save(government=fresh, values=form.cleaned_data)
        messages.success(request, _("The government details were saved."))
        return redirect("core-government")
    status = 400 if request.method == "POST" else 200
    return render(request, "core/government_form.html", {"form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def fiscal_year_list(request: HttpRequest) -> HttpResponse:
    can_create = policy.allows_model(request.user, "create", FiscalYear)
    form = FiscalYearForm(request.POST or None) if can_create else None
    if request.method == "POST":
        policy.require(request.user, "create", FiscalYear)
        assert form is not None
        if form.is_valid():
            year = fiscal_year_save(fiscal_year=FiscalYear(), values=form.cleaned_data)
            messages.success(request, _("Fiscal year %(year)s was added.") % {"year": year.year})
            return redirect("core-fiscal-years")
    status = 400 if request.method == "POST" else 200
    context = {
        "years": FiscalYear.objects.all(),
        "form": form,
        "can_change": policy.allows_model(request.user, "change", FiscalYear),
    }
    return render(request, "core/fiscal_year_list.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def fiscal_year_edit(request: HttpRequest, year: int) -> HttpResponse:
    fiscal_year = policy.get_for_user(request.user, FiscalYear, need="change", year=year)
    form = FiscalYearForm(request.POST or None, instance=fiscal_year)
    if request.method == "POST" and form.is_valid():
        fiscal_year_save(
            fiscal_year=FiscalYear.objects.get(pk=fiscal_year.pk), values=form.cleaned_data
        )
        messages.success(
            request, _("Fiscal year %(year)s was saved.") % {"year": form.cleaned_data["year"]}
        )
        return redirect("core-fiscal-years")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "core/fiscal_year_form.html",
        {
            "form": form,
            "fiscal_year": fiscal_year,
            "history": history.for_viewer(
                request.user, policy.history(request.user, fiscal_year)[:30]
            ),
        },
        status=status,
    )
