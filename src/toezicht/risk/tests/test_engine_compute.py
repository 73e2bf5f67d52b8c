"""Full computation, checked against a small example computed by hand.

Model (small_model): weights signal_load 3, the other five 1 each -> sum of weights W = 8.
signal_load: half-life 100 d, k 4, severity weights 1/2/4/8/16, theme-less factor 0.5.
norm_breaches: half-life 2 periods, k 1. indicator_pressure: window 3, trend weight 1.
judgements: half-life 365 d, k 0.5. learning_capacity: k 2, open weight 0.5. time: tau 2 years.
Impact: size = log1p(people) / ln(1000) capped at 1; vulnerability k 1; size and vulnerability weigh 1:1.
Reference period 10, so the pressure window holds periods 8, 9 and 10.

Row (org 10, theme 1)
  S = 16 (sev 5, age 0) + 4 * 0.5 (sev 3, one half-life) + 0.5 * 8 * 0.25 (theme-less sev 4, two
      half-lives) = 19                                              -> value 19 / 23 = 0.826087
  B = 1 (breach in period 10, age 0)                                -> value 1 / 2 = 0.5
  pressure: indicator 100 has (x=-2, 0.2), (x=0, 0.6): level 0.4, slope 0.2 -> 0.6;
            indicator 101 has one value 0.5 (slope 0) -> 0.5; mean  -> value 0.55
  J = 0                                                             -> value 0
  recommendations 1 + 0.5 * 2 = 2                                   -> value 2 / 4 = 0.5
  2 years since investigation                                       -> value 1 - e^-1 = 0.632121
  contributions: 3 * 0.826087 / 8 = 0.309783, 0.5 / 8 = 0.0625, 0.55 / 8 = 0.06875, 0,
                 0.5 / 8 = 0.0625, 0.632121 / 8 = 0.079015; likelihood L = 0.582548 ("midden")
  impact: people 99 -> size ln(100)/ln(1000) = 2/3; no vulnerable signals -> vulnerability 0.2;
          I = (2/3 + 0.2) / 2 = 0.433333 ("midden")
  score = 100 * L * I = 25.243733; class matrix[2][2] = "gemiddeld" (#fee08b)

Row (org 10, theme 2)
  S = 0.5 * 2 = 1 -> 0.2; J = 1.0 (share 1, age 0) -> 1 / 1.5 = 2/3; recommendations and time as above
  L = 3 * 0.2 / 8 + (2/3) / 8 + 0.5 / 8 + 0.632121 / 8 = 0.299848 ("laag"); I = 0.433333 ("midden")
  score = 12.993431; class matrix[1][2] = "gemiddeld"

Row (org 20, theme 1): nothing but "never investigated" (value 1): L = 1 / 8 = 0.125 ("zeer laag")
  impact: people 999 -> size 1; vulnerability 0.5 -> I = 0.75 ("hoog"); score = 9.375;
  class matrix[0][3] = "gemiddeld"

Row (org 20, theme 2)
  S = 2 (sev 2, age 0) -> 2 / 6 = 1/3; B = 0.25 (breach in period 6, age 4 = two half-lives) -> 0.2;
  period 6 is outside the window -> pressure 0; J = 0.5 * 0.5 = 0.25 -> 1/3; never investigated -> 1
  L = 3 * (1/3) / 8 + 0.2 / 8 + (1/3) / 8 + 1 / 8 = 0.316667 ("laag")
  impact: people max(999, 5000) -> size 1; one vulnerable signal of age 0: V = 1 -> 1 - 0.5 * 1 / 2 = 0.75;
          I = (1 + 0.75) / 2 = 0.875 ("zeer hoog"); score = 27.708333; class matrix[1][4] = "hoog" (#fc8d59)
"""

from __future__ import annotations

import math
from typing import Any

import polars as pl
import pytest

from toezicht.risk.engine import CRITERIA, RiskInput, RiskInputError, compute

from .test_engine_fixtures import REFERENCE_DATE, small_input, small_model

TIGHT = {"rel": 1e-12, "abs": 1e-12}
E1 = 1 - math.exp(-1)

