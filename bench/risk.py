"""Risk picture end to end: database → stored snapshot, incremental update, heatmap page; one JSON line.

Run: ``.venv/bin/python bench/risk.py [--database sqlite|postgres] [--scale small|medium|large]``.
The dataset ("full") is generated once per scale and seed by the demo generator steps (register, signals,
indicators) into the benchmark's own database and cached.

* full_recompute_s: ``services.recompute_full`` (load with raw SQL into polars, compute, bulk insert, flip
  the snapshot to complete), median of two runs
* reference_s: the floor: the same signals read from the database into polars plus one group-by per
  (organisation) of their decayed severity weight
* incremental_ms: one new signal added to the latest snapshot (warm per-process cache), median of 5
* heatmap_median_ms: GET /risico/ for a user who sees all areas, median of 5
"""

from __future__ import annotations

import datetime
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from _common import emit, median, parse_args, setup_django, timed


def main() -> None:
    args = parse_args("Risicobeeld: volledige herberekening, incrementeel en heatmap")
    setup_django(args, "full")

    import polars as pl
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from toezicht.accounts.roles import Role
    from toezicht.register.models import Organisation
    from toezicht.risk import loading, services
    from toezicht.risk.demo_data import ensure_default_version
    from toezicht.signals.models import SeverityLevel, Signal, SourceType

    ensure_default_version()
    reference = timezone.localdate()

    runs = []
    snapshot = None
    for _ in range(2):
        started = time.perf_counter()
        snapshot = services.recompute_full(reference_date=reference)
        runs.append(time.perf_counter() - started)
    assert snapshot is not None

    def reference_query() -> None:
        frame = loading._frame(
            f"SELECT organisation_id, severity_id, {loading._age_days('received_on', reference)} "
            f"FROM {Signal._meta.db_table} WHERE organisation_id IS NOT NULL",
            {"org_id": pl.Int64, "severity": pl.Int64, "age": pl.Float64},
        )
        frame.group_by("org_id").agg((pl.col("severity") * (2.0 ** (-pl.col("age") / 180.0))).sum())

    reference_runs = [t / 1000 for t in timed(reference_query, 3)]

    organisation = Organisation.objects.order_by("pk").first()
    severity = SeverityLevel.objects.order_by("-rank").first()
    source = SourceType.objects.first()
    durations = []
    for n in range(5):
        signal = Signal.objects.create(
            reference=f"BENCH-{time.time_ns()}-{n}",
            title="Benchmarksignaal",
            source=source,
            received_on=reference,
            organisation=organisation,
            severity=severity,
        )
        started = time.perf_counter()
        services.apply_incremental(signal_ids=[signal.pk])
        durations.append((time.perf_counter() - started) * 1000)

    from toezicht.accounts.models import User

    user, _ = User.objects.get_or_create(username="bench-risk", defaults={"role": Role.INSPECTOR_GENERAL})
    client = Client(SERVER_NAME="localhost")
    client.force_login(user)
    heatmap = timed(lambda: client.get("/risico/"), 5)

    emit(
        {
            "benchmark": "risk",
            "database": connection.vendor,
            "scale": args.scale,
            "organisations": snapshot.n_organisations,
            "themes": snapshot.n_themes,
            "signals": snapshot.n_signals,
            "observations": snapshot.n_observations,
            "stored_scores": snapshot.n_scores,
            "full_recompute_s": round(statistics.median(runs), 3),
            "reference_s": round(statistics.median(reference_runs), 3),
            "ratio": round(statistics.median(runs) / max(statistics.median(reference_runs), 1e-9), 1),
            "incremental_ms": median(durations),
            "heatmap_median_ms": median(heatmap),
            "reference_date": datetime.date.isoformat(reference),
        }
    )


if __name__ == "__main__":
    main()
