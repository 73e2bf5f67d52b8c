"""Risk API: scores and explanations by area, snapshots and comparison, model versions, overrides."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from toezicht.core.factories import UserFactory
from toezicht.risk import services
from toezicht.risk.models import RiskModelVersion, RiskOverride
from toezicht.risk.tests.factories import REFERENCE, HandExample, hand_example, hand_model_dict

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    services.clear_cache()


@pytest.fixture
def ex() -> HandExample:
    example = hand_example()
    services.recompute_full(reference_date=REFERENCE)
    return example


def api(ex: HandExample, role: str = "inspecteur") -> APIClient:
    client = APIClient()
    client.force_authenticate(UserFactory(role=role, areas=[ex.area]))
    return client


def test_scores_only_for_visible_organisations_and_filterable(ex: HandExample) -> None:
    client = api(ex)
    data = client.get("/api/v1/risico/scores/").json()
    assert {r["organisation"] for r in data["results"]} == {ex.organisation.pk}
    assert [round(r["final_score"]) for r in data["results"]] == [60, 20]
    theme = client.get("/api/v1/risico/scores/", {"thema": ex.theme2.pk}).json()
    assert [r["theme"] for r in theme["results"]] == [ex.theme2.pk]
    totals = client.get("/api/v1/risico/scores/", {"totaal": "ja"}).json()
    assert [r["theme"] for r in totals["results"]] == [None]
    other = client.get("/api/v1/risico/scores/", {"organisatie": ex.other.pk}).json()
    assert other["count"] == 0
    assert client.get("/api/v1/risico/scores/", {"thema": "abc", "min_score": "x"}).status_code == 200
    # a number too large for a key (SQLite raised OverflowError: a 500) is ignored like "abc"
    huge = client.get("/api/v1/risico/scores/", {"organisatie": "9" * 25})
    assert huge.status_code == 200
    assert huge.json()["results"] == data["results"]


def test_explanation_and_404_for_another_area(ex: HandExample) -> None:
    client = api(ex)
    data = client.get(f"/api/v1/risico/scores/uitleg/{ex.organisation.pk}/").json()
    assert data["theme"] == ex.theme.pk
    assert data["criteria"][0]["label"] == "Tijd sinds laatste onderzoek"
    assert len(data["signals"]) == 1
    assert client.get(f"/api/v1/risico/scores/uitleg/{ex.other.pk}/").status_code == 404


def test_snapshots_and_compare(ex: HandExample) -> None:
    services.recompute_full(reference_date=REFERENCE)
    client = api(ex)
    snapshots = client.get("/api/v1/risico/berekeningen/").json()["results"]
    assert len(snapshots) == 2
    new, old = snapshots[0]["id"], snapshots[1]["id"]
    result = client.get(f"/api/v1/risico/berekeningen/{new}/vergelijk/", {"met": old}).json()
    assert result["n_changed"] == 0
    assert result["n_compared"] == 2
    missing = client.get(f"/api/v1/risico/berekeningen/{new}/vergelijk/")
    assert missing.status_code == 400
    assert "met" in missing.json()


def test_model_versions_read_for_all_and_create_for_configurers(ex: HandExample) -> None:
    assert api(ex).get("/api/v1/risico/modelversies/").json()["count"] == 1
    payload = {"name": "Nieuw", "config": hand_model_dict()}
    assert (
        api(ex, "inspecteur").post("/api/v1/risico/modelversies/", payload, format="json").status_code == 403
    )
    created = api(ex, "analist").post("/api/v1/risico/modelversies/", payload, format="json")
    assert created.status_code == 201
    assert created.json()["status"] == "concept"
    bad = hand_model_dict()
    bad["criteria"]["signal_load"]["weight"] = -1
    refused = api(ex, "analist").post(
        "/api/v1/risico/modelversies/", {"name": "x", "config": bad}, format="json"
    )
    assert refused.status_code == 400
    assert any("negatief" in m for m in refused.json()["config"])
    assert RiskModelVersion.objects.count() == 2


def test_overrides_by_capability_and_area(ex: HandExample) -> None:
    body = {"organisation": ex.organisation.pk, "theme": ex.theme.pk, "score": 90, "reason": "Bezoek."}
    assert api(ex, "analist").post("/api/v1/risico/vastgesteld/", body, format="json").status_code == 403
    created = api(ex, "inspecteur").post("/api/v1/risico/vastgesteld/", body, format="json")
    assert created.status_code == 201
    assert created.json()["computed_score"] == pytest.approx(60.0, abs=1e-3)
    other = api(ex, "inspecteur").post(
        "/api/v1/risico/vastgesteld/", {**body, "organisation": ex.other.pk}, format="json"
    )
    assert other.status_code == 400
    assert "organisation" in other.json()
    bad = api(ex, "inspecteur").post("/api/v1/risico/vastgesteld/", {**body, "score": 101}, format="json")
    assert bad.status_code == 400
    assert "tussen 0 en 100" in bad.json()["score"][0]
    assert RiskOverride.objects.count() == 1
    scores = api(ex).get("/api/v1/risico/scores/", {"thema": ex.theme.pk}).json()["results"]
    assert (scores[0]["score"], scores[0]["final_score"]) == (pytest.approx(60.0, abs=1e-3), 90.0)
