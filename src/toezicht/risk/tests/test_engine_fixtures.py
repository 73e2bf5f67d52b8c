"""Shared builders for the engine tests (no tests here)."""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

import polars as pl

from toezicht.risk.engine import RiskInput, RiskModel, default_model_dict

REFERENCE_DATE = date(2025, 6, 30)


def small_model_dict(**overrides: Any) -> dict[str, Any]:
    """Round numbers so that the example can be computed by hand. Total likelihood weight = 8."""
    data = default_model_dict(version=7)
    data["criteria"] = {
        "signal_load": {
            "weight": 3,
            "half_life_days": 100,
            "k": 4,
            "severity_weights": {"1": 1, "2": 2, "3": 4, "4": 8, "5": 16},
            "general_factor": 0.5,
        },
        "norm_breaches": {"weight": 1, "half_life_periods": 2, "k": 1},
        "indicator_pressure": {"weight": 1, "window": 3, "trend_weight": 1},
        "judgements": {"weight": 1, "half_life_days": 365, "k": 0.5},
        "learning_capacity": {"weight": 1, "k": 2, "open_weight": 0.5},
        "time_since_investigation": {"weight": 1, "tau_years": 2},
    }
    data["impact"] = {
        "people_reference": 999,  # log1p(999) = ln(1000)
        "size_weight": 1,
        "vulnerability_weight": 1,
        "signal_vulnerability_k": 1,
        "group_weights": {"minderjarigen": 1.0, "gedetineerden": 0.8},
    }
    data.update(overrides)
    return copy.deepcopy(data)


def small_model(**overrides: Any) -> RiskModel:
    return RiskModel.from_dict(small_model_dict(**overrides))


SIGNAL_SCHEMA = {
    "signal_id": pl.Int64,
    "org_id": pl.Int64,
    "theme_id": pl.Int64,
    "severity": pl.Int64,
    "age_days": pl.Float64,
    "people_affected": pl.Float64,
    "vulnerable": pl.Boolean,
}
OBSERVATION_SCHEMA = {
    "observation_id": pl.Int64,
    "org_id": pl.Int64,
    "theme_id": pl.Int64,
    "indicator_id": pl.Int64,
    "period": pl.Int64,
    "pressure": pl.Float64,
    "breach": pl.Boolean,
}
JUDGEMENT_SCHEMA = {
    "org_id": pl.Int64,
    "theme_id": pl.Int64,
    "share_not_compliant": pl.Float64,
    "age_days": pl.Float64,
}
ORGANISATION_SCHEMA = {
    "org_id": pl.Int64,
    "people_served": pl.Float64,
    "vulnerability": pl.Float64,
    "years_since_investigation": pl.Float64,
    "overdue_recommendations": pl.Float64,
    "open_recommendations": pl.Float64,
}


def small_input() -> RiskInput:
    """Two organisations (10, 20), two themes (1, 2); see test_engine_compute for the hand computation."""
    organisations = pl.DataFrame(
        [
            (10, 99.0, 0.2, 2.0, 1.0, 2.0),
            (20, 999.0, 0.5, None, 0.0, 0.0),
        ],
        schema=ORGANISATION_SCHEMA,
        orient="row",
    )
    signals = pl.DataFrame(
        [
            (1, 10, 1, 5, 0.0, 0.0, False),
            (2, 10, 1, 3, 100.0, 0.0, False),
            (3, 10, None, 4, 200.0, 0.0, False),
            (4, 20, 2, 2, 0.0, 5000.0, True),
        ],
        schema=SIGNAL_SCHEMA,
        orient="row",
    )
    observations = pl.DataFrame(
        [
            (101, 10, 1, 100, 8, 0.2, False),
            (102, 10, 1, 100, 10, 0.6, True),
            (103, 10, 1, 101, 9, 0.5, False),
            (104, 20, 2, 200, 6, 0.9, True),
        ],
        schema=OBSERVATION_SCHEMA,
        orient="row",
    )
    judgements = pl.DataFrame(
        [(20, 2, 0.5, 365.0), (10, 2, 1.0, 0.0)],
        schema=JUDGEMENT_SCHEMA,
        orient="row",
    )
    return RiskInput(
        organisations=organisations,
        theme_ids=[1, 2],
        signals=signals,
        observations=observations,
        judgements=judgements,
        signal_organisations=pl.DataFrame({"signal_id": [4], "org_id": [10]}),
        org_chains=pl.DataFrame({"org_id": [10, 20], "chain_id": [7, 7]}),
        org_areas=pl.DataFrame({"org_id": [10, 20], "area_id": [1, 2]}),
        theme_goals=pl.DataFrame({"theme_id": [1, 2, 2], "goal_id": [100, 100, 200]}),
        reference_date=REFERENCE_DATE,
        reference_period=10,
    )
