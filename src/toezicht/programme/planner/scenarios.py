"""What-if scenarios: named modifications of a problem, solved and compared side by side with the base."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from . import _nl
from .plan import Plan, PlanStatus, status_label
from .problem import Basis, Item, Problem, ProblemError, Rules
from .solve import solve


@dataclass(frozen=True)
class Scenario:
    """A named modification. All fields are optional and are applied in this order:

    capacity: ``fte_delta`` (team id -> fte change, e.g. -2; times ``Team.hours_per_fte`` per quarter),
    ``hours_delta`` (team id -> hours per quarter), ``capacity_factor`` (team id or "*" -> factor), each only
    in ``quarters`` when given (hours never drop below 0); then ``reserve_share``, ``rules``;
    items: ``remove_items``, ``make_mandatory`` (item id -> basis), ``extra_items``; finally ``modify``.
    """

    name: str
    description: str = ""
    fte_delta: Mapping[str, float] = field(default_factory=dict)
    hours_delta: Mapping[str, float] = field(default_factory=dict)
    capacity_factor: Mapping[str, float] = field(default_factory=dict)
    quarters: tuple[int, ...] | None = None
    reserve_share: float | None = None
    rules: Rules | None = None
    remove_items: tuple[str, ...] = ()
    make_mandatory: Mapping[str, Basis] = field(default_factory=dict)
    extra_items: tuple[Item, ...] = ()
    modify: Callable[[Problem], Problem] | None = None


@dataclass(frozen=True)
class ScenarioResult:
    name: str
    description: str
    plan: Plan
    value: float
    value_delta: float  # vs base
    status_label: str
    added: tuple[str, ...]  # item ids planned here but not in the base plan
    dropped: tuple[str, ...]  # item ids planned in the base plan but not here
    moved: tuple[tuple[str, int, int], ...]  # (item id, base start, start here)
    utilisation: Mapping[str, float]  # team id -> planned / plannable hours over the year
    total_utilisation: float
    summary: str  # Dutch


@dataclass(frozen=True)
class ScenarioComparison:
    base: ScenarioResult
    scenarios: tuple[ScenarioResult, ...]

    @property
    def all(self) -> tuple[ScenarioResult, ...]:
        return (self.base, *self.scenarios)


def apply_scenario(problem: Problem, scenario: Scenario) -> Problem:
    """The modified problem; raises :class:`ProblemError` (Dutch) when the scenario does not fit."""
    errors: list[str] = []
    team_ids = {t.id for t in problem.teams}
    for key in (*scenario.fte_delta, *scenario.hours_delta):
        if key not in team_ids:
            errors.append(f"Scenario {scenario.name}: onbekend team ‘{key}’.")
    for key in scenario.capacity_factor:
        if key != "*" and key not in team_ids:
            errors.append(f"Scenario {scenario.name}: onbekend team ‘{key}’.")
        elif scenario.capacity_factor[key] < 0:
            errors.append(f"Scenario {scenario.name}: een capaciteitsfactor mag niet negatief zijn.")
    for team in problem.teams:
        if team.id in scenario.fte_delta and team.hours_per_fte <= 0:
            errors.append(
                f"Scenario {scenario.name}: voor team {team.name} is niet bekend hoeveel uren één fte "
                "oplevert."
            )
    for item_id in (*scenario.remove_items, *scenario.make_mandatory):
        if not problem.has_item(item_id):
            errors.append(f"Scenario {scenario.name}: onbekend onderzoek ‘{item_id}’.")
    if errors:
        raise ProblemError(tuple(errors))

    qs = set(scenario.quarters) if scenario.quarters is not None else set(range(1, problem.quarters + 1))
    teams = []
    for team in problem.teams:
        factor = scenario.capacity_factor.get(team.id, scenario.capacity_factor.get("*", 1.0))
        delta = scenario.fte_delta.get(team.id, 0.0) * team.hours_per_fte + scenario.hours_delta.get(
            team.id, 0.0
        )
        hours = tuple(
            max(0.0, (h + delta) * factor) if q in qs else h for q, h in enumerate(team.hours, start=1)
        )
        teams.append(replace(team, hours=hours))
    rules = scenario.rules if scenario.rules is not None else problem.rules
    if scenario.reserve_share is not None:
        rules = replace(rules, reserve_share=scenario.reserve_share)
    removed = set(scenario.remove_items)
    items = [
        replace(it, basis=scenario.make_mandatory[it.id]) if it.id in scenario.make_mandatory else it
        for it in problem.items
        if it.id not in removed
    ]
    items.extend(scenario.extra_items)
    out = replace(problem, teams=tuple(teams), items=tuple(items), rules=rules)
    if scenario.modify is not None:
        out = scenario.modify(out)
    return out


def _utilisation(plan: Plan) -> tuple[dict[str, float], float]:
    per_team: dict[str, tuple[float, float]] = {}
    for load in plan.loads:
        planned, plannable = per_team.get(load.team_id, (0.0, 0.0))
        per_team[load.team_id] = (planned + load.planned, plannable + load.plannable)
    util = {t: (p / c if c > 0 else 0.0) for t, (p, c) in per_team.items()}
    total_p = sum(p for p, _ in per_team.values())
    total_c = sum(c for _, c in per_team.values())
    return util, (total_p / total_c if total_c > 0 else 0.0)


def _result(name: str, description: str, plan: Plan, base: Plan | None) -> ScenarioResult:
    util, total = _utilisation(plan)
    base_starts = dict(base.starts) if base is not None else dict(plan.starts)
    starts = dict(plan.starts)
    added = tuple(i for i in starts if i not in base_starts)
    dropped = tuple(i for i in base_starts if i not in starts)
    moved = tuple(
        (i, base_starts[i], s) for i, s in starts.items() if i in base_starts and base_starts[i] != s
    )
    base_value = base.objective if base is not None and base.has_plan else plan.objective
    delta = plan.objective - base_value if plan.has_plan else 0.0
    if not plan.has_plan:
        summary = f"{name}: {plan.status_label}."
    else:
        summary = (
            f"{name}: waarde {_nl.number(plan.objective, 1)}"
            + (
                f" ({'+' if delta >= 0 else '−'}{_nl.number(abs(delta), 1)} t.o.v. basis)"
                if base is not None
                else ""
            )
            + f", {len(plan.items)} onderzoeken, bezetting {_nl.percent(total)}"
            + (
                f", {len(added)} erbij, {len(dropped)} eruit, {len(moved)} verschoven"
                if base is not None
                else ""
            )
            + "."
        )
    return ScenarioResult(
        name=name,
        description=description,
        plan=plan,
        value=plan.objective if plan.has_plan else 0.0,
        value_delta=delta,
        status_label=plan.status_label,
        added=added,
        dropped=dropped,
        moved=moved,
        utilisation=util,
        total_utilisation=total,
        summary=summary,
    )


def compare_scenarios(
    problem: Problem,
    scenarios: Sequence[Scenario],
    *,
    time_limit_s: float = 60.0,
    mip_gap: float = 0.001,
    explain: bool = False,
    base_name: str = "Basis",
) -> ScenarioComparison:
    """Solve the base and every scenario; compare value, items added/dropped/moved and utilisation."""
    base_plan = solve(problem, time_limit_s, mip_gap, explain=explain, marginal_resolve=False)
    base = _result(base_name, "Het werkprogramma zonder wijzigingen.", base_plan, None)
    results = []
    for sc in scenarios:
        try:
            modified = apply_scenario(problem, sc)
        except ProblemError as exc:
            plan = Plan(PlanStatus.INVALID, status_label(PlanStatus.INVALID, None), messages=exc.messages)
        else:
            plan = solve(
                modified,
                time_limit_s,
                mip_gap,
                explain=explain,
                marginal_resolve=False,
                start=base_plan.starts if base_plan.has_plan else None,
            )
        results.append(_result(sc.name, sc.description, plan, base_plan if base_plan.has_plan else None))
    return ScenarioComparison(base, tuple(results))
