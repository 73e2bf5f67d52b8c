from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from toezicht.programme import services
from toezicht.programme.models import PlanRunStatus, WorkProgramme


class Command(BaseCommand):
    help = (
        "Bereken het werkprogramma van een jaar uit de huidige kandidaten en capaciteit; "
        "toont waarde, gap en bindende eisen. Met --scenario wordt een vastgelegd scenario "
        "berekend (het programma verandert dan niet)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, required=True, help="Jaar van het werkprogramma.")
        parser.add_argument("--scenario", default="", help="Naam van een vastgelegd scenario.")
        parser.add_argument("--time-limit", type=float, default=None, help="Rekentijd in seconden.")
        parser.add_argument("--refresh", action="store_true", help="Eerst de kandidaten bijwerken.")

    def handle(self, *args: Any, **options: Any) -> None:
        programme = WorkProgramme.objects.filter(year=options["year"]).order_by("-version").first()
        if programme is None:
            raise CommandError(f"Er is geen werkprogramma voor {options['year']}.")
        scenario = None
        if options["scenario"]:
            scenario = programme.scenarios.filter(name=options["scenario"]).first()
            if scenario is None:
                names = ", ".join(programme.scenarios.values_list("name", flat=True)) or "geen"
                raise CommandError(f"Scenario '{options['scenario']}' bestaat niet (wel: {names}).")
        if options["refresh"]:
            result = services.candidates_refresh(programme=programme)
            self.stdout.write(
                f"Kandidaten: {result.risk} uit het risicobeeld, {result.recurring} terugkerend, "
                f"{result.mandatory} verplicht."
            )
        run = services.plan_compute(
            programme=programme, scenario=scenario, time_limit_s=options["time_limit"]
        )
        self.stdout.write(f"{programme} — {run.status_label}")
        if run.status in (PlanRunStatus.INFEASIBLE, PlanRunStatus.INVALID):
            info = run.explanation.get("infeasibility", {}).get("summary") or " ".join(
                run.explanation.get("messages", [])
            )
            raise CommandError(info)
        gap = f"{run.gap * 100:.3f} %" if run.gap is not None else "onbekend"
        self.stdout.write(f"Waarde: {run.value:.1f}  bovengrens: {run.best_bound or 0:.1f}  gap: {gap}")
        self.stdout.write(
            f"Rekentijd: {run.solve_seconds:.1f} s; vastgelegd: {'ja' if run.applied else 'nee'}"
        )
        self.stdout.write("Bindende eisen:")
        for b in run.binding[:30]:
            self.stdout.write(f"  - {b['message']}")
        if len(run.binding) > 30:
            self.stdout.write(f"  … en {len(run.binding) - 30} meer")
