"""Snapshot comparison and professional-judgement overrides."""

from __future__ import annotations

import polars as pl
import pytest

from toezicht.risk.engine import (
    CRITERIA,
    NewSignal,
    Override,
    RiskInput,
    RiskInputError,
    add_signal,
    apply_overrides,
    compare_results,
    compute,
)

from .test_engine_fixtures import small_input, small_model
from .test_engine_properties import with_signal

EFFECT_COLUMNS = [f"effect_{c}" for c in (*CRITERIA, "impact", "model")]


@pytest.fixture(scope="module")
def baseline():
    return compute(small_input(), small_model())


def test_new_signal_is_found_and_blamed_on_signal_load(baseline):
    signal = NewSignal(signal_id=60, org_id=20, theme_id=1, severity=5, age_days=0.0)
    new = compute(with_signal(small_input(), signal), small_model())
    diff = compare_results(baseline, new)
    top = diff.rows.row(0, named=True)
    assert (top["org_id"], top["theme_id"]) == (20, 1)
    assert top["main_reason"] == "signal_load"
    assert top["main_reason_label"] == "Signaallast"
    # (20, 1): S 0 -> 16, value 16/20 = 0.8, contribution 3 * 0.8 / 8 = 0.3; impact 0.75 unchanged
    assert top["delta"] == pytest.approx(100 * 0.3 * 0.75, rel=1e-12)
    assert top["effect_signal_load"] == pytest.approx(top["delta"], rel=1e-12)
    assert top["old_class"] == "gemiddeld"
    assert top["changed"]
    unchanged = diff.rows.filter(~pl.col("changed"))
    assert unchanged.height == 3
    assert set(unchanged["main_reason"]) == {"none"}
    assert set(unchanged["main_reason_label"]) == {"Geen wijziging"}


def test_effects_add_up_to_the_delta(baseline):
    signal = NewSignal(
        signal_id=61, org_id=10, theme_id=1, severity=5, age_days=0.0, people_affected=5000, vulnerable=True
    )
    new = compute(with_signal(small_input(), signal), small_model())
    diff = compare_results(baseline, new, top_n=1)
    top = diff.rows.row(0, named=True)
    assert (top["org_id"], top["theme_id"]) == (10, 1)
    assert sum(top[c] for c in EFFECT_COLUMNS) == pytest.approx(top["delta"], rel=1e-12)
    # impact jumps from 0.433 to 0.8 (5000 people, vulnerable), which dominates the change
    assert top["main_reason"] == "impact"
    assert top["effect_signal_load"] > 0
    # org 10 now has the highest score and pushes org 20 out of the top 1
    assert diff.entered_top["org_id"].to_list() == [10]
    assert diff.left_top["org_id"].to_list() == [20]
    assert diff.entered_top.row(0, named=True)["old_rank"] == 2


def test_model_change_is_explained_by_the_changed_criterion(baseline):
    new_model = small_model(version=8).with_weights(judgements=0)
    new = compute(small_input(), new_model)
    diff = compare_results(baseline, new)
    assert (diff.old_version, diff.new_version) == (7, 8)
    row = diff.rows.filter((pl.col("org_id") == 10) & (pl.col("theme_id") == 2)).row(0, named=True)
    assert row["main_reason"] == "judgements"
    assert row["effect_judgements"] < 0
    assert row["effect_model"] == pytest.approx(0.0, abs=1e-12)
    assert sum(row[c] for c in EFFECT_COLUMNS) == pytest.approx(row["delta"], rel=1e-12)
    assert diff.rows["abs_delta"].is_sorted(descending=True)


def test_changed_combination_is_attributed_to_the_model(baseline):
    new = compute(small_input(), small_model(version=8, combination="mean"))
    row = compare_results(baseline, new).rows.filter((pl.col("org_id") == 20) & (pl.col("theme_id") == 1))
    assert row["main_reason"].item() == "model"


def test_added_and_removed_rows():
    organisations = small_input().organisations
    old = compute(RiskInput(organisations=organisations, theme_ids=[1, 2]), small_model())
    new = compute(RiskInput(organisations=organisations, theme_ids=[1, 3]), small_model())
    rows = compare_results(old, new).rows
    reasons = {(r["org_id"], r["theme_id"]): r["main_reason"] for r in rows.iter_rows(named=True)}
    assert reasons[(10, 3)] == "added"
    assert reasons[(10, 2)] == "removed"


def test_overrides_keep_the_computed_score(baseline):
    override = Override(org_id=20, theme_id=2, score=80.0, reason="Calamiteit")
    scores = apply_overrides(baseline.scores, [override])
    row = scores.filter((pl.col("org_id") == 20) & (pl.col("theme_id") == 2)).row(0, named=True)
    assert row["final_score"] == 80.0
    assert row["score"] == pytest.approx(27.708333333333332, rel=1e-12)
    assert row["overridden"]
    assert row["override_reason"] == "Calamiteit"
    other = scores.filter((pl.col("org_id") == 10) & (pl.col("theme_id") == 1)).row(0, named=True)
    assert not other["overridden"]
    assert other["final_score"] == other["score"]
    assert scores.height == baseline.scores.height


def test_overrides_as_dataframe(baseline):
    frame = pl.DataFrame({"org_id": [10], "theme_id": [2], "score": [5]})
    scores = apply_overrides(baseline.scores, frame)
    assert scores["overridden"].sum() == 1
    assert scores.filter(pl.col("overridden"))["final_score"].item() == 5.0


def test_invalid_overrides_are_reported_in_dutch(baseline):
    with pytest.raises(RiskInputError) as excinfo:
        apply_overrides(
            baseline.scores,
            [
                Override(10, 1, 120.0),
                Override(20, 2, 50.0),
                Override(20, 2, 60.0),
                Override(30, 1, 10.0),
            ],
        )
    assert excinfo.value.messages == [
        "De vastgestelde score voor organisatie 10 en thema 1 moet tussen 0 en 100 liggen.",
        "Voor organisatie 20 en thema 2 is meer dan één score vastgesteld.",
        "Er is geen berekende risicoscore voor organisatie 30 en thema 1.",
    ]


def test_incremental_result_compares_like_a_full_one(baseline):
    signal = NewSignal(signal_id=62, org_id=20, theme_id=2, severity=4, age_days=3.0)
    diff = compare_results(baseline, add_signal(baseline, signal))
    assert diff.rows.filter(pl.col("changed"))[["org_id", "theme_id"]].rows() == [(20, 2)]
