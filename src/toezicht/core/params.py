"""Numbers typed by a user or sent by a client, read without ever raising."""

from __future__ import annotations

from typing import Any


def whole_number(value: Any, *, max_digits: int = 9) -> int | None:
    """The value as a whole number when it is written in ASCII digits only ("12"), else None.

    ``str.isdigit`` also accepts characters that ``int`` refuses ("²") or reads as another script's digits,
    and a number of more than nine digits does not fit a database key: both are None here, so a bad id in a
    query string or form is an unknown id, never a crash."""
    text = str(value if value is not None else "").strip()
    if not text or len(text) > max_digits or not (text.isascii() and text.isdigit()):
        return None
    return int(text)
