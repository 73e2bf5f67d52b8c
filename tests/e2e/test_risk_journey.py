"""An analyst's journey through the risk picture in a real browser, with an accessibility check per page."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import serious_accessibility_violations
from toezicht.demo import data
from toezicht.demo.loader import load_demo

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


def check_page(page: Any, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
    violations = serious_accessibility_violations(page)
    assert violations == [], f"{name}: {violations}"


def test_analyst_reads_heatmap_ranking_explanation_and_accountability(live_server: Any, page: Any) -> None:
    from toezicht.risk import services

    services.clear_cache()
    load_demo()

    page.goto(f"{live_server.url}/account/inloggen/")
    page.get_by_label("Gebruikersnaam").fill("analist")
    page.get_by_label("Wachtwoord").fill(data.DEMO_PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(f"{live_server.url}/")

    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Risicobeeld").click()
    page.wait_for_url(re.compile(r".*/risico/$"))
    expect(page.get_by_role("heading", name="Risicobeeld", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="Kans × impact")).to_be_visible()
    body = page.locator("main").inner_text()
    assert "Politie-eenheid" in body  # the analyst's area
    assert "PI Vught" not in body  # not the analyst's area
    check_page(page, "risk-01-heatmap")

    page.get_by_role("link", name="Toezichtgebieden × thema's").click()
    page.wait_for_url(re.compile(r".*weergave=gebieden"))
    check_page(page, "risk-02-heatmap-gebieden")

    page.locator("nav.risk-switch").get_by_role("link", name="Ranglijst").click()
    page.wait_for_url(re.compile(r".*/risico/ranglijst/"))
    expect(page.get_by_text(re.compile(r"\d+ combinaties van organisatie en thema"))).to_be_visible()
    check_page(page, "risk-03-ranglijst")

    page.locator("table tbody tr").first.get_by_role("link").first.click()
    page.wait_for_url(re.compile(r".*/risico/organisaties/\d+/"))
    expect(page.get_by_role("heading", name="Bijdrage per criterium aan de kans")).to_be_visible()
    check_page(page, "risk-04-organisatie")

    page.get_by_role("link", name="Naar de organisatie").click()
    page.wait_for_url(re.compile(r".*/register/organisaties/\d+/$"))
    expect(page.locator("#panel-risico")).to_be_visible()
    check_page(page, "risk-05-organisatiepagina-paneel")

    page.goto(f"{live_server.url}/risico/berekeningen/vergelijken/")
    expect(page.get_by_role("heading", name="Wat is er veranderd")).to_be_visible()
    check_page(page, "risk-06-vergelijken")

    page.goto(f"{live_server.url}/risico/model/")
    expect(page.get_by_role("heading", name="Nieuwe versie maken")).to_be_visible()
    check_page(page, "risk-07-model")

    page.goto(f"{live_server.url}/risico/verantwoording/")
    expect(page.get_by_role("heading", name="Risico's en bekende beperkingen")).to_be_visible()
    check_page(page, "risk-08-verantwoording")
