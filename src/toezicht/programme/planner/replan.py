"""Re-planning during the year (bijstelling).

Rules:
* started items (``started_item_ids``; include finished ones) keep exactly their current start quarter;
* urgent items are added as mandatory (basis ``spoed`` unless they carry another basis);
* nothing that has not started may start before ``today_quarter`` (items planned in the past but not
  started are deferred or cancelled);
* candidates outside the current plan are not pulled in: a bijstelling changes the agreed programme as
  little as possible (a full re-plan with :func:`solve` is the way to re-optimise).

Objective, lexicographic in two solves:
1. maximise the value of the current plan's items that stay in (plus the urgent items) -> V1 with proven
   bound B1; so deferrals and cancellations are chosen by least value lost;
2. minimise the number of changes (added + deferred/advanced + cancelled items, each counting 1) subject to
   that value >= V1 - mip_gap * |V1|, warm-started from solve 1.
Among plans of (practically) equal value the one closest to the current plan is returned. The reported gap
is (B1 - final value) / final value, so it includes the tolerance granted to step 2.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum

import numpy as np

from . import _nl
from .greedy import _State, value_per_hour
from .model import FloatArray, Model, RunResult, Solver, build_model, relative_gap
from .plan import Plan, PlanStatus, status_label
from .problem import Basis, Item, Problem, validate
from .solve import SolveOptions, plan_from_run
from .verify import check_plan


class ChangeKind(StrEnum):
    ADDED = "toegevoegd"
    DEFERRED = "uitgesteld"
    ADVANCED = "vervroegd"
    CANCELLED = "geschrapt"


@dataclass(frozen=True)
class Change:
    kind: ChangeKind
    item_id: str
    title: str
    value: float
    from_quarter: int | None  # start quarter in the current plan (None for added items)
    to_quarter: int | None  # start quarter in the new plan (None for cancelled items)
    urgent: bool
    message: str  # Dutch


@dataclass(frozen=True)
class Replan:
    plan: Plan
    changes: tuple[Change, ...]
    value_before: float  # value of the current plan
    value_after: float
    value_cancelled: float  # value of the cancelled items
    summary: str  # Dutch


def replan(
    problem: Problem,
    current_plan: Plan | Mapping[str, int],
    urgent_items: Sequence[Item],
    started_item_ids: Iterable[str],
    today_quarter: int,
    *,
    time_limit_s: float = 30.0,
    mip_gap: float = 0.001,
    explain: bool = True,
) -> Replan:
    t0 = time.perf_counter()
    current = dict(current_plan.starts if isinstance(current_plan, Plan) else current_plan)
    started = list(dict.fromkeys(started_item_ids))
    errors: list[str] = []
    if not 1 <= today_quarter <= problem.quarters:
        errors.append(f"Het huidige kwartaal ({today_quarter}) ligt buiten het jaar.")
    urgent_by_id: dict[str, Item] = {}
    for it in urgent_items:
        urgent_by_id[it.id] = it if it.basis is not None else replace(it, basis=Basis.SPOED)
    for item_id in started:
        if item_id not in current:
            name = _nl.quoted(problem.item(item_id).title) if problem.has_item(item_id) else f"‘{item_id}’"
            errors.append(f"Onderzoek {name} is gestart, maar staat niet in het huidige plan.")
    for item_id in current:
        if not problem.has_item(item_id) and item_id not in urgent_by_id:
            errors.append(f"Het huidige plan bevat onbekend onderzoek ‘{item_id}’.")
    if errors:
        plan = Plan(PlanStatus.INVALID, status_label(PlanStatus.INVALID, None), messages=tuple(errors))
        return Replan(plan, (), 0.0, 0.0, 0.0, " ".join(errors))

    items: list[Item] = []
    for it in problem.items:
        it = urgent_by_id.pop(it.id, it)
        if it.id in started:
            it = replace(it, fixed_start=current[it.id])
        items.append(it)
    items.extend(urgent_by_id.values())
    new_problem = replace(problem, items=tuple(items), first_open_quarter=today_quarter)
    urgent_ids = {it.id for it in urgent_items}

    msgs = validate(new_problem)
    if msgs:
        plan = Plan(PlanStatus.INVALID, status_label(PlanStatus.INVALID, None), messages=msgs)
        return Replan(plan, (), 0.0, 0.0, 0.0, " ".join(msgs))

    model = build_model(new_problem)
    solver = Solver(model)
    # Value counts only for items of the current plan and the urgent items: a bijstelling loses as little
    # of the agreed programme as possible; it does not re-optimise by pulling in other candidates.
    kept_cost = model.cost.copy()
    for k, it in enumerate(model.items):
        if it.id not in current and it.id not in urgent_ids:
            kept_cost[model.item_cols[k]] = 0.0
    solver.set_objective(kept_cost, maximise=True)
    x0 = _repaired_start(new_problem, model, current)
    if x0 is not None:
        solver.set_start(x0)
    phase1 = solver.run(time_limit=max(0.05, 0.6 * time_limit_s), mip_gap=mip_gap)
    opts = SolveOptions(time_limit_s=time_limit_s, mip_gap=mip_gap, explain=explain, marginal_resolve=False)
    value_before = sum(float(problem.item(i).value) for i in current if problem.has_item(i))
    if phase1.x is None:
        plan = plan_from_run(model, phase1, opts, started=t0)
        summary = plan.infeasibility.summary if plan.infeasibility is not None else plan.status_label
        return Replan(plan, (), value_before, 0.0, 0.0, summary)

    final = _minimise_changes(model, solver, phase1, current, mip_gap, t0 + time_limit_s, kept_cost)
    plan = plan_from_run(model, final, opts, started=t0)
    changes = _changes(new_problem, current, dict(plan.starts), urgent_ids)
    value_after = plan.objective
    cancelled = sum(c.value for c in changes if c.kind is ChangeKind.CANCELLED)
    counts = {k: sum(1 for c in changes if c.kind is k) for k in ChangeKind}
    summary = (
        f"Bijstelling vanaf {_nl.quarter(today_quarter)}: {counts[ChangeKind.ADDED]} toegevoegd, "
        f"{counts[ChangeKind.DEFERRED]} uitgesteld, {counts[ChangeKind.ADVANCED]} vervroegd, "
        f"{counts[ChangeKind.CANCELLED]} geschrapt. Waarde van het programma van "
        f"{_nl.number(value_before, 1)} "
        f"naar {_nl.number(value_after, 1)}."
    )
    return Replan(plan, tuple(changes), value_before, value_after, cancelled, summary)


def _repaired_start(problem: Problem, model: Model, current: Mapping[str, int]) -> FloatArray | None:
    """Current plan made feasible by hand-planner rules: started and mandatory first, then the current items
    (highest value first) at their current quarter or the first later one that fits, then fill greedily."""
    st = _State(problem)
    for it in problem.items:
        if it.fixed_start is not None:
            st.place(it, it.fixed_start)
    for it in sorted(problem.items, key=lambda i: -value_per_hour(i)):
        if it.mandatory:
            st.place_with_prerequisites(it)
    kept = sorted((problem.item(i) for i in current if problem.has_item(i)), key=lambda i: -i.value)
    for it in kept:
        if it.id in st.starts:
            continue
        options = sorted(problem.starts(it), key=lambda s: (s < current[it.id], abs(s - current[it.id])))
        for s in options:
            if st.keeps_shares(it) and st.fits(it, s):
                st.place(it, s)
                break
    for it in sorted(problem.items, key=lambda i: -value_per_hour(i)):
        if it.id not in st.starts and it.value > 0:
            st.try_place(it, check_shares=True)
    if check_plan(problem, st.starts):
        return None
    return model.values_from_starts(st.starts)


def _minimise_changes(
    model: Model,
    solver: Solver,
    phase1: RunResult,
    current: Mapping[str, int],
    mip_gap: float,
    deadline: float,
    value_cost: FloatArray,
) -> RunResult:
    assert phase1.x is not None
    v1 = float(np.dot(value_cost, phase1.x > 0.5))
    cost = np.zeros(model.num_cols)
    for k, it in enumerate(model.items):
        cols = model.item_cols[k]
        if it.id in current:
            for c in cols:
                if int(model.col_start[c]) == current[it.id]:
                    cost[c] = -1.0  # keeping the current start avoids one change
        else:
            cost[cols] = 1.0  # adding an item is a change
    tol = max(mip_gap * abs(v1), 1e-6)
    valued = np.flatnonzero(value_cost != 0.0)
    solver.add_row(valued.tolist(), value_cost[valued].tolist(), v1 - tol, np.inf)
    solver.set_objective(cost, maximise=False)
    solver.set_start(phase1.x)
    left = deadline - time.perf_counter()
    run = solver.run(time_limit=max(0.05, left), mip_gap=0.0) if left > 0.05 else None
    x = run.x if run is not None and run.x is not None else phase1.x
    assert x is not None
    value = float(np.dot(model.cost, x > 0.5))
    bound = phase1.bound if phase1.bound is not None else None
    gap = relative_gap(value, bound) if bound is not None else None
    status = "optimal" if phase1.status == "optimal" else "time_limit"
    seconds = phase1.seconds + (run.seconds if run is not None else 0.0)
    return RunResult(status, x, value, bound, gap, seconds)


def _changes(
    problem: Problem, current: Mapping[str, int], new: Mapping[str, int], urgent_ids: set[str]
) -> list[Change]:
    out: list[Change] = []
    for it in problem.items:
        old_s, new_s = current.get(it.id), new.get(it.id)
        name = _nl.quoted(it.title)
        val = float(it.value)
        value_txt = f"waarde {_nl.number(val, 1)}"
        if old_s is None and new_s is not None:
            subject = f"Spoedonderzoek {name}" if it.id in urgent_ids else name
            msg = f"{subject} toegevoegd in {_nl.quarter(new_s)} ({value_txt})."
            out.append(Change(ChangeKind.ADDED, it.id, it.title, val, None, new_s, it.id in urgent_ids, msg))
        elif old_s is not None and new_s is None:
            msg = f"{name} geschrapt (stond in {_nl.quarter(old_s)}; {value_txt} vervalt)."
            out.append(Change(ChangeKind.CANCELLED, it.id, it.title, val, old_s, None, False, msg))
        elif old_s is not None and new_s is not None and old_s != new_s:
            kind = ChangeKind.DEFERRED if new_s > old_s else ChangeKind.ADVANCED
            verb = "uitgesteld" if kind is ChangeKind.DEFERRED else "vervroegd"
            msg = f"{name} {verb} van {_nl.quarter(old_s)} naar {_nl.quarter(new_s)} ({value_txt})."
            out.append(Change(kind, it.id, it.title, val, old_s, new_s, False, msg))
    order = {ChangeKind.ADDED: 0, ChangeKind.DEFERRED: 1, ChangeKind.ADVANCED: 2, ChangeKind.CANCELLED: 3}
    out.sort(key=lambda c: (order[c.kind], -c.value))
    return out
