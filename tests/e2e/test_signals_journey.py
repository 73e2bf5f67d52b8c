"""An inspector's day at the intake desk in a real browser, with an accessibility check on every page."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import serious_accessibility_violations
from toezicht.demo import data

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


def check_page(page: Any, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
    violations = serious_accessibility_violations(page)
    assert violations == [], f"{name}: {violations}"


@pytest.fixture
def demo(monkeypatch: Any) -> None:
    import toezicht.demo.loader as loader
    from toezicht.signals.selectors import clear_triage_cache

    monkeypatch.setattr(loader, "DEMO_MODULES", ["toezicht.signals.demo_data"])
    loader.load_demo()
    clear_triage_cache()


def test_inspector_filters_opens_and_takes_a_signal_in_hand(live_server: Any, page: Any, demo: None) -> None:
    from toezicht.signals.models import Signal

    page.goto(f"{live_server.url}/account/inloggen/")
    page.get_by_label("Gebruikersnaam").fill("inspecteur")
    page.get_by_label("Wachtwoord").fill(data.DEMO_PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(f"{live_server.url}/")

    # The overview says how many signals are past their deadline; the link lists exactly those.
    waiting = page.locator("#panel-signalen + ul").get_by_role(
        "link", name=re.compile("over de afhandeltermijn")
    )
    expect(waiting).to_be_visible()
    late = int(waiting.locator("strong").inner_text())
    assert late > 0  # the demo has late signals in Sanctietoepassing
    check_page(page, "signalen-00-overzicht")
    waiting.click()
    page.wait_for_url(re.compile(r".*termijn=ja.*"))
    expect(page.locator(".app-result-count")).to_contain_text(f"{late} signal")

    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Signalen").click()
    page.wait_for_url(re.compile(r".*/signalen/$"))
    expect(page.get_by_role("heading", name="Signalen", level=1)).to_be_visible()
    check_page(page, "signalen-01-inbox")

    # Filtering replaces the results through htmx: only received signals, overdue ones first.
    page.get_by_label("Status", exact=True).select_option(label="ontvangen")
    page.wait_for_url(re.compile(r".*status=ontvangen.*"))
    page.get_by_label("Sorteren op").select_option(value="termijn")
    page.wait_for_url(re.compile(r".*sorteer=termijn.*"))
    page.wait_for_load_state("networkidle")
    rows = page.locator("#resultaten tbody tr")
    assert rows.count() > 0
    statuses = page.locator("#resultaten tbody td .sig-status").all_inner_texts()
    assert statuses
    assert set(statuses) == {"ontvangen"}
    check_page(page, "signalen-02-gefilterd")

    link = page.locator("#resultaten tbody tr").first.get_by_role("link").first
    reference = link.inner_text()
    link.click()
    page.wait_for_url(re.compile(r".*/signalen/\d+/$"))
    expect(page.get_by_text(reference).first).to_be_visible()
    check_page(page, "signalen-03-signaal")

    page.get_by_role("button", name="In behandeling nemen").click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_text("De status is nu ‘in behandeling’.")).to_be_visible()
    history = page.locator("section", has=page.get_by_role("heading", name="Geschiedenis")).inner_text()
    assert "ontvangen → in behandeling" in history
    assert "Ilse de Inspecteur" in history
    assert Signal.objects.get(reference=reference).status == "in_behandeling"
    check_page(page, "signalen-04-in-behandeling")

    # A new signal: suggestions are shown, never filled in without pressing a button.
    page.goto(f"{live_server.url}/signalen/nieuw/")
    page.get_by_label("Onderwerp").fill("Ontvluchting tijdens ziekenhuisbezoek PI Vught")
    page.get_by_label("Omschrijving").fill(
        "Een gedetineerde van PI Vught is tijdens een ziekenhuisbezoek ontvlucht."
    )
    page.get_by_role("button", name="Suggesties ophalen").click()
    page.wait_for_load_state("networkidle")
    triage = page.locator("aside")
    assert "PI Vught" in triage.inner_text()
    assert page.get_by_label("Organisatie", exact=True).input_value() == ""
    check_page(page, "signalen-05-nieuw-met-suggesties")

    # The organisation page shows the signals panel.
    from toezicht.register.models import Organisation

    vught = Organisation.objects.get(code="pi-vught")
    page.goto(f"{live_server.url}/register/organisaties/{vught.pk}/")
    expect(page.get_by_role("heading", name="Signalen", level=2)).to_be_visible()
    check_page(page, "signalen-06-organisatie")
