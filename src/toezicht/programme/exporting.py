"""XLSX export of a work programme (openpyxl): items with planned quarters, capacity, adjustments."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font

from toezicht.programme import selectors
from toezicht.programme.models import WorkProgramme


def programme_xlsx(user: Any, programme: WorkProgramme) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Onderdelen"
    head = [
        "Titel",
        "Soort",
        "Status",
        "Geplande kwartalen",
        "Verplicht op grond van",
        "Waarde",
        "Uren per team",
        "Toezichtgebieden",
        "Organisaties",
        "Onderbouwing",
    ]
    ws.append(head)
    for it in selectors.item_list(user, programme).iterator(chunk_size=500):
        ws.append(
            [
                it.title,
                it.get_kind_display(),
                it.get_status_display(),
                ", ".join(f"Q{q}" for q in it.planned_quarters),
                it.get_mandatory_basis_display() if it.mandatory_basis else "",
                round(it.value, 1),
                "; ".join(f"{h.team.name}: {h.hours}" for h in it.team_hours.all()),
                ", ".join(a.name for a in it.areas.all()),
                ", ".join(o.name for o in it.organisations.all()),
                it.rationale,
            ]
        )
    cap = wb.create_sheet("Capaciteit")
    cap.append(["Team", "Kwartaal", "Beschikbaar", "Planbaar (na reserve)", "Gepland"])
    for row in selectors.board(user, programme).rows:
        for cell in row.cells:
            cap.append(
                [row.team.name, f"Q{cell['quarter']}", cell["available"], cell["plannable"], cell["planned"]]
            )
    adj = wb.create_sheet("Bijstellingen")
    adj.append(["Datum", "Aanleiding", "Toelichting", "Samenvatting"])
    for a in selectors.adjustment_list(programme):
        adj.append([a.date, a.get_reason_display(), a.note, a.summary])
    for sheet in wb.worksheets:
        for c in sheet[1]:
            c.font = Font(bold=True)
        sheet.freeze_panes = "A2"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
