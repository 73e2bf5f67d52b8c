"""Showing messages of the pure modules (ADR 0007) in the user's language.

Those modules import no Django, so they cannot translate. They return Dutch text and, for a message a user
reads, the template it was made from and its parameters; the template is marked with a local function named
``gettext_noop`` so that makemessages puts it in the catalogue. The page, selector or API that shows the
message translates it here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.utils.formats import number_format
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext as _

from toezicht.core.tabular import ImportMode, ImportReport


def translate_message(template: str, params: Mapping[str, object] | None = None) -> str:
    """``template`` translated and filled in; integer parameters are counts, grouped the local way."""
    if not template:
        return ""  # gettext("") would answer the catalogue's header
    text = gettext(template)
    if params is None:
        return text
    values = {
        key: number_format(value, force_grouping=True)
        if isinstance(value, int) and not isinstance(value, bool)
        else value
        for key, value in params.items()
    }
    return text % values


def translate_note(note: str) -> str:
    """A pure module's remark in the user's language: a ``Note`` (a str that keeps its ``template`` and
    ``params``) is translated and filled in; other text is looked up as it is (unknown text stays Dutch)."""
    template = getattr(note, "template", None)
    if isinstance(template, str):
        return translate_message(template, getattr(note, "params", {}))
    return gettext(note) if note else ""


def translate_parts(parts: Iterable[tuple[str, Mapping[str, object]]]) -> str:
    """Several messages shown as one sentence after another."""
    return " ".join(translate_message(template, params) for template, params in parts)


def _n(value: int) -> str:
    return number_format(value, force_grouping=True)


def tabular_summary(report: ImportReport) -> str:
    """``ImportReport.summary()`` of core.tabular in the user's language (in Dutch the very same text).

    Messages inside the report (file and row errors) come from core.tabular and stay Dutch."""
    if report.file_errors:
        if len(report.file_errors) == 1:
            return _("Het bestand kan niet worden geïmporteerd. %(problem)s") % {
                "problem": report.file_errors[0]
            }
        return _("Het bestand kan niet worden geïmporteerd: er zijn %(count)s problemen met de kolommen.") % {
            "count": _n(len(report.file_errors))
        }
    blank = ""
    if report.blank:
        blank = " " + ngettext(
            "%(count)s lege rij is overgeslagen.", "%(count)s lege rijen zijn overgeslagen.", report.blank
        ) % {"count": _n(report.blank)}
    if report.total == 0:
        return _("Het bestand bevat geen gegevensrijen.") + blank
    total = _n(report.total)
    duplicates = ""
    if report.duplicates:
        duplicates = " " + _("(waarvan %(count)s dubbel)") % {"count": _n(report.duplicates)}
    if report.invalid == 0:
        if report.total == 1:
            return _("De rij is goedgekeurd en kan worden geïmporteerd.") + blank
        return (
            _("Alle %(total)s rijen zijn goedgekeurd en kunnen worden geïmporteerd.") % {"total": total}
            + blank
        )
    if report.mode is ImportMode.ALL_OR_NOTHING:
        bad = ngettext(
            "Er wordt niets geïmporteerd: %(invalid)s van de %(total)s rijen bevat fouten",
            "Er wordt niets geïmporteerd: %(invalid)s van de %(total)s rijen bevatten fouten",
            report.invalid,
        ) % {"invalid": _n(report.invalid), "total": total}
        fix = _("Herstel de fouten en lever het bestand opnieuw aan.")
        return f"{bad}{duplicates}. {fix}{blank}"
    if report.valid == 0:
        none = _("Geen enkele rij kan worden geïmporteerd: alle %(total)s rijen bevatten fouten") % {
            "total": total
        }
        return f"{none}{duplicates}.{blank}"
    good = ngettext(
        "%(valid)s van de %(total)s rijen kan worden geïmporteerd",
        "%(valid)s van de %(total)s rijen kunnen worden geïmporteerd",
        report.valid,
    ) % {"valid": _n(report.valid), "total": total}
    skipped = ngettext(
        "%(invalid)s rij met fouten wordt overgeslagen",
        "%(invalid)s rijen met fouten worden overgeslagen",
        report.invalid,
    ) % {"invalid": _n(report.invalid)}
    return f"{good}; {skipped}{duplicates}.{blank}"
