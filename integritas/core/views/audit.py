"""The audit trail page for the Inspectorate, with filters and export.

Access goes through the one permission policy in ``core``; this views module is the only part of
``audit`` that imports from ``core``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import timezone

from integritas.audit.models import Event
from integritas.core import policy, records
from integritas.core.forms.audit import AuditFilterForm
from integritas.lib.tables import Column, export_format, export_response, paginate

EVENT_COLUMNS: list[Column[records.Record]] = [
    Column("seq", "seq"),
    Column("time", "time"),
    Column("actor", "actor"),
    Column("action", "action"),
    Column("object_type", "kind"),
    Column("object", "object"),
    Column("changes", lambda r: r.changes_text()),
    Column("reason", "reason"),
    # The event's fingerprint in the chain: what ``audit_verify`` checks, to match a row to it.
    Column("hash", lambda r: r.event.hash),
]


def _readable_rows(events: Iterable[Event], size: int = 500) -> Iterator[records.Record]:
    """The events as read, made in batches so that names are looked up once per batch."""
    batch: list[Event] = []
    for event in events:
        batch.append(event)
        if len(batch) == size:
            yield from records.readable(batch)
            batch = []
    yield from records.readable(batch)


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


@login_required
def event_list(request: HttpRequest) -> HttpResponseBase:
    policy.require(request.user, "view", Event)
    events = policy.scope(request.user, Event).select_related("actor")
    # Only the kinds of object the person may see events about: an excluded person does not
    # even learn that events of a hidden kind exist.
    form = AuditFilterForm(
        request.GET,
        object_types=records.kind_choices(
            events.order_by().values_list("object_type", flat=True).distinct()
        ),
        actions=records.action_choices(
            events.order_by().values_list("action", flat=True).distinct()
        ),
    )
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            events = records.search(events, data["q"])
        if data["actor"]:
            events = events.filter(
                Q(actor_label__icontains=data["actor"]) | Q(actor__username=data["actor"])
            )
        if data["object_type"]:
            events = events.filter(object_type=data["object_type"])
        if data["action"]:
            events = events.filter(action=data["action"])
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
            objects=_readable_rows(events.iterator(chunk_size=2000)),
        )
    page, query = paginate(request, events, per_page=50)
    return render(
        request,
        "core/audit/event_list.html",
        {
            "page": page,
            "rows": records.readable(page.object_list),
            "query": query,
            "form": form,
        },
    )
