"""The working-day calendar: holidays per year, the collective-leave setting, imports."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from integritas.core import history, policy
from integritas.core.calendar import CalendarDataMissing
from integritas.core.forms.calendar import (
    CalendarFilterForm,
    CalendarSettingsForm,
    HolidayDeleteForm,
    HolidayForm,
    HolidayImportForm,
    HolidayYearEditForm,
    HolidayYearForm,
    WorkingDaysForm,
)
from integritas.core.imports.calendar import (
    HOLIDAY_IMPORT_COLUMNS,
    HolidayImportReport,
    import_holidays,
)
from integritas.core.models import CalendarSettings, Holiday, HolidayYear
from integritas.core.services import calendar as services_calendar
from integritas.lib.imports import import_page
from integritas.lib.tables import Column, export_format, export_response, paginate

HOLIDAY_COLUMNS: list[Column[Holiday]] = [
    Column(name, name) for name in ("date", "name", "name_en", "kind", "source")
]
# Rows of the years page: {"year": HolidayYear, "national": int, "collective_leave": int}.
HOLIDAY_YEAR_COLUMNS: list[Column[dict[str, Any]]] = [
    Column("year", lambda r: r["year"].year),
    Column("decree", lambda r: r["year"].decree),
    Column("confirmed", lambda r: "yes" if r["year"].confirmed else "no"),
    Column("national", lambda r: r["national"]),
    Column("collective_leave", lambda r: r["collective_leave"]),
    Column("note", lambda r: r["year"].note),
]


def _chosen_year(request: HttpRequest, years: list[int]) -> int | None:
    """The year asked for, else this year when the calendar has it, else the latest year."""
    asked = CalendarFilterForm(request.GET).filters["year"]
    if asked is not None and asked in years:
        return asked
    today = timezone.localdate().year
    if today in years:
        return today
    return years[-1] if years else None


def _missing_message(exc: CalendarDataMissing) -> str:
    return _(
        "The calendar has no holidays for %(year)d yet, so working days in that year cannot be "
        "counted. An administrator must add that year first."
    ) % {"year": exc.year}


@login_required
def calendar_view(request: HttpRequest) -> HttpResponseBase:
    year_rows = list(policy.scope(request.user, HolidayYear).order_by("year"))
    years = [row.year for row in year_rows]
    year = _chosen_year(request, years)
    holidays = policy.scope(request.user, Holiday).filter(date__year=year or 0).order_by("date")
    fmt = export_format(request)
    if fmt:
        return export_response(
            fmt=fmt,
            stem=f"holidays-{year}",
            columns=HOLIDAY_COLUMNS,
            objects=holidays,
        )
    page, query = paginate(request, holidays, per_page=50)
    calculator = WorkingDaysForm(request.GET if "start" in request.GET else None)
    result: dict[str, Any] | None = None
    problem = ""
    if calculator.is_bound and calculator.is_valid():
        start, days = calculator.cleaned_data["start"], calculator.cleaned_data["days"]
        try:
            result = {
                "start": start,
                "days": days,
                "date": services_calendar.calendar_for().add_working_days(start, days),
            }
        except CalendarDataMissing as exc:
            problem = _missing_message(exc)
    settings = CalendarSettings.load()
    context = {
        "years": year_rows,
        "year": next((row for row in year_rows if row.year == year), None),
        "page": page,
        "query": query,
        "settings": settings,
        "calculator": calculator,
        "result": result,
        "problem": problem,
        "can_create": policy.allows_model(request.user, "create", Holiday),
        "can_change": policy.allows_model(request.user, "change", Holiday),
        "can_import": policy.allows_model(request.user, "import", Holiday),
        "can_manage_years": policy.allows_model(request.user, "create", HolidayYear),
        "can_change_settings": policy.allows_model(request.user, "change", CalendarSettings),
    }
    return render(request, "core/calendar/calendar.html", context)


def _back_to(holiday_date: Any) -> str:
    return f"{reverse('core-calendar')}?year={holiday_date.year}"


@login_required
@require_http_methods(["GET", "POST"])
def holiday_create(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, "create", Holiday)
    form = HolidayForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        holiday = services_calendar.holiday_save(holiday=Holiday(), values=form.cleaned_data)
        messages.success(request, _("%(name)s was added to the calendar.") % {"name": holiday.name})
        return redirect(_back_to(holiday.date))
    status = 400 if request.method == "POST" else 200
    return render(
        request, "core/calendar/holiday_form.html", {"form": form, "holiday": None}, status=status
    )


@login_required
@require_http_methods(["GET", "POST"])
def holiday_edit(request: HttpRequest, public_id: UUID) -> HttpResponse:
    holiday = policy.get_for_user(request.user, Holiday, need="change", public_id=public_id)
    form = HolidayForm(request.POST or None, instance=holiday)
    if request.method == "POST" and form.is_valid():
        saved = services_calendar.holiday_save(
            holiday=Holiday.objects.get(pk=holiday.pk), values=form.cleaned_data
        )
        messages.success(request, _("%(name)s was saved.") % {"name": saved.name})
        return redirect(_back_to(saved.date))
    status = 400 if request.method == "POST" else 200
    context = {
        "form": form,
        "holiday": holiday,
        "history": history.for_viewer(request.user, policy.history(request.user, holiday)[:30]),
    }
    return render(request, "core/calendar/holiday_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def holiday_delete(request: HttpRequest, public_id: UUID) -> HttpResponse:
    holiday = policy.get_for_user(request.user, Holiday, need="delete", public_id=public_id)
    form = HolidayDeleteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        day, name = holiday.date, holiday.name
        services_calendar.holiday_delete(holiday=holiday, reason=form.cleaned_data["reason"])
        messages.success(request, _("%(name)s was removed from the calendar.") % {"name": name})
        return redirect(_back_to(day))
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "core/calendar/holiday_delete.html",
        {"form": form, "holiday": holiday},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def calendar_years(request: HttpRequest) -> HttpResponseBase:
    can_create = policy.allows_model(request.user, "create", HolidayYear)
    form = HolidayYearForm(request.POST or None) if can_create else None
    if request.method == "POST":
        policy.require(request.user, "create", HolidayYear)
        assert form is not None
        if form.is_valid():
            saved = services_calendar.holiday_year_save(
                holiday_year=HolidayYear(), values=form.cleaned_data
            )
            messages.success(
                request,
                _("Year %(year)d was added. Now add its holidays or import them from a file.")
                % {"year": saved.year},
            )
            return redirect(f"{reverse('core-calendar')}?year={saved.year}")
    status = 400 if request.method == "POST" else 200
    years = policy.scope(request.user, HolidayYear).order_by("-year")
    counts: dict[int, dict[str, int]] = {}
    for day, kind in policy.scope(request.user, Holiday).values_list("date", "kind"):
        per_kind = counts.setdefault(day.year, {})
        per_kind[kind] = per_kind.get(kind, 0) + 1
    rows: list[dict[str, Any]] = [
        {
            "year": row,
            "national": counts.get(row.year, {}).get(Holiday.Kind.NATIONAL, 0),
            "collective_leave": counts.get(row.year, {}).get(Holiday.Kind.COLLECTIVE_LEAVE, 0),
        }
        for row in years
    ]
    fmt = export_format(request)
    if fmt:
        return export_response(
            fmt=fmt,
            stem="holiday-years",
            columns=HOLIDAY_YEAR_COLUMNS,
            objects=rows,
        )
    page, query = paginate(request, rows)
    context = {
        "page": page,
        "query": query,
        "form": form,
        "can_change": policy.allows_model(request.user, "change", HolidayYear),
    }
    return render(request, "core/calendar/years.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def calendar_year_edit(request: HttpRequest, year: int) -> HttpResponse:
    holiday_year = policy.get_for_user(request.user, HolidayYear, need="change", year=year)
    form = HolidayYearEditForm(request.POST or None, instance=holiday_year)
    if request.method == "POST" and form.is_valid():
        services_calendar.holiday_year_save(
            holiday_year=HolidayYear.objects.get(pk=holiday_year.pk), values=form.cleaned_data
        )
        messages.success(request, _("Year %(year)d was saved.") % {"year": year})
        return redirect("core-calendar-years")
    status = 400 if request.method == "POST" else 200
    context = {
        "form": form,
        "holiday_year": holiday_year,
        "history": history.for_viewer(
            request.user, policy.history(request.user, holiday_year)[:30]
        ),
    }
    return render(request, "core/calendar/year_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def calendar_settings(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, "change", CalendarSettings)
    settings = CalendarSettings.load()
    # Bound on every POST: an unticked box is the only field, so the form data may be empty.
    data = request.POST if request.method == "POST" else None
    form = CalendarSettingsForm(data, instance=settings)
    if request.method == "POST" and form.is_valid():
        services_calendar.calendar_settings_save(
            collective_leave_is_day_off=form.cleaned_data["collective_leave_is_day_off"]
        )
        messages.success(request, _("The calendar setting was saved."))
        return redirect("core-calendar")
    status = 400 if request.method == "POST" else 200
    context = {
        "form": form,
        "history": history.for_viewer(request.user, policy.history(request.user, settings)[:30]),
    }
    return render(request, "core/calendar/settings.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def calendar_import(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, "import", Holiday)

    def run(data: dict[str, Any]) -> HolidayImportReport:
        upload = data["file"]
        return import_holidays(
            data=upload.read(),
            filename=upload.name,
            year=data["year"],
            decree=data["decree"],
            confirmed=data["confirmed"],
            replace=data["replace"],
        )

    def done(report: HolidayImportReport) -> HttpResponse:
        year = form.cleaned_data["year"]
        messages.success(
            request,
            _("%(count)d holidays of %(year)d were imported.")
            % {"count": report.created, "year": year},
        )
        return redirect(f"{reverse('core-calendar')}?year={year}")

    form = HolidayImportForm(request.POST or None, request.FILES or None)
    return import_page(
        request,
        form=form,
        template="core/calendar/import.html",
        run=run,
        done=done,
        context={"columns": HOLIDAY_IMPORT_COLUMNS},
    )
