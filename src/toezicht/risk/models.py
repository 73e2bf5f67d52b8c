"""The risk picture: model versions, snapshots with their scores and aggregates, and overrides.

Snapshots are written by ``toezicht.risk.services`` in one transaction with ``status`` flipped to
``complete`` last; every reader goes through ``RiskSnapshot.objects.complete()`` so a half-written or failed
run is never shown. Model-version status changes go through ``services.TRANSITIONS`` with an append-only
``RiskModelVersionEvent`` history.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from toezicht.core.models import StatusEventBase, user_reference
from toezicht.risk.engine import validate_model_dict


def validate_config(value: Any) -> None:
    """Django validator: the configuration must be a valid engine model (Dutch messages)."""
    if not isinstance(value, dict):
        raise ValidationError(_("De instellingen van het model moeten een object zijn."))
    messages = validate_model_dict(value)
    if messages:
        raise ValidationError(messages)


class ModelStatus(models.TextChoices):
    CONCEPT = "concept", _("concept")
    ACTIVE = "actief", _("actief")
    RETIRED = "vervallen", _("vervallen")


class RiskModelVersion(models.Model):
    number = models.PositiveIntegerField(_("versienummer"), unique=True)
    name = models.CharField(_("naam"), max_length=200)
    description = models.TextField(_("toelichting op deze versie"), blank=True)
    config = models.JSONField(_("instellingen"), validators=[validate_config])
    # Organisation type code -> vulnerable groups it serves (used for the impact's vulnerability).
    type_groups = models.JSONField(_("kwetsbare groepen per organisatietype"), default=dict, blank=True)
    # Organisation type code -> typical number of people served (the register has no per-organisation count).
    type_people = models.JSONField(
        _("gebruikelijk aantal betrokkenen per organisatietype"), default=dict, blank=True
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ModelStatus.choices, default=ModelStatus.CONCEPT
    )
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    created_by = user_reference(_("aangemaakt door"))
    activated_at = models.DateTimeField(_("geactiveerd op"), null=True, blank=True)

    class Meta:
        ordering = ["-number"]
        verbose_name = _("versie van het risicomodel")
        verbose_name_plural = _("versies van het risicomodel")
        constraints = [
            models.UniqueConstraint(
                fields=["status"], condition=models.Q(status="actief"), name="risk_one_active_model"
            )
        ]

    def __str__(self) -> str:
        return f"v{self.number} {self.name}"


class RiskModelVersionEvent(StatusEventBase):
    """Append-only history of a model version's status."""

    version = models.ForeignKey(RiskModelVersion, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(_("van status"), max_length=20, choices=ModelStatus.choices, blank=True)
    to_status = models.CharField(_("naar status"), max_length=20, choices=ModelStatus.choices)

    class Meta(StatusEventBase.Meta):
        verbose_name = _("statuswijziging risicomodel")
        verbose_name_plural = _("statuswijzigingen risicomodel")

    def __str__(self) -> str:
        return f"v{self.version_id}: {self.from_status} → {self.to_status}"


class SnapshotStatus(models.TextChoices):
    BUILDING = "bezig", _("bezig")
    COMPLETE = "gereed", _("gereed")
    FAILED = "mislukt", _("mislukt")


class SnapshotTrigger(models.TextChoices):
    FULL = "volledig", _("volledige herberekening")
    INCREMENTAL = "incrementeel", _("incrementeel")
    SCHEDULED = "gepland", _("gepland")


class RiskSnapshotQuerySet(models.QuerySet["RiskSnapshot"]):
    def complete(self) -> RiskSnapshotQuerySet:
        return self.filter(status=SnapshotStatus.COMPLETE)


class RiskSnapshot(models.Model):
    computed_at = models.DateTimeField(_("berekend op"), auto_now_add=True, db_index=True)
    model_version = models.ForeignKey(
        RiskModelVersion, on_delete=models.PROTECT, related_name="snapshots", verbose_name=_("modelversie")
    )
    reference_date = models.DateField(_("peildatum"))
    reference_period = models.IntegerField(_("peilperiode (maandnummer)"), default=0)
    status = models.CharField(
        _("status"), max_length=20, choices=SnapshotStatus.choices, default=SnapshotStatus.BUILDING
    )
    trigger = models.CharField(_("aanleiding"), max_length=20, choices=SnapshotTrigger.choices)
    n_organisations = models.PositiveIntegerField(_("organisaties"), default=0)
    n_themes = models.PositiveIntegerField(_("thema's"), default=0)
    n_signals = models.PositiveIntegerField(_("signalen"), default=0)
    n_observations = models.PositiveIntegerField(_("metingen"), default=0)
    n_scores = models.PositiveIntegerField(_("opgeslagen scores"), default=0)
    incremental_updates = models.PositiveIntegerField(_("incrementele bijwerkingen"), default=0)
    # Highest signal and observation ids included: an event about an older record is not counted twice.
    max_signal_id = models.BigIntegerField(_("hoogste signaal-id"), default=0)
    max_observation_id = models.BigIntegerField(_("hoogste meting-id"), default=0)
    duration_s = models.FloatField(_("duur (s)"), default=0.0)
    error = models.TextField(_("foutmelding"), blank=True)
    by = user_reference(_("gestart door"))

    objects = RiskSnapshotQuerySet.as_manager()

    class Meta:
        ordering = ["-computed_at", "-id"]
        verbose_name = _("risicobeeld")
        verbose_name_plural = _("risicobeelden")

    def __str__(self) -> str:
        return f"Risicobeeld {self.pk} ({self.computed_at:%Y-%m-%d %H:%M})"


class StoredJSONField(models.JSONField):
    """JSON stored as ``json`` (text, validated) rather than ``jsonb`` on PostgreSQL: a snapshot writes
    ~210,000 of these values and never queries inside them, and parsing them into jsonb took about a
    third of writing the rows (ADR 0041). Other databases store JSON as text anyway."""

    def db_type(self, connection: Any) -> str | None:
        if connection.vendor == "postgresql":
            return "json"
        return super().db_type(connection)

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value is not None and not isinstance(value, str):
            return value  # psycopg already decoded a json column
        return super().from_db_value(value, expression, connection)


class RiskScore(models.Model):
    """One score: an (organisation, theme) or, with ``theme`` empty, the organisation total (worst theme)."""

    # Indexed through the composite indexes below (fewer indexes: faster bulk inserts). No foreign-key
    # constraints in the database (ADR 0041): a snapshot writes ~105,000 rows whose ids it has just
    # read, and PostgreSQL would check three constraints per row (seconds); deleting an organisation,
    # theme or snapshot still deletes its scores (Django cascades).
    snapshot = models.ForeignKey(
        RiskSnapshot, on_delete=models.CASCADE, related_name="scores", db_index=False, db_constraint=False
    )
    organisation = models.ForeignKey(
        "register.Organisation",
        on_delete=models.CASCADE,
        related_name="risk_scores",
        db_index=False,
        db_constraint=False,
    )
    theme = models.ForeignKey(
        "strategy.Theme",
        on_delete=models.CASCADE,
        related_name="risk_scores",
        null=True,
        blank=True,
        db_index=False,
        db_constraint=False,
    )
    score = models.FloatField(_("score"))
    likelihood = models.FloatField(_("kans"))
    impact = models.FloatField(_("impact"))
    cell = models.CharField(_("risicoklasse"), max_length=80)
    colour = models.CharField(_("kleur"), max_length=7)
    likelihood_band = models.CharField(_("kansband"), max_length=80)
    impact_band = models.CharField(_("impactband"), max_length=80)
    contributions = StoredJSONField(_("bijdrage per criterium"), default=dict)
    evidence = StoredJSONField(_("zwaarstwegende signalen en metingen"), default=dict)

    class Meta:
        ordering = ["-score", "organisation_id", "theme_id"]
        verbose_name = _("risicoscore")
        verbose_name_plural = _("risicoscores")
        indexes = [
            models.Index(fields=["snapshot", "organisation", "theme"], name="riskscore_snap_org"),
            # Covers the matrix counts (group by band pair) without visiting the table rows.
            models.Index(
                fields=["snapshot", "likelihood_band", "impact_band", "theme", "organisation"],
                name="riskscore_snap_matrix",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id}/{self.theme_id}: {self.score:.1f}"


class AggregateKind(models.TextChoices):
    CHAIN = "keten", _("keten")
    AREA = "gebied", _("toezichtgebied")
    GOAL = "doel", _("doel")


class RiskAggregate(models.Model):
    snapshot = models.ForeignKey(RiskSnapshot, on_delete=models.CASCADE, related_name="aggregates")
    kind = models.CharField(_("soort"), max_length=10, choices=AggregateKind.choices)
    object_id = models.PositiveIntegerField(_("id"))
    score_max = models.FloatField(_("hoogste score"), null=True)
    score_mean = models.FloatField(_("gemiddelde score"))
    likelihood_mean = models.FloatField(_("gemiddelde kans"))
    impact_mean = models.FloatField(_("gemiddelde impact"))
    n_rows = models.PositiveIntegerField(_("combinaties"))
    n_members = models.PositiveIntegerField(_("leden"))
    top_organisation_id = models.PositiveIntegerField(_("organisatie met hoogste score"), null=True)
    top_theme_id = models.PositiveIntegerField(_("thema met hoogste score"), null=True)
    chain_signal_load = models.FloatField(_("signaallast tussen leden"), null=True)
    chain_signal_count = models.PositiveIntegerField(_("signalen tussen leden"), null=True)

    class Meta:
        ordering = ["kind", "-score_max"]
        verbose_name = _("geaggregeerde risicoscore")
        verbose_name_plural = _("geaggregeerde risicoscores")
        indexes = [models.Index(fields=["snapshot", "kind", "object_id"], name="riskagg_snap_kind")]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id}"


class RiskOverrideQuerySet(models.QuerySet["RiskOverride"]):
    def current(self, day: Any) -> RiskOverrideQuerySet:
        return self.filter(revoked_at__isnull=True).filter(
            models.Q(until__isnull=True) | models.Q(until__gte=day)
        )


class RiskOverride(models.Model):
    """A professional judgement that replaces a computed score; the computed score stays visible."""

    organisation = models.ForeignKey(
        "register.Organisation", on_delete=models.CASCADE, related_name="risk_overrides"
    )
    theme = models.ForeignKey(
        "strategy.Theme", on_delete=models.CASCADE, related_name="risk_overrides", verbose_name=_("thema")
    )
    score = models.FloatField(_("vastgestelde score"))
    cell = models.CharField(_("vastgestelde risicoklasse"), max_length=80, blank=True)
    reason = models.TextField(_("onderbouwing"))
    until = models.DateField(_("geldig tot en met"), null=True, blank=True)
    # "vastgesteld" of an override is "set"; the same words on a norm breach mean "detected".
    created_at = models.DateTimeField(pgettext_lazy("risicoscore", "vastgesteld op"), auto_now_add=True)
    created_by = user_reference()
    computed_score = models.FloatField(_("berekende score bij vaststelling"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("ingetrokken op"), null=True, blank=True)

    objects = RiskOverrideQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("vastgestelde risicoscore")
        verbose_name_plural = _("vastgestelde risicoscores")

    def __str__(self) -> str:
        return f"{self.organisation_id}/{self.theme_id}: {self.score}"
