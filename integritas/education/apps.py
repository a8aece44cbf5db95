from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EducationConfig(AppConfig):
    name = "integritas.education"
    label = "education"
    verbose_name = _("Anti-corruption education")

    def ready(self) -> None:
        # Imported here: these modules use the models, which exist only once the apps are loaded.
        from integritas.core import extensions
        from integritas.education import access
        from integritas.education.models import AudienceGroup, AuditAction, Phase
        from integritas.education.services import evidence

        access.register()
        extensions.register_audit_actions(
            AuditAction,
            # The audience is a list of groups (a JSON field): its values read by their labels.
            fields={
                "audience": (_("audience groups"), dict(AudienceGroup.choices)),
                # A test's events: which phase, how many questions, the pass rule, the counts
                # of an import.
                "phase": (_("test"), dict(Phase.choices)),
                "questions": (_("questions"), {}),
                "certificate_needs_pass": (
                    _("certificate only for those who pass the post-test"),
                    {},
                ),
                "pass_mark": (_("pass mark"), {}),
                "pre": (_("Pre-test"), {}),
                "post": (_("Post-test"), {}),
                "invitees": (_("invitees"), {}),
                "letter_number": (_("letter number"), {}),
                "followup_activity": (_("follow-up activity"), {}),
                # Certificates: how many were issued and who signed; a revoked one's event.
                "issued": (_("certificates"), {}),
                "signer": (_("signer"), {}),
                "event": (_("event"), {}),
                # The participants' evaluation and the retention of personal data.
                "wave": (_("survey wave"), {}),
                "instrument": (_("instrument"), {}),
                "registrations": (_("registrations"), {}),
                "retention_months": (_("retention (months)"), {}),
            },
            actors={"education_retention": _("Scheduled task: participants' data retention")},
        )
        extensions.register_navigation(access.navigation)
        extensions.register_linked_evidence(evidence.linked_evidence)
