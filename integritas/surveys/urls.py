"""Staff pages of the surveys app under /surveys/; the respondent pages are ``respond_patterns``,
mounted at /s/ by the project's URL map."""

from django.urls import include, path

from integritas.surveys.views import responses, waves

urlpatterns = [
    path("instruments/", include("integritas.surveys.urls_instruments")),
    # Waves and service counters
    path("waves/", waves.wave_list, name="surveys-wave-list"),
    path("waves/new/", waves.wave_create, name="surveys-wave-create"),
    path("waves/<slug:code>/", waves.wave_detail, name="surveys-wave"),
    path("waves/<slug:code>/edit/", waves.wave_edit, name="surveys-wave-edit"),
    path("waves/<slug:code>/status/", waves.wave_status, name="surveys-wave-status"),
    path("waves/<slug:code>/populations/", waves.wave_populations, name="surveys-wave-populations"),
    path("waves/<slug:code>/units/", waves.wave_add_units, name="surveys-wave-add-units"),
    path(
        "waves/<slug:code>/units/<str:unit_code>/remove/",
        waves.wave_remove_unit,
        name="surveys-wave-remove-unit",
    ),
    path("waves/<slug:code>/invitations/", waves.wave_invitations, name="surveys-wave-invitations"),
    path("waves/<slug:code>/reminders/", waves.wave_reminders, name="surveys-wave-reminders"),
    path("waves/<slug:code>/posters.pdf", waves.wave_posters, name="surveys-wave-posters"),
    path("services/", waves.service_list, name="surveys-service-list"),
    path("services/new/", waves.service_create, name="surveys-service-create"),
    path(
        "services/<str:unit_code>/<str:code>/edit/", waves.service_edit, name="surveys-service-edit"
    ),
    # Response data of a wave: bulk import (a background task with a progress page) and export
    path("waves/<slug:code>/import/", responses.wave_import, name="surveys-data-import"),
    path(
        "waves/<slug:code>/imports/<uuid:batch>/",
        responses.import_batch,
        name="surveys-data-import-batch",
    ),
    path("waves/<slug:code>/export/", responses.wave_export, name="surveys-data-export"),
]
