"""Breach detection: which observations violate which norm, and by how much. Pure numpy, no Django.

A norm with comparison ``max`` is breached when the value is above the threshold, ``min`` when it is
below. A value exactly on the threshold meets the norm. The relative excess (how far past the threshold,
as a share of the threshold) sets the severity of the signal a breach produces.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]

# Upper bounds of the relative excess for each severity code; above the last: "zeer-hoog".
SEVERITY_STEPS: tuple[tuple[float, str], ...] = ((0.10, "laag"), (0.25, "midden"), (0.50, "hoog"))
SEVERITY_TOP = "zeer-hoog"


@dataclass(frozen=True)
class NormSpec:
    """What detection needs of a norm: its id, the indicator it measures, the threshold, the comparison."""

    norm_id: int
    indicator_id: int
    threshold: float
    at_most: bool


@dataclass(frozen=True)
class Breaches:
    """Parallel arrays, one element per breach: index into the observations, into the norms, excess."""

    observation: IntArray
    norm: IntArray
    excess: FloatArray

    def __len__(self) -> int:
        return int(self.observation.size)


def relative_excess(value: FloatArray, threshold: float, at_most: bool) -> FloatArray:
    """How far past the threshold, as a share of it (0.2 = 20 % over a maximum or under a minimum)."""
    scale = abs(threshold) if threshold != 0 else 1.0
    over = (value - threshold) if at_most else (threshold - value)
    return np.asarray(over / scale, dtype=np.float64)


def detect(
    indicator_ids: Sequence[int] | IntArray,
    values: Sequence[float] | FloatArray,
    norms: Sequence[NormSpec],
) -> Breaches:
    """Every (observation, norm) pair where the observation's indicator is the norm's and the value
    violates the threshold. Missing values (NaN) never breach."""
    indicators = np.asarray(indicator_ids, dtype=np.int64)
    numbers = np.asarray(values, dtype=np.float64)
    if indicators.shape != numbers.shape:
        raise ValueError("indicator_ids and values must have the same length")
    obs_parts: list[IntArray] = []
    norm_parts: list[IntArray] = []
    excess_parts: list[FloatArray] = []
    for position, norm in enumerate(norms):
        candidates = np.flatnonzero(indicators == norm.indicator_id)
        if candidates.size == 0:
            continue
        excess = relative_excess(numbers[candidates], norm.threshold, norm.at_most)
        hit = excess > 0  # NaN compares False: no breach
        chosen = candidates[hit]
        obs_parts.append(chosen.astype(np.int64))
        norm_parts.append(np.full(chosen.size, position, dtype=np.int64))
        excess_parts.append(excess[hit])
    if not obs_parts:
        empty_int = np.zeros(0, dtype=np.int64)
        return Breaches(empty_int, empty_int.copy(), np.zeros(0, dtype=np.float64))
    return Breaches(np.concatenate(obs_parts), np.concatenate(norm_parts), np.concatenate(excess_parts))


def severity_code(excess: float) -> str:
    """Severity of one breach: up to 10 % past the threshold 'laag', up to 25 % 'midden', up to 50 %
    'hoog', beyond that 'zeer-hoog'."""
    for bound, code in SEVERITY_STEPS:
        if excess <= bound:
            return code
    return SEVERITY_TOP


def severity_codes(excess: FloatArray) -> list[str]:
    codes = np.array([code for _, code in SEVERITY_STEPS] + [SEVERITY_TOP], dtype=object)
    bounds = np.array([bound for bound, _ in SEVERITY_STEPS], dtype=np.float64)
    return list(codes[np.searchsorted(bounds, np.asarray(excess, dtype=np.float64), side="left")])
