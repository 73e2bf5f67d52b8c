from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from toezicht.demo.generate import SCALES, generate


class Command(BaseCommand):
    help = "Maak deterministische synthetische data op schaal (voor benchmarks)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", choices=sorted(SCALES), default="small")
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        counts = generate(options["scale"], options["seed"])
        elapsed = time.perf_counter() - started
        summary = ", ".join(f"{value:,} {key}".replace(",", ".") for key, value in counts.items())
        self.stdout.write(
            self.style.SUCCESS(f"Synthetische data ({options['scale']}) klaar in {elapsed:.1f} s: {summary}")
        )
