"""What the portal shows: only what an Inspectorate role published, read here and nowhere else.

A recommendation is public while it has a live publication and is issued or closed; its units'
action plans come with it. An evidence item is public while it has a live publication of its own,
the unit still marks it ``publishable``, its activity is verified and its recommendation is
public. The portal's views read the public records through these functions only, so the rule is
in one place.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, replace
from decimal import Decimal
from operator import attrgetter
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from integritas.complaints.access import public_reports
from integritas.complaints.services import stats
from integritas.core.models import Unit
from integritas.followup.models import (
    ActionPlan,
    Activity,
    Evidence,
    EvidenceFile,
    Feedback,
    FeedbackQuerySet,
    Recommendation,
    Tally,
)
from integritas.followup.services import feedback as feedback_services
from integritas.indices.models import IndexRun
from integritas.indices.models.official import Institution
from integritas.indices.services import dashboards, official
from integritas.indices.services.settings import wave_year
from integritas.lib import charts, documents, files
from integritas.portal.models import Publication
from integritas.surveys.models import Instrument, Wave

PUBLIC_RECOMMENDATION_STATES = (Recommendation.Status.ISSUED, Recommendation.Status.CLOSED)
# A plan's activities are the unit's working draft until the Inspectorate approves the plan.
PLAN_STATES_WITH_ACTIVITIES = (
    ActionPlan.Status.APPROVED,
    ActionPlan.Status.IN_PROGRESS,
    ActionPlan.Status.EVIDENCE_SUBMITTED,
    ActionPlan.Status.VERIFIED,
    ActionPlan.Status.CANCELLED,
)


def _live(**lookup: Any) -> Exists:
    return Exists(Publication.objects.live().filter(**lookup))


def recommendations() -> QuerySet[Recommendation]:
    """The recommendations on the portal."""
    return Recommendation.objects.filter(
        _live(recommendation=OuterRef("pk")), status__in=PUBLIC_RECOMMENDATION_STATES
    )


def evidence() -> QuerySet[Evidence]:
    """The evidence items on the portal."""
    return Evidence.objects.filter(
        _live(evidence=OuterRef("pk")),
        publishable=True,
        activity__status=Activity.Status.VERIFIED,
        activity__plan__recommendation__in=recommendations(),
    )


def plans() -> QuerySet[ActionPlan]:
    """The action plans of the recommendations on the portal."""
    return ActionPlan.objects.filter(recommendation__in=recommendations())


def waves() -> QuerySet[Wave]:
    """The survey waves whose results are on the portal: published, with stored results."""
    return (
        Wave.objects.filter(
            _live(wave=OuterRef("pk")),
            Exists(IndexRun.objects.filter(wave=OuterRef("pk"))),
        )
        .select_related("version__instrument", "fiscal_year")
        .order_by("-opens_on", "code")
    )


def wave_results(wave: Wave, *, level: int | None = None) -> dashboards.WaveDashboard:
    """A published wave's results as the staff dashboard reads them for someone who sees every
    unit: the same stored cells, suppression and withheld counts ("< k", "≥ k"). Units are
    listed by name, without ranks."""
    return dashboards.whole_government_dashboard(wave, sort="name", level=level)


@dataclass(frozen=True)
class UnitResult:
    """One published wave and a unit's overall result in it (None when it has none)."""

    wave: Wave
    board: dashboards.WaveDashboard
    cell: dashboards.Cell | None


def unit_results(unit: Unit) -> list[UnitResult]:
    """The unit's overall result in each published wave it took part in, newest first."""
    level = dashboards.unit_levels().get(unit.code, 1)
    found = []
    for wave in waves().filter(wave_units__unit=unit):
        board = wave_results(wave, level=level)
        row = next((r for r in board.units if r.code == unit.code), None)
        found.append(UnitResult(wave, board, row.overall if row else None))
    return found


def units() -> QuerySet[Unit]:
    """The units with at least one plan on the portal."""
    return Unit.objects.filter(pk__in=plans().values("unit_id")).order_by("code")


@dataclass
class PlanView:
    """One unit's plan as the public sees it."""

    plan: ActionPlan
    progress: Decimal  # verified by the Inspectorate, in percent
    due_on: dt.date | None
    activities: list[Activity]  # each with ``public_evidence``, its evidence on the portal
    verified: list[Activity]  # the timeline: verified steps, oldest first
    tally: Tally = Tally()  # citizens' votes that are not hidden

    @property
    def shows_activities(self) -> bool:
        return self.plan.status in PLAN_STATES_WITH_ACTIVITIES

    @property
    def takes_feedback(self) -> bool:
        return accepts_feedback(self.plan)


