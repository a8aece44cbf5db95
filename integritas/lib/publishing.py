"""The page side of a decision to publish on the portal or to take something off it, for the
apps whose pages post the decision and go back to the page they came from: the service's
refusals become error messages, success its one message.

The services are the apps' (each over ``core/services/publication.py``); a view checks who may
decide before it calls ``publish`` or ``unpublish`` here."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

PUBLISHED = _("Published on the portal.")
TAKEN_OFF = _("Taken off the portal.")


def decide(request: HttpRequest, decision: Callable[[], object], done: Any) -> bool:
    """Take ``decision`` (a service call): each message of a ``ValidationError`` it raises is
    shown as an error, success as ``done``. True when the decision was taken."""
    try:
        decision()
    except ValidationError as refused:
        for message in refused.messages:
            messages.error(request, message)
        return False
    messages.success(request, done)
    return True


def publish(request: HttpRequest, decision: Callable[[], object]) -> bool:
    """Publish (``decision`` calls the app's service); True when it is published."""
    return decide(request, decision, PUBLISHED)


def unpublish(request: HttpRequest, form: forms.Form, decision: Callable[[str], object]) -> bool:
    """Take off the portal with the reason of ``form`` (bound to the post): ``decision`` calls
    the app's service with the reason. False when the form is not valid (its errors are on it)
    or the service refuses (its messages are shown)."""
    if not form.is_valid():
        return False
    return decide(request, lambda: decision(form.cleaned_data["reason"]), TAKEN_OFF)


class YearPublisher(Protocol):
    """An app's service deciding what the portal shows of a year (a module will do)."""

    def may_publish(self, user: Any) -> bool: ...

    def live(self, year: int) -> object | None: ...

    def publish(self, *, year: int, by: Any) -> object: ...

    def unpublish(self, *, year: int, by: Any, reason: str) -> object: ...


View = Callable[..., HttpResponse]


def year_views(
    service: YearPublisher,
    *,
    back: Callable[[int], str],
    page: Callable[[HttpRequest, int, Any], HttpResponse],
    form_class: type[forms.Form],
) -> tuple[View, View]:
    """The two posts of a year's publication on a staff page: publish, and take off the portal
    with a reason (``form_class``). Only whoever ``service.may_publish`` may post (403 otherwise);
    taking down a year that is not live is a 404. Both go back to ``back(year)``; a refused take
    down shows the staff page again with the form and its errors (``page(request, year, form)``,
    which answers 400)."""

    @login_required
    @require_POST
    def publish_year(request: HttpRequest, year: int) -> HttpResponse:
        if not service.may_publish(request.user):
            raise PermissionDenied
        publish(request, lambda: service.publish(year=year, by=request.user))
        return redirect(back(year))

    @login_required
    @require_POST
    def unpublish_year(request: HttpRequest, year: int) -> HttpResponse:
        if not service.may_publish(request.user):
            raise PermissionDenied
        if service.live(year) is None:
            raise Http404
        form = form_class(request.POST)
        if unpublish(
            request,
            form,
            lambda reason: service.unpublish(year=year, by=request.user, reason=reason),
        ):
            return redirect(back(year))
        return page(request, year, form)

    return publish_year, unpublish_year
