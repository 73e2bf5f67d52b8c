"""The retention policy for stored risk snapshots (pure)."""

from __future__ import annotations

import datetime
import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from toezicht.risk.engine.retention import StoredSnapshot, snapshots_to_prune

NOW = datetime.datetime(2026, 12, 4, 14, 0)


def at(days_ago: float) -> datetime.datetime:
    return NOW - datetime.timedelta(days=days_ago)


def test_recent_snapshots_stay_and_older_ones_stay_only_as_the_last_of_their_month() -> None:
    snapshots = [
        StoredSnapshot(1, datetime.datetime(2026, 6, 3, 2, 15), True),
        StoredSnapshot(2, datetime.datetime(2026, 6, 29, 2, 15), True),  # last of June
        StoredSnapshot(3, datetime.datetime(2026, 6, 30, 2, 15), False),  # failed, later in June
        StoredSnapshot(4, datetime.datetime(2026, 7, 1, 0, 5), True),  # the only one of July
        StoredSnapshot(5, at(30), True),
        StoredSnapshot(6, at(10), False),  # failed, but recent: kept for the administrator to see
        StoredSnapshot(7, at(1), True),
    ]
    assert snapshots_to_prune(snapshots, now=NOW, keep_days=90) == [1, 3]


def test_the_current_picture_is_kept_however_old() -> None:
    snapshots = [
        StoredSnapshot(1, datetime.datetime(2025, 3, 1), True),
        StoredSnapshot(2, datetime.datetime(2025, 3, 2), True),
        StoredSnapshot(3, datetime.datetime(2025, 3, 3), False),
    ]
    assert snapshots_to_prune(snapshots, now=NOW, keep_days=30) == [1, 3]


def test_a_snapshot_still_being_built_is_never_touched_within_the_window() -> None:
    snapshots = [StoredSnapshot(1, at(0.01), False), StoredSnapshot(2, at(400), False)]
    assert snapshots_to_prune(snapshots, now=NOW, keep_days=1) == [2]


def test_two_snapshots_at_the_same_moment_keep_the_later_id() -> None:
    moment = datetime.datetime(2026, 1, 31, 23, 59)
    snapshots = [StoredSnapshot(8, moment, True), StoredSnapshot(9, moment, True)]
    assert snapshots_to_prune(snapshots, now=NOW, keep_days=90) == [8]


def test_keep_days_must_be_positive() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        snapshots_to_prune([], now=NOW, keep_days=0)


@given(
    st.lists(
        st.tuples(st.floats(min_value=0, max_value=800, allow_nan=False), st.booleans()),
        max_size=40,
    ),
    st.integers(min_value=1, max_value=200),
)
def test_every_month_that_had_a_complete_snapshot_still_has_one(
    raw: list[tuple[float, bool]], keep: int
) -> None:
    snapshots = [StoredSnapshot(i, at(days), complete) for i, (days, complete) in enumerate(raw)]
    doomed = set(snapshots_to_prune(snapshots, now=NOW, keep_days=keep))
    left = [s for s in snapshots if s.id not in doomed]

    def month(s: StoredSnapshot) -> tuple[int, int]:
        return (s.computed_at.year, s.computed_at.month)

    complete = sorted((s for s in snapshots if s.complete), key=month)
    for key, group in itertools.groupby(complete, key=month):
        newest = max(group, key=lambda s: (s.computed_at, s.id))
        assert newest in left, key
    assert all(s in left for s in snapshots if s.computed_at >= at(keep))
    assert all(s.complete for s in left if s.computed_at < at(keep))
    assert all(
        not s.complete
        or s
        == max(
            (t for t in snapshots if t.complete and month(t) == month(s)), key=lambda t: (t.computed_at, t.id)
        )
        for s in left
        if s.computed_at < at(keep)
    )
