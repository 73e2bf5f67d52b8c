"""Signals: everything reported to the inspectorate that may indicate risk, with its handling history.

Status changes, assignments and merges are written only by ``toezicht.signals.services`` through the
transition table in ``toezicht.signals.workflow``; every change appends a ``SignalEvent``.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from toezicht.core.models import ImportBatchBase, StatusEventBase, TimeStampedModel, user_reference
from toezicht.signals.querysets import SignalQuerySet


class DeadlineUnit(models.TextChoices):
    CALENDAR_DAYS = "kalenderdagen", _("kalenderdagen")
    WORKING_DAYS = "werkdagen", _("werkdagen")


class SourceType(models.Model):
    """Where a signal comes from, with its handling deadline (configurable by the administrator)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("naam"), max_length=120, unique=True)
    description = models.TextField(_("omschrijving"), blank=True)
    deadline_amount = models.PositiveIntegerField(_("afhandeltermijn"), default=10)
    deadline_unit = models.CharField(
        _("eenheid termijn"), max_length=20, choices=DeadlineUnit.choices, default=DeadlineUnit.WORKING_DAYS
    )
    is_mandatory_notification = models.BooleanField(
        _("wettelijke meldplicht"),
        default=False,
        help_text=_("Meldingen die organisaties verplicht doen, ook via de API van hun eigen systemen."),
    )
    order = models.PositiveSmallIntegerField(_("volgorde"), default=100)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("soort bron")
        verbose_name_plural = _("soorten bron")

    def __str__(self) -> str:
        return self.name


class SeverityLevel(models.Model):
    """One step of the configurable severity scale; ``rank`` orders the scale and feeds the risk model."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("naam"), max_length=80, unique=True)
    rank = models.PositiveSmallIntegerField(_("rangorde"), unique=True)
    colour = models.CharField(_("kleur"), max_length=7, default="#154273")

    class Meta:
        ordering = ["rank"]
        verbose_name = _("ernst")
        verbose_name_plural = _("ernstniveaus")

    def __str__(self) -> str:
        return self.name


class VulnerableGroup(models.Model):
    """People in a dependent position, such as minors, detainees or asylum seekers."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("naam"), max_length=80, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("kwetsbare groep")
        verbose_name_plural = _("kwetsbare groepen")

    def __str__(self) -> str:
        return self.name


class Confidentiality(models.TextChoices):
    PUBLIC = "openbaar", "openbaar"
    INTERNAL = "intern", "intern"
    CONFIDENTIAL = "vertrouwelijk", "vertrouwelijk"


class SignalStatus(models.TextChoices):
    RECEIVED = "ontvangen", _("ontvangen")
    IN_PROGRESS = "in_behandeling", _("in behandeling")
    ASSESSED = "beoordeeld", _("beoordeeld")
    LINKED = "gekoppeld", _("gekoppeld")
    CLOSED = "afgesloten", _("afgesloten")


OPEN_STATUSES = (SignalStatus.RECEIVED, SignalStatus.IN_PROGRESS, SignalStatus.ASSESSED)


