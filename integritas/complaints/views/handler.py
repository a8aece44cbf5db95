"""The handlers' side of whistleblowing: their key, the reports routed to them, handling steps,
messages to the reporter, internal notes, assignment, files, the reporter's identity for
custodians, and statistics for the Inspectorate.

Every report is fetched through the policy, whose scope is "holds a copy of the report's key and
is not in the line of the unit or official concerned": anyone else gets 404. Reading content needs
the handler's private key, unlocked in this session (``keys.unlocked``); without it the pages show
only what is stored in the clear and ask for the password.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from typing import Any, cast
from urllib.parse import urlencode
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_POST

from integritas.complaints import access, workflow
from integritas.complaints.forms.handler import (
    OPEN_STATUSES,
    AssignForm,
    IdentityForm,
    PasswordForm,
    RecoveryForm,
    ReportFilterForm,
    RouteForm,
    StatisticsFilterForm,
    StatusForm,
    TextForm,
)
from integritas.complaints.models import (
    OPEN,
    Attachment,
    HandlerKey,
    Report,
    ReportKey,
    ReportQuerySet,
    Status,
)
from integritas.complaints.services import errors, handler, keys, sla, stats
from integritas.core import policy
from integritas.core.extensions import QueueCount
from integritas.core.models import Role, User
from integritas.core.services import accounts
from integritas.core.services.calendar import calendar_for
from integritas.lib import files
from integritas.lib.forms import add_service_errors
from integritas.lib.tables import Column, export_format, export_response, paginate

STEP_LABELS = {
    "screen": gettext_lazy("Start screening"),
    "reject": gettext_lazy("Reject"),
    "accept": gettext_lazy("Accept"),
    "investigate": gettext_lazy("Start investigation"),
    "forward": gettext_lazy("Forward to another authority"),
    "close": gettext_lazy("Close with the outcome"),
}


def _step_label(name: str) -> str:
    return str(STEP_LABELS[name])


def _me(request: HttpRequest) -> User:
    """The signed-in user (every view here is behind ``login_required``)."""
    return cast(User, request.user)


def _require_desk(request: HttpRequest) -> None:
    if not access.at_desk(request.user):
        raise PermissionDenied


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    return response


def _to_key_page(request: HttpRequest) -> HttpResponse:
    messages.info(request, _("Unlock your key to read reports."))
    return redirect(f"{reverse('complaints-key')}?next={request.path}")


# -- the handler's key ---------------------------------------------------------------------------


def _key_context(request: HttpRequest, **extra: Any) -> dict[str, Any]:
    nxt = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}):
        nxt = ""
    return {
        "enrolled": HandlerKey.objects.filter(user=_me(request)).exists(),
        "two_factor_passed": _two_factor_passed(request),
        "is_unlocked": keys.unlocked(request) is not None,
        "idle_minutes": keys.idle_seconds() // 60,
        "next": nxt,
        "password_form": PasswordForm(),
        "recovery_form": RecoveryForm(),
        **extra,
    }


def _two_factor_passed(request: HttpRequest) -> bool:
    """Enrolling a key needs a session that passed two-factor sign-in (an authenticator set up
    and its code given), whatever the person's roles and the ``REQUIRE_2FA`` setting: whoever
    can open reports signs in with two factors from then on."""
    return bool(request.user.is_verified())  # type: ignore[union-attr]


@require_GET
@login_required
def key_page(request: HttpRequest) -> HttpResponse:
    _require_desk(request)
    return _no_store(render(request, "complaints/handler/key.html", _key_context(request)))


def _check_password(request: HttpRequest, form: PasswordForm | RecoveryForm) -> bool:
    if form.is_valid() and not request.user.check_password(form.cleaned_data["password"]):
        form.add_error("password", _("This is not your sign-in password."))
    return form.is_valid()


def _show_recovery_key(request: HttpRequest, recovery: str, private_key: bytes) -> HttpResponse:
    response = render(request, "complaints/handler/recovery_key.html", {"recovery_key": recovery})
    keys.keep_unlocked(request, response, private_key)
    return _no_store(response)


@require_POST
@login_required
def key_enrol(request: HttpRequest) -> HttpResponse:
    _require_desk(request)
    if not _two_factor_passed(request):
        # The key page says why and links to the set-up page.
        messages.error(request, _("Set up two-factor sign-in before you create your key."))
        return redirect("complaints-key")
    form = PasswordForm(request.POST)
    if not _check_password(request, form):
        context = _key_context(request, password_form=form)
        return render(request, "complaints/handler/key.html", context, status=400)
    password = form.cleaned_data["password"]
    try:
        recovery = keys.enrol(user=request.user, password=password)
    except keys.AlreadyEnrolled:
        messages.error(request, _("You already have a key. Unlock it with your password."))
        return redirect("complaints-key")
    return _show_recovery_key(request, recovery, keys.unlock(user=request.user, password=password))


@require_POST
@login_required
def key_unlock(request: HttpRequest) -> HttpResponse:
    _require_desk(request)
    form = PasswordForm(request.POST)
    status = 400
    if form.is_valid():
        # Wrong passwords are limited and lock the key page as they lock sign-in.
        name = request.user.get_username()
        minutes = accounts.start_attempt(name, purpose=keys.UNLOCK_ATTEMPTS)
        if minutes:
            form.add_error(
                None,
                _(
                    "Too many failed attempts. Try again in %(minutes)d minutes, or reset your password."
                )
                % {"minutes": minutes},
            )
            status = 429
        else:
            try:
                private_key = keys.unlock(user=request.user, password=form.cleaned_data["password"])
            except keys.NotEnrolled:
                accounts.attempts_cleared(name, purpose=keys.UNLOCK_ATTEMPTS)
                form.add_error(None, _("You have no key yet: enrol first."))
            except keys.WrongSecret:
                keys.unlock_failed(user=request.user)
                form.add_error(
                    "password",
                    _(
                        "This password does not open your key. If your password was changed or "
                        "reset, use your recovery key below."
                    ),
                )
            else:
                accounts.attempts_cleared(name, purpose=keys.UNLOCK_ATTEMPTS)
                context = _key_context(request)
                response = redirect(context["next"] or "complaints-report-list")
                keys.keep_unlocked(request, response, private_key)
                return response
    context = _key_context(request, password_form=form)
    return _no_store(render(request, "complaints/handler/key.html", context, status=status))


@require_POST
@login_required
def key_recover(request: HttpRequest) -> HttpResponse:
    _require_desk(request)
    form = RecoveryForm(request.POST)
    if _check_password(request, form):
        password = form.cleaned_data["password"]
        try:
            fresh = keys.recover(
                user=request.user,
                recovery_key=form.cleaned_data["recovery_key"],
                new_password=password,
            )
        except keys.NotEnrolled:
            form.add_error(None, _("You have no key yet: enrol first."))
        except keys.WrongSecret:
            form.add_error("recovery_key", _("This recovery key does not open your key."))
        else:
            return _show_recovery_key(
                request, fresh, keys.unlock(user=request.user, password=password)
            )
    context = _key_context(request, recovery_form=form)
    return render(request, "complaints/handler/key.html", context, status=400)


@require_POST
@login_required
def key_lock(request: HttpRequest) -> HttpResponse:
    _require_desk(request)
    messages.success(request, _("Your key is locked."))
    response = redirect("complaints-key")
    keys.lock(request, response)
    return response


# -- reports -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportLine:
    """A row of the report list's download: the report and its running SLA clock, if any."""

    report: Report
    clock: sla.Clock | None
    today: dt.date

    @property
    def overdue(self) -> bool:
        return bool(self.clock and self.clock.is_overdue(self.today))


