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


def analyse_operation(table: str) -> Any:
    """A migration operation that re-analyses ``table``: use it after changing the table's indexes, whose
    statistics are otherwise missing and mislead SQLite's planner."""
    from django.db import migrations

    def analyse(apps: Any, schema_editor: Any) -> None:
        refresh_statistics([table], using=schema_editor.connection.alias)

    return migrations.RunPython(analyse, migrations.RunPython.noop)
