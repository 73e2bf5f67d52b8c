"""Import of observations from CSV or XLSX: read and validate with core.tabular, write here in bulk.

Columns: ``indicator`` (code or name), ``organisatie`` (code or name), ``periode`` (2025-03, mrt 2025,
2025-Q1, 2025 or a date) and ``waarde`` (Dutch decimal comma). Rules: every row is checked and reported in
Dutch; nothing is written unless every row is valid, or the user asks to skip invalid rows, which are then
kept in quarantine with the import batch. A row that repeats an observation already stored with the same
value is counted as "al aanwezig" (so the same file twice adds nothing); another value for a stored period
is an error. The write is one transaction with bulk inserts, then breach detection over the new rows.
"""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass, field
from typing import Any

import polars as pl
from django.db import connection, transaction
from django.utils import timezone

from toezicht.core.bulk import (
    bulk_insert,
    references_checked_per_value,
    secondary_indexes_deferred,
    sqlite_foreign_keys_checked_in_bulk,
)
from toezicht.core.events import publish_on_commit
from toezicht.core.tabular import (
    Field,
    ImportMode,
    ImportReport,
    Number,
    Reference,
    RowError,
    Schema,
    validate_file,
)
from toezicht.core.tabular._text import display_value, format_int_nl, plural
from toezicht.indicators.detection import ObservationArrays, breaches_record
from toezicht.indicators.models import Frequency, Indicator, Observation, ObservationImportBatch
from toezicht.indicators.periods import Period, frequency_hint, period_label
from toezicht.indicators.services import observation_conflict_message, require_change
from toezicht.register.models import Organisation

MAX_MESSAGES = 10_000
_LABELS = {"indicator": "indicator", "organisation": "organisatie", "period": "periode", "value": "waarde"}


def observation_schema(by: Any = None) -> Schema:
    """The columns of an observation file. Organisations are looked up among those visible to ``by``."""
    indicators: dict[str, int] = {}
    for pk, code, name in Indicator.objects.values_list("pk", "code", "name"):
        indicators[code] = pk
        indicators[name] = pk
    organisations_qs = Organisation.objects.all() if by is None else Organisation.objects.visible_to(by)
    organisations: dict[str, int] = {}
    names: dict[str, int] = {}
    for pk, code, name in organisations_qs.values_list("pk", "code", "name").order_by("pk"):
        organisations[code] = pk
        names.setdefault(name, pk)
    for name, pk in names.items():
        organisations.setdefault(name, pk)
    return Schema(
        [
            Field("indicator", "indicator", Reference(indicators, noun="indicator"), required=True),
            Field(
                "organisation",
                "organisatie",
                Reference(organisations, noun="organisatie"),
                required=True,
                synonyms=("organisatiecode", "organisation", "code organisatie"),
            ),
            Field("period", "periode", Period(), required=True, synonyms=("maand", "period")),
            Field("value", "waarde", Number(), required=True, synonyms=("value", "meting")),
        ],
        unique_together=[("indicator", "organisation", "period")],
    )


