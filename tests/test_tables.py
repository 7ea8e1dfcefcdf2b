"""Account-table import: lenient headers, value checks, all-or-nothing, re-import semantics."""

from __future__ import annotations

import re
import time
import zipfile
from datetime import datetime
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook

from compintel.catalog import Catalog
from compintel.errors import DataFileError
from compintel.store import Store
from compintel.tables import detect_kind, import_table, parse_header, table_kinds

DATA = Path(__file__).resolve().parent / "data" / "tables"




def write_xlsx(path: Path, rows: list[list[object]], *, title: str = "Sheet1",
               formats: dict[str, str] | None = None) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    for cell, number_format in (formats or {}).items():
        sheet[cell].number_format = number_format
    workbook.save(path)
    return path


def rows_of(store: Store, table: str) -> list[tuple]:
    return [tuple(row) for row in store.query(f"SELECT * FROM {table} ORDER BY rowid")]


SALES_HEADER = ["Customer", "Part Family", "Month", "Plan Qty", "Actual Qty"]
GOOD_SALES = [SALES_HEADER,
              ["Navika Motors", "Windshield", "Apr-26", 16410, 15806],
              ["Navika Motors", "Backlite", "Apr-26", 16410, 15790]]


# -- the spec ----------------------------------------------------------------------------------

def test_every_kind_maps_onto_its_store_table(store):
    for kind in table_kinds().values():
        names = {row["name"] for row in store.query(f"PRAGMA table_info({kind.store_table})")}
        assert names, kind.store_table
        assert {c.store_column for c in kind.columns.values()} | {"import_id"} <= names, kind.name


def test_header_units_are_read():
    plan = parse_header(0, "Plan Value (Rs lakh)")
    assert plan.keys[0] == "plan value" and plan.unit.scale == 1e5 and plan.unit.currency
    assert parse_header(0, "Actual Value (Rs cr)").unit.scale == 1e7
    assert parse_header(0, "SOB (%)").unit.percent
    assert parse_header(0, "Share %").unit.percent and parse_header(0, "Share %").keys[0] == "share"
    assert parse_header(0, "Value in Rs lakh").unit.scale == 1e5
    # brackets that hold no unit still leave the name matchable
    assert parse_header(0, "Customer (OEM)").keys[0] == "customer"


def test_detect_kind():
    assert detect_kind(["Customer", "Part", "Month", "Budget Qty"]) == "sales"
    assert detect_kind(["Invoice No", "Customer", "Due Date", "Amount"]) == "receivables"
    assert detect_kind(["Month", "OEM", "Plant", "Part", "Vendor", "SOB %"]) == "share_of_business"
    with pytest.raises(DataFileError, match="fit no table kind"):
        detect_kind(["Customer", "Colour of the sky"])
    # fits vendor_rating and production_volumes equally well
    with pytest.raises(DataFileError, match="several table kinds"):
        detect_kind(["Customer", "Month", "Score", "Volume"])


# -- lenient reading ---------------------------------------------------------------------------

def test_lenient_headers_title_rows_and_indian_numbers(store, catalog):
    result = import_table(store, catalog, DATA / "sales_lenient.csv", key="tables/sales.csv")
    assert result.kind == "sales"
    assert result.rows == 3
    assert result.header_row == 4
    assert result.ignored_columns == ("Remarks",)
    assert not result.unchanged
    assert [row[1:] for row in rows_of(store, "sales")] == [
        ("navika-motors", "windshield", "2026-04", 16410.0, 15806.0, 49_391_000.0, 47_600_000.0),
        ("navika-motors", "backlite", "2026-04", 500_000.0, None, 230_000.0, None),
        ("navika-motors", "sidelite", "2026-05", 1_200_000.0, 45_000.0, 15_000_000.0, 5_000_000.0),
    ]
    (imported,) = store.query("SELECT path, table_kind, rows FROM imports")
    assert tuple(imported) == ("tables/sales.csv", "sales", 3)


