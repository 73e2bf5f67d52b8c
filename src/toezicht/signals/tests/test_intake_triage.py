"""Triage suggestions: organisation names in free text, and themes/areas learned from triaged signals."""

from __future__ import annotations

import itertools
import random
import time

import pytest

from toezicht.signals.intake.triage import (
    OrganisationMatcher,
    Suggestion,
    ThemeClassifier,
    suggest_triage,
)

ORGANISATIONS = [
    (1, "PI Vught", ["Penitentiaire Inrichting Vught", "Nieuw Vosseveld"]),
    (2, "Veiligheidsregio Haaglanden", ["VRH"]),
    (3, "Politie Eenheid Den Haag", []),
    (4, "COA-locatie Ter Apel", ["Aanmeldcentrum Ter Apel"]),
    (5, "Immigratie- en Naturalisatiedienst", ["IND"]),
    (6, "Dienst Terugkeer en Vertrek", ["DT&V"]),
    (7, "JJI Den Hey-Acker", []),
    (8, "PI Zwolle", []),
    (9, "Politie", ["Nationale Politie"]),
    (10, "JJI Vught", []),
]


@pytest.fixture(scope="module")
def matcher() -> OrganisationMatcher:
    return OrganisationMatcher(ORGANISATIONS)


def test_finds_written_out_designation(matcher: OrganisationMatcher) -> None:
    text = "Gisteren is in de penitentiaire inrichting Vught een gedetineerde ontsnapt tijdens het luchten."
    best = matcher.suggest(text)[0]
    assert best.organisation_id == 1
    assert best.name == "PI Vught"
    assert best.kind == "naam"
    assert best.confidence == 1.0
    assert best.matched_text == "penitentiaire inrichting Vught"
    assert text[best.start : best.end] == best.matched_text
    assert best.explanation.startswith("Naam letterlijk gevonden")


def test_typo_gives_lower_confidence(matcher: OrganisationMatcher) -> None:
    exact = matcher.suggest("Gisteren is in de penitentiaire inrichting Vught een gedetineerde ontsnapt.")[0]
    typo = matcher.suggest("Gisteren is in de penitentaire inrichting Vugt een gedetineerde ontsnapt.")[0]
    assert typo.organisation_id == 1
    assert typo.kind == "tikfout"
    assert 0.5 < typo.confidence < exact.confidence
    assert typo.matched_text == "penitentaire inrichting Vugt"
    assert "afwijkende spelling" in typo.explanation


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Brand in azc Ter Apel, bewoners geëvacueerd.", 4),
        ("Bij de COA-locatie Ter Apel sliepen mensen buiten.", 4),
        ("De VR Haaglanden heeft een GRIP-situatie afgekondigd.", 2),
        ("Incident gemeld door de P.I. te Zwolle.", 8),
        ("Justitiële Jeugdinrichting Den Hey-Acker meldt een vechtpartij.", 7),
        ("Volgens de IND is het dossier compleet.", 5),
        ("De DT&V heeft het vertrek voorbereid.", 6),
        ("De politie-eenheid Den Haag meldt een aanhouding.", 3),
        ("Onrust in de gevangenis Vught na een overplaatsing.", 1),
    ],
)
def test_abbreviations_aliases_and_designations(
    matcher: OrganisationMatcher, text: str, expected: int
) -> None:
    assert matcher.suggest(text)[0].organisation_id == expected


def test_shorter_name_inside_a_longer_one_is_dropped(matcher: OrganisationMatcher) -> None:
    ids = [m.organisation_id for m in matcher.suggest("De politie-eenheid Den Haag meldt een aanhouding.")]
    assert ids == [3]


def test_several_organisations_and_mentions(matcher: OrganisationMatcher) -> None:
    text = "PI Vught vraagt de IND om informatie; PI Vught heeft ook de DT&V ingelicht."
    found = {m.organisation_id: m for m in matcher.suggest(text, limit=0)}
    assert set(found) == {1, 5, 6}
    assert found[1].mentions == 2
    assert found[1].start == 0


def test_place_name_alone_is_a_weak_suggestion(matcher: OrganisationMatcher) -> None:
    found = matcher.suggest("Er was onrust in Vught afgelopen nacht.", min_confidence=0.0)
    assert {m.organisation_id for m in found} == {1, 10}
    assert all(m.kind == "deel" and m.confidence < 0.5 for m in found)


def test_no_match_in_unrelated_text(matcher: OrganisationMatcher) -> None:
    assert matcher.suggest("Een burger klaagt over de lange wachttijd bij het loket.") == []
    assert matcher.suggest("") == []
    assert matcher.suggest("Hij stond midden in de zaal met een brede glimlach.") == []


