from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from toezicht.demo.data import DEMO_PASSWORD
from toezicht.demo.loader import load_demo
from toezicht.register.models import Organisation


class Command(BaseCommand):
    help = "Laad de demodataset (toezichtgebieden, organisaties, ketens, doelen, thema's en demo-accounts)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--if-empty", action="store_true", help="Alleen laden als er nog geen organisaties zijn."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["if_empty"] and Organisation.objects.exists():
            self.stdout.write("De database bevat al gegevens; demodata niet opnieuw geladen.")
        else:
            summary = load_demo()
            self.stdout.write(
                self.style.SUCCESS(
                    f"Demodata geladen: {summary.organisations} organisaties, "
                    f"{summary.areas} toezichtgebieden, {summary.chains} ketens, "
                    f"{summary.relationships} sturingsrelaties, {summary.themes} thema's."
                )
            )
            for line in summary.extras:
                self.stdout.write(self.style.SUCCESS(line))
        self.stdout.write("")
        self.stdout.write(f"Demo-accounts (wachtwoord voor alle accounts: {DEMO_PASSWORD}):")
        from toezicht.demo.data import DEMO_USERS

        for username, _first, _last, role, areas, _title in DEMO_USERS:
            self.stdout.write(f"  {username:<12} {role:<20} {', '.join(areas) or 'alle toezichtgebieden'}")
