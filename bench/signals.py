"""Benchmark: bulk import of signals (CSV and XLSX) and the signal inbox on the large dataset.

Run: .venv/bin/python bench/signals.py [--database sqlite|postgres] [--repeat 3]
Prints one JSON line: csv_rows_per_s (a 1,000,000-row CSV, written once to bench/.cache) and
xlsx_rows_per_s (100,000 rows), each the median of --repeat imports with the single runs beside it;
inbox_median_ms and inbox_queries (GET of the inbox as an inspector on the cached large dataset "full",
shared with the risk benchmark) with the common filters, the dashboard (dashboard_median_ms and
dashboard_queries: its bounded counts over the same signals), the number of signals there, peak RSS and
the machine's speed.

The import runs in its own scratch database ("signals_import", small register) that is emptied of
signals before each run; the inbox is measured on "full". Django can use one database per process, so
each part runs in a child process and this process merges their figures.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from _common import CACHE_DIR, machine_speed, median, setup_django, timed

CSV_ROWS = 1_000_000
XLSX_ROWS = 100_000


def _args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__ or "")
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--part", choices=["import", "inbox"], default=None, help=argparse.SUPPRESS)
    parser.add_argument("--csv-rows", type=int, default=CSV_ROWS)
    parser.add_argument("--xlsx-rows", type=int, default=XLSX_ROWS)
    parser.add_argument("--repeat", type=int, default=3, help="imports per file; the median is reported")
    return parser.parse_args()


# --------------------------------------------------------------------------- the import part


def _file_rows(count: int, seed: int) -> Any:
    """A frame of `count` signal rows as a sender would deliver them (Dutch dates, codes and names)."""
    import numpy as np
    import polars as pl

    from toezicht.register.models import Organisation
    from toezicht.signals.models import SeverityLevel, SourceType, VulnerableGroup
    from toezicht.strategy.models import Theme

    rng = np.random.default_rng(seed)
    organisations = np.array(sorted(Organisation.objects.values_list("code", flat=True)))
    themes = np.array(sorted(Theme.objects.values_list("code", flat=True)))
    sources = np.array(sorted(SourceType.objects.values_list("code", flat=True)))
    severities = np.array(list(SeverityLevel.objects.order_by("rank").values_list("name", flat=True)))
    groups = np.array(sorted(VulnerableGroup.objects.values_list("name", flat=True)))
    start = np.datetime64("2017-01-01")
    received = start + rng.integers(0, 3650, count).astype("timedelta64[D]")
    occurred = received - rng.integers(0, 10, count).astype("timedelta64[D]")
    weights = rng.lognormal(0, 1.3, organisations.size)
    org = organisations[rng.choice(organisations.size, count, p=weights / weights.sum())]
    first, second = rng.integers(0, themes.size, count), rng.integers(0, themes.size, count)
    two = rng.random(count) < 0.4
    theme = np.where(two, np.char.add(np.char.add(themes[first], "|"), themes[second]), themes[first])
    frame = pl.DataFrame(
        {
            "kenmerk_afzender": pl.Series(np.arange(count)).cast(pl.String).str.zfill(8),
            "onderwerp": pl.Series(["Melding over de organisatie", "Incident op locatie", "Klacht"])[
                rng.integers(0, 3, count)
            ],
            "omschrijving": "",
            "bron": sources[rng.integers(0, sources.size, count)],
            "ontvangen_op": pl.Series(received).cast(pl.Date).dt.strftime("%d-%m-%Y"),
            "datum_voorval": pl.Series(occurred).cast(pl.Date).dt.strftime("%-d-%-m-%Y"),
            "organisatie": org,
            "themas": theme,
            "ernst": severities[rng.integers(0, severities.size, count)],
            "aantal_betrokkenen": pl.Series(rng.integers(0, 40, count)).cast(pl.String),
            "kwetsbare_groepen": np.where(
                rng.random(count) < 0.25, groups[rng.integers(0, groups.size, count)], ""
            ),
            "vertrouwelijkheid": np.where(rng.random(count) < 0.03, "vertrouwelijk", "intern"),
        }
    )
    return frame


def _csv_file(count: int, seed: int) -> Path:
    path = CACHE_DIR / f"signals_import_{count}_seed{seed}.csv"
    if not path.exists():
        frame = _file_rows(count, seed)
        frame.write_csv(path.with_suffix(".tmp"), separator=";")
        path.with_suffix(".tmp").rename(path)
    return path


def _xlsx_file(count: int, seed: int) -> Path:
    path = CACHE_DIR / f"signals_import_{count}_seed{seed}.xlsx"
    if not path.exists():
        from toezicht.core.tabular import write_xlsx

        frame = _file_rows(count, seed + 1)
        with path.with_suffix(".tmp").open("wb") as out:
            write_xlsx(frame.iter_rows(), frame.columns, out)
        path.with_suffix(".tmp").rename(path)
    return path


def _empty_signals() -> None:
    """Remove every signal (and what hangs on them) from the scratch database."""
    from django.db import connection, transaction

    from toezicht.signals.models import ImportBatch, Signal

    tables = [Signal._meta.db_table, ImportBatch._meta.db_table]
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("TRUNCATE " + ", ".join(tables) + " CASCADE")
            return
        dependants = []
        for model_field in Signal._meta.get_fields(include_hidden=True):
            if model_field.is_relation and model_field.auto_created and not model_field.concrete:
                related = model_field.related_model
                if related is not None and related is not Signal:
                    dependants.append(related._meta.db_table)
        for through in (
            Signal.themes.through,
            Signal.vulnerable_groups.through,
            Signal.related_organisations.through,
            Signal.authorised_users.through,
        ):
            dependants.append(through._meta.db_table)
        cursor.execute(
            f'UPDATE "{Signal._meta.db_table}" SET merged_into_id = NULL WHERE merged_into_id IS NOT NULL'
        )
        for table in [*dict.fromkeys(dependants), *tables]:
            cursor.execute(f'DELETE FROM "{table}"')


def _sqlite_template(seed: int) -> tuple[Path, Path]:
    database = CACHE_DIR / f"signals_import_small_seed{seed}.sqlite3"
    return database, database.with_name(database.stem + ".empty.sqlite3")


def _restore_empty_sqlite(seed: int) -> None:
    """Start from a copy of the emptied scratch database (much faster than deleting a million rows)."""
    database, template = _sqlite_template(seed)
    if template.exists():
        for suffix in ("-wal", "-shm"):
            Path(str(database) + suffix).unlink(missing_ok=True)
        shutil.copyfile(template, database)


def _save_empty_sqlite(seed: int) -> None:
    """Saved anew on every run: the copy must have the current migrations (setup_django just applied
    them to the restored copy), or the imports would be measured on an older schema."""
    from django.db import connection

    _database, template = _sqlite_template(seed)
    if connection.vendor == "sqlite":
        template.unlink(missing_ok=True)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM INTO %s", [str(template)])


def _run_import(path: Path, rows: int, database: str, seed: int) -> float:
    from django.db import connection

    from toezicht.signals.importing import signals_import

    if database == "sqlite":  # a fresh copy of the emptied database: deleting a million rows takes minutes
        connection.close()
        _restore_empty_sqlite(seed)
    else:
        _empty_signals()
    started = time.perf_counter()
    outcome = signals_import(content=path.read_bytes(), filename=path.name)
    seconds = time.perf_counter() - started
    assert outcome.created == rows, (outcome.created, outcome.report.summary(), outcome.errors[:3])
    return rows / seconds


def part_import(args: argparse.Namespace) -> dict[str, Any]:
    if args.database == "sqlite":
        _restore_empty_sqlite(args.seed)
    setup_django(argparse.Namespace(database=args.database, scale="small", seed=args.seed), "signals_import")
    _empty_signals()
    _save_empty_sqlite(args.seed)
    csv_path = _csv_file(args.csv_rows, args.seed)
    xlsx_path = _xlsx_file(args.xlsx_rows, args.seed)
    # Each import runs `repeat` times from an empty table; the figure is the median (a shared machine's
    # speed changes from minute to minute), the single runs are reported beside it.
    runs = range(args.repeat)
    xlsx_rates = [_run_import(xlsx_path, args.xlsx_rows, args.database, args.seed) for _ in runs]
    csv_rates = [_run_import(csv_path, args.csv_rows, args.database, args.seed) for _ in runs]
    from django.db import connection

    from toezicht.core.bulk import may_skip_row_triggers
    from toezicht.signals.models import Signal

    return {
        # Foreign keys of a large import checked per distinct value (ADR 0061, ADR 0064) or by the database
        # per row (PostgreSQL without the privilege to skip its row triggers).
        "fk_checks": "per value" if connection.vendor == "sqlite" or may_skip_row_triggers() else "per row",
        "csv_rows": args.csv_rows,
        "csv_rows_per_s": round(statistics.median(csv_rates)),
        "csv_runs_rows_per_s": [round(rate) for rate in csv_rates],
        "xlsx_rows": args.xlsx_rows,
        "xlsx_rows_per_s": round(statistics.median(xlsx_rates)),
        "xlsx_runs_rows_per_s": [round(rate) for rate in xlsx_rates],
        "imported_signals": Signal.objects.count(),
    }


# --------------------------------------------------------------------------- the inbox part


def part_inbox(args: argparse.Namespace) -> dict[str, Any]:
    setup_django(argparse.Namespace(database=args.database, scale="large", seed=args.seed), "full")
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import NoReverseMatch, reverse

    from toezicht.accounts.models import User
    from toezicht.register.models import SupervisionArea
    from toezicht.signals.models import Signal

    figures: dict[str, Any] = {"signals": Signal.objects.count()}
    try:
        url = reverse("signals:inbox")
    except NoReverseMatch:
        figures.update(inbox_median_ms=None, inbox_queries=None, inbox="signals:inbox bestaat nog niet")
        return figures
    areas = list(SupervisionArea.objects.order_by("code")[:2])
    user, _ = User.objects.get_or_create(username="bench-inspecteur", defaults={"role": "inspecteur"})
    user.areas.set(areas)
    client = Client()
    client.force_login(user)

    def request(params: dict[str, Any] | None = None) -> None:
        response = client.get(url, params or {})
        assert response.status_code == 200, response.status_code

    request()
    durations = timed(request, repeat=15)
    with CaptureQueriesContext(connection) as ctx:
        request()
    figures.update(inbox_median_ms=median(durations), inbox_queries=len(ctx.captured_queries))

    # What an inspector does next: the common filters and sorts, each its median of five.
    from toezicht.strategy.models import Theme

    theme = Theme.objects.order_by("pk").first()
    variants: dict[str, dict[str, Any]] = {
        "open": {"status": "open"},
        "overdue": {"termijn": "ja"},
        "severity_sort": {"sorteer": "ernst"},
        "deadline_sort": {"sorteer": "termijn"},
        "theme": {"thema": theme.pk if theme else ""},
        "unassigned": {"toegewezen": "geen"},
        "search_word": {"q": "personeel"},
        "search_reference": {"q": "000123"},
    }
    filter_ms: dict[str, float] = {}
    for name, params in variants.items():
        request(params)
        filter_ms[name] = median(timed(lambda params=params: request(params), repeat=5))
    figures.update(inbox_filter_median_ms=filter_ms)

    # The dashboard counts what waits for the user among the same million signals (bounded counts).
    dashboard = reverse("web:dashboard")
    client.get(dashboard)
    figures.update(
        dashboard_median_ms=median(timed(lambda: client.get(dashboard), repeat=5)),
    )
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(dashboard).status_code == 200
    figures.update(dashboard_queries=len(ctx.captured_queries))
    return figures


# --------------------------------------------------------------------------- driver


def _peak_mb(usage: resource.struct_rusage) -> float:
    return round(usage.ru_maxrss / 1024, 1)


def main() -> None:
    args = _args()
    if args.part is not None:
        figures = part_import(args) if args.part == "import" else part_inbox(args)
        figures["peak_rss_mb"] = _peak_mb(resource.getrusage(resource.RUSAGE_SELF))
        print(json.dumps(figures))
        return
    result: dict[str, Any] = {"benchmark": "signals", "database": args.database}
    peak = 0.0
    for part in ("import", "inbox"):
        command = [
            sys.executable,
            __file__,
            "--database",
            args.database,
            "--seed",
            str(args.seed),
            "--part",
            part,
            "--csv-rows",
            str(args.csv_rows),
            "--xlsx-rows",
            str(args.xlsx_rows),
            "--repeat",
            str(args.repeat),
        ]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        sys.stderr.write(done.stderr)
        if done.returncode != 0:
            result[f"{part}_error"] = (done.stderr.strip().splitlines() or ["?"])[-1]
            continue
        figures = json.loads(done.stdout.strip().splitlines()[-1])
        peak = max(peak, figures.pop("peak_rss_mb", 0.0))
        result.update(figures)
    result["peak_rss_mb"] = peak
    result["machine"] = machine_speed()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
