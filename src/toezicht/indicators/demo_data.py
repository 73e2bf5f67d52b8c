"""Demo indicators, norms and 24 months of monthly observations for the demo organisations.

Values are drawn from a generator seeded by (indicator, organisation, month), so a rerun gives the same
numbers and adds nothing (the import skips stored observations with the same value). The observations go
through the ordinary import, so breaches and their signals are made exactly as for a real file. The asylum
decision term is structurally infeasible in the demo: the sector view shows it with the principal (DG
Migratie) and the owner (SG) of the IND.
"""

from __future__ import annotations

import datetime
import math
import random
from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone
from django.utils.text import slugify

from toezicht.demo import data
from toezicht.indicators.importing import observations_import
from toezicht.indicators.models import Comparison, Direction, Frequency, Indicator, Norm
from toezicht.indicators.periods import add_months
from toezicht.indicators.services import indicator_save, norm_save
from toezicht.register.models import Organisation, SupervisionArea
from toezicht.strategy.models import Theme

MONTHS = 24

Draw = Callable[[random.Random, int, int], float]  # (rng, organisation position, month position) -> value


@dataclass(frozen=True)
class DemoIndicator:
    code: str
    name: str
    unit: str
    direction: str
    theme: str
    areas: tuple[str, ...]
    source: str
    description: str
    organisations: Callable[[], list[str]]
    draw: Draw
    norm: tuple[str, str, str, str, float, float, int]  # code, name, legal basis, comparison, threshold,
    # structural share, structural periods


def _pis() -> list[str]:
    return [f"pi-{slug}" for slug, *_ in data.PENITENTIARY_INSTITUTIONS]


def _gis() -> list[str]:
    return [code for code, *_ in data.CERTIFIED_INSTITUTIONS]


def _fpcs() -> list[str]:
    return [f"fpc-{slug}" for slug, *_ in data.FORENSIC_CENTRES]


def _police() -> list[str]:
    return [f"politie-{slug}" for slug, *_ in data.POLICE_UNITS]


def _regions() -> list[str]:
    return [f"vr-{slug}" for slug, *_ in data.SAFETY_REGIONS]


def _reception() -> list[str]:
    return [f"azc-{slugify(town)}" for town in data.RECEPTION_LOCATIONS]


def _season(month: int) -> float:
    """-1..1 over the year, highest in July."""
    return math.cos((month - 6) / 12 * 2 * math.pi)


def _occupancy(rng: random.Random, org: int, month: int) -> float:
    base = 89.0 + (org % 7) * 1.0
    trend = month * 0.05
    return round(base + trend + 1.5 * _season(month % 12) + rng.gauss(0, 1.2), 1)


def _youth_wait(rng: random.Random, org: int, month: int) -> float:
    base = 4.0 + (org % 5) * 1.6
    return round(max(1.0, base + 2.5 * _season(month % 12) + rng.gauss(0, 2.0)))


def _forensic_waitlist(rng: random.Random, org: int, month: int) -> float:
    return float(max(0, round(2.5 + (org % 4) * 1.4 + month * 0.06 + rng.gauss(0, 1.5))))


def _absence(rng: random.Random, org: int, month: int) -> float:
    return round(5.6 + (org % 6) * 0.3 + 0.8 * -_season(month % 12) + rng.gauss(0, 0.45), 1)


def _asylum_within_term(rng: random.Random, org: int, month: int) -> float:
    return round(min(100.0, 58.0 - month * 0.9 + rng.gauss(0, 3.0)), 1)


def _response_time(rng: random.Random, org: int, month: int) -> float:
    return round(min(100.0, 84.0 + (org % 5) * 1.4 - (4.0 if org % 6 == 0 else 0.0) + rng.gauss(0, 2.2)), 1)


def _reception_occupancy(rng: random.Random, org: int, month: int) -> float:
    crowded = 12.0 if org == 0 else 0.0  # the first location (the application centre) is overcrowded
    return round(88.0 + (org % 6) * 1.3 + crowded + month * 0.15 + rng.gauss(0, 1.8), 1)


