from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicesConfig(AppConfig):
    name = "integritas.indices"
    label = "indices"
    verbose_name = _("Indices")

    def ready(self) -> None:
        from integritas.audit.labels import register_actions
        from integritas.indices import access
        from integritas.indices.services import ACTION_LABELS

        access.register()
        register_actions(ACTION_LABELS)
        # NAV_EXTENSIONS.append(access.navigation) once the dashboards give "indices-home".
