"""Large imports on the background worker (TASK_BACKEND=celery): the page queues the file and waits; the task
imports it with the same service and records the outcome."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from toezicht.accounts.roles import Role
from toezicht.core.factories import OrganisationFactory, SupervisionAreaFactory, ThemeFactory, UserFactory
from toezicht.signals import import_jobs, tasks
from toezicht.signals.models import ImportJobStatus, ImportMapping, Signal, SignalImportJob
from toezicht.signals.tests.test_import_pages import BAD, GOOD  # the same files as the import pages' tests

pytestmark = pytest.mark.django_db

URL = "/signalen/importeren/"


@pytest.fixture
def area():
    return SupervisionAreaFactory(code="sanctietoepassing", name="Sanctietoepassing")


@pytest.fixture(autouse=True)
def register(area) -> None:
    OrganisationFactory(code="pi-vught", name="PI Vught", areas=[area])
    ThemeFactory(code="personeel", name="Personeel")


@pytest.fixture
def queued(settings, monkeypatch) -> list[dict[str, Any]]:
    """A broker stand-in: the task backend is Celery, the messages are kept instead of sent; every file is
    'large'."""
    settings.TASK_BACKEND = "celery"
    monkeypatch.setattr(import_jobs, "BACKGROUND_MIN_BYTES", 1)
    sent: list[dict[str, Any]] = []
    monkeypatch.setattr("toezicht.core.tasks.enqueue", lambda path, **kwargs: sent.append({path: kwargs}))
    return sent


@pytest.fixture
def inspector(area):
    return UserFactory(role=Role.INSPECTOR, areas=[area])


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def upload(content: str, name: str = "meldingen.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content.encode("utf-8"), content_type="text/csv")


def test_a_large_file_is_queued_then_imported_by_the_worker(
    queued, inspector, django_capture_on_commit_callbacks
) -> None:
    client = client_for(inspector)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            URL, {"file": upload(GOOD), "importeer": "1", "save_mapping_as": "Meldingen PI"}
        )
    job = SignalImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("signals:import_job", args=[job.pk])
    assert queued == [{"toezicht.signals.tasks.run_import_job": {"job_id": job.pk}}]
    assert Signal.objects.count() == 0
    assert ImportMapping.objects.filter(name="Meldingen PI").exists()  # saved when the file was handed over
    waiting = client.get(response["Location"]).content.decode()
    assert "Het bestand staat klaar om te importeren" in waiting
    assert 'hx-trigger="every 3s"' in waiting
    stored = job.path
    assert default_storage.exists(stored)

    tasks.run_import_job(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == ImportJobStatus.DONE
    assert Signal.objects.count() == 2
    assert job.batch is not None
    assert job.batch.rows_created == 2
    assert job.batch.imported_by == inspector
    assert not default_storage.exists(stored)  # the file is not kept once imported
    done = client.get(response["Location"]).content.decode()
    assert "2 van de 2 rijen zijn toegevoegd als signaal" in done
    assert reverse("signals:import_batch", args=[job.batch.pk]) in done
    assert "every 3s" not in done
    assert "rapport downloaden" not in done  # nothing to report

    tasks.run_import_job(job_id=job.pk)  # delivered twice: imported once
    assert Signal.objects.count() == 2


def test_errors_are_reported_by_the_job_and_nothing_is_imported(queued, inspector) -> None:
    client = client_for(inspector)
    client.post(URL, {"file": upload(BAD), "importeer": "1"})
    job = SignalImportJob.objects.get()
    tasks.run_import_job(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == ImportJobStatus.DONE
    assert Signal.objects.count() == 0
    assert "Er is niets geïmporteerd uit 3 rijen" in job.summary
    report = client.get(reverse("signals:import_job_report", args=[job.pk]))
    assert report.status_code == 200
    text = b"".join(report.streaming_content if report.streaming else [report.content]).decode("utf-8-sig")
    assert "'31-02-2024' is geen geldige datum" in text


def test_a_check_stays_in_the_request(queued, inspector) -> None:
    response = client_for(inspector).post(URL, {"file": upload(GOOD), "controleer": "1"})
    assert response.status_code == 200
    assert "er is niets opgeslagen" in response.content.decode()
    assert not SignalImportJob.objects.exists()
    assert queued == []


def test_a_failing_job_says_so_and_leaves_nothing(queued, inspector) -> None:
    client = client_for(inspector)
    client.post(URL, {"file": upload(GOOD), "importeer": "1"})
    job = SignalImportJob.objects.get()
    default_storage.delete(job.path)  # the stored file is gone (a worker on another machine, a cleanup)
    tasks.run_import_job(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == ImportJobStatus.FAILED
    assert job.error.startswith("Het importeren is mislukt; er is niets opgeslagen.")
    assert Signal.objects.count() == 0
    page = client.get(reverse("signals:import_job", args=[job.pk])).content.decode()
    assert "Het importeren is mislukt" in page


def test_a_job_is_seen_by_its_owner_and_by_roles_that_see_everything(queued, inspector, area) -> None:
    client_for(inspector).post(URL, {"file": upload(GOOD), "importeer": "1"})
    job = SignalImportJob.objects.get()
    url = reverse("signals:import_job", args=[job.pk])
    colleague = UserFactory(role=Role.INSPECTOR, areas=[area])
    assert client_for(colleague).get(url).status_code == 404
    assert client_for(UserFactory(role=Role.ADMINISTRATOR)).get(url).status_code == 200
    assert client_for(UserFactory(role=Role.READER, areas=[area])).get(url).status_code == 403


def test_without_a_worker_a_large_file_is_imported_in_the_request(monkeypatch, inspector) -> None:
    monkeypatch.setattr(import_jobs, "BACKGROUND_MIN_BYTES", 1)  # TASK_BACKEND is inline in the tests
    response = client_for(inspector).post(URL, {"file": upload(GOOD), "importeer": "1"})
    assert response.status_code == 200
    assert Signal.objects.count() == 2
    assert not SignalImportJob.objects.exists()
