"""Benchmark of the work-programme planner on a deterministic synthetic instance.

2,000 candidates, 15 teams x 4 quarters, every constraint kind present (mandatory items, dependencies,
minimum shares per goal and area, organisation caps per quarter and per year, a 15 % reserve, multi-team
and two-quarter items). Total demand is about 2.3x the plannable capacity.

Run: .venv/bin/python bench/planner.py   -> prints one JSON line.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from _common import machine_speed
from toezicht.programme.planner import (
    Basis,
    Item,
    ItemKind,
    Problem,
    Rules,
    Team,
    check_plan,
    greedy,
    replan,
    solve,
)

SEED = 20250101
N_ITEMS = 2000
N_TEAMS = 15
QUARTERS = 4
HOURS_PER_FTE = 300.0  # productive inspector hours per fte per quarter (after leave and overhead)

KIND_HOURS: dict[ItemKind, tuple[float, float, int]] = {
    # kind: (min hours, max hours, duration in quarters)
    ItemKind.REGULIER: (60, 260, 1),
    ItemKind.VERDIEPEND: (200, 520, 1),
    ItemKind.INTENSIEF: (450, 1100, 2),
    ItemKind.THEMATISCH: (350, 950, 2),
    ItemKind.INCIDENTONDERZOEK: (100, 420, 1),
    ItemKind.OPVOLGING: (30, 130, 1),
}
KIND_P = [0.38, 0.16, 0.07, 0.07, 0.10, 0.22]


def build_instance(seed: int = SEED, n_items: int = N_ITEMS, n_teams: int = N_TEAMS) -> Problem:
    rng = np.random.default_rng(seed)
    fte = rng.integers(6, 26, size=n_teams)
    teams = []
    for t in range(n_teams):
        quarterly = fte[t] * HOURS_PER_FTE
        seasonal = np.array([1.0, 0.97, 0.82, 1.0])  # summer leave in Q3
        hours = tuple(float(round(quarterly * s)) for s in seasonal[:QUARTERS])
        teams.append(Team(f"T{t:02d}", f"Team {t + 1:02d}", hours, hours_per_fte=HOURS_PER_FTE))
    team_weight = fte / fte.sum()
    goals = [f"D{g}" for g in range(1, 7)]
    areas = [f"G{a}" for a in range(1, 11)]
    n_orgs = 450
    org_weight = 1.0 / np.arange(1, n_orgs + 1) ** 0.9
    org_weight /= org_weight.sum()
    goal_bonus = {"D1": 1.15, "D2": 1.05, "D3": 1.0, "D4": 0.95, "D5": 0.85, "D6": 0.75}

    kinds = list(KIND_HOURS)
    items: list[Item] = []
    for i in range(n_items):
        kind = kinds[int(rng.choice(len(kinds), p=KIND_P))]
        lo, hi, duration = KIND_HOURS[kind]
        total = float(round(rng.uniform(lo, hi)))
        n_team = 1 if rng.random() < 0.72 else (2 if rng.random() < 0.8 else 3)
        if kind is ItemKind.THEMATISCH:
            n_team = max(n_team, 2)
        chosen = rng.choice(n_teams, size=n_team, replace=False, p=team_weight)
        split = rng.dirichlet(np.ones(n_team) * 3.0)
        hours = {f"T{int(t):02d}": float(round(total * w)) for t, w in zip(chosen, split, strict=True)}
        goal = goals[int(rng.integers(len(goals)))]
        item_goals: tuple[str, ...] = (goal,)
        if rng.random() < 0.12:
            other = goals[int(rng.integers(len(goals)))]
            if other != goal:
                item_goals = (goal, other)
        area = areas[int(rng.integers(len(areas)))]
        # value from the risk picture: roughly proportional to hours, with noise and a goal effect
        vph = float(rng.lognormal(mean=0.0, sigma=0.35)) * goal_bonus[goal]
        value = float(round(total * vph * 10.0) / 10.0)
        allowed: tuple[int, ...] | None = None
        r = rng.random()
        if r < 0.25:
            start = int(rng.integers(1, QUARTERS - duration + 2))
            allowed = tuple(range(start, min(QUARTERS, start + duration + 1) + 1))
        elif r < 0.35:
            allowed = tuple(range(1, QUARTERS))
        n_org = int(rng.choice([0, 1, 1, 1, 2, 2, 3]))
        orgs = tuple(f"O{int(o):03d}" for o in set(rng.choice(n_orgs, size=n_org, p=org_weight).tolist()))
        items.append(
            Item(
                id=f"W{i:04d}",
                title=f"{kind.value.capitalize()} {i:04d}",
                value=value,
                hours=hours,
                kind=kind,
                allowed_quarters=allowed,
                duration=duration,
                goals=item_goals,
                areas=(area,),
                organisations=orgs,
            )
        )
    # mandatory items: about 6 %, with room in every quarter so that the base problem stays feasible
    for i in rng.choice(n_items, size=120, replace=False):
        basis = [Basis.WETTELIJK, Basis.VERZOEK_MINISTER, Basis.VERZOEK_TWEEDE_KAMER][int(rng.integers(3))]
        it = items[int(i)]
        items[int(i)] = replace(it, basis=basis, allowed_quarters=None, organisations=())
    # dependencies: follow-up and in-depth work after an earlier regular investigation
    n_dep = 0
    for i in range(n_items):
        it = items[i]
        if it.kind in (ItemKind.OPVOLGING, ItemKind.VERDIEPEND) and it.basis is None and rng.random() < 0.35:
            j = int(rng.integers(0, n_items))
            pre = items[j]
            if j != i and pre.kind in (ItemKind.REGULIER, ItemKind.INCIDENTONDERZOEK) and not pre.depends_on:
                items[i] = replace(it, depends_on=(pre.id,), allowed_quarters=None)
                n_dep += 1
    rules = Rules(
        reserve_share=0.15,
        min_share_per_goal={"D5": 0.14, "D6": 0.12, "D3": 0.12},
        min_share_per_area={"G1": 0.08, "G7": 0.09, "G10": 0.085},
        max_items_per_org_per_quarter=2,
        max_items_per_org_per_year=5,
    )
    return Problem(
        teams=tuple(teams),
        items=tuple(items),
        rules=rules,
        quarters=QUARTERS,
        goal_names={g: f"Doel {g[1:]}" for g in goals},
        area_names={a: f"Toezichtgebied {a[1:]}" for a in areas},
    )


def main() -> None:
    problem = build_instance()
    capacity = sum(problem.plannable(t, q) for t in problem.teams for q in range(1, QUARTERS + 1))
    demand = sum(it.total_hours for it in problem.items)

    t0 = time.perf_counter()
    plan = solve(problem, time_limit_s=30.0, mip_gap=0.001, explain=False)
    solve_s = time.perf_counter() - t0
    assert plan.has_plan, plan.status_label
    assert not check_plan(problem, plan.starts)

    t0 = time.perf_counter()
    full = solve(problem, time_limit_s=30.0, mip_gap=0.001, explain=True, explain_time_limit_s=30.0)
    explain_s = time.perf_counter() - t0 - full.solve_seconds

    g = greedy(problem)
    greedy_pct = 100.0 * g.objective / plan.objective if not g.violations else None

    # re-plan in Q2: everything planned in Q1 has started; one urgent incident investigation arrives
    started = [i for i, s in plan.starts.items() if s == 1]
    busiest = max(problem.teams, key=lambda t: t.hours[1])
    urgent = Item(
        id="SPOED-1",
        title="Spoedonderzoek na incident",
        value=900.0,
        hours={busiest.id: 600.0},
        kind=ItemKind.INCIDENTONDERZOEK,
        allowed_quarters=(2,),
    )
    t0 = time.perf_counter()
    # 4 s of solver time: model building and HiGHS finishing its current step stay within the 5 s budget
    rp = replan(problem, plan, [urgent], started, today_quarter=2, time_limit_s=4.0, explain=False)
    replan_s = time.perf_counter() - t0
    assert rp.plan.has_plan, rp.summary

    peak_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    print(
        json.dumps(
            {
                "candidates": len(problem.items),
                "teams": len(problem.teams),
                "quarters": problem.quarters,
                "solve_s": round(solve_s, 2),
                "gap": round(plan.gap or 0.0, 6),
                "status": plan.status_label,
                "greedy_pct_of_optimum": round(greedy_pct, 2) if greedy_pct is not None else None,
                "optimum_proven": plan.status_label.startswith("optimaal"),
                "objective": round(plan.objective, 1),
                "best_bound": round(plan.best_bound, 1) if plan.best_bound is not None else None,
                "greedy_pct_of_bound": (
                    round(100.0 * g.objective / plan.best_bound, 2)
                    if plan.best_bound and not g.violations
                    else None
                ),
                "replan_s": round(replan_s, 2),
                "peak_rss_mb": round(peak_rss_mb, 1),
                "demand_over_capacity": round(demand / capacity, 2),
                "explain_s": round(explain_s, 2),
                "replan_changes": len(rp.changes),
                "machine": machine_speed(),
            },
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main()
