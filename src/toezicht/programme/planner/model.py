"""The MIP formulation and a thin wrapper around highspy.

Variables: one binary y[i,s] per item i and possible start quarter s ("item i starts in s").
Every constraint row belongs to a *group* (one capacity row, one mandatory item, one dependency, ...);
groups can be switched off (their rows relaxed) for the infeasibility analysis.

Rows
* assignment   sum_s y[i,s] <= 1            (>= 1 as well for mandatory/fixed items: group verplicht/vast)
* capacity     sum_{i,s covering q} h[i,t]/d[i] * y[i,s] <= hours[t,q] * (1 - reserve)
* dependency   for B after A, for every start s of B:
               sum_{s' <= s} y[B,s'] <= sum_{s'' <= s - d[A]} y[A,s'']   (aggregated precedence, LP-tight)
* share        sum_i ([i in g] - share_g) * H[i] * x[i] >= 0
* organisation sum_{i touching o, running in q} y <= K_q ;  sum_{i touching o} x[i] <= K_year
"""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, cast

import highspy
import numpy as np
import numpy.typing as npt

from .problem import Item, Problem

INF = float(highspy.kHighsInf)
FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


class GroupKind(StrEnum):
    CAPACITY = "capaciteit"
    MANDATORY = "verplicht"
    FIXED = "vast"
    DEPENDENCY = "afhankelijkheid"
    GOAL_SHARE = "aandeel_doel"
    AREA_SHARE = "aandeel_toezichtgebied"
    ORG_QUARTER = "organisatie_kwartaal"
    ORG_YEAR = "organisatie_jaar"


# Order in which the deletion filter tries to drop groups: the ones tried last are the most likely to
# remain in the conflict set, so mandatory/fixed items and capacity come last (they are what a user
# can act on and understands best).
GROUP_PRIORITY: dict[GroupKind, int] = {
    GroupKind.ORG_YEAR: 0,
    GroupKind.ORG_QUARTER: 1,
    GroupKind.AREA_SHARE: 2,
    GroupKind.GOAL_SHARE: 3,
    GroupKind.DEPENDENCY: 4,
    GroupKind.CAPACITY: 5,
    GroupKind.FIXED: 6,
    GroupKind.MANDATORY: 7,
}


@dataclass
class Group:
    kind: GroupKind
    key: tuple[str | int, ...]
    rows: list[int] = field(default_factory=list)


@dataclass
class Model:
    problem: Problem
    items: tuple[Item, ...]
    item_index: dict[str, int]
    col_item: IntArray
    col_start: IntArray
    item_cols: list[list[int]]
    cost: FloatArray
    row_start: IntArray
    row_index: IntArray
    row_value: FloatArray
    row_lower: FloatArray
    row_upper: FloatArray
    relaxed_lower: FloatArray
    relaxed_upper: FloatArray
    groups: list[Group]
    cap_row: dict[tuple[str, int], int]
    assign_row: list[int]
    share_row: dict[tuple[GroupKind, str], int]
    org_quarter_row: dict[tuple[str, int], int]
    org_year_row: dict[str, int]

    @property
    def num_cols(self) -> int:
        return len(self.col_item)

    @property
    def num_rows(self) -> int:
        return len(self.row_lower)

    def col(self, item_id: str, start: int) -> int | None:
        for c in self.item_cols[self.item_index[item_id]]:
            if int(self.col_start[c]) == start:
                return c
        return None

    def starts_from_values(self, values: Sequence[float] | FloatArray) -> dict[str, int]:
        chosen: dict[str, int] = {}
        arr = np.asarray(values, dtype=float)
        for c in np.flatnonzero(arr > 0.5):
            chosen[self.items[int(self.col_item[c])].id] = int(self.col_start[c])
        return chosen

    def values_from_starts(self, starts: dict[str, int]) -> FloatArray:
        x = np.zeros(self.num_cols)
        for item_id, s in starts.items():
            if item_id in self.item_index:
                c = self.col(item_id, s)
                if c is not None:
                    x[c] = 1.0
        return x

    def row_activity(self, x: FloatArray) -> FloatArray:
        counts = np.diff(self.row_start)
        rows = np.repeat(np.arange(self.num_rows), counts)
        act = np.zeros(self.num_rows)
        np.add.at(act, rows, self.row_value * x[self.row_index])
        return act


