"""A user's journey through the register in a real browser, with an accessibility check on every page."""

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


def check_page(page: Any, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
    violations = serious_accessibility_violations(page)
    assert violations == [], f"{name}: {violations}"


def test_inspector_logs_in_filters_and_opens_an_organisation(live_server: Any, page: Any) -> None:
    load_demo()
    inspector = UserFactory(username="ilse", first_name="Ilse", role=Role.INSPECTOR)
    from toezicht.register.models import SupervisionArea

    inspector.areas.set([SupervisionArea.objects.get(code="sanctietoepassing")])

    page.goto(f"{live_server.url}/")
    assert "/account/inloggen/" in page.url
    check_page(page, "01-inloggen")

    page.get_by_label("Gebruikersnaam").fill("ilse")
    page.get_by_label("Wachtwoord").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(f"{live_server.url}/")
    expect(page.get_by_role("heading", name="Overzicht")).to_be_visible()
    check_page(page, "02-overzicht")

    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Organisaties").click()
    page.wait_for_url(re.compile(r".*/register/organisaties/$"))
    # Only Sanctietoepassing: prisons are listed, police units are not.
    assert page.get_by_role("link", name="Dienst Justitiële Inrichtingen").count() == 1
    assert page.get_by_text("Politie-eenheid Amsterdam").count() == 0
    check_page(page, "03-organisaties")

    # Filtering replaces the results through htmx, without a page reload.
    # Searching matches names and municipalities: PI Vught and PI Brabant (in Vught).
    page.get_by_label("Zoeken").fill("vught")
    page.wait_for_function("document.querySelectorAll('#resultaten tbody tr').length === 2")
    assert "q=vught" in page.url
    page.get_by_label("Zoeken").fill("")
    page.get_by_label("Type").select_option(label="Forensisch psychiatrisch centrum")
    page.wait_for_function("document.querySelector('#resultaten').innerText.includes('8 organisaties')")
    page.get_by_label("Zoeken").fill("vught")
    page.wait_for_function("document.querySelector('#resultaten').innerText.includes('0 organisaties')")
    page.get_by_label("Type").select_option(label="Penitentiaire inrichting")
    page.wait_for_function("document.querySelectorAll('#resultaten tbody tr').length === 2")
    check_page(page, "04-gefilterd")

    page.locator("#resultaten").get_by_role("link", name="PI Vught").click()
    page.wait_for_url(re.compile(r".*/register/organisaties/\d+/$"))
    expect(page.get_by_role("heading", name="PI Vught", level=1)).to_be_visible()
    body = page.locator("main").inner_text()
    assert "Dienst Justitiële Inrichtingen" in body  # hierarchy
    assert "Netwerk tegen radicalisering en terrorisme" in body  # chain
    check_page(page, "05-organisatie")

    # Another area's organisation cannot be opened by guessing its id.
    from toezicht.register.models import Organisation

    police = Organisation.objects.get(code="politie-amsterdam")
    response = page.goto(f"{live_server.url}/register/organisaties/{police.pk}/")
    assert response is not None
    assert response.status == 404


def test_administrator_pages_are_accessible(live_server: Any, page: Any) -> None:
    load_demo()
    UserFactory(username="bram", role=Role.ADMINISTRATOR)
    page.goto(f"{live_server.url}/account/inloggen/")
    page.get_by_label("Gebruikersnaam").fill("bram")
    page.get_by_label("Wachtwoord").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(f"{live_server.url}/")
    for name, path in [
        ("06-nieuwe-organisatie", "/register/organisaties/nieuw/"),
        ("07-ketens", "/register/ketens/"),
        ("08-strategie", "/strategie/"),
        ("09-wijzigingslog", "/wijzigingslog/"),
        ("10-importeren", "/register/organisaties/importeren/"),
    ]:
        response = page.goto(f"{live_server.url}{path}")
        assert response is not None
        assert response.status == 200, f"{path}: {response.status}"
        check_page(page, name)
