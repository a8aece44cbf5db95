"""Index pages under /indices/, one URL module per sub-area."""

from integritas.indices import urls_dashboards, urls_official, urls_settings, urls_weak_points

urlpatterns = [
    *urls_dashboards.urlpatterns,
    *urls_official.urlpatterns,
    *urls_weak_points.urlpatterns,
    *urls_settings.urlpatterns,
]
