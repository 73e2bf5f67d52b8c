"""Which stored risk snapshots may go (pure: no Django).

A full recompute stores about 21 rows per organisation (some 105,000 for 5,000 organisations), so a nightly
recompute adds tens of millions of rows a year. What people look back at is recent history (the trend on an
organisation page, "what changed" between two recent snapshots) and the picture at the end of each month
(the annual report and its comparisons). The policy keeps exactly that.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class StoredSnapshot:
    id: int
    computed_at: datetime.datetime  # local time: the month boundaries are the inspectorate's
    complete: bool


def snapshots_to_prune(
    snapshots: Iterable[StoredSnapshot], *, now: datetime.datetime, keep_days: int
) -> list[int]:
    """Ids of the snapshots to delete, ascending. Kept are:

    * every snapshot computed within the last `keep_days` days, whatever its status (one still being
      built is never touched);
    * the newest complete snapshot, however old (the current risk picture);
    * the newest complete snapshot of every calendar month (the month's closing picture).

    Older failed or unfinished snapshots (a computation that crashed) have nothing worth keeping."""
    if keep_days < 1:
        raise ValueError("keep_days must be at least 1")
    cutoff = now - datetime.timedelta(days=keep_days)
    every = list(snapshots)
    newest_of_month: dict[tuple[int, int], StoredSnapshot] = {}
    for snapshot in every:
        if not snapshot.complete:
            continue
        month = (snapshot.computed_at.year, snapshot.computed_at.month)
        known = newest_of_month.get(month)
        if known is None or (snapshot.computed_at, snapshot.id) > (known.computed_at, known.id):
            newest_of_month[month] = snapshot
    keep = {snapshot.id for snapshot in newest_of_month.values()}  # includes the newest complete one
    return sorted(s.id for s in every if s.computed_at < cutoff and s.id not in keep)
