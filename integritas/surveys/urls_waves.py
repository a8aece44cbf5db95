from django.urls import path

from integritas.surveys import views_waves as views

urlpatterns = [
    path("waves/", views.wave_list, name="surveys-wave-list"),
    path("waves/new/", views.wave_create, name="surveys-wave-create"),
    path("waves/<slug:code>/", views.wave_detail, name="surveys-wave"),
    path("waves/<slug:code>/edit/", views.wave_edit, name="surveys-wave-edit"),
    path("waves/<slug:code>/status/", views.wave_status, name="surveys-wave-status"),
    path("waves/<slug:code>/populations/", views.wave_populations, name="surveys-wave-populations"),
    path("waves/<slug:code>/units/", views.wave_add_units, name="surveys-wave-add-units"),
    path(
        "waves/<slug:code>/units/<str:unit_code>/remove/",
        views.wave_remove_unit,
        name="surveys-wave-remove-unit",
    ),
    path("waves/<slug:code>/invitations/", views.wave_invitations, name="surveys-wave-invitations"),
    path("waves/<slug:code>/reminders/", views.wave_reminders, name="surveys-wave-reminders"),
    path("waves/<slug:code>/posters.pdf", views.wave_posters, name="surveys-wave-posters"),
    path("services/", views.service_list, name="surveys-service-list"),
    path("services/new/", views.service_create, name="surveys-service-create"),
    path(
        "services/<str:unit_code>/<str:code>/edit/", views.service_edit, name="surveys-service-edit"
    ),
]
