from django.urls import path

from integritas.audit import views

urlpatterns = [
    path("", views.event_list, name="audit-event-list"),
]
