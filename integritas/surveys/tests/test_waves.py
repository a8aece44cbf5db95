"""Wave services: creation, status, populations and targets, invitations, reminders, progress."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from integritas.audit.models import Event
from integritas.core.testing import World
from integritas.surveys import tokens
from integritas.surveys.imports.invitations import InvitationReport, invitations_import
from integritas.surveys.models import (
    Instrument,
    Invitation,
    Response,
    Service,
    Wave,
)
from integritas.surveys.services import waves
from integritas.surveys.testing import build_version, build_wave

pytestmark = pytest.mark.django_db
BASE = "https://integritas.example.go.id"


def new_wave(world: World, **fields: object) -> Wave:
    version = build_version()
    today = timezone.localdate()
    return waves.wave_create(
        version=version,
        code=str(fields.pop("code", "skm-2026")),
        title="SKM 2026",
        opens_on=today,
        closes_on=today + dt.timedelta(days=30),
        respondent_types=["public"],
        units=[world.dinkes, world.disdik],
        **fields,  # type: ignore[arg-type]
    )


def test_a_wave_starts_as_a_draft_with_its_units_and_an_audit_event(world: World) -> None:
    wave = new_wave(world)
    assert wave.status == Wave.Status.DRAFT
    assert sorted(wave.wave_units.values_list("unit__code", flat=True)) == ["DINKES", "DISDIK"]
    assert len({wu.public_code for wu in wave.wave_units.all()}) == 2
    event = Event.objects.get(action="wave.created")
    assert event.changes["units"] == [None, 2]


def test_a_satisfaction_wave_gets_a_link_for_every_active_service(world: World) -> None:
    Service.objects.create(unit=world.dinkes, code="KIA", name="Layanan KIA")
    Service.objects.create(unit=world.dinkes, code="OLD", name="Lama", is_active=False)
    wave = new_wave(world)
    assert Instrument.objects.get().kind == Instrument.Kind.SATISFACTION
    services = [ws.service.code for wu in wave.wave_units.all() for ws in wu.wave_services.all()]
    assert services == ["KIA"]


def test_only_a_published_version_can_be_used(world: World) -> None:
    draft = build_version(publish=False)
    with pytest.raises(ValidationError, match="published"):
        waves.wave_create(
            version=draft,
            code="x",
            title="x",
            opens_on=dt.date(2026, 1, 1),
            closes_on=dt.date(2026, 2, 1),
            respondent_types=["public"],
            units=[world.dinkes],
        )
    assert not Wave.objects.exists()


def test_dates_respondent_types_and_units_are_checked(world: World) -> None:
    version = build_version()
    base = {
        "version": version,
        "code": "x",
        "title": "x",
        "units": [world.dinkes],
        "respondent_types": ["public"],
    }
    with pytest.raises(ValidationError, match="closing date"):
        waves.wave_create(**base, opens_on=dt.date(2026, 2, 1), closes_on=dt.date(2026, 1, 1))  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="Unknown respondent type"):
        waves.wave_create(
            **{**base, "respondent_types": ["aliens"]},
            opens_on=dt.date(2026, 1, 1),
            closes_on=dt.date(2026, 2, 1),
        )  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="at least one unit"):
        waves.wave_create(
            **{**base, "units": []}, opens_on=dt.date(2026, 1, 1), closes_on=dt.date(2026, 2, 1)
        )  # type: ignore[arg-type]
    assert not Wave.objects.exists()


def test_status_moves_draft_open_closed_and_may_reopen(world: World) -> None:
    wave = new_wave(world)
    with pytest.raises(ValidationError, match="cannot go"):
        waves.wave_set_status(wave=wave, status=Wave.Status.CLOSED)
    waves.wave_set_status(wave=wave, status=Wave.Status.OPEN)
    assert wave.accepts_responses()
    waves.wave_set_status(wave=wave, status=Wave.Status.CLOSED, reason="selesai")
    assert not wave.accepts_responses()
    waves.wave_set_status(wave=wave, status=Wave.Status.OPEN, reason="diperpanjang")
    assert [e.action for e in Event.objects.filter(object_type="surveys.wave").order_by("seq")] == [
        "wave.created",
        "wave.opened",
        "wave.closed",
        "wave.opened",
    ]


def test_an_open_wave_accepts_answers_only_between_its_dates(world: World) -> None:
    wave = new_wave(world)
    waves.wave_set_status(wave=wave, status=Wave.Status.OPEN)
    assert not wave.accepts_responses(today=wave.opens_on - dt.timedelta(days=1))
    assert wave.accepts_responses(today=wave.closes_on)
    assert not wave.accepts_responses(today=wave.closes_on + dt.timedelta(days=1))


def test_populations_give_targets_by_the_chosen_formula(world: World) -> None:
    wave = new_wave(world, margin_of_error=Decimal("0.05"), sample_method=Wave.SampleMethod.SLOVIN)
    dinkes = wave.wave_units.get(unit=world.dinkes)
    assert waves.wave_set_populations(wave=wave, populations={dinkes.pk: 1000}) == 1
    dinkes.refresh_from_db()
    assert (dinkes.population, dinkes.target) == (1000, 286)
    waves.wave_update(wave=wave, values={"sample_method": Wave.SampleMethod.KREJCIE_MORGAN})
    dinkes.refresh_from_db()
    assert dinkes.target == 278
    assert Event.objects.get(action="wave.populations_set").changes == {"DINKES": [None, 1000]}


def test_a_unit_with_responses_cannot_leave_the_wave(world: World) -> None:
    wave = new_wave(world)
    Response.objects.create(
        wave=wave,
        unit=world.dinkes,
        respondent_type="public",
        submitted_on=wave.opens_on,
        answers=Response.pack([0, 1, 1, 0]),
    )
    with pytest.raises(ValidationError, match="already has responses"):
        waves.wave_remove_unit(wave_unit=wave.wave_units.get(unit=world.dinkes))
    waves.wave_remove_unit(wave_unit=wave.wave_units.get(unit=world.disdik))
    assert list(wave.wave_units.values_list("unit__code", flat=True)) == ["DINKES"]


def test_progress_counts_responses_and_used_invitations_per_unit(world: World) -> None:
    wave = build_wave(build_version(), [world.dinkes, world.disdik])
    wave.wave_units.filter(unit=world.dinkes).update(population=100, target=80)
    for _ in range(20):
        Response.objects.create(
            wave=wave,
            unit=world.dinkes,
            respondent_type="public",
            submitted_on=wave.opens_on,
            answers=b"",
        )
    Invitation.objects.create(
        wave=wave, unit=world.dinkes, email="a@x.test", token_digest="a", used=True
    )
    Invitation.objects.create(wave=wave, unit=world.dinkes, email="b@x.test", token_digest="b")
    rows = {r.wave_unit.unit.code: r for r in waves.progress(wave)}
    assert (
        rows["DINKES"].responses,
        rows["DINKES"].invited,
        rows["DINKES"].used,
        rows["DINKES"].percent,
    ) == (20, 2, 1, 25.0)
    assert (rows["DISDIK"].responses, rows["DISDIK"].percent) == (0, None)


CSV_GOOD = b"unit_code;email;phone\nDINKES;ani@dinkes.example;\nDISDIK;;0812 3456 7890\ndinkes;budi@dinkes.example;\n"


def invite(world: World, data: bytes) -> tuple[Wave, InvitationReport]:
    wave = build_wave(build_version(), [world.dinkes, world.disdik], respondent_types=["internal"])
    return wave, invitations_import(wave=wave, data=data, filename="pegawai.csv", base_url=BASE)


def test_invitations_are_emailed_with_single_use_links_and_only_digests_are_stored(
    world: World,
) -> None:
    wave, report = invite(world, CSV_GOOD)
    assert report.ok and report.emailed == 2
    assert [m.to for m in mail.outbox] == [["ani@dinkes.example"], ["budi@dinkes.example"]]
    links = [
        re.search(r"https://integritas\.example\.go\.id(/s/\S+)", m.body).group(1)
        for m in mail.outbox
    ]  # type: ignore[union-attr]
    token = links[0].rstrip("/").split("/")[-1]
    invitation = Invitation.objects.get(email="ani@dinkes.example")
    assert invitation.token_digest == tokens.digest(token, purpose="invitation")
    assert token not in str(list(Invitation.objects.values()))
    # The phone-only row gets a link to pass on by hand, shown once and not stored.
    assert [(u, p) for u, p, _link in report.manual_links] == [("DISDIK", "081234567890")]
    assert Invitation.objects.filter(wave=wave).count() == 3
    event = Event.objects.get(action="wave.invitations_created")
    assert event.changes == {"invitations": [None, {"DINKES": 2, "DISDIK": 1}]}
    assert "ani@" not in str(event.changes)


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        (b"unit_code,email\nDINKES,not-an-email\n", "not a valid email"),
        (b"unit_code,email\nDISPERKIM,x@y.test\n", "not part of the wave"),
        (b"unit_code,email\nDINKES,\n", "email address or a phone"),
        (b"unit_code,email\nDINKES,a@y.test\nDISDIK,A@y.test\n", "Already listed on row 2"),
        (b"unit_code,phone\nDINKES,12\n", "8 to 15 digits"),
        (b"unit_code,email,nip\nDINKES,a@y.test,1\n", "Unknown column"),
        (b"email\na@y.test\n", "Required column"),
        (b"unit_code,email\n", "no rows"),
        (b"\x00\x01PK garbage", ""),
    ],
)
def test_a_bad_list_sends_nothing_and_says_why(world: World, data: bytes, fragment: str) -> None:
    _wave, report = invite(world, data)
    assert not report.ok
    assert fragment in " ".join(e.message for e in report.errors)
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_people_already_invited_are_refused(world: World) -> None:
    wave, _ = invite(world, CSV_GOOD)
    mail.outbox.clear()
    report = invitations_import(
        wave=wave,
        data=b"unit_code,email\nDINKES,ANI@dinkes.example\n",
        filename="x.csv",
        base_url=BASE,
    )
    assert [e.message for e in report.errors] == ["Already invited to this wave."]
    assert mail.outbox == []


def test_reminders_send_fresh_links_retire_old_ones_and_are_not_repeated_within_three_days(
    world: World,
) -> None:
    wave, _ = invite(world, CSV_GOOD)
    Invitation.objects.filter(email="budi@dinkes.example").update(used=True)
    ani = Invitation.objects.get(email="ani@dinkes.example")
    old_digest = ani.token_digest
    mail.outbox.clear()
    assert waves.send_reminders(wave=wave, base_url=BASE) == 0  # invited today: too soon
    with time_machine.travel(timezone.now() + dt.timedelta(days=4)):
        assert waves.send_reminders(wave=wave, base_url=BASE) == 1
        assert waves.send_reminders(wave=wave, base_url=BASE) == 0
    ani.refresh_from_db()
    assert ani.token_digest != old_digest and ani.reminded_on is not None
    assert [m.to for m in mail.outbox] == [["ani@dinkes.example"]]
    assert Event.objects.get(action="wave.reminders_sent").changes == {"reminders": [None, 1]}
