"""Follow-up dashboards: the overview (per unit, per source, progress over months), one unit's
plans, the leadership scoreboard, and the signed PDF "Laporan Pemantauan Tindak Lanjut".

Everyone sees the plans of their policy scope: unit staff their own units, the Inspectorate,
leadership and administrators all of them. Each table downloads as CSV or XLSX with
``?table=<name>&export=csv|xlsx``; downloads and the PDF need the ``export`` capability on
``ActionPlan`` (Inspectorate, leadership, administrators). Definitions are in ``dashboards.py``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from integritas.core import extensions, policy
from integritas.core.models import Government, Unit, User
from integritas.core.signers import (
    SignerForm,
    default_signer,
    proposed_report_number,
    signer_initial,
)
from integritas.followup.forms import PlanFilterForm
from integritas.followup.models import (
    ActionPlan,
    Recommendation,
    due_soon_limit,
    due_soon_working_days,
)
from integritas.followup.services import dashboards, feedback
from integritas.followup.services.dashboards import Month, PlanFacts, Tally
from integritas.followup.views.monitoring import tlhp_table
from integritas.lib import charts, pdf
from integritas.lib.formatting import MONTHS, format_number
from integritas.lib.tables import export_format, export_response, paginate

Status = ActionPlan.Status


def _lang() -> str:
    return (get_language() or "id")[:2]


def _can_export(user: Any) -> bool:
    return policy.allows_model(user, "export", ActionPlan)


def _filters(request: HttpRequest) -> dict[str, Any]:
    return PlanFilterForm(request.GET).filters


def _filter_query(request: HttpRequest) -> str:
    params = request.GET.copy()
    for name in ("page", "export", "table"):
        params.pop(name, None)
    return params.urlencode()


def _num(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _years(user: Any) -> list[int]:
    return list(
        policy.scope(user, Recommendation)
        .order_by("-year")
        .values_list("year", flat=True)
        .distinct()
    )


def _month_label(month: Month, lang: str, first: bool = False) -> str:
    """ "Jan 2026" for January and the first month, "Feb" for the others (labels must be short)."""
    name = MONTHS["en" if lang == "en" else "id"][month.month - 1][:3]
    return f"{name} {month.year}" if first or month.month == 1 else name


def _export(
    request: HttpRequest, stem: str, table: tuple[list[str], Iterable[Sequence[Any]]]
) -> HttpResponseBase:
    fmt = export_format(request)
    assert fmt is not None
    policy.require(request.user, "export", ActionPlan)
    headers, rows = table
    return export_response(fmt=fmt, stem=stem, headers=headers, rows=rows)


# --- tables, shared by the pages and their downloads ------------------------------------------


def _status_headers() -> list[str]:
    return [str(label) for label in Status.labels]


def _tally_table(rows: Sequence[Tally], first: str) -> tuple[list[str], list[list[Any]]]:
    headers = [
        first,
        _("Name"),
        _("Plans (not cancelled)"),
        _("Progress claimed (%)"),
        _("Progress verified (%)"),
        _("Overdue"),
        _("Finished on time (%)"),
        *_status_headers(),
    ]
    return headers, [
        [
            r.key,
            r.name,
            r.plans,
            _num(r.claimed),
            _num(r.verified),
            r.overdue,
            _num(r.timeliness),
            *r.status_counts,
        ]
        for r in rows
    ]


def _scoreboard_table(rows: Sequence[Tally]) -> tuple[list[str], list[list[Any]]]:
    headers = [
        _("Rank"),
        _("Unit code"),
        _("Unit"),
        _("Plans (not cancelled)"),
        _("Progress verified (%)"),
        _("Finished on time (%)"),
        _("Plans due or done"),
        _("Finished on time"),
        _("Overdue"),
    ]
    return headers, [
        [
            r.rank,
            r.key,
            r.name,
            r.plans,
            _num(r.verified),
            _num(r.timeliness),
            r.due_or_done,
            r.on_time,
            r.overdue,
        ]
        for r in rows
    ]


def _months_table(rows: Sequence[Month]) -> tuple[list[str], list[list[Any]]]:
    headers = [
        _("Month"),
        _("As of"),
        _("Plans issued"),
        _("Plans verified"),
        _("Overdue"),
        _("Share verified (%)"),
        _("Average verified progress (%)"),
    ]
    return headers, [
        [
            f"{m.year}-{m.month:02d}",
            m.as_of,
            m.plans,
            m.verified,
            m.overdue,
            _num(m.share_verified),
            _num(m.average_verified_progress),
        ]
        for m in rows
    ]


def _plans_table(rows: Sequence[PlanFacts]) -> tuple[list[str], list[list[Any]]]:
    headers = [
        _("Recommendation"),
        _("Title"),
        _("Source"),
        _("Status"),
        _("Due date"),
        _("Progress claimed (%)"),
        _("Progress verified (%)"),
        _("Overdue"),
    ]
    return headers, [
        [
            f.plan.recommendation.code,
            f.plan.recommendation.title,
            f.plan.recommendation.get_source_display(),
            f.plan.get_status_display(),
            f.due,
            float(f.claimed),
            float(f.verified),
            _("yes") if f.overdue else _("no"),
        ]
        for f in rows
    ]


def months_chart(rows: Sequence[Month], lang: str) -> SafeString:
    svg = charts.line_chart(
        [
            charts.Series(_("Plans issued"), [float(m.plans) for m in rows]),
            charts.Series(_("Plans verified"), [float(m.verified) for m in rows]),
            charts.Series(_("Overdue"), [float(m.overdue) for m in rows]),
        ],
        [_month_label(m, lang, first=i == 0) for i, m in enumerate(rows)],
        title=_("Follow-up progress over the last twelve months"),
        minimum=0,
        maximum=float(max([5, *(m.plans for m in rows)])),
        fmt=lambda v: format_number(v, 0, lang),
    )
    # lib.charts escapes every label and value it writes, so its markup is safe as a whole.
    return mark_safe(svg)  # noqa: S308


# --- pages -------------------------------------------------------------------------------------


@login_required
def dashboard(request: HttpRequest) -> HttpResponseBase:
    f = _filters(request)
    facts = dashboards.facts_for(dashboards.visible_plans(request.user, **f))
    units = dashboards.by_unit(facts)
    sources = dashboards.by_source(facts)
    month_rows = dashboards.months(facts)
    summary = dashboards.tally(facts)
    table = request.GET.get("table", "units")
    if export_format(request):
        if table == "sources":
            return _export(request, "tindak-lanjut-per-sumber", _tally_table(sources, _("Source")))
        if table == "months":
            return _export(request, "tindak-lanjut-per-bulan", _months_table(month_rows))
        return _export(request, "tindak-lanjut-per-unit", _tally_table(units, _("Unit code")))
    today = timezone.localdate()
    soon_limit = due_soon_limit(today)
    due_soon = sum(1 for x in facts if x.plan.is_due_soon(today, limit=soon_limit))
    context = {
        "f": f,
        "years": _years(request.user),
        "sources_choices": Recommendation.Source.choices,
        "filter_query": _filter_query(request),
        "summary": summary,
        "status_rows": list(zip(Status.labels, summary.status_counts, strict=True)),
        "units": units,
        "sources": sources,
        "months": month_rows,
        "chart": months_chart(month_rows, _lang()) if facts else "",
        "statuses": Status.choices,
        "due_soon": due_soon,
        "soon_days": due_soon_working_days(),
        "can_export": _can_export(request.user),
        "signer_form": SignerForm(user=request.user, initial=signer_initial())
        if _can_export(request.user)
        else None,
    }
    return render(request, "followup/dashboards/dashboard.html", context)


@login_required
def unit_dashboard(request: HttpRequest, code: str) -> HttpResponseBase:
    unit = policy.get_for_user(request.user, Unit, code=code)
    f = _filters(request)
    plans = dashboards.visible_plans(request.user, **f).filter(unit=unit)
    facts = dashboards.facts_for(plans)
    if export_format(request):
        return _export(request, f"tindak-lanjut-{unit.code.lower()}", _plans_table(facts))
    page, query = paginate(request, facts)
    summary = dashboards.tally(facts, unit.code, unit.name)
    votes = feedback.tallies(x.plan.pk for x in page.object_list)
    context = {
        "unit": unit,
        "rows": [(x, votes.get(x.plan.pk)) for x in page.object_list],
        "f": f,
        "years": _years(request.user),
        "sources_choices": Recommendation.Source.choices,
        "filter_query": _filter_query(request),
        "query": query,
        "page": page,
        "summary": summary,
        "status_rows": list(zip(Status.labels, summary.status_counts, strict=True)),
        "statuses": Status.choices,
        "can_export": _can_export(request.user),
    }
    return render(request, "followup/dashboards/unit.html", context)


@login_required
def scoreboard(request: HttpRequest) -> HttpResponseBase:
    f = _filters(request)
    facts = dashboards.facts_for(dashboards.visible_plans(request.user, **f))
    rows = dashboards.scoreboard(dashboards.by_unit(facts))
    if export_format(request):
        return _export(request, "peringkat-tindak-lanjut", _scoreboard_table(rows))
    page, query = paginate(request, rows)
    context = {
        "f": f,
        "years": _years(request.user),
        "sources_choices": Recommendation.Source.choices,
        "filter_query": _filter_query(request),
        "query": query,
        "page": page,
        "can_export": _can_export(request.user),
        "sections": extensions.scoreboard_sections(request.user),
    }
    return render(request, "followup/dashboards/scoreboard.html", context)


# --- the signed PDF ---------------------------------------------------------------------------


@login_required
def report(request: HttpRequest) -> HttpResponse:
    if not _can_export(request.user):
        raise PermissionDenied
    f = _filters(request)
    params = request.GET.copy()
    for name in f:
        params.pop(name, None)
    form = SignerForm(params or None, user=request.user)
    if params and not form.is_valid():
        return render(
            request, "followup/dashboards/report_form.html", {"form": form, "f": f}, status=400
        )
    chosen = (form.cleaned_data.get("signer") if params else None) or default_signer()
    number = form.cleaned_data["report_number"] if params else proposed_report_number()
    with translation.override(pdf.DEFAULT_LANGUAGE):  # labels in the document's language
        context = report_context(request.user, f, chosen, report_number=number)
        pdf_bytes = pdf.render_pdf(
            "followup/dashboards/report.html", context, government=Government.current()
        )
    response = HttpResponse(pdf_bytes, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="laporan-pemantauan-tindak-lanjut-{timezone.localdate():%Y-%m-%d}.pdf"'
    )
    return response


def report_context(
    user: Any, f: dict[str, Any], signer: User | None, *, report_number: str = ""
) -> dict[str, Any]:
    """What the PDF template shows (also used by tests to read the document's text)."""
    today = timezone.localdate()
    plans = dashboards.visible_plans(user, **f)
    facts = dashboards.facts_for(plans, today)
    tlhp_rows, tlhp_total = tlhp_table(plans.exclude(status=Status.CANCELLED))
    labels = dict(Recommendation.Source.choices)
    return {
        "f": f,
        "source_label": labels.get(f.get("source", ""), ""),
        "summary": dashboards.tally(facts),
        "units": dashboards.by_unit(facts),
        "statuses": Status.choices,
        "tlhp_rows": tlhp_rows,
        "tlhp_total": tlhp_total,
        "categories": Recommendation.Tlhp.choices,
        "overdue": [
            {"facts": x, "late": (today - x.due).days if x.due else 0}
            for x in dashboards.overdue_facts(facts)
        ],
        "today": today,
        "signer": pdf.Signer.from_user(signer) if signer else None,
        "report_number": report_number,
    }
