"""Prevention pages. ``urlpatterns`` are the staff pages, mounted at /pencegahan/ ("prevention");
``public_patterns`` are the public pages, mounted at /gratifikasi/: public, no account."""

from django.urls import path

from integritas.prevention.views import public, rules

urlpatterns = [
    path("aturan-gratifikasi/", rules.rule_set_list, name="prevention-rule-set-list"),
    path("aturan-gratifikasi/baru/", rules.rule_set_create, name="prevention-rule-set-create"),
    path("aturan-gratifikasi/<int:pk>/", rules.rule_set_detail, name="prevention-rule-set"),
    path("aturan-gratifikasi/<int:pk>/ubah/", rules.rule_set_edit, name="prevention-rule-set-edit"),
]

public_patterns = [
    path("cek/", public.check, name="prevention-check"),
]
