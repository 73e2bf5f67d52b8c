"""Exporting the inbox: what the filters show, only what the user may see, in Dutch spreadsheet form."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client
from django.urls import reverse
from python_calamine import CalamineWorkbook

from toezicht.accounts.roles import Role
from toezicht.core.factories import (
    OrganisationFactory,
    SignalFactory,
    SupervisionAreaFactory,
    ThemeFactory,
    UserFactory,
)
from toezicht.signals import selectors
from toezicht.signals.models import SourceType

pytestmark = pytest.mark.django_db


@pytest.fixture
def area():
    return SupervisionAreaFactory(code="sanctietoepassing", name="Sanctietoepassing")


@pytest.fixture
def prison(area):
    return OrganisationFactory(code="pi-vught", name="PI Vught", areas=[area])


@pytest.fixture
def inspector(area) -> Client:
    client = Client()
    client.force_login(UserFactory(role=Role.INSPECTOR, areas=[area]))
    return client


def export_rows(client: Client, **params: object) -> list[list[str]]:
    response = client.get(reverse("signals:export"), params)
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf")  # BOM: Dutch Excel opens it as UTF-8
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))


def test_csv_export_follows_the_filters_and_formats_for_dutch_excel(inspector: Client, prison) -> None:
    media = SourceType.objects.get(code="media")
    theme = ThemeFactory(name="Personeel")
    SignalFactory(reference="S-2026-000001", title="Ontsnapping tijdens luchten", organisation=prison)
    SignalFactory(
        reference="S-2026-000002",
        title='=HYPERLINK("x")',
        organisation=prison,
        source=media,
        themes=[theme],
    )
    rows = export_rows(inspector, bron=media.pk)
    header, *data = rows
    assert header[:3] == ["kenmerk", "ontvangen op", "onderwerp"]
    assert [row[0] for row in data] == ["S-2026-000002"]
    record = dict(zip(header, data[0], strict=True))
    assert record["bron"] == media.name
    assert record["organisatiecode"] == "pi-vught"
    assert record["thema's"] == "Personeel"
    # A date in Dutch notation, and a formula neutralised so opening the file cannot run it.
    day, month, year = record["ontvangen op"].split("-")
    assert (len(day), len(month), len(year)) == (2, 2, 4)
    assert not record["onderwerp"].startswith("=")

    everything = export_rows(inspector)
    assert sorted(row[0] for row in everything[1:]) == ["S-2026-000001", "S-2026-000002"]


def test_export_leaves_out_what_the_user_may_not_see(inspector: Client, prison) -> None:
    police = SupervisionAreaFactory(code="politie")
    elsewhere = OrganisationFactory(name="Politie Eenheid Oost", areas=[police])
    SignalFactory(reference="S-2026-000010", organisation=prison)
    SignalFactory(reference="S-2026-000011", organisation=elsewhere, area=police)
    assert [row[0] for row in export_rows(inspector)[1:]] == ["S-2026-000010"]


def test_xlsx_export_has_real_date_cells(inspector: Client, prison) -> None:
    signal = SignalFactory(reference="S-2026-000020", organisation=prison)
    response = inspector.get(reverse("signals:export"), {"formaat": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.xlsx"')
    book = CalamineWorkbook.from_object(io.BytesIO(b"".join(response.streaming_content)))
    rows = book.get_sheet_by_name("Signalen").to_python()
    assert rows[0][0] == "kenmerk"
    assert rows[1][0] == "S-2026-000020"
    assert rows[1][1] == signal.received_on


def test_export_queries_stay_bounded(inspector: Client, prison, django_assert_max_num_queries) -> None:
    themes = [ThemeFactory(name=f"Thema {i}") for i in range(3)]
    for _ in range(40):
        SignalFactory(organisation=prison, themes=themes)
    with django_assert_max_num_queries(12):
        rows = export_rows(inspector)
    assert len(rows) == 41


def test_export_in_chunks_keeps_every_row(inspector: Client, prison, monkeypatch) -> None:
    monkeypatch.setattr(selectors, "EXPORT_CHUNK", 3)
    for _ in range(10):
        SignalFactory(organisation=prison, themes=[ThemeFactory()])
    rows = export_rows(inspector)
    assert len(rows) == 11
    assert all(row[9] for row in rows[1:])  # every signal kept its theme across chunk boundaries


def test_unknown_format_is_refused_in_dutch(inspector: Client) -> None:
    response = inspector.get(reverse("signals:export"), {"formaat": "pdf"})
    assert response.status_code == 400
    assert "Onbekend exportformaat" in response.content.decode()


def test_inbox_offers_the_export_of_the_current_selection(inspector: Client, prison) -> None:
    SignalFactory(organisation=prison)
    html = inspector.get(reverse("signals:inbox"), {"q": "brand"}).content.decode()
    assert f"{reverse('signals:export')}?q=brand&amp;formaat=csv" in html
