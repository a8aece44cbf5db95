"""Rows of the role × page matrix for the assessment pages (gathered by core's matrix test).

The Inspectorate keeps the frameworks (import, copy, activate, delete a draft); leadership and
administrators read and export them; everyone else gets 403 on the list and 404 on a
framework."""

from __future__ import annotations

from typing import Any

from integritas.assessments.models import Framework
from integritas.core.testing import World, row


def framework_for(year: int) -> Framework:
    found = Framework.objects.filter(year=year).first()
    if found is None:
        from integritas.assessments.tests.conftest import make_framework

        found = make_framework(year=year)
    return found


def public_id(w: World) -> dict[str, Any]:
    return {"public_id": framework_for(2030).public_id}


def to_activate(w: World) -> dict[str, Any]:
    return {"public_id": framework_for(2031).public_id}


def to_delete(w: World) -> dict[str, Any]:
    return {"public_id": framework_for(2032).public_id}


READERS = row(403, admin=200, inspector_general=200, inspector=200, leader=200)
READ_ONE = row(404, admin=200, inspector_general=200, inspector=200, leader=200)
OUT_OF_SCOPE = {
    "head_a": 404,
    "officer_a": 404,
    "officer_b": 404,
    "handler": 404,
    "custodian": 404,
    "nobody": 404,
}
# Readers who may not change a framework are refused (403); the others do not see it (404).
POSTED = {"anonymous": 302, "admin": 403, "leader": 403, **OUT_OF_SCOPE}

MATRIX = {
    "assessments-framework-list": (lambda w: {}, READERS),
    "assessments-framework-import": (
        lambda w: {},
        row(403, inspector_general=200, inspector=200),
    ),
    "assessments-framework": (public_id, READ_ONE),
    "assessments-framework-export": (public_id, READ_ONE),
    "assessments-framework-copy": (public_id, row(405)),
    "assessments-framework-activate": (to_activate, row(405)),
    "assessments-framework-delete": (to_delete, row(405)),
}

# Empty POSTs: the Inspectorate gets the form back with what is missing (400); the others are
# refused before validation.
POST_MATRIX = {
    "assessments-framework-import": (
        lambda w: {},
        row(403, anonymous=302, inspector_general=400, inspector=400),
    ),
    "assessments-framework-copy": (
        public_id,
        {**POSTED, "inspector_general": 400, "inspector": 400},
    ),
    # The inspector general activates the draft; for the inspector, who posts next, it is
    # active already.
    "assessments-framework-activate": (
        to_activate,
        {**POSTED, "inspector_general": 302, "inspector": 400},
    ),
    # The inspector general deletes the draft; for those who post next, it is gone.
    "assessments-framework-delete": (
        to_delete,
        {**POSTED, "inspector_general": 302, "inspector": 404, "leader": 404},
    ),
}


# --- The MCSP document desk --------------------------------------------------------------------
# Units DINKES (head_a, officer_a) and DISDIK (officer_b) are assigned requirements, so their
# staff see the year; the Inspectorate reviews and records KPK's status; administrators reopen
# uploads; leadership and administrators read.


def desk_for(w: World) -> Any:
    from integritas.assessments.models import Assessment
    from integritas.assessments.tests.desk_fixtures import open_desk

    found = Assessment.objects.filter(framework__year=2033).first()
    return found or open_desk(2033)


def desk_id(w: World) -> dict[str, Any]:
    return {"public_id": desk_for(w).public_id}


def requirement(w: World) -> dict[str, Any]:
    return {"public_id": desk_for(w).public_id, "code": "PRC.1"}


def document(w: World) -> Any:
    """A DINKES document of the matrix desk, with one version."""
    import datetime as dt

    from integritas.assessments.models import Node
    from integritas.assessments.services import desk
    from integritas.assessments.tests.desk_fixtures import pdf

    assessment = desk_for(w)
    found = assessment.documents.first()
    if found is None:
        node = Node.objects.get(framework=assessment.framework, code="PRC.1")
        found = desk.upload(
            assessment=assessment,
            node=node,
            unit=w.dinkes,
            file=pdf(),
            name="a.pdf",
            valid_from=dt.date(2033, 1, 1),
            title="Matrix",
            by=w.officer_a,
        ).document
    return found


def document_id(w: World) -> dict[str, Any]:
    return {"public_id": document(w).public_id}


def document_file(w: World) -> dict[str, Any]:
    return {"public_id": document(w).public_id, "version": 1}


