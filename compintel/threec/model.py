"""The data of one 3C report: one customer, one month, read from the store once.

Every query is filtered in SQL by the customer (and signals also by a time window), so the
cost of a report does not grow with the rest of the store. The sections
(:mod:`compintel.threec.summary`, ``company``, ``customer``, ``competitor``, ``evidence``)
read from this model and never from the store themselves.
"""

from __future__ import annotations

import calendar
import functools
import inspect
import re
import sqlite3
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

import pandas as pd

from .. import analysis
from ..catalog import Catalog
from ..errors import UserError
from ..store import Store

if TYPE_CHECKING:
    from ..workbench import Workbench

WINDOW_MONTHS = 12            # history shown in charts and accuracy tables
SIGNAL_HISTORY_MONTHS = 24    # signals read for one report (the scorecard weighs older ones ~0)
PERIOD = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
GENERAL_TYPES = ["technology_launch", "capacity", "partnership", "financial_result"]

# where each kind of customer data has its dates: (table, date expression)
SPAN_COLUMNS = (("sales", "month"), ("share_of_business", "month"),
                ("production_volumes", "month"), ("vendor_ratings", "month"),
                ("complaints", "substr(raised_on, 1, 7)"), ("rfqs", "substr(rfq_date, 1, 7)"),
                ("receivables", "substr(COALESCE(invoice_date, due_date), 1, 7)"),
                ("field_notes", "substr(note_date, 1, 7)"))


def once(method):
    """Compute a section's result once per report (per distinct arguments, defaults applied):
    several parts of the page (summary, tables, Excel) read the same result. The result is
    shared: callers copy before they change it."""
    name = f"_once_{method.__name__}"
    signature = inspect.signature(method)

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        bound = signature.bind(self, *args, **kwargs)
        bound.apply_defaults()
        key = tuple(bound.arguments.items())[1:]
        cache = self.__dict__.setdefault(name, {})
        if key not in cache:
            cache[key] = method(self, *args, **kwargs)
        return cache[key]

    return wrapper


class PeriodError(UserError):
    """A report period outside the customer's data. In a notebook it shows as one line
    (IPython prints ``_render_traceback_`` instead of a traceback)."""

    def _render_traceback_(self) -> list[str]:
        return [f"{type(self).__name__}: {self.format()}"]


def month_end(period: str) -> str:
    year, month = (int(part) for part in period.split("-"))
    return f"{period}-{calendar.monthrange(year, month)[1]:02d}"


@dataclass(frozen=True)
class DataSpan:
    """The months a customer's data covers: first and last month of any account table or
    field note, and the last month with sales rows."""

    first: str | None
    last: str | None
    last_sales: str | None

    @property
    def empty(self) -> bool:
        return self.first is None

    def __str__(self) -> str:
        return "no data" if self.empty else f"{self.first} to {self.last}"


def data_span(db: sqlite3.Connection | Store, customer_id: str) -> DataSpan:
    connection = db.db if isinstance(db, Store) else db
    parts = " UNION ALL ".join(
        f"SELECT MIN({expr}), MAX({expr}) FROM {name} WHERE customer_id = ?" for name, expr in SPAN_COLUMNS)
    rows = connection.execute(parts, (customer_id,) * len(SPAN_COLUMNS)).fetchall()
    firsts = [row[0] for row in rows if row[0]]
    lasts = [row[1] for row in rows if row[1]]
    last_sales = rows[0][1]
    return DataSpan(min(firsts) if firsts else None, max(lasts) if lasts else None, last_sales)


def customers_with_data(db: sqlite3.Connection | Store, catalog: Catalog) -> list[str]:
    """Customers that have account rows, notes or signals, in catalog order."""
    connection = db.db if isinstance(db, Store) else db
    found: set[str] = set()
    for name, _ in SPAN_COLUMNS:
        found.update(row[0] for row in connection.execute(f"SELECT DISTINCT customer_id FROM {name}"))
    found.update(row[0] for row in connection.execute(
        "SELECT DISTINCT customer_id FROM signals WHERE customer_id IS NOT NULL"))
    return [entry.id for entry in catalog.companies("customer") if entry.id in found]


def default_period(db: sqlite3.Connection | Store, customer_ids: list[str]) -> str | None:
    """The latest month with data among ``customer_ids``: the last month with sales rows,
    else the last month of any account table or note."""
    spans = [data_span(db, cid) for cid in customer_ids]
    sales = [span.last_sales for span in spans if span.last_sales]
    if sales:
        return max(sales)
    lasts = [span.last for span in spans if span.last]
    return max(lasts) if lasts else None


def check_span(span: DataSpan, customer: str, period: str, *, hint: str) -> None:
    """Refuse a period outside the customer's data, naming the data's span."""
    if span.empty:
        raise PeriodError(f"{customer} has no account data or field notes to report",
                          hint="import its tables or notes first")
    if not span.first <= period <= span.last:
        raise PeriodError(f"{period} is outside {customer}'s data, which spans {span}",
                          hint=hint.format(first=span.first, last=span.last))


