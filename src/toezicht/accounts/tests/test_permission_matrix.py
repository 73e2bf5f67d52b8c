"""Every role against every page and endpoint, including another area's objects fetched by id."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from toezicht.accounts.roles import ALL_AREA_ROLES, Role
from toezicht.core.factories import (
    ChainFactory,
    ChainMembershipFactory,
    OrganisationFactory,
    RelationshipFactory,
    SupervisionAreaFactory,
    ThemeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@dataclass
class World:
    own_org: Any
    other_org: Any
    own_chain: Any
    other_chain: Any


@pytest.fixture
def world() -> World:
    own_area = SupervisionAreaFactory(code="politie", name="Politie")
    other_area = SupervisionAreaFactory(code="migratie", name="Migratie")
    own_org = OrganisationFactory(name="Politie-eenheid Oost-Nederland", areas=[own_area])
    other_org = OrganisationFactory(name="Geheime COA-locatie Ter Apel", areas=[other_area])
    own_chain = ChainFactory(name="Strafrechtketen", areas=[own_area])
    other_chain = ChainFactory(name="Migratieketen verborgen", areas=[other_area])
    ChainMembershipFactory(chain=own_chain, organisation=own_org)
    ChainMembershipFactory(chain=other_chain, organisation=other_org)
    RelationshipFactory(target=own_org)
    RelationshipFactory(target=other_org, description="Verborgen relatie")
    ThemeFactory(name="Personeel")
    return World(own_org, other_org, own_chain, other_chain)


def client_for(role: Role, world: World) -> Client:
    areas = [] if role in ALL_AREA_ROLES else list(world.own_org.areas.all())
    user = UserFactory(role=role, areas=areas)
    client = Client()
    client.force_login(user)
    return client


ROLES = list(Role)


@pytest.mark.parametrize("role", ROLES)
def test_pages_show_only_the_users_areas(role: Role, world: World) -> None:
    client = client_for(role, world)
    sees_all = role in ALL_AREA_ROLES

    for url in [reverse("web:dashboard"), reverse("strategy:overview"), reverse("register:chain_list")]:
        assert client.get(url).status_code == 200

    listing = client.get(reverse("register:organisation_list")).content.decode()
    assert world.own_org.name in listing
    assert (world.other_org.name in listing) is sees_all

    own = client.get(reverse("register:organisation_detail", args=[world.own_org.pk]))
    other = client.get(reverse("register:organisation_detail", args=[world.other_org.pk]))
    assert own.status_code == 200
    assert other.status_code == (200 if sees_all else 404)
    if not sees_all:
        assert world.other_org.name not in other.content.decode()

    other_chain = client.get(reverse("register:chain_detail", args=[world.other_chain.pk]))
    assert other_chain.status_code == (200 if sees_all else 404)
    chains = client.get(reverse("register:chain_list")).content.decode()
    assert (world.other_chain.name in chains) is sees_all


@pytest.mark.parametrize("role", ROLES)
def test_only_the_administrator_changes_the_register(role: Role, world: World) -> None:
    client = client_for(role, world)
    may_change = role == Role.ADMINISTRATOR
    create = client.get(reverse("register:organisation_create"))
    edit = client.get(reverse("register:organisation_edit", args=[world.own_org.pk]))
    assert create.status_code == (200 if may_change else 403)
    assert edit.status_code == (200 if may_change else 403)
    posted = client.post(
        reverse("register:organisation_edit", args=[world.own_org.pk]), {"name": "Gewijzigd"}
    )
    assert posted.status_code in ((200, 302) if may_change else (403,))
    if not may_change:
        world.own_org.refresh_from_db()
        assert world.own_org.name == "Politie-eenheid Oost-Nederland"


@pytest.mark.parametrize("role", ROLES)
def test_audit_log_is_for_oversight_roles(role: Role, world: World) -> None:
    client = client_for(role, world)
    expected = 200 if role in (Role.ADMINISTRATOR, Role.INSPECTOR_GENERAL) else 403
    assert client.get(reverse("web:audit_log")).status_code == expected


@pytest.mark.parametrize("role", ROLES)
def test_api_applies_the_same_rules(role: Role, world: World) -> None:
    client = client_for(role, world)
    sees_all = role in ALL_AREA_ROLES

    listing = client.get("/api/v1/organisaties/").json()
    names = {row["name"] for row in listing["results"]}
    assert world.own_org.name in names
    assert (world.other_org.name in names) is sees_all

    other = client.get(f"/api/v1/organisaties/{world.other_org.pk}/")
    assert other.status_code == (200 if sees_all else 404)
    assert (world.other_org.name in other.content.decode()) is sees_all

    assert client.get(f"/api/v1/ketens/{world.other_chain.pk}/").status_code == (200 if sees_all else 404)
    relations = client.get("/api/v1/relaties/").json()["results"]
    assert any(r["description"] == "Verborgen relatie" for r in relations) is sees_all

    for url in ["/api/v1/toezichtgebieden/", "/api/v1/themas/", "/api/v1/meerjarenperspectieven/"]:
        assert client.get(url).status_code == 200

    created = client.post(
        "/api/v1/organisaties/",
        {
            "code": "nieuw-1",
            "name": "Nieuwe organisatie",
            "type": world.own_org.type.code,
            "areas": ["politie"],
        },
        content_type="application/json",
    )
    assert created.status_code == (201 if role == Role.ADMINISTRATOR else 403)
    theme = client.post("/api/v1/themas/", {"code": "x", "name": "X"}, content_type="application/json")
    assert theme.status_code == (201 if role == Role.ADMINISTRATOR else 403)


def test_anonymous_visitors_see_nothing(world: World) -> None:
    client = Client()
    for url in [
        reverse("web:dashboard"),
        reverse("register:organisation_list"),
        reverse("register:organisation_detail", args=[world.own_org.pk]),
        reverse("strategy:overview"),
    ]:
        response = client.get(url)
        assert response.status_code == 302
        assert reverse("accounts:login") in response["Location"]
    assert client.get("/api/v1/organisaties/").status_code in (401, 403)
    assert client.get(f"/api/v1/organisaties/{world.own_org.pk}/").status_code in (401, 403)


def test_inactive_user_cannot_use_the_api_with_a_token(world: World) -> None:
    from rest_framework.authtoken.models import Token

    user = UserFactory(role=Role.ADMINISTRATOR, is_active=False)
    token = Token.objects.create(user=user)
    response = Client().get("/api/v1/organisaties/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code in (401, 403)
