from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction

from toezicht.core import events


@pytest.mark.django_db(transaction=True)
def test_subscribers_hear_an_event_only_after_commit() -> None:
    heard: list[dict[str, Any]] = []
    events.subscribe("test.happened", lambda **payload: heard.append(payload))
    with transaction.atomic():
        events.publish_on_commit("test.happened", thing_id=7)
        assert heard == []
    assert heard == [{"thing_id": 7}]


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_transaction_publishes_nothing() -> None:
    heard: list[dict[str, Any]] = []
    events.subscribe("test.rolled_back", lambda **payload: heard.append(payload))

    def publish_then_fail() -> None:
        with transaction.atomic():
            events.publish_on_commit("test.rolled_back", thing_id=8)
            raise RuntimeError("stop")

    with pytest.raises(RuntimeError):
        publish_then_fail()
    assert heard == []
