"""Incremental updates: add one signal, observation or judgement to a result at the same reference date.

The new record is treated as appended after all records of the full computation. Sums are updated by adding
the record's term, maxima by taking the maximum and evidence by inserting into the row's top-N (after equal
weights), so the numbers are exactly those of a full recomputation with the record appended to the input.
Only the accumulators of the affected rows change; the cheap vectorised finalisation and the aggregates are
then rebuilt from the accumulators with the same code as :func:`compute`.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from .compute import KEY_SHIFT, assemble, decay, severity_weights
from .data import FloatArray, IntArray, NewJudgement, NewObservation, NewSignal
from .errors import RiskInputError
from .result import EngineState, RiskResult


def _as_array(value: float) -> FloatArray:
    return np.array([value], dtype=np.float64)


def _row(state: EngineState, org_id: int, theme_id: int, referrer: str) -> int:
    return state.orgs.position(org_id, referrer) * len(state.themes) + state.themes.position(
        theme_id, referrer
    )


def _insert_evidence(
    weights: FloatArray, columns: dict[str, tuple[np.ndarray, object]], rows: IntArray, weight: float
) -> tuple[FloatArray, dict[str, np.ndarray]]:
    """Insert one record into the top-N of ``rows``, after existing records of equal weight."""
    new_weights = weights.copy()
    new_columns = {name: array.copy() for name, (array, _) in columns.items()}
    if weight <= 0:
        return new_weights, new_columns
    top_n = weights.shape[1]
    for row in rows.tolist():
        slot = int(np.count_nonzero(weights[row] >= weight))
        if slot >= top_n:
            continue
        new_weights[row, slot + 1 :] = weights[row, slot:-1]
        new_weights[row, slot] = weight
        for name, (array, value) in columns.items():
            new_columns[name][row, slot + 1 :] = array[row, slot:-1]
            new_columns[name][row, slot] = value
    return new_weights, new_columns


def add_signal(result: RiskResult, signal: NewSignal) -> RiskResult:
    """``result`` with one more signal (``age_days`` relative to ``result.reference_date``)."""
    state, model = result.state, result.model
    sl = model.signal_load
    if signal.people_affected < 0:
        raise RiskInputError(["Het aantal getroffen personen van een signaal mag niet negatief zijn."])
    org = state.orgs.position(signal.org_id, "signalen")
    n_themes = len(state.themes)
    age = max(float(signal.age_days), 0.0)
    term_decay = decay(_as_array(age), sl.half_life_days)
    weight = float(
        (severity_weights(model, np.array([signal.severity], dtype=np.int64), "signalen") * term_decay)[0]
    )
    vulnerable = float((term_decay * (1.0 if signal.vulnerable else 0.0))[0])
    general = signal.theme_id is None

    changes: dict[str, object] = {}
    if general:
        rows = org * n_themes + np.arange(n_themes, dtype=np.int64)
        signal_general = state.signal_general.copy()
        signal_general[org] += weight
        vulnerable_general = state.vulnerable_general.copy()
        vulnerable_general[org] += vulnerable
        people_general = state.people_general.copy()
        people_general[org] = max(people_general[org], float(signal.people_affected))
        changes |= {
            "signal_general": signal_general,
            "vulnerable_general": vulnerable_general,
            "people_general": people_general,
        }
        evidence_weight = float((_as_array(weight) * sl.general_factor)[0])
    else:
        assert signal.theme_id is not None
        row = org * n_themes + state.themes.position(signal.theme_id, "signalen")
        rows = np.array([row], dtype=np.int64)
        signal_specific = state.signal_specific.copy()
        signal_specific[row] += weight
        vulnerable_specific = state.vulnerable_specific.copy()
        vulnerable_specific[row] += vulnerable
        people_specific = state.people_specific.copy()
        people_specific[row] = max(people_specific[row], float(signal.people_affected))
        changes |= {
            "signal_specific": signal_specific,
            "vulnerable_specific": vulnerable_specific,
            "people_specific": people_specific,
        }
        evidence_weight = float((_as_array(weight) * 1.0)[0])

    ev_weight, ev_columns = _insert_evidence(
        state.ev_signal_weight,
        {
            "ev_signal_id": (state.ev_signal_id, signal.signal_id),
            "ev_signal_severity": (state.ev_signal_severity, signal.severity),
            "ev_signal_age": (state.ev_signal_age, age),
            "ev_signal_general": (state.ev_signal_general, general),
        },
        rows,
        evidence_weight,
    )
    changes |= {"ev_signal_weight": ev_weight, **ev_columns}

    if signal.involved_org_ids and len(state.chains):
        involved = {org} | {
            state.orgs.position(o, "betrokken organisaties van signalen") for o in signal.involved_org_ids
        }
        members = np.isin(state.chain_edge_org, np.fromiter(involved, dtype=np.int64))
        per_chain = np.bincount(state.chain_edge_chain[members], minlength=len(state.chains))
        qualifying = np.flatnonzero(per_chain >= 2)
        if len(qualifying):
            chain_load = state.chain_load.copy()
            chain_load[qualifying] += weight
            chain_signal_count = state.chain_signal_count.copy()
            chain_signal_count[qualifying] += 1
            changes |= {"chain_load": chain_load, "chain_signal_count": chain_signal_count}

    new_state = replace(state, n_signals=state.n_signals + 1, **changes)  # type: ignore[arg-type]
    return assemble(new_state, model, result.reference_date, result.reference_period, rows, result)


def add_observation(result: RiskResult, observation: NewObservation) -> RiskResult:
    """``result`` with one more indicator observation, at the result's reference period."""
    state, model = result.state, result.model
    if not 0 <= observation.pressure <= 1:
        raise RiskInputError(["De druk (pressure) van een observatie moet tussen 0 en 1 liggen."])
    if not 0 <= observation.indicator_id < 2**KEY_SHIFT:
        raise RiskInputError(["Indicator-ids moeten tussen 0 en 2^32 liggen."])
    row = _row(state, observation.org_id, observation.theme_id, "observaties")
    reference = result.reference_period
    changes: dict[str, object] = {}
    if observation.period <= reference:
        term_decay = decay(
            _as_array(float(reference - observation.period)), model.norm_breaches.half_life_periods
        )
        if observation.breach:
            breaches = state.breaches.copy()
            breaches[row] += float(term_decay[0])
            changes["breaches"] = breaches
        if observation.period > reference - model.indicator_pressure.window:
            changes |= _add_to_indicator(state, row, observation, reference)
        factor = 1.0 if observation.breach else float(observation.pressure)
        evidence_weight = float((term_decay * factor)[0])
        ev_weight, ev_columns = _insert_evidence(
            state.ev_obs_weight,
            {
                "ev_obs_id": (state.ev_obs_id, observation.observation_id),
                "ev_obs_indicator": (state.ev_obs_indicator, observation.indicator_id),
                "ev_obs_period": (state.ev_obs_period, observation.period),
                "ev_obs_breach": (state.ev_obs_breach, observation.breach),
                "ev_obs_pressure": (state.ev_obs_pressure, float(observation.pressure)),
            },
            np.array([row], dtype=np.int64),
            evidence_weight,
        )
        changes |= {"ev_obs_weight": ev_weight, **ev_columns}
    new_state = replace(state, n_observations=state.n_observations + 1, **changes)  # type: ignore[arg-type]
    changed = np.array([row] if changes else [], dtype=np.int64)
    return assemble(new_state, model, result.reference_date, result.reference_period, changed, result)


