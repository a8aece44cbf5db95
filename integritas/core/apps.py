from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "integritas.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from integritas.audit.labels import register_actions, register_field
        from integritas.core.models import Role

        register_field("role", _("role"), dict(Role.choices))
        register_actions(
            {
                "government.created": _("Government details entered"),
                "government.updated": _("Government details changed"),
                "fiscal_year.created": _("Fiscal year added"),
                "fiscal_year.updated": _("Fiscal year changed"),
                "unit.created": _("Unit added"),
                "unit.updated": _("Unit changed"),
                "unit.imported": _("Units imported"),
                "holiday.created": _("Holiday added"),
                "holiday.updated": _("Holiday changed"),
                "holiday.deleted": _("Holiday deleted"),
                "holiday.imported": _("Holidays imported"),
                "holiday_year.created": _("Calendar year added"),
                "holiday_year.updated": _("Calendar year changed"),
                "calendar.settings_changed": _("Calendar setting changed"),
                "user.created": _("Account created"),
                "user.updated": _("Account changed"),
                "user.invited": _("Password link sent"),
                "user.language_changed": _("Language changed"),
                "role.granted": _("Role given"),
                "role.revoked": _("Role removed"),
                "auth.login": _("Signed in"),
                "auth.logout": _("Signed out"),
                "auth.login_failed": _("Failed sign-in"),
                "auth.locked": _("Account locked after failed sign-ins"),
                "auth.2fa_enrolled": _("Two-factor sign-in set up"),
                "auth.recovery_codes_regenerated": _("New recovery codes made"),
                "auth.recovery_code_used": _("Recovery code used"),
                "auth.password_changed": _("Password changed"),
                "auth.password_reset": _("Password reset by email"),
            }
        )
