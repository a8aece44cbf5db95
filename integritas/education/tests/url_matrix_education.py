"""Rows of the role × page matrix for the education pages (gathered by core's matrix test).

Staff pages: the Inspectorate runs events (create, change, check-in); leadership and
administrators read them; everyone else gets 403 on the list and 404 on an event. Public pages
under /acara/ answer everyone alike: they know no accounts."""

from __future__ import annotations

from typing import Any

from integritas.core.testing import World, row
from integritas.education.models import Certificate, Event, Material, Phase, Question, Registration
from integritas.education.services import assessment, certificates, checkin, invitations, tickets
from integritas.education.services import registration as registrations
from integritas.education.services.registration import Person


def event(w: World) -> Event:
    found = Event.objects.filter(title="Matrix event").first()
    if found is None:
        from integritas.education.tests.conftest import make_event

        found = make_event(w, title="Matrix event")
    return found


def code(w: World) -> dict[str, Any]:
    return {"code": event(w).code}


def token(w: World) -> dict[str, Any]:
    current = event(w)
    reg = Registration.objects.filter(event=current).first() or registrations.register(
        event=current, person=Person("Peserta", "Dinas", "staff", email="peserta@example.test")
    )
    return {"token": registrations.link_token(reg)}


def material(w: World) -> dict[str, Any]:
    current = event(w)
    found = current.materials.first() or Material.objects.create(
        event=current, title="Bahan", url="https://example.test/bahan.pdf"
    )
    return {"code": current.code, "public_id": found.public_id}


def certificate(w: World) -> dict[str, Any]:
    """The matrix event's certificate for a participant who checked in."""
    current = event(w)
    found = Certificate.objects.filter(registration__event=current).first()
    if found is None:
        reg = registrations.register(
            event=current, person=Person("Hadir", "Dinas", "staff", email="hadir@example.test")
        )
        checkin.check_in(event=current, code=tickets.code_for(reg.ticket), by=w.inspector)
        certificates.issue_for_event(event=current, by=w.inspector)
        found = Certificate.objects.get(registration=reg)
    return {"code": current.code, "serial": found.serial}


def serial(w: World) -> dict[str, Any]:
    return {"serial": certificate(w)["serial"]}


def certificate_token(w: World) -> dict[str, Any]:
    found = Certificate.objects.get(serial=certificate(w)["serial"])
    return {"token": registrations.link_token(found.registration)}


def question(w: World) -> dict[str, Any]:
    """A question of the bank that no test uses (so it may be changed and deleted)."""
    found = Question.objects.filter(text="Matrix question").first()
    if found is None:
        found = assessment.question_save(
            question=Question(),
            values={
                "theme": "gratification",
                "kind": "true_false",
                "text": "Matrix question",
                "explanation": "",
            },
            options=[],
            correct=0,
            by=w.inspector,
        )
    return {"public_id": found.public_id}


def open_test(w: World) -> dict[str, Any]:
    """The matrix event with its pre-test open (one question), for the participant's page."""
    current = event(w)
    test = assessment.test_for(current)
    if not test.pre_open:
        used = assessment.question_save(
            question=Question(),
            values={"theme": "gratification", "kind": "true_false", "text": "Q", "explanation": ""},
            options=[],
            correct=0,
            by=w.inspector,
        )
        assessment.test_update(
            event=current, questions=[used], certificate_needs_pass=False, pass_mark=70, by=None
        )
        assessment.open_phase(event=current, phase=Phase.PRE, by=None)
    return {"code": current.code}


def phase(w: World) -> dict[str, Any]:
    return {**code(w), "phase": "pre", "action": "buka"}


def invitee(w: World) -> dict[str, Any]:
    current = event(w)
    found = current.invitees.first() or invitations.add_guest(
        event=current,
        guest=invitations.Guest("Undangan", "Harian", "press", "undangan@example.test"),
        by=w.inspector,
    )
    return {"code": current.code, "public_id": found.public_id}


