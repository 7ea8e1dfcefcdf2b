"""The 3C report as an Excel workbook: the report's tables and its evidence log, formatted
(number formats, widths, frozen headers), for people who live in Excel.

Every text cell is written as text: a cell starting with ``=``, ``+``, ``-``, ``@`` (or a tab
or carriage return) would otherwise be read by Excel as a formula — scraped text and notes are
untrusted, so none of them may become one. Links are only http(s) URLs. Dates are Excel dates
shown as the HTML shows them (2026-03-19), so that they sort and filter as dates.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from .format import missing, web_url

if TYPE_CHECKING:
    from .page import ThreeCReport

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
MONEY = "#,##0"
DECIMAL = "#,##0.0"
INTEGER = "#,##0"
DATE = "yyyy-mm-dd"
DATE_TIME = "yyyy-mm-dd hh:mm"
HEADER_FILL = PatternFill("solid", fgColor="1F4E78")
MAX_WIDTH = 60


@dataclass
class Sheet:
    """One sheet: a title, its columns (key → header) and per-column number formats."""

    title: str
    frame: pd.DataFrame
    columns: dict[str, str]
    formats: dict[str, str] = field(default_factory=dict)
    links: str | None = None          # the column whose http(s) values become hyperlinks


def excel_date(value: date | np.datetime64) -> tuple[date, str]:
    """``value`` as Excel takes it, with its number format: a date, or a date and time when it
    has a time of day (in UTC: Excel knows no time zones)."""
    if isinstance(value, np.datetime64 | pd.Timestamp):
        value = pd.Timestamp(value).to_pydatetime()
    if not isinstance(value, datetime):
        return value, DATE
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    if value.time() == time():
        return value.date(), DATE
    return value, DATE_TIME


def write_cell(ws, row: int, column: int, value: Any, number_format: str | None = None):
    """Write one value; text is always text, never a formula; dates are dates."""
    cell = ws.cell(row=row, column=column)
    if missing(value):                # None, NaN and NaT: an empty cell
        return cell
    if isinstance(value, bool):
        cell.value = "yes" if value else "no"
    elif isinstance(value, int | float) and not isinstance(value, bool):
        cell.value = float(value) if isinstance(value, float) else int(value)
        if number_format:
            cell.number_format = number_format
    elif isinstance(value, date | np.datetime64):     # datetime and pd.Timestamp too
        cell.value, cell.number_format = excel_date(value)
    elif hasattr(value, "item") and not isinstance(value, str):      # numpy scalars
        return write_cell(ws, row, column, value.item(), number_format)
    else:
        # a control character (from a note or a text file) is no XML: openpyxl would refuse
        # the cell and the whole report with it
        text = ILLEGAL_CHARACTERS_RE.sub(" ", str(value))
        cell.value = text
        cell.data_type = "s"          # openpyxl would store "=…" as a formula
        if text.startswith(FORMULA_STARTS):
            cell.quotePrefix = True   # and Excel keeps it text when the cell is edited
    return cell


def add_sheet(wb: Workbook, sheet: Sheet) -> None:
    ws = wb.create_sheet(sheet.title[:31])
    keys = [key for key in sheet.columns if key in sheet.frame.columns]
    widths = []
    for col, key in enumerate(keys, 1):
        cell = write_cell(ws, 1, col, sheet.columns[key])
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(vertical="top", wrap_text=True)
        widths.append(len(sheet.columns[key]))
    for row, record in enumerate(sheet.frame[keys].itertuples(index=False), 2):
        for col, (key, value) in enumerate(zip(keys, record, strict=True), 1):
            cell = write_cell(ws, row, col, value, sheet.formats.get(key))
            if key == sheet.links and web_url(value):
                cell.hyperlink = str(value)
                cell.font = Font(color="0563C1", underline="single")
            # a date is as wide as its format (yyyy-mm-dd), not as its str() with a time
            text = "" if missing(value) else cell.number_format if cell.is_date else str(value)
            widths[col - 1] = max(widths[col - 1], min(len(text), MAX_WIDTH))
    for col, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(col)].width = max(8, min(width + 2, MAX_WIDTH))
    ws.freeze_panes = "A2"
    if not keys:
        write_cell(ws, 1, 1, "No data.")


def sheets(report: ThreeCReport) -> list[Sheet]:
    """The report's tables, as sheets."""
    m = report.model
    summary = pd.DataFrame([{"kind": line.topic, "text": line.text} for line in
                            [*report.summary.lines, *report.summary.actions]])
    out = [Sheet("Summary", summary, {"kind": "Kind", "text": f"{m.customer_name} — since {m.previous}"})]
    money = {c: MONEY for c in ("plan_value", "actual_value", "ytd_plan_value", "ytd_actual_value")}
    out.append(Sheet("Sales", report.company.by_part(), {
        "part_family": "Part family", "plan_qty": "Plan qty", "actual_qty": "Actual qty",
        "ach_qty_pct": "Qty ach. %", "plan_value": "Plan value (₹)", "actual_value": "Actual value (₹)",
        "ach_value_pct": "Value ach. %", "ytd_plan_value": f"YTD plan {m.fy} (₹)",
        "ytd_actual_value": "YTD actual (₹)", "ytd_ach_value_pct": "YTD ach. %"},
        {**money, "plan_qty": INTEGER, "actual_qty": INTEGER, "ach_qty_pct": DECIMAL,
         "ach_value_pct": DECIMAL, "ytd_ach_value_pct": DECIMAL}))
    out.append(Sheet("Quarters and FY", report.company.periods(), {
        "period": "Period", "status": "Months", "plan_value": "Plan value (₹)",
        "actual_value": "Actual value (₹)", "ach_value_pct": "Ach. %"},
        {"plan_value": MONEY, "actual_value": MONEY, "ach_value_pct": DECIMAL}))
    out.append(Sheet("Forecast accuracy", report.company.forecast(), {
        "part_family": "Part family", "method": "Forecast", "months": "Months", "mape_pct": "MAPE %",
        "wape_pct": "WAPE %", "bias_pct": "Bias %", "tracking_signal": "Tracking signal"},
        {c: DECIMAL for c in ("mape_pct", "wape_pct", "bias_pct", "tracking_signal")}))
    out.append(Sheet("Vendor ratings", report.customer.ratings(), {
        "supplier": "Supplier", "plant": "Plant", "month": "Month", "score": "Score", "band": "Band",
        "change": "Change", "source": "From"}, {"score": DECIMAL, "change": DECIMAL}))
    issues = m.names(m.open_issues(), "plant_id")
    out.append(Sheet("Open issues", issues, {
        "ref": "Ref", "plant_id": "Plant", "category": "QCDDM", "description": "Issue",
        "raised_on": "Raised", "target_on": "Target", "days_open": "Days open",
        "overdue_days": "Days overdue", "bucket": "Ageing"}, {"days_open": INTEGER, "overdue_days": INTEGER}))
    rfqs = m.names(m.rfqs, "competitor_id") if not m.rfqs.empty else m.rfqs
    out.append(Sheet("RFQs", rfqs, {
        "rfq_date": "Date", "programme": "Programme", "part_family": "Part", "status": "Status",
        "quote_due": "Quote due", "competitor_id": "Lost to", "value": "Value / yr (₹)",
        "reason": "Reason", "decided_on": "Decided"}, {"value": MONEY}))
    ageing = m.receivables_ageing()
    out.append(Sheet("Receivables", ageing, {
        "outstanding": "Outstanding (₹)", "not_due": "Not due (₹)", "0-30": "1–30 days (₹)",
        "31-60": "31–60 (₹)", "61-90": "61–90 (₹)", "90+": "90+ (₹)", "overdue": "Overdue (₹)",
        "overdue_invoices": "Overdue invoices"},
        {c: MONEY for c in ("outstanding", "not_due", "0-30", "31-60", "61-90", "90+", "overdue")}))
    visits = report.customer.visits()
    out.append(Sheet("Visits", visits, {c: ("Company" if c == "company" else c) for c in visits.columns},
                     {c: INTEGER for c in visits.columns if c != "company"}))
    matrix = report.competitor.share_change()
    if not matrix.empty:
        matrix = m.names(matrix, "model", "supplier_id")
    out.append(Sheet("Share of business", matrix, {
        "model": "Model", "part_family": "Part family", "supplier_id": "Supplier",
        "from_pct": f"{m.previous} %", "to_pct": f"{m.period} %", "change_pts": "Change (pts)"},
        {"from_pct": DECIMAL, "to_pct": DECIMAL, "change_pts": DECIMAL}))
    scorecard = m.names(report.competitor.scorecard(), "company_id")
    out.append(Sheet("Scorecard", scorecard, {
        "company_id": "Company", "latest_ppm": "Latest PPM", "latest_ppm_grade": "PPM grade",
        "latest_ppm_on": "PPM date", "latest_otif_pct": "Latest OTIF %", "latest_otif_grade": "OTIF grade",
        "latest_otif_on": "OTIF date", "latest_rating_pct": "Latest rating %",
        "latest_rating_band": "Rating band", "latest_rating_source": "Rating from",
        "latest_rating_on": "Rating date", "pricing_signals": "Pricing moves (90 d)", "technology_events": "Technology (90 d)",
        "capacity_events": "Capacity (90 d)", "visits": "Visits (90 d)", "signals": "Evidence",
        "threat_weight": "Gaining (weight)", "trouble_weight": "In trouble (weight)"},
        {"latest_ppm": INTEGER, "latest_otif_pct": DECIMAL, "latest_rating_pct": DECIMAL,
         "threat_weight": DECIMAL, "trouble_weight": DECIMAL}))
    out.append(Sheet("Evidence", evidence_log(report), {
        "observed_at": "Date", "type": "Signal", "company": "Company", "value": "Figure", "unit": "Unit",
        "previous_value": "Previous", "grade": "Grade", "text": "Evidence", "link": "Link or path",
        "source": "Source"}, {"value": "General", "previous_value": "General"}, links="link"))
    return out


