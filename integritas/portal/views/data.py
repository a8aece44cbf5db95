"""The portal's open data: the dataset catalogue (a page and DCAT JSON-LD), the downloads of
every public table, the Atom feed of what changed, the public whistleblowing statistics and the
portal's pages by year. Everything comes from ``services/datasets.py``, ``services/feed.py`` and
``services/public.py``: only what the portal shows."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any
from xml.etree import ElementTree as ET

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from integritas.core import public
from integritas.lib.tables import DATA_FORMATS
from integritas.portal.services import cache, datasets, feed, seo
from integritas.portal.services import public as published
from integritas.portal.views.public import BASE, not_found, profile_rows

ATOM = "http://www.w3.org/2005/Atom"
IANA = "https://www.iana.org/assignments/media-types/"
CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "spdx": "http://spdx.org/rdf/terms#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}


def _when(value: dt.date | dt.datetime | None) -> str:
    """A date as DCAT writes it: a moment in UTC, or a day."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
    return value.isoformat()


def _typed(value: dt.date | dt.datetime | None) -> dict[str, str] | None:
    if value is None:
        return None
    kind = "xsd:dateTime" if isinstance(value, dt.datetime) else "xsd:date"
    return {"@value": _when(value), "@type": kind}


# The catalogue ---------------------------------------------------------------------------------


@public.public_page("GET", base=BASE, indexed=True)
@cache.page()
def catalogue(request: HttpRequest) -> HttpResponse:
    """``/data/``: every dataset of the portal with its metadata and its files; the
    government-wide ones in full, then one per published wave and one per unit, each folded
    behind a summary (title, formats, last change) so the page stays short on a phone."""
    found = datasets.catalogue()
    rows = [(d.group, {"dataset": d, "files": d.distributions()}) for d in found]
    titles = {"wave": _("Survey results"), "unit": _("Units")}
    groups = [
        {"id": f"data-{group}s", "title": title, "rows": chosen}
        for group, title in titles.items()
        if (chosen := [row for kind, row in rows if kind == group])
    ]
    context = {
        "whole": [row for kind, row in rows if kind == "government"],
        "groups": groups,
        "publisher": datasets.publisher(),
        "licence": datasets.licence(),
        "jsonld_url": reverse("portal-data-catalog"),
    }
    return public.render(request, "portal/data.html", context)


def _agent(request: HttpRequest, who: datasets.Publisher) -> dict[str, Any]:
    agent: dict[str, Any] = {"@type": "foaf:Organization", "foaf:name": who.name}
    if who.website:
        agent["foaf:homepage"] = {"@id": who.website}
    return agent


def _contact(who: datasets.Publisher) -> dict[str, Any]:
    contact: dict[str, Any] = {"@type": "vcard:Organization", "vcard:fn": who.name}
    if who.email:
        contact["vcard:hasEmail"] = {"@id": f"mailto:{who.email}"}
    return contact


def _dataset_node(request: HttpRequest, d: datasets.Dataset, who: datasets.Publisher) -> Any:
    catalogue_url = seo.absolute(request, reverse("portal-data"))
    node: dict[str, Any] = {
        "@id": f"{catalogue_url}#{d.slug}",
        "@type": "dcat:Dataset",
        "dct:identifier": d.slug,
        "dct:title": d.title,
        "dct:description": d.description,
        "dcat:keyword": [str(k) for k in d.keywords],
        "dct:publisher": _agent(request, who),
        "dcat:contactPoint": _contact(who),
        "dct:license": {"@id": datasets.licence()},
        "dct:accrualPeriodicity": {"@id": d.frequency_uri},
        "dcat:landingPage": {"@id": seo.absolute(request, d.page)},
    }
    start, end = d.temporal
    if start or end:
        period: dict[str, Any] = {"@type": "dct:PeriodOfTime"}
        if start:
            period["dcat:startDate"] = _typed(start)
        if end:
            period["dcat:endDate"] = _typed(end)
        node["dct:temporal"] = period
    if d.issued:
        node["dct:issued"] = _typed(d.issued)
    if d.modified:
        node["dct:modified"] = _typed(d.modified)
    node["dcat:distribution"] = [
        {
            "@id": seo.absolute(request, f.url),
            "@type": "dcat:Distribution",
            "dct:title": f"{d.title} ({f.fmt.upper()})",
            "dct:format": f.fmt.upper(),
            "dcat:mediaType": {"@id": IANA + f.media_type},
            "dcat:accessURL": {"@id": seo.absolute(request, d.page)},
            "dcat:downloadURL": {"@id": seo.absolute(request, f.url)},
            "dcat:byteSize": {"@value": f.byte_size, "@type": "xsd:nonNegativeInteger"},
            "spdx:checksum": {
                "@type": "spdx:Checksum",
                "spdx:algorithm": {"@id": "spdx:checksumAlgorithm_sha256"},
                "spdx:checksumValue": {"@value": f.sha256, "@type": "xsd:hexBinary"},
            },
            "dct:license": {"@id": datasets.licence()},
        }
        for f in d.distributions()
    ]
    return node


