from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "integritas.complaints"
    label = "complaints"
    verbose_name = _("Complaints and whistleblowing")

    def ready(self) -> None:
        from integritas.audit.labels import register_actions
        from integritas.complaints import access
        from integritas.complaints.services import keys
        from integritas.core import extensions

        access.register()
        extensions.register_navigation(access.navigation)
        extensions.register_password_change_hook(keys.on_password_change)

        register_actions(
            {
                "complaints.key_enrolled": _("Enrolled a key for reading reports"),
                "complaints.key_replaced": _("Replaced a key for reading reports"),
                "complaints.key_password_changed": _("Re-locked a report key with a new password"),
                "complaints.key_recovered": _("Recovered a report key with the recovery key"),
                "complaints.message_sent": _("Sent a message to the reporter"),
                "complaints.identity_opened": _("Opened the reporter's identity"),
                "complaints.access_granted": _("Gave a colleague access to a report"),
                "complaints.report_purged": _("Purged a report after its retention period"),
                "complaints.status_changed": _("Changed the status of a report"),
                "complaints.note_added": _("Added an internal note to a report"),
                "complaints.assigned": _("Changed who handles a report"),
                "complaints.original_opened": _("Opened the original of a reporter's file"),
                "complaints.overdue_alerts_sent": _("Sent alerts about overdue reports"),
            }
        )
