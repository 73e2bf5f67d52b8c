"""Local search that polishes a feasible plan: add, relocate-and-add and swap moves, never breaking a rule.

Why: MIP incumbents of big programmes choose the right items but leave hours unused in many team quarters
(HiGHS's solutions are not even "1-opt": some candidate still fits). Every plan with unused hours loses
value against the LP bound, so filling those hours is what closes most of the proven gap. Moves:

* add      an unplanned item at a start where it fits;
* relocate move a planned item to another start so that an unplanned item fits, then add that item;
* swap     remove a planned item of lower value so that an unplanned item fits (then try to add more).

Every move is checked against all rules (capacity per team quarter, organisation caps, dependencies,
minimum shares, mandatory and fixed items) incrementally; the result is a feasible plan that is never worth
less than the input. Pure Python, no solver.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence

from .problem import Problem

_TOL = 1e-7  # stricter than verify.TOL so that a polished plan always passes check_plan


class _Search:
    def __init__(self, problem: Problem, starts: Mapping[str, int]) -> None:
        p = problem
        self.p = p
        self.items = p.items
        n = len(self.items)
        self.index = {it.id: k for k, it in enumerate(self.items)}
        team_idx = {t.id: j for j, t in enumerate(p.teams)}
        nq = p.quarters
        self.first_open = max(1, p.first_open_quarter)
        self.cap = [[0.0] * (nq + 2) for _ in p.teams]
        for j, t in enumerate(p.teams):
            for q in range(1, nq + 1):
                self.cap[j][q] = p.plannable(t, q)
        self.load = [[0.0] * (nq + 2) for _ in p.teams]
        # per item: (team index, hours per quarter) for positive hours
        self.team_hours: list[list[tuple[int, float]]] = []
        for it in self.items:
            self.team_hours.append(
                [(team_idx[t], h / it.duration) for t, h in it.hours.items() if h > 0 and t in team_idx]
            )
        self.dur = [it.duration for it in self.items]
        self.value = [float(it.value) for it in self.items]
        self.starts = [p.starts(it) for it in self.items]
        self.locked = [it.fixed_start is not None for it in self.items]
        self.mandatory = [it.mandatory or it.fixed_start is not None for it in self.items]
        # organisations
        orgs: dict[str, int] = {}
        self.item_orgs: list[list[int]] = []
        for it in self.items:
            self.item_orgs.append([orgs.setdefault(o, len(orgs)) for o in dict.fromkeys(it.organisations)])
        self.org_q_lim: list[int | None] = [None] * len(orgs)
        self.org_y_lim: list[int | None] = [None] * len(orgs)
        for o, k in orgs.items():
            lim = p.rules.org_limit(o)
            self.org_q_lim[k], self.org_y_lim[k] = lim.per_quarter, lim.per_year
        self.org_q = [[0] * (nq + 2) for _ in orgs]
        self.team_items: list[list[int]] = [[] for _ in p.teams]
        for k in range(n):
            for j, _h in self.team_hours[k]:
                self.team_items[j].append(k)
        self.org_items: list[list[int]] = [[] for _ in orgs]
        for k in range(n):
            for org in self.item_orgs[k]:
                self.org_items[org].append(k)
        self.org_y = [0] * len(orgs)
        # dependencies (prerequisites known to the problem only)
        self.prereq: list[list[int]] = [
            [self.index[d] for d in dict.fromkeys(it.depends_on) if d in self.index and d != it.id]
            for it in self.items
        ]
        self.dependents: list[list[int]] = [[] for _ in range(n)]
        for k, pre in enumerate(self.prereq):
            for a in pre:
                self.dependents[a].append(k)
        # minimum shares: slack_r = sum_i ([i in g] - share) * H_i >= 0
        self.share_coef: list[list[float]] = []
        shares = [
            *(("goals", g, s) for g, s in p.rules.min_share_per_goal.items() if s > 0),
            *(("areas", a, s) for a, s in p.rules.min_share_per_area.items() if s > 0),
        ]
        for it in self.items:
            h = it.total_hours
            self.share_coef.append(
                [((1.0 if key in getattr(it, attr) else 0.0) - share) * h for attr, key, share in shares]
            )
        self.share_slack = [0.0] * len(shares)
        self.check_shares = True
        self.start = [0] * n  # 0 = not planned
        self.hours = 0.0  # planned hours (scale of the share tolerance)
        self.total_hours = [it.total_hours for it in self.items]
        for item_id, start in starts.items():
            known = self.index.get(item_id)
            if known is not None:
                self._apply(known, start, +1)

    # ---- incremental bookkeeping ---------------------------------------------------------------------
    def _apply(self, k: int, s: int, sign: int) -> None:
        d = self.dur[k]
        for j, h in self.team_hours[k]:
            row = self.load[j]
            for q in range(s, s + d):
                row[q] += sign * h
        for o in self.item_orgs[k]:
            self.org_y[o] += sign
            row_o = self.org_q[o]
            for q in range(s, s + d):
                row_o[q] += sign
        coef = self.share_coef[k]
        for r in range(len(coef)):
            self.share_slack[r] += sign * coef[r]
        self.start[k] = s if sign > 0 else 0
        self.hours += sign * self.total_hours[k]

    def add(self, k: int, s: int) -> None:
        self._apply(k, s, +1)

    def remove(self, k: int) -> int:
        s = self.start[k]
        self._apply(k, s, -1)
        return s

    # ---- feasibility of one more item ----------------------------------------------------------------
    def can_add(self, k: int, s: int) -> bool:
        d = self.dur[k]
        fo = self.first_open
        for j, h in self.team_hours[k]:
            cap, load = self.cap[j], self.load[j]
            for q in range(max(s, fo), s + d):
                if load[q] + h > cap[q] + _TOL * max(1.0, cap[q]):
                    return False
        for o in self.item_orgs[k]:
            ly = self.org_y_lim[o]
            if ly is not None and self.org_y[o] + 1 > ly:
                return False
            lq = self.org_q_lim[o]
            if lq is not None:
                row = self.org_q[o]
                for q in range(max(s, fo), s + d):
                    if row[q] + 1 > lq:
                        return False
        for a in self.prereq[k]:
            sa = self.start[a]
            if sa == 0 or sa + self.dur[a] - 1 >= s:
                return False
        for b in self.dependents[k]:
            sb = self.start[b]
            if sb and s + self.dur[k] - 1 >= sb:
                return False
        if self.check_shares:
            coef = self.share_coef[k]
            tol = _TOL * max(1.0, self.hours)
            for r in range(len(coef)):
                if coef[r] < 0 and self.share_slack[r] + coef[r] < -tol:
                    return False
        return True

    def shares_violated(self) -> bool:
        tol = _TOL * max(1.0, self.hours)
        return any(slack < -tol for slack in self.share_slack)

    def removable(self, k: int) -> bool:
        """Removing k keeps dependencies and minimum shares (it must also not be mandatory)."""
        if self.mandatory[k]:
            return False
        if any(self.start[b] for b in self.dependents[k]):
            return False
        coef = self.share_coef[k]
        tol = _TOL * max(1.0, self.hours)
        return not any(coef[r] > 0 and self.share_slack[r] - coef[r] < -tol for r in range(len(coef)))

    def blockers(self, k: int, s: int) -> list[int]:
        """Planned items that share a team quarter or an organisation with k started at s."""
        d = self.dur[k]
        out: dict[int, None] = {}
        for j, _h in self.team_hours[k]:
            for m in self.team_items[j]:
                sm = self.start[m]
                if sm and m != k and sm < s + d and s < sm + self.dur[m]:
                    out[m] = None
        for o in self.item_orgs[k]:
            for m in self.org_items[o]:
                if self.start[m] and m != k:
                    out[m] = None
        return list(out)


def polish(
    problem: Problem,
    starts: Mapping[str, int],
    *,
    deadline: float,
    priority: Mapping[str, float] | None = None,
) -> dict[str, int]:
    """Improve a feasible plan (item id -> start) until no move helps or ``deadline`` (perf_counter).
    Unplanned items are tried in decreasing ``priority`` (default: their value)."""
    search = _Search(problem, starts)
    n = len(search.items)
    key = search.value if priority is None else [priority.get(it.id, -1e300) for it in search.items]
    by_value = sorted(range(n), key=lambda k: -key[k])

    def add_pass() -> bool:
        changed = False
        for k in by_value:
            if search.start[k] or search.value[k] <= 0:
                continue
            for s in search.starts[k]:
                if search.can_add(k, s):
                    search.add(k, s)
                    changed = True
                    break
        return changed

    def improve_item(k: int) -> bool:
        v = search.value[k]
        for s in search.starts[k]:
            cands = search.blockers(k, s)
            # relocate a blocker to another start, then add k
            for m in cands:
                if search.locked[m]:
                    continue
                sm = search.remove(m)
                for s2 in search.starts[m]:
                    if s2 != sm and search.can_add(m, s2):
                        search.add(m, s2)
                        if search.can_add(k, s):
                            search.add(k, s)
                            return True
                        search.remove(m)
                search.add(m, sm)
            # swap out a blocker of lower value
            for m in sorted(cands, key=lambda c: search.value[c]):
                if search.value[m] >= v - 1e-9:
                    break
                if not search.removable(m):
                    continue
                sm = search.remove(m)
                if search.can_add(k, s):
                    search.add(k, s)
                    return True
                search.add(m, sm)
        return False

    add_pass()
    improved = True
    while improved and time.perf_counter() < deadline:
        improved = False
        for k in by_value:
            if time.perf_counter() >= deadline:
                break
            if search.start[k] or search.value[k] <= 0:
                continue
            if improve_item(k):
                improved = True
                add_pass()
    return {search.items[k].id: s for k, s in enumerate(search.start) if s}


def lp_rounding(
    problem: Problem,
    col_item: Sequence[int],
    col_start: Sequence[int],
    lp_x: Sequence[float],
    reduced_cost: Sequence[float] | None = None,
) -> dict[str, int] | None:
    """A plan built in the order of the LP relaxation: started and mandatory items first, then every
    column by decreasing LP value, each placed only when every rule holds. Minimum shares cannot hold for
    a nearly empty plan, so the columns the LP sets (almost) to one are placed without the share check
    first and shares are topped up from the LP order. None when the shares cannot be met this way.

    Columns with equal LP value (most are at zero) are taken in decreasing ``reduced_cost`` when given:
    otherwise the filler of the last unused hours is whatever column comes first, often one the LP
    prices far below its value (ADR 0062)."""
    search = _Search(problem, {})
    tie = [0.0] * len(lp_x) if reduced_cost is None else reduced_cost
    order = sorted(range(len(lp_x)), key=lambda c: (-lp_x[c], -tie[c]))
    for k, it in enumerate(search.items):
        if it.fixed_start is not None:
            search.add(k, it.fixed_start)
    for phase in ("mandatory", "lp", "top_up", "all"):
        search.check_shares = phase not in ("mandatory", "lp")
        for c in order:
            k, s = int(col_item[c]), int(col_start[c])
            if search.start[k] or (phase == "mandatory" and not search.mandatory[k]):
                continue
            if phase == "lp" and lp_x[c] < 0.5:
                break
            if phase == "top_up" and not any(
                search.share_slack[r] < 0 < search.share_coef[k][r] for r in range(len(search.share_slack))
            ):
                continue
            if search.can_add(k, s):
                search.add(k, s)
        if phase == "top_up" and search.shares_violated():
            return None
    return {search.items[k].id: s for k, s in enumerate(search.start) if s}
