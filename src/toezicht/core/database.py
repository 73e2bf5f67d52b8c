"""Housekeeping that keeps the database's query planner informed.

SQLite keeps no table statistics until ANALYZE runs; without them it may pick, for a filtered inbox over a
million signals, an index that matches nearly every row and then sort them all (seconds instead of
milliseconds); an index that was dropped and built again has lost its statistics too. PostgreSQL's
autovacuum analyses eventually, but not right after a bulk load (and it may be switched off). So the
generator, a large import that rebuilds the signal indexes, and a migration that changes indexes end with
``refresh_statistics``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import connections


def refresh_statistics(
    tables: Iterable[str] = (), using: str = "default", *, columns: Iterable[str] = ()
) -> None:
    """ANALYZE the given tables (all tables when none are named). `columns`: on PostgreSQL only these
    columns of the tables (a sample, fast whatever the table's size); SQLite analyses whole indexes."""
    connection = connections[using]
    names = list(tables)
    qn = connection.ops.quote_name
    only = ", ".join(qn(c) for c in columns) if connection.vendor == "postgresql" else ""
    with connection.cursor() as cursor:
        if not names:
            cursor.execute("ANALYZE")
            return
        for name in names:
            cursor.execute(f"ANALYZE {qn(name)}" + (f" ({only})" if only else ""))


def analyse_operation(table: str) -> Any:
    """A migration operation that re-analyses ``table``: use it after changing the table's indexes, whose
    statistics are otherwise missing and mislead SQLite's planner."""
    from django.db import migrations

    def analyse(apps: Any, schema_editor: Any) -> None:
        refresh_statistics([table], using=schema_editor.connection.alias)

    return migrations.RunPython(analyse, migrations.RunPython.noop)


def drop_column_index_operation(table: str, column: str) -> Any:
    """A migration operation that drops the plain single-column index Django made for ``table.column`` (found
    by Django's own naming), and builds it again when the migration is reversed. Dropping it through an
    AlterField of the field instead would make SQLite copy the whole table."""
    from django.db import migrations

    def names(schema_editor: Any) -> tuple[str, str, str]:
        qn = schema_editor.quote_name
        return qn(schema_editor._create_index_name(table, [column])), qn(table), qn(column)

    def drop(apps: Any, schema_editor: Any) -> None:
        index, _table, _column = names(schema_editor)
        schema_editor.execute(f"DROP INDEX IF EXISTS {index}")

    def create(apps: Any, schema_editor: Any) -> None:
        index, quoted_table, quoted_column = names(schema_editor)
        schema_editor.execute(f"CREATE INDEX {index} ON {quoted_table} ({quoted_column})")

    return migrations.RunPython(drop, create)
