"""The demo publishes last year's waves and some recommendations with verified evidence, which
an anonymous visitor then finds on the portal; running it again publishes nothing more."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from integritas.core.demo import seed
from integritas.followup.demo import seed_app as seed_followup
from integritas.indices.demo import seed_app as seed_indices
from integritas.lib.formatting import format_number
from integritas.portal.demo import seed_app
from integritas.portal.models import Publication
from integritas.portal.services import public
from integritas.surveys.demo import seed_app as seed_surveys

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


def test_the_demo_shows_last_years_published_survey_results() -> None:
    seed(password=None)
    seed_surveys()
    seed_indices()
    seed_app()
    published = list(public.waves())
    assert published and all(w.closes_on.year == timezone.localdate().year - 1 for w in published)
    client = Client()
    for wave in published:
        board = public.wave_results(wave)
        assert board.headline is not None and board.headline.score is not None
        page = client.get(reverse("portal-wave", args=[wave.code])).content.decode()
        assert format_number(board.headline.score, board.precision, "id") in page
        assert reverse("portal-wave", args=[wave.code]) in client.get("/").content.decode()


def test_the_demo_portal_shows_a_closed_recommendation() -> None:
    seed(password=None)
    seed_followup()
    seed_app()
    closed = public.recommendations().filter(status="closed").first()
    assert closed is not None
    page = Client().get(reverse("portal-recommendation", args=[closed.code])).content.decode()
    assert "Ditutup" in page
