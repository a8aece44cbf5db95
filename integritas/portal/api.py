"""The portal's part of the public API (``/api/v1/``): the same published records as its pages.

Every handler reads through ``services/public.py``, as the pages do, so an unpublished record or
a withheld survey result can no more reach the API than a page. The plumbing (errors, pages,
caching headers, CORS) is ``lib/api.py``. Handlers depend only on the path and the query.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from django.urls import reverse
from ninja import Path, Query, Router, Schema
from pydantic import Field
from pydantic.json_schema import SkipJsonSchema

from integritas.core.models import Unit
from integritas.followup.models import ActionPlan, Activity, Evidence, Recommendation
from integritas.indices.services import dashboards, official
from integritas.lib.api import NotFound, Page, PageParams, paginate, responses
from integritas.portal.services import public as published
from integritas.surveys.models import Wave

router = Router()

UNITS, WAVES, FOLLOWUP, PROFILE = "Units", "Survey results", "Follow-up tracker", "Profile"


def _api(name: str, *args: Any) -> str:
    return reverse(f"api-v1:{name}", args=args)


def _number(value: Decimal | float | None, places: int) -> float | None:
    return None if value is None else round(float(value), places)


# --- Schemas ---------------------------------------------------------------------------------


class Links(Schema):
    page: str = Field(description="The portal page showing this record (a path on this site).")
    api: str = Field(description="This record in the API (a path on this site).")


class UnitRef(Schema):
    code: str
    name: str
    links: Links


class UnitOut(UnitRef):
    """A work unit of the government."""

    type: str = Field(description="The kind of unit (office, agency, district, ...), a code.")
    type_label: str
    parent: str | None = Field(description="The code of the unit above it, if any.")


class CellOut(Schema):
    """One survey result as the portal shows it. A withheld result (too few respondents, or
    hidden so that a small group cannot be worked out by subtraction) has no score, interval or
    grade, and its respondent count only as a bound."""

    suppressed: bool = Field(description="Whether the result is withheld.")
    score: float | None = Field(description="The score, rounded as the portal shows it.")
    ci_low: float | None = Field(description="Lower end of the 95% confidence interval.")
    ci_high: float | None = Field(description="Upper end of the 95% confidence interval.")
    grade: str | None = Field(description="The grade or category (A–D for the IKM), if any.")
    respondents: int | None = Field(description="How many answered; null when withheld.")
    respondents_withheld: str | None = Field(
        description='For a withheld result: "< k" (fewer than k) or "≥ k", else null.'
    )


class WaveOut(Schema):
    """A survey wave whose results the Inspectorate published."""

    code: str
    title: str
    instrument: str = Field(description="The questionnaire.")
    opens_on: dt.date
    closes_on: dt.date
    links: Links


class DimensionOut(Schema):
    code: str
    name: str
    result: CellOut | None


class LevelOut(Schema):
    level: int = Field(description="1 = units directly under the government, 2 = below those.")
    label: str


class WaveDetailOut(WaveOut):
    """A published wave's results for the whole government."""

    method: str = Field(description="The index method, in words.")
    min_group_size: int = Field(description="k: results of fewer respondents are withheld.")
    government: CellOut | None = Field(description="The whole government's overall result.")
    correction: float = Field(
        description="Points subtracted from the government's integrity index (0 if none)."
    )
    dimensions: list[DimensionOut] = Field(description="The government's result per dimension.")
    levels: list[LevelOut] = Field(description="The unit levels with results (see /units).")
    units: str = Field(description="The address of the units' results (API path).")


class UnitResultOut(Schema):
    unit: UnitRef
    overall: CellOut | None
    dimensions: list[DimensionOut]


class UnitResultsPage(Page[UnitResultOut]):
    level: int = Field(description="The unit level listed (see the wave's levels).")


class SpiYearOut(Schema):
    year: int
    index: float = Field(description="The official SPI index (0–100).")
    category: str = Field(description="KPK's category for the index that year.")
    change: float | None = Field(description="Points up or down from the previous year.")
    national_index: float | None = Field(description="The national index that year.")
    same_type_average: float | None = Field(
        description="The average of institutions of the same type that year."
    )


class InstitutionOut(Schema):
    name: str
    kind: str = Field(description="The kind of institution, a code.")
    kind_label: str


class ProfileOut(Schema):
    """The government's official integrity profile: KPK's SPI results by year."""

    institution: InstitutionOut | None = Field(description="Null when no result is recorded.")
    years: list[SpiYearOut] = Field(description="Newest first.")


class EvidenceOut(Schema):
    """A piece of evidence the Inspectorate published. A file is downloaded from
    ``download_url`` cleaned of its metadata; a link points to another site."""

    id: str = Field(description="The evidence's public identifier.")
    title: str
    kind: str = Field(description='"file" or "url".')
    download_url: str | None = Field(description="For a file: where to download it (a path).")
    url: str | None = Field(description="For a link: its address.")


