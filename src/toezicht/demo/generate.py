"""Deterministic synthetic data at scale, for benchmarks and load tests.

``generate(scale, seed)`` fills the current database. Each capability adds a step to ``STEPS``; the
register step comes first. The same scale and seed always give the same data.
"""

from __future__ import annotations

import importlib
import importlib.util
import random
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction

from toezicht.core.database import refresh_statistics
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


@dataclass(frozen=True)
class Scale:
    name: str
    organisations: int
    themes: int = 20
    chains: int = 40


SCALES = {
    "small": Scale("small", organisations=200, chains=8),
    "medium": Scale("medium", organisations=1_000, chains=20),
    "large": Scale("large", organisations=5_000, chains=40),
}

TOWNS = sorted(
    {town for *_, town in data.POLICE_UNITS}
    | {town for *_, town in data.SAFETY_REGIONS}
    | {town for *_, town in data.PENITENTIARY_INSTITUTIONS}
    | set(data.RECEPTION_LOCATIONS)
)

# (type code, name pattern, share of organisations)
SYNTHETIC_KINDS = [
    ("politie-eenheid", "Politieteam {town} {n}", 0.22),
    ("veiligheidsregio", "Brandweerpost {town} {n}", 0.14),
    ("pi", "PI-locatie {town} {n}", 0.12),
    ("coa-locatie", "COA-locatie {town} {n}", 0.18),
    ("gi", "Jeugdbeschermingsteam {town} {n}", 0.12),
    ("reclassering", "Reclasseringsunit {town} {n}", 0.10),
    ("fpc", "Forensische kliniek {town} {n}", 0.05),
    ("ketenpartner", "Ketenpartner {town} {n}", 0.07),
]


@dataclass
class GenerationContext:
    scale: Scale
    seed: int
    rng: random.Random
    counts: dict[str, int] = field(default_factory=dict)


Step = Callable[[GenerationContext], None]
STEPS: list[Step] = []


def step(func: Step) -> Step:
    STEPS.append(func)
    return func


@step
def generate_register(ctx: GenerationContext) -> None:
    rng = ctx.rng
    areas = [
        SupervisionArea.objects.update_or_create(code=code, defaults={"name": name, "description": text})[0]
        for code, name, text in data.AREAS
    ]
    types = {
        code: OrganisationType.objects.update_or_create(
            code=code, defaults={"name": name, "is_governance_body": gov}
        )[0]
        for code, name, gov in data.ORGANISATION_TYPES
    }
    ministry = [
        Organisation.objects.update_or_create(
            code=f"syn-dg-{i}", defaults={"name": f"Directoraat-generaal {i}", "type": types["ministerie"]}
        )[0]
        for i in range(1, 6)
    ]
    heads = []
    for i, area in enumerate(areas):
        head, _ = Organisation.objects.update_or_create(
            code=f"syn-hoofd-{i}",
            defaults={"name": f"Landelijke organisatie {area.name}", "type": types["agentschap"]},
        )
        head.areas.set([area])
        heads.append(head)

    existing = set(Organisation.objects.filter(code__startswith="syn-").values_list("code", flat=True))
    weights = [share for *_, share in SYNTHETIC_KINDS]
    area_for_kind = {
        "politie-eenheid": 0,
        "veiligheidsregio": 4,
        "pi": 3,
        "coa-locatie": 1,
        "gi": 2,
        "reclassering": 3,
        "fpc": 3,
        "ketenpartner": 6,
    }
    new: list[Organisation] = []
    area_links: list[tuple[int, int]] = []
    for n in range(ctx.scale.organisations):
        code = f"syn-org-{n:06d}"
        kind, pattern, _ = rng.choices(SYNTHETIC_KINDS, weights=weights)[0]
        town = rng.choice(TOWNS)
        area_index = area_for_kind[kind]
        second_area = rng.randrange(len(areas)) if rng.random() < 0.15 else area_index
        if code in existing:  # after every draw, so a rerun gives the same sequence
            continue
        new.append(
            Organisation(
                code=code,
                name=pattern.format(town=town, n=n),
                type=types[kind],
                parent=heads[area_index],
                municipality=town,
            )
        )
        area_links.append((area_index, second_area))
    with transaction.atomic():
        created = Organisation.objects.bulk_create(new, batch_size=2_000)
        through = Organisation.areas.through
        links = []
        for organisation, (first, second) in zip(created, area_links, strict=True):
            links.append(through(organisation_id=organisation.pk, supervisionarea_id=areas[first].pk))
            if second != first:
                links.append(through(organisation_id=organisation.pk, supervisionarea_id=areas[second].pk))
        through.objects.bulk_create(links, batch_size=5_000)
        for head, dg in zip(heads, ministry * 2, strict=False):
            Relationship.objects.get_or_create(kind="opdrachtgever", source=dg, target=head)
            Relationship.objects.get_or_create(kind="eigenaar", source=ministry[0], target=head)

    period, _ = StrategicPeriod.objects.get_or_create(
        name="Meerjarenperspectief 2025-2028 (synthetisch)", defaults={"start_year": 2025, "end_year": 2028}
    )
    goals = [
        Goal.objects.get_or_create(period=period, number=i, defaults={"title": f"Doel {i}"})[0]
        for i in range(1, 5)
    ]
    for i in range(ctx.scale.themes):
        theme, _ = Theme.objects.get_or_create(code=f"syn-thema-{i:02d}", defaults={"name": f"Thema {i:02d}"})
        theme.goals.set([goals[i % 4]])

    all_ids = list(
        Organisation.objects.filter(code__startswith="syn-org-").order_by("pk").values_list("pk", flat=True)
    )
    for c in range(ctx.scale.chains):
        chain, created_chain = Chain.objects.get_or_create(
            code=f"syn-keten-{c}", defaults={"name": f"Keten {c:02d}"}
        )
        if not created_chain:
            continue
        chain.areas.set([areas[c % len(areas)]])
        members = rng.sample(all_ids, k=min(len(all_ids), rng.randint(4, 12)))
        ChainMembership.objects.bulk_create(
            [
                ChainMembership(chain=chain, organisation_id=m, role="deelnemer", position=i)
                for i, m in enumerate(members)
            ]
        )
    ctx.counts["organisations"] = Organisation.objects.count()


# Modules of later capabilities that add their own steps with @step when imported, in this order.
STEP_MODULES = [
    "toezicht.signals.synthetic",
    "toezicht.indicators.synthetic",
    "toezicht.programme.synthetic",
]


def _load_step_modules() -> None:
    for name in STEP_MODULES:
        if importlib.util.find_spec(name) is not None:
            importlib.import_module(name)


def generate(scale_name: str, seed: int) -> dict[str, int]:
    _load_step_modules()
    scale = SCALES[scale_name]
    ctx = GenerationContext(scale=scale, seed=seed, rng=random.Random(seed))
    for generation_step in STEPS:
        generation_step(ctx)
    refresh_statistics()
    return ctx.counts
