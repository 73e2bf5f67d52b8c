"""Pages of the work programme: who may do what, what users see, bounded queries, export."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse

from toezicht.accounts.roles import Role
from toezicht.core.factories import OrganisationFactory, SupervisionAreaFactory, UserFactory
from toezicht.programme import services
from toezicht.programme.models import Adjustment, Candidate, ItemStatus, PlanRun, WorkProgramme

from .factories import small_programme

pytestmark = pytest.mark.django_db


def client_for(role: str, areas: list | None = None) -> Client:
    client = Client()
    client.force_login(UserFactory(role=role, areas=areas or []))
    return client


@pytest.fixture
def data() -> dict:
    return small_programme()


def test_overview_lists_programmes_for_everyone(data: dict) -> None:
    response = client_for(Role.READER).get(reverse("programme:overview"))
    assert response.status_code == 200
    assert "Werkprogramma 2027" in response.content.decode()
    assert "Nieuw werkprogramma" not in response.content.decode()
    response = client_for(Role.TEAM_LEADER).get(reverse("programme:overview"))
    assert "Nieuw werkprogramma" in response.content.decode()


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        (Role.TEAM_LEADER, True),
        (Role.INSPECTOR_GENERAL, True),
        (Role.INSPECTOR, False),
        (Role.ANALYST, False),
        (Role.READER, False),
        (Role.ADMINISTRATOR, False),
    ],
)
def test_only_teamleader_and_ig_decide(data: dict, role: str, allowed: bool) -> None:
    programme = data["programme"]
    client = client_for(role)
    for name in ("programme:board", "programme:items", "programme:candidates", "programme:adjustments"):
        assert client.get(reverse(name, args=[programme.pk])).status_code == 200
    response = client.post(reverse("programme:plan", args=[programme.pk]))
    if allowed:
        assert response.status_code == 302
        assert PlanRun.objects.filter(programme=programme).count() == 1
    else:
        assert response.status_code == 403
        assert not PlanRun.objects.exists()
    for name in ("programme:status", "programme:new_version", "programme:candidates_refresh"):
        code = client.post(reverse(name, args=[programme.pk]), {"to_status": "vastgesteld"}).status_code
        assert (code == 403) is not allowed
    assert (
        client.get(reverse("programme:adjustment_add", args=[programme.pk])).status_code == 403
    ) is not allowed
    assert (client.post(reverse("programme:create"), {"year": 2030}).status_code == 403) is not allowed


def test_anonymous_is_sent_to_login(data: dict) -> None:
    response = Client().get(reverse("programme:board", args=[data["programme"].pk]))
    assert response.status_code == 302
    assert "/login" in response["Location"] or "inloggen" in response["Location"]


def test_unknown_programme_and_run_give_404(data: dict) -> None:
    client = client_for(Role.TEAM_LEADER)
    assert client.get(reverse("programme:board", args=[999999])).status_code == 404
    assert client.get(reverse("programme:run", args=[data["programme"].pk, 999999])).status_code == 404


def test_plan_run_page_shows_result_and_board_shows_bars(data: dict) -> None:
    programme = data["programme"]
    client = client_for(Role.TEAM_LEADER)
    response = client.post(reverse("programme:plan", args=[programme.pk]), follow=True)
    page = response.content.decode()
    assert "Planberekening: optimaal" in page
    assert "Wat viel af en waarom" in page
    assert "Grensbewaking" in page
    assert "Bindende eisen" in page
    assert "Team Migratie" in page
    board = client.get(reverse("programme:board", args=[programme.pk])).content.decode()
    assert 'class="prog-bar' in board
    assert "Onderzoek opvang Ter Apel" in board
    assert "Gepland tegenover beschikbaar" in board


def test_infeasible_plan_message_on_the_page(data: dict) -> None:
    programme = data["programme"]
    services.capacity_set(team=data["team"], year=2027, quarter=1, available_hours=100)
    services.capacity_set(team=data["team"], year=2027, quarter=2, available_hours=100)
    client = client_for(Role.INSPECTOR_GENERAL)
    response = client.post(reverse("programme:plan", args=[programme.pk]), follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Er is geen plan mogelijk" in page
    assert "Er bestaat geen werkprogramma dat aan alle eisen voldoet." in page
    assert "Het programma is niet gewijzigd." in page
    assert not programme.items.filter(status=ItemStatus.PLANNED).exists()


def test_add_urgent_item_via_form_and_see_it_in_the_log(data: dict) -> None:
    programme = data["programme"]
    client = client_for(Role.TEAM_LEADER)
    client.post(reverse("programme:plan", args=[programme.pk]))
    response = client.post(
        reverse("programme:adjustment_add", args=[programme.pk]),
        {
            "title": "Spoedonderzoek brand in detentiecentrum",
            "kind": "incidentonderzoek",
            "team": data["team"].pk,
            "hours": 300,
            "value": 20,
            "reason": "incident",
            "note": "Brand met gewonden.",
            "from_quarter": 1,
            "date": "2027-01-15",
        },
        follow=True,
    )
    page = response.content.decode()
    assert "Het spoedonderzoek is toegevoegd" in page
    assert "Spoedonderzoek brand in detentiecentrum" in page
    assert Adjustment.objects.count() == 1


def test_urgent_item_that_does_not_fit_shows_dutch_reason(data: dict) -> None:
    programme = data["programme"]
    client = client_for(Role.TEAM_LEADER)
    client.post(reverse("programme:plan", args=[programme.pk]))
    for item in programme.items.filter(status=ItemStatus.PLANNED):
        services.item_set_status(item=item, status=ItemStatus.STARTED)
    response = client.post(
        reverse("programme:adjustment_add", args=[programme.pk]),
        {
            "title": "Te groot",
            "kind": "incidentonderzoek",
            "team": data["team"].pk,
            "hours": 350,
            "value": 20,
            "reason": "incident",
            "note": "x",
            "from_quarter": 1,
            "date": "2027-01-15",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Het spoedonderzoek past niet" in page
    assert "Er is niets gewijzigd." in page
    assert not Adjustment.objects.exists()


def test_bad_form_input_is_reported_not_a_500(data: dict) -> None:
    client = client_for(Role.TEAM_LEADER)
    response = client.post(
        reverse("programme:adjustment_add", args=[data["programme"].pk]),
        {"title": "", "hours": "veel", "team": "999999", "from_quarter": "9"},
    )
    assert response.status_code == 200
    assert "utrecht-form-field--invalid" in response.content.decode()
    response = client.post(reverse("programme:create"), {"year": "ooit"}, follow=True)
    assert "Geef een geldig jaar op" in response.content.decode()
    response = client.post(
        reverse("programme:status", args=[data["programme"].pk]), {"to_status": "onzin"}, follow=True
    )
    assert "geen toegestane stap" in response.content.decode()


def test_organisations_on_items_follow_the_area_rule(data: dict) -> None:
    other_area = SupervisionAreaFactory(code="politie", name="Politie")
    police_org = OrganisationFactory(name="Politie-eenheid Geheim", areas=[other_area])
    data["items"]["bewaring"].organisations.add(police_org)
    migration_reader = client_for(Role.INSPECTOR, areas=[data["area"]])
    page = migration_reader.get(reverse("programme:items", args=[data["programme"].pk])).content.decode()
    assert "Vreemdelingenbewaring" in page  # the item itself is public inside the inspectorate
    assert "COA-locatie Ter Apel" in page
    assert "Politie-eenheid Geheim" not in page
    ig_page = client_for(Role.INSPECTOR_GENERAL).get(reverse("programme:items", args=[data["programme"].pk]))
    assert "Politie-eenheid Geheim" in ig_page.content.decode()


def test_candidates_of_invisible_organisations_are_hidden(data: dict) -> None:
    programme = data["programme"]
    other_area = SupervisionAreaFactory(code="jeugd", name="Jeugd")
    hidden = OrganisationFactory(name="JJI Verborgen", areas=[other_area])
    item = services.item_create(programme=programme, title="Risico bij JJI", team_hours={data["team"]: 10})
    Candidate.objects.create(
        programme=programme, item=item, source="risico", value=5, why="w", organisation=hidden
    )
    reader = client_for(Role.INSPECTOR, areas=[data["area"]])
    page = reader.get(reverse("programme:candidates", args=[programme.pk])).content.decode()
    assert "Risico bij JJI" not in page
    ig = client_for(Role.INSPECTOR_GENERAL).get(reverse("programme:candidates", args=[programme.pk]))
    assert "Risico bij JJI" in ig.content.decode()


def test_lists_use_a_bounded_number_of_queries(data: dict, django_assert_max_num_queries) -> None:
    programme = data["programme"]
    team = data["team"]
    for n in range(30):
        item = services.item_create(
            programme=programme, title=f"Extra {n}", team_hours={team: 10}, organisations=[data["org"]]
        )
        Candidate.objects.create(programme=programme, item=item, source="voorstel", value=n, why="w")
    services.plan_compute(programme=programme)
    client = client_for(Role.TEAM_LEADER)
    for name in ("programme:items", "programme:candidates", "programme:adjustments", "programme:board"):
        with django_assert_max_num_queries(20):
            assert client.get(reverse(name, args=[programme.pk])).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(reverse("programme:overview")).status_code == 200


def test_export_opens_with_openpyxl(data: dict) -> None:
    programme = data["programme"]
    services.plan_compute(programme=programme)
    response = client_for(Role.READER).get(reverse("programme:export", args=[programme.pk]))
    assert response.status_code == 200
    wb = openpyxl.load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames == ["Onderdelen", "Capaciteit", "Bijstellingen"]
    rows = list(wb["Onderdelen"].iter_rows(values_only=True))
    assert rows[0][0] == "Titel"
    titles = {r[0] for r in rows[1:]}
    assert "Onderzoek opvang Ter Apel" in titles
    planned = {r[0]: r[3] for r in rows[1:]}
    assert not planned["Grensbewaking"]  # not in the plan: no quarters
    assert planned["Onderzoek opvang Ter Apel"] in ("Q1", "Q2")


def test_status_buttons_and_history(data: dict) -> None:
    programme = data["programme"]
    client = client_for(Role.INSPECTOR_GENERAL)
    client.post(reverse("programme:status", args=[programme.pk]), {"to_status": "vastgesteld"})
    assert WorkProgramme.objects.get(pk=programme.pk).status == "vastgesteld"
    page = client.get(reverse("programme:board", args=[programme.pk])).content.decode()
    assert "Publiceren" in page
    assert "concept → vastgesteld" in page


def test_scenario_page_compares(data: dict) -> None:
    programme = data["programme"]
    client = client_for(Role.TEAM_LEADER)
    response = client.post(
        reverse("programme:scenarios", args=[programme.pk]),
        {"action": "add", "name": "Migratie verliest 0,5 fte", "team": data["team"].pk, "fte_delta": "-0.5"},
        follow=True,
    )
    assert "Migratie verliest 0,5 fte" in response.content.decode()
    response = client.post(
        reverse("programme:scenarios", args=[programme.pk]), {"action": "compare"}, follow=True
    )
    page = response.content.decode()
    assert "Vergelijking" in page
    assert "Basis" in page
    assert "Migratie verliest 0,5 fte</a>" in page  # a row per scenario, linked to its plan run
    assert (
        client_for(Role.READER)
        .post(reverse("programme:scenarios", args=[programme.pk]), {"action": "compare"})
        .status_code
        == 403
    )