def test_matching_against_5000_organisations_is_fast() -> None:
    rng = random.Random(11)
    syllables = [
        "ber",
        "gen",
        "dam",
        "hout",
        "veen",
        "wijk",
        "zand",
        "broek",
        "horst",
        "lo",
        "mer",
        "stad",
        "burg",
        "dorp",
        "heim",
        "kerk",
        "hoven",
        "schoten",
        "voort",
        "mond",
        "drecht",
        "haven",
        "woude",
    ]
    places = sorted({"".join(rng.choices(syllables, k=rng.choice([2, 3]))).capitalize() for _ in range(3000)})
    kinds = [
        "PI",
        "JJI",
        "AZC",
        "Veiligheidsregio",
        "Politie Eenheid",
        "Gemeente",
        "Reclassering",
        "FPC",
        "Basisteam",
        "Meldkamer",
        "Raad voor de Kinderbescherming",
    ]
    organisations: list[tuple[int, str, list[str]]] = [
        (i, f"{rng.choice(kinds)} {rng.choice(places)}", []) for i in range(5000)
    ]
    organisations.append((9999, "PI Vught", ["Penitentiaire Inrichting Vught"]))
    big = OrganisationMatcher(organisations)
    assert len(big) == 5001
    body = (
        "Op dinsdagavond is in de penitentaire inrichting Vugt een gedetineerde tijdens het luchten ernstig "
        "mishandeld door medegedetineerden. Het personeel greep in, maar door personeelstekort duurde het "
        "lang voordat de afdeling was afgesloten. De directeur heeft de politie ingeschakeld en het "
        "slachtoffer is overgebracht naar het ziekenhuis. "
        f"Eerder waren er incidenten in {organisations[10][1]}."
    )
    started = time.perf_counter()
    found = big.suggest(body)
    elapsed = time.perf_counter() - started
    assert found[0].organisation_id in {organisations[10][0], 9999}
    assert {m.organisation_id for m in found} >= {organisations[10][0], 9999}
    assert elapsed < 0.5  # a few milliseconds in practice


# -- theme classifier ----------------------------------------------------------------------------------------

