"""Building an instrument through the pages: create, add dimensions, sections and questions,
reorder, delete, publish (with every problem shown), new versions, retire, upload a workbook."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from integritas.audit.models import Event
from integritas.core.tests.conftest import World, client_for
from integritas.surveys.models import Instrument, InstrumentVersion, Question
from integritas.surveys.schema import Schema
from integritas.surveys.services import instrument_library
from integritas.surveys.services.instrument_workbook import export_version
from integritas.surveys.testing import build_version


def t(message: str, **values: Any) -> str:
    """``message`` in Indonesian, the personas' language, as pages and form errors show it."""
    with translation.override("id"):
        text = translation.gettext(message)
    return text % values if values else text


def problem(question: str, message: str, **values: Any) -> str:
    """A publishing problem about one question, as the pages show it."""
    return t("%(question)s: %(problem)s", question=question, problem=t(message, **values))


def in_indonesian(compute: Callable[[], Any]) -> Any:
    with translation.override("id"):
        return compute()


def url(name: str, *args: Any) -> str:
    return reverse(name, args=args)


@pytest.fixture
def builder(world: World) -> Client:
    return client_for(world.inspector)


def question_form(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "code": "U3",
        "type": "likert4",
        "text_id": "Bagaimana kecepatan layanan?",
        "text_en": "How fast was the service?",
        "required": "on",
        "dimension": "",
        "choices": "",
        "show_if": "",
    }
    data.update(overrides)
    return data


def test_an_inspector_builds_and_publishes_a_questionnaire(world: World, builder: Client) -> None:
    response = builder.post(
        url("surveys-instrument-create"),
        {"code": "kepuasan-pasar", "kind": "satisfaction", "title_id": "Survei kepuasan pasar"},
    )
    assert response.status_code == 302
    assert response["Location"] == url("surveys-instrument-version", "kepuasan-pasar", 1)
    version = InstrumentVersion.objects.get(instrument__code="kepuasan-pasar", number=1)

    response = builder.post(
        url("surveys-instrument-dimension-add", "kepuasan-pasar", 1),
        {"code": "U3", "name_id": "Waktu penyelesaian", "group": "", "weight": ""},
    )
    assert response.status_code == 302
    builder.post(
        url("surveys-instrument-section-add", "kepuasan-pasar", 1),
        {"code": "layanan", "title_id": "Layanan", "respondent_types": ["public"]},
    )
    dimension = version.dimensions.get(code="U3")
    response = builder.post(
        url("surveys-instrument-question-add", "kepuasan-pasar", 1, "layanan"),
        question_form(section=version.sections.get().pk, dimension=dimension.pk),
    )
    assert response.status_code == 302
    response = builder.post(
        url("surveys-instrument-question-add", "kepuasan-pasar", 1, "layanan"),
        question_form(
            section=version.sections.get().pk,
            code="mengadu",
            type="yesno",
            required="",
            text_id="Apakah Anda pernah mengadu?",
        ),
    )
    assert response.status_code == 302
    response = builder.post(
        url("surveys-instrument-question-add", "kepuasan-pasar", 1, "layanan"),
        question_form(
            section=version.sections.get().pk,
            code="aduan",
            type="longtext",
            required="",
            text_id="Apa isi aduan Anda?",
            show_if="mengadu = yes",
        ),
    )
    assert response.status_code == 302
    u3 = version.questions.get(code="U3")
    assert [(c.code, c.label_id, c.score) for c in u3.choices.order_by("order")][0] == (
        "1",
        "Sangat tidak setuju",
        1,
    )
    assert list(version.questions.get(code="mengadu").choices.values_list("code", flat=True)) == [
        "yes",
        "no",
    ]

    page = builder.get(url("surveys-instrument-version", "kepuasan-pasar", 1))
    assert page.context["problems"] == []
    response = builder.post(
        url("surveys-instrument-version-publish", "kepuasan-pasar", 1), {"confirm": "on"}
    )
    assert response.status_code == 302
    version.refresh_from_db()
    assert version.status == "published"
    schema = Schema.from_version(version)
    assert schema.encode({"U3": "4", "mengadu": "yes", "aduan": "Lambat"}, "public") == (
        [4, 1],
        {"aduan": "Lambat"},
    )
    actions = list(Event.objects.order_by("seq").values_list("action", "actor"))
    assert actions == [
        ("instrument.created", world.inspector.pk),
        ("instrument.dimension_added", world.inspector.pk),
        ("instrument.section_added", world.inspector.pk),
        ("instrument.question_added", world.inspector.pk),
        ("instrument.question_added", world.inspector.pk),
        ("instrument.question_added", world.inspector.pk),
        ("instrument.version_published", world.inspector.pk),
    ]


