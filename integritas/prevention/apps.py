from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PreventionConfig(AppConfig):
    name = "integritas.prevention"
    label = "prevention"
    verbose_name = _("Corruption prevention")

    def ready(self) -> None:
        # Imported here: these modules use the models, which exist only once the apps are loaded.
        from integritas.core import extensions
        from integritas.prevention import access
        from integritas.prevention.models import AuditAction
        from integritas.prevention.services.signals import late_gratification_signals

        access.register()
        extensions.register_audit_actions(
            AuditAction,
            fields={"reports": (_("reports"), {})},
            actors={"gratification_reminders": _("Scheduled task: gratification reminders")},
        )
        extensions.register_navigation(access.navigation)
        extensions.register_recommendation_signals(late_gratification_signals)
