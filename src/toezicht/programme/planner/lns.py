"""Large-neighbourhood search: better incumbents for big programmes within a time limit.

HiGHS proves bounds well but on a busy machine its root node of a 2,000-candidate programme can take longer
than the whole time limit before its own heuristics run. This module improves a feasible plan by repeatedly
freeing the items of a few teams (all other columns fixed at the incumbent) and solving that small MIP
exactly with HiGHS; starting point is the LP relaxation with its integral columns fixed ("relaxation
induced"). Every accepted plan satisfies every rule (it is a solution of the full model), so the final
MIP can use it as a warm start and the reported gap remains a proven one.
"""

from __future__ import annotations

import time

import numpy as np

from .model import FloatArray, Model, Solver


def improve(
    model: Model, incumbent: FloatArray | None, lp_x: FloatArray | None, *, deadline: float, seed: int = 1
) -> FloatArray | None:
    """Return a better (or the same) feasible 0/1 vector; None when none was found at all."""
    if model.num_cols == 0:
        return incumbent
    cols = np.arange(model.num_cols)
    solver = Solver(model)
    best = None if incumbent is None else (np.asarray(incumbent) > 0.5).astype(float)
    best_value = -np.inf if best is None else float(model.cost @ best)

    def attempt(lower: FloatArray, upper: FloatArray, limit: float) -> None:
        nonlocal best, best_value
        solver.set_cols_bounds(cols.tolist(), lower, upper)
        if best is not None:
            solver.set_start(best)
        run = solver.run(time_limit=limit, mip_gap=0.0)
        if run.x is not None:
            x = (run.x > 0.5).astype(float)
            value = float(model.cost @ x)
            if value > best_value + 1e-9:
                best, best_value = x, value

    def left() -> float:
        return deadline - time.perf_counter()

    if lp_x is not None and left() > 0.5:
        lower = np.where(lp_x >= 1 - 1e-6, 1.0, 0.0)
        attempt(lower, np.ones(model.num_cols), min(left(), max(1.0, left() / 4)))
    if best is None:
        return None

    teams = [t.id for t in model.problem.teams]
    if not teams:
        return best
    item_teams = [frozenset(t for t, h in it.hours.items() if h > 0) for it in model.items]
    rng = np.random.default_rng(seed)
    size = min(len(teams), 4)
    while left() > 0.5:
        chosen = frozenset(rng.choice(teams, size=size, replace=False).tolist())
        free = np.zeros(model.num_cols, dtype=bool)
        for k, ts in enumerate(item_teams):
            if ts <= chosen or (ts & chosen and rng.random() < 0.5):
                free[model.item_cols[k]] = True
        lower = np.where(free, 0.0, best)
        upper = np.where(free, 1.0, best)
        attempt(lower, upper, min(left(), 3.0))
    return best
