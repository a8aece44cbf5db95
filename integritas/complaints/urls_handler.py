"""The handlers' pages, under /pengaduan/ (staff only; the reporters' pages are elsewhere)."""

from django.urls import path

from integritas.complaints.views import handler as views

urlpatterns = [
    path("", views.report_list, name="complaints-report-list"),
    path("statistik/", views.statistics, name="complaints-statistics"),
    path("kunci/", views.key_page, name="complaints-key"),
    path("kunci/daftar/", views.key_enrol, name="complaints-key-enrol"),
    path("kunci/buka/", views.key_unlock, name="complaints-key-unlock"),
    path("kunci/pulihkan/", views.key_recover, name="complaints-key-recover"),
    path("kunci/kunci/", views.key_lock, name="complaints-key-lock"),
    path("<uuid:public_id>/", views.report_detail, name="complaints-report"),
    path(
        "<uuid:public_id>/status/<slug:name>/",
        views.report_transition,
        name="complaints-report-transition",
    ),
    path("<uuid:public_id>/pesan/", views.report_message, name="complaints-report-message"),
    path("<uuid:public_id>/catatan/", views.report_note, name="complaints-report-note"),
    path("<uuid:public_id>/penugasan/", views.report_assign, name="complaints-report-assign"),
    path("<uuid:public_id>/identitas/", views.report_identity, name="complaints-report-identity"),
    path("lampiran/<uuid:public_id>/", views.attachment_download, name="complaints-attachment"),
    path(
        "lampiran/<uuid:public_id>/asli/",
        views.attachment_original,
        name="complaints-attachment-original",
    ),
]
