"""Weak-point pages: the ranked list, one weak point with its questions, and the inspector's
decisions (request a recommendation, dismiss) plus "detect now" on a wave."""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import F, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from integritas.audit.models import Event
from integritas.core import extensions, history, policy
from integritas.core.models import Unit
from integritas.indices.engine import ALL_TYPES
from integritas.indices.forms.weak_points import DismissForm, RequestForm, WeakPointFilterForm
from integritas.indices.models import IndexRun, WeakPoint
from integritas.indices.services import weak_points
from integritas.indices.services.loader import LoadError, method_for
from integritas.lib import charts
from integritas.lib.formatting import format_number
from integritas.lib.tables import Column, export_format, export_response, paginate
from integritas.surveys.models import Dimension, RespondentType, Wave

STILL_WEAK = {"yes": True, "no": False}
# Worst first; within a tie the dimension comes before its questions (on every database).
RANKING = (
    "-severity",
    "unit__code",
    "dimension",
    F("question__slot").asc(nulls_first=True),
    "respondent_type",
    "pk",
)


@dataclass(frozen=True)
class RankedWeakPoint:
    """A row of the export: the weak point, its rank in the list and its dimension's name."""

    rank: int
    item: WeakPoint
    dimension_name: str


EXPORT_COLUMNS: list[Column[RankedWeakPoint]] = [
    Column("rank", "rank"),
    Column("wave", lambda r: r.item.wave.code),
    Column("unit_code", lambda r: r.item.unit.code),
    Column("unit", lambda r: r.item.unit.name),
    Column("dimension", lambda r: r.item.dimension),
    Column("dimension_name", "dimension_name"),
    Column("question", lambda r: r.item.question.code if r.item.question else ""),
    Column("respondent_type", lambda r: r.item.respondent_type),
    Column("reason", lambda r: r.item.reason),
    Column("score", lambda r: _rounded(r.item.score)),
    Column("n", lambda r: r.item.n),
    Column("ci_low", lambda r: _rounded(r.item.ci_low)),
    Column("ci_high", lambda r: _rounded(r.item.ci_high)),
    Column("government_score", lambda r: _rounded(r.item.government_score)),
    Column("government_ci_low", lambda r: _rounded(r.item.government_ci_low)),
    Column("government_ci_high", lambda r: _rounded(r.item.government_ci_high)),
    Column("threshold", lambda r: r.item.threshold),
    Column("severity", lambda r: _rounded(r.item.severity)),
    Column("status", lambda r: r.item.status),
    Column("still_weak", lambda r: "yes" if r.item.still_weak else "no"),
    Column("detected_at", lambda r: r.item.detected_at),
    Column("requested_at", lambda r: r.item.requested_at),
    Column("recommendation_ref", lambda r: r.item.recommendation_ref),
]


def _dimension_names(version_ids: Iterable[int]) -> dict[tuple[int, str], str]:
    """Dimension names in the active language by (instrument version, code)."""
    return {
        (d.version_id, d.code): d.text("name")
        for d in Dimension.objects.filter(version_id__in=set(version_ids))
    }


def _type_label(code: str) -> str:
    if code == ALL_TYPES:
        return _("All respondents")
    try:
        return str(RespondentType(code).label)
    except ValueError:
        return code


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


