"""Navigation shown on every page; items a user may not use are left out."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_noop

# Labels are translated when rendered (base.html); gettext_noop under its own name so makemessages finds them.
NAVIGATION: list[tuple[str, str, str]] = [
    # (label, url name, capability or "" for everyone signed in)
    (gettext_noop("Overzicht"), "web:dashboard", ""),
    (gettext_noop("Organisaties"), "register:organisation_list", ""),
    (gettext_noop("Ketens"), "register:chain_list", ""),
    (gettext_noop("Signalen"), "signals:inbox", ""),
    (gettext_noop("Indicatoren"), "indicators:overview", ""),
    (gettext_noop("Risicobeeld"), "risk:overview", ""),
    (gettext_noop("Werkprogramma"), "programme:overview", ""),
    (gettext_noop("Strategie"), "strategy:overview", ""),
    (gettext_noop("Wijzigingslog"), "web:audit_log", "audit.view"),
    (gettext_noop("API"), "api-docs", ""),
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
