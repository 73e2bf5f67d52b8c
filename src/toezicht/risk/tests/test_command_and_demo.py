"""The recompute command and the demo data."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from toezicht.risk import services
from toezicht.risk.demo_data import load_demo_data
from toezicht.risk.models import ModelStatus, RiskModelVersion, RiskSnapshot, SnapshotStatus
from toezicht.risk.tests.factories import hand_example

pytestmark = pytest.mark.django_db


def test_command_recomputes_and_explains_one_organisation() -> None:
    ex = hand_example()
    out = StringIO()
    call_command("recompute_risk", "--organisation", ex.organisation.code, stdout=out)
    text = out.getvalue()
    assert "berekend in" in text
    assert "1 signalen" in text
    assert "PI Voorbeeld" in text
    assert "Signaallast" in text
    assert RiskSnapshot.objects.filter(status=SnapshotStatus.COMPLETE).count() == 1


def test_command_refuses_an_unknown_organisation_in_dutch() -> None:
    hand_example()
    with pytest.raises(CommandError, match="bestaat niet"):
        call_command("recompute_risk", "--organisation", "bestaat-niet", stdout=StringIO())
    assert not RiskSnapshot.objects.exists()


def test_demo_data_creates_an_active_model_and_two_snapshots() -> None:
    hand_example()
    RiskModelVersion.objects.all().delete()
    services.clear_cache()
    line = load_demo_data()
    assert "Risicobeeld" in line
    assert RiskModelVersion.objects.get(status=ModelStatus.ACTIVE).config["scales"]["likelihood"][0][
        "label"
    ] == ("zeer laag")
    assert RiskSnapshot.objects.complete().count() == 2
