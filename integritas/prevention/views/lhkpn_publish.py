"""Publishing a year's LHKPN compliance on the portal, from the compliance page: publish, and
unpublish with a reason (``services/lhkpn_publication.py``)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from integritas.lib import publishing as decisions
from integritas.prevention.forms import UnpublishForm
from integritas.prevention.services import lhkpn_publication as publication
from integritas.prevention.views.lhkpn import compliance_response


def _back(year: int) -> str:
    return f"{reverse('prevention-lhkpn-compliance')}?year={year}"


def _page(request: HttpRequest, year: int, form: UnpublishForm) -> HttpResponse:
    return compliance_response(request, year=year, unpublish_form=form, status=400)


publish, unpublish = decisions.year_views(
    publication, back=_back, page=_page, form_class=UnpublishForm
)
