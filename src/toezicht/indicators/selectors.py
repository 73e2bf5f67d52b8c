"""Reads of the indicators app. Observations and breaches are visible when their organisation is visible
to the user (``Organisation.objects.visible_to``); indicators and norms are definitions, visible to all."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils.dates import MONTHS, MONTHS_3
from django.utils.formats import get_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from toezicht.indicators.breaches import relative_excess
from toezicht.indicators.charts import ChartPoint, line_chart, percent
from toezicht.indicators.models import Comparison, Frequency, Indicator, Norm, NormBreach, Observation
from toezicht.indicators.periods import month_index
from toezicht.indicators.sector import SectorView, sector_view
from toezicht.register.models import Organisation, Relationship, RelationshipKind

STEP_MONTHS = {Frequency.MONTH: 1, Frequency.QUARTER: 3, Frequency.YEAR: 12}


def visible_organisations(user: Any) -> QuerySet[Organisation]:
    return Organisation.objects.visible_to(user)


def observations_visible(user: Any) -> QuerySet[Observation]:
    return Observation.objects.filter(organisation__in=visible_organisations(user).values("pk"))


def breaches_visible(user: Any) -> QuerySet[NormBreach]:
    return NormBreach.objects.filter(organisation__in=visible_organisations(user).values("pk"))


def _breach_count(user: Any) -> Any:
    counted = (
        breaches_visible(user)
        .filter(norm_id=OuterRef("pk"))
        .order_by()
        .values("norm_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def norms_with_counts(user: Any) -> QuerySet[Norm]:
    return Norm.objects.select_related("indicator").annotate(breach_count=_breach_count(user))


def indicator_list(user: Any, query: str = "") -> QuerySet[Indicator]:
    """Indicators with their norms (and each norm's visible breach count): three queries per page."""
    indicators = Indicator.objects.select_related("theme").order_by("name")
    if query:
        indicators = indicators.filter(Q(name__icontains=query) | Q(code__icontains=query))
    return indicators.prefetch_related(
        Prefetch("norms", queryset=norms_with_counts(user).order_by("name"), to_attr="norm_list")
    )


def indicator_get(pk: int) -> Indicator:
    try:
        return Indicator.objects.select_related("theme").prefetch_related("areas").get(pk=pk)
    except Indicator.DoesNotExist:
        raise Http404(_("Deze indicator bestaat niet.")) from None


def norm_get(user: Any, pk: int) -> Norm:
    try:
        return norms_with_counts(user).select_related("indicator__theme").get(pk=pk)
    except Norm.DoesNotExist:
        raise Http404(_("Deze norm bestaat niet.")) from None


def indicator_observations(user: Any, indicator: Indicator) -> QuerySet[Observation]:
    return (
        observations_visible(user)
        .filter(indicator=indicator)
        .select_related("organisation")
        .order_by("-period_start", "organisation__name", "pk")
    )


def norm_breaches(user: Any, norm: Norm) -> QuerySet[NormBreach]:
    return (
        breaches_visible(user)
        .filter(norm=norm)
        .select_related("organisation", "signal")
        .order_by("-period_start", "organisation__name", "pk")
    )


# --------------------------------------------------------------------------- sector view


@dataclass
class Addressee:
    kind: str  # opdrachtgever / eigenaar
    organisation: Organisation
    on_behalf_of: list[str]  # names of the organisations it holds that role for


@dataclass
class NormSector:
    norm: Norm
    view: SectorView
    rows: list[dict[str, Any]]
    chart: str
    addressees: list[Addressee]
    measured_organisations: int

    @property
    def principals(self) -> list[Addressee]:
        return [a for a in self.addressees if a.kind == RelationshipKind.PRINCIPAL]

    @property
    def owners(self) -> list[Addressee]:
        return [a for a in self.addressees if a.kind == RelationshipKind.OWNER]


def period_text(start: datetime.date, frequency: str = "maand", short: bool = False) -> str:
    """A period for a page in the user's language: 'maart 2025' / 'March 2025', 'K1 2025' / 'Q1 2025';
    short for chart axes ('mrt 25'). The same Dutch text as ``periods.period_label``, which stays Dutch
    because it goes into stored signals."""
    if frequency == "jaar":
        return str(start.year)
    year = f"{start.year % 100:02d}" if short else str(start.year)
    if frequency == "kwartaal":
        return _("K%(quarter)s %(year)s") % {"quarter": (start.month - 1) // 3 + 1, "year": year}
    if not short:
        return f"{MONTHS[start.month]} {year}"
    month = str(MONTHS_3[start.month])
    if str(MONTHS[start.month])[:1].isupper():  # English capitalises month names, Dutch does not
        month = month.capitalize()
    return f"{month} {year}"


def _from_month_index(index: int) -> datetime.date:
    return datetime.date(index // 12, index % 12 + 1, 1)


def norm_sector(user: Any, norm: Norm) -> NormSector:
    """Share of the (visible) measured organisations in breach per period, the structural flag, the chart,
    and the principals and owners of the measured organisations."""
    indicator = norm.indicator
    empty = SectorView([], norm.structural_share, norm.structural_periods, False, 0)
    if indicator is None or norm.threshold is None:
        return NormSector(norm, empty, [], "", [], 0)
    rows = list(
        observations_visible(user)
        .filter(indicator=indicator)
        .order_by()
        .values_list("organisation_id", "period_start", "value")
    )
    if not rows:
        return NormSector(norm, empty, [], "", [], 0)
    organisations = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
    periods = np.fromiter((month_index(r[1]) for r in rows), dtype=np.int64, count=len(rows))
    values = np.fromiter((r[2] for r in rows), dtype=np.float64, count=len(rows))
    breached = relative_excess(values, norm.threshold, norm.comparison == Comparison.AT_MOST) > 0
    view = sector_view(
        periods,
        breached,
        share=norm.structural_share,
        periods=norm.structural_periods,
        step=STEP_MONTHS.get(indicator.frequency, 1),  # type: ignore[call-overload]
    )
    flagged = set(view.flagged_periods)
    table = [
        {
            "period": period_text(_from_month_index(p.period), indicator.frequency),
            "measured": p.measured,
            "breached": p.breached,
            "share": round(100 * p.share),
            "flagged": p.period in flagged,
        }
        for p in view.points
    ]
    points = [
        ChartPoint(
            period_text(_from_month_index(p.period), indicator.frequency, short=True),
            100 * p.share,
            p.period in flagged,
        )
        for p in view.points
    ]
    share_text = percent(100 * norm.structural_share)
    chart = line_chart(
        points,
        title=_("Aandeel organisaties dat ‘%(norm)s’ niet haalt, per periode") % {"norm": norm.name},
        desc=" ".join(
            [
                ngettext("%(count)s periode.", "%(count)s perioden.", len(points)) % {"count": len(points)},
                _(
                    "De stippellijn is de grens van %(share)s voor structurele onhaalbaarheid; rode "
                    "vierkantjes zijn perioden op of boven die grens."
                )
                % {"share": share_text},
                ngettext(
                    "Laatste periode: %(share)s %% van %(count)s organisatie.",
                    "Laatste periode: %(share)s %% van %(count)s organisaties.",
                    view.points[-1].measured,
                )
                % {"share": table[-1]["share"], "count": view.points[-1].measured},
            ]
        ),
        threshold=100 * norm.structural_share,
        threshold_label=_("grens %(share)s") % {"share": share_text},
        y_min=0.0,
        y_max=100.0,
        y_format=percent,
        chart_id=f"sector-{norm.pk}",
    )
    measured_ids = np.unique(organisations).tolist()
    return NormSector(
        norm=norm,
        view=view,
        rows=table,
        chart=chart,
        addressees=addressees_for(user, measured_ids),
        measured_organisations=len(measured_ids),
    )


def addressees_for(user: Any, organisation_ids: list[int]) -> list[Addressee]:
    """Principals and owners of the organisations, or of their nearest ancestor that has them (a prison
    works under the principal and owner of DJI). Three queries whatever the number of organisations."""
    lineage: dict[int, list[int]] = {}
    parents = dict(Organisation.objects.filter(parent__isnull=False).values_list("pk", "parent_id"))
    names = dict(Organisation.objects.filter(pk__in=organisation_ids).values_list("pk", "name"))
    for pk in organisation_ids:
        chain = [pk]
        while chain[-1] in parents and len(chain) < 8:
            chain.append(parents[chain[-1]])
        lineage[pk] = chain
    targets = {t for chain in lineage.values() for t in chain}
    relationships = list(
        Relationship.objects.visible_to(user)
        .filter(kind__in=[RelationshipKind.PRINCIPAL, RelationshipKind.OWNER], target_id__in=targets)
        .select_related("source")
        .order_by("source__name")
    )
    by_target: dict[tuple[str, int], list[Relationship]] = {}
    for rel in relationships:
        by_target.setdefault((rel.kind, rel.target_id), []).append(rel)
    found: dict[tuple[str, int], Addressee] = {}
    for pk, chain in lineage.items():
        for kind in (RelationshipKind.PRINCIPAL, RelationshipKind.OWNER):
            for holder in chain:
                rels = by_target.get((kind, holder))
                if rels:
                    for rel in rels:
                        key = (kind.value, rel.source_id)
                        entry = found.setdefault(key, Addressee(kind.value, rel.source, []))
                        entry.on_behalf_of.append(names.get(pk, ""))
                    break
    result = sorted(found.values(), key=lambda a: (a.kind != RelationshipKind.PRINCIPAL, a.organisation.name))
    for entry in result:
        entry.on_behalf_of.sort()
    return result


# --------------------------------------------------------------------------- organisation panel


def organisation_indicator_charts(
    user: Any, organisation: Organisation, months: int = 24
) -> list[dict[str, Any]]:
    """Per indicator measured for the organisation: the last ``months`` observations as a small chart with
    the norm's threshold and the breaches marked, plus the values for a table. Three queries."""
    observations = list(
        observations_visible(user)
        .filter(organisation=organisation)
        .select_related("indicator")
        .order_by("indicator__name", "period_start")
    )
    if not observations:
        return []
    indicator_ids = {o.indicator_id for o in observations}
    norms: dict[int, Norm] = {}
    for candidate in Norm.objects.filter(
        indicator_id__in=indicator_ids, active=True, threshold__isnull=False
    ).order_by("pk"):
        norms.setdefault(candidate.indicator_id, candidate)  # type: ignore[arg-type]
    breached = set(
        NormBreach.objects.filter(
            organisation=organisation, observation__indicator_id__in=indicator_ids
        ).values_list("observation_id", flat=True)
    )
    grouped: dict[int, list[Observation]] = {}
    for observation in observations:
        grouped.setdefault(observation.indicator_id, []).append(observation)
    charts = []
    for indicator_id, series in grouped.items():
        series = series[-months:]
        indicator = series[0].indicator
        norm = norms.get(indicator_id)
        unit = indicator.unit
        marks = [o.pk in breached for o in series]
        points = [
            ChartPoint(period_text(o.period_start, indicator.frequency, short=True), o.value, mark)
            for o, mark in zip(series, marks, strict=True)
        ]
        breaches_n = sum(marks)
        parts = [
            ngettext(
                "%(count)s meting van %(first)s tot en met %(last)s; laatste waarde %(value)s %(unit)s.",
                "%(count)s metingen van %(first)s tot en met %(last)s; laatste waarde %(value)s %(unit)s.",
                len(series),
            )
            % {
                "count": len(series),
                "first": period_text(series[0].period_start, indicator.frequency),
                "last": period_text(series[-1].period_start, indicator.frequency),
                "value": _num(series[-1].value),
                "unit": unit,
            }
        ]
        if norm is not None:
            if norm.comparison == Comparison.AT_MOST:
                norm_text = _("De norm ‘%(norm)s’ vraagt ten hoogste %(threshold)s %(unit)s (stippellijn).")
            else:
                norm_text = _("De norm ‘%(norm)s’ vraagt ten minste %(threshold)s %(unit)s (stippellijn).")
            parts.append(norm_text % {"norm": norm.name, "threshold": _num(norm.threshold), "unit": unit})
        parts.append(
            ngettext(
                "%(count)s meting haalt de norm niet (rood).",
                "%(count)s metingen halen de norm niet (rood).",
                breaches_n,
            )
            % {"count": breaches_n}
        )
        desc = " ".join(parts)
        charts.append(
            {
                "indicator": indicator,
                "norm": norm,
                "breaches": breaches_n,
                "chart": line_chart(
                    points,
                    title=_("%(indicator)s bij %(organisation)s")
                    % {"indicator": indicator.name, "organisation": organisation.name},
                    desc=desc,
                    threshold=norm.threshold if norm else None,
                    width=360,
                    height=120,
                    compact=True,
                    y_format=lambda v: _num(v, places=1),
                    chart_id=f"ind-{organisation.pk}-{indicator_id}",
                ),
                "rows": [
                    {
                        "period": period_text(o.period_start, indicator.frequency),
                        "value": _num(o.value),
                        "breach": mark,
                    }
                    for o, mark in zip(series, marks, strict=True)
                ],
            }
        )
    return charts


def _num(value: float | None, places: int = 2) -> str:
    """A value without trailing zeros, with the decimal separator of the user's language."""
    if value is None:
        return ""
    text = f"{value:.{places}f}".rstrip("0").rstrip(".")
    return text.replace(".", str(get_format("DECIMAL_SEPARATOR")))
