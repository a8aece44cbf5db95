"""An event's materials: links the Inspectorate adds and removes, shown to participants."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from integritas.audit.models import Event as AuditEvent
from integritas.core.testing import World, client_for
from integritas.education.models import Event, Material


def test_an_inspector_adds_a_link_that_the_public_page_shows(world: World, event: Event):
    url = reverse("education-material-add", args=[event.code])
    data = {"title": "Paparan KPK", "url": "https://example.test/paparan.pdf"}
    response = client_for(world.inspector).post(url, data)
    assert response.status_code == 302
    material = Material.objects.get(event=event)
    assert material.added_by == world.inspector
    assert AuditEvent.objects.filter(action="education.material_added").count() == 1
    page = Client().get(reverse("education-public-register", args=[event.code]))
    assert 'href="https://example.test/paparan.pdf"' in page.content.decode()


def test_a_bad_link_is_refused_and_nothing_is_stored(world: World, event: Event):
    url = reverse("education-material-add", args=[event.code])
    response = client_for(world.inspector).post(url, {"title": "X", "url": "javascript:alert(1)"})
    assert response.status_code == 400
    assert not Material.objects.exists()


def test_a_material_is_removed_and_the_removal_audited(world: World, event: Event):
    material = Material.objects.create(event=event, title="Lama", url="https://example.test/a")
    url = reverse("education-material-remove", args=[event.code, material.public_id])
    assert client_for(world.inspector).post(url).status_code == 302
    assert not Material.objects.exists()
    assert AuditEvent.objects.filter(action="education.material_removed").count() == 1


def test_leadership_may_not_add_or_remove(world: World, event: Event):
    material = Material.objects.create(event=event, title="Lama", url="https://example.test/a")
    client = client_for(world.leader)
    add = reverse("education-material-add", args=[event.code])
    assert client.post(add, {"title": "X", "url": "https://example.test/x"}).status_code == 403
    remove = reverse("education-material-remove", args=[event.code, material.public_id])
    assert client.post(remove).status_code == 403
    assert Material.objects.count() == 1
