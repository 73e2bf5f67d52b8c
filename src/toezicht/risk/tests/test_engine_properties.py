"""Property-based tests (hypothesis) of the engine's behaviour."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np
import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from toezicht.risk.engine import (
    CRITERIA,
    NewJudgement,
    NewObservation,
    NewSignal,
    RiskInput,
    RiskModel,
    RiskResult,
    add_judgement,
    add_observation,
    add_signal,
    compute,
    decay,
)

from .test_engine_fixtures import (
    JUDGEMENT_SCHEMA,
    OBSERVATION_SCHEMA,
    ORGANISATION_SCHEMA,
    SIGNAL_SCHEMA,
    small_model_dict,
)

PROPERTY_SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SCORE_COLUMNS = ["score", "likelihood", "impact"]

ages = st.one_of(st.integers(0, 2000).map(float), st.floats(0, 2000, allow_nan=False))
unit = st.floats(0, 1, allow_nan=False)


@st.composite
def models(draw: st.DrawFn, positive: str | None = None) -> RiskModel:
    data = small_model_dict()
    weights = {c: draw(st.sampled_from([0, 0, 0.5, 1, 2, 3])) for c in CRITERIA}
    if positive is not None:
        weights[positive] = draw(st.sampled_from([0.5, 1, 3]))
    if sum(weights.values()) == 0:
        weights[draw(st.sampled_from(CRITERIA))] = 1
    for c, w in weights.items():
        data["criteria"][c]["weight"] = w
    data["criteria"]["signal_load"]["half_life_days"] = draw(st.sampled_from([30, 100, 365.25]))
    data["criteria"]["signal_load"]["general_factor"] = draw(st.sampled_from([0, 0.5, 1]))
    data["criteria"]["norm_breaches"]["half_life_periods"] = draw(st.sampled_from([1, 2.5, 6]))
    data["criteria"]["indicator_pressure"]["trend_weight"] = draw(st.sampled_from([0, 1, 3]))
    data["combination"] = draw(st.sampled_from(["product", "geometric_mean", "mean"]))
    data["evidence_top_n"] = draw(st.integers(1, 4))
    return RiskModel.from_dict(data)


@st.composite
def inputs(draw: st.DrawFn) -> RiskInput:
    org_ids = draw(st.lists(st.integers(0, 60), min_size=1, max_size=4, unique=True))
    theme_ids = draw(st.lists(st.integers(1, 9), min_size=1, max_size=3, unique=True))
    org = st.sampled_from(org_ids)
    theme = st.sampled_from(theme_ids)
    organisations = [
        (
            o,
            draw(st.floats(0, 20_000, allow_nan=False)),
            draw(unit),
            draw(st.one_of(st.none(), st.floats(0, 15, allow_nan=False))),
            float(draw(st.integers(0, 6))),
            float(draw(st.integers(0, 6))),
        )
        for o in org_ids
    ]
    signals = [
        (
            i,
            draw(org),
            draw(st.one_of(st.none(), theme)),
            draw(st.integers(1, 5)),
            draw(ages),
            float(draw(st.integers(0, 300))),
            draw(st.booleans()),
        )
        for i in range(draw(st.integers(0, 12)))
    ]
    observations = [
        (
            1000 + i,
            draw(org),
            draw(theme),
            draw(st.integers(0, 3)),
            draw(st.integers(0, 12)),
            draw(unit),
            draw(st.booleans()),
        )
        for i in range(draw(st.integers(0, 12)))
    ]
    judgements = [(draw(org), draw(theme), draw(unit), draw(ages)) for _ in range(draw(st.integers(0, 4)))]
    chain_edges = draw(st.lists(st.tuples(org, st.integers(1, 3)), max_size=6))
    involved = (
        draw(st.lists(st.tuples(st.integers(0, max(len(signals) - 1, 0)), org), max_size=4))
        if signals
        else []
    )
    return RiskInput(
        organisations=pl.DataFrame(organisations, schema=ORGANISATION_SCHEMA, orient="row"),
        theme_ids=theme_ids,
        signals=pl.DataFrame(signals, schema=SIGNAL_SCHEMA, orient="row"),
        observations=pl.DataFrame(observations, schema=OBSERVATION_SCHEMA, orient="row"),
        judgements=pl.DataFrame(judgements, schema=JUDGEMENT_SCHEMA, orient="row"),
        signal_organisations=pl.DataFrame(
            involved, schema={"signal_id": pl.Int64, "org_id": pl.Int64}, orient="row"
        ),
        org_chains=pl.DataFrame(chain_edges, schema={"org_id": pl.Int64, "chain_id": pl.Int64}, orient="row"),
        org_areas=pl.DataFrame({"org_id": org_ids, "area_id": [o % 2 for o in org_ids]}),
        theme_goals=pl.DataFrame({"theme_id": theme_ids, "goal_id": [t % 2 for t in theme_ids]}),
        reference_period=10,
    )


@st.composite
def new_signals(draw: st.DrawFn, inp: RiskInput) -> NewSignal:
    org_ids = inp.organisations["org_id"].to_list()
    return NewSignal(
        signal_id=10_000,
        org_id=draw(st.sampled_from(org_ids)),
        theme_id=draw(st.one_of(st.none(), st.sampled_from(list(inp.theme_ids)))),
        severity=draw(st.integers(1, 5)),
        age_days=draw(ages),
        people_affected=float(draw(st.integers(0, 30_000))),
        vulnerable=draw(st.booleans()),
        involved_org_ids=tuple(draw(st.lists(st.sampled_from(org_ids), max_size=2))),
    )


def with_signal(inp: RiskInput, s: NewSignal) -> RiskInput:
    assert inp.signals is not None
    assert inp.signal_organisations is not None
    row = pl.DataFrame(
        [(s.signal_id, s.org_id, s.theme_id, s.severity, s.age_days, s.people_affected, s.vulnerable)],
        schema=SIGNAL_SCHEMA,
        orient="row",
    )
    involved = pl.DataFrame(
        {"signal_id": [s.signal_id] * len(s.involved_org_ids), "org_id": list(s.involved_org_ids)},
        schema={"signal_id": pl.Int64, "org_id": pl.Int64},
    )
    return replace(
        inp,
        signals=pl.concat([inp.signals, row]),
        signal_organisations=pl.concat([inp.signal_organisations, involved]),
    )


def scores_of(result: RiskResult) -> np.ndarray:
    return result.scores["score"].to_numpy()


def assert_same_result(incremental: RiskResult, full: RiskResult) -> None:
    """Bit-for-bit equality of everything the result exposes."""
    assert_frame_equal(incremental.scores, full.scores, check_exact=True)
    for name in ("signal_evidence", "observation_evidence"):
        a = getattr(incremental, name).sort("org_id", "theme_id", "rank")
        b = getattr(full, name).sort("org_id", "theme_id", "rank")
        assert_frame_equal(a, b, check_exact=True)
    for name in ("chains", "areas", "goals"):
        assert_frame_equal(getattr(incremental, name), getattr(full, name), check_exact=True)


# -- monotonicity -------------------------------------------------------------------------------------
@PROPERTY_SETTINGS
@given(data=st.data(), inp=inputs(), model=models())
def test_adding_a_signal_never_lowers_any_score(data: Any, inp: RiskInput, model: RiskModel) -> None:
    signal = data.draw(new_signals(inp))
    before = scores_of(compute(inp, model))
    after = scores_of(compute(with_signal(inp, signal), model))
    assert (after >= before).all()


@PROPERTY_SETTINGS
@given(data=st.data(), inp=inputs(), model=models())
def test_raising_a_severity_never_lowers_any_score(data: Any, inp: RiskInput, model: RiskModel) -> None:
    assert inp.signals is not None
    if inp.signals.height == 0:
        return
    index = data.draw(st.integers(0, inp.signals.height - 1))
    severity = inp.signals["severity"].to_numpy().copy()
    severity[index] = data.draw(st.integers(int(severity[index]), 5))
    raised = replace(inp, signals=inp.signals.with_columns(pl.Series("severity", severity)))
    assert (scores_of(compute(raised, model)) >= scores_of(compute(inp, model))).all()


@PROPERTY_SETTINGS
@given(data=st.data(), inp=inputs(), model=models())
def test_older_signals_never_raise_any_score(data: Any, inp: RiskInput, model: RiskModel) -> None:
    assert inp.signals is not None
    extra = data.draw(st.floats(0, 500, allow_nan=False))
    older = replace(inp, signals=inp.signals.with_columns(pl.col("age_days") + extra))
    assert (scores_of(compute(older, model)) <= scores_of(compute(inp, model))).all()


@given(a=ages, b=ages, half_life=st.floats(0.5, 5000, allow_nan=False))
def test_decay_is_monotone_non_increasing_in_age(a: float, b: float, half_life: float) -> None:
    young, old = sorted([a, b])
    values = decay(np.array([young, old]), half_life)
    assert values[0] >= values[1]
    assert 0 <= values[1] <= values[0] <= 1


def test_decay_halves_every_half_life() -> None:
    assert decay(np.array([0.0, 90.0, 180.0, -5.0]), 90.0).tolist() == [1.0, 0.5, 0.25, 1.0]


# -- zero weight --------------------------------------------------------------------------------------
def _perturb(inp: RiskInput, criterion: str, seed: int) -> RiskInput:
    """Change the inputs that only ``criterion`` reads."""
    rng = np.random.default_rng(seed)
    assert inp.signals is not None
    assert inp.observations is not None
    assert inp.judgements is not None
    if criterion == "signal_load":
        return replace(
            inp,
            signals=inp.signals.with_columns(pl.Series("severity", rng.integers(1, 6, inp.signals.height))),
        )
    if criterion == "norm_breaches":
        return replace(inp, observations=inp.observations.with_columns(~pl.col("breach")))
    if criterion == "indicator_pressure":
        return replace(
            inp,
            observations=inp.observations.with_columns(
                pl.Series("pressure", rng.random(inp.observations.height))
            ),
        )
    if criterion == "judgements":
        return replace(
            inp,
            judgements=inp.judgements.with_columns(
                pl.Series("share_not_compliant", rng.random(inp.judgements.height))
            ),
        )
    if criterion == "learning_capacity":
        n = inp.organisations.height
        return replace(
            inp,
            organisations=inp.organisations.with_columns(
                pl.Series("overdue_recommendations", rng.integers(0, 20, n).astype(float)),
                pl.Series("open_recommendations", rng.integers(0, 20, n).astype(float)),
            ),
        )
    years = [None if v < 0.2 else 20 * v for v in rng.random(inp.organisations.height)]
    return replace(
        inp,
        organisations=inp.organisations.with_columns(
            pl.Series("years_since_investigation", years, dtype=pl.Float64)
        ),
    )


@pytest.mark.parametrize("criterion", CRITERIA)
@PROPERTY_SETTINGS
@given(inp=inputs(), model=models(), seed=st.integers(0, 2**32 - 1))
def test_zero_weight_removes_a_criterion_entirely(
    criterion: str, inp: RiskInput, model: RiskModel, seed: int
) -> None:
    weights = model.weights()
    others = [c for c in CRITERIA if c != criterion]
    if all(weights[c] == 0 for c in others):
        model = model.with_weights(**{criterion: 0, others[0]: 1})
    else:
        model = model.with_weights(**{criterion: 0})
    columns = [*SCORE_COLUMNS, "class_label", *(f"contribution_{c}" for c in CRITERIA)]
    before = compute(inp, model).scores.select(columns)
    after = compute(_perturb(inp, criterion, seed), model).scores.select(columns)
    assert_frame_equal(before, after, check_exact=True)
    assert (after[f"contribution_{criterion}"] == 0).all()


# -- contributions ------------------------------------------------------------------------------------
@PROPERTY_SETTINGS
@given(inp=inputs(), model=models())
def test_contributions_add_up_to_the_likelihood(inp: RiskInput, model: RiskModel) -> None:
    scores = compute(inp, model).scores
    total = sum(scores[f"contribution_{c}"].to_numpy() for c in CRITERIA)
    np.testing.assert_allclose(total, scores["likelihood"].to_numpy(), rtol=1e-12, atol=1e-15)
    assert ((scores["likelihood"] >= 0) & (scores["likelihood"] <= 1 + 1e-12)).all()
    assert ((scores["impact"] >= 0) & (scores["impact"] <= 1)).all()
    assert ((scores["score"] >= 0) & (scores["score"] <= 100 + 1e-9)).all()


# -- incremental == full ------------------------------------------------------------------------------
@PROPERTY_SETTINGS
@given(data=st.data(), inp=inputs(), model=models())
def test_incremental_signal_equals_full_recomputation(data: Any, inp: RiskInput, model: RiskModel) -> None:
    signal = data.draw(new_signals(inp))
    incremental = add_signal(compute(inp, model), signal)
    assert_same_result(incremental, compute(with_signal(inp, signal), model))
    assert incremental.changed is not None
    assert incremental.changed.height >= 1


@PROPERTY_SETTINGS
@given(data=st.data(), inp=inputs(), model=models())
def test_incremental_observation_equals_full_recomputation(
    data: Any, inp: RiskInput, model: RiskModel
) -> None:
    assert inp.observations is not None
    obs = NewObservation(
        observation_id=99_999,
        org_id=data.draw(st.sampled_from(inp.organisations["org_id"].to_list())),
        theme_id=data.draw(st.sampled_from(list(inp.theme_ids))),
        indicator_id=data.draw(st.integers(0, 4)),
        period=data.draw(st.integers(0, 12)),
        pressure=data.draw(unit),
        breach=data.draw(st.booleans()),
    )
    row = pl.DataFrame(
        [
            (
                obs.observation_id,
                obs.org_id,
                obs.theme_id,
                obs.indicator_id,
                obs.period,
                obs.pressure,
                obs.breach,
            )
        ],
        schema=OBSERVATION_SCHEMA,
        orient="row",
    )
    full = compute(replace(inp, observations=pl.concat([inp.observations, row])), model)
    assert_same_result(add_observation(compute(inp, model), obs), full)


@PROPERTY_SETTINGS
@given(data=st.data(), inp=inputs(), model=models())
def test_incremental_judgement_equals_full_recomputation(data: Any, inp: RiskInput, model: RiskModel) -> None:
    assert inp.judgements is not None
    judgement = NewJudgement(
        org_id=data.draw(st.sampled_from(inp.organisations["org_id"].to_list())),
        theme_id=data.draw(st.sampled_from(list(inp.theme_ids))),
        share_not_compliant=data.draw(unit),
        age_days=data.draw(ages),
    )
    row = pl.DataFrame(
        [(judgement.org_id, judgement.theme_id, judgement.share_not_compliant, judgement.age_days)],
        schema=JUDGEMENT_SCHEMA,
        orient="row",
    )
    full = compute(replace(inp, judgements=pl.concat([inp.judgements, row])), model)
    assert_same_result(add_judgement(compute(inp, model), judgement), full)


@settings(max_examples=25, deadline=None)
@given(data=st.data(), inp=inputs(), model=models())
def test_several_incremental_signals_equal_full_recomputation(
    data: Any, inp: RiskInput, model: RiskModel
) -> None:
    result = compute(inp, model)
    for i in range(data.draw(st.integers(2, 5))):
        signal = replace(data.draw(new_signals(inp)), signal_id=20_000 + i)
        result = add_signal(result, signal)
        inp = with_signal(inp, signal)
    assert_same_result(result, compute(inp, model))
