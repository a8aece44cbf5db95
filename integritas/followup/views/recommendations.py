"""Recommendation pages: list, write (from scratch, a template or a survey weak point), issue to
units, the follow-up category (TLHP), close (and reopen), and the detail page with each unit's
plan and, for a weak point, the unit's score in later waves (closing the loop)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from integritas.audit.models import Event
from integritas.core import extensions, history, policy
from integritas.core.models import Unit
from integritas.followup.access import WEAK_POINT_STATES
from integritas.followup.forms import (
    CloseForm,
    RecommendationFilterForm,
    RecommendationForm,
    ReopenForm,
    TlhpForm,
)
from integritas.followup.models import ActionPlan, Recommendation, RecommendationTemplate
from integritas.followup.services import feedback
from integritas.followup.services import recommendations as services
from integritas.followup.services.recommendations import recommendation_progress
from integritas.indices.models import IndexResult, IndexRun, WeakPoint
from integritas.lib.formatting import format_number
from integritas.lib.forms import add_service_errors
from integritas.lib.tables import Column, export_format, export_response, paginate
from integritas.surveys.models import Dimension, Wave

RECOMMENDATION_COLUMNS: list[Column[Recommendation]] = [
    Column("code", "code"),
    Column("title", "title"),
    Column("source", lambda r: r.get_source_display()),
    Column("reference_number", "reference_number"),
    Column("reference_date", "reference_date"),
    Column("report_received_on", "report_received_on"),
    Column("answer_due_on", "answer_due_on"),
    Column("year", "year"),
    Column("priority", lambda r: r.get_priority_display()),
    Column("status", lambda r: r.get_status_display()),
    Column("units", lambda r: ", ".join(u.code for u in r.units.all())),
    Column("tlhp", lambda r: r.get_tlhp_display()),
    Column("amount_to_recover", "amount_to_recover"),
    Column("amount_recovered", "amount_recovered"),
    Column("amount_outstanding", "amount_outstanding"),
]


@login_required
def recommendation_list(request: HttpRequest) -> HttpResponseBase:
    items = policy.scope(request.user, Recommendation).prefetch_related("units")
    f = RecommendationFilterForm(request.GET).filters
    if f["q"]:
        items = items.filter(
            Q(code__icontains=f["q"])
            | Q(title__icontains=f["q"])
            | Q(reference_number__icontains=f["q"])
        )
    if f["source"]:
        items = items.filter(source=f["source"])
    if f["year"] is not None:
        items = items.filter(year=f["year"])
    if f["unit"]:
        items = items.filter(units__code=f["unit"])
    if f["priority"]:
        items = items.filter(priority=f["priority"])
    if f["status"]:
        items = items.filter(status=f["status"])
    if f["tlhp"]:
        items = items.filter(tlhp=f["tlhp"])
    items = items.distinct().order_by("-year", "code")
    fmt = export_format(request)
    if fmt:
        policy.require(request.user, "export", Recommendation)
        return export_response(
            fmt=fmt,
            stem="recommendations",
            columns=RECOMMENDATION_COLUMNS,
            objects=items,
        )
    page, query = paginate(request, items)
    # Each row's progress over the plans the viewer may see (all of them for the Inspectorate).
    shown = policy.scope(request.user, ActionPlan).filter(recommendation__in=list(page.object_list))
    by_recommendation: dict[int, list[ActionPlan]] = {}
    for plan in shown.prefetch_related("activities"):
        by_recommendation.setdefault(plan.recommendation_id, []).append(plan)
    for row in page.object_list:
        row.progress = recommendation_progress(by_recommendation.get(row.pk, []))
    years = (
        policy.scope(request.user, Recommendation)
        .order_by("-year")
        .values_list("year", flat=True)
        .distinct()
    )
    context = {
        "page": page,
        "query": query,
        "f": f,
        "sources": Recommendation.Source.choices,
        "priorities": Recommendation.Priority.choices,
        "statuses": Recommendation.Status.choices,
        "categories": Recommendation.Tlhp.choices,
        "years": list(years),
        "units": policy.scope(request.user, Unit).filter(is_active=True).order_by("code"),
        "can_create": policy.allows_model(request.user, "create", Recommendation),
        "can_export": policy.allows_model(request.user, "export", Recommendation),
        "requested_n": _requested_weak_points(request.user).count()
        if policy.allows_model(request.user, "create", Recommendation)
        else 0,
        "signals": _open_signals(request.user),
    }
    return render(request, "followup/recommendation_list.html", context)


def _open_signals(user: Any) -> list[extensions.RecommendationSignal]:
    """The registers' signals (``core.extensions.recommendation_signals``) that no
    recommendation took up yet, for those who may create recommendations."""
    if not policy.allows_model(user, "create", Recommendation):
        return []
    signals = extensions.recommendation_signals(user)
    taken = set(
        Recommendation.objects.filter(reference_number__in=[s.key for s in signals]).values_list(
            "reference_number", flat=True
        )
    )
    return [s for s in signals if s.key not in taken]


def _signal_initial(signal: extensions.RecommendationSignal) -> dict[str, Any]:
    unit = Unit.objects.filter(pk=signal.unit_id).first() if signal.unit_id else None
    return {
        "source": signal.source,
        "title": signal.title,
        "description": signal.description,
        "units": [unit] if unit else [],
        "year": signal.year,
        "reference_number": signal.key,
    }


def _template_initial(template: RecommendationTemplate) -> dict[str, Any]:
    """Title and body in the active language (Indonesian unless English is chosen)."""
    english = (get_language() or "id").startswith("en")
    return {
        "title": (template.title_en if english else template.title_id) or template.title_id,
        "description": (template.body_en if english else template.body_id) or template.body_id,
        "source": Recommendation.Source.SPI,
    }


def _number(value: float) -> str:
    return format_number(value, 2, (get_language() or "id")[:2])


def weak_point_summary(weak_point: WeakPoint) -> str:
    """What the survey found, in words: the question by its text, the dimension by its name,
    the unit's score against the government's and the threshold, and why it is weak."""
    values = {
        "wave": weak_point.wave.title,
        "unit": weak_point.unit.name,
        "dimension": weak_point.dimension_name(),
        "score": _number(weak_point.score),
        "n": weak_point.n,
    }
    if weak_point.question is not None:
        values["question"] = weak_point.question.text("text")
        lines = [
            _(
                "In %(wave)s, %(unit)s scored %(score)s (%(n)d respondents) on the question "
                "“%(question)s” of “%(dimension)s”."
            )
            % values
        ]
    else:
        lines = [
            _("In %(wave)s, %(unit)s scored %(score)s (%(n)d respondents) on “%(dimension)s”.")
            % values
        ]
    if weak_point.government_score is not None:
        lines.append(
            _("The whole government scored %(score)s.")
            % {"score": _number(weak_point.government_score)}
        )
    if weak_point.threshold is not None:
        lines.append(
            _("The threshold is %(threshold)s.") % {"threshold": _number(weak_point.threshold)}
        )
    lines.append(f"{weak_point.get_reason_display()}.")
    text = " ".join(lines)
    return f"{text}\n\n{weak_point.request_note}" if weak_point.request_note else text


def _weak_point_initial(weak_point: WeakPoint) -> dict[str, Any]:
    name = weak_point.dimension_name()
    return {
        "source": Recommendation.Source.WEAK_POINT,
        "title": _("Improve “%(dimension)s” in %(unit)s")
        % {"dimension": name, "unit": weak_point.unit.name},
        "description": weak_point_summary(weak_point),
        "units": [weak_point.unit],
        "year": weak_point.wave.opens_on.year,
        "reference_number": weak_point.wave.code,
    }


def _posted(request: HttpRequest) -> dict[str, Any]:
    """What was typed and ticked, to show the form again as it was (after a unit search)."""
    values: dict[str, Any] = {
        name: request.POST.get(name, "") for name in RecommendationForm.Meta.fields
    }
    values["units"] = request.POST.getlist("units")
    return values


def _recommendation_form(
    request: HttpRequest, *, initial: dict[str, Any], instance: Recommendation | None = None
) -> tuple[RecommendationForm, bool]:
    """The form, and whether it was sent to be saved. "Search" beside the target units sends
    the form back unsaved: it comes back unbound (no errors yet) with what was typed and ticked
    and the unit list narrowed to the search."""
    search = request.POST.get("unit_q", "") if request.method == "POST" else ""
    if request.method == "POST" and "unit_search" in request.POST:
        form = RecommendationForm(initial=_posted(request), instance=instance, unit_search=search)
        return form, False
    form = RecommendationForm(
        request.POST or None, initial=initial, instance=instance, unit_search=search
    )
    return form, request.method == "POST"


def _status(form: RecommendationForm, saving: bool) -> int:
    return 400 if saving and form.errors else 200


def _weak_point_label(weak_point: WeakPoint) -> str:
    """The weak point in words: the question's text or the dimension's name, and the unit."""
    what = weak_point.question.text("text") if weak_point.question else ""
    return _("%(what)s · %(unit)s, %(wave)s") % {
        "what": what or weak_point.dimension_name(),
        "unit": weak_point.unit.name,
        "wave": weak_point.wave.title,
    }


def _requested_weak_points(user: Any) -> Any:
    return (
        policy.scope(user, WeakPoint)
        .filter(status=WeakPoint.Status.RECOMMENDATION_REQUESTED, recommendation_ref="")
        .select_related("wave", "unit", "question")
    )


@login_required
@require_http_methods(["GET", "POST"])
def recommendation_create(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, "create", Recommendation)
    weak_point = None
    template = None
    initial: dict[str, Any] = {}
    source_id = request.POST.get("weak_point") or request.GET.get("weak_point", "")
    template_code = request.POST.get("template") or request.GET.get("template", "")
    signal_key = request.POST.get("signal") or request.GET.get("signal", "")
    signal = None
    if signal_key:
        signal = next((s for s in _open_signals(request.user) if s.key == signal_key), None)
        if signal is None:
            raise Http404
        initial = _signal_initial(signal)
    elif source_id:
        weak_point = policy.get_for_user(
            request.user,
            WeakPoint,
            public_id=source_id,
            status__in=WEAK_POINT_STATES,
            recommendation_ref="",
        )
        initial = _weak_point_initial(weak_point)
    elif template_code:
        template = policy.get_for_user(
            request.user, RecommendationTemplate, code=template_code, is_active=True
        )
        initial = _template_initial(template)
    form, saving = _recommendation_form(request, initial=initial)
    if saving and form.is_valid():
        recommendation = Recommendation(weak_point=weak_point, template=template)
        if weak_point is not None:
            form.cleaned_data["source"] = Recommendation.Source.WEAK_POINT
        if signal is not None:
            form.cleaned_data["source"] = signal.source
            form.cleaned_data["reference_number"] = signal.key
        try:
            services.recommendation_save(
                recommendation=recommendation,
                values=form.values(),
                units=form.cleaned_data["units"],
                by=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Recommendation %(code)s was saved as a draft.") % {"code": recommendation.code},
            )
            return redirect("followup-recommendation", recommendation.code)
    context = {
        "form": form,
        "recommendation": None,
        "weak_point": weak_point,
        "weak_point_label": _weak_point_label(weak_point) if weak_point else "",
        "signal": signal,
        "template": template,
        "templates": RecommendationTemplate.objects.filter(is_active=True),
        "english": (get_language() or "id").startswith("en"),
    }
    return render(
        request, "followup/recommendation_form.html", context, status=_status(form, saving)
    )


@login_required
@require_http_methods(["GET", "POST"])
def recommendation_edit(request: HttpRequest, code: str) -> HttpResponse:
    recommendation = policy.get_for_user(request.user, Recommendation, need="change", code=code)
    if recommendation.status != Recommendation.Status.DRAFT:
        messages.error(request, _("An issued recommendation can no longer be changed."))
        return redirect("followup-recommendation", recommendation.code)
    form, saving = _recommendation_form(
        request, initial={"units": list(recommendation.units.all())}, instance=recommendation
    )
    if saving and form.is_valid():
        try:
            services.recommendation_save(
                recommendation=Recommendation.objects.get(pk=recommendation.pk),
                values=form.values(),
                units=form.cleaned_data["units"],
                by=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The recommendation was saved."))
            return redirect("followup-recommendation", recommendation.code)
    context = {
        "form": form,
        "recommendation": recommendation,
        "weak_point": recommendation.weak_point,
        "weak_point_label": _weak_point_label(recommendation.weak_point)
        if recommendation.weak_point
        else "",
        "template": None,
        "templates": [],
    }
    return render(
        request, "followup/recommendation_form.html", context, status=_status(form, saving)
    )


@dataclass
class LoopRow:
    """The weak point's unit × dimension score in one wave of the same instrument."""

    wave: Wave
    is_origin: bool
    computed: bool
    score: float | None
    n: int | None
    suppressed: bool


