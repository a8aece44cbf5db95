"""The public respondent pages under /s/: a landing page for a public link or an invitation,
start, one page per section, resume with a code, thank you.

No login and nothing about the respondent kept: the draft in progress is found through a signed
cookie holding the respondent's own secret (resume code or invitation token); responses are written
by ``respond.submit``. These views write no audit event; as public pages (``core.public``) they
use no session and no log records their requests (an invitation's path holds its token). See
docs/survey-anonymity.md.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from integritas.core import public
from integritas.core.public import public_page
from integritas.lib.formatting import format_date
from integritas.surveys import ratelimit
from integritas.surveys.forms.respond import ResumeForm, SectionForm, StartForm
from integritas.surveys.models import Draft, Wave
from integritas.surveys.schema import ResponseInvalid, Schema
from integritas.surveys.services import respond

DRAFT_COOKIE = "integritas_survey"
DRAFT_SALT = "integritas.surveys.draft"
COOKIE_PATH = "/s/"


@dataclass(frozen=True)
class Current:
    """The draft this device is working on, and the secret (from its cookie) that found it."""

    draft: Draft
    kind: str
    secret: str

    @property
    def token(self) -> str:
        return self.secret if self.kind == respond.INVITATION else ""

    @property
    def resume_code(self) -> str:
        return self.secret if self.kind == respond.RESUME else ""


# -- helpers ------------------------------------------------------------------------------------

BASE = "surveys/respond/base.html"


def _notice(
    request: HttpRequest,
    *,
    status: int,
    title: str,
    message: str,
    detail: str = "",
    wave: Wave | None = None,
    resume_link: bool = False,
    website_link: bool = False,
) -> HttpResponse:
    return public.notice(
        request,
        status=status,
        title=title,
        message=message,
        detail=detail,
        base=BASE,
        template="surveys/respond/notice.html",
        context={"wave": wave, "resume_link": resume_link, "website_link": website_link},
        retry_after=ratelimit.WINDOW if status == 429 else None,
    )


def _lang() -> str:
    return (translation.get_language() or settings.LANGUAGE_CODE)[:2]


def _not_found(request: HttpRequest) -> HttpResponse:
    return _notice(
        request,
        status=404,
        title=_("Survey not found"),
        message=_("This survey link is not valid."),
        detail=_(
            "Check that the address was typed or scanned completely. If it came from a poster "
            "or a letter, ask the office that gave it to you."
        ),
    )


def _invitation_unknown(request: HttpRequest) -> HttpResponse:
    return _notice(
        request,
        status=404,
        title=_("Invitation not found"),
        message=_("This invitation link is not valid."),
        detail=_(
            "Check that the whole link from your invitation was copied. If it still does not "
            "work, ask the Inspectorate for a new invitation."
        ),
    )


def _invitation_used(request: HttpRequest, wave: Wave | None = None) -> HttpResponse:
    return _notice(
        request,
        status=410,
        title=_("This invitation has been used"),
        message=_("Answers were already sent with this invitation; each invitation works once."),
        detail=_("Thank you for taking part."),
        wave=wave,
    )


def _not_open(request: HttpRequest, wave: Wave) -> HttpResponse:
    today = timezone.localdate()
    if wave.status == Wave.Status.CLOSED or (
        wave.status == Wave.Status.OPEN and today > wave.closes_on
    ):
        return _notice(
            request,
            status=410,
            title=_("This survey has closed"),
            message=_("It stopped accepting answers on %(date)s.")
            % {"date": format_date(wave.closes_on, _lang())},
            detail=_("Thank you for your interest."),
            wave=wave,
        )
    detail = ""
    if wave.status == Wave.Status.OPEN and today < wave.opens_on:
        detail = _("It opens on %(date)s.") % {"date": format_date(wave.opens_on, _lang())}
    return _notice(
        request,
        status=403,
        title=_("This survey is not open yet"),
        message=_("It does not accept answers at the moment."),
        detail=detail,
        wave=wave,
    )


def _nothing_to_answer(request: HttpRequest, wave: Wave) -> HttpResponse:
    return _notice(
        request,
        status=404,
        title=_("Nothing to answer here"),
        message=_("This survey has no questions for the people this link is meant for."),
        wave=wave,
    )


def _already_answered(request: HttpRequest, wave: Wave, *, status: int) -> HttpResponse:
    return _notice(
        request,
        status=status,
        title=_("You have already answered"),
        message=_("Answers to this survey were already sent from this device. Thank you!"),
        detail=_("Each person answers once. Your answers have been counted."),
        wave=wave,
        website_link=True,
    )


def _no_draft(request: HttpRequest) -> HttpResponse:
    return _notice(
        request,
        status=404,
        title=_("No survey in progress"),
        message=_("There are no answers in progress on this device."),
        detail=_("If you wrote down a resume code, enter it to continue where you left off."),
        resume_link=True,
    )


def _limited(request: HttpRequest) -> HttpResponse:
    return _notice(
        request,
        status=429,
        title=_("Please wait a while"),
        message=_("There have been many attempts from your network in the last hour."),
        detail=_("Please try again in an hour. Your answers so far are not lost."),
    )


def _cookie(request: HttpRequest) -> tuple[str, str]:
    raw = request.get_signed_cookie(DRAFT_COOKIE, default="", salt=DRAFT_SALT) or ""
    kind, _sep, secret = raw.partition(":")
    return kind, secret


def _current(request: HttpRequest) -> Current | None:
    kind, secret = _cookie(request)
    draft = respond.find_draft(kind, secret)
    return Current(draft, kind, secret) if draft is not None else None


def _nothing_in_progress(request: HttpRequest) -> HttpResponse:
    """No draft behind this device's cookie: for an invitation answered meanwhile (on another
    device, say), say that; otherwise offer the resume form."""
    kind, secret = _cookie(request)
    if kind == respond.INVITATION:
        entry = respond.entry_for_token(secret)
        if entry is not None and entry.invitation is not None and entry.invitation.used:
            return _invitation_used(request, entry.wave)
    return _no_draft(request)


def _set_draft_cookie(response: HttpResponse, kind: str, secret: str) -> None:
    response.set_signed_cookie(
        DRAFT_COOKIE,
        f"{kind}:{secret}",
        salt=DRAFT_SALT,
        max_age=respond.DRAFT_DAYS * 24 * 3600,
        path=COOKIE_PATH,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )


def _page_url(draft: Draft, number: int) -> str:
    return reverse("surveys-respond-page", args=[draft.wave.public_id, number])


def _same_entry(draft: Draft, entry: respond.Entry) -> bool:
    return (
        draft.wave_id == entry.wave.pk
        and draft.unit_id == entry.unit.pk
        and draft.service_id == (entry.service.pk if entry.service else None)
    )


# -- landing and start --------------------------------------------------------------------------


def _landing(
    request: HttpRequest,
    entry: respond.Entry,
    *,
    code: str = "",
    token: str = "",
    form: StartForm | None = None,
    status: int = 200,
) -> HttpResponse:
    wave = entry.wave
    schema = respond.schema_for(wave)
    fewest, most = respond.page_count_range(schema, entry.respondent_types)
    current = _current(request) if code else None
    continue_url = ""
    if current is not None and current.kind == respond.RESUME and _same_entry(current.draft, entry):
        continue_url = _page_url(current.draft, current.draft.section_index + 1)
    context = {
        "wave": wave,
        "entry": entry,
        "purpose": wave.version.instrument.text("description"),
        "fewest_pages": fewest,
        "most_pages": most,
        "form": form or StartForm(types=entry.respondent_types),
        "code": code,
        "token": token,
        "continue_url": continue_url,
        "min_group_size": wave.min_group_size,
    }
    return public.render(request, "surveys/respond/landing.html", context, status=status)


@public_page("GET", base=BASE)
def public_entry(request: HttpRequest, code: str) -> HttpResponse:
    """A public link or QR poster for a unit or a service counter."""
    entry = respond.entry_for_code(code)
    if entry is None:
        return _not_found(request)
    if not entry.wave.accepts_responses():
        return _not_open(request, entry.wave)
    if not entry.respondent_types:
        return _nothing_to_answer(request, entry.wave)
    if ratelimit.answered(request, code):
        return _already_answered(request, entry.wave, status=200)
    return _landing(request, entry, code=code)


@public_page("GET", base=BASE)
def invitation_entry(request: HttpRequest, token: str) -> HttpResponse:
    """A personal, single-use invitation link. A draft already started continues at once."""
    entry = respond.entry_for_token(token)
    if entry is None or entry.invitation is None:
        return _invitation_unknown(request)
    if entry.invitation.used:
        return _invitation_used(request, entry.wave)
    if not entry.wave.accepts_responses():
        return _not_open(request, entry.wave)
    if not entry.respondent_types:
        return _nothing_to_answer(request, entry.wave)
    draft = respond.find_draft(respond.INVITATION, token)
    if draft is not None:
        response = redirect(_page_url(draft, draft.section_index + 1))
        _set_draft_cookie(response, respond.INVITATION, token)
        return response
    return _landing(request, entry, token=token)


@public_page("POST", base=BASE)
def start(request: HttpRequest) -> HttpResponse:
    """Begin answering: create the draft and remember its secret in a cookie on this device.
    The entry comes in the form (a public code or the invitation token), so that no path
    holding a token is ever posted to."""
    token = request.POST.get("token", "").strip()
    code = request.POST.get("code", "").strip()
    if token:
        entry = respond.entry_for_token(token)
        if entry is None:
            return _invitation_unknown(request)
    else:
        entry = respond.entry_for_code(code) if code else None
        if entry is None:
            return _not_found(request)
    if not entry.wave.accepts_responses():
        return _not_open(request, entry.wave)
    if entry.invitation is not None and entry.invitation.used:
        return _invitation_used(request, entry.wave)
    if not entry.respondent_types:
        return _nothing_to_answer(request, entry.wave)
    if entry.public_code and ratelimit.answered(request, entry.public_code):
        return _already_answered(request, entry.wave, status=409)
    form = StartForm(request.POST, types=entry.respondent_types)
    if not form.is_valid():
        return _landing(request, entry, code=code, token=token, form=form, status=400)
    replacing = None
    if entry.invitation is None:
        # Invitations need no limit: each has one draft at most. Public links could be used to
        # fill the database with drafts, so starts are counted per (hashed) address.
        if ratelimit.start_refused(request):
            return _limited(request)
        current = _current(request)
        if current and current.kind == respond.RESUME and _same_entry(current.draft, entry):
            replacing = current.draft  # "start again" on the same device
    try:
        draft, secret = respond.start(
            entry=entry,
            respondent_type=form.cleaned_data["respondent_type"],
            language=_lang(),
            token=token,
            replacing=replacing,
        )
    except respond.NotOpen:
        return _not_open(request, entry.wave)
    except respond.InvitationUsed:
        return _invitation_used(request, entry.wave)
    response = redirect(_page_url(draft, draft.section_index + 1))
    _set_draft_cookie(response, respond.INVITATION if token else respond.RESUME, secret)
    return response


# -- one page per section -----------------------------------------------------------------------


def _render_page(
    request: HttpRequest,
    current: Current,
    *,
    schema: Schema,
    number: int,
    form: SectionForm,
    status: int = 200,
    opened: bool = False,
) -> HttpResponse:
    draft = current.draft
    pages = respond.pages_for(schema, draft.respondent_type, form.answers)
    total = max(len(pages), number)
    context = {
        "wave": draft.wave,
        "unit": draft.unit,
        "service": draft.service,
        "section_title": form.section_row.text("title") if form.section_row else "",
        "section_intro": form.section_row.text("intro") if form.section_row else "",
        "form": form,
        "number": number,
        "total": total,
        "is_last": number >= total,
        "action_url": _page_url(draft, number),
        "opened": opened,
        "resume_code": current.resume_code,
        "resume_url": request.build_absolute_uri(reverse("surveys-respond-resume")),
    }
    return public.render(request, "surveys/respond/page.html", context, status=status)


def _form_for(
    draft: Draft,
    schema: Schema,
    section_code: str,
    data: Any = None,
    displayed: list[str] | None = None,
) -> SectionForm:
    """The form of one page; ``data="saved"`` fills it from the draft and validates it."""
    section = next(s for s in schema.sections if s.code == section_code)
    row, questions = respond.section_rows(draft.wave, section_code)
    kwargs: dict[str, Any] = {
        "schema": schema,
        "section": section,
        "section_row": row,
        "respondent_type": draft.respondent_type,
        "questions": questions,
        "answers": draft.answers,
        "displayed": displayed,
    }
    if data == "saved":
        return SectionForm.bound_to_answers(**kwargs)
    return SectionForm(data, **kwargs)


@public_page("GET", "POST", base=BASE)
def page(request: HttpRequest, wave: uuid.UUID, number: int) -> HttpResponse:
    """Page ``number`` (1-based) of the questionnaire: Back and Next keep the answers; Next
    validates; the last Next submits."""
    current = _current(request)
    if current is None:
        return _nothing_in_progress(request)
    if current.draft.wave.public_id != wave:
        return _no_draft(request)
    draft = current.draft
    if not draft.wave.accepts_responses():
        return _not_open(request, draft.wave)
    schema = respond.schema_for(draft.wave)
    rtype = draft.respondent_type
    pages = respond.pages_for(schema, rtype, draft.answers)
    if not pages:
        return _no_draft(request)
    reachable = min(draft.section_index, len(pages) - 1) + 1
    if not 1 <= number <= reachable:
        return redirect(_page_url(draft, reachable))
    section = pages[number - 1]
    if request.method == "GET":
        form = _form_for(draft, schema, section.code)
        return _render_page(request, current, schema=schema, number=number, form=form)

    shown = request.POST.get("shown")
    form = _form_for(
        draft, schema, section.code, request.POST, shown.split() if shown is not None else None
    )
    valid = form.is_valid()
    going_back = request.POST.get("action") == "back"
    advance = valid and not going_back and not form.newly_shown
    pages = respond.pages_for(schema, rtype, form.answers)
    respond.save_page(
        draft=draft,
        codes=section.questions,
        values=form.page_values,
        furthest=number if advance and number < len(pages) else draft.section_index,
        language=_lang(),
    )
    if going_back:
        return redirect(_page_url(draft, max(number - 1, 1)))
    if not valid:
        return _render_page(request, current, schema=schema, number=number, form=form, status=400)
    if form.newly_shown:
        # An answer on this page opened a question the respondent has not seen: show the page
        # again with it (this is what makes conditions work without JavaScript).
        again = _form_for(draft, schema, section.code)
        return _render_page(request, current, schema=schema, number=number, form=again, opened=True)
    if number < len(pages):
        return redirect(_page_url(draft, number + 1))
    return _submit(request, current, schema)


def _submit(request: HttpRequest, current: Current, schema: Schema) -> HttpResponse:
    draft = current.draft
    public_code = respond.public_code_for(draft) if current.kind == respond.RESUME else ""
    try:
        respond.submit(draft=draft, token=current.token)
    except respond.NotOpen:
        return _not_open(request, draft.wave)
    except respond.InvitationUsed:
        return _invitation_used(request, draft.wave)
    except respond.DraftGone:
        return _nothing_in_progress(request)
    except ResponseInvalid as exc:
        return _show_problem(request, current, schema, exc)
    response = redirect("surveys-respond-thanks", draft.wave.public_id)
    response.delete_cookie(DRAFT_COOKIE, path=COOKIE_PATH, samesite="Lax")
    if public_code:
        ratelimit.mark_answered(request, response, public_code)
    return response


def _show_problem(
    request: HttpRequest, current: Current, schema: Schema, exc: ResponseInvalid
) -> HttpResponse:
    """Submission found a problem on an earlier page (an answer left wrong before going Back):
    show that page with its messages."""
    draft = current.draft
    pages = respond.pages_for(schema, draft.respondent_type, draft.answers)
    wrong = {error.question for error in exc.errors}
    number = next((i for i, s in enumerate(pages, start=1) if wrong & set(s.questions)), len(pages))
    form = _form_for(draft, schema, pages[number - 1].code, "saved")
    return _render_page(request, current, schema=schema, number=number, form=form, status=400)


# -- resume and thanks --------------------------------------------------------------------------


@public_page("GET", "POST", base=BASE)
def resume(request: HttpRequest) -> HttpResponse:
    """Continue with a resume code, on this or another device."""
    form = ResumeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if ratelimit.resume_blocked(request):
            return _limited(request)
        if form.is_valid():
            draft = respond.find_draft(respond.RESUME, form.cleaned_data["code"])
            if draft is not None:
                if not draft.wave.accepts_responses():
                    return _not_open(request, draft.wave)
                response = redirect(_page_url(draft, draft.section_index + 1))
                _set_draft_cookie(response, respond.RESUME, form.cleaned_data["code"])
                if settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
                    # On a new device, continue in the language the answers were begun in.
                    response.set_cookie(
                        settings.LANGUAGE_COOKIE_NAME,
                        draft.language,
                        max_age=365 * 24 * 3600,
                        samesite="Lax",
                        secure=settings.SESSION_COOKIE_SECURE,
                    )
                return response
            ratelimit.resume_failed(request)
            form.add_error(
                "code",
                _("No survey in progress has this code. Check the code and try again."),
            )
        status = 400
    current = _current(request) if request.method == "GET" else None
    continue_url = (
        _page_url(current.draft, current.draft.section_index + 1) if current is not None else ""
    )
    return public.render(
        request,
        "surveys/respond/resume.html",
        {"form": form, "continue_url": continue_url},
        status=status,
    )


@public_page("GET", base=BASE)
def thanks(request: HttpRequest, wave: uuid.UUID) -> HttpResponse:
    found = Wave.objects.select_related("version__instrument").filter(public_id=wave).first()
    if found is None:
        return _not_found(request)
    return public.render(request, "surveys/respond/thanks.html", {"wave": found})