class _RowBuilder:
    def __init__(self) -> None:
        self.index: list[int] = []
        self.value: list[float] = []
        self.start: list[int] = [0]
        self.lower: list[float] = []
        self.upper: list[float] = []
        self.rlower: list[float] = []
        self.rupper: list[float] = []

    def add(
        self,
        entries: dict[int, float],
        lower: float,
        upper: float,
        relaxed: tuple[float, float] = (-INF, INF),
    ) -> int:
        for c, v in entries.items():
            if v != 0.0:
                self.index.append(c)
                self.value.append(v)
        self.start.append(len(self.index))
        self.lower.append(lower)
        self.upper.append(upper)
        self.rlower.append(relaxed[0])
        self.rupper.append(relaxed[1])
        return len(self.lower) - 1


def build_model(problem: Problem) -> Model:
    items = problem.items
    item_index = {it.id: k for k, it in enumerate(items)}
    col_item: list[int] = []
    col_start: list[int] = []
    item_cols: list[list[int]] = []
    cost: list[float] = []
    for k, it in enumerate(items):
        cols = []
        for s in problem.starts(it):
            cols.append(len(col_item))
            col_item.append(k)
            col_start.append(s)
            cost.append(float(it.value))
        item_cols.append(cols)

    rb = _RowBuilder()
    groups: list[Group] = []

    # assignment rows (+ mandatory / fixed groups)
    assign_row: list[int] = []
    for k, it in enumerate(items):
        entries = dict.fromkeys(item_cols[k], 1.0)
        must = it.fixed_start is not None or it.mandatory
        r = rb.add(entries, 1.0 if must else -INF, 1.0, relaxed=(-INF, 1.0))
        assign_row.append(r)
        if it.fixed_start is not None:
            groups.append(Group(GroupKind.FIXED, (it.id,), [r]))
        elif it.mandatory:
            groups.append(Group(GroupKind.MANDATORY, (it.id,), [r]))

    first_open = max(1, problem.first_open_quarter)

    # capacity
    cap_entries: dict[tuple[str, int], dict[int, float]] = {}
    for k, it in enumerate(items):
        for team_id, h in it.hours.items():
            if h <= 0:
                continue
            per_q = float(h) / it.duration
            for c in item_cols[k]:
                s = col_start[c]
                for q in range(s, s + it.duration):
                    if q >= first_open:
                        cap_entries.setdefault((team_id, q), {})[c] = per_q
    cap_row: dict[tuple[str, int], int] = {}
    for team in problem.teams:
        for q in range(first_open, problem.quarters + 1):
            cap_cols = cap_entries.get((team.id, q))
            if not cap_cols:
                continue
            r = rb.add(cap_cols, -INF, problem.plannable(team, q))
            cap_row[(team.id, q)] = r
            groups.append(Group(GroupKind.CAPACITY, (team.id, q), [r]))

    # dependencies (B depends on A)
    for kb, b in enumerate(items):
        for a_id in dict.fromkeys(b.depends_on):
            ka = item_index.get(a_id)
            if ka is None or ka == kb or not item_cols[kb]:
                continue
            a = items[ka]
            rows: list[int] = []
            for s in sorted({col_start[c] for c in item_cols[kb]}):
                dep: dict[int, float] = {c: 1.0 for c in item_cols[kb] if col_start[c] <= s}
                for c in item_cols[ka]:
                    if col_start[c] <= s - a.duration:
                        dep[c] = dep.get(c, 0.0) - 1.0
                rows.append(rb.add(dep, -INF, 0.0))
            groups.append(Group(GroupKind.DEPENDENCY, (a.id, b.id), rows))

    # minimum shares of planned hours
    share_row: dict[tuple[GroupKind, str], int] = {}
    for kind, shares, attr in (
        (GroupKind.GOAL_SHARE, problem.rules.min_share_per_goal, "goals"),
        (GroupKind.AREA_SHARE, problem.rules.min_share_per_area, "areas"),
    ):
        for key, share in shares.items():
            if share <= 0:
                continue
            entries = {}
            for k, it in enumerate(items):
                coef = ((1.0 if key in getattr(it, attr) else 0.0) - share) * it.total_hours
                for c in item_cols[k]:
                    entries[c] = coef
            r = rb.add(entries, 0.0, INF)
            share_row[(kind, key)] = r
            groups.append(Group(kind, (key,), [r]))

    # organisation load
    org_items: dict[str, list[int]] = {}
    for k, it in enumerate(items):
        for org in dict.fromkeys(it.organisations):
            org_items.setdefault(org, []).append(k)
    org_quarter_row: dict[tuple[str, int], int] = {}
    org_year_row: dict[str, int] = {}
    for org, ks in org_items.items():
        limit = problem.rules.org_limit(org)
        if limit.per_quarter is not None:
            for q in range(first_open, problem.quarters + 1):
                entries = {}
                touching = set()
                for k in ks:
                    for c in item_cols[k]:
                        s = col_start[c]
                        if s <= q < s + items[k].duration:
                            entries[c] = 1.0
                            touching.add(k)
                if len(touching) > limit.per_quarter:
                    r = rb.add(entries, -INF, float(limit.per_quarter))
                    org_quarter_row[(org, q)] = r
                    groups.append(Group(GroupKind.ORG_QUARTER, (org, q), [r]))
        if limit.per_year is not None:
            candidates = [k for k in ks if item_cols[k]]
            if len(candidates) > limit.per_year:
                entries = {c: 1.0 for k in candidates for c in item_cols[k]}
                r = rb.add(entries, -INF, float(limit.per_year))
                org_year_row[org] = r
                groups.append(Group(GroupKind.ORG_YEAR, (org,), [r]))

    return Model(
        problem=problem,
        items=items,
        item_index=item_index,
        col_item=np.asarray(col_item, dtype=np.int64),
        col_start=np.asarray(col_start, dtype=np.int64),
        item_cols=item_cols,
        cost=np.asarray(cost, dtype=float),
        row_start=np.asarray(rb.start, dtype=np.int64),
        row_index=np.asarray(rb.index, dtype=np.int64),
        row_value=np.asarray(rb.value, dtype=float),
        row_lower=np.asarray(rb.lower, dtype=float),
        row_upper=np.asarray(rb.upper, dtype=float),
        relaxed_lower=np.asarray(rb.rlower, dtype=float),
        relaxed_upper=np.asarray(rb.rupper, dtype=float),
        groups=groups,
        cap_row=cap_row,
        assign_row=assign_row,
        share_row=share_row,
        org_quarter_row=org_quarter_row,
        org_year_row=org_year_row,
    )


