"""Infeasibility in Dutch, time limits, re-planning and scenarios of the pure planner."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from toezicht.programme.planner import (
    Basis,
    ChangeKind,
    Item,
    ItemKind,
    PlanStatus,
    Problem,
    Rules,
    Scenario,
    Team,
    check_plan,
    compare_scenarios,
    greedy,
    replan,
    solve,
)
from toezicht.programme.planner.model import RunResult, build_model, relative_gap
from toezicht.programme.planner.solve import SolveOptions, plan_from_run

from ._brute import brute_force

MIG = Team("mig", "Migratie", (100.0, 100.0, 100.0, 100.0), hours_per_fte=50.0)
SAN = Team("san", "Sanctietoepassing", (200.0, 200.0, 200.0, 200.0), hours_per_fte=50.0)
NO_RESERVE = Rules(reserve_share=0.0)


def _item(item_id: str, value: float, hours: dict[str, float], **kw: Any) -> Item:
    title = str(kw.pop("title", f"Onderzoek {item_id}"))
    return Item(item_id, title, value, hours, **kw)


# ---- infeasibility -------------------------------------------------------------------------------


def test_mandatory_items_beyond_capacity_are_explained_in_dutch() -> None:
    items = (
        _item(
            "p1",
            10,
            {"mig": 80},
            title="Jaarinspectie PI Vught",
            basis=Basis.WETTELIJK,
            allowed_quarters=(1,),
        ),
        _item(
            "p2",
            10,
            {"mig": 70},
            title="Verzoek Kamer detentiecentrum",
            basis=Basis.VERZOEK_TWEEDE_KAMER,
            allowed_quarters=(1,),
        ),
        _item("x", 99, {"mig": 10}, title="Vrij onderzoek"),
    )
    plan = solve(Problem(teams=(MIG,), items=items, rules=NO_RESERVE), mip_gap=0.0)
    assert plan.status is PlanStatus.INFEASIBLE
    assert not plan.items
    assert not plan.starts
    inf = plan.infeasibility
    assert inf is not None
    assert inf.minimal
    assert inf.summary.startswith("Er bestaat geen werkprogramma dat aan alle eisen voldoet.")
    assert "‘Jaarinspectie PI Vught’" in inf.summary
    assert "‘Verzoek Kamer detentiecentrum’" in inf.summary
    assert "150 uur van team Migratie in Q1, er is 100 uur beschikbaar" in inf.summary
    kinds = {p.kind for p in inf.parts}
    assert kinds == {"verplicht", "capaciteit"}
    assert "‘Vrij onderzoek’" not in inf.summary  # irrelevant items stay out of the conflict
    assert plan.messages == (inf.summary,)


def test_reserve_is_named_when_it_causes_the_conflict() -> None:
    items = (_item("p1", 10, {"mig": 90}, basis=Basis.WETTELIJK, allowed_quarters=(2,)),)
    plan = solve(Problem(teams=(MIG,), items=items, rules=Rules(reserve_share=0.2)))
    assert plan.status is PlanStatus.INFEASIBLE
    assert plan.infeasibility is not None
    assert "na aftrek van 20 % reserve voor incidentonderzoeken" in plan.infeasibility.summary


def test_cyclic_dependencies_are_reported_as_invalid_input() -> None:
    items = (
        _item("a", 10, {"mig": 10}, title="Toezicht A", depends_on=("b",)),
        _item("b", 10, {"mig": 10}, title="Toezicht B", depends_on=("c",)),
        _item("c", 10, {"mig": 10}, title="Toezicht C", depends_on=("a",)),
        _item("d", 10, {"mig": 10}, title="Toezicht D", depends_on=("d",)),
    )
    plan = solve(Problem(teams=(MIG,), items=items))
    assert plan.status is PlanStatus.INVALID
    text = " ".join(plan.messages)
    assert "De afhankelijkheden vormen een kring" in text
    assert "‘Toezicht A’ hangt af van ‘Toezicht B’" in text
    assert "Onderzoek ‘Toezicht D’ hangt van zichzelf af." in plan.messages


def test_contradictory_dependency_timing_is_explained() -> None:
    items = (
        _item("a", 10, {"mig": 10}, title="Basisinspectie", allowed_quarters=(3, 4), basis=Basis.WETTELIJK),
        _item(
            "b",
            10,
            {"mig": 10},
            title="Vervolgonderzoek",
            allowed_quarters=(1, 2, 3),
            depends_on=("a",),
            basis=Basis.VERZOEK_MINISTER,
        ),
    )
    plan = solve(Problem(teams=(MIG,), items=items))
    assert plan.status is PlanStatus.INFEASIBLE
    assert plan.infeasibility is not None
    summary = plan.infeasibility.summary
    assert "‘Vervolgonderzoek’ hangt af van ‘Basisinspectie’" in summary
    assert "op zijn vroegst eind Q3 klaar" in summary
    assert "uiterlijk in Q3 beginnen" in summary


def test_minimum_shares_that_cannot_add_up() -> None:
    items = (
        _item("a", 10, {"mig": 10}, goals=("d1",), basis=Basis.WETTELIJK),
        _item("b", 10, {"mig": 10}, goals=("d2",), basis=Basis.WETTELIJK),
    )
    rules = Rules(reserve_share=0.0, min_share_per_goal={"d1": 0.6, "d2": 0.6})
    problem = Problem(teams=(MIG,), items=items, rules=rules, goal_names={"d1": "Veilig", "d2": "Humaan"})
    plan = solve(problem)
    assert plan.status is PlanStatus.INFEASIBLE
    assert plan.infeasibility is not None
    assert "doel Veilig (60 %)" in plan.infeasibility.summary or "doel Humaan" in plan.infeasibility.summary


def test_invalid_input_gives_dutch_messages_not_exceptions() -> None:
    items = (_item("a", float("nan"), {"xx": -5}, duration=7),)
    plan = solve(Problem(teams=(MIG,), items=items))
    assert plan.status is PlanStatus.INVALID
    text = " ".join(plan.messages)
    assert "geen geldige waarde" in text
    assert "onbekend team ‘xx’" in text
    assert "ongeldige duur" in text


# ---- time limit ----------------------------------------------------------------------------------


def _hard_knapsack(n: int = 160, seed: int = 7) -> Problem:
    rng = np.random.default_rng(seed)
    teams = tuple(Team(f"t{k}", f"Team {k}", (997.0, 1003.0, 1009.0, 991.0)) for k in range(3))
    items = []
    for i in range(n):
        w = float(rng.integers(40, 160))
        team = f"t{i % 3}"
        other = f"t{(i + 1) % 3}"
        items.append(
            Item(
                f"i{i}",
                f"Onderzoek {i}",
                w + 10.0 + float(rng.integers(0, 3)),  # strongly correlated: hard for branch and bound
                {team: w, other: float(rng.integers(10, 60))},
                duration=int(rng.integers(1, 3)),
                organisations=(f"o{int(rng.integers(0, 30))}",),
                goals=(f"d{i % 4}",),
            )
        )
    rules = Rules(
        reserve_share=0.05, max_items_per_org_per_quarter=2, min_share_per_goal={"d0": 0.2, "d1": 0.2}
    )
    return Problem(teams=teams, items=tuple(items), rules=rules)


def test_time_limit_gives_best_plan_with_proven_gap() -> None:
    problem = _hard_knapsack()
    plan = solve(problem, time_limit_s=0.3, mip_gap=0.0, explain=False)
    assert plan.status is PlanStatus.TIME_LIMIT, plan.status_label
    assert plan.has_plan
    assert check_plan(problem, plan.starts) == ()
    assert plan.gap is not None
    assert plan.gap > 0
    assert plan.best_bound is not None
    assert plan.best_bound >= plan.objective
    assert plan.status_label.startswith("beste gevonden binnen tijdslimiet (gap ")
    assert "niet bewezen optimaal" in plan.messages[0]


def test_time_limit_label_without_bound() -> None:
    problem = Problem(teams=(MIG,), items=(_item("a", 5, {"mig": 10}),), rules=NO_RESERVE)
    model = build_model(problem)
    run = RunResult(
        "time_limit", np.ones(model.num_cols) * 0 + np.eye(1, model.num_cols)[0], 5.0, None, None, 1.0
    )
    plan = plan_from_run(model, run, SolveOptions(explain=False), started=0.0)
    assert plan.status is PlanStatus.TIME_LIMIT
    assert plan.status_label == "beste gevonden binnen tijdslimiet (gap onbekend)"
    assert "hoeveel beter het kan, is onbekend" in plan.messages[0]


# ---- re-planning ---------------------------------------------------------------------------------


def _replan_problem() -> Problem:
    items = (
        _item("s1", 50, {"mig": 60}, title="Gestart onderzoek"),
        _item("a", 40, {"mig": 40}, title="Laagwaardig A", allowed_quarters=(2, 3, 4)),
        _item("b", 90, {"mig": 40}, title="Hoogwaardig B", allowed_quarters=(2,)),
        _item("c", 30, {"mig": 90}, title="Vol Q3"),
        _item("d", 30, {"mig": 90}, title="Vol Q4"),
    )
    return Problem(teams=(MIG,), items=items, rules=NO_RESERVE)


def test_replan_keeps_started_items_and_defers_least_value() -> None:
    problem = _replan_problem()
    base = solve(problem, mip_gap=0.0)
    assert base.has_plan
    starts = dict(base.starts)
    started = [i for i, s in starts.items() if s == 1]
    assert started
    urgent = _item(
        "u", 5, {"mig": 60}, title="Spoed na brand", kind=ItemKind.INCIDENTONDERZOEK, allowed_quarters=(2,)
    )
    rp = replan(problem, base, [urgent], started, today_quarter=2, explain=False)
    assert rp.plan.has_plan, rp.summary
    new = dict(rp.plan.starts)
    for i in started:
        assert new[i] == starts[i]  # started work is never moved
    assert new["u"] == 2
    added = [c for c in rp.changes if c.kind is ChangeKind.ADDED]
    assert [c.item_id for c in added if c.urgent] == ["u"]
    # nothing outside the current plan is pulled in
    assert set(new) <= set(starts) | {"u"}
    # the value lost is the least possible: brute force over the current plan's items plus the urgent one
    fixed_items = tuple(
        Item(**{**it.__dict__, "fixed_start": starts[it.id]}) if it.id in started else it
        for it in problem.items
        if it.id in starts
    )
    urgent_m = Item(**{**urgent.__dict__, "basis": Basis.SPOED})
    ref = Problem(
        teams=problem.teams, items=(*fixed_items, urgent_m), rules=problem.rules, first_open_quarter=2
    )
    best, _ = brute_force(ref)
    assert best is not None
    assert rp.value_after == pytest.approx(best)
    assert rp.summary.startswith("Bijstelling vanaf Q2:")
    assert check_plan(ref, new) == ()


def test_replan_prefers_fewest_changes_at_equal_value() -> None:
    problem = _replan_problem()
    base = solve(problem, mip_gap=0.0)
    started = [i for i, s in base.starts.items() if s == 1]
    rp = replan(problem, base, [], started, today_quarter=1, explain=False)
    assert rp.plan.has_plan
    assert rp.changes == ()  # nothing urgent, nothing changed: the plan stays as it is
    assert rp.value_after == pytest.approx(base.objective)


def test_replan_rejects_started_item_outside_the_plan() -> None:
    problem = _replan_problem()
    rp = replan(problem, {"a": 2}, [], ["s1"], today_quarter=2)
    assert rp.plan.status is PlanStatus.INVALID
    assert "is gestart, maar staat niet in het huidige plan" in rp.summary


def test_replan_when_urgent_item_cannot_fit_explains_why() -> None:
    problem = _replan_problem()
    base = solve(problem, mip_gap=0.0)
    started = list(base.starts)  # everything started: nothing can make room
    urgent = _item("u", 5, {"mig": 100}, title="Spoed groot", allowed_quarters=(2,))
    rp = replan(problem, base, [urgent], started, today_quarter=2, explain=False)
    assert rp.plan.status is PlanStatus.INFEASIBLE
    assert rp.plan.infeasibility is not None
    assert "‘Spoed groot’" in rp.summary
    assert "spoedonderzoek" in rp.summary


# ---- scenarios -----------------------------------------------------------------------------------


def test_scenario_losing_fte_is_compared_with_the_base() -> None:
    items = tuple(_item(f"m{k}", 10 + k, {"mig": 50}) for k in range(8)) + tuple(
        _item(f"s{k}", 5 + k, {"san": 100}) for k in range(8)
    )
    problem = Problem(teams=(MIG, SAN), items=items, rules=NO_RESERVE)
    loss = Scenario("Migratie −1 fte", "Team Migratie verliest 1 fte", fte_delta={"mig": -1.0})
    extra = Scenario("Sanctie +50 %", capacity_factor={"san": 1.5})
    cmp = compare_scenarios(problem, [loss, extra], mip_gap=0.0)
    assert cmp.base.value == pytest.approx(sum(10 + k for k in range(8)) + sum(5 + k for k in range(8)))
    lost, gained = cmp.scenarios
    assert lost.value_delta < 0
    assert len(lost.dropped) == 4
    assert set(lost.dropped) == {"m0", "m1", "m2", "m3"}  # the least valuable go
    assert lost.summary.startswith("Migratie −1 fte: waarde")
    assert "4 eruit" in lost.summary
    assert gained.value_delta == pytest.approx(0.0)  # nothing left to add
    assert [r.name for r in cmp.all] == ["Basis", "Migratie −1 fte", "Sanctie +50 %"]


def test_scenario_with_unknown_team_is_invalid_not_a_crash() -> None:
    problem = Problem(teams=(MIG,), items=(_item("a", 1, {"mig": 1}),))
    cmp = compare_scenarios(problem, [Scenario("Fout", fte_delta={"zz": -2})])
    (res,) = cmp.scenarios
    assert res.plan.status is PlanStatus.INVALID
    assert "onbekend team ‘zz’" in res.plan.messages[0]


# ---- greedy baseline -----------------------------------------------------------------------------


def test_greedy_is_a_feasible_baseline_below_the_optimum() -> None:
    problem = _hard_knapsack(60, seed=3)
    g = greedy(problem)
    opt = solve(problem, time_limit_s=20, mip_gap=0.0, explain=False)
    assert opt.has_plan
    assert g.status is PlanStatus.HEURISTIC
    if not g.violations:
        assert 0 < g.objective <= opt.objective + 1e-6
    assert g.status_label.startswith("vuistregel")


def test_greedy_places_mandatory_items_first() -> None:
    items = (
        _item("v", 1, {"mig": 100}, basis=Basis.WETTELIJK, allowed_quarters=(1,)),
        _item("x", 100, {"mig": 100}, allowed_quarters=(1,)),
    )
    g = greedy(Problem(teams=(MIG,), items=items, rules=NO_RESERVE))
    assert set(g.starts) == {"v"}
    assert g.violations == ()


def test_the_gap_of_a_plan_worth_nothing_is_at_most_everything() -> None:
    assert relative_gap(0.0, 5.0) == 1.0  # was 5e9: "gap 500.000.000.000 %"
    assert relative_gap(99.0, 100.0) == pytest.approx(1 / 99)
    assert relative_gap(100.0, 100.0 + 1e-12) == 0.0
    assert relative_gap(110.0, 100.0, maximise=False) == pytest.approx(10 / 110)
