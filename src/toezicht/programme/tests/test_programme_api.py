"""API of the work programme: reads for everyone signed in, writes for programme.decide, 400 in Dutch."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from toezicht.accounts.roles import Role
from toezicht.core.factories import UserFactory
from toezicht.programme import services
from toezicht.programme.models import Adjustment, TeamCapacity

from .factories import small_programme

pytestmark = pytest.mark.django_db


def api(role: str) -> APIClient:
    client = APIClient()
    client.force_authenticate(UserFactory(role=role))
    return client


@pytest.fixture
def data() -> dict:
    d = small_programme()
    services.plan_compute(programme=d["programme"])
    return d


def test_reads_for_every_role(data: dict) -> None:
    pk = data["programme"].pk
    client = api(Role.READER)
    for url in (
        "/api/v1/werkprogrammas/",
        f"/api/v1/werkprogramma-onderdelen/?programme={pk}",
        "/api/v1/capaciteit/?year=2027",
        f"/api/v1/kandidaten/?programme={pk}",
        f"/api/v1/planberekeningen/?programme={pk}",
        f"/api/v1/bijstellingen/?programme={pk}",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
    items = client.get(f"/api/v1/werkprogramma-onderdelen/?programme={pk}").json()["results"]
    planned = {i["title"]: i["planned_quarters"] for i in items}
    assert planned["Grensbewaking"] == []
    assert sum(1 for q in planned.values() if q) == 4


def test_anonymous_gets_nothing(data: dict) -> None:
    assert APIClient().get("/api/v1/werkprogrammas/").status_code in (401, 403)


@pytest.mark.parametrize("role", [Role.INSPECTOR, Role.ANALYST, Role.READER, Role.ADMINISTRATOR])
def test_writes_refused_without_decide(data: dict, role: str) -> None:
    client = api(role)
    assert client.post("/api/v1/werkprogrammas/", {"year": 2031}, format="json").status_code == 403
    assert client.post(f"/api/v1/werkprogrammas/{data['programme'].pk}/plan/").status_code == 403
    payload = {"team": data["team"].code, "year": 2027, "quarter": 1, "available_hours": 5}
    assert client.post("/api/v1/capaciteit/", payload, format="json").status_code == 403
    assert TeamCapacity.objects.get(team=data["team"], year=2027, quarter=1).available_hours == 400


def test_teamleader_writes(data: dict) -> None:
    client = api(Role.TEAM_LEADER)
    response = client.post(
        "/api/v1/capaciteit/",
        {"team": data["team"].code, "year": 2027, "quarter": 1, "available_hours": 500, "fte": 2},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert TeamCapacity.objects.get(team=data["team"], year=2027, quarter=1).available_hours == 500
    run = client.post(f"/api/v1/werkprogrammas/{data['programme'].pk}/plan/").json()
    assert run["status"] == "optimaal"
    response = client.post(
        "/api/v1/bijstellingen/",
        {
            "programme": data["programme"].pk,
            "title": "Spoed via API",
            "team": data["team"].code,
            "hours": 100,
            "reason": "actualiteit",
            "note": "Nieuws.",
            "from_quarter": 1,
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["summary"].startswith("Bijstelling vanaf Q1")
    assert Adjustment.objects.count() == 1


def test_bad_payloads_give_400_with_field_messages(data: dict) -> None:
    client = api(Role.INSPECTOR_GENERAL)
    response = client.post(
        "/api/v1/bijstellingen/",
        {"programme": data["programme"].pk, "hours": -3, "reason": "zomaar"},
        format="json",
    )
    assert response.status_code == 400
    body = response.json()
    assert {"title", "team", "hours", "reason", "note"} <= set(body)
    response = client.post(
        "/api/v1/capaciteit/",
        {"team": data["team"].code, "year": 2027, "quarter": 7, "available_hours": 1},
        format="json",
    )
    assert response.status_code == 400
    assert "quarter" in response.json()
    assert client.get("/api/v1/werkprogramma-onderdelen/?programme=abc").status_code == 400
    # digits that int() refuses, or too many for a key or a year: a 400, never a 500
    for query in ("programme=²", "programme=99999999999999999999"):
        response = client.get(f"/api/v1/werkprogramma-onderdelen/?{query}")
        assert response.status_code == 400
        assert "programme" in response.json()
    for year in ("²⁰²⁷", "202720272027"):
        response = client.get(f"/api/v1/capaciteit/?year={year}")
        assert response.status_code == 400
        assert response.json() == {"year": "Geef een jaartal."}
    # an urgent item that cannot fit: 400 with the Dutch explanation, nothing stored
    response = client.post(
        "/api/v1/bijstellingen/",
        {
            "programme": data["programme"].pk,
            "title": "Past niet",
            "team": data["team"].code,
            "hours": 5000,
            "reason": "incident",
            "note": "x",
            "allowed_quarters": [1],
            "from_quarter": 1,
        },
        format="json",
    )
    assert response.status_code == 400
    assert "Er bestaat geen werkprogramma" in str(response.json())
    assert not Adjustment.objects.exists()


def test_scenarios_are_created_and_compared_through_the_api(data: dict) -> None:
    programme, team = data["programme"], data["team"]
    leader = api(Role.TEAM_LEADER)
    payload = {
        "programme": programme.pk,
        "name": "Migratie −1 fte",
        "changes": [{"team": team.code, "fte_delta": "-1"}],
    }
    created = leader.post("/api/v1/scenarios/", payload, format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["changes"] == [{"team": team.code, "fte_delta": "-1.00"}]
    assert api(Role.READER).get(f"/api/v1/scenarios/?programme={programme.pk}").json()["count"] == 1

    compared = leader.post("/api/v1/scenariovergelijkingen/", {"programme": programme.pk}, format="json")
    assert compared.status_code == 201
    body = compared.json()
    assert body["status"] == "gereed"
    assert [row["name"] for row in body["rows"]] == ["Basis", "Migratie −1 fte"]
    cut = body["rows"][1]
    run = api(Role.READER).get(f"/api/v1/planberekeningen/{cut['run_id']}/").json()
    assert run["status"] == "onhaalbaar"  # 200 hours cannot hold the mandatory 300-hour item


def test_scenario_writes_need_decide_and_bad_input_gets_dutch_messages(data: dict) -> None:
    programme, team = data["programme"], data["team"]
    payload = {"programme": programme.pk, "name": "X", "changes": [{"team": team.code, "fte_delta": "-1"}]}
    reader = api(Role.READER)
    assert reader.post("/api/v1/scenarios/", payload, format="json").status_code == 403
    assert (
        reader.post("/api/v1/scenariovergelijkingen/", {"programme": programme.pk}, format="json").status_code
        == 403
    )
    leader = api(Role.TEAM_LEADER)
    empty = leader.post("/api/v1/scenarios/", {**payload, "changes": []}, format="json")
    assert empty.status_code == 400
    assert "ten minste één team" in str(empty.json())
    twice = leader.post(
        "/api/v1/scenarios/", {**payload, "changes": [payload["changes"][0]] * 2}, format="json"
    )
    assert twice.status_code == 400
    unknown = leader.post(
        "/api/v1/scenarios/",
        {**payload, "changes": [{"team": "bestaat-niet", "fte_delta": "1"}]},
        format="json",
    )
    assert unknown.status_code == 400
    assert (
        leader.post("/api/v1/scenariovergelijkingen/", {"programme": "x"}, format="json").status_code == 400
    )
