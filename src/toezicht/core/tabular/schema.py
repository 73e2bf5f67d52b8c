"""What an import expects: fields with a Dutch label, a parser and rules."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .parsers import Parser, Reference


@dataclass(frozen=True)
class Field:
    """One target field of an import.

    name: identifier used in results (model field name); label: Dutch column name shown to users;
    required: column must be present and each row must have a value; unique: value may occur only
    once in the file; default: value for empty cells of optional fields; synonyms: other column
    headers that mean this field (matching ignores case, accents, spaces and punctuation).
    """

    name: str
    label: str
    parser: Parser[Any]
    required: bool = False
    unique: bool = False
    default: Any = None
    synonyms: tuple[str, ...] = ()


@dataclass(frozen=True, init=False)
class Schema:
    """Fields of an import plus composite keys that must be unique within the file
    (e.g. unique_together=[("indicator", "organisation", "period")])."""

    fields: tuple[Field, ...]
    unique_together: tuple[tuple[str, ...], ...]

    def __init__(self, fields: Sequence[Field], unique_together: Sequence[Sequence[str]] = ()) -> None:
        object.__setattr__(self, "fields", tuple(fields))
        object.__setattr__(self, "unique_together", tuple(tuple(k) for k in unique_together))
        names = [f.name for f in self.fields]
        if len(set(names)) != len(names):
            raise ValueError("duplicate field names in schema")
        for key in self.unique_together:
            for name in key:
                if name not in names:
                    raise ValueError(f"unique_together refers to unknown field {name!r}")
        for f in self.fields:
            target = f.parser.in_file_field if isinstance(f.parser, Reference) else None
            if target is not None and target not in names:
                raise ValueError(f"in_file_field of {f.name!r} refers to unknown field")

    @property
    def names(self) -> list[str]:
        return [f.name for f in self.fields]

    def get(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(name)

    @property
    def keys(self) -> list[tuple[str, ...]]:
        """All uniqueness constraints: single unique fields first, then unique_together."""
        return [(f.name,) for f in self.fields if f.unique] + list(self.unique_together)
