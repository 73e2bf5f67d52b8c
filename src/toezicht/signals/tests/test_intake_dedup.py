"""Possible duplicates: realistic Dutch pairs, blocking correctness against brute force, the index path."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz

from toezicht.signals.intake.dedup import (
    SHORT_TEXT_WORDS,
    DuplicateIndex,
    SignalRecord,
    describe_pair,
    find_duplicates,
    find_duplicates_of,
    normalise_text,
)

D = dt.date
VUGHT, TER_APEL, HAAGLANDEN = 101, 202, 303
NAMES = {VUGHT: "PI Vught", TER_APEL: "COA-locatie Ter Apel", HAAGLANDEN: "Veiligheidsregio Haaglanden"}

STABBING_NOTIFICATION = SignalRecord(
    id=1,
    organisation_ids=(VUGHT,),
    date=D(2025, 3, 12),
    text=(
        "Op 12 maart is in PI Vught een gedetineerde tijdens het luchten door een medegedetineerde met een "
        "zelfgemaakt mes gestoken. Het slachtoffer is met verwondingen naar het ziekenhuis overgebracht."
    ),
    source="incident_notification",
)
STABBING_MEDIA = SignalRecord(
    id=2,
    organisation_ids=(VUGHT,),
    date=D(2025, 3, 13),
    text=(
        "Bericht Omroep Brabant: gedetineerde in PI Vught neergestoken met zelfgemaakt mes tijdens luchten, "
        "slachtoffer overgebracht naar ziekenhuis met verwondingen."
    ),
    source="media",
)
CELL_SEARCH = SignalRecord(
    id=3,
    organisation_ids=(VUGHT,),
    date=D(2025, 3, 13),
    text=(
        "In PI Vught is op 13 maart bij een celinspectie een mobiele telefoon en een hoeveelheid drugs "
        "aangetroffen. De gedetineerde is overgeplaatst naar een afdeling met extra beveiliging."
    ),
    source="incident_notification",
)
STAFF_SHORTAGE = SignalRecord(
    id=4,
    organisation_ids=(VUGHT,),
    date=D(2025, 3, 14),
    text=(
        "Melding van de directeur: door ziekte en vacatures zijn op de afdeling zeer beperkt beveiligd "
        "structureel te weinig medewerkers ingeroosterd, waardoor het dagprogramma wordt ingeperkt."
    ),
    source="incident_notification",
)
STAFF_SHORTAGE_COMPLAINT = SignalRecord(
    id=5,
    organisation_ids=(VUGHT,),
    date=D(2025, 3, 16),
    text=(
        "Klacht van een medewerker: te weinig medewerkers op de afdeling zeer beperkt beveiligd door ziekte "
        "en "
        "vacatures, het dagprogramma wordt steeds ingeperkt."
    ),
    source="citizen_complaint",
)


def test_rephrased_report_of_the_same_event_is_a_candidate() -> None:
    candidates = find_duplicates(
        [STABBING_NOTIFICATION, STABBING_MEDIA, CELL_SEARCH], organisation_names=NAMES
    )
    assert [(c.id_a, c.id_b) for c in candidates] == [(1, 2)]
    pair = candidates[0]
    assert pair.days_apart == 1
    assert pair.organisation_ids == (VUGHT,)
    assert 80 <= pair.text_similarity <= 100
    assert 0 < pair.score <= 1
    assert pair.reason == (
        f"Zelfde organisatie (PI Vught), datum 1 dag uit elkaar, tekst {round(pair.text_similarity)} % gelijk"
    )


def test_same_organisation_different_event_is_not_a_candidate() -> None:
    assert find_duplicates([STABBING_NOTIFICATION, CELL_SEARCH, STAFF_SHORTAGE]) == []


def test_duplicate_two_days_apart_reason() -> None:
    candidates = find_duplicates(
        [STAFF_SHORTAGE, STAFF_SHORTAGE_COMPLAINT, CELL_SEARCH], organisation_names=NAMES
    )
    assert len(candidates) == 1
    assert candidates[0].reason.startswith("Zelfde organisatie (PI Vught), datum 2 dagen uit elkaar, tekst ")
    assert candidates[0].reason.endswith(" % gelijk")


def test_window_and_organisation_are_required() -> None:
    other_org = SignalRecord(9, (TER_APEL,), STABBING_MEDIA.date, STABBING_MEDIA.text)
    too_late = SignalRecord(10, (VUGHT,), D(2025, 3, 16), STABBING_MEDIA.text)
    on_edge = SignalRecord(11, (VUGHT,), D(2025, 3, 15), STABBING_MEDIA.text)
    pairs = {(c.id_a, c.id_b) for c in find_duplicates([STABBING_NOTIFICATION, other_org, too_late])}
    assert pairs == set()
    assert {(c.id_a, c.id_b) for c in find_duplicates([STABBING_NOTIFICATION, on_edge])} == {(1, 11)}
    wider = find_duplicates([STABBING_NOTIFICATION, too_late], window_days=4)
    assert [(c.id_a, c.id_b, c.days_apart) for c in wider] == [(1, 10, 4)]


def test_pair_sharing_several_organisations_is_reported_once() -> None:
    a = SignalRecord(
        "a",
        (HAAGLANDEN, TER_APEL),
        D(2025, 6, 1),
        "Grote brand in de opvanglocatie Ter Apel, "
        "tientallen bewoners geëvacueerd door de brandweer van de veiligheidsregio.",
    )
    b = SignalRecord(
        "b",
        (TER_APEL, HAAGLANDEN),
        D(2025, 6, 1),
        "Brand opvanglocatie Ter Apel: brandweer veiligheidsregio evacueerde tientallen bewoners.",
    )
    candidates = find_duplicates([a, b], organisation_names=NAMES, threshold=70)
    assert len(candidates) == 1
    assert candidates[0].organisation_ids == (HAAGLANDEN, TER_APEL)
    assert candidates[0].reason.startswith(
        "Zelfde organisaties (Veiligheidsregio Haaglanden, COA-locatie Ter Apel), zelfde datum, tekst "
    )


def test_short_texts_are_compared_strictly() -> None:
    a = SignalRecord(1, (VUGHT,), D(2025, 1, 6), "Zie bijlage.")
    b = SignalRecord(2, (VUGHT,), D(2025, 1, 6), "Zie bijlage voor het volledige verslag van het incident.")
    c = SignalRecord(3, (VUGHT,), D(2025, 1, 7), "Zie de bijlage")
    assert [(x.id_a, x.id_b) for x in find_duplicates([a, b, c])] == [(1, 3)]


def test_normalise_text() -> None:
    assert (
        normalise_text("De gedetineerde is geëscaleerd; PI-Vught (afd. C)!")
        == "gedetineerde geescaleerd pi vught afd c"
    )


def test_describe_pair_unknown_names_and_many_organisations() -> None:
    assert (
        describe_pair([7], 0, 91.6) == "Zelfde organisatie (organisatie 7), zelfde datum, tekst 92 % gelijk"
    )
    text = describe_pair([1, 2, 3, 4, 5], 3, 80, {1: "A", 2: "B", 3: "C"})
    assert text == "Zelfde organisaties (A, B, C en 2 andere), datum 3 dagen uit elkaar, tekst 80 % gelijk"


def test_new_signal_against_history() -> None:
    history = [STABBING_NOTIFICATION, CELL_SEARCH, STAFF_SHORTAGE]
    found = find_duplicates_of(STABBING_MEDIA, history, organisation_names=NAMES)
    assert [(c.id_a, c.id_b) for c in found] == [(1, 2)]  # earlier signal first

    index = DuplicateIndex(history)
    assert len(index) == 3
    assert index.candidates_for(CELL_SEARCH) == []  # never matched with itself
    index.add(STABBING_MEDIA)
    assert [(c.id_a, c.id_b) for c in index.candidates_for(STABBING_NOTIFICATION)] == [(1, 2)]


def test_invalid_settings() -> None:
    with pytest.raises(ValueError, match="datumvenster"):
        find_duplicates([STABBING_NOTIFICATION, STABBING_MEDIA], window_days=-1)
    with pytest.raises(ValueError, match="drempel"):
        find_duplicates([STABBING_NOTIFICATION, STABBING_MEDIA], threshold=120)
    assert find_duplicates([STABBING_NOTIFICATION]) == []


WORDS = [
    "gedetineerde",
    "cel",
    "brand",
    "mes",
    "personeel",
    "ziekenhuis",
    "ontsnapt",
    "luchten",
    "drugs",
    "agent",
]
records = st.lists(
    st.builds(
        SignalRecord,
        id=st.integers(),
        organisation_ids=st.lists(st.integers(1, 3), min_size=1, max_size=2).map(tuple),
        date=st.dates(D(2025, 1, 1), D(2025, 1, 20)),
        text=st.lists(st.sampled_from(WORDS), min_size=1, max_size=9).map(" ".join),
    ),
    max_size=25,
    unique_by=lambda r: r.id,
)


def _brute_force(items: list[SignalRecord], window: int, threshold: float) -> set[tuple[object, object]]:
    found = set()
    for a, b in itertools.combinations(items, 2):
        if not set(a.organisation_ids) & set(b.organisation_ids) or abs((a.date - b.date).days) > window:
            continue
        x, y = normalise_text(a.text), normalise_text(b.text)
        short = min(len(x.split()), len(y.split())) < SHORT_TEXT_WORDS
        score = (fuzz.token_sort_ratio if short else fuzz.token_set_ratio)(x, y)
        if score >= threshold and score > 0:
            found.add(frozenset((a.id, b.id)))
    return found  # type: ignore[return-value]


@settings(max_examples=80, deadline=None)
@given(items=records, window=st.integers(0, 5), threshold=st.sampled_from([50.0, 80.0, 95.0]))
def test_blocking_finds_exactly_the_brute_force_pairs(
    items: list[SignalRecord], window: int, threshold: float
) -> None:
    found = find_duplicates(items, window_days=window, threshold=threshold, min_shared_words=0)
    assert {frozenset((c.id_a, c.id_b)) for c in found} == _brute_force(items, window, threshold)
    assert len(found) == len({frozenset((c.id_a, c.id_b)) for c in found})
    by_id = {r.id: r for r in items}
    for c in found:
        assert by_id[c.id_a].date <= by_id[c.id_b].date


def test_batch_scales_to_many_rows() -> None:
    """A smaller version of the 100k benchmark: a busy organisation and a few planted duplicates."""
    import random
    import time

    rng = random.Random(5)
    vocabulary = [f"woord{i}" for i in range(3000)]
    items = []
    for i in range(20_000):
        org = 1 if i % 10 == 0 else rng.randrange(2, 2000)
        words = rng.choices(vocabulary, k=rng.randint(10, 40))
        items.append(
            SignalRecord(i, (org,), D(2025, 1, 1) + dt.timedelta(days=rng.randrange(365)), " ".join(words))
        )
    planted = []
    for k in range(20):
        source = items[rng.randrange(len(items))]
        words = source.text.split()
        rng.shuffle(words)
        planted.append(SignalRecord(f"dubbel{k}", source.organisation_ids, source.date, " ".join(words[:-1])))
    started = time.perf_counter()
    found = find_duplicates(items + planted)
    elapsed = time.perf_counter() - started
    pairs = {frozenset((c.id_a, c.id_b)) for c in found}
    for record in planted:
        assert any(record.id in pair for pair in pairs)
    assert elapsed < 30  # ~1 s on a laptop; generous for a loaded CI machine


def test_short_texts_with_repeated_words_are_scored_by_word_order_alone() -> None:
    # Found by hypothesis in CI: as sets these texts share only "cel", but sorted they are close; a short
    # pair is judged on token_sort_ratio, also when its token_set_ratio is below the threshold.
    items = [
        SignalRecord(id=0, organisation_ids=(1,), date=D(2025, 1, 1), text="gedetineerde cel cel"),
        SignalRecord(id=1, organisation_ids=(1,), date=D(2025, 1, 1), text="cel cel ziekenhuis"),
    ]
    found = find_duplicates(items, window_days=0, threshold=50.0, min_shared_words=0)
    assert {frozenset((c.id_a, c.id_b)) for c in found} == _brute_force(items, 0, 50.0) == {frozenset({0, 1})}
