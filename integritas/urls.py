"""Top-level URL map: each app brings its own URL module."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, include, path

from integritas.complaints import urls as complaints_urls
from integritas.core import api as core_api
from integritas.education import urls as education_urls
from integritas.lib.api import PREFIX, api_urls, build_api
from integritas.portal import api as portal_api
from integritas.portal import urls as portal_urls
from integritas.portal.services import cache as portal_cache
from integritas.prevention import api as prevention_api
from integritas.prevention import urls as prevention_urls
from integritas.surveys import urls as surveys_urls

# The public read-only API: each app brings its router (its ``api.py``); ``lib/api.py`` the rest.
api = build_api([("", core_api.router), ("", portal_api.router), ("", prevention_api.router)])

urlpatterns: list[URLPattern | URLResolver] = [
    path("", include("integritas.core.urls")),
    path("surveys/", include("integritas.surveys.urls")),
    path("indices/", include("integritas.indices.urls")),
    path("followup/", include("integritas.followup.urls")),
    path("pengaduan/", include("integritas.complaints.urls")),
    path("edukasi/", include("integritas.education.urls")),
    path("pencegahan/", include("integritas.prevention.urls")),
    path("penilaian/", include("integritas.assessments.urls")),
    # Respondent pages: short, public, and outside the staff area.
    path("s/", include(surveys_urls.respond_patterns)),
    path("lapor/", include(complaints_urls.public_patterns)),
    path("acara/", include(education_urls.public_patterns)),
    path("sertifikat/", include(education_urls.certificate_patterns)),
    path("gratifikasi/", include(prevention_urls.public_patterns)),
    path("publikasi/", include("integritas.portal.urls")),
    path(PREFIX, api_urls(api, keep=portal_cache.page(*portal_cache.API_PARAMS))),
    # The transparency portal: public, at clean addresses (its home is also "/" when signed out).
    path("", include(portal_urls.public_patterns)),
]


def bench_minimal(request: HttpRequest) -> HttpResponse:
    """The smallest Django answer, through the whole middleware stack: what `make bench` compares
    the portal's pages with. Only served when ``BENCH_MINIMAL_VIEW`` is on (never in production)."""
    return HttpResponse(b"ok", content_type="text/plain")


if settings.BENCH_MINIMAL_VIEW:  # first, so that finding it costs the least
    urlpatterns.insert(0, path("bench/minimal/", bench_minimal, name="bench-minimal"))
