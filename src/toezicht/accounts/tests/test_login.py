from __future__ import annotations

import pytest
from auditlog.models import LogEntry
from django.test import Client
from django.urls import reverse

from toezicht.accounts.roles import Role
from toezicht.core.factories import TEST_PASSWORD, OrganisationFactory, SupervisionAreaFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_login_and_logout() -> None:
    UserFactory(username="ilse", role=Role.INSPECTOR)
    client = Client()
    response = client.post(reverse("accounts:login"), {"username": "ilse", "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("web:dashboard")).status_code == 200
    client.post(reverse("accounts:logout"))
    assert client.get(reverse("web:dashboard")).status_code == 302


def test_wrong_password_gives_a_dutch_message() -> None:
    UserFactory(username="ilse")
    response = Client().post(reverse("accounts:login"), {"username": "ilse", "password": "fout"})
    assert response.status_code == 200
    assert "Gebruikersnaam of wachtwoord onjuist" in response.content.decode()


def test_repeated_failures_lock_the_account_out() -> None:
    UserFactory(username="ilse")
    client = Client()
    for _ in range(5):
        client.post(reverse("accounts:login"), {"username": "ilse", "password": "fout"})
    response = client.post(reverse("accounts:login"), {"username": "ilse", "password": TEST_PASSWORD})
    assert "Tijdelijk geblokkeerd" in response.content.decode()
    assert client.get(reverse("web:dashboard")).status_code == 302


def test_session_cookie_settings_are_secure_by_default() -> None:
    from django.conf import settings

    assert settings.SESSION_COOKIE_HTTPONLY
    assert settings.SESSION_COOKIE_SAMESITE == "Lax"
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE


def test_every_change_is_in_the_audit_trail() -> None:
    area = SupervisionAreaFactory()
    admin = UserFactory(role=Role.ADMINISTRATOR, username="bram")
    organisation = OrganisationFactory(name="PI Vught", areas=[area])
    client = Client()
    client.force_login(admin)
    response = client.post(
        reverse("register:organisation_edit", args=[organisation.pk]),
        {
            "code": organisation.code,
            "name": "PI Vught (gewijzigd)",
            "type": organisation.type.pk,
            "areas": [area.pk],
            "municipality": "Vught",
        },
    )
    assert response.status_code == 302
    entry = LogEntry.objects.get_for_object(organisation).filter(action=LogEntry.Action.UPDATE).get()
    assert entry.actor == admin
    assert entry.changes_dict["name"] == ["PI Vught", "PI Vught (gewijzigd)"]
    assert entry.changes_dict["municipality"] == ["Utrecht", "Vught"]
    audit_page = client.get(reverse("web:audit_log")).content.decode()
    assert "PI Vught (gewijzigd)" in audit_page