class Signal(TimeStampedModel):
    reference = models.CharField(_("kenmerk"), max_length=30, unique=True)
    title = models.CharField(_("onderwerp"), max_length=250)
    description = models.TextField(_("omschrijving"), blank=True)
    source = models.ForeignKey(
        SourceType, on_delete=models.PROTECT, related_name="signals", verbose_name=_("bron")
    )
    received_on = models.DateField(_("ontvangen op"), db_index=True)
    occurred_on = models.DateField(_("datum voorval"), null=True, blank=True)
    deadline = models.DateField(_("afhandelen uiterlijk"), null=True, blank=True, db_index=True)
    area = models.ForeignKey(
        "register.SupervisionArea",
        on_delete=models.PROTECT,
        related_name="signals",
        verbose_name=_("toezichtgebied"),
        null=True,
        blank=True,
        db_index=False,  # signal_area_received leads with area
    )
    organisation = models.ForeignKey(
        "register.Organisation",
        on_delete=models.PROTECT,
        related_name="signals",
        verbose_name=_("organisatie"),
        null=True,
        blank=True,
        db_index=False,  # signal_org_received leads with organisation
    )
    related_organisations = models.ManyToManyField(
        "register.Organisation",
        related_name="related_signals",
        verbose_name=_("andere betrokken organisaties"),
        blank=True,
    )
    chain = models.ForeignKey(
        "register.Chain",
        on_delete=models.PROTECT,
        related_name="signals",
        verbose_name=_("keten"),
        null=True,
        blank=True,
        db_index=False,  # a partial index in Meta: nearly every signal leaves it empty
    )
    themes = models.ManyToManyField(
        "strategy.Theme", related_name="signals", verbose_name=_("thema's"), blank=True
    )
    severity = models.ForeignKey(
        SeverityLevel,
        on_delete=models.PROTECT,
        related_name="signals",
        verbose_name=_("ernst"),
        db_index=False,  # signal_severity_received leads with severity
    )
    people_affected = models.PositiveIntegerField(_("aantal betrokkenen"), null=True, blank=True)
    vulnerable_groups = models.ManyToManyField(
        VulnerableGroup, related_name="signals", verbose_name=_("kwetsbare groepen"), blank=True
    )
    confidentiality = models.CharField(
        _("vertrouwelijkheid"),
        max_length=20,
        choices=Confidentiality.choices,
        default=Confidentiality.INTERNAL,
    )
    authorised_users = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="authorised_signals",
        verbose_name=_("ook zichtbaar voor"),
        blank=True,
        help_text=_(
            "Bij een vertrouwelijk signaal: wie buiten het team van het toezichtgebied het mag zien."
        ),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=SignalStatus.choices, default=SignalStatus.RECEIVED
    )
    assigned_team = models.ForeignKey(
        "accounts.Team",
        on_delete=models.SET_NULL,
        related_name="signals",
        verbose_name=_("team"),
        null=True,
        blank=True,
        db_index=False,  # a partial index in Meta: nearly every signal leaves it empty
    )
    # a partial index in Meta: nearly every signal leaves it empty
    assigned_to = user_reference(_("behandelaar"), related_name="assigned_signals", db_index=False)
    # Set when a person merged this signal into another; both keep their history.
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        related_name="merged_signals",
        verbose_name=_("samengevoegd met"),
        null=True,
        blank=True,
        db_index=False,  # a partial index in Meta: nearly every signal leaves it empty
    )
    # Intake through the API or an import: the sending organisation's own id makes a repeat idempotent.
    sender = models.ForeignKey(
        "register.Organisation",
        on_delete=models.PROTECT,
        related_name="sent_signals",
        verbose_name=_("afzender"),
        null=True,
        blank=True,
        db_index=False,  # a partial index in Meta: nearly every signal leaves it empty
    )
    external_id = models.CharField(_("kenmerk afzender"), max_length=100, blank=True)
    # Hash of the normalised content of an imported row without a sender id: a second import adds nothing.
    # 128 bits of sha256 as 32 hex characters (once 64: half the index to build on a large import).
    fingerprint = models.CharField(_("vingerafdruk"), max_length=64, blank=True)
    import_batch = models.ForeignKey(
        "signals.ImportBatch",
        on_delete=models.SET_NULL,
        related_name="signals",
        verbose_name=_("importbestand"),
        null=True,
        blank=True,
    )
    # a partial index in Meta: what senders' systems deliver has no person behind it
    created_by = user_reference(_("ingevoerd door"), db_index=False)

    objects = SignalQuerySet.as_manager()

    class Meta:
        ordering = ["-received_on", "-id"]
        verbose_name = _("signaal")
        verbose_name_plural = _("signalen")
        constraints = [
            # A kenmerk is unique per sender; rows without a sender are left out of the index (a NULL
            # sender never collides anyway), so an import of mixed signals does not maintain it.
            models.UniqueConstraint(
                fields=["sender", "external_id"],
                condition=Q(sender__isnull=False) & ~Q(external_id=""),
                name="signal_unique_sender_external_id",
            )
        ]
        indexes = [
            models.Index(fields=["status", "received_on"], name="signal_status_received"),
            # "Termijn verlopen": the open statuses with a deadline before today, without scanning by date.
            models.Index(fields=["status", "deadline"], name="signal_status_deadline"),
            models.Index(fields=["organisation", "received_on"], name="signal_org_received"),
            models.Index(fields=["area", "received_on"], name="signal_area_received"),
            # "Ernst (hoogst)": one date-ordered walk per severity level (see selectors.SeverityOrdered).
            models.Index(fields=["severity", "received_on"], name="signal_severity_received"),
            # Equality lookups only: a Meta index, so PostgreSQL adds no pattern-matching twin.
            models.Index(fields=["fingerprint"], name="signal_fingerprint"),
            # Foreign keys that almost every signal leaves empty: indexing only the filled ones keeps the
            # lookups (and the deletes that follow a key) fast at a fraction of the upkeep on import.
            *[
                models.Index(
                    fields=[name], condition=Q(**{f"{name}__isnull": False}), name=f"signal_{name}_set"
                )
                for name in ("chain", "assigned_team", "assigned_to", "merged_into", "sender", "created_by")
            ],
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES and self.merged_into_id is None

    @property
    def days_overdue(self) -> int:
        """Calendar days past the handling deadline while the signal is still open; 0 otherwise."""
        if not self.deadline or not self.is_open:
            return 0
        return max(0, (datetime.date.today() - self.deadline).days)


class SignalEvent(StatusEventBase):
    """Append-only history of a signal: status changes, assignments, merges and notes."""

    class Kind(models.TextChoices):
        CREATED = "aangemaakt", _("aangemaakt")
        STATUS = "status", _("statuswijziging")
        ASSIGNED = "toegewezen", _("toegewezen")
        MERGED = "samengevoegd", _("samengevoegd")
        NOTE = "notitie", _("notitie")

    signal = models.ForeignKey(
        Signal, on_delete=models.CASCADE, related_name="events", verbose_name=_("signaal")
    )
    kind = models.CharField(_("soort"), max_length=20, choices=Kind.choices)
    from_status = models.CharField(_("van status"), max_length=20, choices=SignalStatus.choices, blank=True)
    to_status = models.CharField(_("naar status"), max_length=20, choices=SignalStatus.choices, blank=True)

    class Meta(StatusEventBase.Meta):
        pass

    def __str__(self) -> str:
        return f"{self.signal_id} {self.kind} {self.at:%Y-%m-%d %H:%M}"


class SignalAttachment(models.Model):
    signal = models.ForeignKey(
        Signal, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("signaal")
    )
    file = models.FileField(_("bestand"), upload_to="signalen/%Y/%m/")
    name = models.CharField(_("naam"), max_length=255)
    uploaded_at = models.DateTimeField(_("toegevoegd op"), auto_now_add=True)
    uploaded_by = user_reference(_("toegevoegd door"))

    class Meta:
        ordering = ["uploaded_at"]
        verbose_name = _("bijlage")
        verbose_name_plural = _("bijlagen")

    def __str__(self) -> str:
        return self.name


class DuplicateCandidate(models.Model):
    """A pair of signals that may report the same event, for a person to merge or dismiss."""

    class Decision(models.TextChoices):
        OPEN = "open", _("open")
        MERGED = "samengevoegd", _("samengevoegd")
        DISMISSED = "geen_dubbel", _("geen dubbel")

    signal = models.ForeignKey(
        Signal, on_delete=models.CASCADE, related_name="duplicate_candidates", verbose_name=_("signaal")
    )
    other = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="+", verbose_name=_("lijkt op"))
    score = models.FloatField(_("overeenkomst"))
    reason = models.CharField(_("reden"), max_length=255, blank=True)
    decision = models.CharField(_("besluit"), max_length=20, choices=Decision.choices, default=Decision.OPEN)
    decided_by = user_reference(_("besloten door"))
    decided_at = models.DateTimeField(_("besloten op"), null=True, blank=True)
    created_at = models.DateTimeField(_("gevonden op"), auto_now_add=True)

    class Meta:
        ordering = ["-score"]
        verbose_name = _("mogelijk dubbel signaal")
        verbose_name_plural = _("mogelijk dubbele signalen")
        constraints = [models.UniqueConstraint(fields=["signal", "other"], name="duplicate_unique_pair")]

    def __str__(self) -> str:
        return f"{self.signal_id} ~ {self.other_id} ({self.score:.2f})"


