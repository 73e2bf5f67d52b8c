from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from toezicht.accounts.roles import Role
from toezicht.core.factories import (
    ChainFactory,
    ChainMembershipFactory,
    OrganisationFactory,
    OrganisationTypeFactory,
    RelationshipFactory,
    SupervisionAreaFactory,
    UserFactory,
)
from toezicht.register.models import Organisation, RelationshipKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def area():
    return SupervisionAreaFactory(code="sanctietoepassing", name="Sanctietoepassing")


@pytest.fixture
def inspector(area) -> Client:
    client = Client()
    client.force_login(UserFactory(role=Role.INSPECTOR, areas=[area]))
    return client


@pytest.fixture
def administrator() -> Client:
    client = Client()
    client.force_login(UserFactory(role=Role.ADMINISTRATOR))
    return client


def list_names(client: Client, **params: object) -> list[str]:
    response = client.get(reverse("register:organisation_list"), params)
    assert response.status_code == 200
    return [org.name for org in response.context["page_obj"].object_list]


def test_search_filters_and_sorting(inspector: Client, area) -> None:
    pi = OrganisationTypeFactory(code="pi", name="Penitentiaire inrichting")
    fpc = OrganisationTypeFactory(code="fpc", name="Forensisch psychiatrisch centrum")
    OrganisationFactory(name="PI Vught", type=pi, municipality="Vught", areas=[area])
    OrganisationFactory(name="PI Zwolle", type=pi, municipality="Zwolle", areas=[area])
    OrganisationFactory(name="FPC Pompestichting", type=fpc, municipality="Nijmegen", areas=[area])
    OrganisationFactory(name="PI Oud", type=pi, areas=[area], inactive=True)

    assert list_names(inspector, q="vught") == ["PI Vught"]
    assert list_names(inspector, q="pi zwol") == ["PI Zwolle"]
    assert list_names(inspector, type=fpc.pk) == ["FPC Pompestichting"]
    assert list_names(inspector, gemeente="nijmegen") == ["FPC Pompestichting"]
    assert "PI Oud" not in list_names(inspector, status="actief")
    assert list_names(inspector, status="inactief") == ["PI Oud"]
    assert list_names(inspector, sorteer="-naam")[0] == "PI Zwolle"


def test_bad_filter_values_are_ignored_not_an_error(inspector: Client, area) -> None:
    OrganisationFactory(name="PI Vught", areas=[area])
    for params in (
        {"type": "abc"},
        {"gebied": "99999"},
        {"page": "zeven"},
        {"page": "9999"},
        {"sorteer": "x"},
    ):
        assert "PI Vught" in list_names(inspector, **params)


def test_list_is_paginated(inspector: Client, area) -> None:
    for n in range(30):
        OrganisationFactory(name=f"Organisatie {n:02d}", areas=[area])
    first = list_names(inspector)
    second = list_names(inspector, page=2)
    assert len(first) == 25
    assert len(second) == 5
    assert not set(first) & set(second)


def test_list_query_count_does_not_grow_with_rows(inspector: Client, area) -> None:
    def count_queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert inspector.get(reverse("register:organisation_list")).status_code == 200
        return len(ctx.captured_queries)

    parent = OrganisationFactory(name="DJI", areas=[area])
    for _ in range(3):
        OrganisationFactory(parent=parent, areas=[area, SupervisionAreaFactory()])
    few = count_queries()
    for _ in range(40):
        OrganisationFactory(parent=parent, areas=[area, SupervisionAreaFactory()])
    many = count_queries()
    assert many == few
    assert many <= 10


