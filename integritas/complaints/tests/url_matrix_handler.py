"""Rows of the role × page matrix for the handlers' complaint pages (gathered by core's matrix test).

One report about DINKES with a named (not confidential) reporter and a photo: the world's
complaint handler and identity custodian are enrolled, so the handler holds the report's key and
the custodian its identity key. Nobody else holds either, so everyone else gets 404 on the report
(403 on the lists, which are for the complaints desk only). The matrix clients never unlock a key,
so pages that need the content send the handler to the key page (302).
"""

from __future__ import annotations

from typing import Any

from django.test import override_settings

from integritas.complaints.models import Attachment, HandlerKey, Report
from integritas.complaints.services import keys
from integritas.core.testing import PASSWORD, POST_ONLY, World, row

DESK_ONLY = row(403, handler=200, custodian=200)
NOT_HOLDERS = {
    "admin": 404,
    "inspector_general": 404,
    "inspector": 404,
    "leader": 404,
    "head_a": 404,
    "officer_a": 404,
    "officer_b": 404,
    "nobody": 404,
}


def report(w: World) -> Report:
    found = Report.objects.filter(category="extortion").first()
    if found is not None:
        return found
    from integritas.complaints.services.attachments import Upload
    from integritas.complaints.services.public import submit_report
    from integritas.complaints.tests.helpers import FIELDS, photo_with_gps
    from integritas.core.models import Role, RoleAssignment

    RoleAssignment.objects.get_or_create(user=w.custodian, role=Role.IDENTITY_CUSTODIAN)
    with override_settings(COMPLAINTS_FAST_KDF_FOR_TESTS=True):
        for user in (w.handler, w.custodian):
            if not HandlerKey.objects.filter(user=user).exists():
                keys.enrol(user=user, password=PASSWORD)
        made, _receipt = submit_report(
            channel="whistleblowing",
            category="extortion",
            unit=w.dinkes,
            fields=FIELDS,
            identity={"name": "Matrix Reporter"},
            attachments=[Upload("foto.jpg", photo_with_gps())],
        )
    return made


def report_kwargs(w: World) -> dict[str, Any]:
    return {"public_id": report(w).public_id}


def step_kwargs(w: World) -> dict[str, Any]:
    return {"public_id": report(w).public_id, "name": "screen"}


def attachment_kwargs(w: World) -> dict[str, Any]:
    return {"public_id": Attachment.objects.get(report=report(w)).public_id}


NONE = lambda w: {}  # noqa: E731

MATRIX = {
    "complaints-report-list": (NONE, DESK_ONLY),
    "complaints-key": (NONE, DESK_ONLY),
    "complaints-key-enrol": (NONE, POST_ONLY),
    "complaints-key-unlock": (NONE, POST_ONLY),
    "complaints-key-recover": (NONE, POST_ONLY),
    "complaints-key-lock": (NONE, POST_ONLY),
    "complaints-report": (report_kwargs, row(200, **NOT_HOLDERS)),
    "complaints-report-transition": (step_kwargs, POST_ONLY),
    "complaints-report-message": (report_kwargs, POST_ONLY),
    "complaints-report-note": (report_kwargs, POST_ONLY),
    "complaints-report-assign": (report_kwargs, POST_ONLY),
    "complaints-report-identity": (report_kwargs, POST_ONLY),
    "complaints-report-route": (report_kwargs, POST_ONLY),
    # The custodian holds only the identity key: no files.
    "complaints-attachment": (attachment_kwargs, row(404, handler=302)),
    "complaints-attachment-original": (attachment_kwargs, POST_ONLY),
    "complaints-statistics": (NONE, row(403, inspector_general=200, inspector=200)),
}
DESK_POST = row(403, anonymous=302, handler=400, custodian=400)
POST_MATRIX = {
    "complaints-key-enrol": (NONE, DESK_POST),
    "complaints-key-unlock": (NONE, DESK_POST),
    "complaints-key-recover": (NONE, DESK_POST),
    "complaints-key-lock": (NONE, row(403, anonymous=302, handler=302, custodian=302)),
    # Locked keys: the desk is sent to the key page; everyone else does not find the report.
    "complaints-report-transition": (
        step_kwargs,
        row(404, anonymous=302, handler=302, custodian=302),
    ),
    "complaints-report-message": (
        report_kwargs,
        row(404, anonymous=302, handler=302, custodian=302),
    ),
    "complaints-report-note": (report_kwargs, row(404, anonymous=302, handler=302, custodian=302)),
    # Assigning needs the report's key (the custodian has only the identity key).
    "complaints-report-assign": (
        report_kwargs,
        row(404, anonymous=302, handler=400, custodian=403),
    ),
    # Opening the identity is for the custodian; the handler may not.
    "complaints-report-identity": (
        report_kwargs,
        row(404, anonymous=302, handler=403, custodian=302),
    ),
    # Routing is for a custodian holding a routing copy: this report was routed to the handler.
    "complaints-report-route": (
        report_kwargs,
        row(404, anonymous=302, handler=403, custodian=403),
    ),
    "complaints-attachment-original": (attachment_kwargs, row(404, anonymous=302, handler=302)),
}
