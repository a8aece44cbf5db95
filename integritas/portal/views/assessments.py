"""``/hasil-penilaian/``: the published assessment results — each MCSP year's verified score in
total and per area with KPK's published score, and each unit's integrity zone (LKE) result after
the TPI's review with its predicate stage and eligibility (``services/assessments.py``)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from integritas.core import public
from integritas.portal.services import assessments as published
from integritas.portal.services import cache
from integritas.portal.views.public import BASE


@public.public_page("GET", base=BASE, indexed=True)
@cache.page()
def results(request: HttpRequest) -> HttpResponse:
    context = {"mcsp": published.mcsp_years(), "lkes": published.lke_results()}
    return public.render(request, "portal/assessments.html", context)
