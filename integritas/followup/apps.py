from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowupConfig(AppConfig):
    name = "integritas.followup"
    label = "followup"
    verbose_name = _("Follow-up")

    def ready(self) -> None:
        # Imported here: these modules use the models, which exist only once the apps are loaded.
        from integritas.core import extensions
        from integritas.followup import (
            access,
            signals,  # noqa: F401 - connects the receivers
        )
        from integritas.followup.models import AuditAction
        from integritas.followup.services.plans import EVENT_ACTORS, EVENT_FIELDS, EVENT_KINDS
        from integritas.followup.views import feedback
        from integritas.indices.models import WeakPoint

        access.register()
        extensions.register_audit_actions(
            AuditAction, fields=EVENT_FIELDS, kinds=EVENT_KINDS, actors=EVENT_ACTORS
        )
        extensions.register_navigation(access.navigation)
        extensions.register_home_panel(access.home_panel, order=10)
        extensions.register_home_panel(feedback.home_panel, order=11)
        extensions.register_object_links(WeakPoint, access.weak_point_links)
        extensions.register_evidence_targets(access.evidence_targets, access.evidence_target_label)
