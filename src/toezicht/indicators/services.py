"""Every write to indicators and norms: create/update, recording a single observation, and the breach
detection that follows each new observation. Imports of files are in ``importing.py``."""

from __future__ import annotations

import datetime
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from toezicht.core.events import publish_on_commit
from toezicht.core.i18n import translate_message
from toezicht.indicators.detection import ObservationArrays, breaches_record
from toezicht.indicators.models import Indicator, Norm, NormBreach, Observation
from toezicht.indicators.periods import aligned, frequency_hint
from toezicht.register.models import Organisation, SupervisionArea

CAPABILITY = "indicators.change"

INDICATOR_FIELDS = ("code", "name", "description", "unit", "direction", "frequency", "source", "theme")
NORM_FIELDS = (
    "code",
    "name",
    "description",
    "legal_basis",
    "indicator",
    "comparison",
    "threshold",
    "structural_share",
    "structural_periods",
    "active",
)


def require_change(by: Any) -> None:
    if by is not None and not by.can(CAPABILITY):
        raise PermissionDenied(_("U heeft geen recht om indicatoren en normen te wijzigen."))


@transaction.atomic
def indicator_save(
    *,
    by: Any,
    data: dict[str, Any],
    indicator: Indicator | None = None,
    areas: Iterable[SupervisionArea] | None = None,
) -> Indicator:
    """Create (indicator=None) or update an indicator. ``by=None`` is the system (demo, commands)."""
    require_change(by)
    indicator = indicator or Indicator()
    for name in INDICATOR_FIELDS:
        if name in data:
            setattr(indicator, name, data[name])
    indicator.full_clean()
    indicator.save()
    if areas is not None:
        indicator.areas.set(list(areas))
    return indicator


def _norm_check(norm: Norm) -> None:
    errors: dict[str, str] = {}
    if norm.indicator_id and norm.threshold is None:
        errors["threshold"] = _("Een norm met een indicator heeft een drempelwaarde nodig.")
    if norm.threshold is not None and not math.isfinite(norm.threshold):
        errors["threshold"] = _("De drempelwaarde moet een gewoon getal zijn.")
    if not (0 < norm.structural_share <= 1):
        errors["structural_share"] = _("Het aandeel moet groter dan 0 en ten hoogste 1 (100 %) zijn.")
    if norm.structural_periods < 1:
        errors["structural_periods"] = _("Het aantal opeenvolgende perioden is ten minste 1.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def norm_save(*, by: Any, data: dict[str, Any], norm: Norm | None = None) -> Norm:
    """Create or update a norm. When the norm (or its threshold) is new, existing observations of its
    indicator are checked against it: every violation becomes a breach with a signal."""
    require_change(by)
    norm = norm or Norm()
    before = (norm.indicator_id, norm.comparison, norm.threshold, norm.active) if norm.pk else None
    for name in NORM_FIELDS:
        if name in data:
            setattr(norm, name, data[name])
    norm.full_clean()
    _norm_check(norm)
    norm.save()
    after = (norm.indicator_id, norm.comparison, norm.threshold, norm.active)
    if norm.active and norm.indicator_id and norm.threshold is not None and before != after:
        unchecked = (
            Observation.objects.filter(indicator_id=norm.indicator_id)
            .exclude(breaches__norm=norm)
            .order_by("pk")
            .values_list("pk", "indicator_id", "organisation_id", "period_start", "value")
        )
        norm_loaded = Norm.objects.select_related("indicator", "indicator__theme").get(pk=norm.pk)
        breaches_record(ObservationArrays.from_rows(list(unchecked)), by=by, norms=[norm_loaded])
    return norm


@dataclass
class RecordOutcome:
    observation: Observation
    created: bool
    breaches: list[NormBreach] = field(default_factory=list)


def observation_conflict_message(
    indicator: Indicator, organisation_name: str, period: datetime.date, existing: float
) -> str:
    """In the user's language: shown by the API and in the import report, never stored."""
    from django.utils.formats import get_format

    from toezicht.core.tabular._text import display_value
    from toezicht.indicators.selectors import period_text

    return _(
        "Er is al een meting van ‘%(indicator)s’ voor %(organisation)s in %(period)s met waarde %(value)s; "
        "een bestaande meting wordt niet overschreven."
    ) % {
        "indicator": indicator.name,
        "organisation": organisation_name,
        "period": period_text(period, indicator.frequency),
        # display_value writes a Dutch decimal comma (and no thousands separator).
        "value": display_value(existing).replace(",", str(get_format("DECIMAL_SEPARATOR"))),
    }


@transaction.atomic
def observation_record(
    *,
    by: Any,
    indicator: Indicator,
    organisation: Organisation,
    period_start: datetime.date,
    value: float,
) -> RecordOutcome:
    """Record one value. The same value again changes nothing; another value for an existing period is
    refused (a correction is a deliberate act, not an accidental second delivery)."""
    require_change(by)
    period = period_start.replace(day=1)
    errors: dict[str, str] = {}
    if not aligned(period, indicator.frequency):
        hint = translate_message(frequency_hint(indicator.frequency))  # marked in the pure periods module
        errors["period_start"] = _("De periode past niet bij de indicator: %(hint)s.") % {"hint": hint}
    if not math.isfinite(float(value)):
        errors["value"] = _("De waarde moet een gewoon getal zijn.")
    if errors:
        raise ValidationError(errors)
    existing = Observation.objects.filter(
        indicator=indicator, organisation=organisation, period_start=period
    ).first()
    if existing is not None:
        if abs(existing.value - float(value)) <= 1e-9 * max(1.0, abs(existing.value)):
            return RecordOutcome(existing, created=False)
        raise ValidationError(
            {"value": observation_conflict_message(indicator, organisation.name, period, existing.value)}
        )
    observation = Observation.objects.create(
        indicator=indicator, organisation=organisation, period_start=period, value=float(value)
    )
    result = breaches_record(
        ObservationArrays([observation.pk], [indicator.pk], [organisation.pk], [period], [observation.value]),
        by=by,
    )
    publish_on_commit("observations.imported", observation_ids=[observation.pk])
    for breach_id in result.breach_ids:
        publish_on_commit("norm.breached", breach_id=breach_id)
    breaches = list(NormBreach.objects.filter(pk__in=result.breach_ids).select_related("norm", "signal"))
    return RecordOutcome(observation, created=True, breaches=breaches)
