"""Validate a Table against a Schema: parse every cell, check required/unique/references, and
produce an ImportReport plus the parsed rows that may be imported.

The work is done per chunk of rows and per column. CSV chunks are polars frames: clean values are
parsed by the parsers' vectorised fast paths, the rest (and every distinct value of choice and
reference columns) by the scalar parsers, once per distinct value. Excel chunks are Python lists
and use the same scalar parsers with a per-column cache. Parsed values are kept in typed polars
frames (compact), and turned into Python dicts only when the caller iterates the valid rows.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import IO, Any, NamedTuple

import numpy as np
import polars as pl

from ._text import display_value, normalize_key, quote
from .errors import ParseError, TableReadError
from .mapping import ColumnMapping, resolve_columns
from .parsers import Number, Parser, Reference
from .reading import RawChunk, Source, Table, read_table
from .report import ImportMode, ImportReport, RowError
from .schema import Field, Schema

__all__ = [
    "ImportResult",
    "ValidRow",
    "canonical_text",
    "row_fingerprint",
    "validate_file",
    "validate_table",
]

_OK, _ERR, _MISSING, _DEFER = 0, 1, 2, 3
_CACHE_LIMIT = 200_000
_REQUIRED_MESSAGE = "Deze kolom is verplicht, maar is leeg."


class ValidRow(NamedTuple):
    """A row that may be imported: Excel row number, parsed values by field name, fingerprint."""

    row: int
    values: dict[str, Any]
    fingerprint: str


_NULL = "\x00"
_SEPARATOR = "\x1f"


def _canonical(value: Any) -> str:
    """Canonical text of a parsed value for fingerprints (mirrored by _canonical_expr)."""
    if value is None:
        return _NULL
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, Decimal):
        text = format(value, "f")
        return text.rstrip("0").removesuffix(".") if "." in text else text
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%dT%H:%M:%S.%f")
    if isinstance(value, date):
        return value.strftime("%Y-%m-%d")
    return str(value)


def _canonical_expr(name: str, parser: Parser[Any]) -> pl.Expr:
    """Vectorised _canonical over a column in storage form."""
    col = pl.col(name)
    dtype = parser.dtype
    if parser.converts:  # decimals held as text without leading zeros: drop trailing zeros
        out = (
            pl.when(col.str.contains(".", literal=True))
            .then(col.str.strip_chars_end("0").str.strip_suffix("."))
            .otherwise(col)
        )
    elif dtype == pl.Boolean:
        out = pl.when(col).then(pl.lit("1")).otherwise(pl.lit("0"))
    elif dtype == pl.Date:
        out = col.dt.strftime("%Y-%m-%d")
    elif isinstance(dtype, pl.Datetime) or dtype == pl.Datetime:
        out = col.dt.strftime("%Y-%m-%dT%H:%M:%S%.6f")
    elif dtype == pl.Object:
        out = col.map_elements(_canonical, return_dtype=pl.String)
    else:
        out = col.cast(pl.String)
    return out.fill_null(_NULL)


def _hash(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


def canonical_text(schema: Schema, names: Sequence[str] | None = None) -> pl.Expr:
    """A polars expression over a frame of parsed values (as from ImportResult.frame()) giving one
    canonical text per row: equal content gives equal text whatever the spelling in the file. Hash
    it for a fingerprint of your own (e.g. sha256 for a database column)."""
    wanted = schema.names if names is None else list(names)
    fields = [schema.get(name) for name in wanted]
    return pl.concat_str([_canonical_expr(f.name, f.parser) for f in fields], separator=_SEPARATOR)


def row_fingerprint(values: Sequence[Any]) -> str:
    """Stable hash (32 hex chars) of parsed values in schema order: equal content gives an equal
    fingerprint whatever the spelling in the file (03-04-2024 / 3-4-2024, 12,50 / 12,5)."""
    return _hash(_SEPARATOR.join(_canonical(v) for v in values))


# --------------------------------------------------------------------------- per-field state


class _FieldState:
    def __init__(self, position: int, spec: Field, index: int | None, column: str) -> None:
        self.position = position
        self.spec = spec
        self.name = spec.name
        self.index = index
        self.column = column
        self.parser: Parser[Any] = spec.parser
        self.translations: dict[str, Any] | None = None
        self.cache: dict[Any, tuple[int, Any]] = {}
        self.use_cache = True
        self.specialised = False
        self.constant: Any = None  # storage value of a constant field
        self.in_file = spec.parser.in_file_field if isinstance(spec.parser, Reference) else None
        self.dtype = spec.parser.dtype
        self.default = None if spec.default is None else spec.parser.to_storage(spec.default)

    def outcome(self, value: Any) -> tuple[int, Any]:
        """Parse one non-empty raw value: (_OK, storage) / (_ERR, message) / (_MISSING, None) /
        (_DEFER, normalised key) for references that may point into the file itself."""
        if isinstance(value, str):
            value = value.strip()
            if not value:
                return _MISSING, None
        if self.translations is not None:
            key = normalize_key(value if isinstance(value, str) else display_value(value))
            if key in self.translations:
                value = self.translations[key]
                if value is None or (isinstance(value, str) and not value.strip()):
                    return _MISSING, None
        try:
            if self.in_file is not None:
                assert isinstance(self.parser, Reference)
                found, result = self.parser.resolve(value)
                return (_OK, result) if found else (_DEFER, result)
            return _OK, self.parser.to_storage(self.parser.parse(value))
        except ParseError as exc:
            return _ERR, exc.message

    def fast_ok(self) -> bool:
        return self.translations is None and self.in_file is None


@dataclass
class _ChunkResult:
    values: pl.Series
    missing: np.ndarray
    errors: list[tuple[int, str]]
    deferred: list[tuple[int, str]]
    raw: pl.Series | list[Any] | None


# --------------------------------------------------------------------------- result


class ImportResult:
    """Outcome of validate_table / validate_file: `report` plus access to the rows to import."""

    def __init__(
        self, report: ImportReport, schema: Schema, table: Table | None, frame: pl.DataFrame
    ) -> None:
        self.report = report
        self.schema = schema
        self.table = table
        self._frame = frame  # all non-blank rows: _row, fields (storage form), _invalid

    def frame(self) -> pl.DataFrame:
        """Importable rows as a polars frame: `_row` plus one column per field. Decimals are
        normalised text ('1234.5') here; use rows() for Python values."""
        if not self.report.can_import:
            return self._frame.clear().drop("_invalid")
        return self._frame.filter(~pl.col("_invalid")).drop("_invalid")

    def valid_frame(self) -> pl.DataFrame:
        """Every valid row as a polars frame like frame(), whatever the mode: for a check that
        reports what would happen, or for a caller that rejects more rows before importing."""
        return self._frame.filter(~pl.col("_invalid")).drop("_invalid")

    def rows(self, *, fingerprints: bool = True) -> Iterator[ValidRow]:
        """The rows to import, in file order (none at all when the mode forbids importing).
        fingerprints=False skips hashing (ValidRow.fingerprint is then '')."""
        if not self.report.can_import:
            return
        fields = self.schema.fields
        names = self.schema.names
        frame = self._frame.filter(~pl.col("_invalid"))
        canonical = pl.concat_str(
            [_canonical_expr(f.name, f.parser) for f in fields], separator=_SEPARATOR
        ).alias("_canonical")
        for part in frame.iter_slices(50_000):
            columns: list[list[Any]] = []
            for f in fields:
                values = part.get_column(f.name).to_list()
                if f.parser.converts:
                    convert = f.parser.from_storage
                    values = [None if v is None else convert(v) for v in values]
                columns.append(values)
            if fingerprints:
                hashes = [_hash(t) for t in part.select(canonical).to_series().to_list()]
            else:
                hashes = [""] * part.height
            numbers = part.get_column("_row").to_list()
            for number, fingerprint, *values in zip(numbers, hashes, *columns, strict=True):
                yield ValidRow(number, dict(zip(names, values, strict=True)), fingerprint)

    def batches(self, size: int = 1000) -> Iterator[list[ValidRow]]:
        """rows() in lists of `size`, e.g. for bulk_create."""
        batch: list[ValidRow] = []
        for row in self.rows():
            batch.append(row)
            if len(batch) >= size:
                yield batch
                batch = []
        if batch:
            yield batch

    def invalid_row_numbers(self) -> list[int]:
        return self._frame.filter(pl.col("_invalid")).get_column("_row").to_list()

    def quarantine(self, out: IO[bytes] | None = None, *, format: str = "csv") -> bytes | None:
        """The invalid rows as they were in the file, plus a column 'fout' with the messages.
        format 'csv' (semicolon, UTF-8 with BOM, opens in Dutch Excel) or 'xlsx'."""
        from .writing import write_csv, write_xlsx

        header = list(self.table.header) if self.table is not None else []
        columns = [*header, "fout"]
        rows = self._quarantine_rows(len(header))
        if format == "xlsx":
            return write_xlsx(rows, columns, out, sheet_title="Afgekeurde rijen")
        return write_csv(rows, columns, out)

    def _quarantine_rows(self, width: int) -> Iterator[list[Any]]:
        for _row, values, messages in self.invalid_rows():
            yield [*values[:width], " | ".join(messages)]

    def invalid_rows(
        self, extra: Mapping[int, list[str]] | None = None
    ) -> Iterator[tuple[int, list[str], list[str]]]:
        """(row number, cells as written, Dutch messages) of every invalid row, in file order.
        `extra`: more rows the caller rejected afterwards (row number -> messages)."""
        if self.table is None:
            return
        width = len(self.table.header)
        bad = set(self.invalid_row_numbers())
        messages: dict[int, list[str]] = {}
        for error in self.report.errors:
            text = f"{error.column}: {error.message}" if error.column else error.message
            messages.setdefault(error.row, []).append(text)
        for row, texts in (extra or {}).items():
            bad.add(row)
            messages.setdefault(row, []).extend(texts)
        if not bad:
            return
        fallback = "Deze rij bevat fouten (de melding is niet bewaard omdat er te veel fouten waren)."
        for chunk in self.table.chunks():
            last = chunk.first_row + chunk.height - 1
            wanted = [r for r in range(chunk.first_row, last + 1) if r in bad]
            if not wanted:
                continue
            columns = [chunk.column_values(i) for i in range(width)]
            for row in wanted:
                local = row - chunk.first_row
                values = [display_value(column[local]) for column in columns]
                yield row, values, messages.get(row, [fallback])


# --------------------------------------------------------------------------- entry points


def validate_file(
    source: Source,
    schema: Schema,
    filename: str | None = None,
    mapping: ColumnMapping | None = None,
    *,
    mode: ImportMode | str = ImportMode.ALL_OR_NOTHING,
    sheet: str | int | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
    max_errors: int = 10_000,
) -> ImportResult:
    """read_table + validate_table; a file that cannot be read gives a report with a file error."""
    try:
        table = read_table(source, filename, sheet=sheet, encoding=encoding, delimiter=delimiter)
    except TableReadError as exc:
        report = ImportReport(filename=filename or "", mode=ImportMode(mode), file_errors=[exc.message])
        return ImportResult(report, schema, None, _empty_frame(schema))
    return validate_table(table, schema, mapping, mode=mode, max_errors=max_errors)


def validate_table(
    table: Table,
    schema: Schema,
    mapping: ColumnMapping | None = None,
    *,
    mode: ImportMode | str = ImportMode.ALL_OR_NOTHING,
    max_errors: int = 10_000,
    chunk_size: int | None = None,
) -> ImportResult:
    """Validate every row of `table`. The module only decides; the caller writes to the database."""
    return _Validator(table, schema, mapping, ImportMode(mode), max_errors, chunk_size).run()


def _empty_frame(schema: Schema) -> pl.DataFrame:
    columns: dict[str, pl.Series] = {"_row": pl.Series("_row", [], dtype=pl.Int64)}
    for f in schema.fields:
        columns[f.name] = pl.Series(f.name, [], dtype=f.parser.dtype)
    columns["_invalid"] = pl.Series("_invalid", [], dtype=pl.Boolean)
    return pl.DataFrame(columns)


# --------------------------------------------------------------------------- engine


class _Validator:
    def __init__(
        self,
        table: Table,
        schema: Schema,
        mapping: ColumnMapping | None,
        mode: ImportMode,
        max_errors: int,
        chunk_size: int | None,
    ) -> None:
        self.table = table
        self.schema = schema
        self.mapping = mapping or ColumnMapping()
        self.chunk_size = chunk_size
        self.max_errors = max_errors
        self.report = ImportReport(
            filename=table.filename, mode=mode, source=table.describe(), notices=list(table.notices)
        )
        self.states: list[_FieldState] = []
        self.frames: list[pl.DataFrame] = []
        self.key_frames: dict[tuple[str, ...], list[pl.DataFrame]] = {k: [] for k in schema.keys}
        self.in_file_targets = {
            s for f in schema.fields if isinstance(f.parser, Reference) and (s := f.parser.in_file_field)
        }
        self.target_values: dict[str, list[pl.Series]] = {t: [] for t in self.in_file_targets}
        self.deferred: list[tuple[int, _FieldState, str, Any]] = []  # row, state, key, raw
        self.late_invalid: set[int] = set()
        self.duplicate_rows: set[int] = set()

    # -------------------------------------------------------------- setup
    def run(self) -> ImportResult:
        resolved = resolve_columns(self.table.header, self.schema, self.mapping)
        self.report.file_errors.extend(resolved.errors)
        self.report.notices.extend(resolved.notices)
        for position, spec in enumerate(self.schema.fields):
            index = resolved.indexes.get(spec.name)
            column = self.table.header[index] if index is not None else spec.label
            state = _FieldState(position, spec, index, column)
            state.translations = self.mapping.translation_table(spec.name)
            if spec.name in resolved.constants:
                self._set_constant(state, resolved.constants[spec.name])
            self.states.append(state)
        if self.report.file_errors:
            return ImportResult(self.report, self.schema, self.table, _empty_frame(self.schema))
        for chunk in self.table.chunks(self.chunk_size):
            self._chunk(chunk)
        return self._finish()

    def _set_constant(self, state: _FieldState, raw: Any) -> None:
        label = state.spec.label
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            kind, payload = _MISSING, None
        else:
            kind, payload = state.outcome(raw.strip() if isinstance(raw, str) else raw)
        if kind == _OK:
            state.constant = payload
        elif kind == _MISSING:
            state.constant = state.default
            if state.spec.required:
                self.report.file_errors.append(
                    f"De vaste waarde voor '{label}' is leeg, maar '{label}' is verplicht."
                )
        elif kind == _DEFER:
            self.report.file_errors.append(f"De vaste waarde {quote(raw)} voor '{label}' is onbekend.")
        else:
            self.report.file_errors.append(f"De vaste waarde voor '{label}' is ongeldig: {payload}")
        state.column = f"{label} (vaste waarde)"

    # -------------------------------------------------------------- errors
    def _error(self, row: int, state: _FieldState | None, raw: Any, message: str) -> None:
        if len(self.report.errors) >= self.max_errors:
            self.report.errors_omitted += 1
            return
        column = state.column if state is not None else ""
        name = state.name if state is not None else ""
        self.report.errors.append(RowError(row, column, display_value(raw).strip(), message, name))

    # -------------------------------------------------------------- chunks
    def _chunk(self, chunk: RawChunk) -> None:
        height = chunk.height
        if height == 0:
            return
        first = chunk.first_row
        used = {s.index for s in self.states if s.index is not None}
        blank = np.ones(height, dtype=bool)
        if chunk.frame is not None:
            frame = chunk.frame
            items = [(s, frame.to_series(s.index)) for s in self.states if s.index is not None]
            results = self._parse_series(items, height)
            others = [c for i, c in enumerate(frame.columns) if i not in used]
            if others:
                empty = pl.all_horizontal([pl.col(c).str.strip_chars().fill_null("") == "" for c in others])
                blank &= frame.select(empty).to_series().to_numpy()
        else:
            assert chunk.columns is not None
            items = []
            results = {}
            for state in self.states:
                if state.index is None:
                    continue
                values = chunk.columns[state.index]
                text = _as_text_series(values)
                if text is not None:
                    items.append((state, text))
                    continue
                numbers = _as_number_series(values) if isinstance(state.parser, Number) else None
                if numbers is not None and state.fast_ok():
                    results[state.name] = self._parse_numbers(state, numbers)
                else:
                    results[state.name] = self._parse_list(state, chunk.columns, height)
            results.update(self._parse_series(items, height))
            for index, values in enumerate(chunk.columns):
                if index not in used:
                    blank &= np.fromiter(
                        (v is None or (v.__class__ is str and not v.strip()) for v in values), bool, height
                    )
        for state in self.states:
            if state.index is not None:
                blank &= results[state.name].missing
        self.report.blank += int(blank.sum())
        invalid = np.zeros(height, dtype=bool)
        for local, message in chunk.problems.items():
            if not blank[local]:
                invalid[local] = True
                self._error(first + local, None, "", message)
        for state in self.states:
            result = results[state.name]
            if state.spec.required:
                for position in np.flatnonzero(result.missing & ~blank).tolist():
                    invalid[position] = True
                    self._error(first + position, state, "", _REQUIRED_MESSAGE)
            for local, message in result.errors:
                invalid[local] = True
                self._error(first + local, state, _raw_at(result.raw, local), message)
            for local, key in result.deferred:
                self.deferred.append((first + local, state, key, _raw_at(result.raw, local)))
        keep = ~blank
        rows = pl.Series("_row", np.arange(first, first + height, dtype=np.int64))
        columns = [rows, *[results[s.name].values.alias(s.name) for s in self.states]]
        frame_out = pl.DataFrame(columns).with_columns(pl.Series("_invalid", invalid))
        if not keep.all():
            frame_out = frame_out.filter(pl.Series(keep))
        self.frames.append(frame_out)
        self._collect_keys(frame_out, results, keep)
        for target in self.in_file_targets:
            self.target_values[target].append(frame_out.get_column(target).drop_nulls())

    def _collect_keys(self, frame: pl.DataFrame, results: dict[str, _ChunkResult], keep: np.ndarray) -> None:
        for key in self.key_frames:
            parts: list[pl.Series] = [frame.get_column("_row")]
            for name in key:
                values = frame.get_column(name)
                if values.dtype == pl.Object:
                    values = pl.Series(name, [None if v is None else repr(v) for v in values.to_list()])
                parts.append(values)
                raw = results[name].raw
                if isinstance(raw, pl.Series):
                    shown = raw.filter(pl.Series(keep)).str.strip_chars()
                elif raw is None:
                    shown = pl.Series([display_value(self._state(name).constant)] * frame.height)
                else:
                    texts = [display_value(v).strip() for v, k in zip(raw, keep, strict=True) if k]
                    shown = pl.Series(texts, dtype=pl.String)
                parts.append(shown.alias(f"_raw_{name}"))
            part = pl.DataFrame(parts).drop_nulls(list(key))
            self.key_frames[key].append(part)

    def _state(self, name: str) -> _FieldState:
        return next(s for s in self.states if s.name == name)

    # -------------------------------------------------------------- parsing a polars chunk
    def _parse_series(
        self, items: list[tuple[_FieldState, pl.Series]], height: int
    ) -> dict[str, _ChunkResult]:
        """Raw (unstripped) String columns in; per field the parsed column and its problems."""
        results: dict[str, _ChunkResult] = {}
        batch: list[tuple[_FieldState, pl.Series, pl.Expr]] = []
        for state, column in items:
            if not state.specialised:
                sample = column.head(50_000)
                self._specialise(state, sample.filter(sample.is_not_null() & (sample != "")))
            missing_s = column.is_null() | (column == "")
            if state.dtype == pl.Object:
                result = self._parse_values(state, column.to_list(), height)
                result.raw = column
                results[state.name] = result
                continue
            expr_v = state.parser.fast_expr(pl.col("v")) if state.fast_ok() else None
            if expr_v is None or _few_distinct(column):
                results[state.name] = self._parse_unique(state, column, missing_s, expr_v)
            else:
                expr = state.parser.fast_expr(pl.col(state.name))
                assert expr is not None
                batch.append((state, column, expr.alias(state.name)))
        if batch:
            source = pl.DataFrame([column.alias(state.name) for state, column, _ in batch])
            parsed = source.select([expr for _, _, expr in batch])
            for state, column, _ in batch:
                missing_s = column.is_null() | (column == "")
                values = parsed.get_column(state.name)
                results[state.name] = self._finish_fast(state, column, missing_s, values)
        for state in self.states:
            if state.index is None:
                results[state.name] = self._constant_result(state, height)
        return results

    def _specialise(self, state: _FieldState, sample: pl.Series) -> None:
        state.specialised = True
        if state.translations is not None:
            return
        parser, note = state.parser.specialise(sample.str.strip_chars())
        state.parser = parser
        if note:
            self.report.notices.append(f"Kolom '{state.column}': {note}")

    def _finish_fast(
        self, state: _FieldState, column: pl.Series, missing_s: pl.Series, values: pl.Series
    ) -> _ChunkResult:
        missing = missing_s.to_numpy().copy()
        need = (~missing_s) & values.is_null()
        errors: list[tuple[int, str]] = []
        deferred: list[tuple[int, str]] = []
        positions = need.arg_true()
        if positions.len():
            raw = column.gather(positions).to_list()
            fixes_at: list[int] = []
            fixes: list[Any] = []
            for local, value in zip(positions.to_list(), raw, strict=True):
                kind, payload = self._cached(state, value)
                if kind == _OK:
                    fixes_at.append(local)
                    fixes.append(payload)
                elif kind == _ERR:
                    errors.append((local, payload))
                elif kind == _MISSING:
                    missing[local] = True
                else:
                    deferred.append((local, payload))
            if fixes:
                values = values.scatter(fixes_at, pl.Series(fixes, dtype=state.dtype))
        values = self._apply_default(state, values, missing)
        return _ChunkResult(values, missing, errors, deferred, column)

    def _parse_unique(
        self, state: _FieldState, column: pl.Series, missing_s: pl.Series, expr: pl.Expr | None
    ) -> _ChunkResult:
        """Parse each distinct value once (vectorised where possible) and map back."""
        missing = missing_s.to_numpy().copy()
        present = column.filter(~missing_s).unique()
        keys: list[pl.Series] = []
        parsed_values: list[pl.Series] = []
        if expr is not None and present.len():
            parsed = pl.DataFrame({"v": present}).select(expr.alias("p")).to_series()
            good = parsed.is_not_null()
            keys.append(present.filter(good))
            parsed_values.append(parsed.filter(good))
            rest = present.filter(~good).to_list()
        else:
            rest = present.to_list()
        bad: dict[str, tuple[int, Any]] = {}
        ok_keys: list[str] = []
        ok_values: list[Any] = []
        for value in rest:
            kind, payload = self._cached(state, value)
            if kind == _OK:
                ok_keys.append(value)
                ok_values.append(payload)
            else:
                bad[value] = (kind, payload)
        if ok_keys:
            keys.append(pl.Series(ok_keys, dtype=pl.String))
            parsed_values.append(pl.Series(ok_values, dtype=state.dtype))
        if keys:
            values = column.replace_strict(
                pl.concat(keys), pl.concat(parsed_values), default=None, return_dtype=state.dtype
            )
        else:
            values = pl.Series(column.name, [None] * column.len(), dtype=state.dtype)
        errors: list[tuple[int, str]] = []
        deferred: list[tuple[int, str]] = []
        if bad:
            positions = column.is_in(list(bad)).fill_null(False).arg_true()
            for local, value in zip(positions.to_list(), column.gather(positions).to_list(), strict=True):
                kind, payload = bad[value]
                if kind == _ERR:
                    errors.append((local, payload))
                elif kind == _MISSING:
                    missing[local] = True
                else:
                    deferred.append((local, payload))
        values = self._apply_default(state, values, missing)
        return _ChunkResult(values, missing, errors, deferred, column)

    def _cached(self, state: _FieldState, value: Any) -> tuple[int, Any]:
        found = state.cache.get(value)
        if found is None:
            found = state.outcome(value)
            if len(state.cache) >= _CACHE_LIMIT:
                state.cache.clear()
            state.cache[value] = found
        return found

    def _constant_result(self, state: _FieldState, height: int) -> _ChunkResult:
        value = state.constant if state.constant is not None else state.default
        missing = np.full(height, value is None, dtype=bool)
        values = pl.Series(state.name, [value] * height, dtype=state.dtype)
        return _ChunkResult(values, missing, [], [], None)

    def _apply_default(self, state: _FieldState, values: pl.Series, missing: np.ndarray) -> pl.Series:
        if state.default is None or not missing.any():
            return values
        positions = np.flatnonzero(missing)
        return values.scatter(positions, pl.Series([state.default] * len(positions), dtype=state.dtype))

    def _parse_numbers(self, state: _FieldState, numbers: pl.Series) -> _ChunkResult:
        """Numeric Excel cells for a decimal field: their shortest text form goes through the
        fast path; anything it leaves (exponents, float noise, bounds) through the scalar parser
        with the original number."""
        assert isinstance(state.parser, Number)
        expr = state.parser.with_separator(".").fast_expr(pl.col("v"))
        missing_s = numbers.is_null()
        if expr is None:
            values = pl.Series(state.name, [None] * numbers.len(), dtype=state.dtype)
        else:
            values = pl.DataFrame({"v": numbers.cast(pl.String)}).select(expr).to_series()
        return self._finish_fast(state, numbers, missing_s, values)

    # -------------------------------------------------------------- parsing Python values
    def _parse_list(self, state: _FieldState, columns: list[list[Any]], height: int) -> _ChunkResult:
        if state.index is None:
            return self._constant_result(state, height)
        values = columns[state.index]
        if not state.specialised:
            sample = [v for v in values[:50_000] if isinstance(v, str) and v.strip()]
            self._specialise(state, pl.Series(sample, dtype=pl.String))
        result = self._parse_values(state, values, height)
        result.raw = values
        return result

    def _parse_values(self, state: _FieldState, values: list[Any], height: int) -> _ChunkResult:
        out: list[Any] = [None] * height
        missing = np.zeros(height, dtype=bool)
        errors: list[tuple[int, str]] = []
        deferred: list[tuple[int, str]] = []
        cache = state.cache if state.use_cache else None
        lookups = hits = 0
        outcome = state.outcome
        for i, value in enumerate(values):
            if value is None:
                missing[i] = True
                continue
            if value.__class__ is str:
                value = value.strip()
                if not value:
                    missing[i] = True
                    continue
                key: Any = value
            else:
                key = (value.__class__, value)
            if cache is not None:
                lookups += 1
                try:
                    found = cache.get(key)
                except TypeError:  # unhashable cell value
                    found = outcome(value)
                else:
                    if found is None:
                        found = outcome(value)
                        cache[key] = found
                    else:
                        hits += 1
            else:
                found = outcome(value)
            kind, payload = found
            if kind == _OK:
                out[i] = payload
            elif kind == _ERR:
                errors.append((i, payload))
            elif kind == _MISSING:
                missing[i] = True
            else:
                deferred.append((i, payload))
        if cache is not None and lookups >= 1000 and hits < lookups // 4:
            state.use_cache = False  # nearly all values distinct: caching only costs memory
            cache.clear()
        elif cache is not None and len(cache) > _CACHE_LIMIT:
            cache.clear()
        series = pl.Series(state.name, out, dtype=state.dtype)
        series = self._apply_default(state, series, missing)
        return _ChunkResult(series, missing, errors, deferred, None)

    # -------------------------------------------------------------- finish
    def _finish(self) -> ImportResult:
        frame = pl.concat(self.frames, how="vertical") if self.frames else _empty_frame(self.schema)
        frame = self._resolve_deferred(frame)
        self._find_duplicates()
        if self.late_invalid:
            frame = frame.with_columns(
                (pl.col("_invalid") | pl.col("_row").is_in(sorted(self.late_invalid))).alias("_invalid")
            )
        report = self.report
        report.total = frame.height
        report.invalid = int(frame.get_column("_invalid").sum())
        report.valid = report.total - report.invalid
        report.duplicates = len(self.duplicate_rows)
        order = {s.name: s.position for s in self.states}
        report.errors.sort(key=lambda e: (e.row, order.get(e.field, -1)))
        return ImportResult(report, self.schema, self.table, frame)

    def _resolve_deferred(self, frame: pl.DataFrame) -> pl.DataFrame:
        if not self.deferred:
            return frame
        known: dict[str, dict[str, str]] = {}
        for target, parts in self.target_values.items():
            index: dict[str, str] = {}
            if parts:
                for text in pl.concat(parts).unique(maintain_order=True).to_list():
                    index.setdefault(normalize_key(str(text)), str(text))
            known[target] = index
        patches: dict[str, tuple[list[int], list[str]]] = {}
        for row, state, key, raw in self.deferred:
            assert state.in_file is not None
            assert isinstance(state.parser, Reference)
            match = known[state.in_file].get(key)
            if match is not None:
                rows, values = patches.setdefault(state.name, ([], []))
                rows.append(row)
                values.append(match)
                continue
            self.late_invalid.add(row)
            text = display_value(raw)
            self._error(row, state, raw, state.parser.unknown_message(text, key))
        for name, (rows, values) in patches.items():
            patch = pl.DataFrame(
                {"_row": rows, "_patch": values}, schema={"_row": pl.Int64, "_patch": pl.String}
            )
            frame = (
                frame.join(patch, on="_row", how="left", maintain_order="left")
                .with_columns(pl.coalesce(pl.col(name), pl.col("_patch")).alias(name))
                .drop("_patch")
            )
        return frame

    def _find_duplicates(self) -> None:
        for key, parts in self.key_frames.items():
            if not parts:
                continue
            keys = pl.concat(parts, how="vertical")
            if keys.height < 2:
                continue
            dups = (
                keys.with_columns(pl.col("_row").min().over(list(key)).alias("_first"))
                .filter(pl.col("_row") != pl.col("_first"))
                .sort("_row")
            )
            if dups.height == 0:
                continue
            states = [self._state(name) for name in key]
            for record in dups.iter_rows(named=True):
                row, first = record["_row"], record["_first"]
                self.late_invalid.add(row)
                self.duplicate_rows.add(row)
                shown = [str(record[f"_raw_{name}"] or "") for name in key]
                if len(key) == 1:
                    message = (
                        f"{quote(shown[0])} komt ook voor in rij {first}; "
                        f"'{states[0].spec.label}' moet uniek zijn in het bestand."
                    )
                    raw = shown[0]
                else:
                    combo = ", ".join(
                        f"{s.spec.label} {quote(v)}" for s, v in zip(states, shown, strict=True)
                    )
                    message = (
                        f"De combinatie {combo} komt ook voor in rij {first}; "
                        "die moet uniek zijn in het bestand."
                    )
                    raw = " / ".join(shown)
                self._error(row, states[0], raw, message)


def _as_text_series(values: list[Any]) -> pl.Series | None:
    """A column of Excel cells as a String series when every cell is text (or empty)."""
    try:
        return pl.Series(values, dtype=pl.String, strict=True)
    except (TypeError, pl.exceptions.PolarsError):
        return None


def _as_number_series(values: list[Any]) -> pl.Series | None:
    """A column of Excel cells as a Float64 series when every cell is a number (or empty)."""
    cleaned = [None if v == "" else v for v in values]
    if any(v.__class__ is bool for v in cleaned):
        return None
    try:
        return pl.Series(cleaned, dtype=pl.Float64, strict=True)
    except (TypeError, pl.exceptions.PolarsError):
        return None


def _few_distinct(column: pl.Series) -> bool:
    """Cheap guess from a sample: does the column repeat its values a lot (dates, codes of a
    parent, choices)? Then parsing each distinct value once beats parsing every cell."""
    sample = column.head(20_000)
    return sample.len() >= 1000 and sample.n_unique() * 5 < sample.len()


def _raw_at(raw: pl.Series | list[Any] | None, local: int) -> Any:
    if raw is None:
        return ""
    return raw[local]
