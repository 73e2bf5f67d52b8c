"""Computing a plan through core.tasks: the run waits ("wordt berekend") until a worker has solved it."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from toezicht.accounts.roles import Role
from toezicht.core.factories import UserFactory
from toezicht.programme import services, tasks
from toezicht.programme.models import ItemStatus, PlanRun, PlanRunStatus, ProgrammeEvent, ScenarioComparison

from .factories import small_programme

pytestmark = pytest.mark.django_db


@pytest.fixture
def queued(settings, monkeypatch) -> list[dict[str, Any]]:
    """A broker stand-in: the task backend is Celery, the messages are kept instead of sent."""
    settings.TASK_BACKEND = "celery"
    sent: list[dict[str, Any]] = []
    monkeypatch.setattr("toezicht.core.tasks.enqueue", lambda path, **kwargs: sent.append({path: kwargs}))
    return sent


@pytest.fixture
def leader() -> Client:
    client = Client()
    client.force_login(UserFactory(role=Role.TEAM_LEADER))
    return client


def test_the_run_page_waits_for_the_worker_and_then_shows_the_plan(
    queued, leader: Client, django_capture_on_commit_callbacks
) -> None:
    programme = small_programme()["programme"]
    with django_capture_on_commit_callbacks(execute=True):
        response = leader.post(reverse("programme:plan", args=[programme.pk]))
    run = PlanRun.objects.get()
    assert response["Location"] == reverse("programme:run", args=[programme.pk, run.pk])
    assert queued == [{"toezicht.programme.tasks.compute_plan": {"run_id": run.pk}}]
    waiting = leader.get(response["Location"]).content.decode()
    assert "Het plan wordt berekend" in waiting
    assert 'hx-trigger="every 3s"' in waiting
    assert not programme.items.filter(status=ItemStatus.PLANNED).exists()

    tasks.compute_plan(run_id=run.pk)  # what the worker does

    run.refresh_from_db()
    assert run.status == PlanRunStatus.OPTIMAL
    done = leader.get(response["Location"]).content.decode()
    assert "Planberekening: optimaal" in done
    assert "Het plan wordt berekend" not in done
    assert programme.items.filter(status=ItemStatus.PLANNED).exists()


def test_a_task_delivered_twice_solves_once(queued) -> None:
    programme = small_programme()["programme"]
    run = services.plan_request(programme=programme)
    tasks.compute_plan(run_id=run.pk)
    tasks.compute_plan(run_id=run.pk)
    assert PlanRun.objects.count() == 1
    assert ProgrammeEvent.objects.filter(programme=programme, kind=ProgrammeEvent.Kind.PLANNED).count() == 1


def test_a_failing_solve_is_reported_on_the_run_and_changes_nothing(
    queued, leader: Client, monkeypatch
) -> None:
    programme = small_programme()["programme"]
    run = services.plan_request(programme=programme)

    def broken(**kwargs: Any) -> None:
        raise RuntimeError("solver crashed")

    monkeypatch.setattr(services, "plan_compute", broken)
    tasks.compute_plan(run_id=run.pk)
    run.refresh_from_db()
    assert run.status == PlanRunStatus.ERROR
    page = leader.get(reverse("programme:run", args=[programme.pk, run.pk])).content.decode()
    assert "De berekening is mislukt" in page
    assert not programme.items.filter(status=ItemStatus.PLANNED).exists()


def test_api_answers_202_while_the_worker_computes(queued) -> None:
    programme = small_programme()["programme"]
    client = Client()
    client.force_login(UserFactory(role=Role.INSPECTOR_GENERAL))
    response = client.post(f"/api/v1/werkprogrammas/{programme.pk}/plan/")
    assert response.status_code == 202, response.content
    assert response.json()["status"] == PlanRunStatus.RUNNING


def test_inline_backend_answers_with_the_finished_plan() -> None:
    programme = small_programme()["programme"]
    run = services.plan_request(programme=programme)
    run.refresh_from_db()
    assert run.status == PlanRunStatus.OPTIMAL


def test_a_scenario_comparison_waits_for_the_worker_then_shows_the_rows(
    queued, leader: Client, django_capture_on_commit_callbacks
) -> None:
    data = small_programme()
    programme = data["programme"]
    services.scenario_save(programme=programme, name="Migratie −1 fte", changes={data["team"]: -1})
    url = reverse("programme:scenarios", args=[programme.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = leader.post(url, {"action": "compare"})
    comparison = ScenarioComparison.objects.get()
    assert response.status_code == 302
    assert queued == [{"toezicht.programme.tasks.compare_scenarios": {"comparison_id": comparison.pk}}]
    waiting = leader.get(url).content.decode()
    assert "De scenario's worden berekend" in waiting
    assert 'hx-trigger="every 3s"' in waiting
    assert not PlanRun.objects.exists()

    tasks.compare_scenarios(comparison_id=comparison.pk)
    comparison.refresh_from_db()
    assert comparison.status == ScenarioComparison.Status.DONE
    assert [row["name"] for row in comparison.rows] == ["Basis", "Migratie −1 fte"]
    done = leader.get(url).content.decode()
    assert "every 3s" not in done
    assert "onhaalbaar" in done  # 200 hours cannot hold the mandatory 300-hour item
    assert "Geen plan: met deze capaciteit" in done  # not "everything drops out"
    assert PlanRun.objects.filter(applied=False).count() == 2

    tasks.compare_scenarios(comparison_id=comparison.pk)  # delivered twice: solved once
    assert PlanRun.objects.count() == 2


def test_a_failing_comparison_says_so(queued, leader: Client, monkeypatch) -> None:
    data = small_programme()
    programme = data["programme"]
    services.scenario_save(programme=programme, name="Migratie −1 fte", changes={data["team"]: -1})
    leader.post(reverse("programme:scenarios", args=[programme.pk]), {"action": "compare"})
    comparison = ScenarioComparison.objects.get()

    def broken(**kwargs):
        raise RuntimeError("solver weg")

    monkeypatch.setattr(services, "scenarios_compare", broken)
    tasks.compare_scenarios(comparison_id=comparison.pk)
    comparison.refresh_from_db()
    assert comparison.status == ScenarioComparison.Status.ERROR
    page = leader.get(reverse("programme:scenarios", args=[programme.pk])).content.decode()
    assert "De vergelijking is mislukt" in page