def test_htmx_request_gets_only_the_results(inspector: Client, area) -> None:
    OrganisationFactory(name="PI Vught", areas=[area])
    response = inspector.get(reverse("register:organisation_list"), {"q": "vught"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "PI Vught" in body
    assert "<html" not in body


def test_detail_shows_hierarchy_chains_principal_and_owner(inspector: Client, area) -> None:
    dji = OrganisationFactory(name="Dienst Justitiële Inrichtingen", areas=[area])
    pi = OrganisationFactory(name="PI Vught", parent=dji, areas=[area])
    OrganisationFactory(name="Afdeling TA", parent=pi, areas=[area])
    chain = ChainFactory(name="Strafrechtketen", areas=[area])
    ChainMembershipFactory(chain=chain, organisation=pi, role="tenuitvoerlegging")
    RelationshipFactory(source__name="DG Straffen en Beschermen", target=pi, kind=RelationshipKind.PRINCIPAL)
    RelationshipFactory(source__name="Secretaris-generaal", target=pi, kind=RelationshipKind.OWNER)

    body = inspector.get(reverse("register:organisation_detail", args=[pi.pk])).content.decode()
    for text in [
        "Dienst Justitiële Inrichtingen",
        "Afdeling TA",
        "Strafrechtketen",
        "tenuitvoerlegging",
        "DG Straffen en Beschermen",
        "Secretaris-generaal",
    ]:
        assert text in body


def test_detail_shows_principal_and_owner_inherited_from_an_ancestor(inspector: Client, area) -> None:
    dji = OrganisationFactory(name="Dienst Justitiële Inrichtingen", areas=[area])
    pi = OrganisationFactory(name="PI Vught", parent=dji, areas=[area])
    RelationshipFactory(source__name="DG Straffen en Beschermen", target=dji, kind=RelationshipKind.PRINCIPAL)

    body = inspector.get(reverse("register:organisation_detail", args=[pi.pk])).content.decode()
    principal = body.split("Opdrachtgever</dt>")[1].split("</dd>")[0]
    owner = body.split("Eigenaar</dt>")[1].split("</dd>")[0]
    assert "DG Straffen en Beschermen" in principal
    assert "via Dienst Justitiële Inrichtingen" in principal
    assert "niet vastgelegd" in owner


def test_administrator_creates_and_edits_an_organisation(administrator: Client, area) -> None:
    kind = OrganisationTypeFactory(name="Penitentiaire inrichting")
    response = administrator.post(
        reverse("register:organisation_create"),
        {
            "code": "pi-vught",
            "name": "PI Vught",
            "type": kind.pk,
            "areas": [area.pk],
            "municipality": "Vught",
        },
    )
    assert response.status_code == 302
    organisation = Organisation.objects.get(code="pi-vught")
    assert list(organisation.areas.all()) == [area]


def test_edit_refuses_bad_input_with_dutch_messages_and_changes_nothing(administrator: Client, area) -> None:
    top = OrganisationFactory(name="DJI", areas=[area])
    child = OrganisationFactory(name="PI Vught", parent=top, areas=[area])
    taken = OrganisationFactory(code="bezet")

    def post(org: Organisation, **changes: object):
        data = {"code": org.code, "name": org.name, "type": org.type.pk, "areas": [area.pk]}
        data.update(changes)
        return administrator.post(reverse("register:organisation_edit", args=[org.pk]), data)

    cycle = post(top, parent=child.pk)
    assert cycle.status_code == 200
    assert "niet onder zichzelf" in cycle.content.decode()
    dates = post(child, active_from="2024-05-01", active_until="2024-01-01")
    assert "De einddatum ligt vóór de begindatum." in dates.content.decode()
    duplicate = post(child, code=taken.code)
    assert duplicate.status_code == 200
    top.refresh_from_db()
    child.refresh_from_db()
    assert top.parent is None
    assert child.code != "bezet"
    assert child.active_until is None


def test_api_rejects_bad_payloads_with_field_messages(area) -> None:
    client = Client()
    client.force_login(UserFactory(role=Role.ADMINISTRATOR))
    kind = OrganisationTypeFactory(code="pi")
    bad = client.post(
        "/api/v1/organisaties/",
        {"code": "x y", "name": "", "type": "onbekend", "active_from": "31-02-2024"},
        content_type="application/json",
    )
    assert bad.status_code == 400
    errors = bad.json()
    assert {"code", "name", "type", "active_from"} <= set(errors)
    garbage = client.post("/api/v1/organisaties/", "{niet json", content_type="application/json")
    assert garbage.status_code == 400
    ok = client.post(
        "/api/v1/organisaties/",
        {"code": "pi-vught", "name": "PI Vught", "type": kind.code, "active_from": "2024-01-01"},
        content_type="application/json",
    )
    assert ok.status_code == 201
    assert Organisation.objects.get(code="pi-vught").active_from == datetime.date(2024, 1, 1)


def test_api_schema_and_docs_are_served() -> None:
    client = Client()
    client.force_login(UserFactory(role=Role.READER))
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    assert b"/api/v1/organisaties/" in schema.content
    assert client.get("/api/docs/").status_code == 200


@pytest.mark.parametrize("bad", ["9" * 25, "²"])
def test_an_area_id_that_is_no_id_is_refused_with_a_message(administrator: Client, area, bad: str) -> None:
    """SQLite raised OverflowError (a 500) for an id beyond 64 bits in a many-to-many choice."""
    kind = OrganisationTypeFactory(name="Penitentiaire inrichting")
    response = administrator.post(
        reverse("register:organisation_create"),
        {"code": "pi-vught", "name": "PI Vught", "type": kind.pk, "areas": [area.pk, bad]},
    )
    assert response.status_code == 200
    assert "is geen geldige waarde" in str(response.context["form"].errors["areas"])
    assert not Organisation.objects.filter(code="pi-vught").exists()
