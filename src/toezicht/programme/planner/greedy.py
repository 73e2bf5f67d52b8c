"""The hand-planner baseline: started items, then mandatory items, then top up minimum shares, then fill
the remaining capacity in order of value per hour, each item in its earliest quarter that still fits."""

from __future__ import annotations

import math
import time

from .plan import Plan, PlanStatus, build_coverage, build_loads, planned_items, status_label
from .problem import Item, Problem, validate
from .verify import check_plan

TOL = 1e-6


def value_per_hour(item: Item) -> float:
    hours = item.total_hours
    if hours <= 0:
        return math.inf if item.value > 0 else 0.0
    return float(item.value) / hours


class _State:
    def __init__(self, problem: Problem) -> None:
        self.p = problem
        self.first_open = max(1, problem.first_open_quarter)
        self.cap = {
            (t.id, q): problem.plannable(t, q) for t in problem.teams for q in range(1, problem.quarters + 1)
        }
        self.load: dict[tuple[str, int], float] = {}
        self.org_q: dict[tuple[str, int], int] = {}
        self.org_y: dict[str, int] = {}
        self.total = 0.0
        self.share_hours: dict[tuple[str, str], float] = {}
        self.shares: list[tuple[str, str, float]] = [
            *(("goals", k, v) for k, v in problem.rules.min_share_per_goal.items() if v > 0),
            *(("areas", k, v) for k, v in problem.rules.min_share_per_area.items() if v > 0),
        ]
        self.starts: dict[str, int] = {}

    def fits(self, item: Item, s: int) -> bool:
        for team_id, h in item.hours.items():
            per_q = h / item.duration
            for q in range(s, s + item.duration):
                if q < self.first_open or per_q <= 0:
                    continue
                cap = self.cap.get((team_id, q), 0.0)
                if self.load.get((team_id, q), 0.0) + per_q > cap + TOL * max(1.0, cap):
                    return False
        rules = self.p.rules
        for org in dict.fromkeys(item.organisations):
            lim = rules.org_limit(org)
            if lim.per_year is not None and self.org_y.get(org, 0) + 1 > lim.per_year:
                return False
            if lim.per_quarter is not None:
                for q in range(max(s, self.first_open), s + item.duration):
                    if self.org_q.get((org, q), 0) + 1 > lim.per_quarter:
                        return False
        for dep in item.depends_on:
            sa = self.starts.get(dep)
            if sa is None or sa + self.p.item(dep).duration - 1 >= s:
                return False
        return True

    def share_ok(self, attr: str, key: str, share: float, extra_in: float, extra_total: float) -> bool:
        hours = self.share_hours.get((attr, key), 0.0) + extra_in
        total = self.total + extra_total
        return hours + TOL * max(1.0, total) >= share * total

    def keeps_shares(self, item: Item) -> bool:
        h = item.total_hours
        for attr, key, share in self.shares:
            inside = h if key in getattr(item, attr) else 0.0
            if self.share_ok(attr, key, share, 0.0, 0.0):
                if not self.share_ok(attr, key, share, inside, h):
                    return False
            elif inside < share * h:  # an unmet share must not get worse
                return False
        return True

    def place(self, item: Item, s: int) -> None:
        self.starts[item.id] = s
        for team_id, h in item.hours.items():
            for q in range(s, s + item.duration):
                self.load[(team_id, q)] = self.load.get((team_id, q), 0.0) + h / item.duration
        for org in dict.fromkeys(item.organisations):
            self.org_y[org] = self.org_y.get(org, 0) + 1
            for q in range(s, s + item.duration):
                self.org_q[(org, q)] = self.org_q.get((org, q), 0) + 1
        h = item.total_hours
        self.total += h
        for attr, key, _ in self.shares:
            if key in getattr(item, attr):
                self.share_hours[(attr, key)] = self.share_hours.get((attr, key), 0.0) + h

    def try_place(self, item: Item, *, check_shares: bool) -> bool:
        if item.id in self.starts:
            return True
        if check_shares and not self.keeps_shares(item):
            return False
        for s in self.p.starts(item):
            if self.fits(item, s):
                self.place(item, s)
                return True
        return False

    def place_with_prerequisites(self, item: Item, depth: int = 0) -> bool:
        if item.id in self.starts:
            return True
        if depth > len(self.p.items):
            return False
        for dep in item.depends_on:
            if self.p.has_item(dep) and not self.place_with_prerequisites(self.p.item(dep), depth + 1):
                return False
        return self.try_place(item, check_shares=False)


def greedy_starts(problem: Problem) -> dict[str, int]:
    """Item id -> start quarter by the greedy rule (may break rules when mandatory items do not fit)."""
    st = _State(problem)
    for item in problem.items:
        if item.fixed_start is not None:
            st.place(item, item.fixed_start)
    by_vph = sorted(problem.items, key=lambda it: (-value_per_hour(it), -it.value, it.id))
    for item in by_vph:
        if item.mandatory:
            st.place_with_prerequisites(item)
    # top up minimum shares with the best items of that goal/area, one item per unmet share per round
    # (an empty plan counts as unmet: otherwise two disjoint shares would block every first item)
    for _ in range(len(problem.items)):
        placed = False
        unmet = [
            (attr, key, share)
            for attr, key, share in st.shares
            if st.total <= 0 or not st.share_ok(attr, key, share, 0.0, 0.0)
        ]
        if not unmet:
            break
        for attr, key, _share in unmet:
            for item in by_vph:
                eligible = item.id not in st.starts and key in getattr(item, attr) and item.value > 0
                if eligible and st.try_place(item, check_shares=False):
                    placed = True
                    break
        if not placed:
            break
    # fill the remaining capacity; repeat so that items whose prerequisite was placed later get a chance
    for _ in range(5):
        before = len(st.starts)
        for item in by_vph:
            if item.id not in st.starts and item.value > 0:
                st.try_place(item, check_shares=True)
        if len(st.starts) == before:
            break
    return st.starts


def greedy(problem: Problem) -> Plan:
    """Greedy baseline as a Plan (status vuistregel); ``messages`` lists the rules it violates, if any."""
    msgs = validate(problem)
    if msgs:
        return Plan(PlanStatus.INVALID, status_label(PlanStatus.INVALID, None), messages=msgs)
    t0 = time.perf_counter()
    starts = greedy_starts(problem)
    violations = check_plan(problem, starts)
    label = status_label(PlanStatus.HEURISTIC, None)
    if violations:
        label += ": voldoet niet aan alle eisen"
    return Plan(
        status=PlanStatus.HEURISTIC,
        status_label=label,
        items=planned_items(problem, starts),
        objective=sum(float(problem.item(i).value) for i in starts),
        solve_seconds=time.perf_counter() - t0,
        loads=build_loads(problem, starts),
        coverage=build_coverage(problem, starts),
        starts=dict(starts),
        violations=violations,
    )