@login_required
def weak_point_list(request: HttpRequest) -> HttpResponseBase:
    visible = policy.scope(request.user, WeakPoint)
    items = visible.select_related("wave", "unit", "question")
    # Without a wave in the query string the list shows the latest wave the viewer has weak
    # points in; "All" (an empty wave) shows every wave.
    latest = (
        visible.order_by("-wave__opens_on", "-wave__code")
        .values_list("wave__code", flat=True)
        .first()
    )
    filters = WeakPointFilterForm(request.GET, latest_wave=latest).filters
    if filters["wave"]:
        items = items.filter(wave__code=filters["wave"])
    if filters["unit"]:
        items = items.filter(unit__code=filters["unit"])
    if filters["dimension"]:
        items = items.filter(dimension=filters["dimension"])
    if filters["reason"]:
        items = items.filter(reason=filters["reason"])
    if filters["status"]:
        items = items.filter(status=filters["status"])
    if filters["still_weak"]:
        items = items.filter(still_weak=STILL_WEAK[filters["still_weak"]])
    if filters["level"]:
        items = items.filter(question__isnull=filters["level"] == "dimension")
    if filters["q"]:
        q = filters["q"]
        named = Dimension.objects.filter(Q(name_id__icontains=q) | Q(name_en__icontains=q))
        items = items.filter(
            Q(unit__code__icontains=q)
            | Q(unit__name__icontains=q)
            | Q(dimension__icontains=q)
            | Q(dimension__in=named.values("code"), wave__version__in=named.values("version"))
            | Q(question__code__icontains=q)
            | Q(question__text_id__icontains=q)
            | Q(question__text_en__icontains=q)
        )
    items = items.order_by(*RANKING)
    fmt = export_format(request)
    if fmt:
        return _export(fmt, items)
    page, query = paginate(request, items)
    names = _dimension_names(w.wave.version_id for w in page.object_list)
    rows = [
        {
            "rank": page.start_index() + i,
            "item": w,
            "dimension_name": names.get((w.wave.version_id, w.dimension), ""),
            "question_text": w.question.text("text") if w.question else "",
            "type_label": _type_label(w.respondent_type),
        }
        for i, w in enumerate(page.object_list)
    ]
    waves = policy.scope(request.user, Wave).filter(
        Q(pk__in=IndexRun.objects.values("wave_id")) | Q(pk__in=visible.values("wave_id"))
    )
    chosen_wave = (
        policy.scope(request.user, Wave).filter(code=filters["wave"]).first()
        if filters["wave"]
        else None
    )
    context: dict[str, Any] = {
        "page": page,
        "rows": rows,
        "query": query,
        "filters": filters,
        "filtered": visible.exists(),
        "waves": waves.distinct().order_by("-opens_on", "code"),
        "units": Unit.objects.filter(pk__in=visible.values("unit_id")).order_by("code"),
        "dimensions": _dimension_choices(visible, chosen_wave),
        "reasons": WeakPoint.Reason.choices,
        "statuses": WeakPoint.Status.choices,
        "chosen_wave": chosen_wave,
        "can_detect": chosen_wave is not None
        and policy.allows_model(request.user, "change", WeakPoint),
    }
    return render(request, "indices/weak_points/list.html", context)


def _dimension_choices(visible: QuerySet[WeakPoint], wave: Wave | None) -> list[tuple[str, str]]:
    """(code, name) of the dimensions that have weak points (in the chosen wave, else in any),
    named as the latest instrument version that has them words them; sorted by name."""
    if wave is not None:
        visible = visible.filter(wave=wave)
    codes = set(visible.values_list("dimension", flat=True))
    versions = list(
        Wave.objects.filter(pk__in=visible.values("wave_id"))
        .order_by("-opens_on")
        .values_list("version_id", flat=True)
    )
    found = _dimension_names(versions)
    names: dict[str, str] = {}
    for version_id in versions:
        for code in codes:
            if (version_id, code) in found:
                names.setdefault(code, found[version_id, code])
    return sorted(((code, names.get(code, code)) for code in codes), key=lambda c: c[1])


def _ranked(items: QuerySet[WeakPoint]) -> Iterator[RankedWeakPoint]:
    """The export's rows: every weak point with its rank, dimension names read once per version."""
    names: dict[tuple[int, str], str] = {}
    for rank, w in enumerate(items.iterator(chunk_size=2000), start=1):
        if (w.wave.version_id, w.dimension) not in names:
            names.update(_dimension_names([w.wave.version_id]))
        yield RankedWeakPoint(rank, w, names.get((w.wave.version_id, w.dimension), ""))


def _export(fmt: str, items: QuerySet[WeakPoint]) -> HttpResponseBase:
    return export_response(
        fmt=fmt, stem="weak-points", columns=EXPORT_COLUMNS, objects=_ranked(items)
    )


def _chart(weak_point: WeakPoint) -> SafeString:
    """Bars for the unit's and the government's score with 95 % whiskers, and the threshold."""
    try:
        method = method_for(weak_point.wave)
    except LoadError:
        method = ""
    values = [
        v
        for v in (
            weak_point.score,
            weak_point.ci_high,
            weak_point.government_score,
            weak_point.government_ci_high,
            weak_point.threshold,
        )
        if v is not None
    ]
    high = (
        100.0 if method in ("integrity", "satisfaction") else float(max(1, math.ceil(max(values))))
    )
    high = max([high, *values])
    entries = [
        (_("This unit"), weak_point.score, weak_point.ci_low, weak_point.ci_high, "#991b1b"),
        (
            _("Government"),
            weak_point.government_score,
            weak_point.government_ci_low,
            weak_point.government_ci_high,
            "#0b4f6c",
        ),
    ]
    bars = [
        charts.Bar(label, score, colour, None if low is None or up is None else (low, up))
        for label, score, low, up, colour in entries
        if score is not None
    ]
    threshold = weak_point.threshold
    lang = (get_language() or "id")[:2]
    svg = charts.bar_chart(
        bars,
        title=_("Score compared with the whole government"),
        maximum=high,
        reference=None if threshold is None else charts.Reference(_("Threshold"), threshold),
        fmt=lambda value: format_number(value, 2, lang),
        tick_fmt=lambda value: format_number(value, 0 if value == round(value) else 2, lang),
        width=420,
        label_width=120,
    )
    # lib.charts escapes every label and value it writes, so its markup is safe as a whole.
    return mark_safe(svg)  # noqa: S308


