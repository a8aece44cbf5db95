"""URLs of the indices pages: official SPI results (KPK's published figures)."""

from django.urls import URLPattern, path

from integritas.indices import views_official as views

urlpatterns: list[URLPattern] = [
    path("spi/", views.spi_overview, name="indices-spi-overview"),
    path("spi/import/", views.result_import, name="indices-spi-result-import"),
    path("spi/institutions/", views.institution_list, name="indices-spi-institution-list"),
    path("spi/institutions/add/", views.institution_create, name="indices-spi-institution-create"),
    path(
        "spi/institutions/import/",
        views.institution_import,
        name="indices-spi-institution-import",
    ),
    path(
        "spi/institutions/<slug:code>/",
        views.institution_detail,
        name="indices-spi-institution",
    ),
    path(
        "spi/institutions/<slug:code>/edit/",
        views.institution_edit,
        name="indices-spi-institution-edit",
    ),
    path("spi/national/", views.national_list, name="indices-spi-national-list"),
    path("spi/national/add/", views.national_create, name="indices-spi-national-create"),
    path("spi/national/<int:year>/edit/", views.national_edit, name="indices-spi-national-edit"),
]
