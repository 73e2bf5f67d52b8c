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
    solver = Solver(model)
    if opts.warm_start:
        x0 = initial_values(model, start)
        if x0 is not None:
            solver.set_start(x0)
    deadline = t0 + opts.time_limit_s
    remaining = max(0.05, deadline - time.perf_counter())
    first = remaining if remaining < 10.0 else max(3.0, 0.15 * remaining)
    run = solver.run(time_limit=first, mip_gap=opts.mip_gap)
    if run.status == "time_limit" and deadline - time.perf_counter() > 3.0:
        run = _improve_and_resume(model, run, opts, deadline)
    return plan_from_run(model, run, opts, started=t0)


def _improve_and_resume(model: Model, run: RunResult, opts: SolveOptions, deadline: float) -> RunResult:
    """Big instance not solved in the first slice: large-neighbourhood search for a better plan (see
    ``lns``), then HiGHS again from that plan. The bound is the best of every proven bound seen."""
    from .lns import improve

    bounds = [b for b in (run.bound,) if b is not None]
    lp = Solver(model, integer=False).run(
        time_limit=max(0.5, (deadline - time.perf_counter()) / 6), mip_gap=0.0
    )
    lp_x = lp.x if lp.status == "optimal" else None
    if lp.status == "optimal":
        bounds.append(lp.objective)
    polish_until = time.perf_counter() + 0.6 * max(0.0, deadline - time.perf_counter())
    x = improve(model, run.x, lp_x, deadline=polish_until)
    solver = Solver(model)
    if x is not None:
        solver.set_start(x)
    left = deadline - time.perf_counter()
    final = solver.run(time_limit=max(0.05, left), mip_gap=opts.mip_gap) if left > 0.5 else None
    candidates = [(float(model.cost @ (x > 0.5)), x)] if x is not None else []
    if final is not None and final.x is not None:
        candidates.append((float(model.cost @ (final.x > 0.5)), final.x))
        if final.bound is not None:
            bounds.append(final.bound)
    if final is not None and final.status == "optimal" and final.x is not None:
        return final
    if not candidates:
        return final if final is not None else run
    value, best = max(candidates, key=lambda c: c[0])
    bound = min(bounds) if bounds else None
    gap = relative_gap(value, bound) if bound is not None else None
    status = "optimal" if gap is not None and gap <= opts.mip_gap else "time_limit"
    seconds = run.seconds + lp.seconds + (final.seconds if final is not None else 0.0)
    return RunResult(status, best, value, bound, gap, seconds)


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