@dataclass
class ObservationImportOutcome:
    report: ImportReport
    dry_run: bool = False
    skip_invalid: bool = False
    extra_errors: list[RowError] = field(default_factory=list)
    extra_invalid: int = 0  # rows refused after parsing (period/frequency, conflict with the database)
    extra_omitted: int = 0
    importable: int = 0  # rows that are (or would be) added
    created: int = 0
    unchanged: int = 0
    breaches: int = 0
    signals: int = 0
    batch: ObservationImportBatch | None = None

    @property
    def imported(self) -> int:
        return self.created

    @property
    def errors(self) -> list[RowError]:
        return sorted([*self.report.errors, *self.extra_errors], key=lambda e: (e.row, e.column))

    @property
    def notices(self) -> list[str]:
        return [*self.report.file_errors, *self.report.notices]

    @property
    def rejected(self) -> int:
        return self.report.invalid + self.extra_invalid

    @property
    def blocked(self) -> bool:
        """All-or-nothing and at least one row is wrong: nothing is (or would be) written."""
        return bool(self.report.file_errors) or (not self.skip_invalid and self.rejected > 0)

    @property
    def summary(self) -> str:
        report = self.report
        if report.file_errors:
            return report.summary()
        if report.total == 0:
            return "Het bestand bevat geen gegevensrijen."
        total = format_int_nl(report.total)
        if self.blocked:
            bad = "bevat fouten" if self.rejected == 1 else "bevatten fouten"
            return (
                f"Er wordt niets geïmporteerd: {format_int_nl(self.rejected)} van de {total} rijen {bad}. "
                "Herstel de fouten en lever het bestand opnieuw aan, of kies ‘Foute rijen overslaan’."
            )
        parts = []
        if self.dry_run:
            parts.append(
                f"Controle van {total} rijen: {plural(self.importable, 'meting', 'metingen')} "
                "zou worden toegevoegd"
            )
        else:
            parts.append(f"Van de {total} rijen: {plural(self.created, 'meting', 'metingen')} toegevoegd")
        parts.append(f"{format_int_nl(self.unchanged)} al aanwezig (niets gewijzigd)")
        if self.rejected:
            kept = "overgeslagen" if self.dry_run else "afgekeurd en in quarantaine bewaard"
            parts.append(f"{format_int_nl(self.rejected)} {kept}")
        text = ", ".join(parts) + "."
        if self.dry_run:
            return text + " Dit was een controle: er is niets opgeslagen."
        if self.created:
            text += (
                f" {plural(self.breaches, 'normoverschrijding', 'normoverschrijdingen')} vastgesteld, "
                f"{plural(self.signals, 'signaal', 'signalen')} aangemaakt."
            )
        elif not self.rejected:
            text += " Er was niets nieuws in dit bestand."
        return text

    def quarantine_entries(self) -> list[dict[str, Any]]:
        return [e.to_dict() for e in self.errors[:MAX_MESSAGES]]


def observations_import(
    *,
    content: bytes,
    filename: str,
    by: Any = None,
    skip_invalid: bool = False,
    dry_run: bool = False,
) -> ObservationImportOutcome:
    """Validate a file of observations and (unless dry_run, or blocked) write the new ones in bulk."""
    require_change(by)
    # Always validate leniently, so the report lists every problem; the requested mode decides below.
    result = validate_file(content, observation_schema(by), filename, mode=ImportMode.SKIP_INVALID)
    frame = result.frame()
    result.report.mode = ImportMode.SKIP_INVALID if skip_invalid else ImportMode.ALL_OR_NOTHING
    outcome = ObservationImportOutcome(report=result.report, dry_run=dry_run, skip_invalid=skip_invalid)
    if result.report.file_errors or frame.height == 0:
        return outcome
    frame = frame.with_columns(pl.col("value").cast(pl.Float64))
    frame, new = _check_rows(frame, outcome)
    outcome.importable = new.height
    outcome.unchanged = frame.height - new.height
    if dry_run or outcome.blocked:
        return outcome
    if new.height == 0 and outcome.rejected == 0:
        return outcome
    # SQLite: foreign keys checked once per value for a large import (see core.bulk)
    with sqlite_foreign_keys_checked_in_bulk(new.height), transaction.atomic():
        batch = ObservationImportBatch.objects.create(
            filename=filename[:255],
            sha256=hashlib.sha256(content).hexdigest(),
            rows_total=result.report.total,
            rows_created=new.height,
            rows_unchanged=outcome.unchanged,
            rows_rejected=outcome.rejected,
            quarantine=outcome.quarantine_entries(),
            imported_by=by if getattr(by, "is_authenticated", False) else None,
        )
        outcome.batch = batch
        if new.height:
            _insert(new, batch.pk)
            rows = list(
                Observation.objects.filter(import_batch=batch)
                .order_by("pk")
                .values_list("pk", "indicator_id", "organisation_id", "period_start", "value")
            )
            arrays = ObservationArrays.from_rows(rows)
            detected = breaches_record(arrays, by=by)
            outcome.created = len(rows)
            outcome.breaches = len(detected.breach_ids)
            outcome.signals = len(detected.signal_ids)
            publish_on_commit("observations.imported", observation_ids=arrays.ids)
    return outcome


