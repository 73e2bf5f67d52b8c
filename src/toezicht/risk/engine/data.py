"""Engine input: plain polars DataFrames with integer ids, plus the records used by incremental updates.

Column contracts (missing optional columns get the default shown; ids are non-negative integers):

* ``organisations``: org_id, people_served (0), vulnerability 0..1 (0), years_since_investigation
  (null = never investigated), overdue_recommendations (0), open_recommendations (0; open and not overdue)
* ``signals``: signal_id, org_id, theme_id (null = about the organisation as a whole), severity,
  age_days (days before the reference date), people_affected (0), vulnerable (False)
* ``observations``: observation_id, org_id, theme_id, indicator_id, period, pressure 0..1, breach (False)
* ``judgements``: org_id, theme_id, share_not_compliant 0..1, age_days
* ``signal_organisations``: signal_id, org_id: further organisations involved in a signal
* ``org_chains`` (org_id, chain_id), ``org_areas`` (org_id, area_id), ``theme_goals`` (theme_id, goal_id)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import numpy.typing as npt
import polars as pl

from .errors import RiskInputError

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

_ID = pl.Int64
_NUM = pl.Float64

# name -> (dtype, default or None when required); ``_NULLABLE`` marks columns where null is meaningful.
ORGANISATION_COLUMNS: dict[str, tuple[pl.DataType, object]] = {
    "org_id": (_ID(), None),
    "people_served": (_NUM(), 0.0),
    "vulnerability": (_NUM(), 0.0),
    "years_since_investigation": (_NUM(), float("nan")),
    "overdue_recommendations": (_NUM(), 0.0),
    "open_recommendations": (_NUM(), 0.0),
}
SIGNAL_COLUMNS: dict[str, tuple[pl.DataType, object]] = {
    "signal_id": (_ID(), None),
    "org_id": (_ID(), None),
    "theme_id": (_ID(), -1),
    "severity": (_ID(), None),
    "age_days": (_NUM(), None),
    "people_affected": (_NUM(), 0.0),
    "vulnerable": (pl.Boolean(), False),
}
OBSERVATION_COLUMNS: dict[str, tuple[pl.DataType, object]] = {
    "observation_id": (_ID(), None),
    "org_id": (_ID(), None),
    "theme_id": (_ID(), None),
    "indicator_id": (_ID(), None),
    "period": (_ID(), None),
    "pressure": (_NUM(), None),
    "breach": (pl.Boolean(), False),
}
JUDGEMENT_COLUMNS: dict[str, tuple[pl.DataType, object]] = {
    "org_id": (_ID(), None),
    "theme_id": (_ID(), None),
    "share_not_compliant": (_NUM(), None),
    "age_days": (_NUM(), None),
}
SIGNAL_ORGANISATION_COLUMNS: dict[str, tuple[pl.DataType, object]] = {
    "signal_id": (_ID(), None),
    "org_id": (_ID(), None),
}
_NULLABLE = {"theme_id@signalen", "years_since_investigation@organisaties"}


@dataclass(frozen=True)
class RiskInput:
    """Everything the engine needs for one full computation. ``None`` frames mean "none of these"."""

    organisations: pl.DataFrame
    theme_ids: Sequence[int] | IntArray
    signals: pl.DataFrame | None = None
    observations: pl.DataFrame | None = None
    judgements: pl.DataFrame | None = None
    signal_organisations: pl.DataFrame | None = None
    org_chains: pl.DataFrame | None = None
    org_areas: pl.DataFrame | None = None
    theme_goals: pl.DataFrame | None = None
    reference_date: date | None = None
    #: Latest period that counts; default: the highest period among the observations (0 without any).
    reference_period: int | None = None


@dataclass(frozen=True)
class NewSignal:
    """One signal for :func:`add_signal`; ``age_days`` is relative to the result's reference date."""

    signal_id: int
    org_id: int
    theme_id: int | None
    severity: int
    age_days: float
    people_affected: float = 0.0
    vulnerable: bool = False
    involved_org_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class NewObservation:
    """One indicator observation for :func:`add_observation`; ``period`` on the result's period axis."""

    observation_id: int
    org_id: int
    theme_id: int
    indicator_id: int
    period: int
    pressure: float
    breach: bool = False