INDICATORS = [
    DemoIndicator(
        "bezettingsgraad-pi",
        "Bezettingsgraad penitentiaire inrichtingen",
        "%",
        Direction.HIGHER_IS_WORSE,
        "leefklimaat",
        ("sanctietoepassing",),
        "DJI capaciteitsrapportage",
        "Bezette plaatsen als percentage van de operationele capaciteit, gemiddeld over de maand.",
        _pis,
        _occupancy,
        (
            "bezetting-pi-max-98",
            "Bezetting PI ten hoogste 98% van de operationele capaciteit",
            "Penitentiaire beginselenwet, art. 16 (verblijf in een eenpersoonscel); DJI capaciteitskader",
            Comparison.AT_MOST,
            98.0,
            0.5,
            3,
        ),
    ),
    DemoIndicator(
        "wachttijd-jeugdbescherming",
        "Wachttijd jeugdbescherming (dagen tot start)",
        "dagen",
        Direction.HIGHER_IS_WORSE,
        "doorlooptijden",
        ("jeugd",),
        "Maandrapportage gecertificeerde instellingen",
        "Gemiddeld aantal dagen tussen de uitspraak van de kinderrechter en de start van de jeugdbeschermer.",
        _gis,
        _youth_wait,
        (
            "start-jeugdbescherming-10-dagen",
            "Start jeugdbescherming binnen 10 dagen na de uitspraak",
            "Jeugdwet, art. 3.4 en Besluit Jeugdwet, art. 3.2 (normen voor de gecertificeerde instelling)",
            Comparison.AT_MOST,
            10.0,
            0.5,
            3,
        ),
    ),
    DemoIndicator(
        "wachtlijst-forensische-zorg",
        "Wachtlijst forensische zorg",
        "personen",
        Direction.HIGHER_IS_WORSE,
        "forensische-scherpte",
        ("sanctietoepassing",),
        "DJI Forensische Zorg plaatsingsoverzicht",
        "Aantal tbs-gestelden dat aan het eind van de maand wacht op plaatsing in de kliniek.",
        _fpcs,
        _forensic_waitlist,
        (
            "wachtlijst-fpc-max-8",
            "Ten hoogste 8 tbs-gestelden wachtend op plaatsing per kliniek",
            "Beginselenwet verpleging ter beschikking gestelden; Wet forensische zorg, art. 2.3",
            Comparison.AT_MOST,
            8.0,
            0.5,
            3,
        ),
    ),
    DemoIndicator(
        "ziekteverzuim-personeel",
        "Ziekteverzuim personeel",
        "%",
        Direction.HIGHER_IS_WORSE,
        "personeel",
        ("sanctietoepassing", "politie"),
        "Personeelsrapportage",
        "Verzuimpercentage van het eigen personeel over de maand.",
        lambda: _pis() + _police(),
        _absence,
        (
            "verzuim-max-8",
            "Ziekteverzuim ten hoogste 8%",
            "Arbeidsomstandighedenwet, art. 3 (zorgplicht werkgever) en art. 14 (deskundige ondersteuning)",
            Comparison.AT_MOST,
            8.0,
            0.5,
            3,
        ),
    ),
    DemoIndicator(
        "asiel-binnen-termijn",
        "Asielbeslissingen binnen de wettelijke termijn van 6 maanden",
        "%",
        Direction.LOWER_IS_WORSE,
        "doorlooptijden",
        ("migratie",),
        "IND maandcijfers",
        "Aandeel van de beslissingen op asielaanvragen in de maand dat binnen de beslistermijn is genomen.",
        lambda: ["ind"],
        _asylum_within_term,
        (
            "asiel-beslistermijn",
            "Beslissing op een asielaanvraag binnen 6 maanden",
            "Vreemdelingenwet 2000, art. 42 (beslistermijn van zes maanden)",
            Comparison.AT_LEAST,
            90.0,
            0.5,
            3,
        ),
    ),
    DemoIndicator(
        "opkomsttijd-brandweer",
        "Aanrijtijden brandweer binnen de normtijd",
        "%",
        Direction.LOWER_IS_WORSE,
        "crisisbeheersing",
        ("crisisbeheersing",),
        "Jaarverslagen en maandcijfers veiligheidsregio's",
        "Aandeel van de uitrukken met hoogste urgentie waarbij de eerste eenheid binnen de normtijd "
        "ter plaatse was.",
        _regions,
        _response_time,
        (
            "opkomsttijd-80-procent",
            "Ten minste 80% van de uitrukken binnen de opkomsttijd",
            "Wet veiligheidsregio's, art. 14 en Besluit veiligheidsregio's, art. 3.2.1 (opkomsttijden)",
            Comparison.AT_LEAST,
            80.0,
            0.5,
            3,
        ),
    ),
    DemoIndicator(
        "bezetting-coa",
        "Capaciteit COA: bezetting opvanglocaties",
        "%",
        Direction.HIGHER_IS_WORSE,
        "leefklimaat",
        ("migratie",),
        "COA bezettingsoverzicht",
        "Bewoners als percentage van de reguliere capaciteit van de locatie, op de laatste dag van de maand.",
        _reception,
        _reception_occupancy,
        (
            "bezetting-coa-max-100",
            "Bezetting opvanglocatie ten hoogste 100% van de capaciteit",
            "Wet COA, art. 3 en Regeling verstrekkingen asielzoekers 2005 (passende opvang)",
            Comparison.AT_MOST,
            100.0,
            0.5,
            3,
        ),
    ),
]


