"""A team leader's journey through the work programme in a real browser, with accessibility checks."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import serious_accessibility_violations
from toezicht.core.factories import TEST_PASSWORD
from toezicht.demo.loader import load_demo

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


def check_page(page: Any, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"programme-{name}.png"), full_page=True)
    violations = serious_accessibility_violations(page)
    assert violations == [], f"{name}: {violations}"


def test_teamleader_plans_and_adjusts_the_programme(live_server: Any, page: Any) -> None:
    load_demo()
    from toezicht.accounts.models import User
    from toezicht.programme.models import Adjustment, WorkProgramme

    leader = User.objects.get(username="teamleider")
    leader.set_password(TEST_PASSWORD)
    leader.save()
    programme = WorkProgramme.objects.get(year=2027, title="Werkprogramma 2027")
    assert Adjustment.objects.filter(programme=programme).count() == 1  # the demo adjustment

    page.goto(f"{live_server.url}/account/inloggen/")
    page.get_by_label("Gebruikersnaam").fill("teamleider")
    page.get_by_label("Wachtwoord").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(f"{live_server.url}/")

    # The overview leads to the running year: its adopted second version, with the year's adjustments.
    panel = page.locator("#panel-werkprogramma + ul")
    expect(panel).to_contain_text("3 bijstellingen")
    panel.get_by_role("link", name="Werkprogramma 2026").click()
    page.wait_for_url(re.compile(r".*/werkprogramma/\d+/$"))
    expect(page.get_by_text("Werkprogramma 2026 · versie 2")).to_be_visible()
    assert page.locator(".prog-bar.prog-bar--afgerond").count() > 5  # the first three quarters are done
    assert page.locator(".prog-bar.prog-bar--gestart").count() > 0  # the fourth is under way
    check_page(page, "00-lopend-jaar")
    page.get_by_role("link", name="Bijstellingen", exact=True).click()
    page.wait_for_url(re.compile(r".*/bijstellingen/$"))
    expect(page.get_by_text("verzoek Tweede Kamer")).to_be_visible()
    assert page.locator("tbody tr").count() == 3

    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Werkprogramma").click()
    page.wait_for_url(re.compile(r".*/werkprogramma/$"))
    check_page(page, "01-overzicht")

    page.get_by_role("link", name="Werkprogramma 2027").click()
    page.wait_for_url(re.compile(r".*/werkprogramma/\d+/$"))
    expect(page.get_by_role("heading", name="Planbord per team en kwartaal")).to_be_visible()
    assert page.locator(".prog-bar").count() > 10
    assert page.get_by_text("Jaarlijkse inspectie PI Vught").count() >= 1
    check_page(page, "02-planbord")

    page.get_by_role("button", name="Plan berekenen").click(timeout=120_000)
    page.wait_for_url(re.compile(r".*/berekeningen/\d+/$"), timeout=120_000)
    heading = page.get_by_role("heading", level=1).inner_text()
    assert heading.startswith("Planberekening:")
    assert page.get_by_role("heading", name="Wat viel af en waarom").count() == 1
    expect(page.get_by_role("heading", name="Wat levert één uur extra op?")).to_be_visible()
    check_page(page, "03-berekening")

    page.goto(f"{live_server.url}/werkprogramma/{programme.pk}/bijstellingen/spoed/")
    page.get_by_label("Titel van het spoedonderzoek").fill("Spoedonderzoek na ontvluchting uit JJI")
    page.get_by_label("Team").select_option(label="Team Jeugd")
    page.get_by_label("Uren").fill("300")
    page.get_by_label("Aanleiding").select_option(label="incident")
    page.get_by_label("Toelichting").fill("Twee jongeren zijn ontvlucht; de minister wil weten hoe dat kon.")
    page.get_by_label("Bijstellen vanaf kwartaal").select_option(label="Q1")
    check_page(page, "04-spoedformulier")
    page.get_by_role("button", name="Toevoegen en bijstellen").click(timeout=120_000)
    page.wait_for_url(re.compile(r".*/bijstellingen/$"), timeout=120_000)
    expect(page.get_by_text("Het spoedonderzoek is toegevoegd")).to_be_visible()
    assert page.get_by_role("cell", name=re.compile("Spoedonderzoek na ontvluchting uit JJI")).count() >= 1
    assert Adjustment.objects.filter(programme=programme).count() == 2
    check_page(page, "05-bijstellingen")

    page.get_by_role("link", name="Planbord").click()
    page.wait_for_url(re.compile(r".*/werkprogramma/\d+/$"))
    assert page.get_by_text("Spoedonderzoek na ontvluchting uit JJI").count() >= 1
    check_page(page, "06-planbord-na-bijstelling")

    # What if team Migratie loses two inspectors? Computed beside the base; the programme does not change.
    page.goto(f"{live_server.url}/werkprogramma/{programme.pk}/scenarios/")
    page.get_by_label("Naam van het scenario").fill("Migratie verliest 2 fte")
    page.get_by_label("Team").select_option(label="Team Migratie")
    page.get_by_label("Verandering in fte").fill("-2")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("Scenario opgeslagen.")).to_be_visible()
    page.get_by_role("button", name="Scenario's berekenen en vergelijken").click(timeout=180_000)
    expect(page.get_by_role("heading", name="Vergelijking")).to_be_visible(timeout=180_000)
    table = page.get_by_role("table", name="Scenario's naast elkaar")
    expect(table.get_by_role("link", name="Basis")).to_be_visible()
    expect(table.get_by_role("link", name="Migratie verliest 2 fte")).to_be_visible()
    check_page(page, "07-scenarios")
