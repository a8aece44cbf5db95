"""Official SPI results (DOMAIN.md §1): where an institution stands and how it compares.

Three layers, top to bottom:

- pure functions on plain numbers (``standing``, ``component_gaps``, ``average``,
  ``difference``), tested by hand, and the pages' charts (``trend_chart``, ``score_bars``),
  drawn by ``lib.charts``;
- read helpers that gather one institution's years with their comparisons (``year_views``);
- services that change institutions and national figures, each atomic with one audit event.

The import of KPK's files lives in ``imports.official``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import transaction
from django.db.models import Avg, Count
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from integritas import audit
from integritas.audit.services import changes_between, snapshot
from integritas.indices.engine.integrity import spi_category
from integritas.indices.models import Institution, NationalFigure, SpiResult
from integritas.indices.services.settings import spi_categories_for
from integritas.lib import charts
from integritas.lib.formatting import format_number

TWO_PLACES = Decimal("0.01")
# Category cut-offs are written with one decimal ("… 72.9 · 73 …"), some with two.
BAND_PRECISION = Decimal("0.1")


@dataclass(frozen=True)
class Dimension:
    """One SPI dimension (internal) or area (external), with the header spellings accepted."""

    code: str
    group: str
    label: Any
    aliases: tuple[str, ...]


# The codes match the integrity self-survey's dimensions (surveys/data/integrity-self-survey.json)
# so that the official and the own results can be read side by side.
DIMENSIONS: tuple[Dimension, ...] = (
    Dimension(
        "INT-TRANSP",
        "internal",
        gettext_lazy("Transparency"),
        ("transparency", "transparansi", "internal transparency", "transparansi internal"),
    ),
    Dimension(
        "INT-DUTY",
        "internal",
        gettext_lazy("Integrity in carrying out duties"),
        (
            "integrity in carrying out duties",
            "integrity in duties",
            "integritas dalam pelaksanaan tugas",
            "integritas pelaksanaan tugas",
            "pelaksanaan tugas",
        ),
    ),
    Dimension(
        "INT-PROC",
        "internal",
        gettext_lazy("Procurement of goods and services"),
        (
            "procurement",
            "procurement of goods and services",
            "pengadaan",
            "pengadaan barang dan jasa",
            "pengelolaan pengadaan barang dan jasa",
            "pengelolaan pbj",
            "pbj",
        ),
    ),
    Dimension(
        "INT-HR",
        "internal",
        gettext_lazy("Human resources management"),
        (
            "hr management",
            "human resources management",
            "human resource management",
            "sdm",
            "pengelolaan sdm",
            "pengelolaan sumber daya manusia",
        ),
    ),
    Dimension(
        "INT-INFL",
        "internal",
        gettext_lazy("Trading in influence"),
        ("trading in influence", "perdagangan pengaruh"),
    ),
    Dimension(
        "INT-BUDGET",
        "internal",
        gettext_lazy("Budget management"),
        ("budget management", "anggaran", "pengelolaan anggaran"),
    ),
    Dimension(
        "INT-SOC",
        "internal",
        gettext_lazy("Anti-corruption socialization"),
        (
            "anti-corruption socialization",
            "anticorruption socialization",
            "sosialisasi antikorupsi",
            "sosialisasi anti korupsi",
        ),
    ),
    Dimension(
        "EXT-TRANSP",
        "external",
        gettext_lazy("Transparency and fairness of service"),
        (
            "transparency and fairness of service",
            "service transparency",
            "transparansi dan keadilan layanan",
            "transparansi layanan",
        ),
    ),
    Dimension(
        "EXT-PREV",
        "external",
        gettext_lazy("Corruption-prevention efforts"),
        (
            "corruption-prevention efforts",
            "corruption prevention efforts",
            "upaya pencegahan korupsi",
            "pencegahan korupsi",
        ),
    ),
    Dimension(
        "EXT-INTEG",
        "external",
        gettext_lazy("Employee integrity"),
        ("employee integrity", "integritas pegawai"),
    ),
)
DIMENSION_BY_CODE = {d.code: d for d in DIMENSIONS}
GROUP_LABELS = {
    "internal": gettext_lazy("Internal (employees)"),
    "external": gettext_lazy("External (service users, vendors)"),
    "expert": gettext_lazy("Experts"),
}


# --- Pure computations ---------------------------------------------------------------------------


def to_decimal(value: Any) -> Decimal | None:
    """A stored or configured number as a Decimal (floats through their shortest repr)."""
    if value is None or value == "":
        return None
    if isinstance(value, Decimal):
        return value
    return Decimal(str(value))


@dataclass(frozen=True)
class Band:
    label: str
    low: Decimal
    high: Decimal


def bands_from(config: Iterable[Sequence[Any]]) -> list[Band]:
    """``[[label, low, high], ...]`` (method settings) as Bands, lowest first."""
    bands = [Band(str(label), Decimal(str(low)), Decimal(str(high))) for label, low, high in config]
    return sorted(bands, key=lambda band: band.low)


@dataclass(frozen=True)
class Standing:
    """Where a score sits among the category bands of its year."""

    score: Decimal
    category: str
    rank: int  # 0 = the top category, 1 = the one below, ...
    next_category: str | None  # None at the top
    next_low: Decimal | None
    distance: Decimal | None  # points up to ``next_low``; None at the top

    @property
    def is_top(self) -> bool:
        return self.next_category is None


def standing(score: Decimal, bands: Sequence[Band]) -> Standing:
    """The category of ``score`` and how far it is below the next category up.

    The index engine's ``spi_category`` places the score as published, never rounded first
    (77.97 is Waspada in 2024: Terjaga starts at 78); the distance is measured from it too:
    63.26 is 73.0 − 63.26 = 9.74 points below Waspada.
    """
    placed = spi_category(score, [(band.label, band.low, band.high) for band in bands])
    assert placed is not None  # a Decimal score is always finite here
    if placed.next_low is None:
        return Standing(score, placed.label, placed.rank, None, None, None)
    return Standing(
        score,
        placed.label,
        placed.rank,
        placed.next_label,
        placed.next_low,
        placed.next_low - score,
    )


def average(values: Iterable[Decimal | None]) -> Decimal | None:
    """The mean of the values that are present, to two decimals (half up); None when none are."""
    present = [value for value in values if value is not None]
    if not present:
        return None
    return (sum(present, Decimal(0)) / len(present)).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def difference(value: Decimal | None, reference: Decimal | None) -> Decimal | None:
    """``value − reference``, or None when either is missing."""
    if value is None or reference is None:
        return None
    return value - reference


@dataclass(frozen=True)
class ComponentGap:
    group: str
    score: Decimal
    below_highest: Decimal  # points below the best-scoring group (0 for the best)
    is_lowest: bool


def component_gaps(scores: Mapping[str, Decimal | None]) -> list[ComponentGap]:
    """For internal, external and expert scores: how far each is below the best of them.

    Kabupaten Bekasi 2024 (internal 72.48, external 78.41, expert 58.86): internal is 5.93 and
    expert 19.55 points below external, and expert is the weakest group.
    """
    present = {group: score for group, score in scores.items() if score is not None}
    if not present:
        return []
    highest, lowest = max(present.values()), min(present.values())
    return [
        ComponentGap(group, score, highest - score, len(present) > 1 and score == lowest)
        for group, score in present.items()
    ]


def signed(value: Decimal | None, lang: str | None = None) -> str:
    """A difference with its sign: "+1,23", "-9,74", "0,00"."""
    if value is None:
        return "—"
    text = format_number(value, 2, lang or _lang())
    return f"+{text}" if value > 0 else text


def bound_text(value: Decimal, lang: str | None = None) -> str:
    """A category cut-off as written: "73,0", "42,01"."""
    decimals = 1 if value == value.quantize(BAND_PRECISION) else 2
    return format_number(value, decimals, lang or _lang())


def _lang() -> str:
    return (translation.get_language() or "id")[:2]


# --- Charts (lib.charts draws them; the page shows the same numbers in a table) -----------------

# Fill colours per category rank (0 = top): green, yellow, red, dark red.
_RANK_FILLS = ("#dcfce7", "#fef9c3", "#fee2e2", "#fecaca")


def rank_fill(rank: int) -> str:
    return _RANK_FILLS[min(rank, len(_RANK_FILLS) - 1)]


def _svg(markup: str) -> SafeString:
    # lib.charts escapes every label and value it writes, so its markup is safe as a whole.
    return mark_safe(markup)  # noqa: S308


def trend_chart(
    series: Sequence[tuple[int, Decimal]],
    reference: Sequence[tuple[int, Decimal]] = (),
    bands: Sequence[Band] = (),
    *,
    name: str,
    lang: str | None = None,
) -> SafeString | None:
    """A line of the institution's yearly index (``name``) with its values written, the
    national index as a dashed line, and the categories (``bands``) shaded behind them.

    The axis runs to 100 from 50, or lower in steps of ten when a score needs it.
    """
    if not series:
        return None
    lang = lang or _lang()
    years = sorted({year for year, _v in series} | {year for year, _v in reference})
    values = [value for _y, value in series] + [value for _y, value in reference]
    low = max(min(Decimal(50), (min(values) - 5) // 10 * 10), Decimal(0))
    own, national = dict(series), dict(reference)
    ordered = sorted(bands, key=lambda band: band.low)
    # Each band reaches up to where the next begins, so the gaps between cut-offs (72.9 … 73.0)
    # are shaded too.
    shaded = [
        charts.Band(
            low=float(band.low),
            high=100.0 if position == len(ordered) - 1 else float(ordered[position + 1].low),
            label=str(band.label),
            colour=rank_fill(len(ordered) - 1 - position),
        )
        for position, band in enumerate(ordered)
    ]
    lines = [charts.Series(name, _by_year(own, years), show_values=True)]
    if reference:
        lines.append(
            charts.Series(
                _("National index"), _by_year(national, years), colour=charts.MUTED, dashed=True
            )
        )
    return _svg(
        charts.line_chart(
            lines,
            [str(year) for year in years],
            title=_("SPI of %(name)s by year, with the national index") % {"name": name},
            minimum=float(low),
            maximum=100.0,
            bands=shaded,
            fmt=lambda value: format_number(value, 2, lang),
            tick_fmt=lambda value: format_number(value, 0, lang),
            height=260,
        )
    )


def _by_year(values: Mapping[int, Decimal], years: Sequence[int]) -> list[float | None]:
    return [float(values[year]) if year in values else None for year in years]


def score_bars(
    rows: Sequence[tuple[str, Decimal]], *, title: str, lang: str | None = None
) -> SafeString:
    """Horizontal bars on a 0–100 scale, one per (label, score), the score written after each."""
    lang = lang or _lang()
    return _svg(
        charts.bar_chart(
            [charts.Bar(label, float(score)) for label, score in rows],
            title=title,
            fmt=lambda value: format_number(value, 2, lang),
            tick_fmt=lambda value: format_number(value, 0, lang),
            # Beside a table in half the page's width.
            width=520,
            label_width=200,
        )
    )


# --- Reading one institution's years ------------------------------------------------------------


@dataclass(frozen=True)
class PeerAverage:
    value: Decimal | None
    n: int


def peer_average(institution: Institution, year: int) -> PeerAverage:
    """The mean final index of the other institutions of the same type in ``year``."""
    figures = (
        SpiResult.objects.filter(year=year, institution__kind=institution.kind)
        .exclude(institution=institution)
        .aggregate(mean=Avg("index"), n=Count("pk"))
    )
    mean = to_decimal(figures["mean"])
    value = mean.quantize(TWO_PLACES, rounding=ROUND_HALF_UP) if mean is not None else None
    return PeerAverage(value, figures["n"])


@dataclass
class YearView:
    """One year of an institution's results with everything the SPI pages say about it."""

    result: SpiResult
    standing: Standing
    bands: list[Band]
    change: Decimal | None
    national: NationalFigure | None
    vs_national: Decimal | None
    peers: PeerAverage
    vs_peers: Decimal | None
    published_kind_average: Decimal | None
    vs_published_kind_average: Decimal | None
    components: list[ComponentGap]
    dimensions: list[tuple[Dimension, Decimal]]
    other_dimensions: list[tuple[str, Decimal]]

    @property
    def badge(self) -> str:
        return _badge(self.standing.rank)

    def band_rows(self) -> list[dict[str, Any]]:
        lang = _lang()
        count = len(self.bands)
        return [
            {
                "label": band.label,
                "low": bound_text(band.low, lang),
                "high": bound_text(band.high, lang),
                "current": band.label == self.standing.category,
                "badge": _badge(count - 1 - position),
            }
            for position, band in enumerate(self.bands)
        ]


