"""The instrument builder, mounted at /surveys/instruments/."""

from django.urls import path

from integritas.surveys.views import instruments as views

V = "<slug:code>/v<int:number>/"

urlpatterns = [
    path("", views.instrument_list, name="surveys-instrument-list"),
    path("new/", views.instrument_create, name="surveys-instrument-create"),
    path("import/", views.instrument_import, name="surveys-instrument-import"),
    path("<slug:code>/", views.instrument_detail, name="surveys-instrument"),
    path("<slug:code>/edit/", views.instrument_edit, name="surveys-instrument-edit"),
    path(V, views.version_detail, name="surveys-instrument-version"),
    path(V + "xlsx/", views.version_xlsx, name="surveys-instrument-version-xlsx"),
    path(V + "new-version/", views.version_new_draft, name="surveys-instrument-version-new"),
    path(V + "publish/", views.version_publish, name="surveys-instrument-version-publish"),
    path(V + "retire/", views.version_retire, name="surveys-instrument-version-retire"),
    path(V + "delete/", views.version_delete, name="surveys-instrument-version-delete"),
    path(V + "dimensions/new/", views.dimension_add, name="surveys-instrument-dimension-add"),
    path(
        V + "dimensions/<str:item>/edit/",
        views.dimension_edit,
        name="surveys-instrument-dimension-edit",
    ),
    path(
        V + "dimensions/<str:item>/delete/",
        views.dimension_delete,
        name="surveys-instrument-dimension-delete",
    ),
    path(
        V + "dimensions/<str:item>/move/",
        views.dimension_move,
        name="surveys-instrument-dimension-move",
    ),
    path(V + "sections/new/", views.section_add, name="surveys-instrument-section-add"),
    path(
        V + "sections/<str:item>/edit/", views.section_edit, name="surveys-instrument-section-edit"
    ),
    path(
        V + "sections/<str:item>/delete/",
        views.section_delete,
        name="surveys-instrument-section-delete",
    ),
    path(
        V + "sections/<str:item>/move/", views.section_move, name="surveys-instrument-section-move"
    ),
    path(
        V + "sections/<str:section>/questions/new/",
        views.question_add,
        name="surveys-instrument-question-add",
    ),
    path(
        V + "questions/<str:item>/edit/",
        views.question_edit,
        name="surveys-instrument-question-edit",
    ),
    path(
        V + "questions/<str:item>/delete/",
        views.question_delete,
        name="surveys-instrument-question-delete",
    ),
    path(
        V + "questions/<str:item>/move/",
        views.question_move,
        name="surveys-instrument-question-move",
    ),
]
