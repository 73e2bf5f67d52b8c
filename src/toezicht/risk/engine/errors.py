"""Exceptions of the risk engine. Messages are in Dutch because they are shown to users."""

from __future__ import annotations

from collections.abc import Iterable


class _MessagesError(ValueError):
    def __init__(self, messages: Iterable[str]) -> None:
        self.messages: list[str] = list(messages)
        super().__init__("\n".join(self.messages))


class RiskModelError(_MessagesError):
    """The risk model configuration is invalid; ``messages`` lists every problem found."""


class RiskInputError(_MessagesError):
    """The input data (or an incremental update, or an override) does not fit the engine."""
