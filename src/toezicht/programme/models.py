"""The work programme (werkprogramma): items, capacity, candidates, plan runs and adjustments.

Status changes of a programme go only through ``toezicht.programme.workflow`` (one transition table) and
append a ``ProgrammeEvent``. Plans are computed by the pure planner in ``toezicht.programme.planner``;
``toezicht.programme.services`` translates between the database and the planner.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from toezicht.core.models import TimeStampedModel
from toezicht.programme.querysets import CandidateQuerySet, ProgrammeItemQuerySet, WorkProgrammeQuerySet

QUARTERS = (1, 2, 3, 4)


class ProgrammeStatus(models.TextChoices):
    CONCEPT = "concept", "concept"
    ADOPTED = "vastgesteld", "vastgesteld"
    PUBLISHED = "gepubliceerd", "gepubliceerd"


class ItemKind(models.TextChoices):
    REGULAR = "regulier", "regulier toezicht"
    IN_DEPTH = "verdiepend", "verdiepend onderzoek"
    INTENSIVE = "intensief", "intensief toezicht"
    THEMATIC = "thematisch", "thematisch onderzoek"
    INCIDENT = "incidentonderzoek", "incidentonderzoek"
    FOLLOW_UP = "opvolging", "opvolgingsonderzoek"


class MandatoryBasis(models.TextChoices):
    STATUTORY = "wettelijk", "wettelijke taak"
    MINISTER = "verzoek_minister", "verzoek minister"
    PARLIAMENT = "verzoek_tweede_kamer", "verzoek Tweede Kamer"
    URGENT = "spoed", "spoedonderzoek"


class ItemStatus(models.TextChoices):
    PROPOSED = "voorgesteld", "voorgesteld"  # in the pool; the last plan did not choose it
    PLANNED = "gepland", "gepland"
    STARTED = "gestart", "gestart"
    DONE = "afgerond", "afgerond"
    DEFERRED = "uitgesteld", "uitgesteld"  # moved out of this year
    CANCELLED = "geschrapt", "geschrapt"


# Items the planner may choose (or must keep: started/done items stay where they are).
PLANNABLE_STATUSES = (ItemStatus.PROPOSED, ItemStatus.PLANNED)
FIXED_STATUSES = (ItemStatus.STARTED, ItemStatus.DONE)


class WorkProgramme(TimeStampedModel):
    year = models.PositiveSmallIntegerField(
        "jaar", validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    version = models.PositiveSmallIntegerField("versie", default=1)
    title = models.CharField("titel", max_length=200)
    status = models.CharField(
        "status", max_length=20, choices=ProgrammeStatus.choices, default=ProgrammeStatus.CONCEPT
    )
    previous = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="next_versions",
        verbose_name="vorige versie",
    )
    reserve_share = models.DecimalField(
        "reserve voor onvoorziene incidentonderzoeken",
        max_digits=4,
        decimal_places=3,
        default=Decimal("0.15"),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal("0.9"))],
        help_text="Deel van de beschikbare uren dat vrij blijft voor onvoorziene incidentonderzoeken.",
    )
    max_items_per_org_per_quarter = models.PositiveSmallIntegerField(
        "maximaal aantal onderzoeken per organisatie per kwartaal", null=True, blank=True
    )
    max_items_per_org_per_year = models.PositiveSmallIntegerField(
        "maximaal aantal onderzoeken per organisatie per jaar", null=True, blank=True
    )
    time_limit_s = models.PositiveSmallIntegerField("rekentijd (seconden)", default=30)
    description = models.TextField("toelichting", blank=True)

    objects = WorkProgrammeQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "-version"]
        constraints = [models.UniqueConstraint(fields=["year", "version"], name="programme_year_version")]
        verbose_name = "werkprogramma"
        verbose_name_plural = "werkprogramma's"

    def __str__(self) -> str:
        return f"{self.title} (versie {self.version})"


class ProgrammeEvent(models.Model):
    """Append-only history of a programme: creation, status changes, plans and adjustments."""

    class Kind(models.TextChoices):
        CREATED = "aangemaakt", "aangemaakt"
        STATUS = "status", "statuswijziging"
        PLANNED = "plan", "plan berekend"
        ADJUSTED = "bijstelling", "bijstelling"

    programme = models.ForeignKey(
        WorkProgramme, on_delete=models.CASCADE, related_name="events", verbose_name="werkprogramma"
    )
    kind = models.CharField("soort", max_length=20, choices=Kind.choices)
    from_status = models.CharField("van status", max_length=20, choices=ProgrammeStatus.choices, blank=True)
    to_status = models.CharField("naar status", max_length=20, choices=ProgrammeStatus.choices, blank=True)
    note = models.TextField("toelichting", blank=True)
    at = models.DateTimeField("tijdstip", auto_now_add=True, db_index=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, related_name="+", verbose_name="door", null=True
    )

    class Meta:
        ordering = ["at", "id"]
        verbose_name = "gebeurtenis"
        verbose_name_plural = "geschiedenis"

    def __str__(self) -> str:
        return f"{self.programme_id} {self.kind} {self.at:%Y-%m-%d %H:%M}"


class GoalShare(models.Model):
    """Minimum share of the planned hours that must serve a strategic goal."""

    programme = models.ForeignKey(WorkProgramme, on_delete=models.CASCADE, related_name="goal_shares")
    goal = models.ForeignKey("strategy.Goal", on_delete=models.CASCADE, related_name="+", verbose_name="doel")
    min_share = models.DecimalField(
        "minimumaandeel",
        max_digits=4,
        decimal_places=3,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(1))],
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["programme", "goal"], name="programme_goal_share")]
        verbose_name = "minimumaandeel per doel"
        verbose_name_plural = "minimumaandelen per doel"

    def __str__(self) -> str:
        return f"{self.goal_id}: {self.min_share}"


class AreaShare(models.Model):
    """Minimum share of the planned hours that must go to a supervision area."""

    programme = models.ForeignKey(WorkProgramme, on_delete=models.CASCADE, related_name="area_shares")
    area = models.ForeignKey(
        "register.SupervisionArea", on_delete=models.CASCADE, related_name="+", verbose_name="toezichtgebied"
    )
    min_share = models.DecimalField(
        "minimumaandeel",
        max_digits=4,
        decimal_places=3,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(1))],
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["programme", "area"], name="programme_area_share")]
        verbose_name = "minimumaandeel per toezichtgebied"
        verbose_name_plural = "minimumaandelen per toezichtgebied"

    def __str__(self) -> str:
        return f"{self.area_id}: {self.min_share}"


class ProgrammeItem(TimeStampedModel):
    programme = models.ForeignKey(
        WorkProgramme, on_delete=models.CASCADE, related_name="items", verbose_name="werkprogramma"
    )
    title = models.CharField("titel", max_length=250)
    kind = models.CharField("soort", max_length=20, choices=ItemKind.choices, default=ItemKind.REGULAR)
    areas = models.ManyToManyField(
        "register.SupervisionArea",
        related_name="programme_items",
        verbose_name="toezichtgebieden",
        blank=True,
    )
    organisations = models.ManyToManyField(
        "register.Organisation", related_name="programme_items", verbose_name="organisaties", blank=True
    )
    chain = models.ForeignKey(
        "register.Chain",
        on_delete=models.PROTECT,
        related_name="programme_items",
        verbose_name="keten",
        null=True,
        blank=True,
    )
    goals = models.ManyToManyField(
        "strategy.Goal", related_name="programme_items", verbose_name="doelen", blank=True
    )
    themes = models.ManyToManyField(
        "strategy.Theme", related_name="programme_items", verbose_name="thema's", blank=True
    )
    teams: models.ManyToManyField[Any, Any] = models.ManyToManyField(
        "accounts.Team", through="ItemTeamHours", related_name="programme_items", verbose_name="teams"
    )
    value = models.FloatField("waarde", default=0.0, help_text="Verwachte opbrengst volgens het risicobeeld.")
    allowed_quarters = models.JSONField(
        "toegestane kwartalen", default=list, blank=True, help_text="Leeg: elk kwartaal."
    )
    duration = models.PositiveSmallIntegerField(
        "duur (kwartalen)", default=1, validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    mandatory_basis = models.CharField(
        "verplicht op grond van", max_length=30, choices=MandatoryBasis.choices, blank=True
    )
    depends_on = models.ManyToManyField(
        "self", symmetrical=False, related_name="dependants", verbose_name="hangt af van", blank=True
    )
    rationale = models.TextField("onderbouwing", blank=True)
    status = models.CharField(
        "status", max_length=20, choices=ItemStatus.choices, default=ItemStatus.PROPOSED
    )
    planned_start = models.PositiveSmallIntegerField("gepland beginkwartaal", null=True, blank=True)
    planned_quarters = models.JSONField("geplande kwartalen", default=list, blank=True)
    recurring = models.BooleanField("terugkerend", default=False, help_text="Komt elk jaar terug.")

    objects = ProgrammeItemQuerySet.as_manager()

    class Meta:
        ordering = ["title", "id"]
        verbose_name = "onderdeel van het werkprogramma"
        verbose_name_plural = "onderdelen van het werkprogramma"

    def __str__(self) -> str:
        return self.title

    @property
    def mandatory(self) -> bool:
        return bool(self.mandatory_basis)


class ItemTeamHours(models.Model):
    item = models.ForeignKey(ProgrammeItem, on_delete=models.CASCADE, related_name="team_hours")
    team = models.ForeignKey("accounts.Team", on_delete=models.PROTECT, related_name="+", verbose_name="team")
    hours = models.PositiveIntegerField("uren", help_text="Totaal over de hele duur.")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["item", "team"], name="programme_item_team")]
        verbose_name = "uren per team"
        verbose_name_plural = "uren per team"

    def __str__(self) -> str:
        return f"{self.item_id}/{self.team_id}: {self.hours}"


class TeamCapacity(models.Model):
    """Hours a team has for the programme in one quarter, after leave and overhead."""

    team = models.ForeignKey("accounts.Team", on_delete=models.CASCADE, related_name="capacities")
    year = models.PositiveSmallIntegerField("jaar")
    quarter = models.PositiveSmallIntegerField(
        "kwartaal", validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    fte = models.DecimalField("fte", max_digits=6, decimal_places=2, default=0)
    available_hours = models.PositiveIntegerField("beschikbare uren")

    class Meta:
        ordering = ["year", "team__name", "quarter"]
        constraints = [
            models.UniqueConstraint(fields=["team", "year", "quarter"], name="programme_capacity_unique"),
            models.CheckConstraint(
                condition=models.Q(quarter__gte=1, quarter__lte=4), name="programme_capacity_q"
            ),
        ]
        verbose_name = "capaciteit"
        verbose_name_plural = "capaciteit"

    def __str__(self) -> str:
        return f"{self.team_id} {self.year} Q{self.quarter}: {self.available_hours}"

    @property
    def hours_per_fte(self) -> float:
        return float(self.available_hours) / float(self.fte) if self.fte else 0.0


class CandidateSource(models.TextChoices):
    RISK = "risico", "risicobeeld"
    RECURRING = "terugkerend", "terugkerend toezicht"
    MANDATORY = "verplicht", "verplicht"
    PROPOSAL = "voorstel", "voorstel van medewerker"


class Candidate(TimeStampedModel):
    """Why something is proposed for the programme; each candidate has one programme item in the pool."""

    programme = models.ForeignKey(
        WorkProgramme, on_delete=models.CASCADE, related_name="candidates", verbose_name="werkprogramma"
    )
    item = models.OneToOneField(
        ProgrammeItem, on_delete=models.CASCADE, related_name="candidate", verbose_name="onderdeel"
    )
    source = models.CharField("bron", max_length=20, choices=CandidateSource.choices)
    value = models.FloatField("waarde")
    why = models.TextField("waarom")
    organisation = models.ForeignKey(
        "register.Organisation",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name="organisatie",
        null=True,
        blank=True,
    )
    theme = models.ForeignKey(
        "strategy.Theme",
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="thema",
        null=True,
        blank=True,
    )
    risk_score = models.FloatField("risicoscore", null=True, blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="voorgesteld door",
        null=True,
        blank=True,
    )

    objects = CandidateQuerySet.as_manager()

    class Meta:
        ordering = ["-value", "id"]
        verbose_name = "kandidaat"
        verbose_name_plural = "kandidaten"

    def __str__(self) -> str:
        return f"{self.get_source_display()}: {self.item_id}"


class Scenario(models.Model):
    """A what-if: capacity changes per team, stored as data (e.g. team Migratie loses 2 fte)."""

    programme = models.ForeignKey(WorkProgramme, on_delete=models.CASCADE, related_name="scenarios")
    name = models.CharField("naam", max_length=120)
    description = models.TextField("omschrijving", blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["programme", "name"], name="programme_scenario_name")]
        verbose_name = "scenario"
        verbose_name_plural = "scenario's"

    def __str__(self) -> str:
        return self.name


class ScenarioTeamChange(models.Model):
    scenario = models.ForeignKey(Scenario, on_delete=models.CASCADE, related_name="changes")
    team = models.ForeignKey("accounts.Team", on_delete=models.CASCADE, related_name="+", verbose_name="team")
    fte_delta = models.DecimalField("verandering in fte", max_digits=6, decimal_places=2, default=0)
    hours_delta = models.IntegerField("verandering in uren per kwartaal", default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["scenario", "team"], name="programme_scenario_team")]
        verbose_name = "capaciteitswijziging"
        verbose_name_plural = "capaciteitswijzigingen"

    def __str__(self) -> str:
        return f"{self.scenario_id}/{self.team_id}: {self.fte_delta} fte"


class PlanRunStatus(models.TextChoices):
    OPTIMAL = "optimaal", "optimaal"
    TIME_LIMITED = "tijdslimiet", "beste binnen tijdslimiet"
    NO_SOLUTION = "geen_oplossing", "geen plan binnen tijdslimiet"
    INFEASIBLE = "onhaalbaar", "onhaalbaar"
    INVALID = "ongeldig", "ongeldige invoer"
    ERROR = "fout", "fout"


class PlanRun(models.Model):
    programme = models.ForeignKey(WorkProgramme, on_delete=models.CASCADE, related_name="plan_runs")
    at = models.DateTimeField("tijdstip", auto_now_add=True, db_index=True)
    scenario_name = models.CharField("scenario", max_length=120, blank=True)
    status = models.CharField("status", max_length=20, choices=PlanRunStatus.choices)
    status_label = models.CharField("uitkomst", max_length=200)
    value = models.FloatField("waarde", default=0.0)
    best_bound = models.FloatField("bovengrens", null=True, blank=True)
    gap = models.FloatField("bewezen gap", null=True, blank=True)
    solve_seconds = models.FloatField("rekentijd (s)", default=0.0)
    applied = models.BooleanField("vastgelegd in het programma", default=False)
    binding = models.JSONField("bindende eisen", default=list, blank=True)
    explanation = models.JSONField("toelichting", default=dict, blank=True)
    result = models.JSONField("resultaat", default=dict, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, related_name="+", verbose_name="door", null=True
    )

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = "planberekening"
        verbose_name_plural = "planberekeningen"

    def __str__(self) -> str:
        return f"{self.programme_id} {self.at:%Y-%m-%d %H:%M} {self.status}"


class AdjustmentReason(models.TextChoices):
    INCIDENT = "incident", "incident"
    NEWS = "actualiteit", "actualiteit"
    PARLIAMENT = "verzoek_kamer", "verzoek Tweede Kamer"
    RISK = "risico", "nieuwe risico-inschatting"
    CAPACITY = "capaciteit", "capaciteit"


class Adjustment(models.Model):
    """A bijstelling of the programme during the year; the annual report accounts for these."""

    programme = models.ForeignKey(WorkProgramme, on_delete=models.CASCADE, related_name="adjustments")
    date = models.DateField("datum")
    reason = models.CharField("aanleiding", max_length=20, choices=AdjustmentReason.choices)
    note = models.TextField("toelichting")
    from_quarter = models.PositiveSmallIntegerField("vanaf kwartaal", default=1)
    summary = models.TextField("samenvatting", blank=True)
    changes = models.JSONField("wijzigingen", default=list, blank=True)
    added = models.ManyToManyField(ProgrammeItem, related_name="+", verbose_name="toegevoegd", blank=True)
    deferred = models.ManyToManyField(ProgrammeItem, related_name="+", verbose_name="uitgesteld", blank=True)
    cancelled = models.ManyToManyField(ProgrammeItem, related_name="+", verbose_name="geschrapt", blank=True)
    plan_run = models.ForeignKey(PlanRun, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, related_name="+", verbose_name="door", null=True
    )
    at = models.DateTimeField("vastgelegd op", auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = "bijstelling"
        verbose_name_plural = "bijstellingen"

    def __str__(self) -> str:
        return f"{self.programme_id} {self.date} {self.reason}"
