"""The people pages: list and export within scope, detail, create with invitation, edit, roles."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from openpyxl import load_workbook

from integritas.audit.models import Event
from integritas.core.models import Role, RoleAssignment, User
from integritas.core.testing import body
from integritas.core.tests.conftest import World, client_for, make_user

NIP = "199001012015031001"
NEW_PASSWORD = "a long and unusual passphrase 42"


def seen(message: str, **values: Any) -> str:
    """``message`` as the page shows it to the personas, whose language is Indonesian."""
    with translation.override("id"):
        text = translation.gettext(message)
    return escape(text % values if values else text)


def role_shown(assignment: RoleAssignment) -> str:
    with translation.override("id"):
        return str(assignment)


def person_data(world: World, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "username": "rina",
        "name": "Rina Wulandari",
        "email": "rina@example.test",
        "nip": NIP,
        "position": "Analis Kebijakan",
        "unit": world.dinkes.pk,
        "phone": "0812 3456 7890",
        "language": "id",
        "is_active": "on",
    }
    data.update(overrides)
    return data


def edit_data(person: User, **overrides: Any) -> dict[str, Any]:
    current = {
        "username": person.username,
        "name": person.name,
        "email": person.email,
        "nip": person.nip or "",
        "position": person.position,
        "unit": person.unit_id or "",
        "phone": person.phone,
        "language": person.language,
        "is_active": "on" if person.is_active else "",
    }
    return {**current, **overrides}


def names(response: Any) -> set[str]:
    return {p.username for p in response.context["page"].object_list}


def csv_rows(body: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def sign_in(username: str, password: str) -> tuple[Client, int]:
    client = Client()
    response = client.post(reverse("core-login"), {"username": username, "password": password})
    return client, response.status_code


# --- List --------------------------------------------------------------------------------------


def test_it_lists_only_people_of_the_officers_unit_and_its_sub_units(world: World) -> None:
    make_user("nurse", unit=world.puskesmas)

    response = client_for(world.officer_a).get(reverse("core-person-list"))

    assert response.status_code == 200
    assert names(response) == {"head_a", "officer_a", "nurse"}
    html = response.content.decode()
    assert "Officer B" not in html
    assert "Nobody" not in html


def test_it_lists_everyone_for_the_inspector(world: World) -> None:
    response = client_for(world.inspector).get(reverse("core-person-list"), {"status": "all"})

    assert names(response) == set(User.objects.values_list("username", flat=True))
    assert len(names(response)) == 10


def test_it_filters_people_by_unit_role_and_search(world: World) -> None:
    make_user("nurse", unit=world.puskesmas)
    User.objects.filter(username="head_a").update(nip=NIP, position="Kepala Dinas")
    client = client_for(world.inspector)

    by_unit = client.get(reverse("core-person-list"), {"unit": "DINKES.PKM"})
    by_role = client.get(reverse("core-person-list"), {"role": Role.UNIT_OFFICER})
    by_nip = client.get(reverse("core-person-list"), {"q": NIP[:10]})
    by_position = client.get(reverse("core-person-list"), {"q": "kepala"})

    assert names(by_unit) == {"nurse"}
    assert names(by_role) == {"officer_a", "officer_b"}
    assert names(by_nip) == {"head_a"}
    assert names(by_position) == {"head_a"}


def test_it_hides_deactivated_people_unless_asked(world: World) -> None:
    User.objects.filter(username="nobody").update(is_active=False)
    client = client_for(world.inspector)

    default = client.get(reverse("core-person-list"))
    inactive = client.get(reverse("core-person-list"), {"status": "inactive"})

    assert "nobody" not in names(default)
    assert names(inactive) == {"nobody"}


def test_it_exports_only_the_people_in_the_officers_scope(world: World) -> None:
    response = client_for(world.officer_a).get(reverse("core-person-list"), {"export": "csv"})

    assert response.status_code == 200
    data = body(response)
    rows = csv_rows(data)
    assert rows[0] == [
        "Nama",
        "Nama pengguna",
        "NIP",
        "Jabatan",
        "Kode unit kerja",
        "Email",
        "Peran",
        "Aktif",
    ]
    assert sorted(row[1] for row in rows[1:]) == ["head_a", "officer_a"]
    assert b"officer_b" not in data
    assert b"DISDIK" not in data


def test_it_exports_filtered_people_as_xlsx(world: World) -> None:
    response = client_for(world.inspector).get(
        reverse("core-person-list"), {"export": "xlsx", "role": Role.UNIT_OFFICER}
    )

    sheet = load_workbook(io.BytesIO(body(response)), read_only=True).worksheets[0]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert [row[1] for row in rows[1:]] == ["officer_a", "officer_b"]
    assert rows[1][4] == "DINKES"
    assert rows[1][6] == role_shown(RoleAssignment.objects.get(user=world.officer_a))


# --- Detail ------------------------------------------------------------------------------------


def test_it_shows_a_person_in_scope_with_roles_and_history(world: World) -> None:
    client_for(world.admin).post(
        reverse("core-person-edit", args=[world.head_a.public_id]),
        edit_data(world.head_a, position="Kepala Dinas"),
    )

    response = client_for(world.officer_a).get(
        reverse("core-person", args=[world.head_a.public_id])
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert role_shown(RoleAssignment.objects.get(user=world.head_a)) in html
    assert seen("Account changed") in html
    assert response.context["can_manage_roles"] is False
    assert response.context["grant_form"] is None


def test_it_hides_a_person_outside_the_officers_scope(world: World) -> None:
    response = client_for(world.officer_a).get(
        reverse("core-person", args=[world.officer_b.public_id])
    )

    assert response.status_code == 404


# --- Create ------------------------------------------------------------------------------------


def test_it_creates_a_person_who_sets_a_password_from_the_invitation(world: World) -> None:
    response = client_for(world.admin).post(reverse("core-person-create"), person_data(world))

    person = User.objects.get(username="rina")
    assert response.status_code == 302
    assert response["Location"] == reverse("core-person", args=[person.public_id])
    assert (person.nip, person.unit, person.email) == (NIP, world.dinkes, "rina@example.test")
    assert not person.has_usable_password()
    created = Event.objects.get(action="user.created")
    assert (created.object_type, created.object_id, created.actor_id) == (
        "core.user",
        str(person.pk),
        world.admin.pk,
    )
    assert created.changes["nip"] == [None, NIP]
    assert Event.objects.filter(action="user.invited", object_id=str(person.pk)).exists()

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["rina@example.test"]
    match = re.search(r"http://testserver(/accounts/password/reset/\S+/)", mail.outbox[0].body)
    assert match, mail.outbox[0].body
    link = match.group(1)

    _, status = sign_in("rina", "anything at all 123")
    assert status == 400

    visitor = Client()
    form_page = visitor.get(link, follow=True)
    assert form_page.status_code == 200
    assert form_page.context["validlink"] is True
    done = visitor.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert done.status_code == 302
    person.refresh_from_db()
    assert person.has_usable_password()
    assert Event.objects.filter(action="auth.password_reset", actor=person).exists()

    signed_in, status = sign_in("rina", NEW_PASSWORD)
    assert status == 302
    assert signed_in.get(reverse("core-home")).status_code == 200


def test_it_accepts_the_invitation_link_only_once(world: World) -> None:
    client_for(world.admin).post(reverse("core-person-create"), person_data(world))
    match = re.search(r"http://testserver(/accounts/password/reset/\S+/)", mail.outbox[0].body)
    assert match
    visitor = Client()
    first = visitor.get(match.group(1), follow=True)
    visitor.post(
        first.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    again = Client().get(match.group(1), follow=True)

    assert again.context["validlink"] is False


@pytest.mark.parametrize(
    ("nip", "message", "values"),
    [
        (
            "19900101201503100",
            "NIP must be exactly 18 digits (got %(count)d characters).",
            {"count": 17},
        ),
        (
            "199013012015031001",
            "The first 8 digits of the NIP must be a valid birth date (YYYYMMDD).",
            {},
        ),
        ("199001012015033001", "Digit 15 of the NIP must be 1 (male) or 2 (female).", {}),
        (
            "199001012015131001",
            "Digits 9–14 of the NIP must be the appointment year and month (YYYYMM).",
            {},
        ),
        ("199001012015031000", "The last 3 digits of the NIP (sequence number) cannot be 000.", {}),
        (
            "199001011999031001",
            "The appointment year in the NIP is too close to the birth year.",
            {},
        ),
    ],
)
def test_it_rejects_an_invalid_nip_with_a_message_that_says_what_is_wrong(
    world: World, nip: str, message: str, values: dict[str, Any]
) -> None:
    response = client_for(world.admin).post(
        reverse("core-person-create"), person_data(world, nip=nip)
    )

    assert response.status_code == 400
    assert seen(message, **values) in response.content.decode()
    assert not User.objects.filter(username="rina").exists()
    assert not Event.objects.filter(action="user.created").exists()
    assert mail.outbox == []


def test_it_accepts_a_nip_typed_with_spaces(world: World) -> None:
    response = client_for(world.admin).post(
        reverse("core-person-create"), person_data(world, nip="19900101 201503 1 001")
    )

    assert response.status_code == 302
    assert User.objects.get(username="rina").nip == NIP


def test_it_rejects_a_nip_written_in_non_latin_digits(world: World) -> None:
    to_arabic_indic = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
    arabic_indic = NIP[:14].translate(to_arabic_indic) + "1" + NIP[15:].translate(to_arabic_indic)

    response = client_for(world.admin).post(
        reverse("core-person-create"), person_data(world, nip=arabic_indic)
    )

    assert response.status_code == 400
    assert not User.objects.filter(username="rina").exists()


def test_it_rejects_a_nip_with_a_superscript_digit_instead_of_crashing(world: World) -> None:
    response = client_for(world.admin).post(
        reverse("core-person-create"), person_data(world, nip="19900101²015031001")
    )

    assert response.status_code == 400
    assert not User.objects.filter(username="rina").exists()


def test_it_stores_no_nip_for_a_person_who_is_not_a_civil_servant(world: World) -> None:
    client_for(world.admin).post(reverse("core-person-create"), person_data(world, nip=""))
    client_for(world.admin).post(
        reverse("core-person-create"),
        person_data(world, nip="", username="dewi", email="dewi@example.test"),
    )

    assert list(
        User.objects.filter(username__in=["rina", "dewi"]).values_list("nip", flat=True)
    ) == [
        None,
        None,
    ]


def test_it_rejects_a_duplicate_nip(world: World) -> None:
    User.objects.filter(username="head_a").update(nip=NIP)

    response = client_for(world.admin).post(reverse("core-person-create"), person_data(world))

    assert response.status_code == 400
    assert [e.code for e in response.context["form"].errors.as_data()["nip"]] == ["unique"]
    assert not User.objects.filter(username="rina").exists()
    assert not Event.objects.filter(action="user.created").exists()
    assert mail.outbox == []


@pytest.mark.parametrize("persona", ["inspector_general", "leader", "officer_a"])
def test_it_refuses_to_create_people_for_anyone_but_an_administrator(
    world: World, persona: str
) -> None:
    client = client_for(world.personas()[persona])

    page = client.get(reverse("core-person-create"))
    response = client.post(reverse("core-person-create"), person_data(world))

    assert (page.status_code, response.status_code) == (403, 403)
    assert not User.objects.filter(username="rina").exists()
    assert mail.outbox == []


def test_it_sends_a_new_password_link_when_the_administrator_asks(world: World) -> None:
    response = client_for(world.admin).post(
        reverse("core-person-invite", args=[world.officer_b.public_id])
    )

    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [["officer_b@example.test"]]
    assert "/accounts/password/reset/" in mail.outbox[0].body
    event = Event.objects.get(action="user.invited")
    assert (event.object_id, event.actor_id) == (str(world.officer_b.pk), world.admin.pk)


def test_it_refuses_to_send_password_links_for_anyone_but_an_administrator(world: World) -> None:
    response = client_for(world.head_a).post(
        reverse("core-person-invite", args=[world.officer_a.public_id])
    )

    assert response.status_code == 403
    assert mail.outbox == []
    assert not Event.objects.filter(action="user.invited").exists()


# --- Edit --------------------------------------------------------------------------------------


def test_it_saves_an_edit_by_the_administrator_with_the_changes_in_the_audit_trail(
    world: World,
) -> None:
    response = client_for(world.admin).post(
        reverse("core-person-edit", args=[world.officer_b.public_id]),
        edit_data(world.officer_b, position="Sekretaris", unit=world.dinkes.pk),
    )

    assert response.status_code == 302
    world.officer_b.refresh_from_db()
    assert (world.officer_b.position, world.officer_b.unit) == ("Sekretaris", world.dinkes)
    event = Event.objects.get(action="user.updated")
    assert (event.object_id, event.actor_id) == (str(world.officer_b.pk), world.admin.pk)
    assert event.changes == {
        "position": ["", "Sekretaris"],
        "unit": [str(world.disdik), str(world.dinkes)],
    }


def test_it_rejects_an_invalid_nip_on_edit_and_changes_nothing(world: World) -> None:
    response = client_for(world.admin).post(
        reverse("core-person-edit", args=[world.officer_b.public_id]),
        edit_data(world.officer_b, nip="12345", position="Sekretaris"),
    )

    assert response.status_code == 400
    world.officer_b.refresh_from_db()
    assert (world.officer_b.nip, world.officer_b.position) == (None, "")
    assert not Event.objects.filter(action="user.updated").exists()


@pytest.mark.parametrize("persona", ["inspector_general", "head_a"])
def test_it_refuses_edits_by_anyone_but_an_administrator(world: World, persona: str) -> None:
    response = client_for(world.personas()[persona]).post(
        reverse("core-person-edit", args=[world.officer_a.public_id]),
        edit_data(world.officer_a, position="Promoted"),
    )

    assert response.status_code == 403
    world.officer_a.refresh_from_db()
    assert world.officer_a.position == ""
    assert not Event.objects.filter(action="user.updated").exists()


# --- Roles -------------------------------------------------------------------------------------


def grant(client: Client, person: User, role: str, unit: Any = "") -> Any:
    return client.post(
        reverse("core-person-role-grant", args=[person.public_id]),
        {"role": role, "unit": unit.pk if unit else ""},
    )


def test_it_grants_a_unit_role_and_records_it(world: World) -> None:
    response = grant(client_for(world.admin), world.nobody, Role.UNIT_OFFICER, world.disdik)

    assert response.status_code == 302
    assignment = RoleAssignment.objects.get(user=world.nobody)
    assert (assignment.role, assignment.unit, assignment.granted_by) == (
        Role.UNIT_OFFICER,
        world.disdik,
        world.admin,
    )
    event = Event.objects.get(action="role.granted")
    assert (event.object_type, event.object_id, event.actor_id) == (
        "core.user",
        str(world.nobody.pk),
        world.admin.pk,
    )
    assert event.changes == {"role": [None, "unit_officer"], "unit": [None, "DISDIK"]}


def test_the_granted_role_opens_the_units_pages_to_the_person(world: World) -> None:
    grant(client_for(world.admin), world.nobody, Role.UNIT_OFFICER, world.disdik)

    response = client_for(world.nobody).get(reverse("core-unit", args=["DISDIK"]))

    assert response.status_code == 200


def test_it_refuses_a_unit_officer_role_without_a_unit(world: World) -> None:
    response = grant(client_for(world.admin), world.nobody, Role.UNIT_OFFICER)

    assert response.status_code == 400
    assert seen("This role needs a unit.") in response.content.decode()
    assert not RoleAssignment.objects.filter(user=world.nobody).exists()
    assert not Event.objects.filter(action="role.granted").exists()


def test_it_refuses_a_leadership_role_limited_to_a_unit(world: World) -> None:
    response = grant(client_for(world.admin), world.nobody, Role.LEADERSHIP, world.disdik)

    assert response.status_code == 400
    assert seen("This role applies to the whole government; leave the unit empty.") in (
        response.content.decode()
    )
    assert not RoleAssignment.objects.filter(user=world.nobody).exists()
    assert not Event.objects.filter(action="role.granted").exists()


def test_it_allows_an_inspector_role_limited_to_a_unit(world: World) -> None:
    response = grant(client_for(world.admin), world.nobody, Role.INSPECTOR, world.dinkes)

    assert response.status_code == 302
    assert RoleAssignment.objects.get(user=world.nobody).unit == world.dinkes


@pytest.mark.parametrize(
    ("role", "unit_name"), [(Role.UNIT_OFFICER, "dinkes"), (Role.LEADERSHIP, None)]
)
def test_it_refuses_a_role_the_person_already_holds(
    world: World, role: str, unit_name: str | None
) -> None:
    person = world.officer_a if unit_name else world.leader
    unit = getattr(world, unit_name) if unit_name else None

    response = grant(client_for(world.admin), person, role, unit)

    assert response.status_code == 400
    assert seen("This person already holds this role.") in response.content.decode()
    assert RoleAssignment.objects.filter(user=person, role=role).count() == 1
    assert not Event.objects.filter(action="role.granted").exists()


@pytest.mark.parametrize("persona", ["inspector_general", "leader", "head_a"])
def test_it_refuses_to_let_anyone_but_an_administrator_grant_roles(
    world: World, persona: str
) -> None:
    response = grant(client_for(world.personas()[persona]), world.officer_a, Role.ADMINISTRATOR)

    assert response.status_code == 403
    assert not RoleAssignment.objects.filter(user=world.officer_a, role=Role.ADMINISTRATOR).exists()
    assert not Event.objects.filter(action="role.granted").exists()


def test_it_hides_people_outside_scope_from_a_would_be_granter(world: World) -> None:
    response = grant(client_for(world.officer_a), world.officer_b, Role.ADMINISTRATOR)

    assert response.status_code == 404
    assert not RoleAssignment.objects.filter(user=world.officer_b, role=Role.ADMINISTRATOR).exists()


def revoke(client: Client, assignment: RoleAssignment, reason: str) -> Any:
    return client.post(
        reverse("core-person-role-revoke", args=[assignment.user.public_id, assignment.public_id]),
        {"reason": reason},
    )


def test_it_keeps_the_role_when_no_reason_is_given_for_removing_it(world: World) -> None:
    assignment = RoleAssignment.objects.get(user=world.officer_a)
    client = client_for(world.admin)

    response = revoke(client, assignment, "   ")

    assert response.status_code == 302
    assert RoleAssignment.objects.filter(pk=assignment.pk).exists()
    assert not Event.objects.filter(action="role.revoked").exists()
    page = client.get(response["Location"])
    assert seen("Give a reason for removing the role.") in page.content.decode()


def test_it_removes_a_role_and_records_the_reason(world: World) -> None:
    assignment = RoleAssignment.objects.get(user=world.officer_a)

    response = revoke(client_for(world.admin), assignment, "Moved to another agency")

    assert response.status_code == 302
    assert not RoleAssignment.objects.filter(pk=assignment.pk).exists()
    event = Event.objects.get(action="role.revoked")
    assert (event.object_id, event.actor_id, event.reason) == (
        str(world.officer_a.pk),
        world.admin.pk,
        "Moved to another agency",
    )
    assert event.changes == {"role": ["unit_officer", None], "unit": ["DINKES", None]}
    assert client_for(world.officer_a).get(reverse("core-unit", args=["DINKES"])).status_code == 404


def test_it_refuses_to_let_anyone_but_an_administrator_remove_roles(world: World) -> None:
    assignment = RoleAssignment.objects.get(user=world.officer_a)

    response = revoke(client_for(world.inspector_general), assignment, "No reason")

    assert response.status_code == 403
    assert RoleAssignment.objects.filter(pk=assignment.pk).exists()
    assert not Event.objects.filter(action="role.revoked").exists()


def test_it_refuses_to_remove_another_persons_role_through_this_persons_address(
    world: World,
) -> None:
    assignment = RoleAssignment.objects.get(user=world.officer_b)

    response = client_for(world.admin).post(
        reverse("core-person-role-revoke", args=[world.officer_a.public_id, assignment.public_id]),
        {"reason": "Mix-up"},
    )

    assert response.status_code == 404
    assert RoleAssignment.objects.filter(pk=assignment.pk).exists()
