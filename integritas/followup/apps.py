from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowupConfig(AppConfig):
    name = "integritas.followup"
    label = "followup"
    verbose_name = _("Follow-up")

    def ready(self) -> None:
        from integritas.audit.labels import register_actions
        from integritas.followup import access
        from integritas.followup.services import ACTION_LABELS

        access.register()
        register_actions(ACTION_LABELS)
