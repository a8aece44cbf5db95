"""LHKPN pages: the register of officials who must file (filters, search, pages), one
obligation with its history, recording an appointment or departure, the positions that must
file (and listing their holders for a year), the decree and e-LHKPN status imports, and the
compliance page (both rates per unit and for the government, and the trend by year)."""

from __future__ import annotations

from typing import Any, cast
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from integritas.core import policy
from integritas.core.models import Unit, User
from integritas.lib.forms import add_service_errors
from integritas.lib.imports import import_page
from integritas.lib.spreadsheets import export_filename
from integritas.lib.tables import paginate
from integritas.prevention import access, lhkpn
from integritas.prevention.forms import (
    LhkpnDecreeForm,
    LhkpnFilterForm,
    LhkpnImportForm,
    LhkpnPositionsForm,
    LhkpnSpecialForm,
    LhkpnYearForm,
    UnpublishForm,
)
from integritas.prevention.models import (
    LhkpnObligation,
    LhkpnPosition,
    LhkpnPublication,
    LhkpnStatus,
)
from integritas.prevention.services import (
    lhkpn_compliance,
    lhkpn_exports,
    lhkpn_obligations,
    lhkpn_publication,
    lhkpn_status,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _require_list(request: HttpRequest) -> None:
    if not access.reads_lhkpn_list(request.user):
        raise PermissionDenied


def _require_keeper(request: HttpRequest) -> None:
    if not policy.allows_model(request.user, "keep", LhkpnObligation):
        raise PermissionDenied


def _default_year() -> int:
    """The year whose periodic report is being filed now: last year's position."""
    return timezone.localdate().year - 1


def _filtered(qs: QuerySet[LhkpnObligation], f: dict[str, Any]) -> QuerySet[LhkpnObligation]:
    if f.get("year"):
        qs = qs.filter(year=f["year"])
    if f.get("unit"):
        qs = qs.filter(unit=f["unit"])
    if f.get("report_type"):
        qs = qs.filter(report_type=f["report_type"])
    filed = f.get("filed")
    if filed == "no":
        qs = qs.filter(Q(status__isnull=True) | Q(status=LhkpnStatus.DRAFT))
    elif filed == "yes":
        qs = qs.filter(status__in=lhkpn.FILED)
    elif filed == "complete":
        qs = qs.filter(status__in=lhkpn.COMPLETE)
    elif filed == "rejected":
        qs = qs.filter(status=LhkpnStatus.REJECTED)
    if f.get("q"):
        text = f["q"].strip()
        qs = qs.filter(
            Q(name__icontains=text)
            | Q(nip__startswith=text)
            | Q(nik__startswith=text)
            | Q(position__icontains=text)
        )
    return qs


def _units_in(qs: QuerySet[LhkpnObligation]) -> QuerySet[Unit]:
    return Unit.objects.filter(pk__in=qs.values("unit_id")).order_by("code")


@login_required
def obligation_list(request: HttpRequest) -> HttpResponse:
    _require_list(request)
    visible = policy.scope(request.user, LhkpnObligation)
    years = sorted(set(visible.values_list("year", flat=True)), reverse=True)
    form = LhkpnFilterForm(request.GET, years=years, units=_units_in(visible))
    f = form.filters
    qs = _filtered(visible, f).select_related("unit")
    page, query = paginate(request, qs)
    context = {
        "form": form,
        "page": page,
        "query": query,
        "filtered": any(f.values()),
        "total": qs.count(),
        "is_keeper": policy.allows_model(request.user, "keep", LhkpnObligation),
        "today": timezone.localdate(),
    }
    return render(request, "prevention/lhkpn/obligation_list.html", context)


@login_required
def obligation_export(request: HttpRequest) -> HttpResponse:
    """The register as XLSX, with the list page's filters, within what the reader may see."""
    _require_list(request)
    visible = policy.scope(request.user, LhkpnObligation)
    years = sorted(set(visible.values_list("year", flat=True)), reverse=True)
    form = LhkpnFilterForm(request.GET, years=years, units=_units_in(visible))
    qs = _filtered(visible, form.filters).select_related("unit")
    return _xlsx(lhkpn_exports.register_xlsx(qs), "register-lhkpn")


def _xlsx(body: bytes, stem: str) -> HttpResponse:
    response = HttpResponse(body, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{export_filename(stem, "xlsx")}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def obligation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    obligation = policy.get_for_user(request.user, LhkpnObligation, pk=pk)
    context = {
        "obligation": obligation,
        "filed": obligation.status in lhkpn.FILED,
        "overdue": obligation.status not in lhkpn.FILED
        and obligation.due_on < timezone.localdate(),
        "history": policy.history(request.user, obligation),
        "reads_list": access.reads_lhkpn_list(request.user),
    }
    return render(request, "prevention/lhkpn/obligation_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def special_create(request: HttpRequest) -> HttpResponse:
    _require_keeper(request)
    form = LhkpnSpecialForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        try:
            obligation = lhkpn_obligations.record_special(
                values=values, report_type=values.pop("report_type"), by=_user(request)
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("prevention-lhkpn-obligation", obligation.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "prevention/lhkpn/special_form.html", {"form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def positions(request: HttpRequest) -> HttpResponse:
    """The positions that must file (keepers change them), and listing their holders for a
    year's periodic report."""
    if not policy.allows_model(request.user, "view", LhkpnPosition):
        raise PermissionDenied
    keeper = policy.allows_model(request.user, "change", LhkpnPosition)
    titles = list(LhkpnPosition.objects.filter(is_active=True).values_list("title", flat=True))
    form = LhkpnPositionsForm(initial={"titles": "\n".join(titles)})
    year_form = LhkpnYearForm(initial={"year": _default_year()})
    status = 200
    if request.method == "POST":
        if not keeper:
            raise PermissionDenied
        if "titles" in request.POST:
            form = LhkpnPositionsForm(request.POST)
            if form.is_valid():
                lhkpn_obligations.set_positions(
                    titles=form.cleaned_data["titles"].splitlines(), by=_user(request)
                )
                messages.success(request, _("Saved."))
                return redirect("prevention-lhkpn-positions")
        else:
            year_form = LhkpnYearForm(request.POST)
            if year_form.is_valid():
                year = year_form.cleaned_data["year"]
                listed = lhkpn_obligations.create_from_positions(year=year, by=_user(request))
                messages.success(
                    request,
                    ngettext(
                        "%(count)d official listed for %(year)d.",
                        "%(count)d officials listed for %(year)d.",
                        listed.created,
                    )
                    % {"count": listed.created, "year": year},
                )
                if listed.without_nip:
                    messages.warning(
                        request,
                        _("Not listed, without a NIP or a unit: %(names)s.")
                        % {"names": ", ".join(listed.without_nip)},
                    )
                return redirect(reverse_list(year=year))
        status = 400
    context = {"form": form, "year_form": year_form, "keeper": keeper, "titles": titles}
    return render(request, "prevention/lhkpn/positions.html", context, status=status)


def reverse_list(**params: Any) -> str:
    """The register's address with filters."""
    return reverse("prevention-lhkpn-obligation-list") + "?" + urlencode(params)


@login_required
@require_http_methods(["GET", "POST"])
def decree_import(request: HttpRequest) -> HttpResponse:
    _require_keeper(request)
    form = LhkpnDecreeForm(
        request.POST or None, request.FILES or None, initial={"year": _default_year()}
    )

    def run(data: dict[str, Any]) -> lhkpn_obligations.DecreeReport:
        upload = data["file"]
        return lhkpn_obligations.import_decree(
            data=upload.read(),
            filename=upload.name,
            year=data["year"],
            decree_number=data["decree_number"],
            by=_user(request),
        )

    def done(report: lhkpn_obligations.DecreeReport) -> HttpResponse:
        messages.success(
            request,
            _("Decree imported: %(created)d officials added, %(updated)d updated.")
            % {"created": report.created, "updated": report.updated},
        )
        return redirect(reverse_list(year=form.cleaned_data["year"]))

    return import_page(
        request,
        form=form,
        template="prevention/lhkpn/decree_import.html",
        run=run,
        done=done,
        context={"columns": lhkpn_obligations.DECREE_COLUMNS},
    )


@login_required
@require_http_methods(["GET", "POST"])
def status_import(request: HttpRequest) -> HttpResponse:
    _require_keeper(request)
    form = LhkpnImportForm(
        request.POST or None, request.FILES or None, initial={"year": _default_year()}
    )

    def run(data: dict[str, Any]) -> lhkpn_status.StatusReport:
        upload = data["file"]
        return lhkpn_status.import_statuses(
            data=upload.read(), filename=upload.name, year=data["year"], by=_user(request)
        )

    def done(report: lhkpn_status.StatusReport) -> HttpResponse:
        messages.success(
            request,
            ngettext("%(count)d status imported.", "%(count)d statuses imported.", report.updated)
            % {"count": report.updated},
        )
        return redirect("prevention-lhkpn-compliance")

    return import_page(
        request,
        form=form,
        template="prevention/lhkpn/status_import.html",
        run=run,
        done=done,
        context={"columns": lhkpn_status.COLUMNS},
    )


@login_required
def compliance(request: HttpRequest) -> HttpResponse:
    _require_list(request)
    return compliance_response(request)


def compliance_response(
    request: HttpRequest, *, year: int | None = None, unpublish_form: Any = None, status: int = 200
) -> HttpResponse:
    """The compliance page of ``year`` (by default the one asked, or the latest), with its
    publication on the portal."""
    years = lhkpn_compliance.years()
    if year is None:
        try:
            year = int(request.GET.get("year") or (years[0] if years else _default_year()))
        except ValueError:
            year = years[0] if years else _default_year()
    visible_units = list(
        policy.scope(request.user, LhkpnObligation).values_list("unit_id", flat=True).distinct()
    )
    figures = lhkpn_compliance.compliance(year, units=visible_units)
    sees_all = policy.allows_model(request.user, "view_register", LhkpnObligation)
    if request.GET.get("format") == "xlsx":
        body = lhkpn_exports.compliance_xlsx(figures, government=sees_all)
        return _xlsx(body, f"kepatuhan-lhkpn-{year}")
    unit = None
    if request.GET.get("unit", "").isdigit():
        unit = Unit.objects.filter(pk__in=visible_units, pk=int(request.GET["unit"])).first()
    if unit is None and not sees_all and len(figures.units) == 1:
        unit = figures.units[0].unit
    context = {
        "year": year,
        "years": years,
        "figures": figures,
        "sees_all": sees_all,
        "unit": unit,
        "trend": lhkpn_compliance.trend(unit) if unit or sees_all else [],
        "is_keeper": policy.allows_model(request.user, "keep", LhkpnObligation),
        "live": lhkpn_publication.live(year),
        "history": LhkpnPublication.objects.filter(year=year),
        "may_publish": lhkpn_publication.may_publish(request.user),
        "unpublish_form": unpublish_form or UnpublishForm(),
    }
    return render(request, "prevention/lhkpn/compliance.html", context, status=status)


def scoreboard_section(user: Any) -> dict[str, Any] | None:
    """The LHKPN section of the leadership scoreboard (registered with
    ``extensions.register_scoreboard_section``): the latest year's compliance by unit, ranked,
    for those who read the register (a unit head: their units)."""
    if not getattr(user, "is_authenticated", False) or not access.reads_lhkpn_list(user):
        return None
    years = lhkpn_compliance.years()
    if not years:
        return None
    visible = policy.scope(user, LhkpnObligation).values_list("unit_id", flat=True).distinct()
    figures = lhkpn_compliance.compliance(years[0], units=list(visible))
    return {
        "template": "prevention/lhkpn/_scoreboard.html",
        "year": years[0],
        "figures": figures,
        "rows": lhkpn_compliance.ranked(figures),
        "sees_all": policy.allows_model(user, "view_register", LhkpnObligation),
    }
