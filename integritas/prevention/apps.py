from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PreventionConfig(AppConfig):
    name = "integritas.prevention"
    label = "prevention"
    verbose_name = _("Corruption prevention")

    def ready(self) -> None:
        # Imported here: these modules use the models, which exist only once the apps are loaded.
        from integritas.core import extensions
        from integritas.prevention import access
        from integritas.prevention.models import AuditAction, LhkpnAuditAction
        from integritas.prevention.services import register_figures
        from integritas.prevention.services.lhkpn_signals import low_compliance_signals
        from integritas.prevention.services.signals import late_gratification_signals
        from integritas.prevention.views import lhkpn as lhkpn_views

        access.register()
        extensions.register_audit_actions(
            AuditAction,
            fields={"reports": (_("reports"), {})},
            actors={"gratification_reminders": _("Scheduled task: gratification reminders")},
        )
        extensions.register_navigation(access.navigation)
        # LHKPN: the register of officials who must file, and its reminders.
        access.register_lhkpn()
        extensions.register_audit_actions(
            LhkpnAuditAction,
            fields={
                "positions": (_("positions"), {}),
                "filed": (_("filed"), {}),
                "complete": (_("complete"), {}),
                "reminders": (_("reminders"), {}),
                "escalations": (_("escalations"), {}),
            },
            actors={
                "lhkpn_reminders": _("Scheduled task: LHKPN reminders"),
                "import_lhkpn": _("Command: e-LHKPN status import"),
            },
        )
        extensions.register_navigation(access.lhkpn_navigation)
        extensions.register_scoreboard_section(lhkpn_views.scoreboard_section)
        extensions.register_recommendation_signals(late_gratification_signals)
        extensions.register_recommendation_signals(low_compliance_signals)
        # Its registers, which other apps' records (an MCSP indicator) can point at.
        register_figures.register()