def invitation_token(w: World) -> dict[str, Any]:
    """A personal link of an invitee who has not registered (the form, not the ticket)."""
    current = event(w)
    found = current.invitees.filter(registration__isnull=True, email="").first()
    if found is None:
        found = invitations.add_guest(
            event=current,
            guest=invitations.Guest("Belum", "Warga", "public", phone="081200000001"),
            by=w.inspector,
        )
    return {"token": invitations.link_token(found)}


def letter(w: World) -> dict[str, Any]:
    current = event(w)
    if not hasattr(current, "invitation_letter"):
        import datetime as dt

        invitations.save_letter(
            event=current,
            number="005/1/ITDA",
            letter_date=dt.date(2026, 12, 1),
            place="Kota Uji",
            subject="Undangan",
            note="",
            signer=w.inspector_general,
            by=w.inspector,
        )
    return {"code": current.code}


def report(w: World) -> dict[str, Any]:
    """The matrix event with its report written."""
    current = event(w)
    from integritas.education.services import report as reports

    if reports.report_of(current) is None:
        reports.save(
            event=current,
            purpose="Tujuan",
            basis="",
            summary="Ringkasan",
            commitments="",
            signer=w.inspector_general,
            by=w.inspector,
        )
    return {"code": current.code}


def material_file(w: World) -> dict[str, Any]:
    """An uploaded file among the matrix event's materials (the event is public)."""
    import io

    from PIL import Image

    from integritas.education.services import events as events_services

    current = event(w)
    found = current.materials.exclude(file="").first()
    if found is None:
        out = io.BytesIO()
        Image.new("RGB", (64, 48), (10, 20, 30)).save(out, format="PNG")
        cleaned = events_services.clean_material_file(out.getvalue(), "poster.png")
        found = events_services.material_add(
            event=current, title="Poster", upload=cleaned, by=w.inspector
        )
    return {"code": current.code, "public_id": found.public_id}


def report_photo(w: World) -> dict[str, Any]:
    """A photo of the matrix event's report."""
    import io

    from PIL import Image

    from integritas.education.services import report as reports

    report(w)
    found = reports.report_of(event(w))
    assert found is not None
    photo = found.photos.first()
    if photo is None:
        out = io.BytesIO()
        Image.new("RGB", (480, 360), (10, 20, 30)).save(out, format="JPEG")
        photo = reports.add_photo(report=found, content=out.getvalue(), caption="", by=None)
    return {"code": found.event.code, "public_id": photo.public_id}


def everyone(status: int) -> dict[str, int]:
    return row(status, anonymous=status)


READERS = row(403, admin=200, inspector_general=200, inspector=200, leader=200)
OUT_OF_SCOPE = {
    "head_a": 404,
    "officer_a": 404,
    "officer_b": 404,
    "handler": 404,
    "custodian": 404,
    "nobody": 404,
}
INSPECTORATE = row(403, inspector_general=200, inspector=200, **OUT_OF_SCOPE)
EVENT_READERS = row(404, admin=200, inspector_general=200, inspector=200, leader=200)