@dataclass(frozen=True)
class NewJudgement:
    org_id: int
    theme_id: int
    share_not_compliant: float
    age_days: float


_NUMPY_TYPES: dict[type[pl.DataType], type[np.generic]] = {
    pl.Int64: np.int64,
    pl.Float64: np.float64,
    pl.Boolean: np.bool_,
}


def conform(
    frame: pl.DataFrame | None, columns: dict[str, tuple[pl.DataType, object]], what: str
) -> dict[str, npt.NDArray[Any]]:
    """Check and cast the contract columns of ``frame`` and return them as numpy arrays."""
    height = 0 if frame is None else frame.height
    messages: list[str] = []
    out: dict[str, npt.NDArray[Any]] = {}
    for name, (dtype, default) in columns.items():
        numpy_type = _NUMPY_TYPES[type(dtype)]
        if frame is None or name not in frame.columns:
            if default is None and frame is not None:
                messages.append(f"Kolom '{name}' ontbreekt in de {what}.")
            out[name] = np.full(height, 0 if default is None else default, dtype=numpy_type)
            continue
        series = frame.get_column(name)
        nullable = f"{name}@{what}" in _NULLABLE
        if series.null_count() and not nullable:
            messages.append(f"Kolom '{name}' in de {what} bevat lege waarden.")
            continue
        if series.dtype != dtype:
            try:
                series = series.cast(dtype, strict=True)
            except (pl.exceptions.InvalidOperationError, pl.exceptions.ComputeError):
                messages.append(f"Kolom '{name}' in de {what} bevat waarden van het verkeerde type.")
                continue
        if nullable:
            series = series.fill_null(default)
        values = series.to_numpy()
        if numpy_type is np.float64 and not nullable and np.isnan(values).any():
            messages.append(f"Kolom '{name}' in de {what} bevat lege waarden.")
        out[name] = values
    if messages:
        raise RiskInputError(messages)
    return out


class IdIndex:
    """Maps arbitrary non-negative integer ids to dense positions 0..n-1 (of a sorted id array)."""

    def __init__(self, ids: IntArray, what: str) -> None:
        ids = np.asarray(ids, dtype=np.int64)
        self.ids = np.unique(ids)
        if len(self.ids) != len(ids):
            raise RiskInputError([f"De {what} bevatten dubbele ids."])
        if len(ids) and self.ids[0] < 0:
            raise RiskInputError([f"De ids van de {what} mogen niet negatief zijn."])
        self.what = what
        top = int(self.ids[-1]) + 1 if len(self.ids) else 0
        self._lut: IntArray | None = None
        if top <= max(1024, 8 * len(self.ids)):
            lut = np.full(top, -1, dtype=np.int64)
            lut[self.ids] = np.arange(len(self.ids), dtype=np.int64)
            self._lut = lut

    def __len__(self) -> int:
        return len(self.ids)

    def lookup(self, values: npt.NDArray[Any], referrer: str) -> IntArray:
        """Positions of ``values``; raises a Dutch :class:`RiskInputError` for ids that are unknown."""
        values = np.asarray(values, dtype=np.int64)
        if self._lut is not None:
            inside = (values >= 0) & (values < len(self._lut))
            pos = np.where(inside, self._lut[np.where(inside, values, 0)], -1)
        elif len(self.ids):
            found = np.minimum(np.searchsorted(self.ids, values), len(self.ids) - 1)
            pos = np.where(self.ids[found] == values, found, -1)
        else:
            pos = np.full(len(values), -1, dtype=np.int64)
        bad = pos < 0
        if bad.any():
            unknown = np.unique(values[bad])
            shown = ", ".join(str(int(v)) for v in unknown[:5])
            more = f" (en {len(unknown) - 5} meer)" if len(unknown) > 5 else ""
            raise RiskInputError([f"De {referrer} verwijzen naar onbekende {self.what}: {shown}{more}."])
        return pos.astype(np.int64, copy=False)

    def position(self, value: int, referrer: str) -> int:
        return int(self.lookup(np.array([value], dtype=np.int64), referrer)[0])
