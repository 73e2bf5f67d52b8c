"""Background work of the programme, run through core.tasks (inline or Celery)."""

from __future__ import annotations

from toezicht.programme import services


def compute_plan(*, run_id: int) -> None:
    services.plan_run_finish(run_id=run_id)
