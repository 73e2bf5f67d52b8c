"""Risk model as data: round trip and Dutch validation messages."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from toezicht.risk.engine import (
    RiskModel,
    RiskModelError,
    default_model,
    default_model_dict,
    validate_model_dict,
    vulnerability_from_groups,
)

from .test_engine_fixtures import small_model_dict


def messages(data: dict[str, Any]) -> list[str]:
    with pytest.raises(RiskModelError) as excinfo:
        RiskModel.from_dict(data)
    assert excinfo.value.messages == validate_model_dict(data)
    return excinfo.value.messages


def test_default_model_is_valid_and_round_trips():
    model = default_model()
    assert RiskModel.from_dict(model.to_dict()) == model
    assert validate_model_dict(default_model_dict()) == []
    assert len(model.likelihood_bands) == 5
    assert len(model.matrix) == 5
    assert all(len(row) == 5 for row in model.matrix)


def test_round_trip_keeps_every_parameter():
    data = small_model_dict()
    model = RiskModel.from_dict(data)
    again = model.to_dict()
    assert RiskModel.from_dict(again) == model
    for key, spec in data["criteria"].items():
        for name, value in spec.items():
            assert again["criteria"][key][name] == value, (key, name)
    assert again["impact"] == data["impact"]
    assert again["scales"] == data["scales"]
    assert again["matrix"] == data["matrix"]
    assert again["version"] == 7


def test_negative_weight():
    data = small_model_dict()
    data["criteria"]["signal_load"]["weight"] = -1
    assert messages(data) == ["Het gewicht van criterium 'Signaallast' mag niet negatief zijn."]


def test_missing_weight():
    data = small_model_dict()
    del data["criteria"]["judgements"]["weight"]
    assert messages(data) == ["Het gewicht van criterium 'Oordelen' ontbreekt."]


def test_all_weights_zero():
    data = small_model_dict()
    for spec in data["criteria"].values():
        spec["weight"] = 0
    assert messages(data) == ["Ten minste één criterium moet een gewicht groter dan nul hebben."]


def test_unknown_criterion():
    data = small_model_dict()
    data["criteria"]["weather"] = {"weight": 1}
    assert messages(data) == ["Onbekend criterium 'weather'."]


def test_impact_is_not_a_likelihood_criterion():
    data = small_model_dict()
    data["criteria"]["impact"] = {"weight": 1}
    assert messages(data) == [
        "'impact' is geen kanscriterium; stel de impact in onder het onderdeel 'impact'."
    ]


def test_non_positive_half_life():
    data = small_model_dict()
    data["criteria"]["signal_load"]["half_life_days"] = 0
    data["criteria"]["norm_breaches"]["half_life_periods"] = -2
    assert messages(data) == [
        "De halfwaardetijd van criterium 'Signaallast' moet groter dan nul zijn.",
        "De halfwaardetijd van criterium 'Normoverschrijdingen' moet groter dan nul zijn.",
    ]


def test_unknown_parameter_and_bad_k():
    data = small_model_dict()
    data["criteria"]["learning_capacity"]["k"] = "veel"
    data["criteria"]["learning_capacity"]["speed"] = 3
    assert messages(data) == [
        "De parameter 'k' van criterium 'Lerend vermogen' moet een getal zijn.",
        "Onbekende parameter 'speed' bij criterium 'Lerend vermogen'.",
    ]


def test_severity_weights_must_not_decrease():
    data = small_model_dict()
    data["criteria"]["signal_load"]["severity_weights"] = {"1": 1, "2": 4, "3": 2}
    assert messages(data) == [
        "De ernstgewichten moeten gelijk blijven of oplopen met de ernst (ernst 3 weegt minder dan ernst 2)."
    ]


def test_empty_scale():
    data = small_model_dict()
    data["scales"]["impact"] = []
    assert messages(data) == ["De schaal voor impact bevat geen banden."]


def test_overlapping_bands():
    data = small_model_dict()
    data["scales"]["likelihood"][1]["lower"] = 0.15
    assert messages(data) == ["De banden 'zeer laag' en 'laag' van de schaal voor kans overlappen."]


def test_gap_between_bands():
    data = small_model_dict()
    data["scales"]["likelihood"][2]["lower"] = 0.45
    assert messages(data) == ["Tussen de banden 'laag' en 'midden' van de schaal voor kans zit een gat."]


def test_scale_must_cover_zero_to_one():
    data = small_model_dict()
    data["scales"]["impact"][0]["lower"] = 0.1
    data["scales"]["impact"][-1]["upper"] = 0.9
    assert messages(data) == [
        "De schaal voor impact begint niet bij 0 (band 'zeer laag' begint bij 0,1).",
        "De schaal voor impact eindigt niet bij 1 (band 'zeer hoog' eindigt bij 0,9).",
    ]


def test_band_with_lower_not_below_upper():
    data = small_model_dict()
    data["scales"]["likelihood"] = [
        {"lower": 0, "upper": 0.5, "label": "laag"},
        {"lower": 0.5, "upper": 0.5, "label": "hoog"},
    ]
    data["matrix"] = [row[:5] for row in data["matrix"][:2]]
    assert messages(data) == [
        "De ondergrens van band 'hoog' van de schaal voor kans moet kleiner zijn dan de bovengrens."
    ]


def test_matrix_rows_must_match_likelihood_bands():
    data = small_model_dict()
    data["matrix"] = data["matrix"][:4]
    assert messages(data) == ["De risicomatrix moet 5 rijen hebben (één per kansband), maar heeft er 4."]


def test_matrix_cells_must_match_impact_bands():
    data = small_model_dict()
    data["matrix"][1] = data["matrix"][1][:3]
    assert messages(data) == [
        "Rij 2 van de risicomatrix moet 5 cellen hebben (één per impactband), maar heeft er 3."
    ]


@pytest.mark.parametrize("colour", ["rood", "#12345", "#ggg000", "", None])
def test_bad_colour(colour):
    data = small_model_dict()
    data["matrix"][4][4] = {"label": "zeer hoog", "colour": colour}
    assert messages(data) == [
        f"De kleur '{colour}' van klasse 'zeer hoog' is geen geldige hexadecimale kleur "
        "(verwacht bijvoorbeeld #d73027)."
    ]


def test_short_colour_is_accepted():
    data = small_model_dict()
    data["matrix"][0][0] = {"label": "laag", "colour": "#0a0"}
    assert validate_model_dict(data) == []


def test_missing_version_and_bad_combination():
    data = small_model_dict()
    del data["version"]
    data["combination"] = "max"
    assert messages(data) == [
        "Het model heeft geen geldig versienummer (een positief geheel getal).",
        "Onbekende combinatiemethode 'max'. Kies uit: product, geometric_mean, mean.",
    ]


def test_all_problems_are_reported_together():
    data = copy.deepcopy(small_model_dict())
    data["criteria"]["signal_load"]["weight"] = -1
    data["criteria"]["judgements"]["half_life_days"] = 0
    data["scales"]["likelihood"] = []
    assert messages(data) == [
        "Het gewicht van criterium 'Signaallast' mag niet negatief zijn.",
        "De halfwaardetijd van criterium 'Oordelen' moet groter dan nul zijn.",
        "De schaal voor kans bevat geen banden.",
    ]


def test_absent_criterion_has_weight_zero():
    data = small_model_dict()
    del data["criteria"]["judgements"]
    model = RiskModel.from_dict(data)
    assert model.weights()["judgements"] == 0.0


def test_with_weights_validates_again():
    model = RiskModel.from_dict(small_model_dict())
    assert model.with_weights(judgements=0).weights()["judgements"] == 0.0
    with pytest.raises(RiskModelError):
        model.with_weights(judgements=-3)


def test_vulnerability_from_groups():
    model = RiskModel.from_dict(small_model_dict())
    assert vulnerability_from_groups(model, {"minderjarigen": 0.3, "gedetineerden": 0.5}) == pytest.approx(
        0.7
    )
    assert vulnerability_from_groups(model, {"minderjarigen": 1.0, "gedetineerden": 1.0}) == 1.0
    with pytest.raises(RiskModelError, match="Onbekende kwetsbare groep 'ouderen'"):
        vulnerability_from_groups(model, {"ouderen": 0.4})
