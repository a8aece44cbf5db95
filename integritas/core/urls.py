from django.urls import path

from integritas.core.views import (
    accounts,
    anchors,
    audit,
    calendar,
    government,
    home,
    notifications,
    people,
    units,
)

urlpatterns = [
    path("", home.home, name="core-home"),
    path("health/", accounts.health, name="core-health"),
    # Public: the audit chain's daily anchors, at addresses that stay put for those who mirror them.
    path("data/audit-anchors/", anchors.anchor_list, name="core-audit-anchors"),
    path("data/audit-anchors.json", anchors.anchor_json, name="core-audit-anchors-json"),
    path("data/audit-anchors.csv", anchors.anchor_csv, name="core-audit-anchors-csv"),
    path("data/audit-anchors.xlsx", anchors.anchor_xlsx, name="core-audit-anchors-xlsx"),
    path("language/", accounts.language_set, name="core-language"),
    path("accounts/login/", accounts.login_view, name="core-login"),
    path("accounts/logout/", accounts.logout_view, name="core-logout"),
    path("accounts/profile/", accounts.profile, name="core-profile"),
    path("accounts/two-factor/", accounts.two_factor_verify, name="core-2fa-verify"),
    path("accounts/two-factor/setup/", accounts.two_factor_setup, name="core-2fa-setup"),
    path(
        "accounts/two-factor/recovery-codes/",
        accounts.recovery_codes_regenerate,
        name="core-2fa-recovery-codes",
    ),
    path("accounts/password/", accounts.PasswordChangeView.as_view(), name="core-password-change"),
    path(
        "accounts/password/reset/", accounts.PasswordResetView.as_view(), name="core-password-reset"
    ),
    path(
        "accounts/password/reset/sent/",
        accounts.PasswordResetDoneView.as_view(),
        name="core-password-reset-done",
    ),
    path(
        "accounts/password/reset/<uidb64>/<token>/",
        accounts.PasswordResetConfirmView.as_view(),
        name="core-password-reset-confirm",
    ),
    path(
        "accounts/password/reset/complete/",
        accounts.PasswordResetCompleteView.as_view(),
        name="core-password-reset-complete",
    ),
    path("notifications/", notifications.notification_list, name="core-notification-list"),
    path(
        "notifications/settings/",
        notifications.notification_settings,
        name="core-notification-settings",
    ),
    path(
        "notifications/read-all/",
        notifications.notification_read_all,
        name="core-notification-read-all",
    ),
    path(
        "notifications/<uuid:public_id>/open/",
        notifications.notification_open,
        name="core-notification-open",
    ),
    path(
        "notifications/<uuid:public_id>/read/",
        notifications.notification_read,
        name="core-notification-read",
    ),
    path("government/", government.government_detail, name="core-government"),
    path("government/edit/", government.government_edit, name="core-government-edit"),
    path("fiscal-years/", government.fiscal_year_list, name="core-fiscal-years"),
    path(
        "fiscal-years/<int:year>/edit/", government.fiscal_year_edit, name="core-fiscal-year-edit"
    ),
    path("calendar/", calendar.calendar_view, name="core-calendar"),
    path("calendar/years/", calendar.calendar_years, name="core-calendar-years"),
    path("calendar/years/<int:year>/", calendar.calendar_year_edit, name="core-calendar-year-edit"),
    path("calendar/settings/", calendar.calendar_settings, name="core-calendar-settings"),
    path("calendar/import/", calendar.calendar_import, name="core-calendar-import"),
    path("calendar/holidays/new/", calendar.holiday_create, name="core-holiday-create"),
    path(
        "calendar/holidays/<uuid:public_id>/edit/", calendar.holiday_edit, name="core-holiday-edit"
    ),
    path(
        "calendar/holidays/<uuid:public_id>/delete/",
        calendar.holiday_delete,
        name="core-holiday-delete",
    ),
    path("units/", units.unit_list, name="core-unit-list"),
    path("units/new/", units.unit_create, name="core-unit-create"),
    path("units/import/", units.unit_import, name="core-unit-import"),
    path("units/<str:code>/", units.unit_detail, name="core-unit"),
    path("units/<str:code>/edit/", units.unit_edit, name="core-unit-edit"),
    path("people/", people.person_list, name="core-person-list"),
    path("people/new/", people.person_create, name="core-person-create"),
    path("people/<uuid:public_id>/", people.person_detail, name="core-person"),
    path("people/<uuid:public_id>/edit/", people.person_edit, name="core-person-edit"),
    path("people/<uuid:public_id>/invite/", people.person_invite, name="core-person-invite"),
    path("people/<uuid:public_id>/roles/", people.role_grant, name="core-person-role-grant"),
    path(
        "people/<uuid:public_id>/roles/<uuid:assignment_id>/revoke/",
        people.role_revoke,
        name="core-person-role-revoke",
    ),
    path("audit/", audit.event_list, name="audit-event-list"),
]