REPORT_COLUMNS: list[Column[ReportLine]] = [
    Column(gettext_lazy("Report"), lambda line: str(line.report.public_id)[:8]),
    Column(gettext_lazy("Channel"), lambda line: line.report.get_channel_display()),
    Column(gettext_lazy("Category"), lambda line: line.report.get_category_display()),
    Column(
        gettext_lazy("Unit concerned"),
        lambda line: line.report.unit.name if line.report.unit else "",
    ),
    Column(gettext_lazy("Status"), lambda line: line.report.get_status_display()),
    Column(gettext_lazy("Received on"), lambda line: line.report.received_on),
    Column(gettext_lazy("Next deadline"), lambda line: line.clock.due if line.clock else None),
    Column(gettext_lazy("Overdue"), lambda line: _("yes") if line.overdue else ""),
]


def listed_reports(user: Any, filters: dict[str, Any], today: dt.date) -> Any:
    """The reports of the handlers' list for ``user`` matching ``filters`` (those of
    ``ReportFilterForm``): always within the policy's scope, so a person routing keeps away from
    a report never counts it. The home page's counts come from here too."""
    reports = (
        policy.scope(user, Report)
        .select_related("unit")
        .prefetch_related("assignees")
        .order_by("-received_on", "-pk")
    )
    if filters["status"] == OPEN_STATUSES:
        reports = reports.filter(status__in=OPEN)
    elif filters["status"]:
        reports = reports.filter(status=filters["status"])
    if filters["mine"]:
        reports = reports.filter(assignees=user)
    if filters.get("route"):
        reports = reports.filter(
            pk__in=ReportKey.objects.filter(holder=user, purpose=ReportKey.Purpose.ROUTING).values(
                "report"
            )
        )
    if filters["due"]:
        return sla.with_deadline(reports, filters["due"], today)
    return reports


