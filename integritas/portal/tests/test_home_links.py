"""The portal's home leads a visitor to everything public the government offers beyond the
results: the events and the gratification checker."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from integritas.core.testing import World

pytestmark = pytest.mark.django_db


def test_the_home_leads_to_the_events_and_the_gratification_checker(world: World) -> None:
    page = Client().get(reverse("portal-home")).content.decode()
    assert f'href="{reverse("portal-events")}"' in page
    assert f'href="{reverse("prevention-check")}"' in page
    assert Client().get(reverse("prevention-check")).status_code == 200