def test_xlsx_cells_percent_format_and_dates(store, catalog, tmp_path):
    path = write_xlsx(tmp_path / "sob.xlsx", [
        ["Share of business (FICTIONAL)"],
        [],
        ["Effective Month", "Customer", "Plant", "Vehicle", "Part", "Glass Supplier", "Share"],
        [datetime(2026, 9, 1), "NML", "Ambeli", "Koru", "BL", "Kestrel", 0.4],
        [datetime(2026, 9, 1), "NML", "Ambeli", "Koru", "BL", "VAGL", 0.6],
        [datetime(2026, 9, 1), "NML", "Ambeli", "Koru facelift", "BL", "ours", 0.25],
    ], formats={"G4": "0%", "G5": "0%", "G6": "0%"})
    result = import_table(store, catalog, path, "share_of_business", key="sob.xlsx")
    assert result.rows == 3 and result.header_row == 3 and result.sheet == "Sheet1"
    assert [row[1:] for row in rows_of(store, "share_of_business")] == [
        ("2026-09", "navika-motors", "navika-motors/ambeli", "navika-motors/koru", "backlite",
         "kestrel-glass", 40.0),
        ("2026-09", "navika-motors", "navika-motors/ambeli", "navika-motors/koru", "backlite",
         "vitreon", 60.0),
        # a model the catalog does not know stays as written
        ("2026-09", "navika-motors", "navika-motors/ambeli", "Koru facelift", "backlite",
         "kestrel-glass", 25.0),
    ]


def test_fraction_column_and_percent_header(store, catalog, tmp_path):
    fractions = tmp_path / "f.csv"
    fractions.write_text("Month,OEM,Part,Supplier,SOB\n2026-09,NML,Windshield,Kestrel,0.75\n"
                         "2026-09,NML,Windshield,Vitreon,0.25\n", encoding="utf-8")
    import_table(store, catalog, fractions, key="f.csv")
    percents = tmp_path / "p.csv"
    percents.write_text("Month,OEM,Part,Supplier,SOB (%)\n2026-09,DAL,Windshield,Clarity,0.5\n",
                        encoding="utf-8")
    import_table(store, catalog, percents, key="p.csv")
    assert [row["share_pct"] for row in store.query(
        "SELECT share_pct FROM share_of_business ORDER BY rowid")] == [75.0, 25.0, 0.5]


def test_vendor_rating_supplier_defaults_to_our_company(store, catalog, tmp_path):
    import_table(store, catalog, DATA / "vendor_rating.csv", key="vr.csv")
    assert [(r["customer_id"], r["supplier_id"], r["score"], r["band"]) for r in store.query(
        "SELECT * FROM vendor_ratings ORDER BY rowid")] == [
        ("navika-motors", "kestrel-glass", 71.0, "yellow"),
        ("navika-motors", "vitreon", 78.0, "green"),
        ("dhruva-auto", "kestrel-glass", 84.0, "green"),
    ]
    no_supplier = tmp_path / "vr2.csv"
    no_supplier.write_text("Month,Customer,Band\nJun-26,Meridian,Green\n", encoding="utf-8")
    import_table(store, catalog, no_supplier, key="vr2.csv")
    (row,) = store.query("SELECT supplier_id, month FROM vendor_ratings WHERE customer_id = ?",
                         ("meridian-mobility",))
    assert tuple(row) == ("kestrel-glass", "2026-06")


def test_windows_csv_is_decoded(store, catalog, tmp_path):
    path = tmp_path / "rfq.csv"
    text = ("RFQ Date;Customer;Status;Lost To;Value (Rs cr);Remarks\r\n"
            "05/06/2026;Navika;Lost;Vitreon;1.2;Price – 6% below ours\r\n")
    path.write_bytes(text.encode("cp1252"))
    import_table(store, catalog, path, key="rfq.csv")
    (row,) = store.query("SELECT rfq_date, status, competitor_id, value, reason FROM rfqs")
    assert tuple(row) == ("2026-06-05", "lost", "vitreon", 12_000_000.0, "Price – 6% below ours")


def test_status_is_case_insensitive_but_not_guessed(store, catalog, tmp_path):
    path = write_xlsx(tmp_path / "c.xlsx", [
        ["Ref", "Customer", "Category", "Raised On"],
        ["Q-1", "NML", "QUALITY", "12/06/2026"],
        ["Q-2", "NML", "D", "13/06/2026"],
    ])
    with pytest.raises(DataFileError) as caught:
        import_table(store, catalog, path, "complaints", key="c.xlsx")
    message = str(caught.value)
    assert message.startswith("c.xlsx:3: Category: 'D' is not a known category")
    assert "quality, cost, delivery, development, management" in message


