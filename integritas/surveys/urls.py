"""Staff pages of the surveys app under /surveys/; the respondent pages are ``respond_patterns``,
mounted at /s/ by the project's URL map."""

from django.urls import path

from integritas.surveys.views import instruments, respond, responses, waves

INSTRUMENT = "instruments/<slug:code>/v<int:number>/"

urlpatterns = [
    # The instrument library and its builder
    path("instruments/", instruments.instrument_list, name="surveys-instrument-list"),
    path("instruments/new/", instruments.instrument_create, name="surveys-instrument-create"),
    path("instruments/import/", instruments.instrument_import, name="surveys-instrument-import"),
    path("instruments/<slug:code>/", instruments.instrument_detail, name="surveys-instrument"),
    path(
        "instruments/<slug:code>/edit/", instruments.instrument_edit, name="surveys-instrument-edit"
    ),
    path(INSTRUMENT, instruments.version_detail, name="surveys-instrument-version"),
    path(INSTRUMENT + "xlsx/", instruments.version_xlsx, name="surveys-instrument-version-xlsx"),
    path(
        INSTRUMENT + "new-version/",
        instruments.version_new_draft,
        name="surveys-instrument-version-new",
    ),
    path(
        INSTRUMENT + "publish/",
        instruments.version_publish,
        name="surveys-instrument-version-publish",
    ),
    path(
        INSTRUMENT + "retire/", instruments.version_retire, name="surveys-instrument-version-retire"
    ),
    path(
        INSTRUMENT + "delete/", instruments.version_delete, name="surveys-instrument-version-delete"
    ),
    path(
        INSTRUMENT + "dimensions/new/",
        instruments.dimension_add,
        name="surveys-instrument-dimension-add",
    ),
    path(
        INSTRUMENT + "dimensions/<str:item>/edit/",
        instruments.dimension_edit,
        name="surveys-instrument-dimension-edit",
    ),
    path(
        INSTRUMENT + "dimensions/<str:item>/delete/",
        instruments.dimension_delete,
        name="surveys-instrument-dimension-delete",
    ),
    path(
        INSTRUMENT + "dimensions/<str:item>/move/",
        instruments.dimension_move,
        name="surveys-instrument-dimension-move",
    ),
    path(
        INSTRUMENT + "sections/new/", instruments.section_add, name="surveys-instrument-section-add"
    ),
    path(
        INSTRUMENT + "sections/<str:item>/edit/",
        instruments.section_edit,
        name="surveys-instrument-section-edit",
    ),
    path(
        INSTRUMENT + "sections/<str:item>/delete/",
        instruments.section_delete,
        name="surveys-instrument-section-delete",
    ),
    path(
        INSTRUMENT + "sections/<str:item>/move/",
        instruments.section_move,
        name="surveys-instrument-section-move",
    ),
    path(
        INSTRUMENT + "sections/<str:section>/questions/new/",
        instruments.question_add,
        name="surveys-instrument-question-add",
    ),
    path(
        INSTRUMENT + "questions/<str:item>/edit/",
        instruments.question_edit,
        name="surveys-instrument-question-edit",
    ),
    path(
        INSTRUMENT + "questions/<str:item>/delete/",
        instruments.question_delete,
        name="surveys-instrument-question-delete",
    ),
    path(
        INSTRUMENT + "questions/<str:item>/move/",
        instruments.question_move,
        name="surveys-instrument-question-move",
    ),
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
    # (a large wave's in the background too, with a progress page and a download)
    path("waves/<slug:code>/import/", responses.wave_import, name="surveys-data-import"),
    path(
        "waves/<slug:code>/imports/<uuid:batch>/",
        responses.import_batch,
        name="surveys-data-import-batch",
    ),
    path("waves/<slug:code>/export/", responses.wave_export, name="surveys-data-export"),
    path(
        "waves/<slug:code>/exports/<uuid:job>/",
        responses.export_job,
        name="surveys-data-export-job",
    ),
    path(
        "waves/<slug:code>/exports/<uuid:job>/download/",
        responses.export_job_download,
        name="surveys-data-export-download",
    ),
]

# Respondent pages, mounted at /s/ by the project's URL map (short, public, outside the staff
# area):
# - ``u/<code>/``: a public link or QR poster (a unit, or a service counter);
# - ``i/<token>/``: a personal single-use invitation;
# - ``start/``: begin (POST; the entry comes in the form, so no token is ever in a posted path);
# - ``r/<wave>/<n>/``: page n of the questionnaire (the draft is found through this device's
# cookie; the path holds only the wave's public id, shared by all its respondents);
# - ``resume/``: continue with a resume code; ``thanks/<wave>/``: the thank-you page.
respond_patterns = [
    path("u/<str:code>/", respond.public_entry, name="surveys-respond-public"),
    path("i/<str:token>/", respond.invitation_entry, name="surveys-respond-invitation"),
    path("start/", respond.start, name="surveys-respond-start"),
    path("r/<uuid:wave>/<int:number>/", respond.page, name="surveys-respond-page"),
    path("resume/", respond.resume, name="surveys-respond-resume"),
    path("thanks/<uuid:wave>/", respond.thanks, name="surveys-respond-thanks"),
]
