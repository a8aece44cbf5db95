"""The home page: one panel per kind of role, each with live data and nothing out of scope."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation
from django_otp.plugins.otp_totp.models import TOTPDevice

from integritas.audit.context import acting_as
from integritas.audit.models import Event
from integritas.core import extensions
from integritas.core.models import FiscalYear, Unit, User
from integritas.core.services.units import unit_update
from integritas.core.tests.conftest import World, client_for, make_user

PANEL_TITLES = {
    "admin": "Administration",
    "inspectorate": "Work units at a glance",
    "leadership": "The government's work units",
    "handler": "Complaints and whistleblowing",
    "no_role": "Your account has no role yet",
}


def t(message: str, **values: object) -> str:
    """Template text in Indonesian, the personas' language, as the page shows it."""
    with translation.override("id"):
        text = translation.gettext(message)
    return text % values if values else text


def home_html(user: User) -> str:
    response = client_for(user).get(reverse("core-home"))
    assert response.status_code == 200
    return response.content.decode()


def main_part(html: str) -> str:
    """The page's own content, without the header, menu and footer every page shares."""
    return html[html.index('<main id="main"') : html.index("</main>")]


@pytest.mark.parametrize(
    ("persona", "panels"),
    [
        ("admin", ["admin"]),
        ("inspector_general", ["inspectorate"]),
        ("inspector", ["inspectorate"]),
        ("leader", ["leadership"]),
        ("head_a", ["unit"]),
        ("officer_a", ["unit"]),
        ("handler", ["handler"]),
        ("custodian", ["handler"]),
        ("nobody", ["no_role"]),
    ],
)
def test_each_persona_sees_the_panels_of_their_roles(
    world: World, persona: str, panels: list[str]
) -> None:
    response = client_for(world.personas()[persona]).get(reverse("core-home"))

    assert response.status_code == 200
    assert response.context["panels"] == panels
    html = response.content.decode()
    for panel, title in PANEL_TITLES.items():
        assert (t(title) in html) is (panel in panels), panel
    assert ('aria-labelledby="unit-' in html) is ("unit" in panels)


def test_a_visitor_who_is_not_signed_in_gets_the_registered_public_home(world: World) -> None:
    response = client_for(None).get(reverse("core-home"))

    assert response.status_code == 200
    assert reverse("core-login") in response.content.decode()  # the public home's "Masuk" link