def _badge(rank: int) -> str:
    """The existing badge class for a category rank: green at the top, red at the bottom."""
    return "ok" if rank == 0 else ("" if rank == 1 else "bad")


def year_views(institution: Institution) -> list[YearView]:
    """The institution's results, newest first, each with its category and comparisons."""
    results = list(SpiResult.objects.filter(institution=institution).order_by("year"))
    nationals = {
        f.year: f for f in NationalFigure.objects.filter(year__in=[r.year for r in results])
    }
    views: list[YearView] = []
    previous: SpiResult | None = None
    for result in results:
        index = to_decimal(result.index)
        assert index is not None  # the column is NOT NULL
        bands = bands_from(spi_categories_for(result.year))
        national = nationals.get(result.year)
        peers = peer_average(institution, result.year)
        published = (
            to_decimal(national.averages_by_kind.get(institution.kind)) if national else None
        )
        dimension_scores = {
            code: to_decimal(score)
            for code, score in (result.dimension_scores or {}).items()
            if to_decimal(score) is not None
        }
        views.append(
            YearView(
                result=result,
                standing=standing(index, bands),
                bands=bands,
                change=difference(index, to_decimal(previous.index)) if previous else None,
                national=national,
                vs_national=difference(index, to_decimal(national.index) if national else None),
                peers=peers,
                vs_peers=difference(index, peers.value),
                published_kind_average=published,
                vs_published_kind_average=difference(index, published),
                components=component_gaps(
                    {
                        "internal": to_decimal(result.internal),
                        "external": to_decimal(result.external),
                        "expert": to_decimal(result.expert),
                    }
                ),
                dimensions=[
                    (d, score)
                    for d in DIMENSIONS
                    if (score := dimension_scores.get(d.code)) is not None
                ],
                other_dimensions=[
                    (code, score)
                    for code, score in sorted(dimension_scores.items())
                    if code not in DIMENSION_BY_CODE and score is not None
                ],
            )
        )
        previous = result
    views.reverse()
    return views


