"""The gratification rule sets as DOMAIN.md §6 gives them: Perkom 2/2019, and Perkom 1/2026 in
force from 20 January 2026. Administrators correct them on the staff pages afterwards.

Perkom 2/2019 carries no date: it covers every receipt before Perkom 1/2026. The UPG window is
the local practice's upper end (7–10 working days); a government with a shorter one changes it.
"""

import datetime as dt

from django.db import migrations

DUTY_RULE = "Pemberian yang berhubungan dengan jabatan wajib ditolak"
DUTY_RULE_EN = "A gift connected to the recipient's office must be refused"

CEREMONY = (
    "ceremony",
    "Hadiah pernikahan, kelahiran, upacara adat atau keagamaan, per pemberi",
    "Wedding, birth, religious or customary ceremony gift, per giver",
)
COLLEAGUE = (
    "colleague",
    "Hadiah bukan uang dari rekan kerja",
    "Non-cash gift from a colleague",
)
OCCASION = (
    "colleague_occasion",
    "Hadiah bukan uang dari rekan kerja saat pisah sambut, pensiun, promosi atau ulang tahun",
    "Non-cash gift from colleagues at a farewell, retirement, promotion or birthday",
)
OCCASION_REMOVED = (
    "colleague_occasion",
    "Hadiah rekan kerja saat pisah sambut, pensiun, promosi atau ulang tahun: tidak lagi dikecualikan",
    "Colleagues' gift at a farewell, retirement, promotion or birthday: no longer exempt",
)
FAMILY = (
    "family",
    "Pemberian dari keluarga dekat tanpa konflik kepentingan",
    "Gift from close family with no conflict of interest",
)
OTHER = (
    "other",
    "Gratifikasi lain wajib dilaporkan",
    "Any other gift must be reported",
)

# (category, name, name_en), exempt, cash allowed, limit per gift, limit per giver per year
SETS = [
    {
        "name": "Pelaporan Gratifikasi",
        "regulation": "Perkom 2/2019",
        "effective_from": None,
        "completeness_days": 30,
        "rules": [
            (CEREMONY, True, True, 1_000_000, None),
            (COLLEAGUE, True, False, 200_000, 1_000_000),
            (OCCASION, True, False, 300_000, 1_000_000),
            (FAMILY, True, True, None, None),
            (OTHER, False, True, None, None),
        ],
    },
    {
        "name": "Perubahan atas Perkom 2/2019 tentang Pelaporan Gratifikasi",
        "regulation": "Perkom 1/2026",
        "effective_from": dt.date(2026, 1, 20),
        "completeness_days": 20,
        "rules": [
            (CEREMONY, True, True, 1_500_000, None),
            (COLLEAGUE, True, False, 500_000, 1_500_000),
            (OCCASION_REMOVED, False, False, None, None),
            (FAMILY, True, True, None, None),
            (OTHER, False, True, None, None),
        ],
    },
]


def ship(apps, schema_editor):
    RuleSet = apps.get_model("prevention", "RuleSet")
    ExemptionRule = apps.get_model("prevention", "ExemptionRule")
    for data in SETS:
        rule_set = RuleSet.objects.create(
            name=data["name"],
            regulation=data["regulation"],
            effective_from=data["effective_from"],
            upg_report_days=10,
            kpk_report_days=30,
            upg_forward_days=10,
            completeness_days=data["completeness_days"],
            kpk_decision_days=30,
            handover_days=7,
            duty_rule=DUTY_RULE,
            duty_rule_en=DUTY_RULE_EN,
        )
        for (category, name, name_en), exempt, cash, per_gift, per_year in data["rules"]:
            ExemptionRule.objects.create(
                rule_set=rule_set,
                category=category,
                name=name,
                name_en=name_en,
                exempt=exempt,
                cash_allowed=cash,
                max_per_gift=per_gift,
                max_per_giver_year=per_year,
            )


def unship(apps, schema_editor):
    apps.get_model("prevention", "RuleSet").objects.filter(
        regulation__in=[data["regulation"] for data in SETS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("prevention", "0001_rule_sets")]

    operations = [migrations.RunPython(ship, unship)]
