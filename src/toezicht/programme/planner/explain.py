"""Explanation of a plan: binding constraints, why candidates dropped out, marginal value of an hour.

How the numbers are obtained (documented for the user in ``Explanation.notes``):

* Binding constraints and reasons for dropped items are derived from the chosen plan itself: for every
  dropped candidate and every start quarter it could have had, we check which rule would be broken if it
  were added to the plan as it stands (capacity, organisation cap, dependency, minimum share). A team
  quarter is reported as *vol* when none of the dropped candidates that could use it still fits in what
  is left.
* "Laatst gekozen" compares value per hour with the lowest value per hour among the chosen, non-mandatory
  items that use the same full team quarters.
* Marginal value of an inspector-hour is reported in two ways:
  - ``lp_dual``: the shadow price of the team-quarter capacity in the LP relaxation (items divisible).
    It is the rate at which the *upper bound* grows per extra hour; cheap, per quarter, but optimistic
    because real investigations are not divisible.
  - ``herberekening``: we re-solve the full MIP with a block of extra hours in every open quarter for one
    team (default one fte, else 5 % of its capacity), warm-started from the current plan, and report
    (new value - current value) / extra hours. Because the current plan stays feasible, this is a
    proven *lower* bound on what the extra hours are worth; ``upper_bound_per_hour`` uses the new best
    bound and is a proven upper limit.
"""

from __future__ import annotations

import math
import time
from collections.abc import Mapping

import numpy as np

from . import _nl
from .greedy import value_per_hour
from .model import FloatArray, GroupKind, Model, Solver
from .plan import BindingConstraint, DroppedItem, Explanation, MarginalValue, team_loads
from .problem import Item, Problem

TOL = 1e-6

Violation = tuple[str, ...]


def _vph_text(v: float) -> str:
    if math.isinf(v):
        return "onbeperkt"
    if abs(v) < 1:
        return _nl.number(v, 2)
    return _nl.number(v, 1 if abs(v) < 100 else 0)


def lp_duals(model: Model, time_limit_s: float) -> tuple[FloatArray | None, FloatArray | None]:
    """Row duals of the LP relaxation and reduced cost per column (excluding the assignment rows)."""
    if model.num_cols == 0 or model.num_rows == 0:
        return None, None
    lp = Solver(model, integer=False)
    run = lp.run(time_limit=time_limit_s, mip_gap=0.0, want_duals=True)
    if run.status != "optimal" or run.row_dual is None:
        return None, None
    duals = run.row_dual.copy()
    priced = duals.copy()
    priced[np.asarray(model.assign_row, dtype=np.int64)] = 0.0
    counts = np.diff(model.row_start)
    rows = np.repeat(np.arange(model.num_rows), counts)
    used = np.zeros(model.num_cols)
    np.add.at(used, model.row_index, model.row_value * priced[rows])
    return duals, model.cost - used


