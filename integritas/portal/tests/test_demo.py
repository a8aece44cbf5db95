"""The demo publishes last year's waves and some recommendations with verified evidence, which
an anonymous visitor then finds on the portal; running it again publishes nothing more."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from integritas.core.demo import seed
from integritas.followup.demo import seed_app as seed_followup
from integritas.portal.demo import seed_app
from integritas.portal.models import Publication
from integritas.portal.services import public

pytestmark = pytest.mark.django_db


def test_the_demo_publishes_recommendations_with_verified_evidence() -> None:
    seed(password=None)
    seed_followup()
    lines = seed_app()
    assert any(line.startswith("published recommendation") for line in lines)
    assert public.recommendations().exists()
    item = public.evidence().first()
    assert item is not None
    client = Client()
    response = client.get(reverse("portal-evidence", args=[item.public_id]))
    assert response.status_code == 200
    page = client.get(reverse("portal-tracker")).content.decode()
    assert public.recommendations().first().title in page  # type: ignore[union-attr]
    count = Publication.objects.count()
    assert seed_app() == ["portal publications already present"]
    assert Publication.objects.count() == count
