"""/gratifikasi/cek/: the public checker page, a GET form with the answer under it, in
Indonesian and English, for anyone, without a session."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from integritas.core.testing import World, client_for

pytestmark = pytest.mark.django_db

URL = "/gratifikasi/cek/"
GIFT = {
    "received_on": "2026-01-20",
    "category": "colleague",
    "value": "600000",
    "cash": "false",
    "giver_ytd": "",
    "duty_related": "false",
}


def get(client: Client | None = None, **params: Any) -> Any:
    return (client or Client()).get(URL, {**GIFT, **params})


def test_the_empty_form_is_shown_to_anyone_without_an_answer() -> None:
    response = Client().get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Apakah saya perlu melaporkan hadiah ini?" in page
    assert 'method="get"' in page and "<script" not in page
    assert response.context["result"] is None
    assert (
        response["Cache-Control"].startswith("max-age=0") or "no-store" in response["Cache-Control"]
    )


def test_a_gift_to_report_shows_the_rule_the_regulation_and_both_deadlines_in_indonesian() -> None:
    page = get().content.decode()
    assert "Laporkan hadiah ini" in page
    assert "Hadiah bukan uang dari rekan kerja" in page
    assert "Perkom 1/2026" in page
    assert "3 Februari 2026" in page and "5 Maret 2026" in page
    assert "Rp500.000" in page  # the limit crossed


def test_the_answer_reads_in_english_with_the_rules_english_name() -> None:
    page = get(client_for(None, language="en")).content.decode()
    assert "Report this gift" in page
    assert "Non-cash gift from a colleague" in page
    assert "3 February 2026" in page and "5 March 2026" in page


def test_a_gift_connected_to_duty_is_to_be_refused_without_deadlines() -> None:
    response = get(duty_related="true")
    page = response.content.decode()
    assert "Tolak hadiah ini" in page
    assert response.context["result"].deadline_upg is None
    assert "Pemberian yang berhubungan dengan jabatan wajib ditolak" in page


def test_a_gift_within_the_exemption_needs_no_report() -> None:
    page = get(value="500000").content.decode()
    assert "Tidak perlu dilaporkan" in page


def test_a_bad_value_is_shown_on_its_field_with_a_400() -> None:
    response = get(value="-1")
    assert response.status_code == 400
    assert response.context["form"].errors.keys() == {"value"}


def test_a_receipt_in_the_future_is_shown_on_the_date() -> None:
    response = get(received_on="2999-01-01")
    assert response.status_code == 400
    assert response.context["form"].errors.keys() == {"received_on"}


def test_a_signed_in_employee_gets_the_same_page_without_their_session(world: World) -> None:
    response = get(client_for(world.officer_a))
    assert response.status_code == 200
    assert "Laporkan hadiah ini" in response.content.decode()
    assert not response.wsgi_request.user.is_authenticated
