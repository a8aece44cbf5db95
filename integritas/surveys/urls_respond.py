"""Respondent pages, mounted at /s/ (short, public, outside the staff area).

- ``u/<code>/``: a public link or QR poster (a unit, or a service counter);
- ``i/<token>/``: a personal single-use invitation;
- ``start/``: begin (POST; the entry comes in the form, so no token is ever in a posted path);
- ``r/<wave>/<n>/``: page n of the questionnaire (the draft is found through this device's
  cookie; the path holds only the wave's public id, shared by all its respondents);
- ``resume/``: continue with a resume code; ``thanks/<wave>/``: the thank-you page.
"""

from django.urls import path

from integritas.surveys.views import respond as views_respond

urlpatterns = [
    path("u/<str:code>/", views_respond.public_entry, name="surveys-respond-public"),
    path("i/<str:token>/", views_respond.invitation_entry, name="surveys-respond-invitation"),
    path("start/", views_respond.start, name="surveys-respond-start"),
    path("r/<uuid:wave>/<int:number>/", views_respond.page, name="surveys-respond-page"),
    path("resume/", views_respond.resume, name="surveys-respond-resume"),
    path("thanks/<uuid:wave>/", views_respond.thanks, name="surveys-respond-thanks"),
]
