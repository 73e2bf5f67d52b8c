"""Exact optimisation of the work programme with HiGHS."""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from . import _nl
from .model import FloatArray, Model, RunResult, Solver, build_model, relative_gap
from .plan import (
    Explanation,
    Plan,
    PlanStatus,
    build_coverage,
    build_loads,
    planned_items,
    status_label,
)
from .problem import Problem, validate
from .verify import check_plan


@dataclass(frozen=True)
class SolveOptions:
    time_limit_s: float = 60.0
    mip_gap: float = 0.001
    explain: bool = True
    marginal_resolve: bool = True  # re-solve with extra hours per team for honest integer marginal values
    marginal_extra_hours: float | None = None  # per quarter; default: one fte (or 5 % of capacity)
    explain_time_limit_s: float = 30.0  # budget for the explanation (marginal re-solves) and infeasibility
    warm_start: bool = True  # give HiGHS the greedy plan as a first incumbent when it is feasible


def solve(
    problem: Problem,
    time_limit_s: float = 60.0,
    mip_gap: float = 0.001,
    *,
    explain: bool = True,
    marginal_resolve: bool = True,
    marginal_extra_hours: float | None = None,
    explain_time_limit_s: float = 30.0,
    start: Mapping[str, int] | None = None,
) -> Plan:
    """Choose and schedule items to maximise total value. Never raises on bad input: see ``Plan.status``."""
    opts = SolveOptions(
        time_limit_s=time_limit_s,
        mip_gap=mip_gap,
        explain=explain,
        marginal_resolve=marginal_resolve,
        marginal_extra_hours=marginal_extra_hours,
        explain_time_limit_s=explain_time_limit_s,
    )
    msgs = validate(problem)
    if msgs:
        return Plan(PlanStatus.INVALID, status_label(PlanStatus.INVALID, None), messages=msgs)
    model = build_model(problem)
    return solve_model(model, opts, start=start)


def initial_values(model: Model, start: Mapping[str, int] | None) -> FloatArray | None:
    """A warm start for HiGHS: the given plan, else the greedy plan; only used when it is feasible."""
    from .greedy import greedy_starts
    from .verify import check_plan

    problem = model.problem
    candidates: list[Mapping[str, int]] = []
    if start is not None:
        candidates.append(start)
    candidates.append(greedy_starts(problem))
    for cand in candidates:
        if not check_plan(problem, cand):
            return model.values_from_starts(dict(cand))
    return None


def solve_model(model: Model, opts: SolveOptions, *, start: Mapping[str, int] | None = None) -> Plan:
    t0 = time.perf_counter()
    x0 = initial_values(model, start) if opts.warm_start else None
    deadline = t0 + opts.time_limit_s
    remaining = max(0.05, deadline - time.perf_counter())
    if model.num_cols > _DIRECT_MIP_COLUMNS and remaining >= 10.0:
        # Big programme: HiGHS's root node alone can outlast the time limit (and overshoots a short one),
        # so start from the LP relaxation and the heuristics; HiGHS gets the time that is left at the end.
        run = RunResult("time_limit", x0, float(model.cost @ x0) if x0 is not None else 0.0, None, None, 0.0)
    else:
        solver = Solver(model)
        if x0 is not None:
            solver.set_start(x0)
        first = remaining if remaining < 10.0 else max(3.0, 0.15 * remaining)
        run = solver.run(time_limit=first, mip_gap=opts.mip_gap)
    if run.status == "time_limit" and deadline - time.perf_counter() > 3.0:
        run = _improve_and_resume(model, run, opts, deadline)
    return plan_from_run(model, run, opts, started=t0)


# Above this many columns (item x start quarter) HiGHS is not tried first on the full model. Demo and
# medium programmes (up to about 600 candidates) stay below it.
_DIRECT_MIP_COLUMNS = 2500


