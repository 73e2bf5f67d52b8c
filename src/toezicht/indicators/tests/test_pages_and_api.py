from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from toezicht.accounts.roles import Role
from toezicht.core.factories import (
    OrganisationFactory,
    OrganisationTypeFactory,
    RelationshipFactory,
    SupervisionAreaFactory,
    UserFactory,
)
from toezicht.indicators.models import Comparison, Indicator, Norm, NormBreach, Observation
from toezicht.indicators.services import norm_save, observation_record
from toezicht.indicators.tests.factories import IndicatorFactory, NormFactory
from toezicht.register.models import RelationshipKind
from toezicht.signals.models import Signal

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    prisons = SupervisionAreaFactory(code="sanctietoepassing", name="Sanctietoepassing")
    police = SupervisionAreaFactory(code="politie", name="Politie")
    ministry = OrganisationTypeFactory(governance=True)
    dg = OrganisationFactory(code="dgsenb", name="DG Straffen en Beschermen", type=ministry)
    sg = OrganisationFactory(code="sg", name="Secretaris-generaal", type=ministry)
    dji = OrganisationFactory(code="dji", name="DJI", areas=[prisons])
    RelationshipFactory(kind=RelationshipKind.PRINCIPAL, source=dg, target=dji)
    RelationshipFactory(kind=RelationshipKind.OWNER, source=sg, target=dji)
    pis = [OrganisationFactory(code=f"pi-{i}", name=f"PI {i}", parent=dji, areas=[prisons]) for i in range(4)]
    unit = OrganisationFactory(code="pol-1", name="Politie-eenheid Eén", areas=[police])
    indicator = IndicatorFactory(code="bezetting", name="Bezettingsgraad", unit="%")
    norm = NormFactory(
        code="bezetting-max", name="Bezetting ten hoogste 100%", indicator=indicator, threshold=100.0
    )
    analyst = UserFactory(role=Role.ANALYST, areas=[prisons])
    # Three consecutive months in which 3 of 4 prisons (75 %) are over 100 %: structurally infeasible.
    for month in (1, 2, 3):
        for i, pi in enumerate(pis):
            observation_record(
                by=analyst,
                indicator=indicator,
                organisation=pi,
                period_start=datetime.date(2025, month, 1),
                value=104.0 if i < 3 else 96.0,
            )
    observation_record(
        by=analyst,
        indicator=indicator,
        organisation=unit,
        period_start=datetime.date(2025, 1, 1),
        value=130.0,
    )
    return {
        "prisons": prisons,
        "police": police,
        "indicator": indicator,
        "norm": norm,
        "pis": pis,
        "unit": unit,
        "analyst": analyst,
    }


def client_for(role: str, areas: list) -> Client:
    client = Client()
    client.force_login(UserFactory(role=role, areas=areas))
    return client


def test_record_makes_one_breach_and_one_signal_per_organisation_norm_period(world) -> None:
    assert NormBreach.objects.count() == 10  # 3 prisons x 3 months + the police unit
    assert Signal.objects.filter(source__code="norm_breach").count() == 10
    # Recording the same value again changes nothing.
    outcome = observation_record(
        by=world["analyst"],
        indicator=world["indicator"],
        organisation=world["pis"][0],
        period_start=datetime.date(2025, 1, 1),
        value=104.0,
    )
    assert not outcome.created
    assert NormBreach.objects.count() == 10


def test_a_new_norm_checks_the_observations_already_there(world) -> None:
    stricter = norm_save(
        by=world["analyst"],
        data={
            "code": "bezetting-max-95",
            "name": "Bezetting ten hoogste 95%",
            "legal_basis": "Penitentiaire beginselenwet",
            "indicator": world["indicator"],
            "comparison": Comparison.AT_MOST,
            "threshold": 95.0,
        },
    )
    assert stricter.breaches.count() == 13  # every observation is above 95


def test_norm_needs_a_threshold_and_a_sensible_share(world) -> None:
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as caught:
        norm_save(
            by=world["analyst"],
            data={
                "code": "x",
                "name": "X",
                "legal_basis": "Wet",
                "indicator": world["indicator"],
                "threshold": None,
                "structural_share": 1.5,
            },
        )
    assert set(caught.value.message_dict) == {"threshold", "structural_share"}