def evidence_log(report: ThreeCReport) -> pd.DataFrame:
    """Every signal of the report's window at this customer, newest first, with its source."""
    m = report.model
    frame = m.signals.sort_values("observed_at", ascending=False)
    rows = []
    for s in frame.itertuples():
        link, source = report.evidence.source_text(s)
        rows.append({"observed_at": s.observed_at, "type": s.type.replace("_", " "),
                     "company": m.party(s.company_id, s.company_name), "value": s.value, "unit": s.unit,
                     "previous_value": getattr(s, "previous_value", None), "grade": s.grade,
                     "text": s.text, "link": link, "source": source})
    return pd.DataFrame(rows, columns=["observed_at", "type", "company", "value", "unit",
                                       "previous_value", "grade", "text", "link", "source"])


def write_workbook(report: ThreeCReport, path: str | Path, extra: Sequence[Sheet] = ()) -> Path:
    """Write the report's workbook to ``path`` (atomically: a partial file never replaces a good one),
    creating its folder if need be."""
    path = Path(path)
    # the folder is the caller's (the report notebook's export_dir), not a path from the data
    path.parent.mkdir(parents=True, exist_ok=True)
    wb = Workbook()
    wb.remove(wb.active)
    for sheet in [*sheets(report), *extra]:
        add_sheet(wb, sheet)
    wb.properties.title = f"3C report — {report.model.customer_name} — {report.model.period}"
    partial = path.with_name(path.name + ".partial")
    wb.save(partial)
    partial.replace(path)
    return path
