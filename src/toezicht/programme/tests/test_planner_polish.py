"""The heuristics of the big-programme path (LP rounding, local search, LP-reduced HiGHS) never break a
rule and never lose value; the path as a whole still finds the brute-force optimum on tiny problems."""

from __future__ import annotations

import importlib
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings

from toezicht.programme.planner import (
    Basis,
    Item,
    OrgLimit,
    PlanStatus,
    Problem,
    Rules,
    Team,
    check_plan,
    greedy,
    solve,
)
from toezicht.programme.planner.model import Solver, build_model
from toezicht.programme.planner.polish import lp_rounding, polish

from ._brute import brute_force
from .test_planner_optimality import tiny_problems

solve_module = importlib.import_module("toezicht.programme.planner.solve")  # the module, not solve()
MIG = Team("mig", "Migratie", (100.0, 100.0), hours_per_fte=50.0)
NO_RESERVE = Rules(reserve_share=0.0)


def _item(item_id: str, value: float, hours: dict[str, float], **kw: Any) -> Item:
    return Item(item_id, f"Onderzoek {item_id}", value, hours, **kw)


def _value(problem: Problem, starts: dict[str, int]) -> float:
    return sum(problem.item(i).value for i in starts)


def _later() -> float:
    return time.perf_counter() + 5.0


def test_polish_moves_an_item_to_another_quarter_to_make_room() -> None:
    items = (
        _item("a", 10, {"mig": 50}),  # planned in Q1, may also run in Q2
        _item("c", 40, {"mig": 80}, allowed_quarters=(1,)),  # only fits in Q1 once a has moved
    )
    problem = Problem(teams=(MIG,), items=items, rules=NO_RESERVE, quarters=2)
    out = polish(problem, {"a": 1}, deadline=_later())
    assert out == {"a": 2, "c": 1}
    assert check_plan(problem, out) == ()


def test_polish_swaps_out_a_lower_value_item_at_a_capped_organisation() -> None:
    rules = Rules(reserve_share=0.0, org_limits={"pi": OrgLimit(per_year=1)})
    items = (
        _item("low", 10, {"mig": 20}, organisations=("pi",)),
        _item("high", 30, {"mig": 20}, organisations=("pi",)),
    )
    problem = Problem(teams=(MIG,), items=items, rules=rules, quarters=2)
    out = polish(problem, {"low": 1}, deadline=_later())
    assert set(out) == {"high"}
    assert check_plan(problem, out) == ()


def test_polish_never_drops_mandatory_items_or_moves_started_ones() -> None:
    items = (
        _item("started", 1, {"mig": 60}, fixed_start=1),
        _item("law", 1, {"mig": 60}, basis=Basis.WETTELIJK, allowed_quarters=(2,)),
        _item("better", 90, {"mig": 60}),
    )
    problem = Problem(teams=(MIG,), items=items, rules=NO_RESERVE, quarters=2)
    out = polish(problem, {"started": 1, "law": 2}, deadline=_later())
    assert out == {"started": 1, "law": 2}  # "better" fits nowhere without breaking a rule


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tiny_problems())
def test_polish_keeps_every_rule_and_never_loses_value(problem: Problem) -> None:
    g = greedy(problem)
    if g.violations:
        return
    best, _ = brute_force(problem)
    assert best is not None
    out = polish(problem, g.starts, deadline=_later())
    assert check_plan(problem, out) == ()
    assert _value(problem, g.starts) - 1e-9 <= _value(problem, out) <= best + 1e-6


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tiny_problems())
def test_lp_rounding_gives_a_valid_plan_or_none(problem: Problem) -> None:
    model = build_model(problem)
    lp = Solver(model, integer=False).run(time_limit=5.0, mip_gap=0.0)
    if lp.status != "optimal" or lp.x is None:
        return
    starts = lp_rounding(problem, model.col_item, model.col_start, lp.x)
    if starts is not None and not check_plan(problem, starts):
        best, _ = brute_force(problem)
        assert best is not None
        assert _value(problem, starts) <= best + 1e-6
        assert _value(problem, starts) <= lp.objective + 1e-6


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tiny_problems())
def test_big_programme_path_keeps_rules_and_a_true_bound(problem: Problem) -> None:
    """The path for big programmes (LP bound and heuristics, no HiGHS on the full model at the end), forced
    on tiny problems: a valid plan, a bound no lower than the true optimum, "optimaal" only when proven."""
    best, _ = brute_force(problem)
    with mock.patch.object(solve_module, "_DIRECT_MIP_COLUMNS", -1):
        plan = solve(problem, time_limit_s=10.5, mip_gap=0.0, explain=False)
    if best is None:
        assert plan.status is PlanStatus.INFEASIBLE
        return
    assert plan.has_plan, plan.messages
    assert check_plan(problem, plan.starts) == ()
    assert plan.objective <= best + 1e-6
    assert plan.best_bound is not None
    assert plan.best_bound >= best - 1e-6
    if plan.status is PlanStatus.OPTIMAL:
        assert plan.objective == pytest.approx(best, abs=1e-6)


def test_reported_bound_is_never_above_the_lp_bound_on_a_big_programme() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[4] / "bench"))
    try:
        from planner import build_instance
    finally:
        sys.path.pop(0)
    problem = build_instance(n_items=800)
    model = build_model(problem)
    lp = Solver(model, integer=False).run(time_limit=30.0, mip_gap=0.0)
    plan = solve(problem, time_limit_s=12.0, mip_gap=0.001, explain=False)
    assert plan.has_plan
    assert check_plan(problem, plan.starts) == ()
    assert plan.best_bound is not None
    assert plan.objective <= plan.best_bound + 1e-6
    assert plan.best_bound <= lp.objective + 1e-6
    assert plan.gap == pytest.approx((plan.best_bound - plan.objective) / plan.objective, abs=1e-9)


def test_highs_banner_does_not_reach_stdout() -> None:
    code = (
        "from toezicht.programme.planner import Item, Problem, Team, solve\n"
        "p = Problem(teams=(Team('t', 'T', (10.0,)),), items=(Item('a', 'A', 1.0, {'t': 5.0}),),"
        " quarters=1)\n"
        "solve(p, time_limit_s=5)\n"
    )
    src = Path(__file__).resolve().parents[3]
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONPATH": str(src), "PATH": "/usr/bin:/bin"},
    )
    assert out.stdout == ""
