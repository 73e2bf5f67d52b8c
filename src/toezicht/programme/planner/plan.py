"""Output dataclasses of the planner and helpers that derive loads/coverage from chosen start quarters."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from . import _nl
from .problem import Item, ItemKind, Problem


class PlanStatus(StrEnum):
    OPTIMAL = "optimaal"
    TIME_LIMIT = "tijdslimiet"  # best plan found when the time limit hit; see Plan.gap
    NO_SOLUTION = "geen_oplossing"  # time limit hit before any plan was found
    INFEASIBLE = "onhaalbaar"
    INVALID = "ongeldig"  # input did not validate; see Plan.messages
    HEURISTIC = "vuistregel"  # greedy baseline
    ERROR = "fout"


@dataclass(frozen=True)
class PlannedItem:
    item_id: str
    title: str
    kind: ItemKind
    start: int
    quarters: tuple[int, ...]
    value: float
    hours: Mapping[str, float]  # team id -> total hours
    mandatory: bool
    fixed: bool


@dataclass(frozen=True)
class TeamLoad:
    team_id: str
    team_name: str
    quarter: int
    available: float  # hours after leave/overhead
    reserve: float  # hours kept free for incident investigations
    plannable: float  # available - reserve
    planned: float

    @property
    def free(self) -> float:
        return self.plannable - self.planned

    @property
    def utilisation(self) -> float | None:
        return self.planned / self.plannable if self.plannable > 0 else None


@dataclass(frozen=True)
class Coverage:
    kind: str  # "doel" | "toezichtgebied"
    key: str
    name: str
    planned_hours: float
    share: float  # of all planned hours
    min_share: float
    met: bool


@dataclass(frozen=True)
class BindingConstraint:
    kind: str  # capaciteit | aandeel_doel | aandeel_toezichtgebied | organisatie_kwartaal | organisatie_jaar
    key: tuple[str | int, ...]
    message: str  # Dutch
    slack: float  # hours (capacity/share) or number of items (organisation)
    lp_dual: float | None = None  # shadow price in the LP relaxation (value per unit)


@dataclass(frozen=True)
class DroppedItem:
    item_id: str
    title: str
    value: float
    hours: float
    value_per_hour: float
    reasons: tuple[str, ...]  # short Dutch reasons, one per blocking constraint kind
    message: str  # full Dutch sentence
    lp_reduced_cost: float | None = None  # value minus shadow-priced resource use (LP relaxation)


@dataclass(frozen=True)
class MarginalValue:
    team_id: str
    team_name: str
    quarter: int | None  # None = per year (extra hours in every open quarter)
    method: str  # "lp_dual" | "herberekening"
    value_per_hour: float  # lp_dual: shadow price; herberekening: gain of the new plan over the current one
    lower_bound_per_hour: float | None  # herberekening: proven lower limit of the true marginal value
    upper_bound_per_hour: float | None  # herberekening: proven upper limit of the true marginal value
    extra_hours: float  # hours added for herberekening (total over the year); 0 for lp_dual
    message: str  # Dutch


@dataclass(frozen=True)
class Explanation:
    binding: tuple[BindingConstraint, ...] = ()
    dropped: tuple[DroppedItem, ...] = ()
    marginal_values: tuple[MarginalValue, ...] = ()
    notes: tuple[str, ...] = ()  # Dutch: how to read the numbers


@dataclass(frozen=True)
class ConflictPart:
    kind: str  # a GroupKind value
    key: tuple[str | int, ...]
    label: str  # Dutch
    item_ids: tuple[str, ...] = ()
    team_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class Infeasibility:
    summary: str  # Dutch, several sentences
    parts: tuple[ConflictPart, ...]
    minimal: bool  # True when the deletion filter finished (every part is needed for the conflict)


@dataclass(frozen=True)
class Plan:
    status: PlanStatus
    status_label: str  # Dutch, e.g. "optimaal", "beste gevonden binnen tijdslimiet (gap 0,8 %)"
    items: tuple[PlannedItem, ...] = ()
    objective: float = 0.0
    best_bound: float | None = None
    gap: float | None = None  # proven relative gap (0.008 = 0,8 %)
    solve_seconds: float = 0.0
    loads: tuple[TeamLoad, ...] = ()
    coverage: tuple[Coverage, ...] = ()
    explanation: Explanation | None = None
    infeasibility: Infeasibility | None = None
    messages: tuple[str, ...] = ()  # Dutch: validation errors, violated rules (greedy), notes
    starts: Mapping[str, int] = field(default_factory=dict)  # item id -> start quarter
    violations: tuple[str, ...] = ()  # Dutch: rules this plan breaks (only possible for the greedy baseline)

    @property
    def has_plan(self) -> bool:
        return self.status in (PlanStatus.OPTIMAL, PlanStatus.TIME_LIMIT, PlanStatus.HEURISTIC)

    @property
    def chosen_ids(self) -> frozenset[str]:
        return frozenset(self.starts)

    def start_of(self, item_id: str) -> int | None:
        return self.starts.get(item_id)

    @property
    def value(self) -> float:
        return sum(p.value for p in self.items)


def item_quarters(item: Item, start: int) -> tuple[int, ...]:
    return tuple(range(start, start + item.duration))


def team_loads(problem: Problem, starts: Mapping[str, int]) -> dict[tuple[str, int], float]:
    load: dict[tuple[str, int], float] = {}
    for item_id, s in starts.items():
        item = problem.item(item_id)
        for team_id, h in item.hours.items():
            for q in item_quarters(item, s):
                load[(team_id, q)] = load.get((team_id, q), 0.0) + h / item.duration
    return load


def build_loads(problem: Problem, starts: Mapping[str, int]) -> tuple[TeamLoad, ...]:
    load = team_loads(problem, starts)
    out = []
    for team in problem.teams:
        for q in range(1, problem.quarters + 1):
            available = team.hours[q - 1]
            plannable = problem.plannable(team, q)
            out.append(
                TeamLoad(
                    team_id=team.id,
                    team_name=team.name,
                    quarter=q,
                    available=available,
                    reserve=available - plannable,
                    plannable=plannable,
                    planned=load.get((team.id, q), 0.0),
                )
            )
    return tuple(out)


def build_coverage(problem: Problem, starts: Mapping[str, int]) -> tuple[Coverage, ...]:
    chosen = [problem.item(i) for i in starts]
    total = sum(it.total_hours for it in chosen)
    out: list[Coverage] = []
    for kind, attr, mins, namer in (
        ("doel", "goals", problem.rules.min_share_per_goal, problem.goal_name),
        ("toezichtgebied", "areas", problem.rules.min_share_per_area, problem.area_name),
    ):
        keys: dict[str, None] = {}
        for it in problem.items:
            keys.update(dict.fromkeys(getattr(it, attr)))
        keys.update(dict.fromkeys(mins))
        for key in sorted(keys):
            hours = sum(it.total_hours for it in chosen if key in getattr(it, attr))
            share = hours / total if total > 0 else 0.0
            minimum = float(mins.get(key, 0.0))
            met = hours + 1e-6 * max(1.0, total) >= minimum * total
            out.append(Coverage(kind, key, namer(key), hours, share, minimum, met))
    return tuple(out)


def planned_items(problem: Problem, starts: Mapping[str, int]) -> tuple[PlannedItem, ...]:
    out = []
    for item in problem.items:
        s = starts.get(item.id)
        if s is None:
            continue
        out.append(
            PlannedItem(
                item_id=item.id,
                title=item.title,
                kind=item.kind,
                start=s,
                quarters=item_quarters(item, s),
                value=float(item.value),
                hours=dict(item.hours),
                mandatory=item.mandatory,
                fixed=item.fixed_start is not None,
            )
        )
    return tuple(out)


def status_label(status: PlanStatus, gap: float | None) -> str:
    if status is PlanStatus.OPTIMAL:
        if gap is not None and gap > 1e-4:
            return f"optimaal (bewezen gap {_nl.gap_percent(gap)})"
        return "optimaal"
    if status is PlanStatus.TIME_LIMIT:
        if gap is None:
            return "beste gevonden binnen tijdslimiet (gap onbekend)"
        return f"beste gevonden binnen tijdslimiet (gap {_nl.gap_percent(gap)})"
    if status is PlanStatus.NO_SOLUTION:
        return "geen plan gevonden binnen tijdslimiet"
    if status is PlanStatus.INFEASIBLE:
        return "onhaalbaar"
    if status is PlanStatus.INVALID:
        return "ongeldige invoer"
    if status is PlanStatus.HEURISTIC:
        return "vuistregel (waarde per uur)"
    return "fout in de oplosser"
