from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicesConfig(AppConfig):
    name = "integritas.indices"
    label = "indices"
    verbose_name = _("Indices")

    def ready(self) -> None:
        # Imported here: these modules use the models, which exist only once the apps are loaded.
        from integritas.core import extensions
        from integritas.indices import (
            access,
            signals,  # noqa: F401 - connects the receivers
        )
        from integritas.indices.models import AuditAction
        from integritas.indices.services.compute import UNIT_CHANGES
        from integritas.indices.services.settings import KEY_LABELS
        from integritas.indices.services.weak_points import FIELD_LABELS

        access.register()
        no_choices: dict[str, str] = {}
        fields = {
            name: (label, no_choices) for name, label in {**KEY_LABELS, **FIELD_LABELS}.items()
        }
        extensions.register_audit_actions(AuditAction, fields=fields)
        extensions.register_unit_changes(UNIT_CHANGES)
        extensions.register_navigation(access.navigation)
        extensions.register_home_panel(access.home_panel, order=15)
