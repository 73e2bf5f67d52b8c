"""The model described in plain Dutch, shaped like an entry of the Dutch government algorithm register.

Built from the active model version and live counts; rendered as a page, Markdown, HTML and JSON.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from toezicht.risk.engine import CRITERION_LABELS, RiskModel
from toezicht.risk.engine.explain import dutch_number

CRITERION_TEXT = {
    "signal_load": (
        "Signalen over de organisatie en het thema, gewogen naar ernst en hoe recent ze zijn (de invloed "
        "halveert na {half_life_days} dagen). Signalen zonder thema tellen voor elk thema mee met factor "
        "{general_factor}."
    ),
    "norm_breaches": (
        "Metingen die een wettelijke of afgesproken norm overschrijden; de invloed halveert na "
        "{half_life_periods} perioden."
    ),
    "indicator_pressure": (
        "De positie van de organisatie ten opzichte van alle andere organisaties op de indicatoren van het "
        "thema, over de laatste {window} perioden, met de trend erbij."
    ),
    "judgements": "Oordelen uit eerder onderzoek waarin normen niet zijn voldaan.",
    "learning_capacity": "Achterstallige en openstaande aanbevelingen uit eerder onderzoek.",
    "time_since_investigation": "Hoe lang het laatste onderzoek bij de organisatie geleden is.",
}

COMBINATION_TEXT = {
    "product": "score = 100 × kans × impact",
    "geometric_mean": "score = 100 × √(kans × impact)",
    "mean": "score = 100 × (kans + impact) / 2",
}


def register_entry(version: Any, counts: dict[str, int], latest: Any) -> dict[str, Any]:
    model = RiskModel.from_dict({**version.config, "version": version.number})
    weights = model.weights()
    total = sum(weights.values()) or 1.0
    criteria = []
    for key, weight in weights.items():
        params = {
            name: dutch_number(float(value)) if isinstance(value, int | float) else value
            for name, value in vars(getattr(model, key)).items()
        }
        criteria.append(
            {
                "criterium": CRITERION_LABELS[key],
                "gewicht": weight,
                "aandeel_procent": round(100 * weight / total),
                "uitleg": CRITERION_TEXT[key].format(**params),
            }
        )
    return {
        "naam": f"Risicobeeld toezicht – {version.name}",
        "organisatie": "Inspectie Justitie en Veiligheid",
        "status": "in gebruik" if version.status == "actief" else version.get_status_display(),
        "versie": version.number,
        "in_gebruik_sinds": version.activated_at.date().isoformat() if version.activated_at else None,
        "doel": (
            "Het risicobeeld helpt het toezicht te kiezen waar onderzoek het meest nodig is: het ordent "
            "organisaties en thema's naar de kans dat er iets misgaat en de impact als dat gebeurt."
        ),
        "toelichting": (
            "Voor elke combinatie van organisatie en thema berekent het systeem een kans (0-1) uit de "
            "criteria hieronder en een impact (0-1) uit het aantal betrokkenen en hun kwetsbaarheid. "
            f"Die worden gecombineerd tot een score van 0 tot 100 ({COMBINATION_TEXT[model.combination]}) en "
            "een risicoklasse uit de risicomatrix. Het is een eenvoudig, uitlegbaar rekenmodel zonder "
            "zelflerende onderdelen; bij elke score is te zien welk criterium hoeveel bijdraagt en welke "
            "signalen en metingen het zwaarst wegen."
        ),
        "bronnen": [
            f"Signalen uit het signalenregister ({counts['signals']} in de laatste berekening)",
            f"Metingen van indicatoren en normoverschrijdingen ({counts['observations']} metingen)",
            f"Het register van organisaties ({counts['organisations']}), ketens en toezichtgebieden",
            f"Thema's en doelen uit het meerjarenperspectief ({counts['themes']} thema's)",
        ],
        "gewichten": criteria,
        "impact": {
            "referentieaantal_betrokkenen": model.impact.people_reference,
            "gewicht_omvang": model.impact.size_weight,
            "gewicht_kwetsbaarheid": model.impact.vulnerability_weight,
            "kwetsbare_groepen": dict(model.impact.group_weights or {}),
        },
        "menselijke_tussenkomst": (
            "Het risicobeeld beslist niets: het is een hulpmiddel bij de programmering. Inspecteurs en "
            "teamleiders kunnen een berekende score met onderbouwing en einddatum vervangen door een eigen "
            f"oordeel; de berekende score blijft ernaast zichtbaar. Nu geldig: {counts['overrides']} "
            "vastgestelde scores. Wijzigingen in het model worden als nieuwe versie vastgelegd en door een "
            "analist of beheerder geactiveerd; oude berekeningen blijven met hun modelversie bewaard."
        ),
        "risicos_en_beperkingen": [
            "Oordelen en aanbevelingen uit eerder onderzoek zijn nog niet beschikbaar in het systeem; die "
            "criteria tellen daarom nu voor niemand mee (waarde 0), en elke organisatie geldt als 'nog nooit "
            "onderzocht'.",
            "Het aantal mensen dat een organisatie bedient staat nog niet in het register; de omvang in de "
            "impact gebruikt een gebruikelijk aantal per organisatietype (vastgelegd bij de modelversie) of "
            "het aantal betrokkenen bij signalen als dat groter is.",
            "Kwetsbaarheid per organisatie wordt afgeleid uit het organisatietype, niet uit de werkelijke "
            "samenstelling van de doelgroep.",
            "Veel signalen over een organisatie kunnen ook betekenen dat er goed gemeld wordt; een hoge "
            "score is een reden om te kijken, geen oordeel.",
            "Indicatordruk is relatief: een organisatie scoort hoog als zij slechter presteert dan de "
            "andere, ook als alle organisaties aan de norm voldoen.",
        ],
        "laatste_berekening": (
            {
                "tijdstip": timezone.localtime(latest.computed_at).isoformat(timespec="minutes"),
                "peildatum": latest.reference_date.isoformat(),
                "modelversie": latest.model_version.number,
            }
            if latest
            else None
        ),
        "contact": "Inspectie Justitie en Veiligheid, afdeling Informatievoorziening en Analyse",
    }


def to_markdown(entry: dict[str, Any]) -> str:
    lines = [f"# {entry['naam']}", ""]
    lines += [
        f"- **Organisatie:** {entry['organisatie']}",
        f"- **Status:** {entry['status']}",
        f"- **Versie:** {entry['versie']}",
    ]
    if entry["in_gebruik_sinds"]:
        lines.append(f"- **In gebruik sinds:** {entry['in_gebruik_sinds']}")
    lines += ["", "## Doel", "", entry["doel"], "", "## Toelichting", "", entry["toelichting"], ""]
    lines += ["## Bronnen", ""] + [f"- {b}" for b in entry["bronnen"]] + [""]
    lines += ["## Gewichten", "", "| Criterium | Gewicht | Aandeel | Uitleg |", "|---|---|---|---|"]
    for c in entry["gewichten"]:
        lines.append(
            f"| {c['criterium']} | {dutch_number(c['gewicht'])} | {c['aandeel_procent']} % | {c['uitleg']} |"
        )
    impact = entry["impact"]
    lines += [
        "",
        "## Impact",
        "",
        f"- Referentieaantal betrokkenen: {dutch_number(impact['referentieaantal_betrokkenen'], 0)}",
        f"- Gewicht omvang: {dutch_number(impact['gewicht_omvang'])}",
        f"- Gewicht kwetsbaarheid: {dutch_number(impact['gewicht_kwetsbaarheid'])}",
        "",
        "## Menselijke tussenkomst",
        "",
        entry["menselijke_tussenkomst"],
        "",
        "## Risico's en bekende beperkingen",
        "",
    ]
    lines += [f"- {r}" for r in entry["risicos_en_beperkingen"]]
    if entry["laatste_berekening"]:
        last = entry["laatste_berekening"]
        lines += [
            "",
            "## Laatste berekening",
            "",
            f"{last['tijdstip']}, peildatum {last['peildatum']}, modelversie {last['modelversie']}.",
        ]
    lines += ["", "## Contact", "", entry["contact"], ""]
    return "\n".join(lines)
