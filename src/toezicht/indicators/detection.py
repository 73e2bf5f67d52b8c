"""The database side of breach detection: load norms, run the pure ``breaches.detect``, and write the
breaches with one signal of source "norm_breach" each, in bulk.

An observation is unique per indicator, organisation and period, and a norm measures one indicator, so
one breach is one organisation, one norm and one period: exactly one signal for it. Called inside the
transaction that created the observations, with only those (new) observations.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.utils import timezone

from toezicht.core.tabular._text import display_value
from toezicht.indicators.breaches import NormSpec, detect, severity_codes
from toezicht.indicators.models import Comparison, Indicator, Norm, NormBreach
from toezicht.indicators.periods import period_label
from toezicht.register.models import Organisation
from toezicht.signals.models import SeverityLevel, Signal, SignalEvent, SignalStatus, SourceType
from toezicht.signals.services import format_reference, handling_deadline, highest_reference_numbers

SOURCE_CODE = "norm_breach"
BATCH = 2_000


@dataclass
class ObservationArrays:
    """New observations as parallel arrays (ids, indicator ids, organisation ids, period starts, values)."""

    ids: list[int]
    indicators: list[int]
    organisations: list[int]
    periods: list[datetime.date]
    values: list[float]

    @classmethod
    def from_rows(cls, rows: Sequence[tuple[int, int, int, datetime.date, float]]) -> ObservationArrays:
        if not rows:
            return cls([], [], [], [], [])
        ids, indicators, organisations, periods, values = (list(column) for column in zip(*rows, strict=True))
        return cls(ids, indicators, organisations, periods, values)

    def __len__(self) -> int:
        return len(self.ids)


@dataclass(frozen=True)
class DetectionResult:
    breach_ids: list[int]
    signal_ids: list[int]


def active_norms(indicator_ids: Sequence[int] | None = None) -> list[Norm]:
    norms = Norm.objects.filter(active=True, indicator__isnull=False, threshold__isnull=False)
    if indicator_ids is not None:
        norms = norms.filter(indicator_id__in=sorted(set(indicator_ids)))
    return list(norms.select_related("indicator", "indicator__theme").order_by("pk"))


def norm_specs(norms: Sequence[Norm]) -> list[NormSpec]:
    return [
        NormSpec(
            norm_id=norm.pk,
            indicator_id=int(norm.indicator_id),  # type: ignore[arg-type]
            threshold=float(norm.threshold),  # type: ignore[arg-type]
            at_most=norm.comparison == Comparison.AT_MOST,
        )
        for norm in norms
    ]


def _format(value: float, unit: str) -> str:
    text = display_value(round(float(value), 2))
    return f"{text} {unit}".strip() if unit != "%" else f"{text}%"


def breaches_record(
    observations: ObservationArrays, *, by: Any = None, norms: Sequence[Norm] | None = None
) -> DetectionResult:
    """Detect breaches among new observations; write NormBreach rows and their signals in bulk."""
    if not len(observations):
        return DetectionResult([], [])
    if norms is None:
        norms = active_norms(observations.indicators)
    if not norms:
        return DetectionResult([], [])
    found = detect(
        np.asarray(observations.indicators, dtype=np.int64),
        np.asarray(observations.values, dtype=np.float64),
        norm_specs(norms),
    )
    if not len(found):
        return DetectionResult([], [])
    # Seeded by the signals migrations; recreated with the same values if an administrator removed it.
    source, _ = SourceType.objects.get_or_create(
        code=SOURCE_CODE,
        defaults={"name": "Normoverschrijding", "deadline_amount": 10, "deadline_unit": "werkdagen"},
    )
    severities = {level.code: level for level in SeverityLevel.objects.all()}
    fallback = max(severities.values(), key=lambda level: level.rank) if severities else None
    organisation_ids = sorted({observations.organisations[i] for i in found.observation.tolist()})
    names = dict(Organisation.objects.filter(pk__in=_chunked_ok(organisation_ids)).values_list("pk", "name"))
    through = Organisation.areas.through
    areas: dict[int, int] = {}
    for organisation_id, area_id in through.objects.filter(
        organisation_id__in=_chunked_ok(organisation_ids)
    ).values_list("organisation_id", "supervisionarea_id"):
        areas[organisation_id] = min(area_id, areas.get(organisation_id, area_id))
    today = timezone.localdate()
    deadline = handling_deadline(source, today)
    number = highest_reference_numbers([today.year])[today.year] + 1
    created_by = by if getattr(by, "is_authenticated", False) else None
    codes = severity_codes(found.excess)

    signals: list[Signal] = []
    breaches: list[NormBreach] = []
    theme_links: list[tuple[int, int]] = []  # (position in signals, theme id)
    for position, (obs_index, norm_index, code) in enumerate(
        zip(found.observation.tolist(), found.norm.tolist(), codes, strict=True)
    ):
        norm = norms[norm_index]
        indicator: Indicator = norm.indicator
        organisation_id = observations.organisations[obs_index]
        period = observations.periods[obs_index]
        value = observations.values[obs_index]
        label = period_label(period, indicator.frequency)
        organisation_name = names.get(organisation_id, str(organisation_id))
        title = f"Normoverschrijding: {norm.name} bij {organisation_name} ({label})"
        comparison = "ten hoogste" if norm.comparison == Comparison.AT_MOST else "ten minste"
        description = (
            f"{indicator.name} was {_format(value, indicator.unit)} in {label}. De norm ‘{norm.name}’ "
            f"vraagt {comparison} {_format(norm.threshold or 0.0, indicator.unit)} "
            f"(grondslag: {norm.legal_basis})."
        )
        signals.append(
            Signal(
                reference=format_reference(today.year, number + position),
                title=title[:250],
                description=description,
                source=source,
                received_on=today,
                occurred_on=period,
                deadline=deadline,
                area_id=areas.get(organisation_id),
                organisation_id=organisation_id,
                severity=severities.get(code, fallback),
                status=SignalStatus.RECEIVED,
                created_by=created_by,
            )
        )
        breaches.append(
            NormBreach(
                norm=norm,
                observation_id=observations.ids[obs_index],
                organisation_id=organisation_id,
                period_start=period,
                value=value,
            )
        )
        if indicator.theme_id:
            theme_links.append((position, indicator.theme_id))

    created = Signal.objects.bulk_create(signals, batch_size=BATCH)
    SignalEvent.objects.bulk_create(
        [
            SignalEvent(
                signal=signal,
                kind=SignalEvent.Kind.CREATED,
                to_status=SignalStatus.RECEIVED,
                note="Aangemaakt door de normcontrole op een nieuwe meting.",
                by=created_by,
            )
            for signal in created
        ],
        batch_size=BATCH,
    )
    if theme_links:
        theme_through = Signal.themes.through
        theme_through.objects.bulk_create(
            [theme_through(signal_id=created[pos].pk, theme_id=theme) for pos, theme in theme_links],
            batch_size=BATCH,
        )
    for breach, signal in zip(breaches, created, strict=True):
        breach.signal = signal
    written = NormBreach.objects.bulk_create(breaches, batch_size=BATCH)
    return DetectionResult([b.pk for b in written], [s.pk for s in created])


def _chunked_ok(ids: list[int]) -> Any:
    """Ids for an IN filter; for very long lists use a subquery-free range filter instead."""
    if len(ids) <= 20_000:
        return ids
    return Organisation.objects.filter(pk__gte=ids[0], pk__lte=ids[-1]).values("pk")
