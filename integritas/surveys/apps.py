from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "integritas.surveys"
    label = "surveys"
    verbose_name = _("Surveys")

    def ready(self) -> None:
        from integritas.audit.labels import register_actions, register_actors, register_field
        from integritas.core import extensions
        from integritas.surveys import access
        from integritas.surveys.imports import responses as response_imports
        from integritas.surveys.services import instruments, responses, waves

        access.register()
        instruments.register_labels()
        response_imports.register_labels()
        responses.register_labels()
        register_actions(waves.ACTION_LABELS)
        register_actors(waves.EVENT_ACTORS)
        for name, label in waves.EVENT_FIELDS.items():
            register_field(name, label, {})
        extensions.register_unit_changes(waves.UNIT_CHANGES)
        extensions.register_navigation(access.navigation)
        extensions.register_home_panel(access.home_panel)
