"""The signed-in person's notifications: the list, open one, mark one or all read, and how they
are delivered (in the application only, by email at once, or a daily digest).

Everyone reads only their own notifications, so these pages filter on ``request.user`` like the
account pages do, rather than going through the role policy.
"""

from __future__ import annotations

from typing import cast
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from integritas.core.forms.notifications import DeliveryForm, NotificationFilterForm
from integritas.core.models import Notification, User
from integritas.core.services import notifications
from integritas.lib.tables import paginate


def _user(request: HttpRequest) -> User:
    """The signed-in user (the views are behind ``login_required``)."""
    return cast(User, request.user)


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    mine = Notification.objects.filter(user=_user(request))
    show = NotificationFilterForm(request.GET).filters["show"]
    if show == "unread":
        mine = mine.unread()
    page, query = paginate(request, mine)
    context = {
        "page": page,
        "query": query,
        "show": show,
        "unread": Notification.objects.filter(user=_user(request)).unread().count(),
        "delivery": User.Delivery(_user(request).notification_delivery).label,
    }
    return render(request, "core/notifications/list.html", context)


def _mine(request: HttpRequest, public_id: UUID) -> Notification:
    return get_object_or_404(Notification, public_id=public_id, user=_user(request))


@require_POST
@login_required
def notification_open(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """Mark the notification read and go to the page it points to."""
    notification = notifications.mark_read(notification=_mine(request, public_id))
    if notification.url and url_has_allowed_host_and_scheme(
        notification.url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(notification.url)
    return redirect("core-notification-list")


@require_POST
@login_required
def notification_read(request: HttpRequest, public_id: UUID) -> HttpResponse:
    notifications.mark_read(notification=_mine(request, public_id))
    return redirect("core-notification-list")


@require_POST
@login_required
def notification_read_all(request: HttpRequest) -> HttpResponse:
    count = notifications.mark_all_read(user=_user(request))
    if count:
        messages.success(request, _("All notifications are marked as read."))
    return redirect("core-notification-list")


@login_required
def notification_settings(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if request.method == "POST":
        form = DeliveryForm(request.POST)
        if form.is_valid():
            notifications.set_delivery(user=user, delivery=form.cleaned_data["delivery"])
            messages.success(request, _("Your notification settings are saved."))
            return redirect("core-notification-settings")
    else:
        form = DeliveryForm(initial={"delivery": user.notification_delivery})
    status = 400 if form.is_bound else 200
    return render(request, "core/notifications/settings.html", {"form": form}, status=status)
