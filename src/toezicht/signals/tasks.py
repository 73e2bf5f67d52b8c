"""Background tasks of the signals app (run inline or by Celery through ``core.tasks.enqueue``)."""

from __future__ import annotations


def run_import_job(*, job_id: int) -> None:
    from toezicht.signals.import_jobs import import_job_run

    import_job_run(job_id)