def test_sector_view_names_principal_and_owner(world) -> None:
    client = client_for(Role.INSPECTOR, [world["prisons"]])
    response = client.get(reverse("indicators:norm_detail", args=[world["norm"].pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Deze norm is structureel onhaalbaar" in html
    assert "DG Straffen en Beschermen" in html
    assert "Secretaris-generaal" in html
    assert "<svg" in html
    assert "75 %" in html
    # The police unit is in another area: not counted, not listed.
    assert "Politie-eenheid Eén" not in html


def test_sector_view_is_not_structural_below_the_share(world) -> None:
    Norm.objects.filter(pk=world["norm"].pk).update(structural_share=0.8)
    client = client_for(Role.INSPECTOR, [world["prisons"]])
    html = client.get(reverse("indicators:norm_detail", args=[world["norm"].pk])).content.decode()
    assert "Deze norm is structureel onhaalbaar" not in html
    assert "niet structureel onhaalbaar" in html


def test_overview_counts_only_visible_breaches_with_constant_queries(
    world, django_assert_max_num_queries
) -> None:
    for _ in range(30):
        indicator = IndicatorFactory()
        NormFactory(indicator=indicator)
    client = client_for(Role.INSPECTOR, [world["police"]])
    with django_assert_max_num_queries(8):
        response = client.get(reverse("indicators:overview"))
    assert response.status_code == 200
    norms = {n.name: n.breach_count for i in response.context["page_obj"].object_list for n in i.norm_list}
    assert norms["Bezetting ten hoogste 100%"] == 1  # only the police unit's breach is visible


def test_organisation_panel_shows_an_accessible_chart(world) -> None:
    client = client_for(Role.INSPECTOR, [world["prisons"]])
    response = client.get(reverse("register:organisation_detail", args=[world["pis"][0].pk]))
    html = response.content.decode()
    assert 'id="panel-indicatoren"' in html
    assert "<title id=" in html
    assert "<desc id=" in html
    assert "3 metingen halen de norm niet" in html
    assert "rhc-visually-hidden" in html
    assert "januari 2025" in html


def test_pages_of_other_areas_observations_are_not_shown(world) -> None:
    client = client_for(Role.INSPECTOR, [world["police"]])
    html = client.get(reverse("indicators:indicator_detail", args=[world["indicator"].pk])).content.decode()
    assert "Politie-eenheid Eén" in html
    assert "PI 0" not in html


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        (Role.ANALYST, True),
        (Role.ADMINISTRATOR, True),
        (Role.INSPECTOR, False),
        (Role.TEAM_LEADER, False),
        (Role.READER, False),
        (Role.INSPECTOR_GENERAL, False),
    ],
)
def test_only_analysts_and_administrators_change_indicators(world, role: str, allowed: bool) -> None:
    client = client_for(role, [world["prisons"]])
    for name in ("indicators:indicator_create", "indicators:norm_create", "indicators:observation_import"):
        assert client.get(reverse(name)).status_code == (200 if allowed else 403)
    response = client.post(
        reverse("indicators:indicator_create"),
        {
            "code": "verzuim",
            "name": "Ziekteverzuim",
            "unit": "%",
            "direction": "hoger_slechter",
            "frequency": "maand",
        },
    )
    assert Indicator.objects.filter(code="verzuim").exists() is allowed
    if allowed:
        assert response.status_code == 302


def test_norm_form_accepts_a_decimal_comma_and_reports_errors_in_dutch(world) -> None:
    client = client_for(Role.ANALYST, [world["prisons"]])
    response = client.post(
        reverse("indicators:norm_create"),
        {
            "code": "nieuw",
            "name": "Nieuw",
            "legal_basis": "Wet",
            "indicator": world["indicator"].pk,
            "comparison": "max",
            "threshold": "",
            "structural_share": "0,6",
            "structural_periods": "3",
            "active": "on",
        },
    )
    assert response.status_code == 200
    assert "Een norm met een indicator heeft een drempelwaarde nodig." in response.content.decode()
    response = client.post(
        reverse("indicators:norm_create"),
        {
            "code": "nieuw",
            "name": "Nieuw",
            "legal_basis": "Wet",
            "indicator": world["indicator"].pk,
            "comparison": "max",
            "threshold": "99,5",
            "structural_share": "0,6",
            "structural_periods": "3",
            "active": "on",
        },
    )
    assert response.status_code == 302
    assert Norm.objects.get(code="nieuw").threshold == 99.5


def test_import_page_reports_in_dutch_and_imports(world) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for(Role.ANALYST, [world["prisons"]])
    bad = SimpleUploadedFile("m.csv", b"indicator;organisatie;periode;waarde\nbezetting;PI 9;2025-04;99\n")
    html = client.post(reverse("indicators:observation_import"), {"file": bad}).content.decode()
    assert "Er wordt niets geïmporteerd" in html
    assert "Onbekende organisatie" in html
    good = SimpleUploadedFile("m.csv", b"indicator;organisatie;periode;waarde\nbezetting;pi-0;2025-04;99,5\n")
    html = client.post(reverse("indicators:observation_import"), {"file": good}).content.decode()
    assert "1 meting toegevoegd" in html
    assert Observation.objects.filter(period_start=datetime.date(2025, 4, 1)).count() == 1


# --------------------------------------------------------------------------- API


def test_api_lists_only_visible_observations_with_constant_queries(
    world, django_assert_max_num_queries
) -> None:
    client = client_for(Role.INSPECTOR, [world["prisons"]])
    with django_assert_max_num_queries(6):
        response = client.get("/api/v1/metingen/", {"indicator": "bezetting", "periode": "2025-01"})
    assert response.status_code == 200
    codes = {row["organisation"] for row in response.json()["results"]}
    assert codes == {"pi-0", "pi-1", "pi-2", "pi-3"}
    other = Observation.objects.get(organisation=world["unit"])
    assert client.get(f"/api/v1/metingen/{other.pk}/").status_code == 404
    breach = NormBreach.objects.get(organisation=world["unit"])
    assert client.get(f"/api/v1/normoverschrijdingen/{breach.pk}/").status_code == 404


def test_api_creates_one_or_a_list_and_answers_400_per_field(world) -> None:
    client = client_for(Role.ANALYST, [world["prisons"]])
    one = client.post(
        "/api/v1/metingen/",
        {"indicator": "bezetting", "organisation": "pi-0", "period": "apr 2025", "value": 101.5},
        content_type="application/json",
    )
    assert one.status_code == 201, one.json()
    assert one.json()["period"] == "2025-04"
    bad = client.post(
        "/api/v1/metingen/",
        [
            {"indicator": "bezetting", "organisation": "pi-1", "period": "2025-05", "value": 99},
            {"indicator": "onbekend", "organisation": "pi-O", "period": "2025-13", "value": "veel"},
        ],
        content_type="application/json",
    )
    assert bad.status_code == 400
    errors = bad.json()
    assert set(errors) == {"1"}  # errors per item, by position
    assert set(errors["1"]) == {"indicator", "organisation", "period", "value"}
    assert "Bedoelt u 'pi-0'?" in errors["1"]["organisation"][0]
    assert "Maand 13 bestaat niet" in errors["1"]["period"][0]
    assert errors["1"]["indicator"] == ["Onbekende indicator 'onbekend'."]
    assert not Observation.objects.filter(period_start=datetime.date(2025, 5, 1)).exists()  # all or nothing
    conflict = client.post(
        "/api/v1/metingen/",
        {"indicator": "bezetting", "organisation": "pi-0", "period": "2025-04", "value": 90},
        content_type="application/json",
    )
    assert conflict.status_code == 400
    assert "wordt niet overschreven" in conflict.json()["value"][0]
    other_area = client.post(
        "/api/v1/metingen/",
        {"indicator": "bezetting", "organisation": "pol-1", "period": "2025-04", "value": 90},
        content_type="application/json",
    )
    assert other_area.status_code == 400
    garbage = client.post("/api/v1/metingen/", "{niet json", content_type="application/json")
    assert garbage.status_code == 400


def test_api_write_needs_the_capability(world) -> None:
    client = client_for(Role.INSPECTOR, [world["prisons"]])
    response = client.post(
        "/api/v1/metingen/",
        {"indicator": "bezetting", "organisation": "pi-0", "period": "2025-04", "value": 1},
        content_type="application/json",
    )
    assert response.status_code == 403


def test_api_sector_view(world) -> None:
    client = client_for(Role.INSPECTOR, [world["prisons"]])
    data = client.get(f"/api/v1/normen/{world['norm'].pk}/sector/").json()
    assert data["structural"] is True
    assert [p["share"] for p in data["periods"]] == [0.75, 0.75, 0.75]
    assert {(a["kind"], a["organisation"]) for a in data["addressees"]} == {
        ("opdrachtgever", "dgsenb"),
        ("eigenaar", "sg"),
    }


def test_api_schema_lists_the_routes() -> None:
    client = client_for(Role.READER, [])
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    for path in (b"/api/v1/metingen/", b"/api/v1/normen/{id}/sector/", b"/api/v1/normoverschrijdingen/"):
        assert path in schema.content


# --------------------------------------------------------------------------- command


def test_command_imports_and_fails_when_nothing_was_imported(world, tmp_path: Path) -> None:
    path = tmp_path / "metingen.csv"
    path.write_text("indicator;organisatie;periode;waarde\nbezetting;pi-1;2025-06;97,5\n", encoding="utf-8")
    call_command("import_observations", str(path), "--dry-run")
    assert not Observation.objects.filter(period_start=datetime.date(2025, 6, 1)).exists()
    call_command("import_observations", str(path))
    assert Observation.objects.filter(period_start=datetime.date(2025, 6, 1)).count() == 1
    with pytest.raises(CommandError, match="niets geïmporteerd"):
        call_command("import_observations", str(path))
    with pytest.raises(CommandError, match="bestaat niet"):
        call_command("import_observations", str(tmp_path / "weg.csv"))


def test_detail_pages_use_a_bounded_number_of_queries(world, django_assert_max_num_queries) -> None:
    client = client_for(Role.INSPECTOR, [world["prisons"]])
    client.get(reverse("indicators:overview"))  # session and user loaded once
    with django_assert_max_num_queries(14):
        assert client.get(reverse("indicators:norm_detail", args=[world["norm"].pk])).status_code == 200
    with django_assert_max_num_queries(10):
        assert (
            client.get(reverse("indicators:indicator_detail", args=[world["indicator"].pk])).status_code
            == 200
        )
    with django_assert_max_num_queries(8):
        assert client.get("/api/v1/normoverschrijdingen/", {"norm": "bezetting-max"}).status_code == 200


def test_unknown_ids_give_404_not_an_error(world) -> None:
    client = client_for(Role.INSPECTOR, [world["prisons"]])
    assert client.get(reverse("indicators:norm_detail", args=[99999])).status_code == 404
    assert client.get(reverse("indicators:indicator_detail", args=[99999])).status_code == 404
    assert client.get("/api/v1/metingen/", {"periode": "gisteren"}).status_code == 400


def test_api_norm_create_answers_400_per_field(world) -> None:
    client = client_for(Role.ANALYST, [world["prisons"]])
    bad = client.post(
        "/api/v1/normen/",
        {"code": "x", "name": "X", "legal_basis": "Wet", "indicator": "bestaat-niet", "structural_share": 2},
        content_type="application/json",
    )
    assert bad.status_code == 400
    assert bad.json()["indicator"] == ["Onbekende indicator 'bestaat-niet'."]
    no_threshold = client.post(
        "/api/v1/normen/",
        {"code": "x", "name": "X", "legal_basis": "Wet", "indicator": "bezetting", "structural_share": 2},
        content_type="application/json",
    )
    assert no_threshold.status_code == 400
    assert set(no_threshold.json()) == {"threshold", "structural_share"}
    ok = client.post(
        "/api/v1/normen/",
        {"code": "x", "name": "X", "legal_basis": "Wet", "indicator": "bezetting", "threshold": 99},
        content_type="application/json",
    )
    assert ok.status_code == 201
    assert Norm.objects.get(code="x").breaches.count() == 10  # the stored observations above 99
