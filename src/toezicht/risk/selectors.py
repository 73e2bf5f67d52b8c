"""Reads of the risk app. Only complete snapshots are read; visibility by area through ``visible_to``."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import F, FloatField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.formats import get_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from toezicht.accounts.scoping import user_sees_all_areas
from toezicht.register.models import Chain, Organisation, SupervisionArea
from toezicht.risk.engine import CRITERIA, CRITERION_LABELS
from toezicht.risk.engine.explain import dutch_number
from toezicht.risk.models import (
    AggregateKind,
    ModelStatus,
    RiskAggregate,
    RiskModelVersion,
    RiskOverride,
    RiskScore,
    RiskSnapshot,
)
from toezicht.strategy.models import Goal, Theme


def _visible_scores(queryset: QuerySet[RiskScore], user: Any) -> QuerySet[RiskScore]:
    """Scores of organisations the user may see (no filter at all for users who see every area)."""
    if user_sees_all_areas(user):
        return queryset
    return queryset.filter(organisation__in=Organisation.objects.visible_to(user).values("pk"))


def latest_snapshot() -> RiskSnapshot | None:
    return (
        RiskSnapshot.objects.complete()
        .select_related("model_version")
        .order_by("-computed_at", "-id")
        .first()
    )


def snapshots(limit: int | None = None) -> QuerySet[RiskSnapshot]:
    queryset = (
        RiskSnapshot.objects.complete().select_related("model_version", "by").order_by("-computed_at", "-id")
    )
    return queryset[:limit] if limit else queryset


def snapshot_get(pk: int) -> RiskSnapshot:
    return get_object_or_404(RiskSnapshot.objects.complete().select_related("model_version"), pk=pk)


def active_version() -> RiskModelVersion | None:
    return RiskModelVersion.objects.filter(status=ModelStatus.ACTIVE).first()


def _override_subquery(field: str = "score") -> Subquery:
    today = timezone.localdate()
    return Subquery(
        RiskOverride.objects.current(today)
        .filter(organisation_id=OuterRef("organisation_id"), theme_id=OuterRef("theme_id"))
        .order_by("-created_at")
        .values(field)[:1]
    )


def with_overrides(queryset: QuerySet[RiskScore]) -> QuerySet[RiskScore]:
    """Annotate ``override_score``/``override_reason`` and ``final_score`` (override, else computed)."""
    return queryset.annotate(
        override_score=_override_subquery("score"),
        override_reason=_override_subquery("reason"),
        final_score=Coalesce(_override_subquery("score"), F("score"), output_field=FloatField()),
    )


@dataclass(frozen=True)
class ScoreFilter:
    area_id: int | None = None
    theme_id: int | None = None
    type_id: int | None = None
    chain_id: int | None = None
    organisation_id: int | None = None
    min_score: float | None = None
    totals: bool = False  # organisation totals instead of (organisation, theme) rows


def scores(user: Any, snapshot: RiskSnapshot, filters: ScoreFilter) -> QuerySet[RiskScore]:
    """Scores of ``snapshot`` that the user may see, highest final score first."""
    queryset = _visible_scores(RiskScore.objects.filter(snapshot=snapshot), user)
    queryset = queryset.filter(theme__isnull=filters.totals)
    if filters.theme_id:
        queryset = queryset.filter(theme_id=filters.theme_id)
    if filters.organisation_id:
        queryset = queryset.filter(organisation_id=filters.organisation_id)
    if filters.area_id:
        queryset = queryset.filter(
            organisation__in=Organisation.objects.filter(areas__id=filters.area_id).values("pk")
        )
    if filters.type_id:
        queryset = queryset.filter(organisation__type_id=filters.type_id)
    if filters.chain_id:
        queryset = queryset.filter(
            organisation__in=Organisation.objects.filter(chain_memberships__chain_id=filters.chain_id).values(
                "pk"
            )
        )
    queryset = with_overrides(queryset)
    if filters.min_score is not None:
        queryset = queryset.filter(final_score__gte=filters.min_score)  # type: ignore[misc]
    return queryset.select_related("organisation", "organisation__type", "theme").order_by(
        F("final_score").desc(), "organisation_id", "theme_id"
    )


def visible_organisations(user: Any, filters: ScoreFilter) -> QuerySet[Organisation]:
    queryset = Organisation.objects.visible_to(user).select_related("type")
    if filters.area_id:
        queryset = queryset.filter(areas__id=filters.area_id)
    if filters.type_id:
        queryset = queryset.filter(type_id=filters.type_id)
    if filters.chain_id:
        queryset = queryset.filter(chain_memberships__chain_id=filters.chain_id)
    return queryset.order_by("name", "pk")


def heatmap_rows(
    user: Any, snapshot: RiskSnapshot, organisations: list[Organisation], themes: list[Theme]
) -> list[dict[str, Any]]:
    """One row per organisation with one cell per theme (None = no stored score: 0)."""
    ids = [o.pk for o in organisations]
    cells: dict[tuple[int, int | None], Any] = {}
    for score in with_overrides(RiskScore.objects.filter(snapshot=snapshot, organisation_id__in=ids)).only(
        "organisation_id", "theme_id", "score", "cell", "colour"
    ):
        cells[(score.organisation_id, score.theme_id)] = score
    return [
        {
            "organisation": organisation,
            "total": cells.get((organisation.pk, None)),
            "cells": [cells.get((organisation.pk, theme.pk)) for theme in themes],
        }
        for organisation in organisations
    ]


def area_heatmap(user: Any, snapshot: RiskSnapshot, themes: list[Theme]) -> list[dict[str, Any]]:
    """Per visible area and theme: the highest score among the area's visible organisations."""
    from django.db.models import Count, Max

    if getattr(user, "sees_all_areas", False):
        areas = list(SupervisionArea.objects.order_by("name"))
    else:
        areas = list(SupervisionArea.objects.filter(users=user).order_by("name"))
    base = _visible_scores(RiskScore.objects.filter(snapshot=snapshot, theme__isnull=False), user)
    values = (
        base.filter(organisation__areas__in=[a.pk for a in areas])
        .values("organisation__areas", "theme_id")
        .annotate(best=Max("score"), n=Count("id"))
    )
    table = {(v["organisation__areas"], v["theme_id"]): v for v in values}
    return [{"area": area, "cells": [table.get((area.pk, theme.pk)) for theme in themes]} for area in areas]