def _improve_and_resume(model: Model, run: RunResult, opts: SolveOptions, deadline: float) -> RunResult:
    """Big programme, or one not solved in the first slice (ADR 0060). The LP relaxation gives a proven bound
    (HiGHS's root node on a 2,000-candidate programme barely improves on it and can take longer than the
    time limit); the plan is improved by heuristics that never break a rule: a plan in LP order, local
    search (``polish``), HiGHS on the LP-reduced model (``lns.reduced_cost_search``) or else on
    relaxation-induced neighbourhoods (``lns.rins_search``), local search again; with the time that is left
    more of those on a big programme, HiGHS on the full model from the best plan on a smaller one. The
    reported bound is the best of every proven bound."""
    from .lns import reduced_cost_search, rins_search, team_search
    from .polish import lp_rounding, polish

    def left() -> float:
        return deadline - time.perf_counter()

    bounds = [b for b in (run.bound,) if b is not None]
    lp_solver = Solver(model, integer=False)
    lp = lp_solver.run(time_limit=max(0.5, left() / 4), mip_gap=0.0)
    reduced_cost = np.asarray(lp_solver.h.getSolution().col_dual, dtype=float)
    del lp_solver  # free HiGHS's copy of the model before the next ones are built
    seconds = run.seconds + lp.seconds
    incumbents: list[FloatArray] = [] if run.x is None else [(np.asarray(run.x) > 0.5).astype(float)]
    if lp.status == "optimal" and lp.x is not None:
        bounds.append(lp.objective)
        rounded = lp_rounding(
            model.problem,
            model.col_item.tolist(),
            model.col_start.tolist(),
            lp.x.tolist(),
            reduced_cost.tolist(),
        )
        if rounded is not None and not check_plan(model.problem, rounded):
            incumbents.append(model.values_from_starts(rounded))
    if not incumbents:  # nothing feasible yet: let HiGHS search with the rest of the time
        direct = Solver(model).run(time_limit=max(0.05, left()), mip_gap=opts.mip_gap)
        return _with_bounds(direct, bounds, opts, seconds + direct.seconds)
    x = max(incumbents, key=lambda v: float(model.cost @ v))

    priority: dict[str, float] | None = None  # LP reduced cost of an item's best start, when known

    def polished(x: FloatArray, until: float) -> FloatArray:
        starts = polish(model.problem, model.starts_from_values(x), deadline=until, priority=priority)
        if check_plan(model.problem, starts):  # defensive: a polished plan must satisfy every rule
            return x
        y = model.values_from_starts(starts)
        return y if float(model.cost @ y) > float(model.cost @ x) else x

    delta = _REDUCED_COST_SHARE * float(np.mean(np.abs(model.cost))) if model.num_cols else 0.0
    big = model.num_cols > _DIRECT_MIP_COLUMNS
    if lp.status == "optimal" and lp.x is not None and left() > 2.0:
        priority = {
            it.id: float(reduced_cost[cols].max())
            for it, cols in zip(model.items, model.item_cols, strict=True)
            if cols
        }
        x = polished(x, time.perf_counter() + (_BIG_FIRST_POLISH_TIME if big else 0.1) * left())
        before = float(model.cost @ x)
        share = _BIG_REDUCED_COST_TIME if big else 0.65
        x = reduced_cost_search(
            model, x, lp.x, reduced_cost, deadline=time.perf_counter() + share * left(), delta=delta
        )
        if float(model.cost @ x) <= before + 1e-9:
            # HiGHS found nothing on the reduced model in time (it happens on a loaded machine): short
            # relaxation-induced neighbourhoods are less powerful but rarely come back empty-handed, and
            # from a plan this far from the LP they do better than the team neighbourhoods.
            x = rins_search(
                model, x, lp.x, reduced_cost, deadline=time.perf_counter() + 0.5 * left(), delta=delta
            )
        if big:
            # the plan chooses roughly the right items but leaves hours unused in many team quarters:
            # re-pack it team by team (ADR 0062) until shortly before the time limit
            packed = team_search(
                model,
                x,
                deadline=deadline - 0.03 * left() - 0.8,
                between_rounds=lambda y: polished(y, time.perf_counter() + min(2.0, 0.1 * left())),
            )
            if not check_plan(model.problem, model.starts_from_values(packed)):  # HiGHS's tolerances
                x = packed
        # the plan's loads, coverage and checks are built after this: stay half a second inside the limit
        x = polished(x, deadline - (0.5 if big else 0.1 * left()))
    else:
        x = polished(x, deadline - 0.5 * left())
    if big and lp.status == "optimal" and lp.x is not None:
        # HiGHS on the full model would spend what is left in its root node, whose cut rounds do not stop
        # at the time limit (seconds late on the benchmark); its bound is within 0.03 % of the LP's.
        return _with_bounds(
            RunResult("time_limit", x, float(model.cost @ x), None, None, seconds), bounds, opts, seconds
        )
    best_value = float(model.cost @ x)
    final = None
    if left() > 1.0:
        solver = Solver(model)
        solver.set_start(x)
        final = solver.run(time_limit=max(0.05, left()), mip_gap=opts.mip_gap)
        seconds += final.seconds
        if final.bound is not None:
            bounds.append(final.bound)
        if final.x is not None and float(model.cost @ (final.x > 0.5)) > best_value:
            x = (final.x > 0.5).astype(float)
            best_value = float(model.cost @ x)
        if final.status == "optimal":
            return RunResult("optimal", x, best_value, final.bound, final.gap, seconds)
    return _with_bounds(RunResult("time_limit", x, best_value, None, None, seconds), bounds, opts, seconds)


