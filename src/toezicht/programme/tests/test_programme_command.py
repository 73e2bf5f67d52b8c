"""`toezicht plan_programme`: prints value, gap and binding constraints; Dutch errors."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from toezicht.programme import services

from .factories import small_programme

pytestmark = pytest.mark.django_db


def test_plan_programme_prints_value_gap_and_binding() -> None:
    data = small_programme()
    out = io.StringIO()
    call_command("plan_programme", "--year", "2027", stdout=out)
    text = out.getvalue()
    assert "optimaal" in text
    assert "Waarde: 240.0" in text
    assert "gap: 0.000 %" in text
    assert "Bindende eisen:" in text
    assert "Team Migratie" in text
    services.scenario_save(programme=data["programme"], name="Krap", changes={data["team"]: -1})
    with pytest.raises(CommandError, match="Er bestaat geen werkprogramma"):
        call_command("plan_programme", "--year", "2027", "--scenario", "Krap", stdout=io.StringIO())


def test_plan_programme_unknown_year_or_scenario() -> None:
    small_programme()
    with pytest.raises(CommandError, match="geen werkprogramma voor 1999"):
        call_command("plan_programme", "--year", "1999")
    with pytest.raises(CommandError, match="bestaat niet"):
        call_command("plan_programme", "--year", "2027", "--scenario", "Onbekend")
