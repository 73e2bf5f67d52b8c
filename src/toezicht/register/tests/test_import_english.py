"""The organisation import reports in the user's language; the row messages of core.tabular stay Dutch."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from toezicht.accounts.roles import Role
from toezicht.core.factories import OrganisationTypeFactory, SupervisionAreaFactory, UserFactory
from toezicht.register.models import Organisation

pytestmark = pytest.mark.django_db

GOOD = "code;naam;type;toezichtgebieden\npi-vught;PI Vught;pi;sanctietoepassing\npi-zwolle;PI Zwolle;pi;\n"


def administrator_in_english() -> Client:
    SupervisionAreaFactory(code="sanctietoepassing", name="Sanctietoepassing")
    OrganisationTypeFactory(code="pi", name="Penitentiaire inrichting")
    client = Client()
    client.force_login(UserFactory(role=Role.ADMINISTRATOR))
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    return client


def upload(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("organisaties.csv", text.encode("utf-8"), content_type="text/csv")


def test_import_summary_in_english() -> None:
    client = administrator_in_english()
    checked = client.post(
        reverse("register:organisation_import"), {"file": upload(GOOD), "controleer": "1"}
    ).content.decode()
    assert (
        "All 2 rows have been approved and can be imported. This was a check: nothing has been saved."
        in checked
    )
    assert not Organisation.objects.exists()
    saved = client.post(reverse("register:organisation_import"), {"file": upload(GOOD)}).content.decode()
    assert "Saved: 2 new, 0 updated." in saved
    assert "Opgeslagen" not in saved
    bad = client.post(
        reverse("register:organisation_import"), {"file": upload(GOOD + "pi-x;PI X;gevangenis;\n")}
    ).content.decode()
    assert "Nothing will be imported: 1 of the 3 rows contains errors." in bad
    assert Organisation.objects.count() == 2
