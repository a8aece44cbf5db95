"""URLs of the indices pages: dashboards."""

from django.urls import path

from integritas.indices import views_dashboards as views

urlpatterns = [
    path("", views.home, name="indices-home"),
    path("waves/<slug:code>/", views.wave_dashboard, name="indices-wave"),
    path("waves/<slug:code>/report.pdf", views.wave_report, name="indices-wave-report"),
    path("years/<int:year>/", views.year_dashboard, name="indices-year"),
]
