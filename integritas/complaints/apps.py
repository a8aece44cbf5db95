from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "integritas.complaints"
    label = "complaints"
    verbose_name = _("Complaints and whistleblowing")

    def ready(self) -> None:
        # Imported here: these modules use the models, which exist only once the apps are loaded.
        from integritas.complaints import access
        from integritas.complaints.models import AuditAction
        from integritas.complaints.services import handler as handler_services
        from integritas.complaints.services import keys
        from integritas.complaints.views import handler
        from integritas.core import extensions

        access.register()
        extensions.register_audit_actions(
            AuditAction,
            fields=handler_services.EVENT_FIELDS,
            actors=handler_services.EVENT_ACTORS,
            names=handler_services.event_names,
        )
        extensions.register_navigation(access.navigation)
        extensions.register_home_panel(handler.home_panel, order=20)
        extensions.register_password_change_hook(keys.on_password_change)
        extensions.register_two_factor_rule(access.needs_two_factor, access.two_factor_people)
