"""The question banks (one per theme) for the Inspectorate: list with search and a theme
filter, create, change, delete. Leadership and administrators read them."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from integritas.core import policy
from integritas.education.forms import QuestionFilterForm, QuestionForm
from integritas.education.models import Event, Question, Theme
from integritas.education.services import assessment
from integritas.lib.forms import add_service_errors
from integritas.lib.tables import paginate


def _question(public_id: UUID) -> Question:
    try:
        return Question.objects.prefetch_related("choices").get(public_id=public_id)
    except Question.DoesNotExist as exc:
        raise Http404 from exc


@login_required
def question_list(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, "view", Event)
    f = QuestionFilterForm(request.GET).filters
    items = Question.objects.prefetch_related("choices").annotate(
        used=Count("tests", distinct=True)
    )
    if f["q"]:
        items = items.filter(Q(text__icontains=f["q"]) | Q(explanation__icontains=f["q"]))
    if f["theme"]:
        items = items.filter(theme=f["theme"])
    page, query = paginate(request, items.order_by("theme", "created_at", "pk"))
    context = {
        "page": page,
        "query": query,
        "f": f,
        "themes": Theme.choices,
        "can_change": policy.allows_model(request.user, "change", Event),
    }
    return render(request, "education/question_list.html", context)


def _form_page(
    request: HttpRequest, form: QuestionForm, question: Question | None, status: int = 200
) -> HttpResponse:
    context = {
        "form": form,
        "question": question,
        "in_use": question is not None and assessment.question_in_use(question),
    }
    return render(request, "education/question_form.html", context, status=status)


def _save(request: HttpRequest, question: Question) -> HttpResponse:
    creating = question.pk is None
    form = QuestionForm(request.POST)
    if not form.is_valid():
        return _form_page(request, form, None if creating else question, status=400)
    try:
        assessment.question_save(
            question=question,
            values=form.values(),
            options=form.options(),
            correct=form.correct_index(),
            by=request.user,  # type: ignore[arg-type]
        )
    except ValidationError as exc:
        add_service_errors(form, exc)
        return _form_page(request, form, None if creating else question, status=400)
    messages.success(request, _("The question is saved."))
    return redirect("education-question-list")


@login_required
@require_http_methods(["GET", "POST"])
def question_create(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, "change", Event)
    if request.method == "GET":
        theme = request.GET.get("theme", "")
        initial = {"theme": theme if theme in Theme.values else "", "kind": "single"}
        return _form_page(request, QuestionForm(initial=initial), None)
    return _save(request, Question())


@login_required
@require_http_methods(["GET", "POST"])
def question_edit(request: HttpRequest, public_id: UUID) -> HttpResponse:
    policy.require(request.user, "change", Event)
    question = _question(public_id)
    if request.method == "GET":
        return _form_page(request, QuestionForm.for_question(question), question)
    return _save(request, question)


@login_required
@require_POST
def question_delete(request: HttpRequest, public_id: UUID) -> HttpResponse:
    policy.require(request.user, "change", Event)
    question = _question(public_id)
    try:
        assessment.question_delete(question=question)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("education-question-edit", question.public_id)
    messages.success(request, _("The question is deleted."))
    return redirect("education-question-list")