def _queue_line(
    user: Any, today: dt.date, label: str, empty: str, *, urgent: bool = False, **filters: Any
) -> QueueCount:
    """A line of the desk's queue counted by the very query the linked list runs."""
    listed = listed_reports(
        user, {"status": "", "due": "", "mine": False, "route": False, **filters}, today
    )
    query = urlencode({k: ("on" if v is True else v) for k, v in filters.items()})
    return QueueCount(
        label=label,
        n=len(listed) if isinstance(listed, list) else listed.count(),
        url=f"{reverse('complaints-report-list')}?{query}",
        empty=empty,
        urgent=urgent,
    )


def home_panel(request: HttpRequest) -> dict[str, Any] | None:
    """Home page panel. For the complaints desk, a work queue of the reports in its scope (new,
    due soon, overdue, assigned to me, and for an identity custodian holding any, the reports
    waiting to be routed), each count linked to the list that shows exactly those reports. For leadership, government-wide counts only, without any report routing keeps away
    from them (``access.leadership_reports``).

    Registered by ``apps.py`` from here rather than ``access.py``: the counts need the service
    clocks, which themselves need ``access``."""
    user = request.user
    today = timezone.localdate()
    panel: dict[str, Any] = {"template": "complaints/handler/home_panel.html"}
    if access.at_desk(user):
        panel["desk"] = [
            _queue_line(
                user, today, _("new reports to screen"), _("No new report."), status=Status.RECEIVED
            ),
            _queue_line(
                user,
                today,
                _("reports overdue"),
                _("No report is overdue."),
                urgent=True,
                due=sla.OVERDUE,
            ),
            _queue_line(
                user,
                today,
                ngettext(
                    "reports due within %(n)d working day",
                    "reports due within %(n)d working days",
                    sla.DUE_SOON_WORKING_DAYS,
                )
                % {"n": sla.DUE_SOON_WORKING_DAYS},
                _("Nothing due soon."),
                due=sla.DUE_SOON,
            ),
            _queue_line(
                user,
                today,
                _("open reports assigned to me"),
                _("No open report is assigned to you."),
                status=OPEN_STATUSES,
                mine=True,
            ),
        ]
        if ReportKey.objects.filter(
            holder=cast(User, user), purpose=ReportKey.Purpose.ROUTING
        ).exists():
            panel["desk"].insert(
                0,
                _queue_line(
                    user,
                    today,
                    _("reports waiting for you to route"),
                    _("No report waits to be routed."),
                    urgent=True,
                    route=True,
                ),
            )
    if policy.grants(user).has(Role.LEADERSHIP):
        counted = cast(ReportQuerySet, access.leadership_reports(user))
        year = dt.date(today.year, 1, 1)
        panel["leadership"] = {
            "year": today.year,
            "received": counted.filter(received_on__gte=year).count(),
            "open": counted.open().count(),
            "overdue": len(sla.with_deadline(counted.open(), sla.OVERDUE, today)),
            "finished": counted.finished().filter(received_on__gte=year).count(),
        }
    return panel if len(panel) > 1 else None