FORMULA = (
    "The text starts like a spreadsheet formula (=, +, - or @). Start it with a letter or a digit "
    "instead."
)


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"code": "Kode Salah"}, "code", None),
        (
            {"code": "import"},
            "code",
            t("“%(code)s” is reserved; choose another code.", code="import"),
        ),
        ({"title_id": "@pemda"}, "title_id", t(FORMULA)),
    ],
)
def test_a_bad_instrument_form_is_shown_again(
    world: World, builder: Client, values: dict[str, str], field: str, message: str | None
) -> None:
    data = {"code": "baru", "kind": "other", "title_id": "Baru", **values}
    response = builder.post(url("surveys-instrument-create"), data)
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert field in errors and (message is None or errors[field] == [message])
    assert not Instrument.objects.exists()


def test_the_titles_can_be_edited_but_not_the_code(world: World, builder: Client) -> None:
    build_version()
    response = builder.post(
        url("surveys-instrument-edit", "skm-test"),
        {"title_id": "Survei kepuasan", "title_en": "Satisfaction survey", "code": "lain"},
    )
    assert response.status_code == 302
    instrument = Instrument.objects.get()
    assert (instrument.code, instrument.title_en) == ("skm-test", "Satisfaction survey")
    assert Event.objects.get().action == "instrument.updated"


BAD_QUESTIONS: list[tuple[dict[str, str], Callable[[], str]]] = [
    ({"dimension": ""}, lambda: problem("U3", "the question is scored, so it needs a dimension.")),
    (
        {"code": "u1"},
        lambda: t("This version already has a question with this code (ignoring case)."),
    ),
    (
        {"code": "respondent_type"},
        lambda: t(
            "%(code)s is a column name of the response import; choose another code.",
            code="respondent_type",
        ),
    ),
    (
        {"choices": "1 | Satu\n2"},
        lambda: t("Line %(n)d: the label in Indonesian is missing.", n=2),
    ),
    (
        {"choices": "1 | Satu | One | banyak"},
        lambda: t(
            "Line %(n)d: %(problem)s",
            n=1,
            problem=t("“%(value)s” is not a number.", value="banyak"),
        ),
    ),
    (
        {"choices": "1|A\n1|B\n2|C\n3|D"},
        lambda: t("Line %(n)d: the code %(code)s is used twice.", n=2, code="1"),
    ),
    (
        {"choices": "1|A|A|1\n2|B|B|2\n3|C|C|3"},
        lambda: problem(
            "U3",
            "a %(points)d-point Likert question needs exactly %(points)d choices; it has %(n)d.",
            points=4,
            n=3,
        ),
    ),
    (
        {"show_if": "complained yes"},
        lambda: t(
            "Write the condition as “question = answer”, “question in answer1,answer2” or "
            "“question not_in answer1,answer2”."
        ),
    ),
    (
        {"show_if": "complaint_text = x"},
        lambda: t(
            "%(question)s: %(problem)s",
            question="U3",
            problem=t(
                "the condition: %(problem)s",
                problem=t(
                    "it must refer to a choice question; %(code)s is a question of another type.",
                    code="complaint_text",
                ),
            ),
        ),
    ),
    (
        {"type": "text", "choices": "a|A"},
        lambda: problem(
            "U3", "only choice questions have choices; remove them or change the type."
        ),
    ),
    (
        {"type": "number", "min_value": "5", "max_value": "1"},
        lambda: problem("U3", "the minimum is larger than the maximum."),
    ),
    ({"text_en": "=1+1"}, lambda: t(FORMULA)),
]


