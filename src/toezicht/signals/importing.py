"""Bulk import of signals from CSV or XLSX: validate with core.tabular, write in bulk, in one transaction.

Every row is checked and reported in Dutch. Nothing is written unless every row is valid, or the user
explicitly asks to skip invalid rows (those are kept in the ImportBatch's quarantine). A row that is
already in the database (same sender and sender's kenmerk, or without a sender kenmerk the same
content fingerprint) is "al aanwezig" and adds nothing, so importing a file twice is harmless.

Speed matters (a million rows): no per-row ORM saves. Parsing is vectorised (polars), references are
resolved through dicts loaded once, kenmerken are numbered in blocks per year, deadlines come from the
vectorised working-day calendar, and rows go to the database in bulk (``bulk_insert``: multi-row INSERTs
on SQLite, COPY on PostgreSQL), including the theme and vulnerable-group links; the batch records who
imported the signals and when, so no "aangemaakt" event is written per signal (ADR 0063). Large imports
rebuild indexes and check foreign keys in bulk (ADR 0061).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import polars as pl
from django.db import connection, transaction
from django.utils import timezone

from toezicht.core.bulk import (
    bulk_insert,
    rebuild_pays,
    references_checked_per_value,
    reserve_ids,
    secondary_indexes_deferred,
    sqlite_foreign_keys_checked_in_bulk,
)
from toezicht.core.events import publish_on_commit
from toezicht.core.tabular import (
    Choice,
    ColumnMapping,
    Date,
    Field,
    ImportMode,
    ImportReport,
    ImportResult,
    Integer,
    Reference,
    ReferenceList,
    RowError,
    Schema,
    Text,
    canonical_text,
    validate_file,
    write_csv,
)
from toezicht.core.tabular._text import format_int_nl, plural
from toezicht.register.models import Chain, Organisation, SupervisionArea
from toezicht.signals.intake.deadlines import default_calendar
from toezicht.signals.models import (
    Confidentiality,
    ImportBatch,
    ImportMapping,
    SeverityLevel,
    Signal,
    SignalEvent,
    SignalStatus,
    SourceType,
    VulnerableGroup,
)
from toezicht.signals.services import highest_reference_numbers
from toezicht.strategy.models import Theme

__all__ = [
    "FIELDS",
    "SignalImportOutcome",
    "bulk_insert",
    "insert_signal_frame",
    "mapping_from_model",
    "mapping_save",
    "signal_schema",
    "signals_import",
]

#: Rows kept in an ImportBatch's quarantine; beyond this only the count and the report are kept.
QUARANTINE_LIMIT = 50_000
#: Hex characters of a row's content fingerprint kept (128 bits of sha256).
FINGERPRINT_LENGTH = 32

# Field name (= default column name) -> Dutch explanation shown on the import page and in the docs.
FIELDS: dict[str, str] = {
    "kenmerk_afzender": "het eigen kenmerk van de afzender (maakt opnieuw aanleveren veilig)",
    "onderwerp": "korte omschrijving, verplicht",
    "omschrijving": "toelichting",
    "bron": "soort bron, code of naam (bijvoorbeeld incident_notification of Calamiteitenmelding), verplicht",
    "ontvangen_op": "datum van ontvangst, bijvoorbeeld 31-12-2024, verplicht",
    "datum_voorval": "datum van het voorval",
    "organisatie": "code of naam van de organisatie",
    "toezichtgebied": "code of naam; leeg: het toezichtgebied van de organisatie",
    "keten": "code of naam van de keten",
    "themas": "codes of namen, gescheiden door | of ,",
    "ernst": "laag, midden, hoog of zeer hoog (code of naam), verplicht",
    "aantal_betrokkenen": "geheel getal",
    "kwetsbare_groepen": "codes of namen, gescheiden door | of ,",
    "vertrouwelijkheid": "openbaar, intern (standaard) of vertrouwelijk",
}


# --------------------------------------------------------------------------- lookups and schema


@dataclass
class _Lookups:
    sources: dict[str, int]
    severities: dict[str, int]
    organisations: dict[str, int]
    areas: dict[str, int]
    chains: dict[str, int]
    themes: dict[str, int]
    groups: dict[str, int]
    organisation_area: dict[int, int]
    deadline: dict[int, tuple[int, bool]]  # source pk -> (amount, working days)
    source_names: dict[int, str]


def _code_name(rows: Iterable[tuple[int, str, str]]) -> dict[str, int]:
    """{code: pk, name: pk}; codes win, and a name shared by several records is left out."""
    by_code: dict[str, int] = {}
    names: dict[str, set[int]] = {}
    for pk, code, name in rows:
        by_code[code] = pk
        names.setdefault(name, set()).add(pk)
    result = dict(by_code)
    for name, pks in names.items():
        if len(pks) == 1 and name not in result:
            result[name] = next(iter(pks))
    return result


def _load_lookups(user: Any = None) -> _Lookups:
    organisations = Organisation.objects.all()
    areas = SupervisionArea.objects.all()
    chains = Chain.objects.all()
    if user is not None:
        organisations = organisations.visible_to(user)
        chains = chains.visible_to(user)
        if not getattr(user, "sees_all_areas", False):
            areas = areas.filter(users=user)
    sources = list(SourceType.objects.values_list("pk", "code", "name", "deadline_amount", "deadline_unit"))
    org_area: dict[int, int] = {}
    links = Organisation.areas.through.objects.order_by("organisation_id", "supervisionarea_id")
    for organisation_id, area_id in links.values_list("organisation_id", "supervisionarea_id"):
        org_area.setdefault(organisation_id, area_id)
    return _Lookups(
        sources=_code_name((pk, code, name) for pk, code, name, _, _ in sources),
        severities=_code_name(SeverityLevel.objects.values_list("pk", "code", "name")),
        organisations=_code_name(organisations.values_list("pk", "code", "name")),
        areas=_code_name(areas.values_list("pk", "code", "name")),
        chains=_code_name(chains.values_list("pk", "code", "name")),
        themes=_code_name(Theme.objects.values_list("pk", "code", "name")),
        groups=_code_name(VulnerableGroup.objects.values_list("pk", "code", "name")),
        organisation_area=org_area,
        deadline={pk: (int(amount), unit == "werkdagen") for pk, _, _, amount, unit in sources},
        source_names={pk: name for pk, _, name, _, _ in sources},
    )


def signal_schema(lookups: _Lookups | None = None) -> Schema:
    """The columns of a signal import. Field names are the default column names (Dutch)."""
    lk = lookups or _load_lookups()
    earliest, latest = dt.date(1900, 1, 1), dt.date(2100, 12, 31)
    return Schema(
        [
            Field(
                "kenmerk_afzender",
                "kenmerk_afzender",
                Text(100),
                synonyms=("kenmerk afzender", "uw kenmerk", "eigen kenmerk", "extern kenmerk", "id"),
            ),
            Field("onderwerp", "onderwerp", Text(250), required=True, synonyms=("titel", "betreft")),
            Field("omschrijving", "omschrijving", Text(20_000), synonyms=("toelichting", "beschrijving")),
            Field(
                "bron",
                "bron",
                Reference(lk.sources, noun="bron", unknown="onbekende bron"),
                required=True,
                synonyms=("soort bron", "brontype"),
            ),
            Field(
                "ontvangen_op",
                "ontvangen_op",
                Date(min_value=earliest, max_value=latest),
                required=True,
                synonyms=("ontvangen op", "datum ontvangst", "ontvangstdatum", "datum"),
            ),
            Field(
                "datum_voorval",
                "datum_voorval",
                Date(min_value=earliest, max_value=latest),
                synonyms=("datum voorval", "datum incident", "voorvalsdatum"),
            ),
            Field(
                "organisatie",
                "organisatie",
                Reference(lk.organisations, noun="organisatie", unknown="onbekende organisatie"),
                synonyms=("organisatiecode", "instelling", "locatie"),
            ),
            Field(
                "toezichtgebied",
                "toezichtgebied",
                Reference(lk.areas, noun="toezichtgebied", unknown="onbekend toezichtgebied"),
                synonyms=("gebied",),
            ),
            Field("keten", "keten", Reference(lk.chains, noun="keten", unknown="onbekende keten")),
            Field(
                "themas",
                "themas",
                ReferenceList(Reference(lk.themes, noun="thema", unknown="onbekend thema")),
                synonyms=("thema's", "thema"),
            ),
            Field(
                "ernst",
                "ernst",
                Reference(lk.severities, noun="ernst", unknown="onbekende ernst"),
                required=True,
                synonyms=("ernstniveau", "prioriteit"),
            ),
            Field(
                "aantal_betrokkenen",
                "aantal_betrokkenen",
                Integer(min_value=0, max_value=2_000_000_000),
                synonyms=("aantal betrokkenen", "betrokkenen"),
            ),
            Field(
                "kwetsbare_groepen",
                "kwetsbare_groepen",
                ReferenceList(
                    Reference(lk.groups, noun="kwetsbare groep", unknown="onbekende kwetsbare groep")
                ),
                synonyms=("kwetsbare groepen", "kwetsbare groep"),
            ),
            Field(
                "vertrouwelijkheid",
                "vertrouwelijkheid",
                Choice(Confidentiality.choices),
                default=Confidentiality.INTERNAL.value,
            ),
        ]
    )


# --------------------------------------------------------------------------- mappings


def mapping_from_model(saved: ImportMapping | None) -> ColumnMapping | None:
    """ImportMapping.columns is {column in the file: field name}; the toolkit wants it the other way."""
    if saved is None:
        return None
    columns: dict[str, str] = {}
    for column, name in (saved.columns or {}).items():
        if isinstance(name, str) and name and isinstance(column, str):
            columns[name] = column
    return ColumnMapping(columns=columns)


def mapping_save(
    *, name: str, columns: Mapping[str, str], sender: Organisation | None = None, by: Any = None
) -> ImportMapping:
    """Store (or replace) a named column mapping {column in the file: field name}."""
    known = set(FIELDS)
    cleaned = {str(column): str(target) for column, target in columns.items() if target in known}
    mapping, _ = ImportMapping.objects.update_or_create(
        name=name.strip(),
        defaults={
            "columns": cleaned,
            "sender": sender,
            "created_by": by if getattr(by, "is_authenticated", False) else None,
        },
    )
    return mapping


# --------------------------------------------------------------------------- outcome


@dataclass
class RowNote:
    row: int
    message: str

    def __str__(self) -> str:
        return f"Rij {self.row}: {self.message}"


@dataclass
class SignalImportOutcome:
    report: ImportReport
    result: ImportResult | None = None
    batch: ImportBatch | None = None
    created: int = 0
    unchanged: int = 0
    rejected: int = 0
    dry_run: bool = False
    notes: list[RowNote] = field(default_factory=list)  # rows that were already present
    extra_errors: list[RowError] = field(default_factory=list)  # rejected after validation
    references: tuple[str, str] | None = None  # first and last new kenmerk
    new_valid: int = 0  # valid rows not yet in the database (what skipping invalid rows would add)

    @property
    def imported(self) -> int:
        return self.created

    @property
    def errors(self) -> list[RowError]:
        return sorted([*self.report.errors, *self.extra_errors], key=lambda e: e.row)

    @property
    def summary(self) -> str:
        report = self.report
        if report.file_errors:
            return report.summary()
        total = format_int_nl(report.total)
        parts: list[str] = []
        blocked = bool(self.rejected) and report.mode is ImportMode.ALL_OR_NOTHING
        if self.dry_run:
            parts.append(f"Controle van {plural(report.total, 'rij', 'rijen')}; er is niets opgeslagen.")
            if blocked:
                parts.append(f"{format_int_nl(self.new_valid)} goed en nieuw, maar zo wordt niets toegevoegd")
            else:
                would = "zou" if self.created == 1 else "zouden"
                parts.append(f"{format_int_nl(self.created)} {would} worden toegevoegd")
        elif self.created:
            parts.append(f"{format_int_nl(self.created)} van de {total} rijen zijn toegevoegd als signaal")
        else:
            parts.append(f"Er is niets geïmporteerd uit {total} rijen")
        if self.unchanged:
            parts.append(f"{format_int_nl(self.unchanged)} al aanwezig")
        if self.rejected:
            word = "afgekeurd"
            if not self.dry_run and self.created and report.mode is ImportMode.SKIP_INVALID:
                word = "afgekeurd en in quarantaine gezet"
            parts.append(f"{format_int_nl(self.rejected)} {word}")
        text = parts[0] if self.dry_run else ""
        rest = parts[1:] if self.dry_run else parts
        sentence = rest[0] + ("; " + ", ".join(rest[1:]) if len(rest) > 1 else "") + "."
        if blocked:
            sentence += (
                " Herstel de fouten en lever het bestand opnieuw aan, of kies 'foute rijen overslaan'."
            )
        return f"{text} {sentence}".strip()

    def problems(self, limit: int | None = None) -> list[dict[str, Any]]:
        """Report lines for a page: file errors, row errors and 'al aanwezig' notes, by row."""
        items: list[dict[str, Any]] = [
            {"row": None, "column": "", "value": "", "message": m, "level": "fout"}
            for m in self.report.file_errors
        ]
        for error in self.errors:
            items.append({**error.to_dict(), "level": "fout"})
        for note in self.notes:
            items.append(
                {"row": note.row, "column": "", "value": "", "message": note.message, "level": "melding"}
            )
        items.sort(key=lambda i: (i["row"] is not None, i["row"] or 0))
        return items if limit is None else items[:limit]

    def report_csv(self) -> bytes:
        """The full report as CSV for Dutch Excel: rij, kolom, waarde, melding."""
        rows = [
            {
                "rij": i["row"] or "",
                "soort": i["level"],
                "kolom": i["column"],
                "waarde": i["value"],
                "melding": i["message"],
            }
            for i in self.problems()
        ]
        data = write_csv(rows, ["rij", "soort", "kolom", "waarde", "melding"])
        assert data is not None
        return data

    def as_text(self, limit: int = 100) -> str:
        lines = [self.report.as_text(limit)]
        if self.extra_errors:
            lines.append("Botsingen met andere rijen:")
            lines.extend(f"  - {e}" for e in self.extra_errors[:limit])
        if self.notes:
            lines.append("Al aanwezig:")
            lines.extend(f"  - {n}" for n in self.notes[:limit])
            if len(self.notes) > limit:
                lines.append(f"  … en nog {plural(len(self.notes) - limit, 'rij', 'rijen')}")
        lines.append(self.summary)
        return "\n".join(lines)


# --------------------------------------------------------------------------- the import


def signals_import(
    *,
    content: bytes,
    filename: str,
    by: Any = None,
    mapping: ImportMapping | ColumnMapping | None = None,
    sender: Organisation | None = None,
    skip_invalid: bool = False,
    dry_run: bool = False,
    restrict_to_user: bool = True,
) -> SignalImportOutcome:
    """Validate and import a file of signals. One transaction; nothing is half-written.

    `by`: the user (recorded as creator; with restrict_to_user the organisations, areas and chains a
    row may name are those the user can see). `mapping`: a saved ImportMapping (its sender is used
    when `sender` is not given) or a ColumnMapping.
    """
    saved = mapping if isinstance(mapping, ImportMapping) else None
    column_mapping = mapping_from_model(saved) if saved is not None else mapping
    assert column_mapping is None or isinstance(column_mapping, ColumnMapping)
    if sender is None and saved is not None:
        sender = saved.sender
    user = by if getattr(by, "is_authenticated", False) else None
    lookups = _load_lookups(user if restrict_to_user else None)
    schema = signal_schema(lookups)
    mode = ImportMode.SKIP_INVALID if skip_invalid else ImportMode.ALL_OR_NOTHING
    result = validate_file(content, schema, filename, column_mapping, mode=mode)
    outcome = SignalImportOutcome(report=result.report, result=result, dry_run=dry_run)
    report = result.report
    if report.file_errors:
        return outcome

    frame = _importable(result)
    frame = _derive(frame, lookups, schema, sender)
    frame, in_file_dups, conflicts = _dedup_in_file(frame, sender)
    for row, first in conflicts:
        outcome.extra_errors.append(
            RowError(
                row,
                "kenmerk_afzender",
                "",
                f"Dit kenmerk van de afzender komt ook voor in rij {first}, met andere gegevens.",
                "kenmerk_afzender",
            )
        )
    outcome.notes.extend(
        RowNote(row, f"Gelijk aan rij {first}; overgeslagen.") for row, first in in_file_dups
    )
    outcome.rejected = report.invalid + len(conflicts)
    blocked = mode is ImportMode.ALL_OR_NOTHING and outcome.rejected > 0

    writing = 0 if blocked or dry_run else frame.height
    try:
        with sqlite_foreign_keys_checked_in_bulk(writing), transaction.atomic():
            _lock_signals(writing)
            frame, present = _drop_present(frame, sender)
            outcome.notes.extend(
                RowNote(row, f"Al aanwezig als {reference}; niet opnieuw toegevoegd.")
                for row, reference in present
            )
            outcome.notes.sort(key=lambda n: n.row)
            outcome.unchanged = len(in_file_dups) + len(present)
            outcome.new_valid = frame.height
            if blocked or dry_run:
                outcome.created = 0 if blocked else frame.height
                raise _DryRun
            batch = ImportBatch.objects.create(
                filename=filename[:255],
                sha256=hashlib.sha256(content).hexdigest(),
                mapping=saved,
                rows_total=report.total,
                rows_unchanged=outcome.unchanged,
                rows_rejected=outcome.rejected,
                quarantine=_quarantine(result, outcome.extra_errors),
                imported_by=user,
            )
            if frame.height:
                first_reference, last_reference = insert_signal_frame(
                    frame,
                    batch_id=batch.pk,
                    user_id=getattr(user, "pk", None),
                    lookups=lookups,
                )
                outcome.references = (first_reference, last_reference)
            outcome.created = frame.height
            batch.rows_created = frame.height
            batch.save(update_fields=["rows_created"])
            outcome.batch = batch
            publish_on_commit("signals.imported", batch_id=batch.pk)
    except _DryRun:
        pass
    if blocked:
        outcome.created = 0
    return outcome


class _DryRun(Exception):
    """Raised inside the transaction to roll back a check or a blocked import."""


def _importable(result: ImportResult) -> pl.DataFrame:
    """Valid rows (also in all-or-nothing mode, so a check counts what would be new)."""
    return result.valid_frame()


def _derive(
    frame: pl.DataFrame, lookups: _Lookups, schema: Schema, sender: Organisation | None
) -> pl.DataFrame:
    """Area from the organisation when empty, and the sha256 fingerprint of the row's content."""
    if frame.height == 0:
        return frame.with_columns(pl.lit("").alias("_fingerprint"))
    if lookups.organisation_area:
        fallback = pl.col("organisatie").replace_strict(
            list(lookups.organisation_area),
            list(lookups.organisation_area.values()),
            default=None,
            return_dtype=pl.Int64,
        )
        frame = frame.with_columns(pl.coalesce(pl.col("toezichtgebied"), fallback).alias("toezichtgebied"))
    if sender is not None:
        frame = frame.with_columns(pl.lit(sender.pk, dtype=pl.Int64).alias("_sender"))
    prefix = f"{sender.pk if sender is not None else ''}\x1f"
    # encoded by polars in one go; hashlib is then the only per-row work
    texts = frame.select((pl.lit(prefix) + canonical_text(schema)).cast(pl.Binary)).to_series().to_list()
    sha256 = hashlib.sha256
    # 128 bits: no collision in any realistic number of signals, and half the index of a full digest
    digests = [sha256(t).hexdigest()[:FINGERPRINT_LENGTH] for t in texts]
    return frame.with_columns(pl.Series("_fingerprint", digests, dtype=pl.String))


