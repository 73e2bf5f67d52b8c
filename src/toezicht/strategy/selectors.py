from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Prefetch, QuerySet

from toezicht.strategy.models import Goal, StrategicPeriod, Theme


def periods_with_goals() -> QuerySet[StrategicPeriod]:
    return StrategicPeriod.objects.prefetch_related(
        Prefetch("goals", queryset=Goal.objects.prefetch_related("themes"))
    )


def current_period(today: datetime.date | None = None) -> StrategicPeriod | None:
    year = (today or datetime.date.today()).year
    return (
        StrategicPeriod.objects.filter(start_year__lte=year, end_year__gte=year).first()
        or StrategicPeriod.objects.order_by("-end_year").first()
    )


def themes_with_goals() -> QuerySet[Theme]:
    return Theme.objects.prefetch_related("goals__period")


def theme_choices() -> list[tuple[Any, str]]:
    return list(Theme.objects.values_list("pk", "name"))
