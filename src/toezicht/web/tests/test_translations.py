"""The English interface: a complete catalogue, compiled, and the key pages in English when chosen."""

from __future__ import annotations

import ast
import gettext
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

from toezicht.accounts.roles import Role
from toezicht.core.factories import OrganisationFactory, SignalFactory, SupervisionAreaFactory, UserFactory

LOCALE = Path(settings.LOCALE_PATHS[0]) / "en" / "LC_MESSAGES"
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|%%|\{[a-z_]*\}")


@dataclass
class Entry:
    line: int
    flags: set[str] = field(default_factory=set)
    fields: dict[str, str] = field(default_factory=dict)

    @property
    def key(self) -> str:
        # The key gettext uses in a compiled catalogue: context, EOT, message.
        context = self.fields.get("msgctxt")
        return self.fields["msgid"] if context is None else f"{context}\x04{self.fields['msgid']}"

    @property
    def strings(self) -> dict[str, str]:
        return {k: v for k, v in self.fields.items() if k.startswith("msgstr")}


def read_po(path: Path) -> list[Entry]:
    """The entries of a .po file (obsolete ``#~`` entries are ignored)."""
    entries: list[Entry] = []
    current: Entry | None = None
    last = ""
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line:
            current = None
            continue
        if current is None:
            current = Entry(line=number)
            entries.append(current)
        if line.startswith("#,"):
            current.flags |= {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            current.fields[last] += ast.literal_eval(line)
        else:
            last, _, value = line.partition(" ")
            current.fields[last] = ast.literal_eval(value)
    return [e for e in entries if "msgid" in e.fields and e.fields["msgid"] != ""]


CATALOGUE = read_po(LOCALE / "django.po")


def test_every_message_has_a_checked_english_translation() -> None:
    untranslated = [e.fields["msgid"] for e in CATALOGUE if any(not s for s in e.strings.values())]
    fuzzy = [e.fields["msgid"] for e in CATALOGUE if "fuzzy" in e.flags]
    assert len(CATALOGUE) > 700
    assert untranslated == []
    assert fuzzy == []


def test_translations_keep_every_placeholder() -> None:
    wrong = []
    for e in CATALOGUE:
        if "msgid_plural" in e.fields:
            pairs = [(e.fields["msgid_plural"], e.fields["msgstr[1]"])]
            # The singular may spell out "one" instead of the number, but adds no placeholder of its own.
            singular = set(PLACEHOLDER.findall(e.fields["msgstr[0]"]))
            if not singular <= set(PLACEHOLDER.findall(e.fields["msgid"])):
                wrong.append(e.fields["msgid"])
        else:
            pairs = [(e.fields["msgid"], e.fields["msgstr"])]
        for source, target in pairs:
            if sorted(PLACEHOLDER.findall(source)) != sorted(PLACEHOLDER.findall(target)):
                wrong.append(source)
    assert wrong == []


def test_compiled_catalogue_matches_the_po_file() -> None:
    # The .mo is committed; a .po edited without compilemessages would leave the pages in Dutch.
    with (LOCALE / "django.mo").open("rb") as mo:
        compiled = gettext.GNUTranslations(mo)
    stale = []
    for e in CATALOGUE:
        if "msgid_plural" in e.fields:
            got = compiled.ngettext(e.key, e.fields["msgid_plural"], 2)
            expected = e.fields["msgstr[1]"]
        else:
            got, expected = compiled.gettext(e.key), e.fields["msgstr"]
        if got != expected:
            stale.append(e.fields["msgid"])
    assert stale == []


# ---- pages -------------------------------------------------------------------------------------------


def english(client: Client) -> Client:
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    return client


@pytest.mark.django_db
def test_signal_inbox_in_english() -> None:
    area = SupervisionAreaFactory(code="sanctietoepassing", name="Sanctietoepassing")
    SignalFactory(
        title="Ontsnapping tijdens luchten", organisation=OrganisationFactory(name="PI Vught", areas=[area])
    )
    client = Client()
    client.force_login(UserFactory(role=Role.INSPECTOR, areas=[area]))
    dutch = client.get(reverse("signals:inbox")).content.decode()
    assert '<h1 class="utrecht-heading-1">Signalen</h1>' in dutch
    html = english(client).get(reverse("signals:inbox")).content.decode()
    assert '<h1 class="utrecht-heading-1">Signals</h1>' in html
    assert "1 signal found" in html
    assert "Filter signals" in html
    assert ">received<" in html  # the status label, not only the template text
    assert "All open signals" in html
    assert ">Indicators<" in html  # navigation
    assert ">Work programme<" in html
    assert "Inspector" in html  # the role next to the user name
    assert "Binnengekomen meldingen" not in html
    assert "Ontsnapping tijdens luchten" in html  # data stays as entered


@pytest.mark.django_db
def test_signal_page_offers_english_workflow_buttons() -> None:
    area = SupervisionAreaFactory()
    signal = SignalFactory(organisation=OrganisationFactory(areas=[area]))
    client = Client()
    client.force_login(UserFactory(role=Role.INSPECTOR, areas=[area]))
    html = english(client).get(reverse("signals:detail", args=[signal.pk])).content.decode()
    assert "Start handling" in html
    assert "Close without handling" in html
    assert "In behandeling nemen" not in html


@pytest.mark.django_db
def test_risk_heatmap_in_english() -> None:
    from toezicht.risk import services
    from toezicht.risk.tests.factories import REFERENCE, hand_example

    services.clear_cache()
    example = hand_example()
    services.recompute_full(reference_date=REFERENCE)
    client = Client()
    client.force_login(UserFactory(role=Role.INSPECTOR, areas=[example.area]))
    html = english(client).get(reverse("risk:overview")).content.decode()
    assert '<h1 class="utrecht-heading-1">Risk picture</h1>' in html
    assert "Likelihood × impact" in html
    assert "Risk score per organisation and theme" in html
    assert "Kans × impact" not in html
    assert "PI Voorbeeld" in html


@pytest.mark.django_db
def test_programme_board_in_english() -> None:
    from toezicht.programme.tests.factories import small_programme

    programme = small_programme()["programme"]
    client = Client()
    client.force_login(UserFactory(role=Role.TEAM_LEADER))
    html = english(client).get(reverse("programme:board", args=[programme.pk])).content.decode()
    assert "Planning board per team and quarter" in html
    assert "Work programme" in html
    assert ">draft<" in html  # the programme's status
    assert ">Adopt<" in html  # the workflow button: 'vaststellen' of a programme, not of a risk score
    assert "Planbord per team en kwartaal" not in html


@pytest.mark.django_db
def test_bad_input_is_refused_in_english_and_changes_nothing() -> None:
    from toezicht.programme.models import WorkProgramme

    client = Client()
    client.force_login(UserFactory(role=Role.TEAM_LEADER))
    response = english(client).post(
        reverse("programme:create"), {"year": "1999", "title": "Oud"}, follow=True
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Enter a valid year (2000–2100)." in html
    assert not WorkProgramme.objects.exists()


@pytest.mark.django_db
def test_not_found_and_forbidden_pages_in_english() -> None:
    client = Client()
    client.force_login(UserFactory(role=Role.READER))
    english(client)
    missing = client.get("/register/organisaties/999999/")
    assert missing.status_code == 404
    assert "Not found" in missing.content.decode()
    forbidden = client.get("/register/organisaties/nieuw/")
    assert forbidden.status_code == 403
    assert "You are not allowed to change the register." in forbidden.content.decode()


@pytest.mark.django_db
def test_stored_explanations_stay_dutch_whatever_the_users_language() -> None:
    from toezicht.programme import services
    from toezicht.programme.models import Candidate
    from toezicht.programme.tests.factories import small_programme

    programme = small_programme()["programme"]
    with translation.override("en"):
        services.candidates_refresh(programme=programme)
    why = Candidate.objects.get(source="verplicht").why
    assert why == "Verplicht: verzoek Tweede Kamer."
