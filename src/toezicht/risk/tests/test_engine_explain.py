"""Dutch explanation of one score (numbers from the hand computation in test_engine_compute)."""

from __future__ import annotations

import math

import pytest

from toezicht.risk.engine import CRITERIA, compute, explain

from .test_engine_fixtures import small_input, small_model

TIGHT = {"rel": 1e-12, "abs": 1e-12}


@pytest.fixture(scope="module")
def result():
    return compute(small_input(), small_model())


def test_explanation_lists_criteria_by_contribution(result):
    explanation = explain(result, 10, 1)
    assert [c.key for c in explanation.criteria] == [
        "signal_load",
        "time_since_investigation",
        "indicator_pressure",
        "norm_breaches",  # ties with learning_capacity (0.0625) keep the model's order
        "learning_capacity",
        "judgements",
    ]
    first = explanation.criteria[0]
    assert first.label == "Signaallast"
    assert first.raw_value == pytest.approx(19.0, **TIGHT)
    assert first.value == pytest.approx(19 / 23, **TIGHT)
    assert first.weight == 3.0
    assert first.contribution == pytest.approx(3 * 19 / 23 / 8, **TIGHT)
    assert sum(c.share for c in explanation.criteria) == pytest.approx(1.0, **TIGHT)
    assert sum(c.contribution for c in explanation.criteria) == pytest.approx(explanation.likelihood, **TIGHT)
    assert explanation.score == pytest.approx(25.243732737132948, **TIGHT)
    assert (explanation.class_label, explanation.likelihood_band, explanation.impact_band) == (
        "gemiddeld",
        "midden",
        "midden",
    )
    assert explanation.model_version == 7


def test_explanation_evidence(result):
    explanation = explain(result, 10, 1)
    assert [(e.kind, e.source_id) for e in explanation.evidence] == [
        ("signal", 1),
        ("signal", 2),
        ("signal", 3),
        ("observation", 102),
        ("observation", 103),
        ("observation", 101),
    ]
    assert explanation.evidence[0].description == "Signaal 1: ernst 5, 0 dagen oud"
    assert explanation.evidence[2].description == "Signaal 3: ernst 4, 200 dagen oud, zonder thema"
    assert explanation.evidence[3].description == (
        "Observatie 102 (indicator 100, periode 10): normoverschrijding"
    )
    assert explanation.evidence[4].description == "Observatie 103 (indicator 101, periode 9): druk 0,5"


def test_summary_for_signal_load(result):
    # share = (3 * 19/23 / 8) / 0.582548 = 53.2 %; signals 1 and 2 are within one half-life (100 days)
    assert explain(result, 10, 1).summary == (
        "Signaallast draagt 53 % bij aan de kans, vooral door 2 recente signalen (waarvan 1 met ernst 5)."
    )


def test_summary_for_never_investigated(result):
    assert explain(result, 20, 1).summary == (
        "Tijd sinds laatste onderzoek draagt 100 % bij aan de kans, "
        "vooral doordat de organisatie nog nooit is onderzocht."
    )


def test_summary_for_years_since_investigation():
    model = small_model()
    model = model.with_weights(**{c: 0 for c in CRITERIA if c != "time_since_investigation"})
    explanation = explain(compute(small_input(), model), 10, 2)
    assert explanation.likelihood == pytest.approx(1 - math.exp(-1), **TIGHT)
    assert explanation.summary == (
        "Tijd sinds laatste onderzoek draagt 100 % bij aan de kans, "
        "vooral doordat het laatste onderzoek 2 jaar geleden was."
    )


def test_summary_for_judgements_and_learning_capacity():
    only_judgements = small_model().with_weights(
        **{c: 0 for c in CRITERIA if c not in ("judgements", "learning_capacity")}
    )
    result = compute(small_input(), only_judgements)
    # (10, 2): judgements 2/3 vs learning capacity 0.5 -> judgements 57 %
    assert explain(result, 10, 2).summary == (
        "Oordelen draagt 57 % bij aan de kans, vooral door recente oordelen waarin normen niet zijn voldaan."
    )
    assert explain(result, 10, 1).summary == (
        "Lerend vermogen draagt 100 % bij aan de kans, "
        "vooral door 1 achterstallige aanbeveling en 2 openstaande."
    )


def test_summary_without_any_likelihood():
    only_signals = small_model().with_weights(**{c: 0 for c in CRITERIA if c != "signal_load"})
    explanation = explain(compute(small_input(), only_signals), 20, 1)
    assert explanation.likelihood == 0
    assert explanation.summary == "Er zijn geen aanwijzingen voor een verhoogde kans."
    assert all(c.share == 0 for c in explanation.criteria)


def test_summary_for_indicator_pressure_and_breaches():
    pressure_only = small_model().with_weights(**{c: 0 for c in CRITERIA if c != "indicator_pressure"})
    assert explain(compute(small_input(), pressure_only), 10, 1).summary == (
        "Indicatordruk draagt 100 % bij aan de kans, vooral door een gemiddelde indicatordruk van 0,55."
    )
    breaches_only = small_model().with_weights(**{c: 0 for c in CRITERIA if c != "norm_breaches"})
    assert explain(compute(small_input(), breaches_only), 10, 1).summary == (
        "Normoverschrijdingen draagt 100 % bij aan de kans, vooral door 1 recente normoverschrijding."
    )
