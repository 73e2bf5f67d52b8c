"""Comparison of two results (snapshots), possibly computed with different model versions.

The score change of a row is split into named effects (in score points) that add up to the change:

* likelihood versus impact: the two-player Shapley split of f(L1, I1) - f(L0, I0), with f the new model's
  combination (for ``product`` this is 100 * (dL * mean(I) + mean(L) * dI));
* the likelihood part is divided over the criteria in proportion to their contribution changes
  (contributions add up to the likelihood, so these add up to the likelihood part);
* ``effect_model``: what is left when the old model combined L and I differently.

``main_reason`` is the effect with the largest absolute value.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from .compute import combine
from .model import CRITERIA, CRITERION_LABELS, IMPACT_LABEL
from .result import RiskResult

EFFECTS: tuple[str, ...] = (*CRITERIA, "impact", "model")
EFFECT_LABELS: dict[str, str] = {
    **CRITERION_LABELS,
    "impact": IMPACT_LABEL,
    "model": "Modelwijziging",
    "added": "Nieuwe combinatie",
    "removed": "Vervallen combinatie",
    "none": "Geen wijziging",
}


@dataclass(frozen=True)
class ResultDiff:
    old_version: int
    new_version: int
    #: org_id, theme_id, old_score, new_score, delta, abs_delta, old_class, new_class, class_changed, changed,
    #: effect_<criterion>/effect_impact/effect_model, main_reason, main_reason_label; largest |delta| first
    rows: pl.DataFrame
    #: org_id, old_rank, new_rank, old_max_score, new_max_score (organisations ranked by their highest score)
    entered_top: pl.DataFrame
    left_top: pl.DataFrame
    top_n: int


def _top(scores: pl.DataFrame, top_n: int) -> pl.DataFrame:
    return (
        scores.group_by("org_id")
        .agg(pl.col("score").max().alias("max_score"))
        .sort(["max_score", "org_id"], descending=[True, False])
        .with_row_index("rank", offset=1)
        .head(top_n)
    )


def compare_results(
    old: RiskResult, new: RiskResult, *, top_n: int = 10, tolerance: float = 1e-9
) -> ResultDiff:
    """Per (org, theme): old/new score and class, delta and its causes; plus entries/exits of the top N."""
    keep = ["org_id", "theme_id", "score", "likelihood", "impact", "class_label"] + [
        f"contribution_{c}" for c in CRITERIA
    ]
    joined = old.scores.select(keep).join(
        new.scores.select(keep), on=["org_id", "theme_id"], how="full", coalesce=True, suffix="_new"
    )
    present_old = joined["score"].is_not_null().to_numpy()
    present_new = joined["score_new"].is_not_null().to_numpy()

    def arr(name: str) -> np.ndarray:
        return joined[name].fill_null(0.0).to_numpy().astype(np.float64)

    l0, l1, i0, i1 = arr("likelihood"), arr("likelihood_new"), arr("impact"), arr("impact_new")
    s0, s1 = arr("score"), arr("score_new")
    model = new.model
    f00, f11 = combine(model, l0, i0), combine(model, l1, i1)
    f10, f01 = combine(model, l1, i0), combine(model, l0, i1)
    likelihood_part = 0.5 * ((f10 - f00) + (f11 - f01))
    impact_part = 0.5 * ((f01 - f00) + (f11 - f10))
    dl = l1 - l0
    effects: dict[str, np.ndarray] = {}
    safe = np.where(np.abs(dl) > 1e-15, dl, 1.0)
    for c in CRITERIA:
        dc = arr(f"contribution_{c}_new") - arr(f"contribution_{c}")
        effects[c] = np.where(np.abs(dl) > 1e-15, likelihood_part * dc / safe, 0.0)
    effects["impact"] = impact_part
    effects["model"] = (s1 - s0) - (f11 - f00)
    both = present_old & present_new
    for name in effects:
        effects[name] = np.where(both, effects[name], np.nan)

    stacked = np.abs(np.nan_to_num(np.stack([effects[e] for e in EFFECTS], axis=1)))
    main = (
        np.array(EFFECTS, dtype=object)[np.argmax(stacked, axis=1)] if len(stacked) else np.array([], object)
    )
    delta = s1 - s0
    class_changed = (joined["class_label"] != joined["class_label_new"]).fill_null(True).to_numpy()
    changed = (np.abs(delta) > tolerance) | class_changed | ~both
    reason = np.where(
        ~present_old, "added", np.where(~present_new, "removed", np.where(changed, main, "none"))
    )
    rows = (
        pl.DataFrame(
            [
                joined["org_id"],
                joined["theme_id"],
                joined["score"].alias("old_score"),
                joined["score_new"].alias("new_score"),
                pl.Series("delta", delta),
                pl.Series("abs_delta", np.abs(delta)),
                joined["class_label"].alias("old_class"),
                joined["class_label_new"].alias("new_class"),
                pl.Series("class_changed", class_changed),
                pl.Series("changed", changed),
                *(pl.Series(f"effect_{e}", effects[e], nan_to_null=True) for e in EFFECTS),
                pl.Series("main_reason", reason.astype(str)),
            ]
        )
        .with_columns(pl.col("main_reason").replace_strict(EFFECT_LABELS).alias("main_reason_label"))
        .sort(["abs_delta", "org_id", "theme_id"], descending=[True, False, False])
    )

    old_top, new_top = _top(old.scores, top_n), _top(new.scores, top_n)
    old_rank = _top(old.scores, 2**31).rename({"rank": "old_rank", "max_score": "old_max_score"})
    new_rank = _top(new.scores, 2**31).rename({"rank": "new_rank", "max_score": "new_max_score"})
    ranks = old_rank.join(new_rank, on="org_id", how="full", coalesce=True).select(
        "org_id", "old_rank", "new_rank", "old_max_score", "new_max_score"
    )
    entered = ranks.filter(
        pl.col("org_id").is_in(new_top["org_id"].implode())
        & ~pl.col("org_id").is_in(old_top["org_id"].implode())
    ).sort("new_rank")
    left = ranks.filter(
        pl.col("org_id").is_in(old_top["org_id"].implode())
        & ~pl.col("org_id").is_in(new_top["org_id"].implode())
    ).sort("old_rank")
    return ResultDiff(
        old_version=old.model_version,
        new_version=new.model_version,
        rows=rows,
        entered_top=entered,
        left_top=left,
        top_n=top_n,
    )