class ActivityOut(Schema):
    title: str
    output: str = Field(description="The output or target indicator.")
    due_on: dt.date
    status: str
    status_label: str
    evidence: list[EvidenceOut]


class StepOut(Schema):
    verified_on: dt.date = Field(description="When the Inspectorate verified the step.")
    title: str


class PlanSummaryOut(Schema):
    unit: UnitRef
    status: str
    status_label: str
    progress: float = Field(description="Progress verified by the Inspectorate, in percent.")
    due_on: dt.date | None = Field(description="Null until the plan is approved.")


class FeedbackTallyOut(Schema):
    """How many citizens answered whether they see the action done, as the action's page
    counts them: every answer that is not hidden by the moderators. Only the counts are
    published; comments stay on the action's page once approved."""

    yes: int = Field(ge=0)
    partly: int = Field(ge=0)
    no: int = Field(ge=0)
    total: int = Field(ge=0)


class PlanOut(PlanSummaryOut):
    """A unit's action plan. Its activities are shown once the Inspectorate approved it."""

    recommendation: str = Field(description="The recommendation's number.")
    activities_shown: bool = Field(description="False while the plan awaits approval.")
    activities: list[ActivityOut]
    timeline: list[StepOut] = Field(description="The verified steps, oldest first.")
    feedback: FeedbackTallyOut = Field(description="Citizens' answers: is the action done?")


class RecommendationOut(Schema):
    """A published recommendation and its units' plans, in short."""

    code: str = Field(description="The recommendation's number.")
    title: str
    status: str
    status_label: str
    source: str
    source_label: str
    year: int
    issued_on: dt.date | None
    plans: list[PlanSummaryOut]
    links: Links


class RecommendationDetailOut(RecommendationOut):
    """A published recommendation with everything its page shows."""

    description: str
    reference_number: str
    reference_date: dt.date | None
    follow_up_category: str = Field(description="BPK's follow-up category (TLHP), a code.")
    follow_up_category_label: str
    plans: list[PlanOut]  # type: ignore[assignment]


class UnitDetailOut(UnitOut):
    """A unit with its published actions and its overall result in each published wave."""

    plans: list[PlanOut]
    results: list[UnitWaveResultOut]


class UnitWaveResultOut(Schema):
    wave: WaveOut
    overall: CellOut | None


UnitDetailOut.model_rebuild()


class TrackerFilters(Schema):
    """The tracker page's filters, each optional: one not sent does not filter (the document
    shows each with its plain type, since null is not a value a query can send)."""

    unit: Annotated[str, Field(max_length=50)] | SkipJsonSchema[None] = Field(
        None, description="A unit's code."
    )
    source: Recommendation.Source | SkipJsonSchema[None] = Field(
        None, description="Where it came from."
    )
    status: ActionPlan.Status | SkipJsonSchema[None] = Field(
        None, description="Some unit's plan has this status."
    )
    year: Annotated[int, Field(ge=1900, le=2999)] | SkipJsonSchema[None] = Field(
        None, description="The recommendation's year."
    )
    q: Annotated[str, Field(max_length=100)] | SkipJsonSchema[None] = Field(
        None, description="Words in its number, title or text."
    )


UnitCode = Annotated[str, Path(description="The unit's code, e.g. DINKES.")]
WaveCode = Annotated[str, Path(description="The survey wave's code.")]
RecommendationCode = Annotated[str, Path(description="The recommendation's number.")]


# --- Converters ------------------------------------------------------------------------------


def unit_ref(unit: Unit) -> dict[str, Any]:
    return {
        "code": unit.code,
        "name": unit.name,
        "links": {
            "page": reverse("portal-unit", args=[unit.code]),
            "api": _api("unit", unit.code),
        },
    }


def unit_out(unit: Unit) -> dict[str, Any]:
    return {
        **unit_ref(unit),
        "type": unit.type,
        "type_label": str(unit.get_type_display()),
        "parent": unit.parent.code if unit.parent_id and unit.parent else None,
    }


def cell_out(cell: dashboards.Cell | None, precision: int) -> dict[str, Any] | None:
    if cell is None:
        return None
    if cell.suppressed:
        return {
            "suppressed": True,
            "score": None,
            "ci_low": None,
            "ci_high": None,
            "grade": None,
            "respondents": None,
            "respondents_withheld": cell.withheld or None,
        }
    return {
        "suppressed": False,
        "score": _number(cell.score, precision),
        "ci_low": _number(cell.ci_low, precision),
        "ci_high": _number(cell.ci_high, precision),
        "grade": cell.grade or None,
        "respondents": cell.n,
        "respondents_withheld": None,
    }


