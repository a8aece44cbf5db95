"""Top-level URL map: each app brings its own URL module."""

from django.urls import include, path

urlpatterns = [
    path("", include("integritas.core.urls")),
    path("surveys/", include("integritas.surveys.urls")),
    path("indices/", include("integritas.indices.urls")),
    path("followup/", include("integritas.followup.urls")),
    path("pengaduan/", include("integritas.complaints.urls_handler")),
    # Respondent pages: short, public, and outside the staff area.
    path("s/", include("integritas.surveys.urls_respond")),
    path("lapor/", include("integritas.complaints.urls_public")),
]
