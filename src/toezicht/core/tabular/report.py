"""The outcome of validating a file: counts, errors per row, notices and a Dutch summary."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from ._text import format_int_nl, plural


def gettext_noop(message: str) -> str:
    """Marks a message for makemessages (this module imports no Django, ADR 0008)."""
    return message


def ngettext(singular: str, plural: str, count: int) -> tuple[str, str, int]:
    """Marks a message with a plural form for makemessages; translated where it is shown."""
    return singular, plural, count


@dataclass(frozen=True)
class Phrase:
    """A piece of a Dutch message with what translating it needs: the template (and its plural, chosen
    by `count`), the parameters (ints are counts, grouped as 1.234), and the text before it (spacing
    and punctuation, the same in every language). A phrase with `translate=False` is literal text."""

    singular: str
    plural: str = ""
    count: int = 0
    params: Mapping[str, object] = field(default_factory=dict)
    before: str = ""
    translate: bool = True

    @property
    def template(self) -> str:
        return self.plural if self.plural and self.count != 1 else self.singular

    def dutch(self) -> str:
        if not self.params:
            return self.template
        values = {
            key: format_int_nl(value) if isinstance(value, int) and not isinstance(value, bool) else value
            for key, value in self.params.items()
        }
        return self.template % values


FULL_STOP = Phrase(".", translate=False)


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
        return "".join(phrase.before + phrase.dutch() for phrase in self.summary_phrases())

    def summary_phrases(self) -> list[Phrase]:
        """The summary as phrases, so that a page can show it in the user's language
        (``toezicht.core.i18n.tabular_summary``); ``summary()`` is their Dutch text."""
        if self.file_errors:
            if len(self.file_errors) == 1:
                return [
                    Phrase(
                        gettext_noop("Het bestand kan niet worden geïmporteerd. %(problem)s"),
                        params={"problem": self.file_errors[0]},
                    )
                ]
            return [
                Phrase(
                    gettext_noop(
                        "Het bestand kan niet worden geïmporteerd: "
                        "er zijn %(count)s problemen met de kolommen."
                    ),
                    params={"count": len(self.file_errors)},
                )
            ]
        blank: list[Phrase] = []
        if self.blank:
            blank = [
                Phrase(
                    *ngettext(
                        "%(count)s lege rij is overgeslagen.",
                        "%(count)s lege rijen zijn overgeslagen.",
                        self.blank,
                    ),
                    params={"count": self.blank},
                    before=" ",
                )
            ]
        if self.total == 0:
            return [Phrase(gettext_noop("Het bestand bevat geen gegevensrijen.")), *blank]
        dup: list[Phrase] = []
        if self.duplicates:
            dup = [
                Phrase(
                    gettext_noop("(waarvan %(count)s dubbel)"), params={"count": self.duplicates}, before=" "
                )
            ]
        counts = {"total": self.total, "valid": self.valid, "invalid": self.invalid}
        if self.invalid == 0:
            if self.total == 1:
                return [Phrase(gettext_noop("De rij is goedgekeurd en kan worden geïmporteerd.")), *blank]
            return [
                Phrase(
                    gettext_noop("Alle %(total)s rijen zijn goedgekeurd en kunnen worden geïmporteerd."),
                    params=counts,
                ),
                *blank,
            ]
        if self.mode is ImportMode.ALL_OR_NOTHING:
            nothing = ngettext(
                "Er wordt niets geïmporteerd: %(invalid)s van de %(total)s rijen bevat fouten",
                "Er wordt niets geïmporteerd: %(invalid)s van de %(total)s rijen bevatten fouten",
                self.invalid,
            )
            fix = gettext_noop("Herstel de fouten en lever het bestand opnieuw aan.")
            return [Phrase(*nothing, params=counts), *dup, Phrase(fix, before=". "), *blank]
        if self.valid == 0:
            none = gettext_noop(
                "Geen enkele rij kan worden geïmporteerd: alle %(total)s rijen bevatten fouten"
            )
            return [Phrase(none, params=counts), *dup, FULL_STOP, *blank]
        good = ngettext(
            "%(valid)s van de %(total)s rijen kan worden geïmporteerd",
            "%(valid)s van de %(total)s rijen kunnen worden geïmporteerd",
            self.valid,
        )
        skipped = ngettext(
            "%(invalid)s rij met fouten wordt overgeslagen",
            "%(invalid)s rijen met fouten worden overgeslagen",
            self.invalid,
        )
        return [
            Phrase(*good, params=counts),
            Phrase(*skipped, params=counts, before="; "),
            *dup,
            FULL_STOP,
            *blank,
        ]

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