UNIT_STAFF = {"head_a": 200, "officer_a": 200, "officer_b": 200}
DESK_READERS = row(403, admin=200, inspector_general=200, inspector=200, leader=200, **UNIT_STAFF)
DESK_READ_ONE = row(404, admin=200, inspector_general=200, inspector=200, leader=200, **UNIT_STAFF)
# In scope but not the Inspectorate: refused (403); out of scope: 404.
DESK_INSPECTORATE = row(
    404,
    inspector_general=200,
    inspector=200,
    admin=403,
    leader=403,
    head_a=403,
    officer_a=403,
    officer_b=403,
)
DINKES_FILE = row(
    404, admin=200, inspector_general=200, inspector=200, leader=200, head_a=200, officer_a=200
)

MATRIX.update(
    {
        "assessments-desk-list": (lambda w: {}, DESK_READERS),
        "assessments-desk": (desk_id, DESK_READ_ONE),
        "assessments-desk-missing": (desk_id, DESK_READ_ONE),
        "assessments-desk-requirement": (requirement, DESK_READ_ONE),
        "assessments-desk-reopen": (desk_id, row(405)),
        "assessments-desk-import": (desk_id, DESK_INSPECTORATE),
        "assessments-desk-upload": (requirement, row(405)),
        "assessments-desk-units": (requirement, row(405)),
        "assessments-document-version": (document_id, row(405)),
        "assessments-document-review": (document_id, row(405)),
        "assessments-document-kpk": (document_id, row(405)),
        "assessments-document-file": (document_file, DINKES_FILE),
    }
)

DESK_POSTED = {"anonymous": 302, "handler": 404, "custodian": 404, "nobody": 404}
IN_SCOPE_REFUSED = {"admin": 403, "leader": 403, "head_a": 403, "officer_a": 403, "officer_b": 403}
POST_MATRIX.update(
    {
        # Empty POSTs: the form comes back (400) or the page redirects with a message (302).
        "assessments-desk-list": (
            lambda w: {},
            row(403, inspector_general=400, inspector=400),
        ),
        "assessments-desk-reopen": (
            desk_id,
            {
                **DESK_POSTED,
                **IN_SCOPE_REFUSED,
                "admin": 400,
                "inspector_general": 403,
                "inspector": 403,
            },
        ),
        "assessments-desk-import": (
            desk_id,
            {**DESK_POSTED, **IN_SCOPE_REFUSED, "inspector_general": 400, "inspector": 400},
        ),
        "assessments-desk-upload": (
            requirement,
            {
                **DESK_POSTED,
                **IN_SCOPE_REFUSED,
                "inspector_general": 400,
                "inspector": 400,
                "head_a": 400,
                "officer_a": 400,
            },
        ),
        "assessments-desk-units": (
            requirement,
            {**DESK_POSTED, **IN_SCOPE_REFUSED, "inspector_general": 302, "inspector": 302},
        ),
        "assessments-document-version": (
            document_id,
            {
                **DESK_POSTED,
                **IN_SCOPE_REFUSED,
                "officer_b": 404,
                "inspector_general": 302,
                "inspector": 302,
                "head_a": 302,
                "officer_a": 302,
            },
        ),
        "assessments-document-review": (
            document_id,
            {
                **DESK_POSTED,
                **IN_SCOPE_REFUSED,
                "officer_b": 404,
                "inspector_general": 302,
                "inspector": 302,
            },
        ),
        "assessments-document-kpk": (
            document_id,
            {
                **DESK_POSTED,
                **IN_SCOPE_REFUSED,
                "officer_b": 404,
                "inspector_general": 302,
                "inspector": 302,
            },
        ),
    }
)


# --- The Zona Integritas self-assessment (LKE) ---------------------------------------------------


def lke_for(w: World) -> Any:
    """DINKES's WBK self-assessment on the shipped LKE, with one file of evidence."""
    from integritas.assessments.models import LkeAssessment

    found = LkeAssessment.objects.filter(unit__code="DINKES").first()
    if found is None:
        from integritas.assessments.services import lke as lke_service
        from integritas.assessments.tests.lke_fixtures import evidence_pdf, start

        found = start(w)
        lke_service.add_evidence(
            lke=found,
            code="MP.PM.1",
            title="SK",
            upload=evidence_pdf(),
            name="sk.pdf",
            by=w.officer_a,
        )
    return found


def lke_id(w: World) -> dict[str, Any]:
    return {"public_id": lke_for(w).public_id}


def lke_question(w: World) -> dict[str, Any]:
    return {"public_id": lke_for(w).public_id, "code": "MP.PM.2"}


def lke_evidence(w: World) -> dict[str, Any]:
    return {"public_id": lke_for(w).evidence.get().public_id}


LKE_READ_ONE = DINKES_FILE

