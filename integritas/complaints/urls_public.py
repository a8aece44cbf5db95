"""Public report pages, mounted at /lapor/ ("report" in Indonesian): short, public, no account.

- ``""``: the report form; its POST shows the receipt once;
- ``selesai/``: what happens next, after the receipt;
- ``cek/``: check a report with its receipt (the receipt only ever in a POST body);
- ``cek/balas/``: the reporter's reply (POST, on a page opened with the receipt).
"""

from django.urls import path

from integritas.complaints.views import public as views_public

urlpatterns = [
    path("", views_public.report, name="complaints-public-report"),
    path("selesai/", views_public.done, name="complaints-public-done"),
    path("cek/", views_public.check, name="complaints-public-check"),
    path("cek/balas/", views_public.reply, name="complaints-public-reply"),
]
