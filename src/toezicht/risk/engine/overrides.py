"""Professional-judgement overrides: the computed score stays visible next to the final one."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import polars as pl

from .errors import RiskInputError


@dataclass(frozen=True)
class Override:
    org_id: int
    theme_id: int
    score: float  # 0..100
    reason: str = ""


def apply_overrides(scores: pl.DataFrame, overrides: pl.DataFrame | Iterable[Override]) -> pl.DataFrame:
    """``scores`` plus ``final_score`` (override or computed score), ``overridden`` and ``override_reason``.

    ``overrides`` is a DataFrame with org_id, theme_id, score and optionally reason, or ``Override`` records.
    The computed ``score`` column is left unchanged.
    """
    if isinstance(overrides, pl.DataFrame):
        frame = overrides
        if "reason" not in frame.columns:
            frame = frame.with_columns(pl.lit("").alias("reason"))
    else:
        items = list(overrides)
        frame = pl.DataFrame(
            {
                "org_id": [o.org_id for o in items],
                "theme_id": [o.theme_id for o in items],
                "score": [float(o.score) for o in items],
                "reason": [o.reason for o in items],
            },
            schema={"org_id": pl.Int64, "theme_id": pl.Int64, "score": pl.Float64, "reason": pl.String},
        )
    frame = frame.select(
        pl.col("org_id").cast(pl.Int64),
        pl.col("theme_id").cast(pl.Int64),
        pl.col("score").cast(pl.Float64).alias("override_score"),
        pl.col("reason").cast(pl.String).fill_null("").alias("override_reason"),
    )
    messages: list[str] = []
    for row in frame.filter(
        pl.col("override_score").is_null() | (pl.col("override_score") < 0) | (pl.col("override_score") > 100)
    ).iter_rows(named=True):
        messages.append(
            f"De vastgestelde score voor organisatie {row['org_id']} en thema {row['theme_id']} "
            f"moet tussen 0 en 100 liggen."
        )
    for row in (
        frame.filter(pl.struct("org_id", "theme_id").is_duplicated())
        .unique(["org_id", "theme_id"])
        .iter_rows(named=True)
    ):
        messages.append(
            f"Voor organisatie {row['org_id']} en thema {row['theme_id']} is meer dan één score vastgesteld."
        )
    for row in frame.join(
        scores.select("org_id", "theme_id"), on=["org_id", "theme_id"], how="anti"
    ).iter_rows(named=True):
        messages.append(
            f"Er is geen berekende risicoscore voor organisatie {row['org_id']} en thema {row['theme_id']}."
        )
    if messages:
        raise RiskInputError(messages)
    joined = scores.join(frame, on=["org_id", "theme_id"], how="left", maintain_order="left")
    return joined.with_columns(
        pl.col("override_score").is_not_null().alias("overridden"),
        pl.coalesce("override_score", "score").alias("final_score"),
    ).drop("override_score")
