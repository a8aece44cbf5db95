"""Proof that a response cannot be joined to its token or its respondent (DOMAIN.md, "Anonymity
rules for all surveys"; docs/survey-anonymity.md).

A respondent with a recognisable address and user agent answers through the real pages, once
with an invitation and once through a public link. Afterwards:

- the response row has only the fields of an anonymous answer (no token, digest, account,
  address, user agent or time of day; a date, not a datetime);
- the invitation ledger says only "used": no time of use, no pointer to the response;
- no draft remains, and nothing about the respondent went into the audit trail or the logs;
- no table holds the token, the address or the user agent, and neither do the raw bytes of the
  SQLite database (deleted drafts included: they are zeroed, not left in free pages);
- the rate limiter's cache holds no address.

These tests commit for real (``transaction=True``) so the raw database is what a copy of the file
would be.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection, models
from django.test import Client
from django.urls import reverse

from integritas.audit.models import Event
from integritas.core.testing import World
from integritas.surveys.models import Draft, Invitation, Response, Wave
from integritas.surveys.services import respond
from integritas.surveys.tests.test_respond_helpers import (
    GOOD_ANSWERS,
    answer_all,
    cookie_value,
    invite,
    make_wave,
    start,
)

pytestmark = pytest.mark.django_db(transaction=True)

ADDRESS = "198.51.100.203"
USER_AGENT = "AnonymityProbe/7.3 (Linux; Android 14; unique-ua-5e1f0c)"
# The only fields a response may have. A new field must be argued for here first.
RESPONSE_FIELDS = {
    "id",
    "wave",
    "unit",
    "service",
    "respondent_type",
    "submitted_on",
    "answers",
    "extra",
    "source",
    "batch",
}


@dataclass
class Answered:
    wave: Wave
    secrets: list[str]  # what must appear nowhere: token or resume code, their draft digests
    logs: str
    events_before: int
    invitation: Invitation | None = None


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


def respondent() -> Client:
    return Client(REMOTE_ADDR=ADDRESS, HTTP_USER_AGENT=USER_AGENT)


@pytest.fixture(params=["invitation", "public link"])
def answered(request: pytest.FixtureRequest, world: World, caplog: Any) -> Answered:
    wave = make_wave(world.dinkes)
    events_before = Event.objects.count()
    client = respondent()
    invitation = None
    caplog.set_level(logging.DEBUG)
    if request.param == "invitation":
        invitation, token = invite(
            wave, world.dinkes, email="pegawai@example.go.id", invited_on=dt.date(2026, 1, 5)
        )
        assert client.get(reverse("surveys-respond-invitation", args=[token])).status_code == 200
        client.post(reverse("surveys-respond-start"), {"token": token})
        secret = token
    else:
        start(client, wave)
        secret = cookie_value(client).partition(":")[2]
    kind, _sep, held = cookie_value(client).partition(":")
    assert held == secret
    answer_all(client, wave)
    logs = "\n".join(f"{r.name} {r.getMessage()} {r.__dict__!r}" for r in caplog.records)
    return Answered(
        wave=wave,
        secrets=[secret, respond.draft_digest(kind, secret)],
        logs=logs,
        events_before=events_before,
        invitation=invitation,
    )


def forbidden(answered: Answered) -> list[str]:
    return [*answered.secrets, ADDRESS, USER_AGENT]


def test_the_response_row_holds_nothing_that_points_at_a_respondent(answered: Answered) -> None:
    response = Response.objects.get()
    fields = {f.name: f for f in Response._meta.concrete_fields}
    assert set(fields) == RESPONSE_FIELDS
    for field in fields.values():
        assert not isinstance(field, models.DateTimeField | models.TimeField), field.name
        if field.is_relation:
            assert field.related_model not in (Invitation, Draft, settings.AUTH_USER_MODEL)
            assert field.related_model._meta.label != settings.AUTH_USER_MODEL
    assert type(response.submitted_on) is dt.date
    assert response.batch is None and response.source == Response.Source.WEB
    values = " ".join(repr(getattr(response, f.attname)) for f in fields.values())
    for secret in forbidden(answered):
        assert secret not in values
    if answered.invitation is not None:
        assert answered.invitation.token_digest not in values


@pytest.mark.parametrize("answered", ["invitation"], indirect=True)  # public links have no ledger
def test_the_invitation_ledger_knows_only_that_it_was_used(answered: Answered) -> None:
    assert answered.invitation is not None
    ledger = Invitation.objects.get()
    assert ledger.used
    for field in Invitation._meta.concrete_fields:
        assert not isinstance(field, models.DateTimeField | models.TimeField), field.name
        assert not (field.is_relation and field.related_model is Response), field.name
    # Its dates are the invitation's own (sent, reminded), untouched by answering.
    assert (ledger.invited_on, ledger.reminded_on) == (dt.date(2026, 1, 5), None)
    assert not any(f.related_model is Invitation for f in Response._meta.concrete_fields)


def test_no_draft_remains_and_no_audit_event_or_log_line_is_about_the_respondent(
    answered: Answered,
) -> None:
    assert not Draft.objects.exists()
    assert Event.objects.count() == answered.events_before
    for secret in forbidden(answered):
        assert secret not in answered.logs


def test_no_table_holds_the_token_the_address_or_the_user_agent(answered: Answered) -> None:
    hits = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            for row in cursor.fetchall():
                text = " ".join(
                    bytes(v).decode("latin-1") if isinstance(v, bytes | memoryview) else str(v)
                    for v in row
                )
                hits += [(table, s) for s in forbidden(answered) if s in text]
    assert hits == []


@pytest.mark.skipif(connection.vendor != "sqlite", reason="reads the raw SQLite database")
def test_the_raw_database_bytes_hold_none_of_them_not_even_in_free_pages(
    answered: Answered,
) -> None:
    raw = connection.connection.serialize()  # type: ignore[union-attr]
    assert b"Antrean lebih cepat" in raw  # the answers are there (the scan sees real content)
    for secret in forbidden(answered):
        assert secret.encode() not in raw, secret


def test_the_rate_limiter_keeps_no_address(answered: Answered) -> None:
    held = " ".join(f"{key} {value!r}" for key, value in cache.entries().items())  # type: ignore[attr-defined]
    assert ADDRESS not in held and USER_AGENT not in held


def test_the_answers_survive_intact(answered: Answered) -> None:
    response = Response.objects.get()
    decoded = respond.schema_for(answered.wave).decode(
        Response.unpack(response.answers), response.extra
    )
    assert decoded["suggestion"] == GOOD_ANSWERS[2]["suggestion"]