def _detail(
    request: HttpRequest,
    weak_point: WeakPoint,
    *,
    request_form: RequestForm | None = None,
    dismiss_form: DismissForm | None = None,
    status: int = 200,
) -> HttpResponse:
    visible = policy.scope(request.user, WeakPoint).select_related("question")
    same_place = visible.filter(
        wave_id=weak_point.wave_id,
        unit_id=weak_point.unit_id,
        dimension=weak_point.dimension,
        respondent_type=weak_point.respondent_type,
    )
    if weak_point.is_question:
        parent = same_place.filter(question__isnull=True).first()
        questions = same_place.filter(question__isnull=False).exclude(pk=weak_point.pk)
    else:
        parent = None
        questions = same_place.filter(question__isnull=False)
    can_act = policy.allows(request.user, "change", weak_point) and bool(
        weak_points.TRANSITIONS.available(status=weak_point.status)
    )
    names = _dimension_names([weak_point.wave.version_id])
    context: dict[str, Any] = {
        "weak_point": weak_point,
        "dimension_name": names.get((weak_point.wave.version_id, weak_point.dimension), ""),
        "type_label": _type_label(weak_point.respondent_type),
        "chart": _chart(weak_point),
        "parent": parent,
        "question_text": weak_point.question.text("text") if weak_point.question else "",
        "questions": [
            (q, q.question.text("text") if q.question else "")
            for q in questions.order_by("-severity", "question__slot")[:50]
        ],
        "can_act": can_act,
        "recommendations": extensions.object_links(request.user, weak_point, "related"),
        "start_links": extensions.object_links(request.user, weak_point, "action"),
        "request_form": request_form or (RequestForm() if can_act else None),
        "dismiss_form": dismiss_form or (DismissForm() if can_act else None),
        "history": history.for_viewer(
            request.user,
            Event.objects.filter(
                object_type="indices.weakpoint", object_id=str(weak_point.pk)
            ).select_related("actor")[:30],
        ),
    }
    return render(request, "indices/weak_points/detail.html", context, status=status)


def _get(request: HttpRequest, public_id: UUID, need: policy.Need = "view") -> WeakPoint:
    return policy.get_for_user(request.user, WeakPoint, need=need, public_id=public_id)


@login_required
def weak_point_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    return _detail(request, _get(request, public_id))


@require_POST
@login_required
def weak_point_request(request: HttpRequest, public_id: UUID) -> HttpResponse:
    weak_point = _get(request, public_id, need="change")
    form = RequestForm(request.POST)
    if not form.is_valid():
        return _detail(request, weak_point, request_form=form, status=400)
    try:
        weak_points.request_recommendation(
            weak_point=weak_point, by=request.user, note=form.cleaned_data["note"]
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _(
                "A recommendation was requested. The follow-up process will turn it into a "
                "recommendation for the unit."
            ),
        )
    return redirect("indices-weak-point", weak_point.public_id)


@require_POST
@login_required
def weak_point_dismiss(request: HttpRequest, public_id: UUID) -> HttpResponse:
    weak_point = _get(request, public_id, need="change")
    form = DismissForm(request.POST)
    if not form.is_valid():
        return _detail(request, weak_point, dismiss_form=form, status=400)
    try:
        weak_points.dismiss(
            weak_point=weak_point, by=request.user, reason=form.cleaned_data["reason"]
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The weak point was dismissed."))
    return redirect("indices-weak-point", weak_point.public_id)


@require_POST
@login_required
def weak_points_detect(request: HttpRequest, code: str) -> HttpResponse:
    wave = policy.get_for_user(request.user, Wave, code=code)
    policy.require(request.user, "change", WeakPoint)
    back = f"{reverse('indices-weak-points')}?{urlencode({'wave': wave.code})}"
    run = IndexRun.objects.filter(wave=wave).order_by("-computed_at").first()
    if run is None:
        messages.error(
            request,
            _(
                "Wave %(code)s has no index results yet. Compute its indices first, then "
                "look for weak points."
            )
            % {"code": wave.code},
        )
        return redirect(back)
    summary = weak_points.detect(run=run)
    messages.success(
        request,
        _(
            "Weak points of wave %(code)s: %(found)d found (%(new)d new); %(removed)d no "
            "longer found were removed."
        )
        % {
            "code": wave.code,
            "found": summary.found,
            "new": summary.created,
            "removed": summary.removed,
        },
    )
    return redirect(back)
