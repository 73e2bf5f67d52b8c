"""`toezicht import_signals FILE [--mapping NAME] [--skip-invalid] [--dry-run] [--sender CODE]`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from toezicht.register.models import Organisation
from toezicht.signals.importing import signals_import
from toezicht.signals.models import ImportMapping


class Command(BaseCommand):
    help = (
        "Importeer signalen uit een CSV- of XLSX-bestand, met dezelfde controle en hetzelfde rapport als de "
        "importpagina. Zonder --skip-invalid wordt niets opgeslagen zolang er een rij fout is."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--mapping", help="Naam van een opgeslagen kolomindeling.")
        parser.add_argument("--sender", help="Code van de organisatie die het bestand aanlevert.")
        parser.add_argument(
            "--skip-invalid", action="store_true", help="Foute rijen overslaan (quarantaine)."
        )
        parser.add_argument("--dry-run", action="store_true", help="Alleen controleren, niets opslaan.")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"Bestand '{path}' bestaat niet.")
        mapping = None
        if options["mapping"]:
            mapping = ImportMapping.objects.filter(name=options["mapping"]).first()
            if mapping is None:
                known = ", ".join(ImportMapping.objects.values_list("name", flat=True)[:20]) or "geen"
                raise CommandError(
                    f"Kolomindeling '{options['mapping']}' bestaat niet (opgeslagen: {known})."
                )
        sender = None
        if options["sender"]:
            sender = Organisation.objects.filter(code__iexact=options["sender"]).first()
            if sender is None:
                raise CommandError(f"Er is geen organisatie met code '{options['sender']}'.")
        outcome = signals_import(
            content=path.read_bytes(),
            filename=path.name,
            mapping=mapping,
            sender=sender,
            skip_invalid=options["skip_invalid"],
            dry_run=options["dry_run"],
            restrict_to_user=False,
        )
        self.stdout.write(outcome.as_text())
        if options["dry_run"]:
            if outcome.report.file_errors or (outcome.rejected and not options["skip_invalid"]):
                raise CommandError("Het bestand kan zo niet worden geïmporteerd.")
            return
        if not outcome.created:
            raise CommandError("Er is niets geïmporteerd.")