# -- all-or-nothing ----------------------------------------------------------------------------

def _import_good_sales(store: Store, catalog: Catalog, tmp_path: Path) -> None:
    good = write_xlsx(tmp_path / "good.xlsx", GOOD_SALES)
    import_table(store, catalog, good, key="tables/sales.xlsx")
    assert len(rows_of(store, "sales")) == 2


def _assert_earlier_import_intact(store: Store) -> None:
    assert store.row_counts()["sales"] == 2
    assert store.row_counts()["imports"] == 1
    assert {row["month"] for row in store.query("SELECT month FROM sales")} == {"2026-04"}


def test_missing_required_column_imports_nothing(store, catalog, tmp_path):
    _import_good_sales(store, catalog, tmp_path)
    bad = write_xlsx(tmp_path / "bad.xlsx", [
        ["Sales FY27"],
        ["Customer", "Part Family", "Plan Qty"],
        ["Navika Motors", "Windshield", 17000],
    ])
    with pytest.raises(DataFileError) as caught:
        import_table(store, catalog, bad, "sales", key="tables/sales.xlsx")
    error = caught.value
    assert (error.path, error.line, error.field) == ("tables/sales.xlsx", 2, "month")
    assert "required column missing" in str(error)
    _assert_earlier_import_intact(store)


def test_bad_date_imports_nothing_and_names_row_and_column(store, catalog, tmp_path):
    path = write_xlsx(tmp_path / "rfq.xlsx", [
        ["RFQ Date", "Customer", "Status"],
        [datetime(2026, 5, 4), "Meridian", "Quoted"],
        ["31/02/2026", "Meridian", "Open"],
        ["15-Jun-2026", "Meridian", "Open"],
        ["someday", "Meridian", "Open"],
    ])
    with pytest.raises(DataFileError) as caught:
        import_table(store, catalog, path, "rfq", key="rfq.xlsx")
    error = caught.value
    assert (error.line, error.field) == (3, "RFQ Date")
    assert "'31/02/2026' is not a date" in str(error)
    assert "1 other row also has errors" in str(error)
    assert "nothing was imported" in str(error)
    assert len(error.problems) == 2 and error.problems[1].startswith("rfq.xlsx:5: RFQ Date:")
    assert store.row_counts()["rfqs"] == 0 and store.row_counts()["imports"] == 0


def test_text_in_number_column_imports_nothing(store, catalog, tmp_path):
    _import_good_sales(store, catalog, tmp_path)
    bad = write_xlsx(tmp_path / "bad.xlsx", [
        *GOOD_SALES[:2],
        ["Navika Motors", "Backlite", "May-26", "about 500", 480],
    ])
    with pytest.raises(DataFileError) as caught:
        import_table(store, catalog, bad, key="tables/sales.xlsx")
    assert str(caught.value).startswith(
        "tables/sales.xlsx:3: Plan Qty: 'about 500' is not a number (write a number")
    _assert_earlier_import_intact(store)


def test_unknown_customer_and_foreign_plant(store, catalog, tmp_path):
    path = tmp_path / "pv.csv"
    path.write_text("Manufacturer,Plant,Month,Volume\nNavika Motor,Kesarpur,Apr-26,9000\n"
                    "Navika Motors,Sagarpet,Apr-26,9000\n", encoding="utf-8")
    with pytest.raises(DataFileError) as caught:
        import_table(store, catalog, path, key="pv.csv")
    assert str(caught.value).startswith("pv.csv:2: Manufacturer: unknown customer 'Navika Motor' "
                                        "(did you mean 'Navika Motors'")
    assert caught.value.problems[1] == (
        "pv.csv:3: Plant: plant 'Sagarpet' belongs to Dhruva Automobiles, not to Navika Motors "
        "(check the customer and plant of this row)")


def test_money_in_another_currency_is_refused(store, catalog, tmp_path):
    path = tmp_path / "r.csv"
    path.write_text("Invoice,Customer,Due Date,Amount (USD)\nI-1,NML,30/06/2026,1200\n",
                    encoding="utf-8")
    with pytest.raises(DataFileError, match="not rupees"):
        import_table(store, catalog, path, key="r.csv")


