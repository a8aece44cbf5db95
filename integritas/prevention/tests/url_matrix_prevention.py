"""Rows of the role × page matrix for the prevention pages (gathered by core's matrix test).

Staff pages: the gratification rule sets are read by the Inspectorate, leadership and
administrators; only administrators add or change them; everyone else gets 403 on the list and
404 on a set. The public checker under /gratifikasi/ answers everyone alike."""

from __future__ import annotations

from typing import Any

from integritas.core.testing import World, row
from integritas.prevention.models import RuleSet
from integritas.prevention.tests.conftest import ensure_rule_sets


def rule_set(w: World) -> dict[str, Any]:
    ensure_rule_sets()
    return {"pk": RuleSet.objects.get(regulation="Perkom 1/2026").pk}


READERS = row(403, admin=200, inspector_general=200, inspector=200, leader=200)
OUT_OF_SCOPE = {
    "head_a": 404,
    "officer_a": 404,
    "officer_b": 404,
    "handler": 404,
    "custodian": 404,
    "nobody": 404,
}

MATRIX = {
    "prevention-rule-set-list": (lambda w: {}, READERS),
    "prevention-rule-set-create": (lambda w: {}, row(403, admin=200)),
    "prevention-rule-set": (
        rule_set,
        row(404, admin=200, inspector_general=200, inspector=200, leader=200),
    ),
    "prevention-rule-set-edit": (
        rule_set,
        row(403, admin=200, **OUT_OF_SCOPE),
    ),
    "prevention-check": (lambda w: {}, row(200, anonymous=200)),
    # Without the gift's parameters the checker answers everyone alike: 400, naming them.
    "api-v1:gratification_check": (lambda w: {}, row(400, anonymous=400)),
}

# Empty POSTs: the administrator gets the form back with what is missing (400); the others are
# refused before validation.
POST_MATRIX = {
    "prevention-rule-set-create": (lambda w: {}, row(403, anonymous=302, admin=400)),
    "prevention-rule-set-edit": (
        rule_set,
        {**row(403, anonymous=302, admin=400), **OUT_OF_SCOPE},
    ),
}
