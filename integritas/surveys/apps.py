from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "integritas.surveys"
    label = "surveys"
    verbose_name = _("Surveys")

    def ready(self) -> None:
        from integritas.core.context_processors import NAV_EXTENSIONS
        from integritas.surveys import access, instruments

        access.register()
        instruments.register_labels()
        NAV_EXTENSIONS.append(access.navigation)
        from integritas.core.views.home import HOME_EXTENSIONS

        HOME_EXTENSIONS.append(access.home_panel)
