"""The target units of a recommendation: a checkbox list in the unit tree's order with a search
box that works without JavaScript (it narrows the list and keeps what was typed and ticked), and a
small script that filters as one types."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings

from integritas.core.testing import World, client_for
from integritas.followup.models import Recommendation
from integritas.followup.testing import recommendation

pytestmark = pytest.mark.django_db

NEW = "/followup/recommendations/new/"


def letter(world: World, **overrides: object) -> dict[str, object]:
    return {
        "source": "kpk_letter",
        "title": "Tindak lanjuti hasil SPI 2023",
        "reference_number": "B/1838/KSP.007/70-73/04/2024",
        "reference_date": "2024-04-04",
        "year": "2024",
        "priority": "high",
        "units": [world.dinkes.pk],
        "amount_to_recover": "0",
        **overrides,
    }


def boxes(html: str) -> dict[str, bool]:
    """The unit checkboxes on the page: {unit code: ticked}."""
    found = {}
    for tag in re.findall(r"<input[^>]*name=\"units\"[^>]*>", html):
        code = re.search(r'data-code="([^"]+)"', tag)
        assert code, tag
        found[code.group(1)] = " checked" in tag
    return found


def test_the_units_are_checkboxes_in_tree_order_with_a_search_box(world: World) -> None:
    response = client_for(world.inspector).get(NEW)
    html = response.content.decode()
    assert list(boxes(html)) == ["DINKES", "DINKES.PKM", "DISDIK"]
    assert not any(boxes(html).values())
    assert 'name="unit_q"' in html and 'name="unit_search"' in html
    # The sub-unit is indented under its parent.
    assert re.search(
        r'class="unit-option depth-1"[^>]*>\s*<label[^>]*>\s*<input[^>]*data-code="DINKES.PKM"',
        html,
    )


def test_searching_narrows_the_list_and_keeps_what_was_typed_and_ticked(world: World) -> None:
    client = client_for(world.inspector)
    response = client.post(
        NEW, letter(world, unit_q="pendidikan", unit_search="1", title="Draf judul")
    )
    assert response.status_code == 200
    assert not Recommendation.objects.exists()
    html = response.content.decode()
    # DISDIK matches the search; DINKES stays because it is ticked; the others are left out.
    assert boxes(html) == {"DINKES": True, "DISDIK": False}
    assert 'value="Draf judul"' in html and 'value="pendidikan"' in html
    assert 'class="errorlist' not in html
    # Searching by code works too, and an empty search shows every unit again.
    by_code = client.post(NEW, letter(world, unit_q="pkm", unit_search="1", units=[]))
    assert boxes(by_code.content.decode()) == {"DINKES.PKM": False}
    everything = client.post(NEW, letter(world, unit_q="", unit_search="1"))
    assert len(boxes(everything.content.decode())) == 3


def test_a_search_that_finds_nothing_says_so(world: World) -> None:
    response = client_for(world.inspector).post(
        NEW, letter(world, unit_q="zzz", unit_search="1", units=[])
    )
    assert boxes(response.content.decode()) == {}
    # The "no unit matches" line is shown (it is hidden while units are listed).
    assert "data-unit-none>" in response.content.decode()
    full = client_for(world.inspector).get(NEW).content.decode()
    assert "data-unit-none hidden>" in full


def test_the_ticked_units_are_kept_when_the_form_has_errors(world: World) -> None:
    response = client_for(world.inspector).post(
        NEW, letter(world, title="", units=[world.dinkes.pk, world.disdik.pk])
    )
    assert response.status_code == 400
    assert "title" in response.context["form"].errors
    ticked = {code for code, on in boxes(response.content.decode()).items() if on}
    assert ticked == {"DINKES", "DISDIK"}


def test_several_units_are_saved_and_the_edit_form_ticks_them(world: World) -> None:
    client = client_for(world.inspector)
    client.post(NEW, letter(world, units=[world.disdik.pk, world.puskesmas.pk]))
    rec = Recommendation.objects.get()
    assert sorted(rec.units.values_list("code", flat=True)) == ["DINKES.PKM", "DISDIK"]
    html = client.get(f"/followup/recommendations/{rec.code}/edit/").content.decode()
    assert {code for code, on in boxes(html).items() if on} == {"DINKES.PKM", "DISDIK"}
    # Searching on the edit page keeps the ticked units and changes nothing.
    searched = client.post(
        f"/followup/recommendations/{rec.code}/edit/",
        letter(world, units=[world.disdik.pk], unit_q="kesehatan", unit_search="1"),
    )
    assert boxes(searched.content.decode()) == {"DINKES": False, "DISDIK": True}
    assert sorted(rec.units.values_list("code", flat=True)) == ["DINKES.PKM", "DISDIK"]


def test_the_filter_script_is_a_static_file_of_our_own(world: World) -> None:
    other = recommendation(world, issue=False)
    html = client_for(world.inspector).get(f"/followup/recommendations/{other.code}/edit/")
    page = html.content.decode()
    assert re.search(r'<script src="/static/js/unit-picker\.js" defer></script>', page)
    script = Path(settings.BASE_DIR) / "static" / "js" / "unit-picker.js"
    assert script.is_file() and "http" not in script.read_text()
