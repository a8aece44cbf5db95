from typing import Any

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
        from integritas.indices.models import AuditAction, MethodSetting
        from integritas.indices.services.compute import EVENT_ACTORS, EVENT_LABELS, UNIT_CHANGES
        from integritas.indices.services.settings import KEY_LABELS
        from integritas.indices.services.weak_points import FIELD_LABELS

        access.register()
        no_choices: dict[str, Any] = {}
        fields: dict[str, tuple[Any, dict[str, Any]]] = {
            name: (label, no_choices)
            for name, label in {**KEY_LABELS, **FIELD_LABELS, **EVENT_LABELS}.items()
        }
        fields["method"] = (
            MethodSetting._meta.get_field("method").verbose_name,
            dict(MethodSetting.Method.choices),
        )
        extensions.register_audit_actions(AuditAction, fields=fields, actors=EVENT_ACTORS)
        extensions.register_unit_changes(UNIT_CHANGES)
        extensions.register_navigation(access.navigation)
        extensions.register_home_panel(access.home_panel, order=15)
