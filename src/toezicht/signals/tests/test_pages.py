"""The intake desk pages: inbox, filters, bulk assignment, create with suggestions, detail, visibility."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from toezicht.accounts.roles import Role
from toezicht.core.factories import (
    OrganisationFactory,
    SignalFactory,
    SupervisionAreaFactory,
    TeamFactory,
    ThemeFactory,
    UserFactory,
)
from toezicht.signals import selectors, services
from toezicht.signals.models import SeverityLevel, Signal, SignalEvent, SourceType

pytestmark = pytest.mark.django_db


@pytest.fixture
def area():
    return SupervisionAreaFactory(code="sanctietoepassing", name="Sanctietoepassing")


@pytest.fixture
def other_area():
    return SupervisionAreaFactory(code="politie", name="Politie")


@pytest.fixture
def prison(area):
    return OrganisationFactory(name="PI Vught", areas=[area])


@pytest.fixture
def inspector_user(area):
    return UserFactory(role=Role.INSPECTOR, areas=[area])


@pytest.fixture
def inspector(inspector_user) -> Client:
    client = Client()
    client.force_login(inspector_user)
    return client


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def inbox_refs(client: Client, **params: object) -> list[str]:
    response = client.get(reverse("signals:inbox"), params)
    assert response.status_code == 200
    return [s.reference for s in response.context["page_obj"].object_list]


def test_inbox_filters_search_and_sorting(inspector: Client, prison, area) -> None:
    media = SourceType.objects.get(code="media")
    theme = ThemeFactory(name="Personeel")
    a = SignalFactory(reference="S-2026-000001", title="Ontsnapping tijdens luchten", organisation=prison)
    b = SignalFactory(
        reference="S-2026-000002",
        title="Personeelstekort nachtdienst",
        organisation=prison,
        source=media,
        themes=[theme],
    )
    c = SignalFactory(reference="S-2026-000003", title="Brand op afdeling", organisation=prison, closed=True)
    late = SignalFactory(
        reference="S-2026-000004", title="Klacht bejegening", organisation=prison, overdue=True
    )
    assert inbox_refs(inspector, q="luchten") == [a.reference]
    assert inbox_refs(inspector, q="000002") == [b.reference]
    assert inbox_refs(inspector, q="s-2026-000002") == [b.reference]  # a whole kenmerk, any case
    assert inbox_refs(inspector, q="S-2026-000002 nachtdienst") == [b.reference]
    assert inbox_refs(inspector, q="S-2026-000002 luchten") == []
    assert inbox_refs(inspector, bron=media.pk) == [b.reference]
    assert inbox_refs(inspector, thema=theme.pk) == [b.reference]
    assert inbox_refs(inspector, status="afgesloten") == [c.reference]
    assert c.reference not in inbox_refs(inspector, status="open")
    assert inbox_refs(inspector, termijn="ja") == [late.reference]
    assert late.reference not in inbox_refs(inspector, termijn="nee")
    assert inbox_refs(inspector, organisatie="vugh") == inbox_refs(inspector)
    assert inbox_refs(inspector, organisatie=str(prison.pk)) == inbox_refs(inspector)
    assert inbox_refs(inspector, sorteer="termijn")[0] == late.reference


def test_overdue_is_shown_with_days(inspector: Client, prison) -> None:
    SignalFactory(title="Klacht bejegening", organisation=prison, overdue=True)
    html = inspector.get(reverse("signals:inbox")).content.decode()
    # received 60 days ago with a 14-day deadline: 46 days late
    assert "46 dagen te laat" in html


def test_bad_filter_values_are_ignored(inspector: Client, prison) -> None:
    signal = SignalFactory(organisation=prison)
    for params in (
        {"gebied": "abc"},
        {"page": "zeven"},
        {"page": "999"},
        {"sorteer": "x"},
        {"status": "kwijt"},
    ):
        assert signal.reference in inbox_refs(inspector, **params)
    # A very long number is searched as a name: no match, but no error either.
    assert inbox_refs(inspector, organisatie="9" * 30) == []


def test_htmx_returns_only_the_results(inspector: Client, prison) -> None:
    SignalFactory(organisation=prison)
    response = inspector.get(reverse("signals:inbox"), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<html" not in html
    assert "signalen gevonden" in html or "signaal gevonden" in html


def test_inbox_query_count_is_bounded(inspector: Client, prison, area, django_assert_max_num_queries) -> None:
    team = TeamFactory(area=area)
    for _ in range(30):
        SignalFactory(organisation=prison, assigned_team=team)
    with django_assert_max_num_queries(14):
        response = inspector.get(reverse("signals:inbox"))
    assert len(response.context["page_obj"].object_list) == 25


def test_count_is_capped(inspector: Client, prison, monkeypatch) -> None:
    monkeypatch.setattr(selectors, "COUNT_LIMIT", 5)
    for _ in range(7):
        SignalFactory(organisation=prison)
    html = inspector.get(reverse("signals:inbox")).content.decode()
    assert "Meer dan 5 signalen gevonden" in html


def test_bulk_assignment(inspector: Client, inspector_user, prison, area) -> None:
    team = TeamFactory(area=area, name="Team Sanctietoepassing")
    a, b, c = (SignalFactory(organisation=prison) for _ in range(3))
    response = inspector.post(
        reverse("signals:bulk_assign"),
        {
            "signalen": [a.pk, b.pk],
            "team": team.pk,
            "behandelaar": inspector_user.pk,
            "next": "/signalen/?q=x",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/signalen/?q=x"
    assert set(Signal.objects.filter(assigned_team=team).values_list("pk", flat=True)) == {a.pk, b.pk}
    assert Signal.objects.get(pk=c.pk).assigned_team is None
    assert SignalEvent.objects.filter(kind="toegewezen").count() == 2


def test_bulk_assignment_of_an_invisible_signal_is_404(inspector: Client, other_area, area) -> None:
    team = TeamFactory(area=area)
    police = SignalFactory(organisation=OrganisationFactory(areas=[other_area]))
    response = inspector.post(reverse("signals:bulk_assign"), {"signalen": [police.pk], "team": team.pk})
    assert response.status_code == 404
    assert Signal.objects.get(pk=police.pk).assigned_team is None


def test_reader_cannot_assign_or_create(area, prison) -> None:
    reader = login(UserFactory(role=Role.READER, areas=[area]))
    signal = SignalFactory(organisation=prison)
    assert reader.get(reverse("signals:create")).status_code == 403
    assert reader.post(reverse("signals:bulk_assign"), {"signalen": [signal.pk]}).status_code == 403
    html = reader.get(reverse("signals:inbox")).content.decode()
    assert 'name="signalen"' not in html


def test_create_signal_with_attachment(inspector: Client, prison, area, settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path
    source = SourceType.objects.get(code="incident_notification")
    response = inspector.post(
        reverse("signals:create"),
        {
            "opslaan": "1",
            "title": "Geweld tegen personeel",
            "description": "Een medewerker is geslagen op afdeling B.",
            "source": source.pk,
            "received_on": "2026-11-02",
            "organisation": prison.pk,
            "severity": SeverityLevel.objects.get(code="hoog").pk,
            "confidentiality": "intern",
            "attachment": SimpleUploadedFile("verslag.txt", b"verslag van het incident"),
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    signal = Signal.objects.get(title="Geweld tegen personeel")
    assert signal.area == area
    assert signal.attachments.get().name == "verslag.txt"
    detail = inspector.get(response["Location"])
    assert "verslag.txt" in detail.content.decode()


def test_create_form_errors_are_dutch(inspector: Client) -> None:
    response = inspector.post(reverse("signals:create"), {"opslaan": "1", "title": ""})
    assert response.status_code == 200
    assert "Kies een organisatie of een toezichtgebied." in response.content.decode()
    assert Signal.objects.count() == 0


def _train_examples(prison, theme_a, theme_b) -> None:
    for i in range(20):
        SignalFactory(
            organisation=prison,
            title=f"Ontsnapping gedetineerde over het hek {i}",
            description="Gedetineerde ontvlucht tijdens luchten, beveiliging faalde.",
            themes=[theme_a],
        )
        SignalFactory(
            organisation=prison,
            title=f"Personeelstekort op de afdeling {i}",
            description="Te weinig personeel ingeroosterd, dagprogramma vervalt.",
            themes=[theme_b],
        )


def test_triage_suggestions_are_shown_not_applied(inspector: Client, prison) -> None:
    selectors.clear_triage_cache()
    veiligheid, personeel = ThemeFactory(name="Veiligheid"), ThemeFactory(name="Personeel")
    _train_examples(prison, veiligheid, personeel)
    response = inspector.post(
        reverse("signals:create"),
        {
            "suggesties": "1",
            "title": "Ontsnapping uit PI Vught",
            "description": "Een gedetineerde is over het hek ontvlucht tijdens het luchten.",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert f'value="organisation:{prison.pk}"' in html
    assert f'value="theme:{veiligheid.pk}"' in html
    assert Signal.objects.filter(title__startswith="Ontsnapping uit").count() == 0
    # The form keeps what was typed, but no organisation or theme was chosen.
    form = response.context["form"]
    assert form.initial["title"] == "Ontsnapping uit PI Vught"
    assert not form.initial.get("organisation")
    assert form.initial["themes"] == []
    # Pressing the button fills in that suggestion only.
    response = inspector.post(
        reverse("signals:create"),
        {"toepassen": f"theme:{veiligheid.pk}", "title": "Ontsnapping uit PI Vught"},
    )
    assert response.context["form"].initial["themes"] == [str(veiligheid.pk)]
    assert Signal.objects.filter(title__startswith="Ontsnapping uit").count() == 0


def test_detail_applies_a_suggestion_only_on_request(inspector: Client, prison) -> None:
    selectors.clear_triage_cache()
    veiligheid, personeel = ThemeFactory(name="Veiligheid"), ThemeFactory(name="Personeel")
    _train_examples(prison, veiligheid, personeel)
    signal = SignalFactory(
        organisation=prison,
        title="Gedetineerde ontvlucht over het hek",
        description="Tijdens het luchten ontsnapt.",
    )
    html = inspector.get(reverse("signals:detail", args=[signal.pk])).content.decode()
    assert f'value="theme:{veiligheid.pk}"' in html
    assert list(signal.themes.all()) == []
    inspector.post(
        reverse("signals:apply_suggestion", args=[signal.pk]), {"toepassen": f"theme:{veiligheid.pk}"}
    )
    assert list(signal.themes.all()) == [veiligheid]


def test_detail_transition_buttons_and_history(inspector: Client, prison, inspector_user) -> None:
    signal = services.signal_create(
        title="Calamiteit FPC",
        source=SourceType.objects.get(code="calamity_notification"),
        received_on=datetime.date.today(),
        severity=SeverityLevel.objects.get(code="hoog"),
        organisation=prison,
        by=inspector_user,
    )
    html = inspector.get(reverse("signals:detail", args=[signal.pk])).content.decode()
    assert "In behandeling nemen" in html
    assert "Koppelen aan toezicht" not in html
    response = inspector.post(reverse("signals:transition", args=[signal.pk]), {"naar": "in_behandeling"})
    assert response.status_code == 302
    signal.refresh_from_db()
    assert signal.status == "in_behandeling"
    html = inspector.get(reverse("signals:detail", args=[signal.pk])).content.decode()
    assert "ontvangen → in behandeling" in html
    # A refused transition is a Dutch message, not an error page.
    response = inspector.post(
        reverse("signals:transition", args=[signal.pk]), {"naar": "gekoppeld"}, follow=True
    )
    assert "kan niet naar" in response.content.decode()


def test_merge_and_dismiss_from_the_detail_page(inspector: Client, prison, inspector_user) -> None:
    from toezicht.signals.tests.factories import DuplicateCandidateFactory

    a, b = SignalFactory(organisation=prison), SignalFactory(organisation=prison)
    candidate = DuplicateCandidateFactory(signal=b, other=a)
    html = inspector.get(reverse("signals:detail", args=[a.pk])).content.decode()
    assert str(b.reference) in html
    inspector.post(reverse("signals:duplicate_decide", args=[a.pk, candidate.pk]), {"besluit": "samenvoegen"})
    b.refresh_from_db()
    assert b.merged_into == a
    c, d = SignalFactory(organisation=prison), SignalFactory(organisation=prison)
    other = DuplicateCandidateFactory(signal=c, other=d)
    inspector.post(reverse("signals:duplicate_decide", args=[c.pk, other.pk]), {"besluit": "geen-dubbel"})
    other.refresh_from_db()
    assert other.decision == "geen_dubbel"


@pytest.mark.parametrize("role", [Role.INSPECTOR_GENERAL, Role.ADMINISTRATOR, Role.INSPECTOR])
def test_confidential_signal_of_another_area_is_invisible(role, area, other_area, prison) -> None:
    secret = SignalFactory(organisation=prison, area=area, confidential=True, title="Geheime melding")
    user = UserFactory(role=role, areas=[other_area])
    client = login(user)
    assert secret.reference not in inbox_refs(client)
    assert secret.reference not in inbox_refs(client, q="Geheime")
    assert client.get(reverse("signals:detail", args=[secret.pk])).status_code == 404
    assert client.get(reverse("signals:attachment_download", args=[secret.pk, 1])).status_code == 404
    org_page = client.get(reverse("register:organisation_detail", args=[prison.pk]))
    if org_page.status_code == 200:
        assert "Geheime melding" not in org_page.content.decode()
    # Once named on the signal, the user sees it.
    secret.authorised_users.add(user)
    assert secret.reference in inbox_refs(client)
    assert client.get(reverse("signals:detail", args=[secret.pk])).status_code == 200


def test_attachment_download_only_for_those_who_see_the_signal(
    inspector: Client, inspector_user, prison, other_area, settings, tmp_path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    signal = SignalFactory(organisation=prison)
    attachment = services.signal_add_attachment(
        signal=signal, file=SimpleUploadedFile("a.txt", b"inhoud"), by=inspector_user
    )
    url = reverse("signals:attachment_download", args=[signal.pk, attachment.pk])
    response = inspector.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"inhoud"
    outsider = login(UserFactory(role=Role.INSPECTOR, areas=[other_area]))
    assert outsider.get(url).status_code == 404


def test_organisation_panel_shows_timeline(inspector: Client, prison) -> None:
    SignalFactory(organisation=prison, title="Recente melding")
    SignalFactory(
        organisation=prison,
        title="Oude melding",
        received_on=datetime.date.today() - datetime.timedelta(days=500),
    )
    html = inspector.get(reverse("register:organisation_detail", args=[prison.pk])).content.decode()
    assert "Signalen per maand" in html
    assert "1 signaal in de afgelopen twaalf maanden" in html
    assert "Recente melding" in html


def test_sender_token_page_for_administrators_only(area, prison) -> None:
    assert (
        login(UserFactory(role=Role.INSPECTOR, areas=[area]))
        .get(reverse("signals:sender_tokens"))
        .status_code
        == 403
    )
    admin = login(UserFactory(role=Role.ADMINISTRATOR))
    response = admin.post(
        reverse("signals:sender_tokens"), {"organisation": prison.pk, "label": "Meldsysteem"}
    )
    html = response.content.decode()
    assert "Kopieer hem nu" in html
    from toezicht.signals.models import SenderToken

    token = SenderToken.objects.get()
    assert token.prefix in html
    admin.post(reverse("signals:sender_tokens"), {"intrekken": token.pk})
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_edit_page_records_the_changes(inspector: Client, prison) -> None:
    signal = SignalFactory(organisation=prison, title="Oude titel")
    form = inspector.get(reverse("signals:edit", args=[signal.pk])).context["form"]
    data = {name: form.initial.get(name) for name in form.fields}
    data = {k: ([x.pk for x in v] if isinstance(v, list) else v) for k, v in data.items() if v is not None}
    data["title"] = "Nieuwe titel"
    data["received_on"] = signal.received_on.isoformat()
    response = inspector.post(reverse("signals:edit", args=[signal.pk]), data)
    assert response.status_code == 302, response.context["form"].errors
    signal.refresh_from_db()
    assert signal.title == "Nieuwe titel"
    note = SignalEvent.objects.get(signal=signal, kind="notitie").note
    assert note == "Gewijzigd: onderwerp: Oude titel → Nieuwe titel"


def test_inbox_links_to_import_only_for_users_who_may_change_signals(inspector: Client, area) -> None:
    import_url = reverse("signals:import")
    assert import_url in inspector.get(reverse("signals:inbox")).content.decode()
    reader = login(UserFactory(role=Role.READER, areas=[area]))
    assert import_url not in reader.get(reverse("signals:inbox")).content.decode()


@pytest.mark.parametrize("limit", [3, 100])
def test_a_search_lists_the_same_signals_in_the_same_order_however_many_match(
    inspector: Client, prison, monkeypatch, limit: int
) -> None:
    """Few matches are fetched by one unordered scan and then ordered; many keep the ordered index walk.
    Either way the inbox shows the newest first, with the other filters and sorts applied."""
    monkeypatch.setattr(selectors, "COUNT_LIMIT", limit)
    today = datetime.date.today()
    for days in (3, 1, 4, 0, 2):
        SignalFactory(
            title=f"Brand in cel ({days})", organisation=prison, received_on=today - datetime.timedelta(days)
        )
    SignalFactory(title="Brand in cel (gesloten)", organisation=prison, closed=True)
    SignalFactory(title="Ontsnapping", organisation=prison)
    newest_first = [f"Brand in cel ({days})" for days in (0, 1, 2, 3, 4)]

    response = inspector.get(reverse("signals:inbox"), {"q": "brand in", "status": "open"})
    assert [s.title for s in response.context["page_obj"].object_list] == newest_first
    oldest_first = inspector.get(
        reverse("signals:inbox"), {"q": "cel", "status": "open", "sorteer": "-ontvangen"}
    )
    assert [s.title for s in oldest_first.context["page_obj"].object_list] == newest_first[::-1]
    by_severity = inspector.get(reverse("signals:inbox"), {"q": "cel", "sorteer": "ernst"})
    assert len(by_severity.context["page_obj"].object_list) == 6


def test_ids_written_in_other_digits_are_unknown_ids_not_errors(inspector: Client, prison) -> None:
    """'²' passes str.isdigit but int() refuses it: the inbox filter, the bulk assignment and the
    suggestion buttons treat it as an unknown value (hypothesis found the inbox case)."""
    signal = SignalFactory(organisation=prison)
    response = inspector.get(reverse("signals:inbox"), {"organisatie": "²"})
    assert response.status_code == 200
    assert response.context["page_obj"].object_list == []  # no organisation is called '²'
    assert inspector.get(reverse("signals:inbox"), {"organisatie": "9" * 30}).status_code == 200
    response = inspector.post(reverse("signals:bulk_assign"), {"signalen": ["²", "1" * 30], "team": ""})
    assert response.status_code == 302
    assert Signal.objects.get(pk=signal.pk).assigned_team is None
    # a 'next' that is no path was read as the name of a view to reverse (a 500): back to the inbox instead
    for target in ("²", "signals:inbox", "https://elders.example/"):
        response = inspector.post(reverse("signals:bulk_assign"), {"signalen": [signal.pk], "next": target})
        assert response.status_code == 302
        assert response["Location"] == reverse("signals:inbox")
    source = SourceType.objects.get(code="incident_notification")
    response = inspector.post(
        reverse("signals:create"),
        {
            "opslaan": "1",
            "title": "Geweld tegen personeel",
            "source": source.pk,
            "received_on": "2026-11-02",
            "organisation": prison.pk,
            "severity": SeverityLevel.objects.get(code="hoog").pk,
            "confidentiality": "intern",
            "themes": ["9" * 25],
        },
    )
    assert response.status_code == 200
    assert "themes" in response.context["form"].errors
    assert not Signal.objects.filter(title="Geweld tegen personeel").exists()
    response = inspector.post(
        reverse("signals:apply_suggestion", args=[signal.pk]), {"toepassen": "organisation:²"}
    )
    assert response.status_code == 302  # back to the signal with "Onbekende suggestie."
    response = inspector.post(reverse("signals:create"), {"titel": "x", "toepassen": "organisation:²"})
    assert response.status_code == 200  # the form again, nothing filled in or saved
