"""Triage suggestions for a signal: organisations, supervision area and themes, each with a confidence.

The module only *suggests*; nothing is applied to a signal here. Two parts:

* :class:`OrganisationMatcher` finds organisation names in free text. Names, aliases and the text are
  normalised the same way (case, diacritics, punctuation, filler words such as "de"/"te"/"in") and common
  designations are folded to one token ("Penitentiaire Inrichting" -> ``pi``, "Justitiële Jeugdinrichting"
  -> ``jji``, "Veiligheidsregio" -> ``vr``, "asielzoekerscentrum"/"COA-locatie" -> ``azc``, "Huis van
  Bewaring" -> ``hvb``). Names are indexed as token n-grams, so a text is matched with one dictionary lookup
  per (position, length); typos are handled per token against the name vocabulary (length-bounded
  rapidfuzz search, cached), never by comparing every name with the whole text.
* :class:`ThemeClassifier` learns from already triaged signals: TF-IDF on word 1-2-grams and character
  3-5-grams, one logistic regression per theme (multi-label) and one for the area (single label).

:func:`suggest_triage` combines both for one text.
"""

from __future__ import annotations

import io
import math
import pickle
import re
import unicodedata
import warnings
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final, Literal, TypeAlias

import numpy as np
import numpy.typing as npt
from rapidfuzz import fuzz, process

__all__ = [
    "Evaluation",
    "MatchKind",
    "Note",
    "OrganisationMatch",
    "OrganisationMatcher",
    "Suggestion",
    "ThemeClassifier",
    "TriageSuggestions",
    "suggest_triage",
]

OrganisationEntry: TypeAlias = tuple[Hashable, str, Sequence[str]]


def gettext_noop(message: str) -> str:
    """Marks ``message`` for the translation catalogue (makemessages extracts calls by this name) without
    importing Django; the page translates the :class:`Note` made from it."""
    return message


class Note(str):
    """A Dutch remark for the page that remembers the marked template and the parameters it was made from,
    so the page can show it in the user's language (``toezicht.core.i18n.translate_note``). Integer
    parameters are counts (grouped the Dutch way here)."""

    template: str
    params: dict[str, object]

    def __new__(cls, template: str, **params: object) -> Note:
        shown = {
            k: _dutch_int(v) if isinstance(v, int) and not isinstance(v, bool) else v
            for k, v in params.items()
        }
        note = super().__new__(cls, template % shown)
        note.template = template
        note.params = params
        return note

    def __reduce__(self) -> tuple[Any, ...]:
        # A stored theme model keeps its messages as notes; rebuild them from template and parameters.
        return (_restore_note, (self.template, self.params))


def _restore_note(template: str, params: dict[str, object]) -> Note:
    return Note(template, **params)


MatchKind: TypeAlias = Literal["naam", "alias", "tikfout", "deel"]

# ---------------------------------------------------------------------------------------------------------
# Organisation matching
# ---------------------------------------------------------------------------------------------------------

_TOKEN = re.compile(r"[^\W_]+(?:[.&'’][^\W_]+)*")
_INNER_MARKS = str.maketrans("", "", ".&'’")
_COMBINING = re.compile(r"[\u0300-\u036f]+")

# Words dropped from names and texts alike, so "PI te Vught" and "de PI in Vught" read as "pi vught".
_FILLERS: Final = frozenset({"de", "het", "te", "in", "van", "en", "op", "der"})

