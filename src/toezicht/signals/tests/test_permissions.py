"""Every role against every intake page and action, for a signal of another area: 404 or 403, never data."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from toezicht.accounts.roles import Role
from toezicht.core.factories import OrganisationFactory, SignalFactory, SupervisionAreaFactory, UserFactory
from toezicht.signals.forms import SignalFilterForm
from toezicht.signals.models import Signal, SignalEvent
from toezicht.signals.selectors import filter_options, signal_list

pytestmark = pytest.mark.django_db

ROLES = [Role.INSPECTOR, Role.TEAM_LEADER, Role.ANALYST, Role.READER]


@pytest.fixture
def foreign_signal():
    police = SupervisionAreaFactory(code="politie", name="Politie")
    return SignalFactory(organisation=OrganisationFactory(areas=[police]), title="Melding uit ander gebied")


@pytest.mark.parametrize("role", ROLES)
def test_other_area_signal_is_never_shown_or_changed(role, foreign_signal) -> None:
    own = SupervisionAreaFactory(code="jeugd", name="Jeugd")
    user = UserFactory(role=role, areas=[own])
    client = Client()
    client.force_login(user)
    pk = foreign_signal.pk
    for name in ("signals:detail", "signals:edit"):
        response = client.get(reverse(name, args=[pk]))
        assert response.status_code in (403, 404)
        assert "Melding uit ander gebied" not in response.content.decode()
    posts = {
        "signals:transition": {"naar": "in_behandeling"},
        "signals:assign": {"behandelaar": user.pk},
        "signals:apply_suggestion": {"toepassen": "area:1"},
        "signals:attachment_add": {},
    }
    for name, data in posts.items():
        assert client.post(reverse(name, args=[pk]), data).status_code in (403, 404)
    assert client.post(reverse("signals:duplicate_decide", args=[pk, 1]), {}).status_code in (403, 404)
    foreign_signal.refresh_from_db()
    assert foreign_signal.status == "ontvangen"
    assert SignalEvent.objects.filter(signal=foreign_signal).count() == 0
    html = client.get(reverse("signals:inbox")).content.decode()
    assert "Melding uit ander gebied" not in html


@pytest.mark.parametrize(("role", "can_write"), [(r, r != Role.READER) for r in ROLES])
def test_writes_follow_the_capability(role, can_write) -> None:
    area = SupervisionAreaFactory(code="jeugd", name="Jeugd")
    signal = SignalFactory(organisation=OrganisationFactory(areas=[area]))
    client = Client()
    client.force_login(UserFactory(role=role, areas=[area]))
    response = client.post(reverse("signals:transition", args=[signal.pk]), {"naar": "in_behandeling"})
    assert response.status_code == (302 if can_write else 403)
    signal.refresh_from_db()
    assert signal.status == ("in_behandeling" if can_write else "ontvangen")


def test_anonymous_is_sent_to_login() -> None:
    response = Client().get(reverse("signals:inbox"))
    assert response.status_code == 302
    assert "/account/inloggen/" in response["Location"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.dictionaries(
        st.sampled_from(
            [
                "q",
                "status",
                "gebied",
                "organisatie",
                "thema",
                "bron",
                "ernst",
                "termijn",
                "toegewezen",
                "sorteer",
                "page",
            ]
        ),
        st.text(max_size=40),
        max_size=6,
    )
)
def test_any_query_string_gives_a_list_never_an_error(params: dict[str, str]) -> None:
    user = UserFactory.build(role=Role.INSPECTOR_GENERAL)
    user.save()
    form = SignalFilterForm(params, options=filter_options(user))
    queryset = signal_list(user, form.to_filter())
    assert list(queryset[:5]) == list(queryset[:5])
    assert isinstance(queryset.count(), int)
    assert Signal.objects.count() == 0
