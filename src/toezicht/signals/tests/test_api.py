"""The REST API: the staff endpoints with the page rules, and the sender API for supervised organisations."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from toezicht.accounts.roles import Role
from toezicht.core.factories import (
    OrganisationFactory,
    SignalFactory,
    SupervisionAreaFactory,
    TeamFactory,
    UserFactory,
)
from toezicht.signals import services
from toezicht.signals.models import Signal, SignalEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def area():
    return SupervisionAreaFactory(code="sanctietoepassing", name="Sanctietoepassing")


@pytest.fixture
def other_area():
    return SupervisionAreaFactory(code="politie", name="Politie")


@pytest.fixture
def dji(area):
    return OrganisationFactory(code="dji", name="Dienst Justitiële Inrichtingen", areas=[area])


@pytest.fixture
def prison(area, dji):
    return OrganisationFactory(code="pi-vught", name="PI Vught", parent=dji, areas=[area])


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


# -- staff endpoints ----------------------------------------------------------------------------------


def test_list_filters_and_visibility(area, other_area, prison) -> None:
    mine = SignalFactory(organisation=prison, title="Ontsnapping")
    SignalFactory(organisation=prison, title="Brand", overdue=True)
    police = SignalFactory(organisation=OrganisationFactory(areas=[other_area]))
    client = client_for(UserFactory(role=Role.INSPECTOR, areas=[area]))
    body = client.get("/api/v1/signalen/").json()
    assert body["count"] == 2
    assert police.reference not in {row["reference"] for row in body["results"]}
    body = client.get("/api/v1/signalen/", {"q": "ontsnap"}).json()
    assert [row["reference"] for row in body["results"]] == [mine.reference]
    body = client.get("/api/v1/signalen/", {"termijn": "ja"}).json()
    assert [row["title"] for row in body["results"]] == ["Brand"]
    assert body["results"][0]["days_overdue"] == 46
    assert client.get(f"/api/v1/signalen/{police.pk}/").status_code == 404


@pytest.mark.parametrize("role", [Role.INSPECTOR_GENERAL, Role.ADMINISTRATOR])
def test_confidential_signal_hidden_from_all_area_roles_unless_named(role, area, prison) -> None:
    secret = SignalFactory(organisation=prison, confidential=True)
    user = UserFactory(role=role)
    client = client_for(user)
    assert client.get("/api/v1/signalen/").json()["count"] == 0
    assert client.get(f"/api/v1/signalen/{secret.pk}/").status_code == 404
    secret.authorised_users.add(user)
    assert client.get(f"/api/v1/signalen/{secret.pk}/").status_code == 200


def test_list_query_count_is_bounded(area, prison, django_assert_max_num_queries) -> None:
    team = TeamFactory(area=area)
    for _ in range(30):
        SignalFactory(organisation=prison, assigned_team=team)
    client = client_for(UserFactory(role=Role.INSPECTOR, areas=[area]))
    with django_assert_max_num_queries(12):
        response = client.get("/api/v1/signalen/", {"page_size": 30})
    assert len(response.json()["results"]) == 30


def test_create_update_and_transition(area, prison) -> None:
    user = UserFactory(role=Role.INSPECTOR, areas=[area])
    client = client_for(user)
    response = client.post(
        "/api/v1/signalen/",
        {
            "title": "Calamiteit in FPC",
            "source": "calamity_notification",
            "received_on": "2026-11-02",
            "severity": "hoog",
            "organisation": "pi-vught",
            "vulnerable_groups": ["gedetineerden"],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["area"] == "sanctietoepassing"
    assert body["deadline"] == "2026-11-05"
    pk = body["id"]
    response = client.patch(f"/api/v1/signalen/{pk}/", {"title": "Calamiteit FPC"}, format="json")
    assert response.status_code == 200
    assert response.json()["title"] == "Calamiteit FPC"
    response = client.post(f"/api/v1/signalen/{pk}/transitie/", {"status": "in_behandeling"}, format="json")
    assert response.json()["status"] == "in_behandeling"
    response = client.post(f"/api/v1/signalen/{pk}/transitie/", {"status": "gekoppeld"}, format="json")
    assert response.status_code == 400
    assert "kan niet naar" in str(response.json())
    response = client.post(f"/api/v1/signalen/{pk}/toewijzing/", {"assignee": user.username}, format="json")
    assert response.json()["assigned_to"] == user.username
    kinds = list(SignalEvent.objects.filter(signal_id=pk).order_by("id").values_list("kind", flat=True))
    assert kinds == ["aangemaakt", "notitie", "status", "toegewezen"]


def test_bad_payload_gives_field_messages(area, other_area) -> None:
    police_org = OrganisationFactory(code="politie-ams", areas=[other_area])
    client = client_for(UserFactory(role=Role.INSPECTOR, areas=[area]))
    response = client.post(
        "/api/v1/signalen/",
        {"title": "", "source": "bestaat-niet", "received_on": "gisteren", "organisation": police_org.code},
        format="json",
    )
    assert response.status_code == 400
    body = response.json()
    assert {"title", "source", "received_on", "severity", "organisation"} <= set(body)
    assert Signal.objects.count() == 0


def test_reader_cannot_write(area, prison) -> None:
    signal = SignalFactory(organisation=prison)
    client = client_for(UserFactory(role=Role.READER, areas=[area]))
    assert client.get(f"/api/v1/signalen/{signal.pk}/").status_code == 200
    assert client.patch(f"/api/v1/signalen/{signal.pk}/", {"title": "x"}, format="json").status_code == 403
    response = client.post(f"/api/v1/signalen/{signal.pk}/transitie/", {"status": "in_behandeling"})
    assert response.status_code == 403


def test_reference_data(area) -> None:
    client = client_for(UserFactory(role=Role.READER, areas=[area]))
    sources = client.get("/api/v1/bronnen/").json()
    assert any(s["code"] == "calamity_notification" and s["deadline_amount"] == 3 for s in sources["results"])
    levels = client.get("/api/v1/ernstniveaus/").json()
    assert [row["code"] for row in levels["results"]] == ["laag", "midden", "hoog", "zeer-hoog"]


def test_schema_documents_the_sender_scheme() -> None:
    client = APIClient()
    response = client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    schema = response.json()
    assert schema["components"]["securitySchemes"]["melderSleutel"]["in"] == "header"
    assert "/api/v1/meldingen/" in schema["paths"]


# -- sender API ---------------------------------------------------------------------------------------

NOTIFICATION = {
    "kenmerk_afzender": "DJI-2026-0042",
    "onderwerp": "Suïcidepoging op afdeling C",
    "omschrijving": "Een gedetineerde is na een suïcidepoging naar het ziekenhuis gebracht.",
    "organisatie": "pi-vught",
    "ernst": "hoog",
    "kwetsbare_groepen": ["gedetineerden"],
}


def sender_client(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Melder {key}")
    return client


def test_sender_posts_for_its_own_descendant_and_is_idempotent(dji, prison, area) -> None:
    token, key = services.sender_token_create(organisation=dji, label="Meldsysteem DJI")
    client = sender_client(key)
    response = client.post("/api/v1/meldingen/", NOTIFICATION, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    signal = Signal.objects.get(reference=body["kenmerk"])
    assert (signal.sender, signal.organisation, signal.area) == (dji, prison, area)
    assert signal.external_id == "DJI-2026-0042"
    again = client.post("/api/v1/meldingen/", NOTIFICATION, format="json")
    assert again.status_code == 200
    assert again.json()["kenmerk"] == body["kenmerk"]
    assert Signal.objects.count() == 1
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_sender_may_not_post_for_another_organisation(dji, prison, area) -> None:
    _token, key = services.sender_token_create(organisation=prison, label="Systeem PI Vught")
    OrganisationFactory(code="pi-zwolle", name="PI Zwolle", parent=dji, areas=[area])
    client = sender_client(key)
    for code in ("dji", "pi-zwolle"):  # its parent and a sibling
        response = client.post("/api/v1/meldingen/", {**NOTIFICATION, "organisatie": code}, format="json")
        assert response.status_code == 403
        assert "U mag alleen melden over PI Vught" in response.json()["detail"]
    assert Signal.objects.count() == 0
    # Without an organisation, the sender's own organisation is meant.
    response = client.post(
        "/api/v1/meldingen/", {k: v for k, v in NOTIFICATION.items() if k != "organisatie"}
    )
    assert response.status_code == 201


def test_sender_bad_payload_is_400_with_field_messages(dji, prison) -> None:
    _token, key = services.sender_token_create(organisation=dji, label="Meldsysteem")
    response = sender_client(key).post(
        "/api/v1/meldingen/",
        {
            "onderwerp": "",
            "ernst": "verschrikkelijk",
            "datum_voorval": "2999-01-01",
            "aantal_betrokkenen": -3,
            "bron": "media",
        },
        format="json",
    )
    assert response.status_code == 400
    body = response.json()
    assert {"kenmerk_afzender", "onderwerp", "ernst", "datum_voorval", "aantal_betrokkenen", "bron"} <= set(
        body
    )
    assert body["datum_voorval"] == ["De datum van het voorval ligt in de toekomst."]
    assert body["kenmerk_afzender"] == ["Dit veld is vereist."]
    assert Signal.objects.count() == 0
    # Not JSON at all: still a 400, never a 500.
    response = sender_client(key).post("/api/v1/meldingen/", "{kapot", content_type="application/json")
    assert response.status_code == 400


def test_sender_without_valid_key_is_refused(dji, prison) -> None:
    token, key = services.sender_token_create(organisation=dji, label="Meldsysteem")
    assert APIClient().post("/api/v1/meldingen/", NOTIFICATION, format="json").status_code in (401, 403)
    response = sender_client("mld_verkeerd").post("/api/v1/meldingen/", NOTIFICATION, format="json")
    assert response.status_code == 401
    assert response.json()["detail"] == "Onbekende sleutel."
    services.sender_token_revoke(token=token)
    response = sender_client(key).post("/api/v1/meldingen/", NOTIFICATION, format="json")
    assert response.status_code == 401
    assert response.json()["detail"] == "Deze sleutel is ingetrokken."
    assert Signal.objects.count() == 0


def test_sender_key_gives_no_access_to_staff_endpoints(dji) -> None:
    _token, key = services.sender_token_create(organisation=dji, label="Meldsysteem")
    client = sender_client(key)
    assert client.get("/api/v1/signalen/").status_code in (401, 403)
    assert client.get("/api/v1/organisaties/").status_code in (401, 403)


def test_staff_user_cannot_use_the_sender_endpoint(area, prison) -> None:
    client = client_for(UserFactory(role=Role.ADMINISTRATOR))
    assert client.post("/api/v1/meldingen/", NOTIFICATION, format="json").status_code in (401, 403)