def _add_to_indicator(
    state: EngineState, row: int, observation: NewObservation, reference: int
) -> dict[str, object]:
    key = (row << KEY_SHIFT) | int(observation.indicator_id)
    x = float(observation.period - reference)
    y = float(observation.pressure)
    terms = {
        "indicator_n": 1.0,
        "indicator_sx": x,
        "indicator_sy": y,
        "indicator_sxy": x * y,
        "indicator_sxx": x * x,
    }
    keys = state.indicator_keys
    slot = int(np.searchsorted(keys, key))
    if slot < len(keys) and keys[slot] == key:
        out: dict[str, object] = {}
        for name, term in terms.items():
            array = getattr(state, name).copy()
            array[slot] += term
            out[name] = array
        return out
    out = {"indicator_keys": np.insert(keys, slot, key)}
    for name, term in terms.items():
        out[name] = np.insert(getattr(state, name), slot, term)
    return out


def add_judgement(result: RiskResult, judgement: NewJudgement) -> RiskResult:
    """``result`` with one more judgement (``age_days`` relative to the result's reference date)."""
    state, model = result.state, result.model
    if not 0 <= judgement.share_not_compliant <= 1:
        raise RiskInputError(["Het aandeel niet-voldane normen van een oordeel moet tussen 0 en 1 liggen."])
    row = _row(state, judgement.org_id, judgement.theme_id, "oordelen")
    term = _as_array(float(judgement.share_not_compliant)) * decay(
        _as_array(float(judgement.age_days)), model.judgements.half_life_days
    )
    judgements = state.judgements.copy()
    judgements[row] += float(term[0])
    new_state = replace(state, judgements=judgements, n_judgements=state.n_judgements + 1)
    changed = np.array([row], dtype=np.int64)
    return assemble(new_state, model, result.reference_date, result.reference_period, changed, result)
