"""Prevention demo data for Karyapura: the shipped gratification rule sets as the city's
administrator left them after checking them against the regulations, with a note on the
city's own practice (reports to the UPG within ten working days, the upper end of 7–10).

The note is written through the real service, so the rule set's history shows an audited
change. Idempotent: nothing is changed when the note is there.
"""

from __future__ import annotations

from integritas.core.models import User
from integritas.prevention.models import RuleSet
from integritas.prevention.services.rules import rule_set_save

NOTE = (
    "Diperiksa terhadap Perkom 1/2026. Di Kota Karyapura laporan gratifikasi disampaikan ke UPG "
    "paling lambat 10 hari kerja setelah diterima."
)


def seed_app() -> list[str]:
    """Hook for ``manage.py seed_demo``: lines describing what was changed."""
    rule_set = RuleSet.objects.filter(regulation="Perkom 1/2026").first()
    admin = User.objects.filter(username="admin").first()
    if rule_set is None or admin is None or rule_set.note:
        return []
    rule_set_save(rule_set=rule_set, values={"note": NOTE}, by=admin)
    return [f"Gratification rules: {rule_set.regulation} checked, with the city's UPG practice"]
