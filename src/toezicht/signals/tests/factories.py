"""Factories for the intake desk tests (the foundation factories live in toezicht.core.factories)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import factory
from factory.django import DjangoModelFactory

from toezicht.core.factories import OrganisationFactory, SignalFactory, UserFactory
from toezicht.signals.models import DuplicateCandidate, SignalEvent

__all__ = [
    "DuplicateCandidateFactory",
    "OrganisationFactory",
    "SignalEventFactory",
    "SignalFactory",
    "UserFactory",
    "failing_on",
]


class SignalEventFactory(DjangoModelFactory[SignalEvent]):
    class Meta:
        model = SignalEvent

    signal = factory.SubFactory(SignalFactory)
    kind = SignalEvent.Kind.NOTE
    note = "Notitie"


class DuplicateCandidateFactory(DjangoModelFactory[DuplicateCandidate]):
    class Meta:
        model = DuplicateCandidate

    signal = factory.SubFactory(SignalFactory)
    other = factory.SubFactory(SignalFactory)
    score = 0.9
    reason = "Zelfde organisatie, zelfde datum, tekst 90 % gelijk"


def failing_on(table: str) -> Callable[..., int]:
    """A stand-in for ``importing.bulk_insert`` that fails ("schijf vol") when it reaches `table`."""
    from toezicht.signals import importing

    original = importing.bulk_insert

    def insert(target: str, *args: Any, **kwargs: Any) -> int:
        if target == table:
            raise RuntimeError("schijf vol")
        return original(target, *args, **kwargs)

    return insert
