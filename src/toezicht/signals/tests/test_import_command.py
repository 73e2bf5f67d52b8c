"""`toezicht import_signals`: the same checks and report as the page, and a useful exit status."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from toezicht.core.factories import OrganisationFactory, SupervisionAreaFactory
from toezicht.signals.importing import mapping_save
from toezicht.signals.models import ImportBatch, Signal

pytestmark = pytest.mark.django_db

GOOD = (
    "kenmerk_afzender;onderwerp;bron;ontvangen_op;ernst\n"
    "A-1;Brand;media;1-4-2024;hoog\n"
    "A-2;Val;media;2-4-2024;laag\n"
)
BAD = GOOD + "A-3;Kapot;media;31-02-2024;hoog\n"


@pytest.fixture(autouse=True)
def sender() -> object:
    area = SupervisionAreaFactory(code="jeugd", name="Jeugd")
    return OrganisationFactory(code="gi-noord", name="GI Noord", areas=[area])


def write(tmp_path: Path, text: str, name: str = "meldingen.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_imports_and_reports(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    call_command("import_signals", str(write(tmp_path, GOOD)), "--sender", "GI-NOORD")
    out = capsys.readouterr().out
    assert "Alle 2 rijen zijn goedgekeurd" in out
    assert "2 van de 2 rijen zijn toegevoegd als signaal." in out
    assert Signal.objects.filter(sender__code="gi-noord").count() == 2


def test_nothing_imported_is_a_non_zero_exit(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(CommandError, match=r"Er is niets geïmporteerd\."):
        call_command("import_signals", str(write(tmp_path, BAD)))
    out = capsys.readouterr().out
    assert "Rij 4, kolom 'ontvangen_op': '31-02-2024' is geen geldige datum" in out
    assert Signal.objects.count() == 0


def test_second_run_adds_nothing_and_fails(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, GOOD)
    call_command("import_signals", str(path))
    with pytest.raises(CommandError):
        call_command("import_signals", str(path))
    assert "Al aanwezig:\n  - Rij 2: Al aanwezig als S-2024-000001" in capsys.readouterr().out
    assert Signal.objects.count() == 2


def test_skip_invalid_imports_the_rest_and_keeps_the_bad_row(tmp_path: Path) -> None:
    call_command("import_signals", str(write(tmp_path, BAD)), "--skip-invalid")
    assert Signal.objects.count() == 2
    assert ImportBatch.objects.get().quarantine[0]["rij"] == 4


def test_dry_run(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    call_command("import_signals", str(write(tmp_path, GOOD)), "--dry-run")
    assert "er is niets opgeslagen. 2 zouden worden toegevoegd." in capsys.readouterr().out
    with pytest.raises(CommandError, match="kan zo niet worden geïmporteerd"):
        call_command("import_signals", str(write(tmp_path, BAD)), "--dry-run")
    assert Signal.objects.count() == 0


def test_saved_mapping_by_name(tmp_path: Path, sender: object) -> None:
    mapping_save(
        name="GI Noord",
        columns={"Titel": "onderwerp", "Soort": "bron", "Datum": "ontvangen_op", "Ernst": "ernst"},
        sender=sender,
    )
    call_command(
        "import_signals",
        str(write(tmp_path, "Titel;Soort;Datum;Ernst\nX;media;1-1-2025;laag\n")),
        "--mapping",
        "GI Noord",
    )
    assert Signal.objects.get().sender == sender


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--mapping", "Bestaat niet"], "Kolomindeling 'Bestaat niet' bestaat niet"),
        (["--sender", "onbekend"], "Er is geen organisatie met code 'onbekend'."),
    ],
)
def test_unknown_options_are_explained(tmp_path: Path, args: list[str], message: str) -> None:
    with pytest.raises(CommandError, match=message):
        call_command("import_signals", str(write(tmp_path, GOOD)), *args)


def test_missing_or_unreadable_file(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="bestaat niet"):
        call_command("import_signals", str(tmp_path / "weg.csv"))
    pdf = tmp_path / "rapport.csv"
    pdf.write_bytes(b"%PDF-1.4\n")
    with pytest.raises(CommandError, match=r"Er is niets geïmporteerd\."):
        call_command("import_signals", str(pdf))
