from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from toezicht.register.importing import organisations_import


class Command(BaseCommand):
    help = "Importeer organisaties uit een CSV- of XLSX-bestand, met hetzelfde rapport als de importpagina."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--skip-invalid", action="store_true", help="Foute rijen overslaan.")
        parser.add_argument("--dry-run", action="store_true", help="Alleen controleren, niets opslaan.")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"Bestand '{path}' bestaat niet.")
        outcome = organisations_import(
            content=path.read_bytes(),
            filename=path.name,
            skip_invalid=options["skip_invalid"],
            dry_run=options["dry_run"],
        )
        self.stdout.write(outcome.report.as_text())
        for error in outcome.extra_errors:
            self.stdout.write(str(error))
        self.stdout.write(outcome.summary)
        if options["dry_run"]:
            if not outcome.report.can_import:
                raise CommandError("Het bestand kan zo niet worden geïmporteerd.")
            return
        if not outcome.imported:
            raise CommandError("Er is niets geïmporteerd.")
