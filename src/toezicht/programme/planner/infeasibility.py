"""Why no plan exists: a small set of constraint groups that cannot hold together, explained in Dutch.

Method: deletion filter over constraint *groups* (one capacity row of a team quarter, one mandatory item,
one started item, one dependency, one minimum share, one organisation cap). Starting from the full,
infeasible model, groups are switched off (rows relaxed) one chunk at a time; a chunk stays off when the
rest is still infeasible (checked with a feasibility MIP). What remains is irreducible: switching off any
single remaining group makes a plan possible. Structural facts (allowed quarters, durations, the horizon)
are not groups; they are mentioned in the sentences where they matter.
"""

from __future__ import annotations

import math
import time

import numpy as np

from . import _nl
from .model import GROUP_PRIORITY, Group, GroupKind, Model, Solver
from .plan import ConflictPart, Infeasibility
from .problem import BASIS_LABELS, Item, Problem


def find_conflict(model: Model, *, time_limit_s: float = 30.0) -> tuple[list[Group], bool]:
    """Deletion filter; returns (groups in the conflict, minimal?)."""
    groups = sorted(model.groups, key=lambda g: (GROUP_PRIORITY[g.kind], [str(k) for k in g.key]))
    solver = Solver(model)
    solver.set_objective(np.zeros(model.num_cols), maximise=True)
    deadline = time.perf_counter() + time_limit_s
    minimal = True

    def set_enabled(gs: list[Group], enabled: bool) -> None:
        rows = [r for g in gs for r in g.rows]
        if not rows:
            return
        idx = np.asarray(rows, dtype=np.int64)
        if enabled:
            solver.set_rows_bounds(rows, model.row_lower[idx], model.row_upper[idx])
        else:
            solver.set_rows_bounds(rows, model.relaxed_lower[idx], model.relaxed_upper[idx])

    def infeasible() -> bool | None:
        left = deadline - time.perf_counter()
        if left <= 0.01:
            return None
        run = solver.run(time_limit=left, mip_gap=0.0)
        if run.status == "infeasible":
            return True
        if run.x is not None:
            return False
        return None

    active = list(groups)
    i = 0
    chunk = max(1, len(active) // 4)
    while i < len(active):
        if time.perf_counter() >= deadline:
            minimal = False
            break
        cand = active[i : i + chunk]
        set_enabled(cand, False)
        verdict = infeasible()
        if verdict is True:
            del active[i : i + chunk]
            chunk = min(chunk * 2, max(1, len(active) - i))
            continue
        set_enabled(cand, True)
        if verdict is None:
            minimal = False
            if chunk == 1:
                i += 1
            chunk = 1
            continue
        if chunk > 1:
            chunk = max(1, chunk // 2)
        else:
            i += 1
            chunk = 2
    return active, minimal


def analyse_infeasibility(model: Model, *, time_limit_s: float = 30.0) -> Infeasibility:
    groups, minimal = find_conflict(model, time_limit_s=time_limit_s)
    return describe_conflict(model.problem, groups, minimal)


# ---- Dutch description ---------------------------------------------------------------------------------


def _item_list(p: Problem, ids: list[str]) -> str:
    return _nl.join([_nl.quoted(p.item(i).title) for i in ids])


def _share_label(p: Problem, kind: GroupKind, key: str) -> tuple[str, float]:
    if kind is GroupKind.GOAL_SHARE:
        return f"doel {p.goal_name(key)}", float(p.rules.min_share_per_goal[key])
    return f"toezichtgebied {p.area_name(key)}", float(p.rules.min_share_per_area[key])


def _reserve_text(p: Problem, team_id: str) -> str:
    r = p.reserve(p.team(team_id))
    return f" (na aftrek van {_nl.percent(r)} reserve voor incidentonderzoeken)" if r > 0 else ""


def group_label(p: Problem, g: Group) -> ConflictPart:
    kind = g.kind
    if kind is GroupKind.CAPACITY:
        team_id, q = str(g.key[0]), int(g.key[1])
        cap = p.plannable(p.team(team_id), q)
        label = f"capaciteit team {p.team_name(team_id)} in {_nl.quarter(q)}: {_nl.hours(cap)} planbaar"
        return ConflictPart(kind.value, g.key, label, (), (team_id,))
    if kind is GroupKind.MANDATORY:
        it = p.item(str(g.key[0]))
        basis = BASIS_LABELS[it.basis] if it.basis is not None else "verplicht"
        return ConflictPart(kind.value, g.key, f"{_nl.quoted(it.title)} is verplicht ({basis})", (it.id,), ())
    if kind is GroupKind.FIXED:
        it = p.item(str(g.key[0]))
        s = it.fixed_start or 0
        return ConflictPart(
            kind.value,
            g.key,
            f"{_nl.quoted(it.title)} is al gestart en ligt vast in {_nl.quarter(s)}",
            (it.id,),
            (),
        )
    if kind is GroupKind.DEPENDENCY:
        a, b = p.item(str(g.key[0])), p.item(str(g.key[1]))
        label = f"{_nl.quoted(b.title)} kan pas beginnen als {_nl.quoted(a.title)} klaar is"
        return ConflictPart(kind.value, g.key, label, (a.id, b.id), ())
    if kind in (GroupKind.GOAL_SHARE, GroupKind.AREA_SHARE):
        what, share = _share_label(p, kind, str(g.key[0]))
        return ConflictPart(
            kind.value, g.key, f"minimaal {_nl.percent(share)} van de geplande uren voor {what}"
        )
    if kind is GroupKind.ORG_QUARTER:
        org, q = str(g.key[0]), int(g.key[1])
        lim = p.rules.org_limit(org).per_quarter
        n = _nl.count(lim or 0, "onderzoek", "onderzoeken")
        label = f"maximaal {n} tegelijk bij {p.org_name(org)} in {_nl.quarter(q)}"
        return ConflictPart(kind.value, g.key, label)
    org = str(g.key[0])
    lim = p.rules.org_limit(org).per_year
    label = f"maximaal {_nl.count(lim or 0, 'onderzoek', 'onderzoeken')} per jaar bij {p.org_name(org)}"
    return ConflictPart(kind.value, g.key, label)


def _forced_word(items: list[Item]) -> tuple[str, str]:
    """('De verplichte onderzoeken', 'vragen') style subject for a list of forced items."""
    fixed = all(it.fixed_start is not None for it in items)
    mandatory = all(it.fixed_start is None for it in items)
    adj = "al gestarte" if fixed else ("verplichte" if mandatory else "verplichte en al gestarte")
    if len(items) == 1:
        return f"Het {adj} onderzoek", "vraagt"
    return f"De {adj} onderzoeken", "vragen samen"


def _min_hours_in(p: Problem, item: Item, team_id: str, qs: set[int]) -> float:
    """Least hours of ``team_id`` that ``item`` must spend inside ``qs``, over its possible starts."""
    per_q = item.hours.get(team_id, 0.0) / item.duration
    best = math.inf
    for s in p.starts(item):
        best = min(best, per_q * sum(1 for q in range(s, s + item.duration) if q in qs))
    return 0.0 if best == math.inf else best


def describe_conflict(p: Problem, groups: list[Group], minimal: bool) -> Infeasibility:
    parts = [group_label(p, g) for g in groups]
    forced = [p.item(str(g.key[0])) for g in groups if g.kind in (GroupKind.MANDATORY, GroupKind.FIXED)]
    sentences: list[str] = []

    # forced items that cannot be placed at all
    for it in forced:
        if not p.starts(it):
            allowed = (
                _nl.quarters(it.allowed_quarters)
                if it.allowed_quarters is not None
                else _nl.quarters(range(1, p.quarters + 1))
            )
            extra = f"; open vanaf {_nl.quarter(p.first_open_quarter)}" if p.first_open_quarter > 1 else ""
            sentences.append(
                f"Verplicht onderzoek {_nl.quoted(it.title)} (duur {it.duration} "
                f"{'kwartaal' if it.duration == 1 else 'kwartalen'}) past in geen enkel toegestaan kwartaal "
                f"(toegestaan: {allowed}{extra})."
            )

    # capacity overload by forced items
    cap_quarters: dict[str, set[int]] = {}
    for g in groups:
        if g.kind is GroupKind.CAPACITY:
            cap_quarters.setdefault(str(g.key[0]), set()).add(int(g.key[1]))
    for team_id, qs in cap_quarters.items():
        users = [it for it in forced if it.hours.get(team_id, 0.0) > 0]
        cap = sum(p.plannable(p.team(team_id), q) for q in qs)
        team = p.team_name(team_id)
        if not users:
            sentences.append(
                f"Team {team} heeft in {_nl.quarters(qs)} {_nl.hours(cap)} "
                f"beschikbaar{_reserve_text(p, team_id)}."
            )
            continue
        need = sum(_min_hours_in(p, it, team_id, qs) for it in users)
        subject, verb = _forced_word(users)
        names = _item_list(p, [it.id for it in users])
        if need > cap + 1e-6:
            sentences.append(
                f"{subject} {names} {verb} {_nl.hours(need)} van team {team} in {_nl.quarters(qs)}, "
                f"er is {_nl.hours(cap)} beschikbaar{_reserve_text(p, team_id)}."
            )
        else:
            sentences.append(
                f"{subject} {names} {verb} {_nl.hours(need)} van team {team} in {_nl.quarters(qs)}, waar "
                f"{_nl.hours(cap)} beschikbaar is{_reserve_text(p, team_id)}; samen met de andere eisen "
                "past dat niet."
            )

    # dependencies whose timing cannot work
    for g in groups:
        if g.kind is not GroupKind.DEPENDENCY:
            continue
        a, b = p.item(str(g.key[0])), p.item(str(g.key[1]))
        a_starts, b_starts = p.starts(a), p.starts(b)
        if not a_starts:
            sentences.append(
                f"{_nl.quoted(b.title)} hangt af van {_nl.quoted(a.title)}, maar {_nl.quoted(a.title)} kan "
                "in geen "
                "enkel toegestaan kwartaal worden gepland."
            )
            continue
        earliest_end = min(s + a.duration - 1 for s in a_starts)
        latest_start = max(b_starts) if b_starts else 0
        if b_starts and earliest_end >= latest_start:
            sentences.append(
                f"{_nl.quoted(b.title)} hangt af van {_nl.quoted(a.title)} en mag pas beginnen als dat "
                "klaar is, maar "
                f"{_nl.quoted(a.title)} is op zijn vroegst eind {_nl.quarter(earliest_end)} klaar en "
                f"{_nl.quoted(b.title)} moet uiterlijk in {_nl.quarter(latest_start)} beginnen."
            )
        else:
            sentences.append(f"{_nl.quoted(b.title)} kan pas beginnen als {_nl.quoted(a.title)} klaar is.")

    # minimum shares
    share_groups = [g for g in groups if g.kind in (GroupKind.GOAL_SHARE, GroupKind.AREA_SHARE)]
    for kind in (GroupKind.GOAL_SHARE, GroupKind.AREA_SHARE):
        same = [g for g in share_groups if g.kind is kind]
        if len(same) >= 2:
            attr = "goals" if kind is GroupKind.GOAL_SHARE else "areas"
            keys = [str(g.key[0]) for g in same]
            labels = [_share_label(p, kind, k) for k in keys]
            total = sum(s for _, s in labels)
            overlap = any(sum(1 for k in keys if k in getattr(it, attr)) > 1 for it in p.items)
            if total > 1.0 + 1e-9 and not overlap:
                sentences.append(
                    "De minimumaandelen voor "
                    + _nl.join([f"{w} ({_nl.percent(s)})" for w, s in labels])
                    + f" tellen samen op tot {_nl.percent(total)} van de geplande uren, en geen onderzoek "
                    "telt "
                    "voor meer dan één ervan mee."
                )
                continue
        for g in same:
            key = str(g.key[0])
            what, share = _share_label(p, kind, key)
            attr = "goals" if kind is GroupKind.GOAL_SHARE else "areas"
            outside = [it for it in forced if key not in getattr(it, attr)]
            if not outside:
                sentences.append(f"Het minimumaandeel voor {what} ({_nl.percent(share)}) is niet te halen.")
                continue
            out_hours = sum(it.total_hours for it in outside)
            possible = sum(it.total_hours for it in p.items if key in getattr(it, attr) and p.starts(it))
            subject, verb = _forced_word(outside)
            if share >= 1.0:
                need_text = f"mogen alleen uren voor {what} worden gepland"
                tail = "."
            else:
                need = out_hours * share / (1.0 - share)
                need_text = f"moet er minstens {_nl.hours(need)} voor {what} worden gepland"
                tail = (
                    f", terwijl alle kandidaat-onderzoeken voor {what} samen {_nl.hours(possible)} omvatten."
                    if possible < need - 1e-6
                    else "; dat past niet naast de overige eisen."
                )
            sentences.append(
                f"Minimaal {_nl.percent(share)} van de geplande uren moet naar {what}. {subject} "
                f"{_item_list(p, [it.id for it in outside])} {verb} {_nl.hours(out_hours)} buiten {what}, "
                f"dus {need_text}{tail}"
            )

    # organisation caps with forced items
    for g in groups:
        if g.kind not in (GroupKind.ORG_QUARTER, GroupKind.ORG_YEAR):
            continue
        org = str(g.key[0])
        users = [it for it in forced if org in it.organisations]
        if users:
            subject, _ = _forced_word(users)
            lim_q = p.rules.org_limit(org)
            when = f"in {_nl.quarter(int(g.key[1]))}" if g.kind is GroupKind.ORG_QUARTER else "dit jaar"
            lim = lim_q.per_quarter if g.kind is GroupKind.ORG_QUARTER else lim_q.per_year
            sentences.append(
                f"{subject} {_item_list(p, [it.id for it in users])} betreffen allemaal {p.org_name(org)}, "
                "waar "
                f"{when} maximaal {_nl.count(lim or 0, 'onderzoek', 'onderzoeken')} "
                f"{'mag' if lim == 1 else 'mogen'} lopen."
            )

    summary = "Er bestaat geen werkprogramma dat aan alle eisen voldoet. " + " ".join(
        dict.fromkeys(sentences)
    )
    if parts:
        summary += (
            (" " if sentences else "")
            + "Deze eisen kunnen niet tegelijk gelden: "
            + "; ".join(p_.label for p_ in parts)
            + "."
        )
    if not minimal:
        summary += (
            " (De analyse is afgebroken op de tijdslimiet; mogelijk zijn niet alle genoemde eisen nodig.)"
        )
    return Infeasibility(summary=summary.strip(), parts=tuple(parts), minimal=minimal)
