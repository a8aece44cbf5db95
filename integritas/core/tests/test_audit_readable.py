"""The audit trail, its exports and every history section read as words, not internals: kinds
of object in the reader's language, related objects by name, fields and choices by their labels,
dates and numbers formatted, system actors in words, actions by their labels.

The walk records one event of every registered audit action: the demo data records most of them
through the real services; the rest are recorded here in the shape their service gives them."""

from __future__ import annotations

import csv
import html
import io
import re
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import call_command
from django.template.loader import render_to_string
from django.utils import translation

from integritas import audit
from integritas.audit import labels
from integritas.audit.context import acting_as
from integritas.audit.models import Event
from integritas.complaints.models import Attachment, Channel, Report
from integritas.core import records
from integritas.core.models import FiscalYear, Government, Unit, User
from integritas.core.testing import body, client_for
from integritas.followup.models import ActionPlan, Recommendation
from integritas.indices.models import Institution, MethodSetting, WeakPoint
from integritas.surveys.models import Instrument, InstrumentVersion, Service, Wave

pytestmark = pytest.mark.django_db

APP_MODEL = re.compile(r"\b(?:core|audit|surveys|indices|followup|complaints)\.[a-z_]+\b")
UUID = re.compile(r"\b[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}\b", re.I)
ISO_MOMENT = re.compile(r"\b\d{4}-\d{2}-\d{2}\b|\b\d{2}:\d{2}:\d{2}\b")
# Field labels that read the same in Indonesian as their names.
SAME_WORD = {"status", "email", "nip", "format"}
# A field name, a choice code or a command name as stored: words joined by underscores (not a
# placeholder such as {roman_month} that a person typed into a pattern).
SNAKE = re.compile(r"(?<!\{)\b[a-z]+(?:_[a-z0-9]+)+\b(?!\})")


def _first(model: Any) -> Any:
    obj = model.objects.order_by("pk").first()
    assert obj is not None, model
    return obj


EDU_EVENT = {"object_type": "education.event", "object_id": "1", "object_label": "Sosialisasi"}