def matrix_counts(user: Any, snapshot: RiskSnapshot, model: Any) -> list[dict[str, Any]]:
    """The likelihood × impact matrix (highest likelihood band first) with the number of visible
    (organisation, theme) scores in each cell."""
    from django.db.models import Count

    counts = {
        (row["likelihood_band"], row["impact_band"]): row["n"]
        for row in _visible_scores(RiskScore.objects.filter(snapshot=snapshot, theme__isnull=False), user)
        .values("likelihood_band", "impact_band")
        .annotate(n=Count("id"))
    }
    rows = []
    for i in reversed(range(len(model.likelihood_bands))):
        band = model.likelihood_bands[i]
        rows.append(
            {
                "band": band.label,
                "cells": [
                    {
                        "label": model.matrix[i][j].label,
                        "colour": model.matrix[i][j].colour,
                        "impact": impact.label,
                        "count": counts.get((band.label, impact.label), 0),
                    }
                    for j, impact in enumerate(model.impact_bands)
                ],
            }
        )
    return rows


def organisation_scores(user: Any, snapshot: RiskSnapshot, organisation: Organisation) -> list[RiskScore]:
    return list(
        with_overrides(RiskScore.objects.filter(snapshot=snapshot, organisation=organisation))
        .select_related("theme")
        .order_by(F("final_score").desc(), "theme_id")
    )


