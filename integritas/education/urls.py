"""Education pages. ``urlpatterns`` are the staff pages, mounted at /edukasi/; ``public_patterns``
are the participants' pages, mounted at /acara/ ("event"): public, no account."""

from django.urls import path

from integritas.education.views import checkin, events, participants, public

urlpatterns = [
    path("", events.event_list, name="education-event-list"),
    path("baru/", events.event_create, name="education-event-create"),
    path("<slug:code>/", events.event_detail, name="education-event"),
    path("<slug:code>/ubah/", events.event_edit, name="education-event-edit"),
    path("<slug:code>/peserta/", participants.participant_list, name="education-participants"),
    path(
        "<slug:code>/peserta/daftar-hadir.pdf",
        participants.attendance_pdf,
        name="education-attendance-pdf",
    ),
    path("<slug:code>/materi/", events.material_add, name="education-material-add"),
    path(
        "<slug:code>/materi/<uuid:public_id>/hapus/",
        events.material_remove,
        name="education-material-remove",
    ),
    path("<slug:code>/hadir/", checkin.check_in, name="education-check-in"),
    path("<slug:code>/hadir/langsung/", checkin.walk_in, name="education-walk-in"),
]

public_patterns = [
    path("tiket/<str:token>/", public.ticket, name="education-public-ticket"),
    path("tiket/<str:token>/batal/", public.cancel, name="education-public-cancel"),
    path("<slug:code>/", public.register, name="education-public-register"),
]
