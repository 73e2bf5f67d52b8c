"""Factories of the indicators app, for tests only."""

from __future__ import annotations

import datetime

import factory
from factory.django import DjangoModelFactory

from toezicht.core.factories import OrganisationFactory
from toezicht.indicators.models import Comparison, Direction, Frequency, Indicator, Norm, Observation


class IndicatorFactory(DjangoModelFactory[Indicator]):
    class Meta:
        model = Indicator
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"indicator-{n}")
    name = factory.Sequence(lambda n: f"Indicator {n}")
    unit = "%"
    direction = Direction.HIGHER_IS_WORSE
    frequency = Frequency.MONTH


class NormFactory(DjangoModelFactory[Norm]):
    class Meta:
        model = Norm

    code = factory.Sequence(lambda n: f"norm-{n}")
    name = factory.Sequence(lambda n: f"Norm {n}")
    legal_basis = "Penitentiaire beginselenwet, art. 16"
    indicator = factory.SubFactory(IndicatorFactory)
    comparison = Comparison.AT_MOST
    threshold = 100.0


class ObservationFactory(DjangoModelFactory[Observation]):
    class Meta:
        model = Observation

    indicator = factory.SubFactory(IndicatorFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    period_start = datetime.date(2025, 1, 1)
    value = 50.0
