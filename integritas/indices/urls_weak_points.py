"""URLs of the indices pages: weak points."""

from django.urls import path

from integritas.indices import views_weak_points as views

urlpatterns = [
    path("weak-points/", views.weak_point_list, name="indices-weak-points"),
    path(
        "weak-points/detect/<slug:code>/",
        views.weak_points_detect,
        name="indices-weak-points-detect",
    ),
    path("weak-points/<uuid:public_id>/", views.weak_point_detail, name="indices-weak-point"),
    path(
        "weak-points/<uuid:public_id>/request/",
        views.weak_point_request,
        name="indices-weak-point-request",
    ),
    path(
        "weak-points/<uuid:public_id>/dismiss/",
        views.weak_point_dismiss,
        name="indices-weak-point-dismiss",
    ),
]
