"""Who sees which signal: the area rule, and confidential signals seen only by their area team."""

from __future__ import annotations

import datetime

import pytest

from toezicht.accounts.roles import Role
from toezicht.core.factories import OrganisationFactory, SignalFactory, SupervisionAreaFactory, UserFactory
from toezicht.signals.models import Signal, SignalEvent, SourceType
from toezicht.signals.services import signal_create, signal_transition

pytestmark = pytest.mark.django_db


def test_area_rule_and_confidential_signals() -> None:
    prisons, police = SupervisionAreaFactory(), SupervisionAreaFactory()
    prison = OrganisationFactory(areas=[prisons])
    ordinary = SignalFactory(organisation=prison, area=prisons)
    secret = SignalFactory(organisation=prison, area=prisons, confidential=True)
    named = UserFactory(areas=[police])
    secret.authorised_users.add(named)

    inspector = UserFactory(areas=[prisons])
    outsider = UserFactory(areas=[police])
    general = UserFactory(role=Role.INSPECTOR_GENERAL)

    assert set(Signal.objects.visible_to(inspector)) == {ordinary, secret}
    assert list(Signal.objects.visible_to(outsider)) == []
    assert list(Signal.objects.visible_to(named)) == [secret]
    # The inspector-general sees every area, but a confidential signal only when named on it.
    assert list(Signal.objects.visible_to(general)) == [ordinary]


def test_created_signal_gets_reference_deadline_and_history() -> None:
    from toezicht.signals.models import SeverityLevel

    source = SourceType.objects.get(code="incident_notification")
    # Friday 24 April 2026 + 10 working days passes Koningsdag (Monday 27 April): due Monday 11 May.
    signal = signal_create(
        title="Brand op afdeling",
        source=source,
        received_on=datetime.date(2026, 4, 24),
        severity=SeverityLevel.objects.get(code="hoog"),
    )
    assert signal.reference == "S-2026-000001"
    assert signal.deadline == datetime.date(2026, 5, 11)
    second = signal_create(
        title="Tweede", source=source, received_on=datetime.date(2026, 5, 1), severity=signal.severity
    )
    assert second.reference == "S-2026-000002"

    signal_transition(signal=signal, to_status="in_behandeling", by=None)
    with pytest.raises(Exception, match="kan niet naar"):
        signal_transition(signal=signal, to_status="gekoppeld", by=None)
    kinds = list(SignalEvent.objects.filter(signal=signal).values_list("kind", "to_status"))
    assert kinds == [("aangemaakt", "ontvangen"), ("status", "in_behandeling")]