def test_duplicate_rows_are_rejected(store, catalog):
    with pytest.raises(DataFileError) as caught:
        import_table(store, catalog, DATA / "share_duplicates.csv", key="sob.csv")
    assert caught.value.line == 4
    assert "duplicates row 2" in str(caught.value)
    assert store.row_counts()["share_of_business"] == 0


# -- re-import -----------------------------------------------------------------------------------

def test_reimport_replaces_only_its_own_rows(store, catalog, tmp_path):
    first = write_xlsx(tmp_path / "a.xlsx", GOOD_SALES)
    other = write_xlsx(tmp_path / "b.xlsx", [SALES_HEADER, ["Dhruva", "Sunroof", "Apr-26", 1200, 1100]])
    import_table(store, catalog, first, key="a.xlsx")
    import_table(store, catalog, other, key="b.xlsx")
    other_rows = store.query("SELECT s.* FROM sales s JOIN imports i ON i.id = s.import_id "
                             "WHERE i.path = 'b.xlsx'")
    write_xlsx(first, [SALES_HEADER, ["Navika Motors", "Windshield", "May-26", 17000, 16500]])
    result = import_table(store, catalog, first, key="a.xlsx")
    assert not result.unchanged and result.rows == 1
    mine = store.query("SELECT s.month, s.plan_qty FROM sales s JOIN imports i "
                       "ON i.id = s.import_id WHERE i.path = 'a.xlsx'")
    assert [tuple(row) for row in mine] == [("2026-05", 17000.0)]
    assert [tuple(r) for r in store.query("SELECT s.* FROM sales s JOIN imports i "
                                          "ON i.id = s.import_id WHERE i.path = 'b.xlsx'")] \
        == [tuple(r) for r in other_rows]
    assert store.row_counts()["sales"] == 2 and store.row_counts()["imports"] == 2


def test_unchanged_reimport_changes_nothing(store, catalog, tmp_path):
    path = DATA / "sales_lenient.csv"
    first = import_table(store, catalog, path, key="s.csv")
    before = [tuple(r) for r in store.query("SELECT * FROM imports")]
    again = import_table(store, catalog, path, key="s.csv")
    assert again.unchanged and again.rows == first.rows and again.import_id == first.import_id
    assert [tuple(r) for r in store.query("SELECT * FROM imports")] == before
    # the same rows with different bytes (LF line ends, no title rows) are unchanged too
    lines = path.read_text(encoding="utf-8").splitlines()[3:]
    resaved = tmp_path / "s.csv"
    resaved.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert import_table(store, catalog, resaved, key="s.csv").unchanged
    assert [tuple(r) for r in store.query("SELECT * FROM imports")] == before


def test_same_rows_give_identical_store_rows(store, catalog, tmp_path):
    path = write_xlsx(tmp_path / "a.xlsx", GOOD_SALES)
    import_table(store, catalog, path, key="a.xlsx")
    first = [row[1:] for row in rows_of(store, "sales")]
    store.db.execute("DELETE FROM imports")
    import_table(store, catalog, path, key="a.xlsx")
    assert [row[1:] for row in rows_of(store, "sales")] == first


def test_unknown_sheet_and_kind(store, catalog, tmp_path):
    path = write_xlsx(tmp_path / "a.xlsx", GOOD_SALES, title="Sales")
    with pytest.raises(DataFileError, match="no sheet named 'Sale'.*did you mean 'Sales'"):
        import_table(store, catalog, path, key="a.xlsx", sheet="Sale")
    with pytest.raises(DataFileError, match="did you mean 'sales'"):
        import_table(store, catalog, path, "sale", key="a.xlsx")
    assert import_table(store, catalog, path, key="a.xlsx", sheet="sales").rows == 2


def test_totals_row_is_refused_with_a_plain_reason(store, catalog, tmp_path):
    path = write_xlsx(tmp_path / "t.xlsx", [*GOOD_SALES, ["Total", None, None, 32820, 31596]])
    with pytest.raises(DataFileError) as caught:
        import_table(store, catalog, path, key="t.xlsx")
    assert str(caught.value).startswith("t.xlsx:4: 'Total' looks like a totals row")
    assert store.row_counts()["sales"] == 0


