from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "integritas.portal"
    label = "portal"
    verbose_name = _("Transparency portal")

    def ready(self) -> None:
        # Imported here: these modules use the models, which exist only once the apps are loaded.
        from integritas.core import extensions
        from integritas.followup.models import Evidence, Recommendation
        from integritas.portal import access, signals
        from integritas.portal.models import AuditAction
        from integritas.portal.services.publishing import EVENT_FIELDS
        from integritas.portal.views import public
        from integritas.surveys.models import Wave

        access.register()
        signals.connect()
        extensions.register_audit_actions(AuditAction, fields=EVENT_FIELDS)
        extensions.register_navigation(access.navigation)
        extensions.register_public_home(public.home)
        for model in (Wave, Recommendation, Evidence):
            extensions.register_object_links(model, access.publish_links)
