from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from toezicht.register.models import Organisation
from toezicht.risk import selectors, services
from toezicht.risk.engine.explain import dutch_number
from toezicht.risk.management.commands.prune_risk_snapshots import prune_summary
from toezicht.risk.models import RiskScore, SnapshotTrigger


class Command(BaseCommand):
    help = (
        "Herbereken en bewaar het risicobeeld; met --organisation ook scores en uitleg van die organisatie."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--organisation", help="Code van een organisatie om de uitkomst van te tonen.")
        parser.add_argument(
            "--scheduled",
            action="store_true",
            help=(
                "Markeer de berekening als gepland (voor cron/Celery beat) en ruim daarna oude risicobeelden "
                "op (zie prune_risk_snapshots)."
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        organisation = None
        if options["organisation"]:
            organisation = Organisation.objects.filter(code=options["organisation"]).first()
            if organisation is None:
                raise CommandError(f"Organisatie met code '{options['organisation']}' bestaat niet.")
        trigger = SnapshotTrigger.SCHEDULED if options["scheduled"] else SnapshotTrigger.FULL
        try:
            snapshot = services.recompute_full(trigger=trigger)
        except services.RiskError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Risicobeeld {snapshot.pk} berekend in {dutch_number(snapshot.duration_s, 2)} s met modelversie "
            f"{snapshot.model_version.number}: {snapshot.n_organisations} organisaties, {snapshot.n_themes} "
            f"thema's, {snapshot.n_signals} signalen, {snapshot.n_observations} metingen, "
            f"{snapshot.n_scores} opgeslagen scores."
        )
        if options["scheduled"]:
            self.stdout.write(prune_summary(services.prune_snapshots(), dry_run=False))
        top = list(
            RiskScore.objects.filter(snapshot=snapshot, theme__isnull=False)
            .select_related("organisation", "theme")
            .order_by("-score")[:5]
        )
        if top:
            self.stdout.write("Hoogste risico's:")
            for row in top:
                theme = row.theme.name if row.theme else ""
                self.stdout.write(f"  {dutch_number(row.score)}  {row.organisation.name} – {theme}")
        if organisation is None:
            return
        self.stdout.write("")
        self.stdout.write(f"{organisation.name} ({organisation.code}):")
        rows = list(
            selectors.with_overrides(RiskScore.objects.filter(snapshot=snapshot, organisation=organisation))
            .select_related("theme")
            .order_by("-score")
        )
        if not rows:
            self.stdout.write("  Geen aanwijzingen voor risico (score 0 voor elk thema).")
            return
        for row in rows:
            theme = row.theme.name if row.theme else "Totaal"
            self.stdout.write(f"  {theme}: {selectors.explanation_text(row, row.override_score)}")  # type: ignore[attr-defined]
            if row.theme is not None:
                for bar in selectors.contribution_bars(row):
                    if bar["contribution"] > 0:
                        self.stdout.write(f"    - {bar['label']}: {bar['percent']} % van de kans")
