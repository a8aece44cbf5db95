"""Index dashboards: the overview of waves with results, one wave, one fiscal year, and the
wave's signed PDF report. Every table on these pages downloads as CSV or XLSX with
``?table=<name>&export=csv|xlsx``; downloads and the PDF need the ``export`` capability on
``IndexRun`` (Inspectorate, leadership, administrators)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from integritas.core import policy
from integritas.core.models import Government, User
from integritas.core.signers import (
    SignerForm,
    default_signer,
    proposed_report_number,
    signer_initial,
)
from integritas.indices.forms.dashboards import WaveDashboardFilterForm
from integritas.indices.models import IndexRun, MethodSetting
from integritas.indices.services import dashboards
from integritas.indices.services.compute import fill_state
from integritas.indices.services.dashboards import Cell, WaveDashboard
from integritas.indices.services.settings import wave_year
from integritas.lib import pdf
from integritas.lib.tables import PER_PAGE, export_format, export_response, paginate
from integritas.surveys.models import Instrument, Wave

FIRST_YEAR, LAST_YEAR = 2000, 2100


def _lang() -> str:
    return (get_language() or "id")[:2]


def _svg(markup: str) -> SafeString:
    # lib.charts escapes every label and value it writes, so its markup is safe as a whole.
    return mark_safe(markup)  # noqa: S308


def _can_export(user: Any) -> bool:
    return policy.allows_model(user, "export", IndexRun)


def _rounded(value: float | None, precision: int) -> float | None:
    return None if value is None else round(value, precision)


def _cell_values(cell: Cell | None, precision: int) -> list[Any]:
    """score, ci_low, ci_high, grade, n, suppressed: a suppressed cell exports only its n as
    "< k" or "≥ k" (or 0), never the number."""
    if cell is None:
        return [None, None, None, "", None, ""]
    return [
        _rounded(cell.score, precision),
        _rounded(cell.ci_low, precision),
        _rounded(cell.ci_high, precision),
        cell.grade,
        cell.count,
        str(_("yes")) if cell.suppressed else str(_("no")),
    ]


CELL_HEADERS = ["score", "ci_low", "ci_high", "grade", "n", "suppressed"]
# The wave summaries download (overview and fiscal year); rows from ``_summary_rows``.
SUMMARY_HEADERS = ["year", "wave", "title", "method", *CELL_HEADERS, "responses", "computed_at"]


# --- overview --------------------------------------------------------------------------------


@login_required
def home(request: HttpRequest) -> HttpResponseBase:
    waves = dashboards.waves_with_results(request.user)
    fmt = export_format(request)
    if fmt:
        if not _can_export(request.user):
            raise PermissionDenied
        return export_response(
            fmt=fmt,
            stem="indices-waves",
            headers=SUMMARY_HEADERS,
            rows=_summary_rows(dashboards.summaries(request.user, list(waves))),
        )
    page, query = paginate(request, waves)
    summaries = dashboards.summaries(request.user, list(page.object_list))
    years = sorted({wave_year(w) for w in waves}, reverse=True)
    context = {
        "page": page,
        "query": query,
        "summaries": summaries,
        "years": years,
        "can_export": _can_export(request.user),
        "can_configure": policy.scope(request.user, MethodSetting).exists(),
    }
    return render(request, "indices/dashboards/home.html", context)


def _summary_rows(summaries: Iterable[dashboards.WaveSummary]) -> Iterable[list[Any]]:
    for s in summaries:
        precision = dashboards.precision_of(s.run)
        yield [
            s.year,
            s.wave.code,
            s.wave.title,
            s.run.method if s.run else "",
            *_cell_values(s.headline, precision),
            s.responses,
            timezone.localtime(s.run.computed_at) if s.run else None,
        ]


# --- one wave --------------------------------------------------------------------------------

WAVE_TABLES = ("dimensions", "ranking", "heatmap", "responses")
# The responses table pages on its own, beside the ranking's ``page``.
RESPONSES_PAGE = "responses_page"


@login_required
def wave_dashboard(request: HttpRequest, code: str) -> HttpResponseBase:
    wave = policy.get_for_user(request.user, Wave, code=code)
    f = WaveDashboardFilterForm(request.GET).filters
    board = dashboards.wave_dashboard(
        user=request.user, wave=wave, respondent_type=f["type"], sort=f["sort"], level=f["level"]
    )
    fmt = export_format(request)
    if fmt:
        if not _can_export(request.user):
            raise PermissionDenied
        table = request.GET.get("table", "")
        if table not in WAVE_TABLES:
            raise Http404
        headers, rows = _wave_table(board, table)
        suffix = (
            "" if board.respondent_type == dashboards.ALL_TYPES else f"-{board.respondent_type}"
        )
        if table in ("ranking", "heatmap") and board.level != 1:
            suffix += f"-level{board.level}"
        return export_response(
            fmt=fmt, stem=f"{wave.code}-{table}{suffix}", headers=headers, rows=rows
        )
    page, query = paginate(request, board.units)
    responses_page = Paginator(board.progress, PER_PAGE).get_page(request.GET.get(RESPONSES_PAGE))
    params = request.GET.copy()
    for name in ("page", "export", "table", "sort", RESPONSES_PAGE):
        params.pop(name, None)
    responses_query = request.GET.copy()
    responses_query.pop(RESPONSES_PAGE, None)
    context: dict[str, Any] = {
        "wave": wave,
        "board": board,
        "page": page,
        "query": query,
        "responses_page": responses_page,
        "responses_query": responses_query.urlencode(),
        "filter_query": params.urlencode(),
        "sort": f["sort"],
        "chart": _svg(dashboards.dimension_chart(board, _lang())) if board.run else "",
        "can_export": _can_export(request.user),
        "year": wave_year(wave),
        "fill": fill_state(wave),
        "signer_form": SignerForm(user=request.user, initial=signer_initial())
        if _can_export(request.user) and board.run
        else None,
    }
    return render(request, "indices/dashboards/wave.html", context)


def _wave_table(board: WaveDashboard, table: str) -> tuple[list[str], Iterable[Sequence[Any]]]:
    p = board.precision
    if table == "dimensions":
        return ["dimension", "name", *CELL_HEADERS], (
            [column.code, column.label, *_cell_values(cell, p)]
            for column, cell in board.dimension_cells
        )
    if table == "ranking":
        return ["rank", "unit", "name", *CELL_HEADERS], _ranking_rows(board)
    if table == "heatmap":
        codes = [column.code for column in board.dimensions]
        return ["unit", "name", *codes, "overall"], _heatmap_rows(board)
    return ["unit", "name", "responses", "target", "response_rate_percent"], (
        [r.unit.code, r.unit.name, r.responses, r.target, _rounded(r.percent, 1)]
        for r in board.progress
    )


# Every unit's row of the ranking and the heatmap, read from the board's rows as tuples
# (``dashboards.unit_tuples``; a cell is (score, n, ci_low, ci_high, grade, suppressed, level,
# withheld)) with the same values as ``_cell_values`` and ``_rounded`` give from its cells.


def _ranking_rows(board: WaveDashboard) -> Iterable[list[Any]]:
    p = board.precision
    yes, no = str(_("yes")), str(_("no"))
    for code, name, overall, _cells, rank in dashboards.unit_tuples(board):
        if overall is None:
            yield [rank, code, name, None, None, None, "", None, ""]
            continue
        score, n, ci_low, ci_high, grade, suppressed, _level, withheld = overall
        yield [
            rank,
            code,
            name,
            None if score is None else round(score, p),
            None if ci_low is None else round(ci_low, p),
            None if ci_high is None else round(ci_high, p),
            grade,
            withheld or n,
            yes if suppressed else no,
        ]


def _heatmap_rows(board: WaveDashboard) -> Iterable[list[Any]]:
    p = board.precision
    for code, name, overall, cells, _rank in dashboards.unit_tuples(board):
        row: list[Any] = [code, name]
        for cell in (*cells, overall):
            score = None if cell is None else cell[0]
            row.append(None if score is None else round(score, p))
        yield row


# --- PDF report ------------------------------------------------------------------------------


@login_required
def wave_report(request: HttpRequest, code: str) -> HttpResponseBase:
    wave = policy.get_for_user(request.user, Wave, code=code)
    if not _can_export(request.user):
        raise PermissionDenied
    form = SignerForm(request.GET or None, user=request.user)
    f = WaveDashboardFilterForm(request.GET).filters
    with translation.override(pdf.DEFAULT_LANGUAGE):  # labels in the document's language
        board = dashboards.wave_dashboard(
            user=request.user, wave=wave, respondent_type=f["type"], level=f["level"]
        )
    if (request.GET and not form.is_valid()) or board.run is None:
        return render(
            request,
            "indices/dashboards/report_form.html",
            {"wave": wave, "board": board, "form": form},
            status=400,
        )
    chosen = (form.cleaned_data.get("signer") if request.GET else None) or default_signer()
    number = form.cleaned_data["report_number"] if request.GET else proposed_report_number()
    # Laid out into a temporary file, sent from it and closed (so removed) with the response.
    document = pdf.render_pdf_file(
        "indices/dashboards/report.html",
        report_context(board, chosen, report_number=number),
        government=Government.current(),
    )
    response = FileResponse(document, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="{wave.code}-report-{timezone.localdate():%Y-%m-%d}.pdf"'
    )
    return response


def report_context(
    board: WaveDashboard, signer: User | None, *, report_number: str = ""
) -> dict[str, Any]:
    """What the PDF template shows (also used by tests to read the document's text)."""
    return {
        "wave": board.wave,
        "board": board,
        "signer": pdf.Signer.from_user(signer) if signer else None,
        "report_number": report_number,
        "ranking": board.units,
    }


# --- one fiscal year -------------------------------------------------------------------------


@login_required
def year_dashboard(request: HttpRequest, year: int) -> HttpResponseBase:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Http404
    waves = dashboards.waves_of_year(request.user, year)
    summaries = dashboards.summaries(request.user, waves)
    instrument_ids = sorted({w.version.instrument_id for w in waves})
    instruments = Instrument.objects.filter(pk__in=instrument_ids).order_by("code")
    trends = [dashboards.trend(request.user, instrument) for instrument in instruments]
    fmt = export_format(request)
    if fmt:
        if not _can_export(request.user):
            raise PermissionDenied
        table = request.GET.get("table", "")
        if table == "waves":
            return export_response(
                fmt=fmt,
                stem=f"indices-{year}-waves",
                headers=SUMMARY_HEADERS,
                rows=_summary_rows(summaries),
            )
        for t in trends:
            if table == f"trend-{t.instrument.code}":
                return export_response(
                    fmt=fmt,
                    stem=f"indices-trend-{t.instrument.code}",
                    headers=["dimension", "name", *t.labels],
                    rows=_trend_rows(t),
                )
        raise Http404
    page, query = paginate(request, summaries)
    trend_views = []
    for t in trends:
        if not t.points:
            continue
        overall, per_dimension = dashboards.trend_charts(t, _lang())
        trend_views.append(
            {
                "trend": t,
                "title": t.instrument.text("title"),
                "rows": _trend_table(t),
                "overall_chart": _svg(overall),
                "dimension_chart": _svg(per_dimension) if t.dimensions else "",
            }
        )
    context = {
        "year": year,
        "page": page,
        "query": query,
        "trends": trend_views,
        "can_export": _can_export(request.user),
        "previous_year": year - 1,
        "next_year": year + 1,
    }
    return render(request, "indices/dashboards/year.html", context)


def _trend_table(t: dashboards.Trend) -> list[tuple[str, str, list[float | None]]]:
    return [
        (dashboards.OVERALL, str(_("Overall index")), t.overall),
        *((column.code, column.label, values) for column, values in t.dimensions),
    ]


def _trend_rows(t: dashboards.Trend) -> Iterable[list[Any]]:
    for code, name, values in _trend_table(t):
        yield [code, name, *(_rounded(v, t.precision) for v in values)]