def distance_sentence(view: YearView) -> str:
    """ "9,74 points below Waspada (from 73,0)" or "In the top category (Terjaga)"."""
    s = view.standing
    if s.is_top:
        return _("In the top category (%(category)s).") % {"category": s.category}
    assert s.distance is not None and s.next_low is not None
    return _("%(points)s points below %(category)s (which starts at %(low)s).") % {
        "points": format_number(s.distance, 2, _lang()),
        "category": s.next_category,
        "low": bound_text(s.next_low),
    }


# --- Services --------------------------------------------------------------------------------

INSTITUTION_FIELDS = ["code", "name", "kind", "size_class", "province", "is_own"]
NATIONAL_FIELDS = [
    "year",
    "index",
    "respondents",
    "respondents_collected",
    "institutions",
    "averages_by_kind",
    "source",
]


@transaction.atomic
def institution_save(*, institution: Institution, values: Mapping[str, Any]) -> Institution:
    """Create or change an institution. Only one institution is this government's own, so
    marking one as own unmarks the previous one (named in the same audit event)."""
    creating = institution.pk is None
    before = {} if creating else snapshot(institution, INSTITUTION_FIELDS)
    for name, value in values.items():
        setattr(institution, name, value)
    institution.full_clean()
    institution.save()
    changes = changes_between(before, snapshot(institution, INSTITUTION_FIELDS))
    if institution.is_own:
        previous = list(
            Institution.objects.filter(is_own=True)
            .exclude(pk=institution.pk)
            .values_list("code", flat=True)
        )
        if previous:
            Institution.objects.filter(code__in=previous).update(is_own=False)
            changes["previous_own"] = [previous, []]
    if creating or changes:
        action = "indices.institution_created" if creating else "indices.institution_updated"
        audit.record(action, obj=institution, changes=changes)
    return institution


@transaction.atomic
def national_figure_save(*, figure: NationalFigure, values: Mapping[str, Any]) -> NationalFigure:
    """Create or change the national figures of one year."""
    creating = figure.pk is None
    before = {} if creating else snapshot(figure, NATIONAL_FIELDS)
    for name, value in values.items():
        setattr(figure, name, value)
    figure.full_clean()
    figure.save()
    changes = changes_between(before, snapshot(figure, NATIONAL_FIELDS))
    if creating or changes:
        action = (
            "indices.national_figure_created" if creating else "indices.national_figure_updated"
        )
        audit.record(action, obj=figure, changes=changes)
    return figure
