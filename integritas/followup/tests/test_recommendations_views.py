"""Recommendation pages: writing with source-specific references, templates, issuing, the TLHP
form, the list's filters and exports."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from integritas.audit.models import Event
from integritas.core.testing import World, body, client_for
from integritas.followup.models import ActionPlan, Recommendation, RecommendationTemplate
from integritas.followup.testing import recommendation

pytestmark = pytest.mark.django_db


def kpk_letter(world: World, **overrides: object) -> dict[str, object]:
    return {
        "source": "kpk_letter",
        "title": "Tindak lanjuti hasil SPI 2023",
        "reference_number": "B/1838/KSP.007/70-73/04/2024",
        "reference_date": "2024-04-04",
        "year": "2024",
        "priority": "high",
        "units": [world.dinkes.pk, world.disdik.pk],
        "amount_to_recover": "0",
        **overrides,
    }


def test_an_inspector_writes_a_recommendation_from_a_kpk_letter(world: World) -> None:
    response = client_for(world.inspector).post("/followup/recommendations/new/", kpk_letter(world))
    rec = Recommendation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/followup/recommendations/{rec.code}/"
    assert rec.code == "REK-2024-001" and rec.status == "draft"
    assert sorted(rec.units.values_list("code", flat=True)) == ["DINKES", "DISDIK"]
    assert Event.objects.get(action="recommendation.created").actor == world.inspector


def test_a_kpk_letter_without_its_number_and_date_saves_nothing(world: World) -> None:
    response = client_for(world.inspector).post(
        "/followup/recommendations/new/",
        kpk_letter(world, reference_number="", reference_date=""),
    )
    assert response.status_code == 400
    assert {"reference_number", "reference_date"} <= set(response.context["form"].errors)
    assert not Recommendation.objects.exists()


def test_an_audit_finding_needs_the_finding_and_keeps_the_amount_to_recover(
    world: World,
) -> None:
    client = client_for(world.inspector)
    data = kpk_letter(
        world,
        source="bpk",
        reference_number="LHP 12/2024",
        report_received_on="2024-04-08",
        finding="",
    )
    assert client.post("/followup/recommendations/new/", data).status_code == 400
    data.update(finding="Kelebihan bayar perjalanan dinas", amount_to_recover="15000000")
    assert client.post("/followup/recommendations/new/", data).status_code == 302
    assert str(Recommendation.objects.get().amount_to_recover) == "15000000.00"


def test_unit_staff_cannot_write_recommendations(world: World) -> None:
    response = client_for(world.officer_a).post("/followup/recommendations/new/", kpk_letter(world))
    assert response.status_code == 403
    assert not Recommendation.objects.exists()


def test_starting_from_a_template_uses_the_active_language(world: World) -> None:
    template = RecommendationTemplate.objects.get(code="spi-coi")
    client = client_for(world.inspector)
    page = client.get(f"/followup/recommendations/new/?template={template.code}")
    assert page.context["form"].initial["title"] == template.title_id
    client.post("/language/", {"language": "en", "next": "/"})
    page = client.get(f"/followup/recommendations/new/?template={template.code}")
    assert page.context["form"].initial["title"] == template.title_en
    client.post(
        "/followup/recommendations/new/",
        kpk_letter(world, source="spi", template=template.code, title=template.title_en),
    )
    assert Recommendation.objects.get().template == template


def test_issuing_asks_for_confirmation_then_gives_each_unit_a_plan(world: World) -> None:
    rec = recommendation(world, world.dinkes, world.disdik, issue=False)
    client = client_for(world.inspector)
    page = client.get(f"/followup/recommendations/{rec.code}/issue/")
    assert page.status_code == 200 and b"DISDIK" in page.content
    assert not ActionPlan.objects.exists()
    response = client.post(f"/followup/recommendations/{rec.code}/issue/")
    assert response.status_code == 302
    rec.refresh_from_db()
    assert rec.status == "issued"
    assert sorted(rec.plans.values_list("unit__code", "status")) == [
        ("DINKES", "draft"),
        ("DISDIK", "draft"),
    ]
    assert Event.objects.filter(action="recommendation.issued").count() == 1


def test_an_issued_recommendation_cannot_be_edited(world: World) -> None:
    rec = recommendation(world)
    response = client_for(world.inspector).post(
        f"/followup/recommendations/{rec.code}/edit/", kpk_letter(world, title="Lain")
    )
    assert response.status_code == 302
    rec.refresh_from_db()
    assert rec.title == "Tegakkan aturan benturan kepentingan"


def test_the_detail_page_shows_each_units_plan_to_the_inspectorate_only_own_to_units(
    world: World,
) -> None:
    rec = recommendation(world, world.dinkes, world.disdik)
    inspector_page = client_for(world.inspector).get(f"/followup/recommendations/{rec.code}/")
    assert [row["plan"].unit.code for row in inspector_page.context["plans"]] == [
        "DINKES",
        "DISDIK",
    ]
    unit_page = client_for(world.officer_b).get(f"/followup/recommendations/{rec.code}/")
    assert [row["plan"].unit.code for row in unit_page.context["plans"]] == ["DISDIK"]


def test_cannot_be_followed_up_needs_a_reason(world: World) -> None:
    rec = recommendation(world, source="bpk", finding="Temuan", amount_to_recover=1_000_000)
    client = client_for(world.inspector)
    url = f"/followup/recommendations/{rec.code}/tlhp/"
    response = client.post(url, {"tlhp": "tidak_dapat", "amount_recovered": "0"})
    assert response.status_code == 400 and "tlhp_reason" in response.context["form"].errors
    rec.refresh_from_db()
    assert rec.tlhp == "belum_ditindaklanjuti"
    response = client.post(
        url,
        {"tlhp": "tidak_dapat", "tlhp_reason": "Pihak terkait wafat", "amount_recovered": "250000"},
    )
    assert response.status_code == 302
    rec.refresh_from_db()
    assert (rec.tlhp, rec.tlhp_reason, str(rec.amount_recovered)) == (
        "tidak_dapat",
        "Pihak terkait wafat",
        "250000.00",
    )
    assert Event.objects.get(action="recommendation.tlhp_set").reason == "Pihak terkait wafat"


def test_the_list_filters_by_source_and_unit(world: World) -> None:
    recommendation(world, world.dinkes)
    recommendation(world, world.disdik, source="bpk", finding="Temuan", title="Audit BPK")
    client = client_for(world.inspector)
    codes = lambda q: [r.title for r in client.get(f"/followup/?{q}").context["page"]]  # noqa: E731
    assert codes("source=bpk") == ["Audit BPK"]
    assert codes("unit=DINKES") == ["Tegakkan aturan benturan kepentingan"]
    assert codes("q=audit") == ["Audit BPK"]
    assert codes("tlhp=sesuai") == []


def test_the_list_ignores_filter_values_it_does_not_know_and_keeps_the_year(world: World) -> None:
    recommendation(world, world.dinkes)
    client = client_for(world.inspector)
    year = Recommendation.objects.get().year
    page = client.get("/followup/?source=nope&year=abc&status=x&priority=-&tlhp=%3F&q=+")
    assert page.status_code == 200
    assert [r.title for r in page.context["page"]] == ["Tegakkan aturan benturan kepentingan"]
    assert len(client.get(f"/followup/?year={year}").context["page"]) == 1
    assert len(client.get(f"/followup/?year={year + 1}").context["page"]) == 0
    assert (
        f'<option value="{year}" selected>'
        in client.get(f"/followup/?year={year}").content.decode()
    )


def test_unit_staff_see_only_issued_recommendations_to_their_unit(world: World) -> None:
    recommendation(world, world.dinkes)
    recommendation(world, world.disdik, title="Untuk Disdik")
    recommendation(world, world.dinkes, title="Belum terbit", issue=False)
    page = client_for(world.officer_a).get("/followup/")
    assert [r.title for r in page.context["page"]] == ["Tegakkan aturan benturan kepentingan"]


def test_the_list_exports_csv_and_xlsx_for_readers_of_all(world: World) -> None:
    recommendation(world, world.dinkes, world.disdik)
    client = client_for(world.leader)
    csv = client.get("/followup/?export=csv")
    assert csv["Content-Disposition"].startswith('attachment; filename="recommendations-')
    lines = body(csv).decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Kode,Judul,Sumber")
    assert "REK-2024-001" in lines[1] and "DINKES, DISDIK" in lines[1]
    xlsx = client.get("/followup/?export=xlsx")
    sheet = load_workbook(io.BytesIO(body(xlsx))).active
    assert sheet.cell(2, 1).value == "REK-2024-001"


def test_unit_staff_may_not_export_the_list(world: World) -> None:
    recommendation(world)
    assert client_for(world.officer_a).get("/followup/?export=csv").status_code == 403
