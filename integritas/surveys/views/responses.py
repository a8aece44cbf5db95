"""Staff pages for a wave's response data: bulk import (in the background) and export (inside
the request for most waves, in the background for the largest)."""

from __future__ import annotations

import datetime as dt
from typing import Any
from uuid import UUID

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from integritas.core import policy
from integritas.lib.imports import import_page
from integritas.lib.tables import export_format, export_response, paginate
from integritas.surveys.forms.responses import ResponseExportForm, ResponseImportForm
from integritas.surveys.imports import response_batches
from integritas.surveys.imports import responses as response_imports
from integritas.surveys.models import ImportBatch, ResponseExport, Wave
from integritas.surveys.schema import Schema
from integritas.surveys.services import response_exports
from integritas.surveys.services import responses as exports

# After this long without a worker picking up an upload or an export, the page says the worker
# seems down.
WORKER_PATIENCE = dt.timedelta(seconds=30)
REFRESH_SECONDS = 2


@login_required
@require_http_methods(["GET", "POST"])
def wave_import(request: HttpRequest, code: str) -> HttpResponseBase:
    wave = policy.get_for_user(request.user, Wave, need="import", code=code)
    batches = (
        policy.scope(request.user, ImportBatch)
        .filter(wave=wave)
        .select_related("created_by")
        .order_by("-created_at")
    )
    fmt = export_format(request)
    if fmt:
        return export_response(
            fmt=fmt,
            stem=f"{wave.code}-imports",
            headers=["created_at", "file", "status", "rows", "imported", "problems", "by"],
            rows=(
                [
                    timezone.localtime(b.created_at),
                    b.filename,
                    b.status,
                    b.rows_total,
                    b.imported,
                    b.error_count,
                    b.created_by.get_full_name() if b.created_by else "",
                ]
                for b in batches
            ),
        )
    page, query = paginate(request, batches)
    schema = Schema.from_version(wave.version)
    context: dict[str, Any] = {
        "wave": wave,
        "page": page,
        "query": query,
        "question_codes": [c for s in schema.sections for c in s.questions],
        "respondent_types": wave.respondent_types,
        "fixed_columns": response_imports.FIXED_COLUMNS,
        "max_mb": settings.UPLOAD_MAX_BYTES // (1024 * 1024),
    }

    def submit(data: dict[str, Any]) -> HttpResponse:
        # The import runs in the background; its page shows the report when it is done.
        batch = response_batches.submit_import(
            wave=wave, upload=data["file"], content_hash=form.content_hash, by=request.user
        )
        return redirect("surveys-data-import-batch", wave.code, batch.public_id)

    form = ResponseImportForm(request.POST or None, request.FILES or None, wave=wave)
    return import_page(
        request, form=form, template="surveys/responses/import.html", run=submit, context=context
    )


@login_required
def import_batch(request: HttpRequest, code: str, batch: UUID) -> HttpResponseBase:
    wave = policy.get_for_user(request.user, Wave, need="import", code=code)
    item = policy.get_for_user(request.user, ImportBatch, wave=wave, public_id=batch)
    fmt = export_format(request)
    if fmt:
        return export_response(
            fmt=fmt,
            stem=f"{wave.code}-import-problems",
            headers=["row", "column", "value", "problem"],
            rows=(
                [e.get("row") or "", e.get("column", ""), e.get("value", ""), e.get("message", "")]
                for e in item.errors
            ),
        )
    working = item.status in (ImportBatch.Status.PENDING, ImportBatch.Status.RUNNING)
    page, query = paginate(request, item.errors, per_page=50)
    context: dict[str, Any] = {
        "wave": wave,
        "batch": item,
        "working": working,
        "refresh_seconds": REFRESH_SECONDS,
        "worker_late": item.status == ImportBatch.Status.PENDING
        and timezone.now() - item.created_at > WORKER_PATIENCE,
        "saving": item.status == ImportBatch.Status.RUNNING
        and item.rows_total
        and item.rows_done >= item.rows_total,
        "percent": round(100 * item.rows_done / item.rows_total) if item.rows_total else 0,
        "page": page,
        "query": query,
        "more_errors": max(item.error_count - len(item.errors), 0),
    }
    response = render(request, "surveys/responses/import_batch.html", context)
    if working:
        # The page also carries a meta refresh; the header covers browsers that ignore a meta
        # element outside <head>.
        response["Refresh"] = str(REFRESH_SECONDS)
    return response


@login_required
@require_http_methods(["GET", "POST"])
def wave_export(request: HttpRequest, code: str) -> HttpResponseBase:
    wave = policy.get_for_user(request.user, Wave, need="export", code=code)
    form = ResponseExportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        fmt = form.cleaned_data["format"]
        labels = form.cleaned_data["values"] == "labels"
        if response_exports.in_background(wave):
            # Too large to build before a proxy gives up: the worker prepares it, its page
            # follows the progress and offers the file.
            job = response_exports.submit_export(wave=wave, fmt=fmt, labels=labels, by=request.user)
            return redirect("surveys-data-export-job", wave.code, job.public_id)
        export = exports.export_responses(wave=wave, fmt=fmt, labels=labels)
        # Sent from the export's temporary file, which the response closes (and so removes)
        # when it is closed.
        response = FileResponse(export.file, content_type=export.content_type)
        response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
        return response
    # So that an export prepared in the background is found again after leaving its page.
    jobs = (
        policy.scope(request.user, ResponseExport)
        .filter(wave=wave)
        .select_related("created_by")
        .order_by("-created_at")
    )
    page, query = paginate(request, jobs)
    context = {
        "wave": wave,
        "form": form,
        "withheld": exports.withheld(wave),
        "in_background": response_exports.in_background(wave),
        "inline_max": settings.EXPORT_INLINE_MAX_RESPONSES,
        "page": page,
        "query": query,
        "retention_days": settings.EXPORT_RETENTION_DAYS,
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "surveys/responses/export.html", context, status=status)


@login_required
def export_job(request: HttpRequest, code: str, job: UUID) -> HttpResponse:
    wave = policy.get_for_user(request.user, Wave, need="export", code=code)
    item = policy.get_for_user(request.user, ResponseExport, wave=wave, public_id=job)
    working = item.is_working()
    context: dict[str, Any] = {
        "wave": wave,
        "job": item,
        "working": working,
        "refresh_seconds": REFRESH_SECONDS,
        "worker_late": item.status == ResponseExport.Status.PENDING
        and timezone.now() - item.created_at > WORKER_PATIENCE,
        "percent": min(round(100 * item.rows_done / item.rows_total), 100)
        if item.rows_total
        else 0,
        "retention_days": settings.EXPORT_RETENTION_DAYS,
    }
    response = render(request, "surveys/responses/export_job.html", context)
    if working:
        # As on the import's page: the header covers browsers that ignore the meta element.
        response["Refresh"] = str(REFRESH_SECONDS)
    return response


@login_required
def export_job_download(request: HttpRequest, code: str, job: UUID) -> FileResponse:
    # The same permission as the export itself, and the export must be this wave's.
    wave = policy.get_for_user(request.user, Wave, need="export", code=code)
    item = policy.get_for_user(request.user, ResponseExport, wave=wave, public_id=job)
    if item.status != ResponseExport.Status.DONE:
        raise Http404("the export is not ready")
    try:
        file = response_exports.export_path(item).open("rb")
    except FileNotFoundError as exc:
        raise Http404("the export's file is gone") from exc
    return FileResponse(
        file,
        as_attachment=True,
        filename=item.filename,
        content_type=exports.CONTENT_TYPES[item.fmt],
    )
