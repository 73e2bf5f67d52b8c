"""Risk pages: what users see, area visibility (404), capabilities, Dutch refusals, query bounds."""

from __future__ import annotations

import datetime
import json

import pytest
from django.test import Client
from django.urls import reverse

from toezicht.core.factories import (
    ChainFactory,
    ChainMembershipFactory,
    OrganisationFactory,
    SignalFactory,
    UserFactory,
)
from toezicht.risk import services
from toezicht.risk.models import ModelStatus, RiskModelVersion, RiskOverride
from toezicht.risk.tests.factories import REFERENCE, HandExample, hand_example
from toezicht.signals.models import SeverityLevel

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    services.clear_cache()


@pytest.fixture
def ex() -> HandExample:
    example = hand_example()
    services.recompute_full(reference_date=REFERENCE)
    return example


def login(client: Client, ex: HandExample, role: str = "inspecteur", areas: list | None = None) -> Client:
    user = UserFactory(role=role, areas=[ex.area] if areas is None else areas)
    client.force_login(user)
    return client


def test_heatmap_shows_text_per_cell_and_only_visible_organisations(client: Client, ex: HandExample) -> None:
    login(client, ex)
    response = client.get(reverse("risk:overview"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "PI Voorbeeld" in html
    assert "Politie Elders" not in html  # another area
    assert "zeer hoog" in html
    assert ">60<" in html
    areas = client.get(reverse("risk:overview"), {"weergave": "gebieden"}).content.decode()
    assert "Sanctietoepassing" in areas
    assert "Politie X" not in areas


def test_ranking_filters_and_is_paginated(client: Client, ex: HandExample) -> None:
    login(client, ex)
    html = client.get(reverse("risk:ranking")).content.decode()
    cell = '<td class="utrecht-table__cell">{}</td>'
    assert "2 combinaties van organisatie en thema" in html
    assert html.index(cell.format("Veiligheid")) < html.index(cell.format("Zorg"))  # 60 before 20
    filtered = client.get(reverse("risk:ranking"), {"min_score": "50"}).content.decode()
    assert "1 combinatie van organisatie en thema" in filtered
    assert cell.format("Veiligheid") in filtered
    assert cell.format("Zorg") not in filtered
    bad = client.get(reverse("risk:ranking"), {"min_score": "veel", "thema": "x", "page": "99"})
    assert bad.status_code == 200
    # numbers too large for a key (SQLite raised OverflowError) are ignored like any other bad id
    huge = "9" * 25
    page = client.get(reverse("risk:organisation", args=[ex.organisation.pk]), {"thema": huge})
    assert page.status_code == 200
    assert client.get(reverse("risk:compare"), {"oud": huge, "nieuw": huge}).status_code == 200


def test_heatmap_and_ranking_query_counts_are_bounded(
    client: Client, ex: HandExample, django_assert_max_num_queries
) -> None:
    for _ in range(30):
        OrganisationFactory(areas=[ex.area])
    services.recompute_full(reference_date=REFERENCE)
    login(client, ex)
    with django_assert_max_num_queries(14):
        assert client.get(reverse("risk:overview")).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(reverse("risk:ranking")).status_code == 200


def test_organisation_page_has_a_risk_panel_with_explanation(client: Client, ex: HandExample) -> None:
    login(client, ex)
    html = client.get(reverse("register:organisation_detail", args=[ex.organisation.pk])).content.decode()
    assert 'id="panel-risico"' in html
    assert "Signaallast" in html
    assert "Tijd sinds laatste onderzoek" in html
    assert "Signaal " in html  # the weighing signal is listed


def test_another_areas_organisation_is_404_on_risk_pages(client: Client, ex: HandExample) -> None:
    login(client, ex)
    assert client.get(reverse("risk:organisation", args=[ex.other.pk])).status_code == 404
    response = client.post(
        reverse("risk:override_create", args=[ex.other.pk]),
        {"thema": ex.theme.pk, "score": 50, "reason": "x"},
    )
    assert response.status_code == 404


def test_an_inspector_sets_an_override_and_the_computed_score_stays_visible(
    client: Client, ex: HandExample
) -> None:
    login(client, ex, role="inspecteur")
    response = client.post(
        reverse("risk:override_create", args=[ex.organisation.pk]),
        {"thema": ex.theme2.pk, "score": "80", "reason": "Eigen waarneming tijdens bezoek.", "until": ""},
        follow=True,
    )
    html = response.content.decode()
    assert "is vastgesteld" in html
    assert "Berekende score: 20" in html
    override = RiskOverride.objects.get()
    assert (override.score, override.computed_score) == (80.0, pytest.approx(20.0, abs=1e-3))


def test_bad_override_input_gets_dutch_messages_and_changes_nothing(client: Client, ex: HandExample) -> None:
    login(client, ex, role="teamleider")
    response = client.post(
        reverse("risk:override_create", args=[ex.organisation.pk]),
        {"thema": ex.theme.pk, "score": "200", "reason": "", "until": "2001-01-01"},
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "tussen 0 en 100" in html
    assert "onderbouwing" in html
    assert "verleden" in html
    assert not RiskOverride.objects.exists()


def test_an_analyst_may_not_override(client: Client, ex: HandExample) -> None:
    login(client, ex, role="analist")
    response = client.post(
        reverse("risk:override_create", args=[ex.organisation.pk]),
        {"thema": ex.theme.pk, "score": "10", "reason": "x"},
    )
    assert response.status_code == 403
    assert not RiskOverride.objects.exists()


def test_model_page_creates_a_version_and_refuses_bad_weights_in_dutch(
    client: Client, ex: HandExample
) -> None:
    login(client, ex, role="analist")
    page = client.get(reverse("risk:model"))
    assert "Nieuwe versie maken" in page.content.decode()
    form = {
        "name": "Zwaarder op signalen",
        "description": "",
        "combination": "product",
        "weight_signal_load": "-2",
        "weight_norm_breaches": "0",
        "weight_indicator_pressure": "0",
        "weight_judgements": "0",
        "weight_learning_capacity": "0",
        "weight_time_since_investigation": "1",
        "signal_load__half_life_days": "100",
        "signal_load__k": "4",
        "signal_load__general_factor": "0.5",
        "norm_breaches__half_life_periods": "2",
        "indicator_pressure__window": "3",
        "time_since_investigation__tau_years": "2",
        "impact__people_reference": "999",
        "impact__size_weight": "1",
        "impact__vulnerability_weight": "1",
    }
    refused = client.post(reverse("risk:model"), form)
    assert refused.status_code == 400
    assert "mag niet negatief zijn" in refused.content.decode()
    assert RiskModelVersion.objects.count() == 1

    form["weight_signal_load"] = "5"
    assert client.post(reverse("risk:model"), form).status_code == 302
    version = RiskModelVersion.objects.get(status=ModelStatus.CONCEPT)
    assert version.config["criteria"]["signal_load"]["weight"] == 5
    client.post(reverse("risk:model_activate", args=[version.pk]))
    version.refresh_from_db()
    assert version.status == ModelStatus.ACTIVE


def test_an_inspector_cannot_change_the_model(client: Client, ex: HandExample) -> None:
    login(client, ex, role="inspecteur")
    assert "Nieuwe versie maken" not in client.get(reverse("risk:model")).content.decode()
    assert client.post(reverse("risk:model"), {"name": "x"}).status_code == 403
    assert client.post(reverse("risk:model_activate", args=[ex.version.pk])).status_code == 403


def test_accountability_page_and_downloads(client: Client, ex: HandExample) -> None:
    login(client, ex)
    html = client.get(reverse("risk:accountability")).content.decode()
    for heading in (
        "Doel",
        "Bronnen",
        "Gewichten",
        "Menselijke tussenkomst",
        "bekende beperkingen",
        "Contact",
    ):
        assert heading in html
    assert "Oordelen en aanbevelingen uit eerder onderzoek zijn nog niet beschikbaar" in html
    markdown = client.get(reverse("risk:accountability"), {"formaat": "md"})
    assert markdown["Content-Disposition"].endswith('.md"')
    assert "## Gewichten" in markdown.content.decode()
    data = json.loads(client.get(reverse("risk:accountability"), {"formaat": "json"}).content)
    assert data["versie"] == ex.version.number
    assert {c["criterium"] for c in data["gewichten"]} >= {"Signaallast", "Normoverschrijdingen"}
    assert "<h1>" in client.get(reverse("risk:accountability"), {"formaat": "html"}).content.decode()


def test_compare_page_explains_what_changed(client: Client, ex: HandExample) -> None:
    SignalFactory(
        organisation=ex.organisation,
        severity=SeverityLevel.objects.get(rank=4),
        received_on=REFERENCE,
        themes=[ex.theme2],
    )
    services.recompute_full(reference_date=REFERENCE)
    login(client, ex)
    html = client.get(reverse("risk:compare")).content.decode()
    assert "1 hoger" in html
    assert "Signaallast" in html


def test_snapshots_page_and_recompute_button(client: Client, ex: HandExample) -> None:
    login(client, ex, role="analist")
    assert "Nu herberekenen" in client.get(reverse("risk:snapshots")).content.decode()
    response = client.post(reverse("risk:recompute"), follow=True)
    assert "herberekend" in response.content.decode()
    inspector = Client()
    login(inspector, ex, role="inspecteur")
    assert inspector.post(reverse("risk:recompute")).status_code == 403


def test_chain_panel_counts_signals_between_members(client: Client, ex: HandExample) -> None:
    chain = ChainFactory(areas=[ex.area])
    partner = OrganisationFactory(areas=[ex.area])
    ChainMembershipFactory(chain=chain, organisation=ex.organisation)
    ChainMembershipFactory(chain=chain, organisation=partner)
    signal = SignalFactory(
        organisation=ex.organisation, severity=SeverityLevel.objects.get(rank=3), received_on=REFERENCE
    )
    signal.related_organisations.add(partner)
    services.recompute_full(reference_date=REFERENCE)
    login(client, ex)
    html = client.get(reverse("register:chain_detail", args=[chain.pk])).content.decode()
    assert "Risico van de keten" in html
    assert "1 signaal over meer dan één deelnemer" in html
    assert client.get(reverse("risk:chain", args=[chain.pk])).status_code == 200


def test_pages_without_any_snapshot_say_so(client: Client) -> None:
    user = UserFactory(role="inspecteur")
    client.force_login(user)
    for name in ("risk:overview", "risk:ranking", "risk:snapshots", "risk:compare", "risk:model"):
        response = client.get(reverse(name))
        assert response.status_code == 200, name
    assert "nog geen risicobeeld" in client.get(reverse("risk:overview")).content.decode()
    assert client.get(reverse("risk:accountability")).status_code == 404


def test_anonymous_users_are_sent_to_login(client: Client) -> None:
    response = client.get(reverse("risk:overview"))
    assert response.status_code == 302


_ = datetime
