"""Large-neighbourhood search for big programmes: HiGHS on the part of the model the LP says matters.

HiGHS proves bounds well, but on a busy machine its root node of a 2,000-candidate programme can take longer
than the whole time limit before its own heuristics run. Here HiGHS solves a restricted copy of the model
(columns far from the LP optimum fixed) that it can handle within seconds. Every plan it returns is a
solution of the full model (only column bounds were tightened), so it can serve as a warm start and the
reported gap stays a proven one. See ADR 0060.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from itertools import combinations

import highspy
import numpy as np
import numpy.typing as npt

from .model import FloatArray, Model, Solver, new_highs


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


def solve_restricted(
    model: Model,
    incumbent: FloatArray,
    free: npt.NDArray[np.bool_],
    *,
    time_limit: float,
    row_lower: FloatArray | None = None,
) -> FloatArray | None:
    """HiGHS on the part of the model spanned by the ``free`` columns, every other column fixed at the
    incumbent. Returns a full solution vector (None when HiGHS found none).

    Why a separate small model instead of column bounds on the full one: HiGHS presolves the whole
    matrix on every run (a fifth of a second on the benchmark), which dominates neighbourhoods that are
    solved in a second. Here only the rows that touch a free column are passed, their bounds shifted by
    the activity of the fixed columns; every solution is therefore a solution of the full model."""
    cols = np.flatnonzero(free)
    if not len(cols):
        return None
    lower_bounds = model.row_lower if row_lower is None else row_lower
    counts = np.diff(model.row_start)
    entry_row = np.repeat(np.arange(model.num_rows), counts)
    entry_free = free[model.row_index]
    fixed = ~entry_free
    fixed_activity = np.zeros(model.num_rows)
    np.add.at(fixed_activity, entry_row[fixed], model.row_value[fixed] * incumbent[model.row_index[fixed]])
    free_per_row = np.bincount(entry_row[entry_free], minlength=model.num_rows)
    rows = np.flatnonzero(free_per_row > 0)
    new_col = np.full(model.num_cols, -1, dtype=np.int64)
    new_col[cols] = np.arange(len(cols))
    entries = np.flatnonzero(entry_free)  # row-wise order is kept
    n, m = len(cols), len(rows)
    lp = highspy.HighsLp()
    lp.num_col_ = n
    lp.num_row_ = m
    lp.col_cost_ = model.cost[cols].copy()
    lp.col_lower_ = np.zeros(n)
    lp.col_upper_ = np.ones(n)
    lp.row_lower_ = lower_bounds[rows] - fixed_activity[rows]
    lp.row_upper_ = model.row_upper[rows] - fixed_activity[rows]
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    lp.a_matrix_.num_col_ = n
    lp.a_matrix_.num_row_ = m
    lp.a_matrix_.start_ = np.concatenate([[0], np.cumsum(free_per_row[rows])]).astype(np.int32)
    lp.a_matrix_.index_ = new_col[model.row_index[entries]].astype(np.int32)
    lp.a_matrix_.value_ = model.row_value[entries].copy()
    lp.sense_ = highspy.ObjSense.kMaximize
    lp.integrality_ = [highspy.HighsVarType.kInteger] * n
    h = new_highs()
    h.setOptionValue("random_seed", 1)
    h.setOptionValue("time_limit", max(0.01, float(time_limit)))
    h.setOptionValue("mip_rel_gap", 0.0)
    h.passModel(lp)
    h.setSolution(n, np.arange(n, dtype=np.int32), incumbent[cols].astype(float))
    h.run()
    if h.getInfo().primal_solution_status != highspy.SolutionStatus.kSolutionStatusFeasible:
        return None
    x = incumbent.copy()
    x[cols] = np.round(np.asarray(h.getSolution().col_value, dtype=float))
    return x


def _within_rows(model: Model, x: FloatArray) -> bool:
    """Every row of the model holds for the 0/1 vector ``x`` (HiGHS works with tolerances; the rounded plan
    must satisfy the rows as ``verify.check_plan`` reads them)."""
    activity = model.row_activity(x)
    slack = 1e-7 * np.maximum(1.0, np.abs(activity))
    return bool(np.all(activity <= model.row_upper + slack) and np.all(activity >= model.row_lower - slack))


# Neighbourhoods between two runs of ``between_rounds``: the local search finds moves across teams (an
# item that needs hours of several teams, an exchange at an organisation) that team neighbourhoods miss.
_ROUND = 12


def team_search(
    model: Model,
    incumbent: FloatArray,
    *,
    deadline: float,
    slice_s: float = 2.0,
    seed: int = 1,
    between_rounds: Callable[[FloatArray], FloatArray] | None = None,
) -> FloatArray:
    """Re-pack the plan team by team with HiGHS on small neighbourhoods; never loses value.

    1. Team x two quarters: the columns of one team's items that lie within two quarters, of items that
       are unplanned or planned within those quarters, are free; everything else stays as planned. These
       models have a few hundred columns and HiGHS mostly solves them to optimality in a fraction of a
       second, so all of them can be visited many times; windows with more unused hours are drawn more
       often (12 s from the same plan: 271,200 against 270,766 when drawn uniformly).
    2. When all of those are settled (solved without a better plan since the last change that touched
       the team): a whole team (every item that needs hours of it, all its start quarters), then pairs of
       teams that share items, in slices of ``slice_s`` seconds.

    Why: the loss of a good plan against the LP bound is mostly unused hours per team quarter and a few
    items at the margin that do not fit (ADR 0062); these are packing problems, which the full model is
    too big for and which small exact models solve well. ``between_rounds`` (the local search, in
    practice) runs after every few neighbourhoods; what it changes unsettles the teams involved.
    """
    problem = model.problem
    n_teams = len(problem.teams)
    if not n_teams or not model.num_cols:
        return incumbent
    team_index = {t.id: j for j, t in enumerate(problem.teams)}
    first_open = max(1, problem.first_open_quarter)
    quarters = list(range(first_open, problem.quarters + 1))
    # column x team incidence, column x quarter coverage, and how strongly teams are linked by shared items
    col_team = np.zeros((model.num_cols, n_teams), dtype=bool)
    col_quarter = np.zeros((model.num_cols, problem.quarters + 1), dtype=bool)
    link = np.zeros((n_teams, n_teams))
    for k, it in enumerate(model.items):
        teams = [team_index[t] for t, h in it.hours.items() if h > 0 and t in team_index]
        for c in model.item_cols[k]:
            col_team[c, teams] = True
            s = int(model.col_start[c])
            col_quarter[c, s : s + it.duration] = True
        for a in teams:
            for b in teams:
                if a != b:
                    link[a, b] += 1.0
    col_item = model.col_item
    quarter_sets = [set(qs) for qs in combinations(quarters, min(2, len(quarters)))]
    windows = [(j, w) for j in range(n_teams) for w in range(len(quarter_sets))]
    rng = np.random.default_rng(seed)
    best = (incumbent > 0.5).astype(float)
    best_value = float(model.cost @ best)
    settled_window = np.zeros(len(windows), dtype=bool)
    settled_team = np.zeros(n_teams, dtype=bool)
    pairs_tried: set[tuple[int, int]] = set()
    window_team = np.array([j for j, _ in windows], dtype=np.int64)
    # unused hours per window: capacity rows of the window's team in the window's quarters
    cap_keys = list(model.cap_row)
    cap_rows = np.array([model.cap_row[key] for key in cap_keys], dtype=np.int64)
    cap_upper = model.row_upper[cap_rows]
    window_slack = np.zeros((len(windows), len(cap_keys)))
    for w, (j, q) in enumerate(windows):
        for r, (team_id, quarter) in enumerate(cap_keys):
            if team_index.get(team_id) == j and quarter in quarter_sets[q]:
                window_slack[w, r] = 1.0

    def accept(x: FloatArray) -> bool:
        nonlocal best, best_value
        value = float(model.cost @ x)
        if value <= best_value + 1e-9 or not _within_rows(model, x):
            return False
        touched = np.asarray(col_team[np.flatnonzero(np.abs(x - best) > 0.5)].any(axis=0), dtype=bool)
        settled_team[touched] = False
        settled_window[touched[window_team]] = False
        best, best_value = x, value
        return True

    def attempt(free: npt.NDArray[np.bool_], limit: float) -> bool:
        x = solve_restricted(model, best, free, time_limit=limit)
        return x is not None and accept(x)

    def window_free(j: int, qs: set[int]) -> npt.NDArray[np.bool_]:
        outside = [q for q in range(1, problem.quarters + 1) if q not in qs]
        inside = ~np.asarray(col_quarter[:, outside].any(axis=1), dtype=bool)
        # planned items may only move within the window: their current column must lie inside it
        movable = np.ones(len(model.items), dtype=bool)
        planned = np.flatnonzero(best > 0.5)
        movable[col_item[planned]] = inside[planned]
        free: npt.NDArray[np.bool_] = col_team[:, j] & inside & movable[col_item]
        return free

    since_refine = 0
    refined = True  # nothing to refine before the first change
    while deadline - time.perf_counter() > 0.3:
        limit = min(slice_s, deadline - time.perf_counter())
        open_windows = np.flatnonzero(~settled_window)
        if between_rounds is not None and not refined and (since_refine >= _ROUND or not len(open_windows)):
            since_refine = 0
            refined = True
            if accept(between_rounds(best)):
                refined = False
            continue
        since_refine += 1
        if len(open_windows):
            # windows with more unused hours first (strongly, but by chance, so that every one gets its turn):
            # unused hours are most of what a plan loses against the LP bound
            slack = np.maximum(0.0, cap_upper - model.row_activity(best)[cap_rows])
            weight = (1.0 + window_slack[open_windows] @ slack) ** 2
            w = int(rng.choice(open_windows, p=weight / weight.sum()))
            j, q = windows[w]
            settled_window[w] = True  # unsettled again by any change that touches the team
            if attempt(window_free(j, quarter_sets[q]), limit):
                refined = False
            continue
        open_teams = np.flatnonzero(~settled_team)
        if len(open_teams):
            j = int(rng.choice(open_teams))
            settled_team[j] = True
            if attempt(col_team[:, j].copy(), limit):
                refined = False
            continue
        # every window and team is settled: a pair of linked teams, the strongest links first
        candidates = [
            (link[a, b], a, b)
            for a in range(n_teams)
            for b in range(a + 1, n_teams)
            if link[a, b] > 0 and (a, b) not in pairs_tried
        ]
        if not candidates:
            break
        _, a, b = max(candidates)
        pairs_tried.add((a, b))
        pair = np.asarray(col_team[:, [a, b]].any(axis=1), dtype=bool)
        if attempt(pair, min(2.0 * slice_s, deadline - time.perf_counter())):
            refined = False
    return best