EVENTS: dict[str, list[str]] = {
    "personeel": [
        "Door ziekteverzuim en openstaande vacatures zijn structureel te weinig medewerkers ingeroosterd",
        "Het personeelstekort leidt ertoe dat het dagprogramma regelmatig wordt ingekort",
        "Medewerkers maken veel overuren en geven aan dat zij overbelast zijn",
        "Nieuwe collega's worden ingezet zonder dat zij de verplichte opleiding hebben afgerond",
        "De bezetting van de nachtdienst is volgens de ondernemingsraad onvoldoende",
        "Er wordt veel gewerkt met uitzendkrachten die de werkwijze niet kennen",
        "Het verloop onder het personeel is hoog en ervaren medewerkers vertrekken",
        "Door onderbezetting gaan trainingen en functioneringsgesprekken niet door",
        "Leidinggevenden krijgen de roosters niet rond door het grote aantal vacatures",
        "De werkdruk is zo hoog dat medewerkers hun pauzes overslaan en zich ziek melden",
    ],
    "informatievoorziening": [
        "Persoonsgegevens zijn per ongeluk naar een verkeerd e-mailadres verstuurd",
        "Het registratiesysteem lag twee dagen plat waardoor dossiers niet te raadplegen waren",
        "Er is een datalek gemeld bij de Autoriteit Persoonsgegevens na verlies van een usb-stick",
        "Informatie over de verlofstatus werd niet tijdig doorgegeven aan de ketenpartner",
        "De overdracht van medische gegevens tussen instellingen verloopt gebrekkig",
        "Door een storing in de software werden meldingen niet doorgezet naar het systeem",
        "Registraties in het informatiesysteem zijn onvolledig en verouderd",
        "Een laptop met vertrouwelijke rapportages en gegevens is gestolen uit een dienstauto",
        "Gegevens in het dossier kwamen niet overeen met de registratie in de basisadministratie",
        "Een bestand met namen en adressen stond onbeveiligd op een gedeelde netwerkschijf",
    ],
    "integriteit": [
        "Een medewerker wordt ervan verdacht tegen betaling telefoons en drugs naar binnen te smokkelen",
        "Er zijn signalen dat een leidinggevende opdrachten gunt aan het bedrijf van een familielid",
        "Een medewerker zou vertrouwelijke informatie hebben doorgespeeld aan een criminele organisatie",
        "Een beveiliger heeft geschenken en geld aangenomen van een bewoner",
        "Er loopt een onderzoek naar fraude met declaraties door een teamleider",
        "Een medewerker had een ongeoorloofde relatie met een gedetineerde",
        "Collega's melden dat misstanden door het management worden toegedekt",
        "Een ambtenaar zou steekpenningen hebben aangenomen bij de beoordeling van aanvragen",
        "Nevenfuncties zijn niet gemeld en kunnen leiden tot belangenverstrengeling",
        "Een klokkenluider meldt dat medewerkers die misstanden aankaarten worden geïntimideerd",
    ],
    "veiligheid": [
        "Een gedetineerde is ontvlucht tijdens het transport naar het ziekenhuis",
        "Tijdens het luchten is iemand met een zelfgemaakt wapen verwond",
        "Bij een celbrand raakten twee bewoners en een medewerker gewond door rookinhalatie",
        "Een jongere heeft een groepsleider mishandeld op de leefgroep",
        "Er is een ontsnappingspoging verijdeld waarbij de buitenmuur werd beklommen",
        "Bij een vechtpartij moest de politie ingrijpen en werden twee mensen gewond afgevoerd",
        "Een bewoner heeft zich in de isoleercel van het leven beroofd",
        "Bij een celinspectie werden messen en andere wapens gevonden",
        "De brandmeldinstallatie werkte niet waardoor de ontruiming vertraging opliep",
        "Bij een aanhouding raakte een agent gewond door geweld van een verdachte",
    ],
    "wachttijden": [
        "Jongeren staan maanden op een wachtlijst voor een behandelplek",
        "De wachttijd voor een eerste gesprek loopt op tot meer dan een jaar",
        "Slachtoffers wachten lang op een terugkoppeling over hun aangifte",
        "Doordat er geen plek beschikbaar is, blijven mensen veel langer wachten op plaatsing",
        "De achterstand bij de beslissing op aanvragen is opgelopen tot duizenden dossiers",
        "Gezinnen wachten weken op een plek in de opvang",
        "Door een capaciteitstekort worden straffen niet tijdig ten uitvoer gelegd",
        "Er is een lange wachtlijst voor plaatsing in een forensische kliniek",
        "Aanvragen worden niet binnen de wettelijke beslistermijn afgehandeld",
        "De doorlooptijd van onderzoeken is in een jaar verdubbeld en de wachtlijst groeit",
    ],
}
CONTEXTS = [
    ("in PI Vught", "Sanctietoepassing"),
    ("in JJI Den Hey-Acker", "Jeugd"),
    ("bij de politie-eenheid Den Haag", "Politie"),
    ("op de COA-locatie Ter Apel", "Migratie"),
]
PREFIXES = ["", "Melding: ", "Volgens een bericht in de krant: "]


def _corpus() -> tuple[list[str], list[list[str]], list[str]]:
    """Themes x events x contexts, plus a few signals with two themes."""
    texts: list[str] = []
    labels: list[list[str]] = []
    areas: list[str] = []
    for theme, events in EVENTS.items():
        for k, (event, (context, area)) in enumerate(itertools.product(events, CONTEXTS)):
            if k % 4 == 3:  # keep the corpus realistic in size: 30 per theme
                continue
            texts.append(f"{PREFIXES[k % 3]}{event} {context}.")
            labels.append([theme])
            areas.append(area)
    mixed = [
        (
            "Door het personeelstekort kon een gedetineerde ontsnappen tijdens het luchten in PI Vught.",
            ["veiligheid", "personeel"],
            "Sanctietoepassing",
        ),
        (
            "Een medewerker heeft zonder reden dossiers van bekenden ingezien in het registratiesysteem.",
            ["integriteit", "informatievoorziening"],
            "Politie",
        ),
        (
            "Door vacatures bij de beslismedewerkers groeit de wachtlijst voor aanvragen.",
            ["wachttijden", "personeel"],
            "Migratie",
        ),
    ]
    for text, themes, area in mixed * 2:
        texts.append(text)
        labels.append(themes)
        areas.append(area)
    return texts, labels, areas


@pytest.fixture(scope="module")
def classifier() -> ThemeClassifier:
    texts, labels, areas = _corpus()
    return ThemeClassifier().fit(texts, labels, areas)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Op de afdeling zijn door ziekte te weinig medewerkers beschikbaar, daardoor vervalt het "
            "dagprogramma.",
            "personeel",
        ),
        (
            "Een e-mail met persoonsgegevens van bewoners is naar de verkeerde ontvanger gestuurd; het is "
            "een datalek.",
            "informatievoorziening",
        ),
        (
            "Een bewaarder wordt verdacht van het aannemen van steekpenningen en het smokkelen van "
            "telefoons.",
            "integriteit",
        ),
        ("Tijdens het transport naar de rechtbank is een gedetineerde ontvlucht.", "veiligheid"),
        ("Kinderen staan al maanden op de wachtlijst voor een plek in een behandelgroep.", "wachttijden"),
    ],
)
def test_classifier_suggests_the_right_theme_for_unseen_text(
    classifier: ThemeClassifier, text: str, expected: str
) -> None:
    suggestions = classifier.suggest(text, top_k=3)
    assert len(suggestions) == 3
    assert suggestions[0].label == expected
    assert all(0.0 <= s.confidence <= 1.0 for s in suggestions)
    assert suggestions == sorted(suggestions, key=lambda s: -s.confidence)


