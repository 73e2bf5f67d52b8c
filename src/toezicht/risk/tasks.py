"""Background tasks of the risk app (run inline or by Celery through ``core.tasks.enqueue``)."""

from __future__ import annotations

from typing import Any


def recompute(*, trigger: str = "gepland") -> int:
    """Full recompute; returns the new snapshot's id. A scheduled one then prunes old snapshots."""
    from toezicht.risk import services
    from toezicht.risk.models import SnapshotTrigger

    snapshot = services.recompute_full(trigger=trigger)
    if trigger == SnapshotTrigger.SCHEDULED:
        services.prune_snapshots()
    return snapshot.pk


def signals_added(*, signal_ids: list[int]) -> None:
    from toezicht.risk import services

    services.apply_incremental(signal_ids=signal_ids)


def observations_added(*, observation_ids: list[int]) -> None:
    from toezicht.risk import services

    services.apply_incremental(observation_ids=observation_ids)


def signals_imported(*, batch_id: int | None = None, signal_ids: list[int] | None = None, **_: Any) -> None:
    """After an import: the batch's signals (or the listed ones) are added to the risk picture."""
    from toezicht.risk import services

    services.apply_import(batch_id=batch_id, signal_ids=list(signal_ids or []))
