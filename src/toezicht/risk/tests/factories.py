"""Builders for the risk tests: model versions and a hand-computable example in the database."""

from __future__ import annotations

import copy
import datetime
from dataclasses import dataclass
from typing import Any

from toezicht.core.factories import (
    OrganisationFactory,
    OrganisationTypeFactory,
    SignalFactory,
    SupervisionAreaFactory,
    ThemeFactory,
)
from toezicht.register.models import Organisation, SupervisionArea
from toezicht.risk import services
from toezicht.risk.engine import default_model_dict
from toezicht.risk.models import ModelStatus, RiskModelVersion
from toezicht.signals.models import SeverityLevel
from toezicht.strategy.models import Theme

REFERENCE = datetime.date(2025, 6, 30)


def hand_model_dict() -> dict[str, Any]:
    """Only signal load (weight 1) and time since investigation (weight 1) count."""
    data = default_model_dict()
    data["criteria"] = {
        "signal_load": {
            "weight": 1,
            "half_life_days": 100,
            "k": 4,
            "severity_weights": {"1": 1, "2": 2, "3": 4, "4": 8, "5": 16},
            "general_factor": 0.5,
        },
        "norm_breaches": {"weight": 0, "half_life_periods": 2, "k": 1},
        "indicator_pressure": {"weight": 0, "window": 3, "trend_weight": 1},
        "judgements": {"weight": 0, "half_life_days": 365, "k": 0.5},
        "learning_capacity": {"weight": 0, "k": 2, "open_weight": 0.5},
        "time_since_investigation": {"weight": 1, "tau_years": 2},
    }
    data["impact"] = {
        "people_reference": 999,
        "size_weight": 1,
        "vulnerability_weight": 1,
        "signal_vulnerability_k": 1,
        "group_weights": {"minderjarigen": 1.0, "gedetineerden": 0.8},
    }
    return copy.deepcopy(data)


def active_version(
    config: dict[str, Any] | None = None, type_groups: dict[str, Any] | None = None
) -> RiskModelVersion:
    version = services.model_version_create(
        name="Testmodel", config=config or hand_model_dict(), type_groups=type_groups or {}
    )
    services.model_version_transition(version=version, to=ModelStatus.ACTIVE)
    version.refresh_from_db()
    return version


@dataclass
class HandExample:
    area: SupervisionArea
    other_area: SupervisionArea
    organisation: Organisation
    other: Organisation
    theme: Theme
    theme2: Theme
    version: RiskModelVersion


def hand_example() -> HandExample:
    """One PI (vulnerability 0.8 through its type) with one 'hoog' signal 100 days old about 999 people.

    By hand: signal load S = 4 * 0.5 = 2, value 2 / (2 + 4) = 1/3, contribution 1/6; never investigated:
    contribution 1/2; likelihood 2/3. Impact: size 1, vulnerability 0.8, mean 0.9. Score 60.
    Second theme: likelihood 1/2, impact (0 + 0.8) / 2 = 0.4, score 20.
    """
    area = SupervisionAreaFactory(code="sanctie", name="Sanctietoepassing")
    other_area = SupervisionAreaFactory(code="politie-x", name="Politie X")
    pi_type = OrganisationTypeFactory(code="pi-test", name="PI test")
    organisation = OrganisationFactory(name="PI Voorbeeld", type=pi_type, areas=[area])
    other = OrganisationFactory(name="Politie Elders", areas=[other_area])
    theme = ThemeFactory(name="Veiligheid")
    theme2 = ThemeFactory(name="Zorg")
    SignalFactory(
        organisation=organisation,
        severity=SeverityLevel.objects.get(rank=3),
        received_on=REFERENCE - datetime.timedelta(days=100),
        people_affected=999,
        themes=[theme],
    )
    version = active_version(type_groups={"pi-test": {"gedetineerden": 1.0}})
    return HandExample(area, other_area, organisation, other, theme, theme2, version)
