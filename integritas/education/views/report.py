"""An event's report (laporan pelaksanaan kegiatan): the page where the Inspectorate writes it
and adds photos, a photo for staff, removing a photo (with confirmation), and the PDF."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from integritas.core import policy
from integritas.education.forms import EventReportForm, ReportPhotoForm
from integritas.education.models import Event, ReportPhoto
from integritas.education.services import report as services
from integritas.lib.forms import add_service_errors


def _page(
    request: HttpRequest,
    event: Event,
    *,
    form: EventReportForm | None = None,
    photo_form: ReportPhotoForm | None = None,
    status: int = 200,
) -> HttpResponse:
    report = services.report_of(event)
    photos = list(report.photos.all()) if report else []
    context = {
        "event": event,
        "report": report,
        "form": form or EventReportForm(initial=services.initial(event)),
        "photo_form": photo_form or ReportPhotoForm(),
        "photos": photos,
        "max_photos": services.max_photos(),
        "room_for_photos": len(photos) < services.max_photos(),
        "can_export": policy.allows_model(request.user, "export", Event),
    }
    return render(request, "education/report_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def report_page(request: HttpRequest, code: str) -> HttpResponse:
    event = policy.get_for_user(request.user, Event, need="change", code=code)
    if request.method != "POST":
        return _page(request, event)
    form = EventReportForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.save(
                event=event,
                purpose=d["purpose"],
                basis=d.get("basis") or "",
                summary=d["summary"],
                commitments=d.get("commitments") or "",
                signer=d["signer"],
                by=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The event report is saved."))
            return redirect("education-report", event.code)
    return _page(request, event, form=form, status=400)


@login_required
@require_POST
def photo_add(request: HttpRequest, code: str) -> HttpResponse:
    event = policy.get_for_user(request.user, Event, need="change", code=code)
    report = services.report_of(event)
    if report is None:
        messages.info(request, _("Save the report first, then add its photos."))
        return redirect("education-report", event.code)
    form = ReportPhotoForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["photo"]
        limit = services.photo_max_bytes()
        content = upload.read(limit + 1) if upload.size <= limit else b"x" * (limit + 1)
        try:
            services.add_photo(
                report=report,
                content=content,
                caption=form.cleaned_data.get("caption") or "",
                by=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as exc:
            form.add_error("photo", exc)
        else:
            messages.success(request, _("The photo is added to the report."))
            return redirect("education-report", event.code)
    return _page(request, event, photo_form=form, status=400)


def _photo(request: HttpRequest, code: str, public_id: UUID, *, need: policy.Need) -> ReportPhoto:
    event = policy.get_for_user(request.user, Event, need=need, code=code)
    photo = ReportPhoto.objects.filter(report__event=event, public_id=public_id).first()
    if photo is None:
        raise Http404
    return photo


@login_required
def photo_file(request: HttpRequest, code: str, public_id: UUID) -> FileResponse:
    """A report photo for staff who may read the event (cleaned when it was uploaded)."""
    photo = _photo(request, code, public_id, need="view")
    try:
        handle = photo.image.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(handle, content_type=photo.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def photo_remove(request: HttpRequest, code: str, public_id: UUID) -> HttpResponse:
    """Asks first (GET), removes the photo and its file on POST."""
    photo = _photo(request, code, public_id, need="change")
    event = photo.report.event
    if request.method == "POST":
        services.remove_photo(photo=photo, by=request.user)  # type: ignore[arg-type]
        messages.success(request, _("The photo is removed from the report."))
        return redirect("education-report", event.code)
    return render(request, "education/report_photo_remove.html", {"event": event, "photo": photo})


@login_required
def report_pdf(request: HttpRequest, code: str) -> HttpResponse:
    event = policy.get_for_user(request.user, Event, code=code)
    policy.require(request.user, "export", Event)
    report = services.report_of(event)
    if report is None:
        messages.info(request, _("The event report has not been written yet."))
        return redirect("education-event", event.code)
    response = HttpResponse(services.report_pdf(event, report), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="laporan-{event.code}.pdf"'
    return response