def test_a_corrupt_workbook_and_an_unreadable_csv_are_one_line_errors(store, catalog, tmp_path):
    broken = tmp_path / "sales.xlsx"
    broken.write_bytes(b"PK\x03\x04 this is not really a zip archive")
    with pytest.raises(DataFileError, match="cannot read it as an Excel workbook") as caught:
        import_table(store, catalog, broken, "sales", key="sales.xlsx")
    assert "\n" not in caught.value.format()
    huge = tmp_path / "sales.csv"
    huge.write_text("Customer,Part,Month,Plan Qty\n" + "NML,WS," + "x" * 200_000 + ",1\n",
                    encoding="utf-8")
    with pytest.raises(DataFileError, match="cannot read the CSV") as caught:
        import_table(store, catalog, huge, "sales", key="sales.csv")
    assert caught.value.line == 2
    assert rows_of(store, "sales") == []


# -- overlaps across files (issue 11) ------------------------------------------------------------

def test_the_same_month_in_two_sales_files_is_refused_naming_both(store, catalog, tmp_path):
    from compintel.analysis import plan_vs_actual

    first = write_xlsx(tmp_path / "a.xlsx", GOOD_SALES)
    import_table(store, catalog, first, key="tables/a.xlsx")
    before = [tuple(r) for r in store.query("SELECT * FROM imports")], rows_of(store, "sales")
    second = write_xlsx(tmp_path / "b.xlsx", [
        SALES_HEADER, ["Navika Motors", "Sidelite", "Apr-26", 900, 880],
        ["Navika Motors", "Windshield", "Apr-26", 16410, 15806]])
    with pytest.raises(DataFileError) as caught:
        import_table(store, catalog, second, key="tables/b.xlsx")
    error = caught.value
    assert error.format().startswith("tables/b.xlsx:3: Plan Qty: ")
    assert "tables/a.xlsx" in error.message and "2026-04" in error.message
    assert "nothing was imported" in error.hint and "\n" not in error.format()
    # nothing of b stored, nothing of a damaged: the plan stays 16410, not 32820
    assert ([tuple(r) for r in store.query("SELECT * FROM imports")], rows_of(store, "sales")) \
        == before
    sales = pd.read_sql_query("SELECT * FROM sales", store.db)
    wind = plan_vs_actual(sales).query("part_family == 'windshield'")
    assert wind["plan_qty"].tolist() == [16410]


def test_plan_and_actuals_may_come_from_separate_files(store, catalog, tmp_path):
    from compintel.analysis import plan_vs_actual

    plan = write_xlsx(tmp_path / "plan.xlsx", [["Customer", "Part Family", "Month", "Plan Qty"],
                                               ["Navika Motors", "Windshield", "Apr-26", 100]])
    actual = write_xlsx(tmp_path / "actual.xlsx", [
        ["Customer", "Part Family", "Month", "Actual Qty"],
        ["Navika Motors", "Windshield", "Apr-26", 90]])
    import_table(store, catalog, plan, key="plan.xlsx")
    import_table(store, catalog, actual, key="actual.xlsx")
    out = plan_vs_actual(pd.read_sql_query("SELECT * FROM sales", store.db))
    assert out[["plan_qty", "actual_qty"]].values.tolist() == [[100, 90]]
    # a second plan for the same month is an overlap, even from the actuals file
    write_xlsx(actual, [["Customer", "Part Family", "Month", "Plan Qty", "Actual Qty"],
                        ["Navika Motors", "Windshield", "Apr-26", 100, 90]])
    with pytest.raises(DataFileError, match="plan.xlsx, which gives its plan qty too"):
        import_table(store, catalog, actual, key="actual.xlsx")
    # the refused re-import left the file's earlier rows as they were
    assert store.row_counts()["sales"] == 2


def test_a_re_import_of_the_same_file_is_no_overlap(store, catalog, tmp_path):
    path = write_xlsx(tmp_path / "a.xlsx", GOOD_SALES)
    import_table(store, catalog, path, key="a.xlsx")
    write_xlsx(path, [SALES_HEADER, ["Navika Motors", "Windshield", "Apr-26", 100, 90]])
    assert import_table(store, catalog, path, key="a.xlsx").rows == 1