def record_the_rest() -> None:
    """One event of each registered action the demo does not record, as its service records it."""
    unit, user, wave = _first(Unit), _first(User), _first(Wave)
    plan, recommendation = _first(ActionPlan), _first(Recommendation)
    version, instrument = _first(InstrumentVersion), _first(Instrument)
    report = _first(Report)
    attachment = Attachment.objects.filter(report=report).first()
    attachment_id = str(attachment.public_id) if attachment else str(uuid.uuid4())
    setting = MethodSetting.objects.order_by("pk").first()
    holiday = {"object_type": "core.holiday", "object_id": "7", "object_label": "Hari Buruh"}
    samples: dict[str, dict[str, Any]] = {
        "government.updated": {"obj": Government.current(), "changes": {"phone": ["1", "2"]}},
        "fiscal_year.updated": {
            "obj": _first(FiscalYear),
            "changes": {"status": ["open", "closed"], "ends_on": ["2024-12-30", "2024-12-31"]},
        },
        "unit.imported": {
            "object_type": "core.unit",
            "object_label": "unit-baru.xlsx",
            "changes": {
                "file": "unit-baru.xlsx",
                "rows": 12,
                "created": [unit.code],
                "updated": [],
                "unchanged": [],
            },
        },
        "holiday.created": {**holiday, "changes": {"date": [None, "2026-05-01"]}},
        "holiday.updated": {**holiday, "changes": {"kind": ["national", "collective_leave"]}},
        "holiday.deleted": {
            **holiday,
            "changes": {"date": ["2026-05-01", None], "kind": ["national", None]},
        },
        "holiday.imported": {
            "object_type": "core.holidayyear",
            "object_label": "2026",
            "changes": {"file": "libur.xlsx", "rows": 20, "created": 20, "replaced": 0},
        },
        "holiday_year.created": {
            "object_type": "core.holidayyear",
            "object_label": "2026",
            "changes": {"year": [None, 2026], "confirmed": [None, True]},
        },
        "holiday_year.updated": {
            "object_type": "core.holidayyear",
            "object_label": "2026",
            "changes": {"decree": ["", "SKB 3 Menteri"]},
        },
        "calendar.settings_changed": {
            "object_type": "core.calendarsettings",
            "object_label": "Kalender",
            "changes": {"collective_leave_is_day_off": [False, True]},
        },
        "user.updated": {"obj": user, "changes": {"unit": [None, str(unit)]}},
        "user.language_changed": {"obj": user, "changes": {"language": ["id", "en"]}},
        "role.revoked": {"obj": user, "changes": {"role": ["unit_officer", None]}},
        "auth.login_failed": {"object_type": "core.user", "object_label": "?"},
        "recommendation.updated": {
            "obj": recommendation,
            "changes": {
                "reference_date": ["2026-06-01", "2026-07-01"],
                "amount_to_recover": ["1500.50", "3841.5"],
            },
        },
        "recommendation.reopened": {
            "obj": recommendation,
            "changes": {"status": ["closed", "issued"]},
            "reason": "Ditutup keliru: bukti setor belum lengkap.",
        },
        "activity.deleted": {"obj": plan, "changes": {"activity": ["Rapat koordinasi", None]}},
        "followup.reminders_sent": {
            "object_type": "followup.reminders",
            "object_id": "2026-12-06",
            "object_label": "6 Desember 2026",
            "changes": {"notifications": [None, {"overdue": 2}], "emails": [None, 2]},
        },
        "complaints.original_opened": {
            "obj": report,
            "changes": {"attachment": [None, attachment_id]},
        },
        "complaints.access_granted": {"obj": report, "changes": {"holder": [None, str(user)]}},
        "education.material_removed": {
            "object_type": "education.material",
            "object_id": "1",
            "object_label": "Bahan paparan",
            "changes": {"event": "EDU-2026-001", "title": ["Bahan paparan", None]},
        },
        "education.event_unpublished": {
            "object_type": "education.event",
            "object_id": "1",
            "object_label": "Sosialisasi gratifikasi",
            "changes": {"published_at": ["2026-12-01T09:00:00+00:00", None]},
            "reason": "Acara khusus pegawai",
        },
        "education.test_updated": {
            "object_type": "education.event",
            "object_id": "1",
            "object_label": "Sosialisasi gratifikasi",
            "changes": {
                "questions": [0, 10],
                "certificate_needs_pass": [False, True],
                "pass_mark": [70, 75],
            },
        },
        "education.test_phase_opened": {
            "object_type": "education.event",
            "object_id": "1",
            "object_label": "Sosialisasi gratifikasi",
            "changes": {"phase": "pre"},
        },
        "education.test_phase_closed": {
            "object_type": "education.event",
            "object_id": "1",
            "object_label": "Sosialisasi gratifikasi",
            "changes": {"phase": "post"},
        },
        "education.test_scores_imported": {
            "object_type": "education.event",
            "object_id": "1",
            "object_label": "Sosialisasi gratifikasi",
            "changes": {"file": "nilai-kertas.xlsx", "pre": 40, "post": 38},
        },
        "education.invitees_added": {
            **EDU_EVENT,
            "changes": {"invitees": [0, 2], "units": [None, [unit.code]]},
        },
        "education.invitee_removed": {**EDU_EVENT, "changes": {"invitees": [2, 1]}},
        "education.invitation_letter_saved": {
            **EDU_EVENT,
            "changes": {"letter_number": [None, "005/1/ITDA/2026"]},
        },
        "education.invitations_emailed": {**EDU_EVENT, "changes": {"emails": [None, 3]}},
        "education.evidence_linked": {
            **EDU_EVENT,
            "changes": {"followup_activity": [None, "REK-2026-001 · DINKES · Sosialisasi"]},
        },
        "education.evidence_unlinked": {
            **EDU_EVENT,
            "changes": {"followup_activity": ["REK-2026-001 · DINKES · Sosialisasi", None]},
        },
        "complaints.report_purged": {
            "object_type": "complaints.report",
            "object_id": str(uuid.uuid4()),
            "object_label": str(report),
            "changes": {"channel": ["web", None], "received_on": ["2026-01-05", None]},
        },
        "complaints.overdue_alerts_sent": {
            "object_type": "complaints.report",
            "changes": {"notifications": [None, 3]},
            "actor_label": "complaint_alerts",
        },
        "complaints.receipt_lookups_paused": {
            "object_type": "complaints.report",
            "changes": {"notifications": [None, 2]},
        },
        "indices.updated": {
            "obj": wave,
            "changes": {"units": [None, 3], "responses": [1200, 1250], "results": [None, 40]},
        },
        "indices.weak_point_dismissed": {
            "obj": _first(WeakPoint),
            "changes": {"status": ["open", "dismissed"]},
        },
        "indices.weak_point_reopened": {
            "obj": _first(WeakPoint),
            "changes": {"status": ["resolved", "addressed"]},
        },
        "indices.institution_updated": {
            "obj": _first(Institution),
            "changes": {"previous_own": [["kota-sumberjaya"], []]},
        },
        "indices.institutions_imported": {
            "object_type": "indices.institution",
            "object_label": "lembaga.csv",
            "changes": {"file": "lembaga.csv", "rows": 3, "created": ["Kota Karyapura"]},
        },
        "wave.updated": {"obj": wave, "changes": {"closes_on": ["2025-12-15", "2025-12-31"]}},
        "wave.units_added": {"obj": wave, "changes": {"units": [None, [unit.code]]}},
        "wave.unit_removed": {"obj": wave, "changes": {"units": [unit.code, None]}},
        "wave.invitations_created": {
            "obj": wave,
            "changes": {"invitations": [None, {unit.code: 4}]},
        },
        "wave.reminders_sent": {"obj": wave, "changes": {"reminders": [None, 12]}},
        "wave.responses_exported": {
            "obj": wave,
            "changes": {
                "format": [None, "xlsx"],
                "values": [None, "labels"],
                "responses": [None, 3841],
                "withheld": [None, 12],
            },
        },
        "wave.responses_imported": {
            "obj": wave,
            "changes": {"file": [None, "jawaban.csv"], "responses": [None, 250]},
        },
        "wave.import_submitted": {"obj": wave, "changes": {"file": [None, "jawaban.csv"]}},
        "wave.import_rejected": {
            "obj": wave,
            "changes": {"file": [None, "jawaban.csv"], "problems": [None, 4]},
        },
        "service.updated": {"obj": _first(Service), "changes": {"is_active": [True, False]}},
        "instrument.version_deleted": {"obj": instrument, "changes": {"version": [2, None]}},
        "instrument.question_changed": {
            "obj": version,
            "changes": {"type": ["likert4", "likert6"], "required": [True, False]},
        },
    }
    if setting is not None:
        samples["method_setting.updated"] = {
            "obj": setting,
            "changes": {"precision": ["2", "3"]},
        }
    with acting_as(label="send_reminders"):
        for action in sorted(labels.ACTION_LABELS):
            if Event.objects.filter(action=action).exists():
                continue
            sample = samples.get(action) or {"obj": _sample_object(action)}
            audit.record(action, **sample)