MATRIX.update(
    {
        "assessments-lke-list": (lambda w: {}, DESK_READERS),
        "assessments-lke": (lke_id, LKE_READ_ONE),
        "assessments-lke-question": (lke_question, LKE_READ_ONE),
        "assessments-lke-pdf": (lke_id, LKE_READ_ONE),
        "assessments-lke-xlsx": (lke_id, LKE_READ_ONE),
        "assessments-lke-evidence": (lke_evidence, LKE_READ_ONE),
        "assessments-lke-survey": (lke_id, row(405)),
        "assessments-lke-step": (lke_id, row(405)),
        "assessments-lke-recommendation": (lke_id, row(405)),
        "assessments-lke-portal": (lke_id, row(405)),
    }
)

LKE_POSTED = {**DESK_POSTED, "officer_b": 404}
POST_MATRIX.update(
    {
        "assessments-lke-list": (
            lambda w: {},
            row(
                403,
                anonymous=302,
                inspector_general=400,
                inspector=400,
                head_a=400,
                officer_a=400,
                officer_b=400,
            ),
        ),
        # Only the unit's staff take the survey results; others in scope are refused.
        "assessments-lke-survey": (
            lke_id,
            {
                **LKE_POSTED,
                "admin": 403,
                "leader": 403,
                "inspector_general": 403,
                "inspector": 403,
                "head_a": 302,
                "officer_a": 302,
            },
        ),
        # An empty step is refused with a message on the LKE's page.
        "assessments-lke-step": (
            lke_id,
            {
                **LKE_POSTED,
                "admin": 302,
                "leader": 302,
                "inspector_general": 302,
                "inspector": 302,
                "head_a": 302,
                "officer_a": 302,
            },
        ),
        # Only the Inspectorate raises one; a POST naming no failing condition is sent back to
        # the LKE's page with a message (302).
        "assessments-lke-recommendation": (
            lke_id,
            {
                **LKE_POSTED,
                "admin": 403,
                "leader": 403,
                "head_a": 403,
                "officer_a": 403,
                "inspector_general": 302,
                "inspector": 302,
            },
        ),
        # Only the Inspectorate publishes; this LKE is not reviewed yet: back with a message.
        "assessments-lke-portal": (
            lke_id,
            {
                **LKE_POSTED,
                "admin": 403,
                "leader": 403,
                "head_a": 403,
                "officer_a": 403,
                "inspector_general": 302,
                "inspector": 302,
            },
        ),
        # A POST without a part of the page to save: the page again (400).
        "assessments-lke-question": (
            lke_question,
            {
                **LKE_POSTED,
                "admin": 400,
                "leader": 400,
                "inspector_general": 400,
                "inspector": 400,
                "head_a": 400,
                "officer_a": 400,
            },
        ),
    }
)


# --- The desk's scores over time, reports and recommendations ----------------------------------
# The reports are for the Inspectorate, leadership and administrators; unit staff see the year
# but are refused (403); everyone else does not see it (404).
def weak_area(w: World) -> dict[str, Any]:
    return {"public_id": desk_for(w).public_id, "code": "PRC"}


DESK_EXPORT = row(
    404,
    admin=200,
    inspector_general=200,
    inspector=200,
    leader=200,
    head_a=403,
    officer_a=403,
    officer_b=403,
)

MATRIX.update(
    {
        "assessments-desk-pdf": (desk_id, DESK_EXPORT),
        "assessments-desk-export": (desk_id, DESK_EXPORT),
        "assessments-desk-snapshot": (desk_id, row(405)),
        "assessments-desk-area-recommendation": (weak_area, row(405)),
        "assessments-document-recommendation": (document_id, row(405)),
        "assessments-desk-kpk-score": (desk_id, row(405)),
        "assessments-desk-portal": (desk_id, row(405)),
    }
)
POST_MATRIX.update(
    {
        "assessments-desk-snapshot": (
            desk_id,
            {**DESK_POSTED, **IN_SCOPE_REFUSED, "inspector_general": 302, "inspector": 302},
        ),
        "assessments-desk-portal": (
            desk_id,
            {**DESK_POSTED, **IN_SCOPE_REFUSED, "inspector_general": 302, "inspector": 302},
        ),
        "assessments-desk-kpk-score": (
            desk_id,
            {**DESK_POSTED, **IN_SCOPE_REFUSED, "inspector_general": 400, "inspector": 400},
        ),
        # A rejected document or a weak area only: here the document is awaiting review and the
        # area is weak, so the Inspectorate is sent back with a message or to the draft (302).
        "assessments-desk-area-recommendation": (
            weak_area,
            {**DESK_POSTED, **IN_SCOPE_REFUSED, "inspector_general": 302, "inspector": 302},
        ),
        "assessments-document-recommendation": (
            document_id,
            {
                **DESK_POSTED,
                **IN_SCOPE_REFUSED,
                "officer_b": 404,
                "inspector_general": 302,
                "inspector": 302,
            },
        ),
    }
)