@dataclass
class RunResult:
    status: str  # "optimal" | "time_limit" | "infeasible" | "error"
    x: FloatArray | None  # best solution found (None = none)
    objective: float
    bound: float | None
    gap: float | None
    seconds: float
    row_dual: FloatArray | None = None


def relative_gap(objective: float, bound: float, maximise: bool = True) -> float:
    """How far the plan may be from the optimum, as a share of the plan's value (as HiGHS reports it). A
    plan worth nothing against a positive bound is 100 % away, not an astronomical percentage."""
    diff = (bound - objective) if maximise else (objective - bound)
    if abs(diff) <= 1e-9:
        return 0.0
    return min(1.0, max(0.0, diff) / max(abs(objective), 1e-9))


_banner_lock = threading.Lock()
_banner_done = False


def new_highs() -> highspy.Highs:
    """A silent HiGHS instance. HiGHS prints its banner on stdout when the first instance of the process is
    created, before any option can be set; that would corrupt command output and benchmark JSON lines, so the
    first construction runs with file descriptor 1 pointed at /dev/null."""
    global _banner_done
    with _banner_lock:
        if not _banner_done:
            _banner_done = True
            sys.stdout.flush()
            saved = os.dup(1)
            try:
                with open(os.devnull, "w") as devnull:
                    os.dup2(devnull.fileno(), 1)
                    h = highspy.Highs()
            finally:
                os.dup2(saved, 1)
                os.close(saved)
        else:
            h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    return h


