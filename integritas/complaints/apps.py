from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "integritas.complaints"
    label = "complaints"
    verbose_name = _("Complaints and whistleblowing")

    def ready(self) -> None:
        from integritas.audit.labels import register_actions

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
            }
        )
