"""Exceptions of the tabular package. Messages are Dutch, for the person who uploaded the file."""

from __future__ import annotations


class TabularError(Exception):
    """Base class; `message` is the Dutch text to show."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class TableReadError(TabularError):
    """The file cannot be read as a table at all (garbage, empty, no header, unknown sheet...)."""


class ParseError(TabularError, ValueError):
    """A single value could not be parsed by a field parser."""


class UnknownReferenceError(ParseError):
    """A reference value is not in the caller's lookup. `key` is the normalised value that was looked up."""

    def __init__(self, message: str, key: str, text: str) -> None:
        super().__init__(message)
        self.key = key
        self.text = text
