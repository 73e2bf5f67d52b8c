"""Indicators (time series per organisation), their observations, and norms with a threshold."""

from __future__ import annotations

from django.db import models

from toezicht.core.models import ImportBatchBase, TimeStampedModel


class Direction(models.TextChoices):
    HIGHER_IS_WORSE = "hoger_slechter", "hoger is slechter"
    LOWER_IS_WORSE = "lager_slechter", "lager is slechter"


class Frequency(models.TextChoices):
    MONTH = "maand", "per maand"
    QUARTER = "kwartaal", "per kwartaal"
    YEAR = "jaar", "per jaar"


class Indicator(TimeStampedModel):
    code = models.SlugField("code", max_length=60, unique=True)
    name = models.CharField("naam", max_length=200, unique=True)
    description = models.TextField("omschrijving", blank=True)
    unit = models.CharField("eenheid", max_length=40, help_text="Bijvoorbeeld %, dagen, personen.")
    direction = models.CharField("richting", max_length=20, choices=Direction.choices)
    frequency = models.CharField(
        "frequentie", max_length=20, choices=Frequency.choices, default=Frequency.MONTH
    )
    source = models.CharField("bron", max_length=200, blank=True)
    theme = models.ForeignKey(
        "strategy.Theme",
        on_delete=models.PROTECT,
        related_name="indicators",
        verbose_name="thema",
        null=True,
        blank=True,
        help_text="Het thema waarvoor het risicomodel deze indicator gebruikt.",
    )
    areas = models.ManyToManyField(
        "register.SupervisionArea", related_name="indicators", verbose_name="toezichtgebieden", blank=True
    )

    class Meta:
        ordering = ["name"]
        verbose_name = "indicator"
        verbose_name_plural = "indicatoren"

    def __str__(self) -> str:
        return self.name


class Observation(models.Model):
    """One value of an indicator for one organisation in one period (the period's first day)."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, related_name="observations", verbose_name="indicator"
    )
    organisation = models.ForeignKey(
        "register.Organisation",
        on_delete=models.PROTECT,
        related_name="observations",
        verbose_name="organisatie",
    )
    period_start = models.DateField("periode")
    value = models.FloatField("waarde")
    recorded_at = models.DateTimeField("vastgelegd op", auto_now_add=True)
    import_batch = models.ForeignKey(
        "indicators.ObservationImportBatch",
        on_delete=models.SET_NULL,
        related_name="observations",
        null=True,
        blank=True,
    )

    class Meta:
        ordering = ["indicator", "organisation", "period_start"]
        verbose_name = "meting"
        verbose_name_plural = "metingen"
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "organisation", "period_start"], name="observation_unique_period"
            )
        ]
        indexes = [models.Index(fields=["organisation", "indicator", "period_start"], name="observation_org")]

    def __str__(self) -> str:
        return f"{self.indicator_id}/{self.organisation_id}/{self.period_start}: {self.value}"


class Comparison(models.TextChoices):
    AT_MOST = "max", "ten hoogste"
    AT_LEAST = "min", "ten minste"


class Norm(TimeStampedModel):
    """A requirement with a legal basis; with an indicator and threshold, breaches are detected."""

    code = models.SlugField("code", max_length=60, unique=True)
    name = models.CharField("naam", max_length=200)
    description = models.TextField("omschrijving", blank=True)
    legal_basis = models.CharField("wettelijke grondslag", max_length=250)
    indicator = models.ForeignKey(
        Indicator,
        on_delete=models.PROTECT,
        related_name="norms",
        verbose_name="indicator",
        null=True,
        blank=True,
    )
    comparison = models.CharField(
        "vergelijking", max_length=5, choices=Comparison.choices, default=Comparison.AT_MOST
    )
    threshold = models.FloatField("drempelwaarde", null=True, blank=True)
    # A norm is structurally infeasible when at least this share of organisations breaches it ...
    structural_share = models.FloatField("aandeel voor structureel onhaalbaar", default=0.5)
    # ... for at least this many consecutive periods.
    structural_periods = models.PositiveSmallIntegerField("opeenvolgende perioden", default=3)
    active = models.BooleanField("actief", default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "norm"
        verbose_name_plural = "normen"

    def __str__(self) -> str:
        return self.name

    @property
    def structural_share_percent(self) -> int:
        """The structural share as a whole percentage, for display (0.5 -> 50)."""
        return round(100 * self.structural_share)


class NormBreach(models.Model):
    """An observation that does not meet a norm, with the signal it produced."""

    norm = models.ForeignKey(Norm, on_delete=models.CASCADE, related_name="breaches", verbose_name="norm")
    observation = models.ForeignKey(
        Observation, on_delete=models.CASCADE, related_name="breaches", verbose_name="meting"
    )
    organisation = models.ForeignKey(
        "register.Organisation",
        on_delete=models.PROTECT,
        related_name="norm_breaches",
        verbose_name="organisatie",
    )
    period_start = models.DateField("periode")
    value = models.FloatField("waarde")
    signal = models.ForeignKey(
        "signals.Signal",
        on_delete=models.SET_NULL,
        related_name="norm_breaches",
        verbose_name="signaal",
        null=True,
        blank=True,
    )
    detected_at = models.DateTimeField("vastgesteld op", auto_now_add=True)

    class Meta:
        ordering = ["-period_start"]
        verbose_name = "normoverschrijding"
        verbose_name_plural = "normoverschrijdingen"
        constraints = [
            models.UniqueConstraint(fields=["norm", "observation"], name="breach_unique_observation")
        ]
        indexes = [models.Index(fields=["norm", "period_start"], name="breach_norm_period")]

    def __str__(self) -> str:
        return f"{self.norm_id} {self.organisation_id} {self.period_start}"


class ObservationImportBatch(ImportBatchBase):
    class Meta(ImportBatchBase.Meta):
        verbose_name = "import van metingen"
        verbose_name_plural = "imports van metingen"