MATRIX = {
    "education-event-list": (lambda w: {}, READERS),
    "education-dashboard": (lambda w: {}, READERS),
    "education-event-create": (lambda w: {}, row(403, inspector_general=200, inspector=200)),
    "education-event": (
        code,
        row(404, admin=200, inspector_general=200, inspector=200, leader=200),
    ),
    "education-event-edit": (code, INSPECTORATE),
    "education-check-in": (code, INSPECTORATE),
    "education-participants": (
        code,
        row(404, admin=200, inspector_general=200, inspector=200, leader=200),
    ),
    "education-attendance-pdf": (
        code,
        row(404, admin=200, inspector_general=200, inspector=200, leader=200),
    ),
    "education-certificate-pdf": (
        certificate,
        row(404, admin=200, inspector_general=200, inspector=200, leader=200),
    ),
    "education-certificates-issue": (code, row(405)),
    "education-certificate-revoke": (certificate, row(405)),
    "certificate-verify": (serial, everyone(200)),
    "education-public-certificate": (certificate_token, everyone(200)),
    "education-event-publish": (code, row(405)),
    "education-event-unpublish": (code, row(405)),
    "education-walk-in": (code, row(405)),
    "education-material-add": (code, row(405)),
    "education-material-remove": (material, row(405)),
    "education-material-file": (material_file, EVENT_READERS),
    "education-public-material": (material_file, everyone(200)),
    "education-invitations": (
        code,
        row(404, admin=200, inspector_general=200, inspector=200, leader=200),
    ),
    "education-invite-import": (code, INSPECTORATE),
    "education-evidence-link": (code, INSPECTORATE),
    "education-letter-pdf": (
        letter,
        row(404, admin=200, inspector_general=200, inspector=200, leader=200),
    ),
    "education-invite-units": (code, row(405)),
    "education-invite-guest": (code, row(405)),
    "education-invitee-remove": (invitee, row(405)),
    "education-letter-save": (code, row(405)),
    "education-invite-email": (code, row(405)),
    "education-invitation-register": (invitation_token, everyone(200)),
    "education-public-register": (code, everyone(200)),
    "education-public-ticket": (token, everyone(200)),
    "education-public-cancel": (token, everyone(200)),
    # Pre- and post-tests: the question bank is the Inspectorate's, read by those who read events.
    "education-question-list": (lambda w: {}, READERS),
    "education-question-create": (lambda w: {}, row(403, inspector_general=200, inspector=200)),
    "education-question-edit": (question, row(403, inspector_general=200, inspector=200)),
    "education-question-delete": (question, row(405)),
    "education-test": (code, EVENT_READERS),
    "education-test-results": (code, EVENT_READERS),
    "education-test-import": (code, INSPECTORATE),
    "education-test-phase": (phase, row(405)),
    "education-public-test": (open_test, everyone(200)),
    # The event report: the Inspectorate writes it; those who read events download it.
    "education-report": (code, INSPECTORATE),
    "education-report-pdf": (report, EVENT_READERS),
    "education-report-photo": (report_photo, EVENT_READERS),
    "education-report-photo-remove": (report_photo, INSPECTORATE),
    "education-report-photo-add": (code, row(405)),
    # The participants' evaluation: the Inspectorate creates it; those who read events read it.
    "education-evaluation": (code, EVENT_READERS),
}

