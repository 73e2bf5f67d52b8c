"""Housekeeping that keeps the database's query planner informed.

SQLite keeps no table statistics until ANALYZE runs; without them it may pick, for a filtered inbox over a
million signals, an index that matches nearly every row and then sort them all (seconds instead of
milliseconds). PostgreSQL's autovacuum analyses eventually, but not right after a bulk load. So every bulk
load (demo data, the generator, large imports) ends with ``refresh_statistics``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import connections

# Below this many new rows the statistics from before are still good enough.
BULK_ROWS = 50_000


def refresh_statistics(tables: Iterable[str] = (), using: str = "default") -> None:
    """ANALYZE the given tables (all tables when none are named)."""
    connection = connections[using]
    names = list(tables)
    with connection.cursor() as cursor:
        if not names:
            cursor.execute("ANALYZE")
            return
        for name in names:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(name)}")


def refresh_after_bulk_load(row_count: int, tables: Iterable[str], using: str = "default") -> None:
    if row_count >= BULK_ROWS:
        refresh_statistics(tables, using)


def analyse_operation(table: str) -> Any:
    """A migration operation that re-analyses ``table``: use it after changing the table's indexes, whose
    statistics are otherwise missing and mislead SQLite's planner."""
    from django.db import migrations

    def analyse(apps: Any, schema_editor: Any) -> None:
        schema_editor.execute(f"ANALYZE {schema_editor.connection.ops.quote_name(table)}")

    return migrations.RunPython(analyse, migrations.RunPython.noop)
