"""Assessment pages (the Inspectorate's staff area), mounted at /penilaian/ ("assessment")."""

from django.urls import path

from integritas.assessments.views import desk, frameworks, lke, publication

urlpatterns = [
    path("kerangka/", frameworks.framework_list, name="assessments-framework-list"),
    path("kerangka/impor/", frameworks.framework_import, name="assessments-framework-import"),
    path("kerangka/<uuid:public_id>/", frameworks.framework_detail, name="assessments-framework"),
    path(
        "kerangka/<uuid:public_id>/unduh.xlsx",
        frameworks.framework_export,
        name="assessments-framework-export",
    ),
    path(
        "kerangka/<uuid:public_id>/salin/",
        frameworks.framework_copy,
        name="assessments-framework-copy",
    ),
    path(
        "kerangka/<uuid:public_id>/aktifkan/",
        frameworks.framework_activate,
        name="assessments-framework-activate",
    ),
    path(
        "kerangka/<uuid:public_id>/hapus/",
        frameworks.framework_delete,
        name="assessments-framework-delete",
    ),
    path("lke/", lke.lke_list, name="assessments-lke-list"),
    path("lke/<uuid:public_id>/", lke.lke_detail, name="assessments-lke"),
    path(
        "lke/<uuid:public_id>/portal/", publication.lke_publication, name="assessments-lke-portal"
    ),
    path(
        "meja/<uuid:public_id>/portal/",
        publication.desk_publication,
        name="assessments-desk-portal",
    ),
    path("lke/<uuid:public_id>/survei/", lke.lke_survey, name="assessments-lke-survey"),
    path("lke/<uuid:public_id>/langkah/", lke.lke_step, name="assessments-lke-step"),
    path(
        "lke/<uuid:public_id>/rekomendasi/",
        lke.lke_recommendation,
        name="assessments-lke-recommendation",
    ),
    path("lke/<uuid:public_id>/hasil.pdf", lke.lke_pdf, name="assessments-lke-pdf"),
    path("lke/<uuid:public_id>/hasil.xlsx", lke.lke_xlsx, name="assessments-lke-xlsx"),
    path(
        "lke/<uuid:public_id>/soal/<str:code>/", lke.lke_question, name="assessments-lke-question"
    ),
    path("lke/bukti/<uuid:public_id>/", lke.lke_evidence_file, name="assessments-lke-evidence"),
    path("meja/", desk.desk_list, name="assessments-desk-list"),
    path("meja/<uuid:public_id>/", desk.desk_detail, name="assessments-desk"),
    path("meja/<uuid:public_id>/kekurangan/", desk.desk_missing, name="assessments-desk-missing"),
    path("meja/<uuid:public_id>/buka-kembali/", desk.desk_reopen, name="assessments-desk-reopen"),
    path("meja/<uuid:public_id>/laporan.pdf", desk.desk_report_pdf, name="assessments-desk-pdf"),
    path("meja/<uuid:public_id>/unduh.xlsx", desk.desk_export, name="assessments-desk-export"),
    path(
        "meja/<uuid:public_id>/rekomendasi/<str:code>/",
        desk.area_recommendation,
        name="assessments-desk-area-recommendation",
    ),
    path(
        "meja/dokumen/<uuid:public_id>/rekomendasi/",
        desk.document_recommendation,
        name="assessments-document-recommendation",
    ),
    path("meja/<uuid:public_id>/cuplikan/", desk.desk_snapshot, name="assessments-desk-snapshot"),
    path("meja/<uuid:public_id>/skor-kpk/", desk.desk_kpk_score, name="assessments-desk-kpk-score"),
    path(
        "meja/<uuid:public_id>/impor-status/",
        desk.desk_status_import,
        name="assessments-desk-import",
    ),
    path(
        "meja/<uuid:public_id>/syarat/<str:code>/",
        desk.desk_requirement,
        name="assessments-desk-requirement",
    ),
    path(
        "meja/<uuid:public_id>/syarat/<str:code>/unggah/",
        desk.desk_upload,
        name="assessments-desk-upload",
    ),
    path(
        "meja/<uuid:public_id>/syarat/<str:code>/unit/",
        desk.desk_units,
        name="assessments-desk-units",
    ),
    path(
        "meja/dokumen/<uuid:public_id>/versi/",
        desk.document_version,
        name="assessments-document-version",
    ),
    path(
        "meja/dokumen/<uuid:public_id>/tinjau/",
        desk.document_review,
        name="assessments-document-review",
    ),
    path("meja/dokumen/<uuid:public_id>/kpk/", desk.document_kpk, name="assessments-document-kpk"),
    path(
        "meja/dokumen/<uuid:public_id>/v<int:version>/",
        desk.version_download,
        name="assessments-document-file",
    ),
]