class ReportModel:
    """The data and context of the 3C report of one customer for one month."""

    def __init__(self, wb: Workbench, customer: str, period: str | None = None, *,
                 period_hint: str = "choose a month from {first} to {last} with -p period YYYY-MM") -> None:
        self.wb = wb
        self.catalog = wb.catalog
        self.customer_id = wb.customer(customer)
        self.customer_name = self.catalog.display_name(self.customer_id)
        self.span = data_span(wb.store, self.customer_id)
        if self.span.empty:
            check_span(self.span, self.customer_name, str(period), hint=period_hint)
        if not period:
            period = self.span.last_sales or self.span.last or ""
        if not PERIOD.match(str(period)):
            raise PeriodError(f"period must be YYYY-MM, got {period!r}", hint="for example -p period 2026-10")
        self.period = period
        check_span(self.span, self.customer_name, self.period, hint=period_hint)
        self.as_of = month_end(self.period)
        self.fy = analysis.fiscal_year(self.period)
        self.previous = analysis.add_months(self.period, -1)
        self.previous_as_of = month_end(self.previous)
        self.window_start = analysis.add_months(self.period, -(WINDOW_MONTHS - 1))
        self.signal_start = analysis.add_months(self.period, -(SIGNAL_HISTORY_MONTHS - 1))
        self.our = self.catalog.our_company
        self.our_name = self.catalog.display_name(self.our)

    # -- tables --------------------------------------------------------------------------
    def _frame(self, table_name: str) -> pd.DataFrame:
        return self.wb.frame(table_name, self.customer_id)

    def _until_period(self, frame: pd.DataFrame, column: str = "month") -> pd.DataFrame:
        return frame[frame[column] <= self.period] if not frame.empty else frame

    @cached_property
    def sales(self) -> pd.DataFrame:
        return self._until_period(self._frame("sales"))

    @cached_property
    def share(self) -> pd.DataFrame:
        return self._until_period(self._frame("share_of_business"))

    @cached_property
    def volumes(self) -> pd.DataFrame:
        return self._until_period(self._frame("production_volumes"))

    @cached_property
    def glass_content(self) -> pd.DataFrame:
        return self.wb.glass_content()

    @cached_property
    def vendor_ratings(self) -> pd.DataFrame:
        return self._until_period(self._frame("vendor_ratings"))

    @cached_property
    def complaints(self) -> pd.DataFrame:
        frame = self._frame("complaints")
        return frame[frame["raised_on"] <= self.as_of] if not frame.empty else frame

    @cached_property
    def rfqs(self) -> pd.DataFrame:
        frame = self._frame("rfqs")
        return frame[frame["rfq_date"] <= self.as_of] if not frame.empty else frame

    @cached_property
    def receivables(self) -> pd.DataFrame:
        return self._frame("receivables")

    @cached_property
    def notes(self) -> pd.DataFrame:
        """Field notes and visit-log rows up to the month's end."""
        notes = self.wb.notes(self.customer_id)
        return notes[notes["note_date"] <= self.as_of] if not notes.empty else notes

    @cached_property
    def signals(self) -> pd.DataFrame:
        """Signals at this customer from ``SIGNAL_HISTORY_MONTHS`` before the period to its end."""
        return self.wb.signals(self.customer_id, since=self.signal_start, until=self.period)

    @cached_property
    def general_signals(self) -> pd.DataFrame:
        """Competitor events that name no customer (a new line, a product) concern every account."""
        return self.wb.signals(since=self.window_start, until=self.period, types=GENERAL_TYPES,
                               no_customer=True)

    def month_signals(self, period: str | None = None) -> pd.DataFrame:
        period = period or self.period
        return self.signals[self.signals["observed_at"].fillna("").str.startswith(period)]

    # -- names ---------------------------------------------------------------------------
    def name(self, entity_id: Any) -> str:
        if entity_id is None or (isinstance(entity_id, float) and pd.isna(entity_id)):
            return "—"
        return self.catalog.display_name(str(entity_id))

    def party(self, entity_id: Any, name: Any) -> str:
        """A signal's company: its catalog name, else the name the text gave an organisation
        outside the catalog."""
        if (entity_id is None or pd.isna(entity_id)) and isinstance(name, str) and name:
            return name
        return self.name(entity_id)

    def names(self, frame: pd.DataFrame, *columns: str) -> pd.DataFrame:
        frame = frame.copy()
        for column in columns:
            if column in frame.columns:
                frame[column] = frame[column].map(self.name).astype(object)
        return frame

    def is_competitor(self, entity_id: Any) -> bool:
        return (isinstance(entity_id, str) and entity_id in self.catalog
                and self.catalog[entity_id].role == "competitor")

    # -- shared results ------------------------------------------------------------------
    @cached_property
    def sales_by_month(self) -> pd.DataFrame:
        if self.sales.empty:
            return pd.DataFrame()
        return analysis.plan_vs_actual(self.sales, freq="month", by=("customer_id",), end=self.period)

    @cached_property
    def share_by_month(self) -> pd.DataFrame:
        if self.share.empty:
            return pd.DataFrame()
        return analysis.aggregate_share(self.share, self.volumes, self.glass_content,
                                        by=("customer_id",), our_company=self.our)

    @once
    def our_share(self, month: str) -> float | None:
        frame = self.share_by_month
        if frame.empty:
            return None
        row = frame[(frame["supplier_id"] == self.our) & (frame["month"] == month)]
        return None if row.empty else float(row["share_pct"].iloc[0])

    @cached_property
    def ratings(self) -> pd.DataFrame:
        if self.vendor_ratings.empty:
            return self.vendor_ratings
        return analysis.vendor_rating_trend(self.vendor_ratings, our_company=self.our,
                                            customer_id=self.customer_id,
                                            start=self.window_start, end=self.period)

    @once
    def our_rating(self, month: str | None = None) -> dict[str, Any] | None:
        """Our latest rating up to ``month`` (default: the period)."""
        frame = self.ratings
        if frame.empty:
            return None
        ours = frame[frame["is_ours"] & (frame["score"].notna() | frame["band"].notna())
                     & (frame["month"] <= (month or self.period))]
        if ours.empty:
            return None
        return ours.sort_values("month").iloc[-1].to_dict()

    @once
    def open_issues(self, as_of: str | None = None) -> pd.DataFrame:
        if self.complaints.empty:
            return pd.DataFrame(columns=["overdue_days"])
        complaints = self.complaints[self.complaints["raised_on"] <= (as_of or self.as_of)]
        return analysis.open_issues(complaints, as_of=as_of or self.as_of, customer_id=self.customer_id)

    @once
    def receivables_ageing(self, as_of: str | None = None) -> pd.DataFrame:
        if self.receivables.empty:
            return self.receivables
        return analysis.receivables_ageing(self.receivables, as_of=as_of or self.as_of)

    @once
    def overdue(self, as_of: str | None = None) -> float | None:
        ageing = self.receivables_ageing(as_of)
        return None if ageing.empty else float(ageing["overdue"].iloc[0])

    @once
    def scorecard(self, as_of: str | None = None) -> pd.DataFrame:
        as_of = as_of or self.as_of
        signals = self.signals[self.signals["observed_at"].fillna("") <= as_of]
        return analysis.scorecard(signals, customer_id=self.customer_id, our_company=self.our,
                                  as_of=as_of, ratings=self.vendor_ratings, our_notes=self.notes)

    # -- where the data comes from -------------------------------------------------------
    def freshness(self) -> pd.DataFrame:
        """Per account table and source: the months it covers for this customer and when it
        was last imported or fetched."""
        rows = []
        db = self.wb.store.db
        for name, expr in SPAN_COLUMNS:
            if name == "field_notes":
                continue
            found = db.execute(
                f"SELECT MIN({expr}), MAX({expr}), MAX(i.imported_at), COUNT(*), "
                f"GROUP_CONCAT(DISTINCT i.path) FROM {name} t JOIN imports i ON i.id = t.import_id "
                "WHERE t.customer_id = ?", (self.customer_id,)).fetchone()
            if found[3]:
                rows.append({"data": name.replace("_", " "), "from": found[0], "to": found[1],
                             "rows": found[3], "updated": (found[2] or "")[:10],
                             "where": found[4]})
        for row in db.execute(
                "SELECT COALESCE(d.source_id, 'notes') AS source, MIN(n.note_date), MAX(n.note_date), "
                "COUNT(*), MAX(d.fetched_at) FROM field_notes n JOIN documents d ON d.id = n.document_id "
                "WHERE n.customer_id = ? GROUP BY source", (self.customer_id,)):
            rows.append({"data": f"field notes ({row[0]})", "from": row[1][:7], "to": row[2][:7],
                         "rows": row[3], "updated": (row[4] or "")[:10], "where": row[0]})
        for row in db.execute(
                "SELECT d.source_id, MIN(substr(COALESCE(d.published_at, d.fetched_at), 1, 7)), "
                "MAX(substr(COALESCE(d.published_at, d.fetched_at), 1, 7)), COUNT(DISTINCT d.id), "
                "MAX(d.fetched_at) FROM signals s JOIN documents d ON d.id = s.document_id "
                "WHERE s.customer_id = ? AND d.kind != 'note' GROUP BY d.source_id",
                (self.customer_id,)):
            rows.append({"data": f"web ({row[0] or 'unknown source'})", "from": row[1], "to": row[2],
                         "rows": row[3], "updated": (row[4] or "")[:10], "where": row[0] or ""})
        return pd.DataFrame(rows, columns=["data", "from", "to", "rows", "updated", "where"])
