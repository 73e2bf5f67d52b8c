"""Micro-benchmark of the pure risk engine on synthetic data; prints one JSON line.

Run: ``.venv/bin/python bench/risk_engine.py`` (optionally ``--organisations``, ``--signals``, ...).
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from pathlib import Path

import duckdb
import numpy as np
import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from toezicht.risk.engine import (
    NewSignal,
    RiskInput,
    add_signal,
    compute,
    default_model,
)


def synthetic_input(
    organisations: int, themes: int, signals: int, observations: int, seed: int = 20250101
) -> RiskInput:
    rng = np.random.default_rng(seed)
    org_ids = np.arange(1, organisations + 1, dtype=np.int64) * 3  # sparse-ish ids
    theme_ids = np.arange(1, themes + 1, dtype=np.int64)
    orgs = pl.DataFrame(
        {
            "org_id": org_ids,
            "people_served": rng.lognormal(6.0, 1.5, organisations).round(),
            "vulnerability": rng.beta(2, 5, organisations),
            "years_since_investigation": np.where(
                rng.random(organisations) < 0.1, np.nan, rng.exponential(3.0, organisations)
            ),
            "overdue_recommendations": rng.poisson(0.7, organisations).astype(np.float64),
            "open_recommendations": rng.poisson(2.0, organisations).astype(np.float64),
        }
    ).with_columns(pl.col("years_since_investigation").fill_nan(None))
    theme = rng.integers(0, themes, signals)
    signal_frame = pl.DataFrame(
        {
            "signal_id": np.arange(signals, dtype=np.int64),
            "org_id": org_ids[rng.integers(0, organisations, signals)],
            "theme_id": pl.Series(theme_ids[theme]).scatter(np.flatnonzero(rng.random(signals) < 0.1), None),
            "severity": rng.choice(np.arange(1, 6), signals, p=[0.35, 0.3, 0.2, 0.1, 0.05]),
            "age_days": rng.integers(0, 5 * 365, signals).astype(np.float64),
            "people_affected": rng.poisson(3.0, signals).astype(np.float64),
            "vulnerable": rng.random(signals) < 0.2,
        }
    )
    indicators_per_theme = 3
    obs_theme = rng.integers(0, themes, observations)
    observation_frame = pl.DataFrame(
        {
            "observation_id": np.arange(observations, dtype=np.int64),
            "org_id": org_ids[rng.integers(0, organisations, observations)],
            "theme_id": theme_ids[obs_theme],
            "indicator_id": obs_theme * indicators_per_theme
            + rng.integers(0, indicators_per_theme, observations),
            "period": rng.integers(0, 12, observations),
            "pressure": rng.beta(2, 3, observations),
            "breach": rng.random(observations) < 0.08,
        }
    )
    n_judgements = organisations * 4
    judgement_frame = pl.DataFrame(
        {
            "org_id": org_ids[rng.integers(0, organisations, n_judgements)],
            "theme_id": theme_ids[rng.integers(0, themes, n_judgements)],
            "share_not_compliant": rng.beta(1, 4, n_judgements),
            "age_days": rng.integers(0, 6 * 365, n_judgements).astype(np.float64),
        }
    )
    n_chains = max(1, organisations // 20)
    chain_edges = pl.DataFrame(
        {
            "org_id": org_ids[rng.integers(0, organisations, n_chains * 6)],
            "chain_id": np.repeat(np.arange(n_chains, dtype=np.int64), 6),
        }
    ).unique()
    involved = rng.integers(0, signals, signals // 50)
    signal_orgs = pl.DataFrame(
        {
            "signal_id": involved.astype(np.int64),
            "org_id": org_ids[rng.integers(0, organisations, len(involved))],
        }
    ).unique()
    return RiskInput(
        organisations=orgs,
        theme_ids=theme_ids,
        signals=signal_frame,
        observations=observation_frame,
        judgements=judgement_frame,
        signal_organisations=signal_orgs,
        org_chains=chain_edges,
        org_areas=pl.DataFrame({"org_id": org_ids, "area_id": rng.integers(0, 8, organisations)}),
        theme_goals=pl.DataFrame({"theme_id": theme_ids, "goal_id": theme_ids % 6}),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--organisations", type=int, default=5_000)
    parser.add_argument("--themes", type=int, default=20)
    parser.add_argument("--signals", type=int, default=1_000_000)
    parser.add_argument("--observations", type=int, default=500_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    inp = synthetic_input(args.organisations, args.themes, args.signals, args.observations)
    model = default_model()

    engine_times = []
    result = None
    for _ in range(args.repeat):
        start = time.perf_counter()
        result = compute(inp, model)
        _ = (result.signal_evidence, result.observation_evidence)  # built lazily; count them in
        engine_times.append(time.perf_counter() - start)
    assert result is not None

    first_org = int(inp.organisations["org_id"][0])
    incremental_times = []
    for i in range(args.repeat):
        new = NewSignal(
            signal_id=10**9 + i, org_id=first_org, theme_id=1, severity=5, age_days=3.0, people_affected=12.0
        )
        start = time.perf_counter()
        add_signal(result, new)
        incremental_times.append(time.perf_counter() - start)

    signals = inp.signals
    assert signals is not None
    half_life = model.signal_load.half_life_days
    weights = model.signal_load.severity_table()
    case = " ".join(f"WHEN {s} THEN {w}" for s, w in weights.items())
    con = duckdb.connect()
    with tempfile.TemporaryDirectory() as tmp:  # no pyarrow here, so hand the data over as Parquet
        path = Path(tmp) / "signals.parquet"
        signals.write_parquet(path)
        con.execute(f"CREATE TABLE signals AS SELECT * FROM read_parquet('{path}')")
    query = (
        f"SELECT org_id, theme_id, sum((CASE severity {case} END) * pow(0.5, age_days / {half_life})) "
        "FROM signals GROUP BY org_id, theme_id"
    )
    reference_times = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        con.execute(query).fetchall()
        reference_times.append(time.perf_counter() - start)

    engine_s = min(engine_times)
    reference_s = min(reference_times)
    print(
        json.dumps(
            {
                "organisations": args.organisations,
                "themes": args.themes,
                "signals": args.signals,
                "observations": args.observations,
                "engine_s": round(engine_s, 3),
                "incremental_ms": round(min(incremental_times) * 1000, 2),
                "reference_s": round(reference_s, 3),
                "ratio": round(engine_s / reference_s, 2),
                "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
            }
        )
    )


if __name__ == "__main__":
    main()
