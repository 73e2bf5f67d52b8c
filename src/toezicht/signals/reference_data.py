"""The reference scales every installation starts with: source types, severity levels, vulnerable groups.

Administrators change them afterwards (deadlines, names, colours); the codes are what imports, the API
and the risk model refer to. The data migration seeds them; the demo loader calls ``ensure_reference_data``
too, because a test database that was flushed has lost what the migration seeded.
"""

from __future__ import annotations

from typing import Any

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


def ensure_reference_data(
    source_model: Any = None, severity_model: Any = None, group_model: Any = None
) -> None:
    """Create what is missing; never change what an administrator configured."""
    if source_model is None:
        from toezicht.signals.models import SeverityLevel, SourceType, VulnerableGroup

        source_model, severity_model, group_model = SourceType, SeverityLevel, VulnerableGroup
    for order, (code, name, amount, unit, mandatory) in enumerate(SOURCE_TYPES, start=1):
        source_model.objects.get_or_create(
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
        severity_model.objects.get_or_create(
            code=code, defaults={"name": name, "rank": rank, "colour": colour}
        )
    for code, name in VULNERABLE_GROUPS:
        group_model.objects.get_or_create(code=code, defaults={"name": name})
