"""The instrument builder: list, instrument and version pages, draft editing, XLSX in and out.

Everyone with a role may read instruments (they are the questionnaires the government asks);
only the Inspectorate builds them (``surveys.access``). Content changes only in draft versions:
the services refuse anything else, and these views send the user back to the version page with
the reason.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Max, Q
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from integritas.audit.models import Event
from integritas.core import history, policy
from integritas.lib.imports import import_page
from integritas.lib.tables import EXPORT_FORMATS, Column, export_format, export_response, paginate
from integritas.surveys.forms.instruments import (
    ConfirmForm,
    DimensionForm,
    InstrumentFilterForm,
    InstrumentForm,
    InstrumentImportForm,
    MoveForm,
    QuestionForm,
    SectionForm,
)
from integritas.surveys.imports.instruments import (
    CHOICE_COLUMNS,
    DIMENSION_COLUMNS,
    SETTINGS_KEYS,
    SURVEY_COLUMNS,
    ImportResult,
    import_version,
)
from integritas.surveys.models import (
    Dimension,
    Instrument,
    InstrumentVersion,
    Question,
    RespondentType,
    Section,
)
from integritas.surveys.services import instrument_library, instrument_workbook, instruments

TEMPLATES = "surveys/instruments/"

# Rows of the instrument list are annotated with their version counts.
INSTRUMENT_COLUMNS: list[Column[Any]] = [
    Column("code", "code"),
    Column("kind", "kind"),
    Column("title_id", "title_id"),
    Column("title_en", "title_en"),
    Column("versions", "version_n"),
    Column("latest_published_version", lambda i: i.published_n or ""),
    Column("drafts", "draft_n"),
]


def _version(request: HttpRequest, code: str, number: int, need: Any = "view") -> InstrumentVersion:
    return policy.get_for_user(
        request.user, InstrumentVersion, need=need, instrument__code=code, number=number
    )


def _to_version(version: InstrumentVersion) -> HttpResponse:
    return redirect("surveys-instrument-version", version.instrument.code, version.number)


def _not_editable(request: HttpRequest, version: InstrumentVersion) -> HttpResponse | None:
    """Send the user back when the version is no longer a draft."""
    if version.is_editable:
        return None
    messages.error(
        request,
        _("This version is %(status)s and cannot change. Make a new version from it to edit.")
        % {"status": version.get_status_display().lower()},
    )
    return _to_version(version)


def _types_label(types: list[str] | None) -> str:
    labels = dict(RespondentType.choices)
    return ", ".join(str(labels.get(t, t)) for t in types or [])


# --- Lists and pages ---------------------------------------------------------------------------


@login_required
def instrument_list(request: HttpRequest) -> HttpResponseBase:
    items = policy.scope(request.user, Instrument).annotate(
        version_n=Count("versions", distinct=True),
        published_n=Max("versions__number", filter=Q(versions__status="published")),
        draft_n=Count("versions", filter=Q(versions__status="draft"), distinct=True),
    )
    f = InstrumentFilterForm(request.GET).filters
    if f["q"]:
        items = items.filter(
            Q(code__icontains=f["q"])
            | Q(title_id__icontains=f["q"])
            | Q(title_en__icontains=f["q"])
        )
    if f["kind"]:
        items = items.filter(kind=f["kind"])
    items = items.order_by("code")
    fmt = export_format(request)
    if fmt:
        return export_response(
            fmt=fmt,
            stem="instruments",
            columns=INSTRUMENT_COLUMNS,
            objects=items,
        )
    page, query = paginate(request, items)
    context = {
        "page": page,
        "query": query,
        "q": f["q"],
        "kind": f["kind"],
        "kinds": Instrument.Kind.choices,
        "can_create": policy.allows_model(request.user, "create", Instrument),
    }
    return render(request, TEMPLATES + "list.html", context)


@login_required
def instrument_detail(request: HttpRequest, code: str) -> HttpResponse:
    instrument = policy.get_for_user(request.user, Instrument, code=code)
    versions = list(instrument.versions.annotate(wave_n=Count("waves")).order_by("-number"))
    events = Event.objects.filter(
        Q(object_type="surveys.instrument", object_id=str(instrument.pk))
        | Q(
            object_type="surveys.instrumentversion",
            object_id__in=[str(v.pk) for v in versions],
        )
    ).select_related("actor")[:50]
    context = {
        "instrument": instrument,
        "versions": versions,
        "history": history.for_viewer(request.user, events),
        "can_change": policy.allows(request.user, "change", instrument),
    }
    return render(request, TEMPLATES + "detail.html", context)


def _version_context(request: HttpRequest, version: InstrumentVersion) -> dict[str, Any]:
    dimensions = list(
        version.dimensions.annotate(question_n=Count("questions")).order_by("order", "code")
    )
    sections = list(version.sections.order_by("order", "code"))
    questions = (
        version.questions.select_related("dimension")
        .prefetch_related("choices")
        .order_by("order", "code")
    )
    by_section: dict[int, list[Question]] = {}
    for q in questions:
        q.types_label = _types_label(q.respondent_types)  # type: ignore[attr-defined]
        q.condition_label = instrument_library.format_condition(q.condition)  # type: ignore[attr-defined]
        q.choice_list = sorted(q.choices.all(), key=lambda c: (c.order, c.code))  # type: ignore[attr-defined]
        by_section.setdefault(q.section_id, []).append(q)
    for s in sections:
        s.question_list = by_section.get(s.pk, [])  # type: ignore[attr-defined]
        s.types_label = _types_label(s.respondent_types)  # type: ignore[attr-defined]
    can_change = policy.allows(request.user, "change", version)
    return {
        "version": version,
        "instrument": version.instrument,
        "dimensions": dimensions,
        "sections": sections,
        "question_n": sum(len(v) for v in by_section.values()),
        "problems": instrument_library.version_problems(version) if version.is_editable else [],
        "wave_n": version.waves.count(),
        "can_change": can_change,
        "can_edit": can_change and version.is_editable,
        "history": history.for_viewer(
            request.user, Event.objects.for_object(version).select_related("actor")[:100]
        ),
    }


@login_required
def version_detail(request: HttpRequest, code: str, number: int) -> HttpResponse:
    version = _version(request, code, number)
    return render(request, TEMPLATES + "version.html", _version_context(request, version))


def _version_page_error(
    request: HttpRequest, version: InstrumentVersion, errors: list[str], **extra: Any
) -> HttpResponse:
    context = _version_context(request, version)
    context["action_errors"] = errors
    context.update(extra)
    return render(request, TEMPLATES + "version.html", context, status=400)


@login_required
def version_xlsx(request: HttpRequest, code: str, number: int) -> HttpResponse:
    version = _version(request, code, number)
    response = HttpResponse(
        instrument_workbook.export_version(version), content_type=EXPORT_FORMATS["xlsx"]
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{instrument_workbook.export_filename(version)}"'
    )
    return response


# --- Instruments -------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def instrument_create(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, "create", Instrument)
    form = InstrumentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        instrument = instruments.instrument_create(values=form.cleaned_data)
        messages.success(
            request,
            _("Instrument %(code)s was created with an empty draft version 1.")
            % {"code": instrument.code},
        )
        return redirect("surveys-instrument-version", instrument.code, 1)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        TEMPLATES + "instrument_form.html",
        {"form": form, "instrument": None},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def instrument_edit(request: HttpRequest, code: str) -> HttpResponse:
    instrument = policy.get_for_user(request.user, Instrument, need="change", code=code)
    form = InstrumentForm(request.POST or None, instance=instrument)
    if request.method == "POST" and form.is_valid():
        instruments.instrument_update(instrument=instrument, values=form.cleaned_data)
        messages.success(request, _("The instrument was saved."))
        return redirect("surveys-instrument", instrument.code)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        TEMPLATES + "instrument_form.html",
        {"form": form, "instrument": instrument},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def instrument_import(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, "create", Instrument)

    def run(data: dict[str, Any]) -> ImportResult:
        upload = data["file"]
        return import_version(data=upload.read(), filename=upload.name)

    def done(result: ImportResult) -> HttpResponse:
        version = result.version
        assert version is not None  # a good workbook is saved as a version
        messages.success(
            request,
            _("The file was imported as draft version %(number)d of %(code)s.")
            % {"number": version.number, "code": version.instrument.code},
        )
        if result.problems:
            messages.warning(
                request,
                _("Fix the problems listed below before publishing this version."),
            )
        return _to_version(version)

    return import_page(
        request,
        form=InstrumentImportForm(request.POST or None, request.FILES or None),
        template=TEMPLATES + "import.html",
        run=run,
        done=done,
        context={
            "sheets": [
                ("settings", SETTINGS_KEYS),
                ("dimensions", DIMENSION_COLUMNS),
                ("survey", SURVEY_COLUMNS),
                ("choices", CHOICE_COLUMNS),
            ],
        },
    )


# --- Versions ----------------------------------------------------------------------------------


@require_POST
@login_required
def version_new_draft(request: HttpRequest, code: str, number: int) -> HttpResponse:
    source = _version(request, code, number, need="change")
    if not ConfirmForm(request.POST).is_valid():
        return _version_page_error(request, source, [_("Confirm that you want a new version.")])
    version = instruments.version_new_draft(instrument=source.instrument, source=source)
    messages.success(
        request,
        _("Draft version %(new)d was made from version %(old)d.")
        % {"new": version.number, "old": source.number},
    )
    return _to_version(version)


@require_POST
@login_required
def version_publish(request: HttpRequest, code: str, number: int) -> HttpResponse:
    version = _version(request, code, number, need="change")
    if not ConfirmForm(request.POST).is_valid():
        return _version_page_error(
            request, version, [_("Tick the box to confirm the publication.")]
        )
    try:
        instrument_library.version_publish(version=version)
    except ValidationError as exc:
        return _version_page_error(
            request,
            InstrumentVersion.objects.get(pk=version.pk),
            [_("The version was not published.")],
            publish_errors=exc.messages,
        )
    messages.success(
        request,
        _("Version %(number)d is published. It can no longer change; waves can now use it.")
        % {"number": version.number},
    )
    return _to_version(version)


@require_POST
@login_required
def version_retire(request: HttpRequest, code: str, number: int) -> HttpResponse:
    version = _version(request, code, number, need="change")
    if not ConfirmForm(request.POST).is_valid():
        return _version_page_error(request, version, [_("Tick the box to confirm.")])
    try:
        instruments.version_retire(version=version)
    except ValidationError as exc:
        return _version_page_error(request, version, exc.messages)
    messages.success(request, _("Version %(number)d is retired.") % {"number": version.number})
    return _to_version(version)


@require_POST
@login_required
def version_delete(request: HttpRequest, code: str, number: int) -> HttpResponse:
    version = _version(request, code, number, need="change")
    if not ConfirmForm(request.POST).is_valid():
        return _version_page_error(request, version, [_("Tick the box to confirm.")])
    try:
        instruments.version_delete(version=version)
    except ValidationError as exc:
        return _version_page_error(request, version, exc.messages)
    messages.success(request, _("Draft version %(number)d was deleted.") % {"number": number})
    return redirect("surveys-instrument", code)


# --- Dimensions, sections, questions ---------------------------------------------------------

View = Callable[..., HttpResponse]


@dataclass(frozen=True)
class ItemPages:
    """What the add, edit, delete and move pages of one kind of a draft's content need."""

    related: str  # the version's related name, e.g. "dimensions"
    model: type[Dimension | Section | Question]
    form: type[DimensionForm | SectionForm | QuestionForm]
    add: Callable[[InstrumentVersion, Any], object]  # (version, valid form)
    update: Callable[[Any, Any], object]  # (item, valid form)
    delete: Callable[[Any], None]
    added: Promise
    saved: Promise
    add_title: Promise  # may name the section the item goes to: %(section)s
    edit_title: Promise  # names the item: %(code)s


