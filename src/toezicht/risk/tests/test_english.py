"""The risk pages in English: labels, explanations, refusals and the accountability page. The model's own
class and band names are configuration (data) and stay as configured; the algorithm-register downloads
stay Dutch, the register's language."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from toezicht.core.factories import UserFactory
from toezicht.risk import services
from toezicht.risk.models import RiskOverride
from toezicht.risk.tests.factories import REFERENCE, HandExample, hand_example

pytestmark = pytest.mark.django_db


@pytest.fixture
def ex() -> HandExample:
    services.clear_cache()
    example = hand_example()
    services.recompute_full(reference_date=REFERENCE)
    return example


def english(ex: HandExample, role: str = "inspecteur") -> Client:
    client = Client()
    client.force_login(UserFactory(role=role, areas=[ex.area]))
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    return client


def test_risk_panel_and_explanation_in_english(ex: HandExample) -> None:
    client = english(ex)
    html = client.get(reverse("register:organisation_detail", args=[ex.organisation.pk])).content.decode()
    assert '<h2 id="panel-risico" class="utrecht-heading-2">Risk</h2>' in html
    assert "Signal load" in html
    assert "Time since last investigation" in html
    assert ": likelihood " in html  # the explanation sentence
    assert "Largest contributions to the likelihood: " in html
    assert "Signaallast" not in html
    assert "Grootste bijdragen" not in html


def test_override_refused_and_accepted_in_english(ex: HandExample) -> None:
    client = english(ex, role="teamleider")
    url = reverse("risk:override_create", args=[ex.organisation.pk])
    refused = client.post(url, {"thema": ex.theme.pk, "score": "200", "reason": "", "until": "2001-01-01"})
    html = refused.content.decode()
    assert refused.status_code == 400
    assert "The score must be between 0 and 100." in html
    assert "Give a rationale for the score set by judgement." in html
    assert "The end date may not be in the past." in html
    assert not RiskOverride.objects.exists()
    accepted = client.post(
        url, {"thema": ex.theme2.pk, "score": "80", "reason": "Eigen waarneming.", "until": ""}, follow=True
    )
    assert f"The score for {ex.theme2.name} has been set." in accepted.content.decode()
    assert RiskOverride.objects.get().reason == "Eigen waarneming."  # the rationale is data


def test_reader_refused_in_english(ex: HandExample) -> None:
    client = english(ex, role="lezer")
    response = client.post(reverse("risk:recompute"))
    assert response.status_code == 403
    assert "You are not allowed to recompute the risk picture." in response.content.decode()


def test_model_form_in_english(ex: HandExample) -> None:
    html = english(ex, role="analist").get(reverse("risk:model")).content.decode()
    assert "Weight of signal load" in html
    assert "Half-life of signals (days)" in html
    assert "geometric mean" in html
    assert "Halfwaardetijd" not in html


def test_accountability_page_in_english_and_downloads_in_dutch(ex: HandExample) -> None:
    client = english(ex)
    html = client.get(reverse("risk:accountability")).content.decode()
    assert "The risk picture helps supervision choose where investigation is most needed" in html
    assert "Judgements and recommendations from earlier investigations are not yet available" in html
    assert "score = 100 × likelihood × impact" in html
    assert "their influence halves after" in html
    assert "Het risicobeeld helpt" not in html
    data = json.loads(client.get(reverse("risk:accountability"), {"formaat": "json"}).content)
    assert data["doel"].startswith("Het risicobeeld helpt het toezicht")
    assert {c["criterium"] for c in data["gewichten"]} >= {"Signaallast", "Normoverschrijdingen"}
    markdown = client.get(reverse("risk:accountability"), {"formaat": "md"}).content.decode()
    assert "## Gewichten" in markdown
    assert "Oordelen en aanbevelingen uit eerder onderzoek" in markdown
