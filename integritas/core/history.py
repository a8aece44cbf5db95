"""What a viewer limited to some units sees of an object's history.

A history section lists the audit events of one object. Some events carry figures of several
units at once (a wave's populations, the units added to it, the invitations per unit) or totals
that add up every unit. History follows the same scope as the page that shows it:

- a viewer who sees every unit (``policy.SEE_ALL_UNITS`` held globally) sees every event whole;
- for anyone else, the changes of an event that name units are cut down to the units they may see
  (``policy.scope(user, Unit)``), and totals over all units are left out (their own units'
  figures are on the page; a total would give away the others' by subtraction);
- an event left with none of its changes is left out altogether: nothing of it concerns them;
- changes about the object itself (its dates, settings, status) are shown as they are, and events
  of actions that nothing registers here are shown whole.

Apps say which of their events carry unit figures with ``extensions.register_unit_changes``.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from integritas.audit.models import Event
from integritas.core import policy
from integritas.core.models import Unit


@dataclass(frozen=True)
class UnitChanges:
    """Which changes of one action name units, and how.

    ``keyed``: every change is named by a unit's code (``{"DINKES": [old, new]}``).
    ``codes``: changes whose old and new values are a unit's code or a list of codes.
    ``per_unit``: changes whose values are ``{code: figure}``.
    ``totals``: changes whose values add up every unit.
    """

    keyed: bool = False
    codes: frozenset[str] = frozenset()
    per_unit: frozenset[str] = frozenset()
    totals: frozenset[str] = frozenset()

    def cut(self, changes: Mapping[str, Any], visible: frozenset[str]) -> dict[str, Any]:
        """The changes as seen by someone who may see the units whose codes are ``visible``."""
        kept: dict[str, Any] = {}
        for name, pair in changes.items():
            if name in self.totals or (self.keyed and name not in visible):
                continue
            if name in self.codes:
                pair = [_codes_in(value, visible) for value in pair]
            elif name in self.per_unit:
                pair = [_per_unit_in(value, visible) for value in pair]
            if name in self.codes or name in self.per_unit:
                if all(value is None for value in pair):
                    continue
            kept[name] = pair
        return kept


def _codes_in(value: Any, visible: frozenset[str]) -> Any:
    if isinstance(value, list):
        return [code for code in value if code in visible] or None
    return value if value in visible else None


def _per_unit_in(value: Any, visible: frozenset[str]) -> Any:
    if isinstance(value, dict):
        return {code: n for code, n in value.items() if code in visible} or None
    return None


UNIT_CHANGES: dict[str, UnitChanges] = {}


def register(actions: Mapping[str, UnitChanges]) -> None:
    UNIT_CHANGES.update(actions)


def for_viewer(user: Any, events: Iterable[Event]) -> list[Event]:
    """``events`` as ``user`` may see them (see the module's docstring). The events returned are
    copies where a change was cut: the recorded ones are never touched."""
    events = list(events)
    if policy.grants(user).has_global(*policy.SEE_ALL_UNITS):
        return events
    visible: frozenset[str] | None = None
    shown = []
    for event in events:
        rule = UNIT_CHANGES.get(event.action)
        if rule is None:
            shown.append(event)
            continue
        if visible is None:
            visible = frozenset(policy.scope(user, Unit).values_list("code", flat=True))
        changes = rule.cut(event.changes or {}, visible)
        if event.changes and not changes:
            continue
        if changes != event.changes:
            event = copy.copy(event)
            event.changes = changes
        shown.append(event)
    return shown