ITEMS = {
    "dimension": ItemPages(
        related="dimensions",
        model=Dimension,
        form=DimensionForm,
        add=lambda version, form: instruments.dimension_add(
            version=version, values=form.cleaned_data
        ),
        update=lambda item, form: instruments.dimension_update(
            dimension=item, values=form.cleaned_data
        ),
        delete=lambda item: instruments.dimension_delete(dimension=item),
        added=gettext_lazy("The dimension was added."),
        saved=gettext_lazy("The dimension was saved."),
        add_title=gettext_lazy("Add a dimension"),
        edit_title=gettext_lazy("Edit dimension %(code)s"),
    ),
    "section": ItemPages(
        related="sections",
        model=Section,
        form=SectionForm,
        add=lambda version, form: instruments.section_add(
            version=version, values=form.cleaned_data
        ),
        update=lambda item, form: instruments.section_update(
            section=item, values=form.cleaned_data
        ),
        delete=lambda item: instruments.section_delete(section=item),
        added=gettext_lazy("The section was added."),
        saved=gettext_lazy("The section was saved."),
        add_title=gettext_lazy("Add a section"),
        edit_title=gettext_lazy("Edit section %(code)s"),
    ),
    "question": ItemPages(
        related="questions",
        model=Question,
        form=QuestionForm,
        add=lambda version, form: instruments.question_add(
            section=form.cleaned_data["section"],
            values=form.service_values(),
            choices=form.parsed_choices,
        ),
        update=lambda item, form: instruments.question_update(
            question=item,
            values=form.service_values(),
            choices=form.parsed_choices,
            section=form.cleaned_data["section"],
        ),
        delete=lambda item: instruments.question_delete(question=item),
        added=gettext_lazy("The question was added."),
        saved=gettext_lazy("The question was saved."),
        add_title=gettext_lazy("Add a question to %(section)s"),
        edit_title=gettext_lazy("Edit question %(code)s"),
    ),
}


