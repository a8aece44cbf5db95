from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowupConfig(AppConfig):
    name = "integritas.followup"
    label = "followup"
    verbose_name = _("Follow-up")

    def ready(self) -> None:
        from integritas.core.context_processors import NAV_EXTENSIONS
        from integritas.core.views.home import HOME_EXTENSIONS
        from integritas.followup import access, reminders
        from integritas.followup.services.plans import register_labels

        access.register()
        register_labels()
        reminders.register_labels()
        NAV_EXTENSIONS.append(access.navigation)
        HOME_EXTENSIONS.append(access.home_panel)
