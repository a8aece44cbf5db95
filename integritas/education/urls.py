"""Education pages. ``urlpatterns`` are the staff pages, mounted at /edukasi/; ``public_patterns``
are the participants' pages, mounted at /acara/ ("event"): public, no account;
``certificate_patterns`` is the public verification of certificates, mounted at /sertifikat/."""

from django.urls import path

from integritas.education.views import (
    assessment,
    certificates,
    checkin,
    dashboard,
    evaluation,
    events,
    evidence,
    invitations,
    participants,
    public,
    questions,
    report,
    take,
)

urlpatterns = [
    path("", events.event_list, name="education-event-list"),
    path("baru/", events.event_create, name="education-event-create"),
    path("dasbor/", dashboard.dashboard, name="education-dashboard"),
    path("soal/", questions.question_list, name="education-question-list"),
    path("soal/baru/", questions.question_create, name="education-question-create"),
    path("soal/<uuid:public_id>/", questions.question_edit, name="education-question-edit"),
    path(
        "soal/<uuid:public_id>/hapus/",
        questions.question_delete,
        name="education-question-delete",
    ),
    path("<slug:code>/", events.event_detail, name="education-event"),
    path("<slug:code>/ubah/", events.event_edit, name="education-event-edit"),
    path("<slug:code>/publikasi/", events.event_publish, name="education-event-publish"),
    path("<slug:code>/tarik/", events.event_unpublish, name="education-event-unpublish"),
    path("<slug:code>/peserta/", participants.participant_list, name="education-participants"),
    path(
        "<slug:code>/peserta/daftar-hadir.pdf",
        participants.attendance_pdf,
        name="education-attendance-pdf",
    ),
    path("<slug:code>/materi/", events.material_add, name="education-material-add"),
    path(
        "<slug:code>/materi/<uuid:public_id>/berkas/",
        events.material_file,
        name="education-material-file",
    ),
    path(
        "<slug:code>/materi/<uuid:public_id>/hapus/",
        events.material_remove,
        name="education-material-remove",
    ),
    path(
        "<slug:code>/sertifikat/terbitkan/",
        certificates.issue,
        name="education-certificates-issue",
    ),
    path(
        "<slug:code>/sertifikat/<str:serial>/sertifikat.pdf",
        certificates.download,
        name="education-certificate-pdf",
    ),
    path(
        "<slug:code>/sertifikat/<str:serial>/cabut/",
        certificates.revoke,
        name="education-certificate-revoke",
    ),
    path("<slug:code>/bukti/", evidence.evidence_link, name="education-evidence-link"),
    path("<slug:code>/evaluasi/", evaluation.evaluation_page, name="education-evaluation"),
    path("<slug:code>/undangan/", invitations.invitation_list, name="education-invitations"),
    path("<slug:code>/undangan/unit/", invitations.invite_units, name="education-invite-units"),
    path("<slug:code>/undangan/tamu/", invitations.invite_guest, name="education-invite-guest"),
    path("<slug:code>/undangan/impor/", invitations.import_guests, name="education-invite-import"),
    path(
        "<slug:code>/undangan/<uuid:public_id>/hapus/",
        invitations.invitee_remove,
        name="education-invitee-remove",
    ),
    path("<slug:code>/undangan/surat/", invitations.letter_save, name="education-letter-save"),
    path("<slug:code>/undangan/surat.pdf", invitations.letter_pdf, name="education-letter-pdf"),
    path("<slug:code>/undangan/kirim/", invitations.email_links, name="education-invite-email"),
    path("<slug:code>/hadir/", checkin.check_in, name="education-check-in"),
    path("<slug:code>/hadir/langsung/", checkin.walk_in, name="education-walk-in"),
    path("<slug:code>/tes/", assessment.test_page, name="education-test"),
    path(
        "<slug:code>/tes/<str:phase>/<str:action>/",
        assessment.phase_switch,
        name="education-test-phase",
    ),
    path("<slug:code>/tes/impor/", assessment.score_import, name="education-test-import"),
    path("<slug:code>/tes/hasil/", assessment.results_page, name="education-test-results"),
    path("<slug:code>/laporan/", report.report_page, name="education-report"),
    path("<slug:code>/laporan.pdf", report.report_pdf, name="education-report-pdf"),
    path("<slug:code>/laporan/foto/", report.photo_add, name="education-report-photo-add"),
    path(
        "<slug:code>/laporan/foto/<uuid:public_id>/",
        report.photo_file,
        name="education-report-photo",
    ),
    path(
        "<slug:code>/laporan/foto/<uuid:public_id>/hapus/",
        report.photo_remove,
        name="education-report-photo-remove",
    ),
]

public_patterns = [
    path("tiket/<str:token>/", public.ticket, name="education-public-ticket"),
    path("tiket/<str:token>/batal/", public.cancel, name="education-public-cancel"),
    path(
        "tiket/<str:token>/sertifikat.pdf",
        public.certificate_pdf,
        name="education-public-certificate",
    ),
    path(
        "undangan/<str:token>/",
        public.invitation_register,
        name="education-invitation-register",
    ),
    path("<slug:code>/", public.register, name="education-public-register"),
    path("<slug:code>/tes/", take.take_test, name="education-public-test"),
    path(
        "<slug:code>/materi/<uuid:public_id>/",
        public.material_file,
        name="education-public-material",
    ),
]

certificate_patterns = [
    path("<str:serial>/", public.verify_certificate, name="certificate-verify"),
]
