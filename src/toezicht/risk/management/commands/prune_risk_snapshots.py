from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from toezicht.core.tabular._text import format_int_nl
from toezicht.risk import services


class Command(BaseCommand):
    help = (
        "Verwijder oude risicobeelden met hun scores. Bewaard blijven alle berekeningen van de laatste "
        "dagen (--keep-days), het nieuwste gereed risicobeeld en het laatste gereed risicobeeld van "
        "elke maand."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--keep-days",
            type=int,
            default=None,
            help=(
                "Aantal dagen dat elk risicobeeld bewaard blijft "
                f"(standaard {settings.RISK_SNAPSHOT_KEEP_DAYS})."
            ),
        )
        parser.add_argument("--dry-run", action="store_true", help="Alleen tellen, niets verwijderen.")

    def handle(self, *args: Any, **options: Any) -> None:
        keep_days = options["keep_days"]
        if keep_days is not None and keep_days < 1:
            raise CommandError("--keep-days moet ten minste 1 zijn.")
        outcome = services.prune_snapshots(keep_days=keep_days, dry_run=options["dry_run"])
        self.stdout.write(prune_summary(outcome, dry_run=options["dry_run"]))


def prune_summary(outcome: services.PruneOutcome, *, dry_run: bool) -> str:
    verb = "Te verwijderen" if dry_run else "Verwijderd"
    return (
        f"{verb}: {format_int_nl(outcome.snapshots)} risicobeeld(en) met {format_int_nl(outcome.scores)} "
        f"scores; {format_int_nl(outcome.kept)} risicobeeld(en) bewaard."
    )
