"""Domain events between apps, without apps importing each other.

A service publishes an event after its transaction commits (``publish_on_commit``); an app that cares
subscribes in its ``AppConfig.ready``. Subscribers should be quick and hand heavy work to
``toezicht.core.tasks.enqueue``. Events carry only JSON-serialisable keyword arguments.

Known events: ``signal.created`` (signal_id), ``signal.changed`` (signal_id),
``signals.imported`` (batch_id), ``observations.imported`` (observation_ids), ``norm.breached``
(breach_id).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from django.db import transaction

logger = logging.getLogger(__name__)

Subscriber = Callable[..., None]
_SUBSCRIBERS: dict[str, list[Subscriber]] = defaultdict(list)


def subscribe(event: str, subscriber: Subscriber) -> None:
    if subscriber not in _SUBSCRIBERS[event]:
        _SUBSCRIBERS[event].append(subscriber)


def publish(event: str, **payload: Any) -> None:
    for subscriber in list(_SUBSCRIBERS.get(event, ())):
        subscriber(**payload)


def publish_on_commit(event: str, **payload: Any) -> None:
    """Publish once the surrounding transaction has committed (at once outside a transaction)."""
    transaction.on_commit(lambda: publish(event, **payload))