# Designations folded to one token (applied after filler removal, longest phrase first).
_DESIGNATIONS: Final[Mapping[tuple[str, ...], str]] = {
    ("penitentiaire", "inrichting"): "pi",
    ("penitentiaire", "inrichtingen"): "pi",
    ("penitentiair", "centrum"): "pc",
    ("justitiele", "jeugdinrichting"): "jji",
    ("veiligheidsregio",): "vr",
    ("asielzoekerscentrum",): "azc",
    ("coa", "locatie"): "azc",
    ("coa", "opvanglocatie"): "azc",
    ("opvanglocatie",): "azc",
    ("huis", "bewaring"): "hvb",
    ("p", "i"): "pi",
}
_MAX_DESIGNATION = max(len(k) for k in _DESIGNATIONS)
# Extra spellings derived from a name's leading designation, matched as aliases.
_PREFIX_VARIANTS: Final[Mapping[tuple[str, ...], tuple[tuple[str, ...], ...]]] = {
    ("azc",): (("coa",),),
    ("pi",): (("gevangenis",),),
    ("politie", "eenheid"): (("politie",), ("eenheid",)),
}
# Tokens that never identify an organisation on their own.
_GENERIC: Final = frozenset(
    {
        "pi",
        "pc",
        "jji",
        "vr",
        "azc",
        "hvb",
        "coa",
        "politie",
        "eenheid",
        "dienst",
        "locatie",
        "gevangenis",
        "regio",
        "district",
        "basisteam",
        "team",
        "afdeling",
        "centrum",
        "inrichting",
        "instelling",
        "gemeente",
        "stichting",
        "ministerie",
        "inspectie",
        "nationale",
        "landelijke",
        "landelijk",
        "noord",
        "oost",
        "zuid",
        "west",
        "midden",
        "nederland",
        "centraal",
        "kliniek",
        "fpc",
        "tbs",
        "bureau",
        "unit",
    }
)

_WEIGHT_NAME: Final = 1.0
_WEIGHT_ALIAS: Final = 0.95
_WEIGHT_VARIANT: Final = 0.85
_FUZZY_FACTOR: Final = 0.95  # fuzzy confidence = weight * FUZZY_FACTOR * product of token similarities
_PARTIAL_CONFIDENCE: Final = 0.4  # split over all organisations sharing the distinctive word
_FUZZY_MIN_LENGTH: Final = 4
_FUZZY_CUTOFF: Final = 80.0  # rapidfuzz ratio per token
_FUZZY_SINGLE_TOKEN_MIN_LENGTH: Final = 7


@dataclass(frozen=True, slots=True)
class OrganisationMatch:
    """A suggested organisation with the best place it was found in the text."""

    organisation_id: Hashable
    name: str
    matched_text: str
    start: int
    end: int
    confidence: float
    kind: MatchKind
    mentions: int = 1

    @property
    def explanation(self) -> Note:
        """Dutch explanation for the intake desk."""
        template = {
            "naam": gettext_noop("Naam letterlijk gevonden: ‘%(text)s’ (%(percent)s %% zeker)"),
            "alias": gettext_noop(
                "Andere schrijfwijze of afkorting gevonden: ‘%(text)s’ (%(percent)s %% zeker)"
            ),
            "tikfout": gettext_noop(
                "Naam gevonden met een afwijkende spelling: ‘%(text)s’ (%(percent)s %% zeker)"
            ),
            "deel": gettext_noop("Alleen een deel van de naam gevonden: ‘%(text)s’ (%(percent)s %% zeker)"),
        }[self.kind]
        return Note(template, text=self.matched_text, percent=round(self.confidence * 100))


@dataclass(slots=True)
class _Token:
    text: str
    start: int
    end: int
    similarity: float = 1.0
    capitalised: bool = False


@dataclass(frozen=True, slots=True)
class _Entry:
    org: int
    weight: float
    kind: MatchKind


def _fold(token: str) -> str:
    folded = token.casefold().translate(_INNER_MARKS)
    if not folded.isascii():
        folded = _COMBINING.sub("", unicodedata.normalize("NFKD", folded))
    return folded


