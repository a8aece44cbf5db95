"""URLs of the indices pages: settings of the index methods, by method and first year."""

from django.urls import URLPattern, path

from integritas.indices import views_settings as views

urlpatterns: list[URLPattern] = [
    path("settings/", views.setting_list, name="indices-settings"),
    path("settings/<slug:method>/new/", views.setting_create, name="indices-setting-create"),
    path("settings/<slug:method>/<int:year>/", views.setting_detail, name="indices-setting"),
    path(
        "settings/<slug:method>/<int:year>/edit/", views.setting_edit, name="indices-setting-edit"
    ),
    path(
        "settings/<slug:method>/<int:year>/delete/",
        views.setting_delete,
        name="indices-setting-delete",
    ),
]
