"""Celery application, used only when TOEZICHT_TASK_BACKEND=celery."""

from __future__ import annotations

import os
from typing import Any

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "toezicht.conf.settings")

app = Celery("toezicht")
app.config_from_object("django.conf:settings", namespace="CELERY")


@app.task(name="toezicht.run_task")
def run_task(path: str, kwargs: dict[str, Any]) -> Any:
    from toezicht.core.tasks import resolve

    return resolve(path)(**kwargs)
