"""Indicators (time series per organisation), their observations, and norms with a threshold."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from toezicht.core.models import ImportBatchBase, TimeStampedModel


class Direction(models.TextChoices):
    HIGHER_IS_WORSE = "hoger_slechter", _("hoger is slechter")
    LOWER_IS_WORSE = "lager_slechter", _("lager is slechter")


class Frequency(models.TextChoices):
    MONTH = "maand", _("per maand")
    QUARTER = "kwartaal", _("per kwartaal")
    YEAR = "jaar", _("per jaar")


class Indicator(TimeStampedModel):
    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("naam"), max_length=200, unique=True)
    description = models.TextField(_("omschrijving"), blank=True)
    unit = models.CharField(_("eenheid"), max_length=40, help_text=_("Bijvoorbeeld %, dagen, personen."))
    direction = models.CharField(_("richting"), max_length=20, choices=Direction.choices)
    frequency = models.CharField(
        _("frequentie"), max_length=20, choices=Frequency.choices, default=Frequency.MONTH
    )
    source = models.CharField(_("bron"), max_length=200, blank=True)
    theme = models.ForeignKey(
        "strategy.Theme",
        on_delete=models.PROTECT,
        related_name="indicators",
        verbose_name=_("thema"),
        null=True,
        blank=True,
        help_text=_("Het thema waarvoor het risicomodel deze indicator gebruikt."),
    )
    areas = models.ManyToManyField(
        "register.SupervisionArea", related_name="indicators", verbose_name=_("toezichtgebieden"), blank=True
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicatoren")

    def __str__(self) -> str:
        return self.name


class Observation(models.Model):
    """One value of an indicator for one organisation in one period (the period's first day)."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, related_name="observations", verbose_name=_("indicator")
    )
    organisation = models.ForeignKey(
        "register.Organisation",
        on_delete=models.PROTECT,
        related_name="observations",
        verbose_name=_("organisatie"),
    )
    period_start = models.DateField(_("periode"))
    value = models.FloatField(_("waarde"))
    recorded_at = models.DateTimeField(_("vastgelegd op"), auto_now_add=True)
    import_batch = models.ForeignKey(
        "indicators.ObservationImportBatch",
        on_delete=models.SET_NULL,
        related_name="observations",
        null=True,
        blank=True,
    )

    class Meta:
        ordering = ["indicator", "organisation", "period_start"]
        verbose_name = _("meting")
        verbose_name_plural = _("metingen")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "organisation", "period_start"], name="observation_unique_period"
            )
        ]
        indexes = [models.Index(fields=["organisation", "indicator", "period_start"], name="observation_org")]

    def __str__(self) -> str:
        return f"{self.indicator_id}/{self.organisation_id}/{self.period_start}: {self.value}"


class Comparison(models.TextChoices):
    AT_MOST = "max", _("ten hoogste")
    AT_LEAST = "min", _("ten minste")


class Norm(TimeStampedModel):
    """A requirement with a legal basis; with an indicator and threshold, breaches are detected."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("naam"), max_length=200)
    description = models.TextField(_("omschrijving"), blank=True)
    legal_basis = models.CharField(_("wettelijke grondslag"), max_length=250)
    indicator = models.ForeignKey(
        Indicator,
        on_delete=models.PROTECT,
        related_name="norms",
        verbose_name=_("indicator"),
        null=True,
        blank=True,
    )
    comparison = models.CharField(
        _("vergelijking"), max_length=5, choices=Comparison.choices, default=Comparison.AT_MOST
    )
    threshold = models.FloatField(_("drempelwaarde"), null=True, blank=True)
    # A norm is structurally infeasible when at least this share of organisations breaches it ...
    structural_share = models.FloatField(_("aandeel voor structureel onhaalbaar"), default=0.5)
    # ... for at least this many consecutive periods.
    structural_periods = models.PositiveSmallIntegerField(_("opeenvolgende perioden"), default=3)
    active = models.BooleanField(_("actief"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("norm")
        verbose_name_plural = _("normen")

    def __str__(self) -> str:
        return self.name

    @property
    def structural_share_percent(self) -> int:
        """The structural share as a whole percentage, for display (0.5 -> 50)."""
        return round(100 * self.structural_share)


class NormBreach(models.Model):
    """An observation that does not meet a norm, with the signal it produced."""

    norm = models.ForeignKey(Norm, on_delete=models.CASCADE, related_name="breaches", verbose_name=_("norm"))
    observation = models.ForeignKey(
        Observation, on_delete=models.CASCADE, related_name="breaches", verbose_name=_("meting")
    )
    organisation = models.ForeignKey(
        "register.Organisation",
        on_delete=models.PROTECT,
        related_name="norm_breaches",
        verbose_name=_("organisatie"),
    )
    period_start = models.DateField(_("periode"))
    value = models.FloatField(_("waarde"))
    signal = models.ForeignKey(
        "signals.Signal",
        on_delete=models.SET_NULL,
        related_name="norm_breaches",
        verbose_name=_("signaal"),
        null=True,
        blank=True,
    )
    detected_at = models.DateTimeField(_("vastgesteld op"), auto_now_add=True)

    class Meta:
        ordering = ["-period_start"]
        verbose_name = _("normoverschrijding")
        verbose_name_plural = _("normoverschrijdingen")
        constraints = [
            models.UniqueConstraint(fields=["norm", "observation"], name="breach_unique_observation")
        ]
        indexes = [models.Index(fields=["norm", "period_start"], name="breach_norm_period")]

    def __str__(self) -> str:
        return f"{self.norm_id} {self.organisation_id} {self.period_start}"


class ObservationImportBatch(ImportBatchBase):
    class Meta(ImportBatchBase.Meta):
        verbose_name = _("import van metingen")
        verbose_name_plural = _("imports van metingen")
