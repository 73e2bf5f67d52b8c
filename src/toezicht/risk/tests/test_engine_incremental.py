"""Incremental updates on realistic sizes and their edge cases (the exhaustive check is property-based)."""

from __future__ import annotations

import importlib
import time
from dataclasses import replace

import numpy as np
import polars as pl
import pytest

from toezicht.risk.engine import (
    NewObservation,
    NewSignal,
    RiskInput,
    RiskInputError,
    add_observation,
    add_signal,
    compute,
    default_model,
)

from .test_engine_fixtures import SIGNAL_SCHEMA, small_input, small_model
from .test_engine_properties import assert_same_result, with_signal

compute_module = importlib.import_module("toezicht.risk.engine.compute")


def medium_input(seed: int = 3) -> RiskInput:
    """Large enough (60k signals) to take the multi-threaded sorting path."""
    rng = np.random.default_rng(seed)
    n_orgs, n_signals, n_obs = 300, 60_000, 60_000
    org_ids = np.arange(n_orgs, dtype=np.int64) * 7
    theme_ids = np.arange(1, 9, dtype=np.int64)
    signals = pl.DataFrame(
        {
            "signal_id": np.arange(n_signals, dtype=np.int64),
            "org_id": org_ids[rng.integers(0, n_orgs, n_signals)],
            "theme_id": pl.Series(theme_ids[rng.integers(0, 8, n_signals)]).scatter(
                np.flatnonzero(rng.random(n_signals) < 0.1), None
            ),
            "severity": rng.integers(1, 6, n_signals),
            "age_days": rng.integers(0, 900, n_signals).astype(np.float64),  # many exact ties
            "people_affected": rng.integers(0, 50, n_signals).astype(np.float64),
            "vulnerable": rng.random(n_signals) < 0.2,
        }
    )
    observations = pl.DataFrame(
        {
            "observation_id": np.arange(n_obs, dtype=np.int64),
            "org_id": org_ids[rng.integers(0, n_orgs, n_obs)],
            "theme_id": theme_ids[rng.integers(0, 8, n_obs)],
            "indicator_id": rng.integers(0, 4, n_obs),
            "period": rng.integers(0, 12, n_obs),
            "pressure": rng.integers(0, 10, n_obs) / 10,
            "breach": rng.random(n_obs) < 0.1,
        }
    )
    return RiskInput(
        organisations=pl.DataFrame(
            {
                "org_id": org_ids,
                "people_served": rng.integers(0, 5000, n_orgs).astype(np.float64),
                "vulnerability": rng.random(n_orgs),
            }
        ),
        theme_ids=theme_ids,
        signals=signals,
        observations=observations,
        signal_organisations=pl.DataFrame(
            {"signal_id": np.arange(0, 600, dtype=np.int64), "org_id": org_ids[rng.integers(0, n_orgs, 600)]}
        ),
        org_chains=pl.DataFrame(
            {"org_id": org_ids[rng.integers(0, n_orgs, 120)], "chain_id": np.repeat(np.arange(20), 6)}
        ).unique(),
        org_areas=pl.DataFrame({"org_id": org_ids, "area_id": org_ids % 5}),
        theme_goals=pl.DataFrame({"theme_id": theme_ids, "goal_id": theme_ids % 3}),
    )


@pytest.fixture(scope="module")
def medium() -> tuple[RiskInput, object]:
    inp = medium_input()
    return inp, compute(inp, default_model())


@pytest.mark.parametrize("theme_id", [3, None])
def test_incremental_signal_on_medium_input_equals_full(medium, theme_id):
    inp, result = medium
    signal = NewSignal(
        signal_id=999_999,
        org_id=14,
        theme_id=theme_id,
        severity=5,
        age_days=10.0,
        people_affected=80.0,
        vulnerable=True,
        involved_org_ids=(21, 28),
    )
    assert_same_result(add_signal(result, signal), compute(with_signal(inp, signal), default_model()))


def test_incremental_observation_on_medium_input_equals_full(medium):
    inp, result = medium
    assert inp.observations is not None
    obs = NewObservation(
        observation_id=999_999, org_id=14, theme_id=2, indicator_id=9, period=11, pressure=0.7, breach=True
    )
    appended = pl.concat(
        [
            inp.observations,
            pl.DataFrame([(999_999, 14, 2, 9, 11, 0.7, True)], schema=inp.observations.schema, orient="row"),
        ]
    )
    full = compute(replace(inp, observations=appended), default_model())
    assert_same_result(add_observation(result, obs), full)


def test_small_and_large_sorting_paths_agree(medium, monkeypatch):
    inp, result = medium
    monkeypatch.setattr(compute_module, "_SMALL_SORT", 10**9)
    numpy_only = compute(inp, default_model())
    assert_same_result(numpy_only, result)


def test_incremental_update_is_fast(medium):
    _, result = medium
    signal = NewSignal(signal_id=999_998, org_id=21, theme_id=1, severity=3, age_days=1.0)
    add_signal(result, signal)
    start = time.perf_counter()
    add_signal(result, signal)
    assert time.perf_counter() - start < 0.1


def test_changed_keys_of_an_incremental_update():
    result = compute(small_input(), small_model())
    specific = add_signal(result, NewSignal(signal_id=50, org_id=20, theme_id=1, severity=1, age_days=5))
    assert specific.changed is not None
    assert specific.changed.rows() == [(20, 1)]
    general = add_signal(result, NewSignal(signal_id=51, org_id=20, theme_id=None, severity=1, age_days=5))
    assert general.changed is not None
    assert sorted(general.changed.rows()) == [(20, 1), (20, 2)]


def test_incremental_update_leaves_the_previous_result_untouched():
    result = compute(small_input(), small_model())
    before = result.scores.clone()
    add_signal(result, NewSignal(signal_id=50, org_id=20, theme_id=1, severity=5, age_days=0))
    assert result.scores.equals(before)
    assert result.state.signal_specific.sum() == pytest.approx(16 + 2 + 2)


def test_future_observation_is_ignored_at_the_same_reference_period():
    result = compute(small_input(), small_model())
    later = add_observation(
        result,
        NewObservation(
            observation_id=900, org_id=20, theme_id=1, indicator_id=5, period=11, pressure=1.0, breach=True
        ),
    )
    assert later.scores.equals(result.scores)
    assert later.changed is not None
    assert later.changed.height == 0


def test_incremental_errors_are_in_dutch():
    result = compute(small_input(), small_model())
    with pytest.raises(RiskInputError) as excinfo:
        add_signal(result, NewSignal(signal_id=50, org_id=30, theme_id=1, severity=1, age_days=5))
    assert excinfo.value.messages == ["De signalen verwijzen naar onbekende organisaties: 30."]
    with pytest.raises(RiskInputError, match="tussen 0 en 1"):
        add_observation(
            result,
            NewObservation(observation_id=1, org_id=10, theme_id=1, indicator_id=1, period=10, pressure=1.5),
        )


def test_signal_schema_matches_new_signal_fields():
    assert list(SIGNAL_SCHEMA) == [
        "signal_id",
        "org_id",
        "theme_id",
        "severity",
        "age_days",
        "people_affected",
        "vulnerable",
    ]