def plan_views(plans_qs: QuerySet[ActionPlan]) -> list[PlanView]:
    """The public view of each plan, its activities and its public evidence."""
    public_evidence = evidence().prefetch_related("files").order_by("created_at")
    rows = plans_qs.select_related("unit", "recommendation").prefetch_related(
        Prefetch("activities", queryset=Activity.objects.order_by("order", "due_on", "pk")),
        Prefetch("activities__evidence", queryset=public_evidence, to_attr="public_evidence"),
    )
    views = []
    listed = list(rows)
    tallies = feedback_services.tallies(plan.pk for plan in listed)
    for plan in listed:
        activities = list(plan.activities.all())
        shown = plan.status in PLAN_STATES_WITH_ACTIVITIES
        verified = sorted(
            (a for a in activities if a.status == Activity.Status.VERIFIED and a.verified_at),
            key=attrgetter("verified_at"),
        )
        views.append(
            PlanView(
                plan=plan,
                progress=plan.progress()[1],
                due_on=plan.due_on if shown else None,
                activities=activities if shown else [],
                verified=verified if shown else [],
                tally=tallies.get(plan.pk, Tally()),
            )
        )
    return views


@dataclass(frozen=True)
class TrackerSummary:
    recommendations: int
    plans: int
    verified: int
    in_progress: int
    not_started: int
    average_progress: Decimal | None


def tracker_summary() -> TrackerSummary:
    """How far the published recommendations' plans have come."""
    plan_list = list(
        plans().exclude(status=ActionPlan.Status.CANCELLED).prefetch_related("activities")
    )
    progress = [plan.progress()[1] for plan in plan_list]
    started = (
        ActionPlan.Status.APPROVED,
        ActionPlan.Status.IN_PROGRESS,
        ActionPlan.Status.EVIDENCE_SUBMITTED,
    )
    return TrackerSummary(
        recommendations=recommendations().count(),
        plans=len(plan_list),
        verified=sum(1 for p in plan_list if p.status == ActionPlan.Status.VERIFIED),
        in_progress=sum(1 for p in plan_list if p.status in started),
        not_started=sum(
            1
            for p in plan_list
            if p.status in (ActionPlan.Status.DRAFT, ActionPlan.Status.SUBMITTED)
        ),
        average_progress=official.average(progress),
    )


def filtered_recommendations(
    *, unit: Unit | None, source: str, status: str, year: int | None, q: str
) -> QuerySet[Recommendation]:
    """The tracker's list: published recommendations matching the filters, newest year first."""
    found = recommendations()
    if unit is not None:
        found = found.filter(plans__unit=unit)
    if source:
        found = found.filter(source=source)
    if status:
        found = found.filter(plans__status=status)
    if year is not None:
        found = found.filter(year=year)
    if q:
        found = found.filter(
            Q(code__icontains=q) | Q(title__icontains=q) | Q(description__icontains=q)
        )
    return found.distinct().order_by("-year", "code")


def years() -> list[int]:
    """The years of the published recommendations, newest first."""
    return sorted(set(recommendations().values_list("year", flat=True)), reverse=True)


def own_institution() -> Institution | None:
    """The government's own institution in KPK's SPI results (its official integrity profile)."""
    return Institution.objects.filter(is_own=True).first()


def spi_years() -> list[official.YearView]:
    """The government's official SPI results by year, newest first (none without them)."""
    institution = own_institution()
    return official.year_views(institution) if institution is not None else []


def waves_of_year(year: int) -> list[Wave]:
    """The published waves of ``year`` (their fiscal year, else the year they open)."""
    return [wave for wave in waves() if wave_year(wave) == year]


def portal_years() -> list[int]:
    """The years the portal has something for (an SPI result, a published wave or a published
    recommendation), newest first: the years of ``/publik/<year>/``."""
    found = {view.result.year for view in spi_years()}
    found |= {wave_year(wave) for wave in waves()}
    found |= set(years())
    return sorted(found, reverse=True)


# Complaint statistics ----------------------------------------------------------------------------

# The breakdowns the portal shows: how reports arrive, what they are about, how far they have
# come and when. The staff statistics' breakdown by unit stays with the Inspectorate: a small
# unit's count says too much about who may have reported whom.
PUBLIC_BREAKDOWNS = ("channel", "category", "status", "month")


def complaint_years() -> list[int]:
    """The years of the reports counted on the portal, newest first."""
    dates = public_reports().values_list("received_on", flat=True)
    return sorted({d.year for d in dates}, reverse=True)


def complaint_statistics(year: int | None = None) -> stats.Statistics:
    """The whistleblowing statistics anyone may read: the staff statistics' counts (small
    groups withheld as "< k" or "≥ k") and medians over the reports counted for everyone
    (``complaints.access.public_reports``), for one year of receipt or all years, without the
    breakdown by unit."""
    start = end = None
    if year is not None:
        start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    figures = stats.for_period(public_reports(), start, end)
    shown = [b for b in figures.breakdowns if b.name in PUBLIC_BREAKDOWNS]
    return replace(figures, breakdowns=shown)


