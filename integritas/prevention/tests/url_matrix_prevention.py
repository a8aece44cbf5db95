"""Rows of the role × page matrix for the prevention pages (gathered by core's matrix test).

Staff pages: the gratification rule sets are read by the Inspectorate, leadership and
administrators; only administrators add or change them; everyone else gets 403 on the list and
404 on a set. The public checker under /gratifikasi/ answers everyone alike."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from PIL import Image

from integritas.core.testing import World, row
from integritas.prevention.models import GratificationReport, ReportAttachment, RuleSet
from integritas.prevention.services.attachments import Upload, add
from integritas.prevention.services.reports import submit
from integritas.prevention.tests.conftest import ensure_rule_sets, report_values


def rule_set(w: World) -> dict[str, Any]:
    ensure_rule_sets()
    return {"pk": RuleSet.objects.get(regulation="Perkom 1/2026").pk}


def report(w: World) -> dict[str, Any]:
    """A report filed by officer A (read by the register's readers and by officer A)."""
    ensure_rule_sets()
    found = GratificationReport.objects.filter(reporter=w.officer_a).first()
    if found is None:
        found = submit(
            values=report_values(), reporter=w.officer_a, by=w.officer_a, today=dt.date(2026, 2, 5)
        )
    return {"pk": found.pk}


def attachment(w: World) -> dict[str, Any]:
    """A photo officer A attached to their report."""
    kwargs = report(w)
    found = ReportAttachment.objects.filter(report_id=kwargs["pk"]).first()
    if found is None:
        image = io.BytesIO()
        Image.new("RGB", (8, 8), (10, 20, 30)).save(image, format="PNG")
        report_obj = GratificationReport.objects.get(pk=kwargs["pk"])
        found = add(
            report=report_obj, uploads_=[Upload("parsel.png", image.getvalue())], by=w.officer_a
        )[0]
    return {**kwargs, "file_pk": found.pk}


def report_step(w: World) -> dict[str, Any]:
    return {**report(w), "step": "complete"}


READERS = row(403, admin=200, inspector_general=200, inspector=200, leader=200)
OUT_OF_SCOPE = {
    "head_a": 404,
    "officer_a": 404,
    "officer_b": 404,
    "handler": 404,
    "custodian": 404,
    "nobody": 404,
}

MATRIX = {
    "prevention-rule-set-list": (lambda w: {}, READERS),
    "prevention-rule-set-create": (lambda w: {}, row(403, admin=200)),
    "prevention-rule-set": (
        rule_set,
        row(404, admin=200, inspector_general=200, inspector=200, leader=200),
    ),
    "prevention-rule-set-edit": (
        rule_set,
        row(403, admin=200, **OUT_OF_SCOPE),
    ),
    "prevention-check": (lambda w: {}, row(200, anonymous=200)),
    # Without the gift's parameters the checker answers everyone alike: 400, naming them.
    "api-v1:gratification_check": (lambda w: {}, row(400, anonymous=400)),
    # Gratification reports: anyone signed in files and lists their own; the register is read by
    # the UPG (no persona holds its roles), the Inspectorate, leadership and administrators, who
    # also read each report, as does its reporter; entering a paper report is the UPG's.
    "prevention-report-list": (lambda w: {}, READERS),
    "prevention-my-reports": (lambda w: {}, row(200)),
    "prevention-report-create": (lambda w: {}, row(200)),
    "prevention-paper-report": (lambda w: {}, row(403)),
    "prevention-report": (
        report,
        row(404, admin=200, inspector_general=200, inspector=200, leader=200, officer_a=200),
    ),
    "prevention-report-act": (report_step, row(405)),
    "prevention-report-attachment-add": (report, row(405)),
    # The exports, the recap and the statistics: the register's readers.
    "prevention-register-export": (lambda w: {}, READERS),
    "prevention-recap": (lambda w: {}, READERS),
    "prevention-statistics": (lambda w: {}, READERS),
    "prevention-statistics-publish": (lambda w: {"year": 2026}, row(405)),
    "prevention-statistics-unpublish": (lambda w: {"year": 2026}, row(405)),
    # A file of an ordinary report is read by whoever reads the report.
    "prevention-report-attachment": (
        attachment,
        row(404, admin=200, inspector_general=200, inspector=200, leader=200, officer_a=200),
    ),
}

# Empty POSTs: the administrator gets the form back with what is missing (400); the others are
# refused before validation.
POST_MATRIX = {
    "prevention-rule-set-create": (lambda w: {}, row(403, anonymous=302, admin=400)),
    "prevention-rule-set-edit": (
        rule_set,
        {**row(403, anonymous=302, admin=400), **OUT_OF_SCOPE},
    ),
    # An empty report is refused on its form; the UPG's steps are refused to the reporter and
    # the readers (no persona holds the UPG's roles) and the report is not found by the others.
    "prevention-report-create": (lambda w: {}, row(400, anonymous=302)),
    "prevention-paper-report": (lambda w: {}, row(403, anonymous=302)),
    # Files are added by the reporter (an empty upload: 400) and the UPG; readers are refused.
    "prevention-report-attachment-add": (
        report,
        row(
            404,
            anonymous=302,
            admin=403,
            inspector_general=403,
            inspector=403,
            leader=403,
            officer_a=400,
        ),
    ),
    # Publishing is the Inspectorate's and the UPG head's: with no report in the year, the
    # publish step redirects back with the reason, and there is nothing published to unpublish.
    "prevention-statistics-publish": (
        lambda w: {"year": 2026},
        row(403, anonymous=302, inspector_general=302, inspector=302),
    ),
    "prevention-statistics-unpublish": (
        lambda w: {"year": 2026},
        row(403, anonymous=302, inspector_general=404, inspector=404),
    ),
    "prevention-report-act": (
        report_step,
        row(
            404,
            anonymous=302,
            admin=403,
            inspector_general=403,
            inspector=403,
            leader=403,
            officer_a=403,
        ),
    ),
}


# --- LHKPN ---------------------------------------------------------------------------------------
# The register is read by the Inspectorate, leadership, administrators and the UPG (no persona
# holds its roles), and by a unit head for their units; the Inspectorate, the UPG and
# administrators keep it. An official reads their own obligation (officer A's, in Dinkes).


def lhkpn_obligation(w: World) -> dict[str, Any]:
    from integritas.prevention import lhkpn
    from integritas.prevention.models import LhkpnObligation

    found, _created = LhkpnObligation.objects.get_or_create(
        year=2025,
        report_type="periodic",
        person_key="198001012005011001",
        defaults={
            "nip": "198001012005011001",
            "name": "Officer A",
            "position": "Bendahara",
            "unit": w.dinkes,
            "user": w.officer_a,
            "due_on": lhkpn.periodic_due(2025),
            "source": "decree",
        },
    )
    return {"pk": found.pk}


LHKPN_READERS = dict(READERS, head_a=200)
LHKPN_KEEPERS = row(403, admin=200, inspector_general=200, inspector=200)
LHKPN_KEEPERS_POST = row(403, anonymous=302, admin=400, inspector_general=400, inspector=400)

MATRIX.update(
    {
        "prevention-lhkpn-obligation-list": (lambda w: {}, LHKPN_READERS),
        "prevention-lhkpn-obligation": (
            lhkpn_obligation,
            row(
                404,
                admin=200,
                inspector_general=200,
                inspector=200,
                leader=200,
                head_a=200,
                officer_a=200,
            ),
        ),
        "prevention-lhkpn-compliance": (lambda w: {}, LHKPN_READERS),
        "prevention-lhkpn-export": (lambda w: {}, LHKPN_READERS),
        "prevention-lhkpn-positions": (lambda w: {}, READERS),
        "prevention-lhkpn-special": (lambda w: {}, LHKPN_KEEPERS),
        "prevention-lhkpn-decree-import": (lambda w: {}, LHKPN_KEEPERS),
        "prevention-lhkpn-status-import": (lambda w: {}, LHKPN_KEEPERS),
        "prevention-lhkpn-publish": (lambda w: {"year": 2025}, row(405)),
        "prevention-lhkpn-unpublish": (lambda w: {"year": 2025}, row(405)),
    }
)

# Empty POSTs: the keepers get the form back with what is missing (400); the others are refused.
POST_MATRIX.update(
    {
        "prevention-lhkpn-special": (lambda w: {}, LHKPN_KEEPERS_POST),
        "prevention-lhkpn-positions": (lambda w: {}, LHKPN_KEEPERS_POST),
        "prevention-lhkpn-decree-import": (lambda w: {}, LHKPN_KEEPERS_POST),
        "prevention-lhkpn-status-import": (lambda w: {}, LHKPN_KEEPERS_POST),
        # Publishing is the Inspectorate's: with nobody listed for the year, the publish step
        # redirects back with the reason, and there is nothing published to unpublish.
        "prevention-lhkpn-publish": (
            lambda w: {"year": 2025},
            row(403, anonymous=302, inspector_general=302, inspector=302),
        ),
        "prevention-lhkpn-unpublish": (
            lambda w: {"year": 2025},
            row(403, anonymous=302, inspector_general=404, inspector=404),
        ),
    }
)
