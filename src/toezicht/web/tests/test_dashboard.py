"""The dashboard: what waits for the user in signals, the current work programmes and the highest risks,
each line leading to the page that lists them."""

from __future__ import annotations

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse

from toezicht.accounts.roles import Role
from toezicht.core.factories import (
    OrganisationFactory,
    SignalFactory,
    SupervisionAreaFactory,
    TeamFactory,
    UserFactory,
)
from toezicht.programme import services as programme_services
from toezicht.programme.tests.factories import small_programme
from toezicht.signals import selectors as signal_selectors

pytestmark = pytest.mark.django_db


@pytest.fixture
def area():
    return SupervisionAreaFactory(code="sanctietoepassing", name="Sanctietoepassing")


@pytest.fixture
def leader(area):
    return UserFactory(role=Role.TEAM_LEADER, areas=[area])


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def attention_links(html: str) -> dict[str, tuple[str, str]]:
    """{label: (count as shown, link)} of the signals panel."""
    found = re.findall(r'<a class="utrecht-link" href="([^"]+)"><strong>([^<]+)</strong> ([^<]+)</a>', html)
    return {label.strip(): (count, href.replace("&amp;", "&")) for href, count, label in found}


def test_the_signals_panel_counts_what_waits_and_links_to_exactly_those_signals(area, leader) -> None:
    prison = OrganisationFactory(name="PI Vught", areas=[area])
    elsewhere = OrganisationFactory(
        name="Politie-eenheid Oost", areas=[SupervisionAreaFactory(code="politie")]
    )
    team = TeamFactory(area=area)
    SignalFactory.create_batch(2, organisation=prison)  # open, nobody assigned
    SignalFactory(organisation=prison, overdue=True)  # open, nobody assigned, past its deadline
    SignalFactory(organisation=prison, assigned_to=leader)
    SignalFactory(organisation=prison, assigned_team=team, overdue=True, closed=True)  # closed: not late
    SignalFactory(organisation=elsewhere, confidential=True)  # invisible to this team leader
    client = login(leader)

    links = attention_links(client.get(reverse("web:dashboard")).content.decode())

    assert {label: count for label, (count, _href) in links.items()} == {
        "open, zonder behandelaar of team": "3",
        "over de afhandeltermijn": "1",
        "open en aan u toegewezen": "1",
    }
    for count, href in links.values():  # each link lists exactly the signals counted
        response = client.get(href)
        assert response.status_code == 200
        assert response.context["page_obj"].paginator.count == int(count)


def test_the_signals_panel_says_more_than_instead_of_counting_on(area, leader, monkeypatch) -> None:
    monkeypatch.setattr(signal_selectors, "COUNT_LIMIT", 2)
    prison = OrganisationFactory(name="PI Vught", areas=[area])
    SignalFactory.create_batch(4, organisation=prison)
    links = attention_links(login(leader).get(reverse("web:dashboard")).content.decode())
    assert links["open, zonder behandelaar of team"][0] == "meer dan 2"


def test_the_programme_panel_shows_this_year_and_later_with_plan_and_adjustments(leader) -> None:
    year = datetime.date.today().year
    current = small_programme(year)["programme"]
    programme_services.plan_compute(programme=current, time_limit_s=5)
    programme_services.programme_create(year=year - 1, title=f"Werkprogramma {year - 1}")
    programme_services.programme_transition(programme=current, to_status="vastgesteld")
    second = programme_services.programme_new_version(programme=current)
    html = login(leader).get(reverse("web:dashboard")).content.decode()
    panel = html.split('id="panel-werkprogramma"')[1].split("</section>")[0]
    assert f"Werkprogramma {year}</a> (versie 2)" in panel
    assert panel.count(f"Werkprogramma {year}<") == 1  # the newest version only
    assert f"Werkprogramma {year - 1}" not in panel  # last year's is history, not on the dashboard
    assert "onderdelen gepland; plan: optimaal" not in panel  # version 2 has not been planned yet
    programme_services.plan_compute(programme=second, time_limit_s=5)
    html = login(leader).get(reverse("web:dashboard")).content.decode()
    assert "onderdelen gepland; plan: optimaal" in html


def test_without_a_risk_picture_the_risk_panel_says_so(leader) -> None:
    html = login(leader).get(reverse("web:dashboard")).content.decode()
    assert "Er is nog geen risicobeeld berekend." in html


def test_the_dashboard_costs_the_same_queries_for_many_signals_and_programmes(
    area, leader, django_assert_max_num_queries
) -> None:
    prison = OrganisationFactory(name="PI Vught", areas=[area])
    client = login(leader)
    SignalFactory(organisation=prison)
    with django_assert_max_num_queries(40) as few:
        client.get(reverse("web:dashboard"))
    SignalFactory.create_batch(30, organisation=prison)
    year = datetime.date.today().year
    for offset in range(4):
        programme_services.programme_create(year=year + offset, title=f"Werkprogramma {year + offset}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("web:dashboard"))
