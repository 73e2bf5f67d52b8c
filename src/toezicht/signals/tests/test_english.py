"""Signals in English: triage suggestions and the API documentation (the pure intake module writes Dutch;
the page and the schema translate)."""

from __future__ import annotations

import pickle

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from toezicht.accounts.roles import Role
from toezicht.core.factories import OrganisationFactory, SupervisionAreaFactory, UserFactory
from toezicht.core.i18n import translate_note
from toezicht.signals import selectors
from toezicht.signals.intake.triage import Note, gettext_noop

pytestmark = pytest.mark.django_db


def english(client: Client) -> Client:
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    return client


def test_triage_notes_and_explanations_in_english() -> None:
    selectors.clear_triage_cache()
    area = SupervisionAreaFactory()
    prison = OrganisationFactory(name="PI Vught", areas=[area])
    client = Client()
    client.force_login(UserFactory(role=Role.INSPECTOR, areas=[area]))
    english(client)
    html = client.post(
        reverse("signals:create"),
        {"suggesties": "1", "title": "Ontsnapping uit PI Vught", "description": "Over het hek."},
    ).content.decode()
    assert f'value="organisation:{prison.pk}"' in html
    assert "Name found literally: ‘PI Vught’" in html
    assert "Too few triaged signals to suggest themes: 0 with a theme, at least" in html
    assert "Te weinig getriageerde signalen" not in html
    assert "Naam letterlijk gevonden" not in html
    empty = client.post(reverse("signals:create"), {"suggesties": "1", "title": ""}).content.decode()
    assert "Enter a subject or description to get suggestions." in empty


def test_a_note_is_dutch_text_that_is_translated_where_it_is_shown() -> None:
    note = Note(
        gettext_noop(
            "Te weinig getriageerde signalen om thema's voor te stellen: %(count)s met thema, "
            "minimaal %(minimum)s nodig."
        ),
        count=1234,
        minimum=20,
    )
    assert note == (
        "Te weinig getriageerde signalen om thema's voor te stellen: 1.234 met thema, minimaal 20 nodig."
    )
    with translation.override("en"):
        assert translate_note(note) == (
            "Too few triaged signals to suggest themes: 1,234 with a theme, at least 20 needed."
        )
        # A plain string (e.g. a message in a model stored before notes existed) is looked up as it is.
        assert translate_note("Er is geen themamodel beschikbaar.") == "No theme model is available."
        assert translate_note("Niet in de catalogus.") == "Niet in de catalogus."
    with translation.override("nl"):
        assert translate_note(note) == str(note)
    # Notes are kept in the stored theme model (pickle), a percentage sign included.
    explanation = Note(
        gettext_noop("Naam letterlijk gevonden: ‘%(text)s’ (%(percent)s %% zeker)"), text="PI", percent=9
    )
    for original in (note, explanation):
        restored = pickle.loads(pickle.dumps(original))
        assert (restored, restored.template, restored.params) == (
            original,
            original.template,
            original.params,
        )


def test_api_documentation_in_english_and_in_dutch() -> None:
    client = Client()
    client.force_login(UserFactory(role=Role.READER))
    english_schema = client.get("/api/schema/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Submit a notification from your own system" in english_schema
    assert "Calendar days past the deadline (open signals)." in english_schema
    assert "Search term in reference or subject" in english_schema
    assert "Sector view: share of organisations in breach." in english_schema  # indicators
    assert "One of: " in english_schema
    assert "Een melding doen vanuit het eigen systeem" not in english_schema
    dutch_schema = client.get("/api/schema/", HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "Een melding doen vanuit het eigen systeem" in dutch_schema
    assert "Een van: " in dutch_schema