EXPECTED: dict[tuple[int, int], dict[str, Any]] = {
    (10, 1): {
        "values": [19 / 23, 0.5, 0.55, 0.0, 0.5, E1],
        "impact": (2 / 3 + 0.2) / 2,
        "bands": ("midden", "midden"),
        "class": ("gemiddeld", "#fee08b"),
    },
    (10, 2): {
        "values": [0.2, 0.0, 0.0, 2 / 3, 0.5, E1],
        "impact": (2 / 3 + 0.2) / 2,
        "bands": ("laag", "midden"),
        "class": ("gemiddeld", "#fee08b"),
    },
    (20, 1): {
        "values": [0.0, 0.0, 0.0, 0.0, 0.0, 1.0],
        "impact": 0.75,
        "bands": ("zeer laag", "hoog"),
        "class": ("gemiddeld", "#fee08b"),
    },
    (20, 2): {
        "values": [1 / 3, 0.2, 0.0, 1 / 3, 0.0, 1.0],
        "impact": 0.875,
        "bands": ("laag", "zeer hoog"),
        "class": ("hoog", "#fc8d59"),
    },
}
WEIGHTS = [3, 1, 1, 1, 1, 1]


@pytest.fixture(scope="module")
def result():
    return compute(small_input(), small_model())


@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_hand_computed_rows(result, key):
    expected = EXPECTED[key]
    row = result.row(*key)
    contributions = [w * v / 8 for w, v in zip(WEIGHTS, expected["values"], strict=True)]
    likelihood = sum(contributions)
    for criterion, value, contribution in zip(CRITERIA, expected["values"], contributions, strict=True):
        assert row[f"value_{criterion}"] == pytest.approx(value, **TIGHT)
        assert row[f"contribution_{criterion}"] == pytest.approx(contribution, **TIGHT)
    assert row["likelihood"] == pytest.approx(likelihood, **TIGHT)
    assert row["impact"] == pytest.approx(expected["impact"], **TIGHT)
    assert row["score"] == pytest.approx(100 * likelihood * expected["impact"], **TIGHT)
    assert (row["likelihood_band"], row["impact_band"]) == expected["bands"]
    assert (row["class_label"], row["class_colour"]) == expected["class"]


def test_hand_computed_scores_in_numbers(result):
    scores = {(r["org_id"], r["theme_id"]): r["score"] for r in result.scores.iter_rows(named=True)}
    assert scores[(10, 1)] == pytest.approx(25.243732737132948, **TIGHT)
    assert scores[(10, 2)] == pytest.approx(12.993430804765799, **TIGHT)
    assert scores[(20, 1)] == pytest.approx(9.375, **TIGHT)
    assert scores[(20, 2)] == pytest.approx(27.708333333333332, **TIGHT)


def test_raw_values_and_never_investigated(result):
    row = result.row(10, 1)
    assert row["raw_signal_load"] == pytest.approx(19.0, **TIGHT)
    assert row["raw_norm_breaches"] == pytest.approx(1.0, **TIGHT)
    assert row["raw_learning_capacity"] == pytest.approx(2.0, **TIGHT)
    assert row["raw_time_since_investigation"] == pytest.approx(2.0)
    assert result.row(20, 1)["raw_time_since_investigation"] is None


def test_result_echoes_model_version_and_reference(result):
    assert result.model_version == 7
    assert result.reference_date == REFERENCE_DATE
    assert result.reference_period == 10
    assert result.scores.height == 4
    assert result.changed is None


def test_signal_evidence_is_ordered_by_weight(result):
    evidence = result.signal_evidence.filter((pl.col("org_id") == 10) & (pl.col("theme_id") == 1)).sort(
        "rank"
    )
    assert evidence["signal_id"].to_list() == [1, 2, 3]
    assert evidence["weight"].to_list() == pytest.approx([16.0, 2.0, 1.0], **TIGHT)
    assert evidence["general"].to_list() == [False, False, True]
    # the theme-less signal also supports the other theme of the same organisation
    other = result.signal_evidence.filter((pl.col("org_id") == 10) & (pl.col("theme_id") == 2))
    assert other["signal_id"].to_list() == [3]


def test_observation_evidence_is_ordered_by_weight(result):
    evidence = result.observation_evidence.filter((pl.col("org_id") == 10) & (pl.col("theme_id") == 1)).sort(
        "rank"
    )
    # breach age 0 -> 1; pressure 0.5 one period old -> 0.5 * 2^-0.5; pressure 0.2 two periods old -> 0.1
    assert evidence["observation_id"].to_list() == [102, 103, 101]
    assert evidence["weight"].to_list() == pytest.approx([1.0, 0.5 * 2**-0.5, 0.1], **TIGHT)