def test_classifier_state_and_area(classifier: ThemeClassifier) -> None:
    assert classifier.ready
    assert set(classifier.labels) == set(EVENTS)
    assert classifier.message.startswith("Getraind op")
    area = classifier.suggest_area("Een gedetineerde in PI Vught is ontvlucht.")
    assert area[0].label == "Sanctietoepassing"
    assert classifier.suggest("", top_k=2)  # an empty text still gets (prior-based) suggestions
    assert classifier.suggest("Een wachtlijst in PI Vught.", top_k=0) == []


def test_round_trip_through_bytes(classifier: ThemeClassifier) -> None:
    data = classifier.to_bytes()
    restored = ThemeClassifier.from_bytes(data)
    text = "Een gedetineerde is ontvlucht uit PI Vught."
    assert restored.suggest(text) == classifier.suggest(text)
    assert restored.labels == classifier.labels
    with pytest.raises(ValueError, match="kan niet worden gelezen"):
        ThemeClassifier.from_bytes(b"geen model")


def test_too_little_training_data_is_reported_in_dutch() -> None:
    tiny = ThemeClassifier().fit(
        ["Te weinig personeel.", "Een datalek."], [["personeel"], ["informatievoorziening"]]
    )
    assert not tiny.ready
    assert tiny.suggest("Te weinig personeel op de afdeling.") == []
    assert tiny.message.startswith("Te weinig getriageerde signalen")

    texts, _, _ = _corpus()
    one_theme = ThemeClassifier().fit(texts, [["veiligheid"]] * len(texts))
    assert not one_theme.ready
    assert "minimaal twee thema's" in one_theme.message

    assert ThemeClassifier().suggest("iets") == []
    assert ThemeClassifier().message == "Het model is nog niet getraind."


def test_rare_themes_are_left_out_and_named() -> None:
    texts, labels, _ = _corpus()
    labels = [list(x) for x in labels]
    labels[0] = ["arbeidsomstandigheden"]
    model = ThemeClassifier().fit(texts, labels)
    assert model.ready
    assert "arbeidsomstandigheden" not in model.labels
    assert "Niet voorgesteld wegens te weinig voorbeelden" in model.message
    assert "arbeidsomstandigheden" in model.message


def test_length_mismatch_is_an_error() -> None:
    with pytest.raises(ValueError, match="gelijk"):
        ThemeClassifier().fit(["a", "b"], [["x"]])


def test_evaluation_is_cross_validated_and_explained(classifier: ThemeClassifier) -> None:
    texts, labels, areas = _corpus()
    result = classifier.evaluate(texts, labels, folds=5, areas=areas)
    assert result.reliable
    assert result.examples == len(texts)
    assert result.folds == 5
    assert result.precision_at_1 >= 0.8
    assert result.recall_at_3 >= 0.9
    assert result.area_accuracy is not None
    assert result.area_accuracy >= 0.8
    assert f"{round(result.precision_at_1 * 100)} % van de gevallen juist" in result.message
    assert "5-voudige kruisvalidatie" in result.message
    assert classifier.labels == tuple(sorted(EVENTS))  # evaluating does not retrain the instance

    small = ThemeClassifier().evaluate(texts[:10], labels[:10])
    assert not small.reliable
    assert small.message.startswith("Te weinig getriageerde signalen")


def test_suggest_triage_combines_everything(
    matcher: OrganisationMatcher, classifier: ThemeClassifier
) -> None:
    result = suggest_triage(
        "In de penitentiaire inrichting Vught is een gedetineerde ontvlucht.", matcher, classifier
    )
    assert result.organisations[0].organisation_id == 1
    assert result.themes[0] == Suggestion("veiligheid", result.themes[0].confidence)
    assert result.areas[0].label == "Sanctietoepassing"
    assert result.notes == []

    bare = suggest_triage("Een onbekende tekst.", matcher, None)
    assert bare.themes == []
    assert "Geen bekende organisatie in de tekst gevonden." in bare.notes
    assert "Er is geen themamodel beschikbaar." in bare.notes