@require_GET
@login_required
def report_list(request: HttpRequest) -> HttpResponseBase:
    _require_desk(request)
    routing = ReportKey.objects.filter(
        holder=_me(request), purpose=ReportKey.Purpose.ROUTING
    ).exists()
    form = ReportFilterForm(request.GET, routing=routing)
    today = timezone.localdate()
    reports = listed_reports(_me(request), form.filters, today)
    calendar = calendar_for()
    days = sla.limits()

    def clock_of(report: Report) -> sla.Clock | None:
        return sla.running_clock(report, calendar, days)

    fmt = export_format(request)
    if fmt:
        return export_response(
            fmt=fmt,
            stem="pengaduan",
            columns=REPORT_COLUMNS,
            objects=(ReportLine(r, clock_of(r), today) for r in reports),
        )
    page, query = paginate(request, reports)
    rows = []
    for r in page.object_list:
        c = clock_of(r)
        rows.append(
            {
                "report": r,
                "clock": c,
                "overdue": bool(c and c.is_overdue(today)),
                "days_left": c.days_left(calendar, today) if c else None,
            }
        )
    context = {
        "form": form,
        "page": page,
        "query": query,
        "rows": rows,
        "filtered": any(form.filters.values()),
        "is_unlocked": keys.unlocked(request) is not None,
        "enrolled": HandlerKey.objects.filter(user=_me(request)).exists(),
    }
    return _no_store(render(request, "complaints/handler/report_list.html", context))


def _holds(user: Any, report: Report, purpose: str) -> bool:
    return ReportKey.objects.filter(report=report, holder=user, purpose=purpose).exists()


def _detail_context(
    request: HttpRequest, report: Report, private_key: bytes | None, **extra: Any
) -> dict[str, Any]:
    today = timezone.localdate()
    calendar = calendar_for()
    view = None
    if private_key is not None and _holds(request.user, report, ReportKey.Purpose.REPORT):
        try:
            view = handler.handler_decrypt(
                report=report, handler=request.user, private_key=private_key
            )
        except errors.NoAccess:
            view = None
    clocks = [
        {
            "clock": c,
            "overdue": c.is_overdue(today),
            "days_left": c.days_left(calendar, today),
        }
        for c in sla.clocks(report, calendar, sla.limits())
    ]
    steps = [{"t": t, "label": _step_label(t.name)} for t in workflow.available(report.status)]
    readers = access.readers(report)
    can_route = _holds(request.user, report, ReportKey.Purpose.ROUTING)
    return {
        "report": report,
        "view": view,
        "is_unlocked": private_key is not None,
        "clocks": clocks,
        "steps": steps,
        "status_form": extra.pop("status_form", StatusForm()),
        "message_form": extra.pop("message_form", TextForm(prefix="message")),
        "note_form": extra.pop("note_form", TextForm(prefix="note")),
        "identity_form": extra.pop("identity_form", IdentityForm()),
        "assignees": list(report.assignees.all()),
        "assign_form": AssignForm(people=readers),
        "can_read": view is not None,
        "can_route": can_route,
        "route_form": extra.pop("route_form", None)
        or (RouteForm(people=handler.routing_candidates(report)) if can_route else None),
        "can_open_identity": report.identity is not None
        and _holds(request.user, report, ReportKey.Purpose.IDENTITY),
        "reporter_status": report.reporter_status(),
        **extra,
    }


