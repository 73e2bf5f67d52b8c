"""Reading settings from environment variables.

Every setting that can be changed at deploy time is read through :func:`env`, which records the
variable, its default and its description. docs/configuration.md is checked against this registry by a
test, so the documentation cannot drift from the code.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class EnvVar:
    name: str
    default: str
    description: str


REGISTRY: dict[str, EnvVar] = {}


def _as_bool(raw: str) -> bool:
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on", "ja"}:
        return True
    if value in {"0", "false", "no", "off", "nee", ""}:
        return False
    raise ValueError(f"'{raw}' is not a boolean")


def _as_list(raw: str) -> list[str]:
    return [part.strip() for part in raw.split(",") if part.strip()]


CASTS: dict[type, Callable[[str], Any]] = {bool: _as_bool, int: int, float: float, str: str, list: _as_list}


def env(name: str, default: Any, description: str, cast: type = str) -> Any:
    """Return the environment variable ``name`` cast to ``cast``, or ``default``."""
    shown_default = ",".join(default) if isinstance(default, list) else str(default)
    REGISTRY[name] = EnvVar(name=name, default=shown_default, description=description)
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        return CASTS[cast](raw)
    except ValueError as exc:  # fail at start-up, with the variable named
        raise RuntimeError(f"Environment variable {name}={raw!r} is invalid: {exc}") from exc
