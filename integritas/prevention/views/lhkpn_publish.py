"""Publishing a year's LHKPN compliance on the portal, from the compliance page: publish, and
unpublish with a reason (``services/lhkpn_publication.py``)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from integritas.lib import publishing as decisions
from integritas.prevention.forms import UnpublishForm
from integritas.prevention.services import lhkpn_publication as publication
from integritas.prevention.views.lhkpn import compliance_response


def _back(year: int) -> HttpResponse:
    return redirect(f"{reverse('prevention-lhkpn-compliance')}?year={year}")


@login_required
@require_POST
def publish(request: HttpRequest, year: int) -> HttpResponse:
    if not publication.may_publish(request.user):
        raise PermissionDenied
    decisions.publish(request, lambda: publication.publish(year=year, by=request.user))
    return _back(year)


@login_required
@require_POST
def unpublish(request: HttpRequest, year: int) -> HttpResponse:
    if not publication.may_publish(request.user):
        raise PermissionDenied
    if publication.live(year) is None:
        raise Http404
    form = UnpublishForm(request.POST)
    if decisions.unpublish(
        request,
        form,
        lambda reason: publication.unpublish(year=year, by=request.user, reason=reason),
    ):
        return _back(year)
    return compliance_response(request, year=year, unpublish_form=form, status=400)
