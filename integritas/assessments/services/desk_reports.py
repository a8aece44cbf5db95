"""The MCSP desk's reports: the progress report per area and unit on the letterhead (PDF), and
the desk as a workbook (XLSX) — every requirement at every unit with its owner and counts, and
every document with its state, versions and KPK's status.

Both are internal documents for the Inspectorate, leadership and administrators. The PDF is in
Indonesian whatever the reader's language, as every official document (``lib/pdf``).
"""

from __future__ import annotations

import base64
from typing import Any

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from integritas.assessments.models import Assessment, Document
from integritas.assessments.services import desk_progress, snapshots
from integritas.core.models import Government
from integritas.lib import pdf
from integritas.lib.spreadsheets import Sheet, write_workbook


def progress_context(assessment: Assessment) -> dict[str, Any]:
    lines = desk_progress.lines(assessment)
    table = snapshots.rows(assessment)
    return {
        "assessment": assessment,
        "framework": assessment.framework,
        "board": desk_progress.score_board(assessment),
        "by_area": desk_progress.progress(lines, "area"),
        "by_unit": desk_progress.progress(lines, "unit"),
        "missing": [line for line in lines if line.missing],
        "snapshot_rows": table,
        "snapshot_chart": _as_image(snapshots.chart(assessment, table)),
        "open": assessment.uploads_open(timezone.now()),
    }


def _as_image(svg: str | None) -> str:
    """The chart as a ``data:`` URL for an ``<img>``: WeasyPrint scales it to the column's width
    as one picture (an inline ``<svg>`` is laid out at its own size)."""
    if svg is None:
        return ""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode("ascii")


def progress_html(assessment: Assessment) -> str:
    with translation.override(pdf.DEFAULT_LANGUAGE):  # labels computed here print in Indonesian
        values = progress_context(assessment)
    return pdf.render_html(
        "assessments/pdf/desk_progress.html", values, government=Government.current()
    )


def progress_pdf(assessment: Assessment) -> bytes:
    """The progress report: the scores per area, progress per area and unit, what is missing
    and who owns it, and the scores over time."""
    return pdf.html_to_pdf(progress_html(assessment))


def _requirements_sheet(assessment: Assessment) -> Sheet:
    rows: list[list[Any]] = [
        [
            _("Area"),
            _("Code"),
            _("Requirement"),
            _("Scoring method"),
            _("Unit"),
            _("Responsible official"),
            _("Documents required"),
            _("Ready"),
            _("Accepted by KPK"),
            _("Missing"),
        ]
    ]
    for line in desk_progress.lines(assessment):
        rows.append(
            [
                f"{line.area.code} {line.area.name}" if line.area else "",
                line.node.code,
                line.node.name,
                line.node.get_method_display(),
                f"{line.unit_code} {line.unit_name}",
                line.official,
                line.required,
                min(line.ready, line.required),
                min(line.accepted, line.required),
                line.missing,
            ]
        )
    return Sheet(_("Requirements"), rows)


def _documents_sheet(assessment: Assessment) -> Sheet:
    rows: list[list[Any]] = [
        [
            _("Document"),
            _("Requirement"),
            _("Unit"),
            _("Title"),
            _("Status"),
            _("Version"),
            _("File"),
            "SHA-256",
            _("Effective from"),
            _("Effective until"),
            _("Uploaded by"),
            _("Uploaded at"),
            _("Reason for returning"),
            _("Uploaded to KPK on"),
            _("KPK's note"),
        ]
    ]
    documents = (
        Document.objects.filter(assessment=assessment)
        .select_related("node", "unit")
        .prefetch_related("versions__uploaded_by")
        .order_by("number")
    )
    for document in documents:
        latest = max(document.versions.all(), key=lambda v: v.version, default=None)
        rows.append(
            [
                document.code,
                document.node.code,
                f"{document.unit.code} {document.unit.name}",
                document.title,
                document.get_status_display(),
                latest.version if latest else None,
                latest.original_name if latest else "",
                latest.sha256 if latest else "",
                latest.valid_from if latest else None,
                latest.valid_to if latest else None,
                latest.uploaded_by.name if latest and latest.uploaded_by else "",
                timezone.localtime(latest.uploaded_at).replace(tzinfo=None) if latest else None,
                document.return_reason,
                document.kpk_uploaded_on,
                document.kpk_note,
            ]
        )
    return Sheet(_("Documents"), rows)


def desk_workbook(assessment: Assessment) -> bytes:
    """The desk as a workbook: a sheet of requirements per unit, a sheet of documents."""
    return write_workbook([_requirements_sheet(assessment), _documents_sheet(assessment)])
