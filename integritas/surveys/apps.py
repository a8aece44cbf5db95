from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "integritas.surveys"
    label = "surveys"
    verbose_name = _("Surveys")

    def ready(self) -> None:
        from integritas.core.context_processors import NAV_EXTENSIONS
        from integritas.surveys import access, exports, instruments
        from integritas.surveys.imports import responses as response_imports

        access.register()
        instruments.register_labels()
        response_imports.register_labels()
        exports.register_labels()
        from integritas.audit.labels import register_actions
        from integritas.surveys.waves import ACTION_LABELS

        register_actions(ACTION_LABELS)
        NAV_EXTENSIONS.append(access.navigation)
        from integritas.core.views.home import HOME_EXTENSIONS

        HOME_EXTENSIONS.append(access.home_panel)
