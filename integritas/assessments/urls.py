"""Assessment pages (the Inspectorate's staff area), mounted at /penilaian/ ("assessment")."""

from django.urls import path

from integritas.assessments.views import frameworks

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
]