def organisation_trend(organisation: Organisation, limit: int = 8) -> list[dict[str, Any]]:
    """The organisation total over the last complete snapshots (oldest first)."""
    recent = list(
        RiskSnapshot.objects.complete()
        .order_by("-computed_at", "-id")
        .values_list("pk", "computed_at")[:limit]
    )
    found = dict(
        RiskScore.objects.filter(
            snapshot_id__in=[pk for pk, _ in recent], organisation=organisation, theme__isnull=True
        ).values_list("snapshot_id", "score")
    )
    return [{"snapshot_id": pk, "at": at, "score": found.get(pk, 0.0)} for pk, at in reversed(recent)]


def current_overrides(user: Any, organisation: Organisation) -> QuerySet[RiskOverride]:
    return (
        RiskOverride.objects.current(timezone.localdate())
        .filter(
            organisation=organisation, organisation__in=Organisation.objects.visible_to(user).values("pk")
        )
        .select_related("theme", "created_by")
    )


def chain_aggregate(snapshot: RiskSnapshot, chain: Chain) -> RiskAggregate | None:
    return RiskAggregate.objects.filter(
        snapshot=snapshot, kind=AggregateKind.CHAIN, object_id=chain.pk
    ).first()


# -- plain-language explanation from stored rows ----------------------------------------------------
def criterion_label(criterion: str) -> str:
    """The engine's (Dutch, marked) label of a criterion in the user's language (ADR 0008)."""
    return _(CRITERION_LABELS[criterion]) if criterion in CRITERION_LABELS else criterion


def _number(value: float, digits: int = 1) -> str:
    # dutch_number writes a decimal comma and no thousands separator.
    return dutch_number(value, digits).replace(",", str(get_format("DECIMAL_SEPARATOR")))


def contribution_bars(score: RiskScore) -> list[dict[str, Any]]:
    """Contribution per criterion, heaviest first, with the share of the likelihood in percent."""
    data = score.contributions or {}
    likelihood = score.likelihood or 0.0
    bars = []
    for criterion in CRITERIA:
        value = float(data.get(criterion, 0.0))
        bars.append(
            {
                "key": criterion,
                "label": criterion_label(criterion),
                "contribution": value,
                "normalised": float(data.get(f"value_{criterion}", 0.0)),
                "percent": round(100 * value / likelihood) if likelihood > 0 else 0,
            }
        )
    return sorted(bars, key=lambda b: -b["contribution"])


def explanation_text(score: RiskScore, override_score: float | None = None) -> str:
    """Shown in the user's language; the class and band names are the model's configuration (data)."""
    bars = [b for b in contribution_bars(score) if b["contribution"] > 0][:3]
    parts = [
        _(
            "Score %(score)s (%(cell)s): kans %(likelihood)s (%(likelihood_band)s), "
            "impact %(impact)s (%(impact_band)s)."
        )
        % {
            "score": _number(score.score),
            "cell": score.cell,
            "likelihood": _number(score.likelihood, 2),
            "likelihood_band": score.likelihood_band,
            "impact": _number(score.impact, 2),
            "impact_band": score.impact_band,
        }
    ]
    if bars:
        shares = ", ".join(f"{b['label'].lower()} {b['percent']} %" for b in bars)
        parts.append(_("Grootste bijdragen aan de kans: %(shares)s.") % {"shares": shares})
    evidence = score.evidence or {}
    n_signals, n_obs = len(evidence.get("s", [])), len(evidence.get("o", []))
    if n_signals or n_obs:
        signals = ngettext("%(count)s signaal", "%(count)s signalen", n_signals) % {"count": n_signals}
        observations = ngettext("%(count)s meting", "%(count)s metingen", n_obs) % {"count": n_obs}
        parts.append(
            _("Zwaarst wegend: %(signals)s en %(observations)s.")
            % {"signals": signals, "observations": observations}
        )
    if override_score is not None:
        parts.append(_("Door een inspecteur vastgesteld op %(score)s.") % {"score": _number(override_score)})
    return " ".join(parts)


