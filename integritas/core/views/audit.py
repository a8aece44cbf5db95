"""The audit trail page for the Inspectorate, with filters and export.

Access goes through the one permission policy in ``core``; this views module is the only part of
``audit`` that imports from ``core``.
"""

from __future__ import annotations

import datetime as dt
import json

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from integritas.audit.models import Event
from integritas.core import policy
from integritas.core.forms.audit import AuditFilterForm
from integritas.lib.tables import Column, export_format, export_response, paginate

EVENT_COLUMNS: list[Column[Event]] = [
    Column("seq", "seq"),
    Column("time", lambda e: timezone.localtime(e.created_at).strftime("%Y-%m-%d %H:%M:%S")),
    Column("actor", "actor_label"),
    Column("action", "action"),
    Column("object_type", "object_type"),
    Column("object_id", "object_id"),
    Column("object", "object_label"),
    Column("changes", lambda e: json.dumps(e.changes, ensure_ascii=False)),
    Column("reason", "reason"),
    Column("request_id", "request_id"),
    Column("hash", "hash"),
]


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


@login_required
def event_list(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, "view", Event)
    events = policy.scope(request.user, Event).select_related("actor")
    # Only the kinds of object the person may see events about: an excluded person does not
    # even learn that events of a hidden kind exist.
    object_types = sorted(
        t for t in events.order_by().values_list("object_type", flat=True).distinct() if t
    )
    form = AuditFilterForm(request.GET, object_types=object_types)
    if form.is_valid():
        data = form.cleaned_data
        if data["actor"]:
            events = events.filter(
                Q(actor_label__icontains=data["actor"]) | Q(actor__username=data["actor"])
            )
        if data["object_type"]:
            events = events.filter(object_type=data["object_type"])
        if data["action"]:
            events = events.filter(action__icontains=data["action"])
        if data["date_from"]:
            events = events.filter(created_at__gte=_day_start(data["date_from"]))
        if data["date_to"]:
            events = events.filter(
                created_at__lt=_day_start(data["date_to"] + dt.timedelta(days=1))
            )
    else:
        events = events.none()
    fmt = export_format(request)
    if fmt:
        return export_response(
            fmt=fmt,
            stem="audit-trail",
            columns=EVENT_COLUMNS,
            objects=events.iterator(chunk_size=2000),
        )
    page, query = paginate(request, events, per_page=50)
    return render(
        request, "core/audit/event_list.html", {"page": page, "query": query, "form": form}
    )
