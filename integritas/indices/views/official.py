"""Official SPI results pages: the own government's overview, institutions, national figures and
the imports of KPK's files. Every staff member reads them; the Inspectorate and administrators
import and edit (``indices.access``)."""

from __future__ import annotations

import base64
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.db.models import F, OuterRef, Q, Subquery
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from integritas.audit.models import Event
from integritas.core import history, policy
from integritas.indices.forms.official import (
    InstitutionFilterForm,
    InstitutionForm,
    InstitutionImportForm,
    NationalFigureForm,
    ResultConfirmForm,
    ResultImportForm,
)
from integritas.indices.imports.official import (
    INSTITUTION_COLUMNS,
    RESULT_COLUMNS,
    InstitutionImportReport,
    ResultImportReport,
    import_institutions,
    import_results,
)
from integritas.indices.models import Institution, NationalFigure, SpiResult
from integritas.indices.services import official
from integritas.indices.services.settings import spi_categories_for
from integritas.lib.imports import import_page
from integritas.lib.tables import Column, export_format, export_response, paginate

# A checked file waits this long for the user to confirm the import.
CONFIRM_MAX_AGE = 60 * 60
_SALT = "indices.spi-result-import"


def _sign_upload(user: Any, data: bytes, filename: str, source: str) -> str:
    """The checked file, carried to the confirm step in the page itself (signed, so it cannot
    be changed on the way, and bound to the user who checked it)."""
    payload = {
        "user": user.pk,
        "file": filename,
        "data": base64.b64encode(data).decode("ascii"),
        "source": source,
    }
    return signing.dumps(payload, salt=_SALT, compress=True)


