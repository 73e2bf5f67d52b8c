"""Synthetic work-programme data at scale (``toezicht generate``): 15 teams with capacity and a programme
with many candidate items, so that ``toezicht plan_programme --year 2027`` runs on generated data."""

from __future__ import annotations

from decimal import Decimal

from toezicht.accounts.models import Team
from toezicht.demo.generate import GenerationContext, step
from toezicht.programme.models import (
    ItemKind,
    ItemTeamHours,
    MandatoryBasis,
    ProgrammeItem,
    TeamCapacity,
    WorkProgramme,
)
from toezicht.register.models import Organisation, SupervisionArea
from toezicht.strategy.models import Theme

YEAR = 2027
N_TEAMS = 15
ITEMS_PER_SCALE = {"small": 150, "medium": 600, "large": 2000}
KIND_HOURS = {
    ItemKind.REGULAR: (60, 260, 1),
    ItemKind.IN_DEPTH: (200, 520, 1),
    ItemKind.INTENSIVE: (450, 1100, 2),
    ItemKind.THEMATIC: (350, 950, 2),
    ItemKind.INCIDENT: (100, 420, 1),
    ItemKind.FOLLOW_UP: (30, 130, 1),
}


@step
def generate_programme(ctx: GenerationContext) -> None:
    rng = ctx.rng
    areas = list(SupervisionArea.objects.order_by("code"))
    teams = []
    for n in range(1, N_TEAMS + 1):
        area = areas[(n - 1) % len(areas)] if areas else None
        team, _ = Team.objects.update_or_create(
            code=f"synth-team-{n:02d}", defaults={"name": f"Synthetisch team {n:02d}", "area": area}
        )
        teams.append(team)
    TeamCapacity.objects.filter(team__in=teams).delete()
    caps = []
    fte = {t.pk: rng.randint(6, 25) for t in teams}
    for team in teams:
        for year in (YEAR - 1, YEAR):
            for q, factor in enumerate((1.0, 0.97, 0.82, 1.0), start=1):
                caps.append(
                    TeamCapacity(
                        team=team,
                        year=year,
                        quarter=q,
                        fte=Decimal(fte[team.pk]),
                        available_hours=round(fte[team.pk] * 300 * factor),
                    )
                )
    TeamCapacity.objects.bulk_create(caps)
    ctx.counts["programme_capacity"] = len(caps)

    WorkProgramme.objects.filter(year=YEAR, title="Synthetisch werkprogramma").delete()
    programme = WorkProgramme.objects.create(
        year=YEAR,
        version=(
            WorkProgramme.objects.filter(year=YEAR)
            .order_by("-version")
            .values_list("version", flat=True)
            .first()
            or 0
        )
        + 1,
        title="Synthetisch werkprogramma",
        max_items_per_org_per_quarter=2,
        max_items_per_org_per_year=5,
        time_limit_s=60,
    )
    n_items = ITEMS_PER_SCALE.get(ctx.scale.name, 150)
    org_ids = list(Organisation.objects.order_by("pk").values_list("pk", flat=True)[:2000])
    theme_ids = list(Theme.objects.order_by("pk").values_list("pk", flat=True))
    kinds = list(KIND_HOURS)
    weights = [38, 16, 7, 7, 10, 22]
    items = []
    plans = []
    for i in range(n_items):
        kind = rng.choices(kinds, weights=weights)[0]
        lo, hi, duration = KIND_HOURS[kind]
        total = rng.randint(lo, hi)
        n_team = 1 if rng.random() < 0.72 else 2
        chosen = rng.sample(teams, n_team)
        basis = rng.choice([MandatoryBasis.STATUTORY, MandatoryBasis.MINISTER]) if rng.random() < 0.05 else ""
        items.append(
            ProgrammeItem(
                programme=programme,
                title=f"{kind.label.capitalize()} {i + 1:04d}",
                kind=kind,
                value=round(total * rng.lognormvariate(0, 0.35) / 10, 1),
                duration=duration,
                mandatory_basis=basis,
                allowed_quarters=[]
                if basis or rng.random() < 0.7
                else sorted(rng.sample([1, 2, 3], 2 if duration == 1 else 3)),
            )
        )
        plans.append((chosen, total))
    ProgrammeItem.objects.bulk_create(items)
    hours: list[ItemTeamHours] = []
    for item, (chosen, total) in zip(items, plans, strict=True):
        share = total // len(chosen)
        hours.extend(ItemTeamHours(item=item, team=t, hours=share) for t in chosen)
    ItemTeamHours.objects.bulk_create(hours)
    through_org = ProgrammeItem.organisations.through
    through_theme = ProgrammeItem.themes.through
    through_area = ProgrammeItem.areas.through
    org_links, theme_links, area_links = [], [], []
    for item, (chosen, _) in zip(items, plans, strict=True):
        if org_ids and rng.random() < 0.8:
            org_links.append(through_org(programmeitem_id=item.pk, organisation_id=rng.choice(org_ids)))
        if theme_ids:
            theme_links.append(through_theme(programmeitem_id=item.pk, theme_id=rng.choice(theme_ids)))
        for area_id in {t.area_id for t in chosen if t.area_id}:
            area_links.append(through_area(programmeitem_id=item.pk, supervisionarea_id=area_id))
    through_org.objects.bulk_create(org_links)
    through_theme.objects.bulk_create(theme_links)
    through_area.objects.bulk_create(area_links)
    ctx.counts["programme_items"] = len(items)
