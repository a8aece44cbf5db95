"""The page side of a decision to publish on the portal or to take something off it, for the
apps whose pages post the decision and go back to the page they came from: the service's
refusals become error messages, success its one message.

The services are the apps' (each over ``core/services/publication.py``); a view checks who may
decide before it calls ``publish`` or ``unpublish`` here."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

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
