"""Export of organisations to CSV and XLSX: the same columns the import reads."""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponse
from openpyxl import Workbook

from toezicht.register.models import Organisation

# (column header, how to read it from an organisation). The import accepts the same headers.
EXPORT_COLUMNS: list[tuple[str, Any]] = [
    ("code", lambda o: o.code),
    ("naam", lambda o: o.name),
    ("korte_naam", lambda o: o.short_name),
    ("type", lambda o: o.type.code),
    ("valt_onder", lambda o: o.parent.code if o.parent else ""),
    ("toezichtgebieden", lambda o: ";".join(a.code for a in o.areas.all())),
    ("gemeente", lambda o: o.municipality),
    ("website", lambda o: o.website),
    ("actief_vanaf", lambda o: o.active_from),
    ("actief_tot", lambda o: o.active_until),
    ("omschrijving", lambda o: o.description),
]


def export_rows(queryset: QuerySet[Organisation]) -> Iterator[list[Any]]:
    """Rows in chunks, so an export of the whole register does not hold every object in memory."""
    for organisation in (
        queryset.select_related("type", "parent").prefetch_related("areas").iterator(chunk_size=2000)
    ):
        yield [read(organisation) for _, read in EXPORT_COLUMNS]


def export_headers() -> list[str]:
    return [header for header, _ in EXPORT_COLUMNS]


def export_response(queryset: QuerySet[Organisation], file_format: str) -> HttpResponse:
    """An attachment with the organisations; CSV uses ';' and a BOM so Dutch Excel opens it as-is."""
    stamp = datetime.date.today().isoformat()
    if file_format == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";")
        writer.writerow(export_headers())
        for row in export_rows(queryset):
            writer.writerow([_csv_value(value) for value in row])
        response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="organisaties-{stamp}.csv"'
        return response
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Organisaties")
    sheet.append(export_headers())
    for row in export_rows(queryset):
        sheet.append(row)
    output = io.BytesIO()
    workbook.save(output)
    response = HttpResponse(
        output.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="organisaties-{stamp}.xlsx"'
    return response


def _csv_value(value: Any) -> str:
    if isinstance(value, datetime.date):
        return value.strftime("%d-%m-%Y")
    return "" if value is None else str(value)