@dataclass(frozen=True)
class CleanFile:
    content: bytes
    content_type: str
    filename: str


def clean_evidence_file(item: Evidence) -> CleanFile | None:
    """The latest file of a public evidence item, copied without its metadata (the cleaning the
    whistleblowing attachments get); None when there is no file or it cannot be cleaned. The
    download is named after the evidence, never after the uploaded file."""
    stored: EvidenceFile | None = item.latest()
    if stored is None:
        return None
    try:
        with stored.file.open("rb") as handle:
            content = handle.read()
    except FileNotFoundError:
        return None
    sniffed = files.sniff(io.BytesIO(content))
    if sniffed is None:
        return None
    try:
        cleaned = documents.clean(content, sniffed)
    except ValueError:
        return None
    if cleaned.content is None:
        return None
    image = sniffed.kind in files.IMAGES
    # A cleaned photo is written as JPEG (from a JPEG) or PNG; documents keep their type.
    if image and sniffed.kind != "jpeg":
        content_type, extension = "image/png", "png"
    else:
        content_type, extension = sniffed.content_type, sniffed.extension.lstrip(".")
    return CleanFile(cleaned.content, content_type, f"bukti-{item.public_id.hex[:12]}.{extension}")


# Citizens' feedback -----------------------------------------------------------------------------

# Citizens are asked whether they see an action done once its activities are public (the plan is
# approved), and no longer once it is cancelled.
FEEDBACK_PLAN_STATES = tuple(
    state for state in PLAN_STATES_WITH_ACTIVITIES if state != ActionPlan.Status.CANCELLED
)


def accepts_feedback(plan: ActionPlan) -> bool:
    return plan.status in FEEDBACK_PLAN_STATES


def plan(code: str, unit_code: str) -> ActionPlan | None:
    """A published recommendation's plan for one unit, by the recommendation's number and the
    unit's code."""
    return (
        plans()
        .filter(recommendation__code=code, unit__code=unit_code)
        .select_related("unit", "recommendation")
        .first()
    )


def feedback(plan: ActionPlan) -> FeedbackQuerySet:
    """The feedback on a public plan that the public reads: approved items only, newest first,
    each with the unit's answer when it has one."""
    return Feedback.objects.approved().filter(plan=plan).order_by("-created_at", "-pk")


def feedback_photo(public_id: Any) -> Feedback | None:
    """An approved item's photo, while its plan is public."""
    return (
        Feedback.objects.approved()
        .filter(public_id=public_id, plan__in=plans())
        .exclude(photo="")
        .first()
    )


@dataclass(frozen=True)
class TrendPoint:
    """One published wave in a questionnaire's trend, with its results as its page shows them."""

    wave: Wave
    label: str  # the year, with the wave's code when two waves share it
    board: dashboards.WaveDashboard

    @property
    def cell(self) -> dashboards.Cell | None:
        """The whole government's overall result: no score when it is withheld."""
        return self.board.headline


@dataclass(frozen=True)
class SurveyTrend:
    """One questionnaire's published waves, oldest first."""

    instrument: Instrument
    title: str
    points: list[TrendPoint]

    @property
    def precision(self) -> int:
        return self.points[-1].board.precision


def trends() -> list[SurveyTrend]:
    """Per questionnaire, the whole government's overall result in each published wave, oldest
    first: the figures of each wave's own page, so a withheld result stays withheld."""
    by_instrument: dict[int, list[Wave]] = {}
    for wave in waves():
        by_instrument.setdefault(wave.version.instrument_id, []).append(wave)
    found = []
    for group in by_instrument.values():
        group.sort(key=lambda w: (wave_year(w), w.opens_on, w.code))
        years = [wave_year(w) for w in group]
        points = [
            TrendPoint(w, str(y) if years.count(y) == 1 else f"{y} {w.code}", wave_results(w))
            for w, y in zip(group, years, strict=True)
        ]
        instrument = group[0].version.instrument
        found.append(SurveyTrend(instrument, instrument.text("title"), points))
    return sorted(found, key=lambda t: t.title)


def trend_chart(trend: SurveyTrend, lang: str) -> str:
    """Bars of the government's overall result per published wave (a withheld one draws "—")."""
    scores = [p.cell.score for p in trend.points if p.cell and p.cell.score is not None]
    top = max(scores, default=100.0)
    # Indices on 0–100, or perception scores on 1–4 (or 1–6) scales.
    maximum = 100.0 if top > 10 else 4.0 if top <= 4 else 6.0
    return charts.bar_chart(
        [charts.Bar(p.label, p.cell.score if p.cell else None) for p in trend.points],
        title=_("%(survey)s: the whole government's result per year") % {"survey": trend.title},
        maximum=maximum,
        minimum=0.0,
        fmt=dashboards.number_formatter(trend.precision, lang),
        width=360,
        label_width=72,
    )
