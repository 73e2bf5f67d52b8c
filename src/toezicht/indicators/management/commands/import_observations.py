from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from toezicht.indicators.importing import observations_import


class Command(BaseCommand):
    help = "Importeer metingen uit een CSV- of XLSX-bestand, met hetzelfde rapport als de importpagina."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--skip-invalid", action="store_true", help="Foute rijen overslaan (quarantaine)."
        )
        parser.add_argument("--dry-run", action="store_true", help="Alleen controleren, niets opslaan.")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"Bestand '{path}' bestaat niet.")
        outcome = observations_import(
            content=path.read_bytes(),
            filename=path.name,
            skip_invalid=options["skip_invalid"],
            dry_run=options["dry_run"],
        )
        report = outcome.report
        self.stdout.write(f"Bestand: {path.name}")
        if not report.file_errors:
            self.stdout.write(report.counts_line())
        for notice in outcome.notices:
            self.stdout.write(f"  - {notice}")
        errors = outcome.errors
        if errors:
            self.stdout.write("Fouten:")
            for error in errors[:100]:
                self.stdout.write(f"  - {error}")
            hidden = len(errors) - min(100, len(errors)) + report.errors_omitted + outcome.extra_omitted
            if hidden:
                self.stdout.write(f"  … en nog {hidden} fouten")
        self.stdout.write(outcome.summary)
        if options["dry_run"]:
            if outcome.blocked or not outcome.importable:
                raise CommandError("Het bestand kan zo niet worden geïmporteerd.")
            return
        if not outcome.created:
            raise CommandError("Er is niets geïmporteerd.")
