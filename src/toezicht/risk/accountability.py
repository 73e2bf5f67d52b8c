"""The model described in plain language, shaped like an entry of the Dutch government algorithm register.

Built from the active model version and live counts; rendered as a page (in the user's language), and as
Markdown, HTML and JSON for the register (the views build those in Dutch, the register's language; the
keys of the entry are the register's field names and are never translated).
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.formats import get_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from toezicht.risk.engine import CRITERION_LABELS, RiskModel
from toezicht.risk.engine.explain import dutch_number

# Marked here, translated when the entry is built (gettext of the template, then .format).
CRITERION_TEXT = {
    "signal_load": gettext_noop(
        "Signalen over de organisatie en het thema, gewogen naar ernst en hoe recent ze zijn (de invloed "
        "halveert na {half_life_days} dagen). Signalen zonder thema tellen voor elk thema mee met factor "
        "{general_factor}."
    ),
    "norm_breaches": gettext_noop(
        "Metingen die een wettelijke of afgesproken norm overschrijden; de invloed halveert na "
        "{half_life_periods} perioden."
    ),
    "indicator_pressure": gettext_noop(
        "De positie van de organisatie ten opzichte van alle andere organisaties op de indicatoren van het "
        "thema, over de laatste {window} perioden, met de trend erbij."
    ),
    "judgements": gettext_noop("Oordelen uit eerder onderzoek waarin normen niet zijn voldaan."),
    "learning_capacity": gettext_noop("Achterstallige en openstaande aanbevelingen uit eerder onderzoek."),
    "time_since_investigation": gettext_noop("Hoe lang het laatste onderzoek bij de organisatie geleden is."),
}

COMBINATION_TEXT = {
    "product": gettext_noop("score = 100 × kans × impact"),
    "geometric_mean": gettext_noop("score = 100 × √(kans × impact)"),
    "mean": gettext_noop("score = 100 × (kans + impact) / 2"),
}


def _number(value: float, digits: int = 1) -> str:
    # dutch_number writes a decimal comma and no thousands separator.
    return dutch_number(value, digits).replace(",", str(get_format("DECIMAL_SEPARATOR")))


def register_entry(version: Any, counts: dict[str, int], latest: Any) -> dict[str, Any]:
    model = RiskModel.from_dict({**version.config, "version": version.number})
    weights = model.weights()
    total = sum(weights.values()) or 1.0
    criteria = []
    for key, weight in weights.items():
        params = {
            name: _number(float(value)) if isinstance(value, int | float) else value
            for name, value in vars(getattr(model, key)).items()
        }
        criteria.append(
            {
                "criterium": _(CRITERION_LABELS[key]),
                "gewicht": weight,
                "aandeel_procent": round(100 * weight / total),
                "uitleg": _(CRITERION_TEXT[key]).format(**params),
            }
        )
    return {
        "naam": _("Risicobeeld toezicht – %(name)s") % {"name": version.name},
        "organisatie": "Inspectie Justitie en Veiligheid",
        "status": _("in gebruik") if version.status == "actief" else str(version.get_status_display()),
        "versie": version.number,
        "in_gebruik_sinds": version.activated_at.date().isoformat() if version.activated_at else None,
        "doel": _(
            "Het risicobeeld helpt het toezicht te kiezen waar onderzoek het meest nodig is: het ordent "
            "organisaties en thema's naar de kans dat er iets misgaat en de impact als dat gebeurt."
        ),
        "toelichting": _(
            "Voor elke combinatie van organisatie en thema berekent het systeem een kans (0-1) uit de "
            "criteria hieronder en een impact (0-1) uit het aantal betrokkenen en hun kwetsbaarheid. "
            "Die worden gecombineerd tot een score van 0 tot 100 (%(formula)s) en "
            "een risicoklasse uit de risicomatrix. Het is een eenvoudig, uitlegbaar rekenmodel zonder "
            "zelflerende onderdelen; bij elke score is te zien welk criterium hoeveel bijdraagt en welke "
            "signalen en metingen het zwaarst wegen."
        )
        % {"formula": _(COMBINATION_TEXT[model.combination])},
        "bronnen": [
            _("Signalen uit het signalenregister (%(count)s in de laatste berekening)")
            % {"count": counts["signals"]},
            ngettext(
                "Metingen van indicatoren en normoverschrijdingen (%(count)s meting)",
                "Metingen van indicatoren en normoverschrijdingen (%(count)s metingen)",
                counts["observations"],
            )
            % {"count": counts["observations"]},
            _("Het register van organisaties (%(count)s), ketens en toezichtgebieden")
            % {"count": counts["organisations"]},
            ngettext(
                "Thema's en doelen uit het meerjarenperspectief (%(count)s thema)",
                "Thema's en doelen uit het meerjarenperspectief (%(count)s thema's)",
                counts["themes"],
            )
            % {"count": counts["themes"]},
        ],
        "gewichten": criteria,
        "impact": {
            "referentieaantal_betrokkenen": model.impact.people_reference,
            "gewicht_omvang": model.impact.size_weight,
            "gewicht_kwetsbaarheid": model.impact.vulnerability_weight,
            "kwetsbare_groepen": dict(model.impact.group_weights or {}),
        },
        "menselijke_tussenkomst": " ".join(
            [
                _(
                    "Het risicobeeld beslist niets: het is een hulpmiddel bij de programmering. "
                    "Inspecteurs en teamleiders kunnen een berekende score met onderbouwing en einddatum "
                    "vervangen door een eigen oordeel; de berekende score blijft ernaast zichtbaar."
                ),
                ngettext(
                    "Nu geldig: %(count)s vastgestelde score.",
                    "Nu geldig: %(count)s vastgestelde scores.",
                    counts["overrides"],
                )
                % {"count": counts["overrides"]},
                _(
                    "Wijzigingen in het model worden als nieuwe versie vastgelegd en door een analist of "
                    "beheerder geactiveerd; oude berekeningen blijven met hun modelversie bewaard."
                ),
            ]
        ),
        "risicos_en_beperkingen": [
            _(
                "Oordelen en aanbevelingen uit eerder onderzoek zijn nog niet beschikbaar in het systeem; "
                "die criteria tellen daarom nu voor niemand mee (waarde 0), en elke organisatie geldt als "
                "'nog nooit onderzocht'."
            ),
            _(
                "Het aantal mensen dat een organisatie bedient staat nog niet in het register; de omvang in "
                "de impact gebruikt een gebruikelijk aantal per organisatietype (vastgelegd bij de "
                "modelversie) of het aantal betrokkenen bij signalen als dat groter is."
            ),
            _(
                "Kwetsbaarheid per organisatie wordt afgeleid uit het organisatietype, niet uit de "
                "werkelijke samenstelling van de doelgroep."
            ),
            _(
                "Veel signalen over een organisatie kunnen ook betekenen dat er goed gemeld wordt; een hoge "
                "score is een reden om te kijken, geen oordeel."
            ),
            _(
                "Indicatordruk is relatief: een organisatie scoort hoog als zij slechter presteert dan de "
                "andere, ook als alle organisaties aan de norm voldoen."
            ),
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
