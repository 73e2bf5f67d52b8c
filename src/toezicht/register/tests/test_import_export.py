"""Import and export of organisations, as an administrator uses them."""

from __future__ import annotations

import datetime
import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from toezicht.accounts.roles import Role
from toezicht.core.factories import (
    OrganisationFactory,
    OrganisationTypeFactory,
    SupervisionAreaFactory,
    UserFactory,
)
from toezicht.register.importing import organisations_import
from toezicht.register.models import Organisation

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def reference_data() -> None:
    SupervisionAreaFactory(code="sanctietoepassing", name="Sanctietoepassing")
    SupervisionAreaFactory(code="jeugd", name="Jeugd")
    OrganisationTypeFactory(code="pi", name="Penitentiaire inrichting")
    OrganisationTypeFactory(code="agentschap", name="Agentschap")
    OrganisationFactory(code="dji", name="Dienst Justitiële Inrichtingen")


def run(text: str, *, encoding: str = "utf-8", **options: bool):
    return organisations_import(content=text.encode(encoding), filename="organisaties.csv", **options)


GOOD = (
    "code;naam;type;valt_onder;toezichtgebieden;gemeente;actief_vanaf\n"
    "pi-vught;PI Vught;pi;dji;sanctietoepassing;Vught;01-01-2012\n"
    "pi-zwolle;PI Zwolle;Penitentiaire inrichting;DJI;sanctietoepassing;Zwolle;\n"
)


def test_valid_file_is_imported_with_parents_areas_and_dutch_dates() -> None:
    outcome = run(GOOD)
    assert outcome.created == 2
    vught = Organisation.objects.get(code="pi-vught")
    assert vught.parent is not None
    assert vught.parent.code == "dji"
    assert [a.code for a in vught.areas.all()] == ["sanctietoepassing"]
    assert vught.active_from == datetime.date(2012, 1, 1)
    assert Organisation.objects.get(code="pi-zwolle").type.code == "pi"


def test_reimporting_updates_instead_of_duplicating() -> None:
    run(GOOD)
    outcome = run(GOOD.replace("PI Vught;", "PI Vught (Nieuw Vosseveld);"))
    assert outcome.created == 0
    assert outcome.updated == 2
    assert Organisation.objects.filter(code="pi-vught").get().name == "PI Vught (Nieuw Vosseveld)"


def test_one_bad_row_blocks_everything_and_is_reported_per_row() -> None:
    text = GOOD + "pi-x;PI X;pi;dji-onbekend;sanctietoepassing;;31-02-2024\npi-vught;Dubbel;pi;;;;\n"
    outcome = run(text)
    assert outcome.imported == 0
    assert not Organisation.objects.filter(code__startswith="pi-").exists()
    messages = {(e.row, e.column): e.message for e in outcome.errors}
    assert "Onbekende organisatie" in messages[(4, "valt_onder")]
    assert "Bedoelt u 'dji'?" in messages[(4, "valt_onder")]
    assert "31-02-2024" in messages[(4, "actief_vanaf")]
    assert any(row == 5 for row, _ in messages)  # the duplicate code names its row


def test_skip_invalid_imports_the_good_rows_and_reports_the_rest() -> None:
    text = GOOD + "pi-x;PI X;gevangenis;;;;\n"
    outcome = run(text, skip_invalid=True)
    assert outcome.created == 2
    assert [e.row for e in outcome.errors] == [4]
    assert "organisatietype 'gevangenis'" in outcome.errors[0].message


def test_missing_column_is_reported_at_the_top() -> None:
    outcome = run("code;gemeente\npi-vught;Vught\n")
    assert outcome.imported == 0
    assert any("naam" in notice for notice in outcome.notices)


def test_windows_encoding_and_bom_are_read() -> None:
    text = "code;naam;type\npi-leeuwarden;Inrichting Fryslân én café;pi\n"
    assert run(text, encoding="cp1252").created == 1
    assert Organisation.objects.get(code="pi-leeuwarden").name == "Inrichting Fryslân én café"
    assert run("\ufeff" + text.replace("pi-leeuwarden", "pi-bom")).created == 1


