"""Loading the demo dataset. Idempotent: records are matched on their code and updated in place."""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.text import slugify

from toezicht.accounts.models import Team, User
from toezicht.demo import data
from toezicht.register.models import (
    Chain,
    ChainMembership,
    Organisation,
    OrganisationType,
    Relationship,
    SupervisionArea,
)
from toezicht.strategy.models import Goal, StrategicPeriod, Theme

OrganisationRow = tuple[str, str, str, str, list[str], str]


@dataclass(frozen=True)
class DemoSummary:
    areas: int
    organisations: int
    chains: int
    relationships: int
    themes: int
    users: list[tuple[str, str, str]]  # username, role label, areas
    extras: list[str] = field(default_factory=list)  # one summary line per later capability


def organisation_rows() -> Iterator[OrganisationRow]:
    """Every demo organisation as (code, name, type, parent, areas, municipality), parents first."""
    yield from data.MINISTRY
    yield from data.OTHER_ORGANISATIONS
    for slug, name, town in data.POLICE_UNITS:
        yield (f"politie-{slug}", f"Politie-eenheid {name}", "politie-eenheid", "politie", ["politie"], town)
    for slug, name, town in data.SAFETY_REGIONS:
        yield (f"vr-{slug}", f"Veiligheidsregio {name}", "veiligheidsregio", "", ["crisisbeheersing"], town)
    for slug, name, town in data.PENITENTIARY_INSTITUTIONS:
        yield (f"pi-{slug}", name, "pi", "dji", ["sanctietoepassing"], town)
    for slug, name, town in data.YOUTH_CUSTODIAL:
        yield (f"jji-{slug}", name, "jji", "dji", ["jeugd", "sanctietoepassing"], town)
    for slug, name, town, state_run in data.FORENSIC_CENTRES:
        yield (f"fpc-{slug}", name, "fpc", "dji" if state_run else "", ["sanctietoepassing"], town)
    for code, name, town in data.CERTIFIED_INSTITUTIONS:
        areas = ["jeugd", "migratie"] if code == "nidos" else ["jeugd"]
        yield (code, name, "gi", "", areas, town)
    for slug, name, town in data.COUNCIL_REGIONS:
        yield (
            f"rvdk-{slug}",
            f"Raad voor de Kinderbescherming regio {name}",
            "rvdk-regio",
            "rvdk",
            ["jeugd"],
            town,
        )
    for town in data.RECEPTION_LOCATIONS:
        yield (f"azc-{slugify(town)}", f"COA-locatie {town}", "coa-locatie", "coa", ["migratie"], town)


@transaction.atomic
def load_demo() -> DemoSummary:
    areas = {
        code: SupervisionArea.objects.update_or_create(
            code=code, defaults={"name": name, "description": text}
        )[0]
        for code, name, text in data.AREAS
    }
    types = {
        code: OrganisationType.objects.update_or_create(
            code=code, defaults={"name": name, "is_governance_body": governance}
        )[0]
        for code, name, governance in data.ORGANISATION_TYPES
    }
    organisations: dict[str, Organisation] = {}
    for code, name, type_code, parent_code, area_codes, town in organisation_rows():
        organisation, _ = Organisation.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "type": types[type_code],
                "parent": organisations[parent_code] if parent_code else None,
                "municipality": town,
            },
        )
        organisation.areas.set([areas[a] for a in area_codes])
        organisations[code] = organisation

    for code, name, description, area_codes, members in data.CHAINS:
        chain, _ = Chain.objects.update_or_create(
            code=code, defaults={"name": name, "description": description}
        )
        chain.areas.set([areas[a] for a in area_codes])
        for position, (member_code, role) in enumerate(members):
            ChainMembership.objects.update_or_create(
                chain=chain,
                organisation=organisations[member_code],
                defaults={"role": role, "position": position},
            )

    for kind, source, target, description in data.GOVERNANCE:
        Relationship.objects.update_or_create(
            kind=kind,
            source=organisations[source],
            target=organisations[target],
            defaults={"description": description},
        )

    goals_by_number: dict[int, Goal] = {}
    for spec in data.STRATEGIC_PERIODS:
        period, _ = StrategicPeriod.objects.update_or_create(
            name=spec["name"],
            defaults={
                "start_year": spec["start_year"],
                "end_year": spec["end_year"],
                "description": spec["description"],
            },
        )
        for number, title, description in spec["goals"]:
            goals_by_number[number] = Goal.objects.update_or_create(
                period=period, number=number, defaults={"title": title, "description": description}
            )[0]
    for code, name, description, goal_numbers in data.THEMES:
        theme, _ = Theme.objects.update_or_create(
            code=code, defaults={"name": name, "description": description}
        )
        theme.goals.set([goals_by_number[n] for n in goal_numbers])

    users = []
    for username, first, last, role, area_codes, title in data.DEMO_USERS:
        user, created = User.objects.update_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "role": role,
                "job_title": title,
                "is_active": True,
            },
        )
        if created:
            user.set_password(data.DEMO_PASSWORD)
            user.save(update_fields=["password"])
        user.areas.set([areas[a] for a in area_codes])
        users.append(
            (username, user.get_role_display(), ", ".join(areas[a].name for a in area_codes) or "alle")
        )

    usernames = {u.username: u for u in User.objects.filter(username__in=[u[0] for u in data.DEMO_USERS])}
    for code, name, area_code, team_members in data.TEAMS:
        team, _ = Team.objects.update_or_create(code=code, defaults={"name": name, "area": areas[area_code]})
        team.members.set([usernames[m] for m in team_members])

    extras = [_load_extension(name) for name in DEMO_MODULES]
    return DemoSummary(
        areas=len(areas),
        organisations=len(organisations),
        chains=len(data.CHAINS),
        relationships=len(data.GOVERNANCE),
        themes=len(data.THEMES),
        users=users,
        extras=[line for line in extras if line],
    )


# Later capabilities add their demo data in a module with ``load_demo_data() -> str`` (a summary line),
# called after the register, strategy, users and teams exist, in this order.
DEMO_MODULES = [
    "toezicht.signals.demo_data",
    "toezicht.indicators.demo_data",
    "toezicht.risk.demo_data",
    "toezicht.programme.demo_data",
]


def _load_extension(name: str) -> str:
    if importlib.util.find_spec(name) is None:
        return ""
    return str(importlib.import_module(name).load_demo_data())
