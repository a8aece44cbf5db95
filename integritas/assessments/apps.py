from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "integritas.assessments"
    label = "assessments"
    verbose_name = _("Assessments (MCSP and integrity zone)")

    def ready(self) -> None:
        # Imported here: these modules use the models, which exist only once the apps are loaded.
        from integritas.assessments import access, signals
        from integritas.assessments.models import AuditAction, LkeAuditAction, ScoreAuditAction
        from integritas.assessments.services import snapshots
        from integritas.core import extensions

        access.register()
        signals.verdicts_recorded.connect(
            snapshots.on_verdicts_recorded, dispatch_uid="assessments-snapshot-after-verdicts"
        )
        extensions.register_audit_actions(
            ScoreAuditAction,
            fields={
                "projected": (_("projected score"), {}),
                "verified": (_("verified score"), {}),
                "score": (_("score"), {}),
                "date": (_("date"), {}),
                "source": (_("source"), {}),
                "recommendation": (_("recommendation"), {}),
                "condition": (_("condition"), {}),
                "on_portal": (
                    _("On the portal"),
                    {"published": _("Published"), "unpublished": _("Not published")},
                ),
            },
        )
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
                "reason": (_("reason"), {}),
                "note": (_("KPK's note"), {}),
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
