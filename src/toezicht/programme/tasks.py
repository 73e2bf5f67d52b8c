"""Background work of the programme, run through core.tasks (inline or Celery)."""

from __future__ import annotations

from toezicht.programme import services


def compute_plan(*, run_id: int) -> None:
    services.plan_run_finish(run_id=run_id)


def compare_scenarios(*, comparison_id: int) -> None:
    services.scenarios_compare_finish(comparison_id=comparison_id)
