"""An analyst's journey through indicators and norms in a real browser, with an accessibility check on
every page: the overview, a norm's sector view, the import page and an organisation's indicator charts."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import serious_accessibility_violations
from toezicht.demo.loader import load_demo

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
DEMO_PASSWORD = "Toezicht-demo-2026"


def check_page(page: Any, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
    violations = serious_accessibility_violations(page)
    assert violations == [], f"{name}: {violations}"


def test_analyst_opens_a_sector_view_and_an_organisation_chart_then_the_ig_sees_a_structural_norm(
    live_server: Any, page: Any
) -> None:
    load_demo()
    page.goto(f"{live_server.url}/")
    page.get_by_label("Gebruikersnaam").fill("analist")
    page.get_by_label("Wachtwoord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(f"{live_server.url}/")

    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Indicatoren").click()
    page.wait_for_url(re.compile(r".*/indicatoren/$"))
    expect(page.get_by_role("heading", name="Indicatoren en normen")).to_be_visible()
    check_page(page, "indicatoren-01-overzicht")

    page.get_by_role("link", name="Ten minste 80% van de uitrukken binnen de opkomsttijd").click()
    page.wait_for_url(re.compile(r".*/indicatoren/normen/\d+/$"))
    expect(page.get_by_role("heading", name="Sectorbeeld")).to_be_visible()
    chart = page.locator("svg.app-chart")
    assert chart.count() == 1
    assert "Aandeel organisaties" in (chart.locator("title").text_content() or "")
    expect(page.get_by_text("Wet veiligheidsregio's, art. 14")).to_be_visible()
    check_page(page, "indicatoren-02-sectorbeeld")

    page.goto(f"{live_server.url}/indicatoren/metingen/importeren/")
    expect(page.get_by_role("heading", name="Metingen importeren")).to_be_visible()
    check_page(page, "indicatoren-03-import")

    page.goto(f"{live_server.url}/register/organisaties/?q=Haaglanden")
    page.get_by_role("link", name="Veiligheidsregio Haaglanden").first.click()
    page.wait_for_url(re.compile(r".*/register/organisaties/\d+/$"))
    panel = page.locator("#panel-indicatoren")
    expect(panel).to_be_visible()
    expect(page.get_by_role("heading", name="Aanrijtijden brandweer binnen de normtijd")).to_be_visible()
    assert page.locator("section:has(#panel-indicatoren) svg.app-chart").count() >= 1
    check_page(page, "indicatoren-04-organisatie")

    # The inspector-general sees every area, and the norm the whole sector cannot meet.
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/")
    page.get_by_label("Gebruikersnaam").fill("ig")
    page.get_by_label("Wachtwoord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/indicatoren/")
    page.get_by_role("link", name="Beslissing op een asielaanvraag binnen 6 maanden").click()
    page.wait_for_url(re.compile(r".*/indicatoren/normen/\d+/$"))
    expect(page.get_by_role("heading", name="Deze norm is structureel onhaalbaar")).to_be_visible()
    expect(page.get_by_role("link", name="Directoraat-generaal Migratie")).to_be_visible()
    check_page(page, "indicatoren-05-structureel-onhaalbaar")