def _raw_tokens(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    for match in _TOKEN.finditer(text):
        folded = _fold(match.group())
        if folded and folded not in _FILLERS:
            tokens.append(_Token(folded, match.start(), match.end(), 1.0, match.group()[0].isupper()))
    return tokens


def _fold_designations(tokens: list[_Token]) -> list[_Token]:
    result: list[_Token] = []
    i = 0
    while i < len(tokens):
        for length in range(min(_MAX_DESIGNATION, len(tokens) - i), 0, -1):
            key = tuple(t.text for t in tokens[i : i + length])
            replacement = _DESIGNATIONS.get(key)
            if replacement is not None:
                part = tokens[i : i + length]
                result.append(
                    _Token(
                        replacement, part[0].start, part[-1].end, math.prod(t.similarity for t in part), False
                    )
                )
                i += length
                break
        else:
            result.append(tokens[i])
            i += 1
    return result


def _name_tokens(name: str) -> tuple[str, ...]:
    return tuple(t.text for t in _fold_designations(_raw_tokens(name)))


class OrganisationMatcher:
    """Finds organisation names in free text. Build once (e.g. per process) and reuse.

    ``organisations``: ``(organisation_id, name, aliases)`` triples. ``suggest(text)`` returns
    :class:`OrganisationMatch` objects, best first, one per organisation.
    """

    def __init__(self, organisations: Iterable[OrganisationEntry]) -> None:
        self._ids: list[Hashable] = []
        self._names: list[str] = []
        self._index: dict[tuple[str, ...], list[_Entry]] = defaultdict(list)
        for org_id, name, aliases in organisations:
            position = len(self._ids)
            self._ids.append(org_id)
            self._names.append(name)
            self._add(_name_tokens(name), position, _WEIGHT_NAME, "naam")
            for alias in aliases:
                self._add(_name_tokens(alias), position, _WEIGHT_ALIAS, "alias")
        # Per spelling keep only the strongest entries (a real name beats a derived variant), one per
        # organisation; organisations left sharing a spelling split the confidence.
        for key, entries in self._index.items():
            top = max(entry.weight for entry in entries)
            best: dict[int, _Entry] = {}
            for entry in entries:
                if entry.weight == top:
                    best.setdefault(entry.org, entry)
            self._index[key] = list(best.values())
        self._max_length = max((len(k) for k in self._index), default=0)
        self._first_words = {key[0] for key in self._index}
        # Distinctive words: in few organisations' names, not a designation, long enough.
        orgs_per_word: dict[str, set[int]] = defaultdict(set)
        for key, entries in self._index.items():
            for word in key:
                for entry in entries:
                    orgs_per_word[word].add(entry.org)
        self._distinctive: dict[str, tuple[int, ...]] = {
            word: tuple(sorted(orgs))
            for word, orgs in orgs_per_word.items()
            if len(orgs) <= 3 and len(word) >= 4 and word not in _GENERIC and not word.isdigit()
        }
        vocabulary = set(orgs_per_word) | {w for key in _DESIGNATIONS for w in key}
        self._vocabulary = vocabulary
        ordered = sorted((w for w in vocabulary if len(w) >= _FUZZY_MIN_LENGTH), key=len)
        self._fuzzy_words = ordered
        self._fuzzy_lengths = np.asarray([len(w) for w in ordered], dtype=np.int64)
        self._fuzzy_cache: dict[str, tuple[str, float] | None] = {}

    def __len__(self) -> int:
        return len(self._ids)

    def _add(self, tokens: tuple[str, ...], org: int, weight: float, kind: MatchKind) -> None:
        if not tokens:
            return
        self._index[tokens].append(_Entry(org, weight, kind))
        for prefix, variants in _PREFIX_VARIANTS.items():
            if tokens[: len(prefix)] == prefix and len(tokens) > len(prefix):
                for variant in variants:
                    self._index[variant + tokens[len(prefix) :]].append(
                        _Entry(org, weight * _WEIGHT_VARIANT, "alias")
                    )

    # -- typo handling -------------------------------------------------------------------------------------
    def _closest_word(self, word: str) -> tuple[str, float] | None:
        """Best vocabulary word within the fuzzy cutoff (cached; only a band of word lengths is searched)."""
        if word in self._fuzzy_cache:
            return self._fuzzy_cache[word]
        result: tuple[str, float] | None = None
        if len(word) >= _FUZZY_MIN_LENGTH and not word.isdigit():
            # ratio >= c requires the other length within [len * c / (2 - c), len * (2 - c) / c].
            c = _FUZZY_CUTOFF / 100
            low = int(np.searchsorted(self._fuzzy_lengths, math.ceil(len(word) * c / (2 - c)), side="left"))
            high = int(
                np.searchsorted(self._fuzzy_lengths, math.floor(len(word) * (2 - c) / c), side="right")
            )
            if high > low:
                best = process.extractOne(
                    word, self._fuzzy_words[low:high], scorer=fuzz.ratio, score_cutoff=_FUZZY_CUTOFF
                )
                if best is not None:
                    result = (best[0], best[1] / 100)
        if len(self._fuzzy_cache) > 200_000:
            self._fuzzy_cache.clear()
        self._fuzzy_cache[word] = result
        return result

    def _with_typos_corrected(self, tokens: list[_Token]) -> list[_Token]:
        corrected: list[_Token] = []
        for token in tokens:
            if token.text in self._vocabulary:
                corrected.append(token)
                continue
            closest = self._closest_word(token.text)
            if closest is None:
                corrected.append(token)
            else:
                word, similarity = closest
                corrected.append(_Token(word, token.start, token.end, similarity, token.capitalised))
        return corrected

    # -- matching ----------------------------------------------------------------------------------------
    def suggest(self, text: str, *, limit: int = 5, min_confidence: float = 0.2) -> list[OrganisationMatch]:
        """Organisations mentioned in ``text``, best first (at most ``limit``; ``limit=0`` for all)."""
        if not text or not self._index:
            return []
        raw = _raw_tokens(text)
        tokens = _fold_designations(self._with_typos_corrected(raw))
        words = [t.text for t in tokens]
        found: list[tuple[int, int, int, float, MatchKind]] = []  # (org, start, end, confidence, kind)
        for i, first in enumerate(words):
            if first not in self._first_words:
                continue
            for length in range(1, min(self._max_length, len(tokens) - i) + 1):
                entries = self._index.get(tuple(words[i : i + length]))
                if not entries:
                    continue
                part = tokens[i : i + length]
                worst = math.prod(t.similarity for t in part)
                if worst < 1.0 and not self._fuzzy_allowed(part):
                    continue
                share = 1.0 / len(entries)
                for entry in entries:
                    if worst < 1.0:
                        confidence = entry.weight * _FUZZY_FACTOR * worst * share
                        kind: MatchKind = "tikfout"
                    else:
                        confidence = entry.weight * share
                        kind = entry.kind
                    found.append((entry.org, part[0].start, part[-1].end, confidence, kind))
        found = self._drop_contained(found)
        covered = [(start, end) for _, start, end, _, _ in found]
        for token in raw:
            orgs = self._distinctive.get(token.text)
            if not orgs or not token.capitalised:
                continue
            if any(start <= token.start and token.end <= end for start, end in covered):
                continue
            for org in orgs:
                found.append((org, token.start, token.end, _PARTIAL_CONFIDENCE / len(orgs), "deel"))
        return self._best_per_organisation(text, found, limit, min_confidence)

    @staticmethod
    def _fuzzy_allowed(part: list[_Token]) -> bool:
        """A one-word name only matches with a typo when it is long; short words collide too easily."""
        return len(part) > 1 or len(part[0].text) >= _FUZZY_SINGLE_TOKEN_MIN_LENGTH

    @staticmethod
    def _drop_contained(
        found: list[tuple[int, int, int, float, MatchKind]],
    ) -> list[tuple[int, int, int, float, MatchKind]]:
        """Drop a match lying strictly inside a longer match of another organisation ("Politie" in
        "Politie-eenheid Den Haag")."""
        spans = {(start, end) for _, start, end, _, _ in found}
        result = []
        for item in found:
            _, start, end, _, _ = item
            inside = any(s <= start and end <= e and (s, e) != (start, end) for s, e in spans)
            if not inside:
                result.append(item)
        return result

    def _best_per_organisation(
        self,
        text: str,
        found: list[tuple[int, int, int, float, MatchKind]],
        limit: int,
        min_confidence: float,
    ) -> list[OrganisationMatch]:
        mentions: Counter[int] = Counter()
        best: dict[int, tuple[int, int, float, MatchKind]] = {}
        seen_spans: set[tuple[int, int, int]] = set()
        for org, start, end, confidence, kind in found:
            if (org, start, end) not in seen_spans:
                seen_spans.add((org, start, end))
                mentions[org] += 1
            current = best.get(org)
            if (
                current is None
                or confidence > current[2]
                or (confidence == current[2] and start < current[0])
            ):
                best[org] = (start, end, confidence, kind)
        matches = [
            OrganisationMatch(
                organisation_id=self._ids[org],
                name=self._names[org],
                matched_text=text[start:end],
                start=start,
                end=end,
                confidence=round(min(1.0, confidence), 3),
                kind=kind,
                mentions=mentions[org],
            )
            for org, (start, end, confidence, kind) in best.items()
            if confidence >= min_confidence
        ]
        matches.sort(key=lambda m: (-m.confidence, m.start, m.name))
        return matches[:limit] if limit > 0 else matches


# ---------------------------------------------------------------------------------------------------------
# Theme and area classification
# ---------------------------------------------------------------------------------------------------------

_MODEL_FORMAT: Final = "toezicht.signals.intake.ThemeClassifier"
_MODEL_VERSION: Final = 1
_SGD_FROM: Final = 20_000  # from this many examples on, SGD instead of liblinear (fits in seconds)


@dataclass(frozen=True, slots=True)
class Suggestion:
    label: str
    confidence: float  # 0..1


@dataclass(frozen=True, slots=True)
class Evaluation:
    """Cross-validated quality of the theme (and area) suggestions."""

    precision_at_1: float  # share of signals whose first suggested theme is one of its themes
    recall_at_3: float  # share of a signal's themes found in the top 3, averaged
    area_accuracy: float | None  # share of signals whose first suggested area is right (None: no areas)
    examples: int
    folds: int
    reliable: bool
    message: str  # Dutch, ready for the page


def _percent(value: float) -> str:
    return f"{round(value * 100)} %"


def _dutch_int(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def _as_label_set(value: str | Iterable[str] | None) -> tuple[str, ...]:
    if value is None:
        return ()
    items = [value] if isinstance(value, str) else list(value)
    return tuple(dict.fromkeys(item.strip() for item in items if item and item.strip()))


class ThemeClassifier:
    """Suggests themes (multi-label) and an area (single label) from a signal's text.

    ``fit`` never raises on too little data: it sets ``ready = False`` and a Dutch ``message``, and
    ``suggest`` then returns an empty list. ``message`` also lists themes left out for lack of examples.
    """

    def __init__(
        self,
        *,
        min_examples: int = 30,
        min_examples_per_label: int = 5,
        max_word_features: int = 100_000,
        max_char_features: int = 200_000,
        regularisation: float = 10.0,
        random_state: int = 0,
    ) -> None:
        self.params: dict[str, Any] = {
            "min_examples": min_examples,
            "min_examples_per_label": min_examples_per_label,
            "max_word_features": max_word_features,
            "max_char_features": max_char_features,
            "regularisation": regularisation,
            "random_state": random_state,
        }
        self.ready = False
        self.area_ready = False
        self.message: str = Note(gettext_noop("Het model is nog niet getraind."))
        self.area_message: str = Note(gettext_noop("Er is nog geen model voor het toezichtsgebied getraind."))
        self.labels: tuple[str, ...] = ()
        self.areas: tuple[str, ...] = ()
        self.examples = 0
        self._vectoriser: Any = None
        self._themes_model: Any = None
        self._area_model: Any = None

    # -- training ------------------------------------------------------------------------------------------
    def _new_vectoriser(self) -> Any:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.pipeline import FeatureUnion

        common = {"lowercase": True, "strip_accents": "unicode", "sublinear_tf": True, "dtype": np.float32}
        return FeatureUnion(
            [
                (
                    "woorden",
                    TfidfVectorizer(
                        analyzer="word",
                        ngram_range=(1, 2),
                        min_df=1,
                        max_features=self.params["max_word_features"],
                        token_pattern=r"(?u)\b\w\w+\b",
                        **common,
                    ),
                ),
                (
                    "tekens",
                    TfidfVectorizer(
                        analyzer="char_wb",
                        ngram_range=(3, 5),
                        min_df=2,
                        max_features=self.params["max_char_features"],
                        **common,
                    ),
                ),
            ]
        )

    def _new_linear_model(self, examples: int, multiclass: bool = False) -> Any:
        if examples >= _SGD_FROM:
            from sklearn.linear_model import SGDClassifier

            return SGDClassifier(
                loss="log_loss",
                alpha=1.0 / (self.params["regularisation"] * examples),
                max_iter=30,
                tol=1e-4,
                random_state=self.params["random_state"],
            )
        from sklearn.linear_model import LogisticRegression

        solver = "lbfgs" if multiclass else "liblinear"
        return LogisticRegression(C=self.params["regularisation"], solver=solver, max_iter=1000)

    def fit(
        self,
        texts: Sequence[str],
        labels: Sequence[str | Iterable[str] | None],
        areas: Sequence[str | None] | None = None,
    ) -> ThemeClassifier:
        """Train on triaged signals: ``labels[i]`` are the themes of ``texts[i]``, ``areas[i]`` its area."""
        from sklearn.multiclass import OneVsRestClassifier
        from sklearn.preprocessing import MultiLabelBinarizer

        if len(labels) != len(texts) or (areas is not None and len(areas) != len(texts)):
            raise ValueError("Het aantal teksten en het aantal labels moeten gelijk zijn.")
        label_sets = [_as_label_set(item) for item in labels]
        usable = [i for i, text in enumerate(texts) if text and text.strip()]
        self.ready = self.area_ready = False
        self._vectoriser = self._themes_model = self._area_model = None
        self.labels, self.areas, self.examples = (), (), 0

        minimum = self.params["min_examples_per_label"]
        theme_rows = [i for i in usable if label_sets[i]]
        counts = Counter(label for i in theme_rows for label in label_sets[i])
        kept = sorted(label for label, count in counts.items() if count >= minimum)
        dropped = sorted(label for label, count in counts.items() if count < minimum)
        area_rows = [i for i in usable if areas is not None and areas[i]]
        area_counts = Counter(str(areas[i]) for i in area_rows) if areas is not None else Counter()
        kept_areas = sorted(area for area, count in area_counts.items() if count >= minimum)

        notes: list[str] = []
        if len(theme_rows) < self.params["min_examples"]:
            self.message = Note(
                gettext_noop(
                    "Te weinig getriageerde signalen om thema's voor te stellen: %(count)s met thema, "
                    "minimaal %(minimum)s nodig."
                ),
                count=len(theme_rows),
                minimum=int(self.params["min_examples"]),
            )
        elif len(kept) < 2:
            self.message = Note(
                gettext_noop(
                    "Te weinig verschillende thema's om te kunnen kiezen: minimaal twee thema's met elk "
                    "%(minimum)s of meer voorbeelden nodig."
                ),
                minimum=minimum,
            )
        else:
            self.ready = True
            if dropped:
                notes.append(
                    f"Niet voorgesteld wegens te weinig voorbeelden (minder dan {minimum}): "
                    f"{', '.join(dropped)}."
                )

        if area_rows and len(area_rows) >= self.params["min_examples"] and len(kept_areas) >= 2:
            self.area_ready = True
            self.area_message = Note(gettext_noop("Het model voor het toezichtsgebied is getraind."))
        elif areas is not None:
            self.area_message = Note(
                gettext_noop(
                    "Te weinig getriageerde signalen met een toezichtsgebied om een gebied voor te stellen."
                )
            )

        if not self.ready and not self.area_ready:
            return self
        fit_rows = sorted(set(theme_rows if self.ready else []) | set(area_rows if self.area_ready else []))
        self._vectoriser = self._new_vectoriser()
        matrix = self._vectoriser.fit_transform([texts[i] for i in fit_rows])
        position = {row: k for k, row in enumerate(fit_rows)}
        self.examples = len(fit_rows)

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if self.ready:
                binariser = MultiLabelBinarizer(classes=kept)
                kept_set = set(kept)
                targets = binariser.fit_transform(
                    [[x for x in label_sets[i] if x in kept_set] for i in theme_rows]
                )
                model = OneVsRestClassifier(self._new_linear_model(len(theme_rows)))
                model.fit(matrix[[position[i] for i in theme_rows]], targets)
                self._themes_model = model
                self.labels = tuple(kept)
                self.message = " ".join(
                    [f"Getraind op {_dutch_int(len(theme_rows))} signalen en {len(kept)} thema's.", *notes]
                )
            if self.area_ready and areas is not None:
                area_kept = set(kept_areas)
                rows = [i for i in area_rows if str(areas[i]) in area_kept]
                area_model = self._new_linear_model(len(rows), multiclass=True)
                area_model.fit(matrix[[position[i] for i in rows]], [str(areas[i]) for i in rows])
                self._area_model = area_model
                self.areas = tuple(str(c) for c in area_model.classes_)
        return self

    # -- suggesting ----------------------------------------------------------------------------------------
    def _theme_probabilities(self, texts: Sequence[str]) -> npt.NDArray[np.float64]:
        matrix = self._vectoriser.transform(list(texts))
        return np.asarray(self._themes_model.predict_proba(matrix), dtype=np.float64)

    @staticmethod
    def _top(
        row: npt.NDArray[np.float64], names: Sequence[str], top_k: int, minimum: float
    ) -> list[Suggestion]:
        order = np.argsort(-row, kind="stable")[: max(0, top_k)]
        return [Suggestion(names[j], round(float(row[j]), 3)) for j in order if row[j] >= minimum]

    def suggest(self, text: str, top_k: int = 3, min_confidence: float = 0.0) -> list[Suggestion]:
        """Up to ``top_k`` themes, most likely first; empty when the model is not ready (see ``message``)."""
        return self.suggest_many([text], top_k, min_confidence)[0]

    def suggest_many(
        self, texts: Sequence[str], top_k: int = 3, min_confidence: float = 0.0
    ) -> list[list[Suggestion]]:
        if not self.ready or not texts:
            return [[] for _ in texts]
        probabilities = self._theme_probabilities(texts)
        return [self._top(row, self.labels, top_k, min_confidence) for row in probabilities]

    def suggest_area(self, text: str, top_k: int = 1) -> list[Suggestion]:
        """Most likely supervision area(s); empty when no area model is ready (see ``area_message``)."""
        if not self.area_ready:
            return []
        matrix = self._vectoriser.transform([text])
        row = np.asarray(self._area_model.predict_proba(matrix), dtype=np.float64)[0]
        return self._top(row, self.areas, top_k, 0.0)

    # -- storage -------------------------------------------------------------------------------------------
    def to_bytes(self) -> bytes:
        """Serialised model for storage (pickle; only load bytes this application wrote itself)."""
        import sklearn

        buffer = io.BytesIO()
        state = {
            "format": _MODEL_FORMAT,
            "version": _MODEL_VERSION,
            "sklearn": sklearn.__version__,
            "classifier": self,
        }
        pickle.dump(state, buffer, protocol=pickle.HIGHEST_PROTOCOL)
        return buffer.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> ThemeClassifier:
        """Load a model stored with :meth:`to_bytes`. Never pass bytes from an untrusted source."""
        try:
            state = pickle.loads(data)
        except Exception as error:
            raise ValueError("Het opgeslagen model kan niet worden gelezen.") from error
        if not isinstance(state, dict) or state.get("format") != _MODEL_FORMAT:
            raise ValueError("De opgeslagen gegevens zijn geen themamodel.")
        if state.get("version") != _MODEL_VERSION:
            raise ValueError(
                "Het opgeslagen themamodel heeft een verouderd formaat; train het model opnieuw."
            )
        classifier = state["classifier"]
        if not isinstance(classifier, cls):
            raise ValueError("De opgeslagen gegevens zijn geen themamodel.")
        return classifier

    # -- evaluation ----------------------------------------------------------------------------------------
    def evaluate(
        self,
        texts: Sequence[str],
        labels: Sequence[str | Iterable[str] | None],
        folds: int = 5,
        areas: Sequence[str | None] | None = None,
        max_examples: int | None = 20_000,
    ) -> Evaluation:
        """K-fold cross-validation with this classifier's settings; ``self`` is not changed.

        Every signal with at least one theme is scored once, on a model that never saw it. A theme the fold's
        model could not learn counts as missed, so the figures are what a user would experience. Above
        ``max_examples`` signals a fixed random sample is used, to bound the run time (5 x training).
        """
        from sklearn.model_selection import KFold

        label_sets = [_as_label_set(item) for item in labels]
        rows = [i for i, text in enumerate(texts) if text and text.strip() and label_sets[i]]
        if max_examples is not None and len(rows) > max_examples:
            sampler = np.random.default_rng(self.params["random_state"])
            rows = sorted(sampler.choice(rows, size=max_examples, replace=False).tolist())
        folds = min(folds, len(rows))
        if folds < 2 or len(rows) < self.params["min_examples"]:
            return Evaluation(
                0.0,
                0.0,
                None,
                len(rows),
                max(folds, 0),
                False,
                f"Te weinig getriageerde signalen ({_dutch_int(len(rows))}) om de kwaliteit van de "
                "suggesties betrouwbaar te meten.",
            )
        hits_at_1 = 0
        recall_sum = 0.0
        area_hits = 0
        area_total = 0
        splitter = KFold(n_splits=folds, shuffle=True, random_state=self.params["random_state"])
        indices = np.asarray(rows)
        for train, test in splitter.split(indices):
            train_rows, test_rows = indices[train].tolist(), indices[test].tolist()
            model = ThemeClassifier(**self.params).fit(
                [texts[i] for i in train_rows],
                [label_sets[i] for i in train_rows],
                None if areas is None else [areas[i] for i in train_rows],
            )
            suggestions = model.suggest_many([texts[i] for i in test_rows], top_k=3)
            for row, suggested in zip(test_rows, suggestions, strict=True):
                truth = set(label_sets[row])
                names = [s.label for s in suggested]
                hits_at_1 += bool(names) and names[0] in truth
                recall_sum += len(truth.intersection(names[:3])) / len(truth)
            if areas is not None:
                for row in test_rows:
                    if areas[row]:
                        area_total += 1
                        guess = model.suggest_area(texts[row])
                        area_hits += bool(guess) and guess[0].label == str(areas[row])
        precision = hits_at_1 / len(rows)
        recall = recall_sum / len(rows)
        area_accuracy = area_hits / area_total if area_total else None
        message = (
            f"De eerste themasuggestie is in {_percent(precision)} van de gevallen juist; "
            f"{_percent(recall)} van de juiste thema's staat bij de eerste drie suggesties."
        )
        if area_accuracy is not None:
            message += (
                f" Het voorgestelde toezichtsgebied is in {_percent(area_accuracy)} van de gevallen juist."
            )
        message += (
            f" Gemeten met {folds}-voudige kruisvalidatie op {_dutch_int(len(rows))} getriageerde signalen."
        )
        return Evaluation(precision, recall, area_accuracy, len(rows), folds, True, message)


# ---------------------------------------------------------------------------------------------------------
# Combined
# ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TriageSuggestions:
    """Everything suggested for one signal; ``notes`` are Dutch remarks for the page."""

    organisations: list[OrganisationMatch] = field(default_factory=list)
    themes: list[Suggestion] = field(default_factory=list)
    areas: list[Suggestion] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def suggest_triage(
    text: str,
    matcher: OrganisationMatcher | None = None,
    classifier: ThemeClassifier | None = None,
    *,
    top_k: int = 3,
) -> TriageSuggestions:
    """Suggestions for one signal text; nothing is applied."""
    notes: list[str] = []
    organisations = matcher.suggest(text) if matcher is not None else []
    if matcher is not None and not organisations:
        notes.append(Note(gettext_noop("Geen bekende organisatie in de tekst gevonden.")))
    themes: list[Suggestion] = []
    areas: list[Suggestion] = []
    if classifier is None:
        notes.append(Note(gettext_noop("Er is geen themamodel beschikbaar.")))
    else:
        themes = classifier.suggest(text, top_k=top_k)
        if not classifier.ready:
            notes.append(classifier.message)
        areas = classifier.suggest_area(text)
    return TriageSuggestions(organisations, themes, areas, notes)
