"""Follow-up pages, mounted at /followup/. URL names carry the prefix ``followup-``."""

from django.urls import path

from integritas.followup.views import dashboards as views_dashboards
from integritas.followup.views import monitoring as views_monitoring
from integritas.followup.views import plans as views_plans
from integritas.followup.views import recommendations as views_recommendations

rec = views_recommendations
plans = views_plans

urlpatterns = [
    path("", rec.recommendation_list, name="followup-recommendation-list"),
    path("recommendations/new/", rec.recommendation_create, name="followup-recommendation-create"),
    path("recommendations/<str:code>/", rec.recommendation_detail, name="followup-recommendation"),
    path(
        "recommendations/<str:code>/edit/",
        rec.recommendation_edit,
        name="followup-recommendation-edit",
    ),
    path(
        "recommendations/<str:code>/issue/",
        rec.recommendation_issue,
        name="followup-recommendation-issue",
    ),
    path(
        "recommendations/<str:code>/tlhp/",
        rec.recommendation_tlhp,
        name="followup-recommendation-tlhp",
    ),
    path(
        "recommendations/<str:code>/close/",
        rec.recommendation_close,
        name="followup-recommendation-close",
    ),
    path(
        "recommendations/<str:code>/reopen/",
        rec.recommendation_reopen,
        name="followup-recommendation-reopen",
    ),
    path("weak-points/", rec.weak_point_requests, name="followup-weak-point-requests"),
    path("plans/", views_monitoring.plan_list, name="followup-plan-list"),
    path("plans/<uuid:public_id>/", plans.plan_detail, name="followup-plan"),
    path(
        "plans/<uuid:public_id>/activities/new/",
        plans.activity_create,
        name="followup-activity-create",
    ),
    path(
        "plans/<uuid:public_id>/steps/<slug:name>/",
        plans.plan_transition,
        name="followup-plan-transition",
    ),
    path("activities/<uuid:public_id>/edit/", plans.activity_edit, name="followup-activity-edit"),
    path(
        "activities/<uuid:public_id>/steps/<slug:name>/",
        plans.activity_step,
        name="followup-activity-step",
    ),
    path(
        "activities/<uuid:public_id>/delete/",
        plans.activity_delete,
        name="followup-activity-delete",
    ),
    path(
        "activities/<uuid:public_id>/progress/",
        plans.activity_progress,
        name="followup-activity-progress",
    ),
    path(
        "activities/<uuid:public_id>/evidence/new/",
        plans.evidence_add,
        name="followup-evidence-add",
    ),
    path(
        "evidence/<uuid:public_id>/versions/new/",
        plans.evidence_version,
        name="followup-evidence-version",
    ),
    path(
        "evidence/<uuid:public_id>/v<int:version>/",
        plans.evidence_download,
        name="followup-evidence-download",
    ),
    path("monitoring/", views_monitoring.monitoring, name="followup-monitoring"),
    path("overdue/", views_monitoring.overdue_list, name="followup-overdue"),
]

# Dashboards, the leadership scoreboard and the signed monitoring report (views_dashboards.py).

urlpatterns += [
    path("dashboard/", views_dashboards.dashboard, name="followup-dashboard"),
    path("dashboard/scoreboard/", views_dashboards.scoreboard, name="followup-scoreboard"),
    path("dashboard/report.pdf", views_dashboards.report, name="followup-dashboard-report"),
    path(
        "dashboard/units/<str:code>/",
        views_dashboards.unit_dashboard,
        name="followup-dashboard-unit",
    ),
]
