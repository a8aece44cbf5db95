"""The published audit anchors: a public page listing every anchor, newest first, and the same
list as JSON and CSV at stable addresses that third parties download and keep.

The anchors are useful only because copies exist outside this server's database: the downloads
are what ``manage.py audit_verify --anchors FILE_OR_URL`` reads back. Column names and keys are
fixed (not translated), so a copy made today compares with one made next year.
"""

from __future__ import annotations

import json

from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from integritas.audit.models import Anchor
from integritas.audit.services import anchor_document, anchor_record
from integritas.core import public
from integritas.core.models import Government
from integritas.lib.spreadsheets import write_csv
from integritas.lib.tables import paginate

PER_PAGE = 60
CSV_COLUMNS = ["date", "seq", "hash", "published_at"]


@public.public_page("GET")
def anchor_list(request: HttpRequest) -> HttpResponse:
    page, query = paginate(request, Anchor.objects.order_by("-date"), per_page=PER_PAGE)
    json_url = request.build_absolute_uri(reverse("core-audit-anchors-json"))
    return public.render(
        request,
        "core/public/audit_anchors.html",
        {"page": page, "query": query, "json_url": json_url},
    )


@public.public_page("GET")
def anchor_json(request: HttpRequest) -> HttpResponse:
    government = Government.current()
    about = {"publisher": government.name} if government else {}
    document = anchor_document(Anchor.objects.order_by("date"), **about)
    response = HttpResponse(
        json.dumps(document, ensure_ascii=False, indent=1), content_type="application/json"
    )
    response["Content-Disposition"] = 'inline; filename="audit-anchors.json"'
    return response


@public.public_page("GET")
def anchor_csv(request: HttpRequest) -> HttpResponse:
    records = (anchor_record(anchor) for anchor in Anchor.objects.order_by("date"))
    body = write_csv(CSV_COLUMNS, ([r[c] for c in CSV_COLUMNS] for r in records))
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="audit-anchors.csv"'
    return response
