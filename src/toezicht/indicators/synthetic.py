"""Synthetic indicators, norms and observations for `toezicht generate` (small 20,000 observations;
medium 100,000; large 500,000).

Twenty indicators, each with a norm, linked to the synthetic themes. Every synthetic organisation is
measured on five indicators that fit its kind, monthly for twenty months up to a fixed end. Values stay
realistic relative to the norm: most organisations sit comfortably on the right side of the threshold,
some drift towards it, a few cross it (a few percent of observations are breaches, each with a signal).
Drawn with numpy from the seed and written with the import's bulk path; breach detection runs as after
an import. Deterministic, and a rerun adds nothing.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl
from django.db import transaction

from toezicht.demo.generate import GenerationContext, step
from toezicht.indicators.detection import ObservationArrays, breaches_record
from toezicht.indicators.importing import _insert
from toezicht.indicators.models import Comparison, Direction, Frequency, Indicator, Norm, Observation
from toezicht.indicators.periods import add_months
from toezicht.register.models import Organisation
from toezicht.strategy.models import Theme

OBSERVATIONS_PER_SCALE = {"small": 20_000, "medium": 100_000, "large": 500_000}
MONTHS = 20
PER_ORGANISATION = 5
LAST_MONTH = dt.date(2026, 10, 1)
PREFIX = "syn-ind-"

# name, unit, higher is worse, threshold
INDICATORS = [
    ("Bezettingsgraad", "%", True, 100.0),
    ("Ziekteverzuim personeel", "%", True, 8.0),
    ("Wachttijd tot start (dagen)", "dagen", True, 10.0),
    ("Openstaande vacatures", "%", True, 12.0),
    ("Incidenten per 100 plaatsen", "incidenten", True, 5.0),
    ("Klachten per 1.000 contacten", "klachten", True, 4.0),
    ("Afhandeling binnen termijn", "%", False, 85.0),
    ("Opkomsttijd binnen normtijd", "%", False, 80.0),
    ("Verplichte trainingen gevolgd", "%", False, 90.0),
    ("Dossiers tijdig overgedragen", "%", False, 90.0),
    ("Achterstand in dossiers", "dossiers", True, 50.0),
    ("Inzetbaarheid personeel", "%", False, 92.0),
    ("Verloop personeel", "%", True, 15.0),
    ("Isoleringen per maand", "isoleringen", True, 6.0),
    ("Wachtlijst plaatsing", "personen", True, 10.0),
    ("Meldingen tijdig gedaan", "%", False, 95.0),
    ("Beschikbaarheid systemen", "%", False, 99.0),
    ("Herstelde gebreken binnen termijn", "%", False, 80.0),
    ("Gemiddelde doorlooptijd (weken)", "weken", True, 26.0),
    ("Overuren per fte", "uren", True, 12.0),
]


def _months() -> list[dt.date]:
    return [add_months(LAST_MONTH, -i) for i in reversed(range(MONTHS))]


def _indicators() -> list[Indicator]:
    themes = list(Theme.objects.filter(code__startswith="syn-thema-").order_by("code"))
    result = []
    for number, (name, unit, worse_high, threshold) in enumerate(INDICATORS):
        code = f"{PREFIX}{number:02d}"
        indicator, _ = Indicator.objects.update_or_create(
            code=code,
            defaults={
                "name": f"{name} (synthetisch {number:02d})",
                "unit": unit,
                "direction": Direction.HIGHER_IS_WORSE if worse_high else Direction.LOWER_IS_WORSE,
                "frequency": Frequency.MONTH,
                "source": "Synthetische gegevens",
                "theme": themes[number % len(themes)] if themes else None,
            },
        )
        Norm.objects.update_or_create(
            code=f"syn-norm-{number:02d}",
            defaults={
                "name": f"{name}: {'ten hoogste' if worse_high else 'ten minste'} {threshold:g} {unit}",
                "legal_basis": "Synthetische norm",
                "indicator": indicator,
                "comparison": Comparison.AT_MOST if worse_high else Comparison.AT_LEAST,
                "threshold": threshold,
                "structural_share": 0.5,
                "structural_periods": 3,
                "active": True,
            },
        )
        result.append(indicator)
    return result


@step
def generate_observations(ctx: GenerationContext) -> None:
    target = OBSERVATIONS_PER_SCALE.get(ctx.scale.name, 20_000)
    indicators = _indicators()
    if Observation.objects.filter(indicator__code__startswith=PREFIX).exists():
        ctx.counts["observations"] = Observation.objects.count()
        return
    organisations = list(
        Organisation.objects.filter(code__startswith="syn-org-").order_by("pk").values_list("pk", "type_id")
    )
    if not organisations:
        return
    months = _months()
    per_org = max(1, min(PER_ORGANISATION, target // (len(organisations) * MONTHS)))
    rng = np.random.default_rng(ctx.seed + 3_001)
    org_ids = np.array([pk for pk, _ in organisations], dtype=np.int64)
    kinds = np.array([type_id for _, type_id in organisations], dtype=np.int64)
    n_ind = len(indicators)
    # Five indicators per organisation, chosen by its kind (organisations of one kind share them).
    chosen = (kinds[:, None] * 3 + np.arange(per_org)[None, :] * 4) % n_ind  # (orgs, per_org)
    pair_org = np.repeat(np.arange(org_ids.size), per_org)
    pair_ind = chosen.reshape(-1)
    thresholds = np.array([t for *_, t in INDICATORS], dtype=np.float64)
    worse_high = np.array([w for _, _, w, _ in INDICATORS], dtype=bool)
    n_pairs = pair_org.size
    # Where each organisation sits relative to the norm: mostly well inside, some close, a few beyond.
    margin = rng.beta(2.0, 8.0, n_pairs) * 0.45 + 0.02  # share of the threshold inside the norm
    drift = rng.normal(0.0, 0.004, n_pairs)  # per month, as a share of the threshold
    noise = rng.normal(0.0, 0.025, (n_pairs, MONTHS))
    steps = np.arange(MONTHS)[None, :] - (MONTHS - 1)
    relative = margin[:, None] + drift[:, None] * steps + noise  # > 0: meets the norm
    threshold = thresholds[pair_ind][:, None]
    high = worse_high[pair_ind][:, None]
    values = np.where(high, threshold * (1 - relative), threshold * (1 + relative))
    is_percent = np.array([u == "%" for _, u, _, _ in INDICATORS])[pair_ind][:, None]
    values = np.where(is_percent, np.clip(values, 0, 100), np.maximum(values, 0))
    values = np.round(values, 1)
    total = n_pairs * MONTHS
    frame = pl.DataFrame(
        {
            "indicator": np.repeat(np.array([i.pk for i in indicators], dtype=np.int64)[pair_ind], MONTHS),
            "organisation": np.repeat(org_ids[pair_org], MONTHS),
            "period": pl.Series(np.tile(np.array(months, dtype="datetime64[D]"), n_pairs)).cast(pl.Date),
            "value": values.reshape(total),
        }
    ).head(target)
    with transaction.atomic():
        last = Observation.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        _insert(frame, None)
        rows = list(
            Observation.objects.filter(pk__gt=last, indicator__code__startswith=PREFIX)
            .order_by("pk")
            .values_list("pk", "indicator_id", "organisation_id", "period_start", "value")
        )
        result = breaches_record(ObservationArrays.from_rows(rows))
    ctx.counts["observations"] = Observation.objects.count()
    ctx.counts["norm_breaches"] = len(result.breach_ids)