@pytest.mark.parametrize(("overrides", "expected"), BAD_QUESTIONS)
def test_a_bad_question_is_shown_again_with_the_reason(
    world: World, builder: Client, overrides: dict[str, str], expected: Callable[[], str]
) -> None:
    version = build_version(publish=False)
    data = question_form(
        **{
            "section": version.sections.get(code="layanan").pk,
            "dimension": version.dimensions.get(code="U1").pk,
            **overrides,
        }
    )
    response = builder.post(url("surveys-instrument-question-add", "skm-test", 1, "layanan"), data)
    assert response.status_code == 400
    messages = [m for errors in response.context["form"].errors.values() for m in errors]
    assert expected() in messages
    assert version.questions.count() == 5
    assert not Event.objects.exists()


def test_a_condition_may_not_point_at_a_later_question(world: World, builder: Client) -> None:
    version = build_version(publish=False)
    data = question_form(
        section=version.sections.get(code="profil").pk,
        code="alasan",
        type="text",
        choices="",
        show_if="complained = yes",
    )
    response = builder.post(url("surveys-instrument-question-add", "skm-test", 1, "profil"), data)
    assert response.status_code == 400
    expected = t(
        "%(question)s: %(problem)s",
        question="alasan",
        problem=t(
            "the condition: %(problem)s",
            problem=t(
                "it must refer to an earlier question of this version; %(code)s is not one.",
                code="complained",
            ),
        ),
    )
    assert response.context["form"].non_field_errors() == [expected]


def test_editing_a_question_changes_its_choices_and_page(world: World, builder: Client) -> None:
    version = build_version(publish=False)
    question = version.questions.get(code="sex")
    form = builder.get(url("surveys-instrument-question-edit", "skm-test", 1, "sex")).context[
        "form"
    ]
    assert form.initial["choices"] == "m | Laki-laki | Laki-laki\nf | Perempuan | Perempuan"
    response = builder.post(
        url("surveys-instrument-question-edit", "skm-test", 1, "sex"),
        question_form(
            section=version.sections.get(code="layanan").pk,
            code="sex",
            type="single",
            required="",
            text_id="Jenis kelamin",
            choices="l | Laki-laki | Male\np | Perempuan | Female",
        ),
    )
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.section.code == "layanan" and question.order == 4
    assert list(question.choices.values_list("code", "label_en")) == [
        ("l", "Male"),
        ("p", "Female"),
    ]


def test_questions_sections_and_dimensions_move_with_buttons(world: World, builder: Client) -> None:
    version = build_version(publish=False)
    response = builder.post(
        url("surveys-instrument-question-move", "skm-test", 1, "U2"), {"direction": "up"}
    )
    assert response.status_code == 302
    assert response["Location"].endswith("#question-U2")
    assert list(
        version.questions.filter(section__code="layanan")
        .order_by("order")
        .values_list("code", flat=True)
    )[:2] == ["U2", "U1"]
    builder.post(
        url("surveys-instrument-section-move", "skm-test", 1, "profil"), {"direction": "down"}
    )
    assert list(version.sections.order_by("order").values_list("code", flat=True)) == [
        "layanan",
        "profil",
    ]
    builder.post(
        url("surveys-instrument-dimension-move", "skm-test", 1, "U1"), {"direction": "down"}
    )
    assert list(version.dimensions.order_by("order").values_list("code", flat=True)) == ["U2", "U1"]
    response = builder.post(
        url("surveys-instrument-question-move", "skm-test", 1, "U2"), {"direction": "sideways"}
    )
    assert response.status_code == 400


