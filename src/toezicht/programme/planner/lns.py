"""Large-neighbourhood search for big programmes: HiGHS on the part of the model the LP says matters.

HiGHS proves bounds well, but on a busy machine its root node of a 2,000-candidate programme can take longer
than the whole time limit before its own heuristics run. Here HiGHS solves a restricted copy of the model
(columns far from the LP optimum fixed) that it can handle within seconds. Every plan it returns is a
solution of the full model (only column bounds were tightened), so it can serve as a warm start and the
reported gap stays a proven one. See ADR 0060.
"""

from __future__ import annotations

import time

import numpy as np

from .model import FloatArray, Model, Solver


def reduced_cost_search(
    model: Model,
    incumbent: FloatArray,
    lp_x: FloatArray,
    reduced_cost: FloatArray,
    *,
    deadline: float,
    delta: float,
) -> FloatArray:
    """HiGHS on the model with every column whose LP reduced cost is worse than ``delta`` fixed at its LP
    value (kept free where the incumbent needs it, so the incumbent stays a warm start).

    Why: the LP of a big programme is highly degenerate (an item's other start quarters mostly have reduced
    cost zero), so the promising part of the problem is the chosen items, their alternative quarters and
    the items at the margin. HiGHS's root node on the full model can take longer than the whole time limit;
    on this neighbourhood it reaches its sub-MIP heuristics within seconds. Heuristic only: the bound of
    this restricted run is not a bound of the programme and is never reported.
    """
    at_zero = (lp_x <= 1e-6) & (reduced_cost < -delta)
    at_one = (lp_x >= 1 - 1e-6) & (reduced_cost > delta)
    lower = np.minimum(np.where(at_one, 1.0, 0.0), incumbent)
    upper = np.maximum(np.where(at_zero, 0.0, 1.0), incumbent)
    solver = Solver(model)
    solver.set_cols_bounds(np.arange(model.num_cols).tolist(), lower, upper)
    solver.set_start(incumbent)
    left = deadline - time.perf_counter()
    if left < 0.2:
        return incumbent
    run = solver.run(time_limit=left, mip_gap=0.0)
    if run.x is None:
        return incumbent
    x = (run.x > 0.5).astype(float)
    return x if float(model.cost @ x) > float(model.cost @ incumbent) + 1e-9 else incumbent


def rins_search(
    model: Model,
    incumbent: FloatArray,
    lp_x: FloatArray,
    reduced_cost: FloatArray,
    *,
    deadline: float,
    delta: float,
    slice_s: float = 3.0,
    seed: int = 1,
) -> FloatArray:
    """Relaxation-induced neighbourhoods: columns on which the plan and the LP optimum agree stay fixed at
    the plan; the others, and a random tenth of the columns within ``delta`` reduced cost, are free. Short
    HiGHS runs of ``slice_s``; every accepted plan is a solution of the full model and worth more."""
    rng = np.random.default_rng(seed)
    cols = np.arange(model.num_cols).tolist()
    solver = Solver(model)
    best = incumbent
    best_value = float(model.cost @ best)
    near = np.abs(reduced_cost) <= delta
    fractional = (lp_x > 1e-6) & (lp_x < 1 - 1e-6)
    settled = 0  # neighbourhoods solved to optimality without a better plan in a row
    while deadline - time.perf_counter() > 0.5 and settled < 3:
        free = (np.round(lp_x) != best) | fractional | (near & (rng.random(model.num_cols) < 0.1))
        solver.set_cols_bounds(cols, np.where(free, 0.0, best), np.where(free, 1.0, best))
        solver.set_start(best)
        run = solver.run(time_limit=min(slice_s, deadline - time.perf_counter()), mip_gap=0.0)
        if run.x is not None:
            x = (run.x > 0.5).astype(float)
            value = float(model.cost @ x)
            if value > best_value + 1e-9:
                best, best_value = x, value
                settled = 0
                continue
        settled = settled + 1 if run.status == "optimal" else 0
    return best
