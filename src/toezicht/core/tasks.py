"""One interface for background work.

``enqueue("app.module.function", **kwargs)`` runs the function in this process when TASK_BACKEND is
"inline" (the default, no broker needed) and sends it to Celery when it is "celery". Task functions take
only JSON-serialisable keyword arguments so both paths behave the same.
"""

from __future__ import annotations

import importlib
import logging
from typing import Any

from django.conf import settings

logger = logging.getLogger(__name__)


def resolve(path: str) -> Any:
    module_name, _, attribute = path.rpartition(".")
    return getattr(importlib.import_module(module_name), attribute)


def enqueue(path: str, **kwargs: Any) -> Any:
    if settings.TASK_BACKEND == "celery":
        from toezicht.conf.celery import run_task

        return run_task.delay(path, kwargs)
    logger.info("Running task %s inline", path)
    return resolve(path)(**kwargs)


def enqueue_after_commit(path: str, **kwargs: Any) -> None:
    """Like ``enqueue``, for work on rows the caller has just written: a Celery worker must not start
    before those rows are committed, so the message is sent on commit. Inline, the work runs right away in
    the caller's own transaction, which already sees the rows."""
    if settings.TASK_BACKEND == "celery":
        from django.db import transaction

        transaction.on_commit(lambda: enqueue(path, **kwargs))
        return
    enqueue(path, **kwargs)
