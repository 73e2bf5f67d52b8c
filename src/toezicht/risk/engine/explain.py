"""Plain-Dutch explanation of one (organisation, theme) score."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .model import (
    CRITERIA,
    CRITERION_LABELS,
    INDICATOR_PRESSURE,
    JUDGEMENTS,
    LEARNING_CAPACITY,
    NORM_BREACHES,
    SIGNAL_LOAD,
    TIME_SINCE_INVESTIGATION,
)
from .result import RiskResult

_Record = dict[str, Any]


@dataclass(frozen=True)
class CriterionExplanation:
    key: str
    label: str
    raw_value: float | None
    value: float  # normalised 0..1
    weight: float
    contribution: float  # weight * value / sum(weights); these add up to the likelihood
    share: float  # contribution / likelihood (0 when the likelihood is 0)


@dataclass(frozen=True)
class EvidenceItem:
    kind: str  # "signal" | "observation"
    source_id: int
    weight: float
    description: str


@dataclass(frozen=True)
class Explanation:
    org_id: int
    theme_id: int
    model_version: int
    score: float
    likelihood: float
    impact: float
    likelihood_band: str
    impact_band: str
    class_label: str
    class_colour: str
    criteria: tuple[CriterionExplanation, ...]  # heaviest contribution first
    impact_size: float
    impact_vulnerability: float
    people: float
    evidence: tuple[EvidenceItem, ...]  # signals first, then observations, heaviest first
    summary: str


def dutch_number(value: float, digits: int = 1) -> str:
    text = f"{value:.{digits}f}".replace(".", ",")
    if digits and "," in text:
        text = text.rstrip("0").rstrip(",")
    return text


def _plural(count: int, singular: str, plural: str) -> str:
    return f"{count} {singular if count == 1 else plural}"


def _row_evidence(result: RiskResult, org_id: int, theme_id: int) -> tuple[list[_Record], list[_Record]]:
    """The evidence of one row, read straight from the result's state (best first)."""
    st = result.state
    row = st.orgs.position(org_id, "opgevraagde scores") * len(st.themes)
    row += st.themes.position(theme_id, "opgevraagde scores")
    signals = [
        {
            "signal_id": int(st.ev_signal_id[row, k]),
            "weight": float(st.ev_signal_weight[row, k]),
            "severity": int(st.ev_signal_severity[row, k]),
            "age_days": float(st.ev_signal_age[row, k]),
            "general": bool(st.ev_signal_general[row, k]),
        }
        for k in range(st.ev_signal_weight.shape[1])
        if st.ev_signal_weight[row, k] > -np.inf
    ]
    observations = [
        {
            "observation_id": int(st.ev_obs_id[row, k]),
            "weight": float(st.ev_obs_weight[row, k]),
            "indicator_id": int(st.ev_obs_indicator[row, k]),
            "period": int(st.ev_obs_period[row, k]),
            "breach": bool(st.ev_obs_breach[row, k]),
            "pressure": float(st.ev_obs_pressure[row, k]),
        }
        for k in range(st.ev_obs_weight.shape[1])
        if st.ev_obs_weight[row, k] > -np.inf
    ]
    return signals, observations