def wave_out(wave: Wave) -> dict[str, Any]:
    return {
        "code": wave.code,
        "title": wave.title,
        "instrument": str(wave.version.instrument),
        "opens_on": wave.opens_on,
        "closes_on": wave.closes_on,
        "links": {
            "page": reverse("portal-wave", args=[wave.code]),
            "api": _api("wave", wave.code),
        },
    }


def evidence_out(item: Evidence) -> dict[str, Any]:
    is_link = item.kind == Evidence.Kind.URL
    return {
        "id": str(item.public_id),
        "title": item.title,
        "kind": item.kind,
        "download_url": None if is_link else reverse("portal-evidence", args=[item.public_id]),
        "url": item.url if is_link else None,
    }


def activity_out(activity: Activity) -> dict[str, Any]:
    return {
        "title": activity.title,
        "output": activity.output,
        "due_on": activity.due_on,
        "status": activity.status,
        "status_label": str(activity.get_status_display()),
        "evidence": [evidence_out(e) for e in getattr(activity, "public_evidence", [])],
    }


def plan_summary(view: published.PlanView) -> dict[str, Any]:
    return {
        "unit": unit_ref(view.plan.unit),
        "status": view.plan.status,
        "status_label": str(view.plan.get_status_display()),
        "progress": _number(view.progress, 1),
        "due_on": view.due_on,
    }


def plan_out(view: published.PlanView) -> dict[str, Any]:
    return {
        **plan_summary(view),
        "recommendation": view.plan.recommendation.code,
        "activities_shown": view.shows_activities,
        "activities": [activity_out(a) for a in view.activities],
        "timeline": [
            {"verified_on": a.verified_at.date(), "title": a.title}
            for a in view.verified
            if a.verified_at
        ],
        "feedback": {
            "yes": view.tally.yes,
            "partly": view.tally.partly,
            "no": view.tally.no,
            "total": view.tally.total,
        },
    }


def recommendation_out(
    rec: Recommendation, views: list[published.PlanView] | None = None
) -> dict[str, Any]:
    if views is None:
        views = published.plan_views(rec.plans.all())
    return {
        "code": rec.code,
        "title": rec.title,
        "status": rec.status,
        "status_label": str(rec.get_status_display()),
        "source": rec.source,
        "source_label": str(rec.get_source_display()),
        "year": rec.year,
        "issued_on": rec.issued_at.date() if rec.issued_at else None,
        "plans": [plan_summary(v) for v in views],
        "links": {
            "page": reverse("portal-recommendation", args=[rec.code]),
            "api": _api("recommendation", rec.code),
        },
    }


# --- Handlers --------------------------------------------------------------------------------


@router.get(
    "/profile",
    response=responses(ProfileOut),
    tags=[PROFILE],
    url_name="profile",
    summary="SPI profile",
)
def profile(request: Any) -> dict[str, Any]:
    """The government's official integrity profile.

    KPK's SPI index and category per year, with the change from the year before, the national
    index and the average of institutions of the same type, as on the portal's home page."""
    institution = published.own_institution()
    if institution is None:
        return {"institution": None, "years": []}
    years = [
        {
            "year": v.result.year,
            "index": _number(Decimal(v.result.index), 2),
            "category": v.standing.category,
            "change": _number(v.change, 2),
            "national_index": _number(Decimal(v.national.index), 2) if v.national else None,
            "same_type_average": _number(
                v.published_kind_average if v.published_kind_average is not None else v.peers.value,
                2,
            ),
        }
        for v in official.year_views(institution)
    ]
    return {
        "institution": {
            "name": institution.name,
            "kind": institution.kind,
            "kind_label": str(institution.get_kind_display()),
        },
        "years": years,
    }


@router.get(
    "/units", response=responses(Page[UnitOut]), tags=[UNITS], url_name="units", summary="Units"
)
def units(request: Any, pages: Query[PageParams]) -> dict[str, Any]:
    """The government's work units, by code: each has a page on the portal."""
    found = Unit.objects.filter(is_active=True).select_related("parent").order_by("code")
    return paginate(found, pages, unit_out)


def _active_unit(code: str) -> Unit:
    found = Unit.objects.filter(code=code, is_active=True).select_related("parent").first()
    if found is None:
        raise NotFound("There is no unit with this code.")
    return found


@router.get(
    "/units/{code}",
    response=responses(UnitDetailOut, not_found=True),
    tags=[UNITS],
    url_name="unit",
    summary="One unit",
)
def unit(request: Any, code: UnitCode) -> dict[str, Any]:
    """One unit: its published action plans and its overall result in each published wave."""
    found = _active_unit(code)
    results = []
    for result in published.unit_results(found):
        results.append(
            {
                "wave": wave_out(result.wave),
                "overall": cell_out(result.cell, result.board.precision),
            }
        )
    return {
        **unit_out(found),
        "plans": [plan_out(v) for v in published.plan_views(published.plans().filter(unit=found))],
        "results": results,
    }


