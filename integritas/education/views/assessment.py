"""An event's pre- and post-test for the Inspectorate: pick the questions from the bank and set
the pass rule for certificates, open and close each phase, show participants the link and QR,
import paper scores, and read the results (scores and learning gain) with their XLSX export."""

from __future__ import annotations

from typing import Any

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_POST

from integritas.core import policy
from integritas.education import imports
from integritas.education.forms import ScoreImportForm, TestForm
from integritas.education.gain import Band, LearningGain
from integritas.education.models import Event, Phase
from integritas.education.services import assessment, evaluation, results
from integritas.education.views.certificates import base_url
from integritas.lib.forms import add_service_errors
from integritas.lib.imports import import_page
from integritas.lib.spreadsheets import Sheet, write_workbook

BAND_LABELS = {
    Band.HIGH: gettext_lazy("high"),
    Band.MEDIUM: gettext_lazy("medium"),
    Band.LOW: gettext_lazy("low"),
}


def public_url(request: HttpRequest, event: Event) -> str:
    return base_url(request).rstrip("/") + reverse("education-public-test", args=[event.code])


def _page(
    request: HttpRequest, event: Event, form: TestForm | None = None, status: int = 200
) -> HttpResponse:
    test = assessment.test_of(event)
    if form is None:
        form = TestForm(
            theme=event.theme,
            initial={
                "questions": [q.pk for q in assessment.questions_of(test)],
                "certificate_needs_pass": test.certificate_needs_pass,
                "pass_mark": test.pass_mark,
            },
        )
    url = public_url(request, event)
    context = {
        "event": event,
        "test": test,
        "form": form,
        "questions": assessment.questions_of(test),
        "public_url": url,
        "qr": segno.make(url, error="m").svg_inline(scale=5, border=2),
        "counts": {
            phase: event.registrations.filter(submissions__phase=phase).count()
            for phase in Phase.values
        },
        "can_change": policy.allows_model(request.user, "change", Event),
        "phases": Phase.choices,
    }
    return render(request, "education/test.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def test_page(request: HttpRequest, code: str) -> HttpResponse:
    event = policy.get_for_user(request.user, Event, code=code)
    if request.method == "GET":
        return _page(request, event)
    event = policy.get_for_user(request.user, Event, need="change", code=code)
    form = TestForm(request.POST, theme=event.theme)
    if not form.is_valid():
        return _page(request, event, form, status=400)
    chosen = {q.pk: q for q in form.cleaned_data["questions"]}
    current = [q.pk for q in assessment.questions_of(assessment.test_of(event))]
    # Questions already in the test keep their place; newly picked ones follow in bank order.
    ordered = [chosen.pop(pk) for pk in current if pk in chosen] + list(chosen.values())
    try:
        assessment.test_update(
            event=event,
            questions=ordered,
            certificate_needs_pass=form.cleaned_data["certificate_needs_pass"],
            pass_mark=form.cleaned_data["pass_mark"],
            by=request.user,  # type: ignore[arg-type]
        )
    except ValidationError as exc:
        add_service_errors(form, exc)
        return _page(request, event, form, status=400)
    messages.success(request, _("The test is saved."))
    return redirect("education-test", event.code)


@login_required
@require_POST
def phase_switch(request: HttpRequest, code: str, phase: str, action: str) -> HttpResponse:
    """Open or close the pre- or post-test."""
    event = policy.get_for_user(request.user, Event, need="change", code=code)
    if phase not in Phase.values or action not in ("buka", "tutup"):
        raise Http404
    label = Phase(phase).label
    if action == "buka":
        if not assessment.questions_of(assessment.test_of(event)):
            messages.error(request, _("Pick the test's questions before opening it."))
            return redirect("education-test", event.code)
        assessment.open_phase(event=event, phase=phase, by=request.user)  # type: ignore[arg-type]
        messages.success(request, _("%(test)s is open.") % {"test": label})
    else:
        assessment.close_phase(event=event, phase=phase, by=request.user)  # type: ignore[arg-type]
        messages.success(request, _("%(test)s is closed.") % {"test": label})
    return redirect("education-test", event.code)


@login_required
@require_http_methods(["GET", "POST"])
def score_import(request: HttpRequest, code: str) -> HttpResponse:
    """Paper test scores from a CSV or XLSX file, all or nothing."""
    event = policy.get_for_user(request.user, Event, need="change", code=code)

    def run(data: dict[str, Any]) -> imports.ScoreReport:
        upload = data["file"]
        return imports.import_scores(
            event=event,
            data=upload.read(),
            filename=upload.name,
            by=request.user,  # type: ignore[arg-type]
        )

    def done(report: imports.ScoreReport) -> HttpResponse:
        messages.success(
            request,
            ngettext("%(count)d score imported.", "%(count)d scores imported.", report.stored)
            % {"count": report.stored},
        )
        return redirect("education-test-results", event.code)

    return import_page(
        request,
        form=ScoreImportForm(request.POST or None, request.FILES or None),
        template="education/score_import.html",
        run=run,
        done=done,
        context={"event": event, "columns": imports.COLUMNS},
    )


def _gain_cells(g: LearningGain) -> list[Any]:
    def rounded(value: float | None, digits: int) -> float | None:
        return None if value is None else round(value, digits)

    return [
        g.n_pre,
        g.n_post,
        g.n_paired,
        rounded(g.mean_pre, 1),
        rounded(g.mean_post, 1),
        rounded(g.class_gain, 2),
        str(BAND_LABELS[g.class_band]) if g.class_band else "",
        rounded(g.mean_individual_gain, 2),
        str(BAND_LABELS[g.individual_band]) if g.individual_band else "",
    ]


def _workbook(event: Event, found: results.Results) -> HttpResponse:
    gain_head = [
        _("Group"),
        _("N pre"),
        _("N post"),
        _("N paired"),
        _("Mean pre-test"),
        _("Mean post-test"),
        _("Class gain"),
        _("Band"),
        _("Mean individual gain"),
        _("Band"),
    ]
    summary = [gain_head, [_("Whole event"), *_gain_cells(found.overall)]]
    summary += [[g.label, *_gain_cells(g.gain)] for g in found.groups]
    questions: list[list[Any]] = [
        [
            _("No."),
            _("Question"),
            _("Pre-test: answered"),
            _("Pre-test: correct (%)"),
            _("Post-test: answered"),
            _("Post-test: correct (%)"),
        ],
        *(
            [
                q.number,
                q.text,
                q.pre_answered,
                None if q.pre_share is None else round(100 * q.pre_share, 1),
                q.post_answered,
                None if q.post_share is None else round(100 * q.post_share, 1),
            ]
            for q in found.questions
        ),
    ]
    participants: list[list[Any]] = [
        [
            _("Ticket code"),
            _("Name"),
            _("Audience group"),
            _("Checked in"),
            _("Pre-test"),
            _("Post-test"),
            _("Paired"),
            _("Gain"),
        ],
        *(
            [
                p.ticket,
                p.name,
                p.group_label,
                _("yes") if p.checked_in else _("no"),
                p.pre,
                p.post,
                _("yes") if p.paired else _("no"),
                None if p.gain is None else round(p.gain, 2),
            ]
            for p in found.participants
        ),
    ]
    body = write_workbook(
        [
            Sheet(str(_("Learning gain")), summary),
            Sheet(str(_("Questions")), questions),
            Sheet(str(_("Participants")), participants),
        ]
    )
    response = HttpResponse(
        body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    name = f"{event.code}-hasil-tes-{timezone.localdate():%Y-%m-%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def results_page(request: HttpRequest, code: str) -> HttpResponse:
    event = policy.get_for_user(request.user, Event, code=code)
    found = results.event_results(event)
    if request.GET.get("export") == "xlsx":
        policy.require(request.user, "export", Event)
        return _workbook(event, found)
    context = {
        "event": event,
        "results": found,
        "test": assessment.test_of(event),
        "bands": BAND_LABELS,
        "can_change": policy.allows_model(request.user, "change", Event),
        "can_export": policy.allows_model(request.user, "export", Event),
        "summary": evaluation.summary(event),
    }
    return render(request, "education/test_results.html", context)