def _item_form_page(
    request: HttpRequest,
    version: InstrumentVersion,
    form: Any,
    *,
    save: Callable[[], object],
    done: str,
    title: str,
    item: Any = None,
) -> HttpResponse:
    """The add/edit flow shared by dimensions, sections and questions: on a valid POST run
    ``save`` (its ValidationError becomes form errors) and go back to the version; otherwise
    show the form (400 after a failed POST)."""
    if request.method == "POST" and form.is_valid() and _save_or_report(request, form, save):
        messages.success(request, done)
        return _to_version(version)
    context = {
        "version": version,
        "instrument": version.instrument,
        "form": form,
        "title": title,
        "item": item,
    }
    status = 400 if request.method == "POST" else 200
    return render(request, TEMPLATES + "item_form.html", context, status=status)


def _save_or_report(request: HttpRequest, form: Any, action: Any) -> bool:
    """Run the service; a ValidationError it raises becomes form errors."""
    try:
        action()
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            for name, errors in exc.message_dict.items():
                form.add_error(name if name in form.fields else None, errors)
        else:
            form.add_error(None, exc.messages)
        return False
    return True


def _add(
    request: HttpRequest, code: str, number: int, kind: str, section: str | None
) -> HttpResponse:
    """A new item at the end of the version (a question: at the end of ``section``)."""
    pages = ITEMS[kind]
    version = _version(request, code, number, need="change")
    target = get_object_or_404(version.sections, code=section) if section is not None else None
    if (back := _not_editable(request, version)) is not None:
        return back
    form = pages.form(
        request.POST or None,
        version=version,
        instance=pages.model(version=version),
        initial={"section": target.pk} if target is not None else None,
    )
    return _item_form_page(
        request,
        version,
        form,
        save=lambda: pages.add(version, form),
        done=str(pages.added),
        title=str(pages.add_title) % {"section": target.code} if target else str(pages.add_title),
    )


