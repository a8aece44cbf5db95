"""``/statistik-gratifikasi/``: the gratification statistics of a published year (the newest by
default, ``?year=`` for another), by the reporter's unit, occasion, kind of object, value band
and month, small groups withheld (``services/gratification.py``)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from integritas.core import public
from integritas.portal.services import cache
from integritas.portal.services import gratification as published
from integritas.portal.views.public import BASE, not_found


@public.public_page("GET", base=BASE, indexed=True)
@cache.page("year")
def statistics(request: HttpRequest) -> HttpResponse:
    years = published.years()
    asked = request.GET.get("year", "")
    if asked and not (asked.isdigit() and int(asked) in years):
        return not_found(request, _("No gratification statistics are published for this year."))
    year = int(asked) if asked else (years[0] if years else None)
    figures = published.figures(year) if year is not None else None
    context = {"figures": figures, "year": year, "years": years}
    return public.render(request, "portal/gratification_statistics.html", context)
