"""Team neighbourhoods of the big-programme path (ADR 0062): HiGHS on the small model of one team's items
keeps every rule, never loses value and is exact when the neighbourhood is the whole problem."""

from __future__ import annotations

import time
from typing import Any

import numpy as np
from hypothesis import HealthCheck, given, settings

from toezicht.programme.planner import Item, Problem, Rules, Team, check_plan, greedy
from toezicht.programme.planner.lns import solve_restricted, team_search
from toezicht.programme.planner.model import Solver, build_model
from toezicht.programme.planner.polish import polish

from ._brute import brute_force
from .test_planner_optimality import tiny_problems

NO_RESERVE = Rules(reserve_share=0.0)


def _item(item_id: str, value: float, hours: dict[str, float], **kw: Any) -> Item:
    return Item(item_id, f"Onderzoek {item_id}", value, hours, **kw)


def _later() -> float:
    return time.perf_counter() + 5.0


def test_team_search_repacks_quarters_that_local_search_cannot() -> None:
    """Two quarters of 100 hours, each with 20 hours unused. Item d (40 hours) fits only after b and c
    change quarters together, which no single add, relocate or swap move of the local search achieves."""
    team = Team("t", "Team", (100.0, 100.0))
    items = (
        _item("a", 50, {"t": 50}),
        _item("b", 50, {"t": 30}),
        _item("c", 50, {"t": 50}),
        _item("e", 50, {"t": 30}),
        _item("d", 45, {"t": 40}),
    )
    problem = Problem(teams=(team,), items=items, rules=NO_RESERVE, quarters=2)
    start = {"a": 1, "b": 1, "c": 2, "e": 2}
    assert polish(problem, start, deadline=_later()) == start
    model = build_model(problem)
    x = team_search(model, model.values_from_starts(start), deadline=_later())
    starts = model.starts_from_values(x)
    assert check_plan(problem, starts) == ()
    assert set(starts) == {"a", "b", "c", "d", "e"}
    assert brute_force(problem)[0] == 245.0


def test_solve_restricted_keeps_fixed_columns_and_is_exact_on_the_free_part() -> None:
    team = Team("t", "Team", (100.0, 100.0))
    other = Team("u", "Ander team", (50.0, 50.0))
    items = (
        _item("a", 30, {"t": 60}),
        _item("b", 30, {"t": 60}),
        _item("c", 20, {"u": 50}),
        _item("d", 25, {"t": 40, "u": 10}),
    )
    problem = Problem(teams=(team, other), items=items, rules=NO_RESERVE, quarters=2)
    model = build_model(problem)
    incumbent = model.values_from_starts({"a": 1, "c": 2})
    free = np.array([model.items[int(k)].id in ("b", "d") for k in model.col_item])
    x = solve_restricted(model, incumbent, free, time_limit=5.0)
    assert x is not None
    assert np.array_equal(x[~free], incumbent[~free])
    starts = model.starts_from_values(x)
    assert check_plan(problem, starts) == ()
    # b and d both fit next to a (b in Q2, d in Q1 where u still has room next to c in Q2)
    assert set(starts) == {"a", "b", "c", "d"}
    assert solve_restricted(model, incumbent, np.zeros(model.num_cols, dtype=bool), time_limit=1.0) is None


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tiny_problems())
def test_team_search_keeps_every_rule_and_never_loses_value(problem: Problem) -> None:
    g = greedy(problem)
    if g.violations:
        return
    best, _ = brute_force(problem)
    assert best is not None
    model = build_model(problem)
    start = model.values_from_starts(g.starts)
    x = team_search(model, start, deadline=_later(), slice_s=1.0)
    starts = model.starts_from_values(x)
    assert check_plan(problem, starts) == ()
    value = sum(problem.item(i).value for i in starts)
    assert g.objective - 1e-9 <= value <= best + 1e-6
    if len(problem.teams) == 1 and model.num_cols:
        # one team: its neighbourhood is the whole programme, so the search is exact
        exact = Solver(model).run(time_limit=5.0, mip_gap=0.0)
        assert value == exact.objective == best
