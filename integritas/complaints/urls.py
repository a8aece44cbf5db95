"""Whistleblowing pages. ``urlpatterns`` are the handlers' pages, mounted at /pengaduan/ (staff
only); ``public_patterns`` are the reporters' pages, mounted at /lapor/ ("report" in Indonesian):
short, public, no account.
"""

from django.urls import path

from integritas.complaints.views import handler, public

urlpatterns = [
    path("", handler.report_list, name="complaints-report-list"),
    path("statistik/", handler.statistics, name="complaints-statistics"),
    path("kunci/", handler.key_page, name="complaints-key"),
    path("kunci/daftar/", handler.key_enrol, name="complaints-key-enrol"),
    path("kunci/buka/", handler.key_unlock, name="complaints-key-unlock"),
    path("kunci/pulihkan/", handler.key_recover, name="complaints-key-recover"),
    path("kunci/kunci/", handler.key_lock, name="complaints-key-lock"),
    path("<uuid:public_id>/", handler.report_detail, name="complaints-report"),
    path(
        "<uuid:public_id>/status/<slug:name>/",
        handler.report_transition,
        name="complaints-report-transition",
    ),
    path("<uuid:public_id>/pesan/", handler.report_message, name="complaints-report-message"),
    path("<uuid:public_id>/catatan/", handler.report_note, name="complaints-report-note"),
    path("<uuid:public_id>/penugasan/", handler.report_assign, name="complaints-report-assign"),
    path("<uuid:public_id>/identitas/", handler.report_identity, name="complaints-report-identity"),
    path("<uuid:public_id>/rute/", handler.report_route, name="complaints-report-route"),
    path("lampiran/<uuid:public_id>/", handler.attachment_download, name="complaints-attachment"),
    path(
        "lampiran/<uuid:public_id>/asli/",
        handler.attachment_original,
        name="complaints-attachment-original",
    ),
]

# - ``""``: the report form; its POST shows the receipt once;
# - ``selesai/``: what happens next, after the receipt;
# - ``cek/``: check a report with its receipt (the receipt only ever in a POST body);
# - ``cek/balas/``: the reporter's reply (POST, on a page opened with the receipt);
# - ``cek/tutup/``: "Close my report on this page" (POST): the page's pass stops working.
public_patterns = [
    path("", public.report, name="complaints-public-report"),
    path("selesai/", public.done, name="complaints-public-done"),
    path("cek/", public.check, name="complaints-public-check"),
    path("cek/balas/", public.reply, name="complaints-public-reply"),
    path("cek/tutup/", public.close, name="complaints-public-close"),
]
