"""Messages of the pure modules and of core.tabular shown in the user's language (core/i18n.py)."""

from __future__ import annotations

import itertools

import pytest
from django.utils import translation

from toezicht.core.i18n import tabular_summary, translate_message
from toezicht.core.tabular import ImportMode, ImportReport


def _reports() -> list[ImportReport]:
    reports = [
        ImportReport(file_errors=["Kolom 'naam' ontbreekt."]),
        ImportReport(file_errors=["Kolom 'naam' ontbreekt.", "Kolom 'code' ontbreekt."]),
    ]
    for mode, total, invalid, duplicates, blank in itertools.product(
        ImportMode, (0, 1, 3, 1234), (0, 1, 2, 3), (0, 1), (0, 1, 2)
    ):
        if invalid > total:
            continue
        reports.append(
            ImportReport(
                mode=mode,
                total=total,
                valid=total - invalid,
                invalid=invalid,
                duplicates=min(duplicates, invalid),
                blank=blank,
            )
        )
    return reports


@pytest.mark.parametrize("report", _reports())
def test_summary_in_dutch_is_the_text_of_core_tabular(report: ImportReport) -> None:
    with translation.override("nl"):
        assert tabular_summary(report) == report.summary()


def test_summary_in_english() -> None:
    report = ImportReport(mode=ImportMode.SKIP_INVALID, total=1234, valid=1233, invalid=1, blank=2)
    with translation.override("en"):
        text = tabular_summary(report)
    assert text == (
        "1,233 of the 1,234 rows can be imported; 1 row with errors will be skipped. "
        "2 empty rows were skipped."
    )


def test_messages_are_translated_with_counts_grouped_the_local_way() -> None:
    template = "Stuur ten hoogste %(max)s metingen per verzoek; gebruik voor meer de import."
    with translation.override("en"):
        assert translate_message(template, {"max": 1000}) == (
            "Send at most 1,000 observations per request; for more, use the import."
        )
        assert translate_message("") == ""  # not the catalogue's header
    with translation.override("nl"):
        assert translate_message(template, {"max": 1000}).startswith("Stuur ten hoogste 1.000 metingen")
