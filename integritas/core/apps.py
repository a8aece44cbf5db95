from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "integritas.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        # Imported here: the models exist only once the apps are loaded.
        from django_tasks.signals import task_started

        from integritas.core import extensions
        from integritas.core.models import AuditAction, Role
        from integritas.lib.heap import freeze_worker_heap

        # The task worker's start-up heap, frozen at its first task (as a web worker's is).
        task_started.connect(freeze_worker_heap, dispatch_uid="integritas-freeze-worker-heap")

        no_choices: dict[str, str] = {}
        extensions.register_audit_actions(
            AuditAction,
            fields={
                "role": (_("role"), dict(Role.choices)),
                # What an import's event says (units, holidays, SPI institutions and results).
                "file": (_("file"), no_choices),
                "rows": (_("rows"), no_choices),
                "created": (_("added"), no_choices),
                "updated": (_("changed"), no_choices),
                "unchanged": (_("unchanged"), no_choices),
                "replaced": (_("replaced"), no_choices),
            },
        )