def _unsign_upload(user: Any, token: str) -> dict[str, Any] | None:
    try:
        payload = signing.loads(token, salt=_SALT, max_age=CONFIRM_MAX_AGE)
        payload["data"] = base64.b64decode(payload["data"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
    return payload if payload.get("user") == user.pk else None


# --- Analysis of one institution -----------------------------------------------------------------


def _analysis(request: HttpRequest, institution: Institution) -> dict[str, Any]:
    """The context shared by the overview and the institution page: all years, and the chosen
    year (``?year=``, the latest by default) in detail."""
    views = official.year_views(institution)
    chosen = views[0] if views else None
    wanted = request.GET.get("year", "")
    for view in views:
        if str(view.result.year) == wanted:
            chosen = view
    context: dict[str, Any] = {"institution": institution, "years": views, "chosen": chosen}
    if chosen is None:
        return context
    series = [(v.result.year, Decimal(v.result.index)) for v in views]
    national = [(v.result.year, Decimal(v.national.index)) for v in views if v.national is not None]
    labels = official.GROUP_LABELS
    context.update(
        {
            "chart": official.trend_chart(series, national, chosen.bands, name=institution.name),
            "distance": official.distance_sentence(chosen),
            "components": [
                {
                    "label": labels[gap.group],
                    "score": gap.score,
                    "below": gap.below_highest,
                    "is_lowest": gap.is_lowest,
                }
                for gap in chosen.components
            ],
            "component_bars": official.score_bars(
                [(str(labels[gap.group]), gap.score) for gap in chosen.components]
                + [(_("Final index"), Decimal(chosen.result.index))],
                title=_("Scores by respondent group"),
            )
            if chosen.components
            else None,
            "dimension_bars": official.score_bars(
                [(str(d.label), score) for d, score in chosen.dimensions]
                + [(code, score) for code, score in chosen.other_dimensions],
                title=_("Dimension scores"),
            )
            if chosen.dimensions or chosen.other_dimensions
            else None,
            "signed": {
                "change": official.signed(chosen.change),
                "vs_national": official.signed(chosen.vs_national),
                "vs_peers": official.signed(chosen.vs_peers),
                "vs_published": official.signed(chosen.vs_published_kind_average),
            },
            "year_rows": [
                {
                    "view": v,
                    "change": official.signed(v.change),
                    "vs_national": official.signed(v.vs_national),
                    "vs_peers": official.signed(v.vs_peers),
                    "distance": official.distance_sentence(v),
                }
                for v in views
            ],
            "kind_plural": _kind_plural(institution.kind),
        }
    )
    return context


def _kind_plural(kind: str) -> str:
    plurals: dict[str, str] = {
        Institution.Kind.CITY: _("cities"),
        Institution.Kind.REGENCY: _("regencies"),
        Institution.Kind.PROVINCE: _("provinces"),
        Institution.Kind.MINISTRY: _("ministries and agencies"),
    }
    return plurals.get(kind, kind)


def year_columns(institution: Institution) -> list[Column[official.YearView]]:
    """The columns of the download of one institution's years."""
    return [
        Column("code", lambda v: institution.code),
        Column("name", lambda v: institution.name),
        Column("year", lambda v: v.result.year),
        Column("index", lambda v: v.result.index),
        Column("category", lambda v: v.standing.category),
        Column("next_category", lambda v: v.standing.next_category or ""),
        Column("points_to_next_category", lambda v: v.standing.distance),
        Column("change_from_previous_year", "change"),
        Column("national_index", lambda v: v.national.index if v.national else None),
        Column("difference_from_national", "vs_national"),
        Column("same_type_average", lambda v: v.peers.value),
        Column("same_type_institutions", lambda v: v.peers.n),
        Column("difference_from_same_type", "vs_peers"),
        Column("internal", lambda v: v.result.internal),
        Column("external", lambda v: v.result.external),
        Column("expert", lambda v: v.result.expert),
        Column("correction", lambda v: v.result.correction),
    ]


def _years_export(fmt: str, institution: Institution) -> HttpResponseBase:
    return export_response(
        fmt=fmt,
        stem=f"spi-{institution.code}",
        columns=year_columns(institution),
        objects=official.year_views(institution),
    )


@login_required
def spi_overview(request: HttpRequest) -> HttpResponseBase:
    own = policy.scope(request.user, Institution).filter(is_own=True).first()
    if own is not None and (fmt := export_format(request)):
        return _years_export(fmt, own)
    context: dict[str, Any] = {
        "can_change": policy.allows_model(request.user, "change", Institution),
        "can_import": policy.allows_model(request.user, "import", SpiResult),
    }
    if own is not None:
        context.update(_analysis(request, own))
    return render(request, "indices/official/overview.html", context)


# --- Institutions ------------------------------------------------------------------------------


def _year_choice(asked: int | None, years: list[int]) -> int | None:
    if asked is not None and asked in years:
        return asked
    return years[0] if years else None


@login_required
def institution_list(request: HttpRequest) -> HttpResponseBase:
    items = policy.scope(request.user, Institution)
    f = InstitutionFilterForm(request.GET).filters
    q, kind, size, order = f["q"], f["kind"], f["size"], f["order"]
    if q:
        items = items.filter(Q(code__icontains=q) | Q(name__icontains=q) | Q(province__icontains=q))
    if kind:
        items = items.filter(kind=kind)
    if size:
        items = items.filter(size_class=size)
    results = policy.scope(request.user, SpiResult)
    years = sorted(set(results.values_list("year", flat=True)), reverse=True)
    year = _year_choice(f["year"], years)
    year_results = results.filter(year=year) if year is not None else results.none()
    items = items.annotate(
        year_index=Subquery(year_results.filter(institution=OuterRef("pk")).values("index")[:1])
    )
    if order == "index":
        items = items.order_by(F("year_index").desc(nulls_last=True), "name")
    else:
        order = "name"
        items = items.order_by("name")
    fmt = export_format(request)
    if fmt:
        return _results_export(fmt, year_results.filter(institution__in=items.values("pk")), year)
    page, query = paginate(request, items)
    bands = official.bands_from(spi_categories_for(year)) if year else []
    rows = []
    for institution in page.object_list:
        standing = (
            official.standing(Decimal(institution.year_index), bands)
            if institution.year_index is not None and bands
            else None
        )
        rows.append({"institution": institution, "standing": standing})
    context = {
        "page": page,
        "rows": rows,
        "query": query,
        "q": q,
        "kind": kind,
        "size": size,
        "year": year,
        "years": years,
        "order": order,
        "kinds": Institution.Kind.choices,
        "sizes": Institution.Size.choices,
        "can_create": policy.allows_model(request.user, "create", Institution),
        "can_import": policy.allows_model(request.user, "import", Institution),
        "can_import_results": policy.allows_model(request.user, "import", SpiResult),
    }
    return render(request, "indices/official/institution_list.html", context)


def _dimension_score(code: str) -> Callable[[SpiResult], Any]:
    return lambda result: (result.dimension_scores or {}).get(code)


def result_columns(dimension_codes: list[str], bands: list[Any]) -> list[Column[SpiResult]]:
    """The columns of the results download, in the layout of the import file: one per
    dimension present, and the category read from ``bands`` (none without bands)."""
    return [
        Column("code", lambda r: r.institution.code),
        Column("name", lambda r: r.institution.name),
        Column("type", lambda r: r.institution.kind),
        Column("size_class", lambda r: r.institution.size_class),
        Column("province", lambda r: r.institution.province),
        Column("year", "year"),
        Column("index", "index"),
        Column(
            "category",
            lambda r: official.standing(Decimal(r.index), bands).category if bands else "",
        ),
        Column("internal", "internal"),
        Column("external", "external"),
        Column("expert", "expert"),
        Column("correction", "correction"),
        *(Column(f"dim:{code}", _dimension_score(code)) for code in dimension_codes),
        Column("source", "source"),
    ]


def _results_export(fmt: str, results: Any, year: int | None) -> HttpResponseBase:
    """The results in the layout of the import file (extra columns are ignored on import)."""
    rows = list(results.select_related("institution").order_by("institution__name"))
    codes = sorted({code for r in rows for code in (r.dimension_scores or {})})
    known = [d.code for d in official.DIMENSIONS if d.code in codes]
    dimension_codes = known + [code for code in codes if code not in known]
    bands = official.bands_from(spi_categories_for(year)) if year else []
    return export_response(
        fmt=fmt,
        stem=f"spi-results-{year}" if year else "spi-results",
        columns=result_columns(dimension_codes, bands),
        objects=rows,
    )


@login_required
def institution_detail(request: HttpRequest, code: str) -> HttpResponseBase:
    institution = policy.get_for_user(request.user, Institution, code=code)
    if fmt := export_format(request):
        return _years_export(fmt, institution)
    context = _analysis(request, institution)
    context.update(
        {
            "can_change": policy.allows(request.user, "change", institution),
            "history": history.for_viewer(
                request.user, Event.objects.for_object(institution).select_related("actor")[:20]
            ),
        }
    )
    return render(request, "indices/official/institution_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def institution_create(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, "create", Institution)
    form = InstitutionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        institution = official.institution_save(institution=Institution(), values=form.cleaned_data)
        messages.success(request, _("%(name)s was added.") % {"name": institution.name})
        return redirect("indices-spi-institution", institution.code)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "indices/official/institution_form.html",
        {"form": form, "institution": None},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def institution_edit(request: HttpRequest, code: str) -> HttpResponse:
    institution = policy.get_for_user(request.user, Institution, need="change", code=code)
    form = InstitutionForm(request.POST or None, instance=institution)
    if request.method == "POST" and form.is_valid():
        saved = official.institution_save(
            institution=Institution.objects.get(pk=institution.pk), values=form.cleaned_data
        )
        messages.success(request, _("%(name)s was saved.") % {"name": saved.name})
        return redirect("indices-spi-institution", saved.code)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "indices/official/institution_form.html",
        {"form": form, "institution": Institution.objects.get(pk=institution.pk)},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def institution_import(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, "import", Institution)

    def run(data: dict[str, Any]) -> InstitutionImportReport:
        upload = data["file"]
        return import_institutions(
            data=upload.read(), filename=upload.name, dry_run=data["dry_run"]
        )

    def done(report: InstitutionImportReport) -> HttpResponse | None:
        if not report.saved:  # a dry run: the page shows what would change
            return None
        messages.success(
            request,
            _("Import finished: %(created)d institutions added, %(updated)d changed.")
            % {"created": len(report.created), "updated": len(report.updated)},
        )
        return redirect("indices-spi-institution-list")

    return import_page(
        request,
        form=InstitutionImportForm(request.POST or None, request.FILES or None),
        template="indices/official/institution_import.html",
        run=run,
        done=done,
        context={"columns": INSTITUTION_COLUMNS},
    )


# --- SPI result import ---------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def result_import(request: HttpRequest) -> HttpResponse:
    """Two steps: upload and check (nothing is saved; the page lists what will be added and what
    replaced), then confirm (the checked file comes back signed, is checked again and saved)."""
    policy.require(request.user, "import", SpiResult)
    template = "indices/official/result_import.html"
    context: dict[str, Any] = {"columns": RESULT_COLUMNS, "dimensions": official.DIMENSIONS}
    if request.method == "POST" and "token" in request.POST:
        confirm = ResultConfirmForm(request.POST)
        upload = (
            _unsign_upload(request.user, confirm.data.get("token", ""))
            if confirm.is_valid()
            else None
        )
        report = None
        if upload is None:
            messages.error(
                request,
                _("The checked file has expired or was changed. Upload it again, please."),
            )
        else:
            report = import_results(
                data=upload["data"], filename=upload["file"], source=upload["source"]
            )
            if report.saved:
                messages.success(
                    request,
                    _("Import finished: %(created)d results added, %(replaced)d replaced.")
                    % {"created": len(report.created), "replaced": len(report.replaced)},
                )
                latest = max(row.year for row in report.rows)
                return redirect(f"{reverse('indices-spi-institution-list')}?year={latest}")
        context.update(form=ResultImportForm(), report=report, confirm=None)
        return render(request, template, context, status=400)

    def check(data: dict[str, Any]) -> ResultImportReport:
        upload = data["file"]
        content = upload.read()
        report = import_results(
            data=content, filename=upload.name, source=data["source"], dry_run=True
        )
        if report.ok:  # the page asks to confirm, with the checked file signed in the form
            token = _sign_upload(request.user, content, upload.name, data["source"])
            context["confirm"] = ResultConfirmForm(initial={"token": token})
        return report

    return import_page(
        request,
        form=ResultImportForm(request.POST or None, request.FILES or None),
        template=template,
        run=check,
        done=lambda report: None,
        context=context,
    )


# --- National figures ------------------------------------------------------------------------


def _kind_average(kind: str) -> Callable[[NationalFigure], Any]:
    return lambda figure: (figure.averages_by_kind or {}).get(kind)


NATIONAL_COLUMNS: list[Column[NationalFigure]] = [
    Column("year", "year"),
    Column("index", "index"),
    Column("respondents", "respondents"),
    Column("respondents_collected", "respondents_collected"),
    Column("institutions", "institutions"),
    *(Column(f"average_{kind.value}", _kind_average(kind.value)) for kind in Institution.Kind),
    Column("source", "source"),
]


@login_required
def national_list(request: HttpRequest) -> HttpResponseBase:
    figures = policy.scope(request.user, NationalFigure).order_by("-year")
    kinds = list(Institution.Kind)
    fmt = export_format(request)
    if fmt:
        return export_response(
            fmt=fmt,
            stem="spi-national",
            columns=NATIONAL_COLUMNS,
            objects=figures,
        )
    page, query = paginate(request, figures)
    rows = [
        {
            "figure": f,
            "averages": [
                (kind.label, (f.averages_by_kind or {}).get(kind.value)) for kind in kinds
            ],
        }
        for f in page.object_list
    ]
    context = {
        "page": page,
        "rows": rows,
        "query": query,
        "kinds": kinds,
        "can_create": policy.allows_model(request.user, "create", NationalFigure),
        "can_change": policy.allows_model(request.user, "change", NationalFigure),
    }
    return render(request, "indices/official/national_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def national_create(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, "create", NationalFigure)
    form = NationalFigureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        figure = official.national_figure_save(figure=NationalFigure(), values=form.values())
        messages.success(
            request, _("The national figures of %(year)d were saved.") % {"year": figure.year}
        )
        return redirect("indices-spi-national-list")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "indices/official/national_form.html",
        {"form": form, "figure": None},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def national_edit(request: HttpRequest, year: int) -> HttpResponse:
    figure = policy.get_for_user(request.user, NationalFigure, need="change", year=year)
    form = NationalFigureForm(request.POST or None, instance=figure)
    if request.method == "POST" and form.is_valid():
        saved = official.national_figure_save(
            figure=NationalFigure.objects.get(pk=figure.pk), values=form.values()
        )
        messages.success(
            request, _("The national figures of %(year)d were saved.") % {"year": saved.year}
        )
        return redirect("indices-spi-national-list")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "indices/official/national_form.html",
        {"form": form, "figure": NationalFigure.objects.get(pk=figure.pk)},
        status=status,
    )