@public.public_page("GET", base=BASE, indexed=True)
@cache.page()
def catalog_jsonld(request: HttpRequest) -> HttpResponse:
    """``/data/catalog.jsonld``: the catalogue as a DCAT catalogue in JSON-LD."""
    who = datasets.publisher()
    found = datasets.catalogue()
    modified = [d.modified for d in found if d.modified]
    document: dict[str, Any] = {
        "@context": CONTEXT,
        "@id": seo.absolute(request, reverse("portal-data-catalog")),
        "@type": "dcat:Catalog",
        "dct:title": _("Open data of %(name)s") % {"name": who.name},
        "dct:description": _(
            "The tables of the transparency portal: the official integrity profile, published "
            "survey results, the follow-up of recommendations, whistleblowing statistics and "
            "the audit trail's anchors."
        ),
        "dct:publisher": _agent(request, who),
        "dcat:contactPoint": _contact(who),
        "dct:license": {"@id": datasets.licence()},
        "foaf:homepage": {"@id": seo.absolute(request, reverse("portal-data"))},
        "dcat:dataset": [_dataset_node(request, d, who) for d in found],
    }
    if modified:
        latest = max(
            m if isinstance(m, dt.datetime) else dt.datetime.combine(m, dt.time(0), dt.UTC)
            for m in modified
        )
        document["dct:modified"] = _typed(latest)
    body = json.dumps(document, ensure_ascii=False, indent=1)
    return HttpResponse(body, content_type="application/ld+json; charset=utf-8")


@public.public_page("GET", base=BASE)
@cache.page(*datasets.FILTERS)
def data_file(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    """``/data/<slug>.<fmt>``: a dataset as CSV, XLSX or JSON, with the page's filters given
    as its query parameters."""
    found = datasets.find(slug)
    if found is None or fmt not in datasets.FORMATS:
        return not_found(request, _("There is no published dataset at this address."))
    params = {k: value for k in request.GET if k != "lang" and (value := request.GET.get(k, ""))}
    response = HttpResponse(found.content(fmt, params), content_type=DATA_FORMATS[fmt])
    disposition = "inline" if fmt == "json" else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{slug}.{fmt}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


# The feed ---------------------------------------------------------------------------------------


@public.public_page("GET", base=BASE, indexed=True)
@cache.page()
def atom_feed(request: HttpRequest) -> HttpResponse:
    """``/data/feed.atom``: what changed on the portal, newest first."""
    ET.register_namespace("", ATOM)

    def add(parent: ET.Element, tag: str, text: str = "", **attrs: str) -> ET.Element:
        element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
        if text:
            element.text = text
        return element

    entries = feed.entries()
    who = datasets.publisher()
    self_url = seo.absolute(request, reverse("portal-feed"))
    root = ET.Element(f"{{{ATOM}}}feed")
    root.set("xml:lang", get_language() or "id")
    add(root, "id", self_url)
    add(root, "title", _("Transparency portal: what changed"))
    updated = entries[0].updated if entries else timezone.now()
    add(root, "updated", _when(updated))
    add(root, "link", rel="self", type="application/atom+xml", href=self_url)
    add(root, "link", rel="alternate", type="text/html", href=seo.absolute(request, "/publik/"))
    author = add(root, "author")
    add(author, "name", who.name)
    for entry in entries:
        item = add(root, "entry")
        add(item, "id", entry.id)
        add(item, "title", entry.title)
        add(item, "updated", _when(entry.updated))
        add(item, "link", rel="alternate", type="text/html", href=seo.absolute(request, entry.path))
        add(item, "summary", entry.summary)
    body = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return HttpResponse(body, content_type="application/atom+xml; charset=utf-8")


# Whistleblowing statistics ----------------------------------------------------------------------


@public.public_page("GET", base=BASE, indexed=True)
@cache.page("year")
def complaint_statistics(request: HttpRequest) -> HttpResponse:
    """``/statistik-pengaduan/``: counts of reports by channel, category, status and month, and
    the medians, with small groups withheld; for one year of receipt (``?year=``) or all."""
    years = published.complaint_years()
    asked = request.GET.get("year", "")
    year = int(asked) if asked.isdigit() and int(asked) in years else None
    figures = published.complaint_statistics(year)
    context = {
        "figures": figures,
        "year": year,
        "years": years,
        "query": f"year={year}" if year else "",
        "dataset": "statistik-pengaduan",
    }
    return public.render(request, "portal/complaint_statistics.html", context)


# Pages by year ----------------------------------------------------------------------------------


@public.public_page("GET", base=BASE, indexed=True)
@cache.page()
def year(request: HttpRequest, year: int) -> HttpResponse:
    """``/publik/<year>/``: the official SPI result of the year, the survey results published
    for it and the recommendations of that year."""
    if year not in published.portal_years():
        return not_found(request, _("The portal has nothing for this year."))
    profile = profile_rows()
    recommendations = published.recommendations().filter(year=year).order_by("code")
    context = {
        **profile,
        "year": year,
        "years": [row for row in profile.get("years", []) if row["view"].result.year == year],
        "waves": published.waves_of_year(year),
        "recommendations": recommendations,
        "tracker_url": f"{reverse('portal-tracker')}?year={year}",
        "all_years": published.portal_years(),
        "query": f"year={year}",
    }
    return public.render(request, "portal/year.html", context)
