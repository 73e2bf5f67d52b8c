"""The run page while the plan is being computed, in English (the stored outcome label is Dutch data)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from toezicht.accounts.roles import Role
from toezicht.core.factories import UserFactory
from toezicht.programme.models import PlanRun

from .factories import small_programme

pytestmark = pytest.mark.django_db


def test_waiting_run_page_in_english(settings, monkeypatch, django_capture_on_commit_callbacks) -> None:
    settings.TASK_BACKEND = "celery"
    monkeypatch.setattr("toezicht.core.tasks.enqueue", lambda path, **kwargs: None)  # no worker yet
    programme = small_programme()["programme"]
    client = Client()
    client.force_login(UserFactory(role=Role.TEAM_LEADER))
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("programme:plan", args=[programme.pk]))
    run = PlanRun.objects.get()
    html = client.get(reverse("programme:run", args=[programme.pk, run.pk])).content.decode()
    assert "Plan computation: being computed</h1>" in html
    assert "The plan is being computed" in html
    assert "wordt berekend" not in html
    board = client.get(reverse("programme:board", args=[programme.pk])).content.decode()
    assert "being computed" in board
    assert "wordt berekend" not in board