class _Context:
    def __init__(self, model: Model, starts: Mapping[str, int]) -> None:
        self.model = model
        self.p: Problem = model.problem
        self.starts = dict(starts)
        self.first_open = max(1, self.p.first_open_quarter)
        self.load = team_loads(self.p, self.starts)
        self.cap = {
            (t.id, q): self.p.plannable(t, q) for t in self.p.teams for q in range(1, self.p.quarters + 1)
        }
        chosen = [self.p.item(i) for i in self.starts]
        self.total = sum(it.total_hours for it in chosen)
        self.shares: list[tuple[GroupKind, str, str, float, float]] = []
        for kind, attr, mins in (
            (GroupKind.GOAL_SHARE, "goals", self.p.rules.min_share_per_goal),
            (GroupKind.AREA_SHARE, "areas", self.p.rules.min_share_per_area),
        ):
            for key, share in mins.items():
                if share > 0:
                    hours = sum(it.total_hours for it in chosen if key in getattr(it, attr))
                    self.shares.append((kind, attr, key, share, hours))
        self.org_q: dict[tuple[str, int], int] = {}
        self.org_y: dict[str, int] = {}
        for it in chosen:
            s = self.starts[it.id]
            for org in dict.fromkeys(it.organisations):
                self.org_y[org] = self.org_y.get(org, 0) + 1
                for q in range(s, s + it.duration):
                    self.org_q[(org, q)] = self.org_q.get((org, q), 0) + 1

    def violations(self, item: Item, s: int) -> list[Violation]:
        out: list[Violation] = []
        for team_id, h in item.hours.items():
            per_q = h / item.duration
            if per_q <= 0:
                continue
            for q in range(max(s, self.first_open), s + item.duration):
                cap = self.cap.get((team_id, q), 0.0)
                if per_q > cap + TOL * max(1.0, cap):
                    out.append(("too_big", team_id, str(q)))
                elif self.load.get((team_id, q), 0.0) + per_q > cap + TOL * max(1.0, cap):
                    out.append(("cap", team_id, str(q)))
        for org in dict.fromkeys(item.organisations):
            lim = self.p.rules.org_limit(org)
            if lim.per_year is not None and self.org_y.get(org, 0) + 1 > lim.per_year:
                out.append(("org_y", org))
            if lim.per_quarter is not None:
                for q in range(max(s, self.first_open), s + item.duration):
                    if self.org_q.get((org, q), 0) + 1 > lim.per_quarter:
                        out.append(("org_q", org, str(q)))
        for dep in item.depends_on:
            if not self.p.has_item(dep):
                continue
            sa = self.starts.get(dep)
            if sa is None:
                out.append(("dep_missing", dep))
            elif sa + self.p.item(dep).duration - 1 >= s:
                out.append(("dep_late", dep, str(sa + self.p.item(dep).duration - 1)))
        h = item.total_hours
        for kind, attr, key, share, hours in self.shares:
            inside = h if key in getattr(item, attr) else 0.0
            total = self.total + h
            if hours + inside + TOL * max(1.0, total) < share * total:
                out.append(("share", kind.value, key))
        return out


