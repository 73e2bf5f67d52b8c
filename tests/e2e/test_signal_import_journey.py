"""An intake employee imports a file of signals in a real browser: check, map a column, import, review."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import serious_accessibility_violations
from toezicht.accounts.roles import Role
from toezicht.core.factories import TEST_PASSWORD, UserFactory
from toezicht.demo.loader import load_demo

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"

FILE = (
    "Kenmerk;Wat;bron;ontvangen_op;organisatie;themas;ernst\n"
    "DJI-1;Brand in cel;incident_notification;03-04-2024;PI Vught;;hoog\n"
    "DJI-2;Ontvluchting tijdens transport;Calamiteitenmelding;4-4-2024;pi-vught;;zeer hoog\n"
    "DJI-3;Klacht over bejegening;citizen_complaint;31-02-2024;PI Vugth;;laag\n"
)


def check_page(page: Any, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
    violations = serious_accessibility_violations(page)
    assert violations == [], f"{name}: {violations}"


def test_intake_employee_checks_maps_and_imports_a_file(live_server: Any, page: Any, tmp_path: Path) -> None:
    load_demo()
    from toezicht.register.models import SupervisionArea
    from toezicht.signals.models import Signal

    user = UserFactory(username="iris", first_name="Iris", role=Role.INSPECTOR)
    user.areas.set([SupervisionArea.objects.get(code="sanctietoepassing")])
    before = Signal.objects.count()
    upload = tmp_path / "meldingen-dji.csv"
    upload.write_text(FILE, encoding="cp1252")

    page.goto(f"{live_server.url}/signalen/importeren/")
    page.get_by_label("Gebruikersnaam").fill("iris")
    page.get_by_label("Wachtwoord").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(re.compile(r".*/signalen/importeren/$"))
    expect(page.get_by_role("heading", name="Signalen importeren")).to_be_visible()
    check_page(page, "signalen-import-01-formulier")

    page.get_by_label("Bestand (CSV of Excel)").set_input_files(str(upload))
    page.get_by_role("button", name="Alleen controleren").click()
    page.wait_for_selector("text=Resultaat van de controle")
    # "Wat" is not a known column name: the required column is missing until it is mapped.
    assert page.get_by_text("Verplichte kolom 'onderwerp' ontbreekt").count() >= 1
    check_page(page, "signalen-import-02-controle")

    page.get_by_label("Veld voor kolom Wat").select_option("onderwerp")
    page.get_by_label("Veld voor kolom Kenmerk").select_option("kenmerk_afzender")
    page.get_by_role("button", name="Alleen controleren").click()
    page.wait_for_selector("text=Onbekende organisatie 'PI Vugth'. Bedoelt u 'PI Vught'?")
    assert page.get_by_text("'31-02-2024' is geen geldige datum").count() == 1
    assert Signal.objects.count() == before
    check_page(page, "signalen-import-03-fouten")

    page.get_by_label("Foute rijen overslaan (ze komen in quarantaine)").check()
    page.get_by_label("Kolomindeling opslaan als").fill("Meldingen DJI")
    page.get_by_role("button", name="Importeren", exact=True).click()
    page.wait_for_selector("text=Resultaat van de import")
    assert page.get_by_text("2 van de 3 rijen zijn toegevoegd als signaal").count() >= 1
    assert Signal.objects.count() == before + 2
    check_page(page, "signalen-import-04-resultaat")

    page.get_by_role("link", name="Deze import bekijken").click()
    page.wait_for_url(re.compile(r".*/signalen/importeren/\d+/$"))
    expect(page.get_by_role("heading", name="Quarantaine")).to_be_visible()
    expect(page.get_by_text("Klacht over bejegening")).to_be_visible()
    check_page(page, "signalen-import-05-quarantaine")
