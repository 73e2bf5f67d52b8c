"""Column mapping: which column of the file feeds which field, plus constants and value translations.

A mapping is stored per sender as a plain dict (JSON) and applied to every new file from that sender.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ._text import display_value, join_nl, normalize_header, normalize_key
from .schema import Schema

JSONScalar = str | int | float | bool | None
MAPPING_VERSION = 1

__all__ = ["ColumnMapping", "ResolvedColumns", "resolve_columns"]


def _check_scalar(value: Any, where: str) -> JSONScalar:
    if value is None or isinstance(value, str | int | float | bool):
        return value
    raise ValueError(f"{where}: value must be text, number, boolean or null, not {type(value).__name__}")


@dataclass
class ColumnMapping:
    """columns: field name -> column header in the file (compared case/space/accent-insensitively);
    constants: field name -> fixed raw value for every row (parsed by the field's parser);
    translations: field name -> {text in the file: replacement}; the replacement is then parsed
    (so {"Ja": True} works for a boolean, {"Gem.": "Gemeente"} for a choice; null means empty)."""

    columns: dict[str, str] = field(default_factory=dict)
    constants: dict[str, JSONScalar] = field(default_factory=dict)
    translations: dict[str, dict[str, JSONScalar]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": MAPPING_VERSION,
            "columns": dict(self.columns),
            "constants": dict(self.constants),
            "translations": {name: dict(table) for name, table in self.translations.items()},
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ColumnMapping:
        """Inverse of to_dict; raises ValueError on a malformed dict."""
        if not isinstance(data, Mapping):
            raise ValueError("mapping must be a dict")
        version = data.get("version", MAPPING_VERSION)
        if version != MAPPING_VERSION:
            raise ValueError(f"unsupported mapping version {version!r}")
        columns = data.get("columns") or {}
        constants = data.get("constants") or {}
        translations = data.get("translations") or {}
        if not (isinstance(columns, Mapping) and isinstance(constants, Mapping)):
            raise ValueError("columns and constants must be dicts")
        if not isinstance(translations, Mapping):
            raise ValueError("translations must be a dict")
        result = cls()
        for name, header in columns.items():
            if not isinstance(header, str):
                raise ValueError(f"columns[{name!r}] must be text")
            result.columns[str(name)] = header
        for name, value in constants.items():
            result.constants[str(name)] = _check_scalar(value, f"constants[{name!r}]")
        for name, table in translations.items():
            if not isinstance(table, Mapping):
                raise ValueError(f"translations[{name!r}] must be a dict")
            result.translations[str(name)] = {
                str(k): _check_scalar(v, f"translations[{name!r}][{k!r}]") for k, v in table.items()
            }
        return result

    def translation_table(self, name: str) -> dict[str, JSONScalar] | None:
        """Translations of one field keyed by normalised source text."""
        table = self.translations.get(name)
        if not table:
            return None
        return {normalize_key(display_value(k)): v for k, v in table.items()}

    @classmethod
    def guess(cls, header: Sequence[str], schema: Schema) -> ColumnMapping:
        """Mapping proposed from the header alone (to pre-fill a mapping form)."""
        resolved = resolve_columns(header, schema)
        return cls(columns={name: header[index] for name, index in resolved.indexes.items()})


@dataclass
class ResolvedColumns:
    """Result of matching a header to a schema."""

    indexes: dict[str, int]  # field name -> column index in the table
    constants: dict[str, JSONScalar]  # field name -> raw constant value
    errors: list[str]  # blocking, shown at the top of the report
    notices: list[str]  # informative
    unused: list[str]  # headers of columns that feed no field

    @property
    def ok(self) -> bool:
        return not self.errors


def _found(header: Sequence[str]) -> str:
    names = [h for h in header if h.strip()]
    return join_nl(names) if names else "(geen)"


def resolve_columns(
    header: Sequence[str], schema: Schema, mapping: ColumnMapping | None = None
) -> ResolvedColumns:
    mapping = mapping or ColumnMapping()
    positions: dict[str, list[int]] = {}
    for index, text in enumerate(header):
        key = normalize_header(text)
        if key:
            positions.setdefault(key, []).append(index)
    errors: list[str] = []
    notices: list[str] = []
    indexes: dict[str, int] = {}
    constants: dict[str, JSONScalar] = {}
    claimed: set[int] = set()
    known = set(schema.names)

    for name in sorted(set(mapping.columns) | set(mapping.constants) | set(mapping.translations)):
        if name not in known:
            notices.append(f"De opgeslagen koppeling noemt het onbekende veld '{name}'; dat wordt genegeerd.")

    def take(name: str, label: str, index_list: list[int]) -> None:
        if len(index_list) > 1:
            errors.append(
                f"Kolom '{header[index_list[0]]}' komt {len(index_list)} keer voor in de kopregel; "
                f"maak de kolomnamen uniek zodat duidelijk is welke kolom '{label}' bevat."
            )
            return
        indexes[name] = index_list[0]
        claimed.add(index_list[0])

    # 1. constants and explicitly mapped columns
    for f in schema.fields:
        if f.name in mapping.constants:
            constants[f.name] = mapping.constants[f.name]
            continue
        source = mapping.columns.get(f.name)
        if source is None:
            continue
        found = positions.get(normalize_header(source))
        if not found:
            errors.append(
                f"Kolom '{source}' (gekoppeld aan '{f.label}') staat niet in het bestand. "
                f"Gevonden kolommen: {_found(header)}."
            )
            continue
        take(f.name, f.label, found)

    # 2. the rest by name, label and synonyms
    for f in schema.fields:
        if f.name in indexes or f.name in constants or f.name in mapping.columns:
            continue
        for candidate in (f.name, f.label, *f.synonyms):
            found = positions.get(normalize_header(candidate))
            if found and not claimed.intersection(found):
                take(f.name, f.label, found)
                break

    # 3. missing required columns, once each
    for f in schema.fields:
        if not f.required or f.name in indexes or f.name in constants or f.name in mapping.columns:
            continue
        also = [s for s in (f.name, *f.synonyms) if normalize_header(s) != normalize_header(f.label)]
        hint = f" (ook herkend als: {', '.join(also)})" if also else ""
        errors.append(f"Verplichte kolom '{f.label}' ontbreekt{hint}. Gevonden kolommen: {_found(header)}.")

    unused = [h for i, h in enumerate(header) if h.strip() and i not in claimed]
    if unused:
        notices.append(f"Niet gebruikte kolommen (worden genegeerd): {join_nl(unused)}.")
    for i, h in enumerate(header):
        if not h.strip():
            notices.append(f"Kolom {i + 1} heeft geen naam in de kopregel en wordt genegeerd.")
    return ResolvedColumns(indexes, constants, errors, notices, unused)
