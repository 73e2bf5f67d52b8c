"""Full computation of risk scores per (organisation, theme).

Normalisation (every likelihood criterion ends up in 0..1, monotone non-decreasing in its raw value):

* ``saturate(x, k) = 1 - k / (x + k)`` (equal to x / (x + k)): 0 at x = 0, 0.5 at x = k, towards 1.
  Written this way so that it is monotone in floating point as well.
* ``decay(age, h) = 0.5 ** (age / h)`` (computed as ``exp2(-age / h)``); negative ages count as 0.

Criteria (raw value -> normalised value):

* signal_load: S = sum(severity_weight * decay(age_days, half_life_days)) over the row's signals, plus
  ``general_factor`` times the same sum over the organisation's theme-less signals (a signal without a theme
  concerns the organisation as a whole, so it counts, damped, for every theme). value = saturate(S, k).
* norm_breaches: B = sum(decay(reference_period - period, half_life_periods)) over breaching observations
  up to the reference period. value = saturate(B, k).
* indicator_pressure: per (row, indicator), using observations in the window (reference_period - window,
  reference_period]: level = mean pressure, slope = least-squares change of pressure per period (0 with a
  single period); indicator value = clip(level + trend_weight * slope, 0, 1). value = mean over indicators
  (0 without observations). raw = the same mean.
* judgements: J = sum(share_not_compliant * decay(age_days, half_life_days)). value = saturate(J, k).
* learning_capacity: x = overdue + open_weight * open recommendations (organisation level).
  value = saturate(x, k).
* time_since_investigation: value = 1 - exp(-years / tau_years); never investigated -> 1.

Likelihood = sum of contributions, contribution_c = weight_c * value_c / sum(weights), so contributions add
up to the likelihood by construction. Impact (0..1) = weighted mean of
size = min(1, log1p(people) / log1p(people_reference)), people = max(people_served, people_affected of any
of the row's signals, theme-less ones included), and
vulnerability = 1 - (1 - org vulnerability) * k_v / (V + k_v), V = decayed count of the row's signals about
vulnerable people (theme-less ones with ``general_factor``).
Score (0..100) = 100 * L * I (``product``), 100 * sqrt(L * I) (``geometric_mean``) or 100 * (L + I) / 2.
Bands are half-open [lower, upper), the last band includes 1; class = matrix[likelihood band][impact band].

Aggregates (one row per chain, area, goal) over the (org, theme) rows of the group (chain/area: its member
organisations x all themes; goal: all organisations x the goal's themes): score_max (worst case, with the
row that reaches it, ties to the lowest org_id/theme_id), score_mean, likelihood_mean, impact_mean, n_rows.
Chains add a chain-level signal load: signals involving >= 2 members of the chain (primary organisation
plus ``signal_organisations``) count for the chain itself (severity_weight * decay, no theme), normalised
with the signal_load k; such signals still count for their primary organisation's scores only.

Evidence: per row the ``evidence_top_n`` heaviest signals (weight = their term in S) and observations
(weight = decay(age, half_life_periods) * (1 for a breach, else the pressure)); ties go to the earlier input
record. Records weighing 0 are not listed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import numpy.typing as npt
import polars as pl

from .data import (
    JUDGEMENT_COLUMNS,
    OBSERVATION_COLUMNS,
    ORGANISATION_COLUMNS,
    SIGNAL_COLUMNS,
    SIGNAL_ORGANISATION_COLUMNS,
    BoolArray,
    FloatArray,
    IdIndex,
    IntArray,
    RiskInput,
    conform,
)
from .errors import RiskInputError
from .model import (
    CRITERIA,
    INDICATOR_PRESSURE,
    JUDGEMENTS,
    LEARNING_CAPACITY,
    NORM_BREACHES,
    SIGNAL_LOAD,
    TIME_SINCE_INVESTIGATION,
    RiskModel,
)
from .result import EngineState, RiskResult

KEY_SHIFT = 32
_MAX_INDICATOR_ID = 2**KEY_SHIFT - 1
_SMALL_SORT = 50_000

SCORE_COLUMNS: tuple[str, ...] = (
    "org_id",
    "theme_id",
    "score",
    "likelihood",
    "impact",
    "likelihood_band",
    "impact_band",
    "class_label",
    "class_colour",
    *(f"contribution_{c}" for c in CRITERIA),
    *(f"value_{c}" for c in CRITERIA),
    *(f"raw_{c}" for c in CRITERIA),
    "impact_size",
    "impact_vulnerability",
    "people",
)


# -- elementary functions (always called on arrays, so incremental and full share one code path) -------
def decay(age: FloatArray, half_life: float) -> FloatArray:
    """``0.5 ** (age / half_life)``, with negative ages treated as 0; monotone non-increasing in age."""
    return np.exp2(-(np.maximum(age, 0.0) / half_life))


def saturate(x: FloatArray, k: float) -> FloatArray:
    """``x / (x + k)`` written as ``1 - k / (x + k)`` (monotone in floating point, exactly 0 at 0)."""
    return 1.0 - k / (x + k)


def severity_weights(model: RiskModel, severity: IntArray, what: str) -> FloatArray:
    table = model.signal_load.severity_table()
    known = np.array(sorted(table), dtype=np.int64)
    values = np.array([table[s] for s in known.tolist()], dtype=np.float64)
    pos = np.minimum(np.searchsorted(known, severity), len(known) - 1)
    bad = known[pos] != severity
    if bad.any():
        unknown = ", ".join(str(int(v)) for v in np.unique(severity[bad])[:5])
        raise RiskInputError(
            [f"De {what} hebben een ernst die niet in de ernsttabel van het model staat: {unknown}."]
        )
    return values[pos]


def sum_by(index: IntArray, weights: FloatArray, size: int) -> FloatArray:
    """Sums of ``weights`` per ``index``, accumulated strictly in input order (``np.bincount``)."""
    return np.bincount(index, weights, minlength=size).astype(np.float64, copy=False)


def _check_range(values: FloatArray, low: float, high: float, message: str) -> None:
    if len(values) and ((values < low) | (values > high) | np.isnan(values)).any():
        raise RiskInputError([message])


def top_n_per_row(
    rows: IntArray, weights: FloatArray, tiebreak: IntArray, n: int
) -> tuple[IntArray, IntArray]:
    """Indexes of the ``n`` heaviest positive weights per row (ties: lower tiebreak first) and their rank."""
    positive = weights > 0
    candidates = None if positive.all() else np.flatnonzero(positive)
    if candidates is not None:
        if len(candidates) == 0:
            return candidates, candidates
        rows, weights, tiebreak = rows[candidates], weights[candidates], tiebreak[candidates]
    if len(rows) < _SMALL_SORT:  # numpy for small inputs (no thread start-up), polars for large ones
        order = np.lexsort((tiebreak, -weights, rows))
    else:
        frame = pl.DataFrame({"r": rows, "w": -weights, "t": tiebreak})
        order = frame.select(pl.arg_sort_by(["r", "w", "t"])).to_series().to_numpy().astype(np.int64)
    chosen = order if candidates is None else candidates[order]
    sorted_rows = rows[order]
    index = np.arange(len(chosen), dtype=np.int64)
    first = np.ones(len(chosen), dtype=bool)
    first[1:] = sorted_rows[1:] != sorted_rows[:-1]
    rank = index - np.maximum.accumulate(np.where(first, index, 0))
    keep = rank < n
    return chosen[keep], rank[keep]


def dense_groups(keys: IntArray) -> tuple[IntArray, IntArray]:
    """Sorted unique keys and, per key, its group position."""
    if len(keys) == 0:
        return keys, keys
    order = pl.Series(keys).arg_sort().to_numpy()
    sorted_keys = keys[order]
    first = np.ones(len(keys), dtype=bool)
    first[1:] = sorted_keys[1:] != sorted_keys[:-1]
    inverse = np.empty(len(keys), dtype=np.int64)
    inverse[order] = np.cumsum(first) - 1
    return sorted_keys[first], inverse


def _edges(
    frame: pl.DataFrame | None, left: str, right: str, left_index: IdIndex, what: str
) -> tuple[IdIndex, IntArray, IntArray]:
    cols = conform(frame, {left: (pl.Int64(), None), right: (pl.Int64(), None)}, what)
    pairs = np.unique(np.stack([cols[right].astype(np.int64), cols[left].astype(np.int64)], axis=1), axis=0)
    groups = IdIndex(np.unique(pairs[:, 0]), what)
    group_pos = groups.lookup(pairs[:, 0], what)
    member_pos = left_index.lookup(pairs[:, 1], what)
    return groups, member_pos, group_pos


# -- full computation -------------------------------------------------------------------------------
def compute(inp: RiskInput, model: RiskModel) -> RiskResult:
    """Compute all scores, evidence and aggregates for ``inp`` with ``model``."""
    state, reference_period = _accumulate(inp, model)
    return assemble(state, model, inp.reference_date, reference_period)


def _accumulate(inp: RiskInput, model: RiskModel) -> tuple[EngineState, int]:
    top_n = model.evidence_top_n

    # organisations and themes ------------------------------------------------------------------
    org = conform(inp.organisations, ORGANISATION_COLUMNS, "organisaties")
    orgs = IdIndex(org["org_id"].astype(np.int64), "organisaties")
    order = orgs.lookup(org["org_id"], "organisaties")
    org_sorted: dict[str, FloatArray] = {}
    for name in ORGANISATION_COLUMNS:
        if name != "org_id":
            column = np.empty(len(orgs), dtype=np.float64)
            column[order] = org[name]
            org_sorted[name] = column
    _check_range(
        org_sorted["vulnerability"], 0, 1, "De kwetsbaarheid van een organisatie moet tussen 0 en 1 liggen."
    )
    for name in ("people_served", "overdue_recommendations", "open_recommendations"):
        _check_range(
            org_sorted[name], 0, np.inf, f"Kolom '{name}' van de organisaties mag niet negatief zijn."
        )
    themes = IdIndex(np.asarray(inp.theme_ids, dtype=np.int64), "thema's")
    n_orgs, n_themes = len(orgs), len(themes)
    n_rows = n_orgs * n_themes

    # signals -----------------------------------------------------------------------------------
    sig = conform(inp.signals, SIGNAL_COLUMNS, "signalen")
    sl = model.signal_load
    s_org = orgs.lookup(sig["org_id"], "signalen")
    s_general: BoolArray = sig["theme_id"] < 0
    s_specific = ~s_general
    s_row = np.zeros(len(s_org), dtype=np.int64)
    s_row[s_specific] = s_org[s_specific] * n_themes + themes.lookup(sig["theme_id"][s_specific], "signalen")
    s_age = np.maximum(sig["age_days"].astype(np.float64), 0.0)
    s_decay = decay(s_age, sl.half_life_days)
    s_weight = severity_weights(model, sig["severity"].astype(np.int64), "signalen") * s_decay
    s_people = sig["people_affected"].astype(np.float64)
    _check_range(s_people, 0, np.inf, "Het aantal getroffen personen van een signaal mag niet negatief zijn.")
    s_vulnerable = s_decay * sig["vulnerable"].astype(np.float64)

    signal_specific = sum_by(s_row[s_specific], s_weight[s_specific], n_rows)
    signal_general = sum_by(s_org[s_general], s_weight[s_general], n_orgs)
    vulnerable_specific = sum_by(s_row[s_specific], s_vulnerable[s_specific], n_rows)
    vulnerable_general = sum_by(s_org[s_general], s_vulnerable[s_general], n_orgs)
    people_specific = np.zeros(n_rows)
    np.maximum.at(people_specific, s_row[s_specific], s_people[s_specific])
    people_general = np.zeros(n_orgs)
    np.maximum.at(people_general, s_org[s_general], s_people[s_general])

    signal_ids = sig["signal_id"].astype(np.int64)
    s_evidence_weight = s_weight * np.where(s_general, sl.general_factor, 1.0)
    source = _signal_evidence(n_rows, n_themes, top_n, s_row, s_org, s_general, s_evidence_weight)
    ev_signal_id = gather(source, signal_ids, -1)
    ev_signal_weight = gather(source, s_evidence_weight, -np.inf)
    ev_signal_severity = gather(source, sig["severity"].astype(np.int64), 0)
    ev_signal_age = gather(source, s_age, np.nan)
    ev_signal_general = gather(source, s_general, False)

    # observations ------------------------------------------------------------------------------
    obs = conform(inp.observations, OBSERVATION_COLUMNS, "observaties")
    o_period = obs["period"].astype(np.int64)
    if inp.reference_period is not None:
        reference_period = int(inp.reference_period)
    else:
        reference_period = int(o_period.max()) if len(o_period) else 0
    o_row = orgs.lookup(obs["org_id"], "observaties") * n_themes + themes.lookup(
        obs["theme_id"], "observaties"
    )
    o_pressure = obs["pressure"].astype(np.float64)
    _check_range(o_pressure, 0, 1, "De druk (pressure) van een observatie moet tussen 0 en 1 liggen.")
    o_indicator = obs["indicator_id"].astype(np.int64)
    _check_range(
        o_indicator.astype(np.float64), 0, _MAX_INDICATOR_ID, "Indicator-ids moeten tussen 0 en 2^32 liggen."
    )
    o_breach = obs["breach"].astype(bool)
    o_active = o_period <= reference_period
    o_decay = decay((reference_period - o_period).astype(np.float64), model.norm_breaches.half_life_periods)
    counted = o_active & o_breach
    breaches = sum_by(o_row[counted], o_decay[counted], n_rows)

    window = o_active & (o_period > reference_period - model.indicator_pressure.window)
    keys, group = dense_groups((o_row[window] << KEY_SHIFT) | o_indicator[window])
    x = (o_period[window] - reference_period).astype(np.float64)
    y = o_pressure[window]
    n_groups = len(keys)
    indicator_n = np.bincount(group, minlength=n_groups).astype(np.float64)
    indicator_sx = sum_by(group, x, n_groups)
    indicator_sy = sum_by(group, y, n_groups)
    indicator_sxy = sum_by(group, x * y, n_groups)
    indicator_sxx = sum_by(group, x * x, n_groups)

    o_weight = np.where(o_active, o_decay * np.where(o_breach, 1.0, o_pressure), 0.0)
    source = top_n_matrix(o_row, o_weight, np.arange(len(o_row), dtype=np.int64), n_rows, top_n)
    ev_obs_id = gather(source, obs["observation_id"].astype(np.int64), -1)
    ev_obs_weight = gather(source, o_weight, -np.inf)
    ev_obs_indicator = gather(source, o_indicator, -1)
    ev_obs_period = gather(source, o_period, 0)
    ev_obs_breach = gather(source, o_breach, False)
    ev_obs_pressure = gather(source, o_pressure, np.nan)

    # judgements --------------------------------------------------------------------------------
    jd = conform(inp.judgements, JUDGEMENT_COLUMNS, "oordelen")
    j_row = orgs.lookup(jd["org_id"], "oordelen") * n_themes + themes.lookup(jd["theme_id"], "oordelen")
    j_share = jd["share_not_compliant"].astype(np.float64)
    _check_range(j_share, 0, 1, "Het aandeel niet-voldane normen van een oordeel moet tussen 0 en 1 liggen.")
    j_term = j_share * decay(jd["age_days"].astype(np.float64), model.judgements.half_life_days)
    judgements = sum_by(j_row, j_term, n_rows)

    # memberships and chain-level signals -------------------------------------------------------
    chains, chain_edge_org, chain_edge_chain = _edges(inp.org_chains, "org_id", "chain_id", orgs, "ketens")
    areas, area_edge_org, area_edge_area = _edges(
        inp.org_areas, "org_id", "area_id", orgs, "toezichtgebieden"
    )
    goals, goal_edge_theme, goal_edge_goal = _edges(inp.theme_goals, "theme_id", "goal_id", themes, "doelen")
    chain_load, chain_signal_count = _chain_signals(
        inp.signal_organisations, signal_ids, s_org, s_weight, orgs, chains, chain_edge_org, chain_edge_chain
    )

    state = EngineState(
        orgs=orgs,
        themes=themes,
        people_served=org_sorted["people_served"],
        vulnerability=org_sorted["vulnerability"],
        years_since_investigation=org_sorted["years_since_investigation"],
        overdue_recommendations=org_sorted["overdue_recommendations"],
        open_recommendations=org_sorted["open_recommendations"],
        signal_specific=signal_specific,
        signal_general=signal_general,
        vulnerable_specific=vulnerable_specific,
        vulnerable_general=vulnerable_general,
        people_specific=people_specific,
        people_general=people_general,
        breaches=breaches,
        judgements=judgements,
        indicator_keys=keys,
        indicator_n=indicator_n,
        indicator_sx=indicator_sx,
        indicator_sy=indicator_sy,
        indicator_sxy=indicator_sxy,
        indicator_sxx=indicator_sxx,
        chains=chains,
        chain_edge_org=chain_edge_org,
        chain_edge_chain=chain_edge_chain,
        chain_load=chain_load,
        chain_signal_count=chain_signal_count,
        areas=areas,
        area_edge_org=area_edge_org,
        area_edge_area=area_edge_area,
        goals=goals,
        goal_edge_theme=goal_edge_theme,
        goal_edge_goal=goal_edge_goal,
        ev_signal_id=ev_signal_id,
        ev_signal_weight=ev_signal_weight,
        ev_signal_severity=ev_signal_severity,
        ev_signal_age=ev_signal_age,
        ev_signal_general=ev_signal_general,
        ev_obs_id=ev_obs_id,
        ev_obs_weight=ev_obs_weight,
        ev_obs_indicator=ev_obs_indicator,
        ev_obs_period=ev_obs_period,
        ev_obs_breach=ev_obs_breach,
        ev_obs_pressure=ev_obs_pressure,
        n_signals=len(signal_ids),
        n_observations=len(o_row),
        n_judgements=len(j_row),
    )
    return state, reference_period


def gather(source: IntArray, values: npt.NDArray[Any], fill: object) -> npt.NDArray[Any]:
    """``values[source]`` where ``source >= 0``, else ``fill`` (same shape as ``source``)."""
    taken = values[np.maximum(source, 0)] if len(values) else np.zeros(source.shape, dtype=values.dtype)
    return np.where(source >= 0, taken, np.array(fill, dtype=values.dtype))


def top_n_matrix(rows: IntArray, weights: FloatArray, tiebreak: IntArray, n_rows: int, n: int) -> IntArray:
    """(n_rows, n) matrix of indexes into ``rows``/``weights``: the heaviest first, -1 for empty slots."""
    chosen, rank = top_n_per_row(rows, weights, tiebreak, n)
    out = np.full(n_rows * n, -1, dtype=np.int64)
    out[rows[chosen] * n + rank] = chosen
    return out.reshape(n_rows, n)


def merge_top_n(candidates: IntArray, weights: FloatArray, n: int) -> IntArray:
    """Per row of ``candidates`` (indexes, -1 empty) keep the ``n`` heaviest; ties: lower index first."""
    n_rows, width = candidates.shape
    valid = candidates >= 0
    w = np.where(valid, weights[np.maximum(candidates, 0)], -np.inf)
    order_key = np.where(valid, candidates, np.iinfo(np.int64).max - width + np.arange(width))
    w_i, w_j = w[:, :, None], w[:, None, :]
    precedes = (w_j > w_i) | ((w_j == w_i) & (order_key[:, None, :] < order_key[:, :, None]))
    rank = precedes.sum(axis=2)
    keep = rank < n
    out = np.full((n_rows, n), -1, dtype=np.int64)
    out[np.nonzero(keep)[0], rank[keep]] = candidates[keep]
    return out


def _signal_evidence(
    n_rows: int,
    n_themes: int,
    top_n: int,
    s_row: IntArray,
    s_org: IntArray,
    s_general: BoolArray,
    weight: FloatArray,
) -> IntArray:
    """(rows, top_n) matrix of signal positions; theme-less signals compete in every theme row."""
    specific = np.flatnonzero(~s_general)
    local = top_n_matrix(s_row[specific], weight[specific], specific, n_rows, top_n)
    best = np.where(local >= 0, specific[np.maximum(local, 0)], -1) if len(specific) else local
    general = np.flatnonzero(s_general)
    if len(general) == 0 or n_themes == 0:
        return best
    n_orgs = n_rows // n_themes
    local = top_n_matrix(s_org[general], weight[general], general, n_orgs, top_n)
    best_general = np.where(local >= 0, general[np.maximum(local, 0)], -1)
    org_of_row = np.repeat(np.arange(n_orgs, dtype=np.int64), n_themes)
    return merge_top_n(np.concatenate([best, best_general[org_of_row]], axis=1), weight, top_n)


def _signal_positions(signal_ids: IntArray, wanted: IntArray) -> IntArray:
    """Input positions of the signals ``wanted`` (signal ids must be unique)."""
    if len(signal_ids) and bool((signal_ids[1:] > signal_ids[:-1]).all()):  # the usual case: sorted ids
        pos = np.minimum(np.searchsorted(signal_ids, wanted), len(signal_ids) - 1)
        if not (signal_ids[pos] == wanted).all():
            raise RiskInputError(["De betrokken organisaties verwijzen naar onbekende signalen."])
        return pos.astype(np.int64)
    lookup = pl.DataFrame({"signal_id": signal_ids, "pos": np.arange(len(signal_ids), dtype=np.int64)})
    joined = pl.DataFrame({"signal_id": wanted}).join(
        lookup, on="signal_id", how="left", maintain_order="left"
    )
    if joined.height != len(wanted):
        raise RiskInputError(["De signalen bevatten dubbele signaal-ids."])
    if joined["pos"].null_count():
        raise RiskInputError(["De betrokken organisaties verwijzen naar onbekende signalen."])
    return joined["pos"].to_numpy().astype(np.int64)


def _chain_signals(
    frame: pl.DataFrame | None,
    signal_ids: IntArray,
    s_org: IntArray,
    s_weight: FloatArray,
    orgs: IdIndex,
    chains: IdIndex,
    chain_edge_org: IntArray,
    chain_edge_chain: IntArray,
) -> tuple[FloatArray, IntArray]:
    n_chains = len(chains)
    so = conform(frame, SIGNAL_ORGANISATION_COLUMNS, "betrokken organisaties van signalen")
    if len(so["signal_id"]) == 0 or n_chains == 0:
        return np.zeros(n_chains), np.zeros(n_chains, dtype=np.int64)
    extra_org = orgs.lookup(so["org_id"], "betrokken organisaties van signalen")
    pos = _signal_positions(signal_ids, so["signal_id"].astype(np.int64))
    primary_pos = np.unique(pos)
    involved = pl.DataFrame(
        {
            "pos": np.concatenate([pos, primary_pos]),
            "org": np.concatenate([extra_org, s_org[primary_pos]]),
        }
    ).unique()
    edges = pl.DataFrame({"org": chain_edge_org, "chain": chain_edge_chain})
    qualifying = (
        involved.join(edges, on="org")
        .group_by("pos", "chain")
        .agg(pl.len().alias("members"))
        .filter(pl.col("members") >= 2)
        .sort("pos", "chain")
    )
    chain = qualifying["chain"].to_numpy()
    load = sum_by(chain, s_weight[qualifying["pos"].to_numpy()], n_chains)
    return load, np.bincount(chain, minlength=n_chains).astype(np.int64)


# -- from accumulators to outputs (shared by full and incremental computation) ------------------------
@dataclass(frozen=True)
class _Derived:
    raw: dict[str, FloatArray]
    values: dict[str, FloatArray]
    contributions: dict[str, FloatArray]
    likelihood: FloatArray
    impact: FloatArray
    impact_size: FloatArray
    impact_vulnerability: FloatArray
    people: FloatArray
    score: FloatArray


def indicator_values(state: EngineState, model: RiskModel, keys: IntArray | None = None) -> FloatArray:
    """Value per (row, indicator) group; with ``keys`` (positions in the sorted group keys) only those."""

    def take(array: FloatArray) -> FloatArray:
        return array if keys is None else array[keys]

    n = take(state.indicator_n)
    sx, sy, sxy, sxx = (
        take(a) for a in (state.indicator_sx, state.indicator_sy, state.indicator_sxy, state.indicator_sxx)
    )
    level = sy / np.maximum(n, 1.0)
    denominator = n * sxx - sx * sx
    numerator = n * sxy - sx * sy
    slope = np.where(denominator > 0, numerator / np.where(denominator > 0, denominator, 1.0), 0.0)
    return np.clip(level + model.indicator_pressure.trend_weight * slope, 0.0, 1.0)


def combine(model: RiskModel, likelihood: FloatArray, impact: FloatArray) -> FloatArray:
    if model.combination == "geometric_mean":
        return 100.0 * np.sqrt(likelihood * impact)
    if model.combination == "mean":
        return 100.0 * (likelihood + impact) / 2.0
    return 100.0 * likelihood * impact


def _pressure(state: EngineState, model: RiskModel, rows: IntArray | None) -> FloatArray:
    """Mean indicator value per row (all rows, or the sorted unique ``rows``)."""
    keys = state.indicator_keys
    if rows is None:
        local = keys >> KEY_SHIFT
        values = indicator_values(state, model)
        size = state.n_rows
    else:
        # A row's groups are contiguous in the sorted keys: take just those, in the same order, so the
        # sums are bit-for-bit those of the full computation.
        low = np.searchsorted(keys, rows << KEY_SHIFT)
        high = np.searchsorted(keys, (rows + 1) << KEY_SHIFT)
        counts = high - low
        local = np.repeat(np.arange(len(rows), dtype=np.int64), counts)
        starts = np.repeat(low - (np.cumsum(counts) - counts), counts)
        values = indicator_values(state, model, starts + np.arange(len(local), dtype=np.int64))
        size = len(rows)
    pressure_sum = np.bincount(local, values, minlength=size)
    pressure_count = np.bincount(local, minlength=size)
    return pressure_sum / np.maximum(pressure_count, 1)


def derive(state: EngineState, model: RiskModel, rows: IntArray | None = None) -> _Derived:
    """Criteria, likelihood, impact and score of every row, or of the sorted unique ``rows`` only (the
    same element-wise arithmetic, so an incremental update gives exactly the full computation's numbers)."""
    n_themes = len(state.themes)
    if rows is None:
        org_of_row = np.repeat(np.arange(len(state.orgs), dtype=np.int64), n_themes)
    else:
        org_of_row = rows // n_themes

    def take(array: FloatArray) -> FloatArray:
        return array if rows is None else array[rows]

    sl = model.signal_load

    signal = take(state.signal_specific) + sl.general_factor * state.signal_general[org_of_row]
    pressure = _pressure(state, model, rows)
    breaches = take(state.breaches)
    judgements = take(state.judgements)
    lc = model.learning_capacity
    recommendations = (state.overdue_recommendations + lc.open_weight * state.open_recommendations)[
        org_of_row
    ]
    years = state.years_since_investigation[org_of_row]
    never = np.isnan(years)
    elapsed = 1.0 - np.exp(
        -np.maximum(np.where(never, 0.0, years), 0.0) / model.time_since_investigation.tau_years
    )

    raw = {
        SIGNAL_LOAD: signal,
        NORM_BREACHES: breaches,
        INDICATOR_PRESSURE: pressure,
        JUDGEMENTS: judgements,
        LEARNING_CAPACITY: recommendations,
        TIME_SINCE_INVESTIGATION: years,
    }
    values = {
        SIGNAL_LOAD: saturate(signal, sl.k),
        NORM_BREACHES: saturate(breaches, model.norm_breaches.k),
        INDICATOR_PRESSURE: pressure,
        JUDGEMENTS: saturate(judgements, model.judgements.k),
        LEARNING_CAPACITY: saturate(recommendations, lc.k),
        TIME_SINCE_INVESTIGATION: np.where(never, 1.0, elapsed),
    }
    weights = model.weights()
    total_weight = sum(weights.values())
    contributions = {c: weights[c] * values[c] / total_weight for c in CRITERIA}
    likelihood = np.zeros(len(org_of_row))
    for c in CRITERIA:
        likelihood = likelihood + contributions[c]

    im = model.impact
    people = np.maximum(
        np.maximum(state.people_served[org_of_row], take(state.people_specific)),
        state.people_general[org_of_row],
    )
    size = np.minimum(1.0, np.log1p(people) / np.log1p(im.people_reference))
    vulnerable = take(state.vulnerable_specific) + sl.general_factor * state.vulnerable_general[org_of_row]
    remaining = im.signal_vulnerability_k / (vulnerable + im.signal_vulnerability_k)
    vulnerability = 1.0 - (1.0 - state.vulnerability[org_of_row]) * remaining
    impact = (im.size_weight * size + im.vulnerability_weight * vulnerability) / (
        im.size_weight + im.vulnerability_weight
    )
    return _Derived(
        raw=raw,
        values=values,
        contributions=contributions,
        likelihood=likelihood,
        impact=impact,
        impact_size=size,
        impact_vulnerability=vulnerability,
        people=people,
        score=combine(model, likelihood, impact),
    )


def band_index(bands_upper: FloatArray, values: FloatArray) -> IntArray:
    return np.searchsorted(bands_upper[:-1], values, side="right").astype(np.int64)


def _score_columns(
    state: EngineState, model: RiskModel, d: _Derived, rows: IntArray | None
) -> dict[str, pl.Series]:
    """The columns of :data:`SCORE_COLUMNS` for every row (or for ``rows``, in that order)."""
    n_themes = len(state.themes)
    if rows is None:
        org_id = np.repeat(state.orgs.ids, n_themes)
        theme_id = np.tile(state.themes.ids, len(state.orgs))
    else:
        org_id = state.orgs.ids[rows // n_themes]
        theme_id = state.themes.ids[rows % n_themes]
    li = band_index(np.array([b.upper for b in model.likelihood_bands]), d.likelihood)
    ii = band_index(np.array([b.upper for b in model.impact_bands]), d.impact)
    n_impact = len(model.impact_bands)
    cell = li * n_impact + ii
    class_labels = pl.Series([c.label for row in model.matrix for c in row], dtype=pl.String)
    class_colours = pl.Series([c.colour for row in model.matrix for c in row], dtype=pl.String)
    columns: dict[str, pl.Series] = {
        "org_id": pl.Series(org_id),
        "theme_id": pl.Series(theme_id),
        "score": pl.Series(d.score),
        "likelihood": pl.Series(d.likelihood),
        "impact": pl.Series(d.impact),
        "likelihood_band": pl.Series([b.label for b in model.likelihood_bands], dtype=pl.String).gather(li),
        "impact_band": pl.Series([b.label for b in model.impact_bands], dtype=pl.String).gather(ii),
        "class_label": class_labels.gather(cell),
        "class_colour": class_colours.gather(cell),
    }
    for c in CRITERIA:
        columns[f"contribution_{c}"] = pl.Series(d.contributions[c])
    for c in CRITERIA:
        columns[f"value_{c}"] = pl.Series(d.values[c])
    for c in CRITERIA:
        raw = d.raw[c]
        columns[f"raw_{c}"] = (
            pl.Series(raw, nan_to_null=True) if c == TIME_SINCE_INVESTIGATION else pl.Series(raw)
        )
    columns["impact_size"] = pl.Series(d.impact_size)
    columns["impact_vulnerability"] = pl.Series(d.impact_vulnerability)
    columns["people"] = pl.Series(d.people)
    return {name: series.alias(name) for name, series in columns.items()}


def _patch(frame: pl.DataFrame, positions: IntArray, columns: dict[str, pl.Series]) -> pl.DataFrame:
    """``frame`` with the rows at ``positions`` replaced by ``columns`` (a new frame; ``frame`` is kept:
    a clone shares the data and ``scatter`` copies a column before writing)."""
    if len(positions) == 0:
        return frame
    patched = []
    for name in frame.columns:
        series = frame.get_column(name)
        if name in columns:
            series = series.clone()
            series.scatter(positions, columns[name].cast(series.dtype))
        patched.append(series)
    return pl.DataFrame(patched)


@dataclass(frozen=True)
class _Totals:
    """Full-length score, likelihood and impact per row: what the aggregates read."""

    score: FloatArray
    likelihood: FloatArray
    impact: FloatArray


def assemble(
    state: EngineState,
    model: RiskModel,
    reference_date: date | None,
    reference_period: int,
    changed_rows: IntArray | None = None,
    previous: RiskResult | None = None,
) -> RiskResult:
    """The result of ``state``. With ``previous`` (the result before an incremental update, same
    organisations and themes) only ``changed_rows`` and the groups containing them are recomputed."""
    if previous is None or changed_rows is None:
        d = derive(state, model)
        scores = pl.DataFrame(list(_score_columns(state, model, d, None).values()))
        totals = _Totals(d.score, d.likelihood, d.impact)
        chains = _aggregate_chains(state, model, totals)
        areas = _aggregate_org_groups(
            state, totals, state.areas, state.area_edge_org, state.area_edge_area, "area_id"
        )
        goals = _aggregate_goals(state, totals)
    else:
        rows = np.unique(np.asarray(changed_rows, dtype=np.int64))
        d = derive(state, model, rows)
        scores = _patch(previous.scores, rows, _score_columns(state, model, d, rows))
        totals = _Totals(
            scores.get_column("score").to_numpy(),
            scores.get_column("likelihood").to_numpy(),
            scores.get_column("impact").to_numpy(),
        )
        n_themes = len(state.themes)
        orgs = np.unique(rows // n_themes)
        themes = np.unique(rows % n_themes)
        chains = _aggregate_chains(state, model, totals, previous.chains, orgs)
        areas = _aggregate_org_groups(
            state,
            totals,
            state.areas,
            state.area_edge_org,
            state.area_edge_area,
            "area_id",
            previous.areas,
            orgs,
        )
        goals = _aggregate_goals(state, totals, previous.goals, themes)

    return RiskResult(
        model=model,
        model_version=model.version,
        reference_date=reference_date,
        reference_period=reference_period,
        scores=scores,
        chains=chains,
        areas=areas,
        goals=goals,
        state=state,
        changed=None if changed_rows is None else _keys(state, changed_rows),
    )


def _keys(state: EngineState, rows: IntArray) -> pl.DataFrame:
    n_themes = len(state.themes)
    return pl.DataFrame(
        {"org_id": state.orgs.ids[rows // n_themes], "theme_id": state.themes.ids[rows % n_themes]},
        schema={"org_id": pl.Int64, "theme_id": pl.Int64},
    )


def _evidence_frame(state: EngineState, weight: FloatArray, columns: dict[str, np.ndarray]) -> pl.DataFrame:
    flat = (weight > -np.inf).ravel()
    positions = np.flatnonzero(flat)
    n_themes, top_n = len(state.themes), weight.shape[1]
    rows = positions // top_n
    series = [
        pl.Series("org_id", state.orgs.ids[rows // n_themes]),
        pl.Series("theme_id", state.themes.ids[rows % n_themes]),
        pl.Series("rank", positions % top_n + 1),
    ]
    series += [pl.Series(name, matrix.ravel()[flat]) for name, matrix in columns.items()]
    return pl.DataFrame(series)


def signal_evidence_frame(state: EngineState) -> pl.DataFrame:
    return _evidence_frame(
        state,
        state.ev_signal_weight,
        {
            "signal_id": state.ev_signal_id,
            "weight": state.ev_signal_weight,
            "severity": state.ev_signal_severity,
            "age_days": state.ev_signal_age,
            "general": state.ev_signal_general,
        },
    )


def observation_evidence_frame(state: EngineState) -> pl.DataFrame:
    return _evidence_frame(
        state,
        state.ev_obs_weight,
        {
            "observation_id": state.ev_obs_id,
            "weight": state.ev_obs_weight,
            "indicator_id": state.ev_obs_indicator,
            "period": state.ev_obs_period,
            "breach": state.ev_obs_breach,
            "pressure": state.ev_obs_pressure,
        },
    )


def _aggregate(
    state: EngineState, d: _Totals, rows: IntArray, group: IntArray, n_groups: int
) -> dict[str, pl.Series]:
    n_themes = len(state.themes)
    count = np.bincount(group, minlength=n_groups)
    safe = np.maximum(count, 1)
    score = d.score[rows]
    best = np.full(n_groups, -np.inf)
    np.maximum.at(best, group, score)
    at_best = score == best[group]
    top = np.full(n_groups, state.n_rows, dtype=np.int64)
    np.minimum.at(top, group[at_best], rows[at_best])
    empty = count == 0
    top = np.where(empty, 0, top)
    return {
        "n_rows": pl.Series("n_rows", count.astype(np.int64)),
        "score_max": pl.Series("score_max", np.where(empty, np.nan, best), nan_to_null=True),
        "score_mean": pl.Series("score_mean", sum_by(group, score, n_groups) / safe),
        "likelihood_mean": pl.Series("likelihood_mean", sum_by(group, d.likelihood[rows], n_groups) / safe),
        "impact_mean": pl.Series("impact_mean", sum_by(group, d.impact[rows], n_groups) / safe),
        "top_org_id": pl.Series(
            "top_org_id", state.orgs.ids[top // max(n_themes, 1)] if len(state.orgs) else top
        ),
        "top_theme_id": pl.Series(
            "top_theme_id", state.themes.ids[top % max(n_themes, 1)] if n_themes else top
        ),
    }


def _affected(edge_member: IntArray, edge_group: IntArray, members: IntArray | None) -> IntArray | None:
    """Sorted positions of the groups with one of ``members`` (None: every group)."""
    if members is None:
        return None
    return np.unique(edge_group[np.isin(edge_member, members)])


def _restrict(
    edge_group: IntArray, groups: IntArray | None, n_all: int
) -> tuple[IntArray | None, IntArray, int]:
    """Edges of ``groups`` only (in their order, so per-group sums accumulate exactly as over all edges),
    with the group renumbered 0..len(groups)-1; ``groups`` None: every edge of the ``n_all`` groups."""
    if groups is None:
        return None, edge_group, n_all
    keep = np.flatnonzero(np.isin(edge_group, groups))
    return keep, np.searchsorted(groups, edge_group[keep]), len(groups)


def _aggregate_org_groups(
    state: EngineState,
    d: _Totals,
    groups: IdIndex,
    edge_org: IntArray,
    edge_group: IntArray,
    name: str,
    previous: pl.DataFrame | None = None,
    only_orgs: IntArray | None = None,
) -> pl.DataFrame:
    """One aggregate row per group; with ``previous`` and ``only_orgs`` only the groups of those
    organisations are recomputed and patched into ``previous``."""
    affected = _affected(edge_org, edge_group, only_orgs) if previous is not None else None
    keep, local, n_groups = _restrict(edge_group, affected, len(groups))
    members = edge_org if keep is None else edge_org[keep]
    rows, group = _org_group_rows(state, members, local)
    columns = _aggregate(state, d, rows, group, n_groups)
    n_members = np.bincount(local, minlength=n_groups).astype(np.int64)
    ids = groups.ids if affected is None else groups.ids[affected]
    frame_columns = {name: pl.Series(name, ids), "n_organisations": pl.Series("n_organisations", n_members)}
    frame_columns |= columns
    if previous is None or affected is None:
        return pl.DataFrame(list(frame_columns.values()))
    return _patch(previous, affected, frame_columns)


def _org_group_rows(
    state: EngineState, edge_org: IntArray, edge_group: IntArray
) -> tuple[IntArray, IntArray]:
    n_themes = len(state.themes)
    rows = (edge_org[:, None] * n_themes + np.arange(n_themes, dtype=np.int64)[None, :]).ravel()
    return rows, np.repeat(edge_group, n_themes)


def _aggregate_chains(
    state: EngineState,
    model: RiskModel,
    d: _Totals,
    previous: pl.DataFrame | None = None,
    only_orgs: IntArray | None = None,
) -> pl.DataFrame:
    frame = _aggregate_org_groups(
        state, d, state.chains, state.chain_edge_org, state.chain_edge_chain, "chain_id", previous, only_orgs
    )
    # the chain-level signal load is cheap (one value per chain): always from the state
    return frame.with_columns(
        pl.Series("chain_signal_load", state.chain_load),
        pl.Series("chain_signal_value", saturate(state.chain_load, model.signal_load.k)),
        pl.Series("chain_signal_count", state.chain_signal_count),
    )


def _aggregate_goals(
    state: EngineState,
    d: _Totals,
    previous: pl.DataFrame | None = None,
    only_themes: IntArray | None = None,
) -> pl.DataFrame:
    """Per goal over all organisations × the goal's themes; with ``previous`` and ``only_themes`` only
    the goals of those themes are recomputed."""
    n_themes = len(state.themes)
    n_orgs = len(state.orgs)
    affected = (
        _affected(state.goal_edge_theme, state.goal_edge_goal, only_themes) if previous is not None else None
    )
    keep, local, n_groups = _restrict(state.goal_edge_goal, affected, len(state.goals))
    edge_theme = state.goal_edge_theme if keep is None else state.goal_edge_theme[keep]
    rows = (np.arange(n_orgs, dtype=np.int64)[:, None] * n_themes + edge_theme[None, :]).ravel()
    group = np.tile(local, n_orgs)
    columns = _aggregate(state, d, rows, group, n_groups)
    n_members = np.bincount(local, minlength=n_groups).astype(np.int64)
    ids = state.goals.ids if affected is None else state.goals.ids[affected]
    frame_columns = {"goal_id": pl.Series("goal_id", ids), "n_themes": pl.Series("n_themes", n_members)}
    frame_columns |= columns
    if previous is None or affected is None:
        return pl.DataFrame(list(frame_columns.values()))
    return _patch(previous, affected, frame_columns)
