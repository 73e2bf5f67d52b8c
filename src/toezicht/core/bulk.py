"""Writing many rows at once, without the ORM: what the signal import (ADR 0020, 0061, 0064) and the
observation import share.

* ``bulk_insert``: COPY on PostgreSQL, multi-row INSERTs on SQLite, values already in database form.
* ``secondary_indexes_deferred``: a large insert drops the secondary indexes of its table and builds them
  again afterwards, inside the same transaction.
* Foreign keys checked once per distinct value instead of per row (``check_references`` with
  ``row_triggers_skipped`` on PostgreSQL, ``sqlite_foreign_keys_checked_in_bulk`` on SQLite).
"""

from __future__ import annotations

import io
import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

import numpy as np
import polars as pl
from django.conf import settings
from django.db import IntegrityError, connection

from toezicht.core.database import refresh_statistics

#: Rows per COPY / INSERT batch.
INSERT_CHUNK = 100_000
#: From this many new rows (and at least half the table) the indexes of a written table are rebuilt.
INDEX_REBUILD_MIN_ROWS = 50_000
#: From this many rows foreign keys are checked once per distinct value, not per row.
BULK_REFERENCE_CHECK_MIN_ROWS = 10_000


def reserve_ids(table: str, count: int) -> np.ndarray:
    """`count` fresh primary keys for `table`, in one block (inside the write transaction, which holds
    the lock that keeps other inserts into `table`, and so other draws from its sequence, waiting)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
            (sequence,) = cursor.fetchone()
            # one draw and one jump instead of a million draws
            cursor.execute("SELECT setval(%s, nextval(%s) + %s - 1)", [sequence, sequence, count])
            (last,) = cursor.fetchone()
            return np.arange(int(last) - count + 1, int(last) + 1, dtype=np.int64)
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {connection.ops.quote_name(table)}")
        (start,) = cursor.fetchone()
        return np.arange(int(start) + 1, int(start) + 1 + count, dtype=np.int64)


def sqlite_page_cache() -> None:
    """A bulk insert updates a dozen indexes at random places: give SQLite a page cache that holds them
    (256 MB for this connection; the default of 2 MB makes a million-row insert several times slower)."""
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        (current,) = cursor.fetchone()
        if -262_144 < int(current) < 0 or 0 <= int(current) < 65_536:
            cursor.execute("PRAGMA cache_size = -262144")


def _sql_literal(value: Any) -> str:
    """A constant as an SQLite literal (ints, text, None only: values the import itself made)."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return str(int(value))
    text = str(value)
    if "\x00" in text:
        raise ValueError("NUL in a constant")
    return "'" + text.replace("'", "''") + "'"