def _get_report(request: HttpRequest, public_id: UUID) -> Report:
    # No desk check first: out of scope (which includes everyone away from the desk) is 404.
    return policy.get_for_user(request.user, Report, public_id=public_id)


def _detail(
    request: HttpRequest, report: Report, private_key: bytes | None, status: int = 200, **extra: Any
) -> HttpResponse:
    context = _detail_context(request, report, private_key, **extra)
    response = render(request, "complaints/handler/report_detail.html", context, status=status)
    return _no_store(response)


@require_GET
@login_required
def report_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    report = _get_report(request, public_id)
    return _detail(request, report, keys.unlocked(request))


@require_POST
@login_required
def report_transition(request: HttpRequest, public_id: UUID, name: str) -> HttpResponse:
    report = _get_report(request, public_id)
    private_key = keys.unlocked(request)
    if private_key is None:
        return _to_key_page(request)
    form = StatusForm(request.POST)
    if form.is_valid():
        try:
            handler.change_status(
                report=report,
                name=name,
                by=request.user,
                private_key=private_key,
                **form.cleaned_data,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        except errors.NoAccess as exc:
            raise PermissionDenied from exc
        else:
            messages.success(request, _("The report's status was changed."))
            return redirect("complaints-report", report.public_id)
    return _detail(request, report, private_key, status=400, status_form=form, step=name)


def _text_action(request: HttpRequest, public_id: UUID, which: str) -> HttpResponse:
    report = _get_report(request, public_id)
    private_key = keys.unlocked(request)
    if private_key is None:
        return _to_key_page(request)
    form = TextForm(request.POST, prefix=which)
    if form.is_valid():
        try:
            if which == "message":
                handler.handler_message(
                    report=report,
                    handler=request.user,
                    private_key=private_key,
                    text=form.cleaned_data["text"],
                )
                messages.success(request, _("Your message was sent to the reporter."))
            else:
                handler.add_note(
                    report=report,
                    by=request.user,
                    private_key=private_key,
                    text=form.cleaned_data["text"],
                )
                messages.success(request, _("Your note was added."))
        except ValidationError as exc:
            add_service_errors(form, exc)
        except errors.NoAccess as exc:
            raise PermissionDenied from exc
        else:
            return redirect("complaints-report", report.public_id)
    return _detail(request, report, private_key, status=400, **{f"{which}_form": form})


@require_POST
@login_required
def report_message(request: HttpRequest, public_id: UUID) -> HttpResponse:
    return _text_action(request, public_id, "message")


@require_POST
@login_required
def report_note(request: HttpRequest, public_id: UUID) -> HttpResponse:
    return _text_action(request, public_id, "note")


@require_POST
@login_required
def report_assign(request: HttpRequest, public_id: UUID) -> HttpResponse:
    report = _get_report(request, public_id)
    readers = access.readers(report)
    if request.user not in readers:
        raise PermissionDenied
    form = AssignForm(request.POST, people=readers)
    if not form.is_valid():
        return _detail(request, report, keys.unlocked(request), status=400)
    person = User.objects.get(pk=form.cleaned_data["handler"])
    try:
        handler.assign(
            report=report, to=person, by=request.user, assigned=form.cleaned_data["assigned"]
        )
    except (errors.ConflictOfInterest, errors.NoAccess) as exc:
        raise PermissionDenied from exc
    messages.success(request, _("Who handles the report was updated."))
    return redirect("complaints-report", report.public_id)


@require_POST
@login_required
def report_route(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """An identity custodian gives a report nobody could handle to someone who now may."""
    report = _get_report(request, public_id)
    if not _holds(request.user, report, ReportKey.Purpose.ROUTING):
        raise PermissionDenied
    private_key = keys.unlocked(request)
    if private_key is None:
        return _to_key_page(request)
    people = handler.routing_candidates(report)
    form = RouteForm(request.POST, people=people)
    if not form.is_valid():
        return _detail(request, report, private_key, status=400, route_form=form)
    person = User.objects.get(pk=form.cleaned_data["handler"])
    try:
        handler.route_waiting(report=report, to=person, by=request.user, private_key=private_key)
    except (errors.ConflictOfInterest, errors.NoAccess) as exc:
        raise PermissionDenied from exc
    messages.success(request, _("The report was given to %(name)s.") % {"name": person})
    return redirect("complaints-report-list")


@require_POST
@login_required
def report_identity(request: HttpRequest, public_id: UUID) -> HttpResponse:
    report = _get_report(request, public_id)
    if report.identity is None or not _holds(request.user, report, ReportKey.Purpose.IDENTITY):
        raise PermissionDenied
    private_key = keys.unlocked(request)
    if private_key is None:
        return _to_key_page(request)
    form = IdentityForm(request.POST)
    if form.is_valid():
        try:
            identity = handler.custodian_identity(
                report=report,
                custodian=request.user,
                private_key=private_key,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        except errors.NoAccess as exc:
            raise PermissionDenied from exc
        else:
            # Shown in this answer only: not in the session, not after a reload.
            return _detail(request, report, private_key, revealed_identity=identity)
    return _detail(request, report, private_key, status=400, identity_form=form)


def _file_response(content: bytes, attachment: Attachment, which: str) -> HttpResponse:
    sniffed = files.sniff(io.BytesIO(content))
    content_type = sniffed.content_type if sniffed else "application/octet-stream"
    extension = sniffed.extension if sniffed else "bin"
    response = HttpResponse(content, content_type=content_type)
    # A neutral name: the reporter's file name may identify them and is shown only on the page.
    name = f"lampiran-{str(attachment.public_id)[:8]}-{which}.{extension}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return _no_store(response)


@require_GET
@login_required
def attachment_download(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """The copy without metadata (or the original for types that cannot be cleaned yet)."""
    attachment = policy.get_for_user(request.user, Attachment, public_id=public_id)
    private_key = keys.unlocked(request)
    if private_key is None:
        return _to_key_page(request)
    try:
        content = handler.handler_attachment(
            attachment=attachment, handler=request.user, private_key=private_key
        )
    except errors.NoAccess as exc:
        raise PermissionDenied from exc
    return _file_response(content, attachment, "clean" if attachment.clean_file else "original")


@require_POST
@login_required
def attachment_original(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """The original file as the reporter sent it, metadata included: asked for explicitly, and
    recorded in the audit trail."""
    attachment = policy.get_for_user(request.user, Attachment, public_id=public_id)
    private_key = keys.unlocked(request)
    if private_key is None:
        return _to_key_page(request)
    if request.POST.get("confirm") != "yes":
        messages.error(request, _("Tick the box to confirm that you need the original file."))
        return redirect("complaints-report", attachment.report.public_id)
    try:
        content = handler.handler_attachment(
            attachment=attachment, handler=request.user, private_key=private_key, original=True
        )
    except errors.NoAccess as exc:
        raise PermissionDenied from exc
    return _file_response(content, attachment, "original")


# -- statistics ----------------------------------------------------------------------------------


@require_GET
@login_required
def statistics(request: HttpRequest) -> HttpResponseBase:
    if not policy.allows_model(request.user, "statistics", Report):
        raise PermissionDenied
    year = StatisticsFilterForm(request.GET).filters["year"]
    start = end = None
    if year:
        start, end = dt.date(int(year), 1, 1), dt.date(int(year), 12, 31)
    # Never a report routing kept away from the reader: not in a count, not a unit's name.
    reports = access.statistics_reports(request.user)
    figures = stats.for_period(reports, start, end)
    fmt = export_format(request)
    if fmt:
        return export_response(
            fmt=fmt,
            stem=f"statistik-pengaduan{'-' + year if year else ''}",
            headers=[_("Breakdown"), _("Group"), _("Number of reports")],
            rows=figures.rows(),
        )
    years = sorted({d.year for d in reports.values_list("received_on", flat=True)}, reverse=True)
    context = {"figures": figures, "year": year, "years": years, "query": request.GET.urlencode()}
    return render(request, "complaints/handler/statistics.html", context)
