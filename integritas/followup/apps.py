from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowupConfig(AppConfig):
    name = "integritas.followup"
    label = "followup"
    verbose_name = _("Follow-up")

    def ready(self) -> None:
        from integritas.core import extensions
        from integritas.followup import access, reminders
        from integritas.followup.services.plans import register_labels

        access.register()
        register_labels()
        reminders.register_labels()
        extensions.register_navigation(access.navigation)
        extensions.register_home_panel(access.home_panel)
