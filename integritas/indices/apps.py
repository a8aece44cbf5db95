from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicesConfig(AppConfig):
    name = "integritas.indices"
    label = "indices"
    verbose_name = _("Indices")

    def ready(self) -> None:
        from integritas.audit.labels import register_actions
        from integritas.core.context_processors import NAV_EXTENSIONS
        from integritas.indices import (
            access,
            method_settings,
            official,
            services,
            signals,  # noqa: F401 - connects the receivers
            weak_points,
        )

        access.register()
        register_actions(services.ACTION_LABELS)
        register_actions(official.ACTION_LABELS)
        method_settings.register_audit_labels()
        weak_points.register_labels()
        NAV_EXTENSIONS.append(access.navigation)
