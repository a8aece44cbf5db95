"""Cutting an event's changes down to the units a viewer may see (core/history.py)."""

from __future__ import annotations

from integritas.core.history import UnitChanges

VISIBLE = frozenset({"DINKES"})


def test_changes_named_by_unit_keep_only_the_viewers_units() -> None:
    changes = {"DINKES": [None, 10], "DISDIK": [None, 20]}
    assert UnitChanges(keyed=True).cut(changes, VISIBLE) == {"DINKES": [None, 10]}


def test_codes_and_figures_per_unit_are_cut_and_totals_left_out() -> None:
    rule = UnitChanges(
        codes=frozenset({"units"}),
        per_unit=frozenset({"invitations"}),
        totals=frozenset({"responses"}),
    )
    changes = {
        "units": [None, ["DINKES", "DISDIK"]],
        "invitations": [None, {"DINKES": 3, "DISDIK": 4}],
        "responses": [None, 7],
        "title": ["a", "b"],
    }
    assert rule.cut(changes, VISIBLE) == {
        "units": [None, ["DINKES"]],
        "invitations": [None, {"DINKES": 3}],
        "title": ["a", "b"],
    }


def test_a_change_about_other_units_only_disappears() -> None:
    rule = UnitChanges(codes=frozenset({"units"}), per_unit=frozenset({"invitations"}))
    changes = {"units": ["DISDIK", None], "invitations": [None, {"DISDIK": 4}]}
    assert rule.cut(changes, VISIBLE) == {}
