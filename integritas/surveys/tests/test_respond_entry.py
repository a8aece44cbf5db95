"""How respondents come in: public links and QR posters (/s/u/<code>/), invitations
(/s/i/<token>/), and Start (/s/start/). Clear pages for unknown, used, closed and not-yet-open;
the duplicate cookie after answering through a public link."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from integritas.core.testing import World, client_for
from integritas.surveys.models import Draft, Invitation, Response, Service, Wave, WaveService
from integritas.surveys.services import respond
from integritas.surveys.tests.test_respond_helpers import (
    GOOD_ANSWERS,
    answer,
    answer_all,
    cookie_value,
    current_draft,
    invite,
    main_part,
    make_wave,
    page_url,
    public_code,
    public_url,
    start,
    t,
)

pytestmark = pytest.mark.django_db
START = "/s/start/"


@pytest.fixture(autouse=True)
def _fresh_counters() -> None:
    cache.clear()


@pytest.fixture
def wave(world: World) -> Wave:
    return make_wave(world.dinkes)


def counter(wave: Wave, unit_code: str = "DINKES") -> WaveService:
    service = Service.objects.create(
        unit=wave.wave_units.get(unit__code=unit_code).unit, code="KTP", name="Pembuatan KTP-el"
    )
    return WaveService.objects.create(
        wave_unit=wave.wave_units.get(unit__code=unit_code), service=service, public_code="ktp123"
    )


# -- public links --------------------------------------------------------------------------------


def test_the_landing_page_says_what_the_survey_is_and_how_anonymity_works(
    world: World, wave: Wave
) -> None:
    response = Client().get(public_url(wave))
    assert response.status_code == 200
    html = main_part(response)
    assert "Gelombang uji" in html and "Dinas Kesehatan" in html
    assert "Pemerintah Kota Uji" in response.content.decode()
    assert t("We do not store your IP address or anything about your phone or computer.") in html
    assert t("We store only the day you answer, not the time.") in html
    assert "3" in html and t("Start") in html
    assert f'action="{START}"' in html and 'method="post"' in html
    assert not Draft.objects.exists()  # looking costs nothing


def test_staff_opening_a_public_link_see_no_staff_navigation(world: World, wave: Wave) -> None:
    html = client_for(world.inspector).get(public_url(wave)).content.decode()
    assert 'class="main-nav"' not in html and reverse("core-logout") not in html
    assert reverse("core-language") in html  # the language switch is there


def test_start_creates_a_draft_and_remembers_it_on_this_device(world: World, wave: Wave) -> None:
    client = Client()
    response = start(client, wave)
    assert response.status_code == 302 and response["Location"] == page_url(wave, 1)
    draft = Draft.objects.get()
    assert (draft.wave, draft.unit, draft.service) == (wave, world.dinkes, None)
    assert draft.respondent_type == "public" and draft.answers == {}
    assert current_draft(client) == draft
    kind, _sep, code = cookie_value(client).partition(":")
    assert kind == respond.RESUME and draft.key_digest == respond.draft_digest(kind, code)
    cookie = client.cookies["integritas_survey"]
    assert cookie["httponly"] and cookie["path"] == "/s/" and cookie["samesite"] == "Lax"


def test_a_service_counter_link_names_the_service_and_records_it(world: World, wave: Wave) -> None:
    desk = counter(wave)
    client = Client()
    html = main_part(client.get(reverse("surveys-respond-public", args=[desk.public_code])))
    assert "Pembuatan KTP-el" in html
    client.post(START, {"code": desk.public_code})
    answer_all(client, wave)
    assert Response.objects.get().service == desk.service


def test_a_link_for_several_public_types_asks_which_applies(world: World) -> None:
    wave = make_wave(world.dinkes, respondent_types=["external", "public", "internal"])
    client = Client()
    html = main_part(client.get(public_url(wave)))
    assert 'name="respondent_type" value="external"' in html
    assert 'name="respondent_type" value="public"' in html
    assert 'value="internal"' not in html  # employees are reached by invitation
    refused = client.post(START, {"code": public_code(wave)})
    assert refused.status_code == 400 and 'id="id_respondent_type_error"' in main_part(refused)
    assert (
        client.post(START, {"code": public_code(wave), "respondent_type": "internal"}).status_code
        == 400
    )
    assert not Draft.objects.exists()
    start(client, wave, "external")
    assert Draft.objects.get().respondent_type == "external"


def test_an_unknown_public_code_gets_a_clear_not_found_page(wave: Wave) -> None:
    response = Client().get(reverse("surveys-respond-public", args=["nosuchcode"]))
    assert response.status_code == 404
    assert t("This survey link is not valid.") in main_part(response)
    assert Client().post(START, {"code": "nosuchcode"}).status_code == 404


def test_a_wave_without_public_links_does_not_answer_its_codes(wave: Wave) -> None:
    Wave.objects.filter(pk=wave.pk).update(public_links=False)
    assert Client().get(public_url(wave)).status_code == 404


def test_a_closed_wave_says_it_has_closed(wave: Wave) -> None:
    Wave.objects.filter(pk=wave.pk).update(status=Wave.Status.CLOSED)
    response = Client().get(public_url(wave))
    assert response.status_code == 410
    assert t("This survey has closed") in main_part(response)
    assert start(Client(), wave).status_code == 410
    assert not Draft.objects.exists()


def test_a_wave_not_open_yet_says_when_it_opens(wave: Wave) -> None:
    opens = timezone.localdate() + dt.timedelta(days=3)
    Wave.objects.filter(pk=wave.pk).update(opens_on=opens)
    response = Client().get(public_url(wave))
    assert response.status_code == 403
    html = main_part(response)
    assert t("This survey is not open yet") in html and str(opens.year) in html
    Wave.objects.filter(pk=wave.pk).update(status=Wave.Status.DRAFT)
    assert Client().get(public_url(wave)).status_code == 403


def test_after_answering_the_device_is_told_it_already_did(world: World, wave: Wave) -> None:
    client = Client()
    start(client, wave)
    answer_all(client, wave)
    again = client.get(public_url(wave))
    assert again.status_code == 200
    assert t("You have already answered") in main_part(again)
    assert t("Start") not in main_part(again)
    refused = start(client, wave)
    assert refused.status_code == 409
    assert not Draft.objects.exists() and Response.objects.count() == 1
    # Another unit's link on the same device still works.
    other = make_wave(world.disdik, code="other-wave")
    assert client.get(public_url(other)).status_code == 200


def test_starting_again_on_the_same_device_discards_the_earlier_draft(wave: Wave) -> None:
    client = Client()
    start(client, wave)
    first = Draft.objects.get()
    html = main_part(client.get(public_url(wave)))
    assert page_url(wave, 1) in html and t("Start again") in html
    start(client, wave)
    assert not Draft.objects.filter(pk=first.pk).exists()
    assert Draft.objects.count() == 1


def test_start_only_answers_post(wave: Wave) -> None:
    assert Client().get(START).status_code == 405


# -- invitations ---------------------------------------------------------------------------------


def test_an_invitation_opens_a_landing_page_that_fixes_the_unit(world: World) -> None:
    wave = make_wave(world.dinkes, respondent_types=["internal", "expert"])
    _invitation, token = invite(wave, world.puskesmas)
    client = Client()
    response = client.get(reverse("surveys-respond-invitation", args=[token]))
    assert response.status_code == 200
    html = main_part(response)
    assert "UPTD Puskesmas" in html
    assert 'name="respondent_type" value="internal"' in html
    assert 'name="respondent_type" value="expert"' in html
    assert (
        t(
            "Your invitation link works once. We record only that it was used, never which answers came from it."
        )
        in html
    )
    client.post(START, {"token": token, "respondent_type": "expert"})
    draft = Draft.objects.get()
    assert (draft.unit, draft.respondent_type) == (world.puskesmas, "expert")
    assert cookie_value(client) == f"{respond.INVITATION}:{token}"


def test_an_unknown_invitation_gets_a_clear_page(wave: Wave) -> None:
    response = Client().get(reverse("surveys-respond-invitation", args=["abcdefghjkmnpqrstuvw"]))
    assert response.status_code == 404
    assert t("This invitation link is not valid.") in main_part(response)
    assert Client().post(START, {"token": "abcdefghjkmnpqrstuvw"}).status_code == 404


def test_an_invitation_works_once(world: World, wave: Wave) -> None:
    invitation, token = invite(wave, world.dinkes)
    link = reverse("surveys-respond-invitation", args=[token])
    client = Client()
    client.post(START, {"token": token})
    answer_all(client, wave)
    invitation.refresh_from_db()
    assert invitation.used

    for second in (client, Client()):
        response = second.get(link)
        assert response.status_code == 410
        assert t("This invitation has been used") in main_part(response)
        assert second.post(START, {"token": token}).status_code == 410
    assert Response.objects.count() == 1 and not Draft.objects.exists()


def test_reopening_the_invitation_continues_the_draft(world: World, wave: Wave) -> None:
    _invitation, token = invite(wave, world.dinkes)
    Client().post(START, {"token": token})
    phone = Client()  # the same link opened later, on another device
    first = phone.get(reverse("surveys-respond-invitation", args=[token]))
    assert first.status_code == 302 and first["Location"] == page_url(wave, 1)
    answer(phone, wave, 1, GOOD_ANSWERS[0])
    later = Client().get(reverse("surveys-respond-invitation", args=[token]))
    assert later["Location"] == page_url(wave, 2)
    assert Draft.objects.count() == 1


def test_an_invitation_to_a_closed_wave_says_so(world: World, wave: Wave) -> None:
    _invitation, token = invite(wave, world.dinkes)
    Wave.objects.filter(pk=wave.pk).update(status=Wave.Status.CLOSED)
    response = Client().get(reverse("surveys-respond-invitation", args=[token]))
    assert response.status_code == 410
    assert Client().post(START, {"token": token}).status_code == 410
    assert not Draft.objects.exists()
    assert not Invitation.objects.get().used


def test_an_invitation_answered_on_another_device_says_so_on_the_first(
    world: World, wave: Wave
) -> None:
    _invitation, token = invite(wave, world.dinkes)
    laptop, phone = Client(), Client()
    laptop.post(START, {"token": token})
    phone.get(reverse("surveys-respond-invitation", args=[token]))
    answer_all(phone, wave)
    response = laptop.get(page_url(wave, 1))
    assert response.status_code == 410
    assert t("This invitation has been used") in main_part(response)


def test_refusals_are_not_logged_with_their_path(
    wave: Wave, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    token = "abcdefghjkmnpqrstuvw"
    link = reverse("surveys-respond-invitation", args=[token])
    assert Client().get(link).status_code == 404
    assert Client().post(link).status_code == 405
    assert Client().get(page_url(wave, 1)).status_code == 404
    assert token not in caplog.text
    assert not [r for r in caplog.records if r.name == "django.request"]


def test_a_link_whose_respondents_have_no_questions_says_so(world: World) -> None:
    staff_only = {
        "code": "staff-only",
        "title": "Khusus pegawai",
        "sections": [
            {
                "code": "s",
                "title": "Pegawai",
                "respondent_types": ["internal"],
                "questions": [{"code": "Q1", "type": "yesno", "choices": [("yes", "Ya", None)]}],
            }
        ],
    }
    wave = make_wave(world.dinkes, staff_only, respondent_types=["public", "internal"])
    response = Client().get(public_url(wave))
    assert response.status_code == 404
    assert t("Nothing to answer here") in main_part(response)
    assert start(Client(), wave, "public").status_code == 404
    assert not Draft.objects.exists()
