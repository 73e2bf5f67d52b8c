"""Result of a computation, including the accumulated raw sums needed for incremental updates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cached_property
from typing import Any

import polars as pl

from .data import BoolArray, FloatArray, IdIndex, IntArray
from .model import RiskModel


@dataclass(frozen=True)
class EngineState:
    """Accumulators and lookups. Row ``r = org_position * n_themes + theme_position``.

    Every sum here is accumulated in input order (``np.bincount``), so appending one record and adding its
    term to the sum yields bit-for-bit the same number as a full recomputation with that record appended.
    """

    orgs: IdIndex
    themes: IdIndex
    # organisation attributes, in org position order
    people_served: FloatArray
    vulnerability: FloatArray
    years_since_investigation: FloatArray  # NaN = never investigated
    overdue_recommendations: FloatArray
    open_recommendations: FloatArray
    # signal sums: specific per row, theme-less ("general") per organisation
    signal_specific: FloatArray
    signal_general: FloatArray
    vulnerable_specific: FloatArray
    vulnerable_general: FloatArray
    people_specific: FloatArray
    people_general: FloatArray
    # observation and judgement sums per row
    breaches: FloatArray
    judgements: FloatArray
    # least-squares sufficient statistics per (row, indicator) in the window, sorted by key
    indicator_keys: IntArray  # (row << 32) | indicator_id
    indicator_n: FloatArray
    indicator_sx: FloatArray
    indicator_sy: FloatArray
    indicator_sxy: FloatArray
    indicator_sxx: FloatArray
    # chains, areas, goals: membership edges (positions) and chain-level signal sums
    chains: IdIndex
    chain_edge_org: IntArray
    chain_edge_chain: IntArray
    chain_load: FloatArray
    chain_signal_count: IntArray
    areas: IdIndex
    area_edge_org: IntArray
    area_edge_area: IntArray
    goals: IdIndex
    goal_edge_theme: IntArray
    goal_edge_goal: IntArray
    # evidence: (rows, top_n) matrices, best first; empty slots have weight -inf
    ev_signal_id: IntArray
    ev_signal_weight: FloatArray
    ev_signal_severity: IntArray
    ev_signal_age: FloatArray
    ev_signal_general: BoolArray
    ev_obs_id: IntArray
    ev_obs_weight: FloatArray
    ev_obs_indicator: IntArray
    ev_obs_period: IntArray
    ev_obs_breach: BoolArray
    ev_obs_pressure: FloatArray
    n_signals: int
    n_observations: int
    n_judgements: int

    @property
    def n_rows(self) -> int:
        return len(self.orgs) * len(self.themes)


@dataclass(frozen=True)
class RiskResult:
    """Output of :func:`compute` / the incremental updates.

    * ``scores``: one row per (org_id, theme_id), see :data:`compute.SCORE_COLUMNS`
    * ``signal_evidence`` / ``observation_evidence``: top-N evidence per (org_id, theme_id),
      ``rank`` 1 = heaviest
    * ``chains`` / ``areas`` / ``goals``: aggregates per group
    """

    model: RiskModel
    model_version: int
    reference_date: date | None
    reference_period: int
    scores: pl.DataFrame
    chains: pl.DataFrame
    areas: pl.DataFrame
    goals: pl.DataFrame
    state: EngineState
    #: (org_id, theme_id) rows changed by the incremental update that produced this result; None after
    #: a full computation (everything is new).
    changed: pl.DataFrame | None = None

    @cached_property
    def signal_evidence(self) -> pl.DataFrame:
        """org_id, theme_id, rank, signal_id, weight, severity, age_days, general (built on first use)."""
        from .compute import signal_evidence_frame

        return signal_evidence_frame(self.state)

    @cached_property
    def observation_evidence(self) -> pl.DataFrame:
        """org_id, theme_id, rank, observation_id, weight, indicator_id, period, breach, pressure."""
        from .compute import observation_evidence_frame

        return observation_evidence_frame(self.state)

    def row(self, org_id: int, theme_id: int) -> dict[str, Any]:
        """The scores row of one (org_id, theme_id) as a dict."""
        s = self.state
        position = s.orgs.position(org_id, "opgevraagde scores") * len(s.themes) + s.themes.position(
            theme_id, "opgevraagde scores"
        )
        return self.scores.row(position, named=True)
