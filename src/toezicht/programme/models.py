"""The work programme (werkprogramma): items, capacity, candidates, plan runs and adjustments.

Status changes of a programme go only through ``toezicht.programme.workflow`` (one transition table) and
append a ``ProgrammeEvent``. Plans are computed by the pure planner in ``toezicht.programme.planner``;
``toezicht.programme.services`` translates between the database and the planner.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from toezicht.core.models import StatusEventBase, TimeStampedModel, user_reference
from toezicht.programme.querysets import CandidateQuerySet, ProgrammeItemQuerySet, WorkProgrammeQuerySet

QUARTERS = (1, 2, 3, 4)


class ProgrammeStatus(models.TextChoices):
    CONCEPT = "concept", _("concept")
    ADOPTED = "vastgesteld", pgettext_lazy("werkprogramma", "vastgesteld")  # adopted, not a set score
    PUBLISHED = "gepubliceerd", _("gepubliceerd")


class ItemKind(models.TextChoices):
    REGULAR = "regulier", _("regulier toezicht")
    IN_DEPTH = "verdiepend", _("verdiepend onderzoek")
    INTENSIVE = "intensief", _("intensief toezicht")
    THEMATIC = "thematisch", _("thematisch onderzoek")
    INCIDENT = "incidentonderzoek", _("incidentonderzoek")
    FOLLOW_UP = "opvolging", _("opvolgingsonderzoek")


class MandatoryBasis(models.TextChoices):
    STATUTORY = "wettelijk", _("wettelijke taak")
    MINISTER = "verzoek_minister", _("verzoek minister")
    PARLIAMENT = "verzoek_tweede_kamer", _("verzoek Tweede Kamer")
    URGENT = "spoed", _("spoedonderzoek")


class ItemStatus(models.TextChoices):
    PROPOSED = "voorgesteld", _("voorgesteld")  # in the pool; the last plan did not choose it
    PLANNED = "gepland", _("gepland")
    STARTED = "gestart", _("gestart")
    DONE = "afgerond", _("afgerond")
    DEFERRED = "uitgesteld", _("uitgesteld")  # moved out of this year
    CANCELLED = "geschrapt", _("geschrapt")


# Items the planner may choose (or must keep: started/done items stay where they are).
PLANNABLE_STATUSES = (ItemStatus.PROPOSED, ItemStatus.PLANNED)
FIXED_STATUSES = (ItemStatus.STARTED, ItemStatus.DONE)


class WorkProgramme(TimeStampedModel):
    year = models.PositiveSmallIntegerField(
        _("jaar"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    version = models.PositiveSmallIntegerField(_("versie"), default=1)
    title = models.CharField(_("titel"), max_length=200)
    status = models.CharField(
        _("status"), max_length=20, choices=ProgrammeStatus.choices, default=ProgrammeStatus.CONCEPT
    )
    previous = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="next_versions",
        verbose_name=_("vorige versie"),
    )
    reserve_share = models.DecimalField(
        _("reserve voor onvoorziene incidentonderzoeken"),
        max_digits=4,
        decimal_places=3,
        default=Decimal("0.15"),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal("0.9"))],
        help_text=_("Deel van de beschikbare uren dat vrij blijft voor onvoorziene incidentonderzoeken."),
    )
    max_items_per_org_per_quarter = models.PositiveSmallIntegerField(
        _("maximaal aantal onderzoeken per organisatie per kwartaal"), null=True, blank=True
    )
    max_items_per_org_per_year = models.PositiveSmallIntegerField(
        _("maximaal aantal onderzoeken per organisatie per jaar"), null=True, blank=True
    )
    time_limit_s = models.PositiveSmallIntegerField(_("rekentijd (seconden)"), default=30)
    description = models.TextField(_("toelichting"), blank=True)

    objects = WorkProgrammeQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "-version"]
        constraints = [models.UniqueConstraint(fields=["year", "version"], name="programme_year_version")]
        verbose_name = _("werkprogramma")
        verbose_name_plural = _("werkprogramma's")

    def __str__(self) -> str:
        return f"{self.title} (versie {self.version})"


class ProgrammeEvent(StatusEventBase):
    """Append-only history of a programme: creation, status changes, plans and adjustments."""

    class Kind(models.TextChoices):
        CREATED = "aangemaakt", _("aangemaakt")
        STATUS = "status", _("statuswijziging")
        PLANNED = "plan", _("plan berekend")
        ADJUSTED = "bijstelling", _("bijstelling")

    programme = models.ForeignKey(
        WorkProgramme, on_delete=models.CASCADE, related_name="events", verbose_name=_("werkprogramma")
    )
    kind = models.CharField(_("soort"), max_length=20, choices=Kind.choices)
    from_status = models.CharField(
        _("van status"), max_length=20, choices=ProgrammeStatus.choices, blank=True
    )
    to_status = models.CharField(_("naar status"), max_length=20, choices=ProgrammeStatus.choices, blank=True)

    class Meta(StatusEventBase.Meta):
        pass

    def __str__(self) -> str:
        return f"{self.programme_id} {self.kind} {self.at:%Y-%m-%d %H:%M}"


class GoalShare(models.Model):
    """Minimum share of the planned hours that must serve a strategic goal."""

    programme = models.ForeignKey(WorkProgramme, on_delete=models.CASCADE, related_name="goal_shares")
    goal = models.ForeignKey(
        "strategy.Goal", on_delete=models.CASCADE, related_name="+", verbose_name=_("doel")
    )
    min_share = models.DecimalField(
        _("minimumaandeel"),
        max_digits=4,
        decimal_places=3,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(1))],
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["programme", "goal"], name="programme_goal_share")]
        verbose_name = _("minimumaandeel per doel")
        verbose_name_plural = _("minimumaandelen per doel")

    def __str__(self) -> str:
        return f"{self.goal_id}: {self.min_share}"


class AreaShare(models.Model):
    """Minimum share of the planned hours that must go to a supervision area."""

    programme = models.ForeignKey(WorkProgramme, on_delete=models.CASCADE, related_name="area_shares")
    area = models.ForeignKey(
        "register.SupervisionArea",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("toezichtgebied"),
    )
    min_share = models.DecimalField(
        _("minimumaandeel"),
        max_digits=4,
        decimal_places=3,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(1))],
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["programme", "area"], name="programme_area_share")]
        verbose_name = _("minimumaandeel per toezichtgebied")
        verbose_name_plural = _("minimumaandelen per toezichtgebied")

    def __str__(self) -> str:
        return f"{self.area_id}: {self.min_share}"


class ProgrammeItem(TimeStampedModel):
    programme = models.ForeignKey(
        WorkProgramme, on_delete=models.CASCADE, related_name="items", verbose_name=_("werkprogramma")
    )
    title = models.CharField(_("titel"), max_length=250)
    kind = models.CharField(_("soort"), max_length=20, choices=ItemKind.choices, default=ItemKind.REGULAR)
    areas = models.ManyToManyField(
        "register.SupervisionArea",
        related_name="programme_items",
        verbose_name=_("toezichtgebieden"),
        blank=True,
    )
    organisations = models.ManyToManyField(
        "register.Organisation", related_name="programme_items", verbose_name=_("organisaties"), blank=True
    )
    chain = models.ForeignKey(
        "register.Chain",
        on_delete=models.PROTECT,
        related_name="programme_items",
        verbose_name=_("keten"),
        null=True,
        blank=True,
    )
    goals = models.ManyToManyField(
        "strategy.Goal", related_name="programme_items", verbose_name=_("doelen"), blank=True
    )
    themes = models.ManyToManyField(
        "strategy.Theme", related_name="programme_items", verbose_name=_("thema's"), blank=True
    )
    teams: models.ManyToManyField[Any, Any] = models.ManyToManyField(
        "accounts.Team", through="ItemTeamHours", related_name="programme_items", verbose_name=_("teams")
    )
    value = models.FloatField(
        _("waarde"), default=0.0, help_text=_("Verwachte opbrengst volgens het risicobeeld.")
    )
    allowed_quarters = models.JSONField(
        _("toegestane kwartalen"), default=list, blank=True, help_text=_("Leeg: elk kwartaal.")
    )
    duration = models.PositiveSmallIntegerField(
        _("duur (kwartalen)"), default=1, validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    mandatory_basis = models.CharField(
        _("verplicht op grond van"), max_length=30, choices=MandatoryBasis.choices, blank=True
    )
    depends_on = models.ManyToManyField(
        "self", symmetrical=False, related_name="dependants", verbose_name=_("hangt af van"), blank=True
    )
    rationale = models.TextField(_("onderbouwing"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ItemStatus.choices, default=ItemStatus.PROPOSED
    )
    planned_start = models.PositiveSmallIntegerField(_("gepland beginkwartaal"), null=True, blank=True)
    planned_quarters = models.JSONField(_("geplande kwartalen"), default=list, blank=True)
    recurring = models.BooleanField(_("terugkerend"), default=False, help_text=_("Komt elk jaar terug."))

    objects = ProgrammeItemQuerySet.as_manager()

    class Meta:
        ordering = ["title", "id"]
        verbose_name = _("onderdeel van het werkprogramma")
        verbose_name_plural = _("onderdelen van het werkprogramma")

    def __str__(self) -> str:
        return self.title

    @property
    def mandatory(self) -> bool:
        return bool(self.mandatory_basis)


class ItemTeamHours(models.Model):
    item = models.ForeignKey(ProgrammeItem, on_delete=models.CASCADE, related_name="team_hours")
    team = models.ForeignKey(
        "accounts.Team", on_delete=models.PROTECT, related_name="+", verbose_name=_("team")
    )
    hours = models.PositiveIntegerField(_("uren"), help_text=_("Totaal over de hele duur."))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["item", "team"], name="programme_item_team")]
        verbose_name = _("uren per team")
        verbose_name_plural = _("uren per team")

    def __str__(self) -> str:
        return f"{self.item_id}/{self.team_id}: {self.hours}"


class TeamCapacity(models.Model):
    """Hours a team has for the programme in one quarter, after leave and overhead."""

    team = models.ForeignKey("accounts.Team", on_delete=models.CASCADE, related_name="capacities")
    year = models.PositiveSmallIntegerField(_("jaar"))
    quarter = models.PositiveSmallIntegerField(
        _("kwartaal"), validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    fte = models.DecimalField(_("fte"), max_digits=6, decimal_places=2, default=0)
    available_hours = models.PositiveIntegerField(_("beschikbare uren"))

    class Meta:
        ordering = ["year", "team__name", "quarter"]
        constraints = [
            models.UniqueConstraint(fields=["team", "year", "quarter"], name="programme_capacity_unique"),
            models.CheckConstraint(
                condition=models.Q(quarter__gte=1, quarter__lte=4), name="programme_capacity_q"
            ),
        ]
        verbose_name = _("capaciteit")
        verbose_name_plural = _("capaciteit")

    def __str__(self) -> str:
        return f"{self.team_id} {self.year} Q{self.quarter}: {self.available_hours}"

    @property
    def hours_per_fte(self) -> float:
        return float(self.available_hours) / float(self.fte) if self.fte else 0.0


class CandidateSource(models.TextChoices):
    RISK = "risico", _("risicobeeld")
    RECURRING = "terugkerend", _("terugkerend toezicht")
    MANDATORY = "verplicht", pgettext_lazy("werkprogramma", "verplicht")  # mandatory, not a required field
    PROPOSAL = "voorstel", _("voorstel van medewerker")


class Candidate(TimeStampedModel):
    """Why something is proposed for the programme; each candidate has one programme item in the pool."""

    programme = models.ForeignKey(
        WorkProgramme, on_delete=models.CASCADE, related_name="candidates", verbose_name=_("werkprogramma")
    )
    item = models.OneToOneField(
        ProgrammeItem, on_delete=models.CASCADE, related_name="candidate", verbose_name=_("onderdeel")
    )
    source = models.CharField(_("bron"), max_length=20, choices=CandidateSource.choices)
    value = models.FloatField(_("waarde"))
    why = models.TextField(_("waarom"))
    organisation = models.ForeignKey(
        "register.Organisation",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("organisatie"),
        null=True,
        blank=True,
    )
    theme = models.ForeignKey(
        "strategy.Theme",
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("thema"),
        null=True,
        blank=True,
    )
    risk_score = models.FloatField(_("risicoscore"), null=True, blank=True)
    proposed_by = user_reference(_("voorgesteld door"))

    objects = CandidateQuerySet.as_manager()

    class Meta:
        ordering = ["-value", "id"]
        verbose_name = _("kandidaat")
        verbose_name_plural = _("kandidaten")

    def __str__(self) -> str:
        return f"{self.get_source_display()}: {self.item_id}"


class Scenario(models.Model):
    """A what-if: capacity changes per team, stored as data (e.g. team Migratie loses 2 fte)."""

    programme = models.ForeignKey(WorkProgramme, on_delete=models.CASCADE, related_name="scenarios")
    name = models.CharField(_("naam"), max_length=120)
    description = models.TextField(_("omschrijving"), blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["programme", "name"], name="programme_scenario_name")]
        verbose_name = _("scenario")
        verbose_name_plural = _("scenario's")

    def __str__(self) -> str:
        return self.name


class ScenarioTeamChange(models.Model):
    scenario = models.ForeignKey(Scenario, on_delete=models.CASCADE, related_name="changes")
    team = models.ForeignKey(
        "accounts.Team", on_delete=models.CASCADE, related_name="+", verbose_name=_("team")
    )
    fte_delta = models.DecimalField(_("verandering in fte"), max_digits=6, decimal_places=2, default=0)
    hours_delta = models.IntegerField(_("verandering in uren per kwartaal"), default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["scenario", "team"], name="programme_scenario_team")]
        verbose_name = _("capaciteitswijziging")
        verbose_name_plural = _("capaciteitswijzigingen")

    def __str__(self) -> str:
        return f"{self.scenario_id}/{self.team_id}: {self.fte_delta} fte"


class PlanRunStatus(models.TextChoices):
    RUNNING = "bezig", _("wordt berekend")
    OPTIMAL = "optimaal", _("optimaal")
    TIME_LIMITED = "tijdslimiet", _("beste binnen tijdslimiet")
    NO_SOLUTION = "geen_oplossing", _("geen plan binnen tijdslimiet")
    INFEASIBLE = "onhaalbaar", _("onhaalbaar")
    INVALID = "ongeldig", _("ongeldige invoer")
    ERROR = "fout", _("fout")


class PlanRun(models.Model):
    programme = models.ForeignKey(WorkProgramme, on_delete=models.CASCADE, related_name="plan_runs")
    at = models.DateTimeField(_("tijdstip"), auto_now_add=True, db_index=True)
    scenario_name = models.CharField(_("scenario"), max_length=120, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=PlanRunStatus.choices)
    status_label = models.CharField(_("uitkomst"), max_length=200)
    value = models.FloatField(_("waarde"), default=0.0)
    best_bound = models.FloatField(_("bovengrens"), null=True, blank=True)
    gap = models.FloatField(_("bewezen gap"), null=True, blank=True)
    solve_seconds = models.FloatField(_("rekentijd (s)"), default=0.0)
    applied = models.BooleanField(_("vastgelegd in het programma"), default=False)
    binding = models.JSONField(_("bindende eisen"), default=list, blank=True)
    explanation = models.JSONField(_("toelichting"), default=dict, blank=True)
    result = models.JSONField(_("resultaat"), default=dict, blank=True)
    by = user_reference(_("door"), blank=False)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("planberekening")
        verbose_name_plural = _("planberekeningen")

    def __str__(self) -> str:
        return f"{self.programme_id} {self.at:%Y-%m-%d %H:%M} {self.status}"


class ScenarioComparison(models.Model):
    """One press of "Scenario's berekenen en vergelijken": the base and every scenario solved by a task
    (each solve takes up to the programme's time limit, too long to wait for in a request). Like a plan
    run it records a computation: its status (bezig → gereed or fout) is set only by its task. `rows`:
    per scenario its name, description, plan run id and what changed against the base."""

    class Status(models.TextChoices):
        RUNNING = "bezig", _("wordt berekend")
        DONE = "gereed", _("gereed")
        ERROR = "fout", _("fout")

    programme = models.ForeignKey(
        WorkProgramme, on_delete=models.CASCADE, related_name="scenario_comparisons"
    )
    at = models.DateTimeField(_("tijdstip"), auto_now_add=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.RUNNING)
    rows = models.JSONField(_("vergelijking"), default=list, blank=True)
    by = user_reference(_("door"), blank=False)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("scenariovergelijking")
        verbose_name_plural = _("scenariovergelijkingen")

    def __str__(self) -> str:
        return f"{self.programme_id} {self.at:%Y-%m-%d %H:%M} {self.status}"


class AdjustmentReason(models.TextChoices):
    INCIDENT = "incident", _("incident")
    NEWS = "actualiteit", _("actualiteit")
    PARLIAMENT = "verzoek_kamer", _("verzoek Tweede Kamer")
    RISK = "risico", _("nieuwe risico-inschatting")
    CAPACITY = "capaciteit", _("capaciteit")


class Adjustment(models.Model):
    """A bijstelling of the programme during the year; the annual report accounts for these."""

    programme = models.ForeignKey(WorkProgramme, on_delete=models.CASCADE, related_name="adjustments")
    date = models.DateField(_("datum"))
    reason = models.CharField(_("aanleiding"), max_length=20, choices=AdjustmentReason.choices)
    note = models.TextField(_("toelichting"))
    from_quarter = models.PositiveSmallIntegerField(_("vanaf kwartaal"), default=1)
    summary = models.TextField(_("samenvatting"), blank=True)
    changes = models.JSONField(_("wijzigingen"), default=list, blank=True)
    added = models.ManyToManyField(ProgrammeItem, related_name="+", verbose_name=_("toegevoegd"), blank=True)
    deferred = models.ManyToManyField(
        ProgrammeItem, related_name="+", verbose_name=_("uitgesteld"), blank=True
    )
    cancelled = models.ManyToManyField(
        ProgrammeItem, related_name="+", verbose_name=_("geschrapt"), blank=True
    )
    plan_run = models.ForeignKey(PlanRun, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    by = user_reference(_("door"), blank=False)
    at = models.DateTimeField(_("vastgelegd op"), auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("bijstelling")
        verbose_name_plural = _("bijstellingen")

    def __str__(self) -> str:
        return f"{self.programme_id} {self.date} {self.reason}"