def explain(result: RiskResult, org_id: int, theme_id: int) -> Explanation:
    """Explain the score of ``(org_id, theme_id)`` in ``result``."""
    row = result.row(org_id, theme_id)
    model = result.model
    weights = model.weights()
    likelihood = float(row["likelihood"])
    criteria = tuple(
        sorted(
            (
                CriterionExplanation(
                    key=c,
                    label=CRITERION_LABELS[c],
                    raw_value=row[f"raw_{c}"],
                    value=float(row[f"value_{c}"]),
                    weight=weights[c],
                    contribution=float(row[f"contribution_{c}"]),
                    share=float(row[f"contribution_{c}"]) / likelihood if likelihood > 0 else 0.0,
                )
                for c in CRITERIA
            ),
            key=lambda item: (-item.contribution, CRITERIA.index(item.key)),
        )
    )
    signals, observations = _row_evidence(result, org_id, theme_id)
    evidence: list[EvidenceItem] = []
    for sg in signals:
        general = ", zonder thema" if sg["general"] else ""
        evidence.append(
            EvidenceItem(
                "signal",
                sg["signal_id"],
                sg["weight"],
                f"Signaal {sg['signal_id']}: ernst {sg['severity']}, "
                f"{dutch_number(sg['age_days'], 0)} dagen oud{general}",
            )
        )
    for ob in observations:
        what = "normoverschrijding" if ob["breach"] else f"druk {dutch_number(ob['pressure'], 2)}"
        evidence.append(
            EvidenceItem(
                "observation",
                ob["observation_id"],
                ob["weight"],
                f"Observatie {ob['observation_id']} (indicator {ob['indicator_id']}, "
                f"periode {ob['period']}): {what}",
            )
        )
    return Explanation(
        org_id=org_id,
        theme_id=theme_id,
        model_version=result.model_version,
        score=float(row["score"]),
        likelihood=likelihood,
        impact=float(row["impact"]),
        likelihood_band=row["likelihood_band"],
        impact_band=row["impact_band"],
        class_label=row["class_label"],
        class_colour=row["class_colour"],
        criteria=criteria,
        impact_size=float(row["impact_size"]),
        impact_vulnerability=float(row["impact_vulnerability"]),
        people=float(row["people"]),
        evidence=tuple(evidence),
        summary=_summary(result, row, criteria[0], signals, observations),
    )


def _summary(
    result: RiskResult,
    row: dict[str, Any],
    main: CriterionExplanation,
    signals: list[_Record],
    observations: list[_Record],
) -> str:
    if main.contribution <= 0:
        return "Er zijn geen aanwijzingen voor een verhoogde kans."
    percentage = round(main.share * 100)
    head = f"{main.label} draagt {percentage} % bij aan de kans"
    model = result.model
    if main.key == SIGNAL_LOAD:
        recent = [sg for sg in signals if sg["age_days"] <= model.signal_load.half_life_days]
        if recent:
            top = max(sg["severity"] for sg in recent)
            heaviest = sum(1 for sg in recent if sg["severity"] == top)
            detail = f"vooral door {_plural(len(recent), 'recent signaal', 'recente signalen')}"
            detail += f" (waarvan {heaviest} met ernst {top})" if len(recent) > 1 else f" (ernst {top})"
        else:
            detail = f"vooral door {_plural(len(signals), 'ouder signaal', 'oudere signalen')}"
    elif main.key == NORM_BREACHES:
        count = sum(1 for ob in observations if ob["breach"])
        detail = f"vooral door {_plural(count, 'recente normoverschrijding', 'recente normoverschrijdingen')}"
    elif main.key == INDICATOR_PRESSURE:
        detail = f"vooral door een gemiddelde indicatordruk van {dutch_number(main.value, 2)}"
    elif main.key == JUDGEMENTS:
        detail = "vooral door recente oordelen waarin normen niet zijn voldaan"
    elif main.key == LEARNING_CAPACITY:
        s = result.state
        org = s.orgs.position(int(row["org_id"]), "opgevraagde scores")
        overdue = int(s.overdue_recommendations[org])
        opened = int(s.open_recommendations[org])
        detail = (
            f"vooral door {_plural(overdue, 'achterstallige aanbeveling', 'achterstallige aanbevelingen')}"
            f" en {opened} openstaande"
        )
    else:
        assert main.key == TIME_SINCE_INVESTIGATION
        if main.raw_value is None:
            detail = "vooral doordat de organisatie nog nooit is onderzocht"
        else:
            detail = f"vooral doordat het laatste onderzoek {dutch_number(main.raw_value)} jaar geleden was"
    return f"{head}, {detail}."