def closing_the_loop(user: Any, weak_point: WeakPoint) -> list[LoopRow]:
    """The unit's score for the weak point's dimension in its wave and every later wave of the
    same instrument the user may see; suppressed cells keep no score."""
    origin = weak_point.wave
    waves = (
        policy.scope(user, Wave)
        .filter(version__instrument_id=origin.version.instrument_id, opens_on__gte=origin.opens_on)
        .order_by("opens_on", "code")
    )
    rows = []
    for wave in waves:
        run = policy.scope(user, IndexRun).filter(wave=wave).order_by("-computed_at").first()
        result = (
            IndexResult.objects.filter(
                run=run,
                node=weak_point.unit.code,
                dimension=weak_point.dimension,
                respondent_type=weak_point.respondent_type,
            ).first()
            if run
            else None
        )
        suppressed = bool(result and (result.suppressed or result.score is None))
        rows.append(
            LoopRow(
                wave=wave,
                is_origin=wave.pk == origin.pk,
                computed=run is not None,
                score=None if result is None or suppressed else result.score,
                n=result.n if result else None,
                suppressed=suppressed,
            )
        )
    return rows


@login_required
def recommendation_detail(request: HttpRequest, code: str) -> HttpResponse:
    recommendation = policy.get_for_user(request.user, Recommendation, code=code)
    plans = (
        policy.scope(request.user, ActionPlan)
        .filter(recommendation=recommendation)
        .select_related("unit")
        .prefetch_related("activities")
        .order_by("unit__code")
    )
    can_change = policy.allows(request.user, "change", recommendation)
    tallies = feedback.tallies(p.pk for p in plans)
    closed = recommendation.status == Recommendation.Status.CLOSED
    weak_point = recommendation.weak_point
    suggested = _suggestion(recommendation) if can_change and not closed else None
    context = {
        "recommendation": recommendation,
        "progress": recommendation_progress(plans),
        "suggested": suggested,
        "suggested_label": Recommendation.Tlhp(suggested).label if suggested else "",
        "units": recommendation.units.order_by("code"),
        "plans": [
            {"plan": p, "progress": p.progress(), "due": p.due_on, "feedback": tallies.get(p.pk)}
            for p in plans
        ],
        "can_change": can_change,
        "can_edit": can_change and recommendation.status == Recommendation.Status.DRAFT,
        "can_issue": can_change and recommendation.status == Recommendation.Status.DRAFT,
        "can_classify": can_change and not closed,
        "can_close": recommendation.status == Recommendation.Status.ISSUED
        and policy.allows_model(request.user, "close", Recommendation),
        "can_reopen": closed and policy.allows_model(request.user, "reopen", Recommendation),
        "weak_point": weak_point,
        "weak_point_visible": weak_point is not None
        and policy.scope(request.user, WeakPoint).filter(pk=weak_point.pk).exists(),
        "weak_point_label": _weak_point_label(weak_point) if weak_point else "",
        "dimension_name": weak_point.dimension_name() if weak_point else "",
        "loop": closing_the_loop(request.user, weak_point) if weak_point else [],
        "history": history.for_viewer(
            request.user, Event.objects.for_object(recommendation).select_related("actor")[:30]
        ),
    }
    return render(request, "followup/recommendation_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def recommendation_issue(request: HttpRequest, code: str) -> HttpResponse:
    recommendation = policy.get_for_user(request.user, Recommendation, need="change", code=code)
    if recommendation.status != Recommendation.Status.DRAFT:
        messages.error(request, _("This recommendation has already been issued."))
        return redirect("followup-recommendation", recommendation.code)
    if request.method == "POST":
        try:
            plans = services.recommendation_issue(
                recommendation=recommendation,
                by=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("The recommendation was issued; %(n)d units received an action plan to fill in.")
                % {"n": len(plans)},
            )
        return redirect("followup-recommendation", recommendation.code)
    context = {"recommendation": recommendation, "units": recommendation.units.order_by("code")}
    return render(request, "followup/recommendation_issue.html", context)


def _tlhp_initial(recommendation: Recommendation) -> dict[str, Any]:
    return {
        "tlhp": recommendation.tlhp,
        "tlhp_reason": recommendation.tlhp_reason,
        "amount_recovered": recommendation.amount_recovered,
    }


def _suggestion(recommendation: Recommendation) -> str | None:
    """The TLHP category the recommendation's plans suggest (all of them, not the viewer's
    share: only the Inspectorate classifies)."""
    return recommendation_progress(recommendation.plans.prefetch_related("activities")).suggested


@login_required
@require_http_methods(["GET", "POST"])
def recommendation_tlhp(request: HttpRequest, code: str) -> HttpResponse:
    recommendation = policy.get_for_user(request.user, Recommendation, need="change", code=code)
    if recommendation.status == Recommendation.Status.CLOSED:
        messages.error(
            request,
            _(
                "The recommendation is closed: its follow-up category no longer changes. "
                "The inspector general may reopen it."
            ),
        )
        return redirect("followup-recommendation", recommendation.code)
    progress = recommendation_progress(recommendation.plans.prefetch_related("activities"))
    suggested = progress.suggested
    context: dict[str, Any] = {
        "recommendation": recommendation,
        "progress": progress,
        "suggested": suggested,
        "suggested_label": Recommendation.Tlhp(suggested).label if suggested else "",
    }
    if request.method == "POST" and "accept" in request.POST:
        # One click: the category the plans suggest now (computed here, never taken from the
        # form), keeping the amount recovered.
        if suggested is None:
            messages.error(
                request, _("There is no suggestion yet: the recommendation has no plan.")
            )
        else:
            services.recommendation_set_tlhp(
                recommendation=recommendation,
                category=suggested,
                suggested=suggested,
                by=request.user,  # type: ignore[arg-type]
            )
            messages.success(request, _("The follow-up category was saved."))
            return redirect("followup-recommendation", recommendation.code)
        context["form"] = TlhpForm(initial=_tlhp_initial(recommendation))
        return render(request, "followup/recommendation_tlhp.html", context, status=400)
    form = TlhpForm(request.POST or None, initial=_tlhp_initial(recommendation))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.recommendation_set_tlhp(
                recommendation=recommendation,
                category=data["tlhp"],
                reason=data["tlhp_reason"],
                amount_recovered=data["amount_recovered"],
                suggested=suggested,
                by=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The follow-up category was saved."))
            return redirect("followup-recommendation", recommendation.code)
    context["form"] = form
    return render(
        request,
        "followup/recommendation_tlhp.html",
        context,
        status=400 if request.method == "POST" else 200,
    )


def _get_for(request: HttpRequest, code: str, capability: str) -> Recommendation:
    """The recommendation if the user may see it (404 otherwise) and holds ``capability``
    (``close`` or ``reopen``; 403 otherwise)."""
    recommendation = policy.get_for_user(request.user, Recommendation, code=code)
    if not policy.allows_model(request.user, capability, Recommendation):
        raise PermissionDenied
    return recommendation


@login_required
@require_http_methods(["GET", "POST"])
def recommendation_close(request: HttpRequest, code: str) -> HttpResponse:
    """The confirmation step of closing: what closing means, the confirmed category and its
    reason, and what still blocks it (then there is nothing to confirm)."""
    recommendation = _get_for(request, code, "close")
    if recommendation.status != Recommendation.Status.ISSUED:
        messages.error(request, " ".join(services.close_blockers(recommendation)))
        return redirect("followup-recommendation", recommendation.code)
    form = CloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.recommendation_close(
                recommendation=recommendation,
                by=request.user,  # type: ignore[arg-type]
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Recommendation %(code)s was closed; its units were told.")
                % {"code": recommendation.code},
            )
            return redirect("followup-recommendation", recommendation.code)
    plans = recommendation.plans.select_related("unit").order_by("unit__code")
    context = {
        "recommendation": recommendation,
        "form": form,
        "blockers": services.close_blockers(recommendation),
        "plans": plans,
        "progress": recommendation_progress(plans.prefetch_related("activities")),
    }
    return render(
        request,
        "followup/recommendation_close.html",
        context,
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def recommendation_reopen(request: HttpRequest, code: str) -> HttpResponse:
    """Reopen a recommendation closed by mistake: the inspector general's, with a reason."""
    recommendation = _get_for(request, code, "reopen")
    if recommendation.status != Recommendation.Status.CLOSED:
        messages.error(request, _("This recommendation is not closed."))
        return redirect("followup-recommendation", recommendation.code)
    form = ReopenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.recommendation_reopen(
                recommendation=recommendation,
                by=request.user,  # type: ignore[arg-type]
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Recommendation %(code)s was reopened; its units and the Inspectorate were told.")
                % {"code": recommendation.code},
            )
            return redirect("followup-recommendation", recommendation.code)
    return render(
        request,
        "followup/recommendation_reopen.html",
        {"recommendation": recommendation, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def weak_point_requests(request: HttpRequest) -> HttpResponse:
    """Weak points the survey team asked a recommendation for, not yet answered."""
    if not policy.allows_model(request.user, "create", Recommendation):
        raise PermissionDenied
    items = _requested_weak_points(request.user).order_by("-requested_at", "unit__code")
    page, query = paginate(request, items)
    names: dict[tuple[int, str], str] = {
        (d.version_id, d.code): d.text("name")
        for d in Dimension.objects.filter(
            version_id__in={wp.wave.version_id for wp in page.object_list}
        )
    }
    rows = [
        {
            "wp": wp,
            "dimension": names.get((wp.wave.version_id, wp.dimension), wp.dimension),
            "question": wp.question.text("text") if wp.question else "",
        }
        for wp in page.object_list
    ]
    return render(
        request,
        "followup/weak_point_requests.html",
        {"page": page, "query": query, "rows": rows},
    )
