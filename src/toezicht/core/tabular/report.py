"""The outcome of validating a file: counts, errors per row, notices and a Dutch summary."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from ._text import format_int_nl, plural


class ImportMode(StrEnum):
    """ALL_OR_NOTHING: one bad row blocks the whole file. SKIP_INVALID: good rows go through."""

    ALL_OR_NOTHING = "all_or_nothing"
    SKIP_INVALID = "skip_invalid"


@dataclass(frozen=True, slots=True)
class RowError:
    """A problem in one row. `row` is the row number as shown in Excel (header = row 1);
    `column` the column header as written in the file ('' for the whole row); `value` the raw
    value as written; `message` the Dutch explanation; `field` the schema field name."""

    row: int
    column: str
    value: str
    message: str
    field: str = ""

    def __str__(self) -> str:
        if self.column:
            return f"Rij {self.row}, kolom '{self.column}': {self.message}"
        return f"Rij {self.row}: {self.message}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "message": self.message,
            "field": self.field,
        }


@dataclass
class ImportReport:
    """Counts: `total` data rows (blank rows excluded; those are in `blank`), `valid` and
    `invalid` rows, `duplicates` (invalid rows repeating an earlier key). `importable` rows will
    be imported under the mode; `skipped` = total - importable. `file_errors` block the whole
    file (e.g. a missing required column); `errors` are per row (at most max_errors kept,
    `errors_omitted` counts the rest); `notices` are informative."""

    filename: str = ""
    mode: ImportMode = ImportMode.ALL_OR_NOTHING
    source: str = ""
    total: int = 0
    valid: int = 0
    invalid: int = 0
    duplicates: int = 0
    blank: int = 0
    file_errors: list[str] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    errors_omitted: int = 0
    notices: list[str] = field(default_factory=list)

    # ------------------------------------------------------------------ derived
    @property
    def ok(self) -> bool:
        """True when the file has no problems at all."""
        return not self.file_errors and self.invalid == 0

    @property
    def importable(self) -> int:
        if self.file_errors:
            return 0
        if self.mode is ImportMode.SKIP_INVALID or self.invalid == 0:
            return self.valid
        return 0

    @property
    def skipped(self) -> int:
        return self.total - self.importable

    @property
    def can_import(self) -> bool:
        return self.importable > 0

    @property
    def error_count(self) -> int:
        return len(self.errors) + self.errors_omitted

    def errors_by_row(self) -> dict[int, list[RowError]]:
        grouped: dict[int, list[RowError]] = {}
        for error in self.errors:
            grouped.setdefault(error.row, []).append(error)
        return grouped

    # ------------------------------------------------------------------ texts
    def summary(self) -> str:
        """One or two Dutch sentences on the outcome."""
        if self.file_errors:
            if len(self.file_errors) == 1:
                return f"Het bestand kan niet worden geïmporteerd. {self.file_errors[0]}"
            return (
                "Het bestand kan niet worden geïmporteerd: er zijn "
                f"{format_int_nl(len(self.file_errors))} problemen met de kolommen."
            )
        blank = f" {plural(self.blank, 'lege rij is', 'lege rijen zijn')} overgeslagen." if self.blank else ""
        if self.total == 0:
            return "Het bestand bevat geen gegevensrijen." + blank
        dup = f" (waarvan {format_int_nl(self.duplicates)} dubbel)" if self.duplicates else ""
        total = format_int_nl(self.total)
        if self.invalid == 0:
            if self.total == 1:
                return "De rij is goedgekeurd en kan worden geïmporteerd." + blank
            return f"Alle {total} rijen zijn goedgekeurd en kunnen worden geïmporteerd." + blank
        bad = "bevat fouten" if self.invalid == 1 else "bevatten fouten"
        if self.mode is ImportMode.ALL_OR_NOTHING:
            return (
                f"Er wordt niets geïmporteerd: {format_int_nl(self.invalid)} van de {total} rijen "
                f"{bad}{dup}. Herstel de fouten en lever het bestand opnieuw aan." + blank
            )
        if self.valid == 0:
            return (
                f"Geen enkele rij kan worden geïmporteerd: alle {total} rijen bevatten fouten{dup}." + blank
            )
        can = "kan" if self.valid == 1 else "kunnen"
        rows = "rij met fouten wordt" if self.invalid == 1 else "rijen met fouten worden"
        return (
            f"{format_int_nl(self.valid)} van de {total} rijen {can} worden geïmporteerd; "
            f"{format_int_nl(self.invalid)} {rows} overgeslagen{dup}." + blank
        )

    def counts_line(self) -> str:
        parts = [
            f"{format_int_nl(self.total)} totaal",
            f"{format_int_nl(self.valid)} goed",
            f"{format_int_nl(self.invalid)} fout",
        ]
        if self.duplicates:
            parts[-1] += f" (waarvan {format_int_nl(self.duplicates)} dubbel)"
        parts.append(f"{format_int_nl(self.importable)} te importeren")
        if self.blank:
            parts.append(f"{format_int_nl(self.blank)} leeg")
        return "Rijen: " + ", ".join(parts)

    def as_text(self, limit: int = 100) -> str:
        """Plain-text report for the command line."""
        lines: list[str] = []
        if self.filename or self.source:
            detail = f" ({self.source})" if self.source else ""
            lines.append(f"Bestand: {self.filename or '-'}{detail}")
        lines.append(self.summary())
        if not self.file_errors:
            lines.append(self.counts_line())
        if self.file_errors:
            lines.append("Problemen met het bestand:")
            lines.extend(f"  - {e}" for e in self.file_errors)
        if self.errors:
            lines.append("Fouten:")
            lines.extend(f"  - {e}" for e in self.errors[:limit])
            hidden = len(self.errors) - min(limit, len(self.errors)) + self.errors_omitted
            if hidden:
                lines.append(f"  … en nog {plural(hidden, 'fout', 'fouten')}")
        if self.notices:
            lines.append("Meldingen:")
            lines.extend(f"  - {n}" for n in self.notices)
        return "\n".join(lines)

    def as_list(self, limit: int | None = None) -> list[dict[str, Any]]:
        """Messages for a template, file errors first: dicts with level ('fout' or 'melding'),
        row (None for file-level), column, value, message and text (full sentence)."""
        items: list[dict[str, Any]] = [
            {"level": "fout", "row": None, "column": "", "value": "", "message": m, "text": m}
            for m in self.file_errors
        ]
        errors = self.errors if limit is None else self.errors[:limit]
        items.extend({"level": "fout", **e.to_dict(), "text": str(e)} for e in errors)
        items.extend(
            {"level": "melding", "row": None, "column": "", "value": "", "message": n, "text": n}
            for n in self.notices
        )
        return items

    def to_dict(self) -> dict[str, Any]:
        """JSON-serialisable form (e.g. to keep with an import run)."""
        return {
            "filename": self.filename,
            "mode": str(self.mode),
            "source": self.source,
            "total": self.total,
            "valid": self.valid,
            "invalid": self.invalid,
            "duplicates": self.duplicates,
            "blank": self.blank,
            "importable": self.importable,
            "skipped": self.skipped,
            "summary": self.summary(),
            "file_errors": list(self.file_errors),
            "errors": [e.to_dict() for e in self.errors],
            "errors_omitted": self.errors_omitted,
            "notices": list(self.notices),
        }