def test_evidence_is_limited_to_top_n():
    base = small_input()
    assert base.signals is not None
    many = pl.concat(
        [
            base.signals,
            pl.DataFrame(
                {
                    "signal_id": list(range(50, 60)),
                    "org_id": [20] * 10,
                    "theme_id": [1] * 10,
                    "severity": [1] * 10,
                    "age_days": [float(i) for i in range(10)],
                    "people_affected": [0.0] * 10,
                    "vulnerable": [False] * 10,
                }
            ),
        ]
    )
    result = compute(RiskInput(**{**base.__dict__, "signals": many}), small_model(evidence_top_n=3))
    evidence = result.signal_evidence.filter((pl.col("org_id") == 20) & (pl.col("theme_id") == 1)).sort(
        "rank"
    )
    assert evidence["signal_id"].to_list() == [50, 51, 52]  # youngest first
    assert evidence["rank"].to_list() == [1, 2, 3]


def test_chain_aggregate_and_chain_signal_load(result):
    chain = result.chains.row(0, named=True)
    assert chain["chain_id"] == 7
    assert chain["n_organisations"] == 2
    assert chain["n_rows"] == 4
    assert chain["score_max"] == pytest.approx(27.708333333333332, **TIGHT)
    assert (chain["top_org_id"], chain["top_theme_id"]) == (20, 2)
    expected_mean = (25.243732737132948 + 12.993430804765799 + 9.375 + 27.708333333333332) / 4
    assert chain["score_mean"] == pytest.approx(expected_mean, **TIGHT)
    # signal 4 (severity 2, age 0) involves orgs 20 and 10, both in chain 7
    assert chain["chain_signal_load"] == pytest.approx(2.0, **TIGHT)
    assert chain["chain_signal_value"] == pytest.approx(2 / 6, **TIGHT)
    assert chain["chain_signal_count"] == 1


def test_area_and_goal_aggregates(result):
    areas = {r["area_id"]: r for r in result.areas.iter_rows(named=True)}
    assert areas[1]["score_max"] == pytest.approx(25.243732737132948, **TIGHT)
    assert areas[2]["score_mean"] == pytest.approx((9.375 + 27.708333333333332) / 2, **TIGHT)
    goals = {r["goal_id"]: r for r in result.goals.iter_rows(named=True)}
    assert goals[100]["n_rows"] == 4
    assert goals[100]["n_themes"] == 2
    assert goals[200]["n_rows"] == 2
    assert goals[200]["score_max"] == pytest.approx(27.708333333333332, **TIGHT)
    assert (goals[200]["top_org_id"], goals[200]["top_theme_id"]) == (20, 2)


def test_empty_input_gives_rows_for_every_org_and_theme():
    base = small_input()
    result = compute(RiskInput(organisations=base.organisations, theme_ids=[1, 2, 3]), small_model())
    assert result.scores.height == 6
    assert result.signal_evidence.height == 0
    assert result.chains.height == 0


def test_unknown_organisation_in_signals_is_reported_in_dutch():
    base = small_input()
    assert base.signals is not None
    signals = base.signals.with_columns(
        pl.when(pl.col("signal_id") == 1).then(99).otherwise(pl.col("org_id")).alias("org_id")
    )
    with pytest.raises(RiskInputError) as excinfo:
        compute(RiskInput(**{**base.__dict__, "signals": signals}), small_model())
    assert excinfo.value.messages == ["De signalen verwijzen naar onbekende organisaties: 99."]


def test_unknown_severity_is_reported_in_dutch():
    base = small_input()
    assert base.signals is not None
    signals = base.signals.with_columns(pl.lit(9).alias("severity"))
    with pytest.raises(RiskInputError, match="ernst die niet in de ernsttabel"):
        compute(RiskInput(**{**base.__dict__, "signals": signals}), small_model())


def test_missing_column_is_reported_in_dutch():
    base = small_input()
    assert base.signals is not None
    with pytest.raises(RiskInputError) as excinfo:
        compute(RiskInput(**{**base.__dict__, "signals": base.signals.drop("severity")}), small_model())
    assert excinfo.value.messages == ["Kolom 'severity' ontbreekt in de signalen."]


def test_score_combinations():
    inp = small_input()
    geometric = compute(inp, small_model(combination="geometric_mean")).row(20, 2)
    mean = compute(inp, small_model(combination="mean")).row(20, 2)
    likelihood = 3 * (1 / 3) / 8 + 0.2 / 8 + (1 / 3) / 8 + 1 / 8
    assert geometric["score"] == pytest.approx(100 * math.sqrt(likelihood * 0.875), **TIGHT)
    assert mean["score"] == pytest.approx(100 * (likelihood + 0.875) / 2, **TIGHT)
