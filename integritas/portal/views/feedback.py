"""A published action's own page, where anyone may say whether they see it done: yes, partly or
no, a comment and at most one photo, without an account and without JavaScript.

What is received is checked by ``followup/services/feedback.py`` (nothing is stored on any
problem); the abuse protection is ``followup/ratelimit.py`` (hourly limit per hashed network,
one-time form token) and the form's honeypot. Comments are shown here once the Inspectorate
approved them, each with the unit's answer."""

from __future__ import annotations

from uuid import UUID

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from integritas.core import public
from integritas.followup import ratelimit
from integritas.followup.models import ActionPlan
from integritas.followup.services import feedback as services
from integritas.lib import uploads
from integritas.lib.forms import add_service_errors
from integritas.portal.forms import FeedbackForm
from integritas.portal.services import public as published
from integritas.portal.views.public import BASE, not_found


class PhotoUploads(uploads.MemoryUploads):
    """The photo of a feedback form, in memory only (``lib.uploads.MemoryUploads``): one file of
    at most the photo size limit, so a huge upload cannot fill the memory or the disk."""

    def max_bytes(self) -> int:
        return services.photo_max_bytes()


def _page(
    request: HttpRequest, plan: ActionPlan, form: FeedbackForm, *, status: int = 200
) -> HttpResponse:
    view = published.plan_views(ActionPlan.objects.filter(pk=plan.pk))[0]
    context = {
        "pv": view,
        "recommendation": plan.recommendation,
        "form": form,
        "feedback": published.feedback(plan),
        "takes_feedback": view.takes_feedback,
    }
    return public.render(request, "portal/plan.html", context, status=status)


def _notice(
    request: HttpRequest,
    plan: ActionPlan,
    *,
    status: int,
    title: str,
    message: str,
    detail: str = "",
) -> HttpResponse:
    return public.notice(
        request,
        status=status,
        title=title,
        message=message,
        detail=detail,
        base=BASE,
        template="portal/feedback_notice.html",
        context={"back": reverse("portal-plan", args=[plan.recommendation.code, plan.unit.code])},
        retry_after=ratelimit.WINDOW if status == 429 else None,
    )


def _thanks(request: HttpRequest, plan: ActionPlan) -> HttpResponse:
    return _notice(
        request,
        plan,
        status=200,
        title=_("Thank you for your feedback"),
        message=_(
            "It was received. Your answer counts in the tally now; your comment (and photo) "
            "appear on the action's page once the Inspectorate has approved them."
        ),
        detail=_("Nothing about you was stored: no name, no address, no account."),
    )


@public.public_page("GET", "POST", base=BASE, indexed=True, upload_handler=PhotoUploads)
def plan(request: HttpRequest, code: str, unit: str) -> HttpResponse:
    """One unit's published action: its activities, evidence and verified steps, the citizens'
    tally and approved feedback with the unit's answers, and the feedback form."""
    found = published.plan(code, unit)
    if found is None:
        return not_found(
            request, _("There is no published action of this unit for this recommendation.")
        )
    if request.method == "GET":
        return _page(request, found, FeedbackForm())
    if not published.accepts_feedback(found):
        return _notice(
            request,
            found,
            status=400,
            title=_("Feedback is not open for this action"),
            message=_(
                "Feedback opens once the unit's plan is approved, and closes when it is cancelled."
            ),
            detail=_("Nothing was stored."),
        )
    if ratelimit.submission_refused(request):
        return _notice(
            request,
            found,
            status=429,
            title=_("Too much feedback from your network"),
            message=_("Too much feedback was sent from your network in the last hour."),
            detail=_("Try again in an hour. Nothing was stored."),
        )
    form = FeedbackForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, found, form, status=400)
    if form.cleaned_data["website"]:
        return _thanks(request, found)  # a robot: it is told nothing, and nothing is stored
    token = form.cleaned_data["once"]
    if not ratelimit.claim(token):
        return _notice(
            request,
            found,
            status=409,
            title=_("This form was already sent"),
            message=_("Your feedback was received the first time; it is not stored twice."),
            detail=_("To send more feedback, open the action's page again."),
        )
    upload = form.cleaned_data.get("photo")
    try:
        services.submit(
            plan=found,
            seen=form.cleaned_data["seen"],
            comment=form.cleaned_data["comment"],
            photo=upload.read() if upload else None,
        )
    except ValidationError as error:
        ratelimit.release(token)
        add_service_errors(form, error)
        return _page(request, found, form, status=400)
    return _thanks(request, found)


@public.public_page("GET", base=BASE)
def feedback_photo(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """An approved item's photo (cleaned of its metadata when it was received)."""
    item = published.feedback_photo(public_id)
    if item is None:
        return not_found(request, _("There is no published photo at this address."))
    try:
        with item.photo.open("rb") as handle:
            content = handle.read()
    except FileNotFoundError:
        return not_found(request, _("There is no published photo at this address."))
    response = HttpResponse(content, content_type=item.photo_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response
