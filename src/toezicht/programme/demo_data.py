"""Demo data of the work programme: team capacity for 2026 and 2027; the running year 2026 published in
version 1 and adopted in version 2 with three in-year adjustments; a 2027 programme in concept with about
forty items, a computed plan and one adjustment. Rebuilt from scratch on every load (idempotent)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from toezicht.accounts.models import Team, User
from toezicht.programme import services
from toezicht.programme.models import AreaShare, ItemKind, MandatoryBasis, WorkProgramme
from toezicht.register.models import Organisation, SupervisionArea
from toezicht.strategy.models import Goal, Theme

YEAR = 2027
TITLE = "Werkprogramma 2027"
HOURS_PER_FTE = 300  # productive inspection hours per fte per quarter, after leave and overhead
SEASON = (1.0, 1.0, 0.8, 0.95)  # summer leave in Q3, holidays in Q4

# team code -> fte available for the programme
TEAM_FTE = {
    "team-politie": 6,
    "team-migratie": 4,
    "team-jeugd": 5,
    "team-sanctietoepassing": 7,
    "team-crisisbeheersing": 4,
    "team-nationale-veiligheid": 3,
    "team-justitiele-ketens": 3,
}

KR, KV, KI, KT, KO, KINC = (
    ItemKind.REGULAR,
    ItemKind.IN_DEPTH,
    ItemKind.INTENSIVE,
    ItemKind.THEMATIC,
    ItemKind.FOLLOW_UP,
    ItemKind.INCIDENT,
)
W, M, K = MandatoryBasis.STATUTORY, MandatoryBasis.MINISTER, MandatoryBasis.PARLIAMENT

# (key, title, kind, {team suffix: hours}, allowed quarters, duration, basis, value, themes, organisations,
#  recurring, depends on key)
ITEMS: list[
    tuple[str, str, str, dict[str, int], tuple[int, ...], int, str, float, list[str], list[str], bool, str]
] = [
    (
        "pi-vught",
        "Jaarlijkse inspectie PI Vught",
        KR,
        {"sanctietoepassing": 520},
        (),
        1,
        W,
        60,
        ["veiligheid", "leefklimaat"],
        ["pi-vught"],
        True,
        "",
    ),
    (
        "pi-lelystad",
        "Jaarlijkse inspectie PI Lelystad",
        KR,
        {"sanctietoepassing": 480},
        (),
        1,
        W,
        55,
        ["veiligheid", "leefklimaat"],
        ["pi-lelystad"],
        True,
        "",
    ),
    (
        "pi-zwolle",
        "Jaarlijkse inspectie PI Zwolle",
        KR,
        {"sanctietoepassing": 480},
        (),
        1,
        W,
        55,
        ["leefklimaat"],
        ["pi-zwolle"],
        True,
        "",
    ),
    (
        "pi-haaglanden",
        "Jaarlijkse inspectie PI Haaglanden",
        KR,
        {"sanctietoepassing": 500},
        (),
        1,
        W,
        58,
        ["veiligheid"],
        ["pi-haaglanden"],
        True,
        "",
    ),
    (
        "pi-almelo",
        "Jaarlijkse inspectie PI Almelo",
        KR,
        {"sanctietoepassing": 420},
        (),
        1,
        W,
        50,
        ["personeel"],
        ["pi-almelo"],
        True,
        "",
    ),
    (
        "fpc-mesdag",
        "Inspectie FPC Dr. S. van Mesdag",
        KR,
        {"sanctietoepassing": 560},
        (2, 3),
        1,
        W,
        62,
        ["forensische-scherpte"],
        ["fpc-van-mesdag"],
        True,
        "",
    ),
    (
        "jji-teylingereind",
        "Inspectie JJI Teylingereind",
        KR,
        {"jeugd": 440},
        (),
        1,
        W,
        58,
        ["leefklimaat", "veiligheid"],
        ["jji-teylingereind"],
        True,
        "",
    ),
    (
        "jji-hartelborgt",
        "Inspectie JJI De Hartelborgt",
        KR,
        {"jeugd": 420},
        (),
        1,
        W,
        56,
        ["leefklimaat"],
        ["jji-de-hartelborgt"],
        True,
        "",
    ),
    (
        "kamer-ter-apel",
        "Onderzoek opvang aanmeldcentrum Ter Apel (verzoek Tweede Kamer)",
        KV,
        {"migratie": 900},
        (1, 2),
        1,
        K,
        90,
        ["leefklimaat", "rechtsbescherming"],
        ["azc-ter-apel"],
        False,
        "",
    ),
    (
        "minister-tbs-verlof",
        "Informatie-uitwisseling bij verlof van tbs-gestelden (verzoek minister)",
        KV,
        {"sanctietoepassing": 500, "justitiele-ketens": 300},
        (),
        1,
        M,
        80,
        ["forensische-scherpte", "ketensamenwerking"],
        ["fpc-veldzicht", "fpc-pompestichting"],
        False,
        "",
    ),
    (
        "jb-doorlooptijden",
        "Doorlooptijden bij gecertificeerde instellingen",
        KT,
        {"jeugd": 1400},
        (),
        2,
        "",
        78,
        ["doorlooptijden"],
        ["jb-noord", "jb-gelderland", "jb-brabant"],
        False,
        "",
    ),
    (
        "jb-opvolging",
        "Opvolging aanbevelingen jeugdbescherming",
        KO,
        {"jeugd": 260},
        (),
        1,
        "",
        34,
        ["opvolging"],
        ["jb-noord"],
        False,
        "jb-doorlooptijden",
    ),
    (
        "jb-veiligheid",
        "Veiligheid van kinderen na een ondertoezichtstelling",
        KV,
        {"jeugd": 700},
        (),
        1,
        "",
        66,
        ["veiligheid"],
        ["samen-veilig", "jb-rotterdam"],
        False,
        "",
    ),
    (
        "rvdk-wachtlijst",
        "Wachtlijsten bij de Raad voor de Kinderbescherming",
        KV,
        {"jeugd": 560},
        (2, 3, 4),
        1,
        "",
        52,
        ["doorlooptijden"],
        ["rvdk"],
        False,
        "",
    ),
    (
        "coa-personeel",
        "Personeelstekorten op COA-locaties",
        KT,
        {"migratie": 1100},
        (),
        2,
        "",
        70,
        ["personeel"],
        ["coa"],
        False,
        "",
    ),
    (
        "terugkeer-dtv",
        "Vertrekproces bij de Dienst Terugkeer en Vertrek",
        KV,
        {"migratie": 620},
        (),
        1,
        "",
        58,
        ["ketensamenwerking"],
        ["dtv"],
        False,
        "",
    ),
    (
        "vreemdelingenbewaring",
        "Vreemdelingenbewaring en rechtsbescherming",
        KR,
        {"migratie": 380, "sanctietoepassing": 120},
        (),
        1,
        "",
        48,
        ["rechtsbescherming"],
        [],
        True,
        "",
    ),
    (
        "amv-opvang",
        "Opvang van alleenstaande minderjarige vreemdelingen",
        KV,
        {"migratie": 540, "jeugd": 200},
        (),
        1,
        "",
        64,
        ["leefklimaat"],
        ["nidos"],
        False,
        "",
    ),
    (
        "politie-opleiding",
        "Kwaliteit van het politieonderwijs",
        KT,
        {"politie": 1200},
        (),
        2,
        "",
        60,
        ["opleiding"],
        ["politieacademie"],
        False,
        "",
    ),
    (
        "politie-integriteit",
        "Integriteit en ondermijning bij de politie",
        KV,
        {"politie": 780},
        (),
        1,
        "",
        72,
        ["integriteit"],
        ["politie"],
        False,
        "",
    ),
    (
        "politie-cyber",
        "Aanpak van cybercrime door de politie",
        KV,
        {"politie": 820, "nationale-veiligheid": 200},
        (),
        1,
        "",
        74,
        ["digitale-criminaliteit"],
        ["politie-le"],
        False,
        "",
    ),
    (
        "politie-slachtoffers",
        "Slachtofferzorg bij de politie",
        KR,
        {"politie": 420},
        (),
        1,
        "",
        46,
        ["slachtofferzorg"],
        ["politie"],
        True,
        "",
    ),
    (
        "politie-noodhulp",
        "Noodhulp en aanrijtijden",
        KV,
        {"politie": 640},
        (3, 4),
        1,
        "",
        55,
        ["doorlooptijden"],
        [],
        False,
        "",
    ),
    (
        "politie-opvolging",
        "Opvolging aanbevelingen politie-integriteit",
        KO,
        {"politie": 180},
        (),
        1,
        "",
        30,
        ["opvolging"],
        ["politie"],
        False,
        "politie-integriteit",
    ),
    (
        "vr-oefenen",
        "Oefenen en paraatheid van veiligheidsregio's",
        KT,
        {"crisisbeheersing": 1000},
        (),
        2,
        W,
        64,
        ["crisisbeheersing"],
        [],
        True,
        "",
    ),
    (
        "vr-brandweer-personeel",
        "Vrijwilligheid bij de brandweer",
        KV,
        {"crisisbeheersing": 600},
        (),
        1,
        "",
        50,
        ["personeel"],
        [],
        False,
        "",
    ),
    (
        "vr-evenementen",
        "Voorbereiding op grote evenementen",
        KR,
        {"crisisbeheersing": 360},
        (1, 2),
        1,
        "",
        40,
        ["crisisbeheersing"],
        [],
        False,
        "",
    ),
    (
        "vr-crisis-opvolging",
        "Opvolging evaluatie crisisaanpak",
        KO,
        {"crisisbeheersing": 200},
        (),
        1,
        "",
        28,
        ["opvolging"],
        [],
        False,
        "vr-oefenen",
    ),
    (
        "nv-terrorisme",
        "Terrorismebestrijding: bewaken en beveiligen",
        KV,
        {"nationale-veiligheid": 620},
        (),
        1,
        W,
        70,
        ["radicalisering"],
        [],
        True,
        "",
    ),
    (
        "nv-digitale-weerbaarheid",
        "Digitale weerbaarheid van de justitieketen",
        KT,
        {"nationale-veiligheid": 700, "justitiele-ketens": 300},
        (),
        2,
        "",
        68,
        ["informatievoorziening"],
        [],
        False,
        "",
    ),
    (
        "ketens-strafrecht",
        "Doorlooptijden in de strafrechtketen",
        KT,
        {"justitiele-ketens": 900},
        (),
        2,
        "",
        66,
        ["doorlooptijden", "ketensamenwerking"],
        [],
        False,
        "",
    ),
    (
        "ketens-reclassering",
        "Toezicht door de reclassering",
        KR,
        {"justitiele-ketens": 420, "sanctietoepassing": 100},
        (),
        1,
        "",
        44,
        ["forensische-scherpte"],
        [],
        True,
        "",
    ),
    (
        "ketens-slachtoffer",
        "Positie van slachtoffers in de strafrechtketen",
        KV,
        {"justitiele-ketens": 480},
        (),
        1,
        "",
        49,
        ["slachtofferzorg"],
        [],
        False,
        "",
    ),
    (
        "ketens-informatie",
        "Informatiedeling tussen ketenpartners",
        KR,
        {"justitiele-ketens": 360},
        (),
        1,
        "",
        36,
        ["informatievoorziening"],
        [],
        False,
        "",
    ),
    (
        "dji-personeel",
        "Personeelstekort en werkdruk in het gevangeniswezen",
        KT,
        {"sanctietoepassing": 1200},
        (),
        2,
        "",
        76,
        ["personeel"],
        ["dji"],
        False,
        "",
    ),
    (
        "dji-isolatie",
        "Gebruik van isolatie in penitentiaire inrichtingen",
        KV,
        {"sanctietoepassing": 540},
        (),
        1,
        "",
        54,
        ["rechtsbescherming"],
        [],
        False,
        "",
    ),
    (
        "dji-opvolging",
        "Opvolging aanbevelingen personeelstekort DJI",
        KO,
        {"sanctietoepassing": 160},
        (3, 4),
        1,
        "",
        26,
        ["opvolging"],
        ["dji"],
        False,
        "dji-personeel",
    ),
    (
        "fpc-behandeling",
        "Behandeling en beveiliging in forensische centra",
        KT,
        {"sanctietoepassing": 800},
        (),
        2,
        "",
        58,
        ["forensische-scherpte", "leefklimaat"],
        ["fpc-veldzicht"],
        False,
        "",
    ),
    (
        "jeugd-strafrecht",
        "Snelheid van het jeugdstrafrecht",
        KV,
        {"jeugd": 480, "justitiele-ketens": 150},
        (),
        1,
        "",
        47,
        ["doorlooptijden"],
        [],
        False,
        "",
    ),
    (
        "incident-reserve-analyse",
        "Leren van incidenten: analyse van meldingen",
        KR,
        {"politie": 120, "sanctietoepassing": 120, "jeugd": 120},
        (4,),
        1,
        "",
        32,
        ["kwaliteitszorg"],
        [],
        True,
        "",
    ),
]


def _capacity() -> int:
    n = 0
    for code, fte in TEAM_FTE.items():
        team = Team.objects.filter(code=code).first()
        if team is None:
            continue
        for year in (2026, YEAR):
            for q, factor in enumerate(SEASON, start=1):
                services.capacity_set(
                    team=team,
                    year=year,
                    quarter=q,
                    available_hours=round(fte * HOURS_PER_FTE * factor),
                    fte=fte,
                )
                n += 1
    return n


def _build(year: int, title: str, description: str, leader: Any) -> tuple[WorkProgramme, int, Any, Any]:
    """A programme of `year` with the demo items, shares and candidates, and its first plan."""
    programme = services.programme_create(year=year, title=title, by=leader)
    programme.description = description
    programme.max_items_per_org_per_quarter = 1
    programme.time_limit_s = 10
    programme.save()
    teams = _teams()
    themes = {t.code: t for t in Theme.objects.prefetch_related("goals")}
    org_codes = {code for row in ITEMS for code in row[9]}
    orgs = {o.code: o for o in Organisation.objects.filter(code__in=org_codes)}
    created: dict[str, object] = {}
    for (
        key,
        item_title,
        kind,
        hours,
        quarters,
        duration,
        basis,
        value,
        theme_codes,
        orgs_,
        recurring,
        dep,
    ) in ITEMS:
        team_hours = {teams[t]: h for t, h in hours.items() if t in teams}
        if not team_hours:
            continue
        item_themes = [themes[c] for c in theme_codes if c in themes]
        goals = {g for th in item_themes for g in th.goals.all()}
        areas = {teams[t].area_id for t in hours if t in teams and teams[t].area_id}
        created[key] = services.item_create(
            programme=programme,
            title=item_title,
            team_hours=team_hours,
            kind=kind,
            value=value,
            allowed_quarters=quarters,
            duration=duration,
            mandatory_basis=basis,
            rationale=f"{item_title}: opgenomen op grond van het risicobeeld en de meerjarenplanning.",
            areas=areas,
            organisations=[orgs[c] for c in orgs_ if c in orgs],
            goals=goals,
            themes=item_themes,
            depends_on=[created[dep]] if dep in created else [],  # type: ignore[list-item]
            recurring=recurring,
        )
    # every area gets at least 8 % of the planned hours
    for area in SupervisionArea.objects.filter(teams__code__in=list(TEAM_FTE)).distinct():
        AreaShare.objects.create(programme=programme, area=area, min_share=Decimal("0.08"))
    first_goal = Goal.objects.order_by("period__start_year", "number").first()
    if first_goal is not None:
        programme.goal_shares.create(goal=first_goal, min_share=Decimal("0.20"))
    refresh = services.candidates_refresh(programme=programme, limit=10)
    run = services.plan_compute(programme=programme, by=leader, time_limit_s=20)
    return programme, len(created), refresh, run


# The year that is running (the demo's today lies in its fourth quarter): adopted and published in December
# of the year before, then a second version that records the adjustments made during the year.
RUNNING_YEAR = YEAR - 1
# (date, quarter from which it applies, reason, team suffix, hours, allowed quarters, title, note, value)
RUNNING_YEAR_ADJUSTMENTS: list[tuple[datetime.date, int, str, str, int, tuple[int, ...], str, str, float]] = [
    (
        datetime.date(RUNNING_YEAR, 4, 14),
        2,
        "incident",
        "sanctietoepassing",
        320,
        (2, 3),
        "Incidentonderzoek na een ontvluchting uit een justitiële inrichting",
        "Na een ontvluchting tijdens een ziekenhuisbezoek vraagt de minister om een onderzoek naar het "
        "vervoer en de beveiliging van gedetineerden.",
        80,
    ),
    (
        datetime.date(RUNNING_YEAR, 7, 2),
        3,
        "verzoek_kamer",
        "jeugd",
        360,
        (3, 4),
        "Onderzoek naar wachtlijsten in de jeugdbescherming",
        "De Tweede Kamer neemt een motie aan die de inspectie vraagt de gevolgen van de wachtlijsten voor "
        "kinderen met een beschermingsmaatregel te onderzoeken.",
        75,
    ),
    (
        datetime.date(RUNNING_YEAR, 10, 6),
        4,
        "risico",
        "crisisbeheersing",
        240,
        (4,),
        "Verdiepend onderzoek naar de digitale weerbaarheid van veiligheidsregio's",
        "Het nieuwe risicobeeld laat bij de veiligheidsregio's een sterk gestegen risico op uitval van "
        "meldkamersystemen zien.",
        55,
    ),
]


# An urgent item added to next year's concept before the year begins.
NEXT_YEAR_ADJUSTMENT = (
    datetime.date(YEAR - 1, 12, 1),
    1,
    "incident",
    "migratie",
    400,
    (1, 2),
    "Spoedonderzoek naar overlijden in vreemdelingenbewaring",
    "Na een overlijden in vreemdelingenbewaring vraagt de minister een spoedonderzoek.",
    85.0,
)


def _teams() -> dict[str, Team]:
    """The demo teams by their code without "team-" (as ITEMS and the adjustments name them)."""
    return {t.code.removeprefix("team-"): t for t in Team.objects.filter(code__in=list(TEAM_FTE))}


def _adjust(programme: WorkProgramme, team: Team, leader: Any, adjustment: tuple[Any, ...]) -> None:
    """One of the demo adjustments: an urgent item for `team`, re-planned from its quarter."""
    date, quarter, reason, _team, hours, quarters, title, note, value = adjustment
    services.adjustment_add_urgent(
        programme=programme,
        title=title,
        team_hours={team: hours},
        reason=reason,
        note=note,
        value=value,
        allowed_quarters=quarters,
        from_quarter=quarter,
        date=date,
        areas=[team.area_id] if team.area_id else [],
        by=leader,
    )


def _running_year(leader: Any) -> str:
    """The programme of the running year: version 1 published, version 2 with the in-year adjustments
    (items of the quarters that have passed started or finished before each adjustment) and adopted."""
    first, items, _refresh, run = _build(
        RUNNING_YEAR,
        f"Werkprogramma {RUNNING_YEAR}",
        f"Werkprogramma {RUNNING_YEAR} zoals vastgesteld en gepubliceerd in december {RUNNING_YEAR - 1}.",
        leader,
    )
    if not run.applied:
        return f"Werkprogramma {RUNNING_YEAR}: geen plan ({run.status_label})"
    services.programme_transition(programme=first, to_status="vastgesteld", by=leader)
    services.programme_transition(programme=first, to_status="gepubliceerd", by=leader)
    current = services.programme_new_version(programme=first, by=leader)
    teams = _teams()
    done = 0
    for adjustment in RUNNING_YEAR_ADJUSTMENTS:
        _date, quarter, _reason, team, *_rest = adjustment
        _progress(current, quarter)
        if team not in teams:
            continue
        try:
            _adjust(current, teams[team], leader, adjustment)
            done += 1
        except ValidationError:  # the demo must load even when one does not fit
            continue
    _progress(current, 4, under_way=True)  # the demo's today lies in the fourth quarter
    services.programme_transition(programme=current, to_status="vastgesteld", by=leader)
    return f"Werkprogramma {RUNNING_YEAR}: {items} onderdelen, versie 2 met {done} bijstellingen"


def _progress(programme: WorkProgramme, quarter: int, *, under_way: bool = False) -> None:
    """Where the year stands when `quarter` begins: what ran entirely before it is finished, what began
    before it and runs on is started; with `under_way` what begins in `quarter` has started as well."""
    for item in programme.items.filter(planned_start__isnull=False).exclude(status="geschrapt"):
        end = item.planned_start + item.duration - 1
        if end < quarter:
            status = "afgerond"
        elif item.planned_start < quarter or (under_way and item.planned_start == quarter):
            status = "gestart"
        else:
            continue
        if item.status != status:
            services.item_set_status(item=item, status=status)


@transaction.atomic
def load_demo_data() -> str:
    capacity_rows = _capacity()
    WorkProgramme.objects.filter(
        Q(year=RUNNING_YEAR, title=f"Werkprogramma {RUNNING_YEAR}") | Q(year=YEAR, title=TITLE)
    ).delete()
    leader = User.objects.filter(username="teamleider").first()
    running = _running_year(leader)
    programme, items, refresh, run = _build(
        YEAR,
        TITLE,
        "Concept van het werkprogramma 2027: verplichte inspecties, verzoeken van minister en Tweede Kamer, "
        "en onderzoeken naar de hoogste risico's.",
        leader,
    )
    adjustment_note = ""
    team = _teams().get(NEXT_YEAR_ADJUSTMENT[3])
    if run.applied and team is not None:
        try:
            _adjust(programme, team, leader, NEXT_YEAR_ADJUSTMENT)
            adjustment_note = ", 1 bijstelling"
        except Exception as exc:  # the demo must load even when it does not fit
            adjustment_note = f", bijstelling niet gelukt: {exc}"
    return (
        f"{running}; werkprogramma: {capacity_rows} capaciteitsregels, {items} onderdelen in {TITLE} "
        f"({refresh.risk} kandidaten uit het risicobeeld), plan {run.status_label}{adjustment_note}"
    )
