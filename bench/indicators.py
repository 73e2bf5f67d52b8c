"""Benchmark: importing 500,000 observations from a CSV file (validation, bulk insert, breach detection
with signals), plus the sector view of a norm.

Run: .venv/bin/python bench/indicators.py [--database sqlite|postgres] [--scale small] [--rows 500000]
The dataset (register and synthetic data) is generated once per scale and cached. The file uses periods
before the synthetic ones, so every row is new; each run is rolled back, so runs compare.
Prints one JSON line: rows/s of the full import, of the validation alone (dry run), breaches and signals
made, and the median time of the sector view.
"""

from __future__ import annotations

import datetime
import sys
import time

from _common import emit, median, parse_args, setup_django, timed


class _Rollback(Exception):
    pass


def main() -> None:
    rows_wanted = 500_000
    if "--rows" in sys.argv:
        position = sys.argv.index("--rows")
        rows_wanted = int(sys.argv[position + 1])
        del sys.argv[position : position + 2]
    if "--scale" not in sys.argv:
        sys.argv += ["--scale", "small"]
    args = parse_args(__doc__ or "")
    setup_django(args, "indicators")
    from django.db import connection, transaction

    from toezicht.accounts.models import User
    from toezicht.indicators.importing import observations_import
    from toezicht.indicators.models import Indicator, Norm
    from toezicht.indicators.periods import add_months
    from toezicht.indicators.selectors import norm_sector
    from toezicht.register.models import Organisation

    indicators = list(Indicator.objects.filter(code__startswith="syn-ind-").order_by("code"))
    organisations = list(
        Organisation.objects.filter(code__startswith="syn-org-").values_list("code", flat=True)
    )

    per_month = len(indicators) * len(organisations)
    months = -(-rows_wanted // per_month)
    start = datetime.date(2000, 1, 1)
    lines = ["indicator;organisatie;periode;waarde"]
    norms = {n.indicator_id: n for n in Norm.objects.filter(indicator__in=indicators)}
    count = 0
    for m in range(months):
        period = add_months(start, m).strftime("%Y-%m")
        for i, indicator in enumerate(indicators):
            norm = norms.get(indicator.pk)
            base = norm.threshold if norm and norm.threshold else 100.0
            at_most = norm is None or norm.comparison == "max"
            for o, organisation in enumerate(organisations):
                if count >= rows_wanted:
                    break
                # About 3 % of the values breach the norm (x above 0.967).
                x = ((i * 7 + o * 13 + m * 3) % 100) / 100
                value = base * (0.71 + 0.3 * x) if at_most else base * (1.29 - 0.3 * x)
                lines.append(f"{indicator.code};{organisation};{period};{value:.1f}".replace(".", ","))
                count += 1
    content = ("\n".join(lines) + "\n").encode("utf-8")

    def run(dry_run: bool) -> dict[str, int]:
        figures: dict[str, int] = {}
        try:
            with transaction.atomic():
                outcome = observations_import(content=content, filename="bench.csv", dry_run=dry_run)
                assert outcome.report.total == count, outcome.summary
                assert not outcome.blocked, outcome.summary
                figures = {
                    "created": outcome.created,
                    "breaches": outcome.breaches,
                    "signals": outcome.signals,
                }
                raise _Rollback
        except _Rollback:
            pass
        return figures

    started = time.perf_counter()
    run(dry_run=True)
    validate_s = time.perf_counter() - started
    started = time.perf_counter()
    made = run(dry_run=False)
    import_s = time.perf_counter() - started

    user = User.objects.filter(role="beheerder").first() or User.objects.create(
        username="bench-beheerder", role="beheerder"
    )
    norm = Norm.objects.filter(code__startswith="syn-norm-").order_by("code").first()
    assert norm is not None
    sector_ms = median(timed(lambda: norm_sector(user, norm), repeat=5))
    emit(
        {
            "benchmark": "indicators",
            "database": connection.vendor,
            "rows": count,
            "import_s": round(import_s, 2),
            "import_rows_per_s": round(count / import_s),
            "validate_only_s": round(validate_s, 2),
            "validate_rows_per_s": round(count / validate_s),
            "created": made.get("created", 0),
            "breaches": made.get("breaches", 0),
            "signals": made.get("signals", 0),
            "sector_view_ms": sector_ms,
        }
    )


if __name__ == "__main__":
    main()
