"""Shared set-up for benchmarks: an own database per benchmark, built once and cached.

A benchmark never touches the demo database: SQLite files live in bench/.cache/, PostgreSQL databases
are named toezicht_bench_<name>. The dataset is generated with a fixed seed, so the figures compare.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
CACHE_DIR = BENCH_DIR / ".cache"
POSTGRES_SERVER = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432")


def parse_args(description: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--scale", default="large")
    parser.add_argument("--seed", type=int, default=1)
    return parser.parse_args()


def _ensure_postgres_database(name: str) -> None:
    import psycopg

    with psycopg.connect(f"{POSTGRES_SERVER}/postgres", autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')


def setup_django(args: argparse.Namespace, dataset: str) -> None:
    """Point Django at this benchmark's own database, migrate it, and generate the dataset if needed."""
    key = f"{dataset}_{args.scale}_seed{args.seed}"
    if args.database == "sqlite":
        CACHE_DIR.mkdir(exist_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{CACHE_DIR / (key + '.sqlite3')}"
    else:
        name = f"toezicht_bench_{key}".lower()
        _ensure_postgres_database(name)
        os.environ["DATABASE_URL"] = f"{POSTGRES_SERVER}/{name}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "toezicht.conf.settings")
    os.environ.setdefault("TOEZICHT_LOG_LEVEL", "WARNING")
    os.environ.setdefault("TOEZICHT_LOGIN_THROTTLING", "false")
    os.environ.setdefault("TOEZICHT_FAST_PASSWORD_HASHER", "true")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from django.db import connection

    marker_table = "bench_marker"
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE IF NOT EXISTS {marker_table} (dataset VARCHAR(200) PRIMARY KEY)")
        cursor.execute(f"SELECT 1 FROM {marker_table} WHERE dataset = %s", [key])
        if cursor.fetchone():
            return
    started = time.perf_counter()
    print(f"Generating dataset {key} (once; cached afterwards)…", file=sys.stderr)
    from toezicht.demo.generate import generate

    generate(args.scale, args.seed)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {marker_table} (dataset) VALUES (%s)", [key])
    print(f"Generated in {time.perf_counter() - started:.1f} s", file=sys.stderr)


def timed(func: Callable[[], Any], repeat: int) -> list[float]:
    durations = []
    for _ in range(repeat):
        started = time.perf_counter()
        func()
        durations.append((time.perf_counter() - started) * 1000)
    return durations


def median(values: list[float]) -> float:
    return round(statistics.median(values), 2)


def peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def machine_speed() -> dict[str, float]:
    """How fast this machine is right now, so that figures from different hours can be compared (a shared
    machine here changed speed by a third within the hour): the time of a fixed piece of Python and numpy
    work, and the speed of a written and fsync'd file in the benchmark cache (what a commit costs)."""
    import hashlib
    import tempfile

    import numpy as np

    started = time.perf_counter()
    sha = hashlib.sha256
    for i in range(200_000):
        sha(str(i).encode()).digest()
    np.sort(np.random.default_rng(0).integers(0, 1 << 40, 2_000_000))
    cpu_ms = (time.perf_counter() - started) * 1000
    CACHE_DIR.mkdir(exist_ok=True)
    block = os.urandom(1 << 20)
    with tempfile.NamedTemporaryFile(dir=CACHE_DIR) as handle:
        started = time.perf_counter()
        for _ in range(64):
            handle.write(block)
        handle.flush()
        os.fsync(handle.fileno())
        seconds = time.perf_counter() - started
    return {"cpu_ms": round(cpu_ms, 1), "fsync_write_mb_s": round(64 / seconds, 1)}


def emit(figures: dict[str, Any]) -> None:
    figures["peak_rss_mb"] = peak_rss_mb()
    figures["machine"] = machine_speed()
    print(json.dumps(figures))