def test_deleting_asks_for_confirmation_and_explains_a_refusal(
    world: World, builder: Client
) -> None:
    version = build_version(publish=False)
    delete = url("surveys-instrument-question-delete", "skm-test", 1, "complained")
    assert builder.post(delete).status_code == 400
    response = builder.post(delete, {"confirm": "on"})
    assert response.status_code == 400
    assert response.context["action_errors"] == [
        t(
            "The conditions of %(questions)s refer to %(code)s; change them first.",
            questions="complaint_text",
            code="complained",
        )
    ]
    builder.post(
        url("surveys-instrument-question-delete", "skm-test", 1, "complaint_text"),
        {"confirm": "on"},
    )
    assert builder.post(delete, {"confirm": "on"}).status_code == 302
    assert not version.questions.filter(code__startswith="complain").exists()
    response = builder.post(
        url("surveys-instrument-dimension-delete", "skm-test", 1, "U1"), {"confirm": "on"}
    )
    assert response.status_code == 400 and version.dimensions.filter(code="U1").exists()
    response = builder.post(
        url("surveys-instrument-section-delete", "skm-test", 1, "profil"), {"confirm": "on"}
    )
    assert response.status_code == 302
    assert list(version.sections.values_list("code", flat=True)) == ["layanan"]


def test_publishing_shows_every_problem_and_changes_nothing(world: World, builder: Client) -> None:
    version = build_version(publish=False)
    version.questions.get(code="U1").choices.get(code="4").delete()
    Question.objects.filter(pk=version.questions.get(code="U2").pk).update(dimension=None)
    publish = url("surveys-instrument-version-publish", "skm-test", 1)
    response = builder.post(publish)
    assert response.status_code == 400
    assert response.context["action_errors"] == [t("Tick the box to confirm the publication.")]
    response = builder.post(publish, {"confirm": "on"})
    assert response.status_code == 400
    expected = [
        problem(
            "U1",
            "a %(points)d-point Likert question needs exactly %(points)d choices; it has %(n)d.",
            points=4,
            n=3,
        ),
        problem("U2", "the question is scored, so it needs a dimension."),
    ]
    assert response.context["publish_errors"] == expected
    assert expected == in_indonesian(lambda: instrument_library.version_problems(version))
    html = response.content.decode()
    assert 'id="publish-errors"' in html and escape(expected[1]) in html
    version.refresh_from_db()
    assert version.status == "draft"


def test_a_published_version_sends_editors_back_and_stays_as_it_was(
    world: World, builder: Client
) -> None:
    build_version()
    edit = url("surveys-instrument-question-edit", "skm-test", 1, "U1")
    response = builder.get(edit)
    assert response.status_code == 302
    assert response["Location"] == url("surveys-instrument-version", "skm-test", 1)
    response = builder.post(edit, question_form(code="U1"), follow=True)
    status = t("Published").lower()
    message = t(
        "This version is %(status)s and cannot change. Make a new version from it to edit.",
        status=status,
    )
    assert escape(message) in response.content.decode()
    assert Question.objects.get(code="U1").text_id == "Pertanyaan U1"
    response = builder.post(
        url("surveys-instrument-question-delete", "skm-test", 1, "U1"), {"confirm": "on"}
    )
    assert response.status_code == 400
    assert Question.objects.filter(code="U1").exists()
    assert not Event.objects.exists()


def test_a_new_version_from_a_published_one_is_an_editable_copy(
    world: World, builder: Client
) -> None:
    build_version()
    new = url("surveys-instrument-version-new", "skm-test", 1)
    assert builder.post(new).status_code == 400
    response = builder.post(new, {"confirm": "on"})
    assert response["Location"] == url("surveys-instrument-version", "skm-test", 2)
    draft = InstrumentVersion.objects.get(number=2)
    assert draft.status == "draft" and draft.questions.count() == 5
    response = builder.get(url("surveys-instrument-question-edit", "skm-test", 2, "U1"))
    assert response.status_code == 200


