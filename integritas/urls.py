"""Top-level URL map: each app brings its own URL module."""

from django.urls import include, path

urlpatterns = [
    path("", include("integritas.core.urls")),
    path("audit/", include("integritas.audit.urls")),
]
