"""The portal's open data: every public table as a dataset, in one list.

Each dataset has a slug, a title, a description, keywords, its temporal coverage, how often it
is updated, its issued and modified dates (from the records themselves), the portal page that
shows the table, and a function giving the table's rows, read through ``services/public.py``
as the page reads them, so a download holds exactly the rows and the withheld cells ("< k",
"≥ k") the page shows. The catalogue (``/data/``, ``/data/catalog.jsonld``) and the download
links beside each table are generated from this list.

A download is ``/data/<slug>.<csv|xlsx|json>``; the table's filters on its page (the
tracker's, a wave's level, a year) are passed on as the same query parameters. The audit
anchors keep their own addresses (``/data/audit-anchors.*``), whose columns never change.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Max, Min, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from integritas.audit.models import Anchor
from integritas.audit.services import anchor_file
from integritas.complaints.access import public_reports
from integritas.core.models import Government, Unit
from integritas.followup.models import ActionPlan, Activity, Feedback, Recommendation
from integritas.indices.services import dashboards, official
from integritas.lib.tables import DATA_FORMATS, table_bytes
from integritas.portal.forms import TrackerFilterForm
from integritas.portal.models import Publication
from integritas.portal.services import public as published
from integritas.surveys.models import Wave

FORMATS = ("csv", "xlsx", "json")
# The query parameters the datasets read (a file asked with others, e.g. a search, is not kept).
FILTERS = ("unit", "source", "status", "year", "level")
# Update frequencies: the Dublin Core Collection frequency vocabulary that DCAT uses.
FREQUENCIES = {
    "annual": ("http://purl.org/cld/freq/annual", gettext_lazy("Annual")),
    "monthly": ("http://purl.org/cld/freq/monthly", gettext_lazy("Monthly")),
    "daily": ("http://purl.org/cld/freq/daily", gettext_lazy("Daily")),
    "continuous": ("http://purl.org/cld/freq/continuous", gettext_lazy("Continuously")),
    "irregular": ("http://purl.org/cld/freq/irregular", gettext_lazy("Irregularly")),
}
EPOCH = dt.datetime(1980, 1, 1, tzinfo=dt.UTC)

Params = Mapping[str, str]


@dataclass(frozen=True)
class Table:
    """Column names (``lib.headers``) and the rows under them."""

    headers: list[str]
    rows: list[list[Any]]


@dataclass
class Dataset:
    slug: str
    title: str
    description: str
    keywords: list[str]
    frequency: str  # a key of FREQUENCIES
    page: str  # the path of the portal page that shows the table
    table: Callable[[Params], Table]
    temporal: tuple[dt.date | None, dt.date | None]
    issued: dt.date | dt.datetime | None
    modified: dt.date | dt.datetime | None
    # A dataset with its own files and addresses (the audit anchors) gives them here.
    files: Callable[[str], bytes] | None = None
    urls: dict[str, str] = field(default_factory=dict)
    # What the dataset covers: "government" (the whole government), "wave" or "unit".
    group: str = "government"
    _content: dict[str, bytes] = field(default_factory=dict, repr=False)
    _table: Table | None = field(default=None, repr=False)

    def _whole(self) -> Table:
        """The unfiltered table, read once for all its formats."""
        if self._table is None:
            self._table = self.table({})
        return self._table

    def url(self, fmt: str) -> str:
        return self.urls.get(fmt) or reverse("portal-data-file", args=[self.slug, fmt])

    @property
    def frequency_uri(self) -> str:
        return FREQUENCIES[self.frequency][0]

    @property
    def frequency_label(self) -> str:
        return str(FREQUENCIES[self.frequency][1])

    @property
    def stamp(self) -> dt.datetime:
        """The moment the XLSX workbook is dated: the last change, so its bytes stay put."""
        value = self.modified
        if isinstance(value, dt.datetime):
            return value.astimezone(dt.UTC)
        if isinstance(value, dt.date):
            return dt.datetime.combine(value, dt.time(0), tzinfo=dt.UTC)
        return EPOCH

    def content(self, fmt: str, params: Params | None = None) -> bytes:
        """The file in ``fmt`` with ``params`` (the page's filters) applied; without them, the
        whole dataset, the same bytes the catalogue's size and checksum describe."""
        if fmt not in FORMATS:
            raise ValueError(f"unknown format {fmt!r}")
        params = params or {}
        if not params and fmt in self._content:
            return self._content[fmt]
        if self.files is not None:
            body = self.files(fmt)
        else:
            table = self.table(params) if params else self._whole()
            about = {"dataset": self.slug, "title": self.title, "license": licence()}
            body = table_bytes(
                fmt, table.headers, table.rows, title=self.slug, stamp=self.stamp, about=about
            )
        if not params:
            self._content[fmt] = body
        return body

    def distributions(self) -> list[Distribution]:
        result = []
        for fmt in FORMATS:
            body = self.content(fmt)
            result.append(
                Distribution(
                    fmt=fmt,
                    media_type=DATA_FORMATS[fmt].split(";")[0],
                    url=self.url(fmt),
                    byte_size=len(body),
                    sha256=hashlib.sha256(body).hexdigest(),
                )
            )
        return result


@dataclass(frozen=True)
class Distribution:
    fmt: str
    media_type: str
    url: str
    byte_size: int
    sha256: str


def licence() -> str:
    return str(settings.OPEN_DATA_LICENSE)


@dataclass(frozen=True)
class Publisher:
    name: str
    email: str
    website: str


def publisher() -> Publisher:
    """Who publishes the data: the government (its Inspectorate answers for the portal)."""
    government = Government.current()
    name = government.name if government else "Integritas"
    email = settings.OPEN_DATA_CONTACT_EMAIL or (government.email if government else "")
    return Publisher(name, email, government.website if government else "")


# Helpers -----------------------------------------------------------------------------------------


def _year_span(years: Sequence[int]) -> tuple[dt.date | None, dt.date | None]:
    if not years:
        return None, None
    return dt.date(min(years), 1, 1), dt.date(max(years), 12, 31)


def _latest(*moments: dt.date | dt.datetime | None) -> dt.datetime | None:
    found = [
        m if isinstance(m, dt.datetime) else dt.datetime.combine(m, dt.time(0), tzinfo=dt.UTC)
        for m in moments
        if m is not None
    ]
    return max(found) if found else None


def _year(params: Params) -> int | None:
    value = params.get("year", "")
    return int(value) if value.isdigit() else None


def _rounded(value: float | Decimal | None, precision: int) -> float | None:
    return None if value is None else round(float(value), precision)


def _percent(value: Decimal) -> float:
    return round(float(value), 1)


# The integrity profile ---------------------------------------------------------------------------

PROFILE_HEADERS = [
    "year",
    "index",
    "category",
    "change_from_previous_year",
    "national_index",
    "same_type_average",
]


def same_type_average(view: official.YearView) -> Decimal | None:
    """The same-type average the profile shows: KPK's published one, else the computed one."""
    if view.published_kind_average is not None:
        return view.published_kind_average
    return view.peers.value


def profile() -> Dataset:
    views = published.spi_years()

    def table(params: Params) -> Table:
        year = _year(params)
        rows = [
            [
                v.result.year,
                v.result.index,
                v.standing.category,
                v.change,
                v.national.index if v.national else None,
                same_type_average(v),
            ]
            for v in views
            if year is None or v.result.year == year
        ]
        return Table(PROFILE_HEADERS, rows)

    imported = [v.result.imported_at for v in views]
    return Dataset(
        slug="profil-spi",
        title=_("Official Integrity Assessment (SPI) by year"),
        description=_(
            "KPK's Survei Penilaian Integritas results for the government: the index and its "
            "category each year, the change from the year before, the national index and the "
            "average of institutions of the same type."
        ),
        keywords=["SPI", "KPK", _("integrity"), _("index")],
        frequency="annual",
        page=reverse("portal-home"),
        table=table,
        temporal=_year_span([v.result.year for v in views]),
        issued=min(imported) if imported else None,
        modified=max(imported) if imported else None,
    )


# Survey results ----------------------------------------------------------------------------------

CELL_HEADERS = ["score", "ci_low", "ci_high", "grade", "n", "suppressed"]


def _cell(cell: dashboards.Cell | None, precision: int) -> list[Any]:
    """A result as the page shows it: a withheld one without score or interval, its count
    "< k" or "≥ k"."""
    if cell is None:
        return [None, None, None, "", None, ""]
    return [
        _rounded(cell.score, precision),
        _rounded(cell.ci_low, precision),
        _rounded(cell.ci_high, precision),
        cell.grade,
        cell.count,
        _("yes") if cell.suppressed else _("no"),
    ]


def _publication_dates(**lookup: Any) -> tuple[dt.datetime | None, dt.datetime | None]:
    found = (
        Publication.objects.live()
        .filter(**lookup)
        .aggregate(first=Min("published_at"), last=Max("published_at"))
    )
    return found["first"], found["last"]


def wave_slug(wave: Wave) -> str:
    return f"hasil-survei-{wave.code}"


def wave_dataset(wave: Wave) -> Dataset:
    def table(params: Params) -> Table:
        level = params.get("level", "")
        board = published.wave_results(wave, level=int(level) if level.isdigit() else None)
        p = board.precision
        codes = [column.code for column in board.dimensions]
        headers = ["unit_code", "unit", *CELL_HEADERS, *codes]
        by_code = dict(board.dimension_cells)
        government = [by_code.get(column) for column in board.dimensions]
        rows = [
            [
                "",
                _("Whole government"),
                *_cell(board.headline, p),
                *(_rounded(c.score if c else None, p) for c in government),
            ]
        ]
        for row in board.units:
            rows.append(
                [
                    row.code,
                    row.name,
                    *_cell(row.overall, p),
                    *(_rounded(c.score if c else None, p) for c in row.cells),
                ]
            )
        return Table(headers, rows)

    first, last = _publication_dates(wave=wave)
    computed = wave.index_runs.aggregate(last=Max("computed_at"))["last"]
    return Dataset(
        slug=wave_slug(wave),
        title=wave.title,
        description=_(
            "The survey's results for the whole government and for each unit (at the top level "
            "of the unit tree; ?level=2 for the next): the overall score with its grade or "
            "category, confidence interval and respondents, and each dimension's score. A "
            "withheld result has no score and its count reads “< k” or “≥ k”."
        ),
        keywords=[_("survey"), str(wave.version.instrument), wave.code],
        frequency="irregular",
        page=reverse("portal-wave", args=[wave.code]),
        table=table,
        temporal=(wave.opens_on, wave.closes_on),
        issued=first,
        modified=_latest(last, computed),
        group="wave",
    )


# Follow-up ---------------------------------------------------------------------------------------

# Citizens' votes on each plan, counted as the action's page counts them (``Tally``: every vote
# that is not hidden). Only the counts: never a comment, a photo or anything about a sender.
FEEDBACK_HEADERS = ["feedback_yes", "feedback_partly", "feedback_no"]


def _votes(pv: published.PlanView) -> list[int]:
    return [pv.tally.yes, pv.tally.partly, pv.tally.no]


TRACKER_HEADERS = [
    "recommendation_ref",
    "title",
    "source",
    "year",
    "issued_on",
    "unit_code",
    "unit",
    "plan_status",
    "progress_percent",
    "due_on",
    *FEEDBACK_HEADERS,
]


@dataclass
class TrackerSelection:
    form: TrackerFilterForm
    found: QuerySet[Recommendation]
    filtered: bool


def tracker_selection(params: Params) -> TrackerSelection:
    """The tracker's filters read from ``params`` and the published recommendations they
    select (the page's and its downloads')."""
    form = TrackerFilterForm(params, years=published.years())
    f = form.filters
    unit = Unit.objects.filter(code=f.get("unit") or "").first() if f.get("unit") else None
    found = published.filtered_recommendations(
        unit=unit,
        source=f.get("source") or "",
        status=f.get("status") or "",
        year=f.get("year"),
        q=(f.get("q") or "").strip(),
    ).prefetch_related("plans__unit", "plans__activities")
    filtered = any(f.get(name) for name in ("q", "unit", "source", "status", "year"))
    return TrackerSelection(form, found, filtered)


def _last_vote(plans: QuerySet[ActionPlan]) -> dt.datetime | None:
    """When the citizens' counts on ``plans`` last changed: a vote sent, or one hidden."""
    votes = Feedback.objects.filter(plan__in=plans)
    sent = votes.counted().aggregate(last=Max("created_at"))["last"]
    hidden = votes.filter(status=Feedback.Status.HIDDEN).aggregate(last=Max("moderated_at"))
    return _latest(sent, hidden["last"])


def _follow_up_dates(
    recommendations: QuerySet[Recommendation], plans: QuerySet[ActionPlan] | None = None
) -> tuple[dt.datetime | None, dt.datetime | None]:
    """When the recommendations were first published, and when their rows last changed (a
    publication, a verified activity, a change in the votes on ``plans``, by default all their
    plans)."""
    if plans is None:
        plans = ActionPlan.objects.filter(recommendation__in=recommendations)
    first, last = _publication_dates(recommendation__in=recommendations)
    verified = (
        Activity.objects.filter(
            plan__recommendation__in=recommendations,
            plan__status__in=published.PLAN_STATES_WITH_ACTIVITIES,
            status=Activity.Status.VERIFIED,
        )
        .aggregate(last=Max("verified_at"))
        .get("last")
    )
    return first, _latest(last, verified, _last_vote(plans))


def tracker() -> Dataset:
    def table(params: Params) -> Table:
        rows = []
        for rec in tracker_selection(params).found:
            for pv in published.plan_views(rec.plans.all()):
                rows.append(
                    [
                        rec.code,
                        rec.title,
                        rec.get_source_display(),
                        rec.year,
                        timezone.localdate(rec.issued_at) if rec.issued_at else None,
                        pv.plan.unit.code,
                        pv.plan.unit.name,
                        pv.plan.get_status_display(),
                        _percent(pv.progress),
                        pv.due_on,
                        *_votes(pv),
                    ]
                )
        return Table(TRACKER_HEADERS, rows)

    first, last = _follow_up_dates(published.recommendations())
    return Dataset(
        slug="tindak-lanjut",
        title=_("Follow-up of recommendations"),
        description=_(
            "Every recommendation the Inspectorate published, one row per unit's action plan: "
            "its source, year, the plan's status, the progress the Inspectorate verified, "
            "the due date, and how many citizens answered that they see the action done "
            "(yes, partly, no)."
        ),
        keywords=[_("follow-up"), _("recommendation"), _("audit")],
        frequency="continuous",
        page=reverse("portal-tracker"),
        table=table,
        temporal=_year_span(published.years()),
        issued=first,
        modified=last,
    )


UNIT_HEADERS = [
    "recommendation_ref",
    "title",
    "plan_status",
    "progress_percent",
    "due_on",
    "activity",
    "activity_due_on",
    "activity_status",
    "verified_at",
    *FEEDBACK_HEADERS,
]


def unit_slug(unit: Unit) -> str:
    return f"unit-{unit.code}"


def unit_dataset(unit: Unit) -> Dataset:
    plans = published.plans().filter(unit=unit)

    def table(params: Params) -> Table:
        rows = []
        for pv in published.plan_views(plans):
            rec = pv.plan.recommendation
            head = [
                rec.code,
                rec.title,
                pv.plan.get_status_display(),
                _percent(pv.progress),
                pv.due_on,
            ]
            votes = _votes(pv)
            if not pv.activities:
                rows.append([*head, "", None, "", None, *votes])
            for a in pv.activities:
                verified = a.verified_at if a.status == Activity.Status.VERIFIED else None
                rows.append(
                    [
                        *head,
                        a.title,
                        a.due_on,
                        a.get_status_display(),
                        timezone.localdate(verified) if verified else None,
                        *votes,
                    ]
                )
        return Table(UNIT_HEADERS, rows)

    recs = published.recommendations().filter(plans__unit=unit)
    first, last = _follow_up_dates(recs, plans)
    return Dataset(
        slug=unit_slug(unit),
        title=_("Published actions of %(unit)s") % {"unit": unit.name},
        description=_(
            "The unit's action plans on published recommendations, one row per activity: the "
            "plan's status and verified progress, each activity's due date and status, "
            "when the Inspectorate verified it, and how many citizens answered that they see "
            "the action done (yes, partly, no)."
        ),
        keywords=[_("follow-up"), unit.code],
        frequency="continuous",
        page=reverse("portal-unit", args=[unit.code]),
        table=table,
        temporal=_year_span(sorted(set(recs.values_list("year", flat=True)))),
        issued=first,
        modified=last,
        group="unit",
    )


# The audit anchors -------------------------------------------------------------------------------


def anchors() -> Dataset:
    found = Anchor.objects.aggregate(
        first=Min("date"),
        last=Max("date"),
        issued=Min("published_at"),
        modified=Max("published_at"),
    )

    def table(params: Params) -> Table:  # the files are the anchors' own (``files``)
        return Table([], [])

    def files(fmt: str) -> bytes:
        about = {"publisher": publisher().name} if Government.current() else {}
        return anchor_file(fmt, **about)

    return Dataset(
        slug="audit-anchors",
        title=_("Audit trail anchors"),
        description=_(
            "Once a day, the sequence number and SHA-256 fingerprint of the newest entry of the "
            "audit trail. Anyone holding a copy can later prove whether the trail was rewritten "
            "or shortened."
        ),
        keywords=[_("audit trail"), "SHA-256"],
        frequency="daily",
        page=reverse("core-audit-anchors"),
        table=table,
        temporal=(found["first"], found["last"]),
        issued=found["issued"],
        modified=found["modified"],
        files=files,
        urls={fmt: reverse(f"core-audit-anchors-{fmt}") for fmt in FORMATS},
    )


# Complaint statistics ----------------------------------------------------------------------------

COMPLAINT_HEADERS = ["breakdown", "group", "reports", "median_days"]


def complaint_rows(year: int | None) -> list[list[Any]]:
    """The statistics page's figures, line by line: each count, or "< k" / "≥ k" when it is
    withheld; each median with the number of reports it is over ("< k" and no median when
    there are too few)."""
    figures = published.complaint_statistics(year)
    rows: list[list[Any]] = []
    for b in figures.breakdowns:
        rows += [[b.title, line.label, line.shown, None] for line in b.lines]
        rows.append([b.title, _("Total"), b.total, None])
    for m in figures.medians:
        n: int | str = m.n if m.n >= figures.k or m.n == 0 else f"< {figures.k}"
        rows.append([m.title, _("Median (days)"), n, m.days])
    return rows


def complaints() -> Dataset:
    years = published.complaint_years()
    first = public_reports().aggregate(first=Min("received_on"))["first"] if years else None
    return Dataset(
        slug="statistik-pengaduan",
        title=_("Whistleblowing statistics"),
        description=_(
            "Reports and complaints received, by channel, category, status and month, and the "
            "median days to the first response and to closure. Groups of fewer than k reports "
            "are withheld (“< k”), with any other group that would let them be worked out "
            "(“≥ k”)."
        ),
        keywords=[_("whistleblowing"), _("complaints")],
        frequency="continuous",
        page=reverse("portal-complaint-statistics"),
        table=lambda params: Table(COMPLAINT_HEADERS, complaint_rows(_year(params))),
        temporal=_year_span(years),
        # The month of the first report, and the figures as of today: the date a report came in
        # or changed is not published.
        issued=first.replace(day=1) if first else None,
        modified=timezone.localdate() if years else None,
    )


# The list ----------------------------------------------------------------------------------------

STATIC = {
    "profil-spi": profile,
    "tindak-lanjut": tracker,
    "statistik-pengaduan": complaints,
    "audit-anchors": anchors,
}


def catalogue() -> list[Dataset]:
    """Every dataset of the portal: the fixed ones, then one per published wave and one per
    unit with published actions."""
    found = [build() for build in STATIC.values()]
    found += [wave_dataset(wave) for wave in published.waves()]
    found += [unit_dataset(unit) for unit in published.units()]
    return found


def find(slug: str) -> Dataset | None:
    """The dataset named ``slug``, or None (nothing unpublished has one)."""
    if slug in STATIC:
        return STATIC[slug]()
    if slug.startswith("hasil-survei-"):
        wave = published.waves().filter(code=slug.removeprefix("hasil-survei-")).first()
        return wave_dataset(wave) if wave is not None else None
    if slug.startswith("unit-"):
        unit = published.units().filter(code=slug.removeprefix("unit-")).first()
        return unit_dataset(unit) if unit is not None else None
    return None
