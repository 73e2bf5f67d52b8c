"""Demo data of the risk picture: the default model (Dutch labels) and two snapshots to compare."""

from __future__ import annotations

import datetime

from django.utils import timezone

from toezicht.risk import services
from toezicht.risk.engine import default_model_dict
from toezicht.risk.models import ModelStatus, RiskModelVersion, SnapshotTrigger

# Organisation type → shares of vulnerable groups among the people it serves (drives the impact).
DEMO_TYPE_GROUPS: dict[str, dict[str, float]] = {
    "pi": {"gedetineerden": 1.0},
    "jji": {"minderjarigen": 1.0, "gedetineerden": 1.0},
    "fpc": {"patiënten": 1.0, "gedetineerden": 0.5},
    "coa-locatie": {"asielzoekers": 1.0, "minderjarigen": 0.2},
    "gi": {"minderjarigen": 1.0},
    "rvdk-regio": {"minderjarigen": 0.8},
}


# Organisation type → typical number of people it serves or is responsible for (order of magnitude).
DEMO_TYPE_PEOPLE: dict[str, int] = {
    "politie": 17_000_000,
    "politie-eenheid": 1_500_000,
    "politieonderwijs": 10_000,
    "veiligheidsregio": 700_000,
    "agentschap": 100_000,
    "pi": 400,
    "detentiecentrum": 300,
    "jji": 60,
    "fpc": 150,
    "gi": 3_000,
    "rvdk": 40_000,
    "rvdk-regio": 4_000,
    "reclassering": 10_000,
    "coa-locatie": 500,
    "ketenpartner": 5_000,
}


def ensure_default_version() -> RiskModelVersion:
    version = RiskModelVersion.objects.filter(status=ModelStatus.ACTIVE).first()
    if version is not None:
        return version
    version = RiskModelVersion.objects.order_by("-number").first()
    if version is None:
        config = default_model_dict()
        version = services.model_version_create(
            name="Standaard risicomodel",
            description=(
                "Eerste versie: signalen wegen het zwaarst, daarna normoverschrijdingen en indicatoren."
            ),
            config=config,
            type_groups=DEMO_TYPE_GROUPS,
            type_people=DEMO_TYPE_PEOPLE,
        )
    if version.status == ModelStatus.CONCEPT:
        services.model_version_transition(version=version, to=ModelStatus.ACTIVE, note="demo")
    return version


def load_demo_data() -> str:
    version = ensure_default_version()
    today = timezone.localdate()
    # An earlier picture (a month ago) and today's, so the comparison page has something to show.
    first = services.recompute_full(
        trigger=SnapshotTrigger.SCHEDULED, reference_date=today - datetime.timedelta(days=30)
    )
    second = services.recompute_full(trigger=SnapshotTrigger.FULL, reference_date=today)
    return (
        f"Risicobeeld: modelversie {version.number}, berekeningen {first.pk} en {second.pk} "
        f"({second.n_scores} scores, {second.duration_s:.1f} s)"
    )
