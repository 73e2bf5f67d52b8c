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

from toezicht.core.tabular import ImportReport
from toezicht.core.tabular.report import Phrase


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
    return translate_phrases(report.summary_phrases())


def translate_phrases(phrases: Iterable[Phrase]) -> str:
    """A message a pure module built from ``Phrase``s, in the user's language."""
    parts = []
    for phrase in phrases:
        if not phrase.translate:
            parts.append(phrase.before + phrase.singular)
            continue
        text = (
            ngettext(phrase.singular, phrase.plural, phrase.count)
            if phrase.plural
            else gettext(phrase.singular)
        )
        if phrase.params:
            text = text % {
                key: _n(value) if isinstance(value, int) and not isinstance(value, bool) else value
                for key, value in phrase.params.items()
            }
        parts.append(phrase.before + text)
    return "".join(parts)
