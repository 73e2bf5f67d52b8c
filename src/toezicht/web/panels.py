"""Panels on detail pages, contributed by apps.

An app registers a panel for a page ("organisation", "chain") with a template and a function that
builds its context. The detail view renders every registered panel in order, so later capabilities
(signals, risk, investigations) add to the organisation page without editing it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.utils.functional import Promise


@dataclass(frozen=True)
class Panel:
    page: str
    key: str
    title: str | Promise  # a lazy translation: registered at start-up, shown in the user's language
    template: str
    context: Callable[[HttpRequest, Any], dict[str, Any]]
    order: int = 100


_PANELS: dict[str, dict[str, Panel]] = {}


def register_panel(panel: Panel) -> None:
    _PANELS.setdefault(panel.page, {})[panel.key] = panel


def panels_for(page: str, request: HttpRequest, obj: Any) -> list[dict[str, Any]]:
    rendered = []
    for panel in sorted(_PANELS.get(page, {}).values(), key=lambda p: p.order):
        rendered.append(
            {
                "key": panel.key,
                "title": panel.title,
                "template": panel.template,
                **panel.context(request, obj),
            }
        )
    return rendered