def demo_months(today: datetime.date | None = None) -> list[datetime.date]:
    """The 24 complete months before the current one."""
    today = today or timezone.localdate()
    last = add_months(today.replace(day=1), -1)
    return [add_months(last, -i) for i in reversed(range(MONTHS))]


def _csv_value(value: float) -> str:
    return f"{value:g}".replace(".", ",")


def load_demo_data() -> str:
    themes = {t.code: t for t in Theme.objects.all()}
    areas = {a.code: a for a in SupervisionArea.objects.all()}
    known = set(Organisation.objects.values_list("code", flat=True))
    months = demo_months()
    lines = ["indicator;organisatie;periode;waarde"]
    for spec in INDICATORS:
        existing = Indicator.objects.filter(code=spec.code).first()
        indicator = indicator_save(
            by=None,
            indicator=existing,
            data={
                "code": spec.code,
                "name": spec.name,
                "description": spec.description,
                "unit": spec.unit,
                "direction": spec.direction,
                "frequency": Frequency.MONTH,
                "source": spec.source,
                "theme": themes.get(spec.theme),
            },
            areas=[areas[code] for code in spec.areas if code in areas],
        )
        code, name, basis, comparison, threshold, share, periods = spec.norm
        norm_save(
            by=None,
            norm=Norm.objects.filter(code=code).first(),
            data={
                "code": code,
                "name": name,
                "legal_basis": basis,
                "indicator": indicator,
                "comparison": comparison,
                "threshold": threshold,
                "structural_share": share,
                "structural_periods": periods,
                "active": True,
            },
        )
        for org_position, organisation in enumerate(spec.organisations()):
            if organisation not in known:
                continue
            for month in months:
                absolute = month.year * 12 + month.month - 1
                rng = random.Random(f"{spec.code}|{organisation}|{month:%Y-%m}")
                value = spec.draw(rng, org_position, absolute - (2024 * 12))
                lines.append(f"{spec.code};{organisation};{month:%Y-%m};{_csv_value(value)}")
    outcome = observations_import(content="\n".join(lines).encode("utf-8"), filename="demo-metingen.csv")
    return (
        f"Indicatoren: {len(INDICATORS)} indicatoren met normen, {outcome.created} nieuwe metingen "
        f"({outcome.unchanged} al aanwezig), {outcome.breaches} normoverschrijdingen."
    )
