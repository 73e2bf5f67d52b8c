"""Roles and what each may do. One table, read by pages and API alike."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    INSPECTOR = "inspecteur", _("Inspecteur")
    TEAM_LEADER = "teamleider", _("Teamleider")
    ANALYST = "analist", _("Analist")
    INSPECTOR_GENERAL = "inspecteur-generaal", _("Inspecteur-generaal")
    ADMINISTRATOR = "beheerder", _("Beheerder")
    READER = "lezer", _("Lezer")


# Roles that see every supervision area; everyone else sees only the areas they belong to.
ALL_AREA_ROLES = frozenset({Role.INSPECTOR_GENERAL, Role.ADMINISTRATOR})

# Capability → roles that have it. Visibility (which objects) is decided separately, by area.
CAPABILITIES: dict[str, frozenset[Role]] = {
    "register.change": frozenset({Role.ADMINISTRATOR}),
    "strategy.change": frozenset({Role.ADMINISTRATOR}),
    "accounts.manage": frozenset({Role.ADMINISTRATOR}),
    "audit.view": frozenset({Role.ADMINISTRATOR, Role.INSPECTOR_GENERAL}),
    "signals.change": frozenset({Role.INSPECTOR, Role.TEAM_LEADER, Role.ANALYST, Role.ADMINISTRATOR}),
    "signals.configure": frozenset({Role.ADMINISTRATOR}),
    "indicators.change": frozenset({Role.ANALYST, Role.ADMINISTRATOR}),
    "risk.configure": frozenset({Role.ANALYST, Role.ADMINISTRATOR}),
    "risk.override": frozenset({Role.INSPECTOR, Role.TEAM_LEADER}),
    "programme.decide": frozenset({Role.TEAM_LEADER, Role.INSPECTOR_GENERAL}),
}
