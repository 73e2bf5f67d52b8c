"""Independent check of a plan (item id -> start quarter) against every rule; messages in Dutch.

Used by the greedy baseline, by the tests, and usable by the Django side to check a manually edited plan.
"""

from __future__ import annotations

from collections.abc import Mapping

from . import _nl
from .plan import team_loads
from .problem import Problem

TOL = 1e-6


def check_plan(problem: Problem, starts: Mapping[str, int]) -> tuple[str, ...]:
    msgs: list[str] = []
    first_open = max(1, problem.first_open_quarter)
    for item_id, s in starts.items():
        if not problem.has_item(item_id):
            msgs.append(f"Onbekend onderzoek ‘{item_id}’ in het plan.")
            continue
        item = problem.item(item_id)
        if s not in problem.starts(item):
            msgs.append(f"Onderzoek {_nl.quoted(item.title)} mag niet in {_nl.quarter(s)} beginnen.")
    starts = {i: s for i, s in starts.items() if problem.has_item(i)}

    for item in problem.items:
        if item.fixed_start is not None and starts.get(item.id) != item.fixed_start:
            msgs.append(
                f"Onderzoek {_nl.quoted(item.title)} is al gestart en moet in "
                f"{_nl.quarter(item.fixed_start)} blijven."
            )
        elif item.mandatory and item.id not in starts:
            msgs.append(f"Verplicht onderzoek {_nl.quoted(item.title)} ontbreekt in het plan.")

    load = team_loads(problem, starts)
    for team in problem.teams:
        for q in range(first_open, problem.quarters + 1):
            cap = problem.plannable(team, q)
            used = load.get((team.id, q), 0.0)
            if used > cap + TOL * max(1.0, cap):
                msgs.append(
                    f"Team {team.name} is in {_nl.quarter(q)} overboekt: {_nl.hours(used)} gepland, "
                    f"{_nl.hours(cap)} planbaar."
                )

    for item_id, s in starts.items():
        item = problem.item(item_id)
        for dep in item.depends_on:
            if not problem.has_item(dep):
                continue
            a = problem.item(dep)
            sa = starts.get(dep)
            if sa is None:
                msgs.append(
                    f"Onderzoek {_nl.quoted(item.title)} hangt af van {_nl.quoted(a.title)}, dat niet is "
                    "gepland."
                )
            elif sa + a.duration - 1 >= s:
                msgs.append(
                    f"Onderzoek {_nl.quoted(item.title)} begint in {_nl.quarter(s)}, maar "
                    f"{_nl.quoted(a.title)} "
                    f"is pas in {_nl.quarter(sa + a.duration - 1)} klaar."
                )

    chosen = [problem.item(i) for i in starts]
    total = sum(it.total_hours for it in chosen)
    for label, attr, mins, namer in (
        ("doel", "goals", problem.rules.min_share_per_goal, problem.goal_name),
        ("toezichtgebied", "areas", problem.rules.min_share_per_area, problem.area_name),
    ):
        for key, share in mins.items():
            hours = sum(it.total_hours for it in chosen if key in getattr(it, attr))
            if hours + TOL * max(1.0, total) < share * total:
                actual = hours / total if total else 0.0
                msgs.append(
                    f"Het aandeel voor {label} {namer(key)} is {_nl.percent(actual)}, minder dan het minimum "
                    f"van {_nl.percent(share)}."
                )

    per_org_q: dict[tuple[str, int], int] = {}
    per_org_y: dict[str, int] = {}
    for it in chosen:
        s = starts[it.id]
        for org in dict.fromkeys(it.organisations):
            per_org_y[org] = per_org_y.get(org, 0) + 1
            for q in range(s, s + it.duration):
                per_org_q[(org, q)] = per_org_q.get((org, q), 0) + 1
    for (org, q), n in sorted(per_org_q.items()):
        lim = problem.rules.org_limit(org).per_quarter
        if lim is not None and q >= first_open and n > lim:
            msgs.append(
                f"Bij {problem.org_name(org)} lopen in {_nl.quarter(q)} {n} onderzoeken; maximaal {lim} "
                "toegestaan."
            )
    for org, n in sorted(per_org_y.items()):
        lim = problem.rules.org_limit(org).per_year
        if lim is not None and n > lim:
            msgs.append(
                f"Bij {problem.org_name(org)} lopen dit jaar {n} onderzoeken; maximaal {lim} toegestaan."
            )
    return tuple(msgs)
