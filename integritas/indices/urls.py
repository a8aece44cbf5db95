"""Index pages, mounted at /indices/. URL names carry the prefix ``indices-``."""

from django.urls import path

from integritas.indices.views import dashboards, official, settings, weak_points

urlpatterns = [
    # Dashboards per wave and per year
    path("", dashboards.home, name="indices-home"),
    path("waves/<slug:code>/", dashboards.wave_dashboard, name="indices-wave"),
    path("waves/<slug:code>/report.pdf", dashboards.wave_report, name="indices-wave-report"),
    path("years/<int:year>/", dashboards.year_dashboard, name="indices-year"),
    # Official SPI results (KPK's published figures)
    path("spi/", official.spi_overview, name="indices-spi-overview"),
    path("spi/import/", official.result_import, name="indices-spi-result-import"),
    path("spi/institutions/", official.institution_list, name="indices-spi-institution-list"),
    path(
        "spi/institutions/add/", official.institution_create, name="indices-spi-institution-create"
    ),
    path(
        "spi/institutions/import/",
        official.institution_import,
        name="indices-spi-institution-import",
    ),
    path(
        "spi/institutions/<slug:code>/",
        official.institution_detail,
        name="indices-spi-institution",
    ),
    path(
        "spi/institutions/<slug:code>/edit/",
        official.institution_edit,
        name="indices-spi-institution-edit",
    ),
    path("spi/national/", official.national_list, name="indices-spi-national-list"),
    path("spi/national/add/", official.national_create, name="indices-spi-national-create"),
    path("spi/national/<int:year>/edit/", official.national_edit, name="indices-spi-national-edit"),
    # Weak points
    path("weak-points/", weak_points.weak_point_list, name="indices-weak-points"),
    path(
        "weak-points/detect/<slug:code>/",
        weak_points.weak_points_detect,
        name="indices-weak-points-detect",
    ),
    path("weak-points/<uuid:public_id>/", weak_points.weak_point_detail, name="indices-weak-point"),
    path(
        "weak-points/<uuid:public_id>/request/",
        weak_points.weak_point_request,
        name="indices-weak-point-request",
    ),
    path(
        "weak-points/<uuid:public_id>/dismiss/",
        weak_points.weak_point_dismiss,
        name="indices-weak-point-dismiss",
    ),
    # Settings of the index methods, by method and first year
    path("settings/", settings.setting_list, name="indices-settings"),
    path("settings/<slug:method>/new/", settings.setting_create, name="indices-setting-create"),
    path("settings/<slug:method>/<int:year>/", settings.setting_detail, name="indices-setting"),
    path(
        "settings/<slug:method>/<int:year>/edit/",
        settings.setting_edit,
        name="indices-setting-edit",
    ),
    path(
        "settings/<slug:method>/<int:year>/delete/",
        settings.setting_delete,
        name="indices-setting-delete",
    ),
]