def explain_plan(
    model: Model,
    starts: Mapping[str, int],
    *,
    objective: float,
    best_bound: float | None,
    optimal: bool,
    gap: float | None,
    mip_gap: float,
    marginal_resolve: bool = True,
    extra_hours: float | None = None,
    time_limit_s: float = 30.0,
) -> Explanation:
    t0 = time.perf_counter()
    p = model.problem
    ctx = _Context(model, starts)
    duals, reduced = lp_duals(model, max(1.0, time_limit_s / 4))

    dropped_items = [it for it in p.items if it.id not in ctx.starts]
    # smallest per-quarter demand of a dropped candidate on each team quarter it could use
    min_demand: dict[tuple[str, int], float] = {}
    for it in dropped_items:
        for s in p.starts(it):
            for team_id, h in it.hours.items():
                if h <= 0:
                    continue
                for q in range(s, s + it.duration):
                    tq = (team_id, q)
                    if h / it.duration <= ctx.cap.get(tq, 0.0):  # could fit in an empty quarter
                        min_demand[tq] = min(min_demand.get(tq, math.inf), h / it.duration)
    # lowest value per hour among chosen optional items on each team quarter
    chosen_vph: dict[tuple[str, int], float] = {}
    for item_id, s in ctx.starts.items():
        it = p.item(item_id)
        if it.mandatory or it.fixed_start is not None:
            continue
        item_vph = value_per_hour(it)
        for team_id, h in it.hours.items():
            if h > 0:
                for q in range(s, s + it.duration):
                    chosen_vph[(team_id, q)] = min(chosen_vph.get((team_id, q), math.inf), item_vph)

    # ---- dropped candidates -------------------------------------------------------------------------
    dropped: list[DroppedItem] = []
    blocking_share: set[tuple[str, str]] = set()
    blocking_org_q: set[tuple[str, int]] = set()
    blocking_org_y: set[str] = set()
    for it in dropped_items:
        vph = value_per_hour(it)
        rc: float | None = None
        cols = model.item_cols[model.item_index[it.id]]
        if reduced is not None and cols:
            rc = float(max(reduced[c] for c in cols))
        item_starts = p.starts(it)
        if not item_starts:
            msg = "Kan niet worden gepland: er is geen toegestaan kwartaal (meer) beschikbaar."
            dropped.append(DroppedItem(it.id, it.title, it.value, it.total_hours, vph, (msg,), msg, rc))
            continue
        per_start = {s: ctx.violations(it, s) for s in item_starts}
        free_starts = [s for s, v in per_start.items() if not v]
        if free_starts:
            if it.value <= 0:
                why = "het onderzoek heeft geen positieve waarde"
            elif not optimal:
                why = "het plan is niet bewezen optimaal (tijdslimiet bereikt)"
            else:
                why = (
                    "de oplosser stopte binnen de toegestane marge van "
                    f"{_nl.gap_percent(gap if gap is not None else mip_gap)} van het optimum"
                )
            msg = f"Past nog in {_nl.quarters(free_starts)}, maar is niet gekozen: {why}."
            dropped.append(DroppedItem(it.id, it.title, it.value, it.total_hours, vph, (why,), msg, rc))
            continue
        cap_q: dict[str, set[int]] = {}
        too_big: dict[str, set[int]] = {}
        org_q: dict[str, set[int]] = {}
        org_y: set[str] = set()
        dep_missing: list[str] = []
        dep_late: dict[str, int] = {}
        shares: list[tuple[str, str]] = []
        for viol in per_start.values():
            only = {v[0] for v in viol}
            for v in viol:
                if v[0] == "cap":
                    cap_q.setdefault(v[1], set()).add(int(v[2]))
                elif v[0] == "too_big":
                    too_big.setdefault(v[1], set()).add(int(v[2]))
                elif v[0] == "org_q":
                    org_q.setdefault(v[1], set()).add(int(v[2]))
                    if only == {"org_q"}:
                        blocking_org_q.add((v[1], int(v[2])))
                elif v[0] == "org_y":
                    org_y.add(v[1])
                    if only == {"org_y"}:
                        blocking_org_y.add(v[1])
                elif v[0] == "dep_missing":
                    if v[1] not in dep_missing:
                        dep_missing.append(v[1])
                elif v[0] == "dep_late":
                    dep_late[v[1]] = int(v[2])
                elif v[0] == "share":
                    if (v[1], v[2]) not in shares:
                        shares.append((v[1], v[2]))
                    if only == {"share"}:
                        blocking_share.add((v[1], v[2]))
        reasons: list[str] = []
        for team_id, qs in too_big.items():
            per_q = it.hours[team_id] / it.duration
            reasons.append(
                f"vraagt {_nl.hours(per_q)} per kwartaal van team {p.team_name(team_id)}, meer dan er in "
                f"{_nl.quarters(qs)} planbaar is"
            )
        for team_id, qs in cap_q.items():
            reasons.append(f"team {p.team_name(team_id)} is in {_nl.quarters(qs)} vol")
        for org, qs in org_q.items():
            lim = p.rules.org_limit(org).per_quarter
            reasons.append(
                f"bij {p.org_name(org)} lopen in {_nl.quarters(qs)} al "
                f"{_nl.count(lim or 0, 'onderzoek', 'onderzoeken')} "
                "(het maximum)"
            )
        for org in sorted(org_y):
            lim = p.rules.org_limit(org).per_year
            reasons.append(
                f"bij {p.org_name(org)} is het maximum van "
                f"{_nl.count(lim or 0, 'onderzoek', 'onderzoeken')} per jaar bereikt"
            )
        for dep in dep_missing:
            reasons.append(f"hangt af van {_nl.quoted(p.item(dep).title)}, dat niet is gepland")
        for dep, end in dep_late.items():
            reasons.append(
                f"kan pas beginnen als {_nl.quoted(p.item(dep).title)} klaar is (eind {_nl.quarter(end)})"
            )
        for kind, key in shares:
            label = (
                f"doel {p.goal_name(key)}"
                if kind == GroupKind.GOAL_SHARE.value
                else (f"toezichtgebied {p.area_name(key)}")
            )
            mins = (
                p.rules.min_share_per_goal
                if kind == GroupKind.GOAL_SHARE.value
                else p.rules.min_share_per_area
            )
            reasons.append(f"zou het aandeel van {label} onder {_nl.percent(mins[key])} brengen")
        msg = "Past niet: " + "; ".join(reasons)
        if cap_q:
            competitors = [chosen_vph[(t, q)] for t, qs in cap_q.items() for q in qs if (t, q) in chosen_vph]
            if competitors:
                comp = min(competitors)
                compared = "even hoog als" if abs(vph - comp) <= 1e-9 else "hoger dan"
                if vph < comp - 1e-9:
                    msg += f"; waarde per uur {_vph_text(vph)} lager dan de laatst gekozen {_vph_text(comp)}"
                elif optimal:
                    msg += (
                        f"; waarde per uur {_vph_text(vph)} is {compared} de laagst gekozen "
                        f"{_vph_text(comp)}, maar inpassen verdringt meer waarde dan het oplevert"
                    )
                else:
                    msg += (
                        f"; waarde per uur {_vph_text(vph)} is {compared} de laagst gekozen "
                        f"{_vph_text(comp)}; mogelijk past het in een beter plan (tijdslimiet bereikt)"
                    )
        dropped.append(
            DroppedItem(it.id, it.title, it.value, it.total_hours, vph, tuple(reasons), msg + ".", rc)
        )

    # ---- binding constraints --------------------------------------------------------------------------
    binding: list[BindingConstraint] = []
    for team in p.teams:
        for q in range(ctx.first_open, p.quarters + 1):
            row = model.cap_row.get((team.id, q))
            if row is None:
                continue
            cap = ctx.cap[(team.id, q)]
            planned = ctx.load.get((team.id, q), 0.0)
            free = cap - planned
            need = min_demand.get((team.id, q), math.inf)
            full = free <= max(0.005 * cap, TOL) or free < need - TOL
            if not full or need == math.inf:
                continue
            dual = float(duals[row]) if duals is not None else None
            msg = (
                f"Team {team.name} is in {_nl.quarter(q)} vol: {_nl.hours(planned)} van "
                f"{_nl.hours(cap)} planbaar gepland"
            )
            if free >= 1:
                msg += f"; de resterende {_nl.hours(free)} is te weinig voor een ander kandidaat-onderzoek"
            binding.append(BindingConstraint(GroupKind.CAPACITY.value, (team.id, q), msg + ".", free, dual))
    for kind, _attr, key, share, hours in ctx.shares:
        excess = hours - share * ctx.total
        row = model.share_row.get((kind, key))
        tight = excess <= 0.005 * max(ctx.total, 1.0)
        if not tight and (kind.value, key) not in blocking_share:
            continue
        label = (
            f"doel {p.goal_name(key)}"
            if kind is GroupKind.GOAL_SHARE
            else f"toezichtgebied {p.area_name(key)}"
        )
        actual = hours / ctx.total if ctx.total > 0 else 0.0
        word = "precies" if tight else "net"
        msg = (
            f"Het minimumaandeel voor {label} is {word} gehaald: {_nl.percent(actual)} van de geplande uren "
            f"(minimum {_nl.percent(share)})"
        )
        if (kind.value, key) in blocking_share:
            msg += "; dit houdt andere onderzoeken buiten het plan"
        dual = float(duals[row]) if (duals is not None and row is not None) else None
        binding.append(BindingConstraint(kind.value, (key,), msg + ".", excess, dual))
    for (org, q), row in model.org_quarter_row.items():
        lim = p.rules.org_limit(org).per_quarter
        if lim is not None and ctx.org_q.get((org, q), 0) >= lim and (org, q) in blocking_org_q:
            dual = float(duals[row]) if duals is not None else None
            msg = (
                f"Bij {p.org_name(org)} lopen in {_nl.quarter(q)} al "
                f"{_nl.count(lim, 'onderzoek', 'onderzoeken')}: het maximum is bereikt."
            )
            binding.append(BindingConstraint(GroupKind.ORG_QUARTER.value, (org, q), msg, 0.0, dual))
    for org, row in model.org_year_row.items():
        lim = p.rules.org_limit(org).per_year
        if lim is not None and ctx.org_y.get(org, 0) >= lim and org in blocking_org_y:
            dual = float(duals[row]) if duals is not None else None
            msg = (
                f"Bij {p.org_name(org)} lopen dit jaar al {_nl.count(lim, 'onderzoek', 'onderzoeken')}: "
                "het maximum is bereikt."
            )
            binding.append(BindingConstraint(GroupKind.ORG_YEAR.value, (org,), msg, 0.0, dual))

    # ---- marginal value of an inspector-hour --------------------------------------------------------
    marginals: list[MarginalValue] = []
    if duals is not None:
        for (team_id, q), row in sorted(model.cap_row.items(), key=lambda kv: (kv[0][0], kv[0][1])):
            d = max(0.0, float(duals[row]))
            marginals.append(
                MarginalValue(
                    team_id=team_id,
                    team_name=p.team_name(team_id),
                    quarter=q,
                    method="lp_dual",
                    value_per_hour=d,
                    lower_bound_per_hour=None,
                    upper_bound_per_hour=None,
                    extra_hours=0.0,
                    message=(
                        f"Schaduwprijs team {p.team_name(team_id)} in {_nl.quarter(q)}: {_vph_text(d)} "
                        "waarde per extra uur (LP-relaxatie: alsof onderzoeken deelbaar zijn)."
                    ),
                )
            )
    notes = [
        "Schaduwprijs (LP-relaxatie): hoeveel de bovengrens stijgt per extra inspecteursuur als onderzoeken "
        "deelbaar zouden zijn; een optimistische indicatie per kwartaal.",
    ]
    if marginal_resolve:
        budget = max(0.5, time_limit_s - (time.perf_counter() - t0))
        marginals.extend(
            _resolve_marginals(model, ctx.starts, objective, best_bound, mip_gap, extra_hours, budget, notes)
        )
    return Explanation(tuple(binding), tuple(dropped), tuple(marginals), tuple(notes))


