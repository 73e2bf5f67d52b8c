"""Seed the reference scales (see toezicht.signals.reference_data)."""

from django.db import migrations

from toezicht.signals.reference_data import ensure_reference_data


def seed(apps, schema_editor):
    ensure_reference_data(
        apps.get_model("signals", "SourceType"),
        apps.get_model("signals", "SeverityLevel"),
        apps.get_model("signals", "VulnerableGroup"),
    )


class Migration(migrations.Migration):
    dependencies = [("signals", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
