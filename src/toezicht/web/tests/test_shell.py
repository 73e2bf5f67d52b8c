from __future__ import annotations

import pytest
from django.test import Client

from toezicht.accounts.roles import Role
from toezicht.core.factories import OrganisationFactory, SupervisionAreaFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_in_area() -> Client:
    area = SupervisionAreaFactory(name="Jeugd")
    OrganisationFactory(name="JJI Teylingereind", areas=[area])
    client = Client()
    client.force_login(UserFactory(role=Role.TEAM_LEADER, areas=[area]))
    return client


def test_dashboard_counts_what_the_user_supervises(client_in_area: Client) -> None:
    OrganisationFactory(name="Buiten beeld", areas=[SupervisionAreaFactory()])
    response = client_in_area.get("/")
    assert response.context["organisation_count"] == 1
    assert "Jeugd" in response.content.decode()


def test_interface_is_dutch_first_and_english_on_request(client_in_area: Client) -> None:
    dutch = client_in_area.get("/register/organisaties/").content.decode()
    assert "Organisaties filteren" in dutch
    assert 'lang="nl"' in dutch
    client_in_area.post("/i18n/setlang/", {"language": "en", "next": "/"})
    english = client_in_area.get("/register/organisaties/").content.decode()
    assert 'lang="en"' in english
    assert "Filter organisations" in english
    assert "1 organisation found" in english


def test_unknown_page_gets_a_dutch_not_found_page(client_in_area: Client) -> None:
    response = client_in_area.get("/register/organisaties/999999/")
    assert response.status_code == 404
    assert "Niet gevonden" in response.content.decode()


def test_forbidden_action_gets_a_dutch_message(client_in_area: Client) -> None:
    response = client_in_area.get("/register/organisaties/nieuw/")
    assert response.status_code == 403
    assert "geen recht" in response.content.decode()
