"""The import pages as an intake employee uses them: upload, check, mapping, report, past imports."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from toezicht.accounts.roles import Role
from toezicht.core.factories import OrganisationFactory, SupervisionAreaFactory, ThemeFactory, UserFactory
from toezicht.signals.importing import signals_import
from toezicht.signals.models import ImportBatch, ImportMapping, Signal

pytestmark = pytest.mark.django_db

GOOD = (
    "onderwerp;bron;ontvangen_op;organisatie;themas;ernst\n"
    "Brand in cel;incident_notification;03-04-2024;pi-vught;personeel;hoog\n"
    "Ontvluchting;media;04-04-2024;pi-vught;;laag\n"
)
BAD = GOOD + "Onbekend;media;31-02-2024;pi-vugth;;laag\n"


@pytest.fixture
def area():
    return SupervisionAreaFactory(code="sanctietoepassing", name="Sanctietoepassing")


@pytest.fixture(autouse=True)
def register(area) -> None:
    OrganisationFactory(code="pi-vught", name="PI Vught", areas=[area])
    ThemeFactory(code="personeel", name="Personeel")


@pytest.fixture
def inspector(area):
    return UserFactory(role=Role.INSPECTOR, areas=[area])


@pytest.fixture
def client_for():
    def make(user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make


URL = "/signalen/importeren/"


def upload(name: str, content: bytes | str) -> SimpleUploadedFile:
    data = content.encode("utf-8") if isinstance(content, str) else content
    return SimpleUploadedFile(name, data, content_type="text/csv")


def test_url_names_are_namespaced() -> None:
    assert reverse("signals:import") == URL
    assert reverse("signals:import_mappings") == URL + "kolomindelingen/"


def test_anonymous_users_are_sent_to_login() -> None:
    response = Client().get(URL)
    assert response.status_code == 302
    assert "inloggen" in response["Location"]


@pytest.mark.parametrize("role", [Role.READER, Role.INSPECTOR_GENERAL])
def test_roles_without_signals_change_are_refused(role, area, client_for) -> None:
    client = client_for(UserFactory(role=role, areas=[area]))
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"file": upload("a.csv", GOOD)}).status_code == 403
    assert Signal.objects.count() == 0


@pytest.mark.parametrize("role", [Role.INSPECTOR, Role.TEAM_LEADER, Role.ANALYST, Role.ADMINISTRATOR])
def test_roles_with_signals_change_see_the_page(role, area, client_for) -> None:
    response = client_for(UserFactory(role=role, areas=[area])).get(URL)
    assert response.status_code == 200
    assert "Signalen importeren" in response.content.decode()


def test_uploading_a_good_file_imports_it_and_lists_the_batch(inspector, client_for) -> None:
    client = client_for(inspector)
    response = client.post(URL, {"file": upload("meldingen.csv", GOOD)}, follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert "2 van de 2 rijen zijn toegevoegd als signaal." in page
    assert Signal.objects.count() == 2
    assert "meldingen.csv" in page
    batch = ImportBatch.objects.get()
    assert batch.imported_by == inspector
    assert "S-2024-000001" in page


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("meldingen.csv", b"%PDF-1.7\n\x00\x01binary", "is geen geldig CSV- of Excelbestand"),
        ("meldingen.csv", b"", "Het verstuurde bestand is leeg."),
        ("meldingen.xlsx", b"PK\x03\x04kapot", "is geen geldig CSV- of Excelbestand"),
        ("meldingen.csv", b"a;b\n1;2\n", "Verplichte kolom"),
        ("virus.exe", b"MZ\x90\x00", "Kies een CSV-bestand (.csv) of een Excelbestand (.xlsx)."),
    ],
)
def test_a_bad_file_gives_a_dutch_message_and_changes_nothing(
    name: str, content: bytes, message: str, inspector, client_for
) -> None:
    response = client_for(inspector).post(URL, {"file": upload(name, content)})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Signal.objects.count() == 0
    assert ImportBatch.objects.count() == 0


def test_a_file_with_a_bad_row_shows_the_row_and_imports_nothing(inspector, client_for) -> None:
    response = client_for(inspector).post(URL, {"file": upload("meldingen.csv", BAD)})
    page = response.content.decode()
    assert response.status_code == 200
    assert Signal.objects.count() == 0
    assert "Er is niets geïmporteerd uit 3 rijen; 1 afgekeurd." in page
    assert "Onbekende organisatie &#x27;pi-vugth&#x27;. Bedoelt u &#x27;pi-vught&#x27;?" in page
    assert "&#x27;31-02-2024&#x27; is geen geldige datum" in page


def test_check_then_import_the_same_file_without_uploading_again(inspector, client_for) -> None:
    client = client_for(inspector)
    response = client.post(URL, {"file": upload("meldingen.csv", BAD), "controleer": "1"})
    assert Signal.objects.count() == 0
    token = response.context["token"]
    assert "Resultaat van de controle" in response.content.decode()
    report = client.get(reverse("signals:import_report", args=[token]))
    assert report.status_code == 200
    text = report.content.decode("utf-8-sig")
    assert text.splitlines()[0] == "rij;soort;kolom;waarde;melding"
    assert "4;fout;organisatie;pi-vugth;Onbekende organisatie 'pi-vugth'. Bedoelt u 'pi-vught'?" in text
    response = client.post(URL, {"token": token, "skip_invalid": "on"}, follow=True)
    assert Signal.objects.count() == 2
    batch = ImportBatch.objects.get()
    assert batch.rows_rejected == 1
    quarantine = client.get(reverse("signals:import_quarantine", args=[batch.pk]))
    lines = quarantine.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "onderwerp;bron;ontvangen_op;organisatie;themas;ernst;fout"
    assert lines[1].startswith("Onbekend;media;31-02-2024;pi-vugth;;laag;")


def test_a_token_of_another_session_is_not_accepted(inspector, client_for) -> None:
    other = client_for(UserFactory(role=Role.INSPECTOR))
    token = other.post(URL, {"file": upload("a.csv", GOOD), "controleer": "1"}).context["token"]
    response = client_for(inspector).post(URL, {"token": token})
    assert "Kies een bestand om te importeren." in response.content.decode()
    assert client_for(inspector).get(reverse("signals:import_report", args=[token])).status_code == 404
    assert Signal.objects.count() == 0


def test_columns_mapped_on_the_page_and_saved_for_the_next_file(inspector, client_for) -> None:
    client = client_for(inspector)
    content = "Wat;Soort;Datum;Zwaarte\nValpartij;media;1-5-2024;midden\n"
    response = client.post(URL, {"file": upload("dji.csv", content), "controleer": "1"})
    assert "Verplichte kolom" in response.content.decode()
    token = response.context["token"]
    choices = {"kolom_0": "onderwerp", "kolom_1": "bron", "kolom_2": "ontvangen_op", "kolom_3": "ernst"}
    response = client.post(
        URL, {"token": token, "kolommen": "1", "save_mapping_as": "Meldingen DJI", **choices}, follow=True
    )
    assert Signal.objects.count() == 1
    mapping = ImportMapping.objects.get(name="Meldingen DJI")
    assert mapping.columns == {
        "Wat": "onderwerp",
        "Soort": "bron",
        "Datum": "ontvangen_op",
        "Zwaarte": "ernst",
    }
    next_file = "Wat;Soort;Datum;Zwaarte\nUitval;media;2-5-2024;laag\n"
    client.post(URL, {"file": upload("dji-2.csv", next_file), "mapping": mapping.pk})
    assert Signal.objects.filter(title="Uitval").exists()
    assert ImportBatch.objects.filter(filename="dji-2.csv", mapping=mapping).exists()


def test_batches_of_others_are_hidden_from_an_inspector(area, inspector, client_for) -> None:
    colleague = UserFactory(role=Role.INSPECTOR, areas=[area])
    outcome = signals_import(content=BAD.encode(), filename="andermans.csv", by=colleague, skip_invalid=True)
    assert outcome.batch is not None
    client = client_for(inspector)
    assert "andermans.csv" not in client.get(URL).content.decode()
    assert client.get(reverse("signals:import_batch", args=[outcome.batch.pk])).status_code == 404
    assert client.get(reverse("signals:import_quarantine", args=[outcome.batch.pk])).status_code == 404
    admin = client_for(UserFactory(role=Role.ADMINISTRATOR))
    detail = admin.get(reverse("signals:import_batch", args=[outcome.batch.pk]))
    assert detail.status_code == 200
    assert "Bedoelt u" in detail.content.decode()


def test_past_imports_list_uses_a_bounded_number_of_queries(
    inspector, client_for, django_assert_max_num_queries
) -> None:
    for i in range(25):
        ImportBatch.objects.create(filename=f"bestand-{i}.csv", sha256="0" * 64, imported_by=inspector)
    client = client_for(inspector)
    with django_assert_max_num_queries(12):
        response = client.get(URL)
    assert response.status_code == 200
    assert "Pagina 1 van 2" in response.content.decode()


def test_mappings_page_lists_and_deletes(inspector, client_for) -> None:
    ImportMapping.objects.create(name="Politie", columns={"Titel": "onderwerp"})
    client = client_for(inspector)
    page = client.get(reverse("signals:import_mappings")).content.decode()
    assert "Titel → <code>onderwerp</code>" in page
    mapping = ImportMapping.objects.get()
    response = client.post(reverse("signals:import_mapping_delete", args=[mapping.pk]), follow=True)
    assert "Kolomindeling &#x27;Politie&#x27; is verwijderd." in response.content.decode()
    assert not ImportMapping.objects.exists()


def test_an_imported_signals_page_shows_who_imported_it_from_which_file(inspector, client_for) -> None:
    signals_import(content=GOOD.encode(), filename="levering-april.csv", by=inspector)
    signal = Signal.objects.get(title="Brand in cel")

    page = client_for(inspector).get(reverse("signals:detail", args=[signal.pk]))

    assert page.status_code == 200
    history = page.content.decode().split('id="h-geschiedenis"', 1)[1]
    assert "Aangemaakt" in history
    assert "Geïmporteerd uit levering-april.csv." in history
    assert str(inspector) in history
