"""Navigation shown on every page; items a user may not use are left out."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_noop as _noop

NAVIGATION: list[tuple[str, str, str]] = [
    # (label, url name, capability or "" for everyone signed in)
    (_noop("Overzicht"), "web:dashboard", ""),
    (_noop("Organisaties"), "register:organisation_list", ""),
    (_noop("Ketens"), "register:chain_list", ""),
    (_noop("Signalen"), "signals:inbox", ""),
    (_noop("Indicatoren"), "indicators:overview", ""),
    (_noop("Risicobeeld"), "risk:overview", ""),
    (_noop("Werkprogramma"), "programme:overview", ""),
    (_noop("Strategie"), "strategy:overview", ""),
    (_noop("Wijzigingslog"), "web:audit_log", "audit.view"),
    (_noop("API"), "api-docs", ""),
]


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    items = []
    if user is not None and user.is_authenticated:
        for label, url_name, capability in NAVIGATION:
            if capability and not user.can(capability):
                continue
            try:
                url = reverse(url_name)
            except NoReverseMatch:  # a capability whose pages are not installed
                continue
            current = request.path == url or (url != "/" and request.path.startswith(url))
            items.append({"label": label, "url": url, "current": current})
    return {"navigation": items, "inspectorate_name": settings.INSPECTORATE_NAME}
