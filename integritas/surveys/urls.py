"""Staff pages of the surveys app, one URL module per area."""

from django.urls import include, path

urlpatterns = [
    path("instruments/", include("integritas.surveys.urls_instruments")),
    path("", include("integritas.surveys.urls_waves")),
    path("", include("integritas.surveys.urls_data")),
]
