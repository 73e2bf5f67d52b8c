"""The services of the intake desk: what a person notices after each write."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from toezicht.accounts.roles import Role
from toezicht.core.factories import (
    OrganisationFactory,
    SignalFactory,
    SupervisionAreaFactory,
    TeamFactory,
    ThemeFactory,
    UserFactory,
)
from toezicht.signals import services
from toezicht.signals.models import DuplicateCandidate, SeverityLevel, Signal, SignalEvent, SourceType

pytestmark = pytest.mark.django_db


@pytest.fixture
def area():
    return SupervisionAreaFactory(code="sanctietoepassing", name="Sanctietoepassing")


@pytest.fixture
def prison(area):
    return OrganisationFactory(name="PI Vught", areas=[area])


@pytest.fixture
def inspector(area):
    return UserFactory(role=Role.INSPECTOR, areas=[area])


def create(prison, inspector, title="Gedetineerde ontsnapt tijdens luchten", **kwargs):
    defaults = {
        "title": title,
        "description": kwargs.pop(
            "description",
            "Tijdens het luchten op de binnenplaats is een gedetineerde over het hek geklommen.",
        ),
        "source": SourceType.objects.get(code="incident_notification"),
        "received_on": kwargs.pop("received_on", datetime.date(2026, 3, 2)),
        "severity": SeverityLevel.objects.get(code="hoog"),
        "organisation": prison,
        "by": inspector,
    }
    defaults.update(kwargs)
    return services.signal_create(**defaults)


def kinds(signal: Signal) -> list[str]:
    return list(SignalEvent.objects.filter(signal=signal).order_by("at", "id").values_list("kind", flat=True))


def test_create_takes_the_area_of_the_organisation_and_publishes(
    prison, inspector, area, monkeypatch
) -> None:
    published = []
    monkeypatch.setattr(services, "publish_on_commit", lambda event, **kw: published.append((event, kw)))
    signal = create(prison, inspector)
    assert signal.area == area
    assert signal.created_by == inspector
    assert published == [("signal.created", {"signal_id": signal.pk})]


def test_reader_may_not_create(prison, area) -> None:
    reader = UserFactory(role=Role.READER, areas=[area])
    with pytest.raises(PermissionDenied):
        create(prison, reader)
    assert Signal.objects.count() == 0


def test_transitions_allowed_and_refused_with_history(prison, inspector) -> None:
    signal = create(prison, inspector)
    services.signal_transition(signal=signal, to_status="in_behandeling", by=inspector)
    with pytest.raises(ValidationError, match="kan niet naar 'gekoppeld'"):
        services.signal_transition(signal=signal, to_status="gekoppeld", by=inspector)
    services.signal_transition(signal=signal, to_status="beoordeeld", by=inspector, note="Ernstig")
    signal.refresh_from_db()
    assert signal.status == "beoordeeld"
    events = list(
        SignalEvent.objects.filter(signal=signal).order_by("id").values_list("from_status", "to_status")
    )
    assert events == [("", "ontvangen"), ("ontvangen", "in_behandeling"), ("in_behandeling", "beoordeeld")]


def test_history_is_append_only(prison, inspector) -> None:
    signal = create(prison, inspector)
    first = list(SignalEvent.objects.filter(signal=signal).values_list("pk", "note"))
    services.signal_update(signal=signal, by=inspector, data={"title": "Ontsnapping PI Vught"})
    services.signal_transition(signal=signal, to_status="in_behandeling", by=inspector)
    after = list(SignalEvent.objects.filter(signal=signal).order_by("id").values_list("pk", "note"))
    assert after[: len(first)] == first
    assert len(after) == 3


def test_update_records_changed_fields_and_resets_deadline(prison, inspector) -> None:
    signal = create(prison, inspector)
    theme = ThemeFactory(name="Veiligheid")
    media = SourceType.objects.get(code="media")
    services.signal_update(
        signal=signal, by=inspector, data={"title": "Ontsnapping", "source": media, "themes": [theme]}
    )
    signal.refresh_from_db()
    assert signal.title == "Ontsnapping"
    # Media: 2 working days after Monday 2 March 2026.
    assert signal.deadline == datetime.date(2026, 3, 4)
    note = SignalEvent.objects.filter(signal=signal, kind="notitie").get().note
    assert note.startswith("Gewijzigd:")
    assert "onderwerp: Gedetineerde ontsnapt tijdens luchten → Ontsnapping" in note
    assert "thema's: Veiligheid" in note
    # Nothing changed: no new history entry.
    services.signal_update(signal=signal, by=inspector, data={"title": "Ontsnapping"})
    assert SignalEvent.objects.filter(signal=signal, kind="notitie").count() == 1


def test_assign_one_and_many(prison, inspector, area) -> None:
    team = TeamFactory(area=area)
    colleague = UserFactory(role=Role.INSPECTOR, areas=[area])
    a = create(prison, inspector)
    b = create(
        prison, inspector, title="Brand in cel", description="Brand gesticht in een cel van afdeling C."
    )
    assert services.signal_assign(signals=[a, b], team=team, assignee=colleague, by=inspector) == 2
    for signal in (a, b):
        signal.refresh_from_db()
        assert (signal.assigned_team, signal.assigned_to) == (team, colleague)
        assert kinds(signal)[-1] == "toegewezen"
    with pytest.raises(ValidationError, match="team of een behandelaar"):
        services.signal_assign(signals=a, by=inspector)


def test_cannot_assign_a_confidential_signal_to_someone_who_cannot_see_it(prison, inspector) -> None:
    secret = SignalFactory(organisation=prison, area=prison.areas.first(), confidential=True)
    outsider = UserFactory(role=Role.INSPECTOR, areas=[SupervisionAreaFactory()])
    with pytest.raises(ValidationError, match="mag deze signalen niet zien"):
        services.signal_assign(signals=secret, assignee=outsider, by=inspector)
    secret.refresh_from_db()
    assert secret.assigned_to is None


def test_attachment_size_limit(prison, inspector, settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path
    signal = create(prison, inspector)
    services.signal_add_attachment(
        signal=signal, file=SimpleUploadedFile("verslag.pdf", b"%PDF-1.4 inhoud"), by=inspector
    )
    big = SimpleUploadedFile("groot.pdf", b"x")
    big.size = services.MAX_ATTACHMENT_BYTES + 1
    with pytest.raises(ValidationError, match="hoogstens 20 MB"):
        services.signal_add_attachment(signal=signal, file=big, by=inspector)
    assert [a.name for a in signal.attachments.all()] == ["verslag.pdf"]


def test_duplicates_are_flagged_within_the_window_of_the_same_organisation(prison, inspector, area) -> None:
    first = create(prison, inspector)
    elsewhere = OrganisationFactory(areas=[area])
    create(
        prison, inspector, title="Cel overstroomd", description="Een waterleiding in de keuken is gesprongen."
    )
    create(elsewhere, inspector)  # same text, other organisation: not flagged
    create(prison, inspector, received_on=datetime.date(2026, 6, 1))  # three months later: not flagged
    second = create(
        prison,
        inspector,
        title="Ontsnapping gedetineerde tijdens luchten",
        description="Tijdens het luchten op de binnenplaats klom een gedetineerde over het hek.",
        received_on=datetime.date(2026, 3, 4),
    )
    pairs = list(DuplicateCandidate.objects.filter(signal=second).values_list("other_id", flat=True))
    assert pairs == [first.pk]
    candidate = DuplicateCandidate.objects.get(signal=second)
    assert candidate.reason.startswith("Zelfde organisatie")
    assert 0.5 <= candidate.score <= 1


def test_merge_keeps_both_histories_and_closes_the_duplicate(prison, inspector) -> None:
    a = create(prison, inspector)
    services.signal_transition(signal=a, to_status="in_behandeling", by=inspector)
    b = create(prison, inspector, received_on=datetime.date(2026, 3, 3))
    theme = ThemeFactory()
    b.themes.add(theme)
    history_a, history_b = kinds(a), kinds(b)
    services.signal_merge(target=a, duplicate=b, by=inspector)
    a.refresh_from_db()
    b.refresh_from_db()
    assert b.merged_into == a
    assert b.status == "afgesloten"
    assert kinds(a) == [*history_a, "samengevoegd"]
    assert kinds(b) == [*history_b, "samengevoegd"]
    assert theme in a.themes.all()
    assert DuplicateCandidate.objects.get(signal=b).decision == "samengevoegd"
    with pytest.raises(ValidationError, match="al samengevoegd"):
        services.signal_merge(target=a, duplicate=b, by=inspector)
    with pytest.raises(ValidationError, match="samengevoegd"):
        services.signal_transition(signal=b, to_status="in_behandeling", by=inspector)


def test_dismiss_a_duplicate(prison, inspector) -> None:
    create(prison, inspector)
    b = create(prison, inspector, received_on=datetime.date(2026, 3, 3))
    candidate = DuplicateCandidate.objects.get(signal=b)
    services.duplicate_dismiss(candidate=candidate, by=inspector)
    candidate.refresh_from_db()
    assert candidate.decision == "geen_dubbel"
    assert candidate.decided_by == inspector
    assert kinds(b)[-1] == "notitie"
    with pytest.raises(ValidationError, match="al besloten"):
        services.duplicate_dismiss(candidate=candidate, by=inspector)


def test_sender_token_stores_only_a_hash(prison) -> None:
    token, key = services.sender_token_create(organisation=prison, label="Meldsysteem")
    assert key.startswith("mld_")
    assert token.key_hash == services.sender_key_hash(key)
    assert key not in {token.key_hash, token.prefix}
    assert token.prefix == key[:8]
    with pytest.raises(ValidationError):
        services.sender_token_create(organisation=prison, label="  ")


def test_numbering_continues_past_six_digits() -> None:
    # As text, S-2026-1000000 sorts before S-2026-999999; the next number must still be 1,000,001.
    from toezicht.core.factories import SignalFactory
    from toezicht.signals.services import next_reference

    SignalFactory(reference="S-2026-999999")
    SignalFactory(reference="S-2026-1000000")
    assert next_reference(datetime.date(2026, 3, 1)) == "S-2026-1000001"