def evidence_items(score: RiskScore) -> dict[str, list[dict[str, Any]]]:
    evidence = score.evidence or {}
    signals = [
        {"signal_id": int(s[0]), "weight": s[1], "severity": int(s[2]), "age_days": int(s[3])}
        for s in evidence.get("s", [])
    ]
    observations = [
        {
            "observation_id": int(o[0]),
            "weight": o[1],
            "indicator_id": int(o[2]),
            "period": f"{int(o[3]) // 12}-{int(o[3]) % 12 + 1:02d}",
            "breach": bool(o[4]),
            "pressure": o[5],
        }
        for o in evidence.get("o", [])
    ]
    # Several engine rows of one signal (one per theme) may appear; list each signal once.
    seen: set[int] = set()
    unique = []
    for item in signals:
        if item["signal_id"] not in seen:
            seen.add(item["signal_id"])
            unique.append(item)
    return {"signals": unique, "observations": observations}


# -- for the work programme --------------------------------------------------------------------------
@dataclass(frozen=True)
class RiskCandidate:
    organisation_id: int
    organisation_name: str
    theme_id: int
    theme_name: str
    area_ids: tuple[int, ...]
    goal_ids: tuple[int, ...]
    score: float  # final score: an inspector's override when there is one, else the computed score
    likelihood: float
    impact: float
    explanation: str


def top_risks(*, year: int | None = None, limit: int = 200) -> list[RiskCandidate]:
    """The highest (organisation, theme) risks of the latest complete snapshot, overrides applied.

    ``year`` limits ``goal_ids`` to goals of the strategic period covering that year.
    """
    snapshot = latest_snapshot()
    if snapshot is None:
        return []
    rows = list(
        with_overrides(RiskScore.objects.filter(snapshot=snapshot, theme__isnull=False))
        .select_related("organisation", "theme")
        .order_by(F("final_score").desc(), "organisation_id", "theme_id")[: max(0, int(limit))]
    )
    org_ids = {r.organisation_id for r in rows}
    theme_ids = {r.theme_id for r in rows}
    areas: dict[int, list[int]] = {}
    for org_id, area_id in Organisation.areas.through.objects.filter(organisation_id__in=org_ids).values_list(
        "organisation_id", "supervisionarea_id"
    ):
        areas.setdefault(org_id, []).append(area_id)
    goal_query = Goal.objects.filter(themes__in=theme_ids)
    if year is not None:
        goal_query = goal_query.filter(Q(period__start_year__lte=year) & Q(period__end_year__gte=year))
    goals: dict[int, list[int]] = {}
    for theme_id, goal_id in goal_query.values_list("themes", "pk"):
        goals.setdefault(theme_id, []).append(goal_id)
    return [
        RiskCandidate(
            organisation_id=r.organisation_id,
            organisation_name=r.organisation.name,
            theme_id=r.theme_id,  # type: ignore[arg-type]
            theme_name=r.theme.name if r.theme else "",
            area_ids=tuple(sorted(areas.get(r.organisation_id, []))),
            goal_ids=tuple(sorted(set(goals.get(r.theme_id or 0, [])))),
            score=float(r.final_score),  # type: ignore[attr-defined]
            likelihood=r.likelihood,
            impact=r.impact,
            explanation=explanation_text(r, r.override_score),  # type: ignore[attr-defined]
        )
        for r in rows
    ]


def reference_today() -> datetime.date:
    return timezone.localdate()


