"""Possible duplicate signals: the same event reported twice.

Two signals are a candidate pair when they

1. share at least one organisation,
2. have dates (occurred date when known, else received date: the caller chooses) at most ``window_days``
   apart, and
3. have similar texts: rapidfuzz ``token_set_ratio`` on normalised texts (lower case, no diacritics, no
   punctuation, common Dutch function words removed) of at least ``threshold`` (0..100).

Blocking: rows are exploded per organisation and sorted by (organisation, date); a sliding window over
that order yields exactly the pairs within the date window of the same organisation (sorted-neighbourhood
blocking), fully vectorised in numpy. Only those pairs are scored, in one multi-threaded rapidfuzz call.

Nothing is merged here: the output is a list of candidates for a person to confirm.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
import unicodedata
from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from rapidfuzz import fuzz, process
from scipy import sparse

__all__ = [
    "DuplicateCandidate",
    "DuplicateIndex",
    "SignalRecord",
    "describe_pair",
    "find_duplicates",
    "find_duplicates_of",
    "normalise_text",
]

DEFAULT_WINDOW_DAYS = 3
DEFAULT_THRESHOLD = 80.0
# Each day between the two dates lowers the score by this fraction (text similarity dominates).
DAY_PENALTY = 0.05
# Speed-up for large batches: before scoring, a pair must share this fraction of the informative words of
# its shorter text (informative: occurring in at most INFORMATIVE_MAX_SHARE of the batch, at least
# INFORMATIVE_MIN_DF documents). Pairs without informative words are always scored. 0 disables it.
DEFAULT_MIN_SHARED_WORDS = 0.25
INFORMATIVE_MAX_SHARE = 0.01
INFORMATIVE_MIN_DF = 50
_PREFILTER_CHUNK = 200_000
_HASH_COLUMNS = 1 << 22
# Texts with fewer words than this (after normalisation) are compared strictly (see _score_pairs).
SHORT_TEXT_WORDS = 6


@dataclass(frozen=True, slots=True)
class SignalRecord:
    """A signal as plain data. ``date``: the occurred date when known, otherwise the received date."""

    id: Hashable
    organisation_ids: tuple[Hashable, ...]
    date: dt.date
    text: str
    source: str = ""


@dataclass(frozen=True, slots=True)
class DuplicateCandidate:
    """A possible duplicate pair; ``id_a`` is the earlier signal (by date, then input order)."""

    id_a: Hashable
    id_b: Hashable
    score: float  # 0..1: text similarity lowered by DAY_PENALTY per day apart
    text_similarity: float  # 0..100, rapidfuzz token_set_ratio on normalised texts
    days_apart: int
    organisation_ids: tuple[Hashable, ...]  # shared organisations
    reason: str  # Dutch explanation for the intake desk


# Dutch function words that carry no information about the event.
_STOPWORDS = frozenset(
    [
        "de",
        "het",
        "een",
        "en",
        "of",
        "in",
        "op",
        "aan",
        "van",
        "voor",
        "met",
        "door",
        "bij",
        "naar",
        "uit",
        "over",
        "onder",
        "tot",
        "te",
        "om",
        "als",
        "dat",
        "die",
        "dit",
        "deze",
        "is",
        "zijn",
        "was",
        "waren",
        "wordt",
        "werd",
        "worden",
        "werden",
        "heeft",
        "hebben",
        "had",
        "hadden",
        "er",
        "hij",
        "zij",
        "ze",
        "zich",
        "hem",
        "haar",
        "hun",
        "ook",
        "nog",
        "niet",
        "geen",
        "al",
        "wel",
        "dan",
        "maar",
        "want",
        "omdat",
        "toen",
        "waar",
        "wat",
        "wie",
        "welke",
        "zo",
        "zeer",
        "meer",
        "meest",
        "veel",
        "ik",
        "je",
        "jij",
        "u",
        "we",
        "wij",
        "men",
        "mijn",
        "uw",
        "ons",
        "onze",
        "zijn",
        "haar",
        "hun",
        "daar",
        "hier",
        "nu",
        "later",
        "eerder",
        "ter",
        "ten",
    ]
)
_WORD = re.compile(r"[^\W_]+")
_COMBINING = re.compile(r"[\u0300-\u036f]+")
# ASCII fast path: every ASCII character that is not a letter or digit becomes a space.
_ASCII_SEPARATORS = {code: " " for code in range(128) if not chr(code).isalnum()}


def _words(text: str) -> list[str]:
    folded = text.casefold()
    if folded.isascii():
        words = folded.translate(_ASCII_SEPARATORS).split()
    else:
        words = _WORD.findall(_COMBINING.sub("", unicodedata.normalize("NFKD", folded)))
    return [word for word in words if word not in _STOPWORDS]


def normalise_text(text: str) -> str:
    """Lower case, diacritics removed, punctuation to spaces, Dutch function words dropped."""
    return " ".join(_words(text))


def _days_phrase(days: int) -> str:
    if days == 0:
        return "zelfde datum"
    return f"datum {days} dag{'' if days == 1 else 'en'} uit elkaar"


def describe_pair(
    organisation_ids: Sequence[Hashable],
    days_apart: int,
    text_similarity: float,
    organisation_names: Mapping[Any, str] | None = None,
) -> str:
    """Dutch reason, e.g. 'Zelfde organisatie (PI Vught), datum 2 dagen uit elkaar, tekst 87 % gelijk'."""
    names = organisation_names or {}
    labels = [names.get(org, f"organisatie {org}") for org in organisation_ids]
    shown = ", ".join(labels[:3]) + (f" en {len(labels) - 3} andere" if len(labels) > 3 else "")
    noun = "organisatie" if len(labels) == 1 else "organisaties"
    return f"Zelfde {noun} ({shown}), {_days_phrase(days_apart)}, tekst {round(text_similarity)} % gelijk"


def _score(text_similarity: float, days_apart: int) -> float:
    return round(text_similarity / 100.0 * max(0.5, 1.0 - DAY_PENALTY * days_apart), 4)


def _window_pairs(
    org_codes: npt.NDArray[np.int64],
    ordinals: npt.NDArray[np.int64],
    rows: npt.NDArray[np.int64],
    window: int,
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """All (row_i, row_j) with the same organisation and dates at most ``window`` days apart."""
    order = np.lexsort((ordinals, org_codes))
    org, day, row = org_codes[order], ordinals[order], rows[order]
    n = len(order)
    left_parts: list[npt.NDArray[np.int64]] = []
    right_parts: list[npt.NDArray[np.int64]] = []
    active = np.arange(n - 1, dtype=np.int64)  # positions i whose neighbour i+k may still be in the window
    k = 1
    while active.size:
        partner = active + k
        inside = partner < n
        active, partner = active[inside], partner[inside]
        keep = (org[partner] == org[active]) & (day[partner] - day[active] <= window)
        active, partner = active[keep], partner[keep]
        left_parts.append(row[active])
        right_parts.append(row[partner])
        k += 1
    if not left_parts:
        empty = np.empty(0, dtype=np.int64)
        return empty, empty
    return np.concatenate(left_parts), np.concatenate(right_parts)


def _explode(
    records: Sequence[SignalRecord],
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    codes: dict[Hashable, int] = {}
    org_codes: list[int] = []
    ordinals: list[int] = []
    rows: list[int] = []
    for index, record in enumerate(records):
        ordinal = record.date.toordinal()
        for org in dict.fromkeys(record.organisation_ids):
            org_codes.append(codes.setdefault(org, len(codes)))
            ordinals.append(ordinal)
            rows.append(index)
    return (
        np.asarray(org_codes, dtype=np.int64),
        np.asarray(ordinals, dtype=np.int64),
        np.asarray(rows, dtype=np.int64),
    )


def _score_pairs(
    texts_a: Sequence[str],
    texts_b: Sequence[str],
    short: npt.NDArray[np.bool_],
    threshold: float,
    workers: int,
) -> npt.NDArray[np.float32]:
    """Element-wise similarity 0..100 (0 below ``threshold``).

    ``token_set_ratio`` is 100 whenever one text's words are a subset of the other's, which is right for
    a rephrased report but wrong for very short texts ("zie bijlage"): pairs flagged ``short`` (a text with
    fewer than ``SHORT_TEXT_WORDS`` words) are scored with the stricter ``token_sort_ratio``.
    """
    scores = np.zeros(len(texts_a), dtype=np.float32)
    # Each pair is scored once with its own scorer. Scoring every pair with token_set_ratio first and
    # re-scoring only its hits missed short pairs whose set ratio is below the threshold while their
    # sort ratio is above it: sets drop repeated words ("cel cel"), so the set ratio can be the lower one.
    for positions, scorer in (
        (np.flatnonzero(~short), fuzz.token_set_ratio),
        (np.flatnonzero(short), fuzz.token_sort_ratio),
    ):
        if positions.size == 0:
            continue
        chosen = positions.tolist()
        scores[positions] = process.cpdist(
            [texts_a[i] for i in chosen],
            [texts_b[i] for i in chosen],
            scorer=scorer,
            score_cutoff=threshold,
            workers=workers,
            dtype=np.float32,
        )
    return scores


def _word_count(text: str) -> int:
    return text.count(" ") + 1 if text else 0


def _build_candidates(
    left: Sequence[SignalRecord],
    right: Sequence[SignalRecord],
    similarities: npt.NDArray[np.float32],
    threshold: float,
    organisation_names: Mapping[Any, str] | None,
) -> list[DuplicateCandidate]:
    result: list[DuplicateCandidate] = []
    for a, b, similarity in zip(left, right, similarities.tolist(), strict=True):
        if similarity < threshold or similarity == 0:
            continue
        if b.date < a.date:
            a, b = b, a
        other_orgs = set(b.organisation_ids)
        shared = tuple(org for org in dict.fromkeys(a.organisation_ids) if org in other_orgs)
        days = abs((b.date - a.date).days)
        result.append(
            DuplicateCandidate(
                id_a=a.id,
                id_b=b.id,
                score=_score(similarity, days),
                text_similarity=round(float(similarity), 1),
                days_apart=days,
                organisation_ids=shared,
                reason=describe_pair(shared, days, similarity, organisation_names),
            )
        )
    result.sort(key=lambda c: (-c.score, str(c.id_a), str(c.id_b)))
    return result


def _normalise_batch(
    records: Sequence[SignalRecord],
) -> tuple[list[str], npt.NDArray[np.int64], sparse.csr_matrix]:
    """Normalised texts, their word counts and a binary document-word matrix."""
    texts: list[str] = []
    counts: list[int] = []
    indptr = [0]
    hashes: list[int] = []
    for record in records:
        words = _words(record.text)
        texts.append(" ".join(words))
        counts.append(len(words))
        # Hashed word columns: a collision can only add a shared word, so it never drops a real pair.
        hashes.extend(map(hash, set(words)))
        indptr.append(len(hashes))
    columns = np.asarray(hashes, dtype=np.int64) & (_HASH_COLUMNS - 1)
    matrix = sparse.csr_matrix(
        (np.ones(columns.size, dtype=np.float32), columns, np.asarray(indptr, dtype=np.int64)),
        shape=(len(records), _HASH_COLUMNS),
    )
    matrix.sum_duplicates()
    matrix.data[:] = 1.0
    return texts, np.asarray(counts, dtype=np.int64), matrix


def _shared_word_filter(
    matrix: sparse.csr_matrix,
    low: npt.NDArray[np.int64],
    high: npt.NDArray[np.int64],
    min_shared: float,
) -> npt.NDArray[np.bool_]:
    """True for pairs worth scoring: enough informative words in common (see DEFAULT_MIN_SHARED_WORDS)."""
    document_frequency = np.bincount(matrix.indices, minlength=matrix.shape[1])
    limit = max(INFORMATIVE_MIN_DF, int(INFORMATIVE_MAX_SHARE * matrix.shape[0]))
    informative = matrix.copy()
    informative.data[document_frequency[informative.indices] > limit] = 0
    informative.eliminate_zeros()
    per_text = np.diff(informative.indptr)
    keep = np.empty(low.size, dtype=np.bool_)
    for start in range(0, low.size, _PREFILTER_CHUNK):
        a, b = low[start : start + _PREFILTER_CHUNK], high[start : start + _PREFILTER_CHUNK]
        shared = np.asarray(informative[a].multiply(informative[b]).sum(axis=1)).ravel()
        smaller = np.minimum(per_text[a], per_text[b])
        keep[start : start + a.size] = (smaller == 0) | (shared >= min_shared * smaller)
    return keep


def find_duplicates(
    records: Sequence[SignalRecord],
    *,
    window_days: int = DEFAULT_WINDOW_DAYS,
    threshold: float = DEFAULT_THRESHOLD,
    organisation_names: Mapping[Any, str] | None = None,
    min_shared_words: float = DEFAULT_MIN_SHARED_WORDS,
    workers: int = -1,
) -> list[DuplicateCandidate]:
    """Candidate duplicate pairs within one batch of records, best score first."""
    if window_days < 0:
        raise ValueError("Het datumvenster kan niet negatief zijn.")
    if not 0 <= threshold <= 100:
        raise ValueError("De drempel voor tekstgelijkenis ligt tussen 0 en 100.")
    if len(records) < 2:
        return []
    org_codes, ordinals, rows = _explode(records)
    left, right = _window_pairs(org_codes, ordinals, rows, window_days)
    different = left != right
    left, right = left[different], right[different]
    if left.size == 0:
        return []
    # A pair sharing several organisations is generated once per organisation: keep it once.
    size = len(records)
    keys = np.sort(np.minimum(left, right) * size + np.maximum(left, right))
    keys = keys[np.concatenate(([True], keys[1:] != keys[:-1]))]
    low, high = keys // size, keys % size
    texts, words, matrix = _normalise_batch(records)
    if min_shared_words > 0:
        worth = _shared_word_filter(matrix, low, high, min_shared_words)
        low, high = low[worth], high[worth]
    short = np.minimum(words[low], words[high]) < SHORT_TEXT_WORDS
    similarities = _score_pairs(
        [texts[i] for i in low.tolist()], [texts[j] for j in high.tolist()], short, threshold, workers
    )
    hits = np.flatnonzero(similarities >= max(threshold, 1e-9))
    return _build_candidates(
        [records[i] for i in low[hits].tolist()],
        [records[j] for j in high[hits].tolist()],
        similarities[hits],
        threshold,
        organisation_names,
    )


class DuplicateIndex:
    """Signal history indexed by organisation and date, to check new signals quickly.

    Building the index over a million signals takes a few seconds; a lookup is a binary search per
    organisation plus scoring the few signals in the date window. Texts are normalised on first use.
    """

    def __init__(self, history: Iterable[SignalRecord] = ()) -> None:
        self._records: list[SignalRecord] = []
        self._normalised: dict[int, str] = {}
        self._by_org: dict[Hashable, tuple[list[int], list[int]]] = defaultdict(lambda: ([], []))
        self._sorted: set[Hashable] = set()
        self.extend(history)

    def __len__(self) -> int:
        return len(self._records)

    def extend(self, records: Iterable[SignalRecord]) -> None:
        for record in records:
            self.add(record)

    def add(self, record: SignalRecord) -> None:
        position = len(self._records)
        self._records.append(record)
        ordinal = record.date.toordinal()
        for org in dict.fromkeys(record.organisation_ids):
            ordinals, positions = self._by_org[org]
            ordinals.append(ordinal)
            positions.append(position)
            self._sorted.discard(org)

    def _org_window(self, org: Hashable, low: int, high: int) -> list[int]:
        if org not in self._by_org:
            return []
        ordinals, positions = self._by_org[org]
        if org not in self._sorted:
            pairs = sorted(zip(ordinals, positions, strict=True))
            ordinals[:] = [p[0] for p in pairs]
            positions[:] = [p[1] for p in pairs]
            self._sorted.add(org)
        start = bisect.bisect_left(ordinals, low)
        stop = bisect.bisect_right(ordinals, high)
        return positions[start:stop]

    def _text(self, position: int) -> str:
        text = self._normalised.get(position)
        if text is None:
            text = self._normalised[position] = normalise_text(self._records[position].text)
        return text

    def candidates_for(
        self,
        record: SignalRecord,
        *,
        window_days: int = DEFAULT_WINDOW_DAYS,
        threshold: float = DEFAULT_THRESHOLD,
        organisation_names: Mapping[Any, str] | None = None,
    ) -> list[DuplicateCandidate]:
        """Candidates in the history for one (new) signal; the signal itself (same id) is skipped."""
        ordinal = record.date.toordinal()
        positions: dict[int, None] = {}
        for org in dict.fromkeys(record.organisation_ids):
            for position in self._org_window(org, ordinal - window_days, ordinal + window_days):
                if self._records[position].id != record.id:
                    positions[position] = None
        if not positions:
            return []
        query = normalise_text(record.text)
        others = list(positions)
        other_texts = [self._text(p) for p in others]
        short = np.fromiter(
            (min(_word_count(query), _word_count(t)) < SHORT_TEXT_WORDS for t in other_texts),
            dtype=np.bool_,
            count=len(other_texts),
        )
        similarities = _score_pairs([query] * len(others), other_texts, short, threshold, 1)
        hits = np.flatnonzero(similarities >= max(threshold, 1e-9)).tolist()
        return _build_candidates(
            [record] * len(hits),
            [self._records[others[i]] for i in hits],
            similarities[hits],
            threshold,
            organisation_names,
        )


def find_duplicates_of(
    new: SignalRecord | Sequence[SignalRecord],
    history: Iterable[SignalRecord],
    *,
    window_days: int = DEFAULT_WINDOW_DAYS,
    threshold: float = DEFAULT_THRESHOLD,
    organisation_names: Mapping[Any, str] | None = None,
) -> list[DuplicateCandidate]:
    """Candidates between new signal(s) and a history (e.g. pre-filtered in SQL by organisation and date).

    Pairs among the new signals themselves are not reported; use :func:`find_duplicates` for that.
    For repeated checks against a large in-memory history, keep a :class:`DuplicateIndex` instead.
    """
    batch = [new] if isinstance(new, SignalRecord) else list(new)
    index = DuplicateIndex(history)
    result: list[DuplicateCandidate] = []
    for record in batch:
        result.extend(
            index.candidates_for(
                record, window_days=window_days, threshold=threshold, organisation_names=organisation_names
            )
        )
    result.sort(key=lambda c: (-c.score, str(c.id_a), str(c.id_b)))
    return result
