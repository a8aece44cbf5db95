"""The portal's pages for anyone: the integrity profile, the follow-up tracker, a
recommendation, a unit, and the public evidence files. Built with the public-page kit
(``core/public.py``): no session is touched, and what is shown comes only from
``services/public.py`` (what the Inspectorate published)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from uuid import UUID

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext as _

from integritas.core import public
from integritas.core.models import Unit
from integritas.followup.models import Recommendation
from integritas.indices.services import official
from integritas.lib.tables import paginate
from integritas.portal.services import assessments as published_assessments
from integritas.portal.services import cache, datasets, seo
from integritas.portal.services import events as published_events
from integritas.portal.services import gratification as published_gratification
from integritas.portal.services import lhkpn as published_lhkpn
from integritas.portal.services import public as published

BASE = "portal/base.html"
NOTICE = "portal/notice.html"


def not_found(request: HttpRequest, message: str) -> HttpResponse:
    """The portal's 404: says what was not found and leads back to the portal."""
    return public.notice(
        request,
        status=404,
        title=_("Not found"),
        message=message,
        detail=_("It may never have been published, or it was taken off the portal."),
        base=BASE,
        template=NOTICE,
    )


def profile_rows() -> dict[str, Any]:
    """The government's official SPI results by year, with the national and same-type
    averages where they are stored, and the trend chart."""
    institution = published.own_institution()
    if institution is None:
        return {"institution": None}
    views = official.year_views(institution)
    series = [(v.result.year, Decimal(v.result.index)) for v in views]
    national = [(v.result.year, Decimal(v.national.index)) for v in views if v.national]
    return {
        "institution": institution,
        "years": [
            {
                "view": v,
                "change": official.signed(v.change),
                "distance": official.distance_sentence(v),
            }
            for v in views
        ],
        "chart": official.trend_chart(series, national, views[0].bands, name=institution.name)
        if views
        else None,
    }


@public.public_page("GET", base=BASE, indexed=True)
@cache.page()
def home(request: HttpRequest) -> HttpResponse:
    """The portal's home (also ``/`` for visitors who are not signed in)."""
    context = {
        **profile_rows(),
        "summary": published.tracker_summary(),
        "latest": published.recommendations().order_by("-year", "-issued_at", "code")[:5],
        "units": published.units(),
        "waves": published.waves(),
        "canonical_path": reverse("portal-home"),  # also served at "/"
        "portal_years": published.portal_years(),
        "lhkpn_published": bool(published_lhkpn.years()),
    }
    return public.render(request, "portal/home.html", context)


@public.public_page("GET", base=BASE, indexed=True)
@cache.page("page", "unit", "source", "status", "year")
def tracker(request: HttpRequest) -> HttpResponse:
    """Every published recommendation, filtered by unit, source, status and year, searchable."""
    selection = datasets.tracker_selection(request.GET)
    page, query = paginate(request, selection.found)
    rows = [{"recommendation": r, "plans": published.plan_views(r.plans.all())} for r in page]
    context = {
        "form": selection.form,
        "page": page,
        "query": query,
        "rows": rows,
        "units": published.units(),
        "filtered": selection.filtered,
        "dataset": "tindak-lanjut",
    }
    return public.render(request, "portal/tracker.html", context)


@public.public_page("GET", base=BASE, indexed=True)
@cache.page()
def recommendation(request: HttpRequest, code: str) -> HttpResponse:
    """One published recommendation: its source, the units' plans, progress, dates, the
    timeline of verified steps and the public evidence."""
    found: Recommendation | None = published.recommendations().filter(code=code).first()
    if found is None:
        return not_found(request, _("There is no published recommendation with this number."))
    context = {
        "recommendation": found,
        "plans": published.plan_views(found.plans.all()),
    }
    return public.render(request, "portal/recommendation.html", context)


@public.public_page("GET", base=BASE, indexed=True)
@cache.page()
def unit(request: HttpRequest, code: str) -> HttpResponse:
    """A unit's page: its published actions."""
    found = Unit.objects.filter(code=code, is_active=True).first()
    if found is None:
        return not_found(request, _("There is no unit with this code."))
    plans = published.plan_views(published.plans().filter(unit=found))
    context = {
        "unit": found,
        "plans": plans,
        "results": published.unit_results(found),
        "lkes": published_assessments.lke_results(found.code),
        "tracker_url": f"{reverse('portal-tracker')}?unit={found.code}",
        "dataset": datasets.unit_slug(found) if plans else "",
    }
    return public.render(request, "portal/unit.html", context)


