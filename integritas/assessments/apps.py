from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "integritas.assessments"
    label = "assessments"
    verbose_name = _("Assessments (MCSP and integrity zone)")

    def ready(self) -> None:
        # Imported here: these modules use the models, which exist only once the apps are loaded.
        from integritas.assessments import access
        from integritas.assessments.models import AuditAction, LkeAuditAction
        from integritas.core import extensions

        access.register()
        extensions.register_audit_actions(
            AuditAction,
            fields={
                "nodes": (_("nodes"), {}),
                "retired": (_("retired framework"), {}),
                "requirement": (_("requirement"), {}),
                "units": (_("units"), {}),
                "upload_deadline": (_("upload deadline"), {}),
                "reopened_until": (_("uploads reopened until"), {}),
                "kpk_uploaded_on": (_("uploaded to KPK on"), {}),
                "rows": (_("rows"), {}),
            },
            actors={"load_frameworks": _("Loading of the shipped frameworks")},
        )
        extensions.register_audit_actions(
            LkeAuditAction,
            fields={
                "question": (_("question"), {}),
                "answer": (_("answer"), {}),
                "evidence": (_("evidence"), {}),
                "target": (_("target predicate"), {}),
                "verdict": (_("review"), {}),
                "stage": (_("stage"), {}),
                "on": (_("date"), {}),
            },
        )
        extensions.register_navigation(access.navigation)
        extensions.register_navigation(access.desk_navigation)
        extensions.register_navigation(access.lke_navigation)