def _key_expr(sender: Organisation | None) -> pl.Expr:
    if sender is None:
        return pl.lit("f:") + pl.col("_fingerprint")
    external = pl.col("kenmerk_afzender").fill_null("")
    return (
        pl.when(external != "").then(pl.lit("e:") + external).otherwise(pl.lit("f:") + pl.col("_fingerprint"))
    )


def _dedup_in_file(
    frame: pl.DataFrame, sender: Organisation | None
) -> tuple[pl.DataFrame, list[tuple[int, int]], list[tuple[int, int]]]:
    """Keep the first row of each key. Later rows with equal content are skipped; with the same
    sender kenmerk but other content they are rejected (returned as conflicts)."""
    if frame.height == 0:
        return frame.with_columns(pl.lit("").alias("_key")), [], []
    frame = frame.with_columns(_key_expr(sender).alias("_key"))
    if frame.get_column("_key").is_unique().all():  # the usual case: no window over a million keys
        return frame, [], []
    marked = frame.with_columns(
        pl.col("_row").first().over("_key").alias("_first"),
        pl.col("_fingerprint").first().over("_key").alias("_first_fp"),
    )
    later = marked.filter(pl.col("_row") != pl.col("_first"))
    if later.height == 0:
        return frame, [], []
    same = later.filter(pl.col("_fingerprint") == pl.col("_first_fp"))
    other = later.filter(pl.col("_fingerprint") != pl.col("_first_fp"))
    dups = list(zip(same.get_column("_row").to_list(), same.get_column("_first").to_list(), strict=True))
    conflicts = list(
        zip(other.get_column("_row").to_list(), other.get_column("_first").to_list(), strict=True)
    )
    keep = marked.filter(pl.col("_row") == pl.col("_first")).drop("_first", "_first_fp")
    return keep, dups, conflicts