def _sample_object(action: str) -> Any:
    prefix = action.split(".", 1)[0]
    by_prefix: dict[str, Any] = {
        "auth": User,
        "user": User,
        "role": User,
        "complaints": User,
        "instrument": InstrumentVersion,
        "method_setting": MethodSetting,
        "indices": Institution,
        "plan": ActionPlan,
    }
    model = by_prefix.get(prefix)
    if model is None or not model.objects.exists():
        return _first(Unit)
    return _first(model)


@pytest.fixture
def trail(settings: Any) -> None:
    settings.DEMO_MODE = True
    call_command("seed_demo", stdout=io.StringIO())
    record_the_rest()


def readable_text(markup: str) -> str:
    """What a person reads in the page's tables and its filters' choices: the text between the
    tags."""
    tables = re.findall(r"<table\b.*?</table>|<select\b.*?</select>", markup, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", " ".join(tables)))


def problems_in(text: str, action: str) -> Iterator[str]:
    for pattern in (APP_MODEL, UUID, ISO_MOMENT, SNAKE):
        for found in pattern.findall(text):
            yield f"{action}: {found!r}"
    if action in text:
        yield f"{action}: the action's code"


def test_the_audit_page_shows_an_event_of_every_registered_action_in_words(trail: None) -> None:
    assert set(labels.ACTION_LABELS) <= set(Event.objects.values_list("action", flat=True))
    client = client_for(User.objects.get(username="admin"))
    problems: list[str] = []
    for action in sorted(labels.ACTION_LABELS):
        response = client.get("/audit/", {"action": action})
        assert response.status_code == 200
        if action not in dict(response.context["form"].fields["action"].choices):
            # Events about reports are shown only to those who may read the report (below).
            assert action.startswith("complaints."), action
            continue
        rows = response.context["rows"]
        assert rows and {row.event.action for row in rows} == {action}, action
        text = readable_text(response.content.decode())
        assert labels.action_label(action) in text
        problems += problems_in(text, action)
    assert problems == [], "\n".join(problems)


def test_the_export_shows_every_event_in_words(trail: None) -> None:
    client = client_for(User.objects.get(username="admin"))
    for fmt in ("csv",):
        response = client.get("/audit/", {"export": fmt})
        rows = list(csv.reader(io.StringIO(body(response).decode("utf-8-sig"))))
        assert rows[0][:4] == ["Nomor urut", "Waktu", "Pelaku", "Tindakan"]
        problems = [
            p for row in rows[1:] for p in problems_in(" | ".join(row[:-1]), row[3] + f" #{row[0]}")
        ]
        assert problems == [], "\n".join(problems)
        assert {row[3] for row in rows[1:]} >= {
            labels.action_label(a) for a in labels.ACTION_LABELS if not a.startswith("complaints.")
        }


def test_every_history_section_shows_its_events_in_words(trail: None) -> None:
    problems: list[str] = []
    with translation.override("id"):
        for action in sorted(labels.ACTION_LABELS):
            events = list(Event.objects.filter(action=action)[:5])
            for event, row in zip(events, records.readable(events), strict=True):
                for name, change in zip(event.changes, row.changes, strict=True):
                    if change.label.casefold() == name.casefold() not in SAME_WORD:
                        problems.append(f"{action}: the field {name!r} has no label")
            text = readable_text(
                "<main>" + render_to_string("_history.html", {"history": events}) + "</main>"
            )
            problems += problems_in(text, action)
    assert problems == [], "\n".join(problems)


def test_dates_numbers_kinds_units_and_system_actors_read_as_in_indonesian(trail: None) -> None:
    client = client_for(User.objects.get(username="admin"))
    page = readable_text(
        client.get("/audit/", {"action": "recommendation.updated"}).content.decode()
    )
    assert "1 Juli 2026" in page and "3.841,5" in page and "1.500,50" in page
    assert "Rekomendasi" in page  # the kind of object
    page = readable_text(client.get("/audit/", {"action": "plan.submit"}).content.decode())
    assert "Rencana aksi" in page and "Diajukan" in page
    page = readable_text(client.get("/audit/", {"action": "wave.units_added"}).content.decode())
    unit = Unit.objects.order_by("pk").first()
    assert unit is not None and str(unit) in page
    page = readable_text(client.get("/audit/", {"action": "unit.created"}).content.decode())
    assert "Data demo" in page and "seed_demo" not in page
    page = readable_text(client.get("/audit/", {"action": "wave.reminders_sent"}).content.decode())
    assert "Tugas terjadwal" in page
    # A report's label recorded in English reads in the reader's language.
    event = Event.objects.filter(object_type="complaints.report").exclude(object_label="").first()
    assert event is not None and event.object_label.startswith("Whistleblowing (corruption")
    with translation.override("id"):
        (row,) = records.readable([event])
        assert row.object == f"{Channel.WHISTLEBLOWING.label} {event.object_label[-8:]}"
    assert row.object.startswith("Whistleblowing (korupsi")


def test_the_search_finds_events_by_what_a_person_reads(trail: None) -> None:
    client = client_for(User.objects.get(username="admin"))

    def found(**params: str) -> set[str]:
        response = client.get("/audit/", params)
        return {e.action for e in response.context["page"].object_list}

    assert "plan.submit" in found(q="Rencana aksi diajukan")  # the action's label
    assert "plan.approve" in found(q="rencana aksi")  # the kind of object
    assert found(q="Data demo") and all(
        e.actor_id is None for e in Event.objects.filter(actor_label="seed_demo")
    )
    unit = Unit.objects.get(code="DINKES")
    assert "recommendation.issued" in found(q=unit.name)  # a unit named by its code
    assert "plan.submit_evidence" in found(q="Bukti dukung diajukan")  # a choice's label
    assert found(q="Hadi Permana")  # an actor
    assert "recommendation.updated" in found(q="1 Juli 2026")  # a date as it reads
    assert "recommendation.updated" in found(q="3.841,5")  # a number as it reads
    narrowed = found(q="rencana aksi", action="plan.approve")
    assert narrowed == {"plan.approve"}
    assert found(q="tidak ada yang seperti ini") == set()
