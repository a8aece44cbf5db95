from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "integritas.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        # Imported here: the models exist only once the apps are loaded.
        from integritas.core import extensions
        from integritas.core.models import AuditAction, Role

        extensions.register_audit_actions(
            AuditAction, fields={"role": (_("role"), dict(Role.choices))}
        )
