"""Source types, the severity scale and vulnerable groups every installation starts with.

Administrators change them afterwards (deadlines, names, colours); the codes are what imports, the API
and the risk model refer to.
"""

from django.db import migrations

SOURCE_TYPES = [
    # code, name, deadline amount, unit, mandatory notification
    ("incident_notification", "Verplichte incidentmelding", 10, "werkdagen", True),
    ("calamity_notification", "Calamiteitenmelding", 3, "werkdagen", True),
    ("citizen_complaint", "Klacht of melding van een burger", 42, "kalenderdagen", False),
    ("media", "Bericht in de media", 2, "werkdagen", False),
    ("parliamentary_question", "Kamervragen", 21, "kalenderdagen", False),
    ("own_observation", "Eigen waarneming", 20, "werkdagen", False),
    ("third_party_report", "Melding van derden", 10, "werkdagen", False),
    ("whistleblower", "Klokkenluidersmelding", 7, "kalenderdagen", False),
    ("norm_breach", "Normoverschrijding", 10, "werkdagen", False),
]

SEVERITY_LEVELS = [
    ("laag", "Laag", 1, "#39870c"),
    ("midden", "Midden", 2, "#b45309"),
    ("hoog", "Hoog", 3, "#d52b1e"),
    ("zeer-hoog", "Zeer hoog", 4, "#7a0000"),
]

VULNERABLE_GROUPS = [
    ("minderjarigen", "Minderjarigen"),
    ("gedetineerden", "Gedetineerden"),
    ("asielzoekers", "Asielzoekers"),
    ("forensische-patienten", "Forensische patiënten"),
    ("slachtoffers", "Slachtoffers"),
    ("vreemdelingen-in-bewaring", "Vreemdelingen in bewaring"),
]


def seed(apps, schema_editor):
    SourceType = apps.get_model("signals", "SourceType")
    SeverityLevel = apps.get_model("signals", "SeverityLevel")
    VulnerableGroup = apps.get_model("signals", "VulnerableGroup")
    for order, (code, name, amount, unit, mandatory) in enumerate(SOURCE_TYPES, start=1):
        SourceType.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "deadline_amount": amount,
                "deadline_unit": unit,
                "is_mandatory_notification": mandatory,
                "order": order * 10,
            },
        )
    for code, name, rank, colour in SEVERITY_LEVELS:
        SeverityLevel.objects.get_or_create(code=code, defaults={"name": name, "rank": rank, "colour": colour})
    for code, name in VULNERABLE_GROUPS:
        VulnerableGroup.objects.get_or_create(code=code, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("signals", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
