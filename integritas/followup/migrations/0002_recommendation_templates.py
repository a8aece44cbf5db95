"""KPK's six standard recommendations after SPI 2022 and 2023 (DOMAIN.md §1), in our own words,
as the starting template library. Administrators may add, reword or retire templates."""

from django.db import migrations

TEMPLATES = [
    (
        "spi-coi",
        "Tekan risiko perdagangan pengaruh dengan aturan benturan kepentingan yang ditegakkan",
        "Reduce the risk of trading in influence with conflict-of-interest rules that are enforced",
        "Tetapkan aturan penanganan benturan kepentingan, minta pernyataan dari pejabat terkait, "
        "catat setiap benturan yang dilaporkan dan tindak lanjuti pelanggarannya.",
        "Adopt rules for handling conflicts of interest, collect declarations from the officials "
        "concerned, record every declared conflict and act on breaches.",
    ),
    (
        "spi-detection",
        "Perkuat sistem dan SDM internal untuk mendeteksi korupsi",
        "Strengthen internal systems and people for detecting corruption",
        "Lengkapi pengendalian internal dengan analisis risiko korupsi, latih aparat pengawas "
        "mengenali tanda-tandanya, dan pastikan temuan ditindaklanjuti.",
        "Complete internal control with corruption-risk analysis, train oversight staff to "
        "recognise the warning signs, and make sure findings are acted on.",
    ),
    (
        "spi-oversight",
        "Optimalkan pengawasan internal dan eksternal",
        "Make internal and external oversight work better",
        "Rencanakan pengawasan berbasis risiko, buka ruang bagi pengawasan DPRD, masyarakat dan "
        "media, dan umumkan hasil tindak lanjutnya.",
        "Plan risk-based oversight, open room for oversight by the council, the public and the "
        "media, and publish what was done about it.",
    ),
    (
        "spi-education",
        "Lakukan sosialisasi, kampanye dan pelatihan antikorupsi secara berkala dan berkelanjutan",
        "Run anti-corruption socialization, campaigns and training regularly and continuously",
        "Susun jadwal tahunan sosialisasi untuk pegawai dan pemangku kepentingan, ukur pemahaman "
        "sebelum dan sesudahnya, dan jangkau unit yang skornya rendah lebih dulu.",
        "Draw up a yearly programme of socialization for staff and stakeholders, measure "
        "understanding before and after, and reach the units with low scores first.",
    ),
    (
        "spi-it",
        "Bangun sistem pencegahan korupsi berbasis teknologi informasi",
        "Build corruption-prevention systems based on information technology",
        "Pindahkan layanan, perizinan, pengadaan dan penganggaran ke sistem elektronik yang "
        "tercatat, sehingga tatap muka dan ruang tawar-menawar berkurang.",
        "Move services, permits, procurement and budgeting to recorded electronic systems so "
        "that face-to-face contact and room for bargaining shrink.",
    ),
    (
        "spi-reporting",
        "Bangun sistem pengaduan yang melindungi pelapor",
        "Build a complaint system that protects reporters",
        "Sediakan saluran pengaduan dan whistleblowing yang menjaga kerahasiaan pelapor, "
        "tanggapi setiap laporan dalam batas waktu, dan laporkan hasilnya kepada publik.",
        "Provide complaint and whistleblowing channels that keep reporters' identities "
        "confidential, answer every report within the time limits, and tell the public the "
        "outcomes.",
    ),
]


def seed(apps, schema_editor):
    Template = apps.get_model("followup", "RecommendationTemplate")
    for order, (code, title_id, title_en, body_id, body_en) in enumerate(TEMPLATES, start=1):
        Template.objects.get_or_create(
            code=code,
            defaults={
                "title_id": title_id,
                "title_en": title_en,
                "body_id": body_id,
                "body_en": body_en,
                "order": order,
            },
        )


def unseed(apps, schema_editor):
    apps.get_model("followup", "RecommendationTemplate").objects.filter(
        code__in=[t[0] for t in TEMPLATES]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("followup", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