def test_a_renamed_file_is_no_overlap_with_its_old_name(store, catalog, tmp_path):
    old = write_xlsx(tmp_path / "a.xlsx", GOOD_SALES)
    import_table(store, catalog, old, key="a.xlsx")
    new = old.rename(tmp_path / "sales-2026.xlsx")
    assert import_table(store, catalog, new, key="sales-2026.xlsx").rows == 2
    # while the old file is still there, the same rows are an overlap
    write_xlsx(old, GOOD_SALES)
    with pytest.raises(DataFileError, match="is also in a.xlsx"):
        import_table(store, catalog, write_xlsx(tmp_path / "b.xlsx", GOOD_SALES), key="b.xlsx")


def test_overlapping_volume_files_are_refused(store, catalog, tmp_path):
    header = "Customer,Plant,Model,Month,Volume\n"
    first, second = tmp_path / "v1.csv", tmp_path / "v2.csv"
    first.write_text(header + "Navika Motors,Kesarpur,Koru,2026-04,1000\n", encoding="utf-8")
    second.write_text(header + "Navika Motors,Kesarpur,Koru,2026-05,1100\n"
                      "Navika Motors,Kesarpur,Koru,2026-04,1000\n", encoding="utf-8")
    import_table(store, catalog, first, key="v1.csv")
    with pytest.raises(DataFileError) as caught:
        import_table(store, catalog, second, key="v2.csv")
    assert caught.value.line == 3 and "is also in v1.csv" in caught.value.message
    assert store.row_counts()["production_volumes"] == 1


def test_a_long_table_shows_a_progress_bar_over_its_rows_when_asked(store, catalog, tmp_path, capsys):
    from compintel.tables import PROGRESS_ROWS

    header = "Invoice No,Customer,Invoice Date,Due Date,Invoice Amount (Rs),Received On,Amount Received (Rs)\n"
    long = tmp_path / "receivables.csv"
    long.write_text(header + "".join(f"KSG/NML/{n},NML,10-Apr-2026,25-May-2026,1000,28-May-2026,1000\n"
                                     for n in range(PROGRESS_ROWS)), encoding="utf-8")
    result = import_table(store, catalog, long, key="long.csv", progress=True)
    assert result.rows == PROGRESS_ROWS
    bar = capsys.readouterr().err
    assert "long.csv" in bar and f"/{PROGRESS_ROWS} " in bar and "row/s" in bar     # a bar over the rows
    import_table(store, catalog, long, key="long.csv")                        # not asked: silent
    assert capsys.readouterr().err == ""


def test_dates_written_with_month_names_read_as_dateutil_reads_them() -> None:
    from dateutil import parser

    from compintel.numbers import parse_date

    for text in ("15-Apr-2026", "5 April 2026", "01-Jan-1999", "7 Jun 2026", "29-Feb-2028"):
        assert parse_date(text) == parser.parse(text, dayfirst=True).date().isoformat()
    with pytest.raises(ValueError, match="not a date"):
        parse_date("31-Feb-2026")


def _rewritten_sheet(path: Path, out: Path, change) -> Path:
    """A copy of the XLSX at ``path`` whose first sheet's XML ``change`` rewrites."""
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = change(data.decode("utf-8")).encode("utf-8")
            target.writestr(item, data)
    return out


@pytest.mark.parametrize("change", [
    # a row number far past Excel's last row: refused at once, not read as a billion empty rows
    lambda xml: re.sub(r'<dimension ref="[^"]*"/>', '<dimension ref="A1"/>', xml)
    .replace('<row r="2"', '<row r="2000000000"').replace('r="A2"', 'r="A2000000000"')
    .replace('r="B2"', 'r="B2000000000"').replace('r="C2"', 'r="C2000000000"').replace('r="D2"', 'r="D2000000000"'),
    lambda xml: xml.replace("</sheetData>", "<row r="),                    # broken XML
])
def test_a_broken_sheet_is_one_error_naming_the_file_and_imports_nothing(store, catalog, tmp_path, change):
    good = write_xlsx(tmp_path / "good.xlsx", [["Customer", "Part Family", "Month", "Plan Qty"],
                                              ["NML", "Windshield", "2026-04", 100]])
    broken = _rewritten_sheet(good, tmp_path / "broken.xlsx", change)
    started = time.monotonic()
    with pytest.raises(DataFileError, match="cannot read it as an Excel workbook") as error:
        import_table(store, catalog, broken, key="broken.xlsx")
    assert error.value.path == "broken.xlsx" and time.monotonic() - started < 30
    assert rows_of(store, "sales") == []