def bulk_insert(
    table: str, columns: list[str], frame: pl.DataFrame, constants: Mapping[str, Any] | None = None
) -> int:
    """Insert a frame (columns in `columns` order, values already in database form: ints, text,
    ISO dates, None) into `table`. PostgreSQL: COPY; SQLite: multi-row INSERTs. No per-row ORM.

    `constants` are columns with one value for every row: on SQLite they are written into the
    statement once instead of being bound for every row (binding is most of the cost of executemany)."""
    if frame.height == 0:
        return 0
    qn = connection.ops.quote_name
    constants = dict(constants or {})
    frame = frame.select(columns)
    connection.ensure_connection()
    if connection.vendor == "postgresql":
        if constants:
            frame = frame.with_columns(pl.lit(v).alias(k) for k, v in constants.items())
        names = ", ".join(qn(c) for c in frame.columns)
        with connection.cursor() as cursor:
            raw = cursor.cursor
            with raw.copy(f"COPY {qn(table)} ({names}) FROM STDIN (FORMAT csv)") as copy:
                for start in range(0, frame.height, INSERT_CHUNK):
                    buffer = io.BytesIO()
                    frame.slice(start, INSERT_CHUNK).write_csv(
                        buffer, include_header=False, quote_style="non_numeric"
                    )
                    copy.write(buffer.getvalue())
        return frame.height
    sqlite_page_cache()
    # A column with one value in this frame (often: one the file leaves empty) is a constant as well.
    for column in list(columns):
        if len(columns) > 1 and _one_value(frame.get_column(column)):
            constants[column] = frame.get_column(column)[0]
            columns = [c for c in columns if c != column]
    names = ", ".join(qn(c) for c in [*columns, *constants])
    fixed = "".join(", " + _sql_literal(v) for v in constants.values())
    one = "(" + ", ".join(["?"] * len(columns)) + fixed + ")"
    raw_connection = connection.connection
    assert raw_connection is not None
    # Many rows per statement: executemany runs one statement per row, and on a table with
    # AUTOINCREMENT each statement also rewrites sqlite_sequence (found by a scan): 6x slower.
    per_statement = max(1, min(2_000, _sqlite_variable_limit(raw_connection) // len(columns)))
    cursor = raw_connection.cursor()
    try:
        width = len(columns)
        for part in frame.iter_slices(INSERT_CHUNK):
            # row-major parameters: each column's values into every width-th place (a third faster
            # than a numpy object array or polars' own rows())
            flat: list[Any] = [None] * (part.height * width)
            for position, column in enumerate(columns):
                flat[position::width] = part.get_column(column).to_list()
            step = per_statement * width
            full = len(flat) - len(flat) % step
            if full:
                sql = f"INSERT INTO {qn(table)} ({names}) VALUES " + ", ".join([one] * per_statement)
                for start in range(0, full, step):
                    cursor.execute(sql, flat[start : start + step])
            if full < len(flat):
                rest = (len(flat) - full) // width
                sql = f"INSERT INTO {qn(table)} ({names}) VALUES " + ", ".join([one] * rest)
                cursor.execute(sql, flat[full:])
    finally:
        cursor.close()
    return frame.height


def _one_value(series: pl.Series) -> bool:
    """Whether every cell holds the same int, text or NULL (values _sql_literal can write: no NUL)."""
    if series.dtype not in (pl.Int64, pl.Int32, pl.String, pl.Null):
        return False
    if series.null_count() == series.len():
        return True
    if series.null_count() or series.n_unique() != 1:
        return False
    return not (series.dtype == pl.String and "\x00" in str(series[0]))


def _sqlite_variable_limit(raw_connection: Any) -> int:
    try:
        return int(raw_connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER))
    except (AttributeError, sqlite3.Error):  # Python < 3.11: the historical default
        return 999


def rebuild_pays(table: str, count: int) -> bool:
    """Rebuilding indexes pays when the new rows are many and at least half as many as those already
    there (counted no further than needed, so a large table costs no full count)."""
    if count < INDEX_REBUILD_MIN_ROWS:
        return False
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM (SELECT 1 FROM {qn(table)} LIMIT %s) existing", [count * 2 + 1])
        (existing,) = cursor.fetchone()
    return count * 2 >= int(existing)


def droppable_indexes(table: str) -> list[tuple[str, str]]:
    """(name, definition) of the indexes of `table` worth rebuilding: not behind a constraint, and not
    partial. A partial index (`… WHERE x IS NOT NULL`) mostly leaves imported rows out, so keeping it
    costs one test per row, while building it again would scan the whole table for a few entries."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
                "WHERE i.indrelid = %s::regclass AND i.indpred IS NULL "
                "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)",
                [connection.ops.quote_name(table)],
            )
        else:
            cursor.execute(
                "SELECT m.name, m.sql FROM sqlite_master m "
                "WHERE m.type = 'index' AND m.tbl_name = %s AND m.sql IS NOT NULL "
                "AND NOT EXISTS (SELECT 1 FROM pragma_index_list(m.tbl_name) l "
                "WHERE l.name = m.name AND l.partial)",
                [table],
            )
        return [(str(name), str(sql)) for name, sql in cursor.fetchall()]


@contextmanager
def secondary_indexes_deferred(table: str, count: int) -> Iterator[None]:
    """A large insert is several times faster when the secondary indexes are dropped first and built
    again afterwards (one sort each instead of a B-tree descent per row per index). Both happen inside
    the import's transaction, so a failure restores them; a unique index that no longer holds fails
    when it is rebuilt, and that rolls the import back. Only when the new rows are at least half as
    many as those already there (rebuild_pays). Indexes behind a constraint (primary key, unique
    kenmerk) stay. On PostgreSQL dropping an index locks the table against readers until the commit;
    signals_import takes that lock up front for such an import (see signals.importing._lock_signals)."""
    if not rebuild_pays(table, count):
        yield
        return
    indexes = droppable_indexes(table)
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        for name, _sql in indexes:
            # PostgreSQL's names come schema-qualified and quoted where needed (regclass)
            cursor.execute(f"DROP INDEX {name if connection.vendor == 'postgresql' else qn(name)}")
    yield
    with connection.cursor() as cursor:
        postgres = connection.vendor == "postgresql" and bool(indexes)
        if postgres:
            # the sorts of CREATE INDEX: enough memory to sort a million keys without spilling to disk
            cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
            # PostgreSQL refuses CREATE INDEX on a table with pending trigger events: when the per-row
            # foreign-key triggers ran (no per-value checks), their deferred checks run now, not at commit.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for _name, sql in indexes:
            cursor.execute(sql)
        if postgres:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    if indexes:
        # The rebuilt indexes have no statistics (and the table has many more rows): without them SQLite
        # plans the inbox on a million signals in seconds instead of milliseconds (ADR 0012).
        refresh_statistics([table])


@contextmanager
def sqlite_foreign_keys_checked_in_bulk(rows: int) -> Iterator[None]:
    """SQLite looks up every foreign key of every inserted row in its parent table (six look-ups per
    signal, two per link: about a tenth of a large import). For a large import insert_signal_frame checks
    each distinct value once instead (check_references), inside the import's transaction, which holds
    SQLite's write lock from its first statement (IMMEDIATE), so no referenced row can go meanwhile.
    The pragma only changes outside a transaction: this wraps the import's transaction, and inside
    another transaction (a test, a caller's atomic block) it changes nothing and SQLite checks per row."""
    if connection.vendor != "sqlite" or rows < BULK_REFERENCE_CHECK_MIN_ROWS:
        yield
        return
    disabled = connection.disable_constraint_checking()
    try:
        yield
    finally:
        if disabled:
            connection.enable_constraint_checking()


def sqlite_checks_foreign_keys() -> bool:
    if connection.vendor != "sqlite":
        return True
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA foreign_keys")
        return bool(cursor.fetchone()[0])


def may_skip_row_triggers() -> bool:
    """Whether this PostgreSQL connection may set session_replication_role (a superuser, or from
    PostgreSQL 15 a role granted ``SET ON PARAMETER session_replication_role``)."""
    if connection.vendor != "postgresql" or not settings.IMPORT_FK_CHECKS_PER_VALUE:
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('is_superuser') = 'on'")
        if cursor.fetchone()[0]:
            return True
        if getattr(connection, "pg_version", 0) >= 150_000:
            cursor.execute("SELECT has_parameter_privilege('session_replication_role', 'SET')")
            return bool(cursor.fetchone()[0])
    return False


@contextmanager
def references_checked_per_value(
    rows: int, checks: Sequence[tuple[Any, Mapping[str, Any]]]
) -> Iterator[None]:
    """Around the bulk writes of `rows` rows: when the database will not check their foreign keys per row
    (PostgreSQL from BULK_REFERENCE_CHECK_MIN_ROWS with the privilege to skip its row triggers; SQLite
    inside sqlite_foreign_keys_checked_in_bulk), check each distinct value once first. `checks`:
    (model, {column: Series or one value}) per table written. Call inside the writing transaction."""
    in_bulk = rows >= BULK_REFERENCE_CHECK_MIN_ROWS and may_skip_row_triggers()
    if in_bulk or not sqlite_checks_foreign_keys():
        for model, values in checks:
            check_references(model, values)
    with row_triggers_skipped(in_bulk):
        yield


def check_references(model: Any, values: Mapping[str, Any]) -> None:
    """What the database's per-row foreign-key checks do, once per distinct value: every referenced
    row must exist. On PostgreSQL it is locked FOR KEY SHARE (as the trigger locks it) so that no other
    transaction can delete it before this one commits; on SQLite the import's write lock does that.
    `values`: column -> Series or one value; columns that are not foreign keys are ignored."""
    qn = connection.ops.quote_name
    by_column = {f.column: f for f in model._meta.concrete_fields if f.is_relation and f.related_model}
    with connection.cursor() as cursor:
        for column, given in values.items():
            field = by_column.get(column)
            if field is None:  # not a foreign key
                continue
            if isinstance(given, pl.Series):
                wanted = given.drop_nulls().unique().cast(pl.Int64).to_list()
            else:
                wanted = [] if given is None else [int(given)]
            if not wanted:
                continue
            target = field.related_model._meta.db_table
            key = field.target_field.column
            found: set[int] = set()
            if connection.vendor == "postgresql":
                cursor.execute(
                    f"SELECT {qn(key)} FROM {qn(target)} WHERE {qn(key)} = ANY(%s) FOR KEY SHARE",
                    [wanted],
                )
                found.update(row[0] for row in cursor.fetchall())
            else:  # SQLite: the import's write lock keeps the rows (see sqlite_foreign_keys_checked_in_bulk)
                for start in range(0, len(wanted), 500):
                    part = wanted[start : start + 500]
                    marks = ", ".join(["%s"] * len(part))
                    cursor.execute(f"SELECT {qn(key)} FROM {qn(target)} WHERE {qn(key)} IN ({marks})", part)
                    found.update(row[0] for row in cursor.fetchall())
            missing = set(wanted) - found
            if missing:
                raise IntegrityError(
                    f"{model._meta.db_table}.{column} verwijst naar {len(missing)} ontbrekende rij(en) "
                    f"in {target}, bijvoorbeeld {min(missing)}."
                )


@contextmanager
def row_triggers_skipped(enabled: bool) -> Iterator[None]:
    """For the bulk writes of a large import on PostgreSQL: no per-row trigger (the foreign-key
    checks, one query per reference per row at commit, were 60 % of the import's time). The caller
    checks the references in bulk with check_references first. SET LOCAL ends with the
    transaction, so a failure or rollback restores the ordinary behaviour as well."""
    if not enabled:
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
    yield
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = origin")
