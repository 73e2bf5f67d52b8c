"""Import of organisations from CSV or XLSX: read and validate with core.tabular, write here.

Rules: every row is checked and reported in Dutch; nothing is written unless every row is valid, or
the user explicitly asks to skip invalid rows. Existing codes are updated, new codes created, parents
may be organisations in the same file. The write is one transaction: all of it or none of it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from toezicht.core.i18n import tabular_summary
from toezicht.core.tabular import (
    Date,
    Field,
    ImportMode,
    ImportReport,
    ParseError,
    Reference,
    RowError,
    Schema,
    Text,
    validate_file,
)
from toezicht.core.tabular.parsers import Parser
from toezicht.register.models import Organisation, OrganisationType, SupervisionArea
from toezicht.register.services import organisation_save


class CodeList(Parser[tuple[Any, ...]]):
    """Several references in one cell, separated by ';' or ',' (e.g. toezichtgebieden)."""

    def __init__(self, reference: Reference) -> None:
        self.reference = reference

    def parse(self, value: object) -> tuple[Any, ...]:
        parts = [part.strip() for part in re.split(r"[;,]", str(value)) if part.strip()]
        try:
            return tuple(self.reference.parse(part) for part in parts)
        except ParseError as exc:
            raise ParseError(exc.message) from exc


class _Rollback(Exception):
    """Raised inside the write transaction to undo it when a row fails a database-level rule."""

    def __init__(self, error: RowError) -> None:
        self.error = error


def organisation_schema() -> Schema:
    types: dict[str, int] = {}
    for pk, code, name in OrganisationType.objects.values_list("pk", "code", "name"):
        types[code] = pk
        types[name] = pk
    areas: dict[str, int] = {}
    for pk, code, name in SupervisionArea.objects.values_list("pk", "code", "name"):
        areas[code] = pk
        areas[name] = pk
    existing_codes = list(Organisation.objects.values_list("code", flat=True))
    return Schema(
        [
            Field(
                "code",
                "code",
                Text(60, pattern=r"[A-Za-z0-9_-]+", pattern_hint="alleen letters, cijfers, - en _"),
                required=True,
                unique=True,
            ),
            Field("name", "naam", Text(200), required=True, synonyms=("organisatienaam", "name")),
            Field("short_name", "korte_naam", Text(80), synonyms=("korte naam", "afkorting")),
            Field(
                "type",
                "type",
                Reference(types, noun="organisatietype", unknown="onbekend organisatietype"),
                required=True,
            ),
            Field(
                "parent",
                "valt_onder",
                Reference(existing_codes, noun="organisatie", in_file_field="code"),
                synonyms=("valt onder", "moederorganisatie", "parent"),
            ),
            Field(
                "areas",
                "toezichtgebieden",
                CodeList(Reference(areas, noun="toezichtgebied", unknown="onbekend toezichtgebied")),
            ),
            Field("municipality", "gemeente", Text(80), synonyms=("plaats",)),
            Field("website", "website", Text(200)),
            Field("active_from", "actief_vanaf", Date(), synonyms=("actief vanaf", "begindatum")),
            Field("active_until", "actief_tot", Date(), synonyms=("actief tot", "einddatum")),
            Field("description", "omschrijving", Text(5000)),
        ]
    )


@dataclass
class OrganisationImportOutcome:
    report: ImportReport
    created: int = 0
    updated: int = 0
    dry_run: bool = False
    extra_errors: list[RowError] = field(default_factory=list)

    @property
    def imported(self) -> int:
        return self.created + self.updated

    @property
    def errors(self) -> list[RowError]:
        return [*self.report.errors, *self.extra_errors]

    @property
    def notices(self) -> list[str]:
        return [*self.report.file_errors, *self.report.notices]

    @property
    def summary(self) -> str:
        """In the user's language (built when shown); the row messages of core.tabular stay Dutch."""
        if self.extra_errors:
            return _("Er is niets geïmporteerd: een rij botst met het register (zie de melding hieronder).")
        text = tabular_summary(self.report)
        if self.dry_run:
            checked = _("Dit was een controle: er is niets opgeslagen.")
            return f"{text} {checked}"
        if self.imported:
            saved = _("Opgeslagen: %(created)s nieuw, %(updated)s bijgewerkt.") % {
                "created": self.created,
                "updated": self.updated,
            }
            return f"{text} {saved}"
        return text


def organisations_import(
    *, content: bytes, filename: str, skip_invalid: bool = False, dry_run: bool = False
) -> OrganisationImportOutcome:
    mode = ImportMode.SKIP_INVALID if skip_invalid else ImportMode.ALL_OR_NOTHING
    result = validate_file(content, organisation_schema(), filename, mode=mode)
    outcome = OrganisationImportOutcome(report=result.report, dry_run=dry_run)
    if dry_run or not result.report.can_import:
        return outcome
    rows = list(result.rows())
    try:
        with transaction.atomic():
            outcome.created, outcome.updated = _write(rows)
    except _Rollback as failure:
        outcome.created = outcome.updated = 0
        outcome.extra_errors.append(failure.error)
    return outcome


def _write(rows: list[Any]) -> tuple[int, int]:
    existing = {o.code: o for o in Organisation.objects.filter(code__in=[r.values["code"] for r in rows])}
    types = {t.pk: t for t in OrganisationType.objects.all()}
    areas = {a.pk: a for a in SupervisionArea.objects.all()}
    created = updated = 0
    saved: dict[str, Organisation] = {}
    # First pass without parents, so a parent later in the file exists when it is linked.
    for row in rows:
        values = row.values
        data = {
            "code": values["code"],
            "name": values["name"],
            "short_name": values.get("short_name") or "",
            "type": types[values["type"]],
            "municipality": values.get("municipality") or "",
            "website": values.get("website") or "",
            "active_from": values.get("active_from"),
            "active_until": values.get("active_until"),
            "description": values.get("description") or "",
        }
        current = existing.get(values["code"])
        try:
            organisation = organisation_save(
                organisation=current,
                data=data,
                areas=[areas[pk] for pk in values.get("areas") or ()],
            )
        except ValidationError as exc:
            raise _Rollback(RowError(row.row, "", values["code"], _first_message(exc))) from exc
        saved[organisation.code] = organisation
        if current is None:
            created += 1
        else:
            updated += 1
    parents = {
        o.code: o
        for o in Organisation.objects.filter(
            code__in=[r.values["parent"] for r in rows if r.values.get("parent")]
        )
    }
    for row in rows:
        parent_code = row.values.get("parent")
        if not parent_code:
            continue
        organisation = saved[row.values["code"]]
        try:
            organisation_save(organisation=organisation, data={"parent": parents[parent_code]})
        except ValidationError as exc:
            raise _Rollback(RowError(row.row, "valt_onder", parent_code, _first_message(exc))) from exc
    return created, updated


def _first_message(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        for messages in error.message_dict.values():
            return messages[0]
    return error.messages[0]
