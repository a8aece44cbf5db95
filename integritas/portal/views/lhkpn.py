"""``/kepatuhan-lhkpn/``: the LHKPN compliance of a published year (the newest by default,
``?year=`` for another), per unit and for the government with the filing and complete rates
labelled, small units withheld, and the trend over the published years
(``services/lhkpn.py``)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from integritas.core import public
from integritas.portal.services import cache
from integritas.portal.services import lhkpn as published
from integritas.portal.views.public import BASE, not_found


@public.public_page("GET", base=BASE, indexed=True)
@cache.page("year")
def compliance(request: HttpRequest) -> HttpResponse:
    years = published.years()
    asked = request.GET.get("year", "")
    if asked and not (asked.isdigit() and int(asked) in years):
        return not_found(request, _("No LHKPN compliance is published for this year."))
    year = int(asked) if asked else (years[0] if years else None)
    figures = published.figures(year) if year is not None else None
    context = {
        "figures": figures,
        "year": year,
        "years": years,
        "trend": published.trend() if figures else [],
    }
    return public.render(request, "portal/lhkpn_compliance.html", context)
