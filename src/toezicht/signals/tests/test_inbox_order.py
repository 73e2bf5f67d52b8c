"""The inbox sorted by severity pages through the same signals in the same order as a plain sort would."""

from __future__ import annotations

import datetime
import random

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from toezicht.accounts.roles import Role
from toezicht.core.factories import OrganisationFactory, SignalFactory, SupervisionAreaFactory, UserFactory
from toezicht.signals import selectors
from toezicht.signals.models import SeverityLevel, Signal

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting():
    area = SupervisionAreaFactory(code="sanctietoepassing")
    prison = OrganisationFactory(areas=[area])
    user = UserFactory(role=Role.INSPECTOR, areas=[area])
    levels = list(SeverityLevel.objects.order_by("rank"))
    rng = random.Random(7)
    start = datetime.date(2026, 1, 1)
    for i in range(47):
        SignalFactory(
            organisation=prison,
            severity=rng.choice(levels),
            received_on=start + datetime.timedelta(days=rng.randrange(30)),
            title=f"Signaal {i}",
        )
    # Someone else's signal never shows up, whatever the order.
    SignalFactory(organisation=OrganisationFactory(areas=[SupervisionAreaFactory(code="politie")]))
    return user


def expected(user, sort: str) -> list[int]:
    plain = selectors.signal_list(user, selectors.SignalFilter()).order_by(*selectors.SIGNAL_SORTS[sort])
    return list(plain.values_list("pk", flat=True))


@pytest.mark.parametrize("sort", ["ernst", "-ernst"])
def test_every_window_matches_a_plain_sort(setting, sort: str) -> None:
    rows = selectors.inbox_rows(setting, selectors.SignalFilter(sort=sort))
    want = expected(setting, sort)
    assert len(want) == 47
    assert rows.count() == 47
    for start in range(0, 50, 7):
        for size in (1, 5, 25):
            assert [s.pk for s in rows[start : start + size]] == want[start : start + size]


def test_bounded_count_stops_at_the_limit(setting, monkeypatch) -> None:
    rows = selectors.inbox_rows(setting, selectors.SignalFilter(sort="ernst"))
    assert isinstance(rows, selectors.SeverityOrdered)
    assert rows.count(limit=10) == 11  # "more than ten": never counts further than one past the limit


def test_inbox_pages_by_severity(setting, django_assert_max_num_queries) -> None:
    client = Client()
    client.force_login(setting)
    want = expected(setting, "ernst")
    seen: list[int] = []
    for page in (1, 2):
        with django_assert_max_num_queries(25):
            response = client.get(reverse("signals:inbox"), {"sorteer": "ernst", "page": page})
        seen += [s.pk for s in response.context["page_obj"].object_list]
    assert seen == want
    top = Signal.objects.get(pk=seen[0])
    assert top.severity.rank == max(SeverityLevel.objects.values_list("rank", flat=True))


def test_a_first_page_with_room_to_spare_is_counted_without_a_second_scan(setting) -> None:
    prison = Signal.objects.filter(title="Signaal 0").get().organisation
    for _ in range(3):
        SignalFactory(organisation=prison, title="Zeldzame ontsnapping")
    client = Client()
    client.force_login(setting)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("signals:inbox"), {"q": "zeldzame"})
    page = response.context["page_obj"]
    assert [s.title for s in page.object_list] == ["Zeldzame ontsnapping"] * 3
    assert page.paginator.count == 3
    counts = [q["sql"] for q in captured.captured_queries if "COUNT(" in q["sql"].upper()]
    assert counts == []  # the page itself told how many there are
    full = client.get(reverse("signals:inbox")).context["page_obj"]
    assert len(full.object_list) == 25
    assert full.paginator.count == 50