@router.get(
    "/waves",
    response=responses(Page[WaveOut]),
    tags=[WAVES],
    url_name="waves",
    summary="Published survey waves",
)
def waves(request: Any, pages: Query[PageParams]) -> dict[str, Any]:
    """The survey waves whose results the Inspectorate published, newest first."""
    return paginate(published.waves(), pages, wave_out)


def _published_wave(code: str) -> Wave:
    found = published.waves().filter(code=code).first()
    if found is None:
        raise NotFound("There are no published survey results with this code.")
    return found


@router.get(
    "/waves/{code}",
    response=responses(WaveDetailOut, not_found=True),
    tags=[WAVES],
    url_name="wave",
    summary="One wave's government results",
)
def wave(request: Any, code: WaveCode) -> dict[str, Any]:
    """A published wave's results for the whole government, overall and per dimension."""
    found = _published_wave(code)
    board = published.wave_results(found)
    p = board.precision
    return {
        **wave_out(found),
        "method": board.method_label,
        "min_group_size": found.min_group_size,
        "government": cell_out(board.headline, p),
        "correction": board.correction,
        "dimensions": [
            {"code": column.code, "name": column.label, "result": cell_out(cell, p)}
            for column, cell in board.dimension_cells
        ],
        "levels": [{"level": number, "label": label} for number, label in board.levels],
        "units": _api("wave_units", found.code),
    }


class LevelParams(Schema):
    level: Annotated[int, Field(ge=1, le=20)] | SkipJsonSchema[None] = Field(
        None, description="The unit level to list (the highest with results if not)."
    )


@router.get(
    "/waves/{code}/units",
    response=responses(UnitResultsPage, not_found=True),
    tags=[WAVES],
    url_name="wave_units",
    summary="One wave's unit results",
)
def wave_units(
    request: Any, code: WaveCode, pages: Query[PageParams], level: Query[LevelParams]
) -> dict[str, Any]:
    """Each unit's results in a published wave, at one level of the unit tree, by name."""
    found = _published_wave(code)
    board = published.wave_results(found, level=level.level)
    p = board.precision
    codes = {c.code: c.label for c in board.dimensions}
    units_by_code = {u.code: u for u in Unit.objects.filter(code__in=[r.code for r in board.units])}

    def row_out(row: dashboards.UnitRow) -> dict[str, Any]:
        unit = units_by_code.get(row.code) or Unit(code=row.code, name=row.name)
        return {
            "unit": unit_ref(unit),
            "overall": cell_out(row.overall, p),
            "dimensions": [
                {"code": code, "name": name, "result": cell_out(cell, p)}
                for (code, name), cell in zip(codes.items(), row.cells, strict=False)
            ],
        }

    return {**paginate(board.units, pages, row_out), "level": board.level}


@router.get(
    "/recommendations",
    response=responses(Page[RecommendationOut]),
    tags=[FOLLOWUP],
    url_name="recommendations",
    summary="Follow-up tracker",
)
def recommendations(
    request: Any, filters: Query[TrackerFilters], pages: Query[PageParams]
) -> dict[str, Any]:
    """The follow-up tracker: every published recommendation, newest year first, with the
    filters of the tracker page (unit, source, plan status, year) and its search."""
    unit: Unit | None = None
    if filters.unit:
        unit = Unit.objects.filter(code=filters.unit).first()
        if unit is None:
            return paginate([], pages, recommendation_out)
    found = published.filtered_recommendations(
        unit=unit,
        source=filters.source or "",
        status=filters.status or "",
        year=filters.year,
        q=(filters.q or "").strip(),
    ).prefetch_related("plans__unit", "plans__activities")
    return paginate(found, pages, recommendation_out)


@router.get(
    "/recommendations/{code}",
    response=responses(RecommendationDetailOut, not_found=True),
    tags=[FOLLOWUP],
    url_name="recommendation",
    summary="One recommendation",
)
def recommendation(request: Any, code: RecommendationCode) -> dict[str, Any]:
    """One published recommendation: its source, the units' plans with status, progress and
    dates, the timeline of verified steps and the published evidence."""
    found: Recommendation | None = published.recommendations().filter(code=code).first()
    if found is None:
        raise NotFound("There is no published recommendation with this number.")
    views = published.plan_views(found.plans.all())
    return {
        **recommendation_out(found, views),
        "description": found.description,
        "reference_number": found.reference_number,
        "reference_date": found.reference_date,
        "follow_up_category": found.tlhp,
        "follow_up_category_label": str(found.get_tlhp_display()),
        "plans": [plan_out(v) for v in views],
    }
