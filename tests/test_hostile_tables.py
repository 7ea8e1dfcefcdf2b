"""Hostile and odd table files (issue 12, cases 7 and 11).

Case 7: a workbook that unzips past the size limit, or holds more cells than the limit, is
refused before (or while) it is parsed; a formula without a calculated value refuses the
import, naming file, sheet and cell. Case 11: whichever way a visit log comes in, an error in
its rows (an unknown customer) is what the user is told.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
import pytest
from test_tables import GOOD_SALES, SALES_HEADER, rows_of, write_xlsx

from compintel import Workbench
from compintel import tables as tables_module
from compintel.errors import DataFileError
from compintel.store import Store
from compintel.tables import import_table
from compintel.workspace import TableSettings

SHEET = "xl/worksheets/sheet1.xml"


def rewrite_part(path: Path, part: str, change) -> Path:
    """Rewrite one part of an .xlsx (zip) file with ``change(xml_text) -> xml_text``."""
    with zipfile.ZipFile(path) as source:
        parts = [(info, source.read(info.filename)) for info in source.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info, data in parts:
            if info.filename == part:
                data = change(data.decode("utf-8")).encode("utf-8")
            target.writestr(info.filename, data)
    return path


def _import_good_sales(store: Store, catalog, tmp_path: Path) -> None:
    import_table(store, catalog, write_xlsx(tmp_path / "good.xlsx", GOOD_SALES),
                 key="tables/good.xlsx")


def _assert_only_the_good_import(store: Store) -> None:
    assert [row["path"] for row in store.query("SELECT path FROM imports")] == ["tables/good.xlsx"]
    assert len(rows_of(store, "sales")) == 2


# -- case 7: size and cell limits ----------------------------------------------------------------

@pytest.fixture
def parsing_forbidden(monkeypatch) -> None:
    """Only the zip directory may be read: no part is opened, openpyxl is never called."""
    def no_parsing(*args, **kwargs):
        raise AssertionError("the workbook was parsed")

    monkeypatch.setattr(openpyxl, "load_workbook", no_parsing)
    monkeypatch.setattr(zipfile.ZipFile, "open", no_parsing)


def test_workbook_unpacking_past_the_limit_is_refused_from_the_zip_directory(
        store, catalog, tmp_path, request):
    _import_good_sales(store, catalog, tmp_path)
    bomb = write_xlsx(tmp_path / "bomb.xlsx", [SALES_HEADER,
                                              ["Navika Motors", "Backlite", "May-26", 1, 1]])
    # 3 MB of blanks inside the sheet's XML: valid, and a few KB zipped
    rewrite_part(bomb, SHEET, lambda xml: xml.replace("</worksheet>",
                                                      " " * 3_000_000 + "</worksheet>"))
    assert bomb.stat().st_size < 50_000
    request.getfixturevalue("parsing_forbidden")
    with pytest.raises(DataFileError) as caught:
        import_table(store, catalog, bomb, key="tables/bomb.xlsx",
                     limits=TableSettings(max_unpacked_mb=2))
    message = str(caught.value)
    assert message.startswith("tables/bomb.xlsx: the workbook unpacks to 3.0 MB, over the 2 MB "
                              "limit for a table")
    assert "max_unpacked_mb under [tables] in compintel.toml" in message
    assert "nothing was imported" in message and "\n" not in message
    _assert_only_the_good_import(store)


def test_shared_strings_past_their_limit_are_refused_within_the_size_limit(
        store, catalog, tmp_path, request):
    """openpyxl loads the shared strings whole before any row (a 98 MB part: 52 s, 700 MB), so
    they have a cap of their own, checked from the zip directory like the total."""
    _import_good_sales(store, catalog, tmp_path)
    bomb = write_xlsx(tmp_path / "strings.xlsx", [SALES_HEADER,
                                                 ["Navika Motors", "Backlite", "May-26", 1, 1]])
    # openpyxl writes strings inline: add a shared-strings part of 3 MB (a few KB zipped)
    with zipfile.ZipFile(bomb, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/sharedStrings.xml", '<sst xmlns="http://schemas.openxmlformats.org/'
                         'spreadsheetml/2006/main">' + " " * 3_000_000 + "</sst>")
    request.getfixturevalue("parsing_forbidden")
    with pytest.raises(DataFileError) as caught:
        import_table(store, catalog, bomb, key="tables/strings.xlsx",
                     limits=TableSettings(max_unpacked_mb=100, max_shared_strings_mb=2))
    message = str(caught.value)
    assert "shared strings unpack to 3 MB, over the 2 MB limit" in message
    assert "max_shared_strings_mb" in message and "nothing was imported" in message
    _assert_only_the_good_import(store)


def test_the_size_limit_comes_from_the_workspace_settings(demo_workspace, tmp_path):
    config = demo_workspace / "compintel.toml"
    config.write_text(config.read_text(encoding="utf-8") + "\n[tables]\nmax_unpacked_mb = 1\n",
                      encoding="utf-8")
    big = write_xlsx(tmp_path / "big.xlsx", [SALES_HEADER,
                                            ["Navika Motors", "Backlite", "May-26", 1, 1]])
    rewrite_part(big, SHEET, lambda xml: xml.replace("</worksheet>",
                                                     " " * 1_500_000 + "</worksheet>"))
    csv = tmp_path / "big.csv"
    csv.write_text("Customer,Part Family,Month,Plan Qty\n"
                   + "Navika Motors,Backlite,May-26,1\n" * 40_000, encoding="utf-8")
    with Workbench.open(demo_workspace) as wb:
        report = wb.import_files([big, csv])
        assert [f.status for f in report.files] == ["failed", "failed"]
        assert "the workbook unpacks to 1.5 MB, over the 1 MB limit" in report.files[0].message
        assert "the file is 1.3 MB, over the 1 MB limit" in report.files[1].message
        assert wb.store.row_counts()["imports"] == 0


def test_sheet_with_more_cells_than_the_limit_stops_reading_at_the_limit(
        store, catalog, tmp_path, monkeypatch):
    _import_good_sales(store, catalog, tmp_path)
    rows = [SALES_HEADER] + [["Navika Motors", "Backlite", f"2026-{m:02d}", m, m]
                             for m in range(1, 13)] * 20
    path = write_xlsx(tmp_path / "many.xlsx", rows, title="Sales")
    read = []
    real_cell = tables_module._xlsx_cell
    monkeypatch.setattr(tables_module, "_xlsx_cell", lambda cell: read.append(1) or real_cell(cell))
    with pytest.raises(DataFileError) as caught:
        import_table(store, catalog, path, key="tables/many.xlsx",
                     limits=TableSettings(max_cells=100))
    assert str(caught.value).startswith("tables/many.xlsx: sheet 'Sales' has more than 100 "
                                        "cells, the limit for a table (keep only the table's")
    assert "max_cells under [tables]" in str(caught.value)
    assert len(read) <= 100          # reading stopped at the limit, not after the whole sheet
    _assert_only_the_good_import(store)


def test_cells_are_counted_as_read_not_taken_from_the_stored_sheet_size(store, catalog, tmp_path):
    # one cell far out to the right pads its row with empty cells; the sheet claims to be A1:A1
    path = write_xlsx(tmp_path / "wide.xlsx", [*GOOD_SALES])
    rewrite_part(path, SHEET, lambda xml: xml.replace(
        "</row></sheetData>", '<c r="ZZ3" t="inlineStr"><is><t>x</t></is></c></row></sheetData>')
        .replace('<dimension ref="A1:E3"/>', '<dimension ref="A1:A1"/>'))
    with pytest.raises(DataFileError, match="has more than 500 cells"):
        import_table(store, catalog, path, key="wide.xlsx", limits=TableSettings(max_cells=500))
    assert store.row_counts()["imports"] == 0
    assert import_table(store, catalog, path, key="wide.xlsx").rows == 2


# -- case 7: formulas without a calculated value ----------------------------------------------

def _sales_with_formula(tmp_path: Path, **extra: str) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Sales"
    sheet.append([*SALES_HEADER, "Remarks"])
    sheet.append(["Navika Motors", "Windshield", "May-26", 100, 90, "ok"])
    sheet.append(["Navika Motors", "Backlite", "May-26", 100, "=D3*0.9", "=F2"])
    for cell, value in extra.items():
        sheet[cell] = value
    path = tmp_path / "formula.xlsx"
    workbook.save(path)       # openpyxl stores formulas, never their values
    return path


def test_formula_without_calculated_value_refuses_the_import_naming_sheet_and_cell(
        store, catalog, tmp_path):
    _import_good_sales(store, catalog, tmp_path)
    path = _sales_with_formula(tmp_path)
    with pytest.raises(DataFileError) as caught:
        import_table(store, catalog, path, key="tables/formula.xlsx")
    message = str(caught.value)
    assert message.startswith("tables/formula.xlsx:3: Actual Qty: cell E3 of sheet 'Sales' holds "
                              "the formula =D3*0.9 but no calculated value, so it would read as "
                              "empty (open the file in Excel or LibreOffice and save it")
    assert "nothing was imported" in message and "\n" not in message
    # the formula in Remarks (F3), a column no import reads, is no problem
    assert "F3" not in message and len(caught.value.problems) == 1
    _assert_only_the_good_import(store)


def test_formula_with_its_calculated_value_imports_the_value(store, catalog, tmp_path):
    path = rewrite_part(_sales_with_formula(tmp_path), SHEET,
                        lambda xml: xml.replace("<f>D3*0.9</f><v></v>", "<f>D3*0.9</f><v>90</v>"))
    assert import_table(store, catalog, path, key="formula.xlsx").rows == 2
    assert [row["actual_qty"] for row in store.query("SELECT actual_qty FROM sales")] == [90, 90]


# -- case 11: the real cause, whichever way a file comes in -------------------------------------

VISITS = ("Date,Customer,Plant,Author,Grade,Competitor,Contacts,Note\n"
          "14/05/2026,{customer},Kesarpur,R. Iyer,observed,Vitreon,SQA head,"
          "Vitreon windshields held line-side.\n")


def _note_urls(wb: Workbench) -> list[str]:
    return [row["url"] for row in wb.store.query(
        "SELECT url FROM documents WHERE url LIKE 'note:%' ORDER BY url")]


def test_visit_log_given_by_path_names_its_unknown_customer(demo_workspace):
    visits = demo_workspace / "visits.csv"
    visits.write_text(VISITS.format(customer="Navikka Motors"), encoding="utf-8")
    odd = demo_workspace / "odd.csv"
    odd.write_text("Colour,Size\nred,4\n", encoding="utf-8")
    with Workbench.open(demo_workspace) as wb:
        report = wb.import_files([visits, odd])
        first, second = report.files
        assert (first.kind, first.status) == ("visit log", "failed")
        assert first.message.startswith("visits.csv:2: Customer: unknown customer "
                                        "'Navikka Motors' (did you mean 'Navika Motors'")
        assert "nothing was imported" in first.message
        # a file that is neither a table nor a visit log still says which headers it lacks
        assert second.status == "failed" and "no header row fits a table kind" in second.message
        assert _note_urls(wb) == []
        visits.write_text(VISITS.format(customer="Navika Motors"), encoding="utf-8")
        assert wb.import_files([visits]).files[0].status == "imported"
        assert _note_urls(wb) == ["note:visits.csv#row2"]


def test_folder_sources_of_visit_logs_and_tables_name_the_real_cause(demo_workspace):
    sources = demo_workspace / "sources"
    (sources / "logs").mkdir()
    (sources / "logs" / "visits.csv").write_text(VISITS.format(customer="Navikka Motors"),
                                                encoding="utf-8")
    (sources / "tabs").mkdir()
    (sources / "tabs" / "rfq.csv").write_text(
        "RFQ Date,Customer,Status\n2026-05-04,Meridiann,Quoted\n", encoding="utf-8")
    (sources / "empty").mkdir()
    (sources / "more.toml").write_text(
        '[[source]]\nname = "log-folder"\nkind = "notes"\npath = "logs"\npattern = "*.csv"\n\n'
        '[[source]]\nname = "table-folder"\nkind = "table"\ntable = "rfq"\npath = "tabs"\n\n'
        '[[source]]\nname = "no-tables"\nkind = "table"\ntable = "rfq"\npath = "empty"\n',
        encoding="utf-8")
    with Workbench.open(demo_workspace) as wb:
        failed = {f.path: f.message for f in wb.import_files().failed}
        assert set(failed) == {"sources/logs/visits.csv", "sources/tabs/rfq.csv", "sources/empty"}
        assert failed["sources/empty"] == ("sources/empty: no .csv or .xlsx files in the folder "
                                           "(put the table files there)")
        assert failed["sources/logs/visits.csv"].startswith(
            "sources/logs/visits.csv:2: Customer: unknown customer 'Navikka Motors' "
            "(did you mean 'Navika Motors'")
        assert failed["sources/tabs/rfq.csv"].startswith(
            "sources/tabs/rfq.csv:2: Customer: unknown customer 'Meridiann' (did you mean")
        assert not any("#row" in url for url in _note_urls(wb) if "logs" in url)
        # a folder given by hand: its tables go in too
        (sources / "tabs" / "rfq.csv").write_text(
            "RFQ Date,Customer,Status\n2026-05-04,Meridian,Quoted\n", encoding="utf-8")
        report = wb.import_files([sources / "tabs"])
        assert [(f.path, f.kind, f.status) for f in report.files] == [
            ("sources/tabs/rfq.csv", "rfq", "imported")]


def test_symlinks_in_notes_and_table_folders_leading_outside_sources_are_not_read(
        demo_workspace, tmp_path):
    """Issue 12, case 8 for import: a notes or table folder source reads only files inside
    sources/; a symlink in it leading elsewhere fails alone, named, and is not read."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.md").write_text(
        "---\ndate: 2026-05-04\ncustomer: Navika Motors\ngrade: observed\n---\nSECRET outside the workspace.\n",
        encoding="utf-8")
    (outside / "rfq.csv").write_text("RFQ Date,Customer,Status\n2026-05-04,Meridian,Quoted\n",
                                     encoding="utf-8")
    sources = demo_workspace / "sources"
    (sources / "mynotes").mkdir()
    (sources / "mynotes" / "leak.md").symlink_to(outside / "secret.md")
    (sources / "mynotes" / "visits.csv").symlink_to(outside / "rfq.csv")
    (sources / "tabs").mkdir()
    (sources / "tabs" / "leak.csv").symlink_to(outside / "rfq.csv")
    (sources / "more.toml").write_text(
        '[[source]]\nname = "my-notes"\nkind = "notes"\npath = "mynotes"\npattern = "*"\n\n'
        '[[source]]\nname = "table-folder"\nkind = "table"\ntable = "rfq"\npath = "tabs"\n',
        encoding="utf-8")
    with Workbench.open(demo_workspace) as wb:
        failed = {f.path: f.message for f in wb.import_files().failed}
        for key in ("sources/mynotes/leak.md", "sources/mynotes/visits.csv",
                    "sources/tabs/leak.csv"):
            assert failed[key].startswith(f"{key}: leads outside the sources/ folder (to ")
        assert not any("mynotes" in url for url in _note_urls(wb))
        assert not wb.store.query("SELECT 1 FROM documents WHERE text LIKE '%SECRET%'")