def _resolve_marginals(
    model: Model,
    starts: Mapping[str, int],
    objective: float,
    best_bound: float | None,
    mip_gap: float,
    extra_hours: float | None,
    budget_s: float,
    notes: list[str],
) -> list[MarginalValue]:
    p = model.problem
    teams = [t for t in p.teams if any(k[0] == t.id for k in model.cap_row)]
    if not teams:
        return []
    solver = Solver(model)
    x0 = model.values_from_starts(dict(starts))
    out: list[MarginalValue] = []
    t0 = time.perf_counter()
    skipped: list[str] = []
    for n, team in enumerate(teams):
        left = budget_s - (time.perf_counter() - t0)
        if left <= 0.05:
            skipped.append(team.name)
            continue
        rows = [r for (tid, _q), r in model.cap_row.items() if tid == team.id]
        qs = [q for (tid, q) in model.cap_row if tid == team.id]
        if extra_hours is not None:
            per_q = extra_hours
            what = f"{_nl.hours(per_q)} per kwartaal"
        elif team.hours_per_fte > 0:
            per_q = team.hours_per_fte
            what = f"één fte ({_nl.hours(per_q)} per kwartaal)"
        else:
            per_q = max(1.0, 0.05 * float(np.mean([p.plannable(team, q) for q in qs])))
            what = f"{_nl.hours(per_q)} per kwartaal (5 % van de capaciteit)"
        base_upper = model.row_upper[rows]
        solver.set_rows_bounds(rows, model.row_lower[rows], base_upper + per_q)
        solver.set_start(x0)
        run = solver.run(time_limit=left / (len(teams) - n), mip_gap=mip_gap)
        solver.set_rows_bounds(rows, model.row_lower[rows], base_upper)
        if run.x is None:
            skipped.append(team.name)
            continue
        total_extra = per_q * len(qs)
        new_value = float(np.dot(model.cost, run.x > 0.5))
        gain = max(0.0, new_value - objective)
        vph = gain / total_extra
        lower = max(0.0, new_value - (best_bound if best_bound is not None else math.inf)) / total_extra
        upper = max(vph, (run.bound - objective) / total_extra) if run.bound is not None else None
        msg = (
            f"Met {what} extra in {_nl.quarters(qs)} levert team {team.name} een plan op dat "
            f"{_nl.number(gain, 1)} meer waard is: {_vph_text(vph)} per extra uur"
        )
        if upper is not None:
            msg += f" (bewezen tussen {_vph_text(lower)} en {_vph_text(upper)})"
        out.append(
            MarginalValue(
                team_id=team.id,
                team_name=team.name,
                quarter=None,
                method="herberekening",
                value_per_hour=vph,
                lower_bound_per_hour=lower,
                upper_bound_per_hour=upper,
                extra_hours=total_extra,
                message=msg + ".",
            )
        )
    notes.append(
        "Herberekening: het volledige plan is opnieuw berekend met extra uren voor één team (vertrekkend van "
        "het huidige plan); de winst ten opzichte van het huidige plan gedeeld door de extra uren is de "
        "waarde per uur. Omdat beide berekeningen binnen een kleine marge van het optimum stoppen, staat "
        "erbij tussen welke grenzen de werkelijke waarde bewezen ligt."
    )
    if skipped:
        notes.append(f"Geen herberekening binnen de tijd voor: {_nl.join(skipped)}.")
    return out