class Solver:
    """A highspy instance holding one :class:`Model` (optionally with extra rows and another objective)."""

    def __init__(self, model: Model, *, integer: bool = True, threads: int | None = None) -> None:
        self.model = model
        self.integer = integer
        self.maximise = True
        h = new_highs()
        h.setOptionValue("random_seed", 1)
        if threads is not None:
            h.setOptionValue("threads", threads)
        lp = highspy.HighsLp()
        n, m = model.num_cols, model.num_rows
        lp.num_col_ = n
        lp.num_row_ = m
        lp.col_cost_ = model.cost.copy()
        lp.col_lower_ = np.zeros(n)
        lp.col_upper_ = np.ones(n)
        lp.row_lower_ = model.row_lower.copy()
        lp.row_upper_ = model.row_upper.copy()
        lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
        lp.a_matrix_.num_col_ = n
        lp.a_matrix_.num_row_ = m
        lp.a_matrix_.start_ = model.row_start.astype(np.int32)
        lp.a_matrix_.index_ = model.row_index.astype(np.int32)
        lp.a_matrix_.value_ = model.row_value.copy()
        lp.sense_ = highspy.ObjSense.kMaximize
        if integer and n:
            lp.integrality_ = [highspy.HighsVarType.kInteger] * n
        h.passModel(lp)
        self.h = h
        self.num_rows = m

    def set_rows_bounds(self, rows: Sequence[int], lower: FloatArray, upper: FloatArray) -> None:
        if len(rows):
            idx = np.asarray(rows, dtype=np.int32)
            lo, hi = np.asarray(lower, dtype=float), np.asarray(upper, dtype=float)
            cast(Any, self.h).changeRowsBounds(len(idx), idx, lo, hi)  # not in the highspy stubs

    def set_cols_bounds(self, cols: Sequence[int], lower: FloatArray, upper: FloatArray) -> None:
        if len(cols):
            idx = np.asarray(cols, dtype=np.int32)
            self.h.changeColsBounds(
                len(idx), idx, np.asarray(lower, dtype=float), np.asarray(upper, dtype=float)
            )

    def set_objective(self, cost: FloatArray, *, maximise: bool) -> None:
        n = self.model.num_cols
        if n:
            self.h.changeColsCost(n, np.arange(n, dtype=np.int32), np.asarray(cost, dtype=float))
        self.h.changeObjectiveSense(highspy.ObjSense.kMaximize if maximise else highspy.ObjSense.kMinimize)
        self.maximise = maximise

    def add_row(self, cols: Sequence[int], values: Sequence[float], lower: float, upper: float) -> int:
        idx = np.asarray(cols, dtype=np.int32)
        self.h.addRow(float(lower), float(upper), len(idx), idx, np.asarray(values, dtype=float))
        self.num_rows += 1
        return self.num_rows - 1

    def set_start(self, x: FloatArray | None = None, partial: dict[int, float] | None = None) -> None:
        if x is not None and self.model.num_cols:
            idx = np.arange(self.model.num_cols, dtype=np.int32)
            self.h.setSolution(len(idx), idx, np.asarray(x, dtype=float))
        elif partial:
            idx = np.asarray(list(partial), dtype=np.int32)
            self.h.setSolution(len(idx), idx, np.asarray(list(partial.values()), dtype=float))

    def run(self, *, time_limit: float, mip_gap: float, want_duals: bool = False) -> RunResult:
        h = self.h
        h.setOptionValue("time_limit", max(0.01, float(time_limit)))
        h.setOptionValue("mip_rel_gap", max(0.0, float(mip_gap)))
        t0 = time.perf_counter()
        h.run()
        seconds = time.perf_counter() - t0
        ms = h.getModelStatus()
        info = h.getInfo()
        has_sol = info.primal_solution_status == highspy.SolutionStatus.kSolutionStatusFeasible
        x = np.asarray(h.getSolution().col_value, dtype=float) if has_sol and self.model.num_cols else None
        if has_sol and x is None:
            x = np.zeros(0)
        obj = float(info.objective_function_value) if has_sol else 0.0
        if ms == highspy.HighsModelStatus.kModelEmpty:
            return RunResult("optimal", np.zeros(self.model.num_cols), 0.0, 0.0, 0.0, seconds)
        if ms == highspy.HighsModelStatus.kOptimal:
            bound = float(info.mip_dual_bound) if self.integer else obj
            if not np.isfinite(bound):
                bound = obj
            duals = None
            if want_duals and not self.integer:
                duals = np.asarray(h.getSolution().row_dual, dtype=float)
            gap = relative_gap(obj, bound, self.maximise) if self.integer else 0.0
            return RunResult("optimal", x, obj, bound, gap, seconds, duals)
        if ms in (highspy.HighsModelStatus.kInfeasible, highspy.HighsModelStatus.kUnboundedOrInfeasible):
            return RunResult("infeasible", None, 0.0, None, None, seconds)
        if ms in (
            highspy.HighsModelStatus.kTimeLimit,
            highspy.HighsModelStatus.kInterrupt,
            highspy.HighsModelStatus.kIterationLimit,
            highspy.HighsModelStatus.kSolutionLimit,
        ):
            tl_bound: float | None = float(info.mip_dual_bound) if self.integer else None
            if tl_bound is not None and not np.isfinite(tl_bound):
                tl_bound = None
            tl_gap = (
                relative_gap(obj, tl_bound, self.maximise) if (has_sol and tl_bound is not None) else None
            )
            return RunResult("time_limit", x, obj, tl_bound, tl_gap, seconds)
        return RunResult("error", x, obj, None, None, seconds)