def _edit(request: HttpRequest, code: str, number: int, item: str, kind: str) -> HttpResponse:
    pages = ITEMS[kind]
    version = _version(request, code, number, need="change")
    obj = _item(version, kind, item)
    if (back := _not_editable(request, version)) is not None:
        return back
    form = pages.form(request.POST or None, version=version, instance=obj)
    return _item_form_page(
        request,
        version,
        form,
        save=lambda: pages.update(obj, form),
        done=str(pages.saved),
        title=str(pages.edit_title) % {"code": item},
        item=obj,
    )


def _item(version: InstrumentVersion, kind: str, code: str) -> Any:
    return get_object_or_404(getattr(version, ITEMS[kind].related), code=code)


def _delete(request: HttpRequest, code: str, number: int, item: str, kind: str) -> HttpResponse:
    version = _version(request, code, number, need="change")
    obj = _item(version, kind, item)
    if not ConfirmForm(request.POST).is_valid():
        return _version_page_error(request, version, [_("Confirm the deletion.")])
    try:
        ITEMS[kind].delete(obj)
    except ValidationError as exc:
        return _version_page_error(request, version, exc.messages)
    messages.success(request, _("%(code)s was deleted.") % {"code": item})
    return _to_version(version)


def _move(request: HttpRequest, code: str, number: int, item: str, kind: str) -> HttpResponse:
    version = _version(request, code, number, need="change")
    obj = _item(version, kind, item)
    form = MoveForm(request.POST)
    if not form.is_valid():
        return _version_page_error(request, version, [_("Choose up or down.")])
    try:
        instruments.item_move(item=obj, direction=form.cleaned_data["direction"])
    except ValidationError as exc:
        return _version_page_error(request, version, exc.messages)
    url = reverse("surveys-instrument-version", args=[version.instrument.code, version.number])
    return redirect(f"{url}#{kind}-{obj.code}")


def _views(kind: str) -> tuple[View, View, View, View]:
    """The add, edit, delete and move views of one kind of item, for the URL map in ``surveys/urls.py``."""

    @login_required
    @require_http_methods(["GET", "POST"])
    def add(
        request: HttpRequest, code: str, number: int, section: str | None = None
    ) -> HttpResponse:
        return _add(request, code, number, kind, section)

    @login_required
    @require_http_methods(["GET", "POST"])
    def edit(request: HttpRequest, code: str, number: int, item: str) -> HttpResponse:
        return _edit(request, code, number, item, kind)

    @require_POST
    @login_required
    def delete(request: HttpRequest, code: str, number: int, item: str) -> HttpResponse:
        return _delete(request, code, number, item, kind)

    @require_POST
    @login_required
    def move(request: HttpRequest, code: str, number: int, item: str) -> HttpResponse:
        return _move(request, code, number, item, kind)

    for view, action in ((add, "add"), (edit, "edit"), (delete, "delete"), (move, "move")):
        view.__name__ = view.__qualname__ = f"{kind}_{action}"
    return add, edit, delete, move


dimension_add, dimension_edit, dimension_delete, dimension_move = _views("dimension")
section_add, section_edit, section_delete, section_move = _views("section")
question_add, question_edit, question_delete, question_move = _views("question")
