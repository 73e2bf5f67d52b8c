"""The exact planner against brute-force enumeration on tiny generated problems."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from toezicht.programme.planner import (
    Basis,
    Item,
    ItemKind,
    PlanStatus,
    Problem,
    Rules,
    Team,
    check_plan,
    greedy,
    solve,
)

from ._brute import brute_force


@st.composite
def tiny_problems(draw: st.DrawFn) -> Problem:
    quarters = draw(st.integers(2, 3))
    n_teams = draw(st.integers(1, 2))
    teams = tuple(
        Team(
            f"t{k}",
            f"Team {k}",
            tuple(float(draw(st.integers(0, 12)) * 10) for _ in range(quarters)),
            hours_per_fte=100.0,
        )
        for k in range(n_teams)
    )
    n_items = draw(st.integers(1, 5))
    items: list[Item] = []
    for k in range(n_items):
        duration = draw(st.integers(1, 2))
        hours = {
            t.id: float(draw(st.integers(1, 8)) * 10) for t in teams if draw(st.booleans()) or t is teams[0]
        }
        allowed = draw(
            st.one_of(
                st.none(),
                st.lists(st.integers(1, quarters), min_size=1, max_size=quarters, unique=True).map(
                    lambda qs: tuple(sorted(qs))
                ),
            )
        )
        deps = tuple(
            f"i{j}" for j in range(k) if draw(st.integers(0, 5)) == 0
        )  # only earlier items: no cycles
        items.append(
            Item(
                id=f"i{k}",
                title=f"Onderzoek {k}",
                value=float(draw(st.integers(0, 50))),
                hours=hours,
                kind=ItemKind.REGULIER,
                allowed_quarters=allowed,
                duration=duration,
                basis=Basis.WETTELIJK if draw(st.integers(0, 5)) == 0 else None,
                goals=tuple(g for g in ("d1", "d2") if draw(st.booleans())),
                areas=("g1",) if draw(st.booleans()) else ("g2",),
                organisations=tuple(o for o in ("o1", "o2") if draw(st.integers(0, 2)) == 0),
                depends_on=deps,
            )
        )
    # keep items valid: a duration needs that many consecutive allowed quarters inside the horizon
    problem = Problem(teams=teams, items=(), quarters=quarters)
    items = [
        it if problem.starts(it) else Item(**{**it.__dict__, "allowed_quarters": None, "duration": 1})
        for it in items
    ]
    rules = Rules(
        reserve_share=draw(st.sampled_from([0.0, 0.0, 0.25])),
        min_share_per_goal={"d1": 0.3} if draw(st.booleans()) else {},
        min_share_per_area={"g1": 0.25} if draw(st.booleans()) else {},
        max_items_per_org_per_quarter=draw(st.one_of(st.none(), st.integers(1, 2))),
        max_items_per_org_per_year=draw(st.one_of(st.none(), st.integers(1, 3))),
    )
    return Problem(teams=teams, items=tuple(items), rules=rules, quarters=quarters)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tiny_problems())
def test_solve_matches_brute_force(problem: Problem) -> None:
    best, _ = brute_force(problem)
    plan = solve(problem, time_limit_s=10.0, mip_gap=0.0, explain=False)
    if best is None:
        assert plan.status is PlanStatus.INFEASIBLE
        assert plan.infeasibility is not None
        assert plan.infeasibility.summary.startswith("Er bestaat geen werkprogramma")
        assert not plan.items
        return
    assert plan.status is PlanStatus.OPTIMAL, plan.messages
    assert plan.objective == pytest.approx(best, abs=1e-6)
    assert check_plan(problem, plan.starts) == ()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tiny_problems())
def test_greedy_never_beats_the_optimum_and_reports_its_violations(problem: Problem) -> None:
    best, _ = brute_force(problem)
    g = greedy(problem)
    assert g.status is PlanStatus.HEURISTIC
    assert g.violations == check_plan(problem, g.starts)
    if not g.violations:
        assert best is not None
        assert g.objective <= best + 1e-6
    else:
        assert "voldoet niet aan alle eisen" in g.status_label


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tiny_problems())
def test_explanation_is_consistent_with_the_plan(problem: Problem) -> None:
    plan = solve(problem, time_limit_s=10.0, mip_gap=0.0, explain=True, explain_time_limit_s=5.0)
    if not plan.has_plan:
        return
    assert plan.explanation is not None
    dropped = {d.item_id for d in plan.explanation.dropped}
    assert dropped == {it.id for it in problem.items} - set(plan.starts)
    for d in plan.explanation.dropped:
        assert d.message  # every dropped candidate gets a Dutch reason
    for m in plan.explanation.marginal_values:
        if m.lower_bound_per_hour is not None and m.upper_bound_per_hour is not None:
            assert m.lower_bound_per_hour <= m.upper_bound_per_hour + 1e-6


def test_known_instance_optimum_and_dropped_reason() -> None:
    team = Team("mig", "Migratie", (100.0, 100.0))
    items = (
        Item("a", "Vreemdelingenbewaring Rotterdam", 60.0, {"mig": 80.0}),
        Item("b", "Terugkeer Schiphol", 50.0, {"mig": 60.0}),
        Item("c", "Opvang AZC Ter Apel", 45.0, {"mig": 60.0}),
        Item("d", "Uitzetcentrum", 10.0, {"mig": 90.0}),
    )
    problem = Problem(teams=(team,), items=items, rules=Rules(reserve_share=0.0), quarters=2)
    plan = solve(problem, mip_gap=0.0)
    assert plan.status is PlanStatus.OPTIMAL
    assert plan.objective == pytest.approx(110.0)  # a and b each fill a quarter; c, d do not fit
    best, _ = brute_force(problem)
    assert plan.objective == pytest.approx(best)
    assert plan.explanation is not None
    dropped = {d.item_id: d for d in plan.explanation.dropped}
    assert set(dropped) == {"c", "d"}
    assert "team Migratie is in Q1–Q2 vol" in dropped["d"].reasons
    assert "lager dan de laatst gekozen 0,75" in dropped["d"].message
    assert "even hoog als de laagst gekozen" in dropped["c"].message
    assert plan.status_label == "optimaal"
    binding = {b.key for b in plan.explanation.binding if b.kind == "capaciteit"}
    assert binding == {("mig", 1), ("mig", 2)}
    shadow = [m for m in plan.explanation.marginal_values if m.method == "lp_dual"]
    assert shadow
    assert all("Schaduwprijs team Migratie" in m.message for m in shadow)
