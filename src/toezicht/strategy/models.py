"""The strategic frame: multi-year perspectives (meerjarenperspectief) with their goals, and themes."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q

from toezicht.core.models import TimeStampedModel


class StrategicPeriod(TimeStampedModel):
    name = models.CharField("naam", max_length=200, unique=True)
    start_year = models.PositiveSmallIntegerField("beginjaar")
    end_year = models.PositiveSmallIntegerField("eindjaar")
    description = models.TextField("omschrijving", blank=True)

    class Meta:
        ordering = ["-start_year"]
        verbose_name = "meerjarenperspectief"
        verbose_name_plural = "meerjarenperspectieven"
        constraints = [
            models.CheckConstraint(condition=Q(end_year__gte=F("start_year")), name="period_years_ordered")
        ]

    def __str__(self) -> str:
        return self.name

    def covers(self, year: int) -> bool:
        return self.start_year <= year <= self.end_year


class Goal(TimeStampedModel):
    period = models.ForeignKey(
        StrategicPeriod, on_delete=models.CASCADE, related_name="goals", verbose_name="meerjarenperspectief"
    )
    number = models.PositiveSmallIntegerField("nummer")
    title = models.CharField("titel", max_length=200)
    description = models.TextField("omschrijving", blank=True)

    class Meta:
        ordering = ["period", "number"]
        verbose_name = "doel"
        verbose_name_plural = "doelen"
        constraints = [models.UniqueConstraint(fields=["period", "number"], name="goal_number_once")]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class Theme(TimeStampedModel):
    code = models.SlugField("code", max_length=60, unique=True)
    name = models.CharField("naam", max_length=120, unique=True)
    description = models.TextField("omschrijving", blank=True)
    goals = models.ManyToManyField(
        Goal, related_name="themes", verbose_name="draagt bij aan doelen", blank=True
    )

    class Meta:
        ordering = ["name"]
        verbose_name = "thema"
        verbose_name_plural = "thema's"

    def __str__(self) -> str:
        return self.name
