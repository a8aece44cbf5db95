"""The gratification rule sets on the staff pages: readers see them, an administrator corrects a
threshold or a window (audited) and adds the next regulation's set; the checker follows the data."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from integritas.audit.models import Event
from integritas.core.testing import World, client_for
from integritas.prevention.gratification import Action
from integritas.prevention.models import Category, ExemptionRule, RuleSet
from integritas.prevention.services.checker import answer
from integritas.prevention.tests.conftest import FIRST_DAY_NEW, gift

pytestmark = pytest.mark.django_db


def new_rules() -> RuleSet:
    return RuleSet.objects.get(regulation="Perkom 1/2026")


def edit_data(rule_set: RuleSet, **changes: Any) -> dict[str, Any]:
    """The edit form as the page fills it, with ``changes`` (``set-…`` or ``rules-N-…``)."""
    data: dict[str, Any] = {}
    for name in [
        "name",
        "regulation",
        "upg_report_days",
        "kpk_report_days",
        "upg_forward_days",
        "completeness_days",
        "kpk_decision_days",
        "handover_days",
        "duty_rule",
        "duty_rule_en",
        "note",
    ]:
        data[f"set-{name}"] = getattr(rule_set, name)
    data["set-effective_from"] = (
        rule_set.effective_from.isoformat() if rule_set.effective_from else ""
    )
    rules = list(rule_set.rules.all())
    data |= {"rules-TOTAL_FORMS": len(rules), "rules-INITIAL_FORMS": len(rules)}
    for i, rule in enumerate(rules):
        data[f"rules-{i}-id"] = rule.pk
        for name in ["name", "name_en", "max_per_gift", "max_per_giver_year"]:
            value = getattr(rule, name)
            data[f"rules-{i}-{name}"] = "" if value is None else value
        for name in ["exempt", "cash_allowed"]:
            if getattr(rule, name):
                data[f"rules-{i}-{name}"] = "on"
    return data | changes


def test_the_shipped_rule_sets_match_the_domain_table() -> None:
    rows = {
        (r.rule_set.regulation, r.category): (
            r.exempt,
            r.cash_allowed,
            r.max_per_gift,
            r.max_per_giver_year,
        )
        for r in ExemptionRule.objects.select_related("rule_set")
    }
    assert rows == {
        ("Perkom 2/2019", "ceremony"): (True, True, 1_000_000, None),
        ("Perkom 2/2019", "colleague"): (True, False, 200_000, 1_000_000),
        ("Perkom 2/2019", "colleague_occasion"): (True, False, 300_000, 1_000_000),
        ("Perkom 2/2019", "family"): (True, True, None, None),
        ("Perkom 2/2019", "other"): (False, True, None, None),
        ("Perkom 1/2026", "ceremony"): (True, True, 1_500_000, None),
        ("Perkom 1/2026", "colleague"): (True, False, 500_000, 1_500_000),
        ("Perkom 1/2026", "colleague_occasion"): (False, False, None, None),
        ("Perkom 1/2026", "family"): (True, True, None, None),
        ("Perkom 1/2026", "other"): (False, True, None, None),
    }
    windows = {
        s.regulation: (s.effective_from, s.upg_report_days, s.kpk_report_days, s.completeness_days)
        for s in RuleSet.objects.all()
    }
    assert windows == {
        "Perkom 2/2019": (None, 10, 30, 30),
        "Perkom 1/2026": (dt.date(2026, 1, 20), 10, 30, 20),
    }


def test_readers_see_the_rule_sets_and_the_thresholds(world: World) -> None:
    response = client_for(world.leader).get("/pencegahan/aturan-gratifikasi/")
    assert response.status_code == 200
    assert "Perkom 1/2026" in response.content.decode()
    page = client_for(world.leader).get(f"/pencegahan/aturan-gratifikasi/{new_rules().pk}/")
    assert "Rp1.500.000" in page.content.decode()
    assert not page.context["can_change"]


def test_an_administrator_changes_a_threshold_with_an_audit_event_and_the_checker_follows(
    world: World,
) -> None:
    rule_set = new_rules()
    index = [r.category for r in rule_set.rules.all()].index(Category.COLLEAGUE)
    assert answer(gift(value=600_000)).action == Action.REPORT
    response = client_for(world.admin).post(
        f"/pencegahan/aturan-gratifikasi/{rule_set.pk}/ubah/",
        edit_data(rule_set, **{f"rules-{index}-max_per_gift": "750000", "set-upg_report_days": 7}),
    )
    assert response.status_code == 302
    assert answer(gift(value=600_000)).action == Action.NONE
    rule = rule_set.rules.get(category=Category.COLLEAGUE)
    event = Event.objects.get(action="prevention.rule_updated")
    assert event.actor == world.admin and event.object_id == str(rule.pk)
    assert event.changes == {"max_per_gift": [500_000, 750_000]}
    event = Event.objects.get(action="prevention.rule_set_updated")
    assert event.changes == {"upg_report_days": [10, 7]}
    result = answer(gift(value=800_000))
    assert result.deadline_upg == dt.date(2026, 1, 29)  # seven working days after 20 January


def test_a_bad_threshold_is_refused_and_nothing_changes(world: World) -> None:
    rule_set = new_rules()
    response = client_for(world.admin).post(
        f"/pencegahan/aturan-gratifikasi/{rule_set.pk}/ubah/",
        edit_data(rule_set, **{"rules-0-max_per_gift": "-5", "set-kpk_report_days": "30"}),
    )
    assert response.status_code == 400
    assert not Event.objects.filter(action__startswith="prevention.").exists()


def test_only_an_administrator_may_edit(world: World) -> None:
    url = f"/pencegahan/aturan-gratifikasi/{new_rules().pk}/ubah/"
    assert client_for(world.inspector_general).get(url).status_code == 403
    assert client_for(world.admin).get(url).status_code == 200


def test_a_new_rule_set_copies_the_latest_rules_and_takes_over_from_its_date(world: World) -> None:
    latest = new_rules()
    data = {
        f"set-{name}": getattr(latest, name)
        for name in [
            "upg_report_days",
            "kpk_report_days",
            "upg_forward_days",
            "completeness_days",
            "kpk_decision_days",
            "handover_days",
            "duty_rule",
            "duty_rule_en",
        ]
    }
    data |= {
        "set-name": "Aturan uji",
        "set-regulation": "Perkom 9/2026",
        "set-effective_from": "2026-06-01",
        "set-note": "",
    }
    response = client_for(world.admin).post("/pencegahan/aturan-gratifikasi/baru/", data)
    assert response.status_code == 302
    created = RuleSet.objects.get(regulation="Perkom 9/2026")
    assert created.rules.count() == 5
    assert Event.objects.filter(action="prevention.rule_set_created").count() == 1
    assert answer(gift(received_on=dt.date(2026, 6, 1))).regulation == "Perkom 9/2026"
    assert answer(gift(received_on=FIRST_DAY_NEW)).regulation == "Perkom 1/2026"


def test_a_second_rule_set_without_a_date_is_refused(world: World) -> None:
    rule_set = new_rules()
    response = client_for(world.admin).post(
        f"/pencegahan/aturan-gratifikasi/{rule_set.pk}/ubah/",
        edit_data(rule_set, **{"set-effective_from": ""}),
    )
    assert response.status_code == 400
    assert "effective_from" in response.context["form"].errors


def test_the_latest_rule_set_is_the_last_to_take_effect_not_the_undated_oldest() -> None:
    assert RuleSet.objects.latest_set() == new_rules()
