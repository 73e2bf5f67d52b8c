"""The link tables of signals to themes and vulnerable groups had an index on signal_id next to their
unique (signal_id, other_id) index, which serves every lookup by signal_id just as well (it is the
leading column). Building the redundant one took a third of a large import's link-table time (ADR 0063).
Django's model state still lists the foreign key as indexed; a later change of these fields that wants
to drop the index finds none and drops nothing."""

from django.db import migrations

from toezicht.core.database import drop_column_index_operation


class Migration(migrations.Migration):
    dependencies = [("signals", "0006_lean_import_indexes")]

    operations = [
        drop_column_index_operation(table, "signal_id")
        for table in ("signals_signal_themes", "signals_signal_vulnerable_groups")
    ]
