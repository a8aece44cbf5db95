"""List-page helpers shared by every app: pagination and CSV/XLSX export."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from integritas.lib.spreadsheets import write_csv, write_xlsx

PER_PAGE = 25
EXPORT_FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def paginate(request: HttpRequest, items: Any, per_page: int = PER_PAGE) -> tuple[Page[Any], str]:
    """The requested page (out-of-range numbers give the last page) and the query string
    without ``page``, for building page links that keep the filters."""
    paginator = Paginator(items, per_page)
    page = paginator.get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return page, params.urlencode()


def export_format(request: HttpRequest) -> str | None:
    fmt = request.GET.get("export", "")
    return fmt if fmt in EXPORT_FORMATS else None


def export_response(
    *, fmt: str, stem: str, headers: Sequence[str], rows: Iterable[Sequence[Any]]
) -> HttpResponse:
    """A download of ``rows`` as CSV or XLSX; cells are escaped against formula injection."""
    if fmt == "xlsx":
        body = write_xlsx(list(headers), rows, sheet_title=stem[:31])
    else:
        body = write_csv(list(headers), rows)
    response = HttpResponse(body, content_type=EXPORT_FORMATS[fmt])
    filename = f"{stem}-{timezone.localdate():%Y-%m-%d}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
