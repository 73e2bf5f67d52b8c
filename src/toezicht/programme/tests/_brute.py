"""Brute-force reference for tiny planner problems (test helper, no Django)."""

from __future__ import annotations

import itertools

from toezicht.programme.planner import Problem, check_plan


def brute_force(problem: Problem) -> tuple[float | None, dict[str, int] | None]:
    """Best total value over every assignment of (not planned | a possible start) per item."""
    options = [[None, *problem.starts(it)] for it in problem.items]
    best: float | None = None
    best_starts: dict[str, int] | None = None
    for combo in itertools.product(*options):
        starts = {it.id: s for it, s in zip(problem.items, combo, strict=True) if s is not None}
        if check_plan(problem, starts):
            continue
        value = sum(problem.item(i).value for i in starts)
        if best is None or value > best + 1e-9:
            best, best_starts = value, starts
    return best, best_starts
