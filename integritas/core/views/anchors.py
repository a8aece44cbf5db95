"""The published audit anchors: a public page listing every anchor, newest first, and the same
list as JSON, CSV and XLSX at stable addresses that third parties download and keep.

The anchors are useful only because copies exist outside this server's database: the downloads
are what ``manage.py audit_verify --anchors FILE_OR_URL`` reads back. Column names and keys are
fixed (not translated), so a copy made today compares with one made next year.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from integritas.audit.models import Anchor
from integritas.audit.services import anchor_file
from integritas.core import public
from integritas.core.models import Government
from integritas.lib.tables import paginate

PER_PAGE = 60


@public.public_page("GET")
def anchor_list(request: HttpRequest) -> HttpResponse:
    page, query = paginate(request, Anchor.objects.order_by("-date"), per_page=PER_PAGE)
    json_url = request.build_absolute_uri(reverse("core-audit-anchors-json"))
    return public.render(
        request,
        "core/public/audit_anchors.html",
        {"page": page, "query": query, "json_url": json_url},
    )


MEDIA_TYPES = {
    "json": "application/json",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _download(fmt: str, disposition: str) -> HttpResponse:
    government = Government.current()
    about = {"publisher": government.name} if government else {}
    response = HttpResponse(anchor_file(fmt, **about), content_type=MEDIA_TYPES[fmt])
    response["Content-Disposition"] = f'{disposition}; filename="audit-anchors.{fmt}"'
    return response


@public.public_page("GET")
def anchor_json(request: HttpRequest) -> HttpResponse:
    return _download("json", "inline")


@public.public_page("GET")
def anchor_csv(request: HttpRequest) -> HttpResponse:
    return _download("csv", "attachment")


@public.public_page("GET")
def anchor_xlsx(request: HttpRequest) -> HttpResponse:
    return _download("xlsx", "attachment")