def test_without_a_public_home_a_visitor_is_sent_to_the_login_page(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(extensions, "_public_home", [])
    response = client_for(None).get(reverse("core-home"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("core-login"))


def test_the_administrator_sees_account_counts_from_the_database(world: World) -> None:
    make_user("new_one", unit=world.dinkes)
    make_user("new_two")
    User.objects.filter(username="nobody").update(is_active=False)

    html = home_html(world.admin)

    active = User.objects.filter(is_active=True).count()
    assert active == 11
    assert (
        f'<div class="stat">{active}</div><div class="stat-label">{t("active accounts")}</div>'
        in html
    )
    assert (
        '<div class="stat">2</div><div class="stat-label">'
        f'<a href="/people/">{t("accounts without a role")}</a>'
    ) in html


def test_the_administrator_sees_who_still_has_to_set_up_two_factor(world: World) -> None:
    TOTPDevice.objects.create(user=world.inspector, name="authenticator", confirmed=True)

    response = client_for(world.admin).get(reverse("core-home"))

    missing = [p.username for p in response.context["admin"]["missing_2fa"]]
    assert missing == ["admin", "custodian", "handler", "inspector_general"]
    html = main_part(response.content.decode())
    assert ">Inspector General</a>" in html
    assert ">Inspector</a>" not in html
    assert ">Leader</a>" not in html


def test_the_administrator_sees_the_number_of_audit_events_and_the_latest_ones(
    world: World,
) -> None:
    with acting_as(label="test"):
        unit_update(unit=world.disdik, values={"name": "Dinas Pendidikan Kota"})
        unit_update(unit=world.dinkes, values={"address": "Jl. Sehat 5"})

    html = home_html(world.admin)

    assert (
        '<div class="stat">2</div><div class="stat-label">'
        f'<a href="/audit/">{t("audit events recorded")}</a>'
    ) in html
    assert t("Recent activity") in html
    assert "DISDIK — Dinas Pendidikan Kota" in html


@pytest.mark.parametrize("persona", ["inspector_general", "inspector"])
def test_the_inspectorate_sees_unit_counts_from_the_database(world: World, persona: str) -> None:
    Unit.objects.create(code="RSUD", name="RSUD Kota", type=Unit.Type.HOSPITAL)
    Unit.objects.create(
        code="DISHUB", name="Dinas Perhubungan", type=Unit.Type.OFFICE, is_active=False
    )

    response = client_for(world.personas()[persona]).get(reverse("core-home"))

    panel = response.context["inspectorate"]
    assert (panel["unit_count"], panel["top_level"], panel["staff_count"]) == (4, 3, 10)
    assert [(str(row["label"]), row["n"]) for row in panel["by_type"]] == [
        (str(Unit.Type.OFFICE.label), 2),
        (str(Unit.Type.HOSPITAL.label), 1),  # ties in the order of the type's code
        (str(Unit.Type.TECHNICAL_UNIT.label), 1),
    ]
    html = response.content.decode()
    assert (
        f'<div class="stat">4</div><div class="stat-label"><a href="/units/">{t("active units")}</a>'
    ) in html
    assert "RSUD Kota" in html
    assert "Dinas Perhubungan" not in html


def test_the_leader_sees_each_top_level_unit_with_its_sub_units_and_staff(world: World) -> None:
    make_user("teacher", unit=world.disdik)

    response = client_for(world.leader).get(reverse("core-home"))

    rows = {u.code: (u.children_n, u.staff_n) for u in response.context["leadership"]["top_units"]}
    assert rows == {"DINKES": (1, 2), "DISDIK": (0, 3)}
    html = response.content.decode()
    assert t("%(units)s active units, %(staff)s staff with accounts.", units=3, staff=11) in html
    assert (
        '<td>DISDIK</td><td><a href="/units/DISDIK/">Dinas Pendidikan</a></td><td>—</td>'
        '<td class="num">0</td><td class="num">3</td>'
    ) in html


def test_the_leader_does_not_count_deactivated_sub_units_or_staff(world: World) -> None:
    Unit.objects.create(
        code="DINKES.OLD",
        name="UPTD Lama",
        type=Unit.Type.TECHNICAL_UNIT,
        parent=world.dinkes,
        is_active=False,
    )
    make_user("retired", unit=world.dinkes)
    User.objects.filter(username="retired").update(is_active=False)

    response = client_for(world.leader).get(reverse("core-home"))

    rows = {u.code: (u.children_n, u.staff_n) for u in response.context["leadership"]["top_units"]}
    assert rows["DINKES"] == (1, 2)


@pytest.mark.parametrize("persona", ["officer_a", "head_a"])
def test_the_unit_staff_see_their_unit_its_sub_units_and_its_latest_changes(
    world: World, persona: str
) -> None:
    make_user("nurse", unit=world.dinkes)
    world.dinkes.head = world.head_a
    world.dinkes.save()
    with acting_as(label="test"):
        unit_update(unit=world.dinkes, values={"address": "Jl. Sehat 5"})

    response = client_for(world.personas()[persona]).get(reverse("core-home"))

    (item,) = response.context["unit_panel"]
    assert item["unit"] == world.dinkes
    assert [c.code for c in item["children"]] == ["DINKES.PKM"]
    html = main_part(response.content.decode())
    assert '<a href="/units/DINKES/">Dinas Kesehatan</a>' in html
    assert '<a href="/units/DINKES.PKM/">UPTD Puskesmas</a>' in html
    assert f"<dt>{t('Head')}</dt><dd>Head A</dd>" in html
    assert f"<dt>{t('Staff with accounts')}</dt><dd>3</dd>" in html
    assert t("Unit changed") in html


def test_the_officer_never_sees_another_units_data_on_the_home_page(world: World) -> None:
    Unit.objects.create(
        code="DISDIK.SD1", name="SD Negeri 1", type=Unit.Type.TECHNICAL_UNIT, parent=world.disdik
    )
    make_user("teacher", unit=world.disdik)
    with acting_as(label="test"):
        unit_update(unit=world.disdik, values={"address": "Jl. Pendidikan 2"})
    assert Event.objects.filter(object_id=str(world.disdik.pk)).exists()

    response = client_for(world.officer_a).get(reverse("core-home"))

    html = response.content.decode()
    assert "Dinas Kesehatan" in html
    for outside in (
        "DISDIK",
        "Dinas Pendidikan",
        "SD Negeri 1",
        "Teacher",
        "Officer B",
        "Jl. Pendidikan",
    ):
        assert outside not in html, outside
    assert "recent_events" not in response.context


def test_the_handler_sees_the_complaints_panel_and_no_unit_figures(world: World) -> None:
    html = main_part(home_html(world.handler))

    assert t("Complaints and whistleblowing") in html
    assert "Dinas Kesehatan" not in html
    assert "Dinas Pendidikan" not in html


def test_a_person_without_a_role_sees_only_the_no_role_panel(world: World) -> None:
    html = main_part(home_html(world.nobody))

    assert t("Your account has no role yet") in html
    assert "Dinas Pendidikan" not in html
    assert "DISDIK" not in html


def test_everyone_sees_the_open_fiscal_year(world: World) -> None:
    FiscalYear.objects.create(
        year=2025, status=FiscalYear.Status.CLOSED, **FiscalYear.defaults_for(2025)
    )
    FiscalYear.objects.create(
        year=2026, status=FiscalYear.Status.OPEN, **FiscalYear.defaults_for(2026)
    )

    html = home_html(world.officer_a)

    assert t("Fiscal year %(year)s", year=2026) in html
    assert t("Fiscal year %(year)s", year=2025) not in html
