"""Prevention pages. ``urlpatterns`` are the staff pages, mounted at /pencegahan/ ("prevention");
``public_patterns`` are the public pages, mounted at /gratifikasi/: public, no account."""

from django.urls import path

from integritas.prevention.views import lhkpn, lhkpn_publish, public, register, reports, rules

urlpatterns = [
    path("aturan-gratifikasi/", rules.rule_set_list, name="prevention-rule-set-list"),
    path("aturan-gratifikasi/baru/", rules.rule_set_create, name="prevention-rule-set-create"),
    path("aturan-gratifikasi/<int:pk>/", rules.rule_set_detail, name="prevention-rule-set"),
    path("aturan-gratifikasi/<int:pk>/ubah/", rules.rule_set_edit, name="prevention-rule-set-edit"),
    path("gratifikasi/", reports.report_list, name="prevention-report-list"),
    path("gratifikasi/saya/", reports.my_reports, name="prevention-my-reports"),
    path("gratifikasi/ekspor.xlsx", register.register_export, name="prevention-register-export"),
    path("gratifikasi/rekap/", register.recap, name="prevention-recap"),
    path("gratifikasi/statistik/", register.statistics_page, name="prevention-statistics"),
    path(
        "gratifikasi/statistik/<int:year>/terbitkan/",
        register.statistics_publish,
        name="prevention-statistics-publish",
    ),
    path(
        "gratifikasi/statistik/<int:year>/tarik/",
        register.statistics_unpublish,
        name="prevention-statistics-unpublish",
    ),
    path("gratifikasi/lapor/", reports.report_create, name="prevention-report-create"),
    path("gratifikasi/kertas/", reports.paper_report_create, name="prevention-paper-report"),
    path("gratifikasi/<int:pk>/", reports.report_detail, name="prevention-report"),
    path(
        "gratifikasi/<int:pk>/lampiran/",
        reports.attachment_add,
        name="prevention-report-attachment-add",
    ),
    path(
        "gratifikasi/<int:pk>/lampiran/<int:file_pk>/",
        reports.attachment_download,
        name="prevention-report-attachment",
    ),
    path("gratifikasi/<int:pk>/<str:step>/", reports.report_act, name="prevention-report-act"),
    # LHKPN: the officials who must file, the e-LHKPN statuses, compliance.
    path("lhkpn/", lhkpn.obligation_list, name="prevention-lhkpn-obligation-list"),
    path("lhkpn/ekspor.xlsx", lhkpn.obligation_export, name="prevention-lhkpn-export"),
    path("lhkpn/<int:pk>/", lhkpn.obligation_detail, name="prevention-lhkpn-obligation"),
    path("lhkpn/khusus/", lhkpn.special_create, name="prevention-lhkpn-special"),
    path("lhkpn/jabatan/", lhkpn.positions, name="prevention-lhkpn-positions"),
    path("lhkpn/impor-sk/", lhkpn.decree_import, name="prevention-lhkpn-decree-import"),
    path("lhkpn/impor-status/", lhkpn.status_import, name="prevention-lhkpn-status-import"),
    path("lhkpn/kepatuhan/", lhkpn.compliance, name="prevention-lhkpn-compliance"),
    path(
        "lhkpn/kepatuhan/<int:year>/terbitkan/",
        lhkpn_publish.publish,
        name="prevention-lhkpn-publish",
    ),
    path(
        "lhkpn/kepatuhan/<int:year>/tarik/",
        lhkpn_publish.unpublish,
        name="prevention-lhkpn-unpublish",
    ),
]

public_patterns = [
    path("cek/", public.check, name="prevention-check"),
]