def _drop_present(
    frame: pl.DataFrame, sender: Organisation | None
) -> tuple[pl.DataFrame, list[tuple[int, str]]]:
    """Rows whose key is already in the database, with the kenmerk they have there."""
    if frame.height == 0 or not _any_signal():
        return frame, []
    keys = frame.get_column("_key")
    externals = keys.filter(keys.str.starts_with("e:")).str.slice(2).to_list()
    fingerprints = keys.filter(keys.str.starts_with("f:")).str.slice(2).to_list()
    found: dict[str, str] = {}
    if externals and sender is not None:
        for external, reference in _lookup_existing("external_id", externals, sender_id=sender.pk):
            found["e:" + external] = reference
    if fingerprints:
        for fingerprint, reference in _lookup_existing("fingerprint", fingerprints):
            found.setdefault("f:" + fingerprint, reference)
    if not found:
        return frame, []
    present_keys = list(found)
    hit = frame.filter(pl.col("_key").is_in(present_keys))
    rows = hit.get_column("_row").to_list()
    present = [(row, found[key]) for row, key in zip(rows, hit.get_column("_key").to_list(), strict=True)]
    return frame.filter(~pl.col("_key").is_in(present_keys)), present


def _any_signal() -> bool:
    """A first load into an empty table has nothing to compare with (saves a join of every key)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT 1 FROM {connection.ops.quote_name(Signal._meta.db_table)} LIMIT 1")
        return cursor.fetchone() is not None


def _lookup_existing(
    column: str, values: list[str], *, sender_id: int | None = None
) -> list[tuple[str, str]]:
    """(value, reference) of signals whose `column` is one of `values`. Many values go through a
    temporary table joined on the indexed column, few through an IN list."""
    table = Signal._meta.db_table
    qn = connection.ops.quote_name
    sender_sql = f" AND s.{qn('sender_id')} = %s" if sender_id is not None else ""
    sender_params = [sender_id] if sender_id is not None else []
    found: list[tuple[str, str]] = []
    with connection.cursor() as cursor:
        if len(values) <= 5_000:
            for start in range(0, len(values), 500):
                part = values[start : start + 500]
                marks = ", ".join(["%s"] * len(part))
                cursor.execute(
                    f"SELECT s.{qn(column)}, s.{qn('reference')} FROM {qn(table)} s "
                    f"WHERE s.{qn(column)} IN ({marks}){sender_sql}",
                    [*part, *sender_params],
                )
                found.extend(cursor.fetchall())
            return found
        temp = "tmp_signal_import_keys"
        if connection.vendor == "postgresql":
            cursor.execute(f"CREATE TEMP TABLE IF NOT EXISTS {temp} (k TEXT) ON COMMIT DROP")
            cursor.execute(f"TRUNCATE {temp}")
        else:
            cursor.execute(f"CREATE TEMP TABLE IF NOT EXISTS {temp} (k TEXT)")
            cursor.execute(f"DELETE FROM {temp}")
        bulk_insert(temp, ["k"], pl.DataFrame({"k": values}))
        cursor.execute(
            f"SELECT s.{qn(column)}, s.{qn('reference')} FROM {qn(table)} s "
            f"JOIN {temp} t ON t.k = s.{qn(column)}{' WHERE' + sender_sql[4:] if sender_sql else ''}",
            sender_params,
        )
        found.extend(cursor.fetchall())
        if connection.vendor != "postgresql":
            cursor.execute(f"DROP TABLE {temp}")
    return found


def _lock_signals(rows: int = 0) -> None:
    """Numbers are handed out per year: keep other writers from taking the same kenmerk meanwhile.
    SQLite already holds the write lock (immediate transactions); PostgreSQL locks the table. An
    import large enough to rebuild the indexes (secondary_indexes_deferred) locks the tables it
    writes against readers as well, up front: taking that lock later, while another transaction
    holds a read lock and waits for ours, would deadlock."""
    if connection.vendor != "postgresql":
        return
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        if rebuild_pays(Signal._meta.db_table, rows):
            tables = [
                Signal._meta.db_table,
                Signal.themes.through._meta.db_table,
                Signal.vulnerable_groups.through._meta.db_table,
                SignalEvent._meta.db_table,
            ]
            cursor.execute(f"LOCK TABLE {', '.join(qn(t) for t in tables)} IN ACCESS EXCLUSIVE MODE")
        else:
            cursor.execute(f"LOCK TABLE {qn(Signal._meta.db_table)} IN SHARE ROW EXCLUSIVE MODE")


def _quarantine(result: ImportResult, extra: list[RowError]) -> list[dict[str, Any]]:
    header = list(result.table.header) if result.table is not None else []
    more: dict[int, list[str]] = {}
    for error in extra:
        more.setdefault(error.row, []).append(
            f"{error.column}: {error.message}" if error.column else error.message
        )
    records: list[dict[str, Any]] = []
    for row, values, messages in result.invalid_rows(more):
        if len(records) >= QUARANTINE_LIMIT:
            break
        # [column, value] pairs, not a dict: PostgreSQL's jsonb does not keep the order of an object's keys,
        # and the sender gets the rejected rows back with the columns in the order of the file.
        pairs = [[column, value] for column, value in zip(header, values, strict=False)]
        records.append({"rij": row, "waarden": pairs, "fouten": messages})
    return records


# --------------------------------------------------------------------------- writing in bulk


def _links(ids: pl.Series, lists: pl.Series, target: str) -> pl.DataFrame:
    """Through-table rows from a column of '3|7' texts."""
    frame = pl.DataFrame({"signal_id": ids, "_list": lists}).filter(
        pl.col("_list").is_not_null() & (pl.col("_list") != "")
    )
    return (
        frame.with_columns(pl.col("_list").str.split("|"))
        .explode("_list")
        .select(pl.col("signal_id"), pl.col("_list").cast(pl.Int64).alias(target))
    )


def _insert_links(through: Any, links: pl.DataFrame) -> None:
    table = through._meta.db_table
    with secondary_indexes_deferred(table, links.height):
        bulk_insert(table, list(links.columns), links)


def _insert_created_events(
    *,
    first_id: int,
    last_id: int,
    stamp: Any,
    status: str,
    user_id: int | None,
    notes: Mapping[int, str],
) -> int:
    """The 'aangemaakt' event of every signal just written, in one INSERT … SELECT over those signals:
    no event row passes through Python. `notes`: the note per source type pk. The id range
    plus the creation stamp select exactly the new rows: the import holds the write lock on the signal
    table, so no other writer adds rows meanwhile."""
    qn = connection.ops.quote_name
    params: list[Any] = []
    cases = []
    for source_id, text in notes.items():
        cases.append("WHEN %s THEN %s")
        params.extend([source_id, text])
    note_sql = f"CASE s.{qn('source_id')} {' '.join(cases)} ELSE '' END" if cases else "''"
    columns = ["signal_id", "kind", "from_status", "to_status", "note", "at", "by_id"]
    sql = (
        f"INSERT INTO {qn(SignalEvent._meta.db_table)} ({', '.join(qn(c) for c in columns)}) "
        f"SELECT s.{qn('id')}, %s, '', %s, {note_sql}, s.{qn('created_at')}, %s "
        f"FROM {qn(Signal._meta.db_table)} s "
        f"WHERE s.{qn('id')} BETWEEN %s AND %s AND s.{qn('created_at')} = %s ORDER BY s.{qn('id')}"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            sql,
            [SignalEvent.Kind.CREATED.value, status, *params, user_id, first_id, last_id, stamp],
        )
        return int(cursor.rowcount)


def insert_signal_frame(
    frame: pl.DataFrame,
    *,
    batch_id: int | None,
    user_id: int | None,
    lookups: _Lookups | None = None,
    created_at: dt.datetime | None = None,
    status: str = SignalStatus.RECEIVED,
) -> tuple[str, str]:
    """Write signals from a frame of parsed import values (schema field names, references as pks,
    themes and vulnerable groups as '3|7' texts, `_fingerprint`; `_row` orders the numbering; an
    optional `_status` overrides `status` per row) with their links, and without a batch their
    'aangemaakt' events ("Ontvangen via <source>."). Call inside a transaction. Returns first and last
    kenmerk."""
    lk = lookups or _load_lookups()
    count = frame.height
    now = created_at or timezone.now()
    stamp = connection.ops.adapt_datetimefield_value(now)
    stamp_text = str(stamp)
    order = ["ontvangen_op", "_row"] if "_row" in frame.columns else ["ontvangen_op"]
    frame = frame.sort(order)
    received = frame.get_column("ontvangen_op")
    years = received.dt.year()
    highest = highest_reference_numbers(sorted(set(years.unique().to_list())))
    base = years.replace_strict(list(highest), list(highest.values()), return_dtype=pl.Int64)
    # the rank within each year: the frame is sorted by date, so a cumulative count per year works
    rank = pl.DataFrame({"y": years}).select(pl.int_range(1, pl.len() + 1).over("y")).to_series()
    numbers = base + rank
    references = (
        pl.DataFrame({"y": years, "n": numbers})
        .select(
            pl.concat_str(
                [
                    pl.lit("S-"),
                    pl.col("y").cast(pl.String),
                    pl.lit("-"),
                    pl.col("n").cast(pl.String).str.zfill(6),
                ]
            )
        )
        .to_series()
    )
    source_ids = frame.get_column("bron")
    amounts = source_ids.replace_strict(
        list(lk.deadline), [a for a, _ in lk.deadline.values()], return_dtype=pl.Int64
    ).to_numpy()
    working = source_ids.replace_strict(
        list(lk.deadline), [w for _, w in lk.deadline.values()], return_dtype=pl.Boolean
    ).to_numpy()
    due = default_calendar().due_dates(received.to_numpy().astype("datetime64[D]"), amounts, working)
    ids = pl.Series("id", reserve_ids(Signal._meta.db_table, count))

    def text(name: str) -> pl.Series:
        return frame.get_column(name).fill_null("") if name in frame.columns else pl.Series([""] * count)

    def optional(name: str, dtype: Any = pl.Int64) -> pl.Series:
        return frame.get_column(name) if name in frame.columns else pl.Series([None] * count, dtype=dtype)

    rows = pl.DataFrame(
        {
            "id": ids,
            "reference": references,
            "title": frame.get_column("onderwerp"),
            "description": text("omschrijving"),
            "source_id": source_ids,
            "received_on": received.cast(pl.String),
            "occurred_on": optional("datum_voorval", pl.Date).cast(pl.String),
            "deadline": pl.Series(due).cast(pl.Date).cast(pl.String),
            "area_id": optional("toezichtgebied"),
            "organisation_id": optional("organisatie"),
            "chain_id": optional("keten"),
            "severity_id": frame.get_column("ernst"),
            "people_affected": optional("aantal_betrokkenen"),
            "confidentiality": text("vertrouwelijkheid").replace("", Confidentiality.INTERNAL.value),
            "external_id": text("kenmerk_afzender"),
            "fingerprint": text("_fingerprint"),
        }
    )
    # the same for every row: written into the statement once (see bulk_insert)
    constants: dict[str, Any] = {
        "created_at": stamp_text,
        "updated_at": stamp_text,
        "status": str(status),
        "import_batch_id": batch_id,
        "created_by_id": user_id,
    }
    senders = optional("_sender")
    if senders.n_unique() == 1:
        constants["sender_id"] = senders[0]
    else:
        rows = rows.with_columns(senders.alias("sender_id"))
    if "_status" in frame.columns:  # generated data: signals in every stage of handling
        rows = rows.with_columns(frame.get_column("_status").alias("status"))
        del constants["status"]
    themes = Signal.themes.through
    groups = Signal.vulnerable_groups.through
    theme_links = _links(ids, frame.get_column("themas"), "theme_id") if "themas" in frame.columns else None
    group_links = (
        _links(ids, frame.get_column("kwetsbare_groepen"), "vulnerablegroup_id")
        if "kwetsbare_groepen" in frame.columns
        else None
    )
    checks: list[tuple[Any, Mapping[str, Any]]] = [
        (Signal, {**{c: rows.get_column(c) for c in rows.columns}, **constants})
    ]
    if theme_links is not None:
        checks.append((themes, {"theme_id": theme_links.get_column("theme_id")}))
    if group_links is not None:
        checks.append((groups, {"vulnerablegroup_id": group_links.get_column("vulnerablegroup_id")}))
    with references_checked_per_value(count, checks):
        with secondary_indexes_deferred(Signal._meta.db_table, count):
            bulk_insert(Signal._meta.db_table, rows.columns, rows, constants)
        if theme_links is not None:
            _insert_links(themes, theme_links)
        if group_links is not None:
            _insert_links(groups, group_links)
        # An imported signal's creation is recorded by its batch (who, when, which file): the history shows
        # it as the first line without a million event rows that would repeat it (ADR 0063).
        if batch_id is None:
            with secondary_indexes_deferred(SignalEvent._meta.db_table, count):
                written = _insert_created_events(
                    first_id=int(ids.min()),  # type: ignore[arg-type]
                    last_id=int(ids.max()),  # type: ignore[arg-type]
                    stamp=stamp,
                    status=str(status),
                    user_id=user_id,
                    notes={pk: f"Ontvangen via {name.lower()}." for pk, name in lk.source_names.items()},
                )
            if written != count:  # another writer in the id range: never commit signals without their event
                raise RuntimeError(f"{written} gebeurtenissen geschreven voor {count} signalen.")
    return str(references[0]), str(references[-1])
