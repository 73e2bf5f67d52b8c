"""The demo signals: realistic spread, some confidential, overdue and duplicate; loaded only once."""

from __future__ import annotations

import pytest

from toezicht.demo.loader import load_demo
from toezicht.signals.models import Confidentiality, DuplicateCandidate, SenderToken, Signal

pytestmark = pytest.mark.django_db


def test_demo_signals(monkeypatch) -> None:
    import toezicht.demo.loader as loader

    monkeypatch.setattr(loader, "DEMO_MODULES", ["toezicht.signals.demo_data"])
    summary = load_demo()
    line = next(line for line in summary.extras if line.startswith("Signalen:"))
    assert Signal.objects.count() == 300
    assert Signal.objects.filter(confidentiality=Confidentiality.CONFIDENTIAL).count() >= 5
    assert DuplicateCandidate.objects.count() >= 5
    open_overdue = [s for s in Signal.objects.all() if s.days_overdue > 0]
    assert len(open_overdue) >= 5
    assert Signal.objects.exclude(status="ontvangen").count() > 150
    assert Signal.objects.filter(themes__isnull=False).distinct().count() > 250
    assert Signal.objects.values("area").distinct().count() >= 5
    assert SenderToken.objects.count() == 0
    assert "mld_" not in line
    load_demo()
    assert Signal.objects.count() == 300
