"""The register's exports for KPK and its statistics: the register as XLSX in KPK's form (with
the register page's filters), the periodic recap (page and XLSX), the statistics of a year with
small groups withheld, and the decision to publish them on the portal."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from integritas.core import policy
from integritas.lib import publishing as decisions
from integritas.lib.spreadsheets import export_filename, write_xlsx
from integritas.prevention.forms import RecapForm, RegisterFilterForm, UnpublishForm
from integritas.prevention.models import GratificationReport, StatisticsPublication
from integritas.prevention.services import register, statistics
from integritas.prevention.services import reports as services
from integritas.prevention.views.reports import _filtered

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _require_reader(request: HttpRequest) -> None:
    if not policy.allows_model(request.user, "view_register", GratificationReport):
        raise PermissionDenied


def _xlsx(body: bytes, stem: str) -> HttpResponse:
    response = HttpResponse(body, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{export_filename(stem, "xlsx")}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def register_export(request: HttpRequest) -> HttpResponse:
    """The register as KPK's form asks for it, with the register page's filters."""
    _require_reader(request)
    form = RegisterFilterForm(request.GET)
    f = form.filters
    upg = services.is_upg(request.user)
    qs = _filtered(policy.scope(request.user, GratificationReport), f, upg=upg).select_related(
        "rule_set", "reporter_unit"
    )
    reports = list(qs.order_by("reported_on", "tracking_number"))
    if f.get("overdue"):
        today = timezone.localdate()
        reports = [r for r in reports if services.is_overdue(r, today)]
    return _xlsx(register.register_xlsx(reports, request.user), "register-gratifikasi")


@login_required
def recap(request: HttpRequest) -> HttpResponse:
    """The recap of a period for KPK; ``?format=xlsx`` downloads it."""
    _require_reader(request)
    today = timezone.localdate()
    bound = "start" in request.GET or "end" in request.GET
    initial = {"start": dt.date(today.year, 1, 1), "end": today}
    form = RecapForm(request.GET if bound else None, initial=initial)
    valid = form.is_valid() if bound else True
    if bound and valid:
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    else:
        start, end = initial["start"], initial["end"]
    found = register.recap(start, end)
    if request.GET.get("format") == "xlsx" and valid:
        return _xlsx(register.recap_xlsx(found), f"rekap-gratifikasi-{start}-{end}")
    query = f"start={start.isoformat()}&end={end.isoformat()}"
    status = 200 if valid else 400
    context = {"form": form, "recap": found, "query": query}
    return render(request, "prevention/recap.html", context, status=status)


@login_required
def statistics_page(request: HttpRequest) -> HttpResponse:
    """A year's statistics with small groups withheld, and its publication on the portal."""
    _require_reader(request)
    years = statistics.years()
    asked = request.GET.get("year", "")
    year = int(asked) if asked.isdigit() and int(asked) in years else None
    if year is None:
        year = years[0] if years else timezone.localdate().year
    figures = statistics.for_year(year)
    if request.GET.get("format") == "xlsx":
        head = [_("Breakdown"), _("Group"), _("Reports"), _("Value (Rp)")]
        return _xlsx(
            write_xlsx(head, figures.rows(), _("Gratification statistics")),
            f"statistik-gratifikasi-{year}",
        )
    return _statistics_response(request, year, UnpublishForm(), figures=figures, years=years)


def _statistics_response(
    request: HttpRequest,
    year: int,
    form: UnpublishForm,
    *,
    figures: statistics.Statistics | None = None,
    years: list[int] | None = None,
    status: int = 200,
) -> HttpResponse:
    """The statistics page of ``year`` with ``form`` for taking it off the portal."""
    context = {
        "figures": statistics.for_year(year) if figures is None else figures,
        "year": year,
        "years": statistics.years() if years is None else years,
        "live": statistics.live(year),
        "history": StatisticsPublication.objects.filter(year=year),
        "may_publish": statistics.may_publish(request.user),
        "unpublish_form": form,
    }
    return render(request, "prevention/statistics.html", context, status=status)


statistics_publish, statistics_unpublish = decisions.year_views(
    statistics,
    back=lambda year: f"{_statistics_url()}?year={year}",
    page=lambda request, year, form: _statistics_response(request, year, form, status=400),
    form_class=UnpublishForm,
)


def _statistics_url() -> str:
    return reverse("prevention-statistics")