def test_a_parent_cycle_in_the_file_changes_nothing() -> None:
    text = "code;naam;type;valt_onder\nx-a;A;pi;x-b\nx-b;B;pi;x-a\n"
    outcome = run(text)
    assert outcome.imported == 0
    assert "niet onder zichzelf" in outcome.errors[0].message
    assert not Organisation.objects.filter(code__in=["x-a", "x-b"]).exists()


def test_dry_run_reports_but_saves_nothing() -> None:
    outcome = run(GOOD, dry_run=True)
    assert outcome.report.can_import
    assert "niets opgeslagen" in outcome.summary
    assert not Organisation.objects.filter(code="pi-vught").exists()


def test_xlsx_with_date_cells_is_imported() -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Code", "Naam", "Type", "Actief vanaf"])
    sheet.append(["pi-almelo", "PI Almelo", "pi", datetime.date(2010, 5, 1)])
    buffer = io.BytesIO()
    book.save(buffer)
    outcome = organisations_import(content=buffer.getvalue(), filename="lijst.xlsx")
    assert outcome.created == 1
    assert Organisation.objects.get(code="pi-almelo").active_from == datetime.date(2010, 5, 1)


def test_garbage_file_gets_a_dutch_message_not_an_error() -> None:
    outcome = organisations_import(content=b"\x00\x01\x02PK\x03garbage", filename="lijst.xlsx")
    assert outcome.imported == 0
    assert outcome.summary.startswith("Het bestand kan niet worden geïmporteerd")


def test_import_page_and_export_round_trip() -> None:
    client = Client()
    client.force_login(UserFactory(role=Role.ADMINISTRATOR))
    upload = SimpleUploadedFile("organisaties.csv", GOOD.encode("utf-8"), content_type="text/csv")
    response = client.post(reverse("register:organisation_import"), {"file": upload})
    assert response.status_code == 200
    assert "Opgeslagen: 2 nieuw" in response.content.decode()

    exported = client.get(reverse("register:organisation_export"), {"formaat": "xlsx", "q": "pi-"})
    sheet = load_workbook(io.BytesIO(exported.content)).active
    assert sheet is not None
    rows = list(sheet.values)
    assert rows[0][:4] == ("code", "naam", "korte_naam", "type")
    assert {row[0] for row in rows[1:]} == {"pi-vught", "pi-zwolle"}

    csv_export = client.get(reverse("register:organisation_export"), {"formaat": "csv", "q": "vught"})
    text = csv_export.content.decode("utf-8-sig")
    assert "pi-vught;PI Vught;;pi;dji;sanctietoepassing;Vught;;01-01-2012" in text
    Organisation.objects.filter(code__startswith="pi-").delete()
    again = organisations_import(content=csv_export.content, filename="export.csv")
    assert again.created == 1


def test_export_respects_the_users_areas() -> None:
    run(GOOD)
    OrganisationFactory(
        code="geheim", name="Andere organisatie", areas=[SupervisionAreaFactory(code="migratie")]
    )
    client = Client()
    from toezicht.register.models import SupervisionArea

    client.force_login(
        UserFactory(role=Role.READER, areas=[SupervisionArea.objects.get(code="sanctietoepassing")])
    )
    text = client.get(reverse("register:organisation_export"), {"formaat": "csv"}).content.decode("utf-8-sig")
    assert "pi-vught" in text
    assert "geheim" not in text


def test_only_the_administrator_may_import() -> None:
    client = Client()
    client.force_login(UserFactory(role=Role.TEAM_LEADER))
    assert client.get(reverse("register:organisation_import")).status_code == 403


def test_command_reports_and_fails_when_nothing_was_imported(tmp_path: Path) -> None:
    good = tmp_path / "goed.csv"
    good.write_text(GOOD, encoding="utf-8")
    out = io.StringIO()
    call_command("import_organisations", str(good), stdout=out)
    assert "Opgeslagen: 2 nieuw" in out.getvalue()
    bad = tmp_path / "fout.csv"
    bad.write_text("code;naam;type\nx;X;onbekend\n", encoding="utf-8")
    with pytest.raises(CommandError, match="niets geïmporteerd"):
        call_command("import_organisations", str(bad), stdout=io.StringIO())
