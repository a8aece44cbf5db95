"""Who is offered as the signer of a report: only people with signing authority, shown with
their position and NIP; the authority is set on a person's page, the place of signing and the
report number pattern on the government's page."""

from __future__ import annotations

import datetime as dt
import importlib
from typing import Any

import pytest
from django.apps import apps
from django.urls import reverse

from integritas.audit.models import Event
from integritas.core.models import Government, User
from integritas.core.signers import SignerForm, default_signer, signer_initial
from integritas.core.testing import World, client_for

pytestmark = pytest.mark.django_db


def choices(user: User) -> list[tuple[str, str]]:
    field = SignerForm(user=user).fields["signer"]
    return [(str(value), str(label)) for value, label in field.choices if value]  # type: ignore[attr-defined]


def test_only_people_with_signing_authority_are_offered(world: World) -> None:
    world.head_a.nip = "198001012005011001"  # a NIP alone gives no authority
    world.head_a.save()
    world.inspector.can_sign = True
    world.inspector.save()
    offered = {value for value, _label in choices(world.leader)}
    assert offered == {str(world.inspector_general.public_id), str(world.inspector.public_id)}


def test_a_deactivated_signer_is_not_offered(world: World) -> None:
    world.inspector_general.is_active = False
    world.inspector_general.save()
    assert choices(world.leader) == []
    assert default_signer() is None


def test_a_signer_is_shown_with_position_and_nip(world: World) -> None:
    ig = world.inspector_general
    ig.name, ig.position, ig.nip = "Dra. Endang Sulastri", "Inspektur Daerah", "197203021995022938"
    ig.save()
    assert choices(world.leader) == [
        (str(ig.public_id), "Dra. Endang Sulastri — Inspektur Daerah (NIP 19720302 199502 2 938)")
    ]


def test_the_report_form_on_the_dashboard_offers_only_signers(world: World) -> None:
    world.head_a.nip = "198001012005011001"
    world.head_a.save()
    page = client_for(world.inspector).get("/followup/dashboard/").content.decode()
    assert str(world.inspector_general.public_id) in page
    assert str(world.head_a.public_id) not in page


def test_the_inspector_general_is_the_default_only_with_signing_authority(world: World) -> None:
    assert default_signer() == world.inspector_general
    world.inspector_general.can_sign = False
    world.inspector_general.save()
    assert default_signer() is None
    assert "signer" not in signer_initial()


def test_an_administrator_grants_signing_authority_on_the_persons_page(world: World) -> None:
    person = world.head_a
    data: dict[str, Any] = {
        "username": person.username,
        "name": person.name,
        "email": person.email,
        "nip": "",
        "position": "Kepala Dinas Kesehatan",
        "can_sign": "on",
        "unit": person.unit_id or "",
        "phone": "",
        "language": "id",
        "is_active": "on",
        "reason": "Penandatangan laporan",
    }
    response = client_for(world.admin).post(
        reverse("core-person-edit", args=[person.public_id]), data
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.can_sign
    event = Event.objects.filter(action="user.updated").latest("pk")
    assert event.changes["can_sign"] == [False, True]
    page = client_for(world.admin).get(reverse("core-person", args=[person.public_id]))
    assert "Boleh menandatangani laporan" in page.content.decode()


def test_an_administrator_sets_the_place_of_signing_and_the_number_pattern(world: World) -> None:
    response = client_for(world.admin).post(
        reverse("core-government-edit"),
        {
            "name": world.gov.name,
            "kind": world.gov.kind,
            "signing_place": "Kota Uji",
            "report_number_pattern": "700/…/Itda/{roman_month}/{year}",
        },
    )
    assert response.status_code == 302
    gov = Government.objects.get()
    assert gov.signing_place == "Kota Uji"
    assert gov.proposed_report_number(dt.date(2026, 10, 6)) == "700/…/Itda/X/2026"
    page = client_for(world.leader).get(reverse("core-government")).content.decode()
    assert "Kota Uji" in page and "700/…/Itda/{roman_month}/{year}" in page


def test_a_pattern_fills_in_the_date_and_keeps_other_braces(world: World) -> None:
    world.gov.report_number_pattern = "{day}.{month}/{unknown}/{year}"
    assert world.gov.proposed_report_number(dt.date(2026, 3, 9)) == "09.03/{unknown}/2026"


def test_the_migration_gives_signing_authority_to_the_inspector_general(world: World) -> None:
    User.objects.update(can_sign=False)
    migration = importlib.import_module(
        "integritas.core.migrations.0007_inspector_general_may_sign"
    )
    migration.grant(apps, None)
    assert list(User.objects.filter(can_sign=True)) == [world.inspector_general]