def _check_rows(frame: pl.DataFrame, outcome: ObservationImportOutcome) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Rows that survive the checks needing the database; returns (all accepted rows, the new ones)."""
    indicators = {i.pk: i for i in Indicator.objects.filter(pk__in=frame["indicator"].unique().to_list())}
    frequency = pl.DataFrame(
        {"indicator": list(indicators), "_freq": [i.frequency for i in indicators.values()]},
        schema={"indicator": pl.Int64, "_freq": pl.String},
    )
    frame = frame.with_columns(pl.col("indicator").cast(pl.Int64), pl.col("organisation").cast(pl.Int64))
    frame = frame.join(frequency, on="indicator", how="left")
    month = pl.col("period").dt.month()
    misaligned = ((pl.col("_freq") == Frequency.QUARTER) & ~month.is_in([1, 4, 7, 10])) | (
        (pl.col("_freq") == Frequency.YEAR) & (month != 1)
    )
    bad_period = frame.filter(misaligned)
    for row, indicator_id, period in bad_period.select("_row", "indicator", "period").iter_rows():
        indicator = indicators[indicator_id]
        _add(
            outcome,
            RowError(
                row,
                "periode",
                period_label(period),
                f"De periode past niet bij ‘{indicator.name}’: {frequency_hint(indicator.frequency)}.",
                "period",
            ),
        )
    frame = frame.filter(~misaligned)
    low, high = frame["period"].min(), frame["period"].max()
    existing_rows = list(
        Observation.objects.filter(
            indicator_id__in=list(indicators), period_start__gte=low, period_start__lte=high
        ).values_list("indicator_id", "organisation_id", "period_start", "value")
    )
    existing = pl.DataFrame(
        existing_rows,
        schema={"indicator": pl.Int64, "organisation": pl.Int64, "period": pl.Date, "_existing": pl.Float64},
        orient="row",
    )
    frame = frame.join(existing, on=["indicator", "organisation", "period"], how="left")
    differs = pl.col("_existing").is_not_null() & (
        (pl.col("value") - pl.col("_existing")).abs()
        > 1e-9 * pl.max_horizontal(pl.lit(1.0), pl.col("_existing").abs())
    )
    conflicts = frame.filter(differs)
    if conflicts.height:
        org_ids = conflicts["organisation"].unique().to_list()[:MAX_MESSAGES]
        org_names = dict(Organisation.objects.filter(pk__in=org_ids).values_list("pk", "name"))
        for row, indicator_id, org_id, period, value, old in conflicts.select(
            "_row", "indicator", "organisation", "period", "value", "_existing"
        ).iter_rows():
            message = observation_conflict_message(
                indicators[indicator_id], org_names.get(org_id, str(org_id)), period, old
            )
            _add(outcome, RowError(row, "waarde", display_value(value), message, "value"))
    frame = frame.filter(~differs)
    new = frame.filter(pl.col("_existing").is_null())
    return frame, new


def _add(outcome: ObservationImportOutcome, error: RowError) -> None:
    outcome.extra_invalid += 1
    if len(outcome.extra_errors) < MAX_MESSAGES:
        outcome.extra_errors.append(error)
    else:
        outcome.extra_omitted += 1


def _insert(new: pl.DataFrame, batch_id: int | None) -> None:
    """Bulk insert without model instances (core.bulk: COPY on PostgreSQL, multi-row INSERTs on SQLite),
    in index order: the unique index (indicator, organisation, period) then grows at its ends."""
    rows = new.select(
        pl.col("indicator").alias("indicator_id"),
        pl.col("organisation").alias("organisation_id"),
        pl.col("period").dt.strftime("%Y-%m-%d").alias("period_start"),
        pl.col("value"),
    ).sort("indicator_id", "organisation_id", "period_start")
    stamp = connection.ops.adapt_datetimefield_value(timezone.now())
    table = Observation._meta.db_table
    constants = {"recorded_at": str(stamp), "import_batch_id": batch_id}
    references = {**{c: rows.get_column(c) for c in ("indicator_id", "organisation_id")}, **constants}
    with (
        references_checked_per_value(rows.height, [(Observation, references)]),
        secondary_indexes_deferred(table, rows.height),
    ):
        bulk_insert(table, rows.columns, rows, constants)


def period_from_text(text: str) -> datetime.date:
    """Convenience for forms and the API: a period typed by a person."""
    return Period().parse(text)