# Reduced-cost window of the LP-reduced neighbourhood, as a share of the value of an average candidate:
# columns that would cost more than half an average item against the LP optimum stay fixed.
_REDUCED_COST_SHARE = 0.5

# Big programmes (ADR 0062): the first local search gets a short share of the time left (the LP-reduced
# HiGHS run after it needs about 9 s before its first plan and matters more); that run gets half of what is
# left after it, the team neighbourhoods the rest.
_BIG_FIRST_POLISH_TIME = 0.03
_BIG_REDUCED_COST_TIME = 0.5


def _with_bounds(run: RunResult, bounds: list[float], opts: SolveOptions, seconds: float) -> RunResult:
    """``run`` with the best (lowest) proven bound and the gap against it."""
    if run.x is None:
        return run
    bound = min([*bounds, *([run.bound] if run.bound is not None else [])], default=None)
    value = float(run.objective)
    gap = relative_gap(value, bound) if bound is not None else None
    status = "optimal" if gap is not None and gap <= opts.mip_gap else run.status
    return RunResult(status, run.x, value, bound, gap, seconds)


def plan_from_run(model: Model, run: RunResult, opts: SolveOptions, *, started: float) -> Plan:
    from .explain import explain_plan
    from .infeasibility import analyse_infeasibility

    problem = model.problem
    if run.status == "infeasible":
        infeasibility = analyse_infeasibility(model, time_limit_s=opts.explain_time_limit_s)
        return Plan(
            PlanStatus.INFEASIBLE,
            status_label(PlanStatus.INFEASIBLE, None),
            solve_seconds=time.perf_counter() - started,
            loads=build_loads(problem, {}),
            infeasibility=infeasibility,
            messages=(infeasibility.summary,),
        )
    if run.x is None:
        status = PlanStatus.NO_SOLUTION if run.status == "time_limit" else PlanStatus.ERROR
        return Plan(
            status,
            status_label(status, None),
            best_bound=run.bound,
            solve_seconds=time.perf_counter() - started,
            loads=build_loads(problem, {}),
            messages=(
                (
                    "Binnen de tijdslimiet is geen plan gevonden dat aan alle eisen voldoet. "
                    "Verhoog de tijdslimiet of versoepel de eisen."
                )
                if status is PlanStatus.NO_SOLUTION
                else "De oplosser gaf een onverwachte fout.",
            ),
        )
    starts = model.starts_from_values(run.x)
    objective = float(np.dot(model.cost, np.asarray(run.x) > 0.5)) if model.num_cols else 0.0
    status = PlanStatus.OPTIMAL if run.status == "optimal" else PlanStatus.TIME_LIMIT
    gap = run.gap
    solve_seconds = time.perf_counter() - started
    explanation: Explanation | None = None
    if opts.explain:
        explanation = explain_plan(
            model,
            starts,
            objective=objective,
            best_bound=run.bound,
            optimal=status is PlanStatus.OPTIMAL,
            gap=gap,
            mip_gap=opts.mip_gap,
            marginal_resolve=opts.marginal_resolve,
            extra_hours=opts.marginal_extra_hours,
            time_limit_s=opts.explain_time_limit_s,
        )
    messages: tuple[str, ...] = ()
    if status is PlanStatus.TIME_LIMIT:
        messages = (
            "De tijdslimiet is bereikt. Dit is het beste gevonden plan, niet bewezen optimaal; "
            + (
                f"een beter plan is hooguit {_nl.gap_percent(gap)} meer waard."
                if gap is not None
                else "hoeveel beter het kan, is onbekend."
            ),
        )
    return Plan(
        status=status,
        status_label=status_label(status, gap),
        items=planned_items(problem, starts),
        objective=objective,
        best_bound=run.bound,
        gap=gap,
        solve_seconds=solve_seconds,
        loads=build_loads(problem, starts),
        coverage=build_coverage(problem, starts),
        explanation=explanation,
        messages=messages,
        starts=starts,
    )