@public.public_page("GET", base=BASE, indexed=True)
@cache.page()
def waves(request: HttpRequest) -> HttpResponse:
    """Every survey wave whose results the Inspectorate published, newest first, and each
    questionnaire's results across the years."""
    context = {"waves": published.waves(), "trends": published.trends()}
    return public.render(request, "portal/waves.html", context)


@public.public_page("GET", base=BASE, indexed=True)
@cache.page("level")
def wave(request: HttpRequest, code: str) -> HttpResponse:
    """A published wave's results: the government's, per dimension, and each unit's at one
    level of the unit tree (``?level=``), withheld cells as the staff dashboards show them."""
    found = published.waves().filter(code=code).first()
    if found is None:
        return not_found(request, _("There are no published survey results with this code."))
    level = request.GET.get("level", "")
    board = published.wave_results(found, level=int(level) if level.isdigit() else None)
    context = {
        "wave": found,
        "board": board,
        "p": board.precision,
        "dataset": datasets.wave_slug(found),
        "query": f"level={board.level}" if board.level != 1 else "",
    }
    return public.render(request, "portal/wave.html", context)


@public.public_page("GET", base=BASE)
def evidence_file(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """A published evidence file, copied without its metadata, under a neutral name."""
    item = published.evidence().filter(public_id=public_id).first()
    clean = published.clean_evidence_file(item) if item is not None else None
    if clean is None:
        return not_found(request, _("There is no published evidence file at this address."))
    response = HttpResponse(clean.content, content_type=clean.content_type)
    response["Content-Disposition"] = f'attachment; filename="{clean.filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


# Search engines ---------------------------------------------------------------------------------

# Where crawlers have nothing to find: staff pages, sign-in, and the respondents' and reporters'
# pages (their addresses may hold a token).
NOT_FOR_CRAWLERS = [
    "/accounts/",
    "/audit/",
    "/calendar/",
    "/fiscal-years/",
    "/government/",
    "/notifications/",
    "/people/",
    "/units/",
    "/surveys/",
    "/indices/",
    "/followup/",
    "/pengaduan/",
    "/publikasi/",
    "/lapor/",
    "/s/",
    "/bukti/",
]


@public.public_page("GET", base=BASE, indexed=True)
@cache.page()
def robots_txt(request: HttpRequest) -> HttpResponse:
    """``/robots.txt``: crawlers may read the portal, nothing else, and find its sitemap."""
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in NOT_FOR_CRAWLERS), "Allow: /"]
    lines.append(f"Sitemap: {seo.absolute(request, reverse('portal-sitemap'))}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@public.public_page("GET", base=BASE, indexed=True)
@cache.page()
def sitemap_xml(request: HttpRequest) -> HttpResponse:
    """``/sitemap.xml``: every portal page there is to find, published items only."""
    names = ("portal-home", "portal-waves", "portal-tracker", "portal-data")
    paths = [reverse(name) for name in (*names, "portal-complaint-statistics", "portal-events")]
    paths += [reverse("portal-gratification-statistics")] if published_gratification.years() else []
    paths += [reverse("portal-lhkpn-compliance")] if published_lhkpn.years() else []
    paths += [reverse("portal-assessments")] if published_assessments.anything_published() else []
    paths += [reverse("portal-year", args=[year]) for year in published.portal_years()]
    paths += [reverse("portal-recommendation", args=[r.code]) for r in published.recommendations()]
    paths += [reverse("portal-wave", args=[w.code]) for w in published.waves()]
    paths += [reverse("portal-unit", args=[u.code]) for u in published.units()]
    paths += [
        reverse("portal-plan", args=[p.recommendation.code, p.unit.code])
        for p in published.plans().select_related("recommendation", "unit")
    ]
    paths += [reverse("portal-event", args=[e.code]) for e in published_events.events()]
    urls = "".join(f"<url><loc>{escape(seo.absolute(request, path))}</loc></url>" for path in paths)
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>\n'
    )
    return HttpResponse(body, content_type="application/xml; charset=utf-8")
