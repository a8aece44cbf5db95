from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicesConfig(AppConfig):
    name = "integritas.indices"
    label = "indices"
    verbose_name = _("Indices")

    def ready(self) -> None:
        from integritas.audit.labels import register_actions
        from integritas.core import extensions
        from integritas.indices import (
            access,
            signals,  # noqa: F401 - connects the receivers
        )
        from integritas.indices.services import compute as services
        from integritas.indices.services import official, weak_points
        from integritas.indices.services import settings as method_settings

        access.register()
        register_actions(services.ACTION_LABELS)
        register_actions(official.ACTION_LABELS)
        method_settings.register_audit_labels()
        weak_points.register_labels()
        extensions.register_navigation(access.navigation)