# Empty POSTs: the Inspectorate gets the form back with what is missing (400); the others are
# refused before validation. The public form answers everyone alike.
POST_MATRIX = {
    "education-event-create": (
        lambda w: {},
        row(403, anonymous=302, inspector_general=400, inspector=400),
    ),
    "education-event-edit": (
        code,
        {**INSPECTORATE, "anonymous": 302, "inspector_general": 400, "inspector": 400},
    ),
    "education-check-in": (
        code,
        {**INSPECTORATE, "anonymous": 302, "inspector_general": 400, "inspector": 400},
    ),
    "education-walk-in": (
        code,
        {**INSPECTORATE, "anonymous": 302, "inspector_general": 400, "inspector": 400},
    ),
    "education-material-add": (
        code,
        {**INSPECTORATE, "anonymous": 302, "inspector_general": 400, "inspector": 400},
    ),
    # Removing needs nothing more than the POST: the inspector general removes the material and
    # is sent back to the event; for the inspector, who posts next, it is gone.
    "education-material-remove": (
        material,
        {**INSPECTORATE, "anonymous": 302, "inspector_general": 302, "inspector": 404},
    ),
    # Publishing the (already public) matrix event changes nothing and sends the Inspectorate
    # back to the event; withdrawing without a reason gets the event page back with the error.
    "education-event-publish": (
        code,
        {**INSPECTORATE, "anonymous": 302, "inspector_general": 302, "inspector": 302},
    ),
    "education-event-unpublish": (
        code,
        {**INSPECTORATE, "anonymous": 302, "inspector_general": 400, "inspector": 400},
    ),
    "education-invite-units": (
        code,
        {**INSPECTORATE, "anonymous": 302, "inspector_general": 400, "inspector": 400},
    ),
    "education-invite-guest": (
        code,
        {**INSPECTORATE, "anonymous": 302, "inspector_general": 400, "inspector": 400},
    ),
    "education-invite-import": (
        code,
        {**INSPECTORATE, "anonymous": 302, "inspector_general": 400, "inspector": 400},
    ),
    "education-letter-save": (
        code,
        {**INSPECTORATE, "anonymous": 302, "inspector_general": 400, "inspector": 400},
    ),
    "education-evidence-link": (
        code,
        {**INSPECTORATE, "anonymous": 302, "inspector_general": 400, "inspector": 400},
    ),
    # The inspector general creates the evaluation survey (the shipped instrument by default);
    # for the inspector, who posts next, it exists and the page is shown again.
    "education-evaluation": (
        code,
        {**INSPECTORATE, "anonymous": 302, "inspector_general": 302, "inspector": 302},
    ),
    # Emailing sends the links still due (perhaps none) and goes back to the invitations.
    "education-invite-email": (
        code,
        {**INSPECTORATE, "anonymous": 302, "inspector_general": 302, "inspector": 302},
    ),
    # The inspector general removes the invitee; for the inspector, who posts next, it is gone.
    "education-invitee-remove": (
        invitee,
        {**INSPECTORATE, "anonymous": 302, "inspector_general": 302, "inspector": 404},
    ),
    "education-invitation-register": (invitation_token, everyone(400)),
    "education-public-register": (code, everyone(400)),
    # Issuing again issues nothing more and sends the Inspectorate back to the event; revoking
    # without a reason gets the event page back with the error.
    "education-certificates-issue": (
        code,
        {**INSPECTORATE, "anonymous": 302, "inspector_general": 302, "inspector": 302},
    ),
    "education-certificate-revoke": (
        certificate,
        {**INSPECTORATE, "anonymous": 302, "inspector_general": 400, "inspector": 400},
    ),
    # An empty question or test form is sent back with what is missing; deleting needs nothing
    # more than the POST (the inspector, who posts next, finds the question gone). Opening the
    # pre-test of the matrix event (no questions yet) sends the Inspectorate back to the test.
    "education-question-create": (
        lambda w: {},
        row(403, anonymous=302, inspector_general=400, inspector=400),
    ),
    "education-question-edit": (
        question,
        row(403, anonymous=302, inspector_general=400, inspector=400),
    ),
    "education-question-delete": (
        question,
        row(403, anonymous=302, inspector_general=302, inspector=404),
    ),
    "education-test": (
        code,
        {**INSPECTORATE, "anonymous": 302, "inspector_general": 400, "inspector": 400},
    ),
    "education-test-phase": (
        phase,
        {**INSPECTORATE, "anonymous": 302, "inspector_general": 302, "inspector": 302},
    ),
    "education-test-import": (
        code,
        {**INSPECTORATE, "anonymous": 302, "inspector_general": 400, "inspector": 400},
    ),
    "education-public-test": (open_test, everyone(400)),
    # The report's form and an empty photo upload come back with what is missing; removing a
    # photo needs only the POST (the inspector, who posts next, finds it gone).
    "education-report": (
        code,
        {**INSPECTORATE, "anonymous": 302, "inspector_general": 400, "inspector": 400},
    ),
    "education-report-photo-add": (
        report,
        {**INSPECTORATE, "anonymous": 302, "inspector_general": 400, "inspector": 400},
    ),
    "education-report-photo-remove": (
        report_photo,
        {**INSPECTORATE, "anonymous": 302, "inspector_general": 302, "inspector": 404},
    ),
}
