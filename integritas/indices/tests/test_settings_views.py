"""The method settings pages: list with the year overview and export, create with the defaults
prefilled, edit, delete with a confirmation page."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from integritas.audit.models import Event
from integritas.core.testing import World, body, client_for
from integritas.indices.models import MethodSetting

pytestmark = pytest.mark.django_db
THIS_YEAR = timezone.localdate().year


def integrity_post(year: int = 2025, **changes: str) -> dict[str, str]:
    return {
        "year": str(year),
        "weight_internal": "0,5",
        "weight_external": "0,4",
        "weight_expert": "0,1",
        "correction": "5,39",
        "categories": "Rentan; 0; 72,9\nWaspada; 73; 77,9\nTerjaga; 78; 100",
        "precision": "1",
        "weak_threshold": "70",
        "note": "Surat KPK 2025",
        **changes,
    }


def test_the_create_form_is_prefilled_with_the_documented_defaults(world: World) -> None:
    client = client_for(world.inspector_general)
    page = client.get(reverse("indices-setting-create", args=["integrity"]) + "?year=2024")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'value="0,6"' in html  # Indonesian decimal comma
    assert 'value="0,3"' in html
    assert 'value="0,1"' in html
    assert "Rentan; 0; 72,9\nWaspada; 73; 77,9\nTerjaga; 78; 100" in html
    assert 'value="2024"' in html
    page = client.get(reverse("indices-setting-create", args=["integrity"]) + "?year=2022")
    assert "Sangat Rentan; 0; 67,9" in page.content.decode()
    page = client.get(reverse("indices-setting-create", args=["satisfaction"]))
    html = page.content.decode()
    assert "D; 25; 64,99\nC; 65; 76,6\nB; 76,61; 88,3\nA; 88,31; 100" in html
    assert f'value="{THIS_YEAR}"' in html


def test_an_unknown_method_is_not_found(world: World) -> None:
    client = client_for(world.admin)
    assert client.get(reverse("indices-setting-create", args=["mcp"])).status_code == 404


def test_creating_a_setting_stores_the_differences_and_records_an_event(world: World) -> None:
    client = client_for(world.admin)
    response = client.post(reverse("indices-setting-create", args=["integrity"]), integrity_post())
    assert response.status_code == 302
    assert response["Location"] == reverse("indices-setting", args=["integrity", 2025])
    setting = MethodSetting.objects.get(method="integrity", year=2025)
    assert setting.config == {
        "group_weights": {"internal": 0.5, "external": 0.4, "expert": 0.1},
        "correction": 5.39,
    }
    assert setting.weak_threshold == 70.0
    assert setting.note == "Surat KPK 2025"
    assert setting.updated_by == world.admin
    event = Event.objects.get(action="method_setting.created")
    assert event.actor == world.admin
    assert event.changes["correction"] == [None, "5.39"]


def test_bad_input_shows_the_form_again_and_saves_nothing(world: World) -> None:
    world.admin.language = "en"
    world.admin.save()
    client = client_for(world.admin)
    with_gap = "Rentan; 0; 72,9\nWaspada; 73,5; 77,9\nTerjaga; 78; 100"
    response = client.post(
        reverse("indices-setting-create", args=["integrity"]),
        integrity_post(weight_internal="0,4", categories=with_gap),
    )
    assert response.status_code == 400
    assert response.context["form"].errors == {
        "weight_internal": ["The group weights must add up to 1; they add up to 0.9."],
        "categories": [
            "There is a gap between 72.9 and 73.5: the band after “Rentan” must start at 73."
        ],
    }
    assert "they add up to 0.9." in response.content.decode()
    assert not MethodSetting.objects.exists()
    assert not Event.objects.exists()


def test_a_duplicate_year_is_refused_with_a_clear_error(world: World) -> None:
    MethodSetting.objects.create(method="integrity", year=2025)
    response = client_for(world.admin).post(
        reverse("indices-setting-create", args=["integrity"]), integrity_post()
    )
    assert response.status_code == 400
    assert MethodSetting.objects.count() == 1


def test_staff_who_may_not_change_settings_cannot_create_one(world: World) -> None:
    for user in (world.inspector, world.leader, world.officer_a):
        response = client_for(user).post(
            reverse("indices-setting-create", args=["integrity"]), integrity_post()
        )
        assert response.status_code == 403
    assert not MethodSetting.objects.exists()


def test_the_edit_form_shows_the_setting_and_saves_changes(world: World) -> None:
    setting = MethodSetting.objects.create(
        method="zi_perception", year=2024, config={"target": 3.5}, weak_threshold=3.0
    )
    client = client_for(world.inspector_general)
    url = reverse("indices-setting-edit", args=["zi_perception", 2024])
    html = client.get(url).content.decode()
    assert 'value="3,5"' in html
    assert 'value="3"' in html
    assert 'name="year"' not in html  # the year identifies the setting; it is not edited
    response = client.post(url, {"target": "3,6", "weak_threshold": "", "note": "PermenPANRB"})
    assert response.status_code == 302
    setting.refresh_from_db()
    assert setting.config == {"target": 3.6}
    assert setting.weak_threshold is None
    event = Event.objects.get(action="method_setting.updated")
    assert event.changes["target"] == ["3.5", "3.6"]
    assert event.changes["weak_threshold"] == [3.0, None]


def test_a_reader_sees_a_setting_but_no_edit_link(world: World) -> None:
    MethodSetting.objects.create(method="integrity", year=2022, config={"correction": 5.0})
    page = client_for(world.officer_a).get(reverse("indices-setting", args=["integrity", 2022]))
    assert page.status_code == 200
    html = page.content.decode()
    assert reverse("indices-setting-edit", args=["integrity", 2022]) not in html
    assert "2022" in html


def test_the_delete_page_asks_for_confirmation_then_deletes(world: World) -> None:
    MethodSetting.objects.create(method="integrity", year=2022)
    MethodSetting.objects.create(method="integrity", year=2024)
    client = client_for(world.admin)
    url = reverse("indices-setting-delete", args=["integrity", 2024])
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="confirm"' in page.content.decode()
    assert client.post(url, {}).status_code == 400
    assert MethodSetting.objects.count() == 2
    response = client.post(url, {"confirm": "yes"})
    assert response.status_code == 302
    assert list(MethodSetting.objects.values_list("year", flat=True)) == [2022]
    assert Event.objects.filter(action="method_setting.deleted").count() == 1


def test_the_list_shows_which_setting_applies_to_which_year(world: World) -> None:
    MethodSetting.objects.create(method="integrity", year=THIS_YEAR - 2, config={"correction": 5.0})
    MethodSetting.objects.create(method="integrity", year=THIS_YEAR)
    page = client_for(world.leader).get(reverse("indices-settings"))
    assert page.status_code == 200
    overview = {year: dict(cells) for year, cells in page.context["overview"]}
    assert overview[THIS_YEAR - 1]["integrity"].year == THIS_YEAR - 2
    assert overview[THIS_YEAR]["integrity"].year == THIS_YEAR
    assert overview[THIS_YEAR + 1]["integrity"].year == THIS_YEAR
    assert overview[THIS_YEAR]["satisfaction"] is None
    assert overview[THIS_YEAR - 2]["integrity"].year == THIS_YEAR - 2
    assert THIS_YEAR - 3 not in overview or overview[THIS_YEAR - 3]["integrity"] is None
    # Readers get no link to make a setting.
    html = page.content.decode()
    assert reverse("indices-setting-create", args=["satisfaction"]) not in html
    rows = {r["setting"].year: r["until"] for r in page.context["rows"]}
    assert rows == {THIS_YEAR - 2: THIS_YEAR - 1, THIS_YEAR: None}


def test_managers_get_a_link_to_make_a_setting_for_a_year_without_one(world: World) -> None:
    html = client_for(world.admin).get(reverse("indices-settings")).content.decode()
    assert (
        f"{reverse('indices-setting-create', args=['satisfaction'])}?year={THIS_YEAR + 1}" in html
    )


def test_the_list_exports_csv_and_xlsx(world: World) -> None:
    MethodSetting.objects.create(
        method="integrity", year=2022, config={"correction": 5.0}, weak_threshold=70
    )
    MethodSetting.objects.create(method="integrity", year=2024)
    client = client_for(world.inspector)
    response = client.get(reverse("indices-settings") + "?export=csv")
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(body(response).decode("utf-8-sig"))))
    assert [(r["Metode"], r["Mulai tahun"], r["Sampai tahun"]) for r in rows] == [
        ("integrity", "2024", ""),
        ("integrity", "2022", "2023"),
    ]
    assert rows[1]["Koreksi"] == "5"
    assert rows[1]["Ambang titik lemah"] == "70.0"
    assert rows[0]["Bobot kelompok responden"] == "internal 0.6 · external 0.3 · expert 0.1"
    xlsx = client.get(reverse("indices-settings") + "?export=xlsx")
    assert xlsx.status_code == 200
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