class SenderToken(models.Model):
    """An API key with which one supervised organisation's own system posts its mandatory notifications.

    Only a hash of the key is stored; the key is shown once when it is made.
    """

    organisation = models.ForeignKey(
        "register.Organisation",
        on_delete=models.CASCADE,
        related_name="sender_tokens",
        verbose_name=_("organisatie"),
    )
    label = models.CharField(_("omschrijving"), max_length=120)
    prefix = models.CharField(_("begin van de sleutel"), max_length=8)
    key_hash = models.CharField(_("hash van de sleutel"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("laatst gebruikt"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("ingetrokken op"), null=True, blank=True)

    class Meta:
        ordering = ["organisation__name", "label"]
        verbose_name = _("API-sleutel van een melder")
        verbose_name_plural = _("API-sleutels van melders")

    def __str__(self) -> str:
        return f"{self.organisation} · {self.label} ({self.prefix}…)"


class ImportMapping(models.Model):
    """A saved column mapping for bulk imports, usually one per sending organisation."""

    name = models.CharField(_("naam"), max_length=120, unique=True)
    sender = models.ForeignKey(
        "register.Organisation",
        on_delete=models.CASCADE,
        related_name="signal_import_mappings",
        verbose_name=_("afzender"),
        null=True,
        blank=True,
    )
    # {"column in the file": "field name"}; field names are those of the signal import schema.
    columns = models.JSONField(_("kolommen"), default=dict)
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    created_by = user_reference(_("aangemaakt door"))

    class Meta:
        ordering = ["name"]
        verbose_name = _("kolomindeling")
        verbose_name_plural = _("kolomindelingen")

    def __str__(self) -> str:
        return self.name


class ImportBatch(ImportBatchBase):
    """One imported file of signals, with the column mapping it was read with."""

    mapping = models.ForeignKey(
        ImportMapping, on_delete=models.SET_NULL, related_name="batches", null=True, blank=True
    )

    class Meta(ImportBatchBase.Meta):
        verbose_name = _("import")
        verbose_name_plural = _("imports")


class ImportJobStatus(models.TextChoices):
    QUEUED = "wachtrij", _("in de wachtrij")
    RUNNING = "bezig", _("bezig")
    DONE = "gereed", _("gereed")
    FAILED = "mislukt", _("mislukt")


class SignalImportJob(models.Model):
    """A large file handed to a background worker (TASK_BACKEND=celery) instead of being imported while the
    page waits. Like a plan run it records a computation, not a case: only its task changes the status, in
    one direction (wachtrij → bezig → gereed or mislukt); what was imported is the batch it points to."""

    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True, db_index=True)
    by = user_reference(_("door"))
    filename = models.CharField(_("bestand"), max_length=255)
    path = models.CharField(_("opgeslagen bestand"), max_length=500, blank=True)  # removed when it ends
    options = models.JSONField(_("keuzes"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ImportJobStatus.choices, default=ImportJobStatus.QUEUED
    )
    batch = models.ForeignKey(
        ImportBatch,
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("import"),
    )
    summary = models.TextField(_("uitkomst"), blank=True)
    report_path = models.CharField(_("rapport"), max_length=500, blank=True)
    error = models.TextField(_("foutmelding"), blank=True)
    finished_at = models.DateTimeField(_("klaar op"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("import op de achtergrond")
        verbose_name_plural = _("imports op de achtergrond")

    def __str__(self) -> str:
        return f"{self.filename} ({self.status})"

    @property
    def waiting(self) -> bool:
        return self.status in (ImportJobStatus.QUEUED, ImportJobStatus.RUNNING)
