"""The risk model as plain data: a frozen dataclass built from (and serialisable to) a JSON-able dict.

The dict layout (all numbers are JSON numbers; severities are string keys because JSON objects need them)::

    {
      "version": 3,                      # positive integer, echoed in every result
      "name": "Risicomodel 2025",
      "criteria": {                      # likelihood criteria; an absent criterion has weight 0
        "signal_load": {"weight": 3, "half_life_days": 180, "k": 8,
                        "severity_weights": {"1": 1, "2": 2, "3": 4, "4": 8, "5": 16},
                        "general_factor": 0.5},
        "norm_breaches": {"weight": 2, "half_life_periods": 4, "k": 2},
        "indicator_pressure": {"weight": 2, "window": 6, "trend_weight": 2},
        "judgements": {"weight": 2, "half_life_days": 730, "k": 0.5},
        "learning_capacity": {"weight": 1, "k": 3, "open_weight": 0.25},
        "time_since_investigation": {"weight": 1, "tau_years": 4}
      },
      "impact": {"people_reference": 10000, "size_weight": 1, "vulnerability_weight": 1,
                 "signal_vulnerability_k": 2, "group_weights": {"minderjarigen": 1.0}},
      "combination": "product",          # product | geometric_mean | mean
      "scales": {"likelihood": [{"lower": 0, "upper": 0.2, "label": "zeer laag"}, ...],
                 "impact": [...]},
      "matrix": [[{"label": "laag", "colour": "#1a9850"}, ...], ...],   # matrix[likelihood][impact]
      "evidence_top_n": 5
    }

See ``compute.py`` for how every parameter is used.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, cast

from .errors import RiskModelError

SIGNAL_LOAD = "signal_load"
NORM_BREACHES = "norm_breaches"
INDICATOR_PRESSURE = "indicator_pressure"
JUDGEMENTS = "judgements"
LEARNING_CAPACITY = "learning_capacity"
TIME_SINCE_INVESTIGATION = "time_since_investigation"

#: Likelihood criteria in their fixed order (this order is used for every column and every sum).
CRITERIA: tuple[str, ...] = (
    SIGNAL_LOAD,
    NORM_BREACHES,
    INDICATOR_PRESSURE,
    JUDGEMENTS,
    LEARNING_CAPACITY,
    TIME_SINCE_INVESTIGATION,
)


def gettext_noop(message: str) -> str:
    """Marks ``message`` for the translation catalogue without importing Django (makemessages extracts
    calls by this name); pages translate the label where they show it (ADR 0008)."""
    return message


CRITERION_LABELS: dict[str, str] = {
    SIGNAL_LOAD: gettext_noop("Signaallast"),
    NORM_BREACHES: gettext_noop("Normoverschrijdingen"),
    INDICATOR_PRESSURE: gettext_noop("Indicatordruk"),
    JUDGEMENTS: gettext_noop("Oordelen"),
    LEARNING_CAPACITY: gettext_noop("Lerend vermogen"),
    TIME_SINCE_INVESTIGATION: gettext_noop("Tijd sinds laatste onderzoek"),
}
IMPACT_LABEL = gettext_noop("Impact")

COMBINATIONS: tuple[str, ...] = ("product", "geometric_mean", "mean")

_SCALE_LABELS = {"likelihood": "kans", "impact": "impact"}
_COLOUR_RE = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
_BAND_TOLERANCE = 1e-9


@dataclass(frozen=True)
class SignalLoadParams:
    weight: float = 3.0
    half_life_days: float = 180.0
    k: float = 8.0
    severity_weights: Mapping[int, float] | None = None
    general_factor: float = 0.5

    def severity_table(self) -> dict[int, float]:
        return dict(self.severity_weights or DEFAULT_SEVERITY_WEIGHTS)


@dataclass(frozen=True)
class NormBreachParams:
    weight: float = 2.0
    half_life_periods: float = 4.0
    k: float = 2.0


@dataclass(frozen=True)
class IndicatorPressureParams:
    weight: float = 2.0
    window: int = 6
    trend_weight: float = 2.0


@dataclass(frozen=True)
class JudgementParams:
    weight: float = 2.0
    half_life_days: float = 730.0
    k: float = 0.5


@dataclass(frozen=True)
class LearningCapacityParams:
    weight: float = 1.0
    k: float = 3.0
    open_weight: float = 0.25


@dataclass(frozen=True)
class TimeSinceInvestigationParams:
    weight: float = 1.0
    tau_years: float = 4.0


@dataclass(frozen=True)
class ImpactParams:
    people_reference: float = 10_000.0
    size_weight: float = 1.0
    vulnerability_weight: float = 1.0
    signal_vulnerability_k: float = 2.0
    group_weights: Mapping[str, float] | None = None


@dataclass(frozen=True)
class Band:
    lower: float
    upper: float
    label: str


@dataclass(frozen=True)
class RiskClass:
    label: str
    colour: str


DEFAULT_SEVERITY_WEIGHTS: dict[int, float] = {1: 1.0, 2: 2.0, 3: 4.0, 4: 8.0, 5: 16.0}

_PARAM_TYPES: dict[str, type] = {
    SIGNAL_LOAD: SignalLoadParams,
    NORM_BREACHES: NormBreachParams,
    INDICATOR_PRESSURE: IndicatorPressureParams,
    JUDGEMENTS: JudgementParams,
    LEARNING_CAPACITY: LearningCapacityParams,
    TIME_SINCE_INVESTIGATION: TimeSinceInvestigationParams,
}


@dataclass(frozen=True)
class RiskModel:
    """A validated, immutable risk model. Build it with :meth:`from_dict`; store it with :meth:`to_dict`."""

    version: int
    name: str
    signal_load: SignalLoadParams
    norm_breaches: NormBreachParams
    indicator_pressure: IndicatorPressureParams
    judgements: JudgementParams
    learning_capacity: LearningCapacityParams
    time_since_investigation: TimeSinceInvestigationParams
    impact: ImpactParams
    combination: str
    likelihood_bands: tuple[Band, ...]
    impact_bands: tuple[Band, ...]
    matrix: tuple[tuple[RiskClass, ...], ...]
    evidence_top_n: int = 5

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> RiskModel:
        """Validate ``data`` and build the model; raises :class:`RiskModelError` with all Dutch messages."""
        return _Parser(data).parse()

    def to_dict(self) -> dict[str, Any]:
        def band_dicts(bands: tuple[Band, ...]) -> list[dict[str, Any]]:
            return [{"lower": b.lower, "upper": b.upper, "label": b.label} for b in bands]

        sl = self.signal_load
        return {
            "version": self.version,
            "name": self.name,
            "criteria": {
                SIGNAL_LOAD: {
                    "weight": sl.weight,
                    "half_life_days": sl.half_life_days,
                    "k": sl.k,
                    "severity_weights": {str(s): w for s, w in sorted(sl.severity_table().items())},
                    "general_factor": sl.general_factor,
                },
                NORM_BREACHES: {
                    "weight": self.norm_breaches.weight,
                    "half_life_periods": self.norm_breaches.half_life_periods,
                    "k": self.norm_breaches.k,
                },
                INDICATOR_PRESSURE: {
                    "weight": self.indicator_pressure.weight,
                    "window": self.indicator_pressure.window,
                    "trend_weight": self.indicator_pressure.trend_weight,
                },
                JUDGEMENTS: {
                    "weight": self.judgements.weight,
                    "half_life_days": self.judgements.half_life_days,
                    "k": self.judgements.k,
                },
                LEARNING_CAPACITY: {
                    "weight": self.learning_capacity.weight,
                    "k": self.learning_capacity.k,
                    "open_weight": self.learning_capacity.open_weight,
                },
                TIME_SINCE_INVESTIGATION: {
                    "weight": self.time_since_investigation.weight,
                    "tau_years": self.time_since_investigation.tau_years,
                },
            },
            "impact": {
                "people_reference": self.impact.people_reference,
                "size_weight": self.impact.size_weight,
                "vulnerability_weight": self.impact.vulnerability_weight,
                "signal_vulnerability_k": self.impact.signal_vulnerability_k,
                "group_weights": dict(self.impact.group_weights or {}),
            },
            "combination": self.combination,
            "scales": {
                "likelihood": band_dicts(self.likelihood_bands),
                "impact": band_dicts(self.impact_bands),
            },
            "matrix": [[{"label": c.label, "colour": c.colour} for c in row] for row in self.matrix],
            "evidence_top_n": self.evidence_top_n,
        }

    def weights(self) -> dict[str, float]:
        """Likelihood weights in :data:`CRITERIA` order."""
        return {key: float(getattr(self, key).weight) for key in CRITERIA}

    def with_weights(self, **weights: float) -> RiskModel:
        """A copy with some criterion weights replaced (validated again)."""
        data = self.to_dict()
        for key, value in weights.items():
            data["criteria"].setdefault(key, {})["weight"] = value
        return RiskModel.from_dict(data)


def validate_model_dict(data: Mapping[str, Any]) -> list[str]:
    """All Dutch validation messages for ``data``; an empty list means the model is valid."""
    try:
        RiskModel.from_dict(data)
    except RiskModelError as exc:
        return list(exc.messages)
    return []


def vulnerability_from_groups(model: RiskModel, shares: Mapping[str, float]) -> float:
    """Organisation vulnerability in 0..1 from the shares of vulnerable groups among the people served.

    ``min(1, sum(share[g] * group_weight[g]))``; groups missing from the model's ``group_weights`` are
    rejected so that a typo cannot silently lower an organisation's impact.
    """
    weights = dict(model.impact.group_weights or {})
    unknown = sorted(set(shares) - set(weights))
    if unknown:
        raise RiskModelError([f"Onbekende kwetsbare groep '{g}'." for g in unknown])
    total = sum(max(0.0, min(1.0, float(s))) * weights[g] for g, s in shares.items())
    return min(1.0, total)


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _fmt(value: float) -> str:
    return f"{value:g}".replace(".", ",")


class _Parser:
    def __init__(self, data: Mapping[str, Any]) -> None:
        self.data = data
        self.messages: list[str] = []

    def error(self, message: str) -> None:
        self.messages.append(message)

    # -- small typed readers -------------------------------------------------------------------
    def number(
        self,
        section: Mapping[str, Any],
        key: str,
        default: float,
        what: str,
        *,
        positive: bool = False,
        unit_interval: bool = False,
    ) -> float:
        if key not in section:
            return default
        value = section[key]
        if not _is_number(value):
            self.error(f"{what} moet een getal zijn.")
            return default
        if positive and value <= 0:
            self.error(f"{what} moet groter dan nul zijn.")
            return default
        if unit_interval and not 0 <= value <= 1:
            self.error(f"{what} moet tussen 0 en 1 liggen.")
            return default
        if value < 0:
            self.error(f"{what} mag niet negatief zijn.")
            return default
        return float(value)

    # -- sections ------------------------------------------------------------------------------
    def parse(self) -> RiskModel:
        data = self.data
        if not isinstance(data, Mapping):
            raise RiskModelError(["Het model moet een object (dict) zijn."])
        known = {"version", "name", "criteria", "impact", "combination", "scales", "matrix", "evidence_top_n"}
        for key in data:
            if key not in known:
                self.error(f"Onbekend onderdeel '{key}' in het model.")

        version = data.get("version")
        if not isinstance(version, int) or isinstance(version, bool) or version < 1:
            self.error("Het model heeft geen geldig versienummer (een positief geheel getal).")
            version = 0
        name = data.get("name", "")
        if not isinstance(name, str):
            self.error("De naam van het model moet tekst zijn.")
            name = ""

        params = self.parse_criteria(data.get("criteria"))
        impact = self.parse_impact(data.get("impact", {}))

        combination = data.get("combination", "product")
        if combination not in COMBINATIONS:
            self.error(f"Onbekende combinatiemethode '{combination}'. Kies uit: {', '.join(COMBINATIONS)}.")
            combination = "product"

        scales = data.get("scales")
        if not isinstance(scales, Mapping):
            scales = {}
        likelihood_bands = self.parse_scale(scales.get("likelihood"), "likelihood")
        impact_bands = self.parse_scale(scales.get("impact"), "impact")
        matrix = self.parse_matrix(data.get("matrix"), likelihood_bands, impact_bands)

        top_n = data.get("evidence_top_n", 5)
        if not isinstance(top_n, int) or isinstance(top_n, bool) or top_n < 1:
            self.error(
                "Het aantal te tonen onderbouwingen (evidence_top_n) moet een geheel getal "
                "van minimaal 1 zijn."
            )
            top_n = 5

        if self.messages:
            raise RiskModelError(self.messages)
        return RiskModel(
            version=version,
            name=name,
            signal_load=params[SIGNAL_LOAD],
            norm_breaches=params[NORM_BREACHES],
            indicator_pressure=params[INDICATOR_PRESSURE],
            judgements=params[JUDGEMENTS],
            learning_capacity=params[LEARNING_CAPACITY],
            time_since_investigation=params[TIME_SINCE_INVESTIGATION],
            impact=impact,
            combination=combination,
            likelihood_bands=likelihood_bands,
            impact_bands=impact_bands,
            matrix=matrix,
            evidence_top_n=top_n,
        )

    def parse_criteria(self, criteria: object) -> dict[str, Any]:
        result: dict[str, Any] = {key: _PARAM_TYPES[key](weight=0.0) for key in CRITERIA}
        if not isinstance(criteria, Mapping) or not criteria:
            self.error("Het model bevat geen criteria.")
            return result
        for key in criteria:
            if key == "impact":
                self.error("'impact' is geen kanscriterium; stel de impact in onder het onderdeel 'impact'.")
            elif key not in CRITERION_LABELS:
                self.error(f"Onbekend criterium '{key}'.")
        total = 0.0
        for key in CRITERIA:
            if key not in criteria:
                continue
            spec = criteria[key]
            label = CRITERION_LABELS[key]
            if not isinstance(spec, Mapping):
                self.error(f"De instellingen van criterium '{label}' moeten een object zijn.")
                continue
            result[key] = self.parse_criterion(key, label, spec)
            total += result[key].weight
        weights_valid = all(
            isinstance(criteria[k], Mapping)
            and _is_number(criteria[k].get("weight"))
            and criteria[k]["weight"] >= 0
            for k in CRITERIA
            if k in criteria
        )
        if total <= 0 and weights_valid:
            self.error("Ten minste één criterium moet een gewicht groter dan nul hebben.")
        return result

    def parse_criterion(self, key: str, label: str, spec: Mapping[str, Any]) -> Any:
        weight = 0.0
        if "weight" not in spec:
            self.error(f"Het gewicht van criterium '{label}' ontbreekt.")
        elif not _is_number(spec["weight"]):
            self.error(f"Het gewicht van criterium '{label}' moet een getal zijn.")
        elif spec["weight"] < 0:
            self.error(f"Het gewicht van criterium '{label}' mag niet negatief zijn.")
        else:
            weight = float(spec["weight"])

        def param(name: str) -> str:
            return f"De parameter '{name}' van criterium '{label}'"

        half_life = f"De halfwaardetijd van criterium '{label}'"
        allowed = {"weight"}
        out: Any
        if key == SIGNAL_LOAD:
            allowed |= {"half_life_days", "k", "severity_weights", "general_factor"}
            d = SignalLoadParams()
            out = SignalLoadParams(
                weight=weight,
                half_life_days=self.number(
                    spec, "half_life_days", d.half_life_days, half_life, positive=True
                ),
                k=self.number(spec, "k", d.k, param("k"), positive=True),
                severity_weights=self.parse_severity(spec.get("severity_weights"), label),
                general_factor=self.number(
                    spec, "general_factor", d.general_factor, param("general_factor"), unit_interval=True
                ),
            )
        elif key == NORM_BREACHES:
            allowed |= {"half_life_periods", "k"}
            nb = NormBreachParams()
            out = NormBreachParams(
                weight=weight,
                half_life_periods=self.number(
                    spec, "half_life_periods", nb.half_life_periods, half_life, positive=True
                ),
                k=self.number(spec, "k", nb.k, param("k"), positive=True),
            )
        elif key == INDICATOR_PRESSURE:
            allowed |= {"window", "trend_weight"}
            ip = IndicatorPressureParams()
            window = spec.get("window", ip.window)
            if not isinstance(window, int) or isinstance(window, bool) or window < 2:
                self.error(f"Het venster van criterium '{label}' moet een geheel getal van minimaal 2 zijn.")
                window = ip.window
            out = IndicatorPressureParams(
                weight=weight,
                window=window,
                trend_weight=self.number(spec, "trend_weight", ip.trend_weight, param("trend_weight")),
            )
        elif key == JUDGEMENTS:
            allowed |= {"half_life_days", "k"}
            jd = JudgementParams()
            out = JudgementParams(
                weight=weight,
                half_life_days=self.number(
                    spec, "half_life_days", jd.half_life_days, half_life, positive=True
                ),
                k=self.number(spec, "k", jd.k, param("k"), positive=True),
            )
        elif key == LEARNING_CAPACITY:
            allowed |= {"k", "open_weight"}
            lc = LearningCapacityParams()
            out = LearningCapacityParams(
                weight=weight,
                k=self.number(spec, "k", lc.k, param("k"), positive=True),
                open_weight=self.number(
                    spec, "open_weight", lc.open_weight, param("open_weight"), unit_interval=True
                ),
            )
        else:
            allowed |= {"tau_years"}
            ts = TimeSinceInvestigationParams()
            out = TimeSinceInvestigationParams(
                weight=weight,
                tau_years=self.number(spec, "tau_years", ts.tau_years, param("tau_years"), positive=True),
            )
        for name in spec:
            if name not in allowed:
                self.error(f"Onbekende parameter '{name}' bij criterium '{label}'.")
        return out

    def parse_severity(self, table: object, label: str) -> dict[int, float]:
        if table is None:
            return dict(DEFAULT_SEVERITY_WEIGHTS)
        if not isinstance(table, Mapping) or not table:
            self.error(
                f"De ernsttabel van criterium '{label}' moet een niet-lege tabel van ernst naar gewicht zijn."
            )
            return dict(DEFAULT_SEVERITY_WEIGHTS)
        parsed: dict[int, float] = {}
        for raw_key, value in table.items():
            try:
                severity = int(str(raw_key))
            except ValueError:
                self.error(
                    f"Ernst '{raw_key}' in de ernsttabel van criterium '{label}' is geen geheel getal."
                )
                continue
            if not _is_number(value) or value < 0:
                self.error(f"Het ernstgewicht voor ernst {severity} moet een getal van minimaal 0 zijn.")
                continue
            parsed[severity] = float(value)
        ordered = sorted(parsed.items())
        for (s_low, w_low), (s_high, w_high) in itertools.pairwise(ordered):
            if w_high < w_low:
                self.error(
                    f"De ernstgewichten moeten gelijk blijven of oplopen met de ernst "
                    f"(ernst {s_high} weegt minder dan ernst {s_low})."
                )
        return parsed or dict(DEFAULT_SEVERITY_WEIGHTS)

    def parse_impact(self, spec: object) -> ImpactParams:
        d = ImpactParams()
        if not isinstance(spec, Mapping):
            self.error("Het onderdeel 'impact' moet een object zijn.")
            return d
        allowed = {
            "people_reference",
            "size_weight",
            "vulnerability_weight",
            "signal_vulnerability_k",
            "group_weights",
        }
        for name in spec:
            if name not in allowed:
                self.error(f"Onbekende impactparameter '{name}'.")

        def what(name: str) -> str:
            return f"De impactparameter '{name}'"

        size_weight = self.number(spec, "size_weight", d.size_weight, what("size_weight"))
        vulnerability_weight = self.number(
            spec, "vulnerability_weight", d.vulnerability_weight, what("vulnerability_weight")
        )
        if size_weight + vulnerability_weight <= 0:
            self.error("De gewichten van omvang en kwetsbaarheid in de impact mogen niet allebei nul zijn.")
        groups: dict[str, float] = {}
        raw_groups = spec.get("group_weights", {})
        if not isinstance(raw_groups, Mapping):
            self.error("De kwetsbaarheidsgewichten per groep moeten een tabel zijn.")
        else:
            for group, value in raw_groups.items():
                if not _is_number(value) or not 0 <= value <= 1:
                    self.error(f"Het kwetsbaarheidsgewicht van groep '{group}' moet tussen 0 en 1 liggen.")
                else:
                    groups[str(group)] = float(value)
        return ImpactParams(
            people_reference=self.number(
                spec, "people_reference", d.people_reference, what("people_reference"), positive=True
            ),
            size_weight=size_weight,
            vulnerability_weight=vulnerability_weight,
            signal_vulnerability_k=self.number(
                spec,
                "signal_vulnerability_k",
                d.signal_vulnerability_k,
                what("signal_vulnerability_k"),
                positive=True,
            ),
            group_weights=groups,
        )

    def parse_scale(self, raw: object, axis: str) -> tuple[Band, ...]:
        name = _SCALE_LABELS[axis]
        if not isinstance(raw, list | tuple) or not raw:
            self.error(f"De schaal voor {name} bevat geen banden.")
            return ()
        bands: list[Band] = []
        valid = True
        for index, item in enumerate(raw, start=1):
            if not isinstance(item, Mapping):
                self.error(f"Band {index} van de schaal voor {name} moet een object zijn.")
                valid = False
                continue
            label = item.get("label")
            if not isinstance(label, str) or not label.strip():
                self.error(f"Band {index} van de schaal voor {name} heeft geen label.")
                label = f"band {index}"
            lower, upper = item.get("lower"), item.get("upper")
            if not _is_number(lower) or not _is_number(upper):
                self.error(
                    f"Band '{label}' van de schaal voor {name} heeft geen geldige onder- en bovengrens."
                )
                valid = False
                continue
            lower, upper = float(cast(float, lower)), float(cast(float, upper))
            if lower >= upper:
                self.error(
                    f"De ondergrens van band '{label}' van de schaal voor {name} moet kleiner zijn "
                    f"dan de bovengrens."
                )
                valid = False
            bands.append(Band(lower, upper, label))
        labels = [b.label for b in bands]
        for label in sorted({x for x in labels if labels.count(x) > 1}):
            self.error(f"De schaal voor {name} bevat het label '{label}' meer dan eens.")
        if not valid or not bands:
            return tuple(bands)
        bands.sort(key=lambda b: (b.lower, b.upper))
        if abs(bands[0].lower) > _BAND_TOLERANCE:
            self.error(
                f"De schaal voor {name} begint niet bij 0 "
                f"(band '{bands[0].label}' begint bij {_fmt(bands[0].lower)})."
            )
        if abs(bands[-1].upper - 1.0) > _BAND_TOLERANCE:
            self.error(
                f"De schaal voor {name} eindigt niet bij 1 "
                f"(band '{bands[-1].label}' eindigt bij {_fmt(bands[-1].upper)})."
            )
        for low, high in itertools.pairwise(bands):
            if high.lower < low.upper - _BAND_TOLERANCE:
                self.error(f"De banden '{low.label}' en '{high.label}' van de schaal voor {name} overlappen.")
            elif high.lower > low.upper + _BAND_TOLERANCE:
                self.error(
                    f"Tussen de banden '{low.label}' en '{high.label}' van de schaal voor {name} zit een gat."
                )
        return tuple(bands)

    def parse_matrix(
        self, raw: object, likelihood: tuple[Band, ...], impact: tuple[Band, ...]
    ) -> tuple[tuple[RiskClass, ...], ...]:
        if not isinstance(raw, list | tuple) or not raw:
            self.error("De risicomatrix ontbreekt of is leeg.")
            return ()
        rows: list[tuple[RiskClass, ...]] = []
        if likelihood and len(raw) != len(likelihood):
            self.error(
                f"De risicomatrix moet {len(likelihood)} rijen hebben (één per kansband), "
                f"maar heeft er {len(raw)}."
            )
        for r, raw_row in enumerate(raw, start=1):
            if not isinstance(raw_row, list | tuple):
                self.error(f"Rij {r} van de risicomatrix moet een lijst zijn.")
                continue
            if impact and len(raw_row) != len(impact):
                self.error(
                    f"Rij {r} van de risicomatrix moet {len(impact)} cellen hebben (één per impactband), "
                    f"maar heeft er {len(raw_row)}."
                )
            cells: list[RiskClass] = []
            for c, cell in enumerate(raw_row, start=1):
                if not isinstance(cell, Mapping):
                    self.error(f"Cel ({r}, {c}) van de risicomatrix moet een object met label en kleur zijn.")
                    continue
                label = cell.get("label")
                if not isinstance(label, str) or not label.strip():
                    self.error(f"Cel ({r}, {c}) van de risicomatrix heeft geen label.")
                    label = f"cel ({r}, {c})"
                colour = cell.get("colour")
                if not isinstance(colour, str) or not _COLOUR_RE.match(colour):
                    self.error(
                        f"De kleur '{colour}' van klasse '{label}' is geen geldige hexadecimale kleur "
                        f"(verwacht bijvoorbeeld #d73027)."
                    )
                    colour = "#000000"
                cells.append(RiskClass(label, colour))
            rows.append(tuple(cells))
        return tuple(rows)


def default_model_dict(version: int = 1) -> dict[str, Any]:
    """A sensible starting model: 5x5 matrix, classes by the sum of the band indexes."""
    labels = ["zeer laag", "laag", "midden", "hoog", "zeer hoog"]
    bands = [{"lower": i / 5, "upper": (i + 1) / 5, "label": labels[i]} for i in range(5)]
    classes = [
        {"label": "laag", "colour": "#1a9850"},
        {"label": "gemiddeld", "colour": "#fee08b"},
        {"label": "hoog", "colour": "#fc8d59"},
        {"label": "zeer hoog", "colour": "#d73027"},
    ]

    def cls(i: int, j: int) -> dict[str, str]:
        total = i + j
        return dict(classes[0 if total <= 2 else 1 if total <= 4 else 2 if total <= 6 else 3])

    return {
        "version": version,
        "name": "Standaard risicomodel",
        "criteria": {
            SIGNAL_LOAD: {
                "weight": 3,
                "half_life_days": 180,
                "k": 8,
                "severity_weights": {str(s): w for s, w in DEFAULT_SEVERITY_WEIGHTS.items()},
                "general_factor": 0.5,
            },
            NORM_BREACHES: {"weight": 2, "half_life_periods": 4, "k": 2},
            INDICATOR_PRESSURE: {"weight": 2, "window": 6, "trend_weight": 2},
            JUDGEMENTS: {"weight": 2, "half_life_days": 730, "k": 0.5},
            LEARNING_CAPACITY: {"weight": 1, "k": 3, "open_weight": 0.25},
            TIME_SINCE_INVESTIGATION: {"weight": 1, "tau_years": 4},
        },
        "impact": {
            "people_reference": 10_000,
            "size_weight": 1,
            "vulnerability_weight": 1,
            "signal_vulnerability_k": 2,
            "group_weights": {
                "minderjarigen": 1.0,
                "gedetineerden": 0.8,
                "asielzoekers": 0.9,
                "patiënten": 0.7,
            },
        },
        "combination": "product",
        "scales": {"likelihood": bands, "impact": [dict(b) for b in bands]},
        "matrix": [[cls(i, j) for j in range(5)] for i in range(5)],
        "evidence_top_n": 5,
    }


def default_model(version: int = 1) -> RiskModel:
    return RiskModel.from_dict(default_model_dict(version))