def test_retiring_and_deleting_versions(world: World, builder: Client) -> None:
    build_version()
    builder.post(url("surveys-instrument-version-new", "skm-test", 1), {"confirm": "on"})
    retire = url("surveys-instrument-version-retire", "skm-test", 1)
    assert builder.post(retire).status_code == 400
    assert builder.post(retire, {"confirm": "on"}).status_code == 302
    assert InstrumentVersion.objects.get(number=1).status == "retired"
    assert builder.post(retire, {"confirm": "on"}).status_code == 400
    delete = url("surveys-instrument-version-delete", "skm-test", 2)
    response = builder.post(delete, {"confirm": "on"})
    assert response["Location"] == url("surveys-instrument", "skm-test")
    assert list(InstrumentVersion.objects.values_list("number", flat=True)) == [1]
    assert (
        builder.post(
            url("surveys-instrument-version-delete", "skm-test", 1), {"confirm": "on"}
        ).status_code
        == 400
    )


def test_uploading_a_workbook_makes_a_draft(world: World, builder: Client) -> None:
    version = build_version()
    upload = SimpleUploadedFile("skm-test.xlsx", export_version(version))
    response = builder.post(url("surveys-instrument-import"), {"file": upload})
    assert response.status_code == 302
    assert response["Location"] == url("surveys-instrument-version", "skm-test", 2)
    assert instrument_library.version_data(InstrumentVersion.objects.get(number=2)) == (
        instrument_library.version_data(version)
    )


def test_a_bad_workbook_is_reported_cell_by_cell(world: World, builder: Client) -> None:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(export_version(build_version())))
    book["survey"]["E3"] = "slider"
    book["choices"]["E2"] = "=2*2"
    buffer = io.BytesIO()
    book.save(buffer)
    upload = SimpleUploadedFile("rusak.xlsx", buffer.getvalue())
    response = builder.post(url("surveys-instrument-import"), {"file": upload})
    assert response.status_code == 400
    errors = [(e.sheet, e.row, e.column) for e in response.context["report"].errors]
    assert errors == [("survey", 3, "type"), ("choices", 2, "score")]
    assert 'id="import-errors"' in response.content.decode()
    assert InstrumentVersion.objects.count() == 1


def test_an_oversized_or_foreign_upload_is_refused(world: World, builder: Client) -> None:
    with override_settings(UPLOAD_MAX_BYTES=10):
        upload = SimpleUploadedFile("besar.xlsx", b"PK\x03\x04" + b"0" * 100)
        response = builder.post(url("surveys-instrument-import"), {"file": upload})
    assert response.status_code == 400
    assert response.context["form"].errors["file"] == [
        t("The file is larger than the limit of %(mb)d MB.", mb=0)
    ]
    upload = SimpleUploadedFile("daftar.csv", b"code,name\n")
    response = builder.post(url("surveys-instrument-import"), {"file": upload})
    assert response.status_code == 400
    assert response.context["report"].errors[0].message == t(
        "This file is not an Excel workbook (.xlsx). Download an instrument as XLSX, edit it, and "
        "upload it again; save older .xls files as .xlsx first."
    )
    assert not Instrument.objects.exists()


def test_unit_staff_may_read_but_not_build(world: World) -> None:
    build_version(publish=False)
    client = client_for(world.officer_a)
    page = client.get(url("surveys-instrument-version", "skm-test", 1))
    assert page.status_code == 200 and page.context["can_edit"] is False
    response = client.post(
        url("surveys-instrument-question-delete", "skm-test", 1, "U1"), {"confirm": "on"}
    )
    assert response.status_code == 403
    assert Question.objects.filter(code="U1").exists()
