"""The public whistleblowing and complaint pages under /lapor/: the report form, the receipt
(shown once), "check my report" with the receipt, and the reporter's reply.

No account, and nothing about the reporter kept: no IP address, user agent or time of day in the
database or the logs. So these views

- write no audit event (``services`` keeps reporter actions out of the trail);
- are public pages (``core.public``): no session, no log record of their requests or CSRF
  refusals, no referrer to other sites, ``Cache-Control: no-store`` on every response (a post
  too large for the server included), and a CSRF cookie that dies with the browser;
- keep uploaded files in memory, never in a temporary file on disk (``ReportUploads``);
- take the receipt only in a POST body, never in a URL. An opened report stays open between pages
  through a short-lived *pass* in a hidden form field (``intake.issue_pass``), not a cookie or a
  session, so closing the page closes the report; each use renews the pass up to an absolute
  lifetime, and "Close my report" ends it at once (``intake.close_pass``).

docs/whistleblowing.md explains the pages to reporters; docs/security.md the protocol.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from integritas.complaints import ratelimit
from integritas.complaints.forms.public import (
    CONTENT_LABELS,
    ReceiptForm,
    ReplyForm,
    ReportForm,
    unit_label,
    uploads,
)
from integritas.complaints.models import CONTENT_FIELDS, Category, Channel, Side
from integritas.complaints.services import intake
from integritas.complaints.services import public as services
from integritas.core import public
from integritas.core.public import public_page
from integritas.lib import crypto
from integritas.lib.forms import add_service_errors
from integritas.lib.uploads import MemoryUploads

# -- what every public response gets -------------------------------------------------------------

BASE = "complaints/public/base.html"


class ReportUploads(MemoryUploads):
    """A reporter's files, in memory only (``lib.uploads.MemoryUploads``), within the report's
    limits of number and size."""

    def max_bytes(self) -> int:
        return int(settings.COMPLAINTS_MAX_FILE_MB) << 20

    def max_files(self) -> int:
        return int(settings.COMPLAINTS_MAX_FILES)


def _notice(
    request: HttpRequest,
    *,
    status: int,
    title: str,
    message: str,
    detail: str = "",
    links: tuple[str, ...] = ("report", "check"),
) -> HttpResponse:
    return public.notice(
        request,
        status=status,
        title=title,
        message=message,
        detail=detail,
        base=BASE,
        template="complaints/public/notice.html",
        context={"links": links},
        retry_after=ratelimit.WINDOW if status == 429 else None,
    )


def _paused(request: HttpRequest) -> HttpResponse:
    return _notice(
        request,
        status=429,
        title=_("Opening reports is paused"),
        message=_(
            "Many wrong receipts have been tried in the last hour. To protect the reports, "
            "opening them with a receipt is paused until the hour is over."
        ),
        detail=_("Please try again in an hour. Nothing about you has been stored."),
    )


def _limited(request: HttpRequest) -> HttpResponse:
    return _notice(
        request,
        status=429,
        title=_("Please wait a while"),
        message=_("There have been many attempts from your network in the last hour."),
        detail=_("Please try again in an hour. Nothing about you has been stored."),
    )


def _file_problems(files: list[Any]) -> list[str]:
    """Too many or too large files, judged before reading them (the service judges the rest)."""
    max_files = settings.COMPLAINTS_MAX_FILES
    max_mb = settings.COMPLAINTS_MAX_FILE_MB
    problems = []
    if len(files) > max_files:
        problems.append(_("Attach at most %(n)d files.") % {"n": max_files})
    for f in files:
        if getattr(f, "truncated", False) or f.size > max_mb << 20:
            problems.append(
                _("%(name)s is larger than %(mb)d MB.")
                % {"name": (f.name or "")[:80], "mb": max_mb}
            )
    return problems


def _limits() -> dict[str, int]:
    return {
        "max_files": settings.COMPLAINTS_MAX_FILES,
        "max_file_mb": settings.COMPLAINTS_MAX_FILE_MB,
    }


# -- the report form and the receipt -------------------------------------------------------------


def _form_page(request: HttpRequest, form: ReportForm, status: int = 200) -> HttpResponse:
    context = {
        "form": form,
        "content_fields": form.content_fields(),
        "file_inputs": range(1, min(_limits()["max_files"], 3) + 1),
        **_limits(),
    }
    return public.render(request, "complaints/public/form.html", context, status=status)


@public_page("GET", "POST", base=BASE, session_csrf_cookie=True, upload_handler=ReportUploads)
def report(request: HttpRequest) -> HttpResponse:
    """The report form; a valid POST stores the report and shows its receipt, once."""
    if request.method == "GET":
        return _form_page(request, ReportForm())
    if ratelimit.submission_refused(request):
        return _limited(request)
    form = ReportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _form_page(request, form, status=400)
    problems = _file_problems(form.cleaned_data.get("attachments") or [])
    if problems:
        form.add_error("attachments", problems)
        return _form_page(request, form, status=400)
    once = form.cleaned_data.get("once") or ""
    if not intake.claim(once):
        return _notice(
            request,
            status=409,
            title=_("This report has already been sent"),
            message=_(
                "The same form was sent again, for example by reloading the page. The report "
                "was stored once, and its receipt was shown right after it was sent."
            ),
            detail=_(
                "If you did not write the receipt down, you cannot open that report again. "
                "You may send the report once more: it gets a new receipt."
            ),
        )
    try:
        stored, receipt = services.submit_report(**form.submission())
    except ValidationError as exc:
        intake.release(once)
        add_service_errors(form, exc)
        return _form_page(request, form, status=400)
    except services.NoEligibleCustodian:
        intake.release(once)
        form.add_error(
            "identity",
            _(
                "Reports with a name cannot be received at the moment, because nobody can "
                "keep your identity without a conflict of interest. You can report anonymously."
            ),
        )
        return _form_page(request, form, status=400)
    except services.NoEligibleHandler:
        intake.release(once)
        return _notice(
            request,
            status=503,
            title=_("Reports cannot be received at the moment"),
            message=_(
                "Nobody who may read this report is available to receive it, so it was not stored."
            ),
            detail=_(
                "Please try again in a few days, or report directly to KPK or through "
                "LAPOR! (lapor.go.id)."
            ),
            links=("report",),
        )
    groups = receipt.split()
    context = {"groups": groups, "channel": Channel(stored.channel).label}
    return public.render(request, "complaints/public/receipt.html", context)


@public_page("GET", base=BASE, session_csrf_cookie=True)
def done(request: HttpRequest) -> HttpResponse:
    """After the receipt: what happens next."""
    return public.render(request, "complaints/public/done.html", {})


# -- check my report -----------------------------------------------------------------------------


def _opened_page(
    request: HttpRequest,
    view: services.ReporterView,
    *,
    form: ReplyForm | None = None,
    status: int = 200,
    sent: bool = False,
) -> HttpResponse:
    report = view.report
    content = view.content()
    context = {
        "report": report,
        "status_text": view.status,
        "closed": report.is_finished,
        "channel": Channel(report.channel).label,
        "category": Category(report.category).label,
        "unit": unit_label(report.unit),
        "content": [
            (CONTENT_LABELS[name], content.get(name, ""))
            for name in CONTENT_FIELDS
            if content.get(name)
        ],
        "thread": [
            {"mine": m.side == Side.REPORTER, "sent_on": m.sent_on, "text": m.text}
            for m in view.messages()
        ],
        "files": view.attachments(),
        "form": form or ReplyForm(),
        "reporter_pass": intake.issue_pass(view),
        "pass_minutes": intake.PASS_SECONDS // 60,
        "pass_max_minutes": intake.max_seconds() // 60,
        "sent": sent,
        **_limits(),
        "file_inputs": range(1, min(_limits()["max_files"], 3) + 1),
    }
    return public.render(request, "complaints/public/opened.html", context, status=status)


def _locked(request: HttpRequest) -> HttpResponse:
    form = ReceiptForm()
    context = {"form": form, "locked": True}
    return public.render(request, "complaints/public/check.html", context, status=403)


@public_page("GET", "POST", base=BASE, session_csrf_cookie=True, upload_handler=ReportUploads)
def check(request: HttpRequest) -> HttpResponse:
    """Open a report with its receipt (POST only: a receipt never goes into a URL), or show it
    again with the pass of a page already open."""
    if request.method == "GET":
        return public.render(request, "complaints/public/check.html", {"form": ReceiptForm()})
    if "receipt" not in request.POST and request.POST.get("pass"):
        try:
            return _opened_page(request, intake.open_pass(request.POST["pass"]))
        except intake.PassExpired:
            return _locked(request)
    form = ReceiptForm(request.POST)
    if not form.is_valid():  # typos are caught here and not counted
        return public.render(request, "complaints/public/check.html", {"form": form}, status=400)
    try:
        limiter = ratelimit.ReceiptLimiter(request, on_cap=services.alert_receipt_lookups_paused)
        view = services.open_with_receipt(form.cleaned_data["receipt"], limiter=limiter)
    except services.TooManyAttempts:
        return _paused(request) if limiter.paused else _limited(request)
    except (services.ReceiptNotFound, crypto.MalformedReceipt):
        form.add_error(
            "receipt",
            _("No report has this receipt. Check the 16 digits and try again."),
        )
        return public.render(request, "complaints/public/check.html", {"form": form}, status=400)
    return _opened_page(request, view)


@public_page("POST", base=BASE, session_csrf_cookie=True)
def close(request: HttpRequest) -> HttpResponse:
    """ "Close my report on this page": the pass of the page, and every pass renewed from the
    same opening, stop working at once; the receipt form is shown again."""
    intake.close_pass(request.POST.get("pass", ""))
    context = {"form": ReceiptForm(), "closed": True}
    return public.render(request, "complaints/public/check.html", context)


@public_page("POST", base=BASE, session_csrf_cookie=True, upload_handler=ReportUploads)
def reply(request: HttpRequest) -> HttpResponse:
    """The reporter answers with a message and/or files, on a page opened with the receipt."""
    try:
        view = intake.open_pass(request.POST.get("pass", ""))
    except intake.PassExpired:
        return _locked(request)
    if ratelimit.submission_refused(request):
        return _limited(request)
    form = ReplyForm(request.POST, request.FILES)
    if not form.is_valid():
        return _opened_page(request, view, form=form, status=400)
    problems = _file_problems(form.cleaned_data.get("attachments") or [])
    if problems:
        form.add_error("attachments", problems)
        return _opened_page(request, view, form=form, status=400)
    once = form.cleaned_data.get("once") or ""
    if not intake.claim(once):
        return _opened_page(request, view)  # sent already (the page was reloaded): show it
    try:
        services.reporter_reply(
            view=view,
            text=form.cleaned_data.get("text") or "",
            attachments=uploads(form.cleaned_data.get("attachments") or []),
        )
    except ValidationError as exc:
        intake.release(once)
        add_service_errors(form, exc)
        return _opened_page(request, view, form=form, status=400)
    except services.ReportClosed:
        intake.release(once)
        form.add_error(None, _("This report is closed and takes no more messages."))
        return _opened_page(request, view, form=form, status=400)
    return _opened_page(request, view, sent=True)
