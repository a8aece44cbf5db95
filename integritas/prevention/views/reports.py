"""Gratification reports for staff: filing one (the employee, or the UPG for a paper report), my
reports, the UPG's register with its filters, and a report's page with the steps its state
allows. A confidential reporter is shown only to the UPG and to the reporter."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from integritas.core import policy
from integritas.core.calendar import CalendarDataMissing
from integritas.core.models import User
from integritas.core.services.calendar import calendar_for
from integritas.lib.forms import add_service_errors
from integritas.lib.tables import paginate
from integritas.prevention import workflow
from integritas.prevention.forms import (
    AttachmentForm,
    PaperReportForm,
    RegisterFilterForm,
    ReportForm,
    StepForm,
    uploads_of,
)
from integritas.prevention.models import GratificationReport, ReportAttachment
from integritas.prevention.services import attachments
from integritas.prevention.services import reports as services

# Lazy: the labels are read in the language of each request, not of the import.
STEP_LABELS = {
    "complete": gettext_lazy("Complete: forward it next"),
    "return": gettext_lazy("Return for completion"),
    "resubmit": gettext_lazy("Completed: send back to the UPG"),
    "lapse": gettext_lazy("Declare lapsed"),
    "forward": gettext_lazy("Forwarded to KPK"),
    "decide": gettext_lazy("Record KPK's decision"),
    "hand_over": gettext_lazy("Record the handover"),
    "close": gettext_lazy("Close"),
}


def _user(request: HttpRequest) -> User:
    """The signed-in user (every view here is behind ``login_required``)."""
    return cast(User, request.user)


def _require(request: HttpRequest, need: str) -> None:
    if not policy.allows_model(request.user, need, GratificationReport):
        raise PermissionDenied


def _with_deadlines(reports: Any, today: dt.date) -> list[dict[str, Any]]:
    calendar = calendar_for()
    rows = []
    for report in reports:
        try:
            due = services.deadline(report, calendar)
        except CalendarDataMissing:
            due = None
        rows.append({"report": report, "due": due, "overdue": due is not None and due < today})
    return rows


@login_required
def my_reports(request: HttpRequest) -> HttpResponse:
    reports = GratificationReport.objects.filter(reporter=_user(request)).select_related("rule_set")
    context = {
        "rows": _with_deadlines(reports, timezone.localdate()),
        "is_register_reader": policy.allows_model(
            request.user, "view_register", GratificationReport
        ),
    }
    return render(request, "prevention/report_mine.html", context)


def _filtered(
    qs: QuerySet[GratificationReport], f: dict[str, Any], *, upg: bool
) -> QuerySet[GratificationReport]:
    if f.get("status"):
        qs = qs.filter(status=f["status"])
    if f.get("unit"):
        qs = qs.filter(reporter_unit=f["unit"])
        if not upg:
            # A confidential reporter's unit is for the UPG only: filtering by unit would tell it.
            qs = qs.filter(confidential=False)
    if f.get("month"):
        month = f["month"]
        qs = qs.filter(reported_on__year=month.year, reported_on__month=month.month)
    return qs


@login_required
def report_list(request: HttpRequest) -> HttpResponse:
    _require(request, "view_register")
    form = RegisterFilterForm(request.GET)
    f = form.filters
    today = timezone.localdate()
    upg = services.is_upg(request.user)
    qs = _filtered(policy.scope(request.user, GratificationReport), f, upg=upg).select_related(
        "rule_set", "reporter_unit"
    )
    rows = _with_deadlines(qs, today)
    if f.get("overdue"):
        rows = [row for row in rows if row["overdue"]]
    for row in rows:
        row["show_reporter"] = services.shows_reporter(request.user, row["report"])
    page, query = paginate(request, rows)
    context = {
        "form": form,
        "page": page,
        "query": query,
        "filtered": any(f.values()),
        "can_enter": policy.allows_model(request.user, "process", GratificationReport),
        "overdue_count": sum(1 for row in rows if row["overdue"]),
    }
    return render(request, "prevention/report_list.html", context)


def _report_form(
    request: HttpRequest, form_class: type[ReportForm], *, paper: bool
) -> HttpResponse:
    today = timezone.localdate()
    form = form_class(request.POST or None, request.FILES or None, initial={"reported_on": today})
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        reporter = None
        if not paper:
            reporter = _user(request)
            values["reporter_name"] = reporter.name or reporter.username
            values["reporter_unit"] = reporter.unit
        files = uploads_of(values.pop("attachments", None) or [])
        try:
            report = attachments.submit_with_files(
                values=values, reporter=reporter, by=_user(request), uploads_=files, today=today
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Report filed. Its tracking number is %(number)s.")
                % {"number": report.tracking_number},
            )
            return redirect("prevention-report", report.pk)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "paper": paper}
    return render(request, "prevention/report_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def report_create(request: HttpRequest) -> HttpResponse:
    return _report_form(request, ReportForm, paper=False)


@login_required
@require_http_methods(["GET", "POST"])
def paper_report_create(request: HttpRequest) -> HttpResponse:
    _require(request, "process")
    return _report_form(request, PaperReportForm, paper=True)


def _detail(
    request: HttpRequest,
    report: GratificationReport,
    forms: dict[str, StepForm] | None = None,
    status: int = 200,
    attachment_form: AttachmentForm | None = None,
) -> HttpResponse:
    roles = services.roles_for(request.user, report)
    steps = workflow.REPORT.available(status=report.status, roles=roles)
    forms = forms or {}
    actions = [
        {
            "name": t.name,
            "label": STEP_LABELS[t.name],
            "form": forms.get(t.name) or StepForm(step=t.name, prefix=t.name),
        }
        for t in steps
    ]
    try:
        due = services.deadline(report)
    except CalendarDataMissing:
        due = None
    context = {
        "report": report,
        "actions": actions,
        "due": due,
        "overdue": due is not None and due < timezone.localdate(),
        "show_reporter": services.shows_reporter(request.user, report),
        "see_files": attachments.may_see(request.user, report),
        "files": report.attachments.all(),
        "attachment_form": (
            (attachment_form or AttachmentForm())
            if attachments.may_add(request.user, report)
            else None
        ),
        "history": policy.history(request.user, report),
        "is_register_reader": policy.allows_model(
            request.user, "view_register", GratificationReport
        ),
    }
    return render(request, "prevention/report_detail.html", context, status=status)


@login_required
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = policy.get_for_user(request.user, GratificationReport, pk=pk)
    return _detail(request, report)


@login_required
@require_POST
def report_act(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    report = policy.get_for_user(request.user, GratificationReport, pk=pk)
    if step not in workflow.REPORT:
        raise Http404
    if not workflow.REPORT[step].allows(services.roles_for(request.user, report)):
        raise PermissionDenied
    form = StepForm(request.POST, step=step, prefix=step)
    if form.is_valid():
        values = {k: v for k, v in form.cleaned_data.items() if k != "reason"}
        try:
            services.act(
                report=report,
                step=step,
                by=_user(request),
                values=values,
                reason=form.cleaned_data.get("reason", ""),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("prevention-report", report.pk)
    return _detail(request, report, {step: form}, status=400)


@login_required
@require_POST
def attachment_add(request: HttpRequest, pk: int) -> HttpResponse:
    report = policy.get_for_user(request.user, GratificationReport, pk=pk)
    if not attachments.may_add(request.user, report):
        raise PermissionDenied
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        files = uploads_of(form.cleaned_data["attachments"])
        if not files:
            form.add_error("attachments", _("Choose a file to upload."))
        else:
            try:
                attachments.add(report=report, uploads_=files, by=_user(request))
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect("prevention-report", report.pk)
    return _detail(request, report, status=400, attachment_form=form)


@login_required
def attachment_download(request: HttpRequest, pk: int, file_pk: int) -> FileResponse:
    """The only way to a stored file: through the report's policy and the confidential
    reporter's rule, as an attachment never shown inline."""
    report = policy.get_for_user(request.user, GratificationReport, pk=pk)
    if not attachments.may_see(request.user, report):
        raise Http404
    try:
        item = report.attachments.get(pk=file_pk)
    except ReportAttachment.DoesNotExist as missing:
        raise Http404 from missing
    try:
        handle = item.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    response = FileResponse(
        handle, as_attachment=True, filename=item.original_name, content_type=item.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