# -- comparing two snapshots -------------------------------------------------------------------------
def _score_frame(user: Any, snapshot: RiskSnapshot) -> Any:
    import polars as pl

    rows = list(
        _visible_scores(RiskScore.objects.filter(snapshot=snapshot, theme__isnull=False), user).values_list(
            "organisation_id", "theme_id", "score", "likelihood", "impact", "cell", "contributions"
        )
    )
    frame = pl.DataFrame(
        [r[:6] for r in rows],
        schema={
            "org_id": pl.Int64,
            "theme_id": pl.Int64,
            "score": pl.Float64,
            "likelihood": pl.Float64,
            "impact": pl.Float64,
            "cell": pl.String,
        },
        orient="row",
    )
    contributions = {
        c: pl.Series(c, [float((r[6] or {}).get(c, 0.0)) for r in rows], dtype=pl.Float64) for c in CRITERIA
    }
    return frame.with_columns(**contributions)


def compare_snapshots(user: Any, old: RiskSnapshot, new: RiskSnapshot) -> dict[str, Any]:
    """What changed between two snapshots and why (from the stored rows the user may see).

    The change of a row is split in a likelihood part and an impact part (exact for the product:
    100 × (ΔL × mean I + mean L × ΔI)); the likelihood part is divided over the criteria in proportion
    to the change of their contribution. Rows missing in a snapshot scored 0 there (not stored).
    """
    import numpy as np
    import polars as pl

    a, b = _score_frame(user, old), _score_frame(user, new)
    joined = a.join(b, on=["org_id", "theme_id"], how="full", coalesce=True, suffix="_new")
    joined = joined.with_columns(pl.col(pl.Float64).fill_null(0.0), pl.col(pl.String).fill_null("—"))
    delta = (joined["score_new"] - joined["score"]).to_numpy()
    dl = (joined["likelihood_new"] - joined["likelihood"]).to_numpy()
    di = (joined["impact_new"] - joined["impact"]).to_numpy()
    mean_l = ((joined["likelihood_new"] + joined["likelihood"]) / 2).to_numpy()
    mean_i = ((joined["impact_new"] + joined["impact"]) / 2).to_numpy()
    likelihood_part = 100 * dl * mean_i
    effects = {"impact": 100 * di * mean_l}
    safe = np.where(np.abs(dl) > 1e-12, dl, 1.0)
    for c in CRITERIA:
        dc = (joined[f"{c}_new"] - joined[c]).to_numpy()
        effects[c] = np.where(np.abs(dl) > 1e-12, likelihood_part * dc / safe, 0.0)
    effects["model"] = delta - likelihood_part - effects["impact"]
    names = list(effects)
    stacked = (
        np.abs(np.stack([effects[n] for n in names], axis=1)) if len(delta) else np.zeros((0, len(names)))
    )
    labels = {
        **{c: criterion_label(c) for c in CRITERION_LABELS},
        "impact": _("Impact"),
        "model": _("Modelwijziging"),
    }
    main = [labels[names[i]] for i in np.argmax(stacked, axis=1)] if len(delta) else []
    table = joined.select("org_id", "theme_id", "score", "score_new", "cell", "cell_new").with_columns(
        pl.Series("delta", delta), pl.Series("reason", main, dtype=pl.String)
    )
    changed = table.filter(pl.col("delta").abs() > 0.05)
    top = changed.sort(pl.col("delta").abs(), descending=True).head(200)
    organisations = {o.pk: o for o in Organisation.objects.filter(pk__in=top["org_id"].to_list())}
    themes = {t.pk: t for t in Theme.objects.filter(pk__in=top["theme_id"].to_list())}
    rows = [
        {
            **row,
            "organisation": organisations.get(row["org_id"]),
            "theme": themes.get(row["theme_id"]),
        }
        for row in top.iter_rows(named=True)
    ]
    reasons = (
        changed.group_by("reason").agg(pl.len().alias("n")).sort("n", descending=True).iter_rows(named=True)
    )
    return {
        "rows": rows,
        "n_compared": table.height,
        "n_changed": changed.height,
        "n_up": int((changed["delta"] > 0).sum()),
        "n_down": int((changed["delta"] < 0).sum()),
        "n_class_changed": int((table["cell"] != table["cell_new"]).sum()),
        "reasons": list(reasons),
        "model_changed": old.model_version_id != new.model_version_id,
    }
