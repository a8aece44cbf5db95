"""Response data of a wave: bulk import (a background task with a progress page) and export."""

from django.urls import path

from integritas.surveys import views_data as views

urlpatterns = [
    path("waves/<slug:code>/import/", views.wave_import, name="surveys-data-import"),
    path(
        "waves/<slug:code>/imports/<uuid:batch>/",
        views.import_batch,
        name="surveys-data-import-batch",
    ),
    path("waves/<slug:code>/export/", views.wave_export, name="surveys-data-export"),
]
