"""Factories and a small ready-made programme for the programme tests."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from toezicht.core.factories import OrganisationFactory, SupervisionAreaFactory, TeamFactory
from toezicht.programme import services
from toezicht.programme.models import MandatoryBasis, WorkProgramme


def small_programme(year: int = 2027, *, hours_per_quarter: int = 400) -> dict[str, Any]:
    """Team Migratie with ``hours_per_quarter`` hours in every quarter (no reserve) and five items."""
    area = SupervisionAreaFactory(code="migratie", name="Migratie")
    team: Any = TeamFactory(code="team-migratie", name="Team Migratie", area=area)
    for q in (1, 2, 3, 4):
        services.capacity_set(team=team, year=year, quarter=q, available_hours=hours_per_quarter, fte=2)
    programme = services.programme_create(year=year, title=f"Werkprogramma {year}")
    programme.reserve_share = Decimal("0")
    programme.save()
    org = OrganisationFactory(name="COA-locatie Ter Apel", areas=[area])
    items = {
        "ter_apel": services.item_create(
            programme=programme,
            title="Onderzoek opvang Ter Apel",
            team_hours={team: 300},
            value=90,
            mandatory_basis=MandatoryBasis.PARLIAMENT,
            allowed_quarters=[1, 2],
            organisations=[org],
            areas=[area],
        ),
        "bewaring": services.item_create(
            programme=programme, title="Vreemdelingenbewaring", team_hours={team: 300}, value=60, areas=[area]
        ),
        "terugkeer": services.item_create(
            programme=programme, title="Terugkeer en vertrek", team_hours={team: 300}, value=50, areas=[area]
        ),
        "amv": services.item_create(
            programme=programme, title="Opvang minderjarigen", team_hours={team: 300}, value=40, areas=[area]
        ),
        "grens": services.item_create(
            programme=programme, title="Grensbewaking", team_hours={team: 300}, value=10, areas=[area]
        ),
    }
    return {"programme": programme, "team": team, "area": area, "org": org, "items": items}


def reload(programme: WorkProgramme) -> WorkProgramme:
    return WorkProgramme.objects.get(pk=programme.pk)
