"""Indicators in English: chart texts, period labels and the API's refusals. The parser keeps accepting
the Dutch spellings (mrt 2025, K1 2025) whatever the language: those are input, not interface."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from toezicht.accounts.roles import Role
from toezicht.core.factories import OrganisationFactory, SupervisionAreaFactory, UserFactory
from toezicht.indicators.models import Frequency, Observation
from toezicht.indicators.periods import period_label, period_short
from toezicht.indicators.selectors import period_text
from toezicht.indicators.services import observation_record
from toezicht.indicators.tests.factories import IndicatorFactory, NormFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    area = SupervisionAreaFactory()
    prisons = [OrganisationFactory(code=f"pi-{i}", name=f"PI {i}", areas=[area]) for i in range(2)]
    indicator = IndicatorFactory(code="bezetting", name="Bezettingsgraad", unit="%")
    norm = NormFactory(
        code="bezetting-max", name="Bezetting ten hoogste 100%", indicator=indicator, threshold=100.0
    )
    analyst = UserFactory(role=Role.ANALYST, areas=[area])
    for month in (1, 2, 3):
        for pi in prisons:
            observation_record(
                by=analyst,
                indicator=indicator,
                organisation=pi,
                period_start=datetime.date(2025, month, 1),
                value=104.5,
            )
    client = Client()
    client.force_login(analyst)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    return {"area": area, "prisons": prisons, "norm": norm, "client": client}


def test_period_texts_are_the_dutch_labels_in_dutch_and_english_in_english() -> None:
    for day in (datetime.date(2025, 3, 1), datetime.date(2024, 10, 1)):
        for frequency in Frequency.values:
            with translation.override("nl"):
                assert period_text(day, frequency) == period_label(day, frequency)
                assert period_text(day, frequency, short=True) == period_short(day, frequency)
    with translation.override("en"):
        assert period_text(datetime.date(2025, 3, 1)) == "March 2025"
        assert period_text(datetime.date(2025, 3, 1), short=True) == "Mar 25"
        assert period_text(datetime.date(2025, 4, 1), "kwartaal") == "Q2 2025"


def test_organisation_chart_described_in_english(world) -> None:
    html = (
        world["client"]
        .get(reverse("register:organisation_detail", args=[world["prisons"][0].pk]))
        .content.decode()
    )
    assert "Bezettingsgraad at PI 0" in html
    assert "3 observations from January 2025 to March 2025; last value 104.5 %." in html
    assert "The norm ‘Bezetting ten hoogste 100%’ requires at most 100 % (dotted line)." in html
    assert "3 observations do not meet the norm (red)." in html
    assert "March 2025</" in html  # the table beside the chart
    assert "metingen halen" not in html


def test_sector_chart_described_in_english(world) -> None:
    html = world["client"].get(reverse("indicators:norm_detail", args=[world["norm"].pk])).content.decode()
    assert "Share of organisations not meeting ‘Bezetting ten hoogste 100%’, per period" in html
    assert "3 periods. The dotted line is the limit of" in html
    assert "Last period: 100 % of 2 organisations." in html
    assert "Jan 25" in html  # the axis
    assert "Aandeel organisaties dat" not in html


def test_api_refuses_a_bad_period_in_english_and_still_reads_dutch_spellings(world) -> None:
    client = world["client"]
    bad = client.post(
        "/api/v1/metingen/",
        {"indicator": "bezetting", "organisation": "pi-0", "period": "2025-13", "value": 1},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert bad.status_code == 400
    assert bad.json()["period"] == [
        "'2025-13' is not a valid period (expected for example 2025-03, mrt 2025, 2025-Q1 or 2025). "
        "Month 13 does not exist."
    ]
    listed = client.get("/api/v1/metingen/", {"periode": "nooit"}, HTTP_ACCEPT_LANGUAGE="en")
    assert listed.status_code == 400
    assert "'nooit' is not a valid period" in listed.json()["periode"][0]
    dutch = client.post(
        "/api/v1/metingen/",
        {"indicator": "bezetting", "organisation": "pi-0", "period": "apr 2025", "value": 1},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert dutch.status_code == 201
    assert dutch.json()["period"] == "2025-04"


def test_a_period_that_does_not_fit_a_quarterly_indicator_is_explained_in_english(world) -> None:
    IndicatorFactory(code="kwartaalcijfer", frequency=Frequency.QUARTER)
    response = world["client"].post(
        "/api/v1/metingen/",
        [
            {"indicator": "kwartaalcijfer", "organisation": "pi-0", "period": "2025-02", "value": 1},
            {"indicator": "kwartaalcijfer", "organisation": " ", "period": "2025-01", "value": 1},
        ],
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert response.json() == {"1": {"organisation": ["Give the code of an organisation."]}}
    one = world["client"].post(
        "/api/v1/metingen/",
        {"indicator": "kwartaalcijfer", "organisation": "pi-0", "period": "2025-02", "value": 1},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert one.status_code == 400
    assert "this indicator is measured per quarter: use for example 2025-Q1" in one.json()["period"][0]
    assert "deze indicator" not in one.json()["period"][0]
    assert not Observation.objects.filter(indicator__code="kwartaalcijfer").exists()


def test_a_conflicting_observation_is_refused_in_english(world) -> None:
    response = world["client"].post(
        "/api/v1/metingen/",
        {"indicator": "bezetting", "organisation": "pi-0", "period": "2025-01", "value": 99.5},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert response.json()["value"] == [
        "There is already an observation of ‘Bezettingsgraad’ for PI 0 in January 2025 with value 104.5; "
        "an existing observation is not overwritten."
    ]
    assert (
        Observation.objects.get(organisation__code="pi-0", period_start=datetime.date(2025, 1, 1)).value
        == 104.5
    )
