"""The sector view of a norm: per period, the share of measured organisations that breach it; and
whether the norm is structurally infeasible. Pure numpy, no Django.

A norm is *structurally infeasible* when at least ``share`` of the measured organisations breach it in
at least ``periods`` consecutive periods (consecutive in the calendar: a period without measurements
breaks the run). That is a message for the principal and the owner of the organisations, not a failing
of one organisation.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt


@dataclass(frozen=True)
class SectorPoint:
    period: int  # month index: year * 12 + month - 1
    measured: int
    breached: int

    @property
    def share(self) -> float:
        return self.breached / self.measured if self.measured else 0.0


@dataclass(frozen=True)
class SectorView:
    points: list[SectorPoint]
    share_threshold: float
    periods_threshold: int
    structural: bool
    longest_run: int  # most consecutive periods at or above the share
    run_start: int | None = None  # month index of the first period of the longest run
    run_end: int | None = None
    flagged_periods: list[int] = field(default_factory=list)  # periods at or above the share

    @property
    def latest(self) -> SectorPoint | None:
        return self.points[-1] if self.points else None


def sector_view(
    period_index: Sequence[int] | npt.NDArray[np.int64],
    breached: Sequence[bool] | npt.NDArray[np.bool_],
    *,
    share: float,
    periods: int,
    step: int = 1,
) -> SectorView:
    """One element per observation (an organisation in a period): its period (month index) and whether it
    breaches the norm. ``step`` is the distance between consecutive periods in months (1, 3 or 12)."""
    if periods < 1:
        raise ValueError("periods must be at least 1")
    index = np.asarray(period_index, dtype=np.int64)
    hits = np.asarray(breached, dtype=bool)
    if index.shape != hits.shape:
        raise ValueError("period_index and breached must have the same length")
    if index.size == 0:
        return SectorView([], share, periods, False, 0)
    unique, inverse = np.unique(index, return_inverse=True)
    measured = np.bincount(inverse, minlength=unique.size)
    broken = np.bincount(inverse, weights=hits.astype(np.float64), minlength=unique.size).astype(np.int64)
    points = [SectorPoint(int(p), int(m), int(b)) for p, m, b in zip(unique, measured, broken, strict=True)]
    # Exact comparison on counts: breached / measured >= share, without float trouble at the boundary.
    at_or_above = broken >= share * measured - 1e-9
    longest = 0
    best: tuple[int, int] | None = None
    run = 0
    run_first = 0
    previous: int | None = None
    for position, (period, flag) in enumerate(zip(unique.tolist(), at_or_above.tolist(), strict=True)):
        consecutive = previous is not None and period - previous == step
        if flag:
            if run and consecutive:
                run += 1
            else:
                run, run_first = 1, position
            if run > longest:
                longest, best = run, (int(unique[run_first]), int(period))
        else:
            run = 0
        previous = period
    flagged = [int(p) for p, f in zip(unique.tolist(), at_or_above.tolist(), strict=True) if f]
    return SectorView(
        points=points,
        share_threshold=share,
        periods_threshold=periods,
        structural=longest >= periods,
        longest_run=longest,
        run_start=best[0] if best else None,
        run_end=best[1] if best else None,
        flagged_periods=flagged,
    )
