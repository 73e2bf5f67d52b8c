"""Demo signals: about 300 over the last two years across the demo organisations, with Dutch titles and
texts per area (calamities in forensic care, incidents in prisons, complaints about asylum reception, media
reports, parliamentary questions), some confidential, some overdue, some reported twice.

Deterministic for a given day (fixed seed; dates are relative to today). Idempotent: demo signals carry
the fingerprint ``demo:<n>`` and are not made again. No sender API key is made or printed; an
administrator makes one on the page "API-sleutels van melders".
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from toezicht.accounts.models import Team, User
from toezicht.register.models import Organisation
from toezicht.signals import services
from toezicht.signals.models import (
    Confidentiality,
    SeverityLevel,
    Signal,
    SignalEvent,
    SignalStatus,
    SourceType,
    VulnerableGroup,
)
from toezicht.signals.reference_data import ensure_reference_data
from toezicht.strategy.models import Theme

SEED = 2026
TARGET = 300
DUPLICATES = 12
MARK = "demo:"


@dataclass(frozen=True)
class Template:
    area: str
    source: str
    organisations: tuple[str, ...]  # organisation codes or "type:<type code>"
    titles: tuple[str, ...]
    text: str
    themes: tuple[str, ...]
    severities: tuple[str, ...]
    groups: tuple[str, ...] = ()
    people: tuple[int, int] = (1, 3)
    weight: int = 3
    details: tuple[str, ...] = field(default=())


TEMPLATES = [
    Template(
        "sanctietoepassing",
        "calamity_notification",
        ("type:fpc",),
        (
            "Patiënt niet teruggekeerd van begeleid verlof",
            "Ernstig geweldsincident tegen een sociotherapeut",
            "Suïcide van een patiënt op de afdeling",
            "Patiënt onttrokken aan toezicht tijdens transport",
        ),
        "{org} meldt een calamiteit: {title_lower}. {detail} De kliniek heeft de politie en het Openbaar "
        "Ministerie ingelicht en start een eigen calamiteitenonderzoek.",
        ("forensische-scherpte", "veiligheid"),
        ("hoog", "zeer-hoog"),
        ("forensische-patienten",),
        weight=4,
        details=(
            "Het risicotaxatie-instrument was niet opnieuw afgenomen na de laatste verlofaanvraag.",
            "Op de afdeling was die avond één sociotherapeut minder ingeroosterd dan gepland.",
            "Signalen van de behandelaar over terugval zijn niet met het verloftoetsingsteam gedeeld.",
        ),
    ),
    Template(
        "sanctietoepassing",
        "incident_notification",
        ("type:pi",),
        (
            "Ontvluchting tijdens ziekenhuisbezoek",
            "Vechtpartij op de luchtplaats",
            "Drugs en telefoons aangetroffen na bezoek",
            "Brand in een cel op afdeling B",
            "Suïcidepoging in de isoleercel",
            "Geweld tegen een penitentiair inrichtingswerker",
        ),
        "Bijzonder voorval in {org}: {title_lower}. {detail} De inrichting heeft de directie van DJI "
        "geïnformeerd en de betrokken gedetineerden overgeplaatst.",
        ("veiligheid", "personeel"),
        ("midden", "hoog", "zeer-hoog"),
        ("gedetineerden",),
        people=(1, 6),
        weight=6,
        details=(
            "Door personeelstekort was de afdeling met minimale bezetting open.",
            "De camerabeelden van die dag zijn niet bewaard gebleven.",
            "Bij de insluiting is de cel niet volgens protocol gecontroleerd.",
            "De melding werd pas na drie dagen in het registratiesysteem vastgelegd.",
        ),
    ),
    Template(
        "sanctietoepassing",
        "own_observation",
        ("type:pi", "reclassering-nederland", "svg"),
        (
            "Dagprogramma structureel afgeschaald wegens personeelstekort",
            "Achterstand in het opstellen van reclasseringsadviezen",
        ),
        "Tijdens regulier toezicht bij {org} viel op: {title_lower}. {detail}",
        ("personeel", "doorlooptijden"),
        ("laag", "midden"),
        ("gedetineerden",),
        people=(10, 120),
        weight=2,
        details=(
            "Volgens de directie duurt dit naar verwachting nog minstens een half jaar.",
            "De ondernemingsraad heeft hierover eerder zorgen geuit.",
        ),
    ),
    Template(
        "jeugd",
        "incident_notification",
        ("type:jji",),
        (
            "Jongere ernstig gewond na incident op de groep",
            "Onterechte afzondering van een jongere",
            "Jongere ontvlucht tijdens begeleid verlof",
        ),
        "{org} meldt: {title_lower}. {detail} De jongere is medisch onderzocht en de ouders zijn ingelicht.",
        ("leefklimaat", "veiligheid"),
        ("midden", "hoog"),
        ("minderjarigen",),
        weight=3,
        details=(
            "De groepsleiding bestond die avond uit invalkrachten.",
            "De afzondering duurde langer dan het reglement toestaat.",
        ),
    ),
    Template(
        "jeugd",
        "third_party_report",
        ("type:gi",),
        (
            "Kinderen met een beschermingsmaatregel zonder vaste jeugdbeschermer",
            "Wachtlijst voor uitvoering van ondertoezichtstellingen",
            "Melding van ouders over uitblijven van hulp na uithuisplaatsing",
        ),
        "Melding over {org}: {title_lower}. {detail}",
        ("doorlooptijden", "personeel"),
        ("midden", "hoog"),
        ("minderjarigen",),
        people=(5, 80),
        weight=4,
        details=(
            "Volgens de melder wachten sommige gezinnen al meer dan drie maanden.",
            "De instelling geeft aan dat het verloop onder jeugdbeschermers hoog is.",
            "De gemeente en de Raad voor de Kinderbescherming zijn op de hoogte.",
        ),
    ),
    Template(
        "migratie",
        "citizen_complaint",
        ("type:coa-locatie",),
        (
            "Klacht over hygiëne en sanitair op de opvanglocatie",
            "Kinderen slapen op stoelen in de wachtruimte",
            "Geen toegang tot medische zorg voor bewoners",
            "Klacht over bejegening door beveiligers",
        ),
        "Een bewoner van {org} klaagt: {title_lower}. {detail}",
        ("rechtsbescherming", "leefklimaat"),
        ("laag", "midden", "hoog"),
        ("asielzoekers",),
        people=(1, 40),
        weight=6,
        details=(
            "De locatie is al maanden voller dan de afgesproken capaciteit.",
            "Volgens de klager is de klacht eerder bij de locatiemanager gemeld zonder reactie.",
            "Onder de betrokkenen zijn ook alleenstaande minderjarige vreemdelingen.",
        ),
    ),
    Template(
        "migratie",
        "media",
        ("coa", "azc-ter-apel", "ind"),
        (
            "Bericht: asielzoekers slapen buiten bij het aanmeldcentrum",
            "Bericht: achterstanden bij de beslissing op asielaanvragen lopen op",
        ),
        "Landelijke media berichten over {org}: {title_lower}. {detail}",
        ("doorlooptijden", "leefklimaat"),
        ("midden", "hoog"),
        ("asielzoekers",),
        people=(50, 700),
        weight=2,
        details=(
            "Artsen zonder Grenzen en VluchtelingenWerk spreken van onverantwoorde omstandigheden.",
            "Het bericht noemt wachttijden van meer dan een jaar voor het eerste gehoor.",
        ),
    ),
    Template(
        "politie",
        "media",
        ("type:politie-eenheid",),
        (
            "Bericht: noodhulp komt in de avonduren te laat",
            "Bericht: datalek bij de politie, gegevens van aangevers ingezien",
        ),
        "Regionale media melden over {org}: {title_lower}. {detail}",
        ("personeel", "informatievoorziening"),
        ("midden", "hoog"),
        (),
        people=(1, 200),
        weight=3,
        details=(
            "De eenheid bevestigt dat de bezetting van de noodhulp onder de norm lag.",
            "Het systeem registreerde niet wie welke gegevens inzag.",
        ),
    ),
    Template(
        "politie",
        "citizen_complaint",
        ("type:politie-eenheid",),
        ("Klacht over bejegening bij een aanhouding", "Klacht over het niet opnemen van een aangifte"),
        "Een burger klaagt over {org}: {title_lower}. {detail}",
        ("rechtsbescherming",),
        ("laag", "midden"),
        (),
        weight=3,
        details=(
            "De klachtbehandeling bij de eenheid duurde volgens de klager langer dan zes weken.",
            "De klager heeft ook de Nationale ombudsman ingeschakeld.",
        ),
    ),
    Template(
        "crisisbeheersing",
        "third_party_report",
        ("type:veiligheidsregio",),
        (
            "Brandweer te laat bij een woningbrand met slachtoffers",
            "Regionaal crisisplan niet geactualiseerd",
            "Oefening van het crisisteam opnieuw afgelast",
        ),
        "Melding over {org}: {title_lower}. {detail}",
        ("crisisbeheersing", "opleiding"),
        ("midden", "hoog"),
        (),
        people=(1, 10),
        weight=3,
        details=(
            "De opkomsttijd overschreed de norm met meer dan vijf minuten.",
            "Het bestuur van de veiligheidsregio heeft het plan nog niet vastgesteld.",
        ),
    ),
    Template(
        "justitiele-ketens",
        "citizen_complaint",
        ("cjib", "slachtofferhulp", "halt"),
        ("Slachtoffer niet geïnformeerd over vrijlating dader", "Klacht over incasso van een verkeersboete"),
        "Een burger meldt over {org}: {title_lower}. {detail}",
        ("slachtofferzorg", "rechtsbescherming"),
        ("laag", "midden"),
        ("slachtoffers",),
        weight=2,
        details=("De informatie bleef hangen tussen twee organisaties in de keten.",),
    ),
    Template(
        "sanctietoepassing",
        "parliamentary_question",
        ("dji",),
        (
            "Kamervragen over ontvluchtingen uit penitentiaire inrichtingen",
            "Kamervragen over de inzet van uitzendkrachten in gevangenissen",
        ),
        "Leden van de Tweede Kamer stellen vragen over {org}: {title_lower}. {detail}",
        ("veiligheid", "personeel"),
        ("midden",),
        (),
        weight=1,
        details=("De minister vraagt de inspectie om een feitelijk beeld binnen drie weken.",),
    ),
    Template(
        "migratie",
        "parliamentary_question",
        ("coa", "nidos"),
        ("Kamervragen over de opvang van alleenstaande minderjarige vreemdelingen",),
        "Leden van de Tweede Kamer stellen vragen over {org}: {title_lower}. {detail}",
        ("leefklimaat", "rechtsbescherming"),
        ("hoog",),
        ("asielzoekers", "minderjarigen"),
        weight=1,
        details=("De vragen verwijzen naar eerdere bevindingen van de inspectie.",),
    ),
    Template(
        "jeugd",
        "parliamentary_question",
        ("type:gi", "rvdk"),
        ("Kamervragen over wachtlijsten in de jeugdbescherming",),
        "Leden van de Tweede Kamer stellen vragen over {org}: {title_lower}. {detail}",
        ("doorlooptijden",),
        ("midden",),
        ("minderjarigen",),
        weight=1,
        details=("De vragen volgen op een bericht over kinderen die maanden wachten op hulp.",),
    ),
]


def _organisations() -> dict[str, list[Organisation]]:
    pool: dict[str, list[Organisation]] = {}
    for organisation in Organisation.objects.select_related("type").order_by("code"):
        pool.setdefault(organisation.code, []).append(organisation)
        pool.setdefault(f"type:{organisation.type.code}", []).append(organisation)
    return pool


def _status_path(age_days: int, rng: random.Random) -> list[str]:
    """Statuses a signal of this age has passed through (after 'ontvangen')."""
    if age_days < 10:
        return rng.choice([[], [], [SignalStatus.IN_PROGRESS]])
    if age_days < 60:
        return rng.choice(
            [
                [SignalStatus.IN_PROGRESS],
                [SignalStatus.IN_PROGRESS, SignalStatus.ASSESSED],
                [SignalStatus.IN_PROGRESS, SignalStatus.ASSESSED, SignalStatus.CLOSED],
                [],  # not yet picked up: overdue
            ]
        )
    roll = rng.random()
    if roll < 0.7:
        return [SignalStatus.IN_PROGRESS, SignalStatus.ASSESSED, SignalStatus.CLOSED]
    if roll < 0.85:
        return [SignalStatus.IN_PROGRESS, SignalStatus.ASSESSED, SignalStatus.LINKED]
    if roll < 0.95:
        return [SignalStatus.CLOSED]
    return [SignalStatus.IN_PROGRESS]  # long open: overdue


def _backdate(signal: Signal, received: datetime.date, rng: random.Random) -> None:
    """Give the history believable times after the date of receipt (never in the future)."""
    now = timezone.now()
    moment = timezone.make_aware(datetime.datetime.combine(received, datetime.time(9, rng.randint(0, 59))))
    for event in SignalEvent.objects.filter(signal=signal).order_by("id"):
        SignalEvent.objects.filter(pk=event.pk).update(at=min(moment, now))
        moment += datetime.timedelta(days=rng.randint(1, 12), hours=rng.randint(0, 6))
    created = timezone.make_aware(datetime.datetime.combine(received, datetime.time(9, 0)))
    Signal.objects.filter(pk=signal.pk).update(created_at=min(created, now))


@transaction.atomic
def load_demo_data() -> str:
    existing = Signal.objects.filter(fingerprint__startswith=MARK)
    if existing.exists():
        return f"Signalen: {existing.count()} demosignalen waren al geladen"
    ensure_reference_data()
    rng = random.Random(SEED)
    today = timezone.localdate()
    pool = _organisations()
    sources = {s.code: s for s in SourceType.objects.all()}
    severities = {s.code: s for s in SeverityLevel.objects.all()}
    groups = {g.code: g for g in VulnerableGroup.objects.all()}
    themes = {t.code: t for t in Theme.objects.all()}
    teams = {t.area.code: t for t in Team.objects.select_related("area") if t.area}
    users = {
        u.username: u for u in User.objects.filter(username__in=["inspecteur", "teamleider", "analist", "ig"])
    }
    team_people = {"sanctietoepassing": "inspecteur", "migratie": "teamleider", "jeugd": "teamleider"}
    team_people |= {"politie": "analist", "crisisbeheersing": "analist"}
    weights = [t.weight for t in TEMPLATES]
    made: list[tuple[Signal, Template, str, datetime.date]] = []
    counts = {"confidential": 0, "duplicates": 0}

    def create(
        number: int,
        template: Template,
        title: str,
        text: str,
        org: Organisation,
        received: datetime.date,
        source: SourceType,
    ) -> Signal:
        occurred = received - datetime.timedelta(days=rng.randint(0, 3))
        confidential = rng.random() < 0.08
        counts["confidential"] += confidential
        sender = None
        external_id = ""
        if (
            source.is_mandatory_notification
            and org.parent is not None
            and org.code.startswith(("pi-", "jji-", "fpc-"))
        ):
            sender = org.parent
            external_id = f"{(sender.short_name or sender.code).upper()}-{received.year}-{number:04d}"
        low, high = template.people
        signal = services.signal_create(
            title=title,
            description=text,
            source=source,
            received_on=received,
            occurred_on=occurred,
            severity=severities[rng.choice(template.severities)],
            organisation=org,
            people_affected=rng.randint(low, high),
            vulnerable_groups=[groups[g] for g in template.groups if g in groups],
            themes=[themes[t] for t in template.themes if t in themes][: rng.choice([1, 2, 2])],
            confidentiality=Confidentiality.CONFIDENTIAL
            if confidential
            else rng.choice([Confidentiality.INTERNAL] * 4 + [Confidentiality.PUBLIC]),
            authorised_users=[users["ig"]] if confidential and "ig" in users and rng.random() < 0.5 else [],
            sender=sender,
            external_id=external_id,
            fingerprint=f"{MARK}{number:04d}",
            publish=False,
        )
        return signal

    number = 0
    while len(made) < TARGET - DUPLICATES:
        template = rng.choices(TEMPLATES, weights=weights)[0]
        candidates = [o for key in template.organisations for o in pool.get(key, [])]
        if not candidates:
            continue
        org = rng.choice(candidates)
        title = rng.choice(template.titles)
        detail = rng.choice(template.details) if template.details else ""
        text = template.text.format(org=org.name, title_lower=title[0].lower() + title[1:], detail=detail)
        received = today - datetime.timedelta(days=int(rng.triangular(0, 730, 30)))
        number += 1
        signal = create(number, template, title, text, org, received, sources[template.source])
        made.append((signal, template, text, received))

    # The same event reported again a few days later, through the media or by a third party.
    originals = rng.sample(
        [m for m in made if m[1].source in ("incident_notification", "calamity_notification")], k=DUPLICATES
    )
    for signal, template, text, received in originals:
        number += 1
        again = min(today, received + datetime.timedelta(days=rng.randint(1, 4)))
        source = sources[rng.choice(["media", "third_party_report"])]
        assert signal.organisation is not None
        copy = create(
            number,
            template,
            f"Bericht: {signal.title.lower()}",
            f"Volgens berichtgeving: {text}",
            signal.organisation,
            again,
            source,
        )
        counts["duplicates"] += copy.duplicate_candidates.exists()
        made.append((copy, template, text, again))

    overdue = 0
    for signal, template, _text, received in made:
        age = (today - received).days
        for status in _status_path(age, rng):
            services.signal_transition(signal=signal, to_status=status, by=None)
        team = teams.get(template.area)
        if team is not None and (age > 5 or rng.random() < 0.5):
            person = users.get(team_people.get(template.area, ""))
            assignee = person if person is not None and rng.random() < 0.6 else None
            if assignee is not None and not Signal.objects.visible_to(assignee).filter(pk=signal.pk).exists():
                assignee = None
            services.signal_assign(signals=signal, team=team, assignee=assignee, by=None)
        _backdate(signal, received, rng)
        signal.refresh_from_db(fields=["status", "deadline", "merged_into"])
        overdue += signal.days_overdue > 0
    return (
        f"Signalen: {len(made)} demosignalen (waarvan {counts['confidential']} vertrouwelijk, "
        f"{overdue} over de termijn, {counts['duplicates']} mogelijk dubbel gemeld)"
    )
