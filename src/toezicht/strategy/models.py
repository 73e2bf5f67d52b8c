"""The strategic frame: multi-year perspectives (meerjarenperspectief) with their goals, and themes."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from toezicht.core.models import TimeStampedModel


class StrategicPeriod(TimeStampedModel):
    name = models.CharField(_("naam"), max_length=200, unique=True)
    start_year = models.PositiveSmallIntegerField(_("beginjaar"))
    end_year = models.PositiveSmallIntegerField(_("eindjaar"))
    description = models.TextField(_("omschrijving"), blank=True)

    class Meta:
        ordering = ["-start_year"]
        verbose_name = _("meerjarenperspectief")
        verbose_name_plural = _("meerjarenperspectieven")
        constraints = [
            models.CheckConstraint(condition=Q(end_year__gte=F("start_year")), name="period_years_ordered")
        ]

    def __str__(self) -> str:
        return self.name

    def covers(self, year: int) -> bool:
        return self.start_year <= year <= self.end_year


class Goal(TimeStampedModel):
    period = models.ForeignKey(
        StrategicPeriod,
        on_delete=models.CASCADE,
        related_name="goals",
        verbose_name=_("meerjarenperspectief"),
    )
    number = models.PositiveSmallIntegerField(_("nummer"))
    title = models.CharField(_("titel"), max_length=200)
    description = models.TextField(_("omschrijving"), blank=True)

    class Meta:
        ordering = ["period", "number"]
        verbose_name = _("doel")
        verbose_name_plural = _("doelen")
        constraints = [models.UniqueConstraint(fields=["period", "number"], name="goal_number_once")]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class Theme(TimeStampedModel):
    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("naam"), max_length=120, unique=True)
    description = models.TextField(_("omschrijving"), blank=True)
    goals = models.ManyToManyField(
        Goal, related_name="themes", verbose_name=_("draagt bij aan doelen"), blank=True
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("thema")
        verbose_name_plural = _("thema's")

    def __str__(self) -> str:
        return self.name
