"""The 3C report's content for one customer and month: analysis results as escaped HTML and charts.

``notebooks/3c_report.ipynb`` calls one method per section. The numbers come from
:mod:`compintel.analysis`; this module only selects the customer's data, calls the analysis
functions, and formats the results. Every text that came from outside (scraped pages, field
notes, spreadsheet cells) is HTML-escaped here, so a report never carries foreign markup.
"""

from __future__ import annotations

import calendar
import html
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import matplotlib.pyplot as plt
import pandas as pd

from . import analysis
from .report import check_period

if TYPE_CHECKING:
    from .workbench import Workbench

WINDOW_MONTHS = 12          # history shown in charts and accuracy tables
SHARE_MOVE_MONTHS = 3       # "where did share move" compares with this many months earlier
EVIDENCE_LIMIT = 40         # signals listed as evidence
GRADE_ORDER = {"observed": 0, "reported": 1, "rumoured": 2}


@dataclass(frozen=True)
class Html:
    """An HTML fragment that Jupyter displays as HTML (already escaped where needed)."""

    markup: str

    def _repr_html_(self) -> str:
        return self.markup

    def __str__(self) -> str:
        return self.markup


def esc(value: Any) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    return html.escape(str(value), quote=True)


def inr(value: float | None) -> str:
    """Rupees the Indian way: ₹ 12.4 L, ₹ 3.25 Cr."""
    if value is None or pd.isna(value):
        return "—"
    sign = "−" if value < 0 else ""
    value = abs(float(value))
    if value >= 1e7:
        return f"{sign}₹ {value / 1e7:,.2f} Cr"
    if value >= 1e5:
        return f"{sign}₹ {value / 1e5:,.1f} L"
    return f"{sign}₹ {value:,.0f}"


def web_url(url: str) -> bool:
    """Whether a document URL may become a link in a report: http or https, with a host."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def latest_figure(value: Any, grade: Any, age_days: Any, on: Any, digits: int = 0, unit: str = "") -> str:
    """A latest figure with its grade and age: "380 · observed, 12 d ago (2026-10-19)"."""
    if value is None or pd.isna(value):
        return "—"
    when = str(on)[:10] if on is not None and not pd.isna(on) else ""
    age = f", {int(age_days)} d ago" if age_days is not None and not pd.isna(age_days) else ""
    grade = grade if isinstance(grade, str) else "reported"
    return f"{value:,.{digits}f}{unit} · {grade}{age}" + (f" ({when})" if when else "")


def number(value: float | None, digits: int = 0, suffix: str = "") -> str:
    if value is None or pd.isna(value):
        return "—"
    return f"{value:,.{digits}f}{suffix}"


def table(frame: pd.DataFrame, columns: dict[str, str] | None = None,
          formats: dict[str, Any] | None = None, empty: str = "No data.") -> Html:
    """A DataFrame as an escaped HTML table with friendly headers and formatted cells."""
    if frame is None or frame.empty:
        return Html(f'<p class="ci-muted">{esc(empty)}</p>')
    frame = frame.copy()
    for column in frame.columns:
        if pd.api.types.is_datetime64_any_dtype(frame[column]):
            frame[column] = frame[column].dt.strftime("%Y-%m-%d")
    if columns:
        frame = frame[[c for c in columns if c in frame.columns]].rename(columns=columns)
    for column, formatter in (formats or {}).items():
        name = columns.get(column, column) if columns else column
        if name in frame.columns:
            frame[name] = frame[name].map(formatter).astype(object)
    frame = frame.astype(object).where(frame.notna(), "—")
    return Html(frame.to_html(index=False, escape=True, classes="ci-table", border=0))


def _month_end(period: str) -> str:
    year, month = (int(part) for part in period.split("-"))
    return f"{period}-{calendar.monthrange(year, month)[1]:02d}"


class ThreeCReport:
    """Everything the 3C report of one customer and month shows."""

    def __init__(self, wb: Workbench, customer: str, period: str) -> None:
        self.wb = wb
        self.catalog = wb.catalog
        self.customer_id = wb.customer(customer)
        self.customer_name = self.catalog.display_name(self.customer_id)
        self.period = check_period(period)
        self.as_of = _month_end(self.period)
        self.fy = analysis.fiscal_year(self.period)
        self.window_start = analysis.add_months(self.period, -(WINDOW_MONTHS - 1))
        self.our = self.catalog.our_company
        self.our_name = self.catalog.display_name(self.our)

    # -- data ------------------------------------------------------------------------
    def _frame(self, table_name: str) -> pd.DataFrame:
        return self.wb.frame(table_name, self.customer_id)

    @cached_property
    def sales(self) -> pd.DataFrame:
        frame = self._frame("sales")
        return frame[frame["month"] <= self.period]

    @cached_property
    def share(self) -> pd.DataFrame:
        frame = self._frame("share_of_business")
        return frame[frame["month"] <= self.period]

    @cached_property
    def volumes(self) -> pd.DataFrame:
        frame = self._frame("production_volumes")
        return frame[frame["month"] <= self.period]

    @cached_property
    def glass_content(self) -> pd.DataFrame:
        return self.wb.glass_content()

    @cached_property
    def signals(self) -> pd.DataFrame:
        return self.wb.signals(self.customer_id, until=self.period)

    @cached_property
    def general_signals(self) -> pd.DataFrame:
        """Competitor events that name no customer (a new line, a product) concern every account."""
        frame = self.wb.signals(until=self.period, types=["technology_launch", "capacity", "partnership",
                                                         "financial_result"])
        return frame[frame["customer_id"].isna()]

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

    def _names(self, frame: pd.DataFrame, *columns: str) -> pd.DataFrame:
        frame = frame.copy()
        for column in columns:
            if column in frame.columns:
                frame[column] = frame[column].map(self.name).astype(object)
        return frame

    # -- header and summary ------------------------------------------------------------
    def header(self) -> Html:
        settings = self.wb.workspace.settings
        generated = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
        banner = ""
        if settings.fictional:
            banner = ('<div class="ci-banner">Demo data — every company, plant, person, event and '
                      'figure in this report is fictional.</div>')
        return Html(
            f"<h1>3C report — {esc(self.customer_name)}</h1>"
            f'<p class="ci-muted">{esc(self.period)} ({esc(self.fy)}) · our company: '
            f"{esc(self.our_name)} · workspace: {esc(settings.name)} · generated {esc(generated)}</p>"
            f"{banner}")

    def _kpi(self, label: str, value: str, note: str = "", tone: str = "") -> str:
        tone_class = f" ci-{tone}" if tone else ""
        return (f'<div class="ci-kpi"><div class="ci-kpi-label">{esc(label)}</div>'
                f'<div class="ci-kpi-value{tone_class}">{esc(value)}</div>'
                f'<div class="ci-kpi-note">{esc(note)}</div></div>')

    def summary(self) -> Html:
        cards = []
        month = self.sales_by_month()
        row = month[month["period"] == self.period] if not month.empty else month
        if not row.empty:
            r = row.iloc[0]
            cards.append(self._kpi("Sales this month", inr(r["actual_value"]),
                                   f"plan {inr(r['plan_value'])} · {number(r['ach_value_pct'], 0, '%')}",
                                   self._tone(r["ach_value_pct"], 100)))
            cards.append(self._kpi(f"Sales YTD {self.fy}", inr(r.get("ytd_actual_value")),
                                   f"plan {inr(r.get('ytd_plan_value'))} · "
                                   f"{number(r.get('ytd_ach_value_pct'), 0, '%')}",
                                   self._tone(r.get("ytd_ach_value_pct"), 100)))
        else:
            cards.append(self._kpi("Sales this month", "—", "no sales rows for this month"))
        ours = self.our_share_by_month()
        if not ours.empty and self.period in set(ours["month"]):
            now = ours.loc[ours["month"] == self.period, "share_pct"].iloc[0]
            before_month = analysis.add_months(self.period, -SHARE_MOVE_MONTHS)
            before = ours.loc[ours["month"] == before_month, "share_pct"]
            change = f"{now - before.iloc[0]:+.1f} pts vs {before_month}" if not before.empty else ""
            cards.append(self._kpi("Our share of business", number(now, 1, "%"), change))
        rating = self.our_rating()
        if rating is not None:
            cards.append(self._kpi("Vendor rating", f"{number(rating['score'], 0)} {rating['band'] or ''}".strip(),
                                   str(rating["month"]), self._band_tone(rating["band"])))
        issues = self.open_issues_frame()
        overdue = int((issues["overdue_days"].fillna(0) > 0).sum()) if not issues.empty else 0
        cards.append(self._kpi("Open issues", str(len(issues)), f"{overdue} past target",
                               "bad" if overdue else ""))
        ageing = self.receivables_frame()
        if not ageing.empty:
            r = ageing.iloc[0]
            cards.append(self._kpi("Receivables overdue", inr(r["overdue"]),
                                   f"outstanding {inr(r['outstanding'])}", "bad" if r["overdue"] > 0 else ""))
        accuracy = self.forecast_overall()
        if accuracy is not None:
            cards.append(self._kpi("Forecast error (WAPE)", number(accuracy, 1, "%"),
                                   f"plan vs actual qty, last {WINDOW_MONTHS} months"))
        month_signals = self.signals[self.signals["observed_at"].fillna("").str.startswith(self.period)]
        competitor_signals = month_signals[month_signals["company_id"].notna()
                                           & (month_signals["company_id"] != self.our)]
        cards.append(self._kpi("Competitor signals this month", str(len(competitor_signals)),
                               f"{len(self.signals)} signals at this customer in all"))
        return Html('<div class="ci-kpis">' + "".join(cards) + "</div>")

    @staticmethod
    def _tone(value: Any, target: float) -> str:
        if value is None or pd.isna(value):
            return ""
        return "good" if value >= target else "bad"

    @staticmethod
    def _band_tone(band: Any) -> str:
        band = str(band or "").lower()
        return {"green": "good", "purple": "good", "red": "bad", "yellow": "gap", "amber": "gap"}.get(band, "")

    # -- Company: us -------------------------------------------------------------------
    def sales_by_month(self) -> pd.DataFrame:
        if self.sales.empty:
            return pd.DataFrame()
        return analysis.plan_vs_actual(self.sales, freq="month", by=("customer_id",),
                                       end=self.period)

    def sales_chart(self):
        frame = self.sales_by_month()
        if frame.empty:
            return Html('<p class="ci-muted">No sales rows for this customer.</p>')
        frame = frame[frame["period"] >= self.window_start]
        if frame.empty:
            return Html(f'<p class="ci-muted">No sales rows in the twelve months to {esc(self.period)}.</p>')
        fig, ax = plt.subplots(figsize=(9, 3.2))
        x = range(len(frame))
        ax.bar([i - 0.2 for i in x], frame["plan_value"] / 1e5, width=0.4, label="plan", color="#b6c8e0")
        ax.bar([i + 0.2 for i in x], frame["actual_value"] / 1e5, width=0.4, label="actual", color="#1f6feb")
        ax.set_xticks(list(x), frame["period"], rotation=45, ha="right", fontsize=8)
        ax.set_ylabel("₹ lakh")
        ax.set_title(f"Sales vs plan — {self.customer_name}", fontsize=10)
        ax.legend(fontsize=8, frameon=False)
        ax.spines[["top", "right"]].set_visible(False)
        fig.tight_layout()
        plt.close(fig)
        return fig

    def sales_table(self) -> Html:
        if self.sales.empty:
            return Html('<p class="ci-muted">No sales rows.</p>')
        by_part = analysis.plan_vs_actual(self.sales, freq="month", by=("customer_id", "part_family"),
                                          end=self.period)
        by_part = by_part[by_part["period"] == self.period]
        columns = {"part_family": "Part family", "plan_qty": "Plan qty", "actual_qty": "Actual qty",
                   "ach_qty_pct": "Qty ach. %", "plan_value": "Plan value", "actual_value": "Actual value",
                   "ach_value_pct": "Value ach. %", "ytd_plan_value": f"YTD plan ({self.fy})",
                   "ytd_actual_value": "YTD actual", "ytd_ach_value_pct": "YTD ach. %"}
        formats = {"plan_qty": number, "actual_qty": number, "plan_value": inr, "actual_value": inr,
                   "ytd_plan_value": inr, "ytd_actual_value": inr,
                   "ach_qty_pct": lambda v: number(v, 1), "ach_value_pct": lambda v: number(v, 1),
                   "ytd_ach_value_pct": lambda v: number(v, 1)}
        parts = table(by_part, columns, formats, empty=f"No sales rows for {self.period}.")
        missing = analysis.missing_plans(self.sales, end=self.period)
        missing = missing[missing["month"] >= self.window_start] if not missing.empty else missing
        note = ""
        if not missing.empty:
            items = ", ".join(f"{esc(r.part_family)} {esc(r.month)}" for r in missing.itertuples())
            note = (f'<p class="ci-gap">Missing plan (shown as a gap, not a zero): {items}.</p>')
        return Html(parts.markup + note)

    def forecast_table(self) -> Html:
        if self.sales.empty:
            return Html('<p class="ci-muted">No sales rows.</p>')
        frame = analysis.baseline_comparison(self.sales, measure="qty", by=("customer_id", "part_family"),
                                             start=self.window_start, end=self.period)
        columns = {"part_family": "Part family", "method": "Forecast", "months": "Months",
                   "mape_pct": "MAPE %", "wape_pct": "WAPE %", "bias_pct": "Bias %",
                   "tracking_signal": "Tracking signal"}
        fmt = {key: (lambda v: number(v, 1)) for key in ("mape_pct", "wape_pct", "bias_pct", "tracking_signal")}
        frame = frame.assign(method=frame["method"].map({"plan": "our plan",
                                                         "seasonal_naive": "seasonal naive"}))
        return table(frame, columns, fmt, empty="Not enough months with plan and actual.")

    def forecast_overall(self) -> float | None:
        if self.sales.empty:
            return None
        frame = analysis.forecast_accuracy(self.sales, measure="qty", by=("customer_id",),
                                           start=self.window_start, end=self.period)
        if frame.empty or "wape_pct" not in frame:
            return None
        value = frame["wape_pct"].iloc[0]
        return None if pd.isna(value) else float(value)

    def demand_table(self) -> Html:
        if self.volumes.empty or self.share.empty or self.sales.empty:
            return Html('<p class="ci-muted">Needs production volumes, share of business and sales rows.</p>')
        frame = analysis.demand_estimate(self.volumes, self.glass_content, self.share, self.sales,
                                         our_company=self.our, start=self.period, end=self.period)
        columns = {"part_family": "Part family", "estimate_qty": "Estimated demand (pcs)",
                   "plan_qty": "Our plan (pcs)", "gap_qty": "Plan − estimate", "gap_pct": "Gap %",
                   "flagged": "Flag"}
        fmt = {"estimate_qty": number, "plan_qty": number, "gap_qty": number,
               "gap_pct": lambda v: number(v, 1), "flagged": lambda v: "⚠ check" if v is True else ""}
        return table(frame, columns, fmt, empty="No production volumes for this month.")

    # -- Customer ----------------------------------------------------------------------
    def volumes_chart(self):
        if self.volumes.empty:
            return Html('<p class="ci-muted">No production volumes.</p>')
        frame = self.volumes[self.volumes["month"] >= self.window_start].copy()
        if frame.empty:
            return Html(f'<p class="ci-muted">No production volumes in the twelve months to {esc(self.period)}.</p>')
        frame["model"] = frame["model"].map(self.name)
        pivot = frame.pivot_table(index="month", columns="model", values="volume", aggfunc="sum")
        fig, ax = plt.subplots(figsize=(9, 3.2))
        pivot.plot(ax=ax, kind="bar", stacked=True, width=0.8, colormap="tab20c")
        ax.set_ylabel("vehicles")
        ax.set_xlabel("")
        ax.set_title(f"{self.customer_name} production by model", fontsize=10)
        ax.tick_params(axis="x", labelsize=8, rotation=45)
        ax.legend(fontsize=8, frameon=False, ncol=4)
        ax.spines[["top", "right"]].set_visible(False)
        fig.tight_layout()
        plt.close(fig)
        return fig

    def ratings(self) -> pd.DataFrame:
        frame = self._frame("vendor_ratings")
        frame = frame[frame["month"] <= self.period]
        if frame.empty:
            return frame
        return analysis.vendor_rating_trend(frame, our_company=self.our, customer_id=self.customer_id,
                                            start=self.window_start, end=self.period)

    def our_rating(self) -> dict[str, Any] | None:
        frame = self.ratings()
        if frame.empty:
            return None
        ours = frame[frame["is_ours"] & (frame["score"].notna() | frame["band"].notna())]
        if ours.empty:
            return None
        return ours.sort_values("month").iloc[-1].to_dict()

    def rating_section(self) -> Html:
        frame = self.ratings()
        if frame.empty:
            return Html('<p class="ci-muted">No vendor ratings.</p>')
        rated = frame[frame["score"].notna() | frame["band"].notna()]
        latest = rated.sort_values("month").groupby(["supplier_id", "plant_id"], dropna=False).tail(1)
        latest = self._names(latest, "supplier_id", "plant_id")
        columns = {"supplier_id": "Supplier", "plant_id": "Plant", "month": "Month", "score": "Score",
                   "band": "Band", "score_change": "Change", "prev_band": "Previous band"}
        return table(latest, columns, {"score": number, "score_change": lambda v: number(v, 1)})

    def rating_chart(self):
        frame = self.ratings()
        ours = frame[frame["is_ours"] & frame["score"].notna()] if not frame.empty else frame
        if ours.empty:
            return Html("")
        fig, ax = plt.subplots(figsize=(9, 2.6))
        for plant, group in ours.groupby(ours["plant_id"].fillna("all plants")):
            ax.plot(group["month"], group["score"], marker="o", label=self.name(plant))
        ax.set_ylabel("score")
        ax.set_title(f"{self.our_name} vendor rating at {self.customer_name}", fontsize=10)
        ax.tick_params(axis="x", labelsize=8, rotation=45)
        ax.legend(fontsize=8, frameon=False)
        ax.spines[["top", "right"]].set_visible(False)
        fig.tight_layout()
        plt.close(fig)
        return fig

    @cached_property
    def complaints(self) -> pd.DataFrame:
        return self._frame("complaints")

    def complaints_table(self) -> Html:
        if self.complaints.empty:
            return Html('<p class="ci-muted">No complaints recorded.</p>')
        frame = analysis.complaints_by_category(self.complaints, customer_id=self.customer_id,
                                                start=self.window_start, end=self.period)
        return table(frame.drop(columns=["customer_id"]), empty="No complaints in the window.")

    def open_issues_frame(self) -> pd.DataFrame:
        if self.complaints.empty:
            return pd.DataFrame(columns=["overdue_days"])
        return analysis.open_issues(self.complaints, as_of=self.as_of, customer_id=self.customer_id)

    def open_issues_table(self) -> Html:
        frame = self._names(self.open_issues_frame(), "plant_id")
        columns = {"ref": "Ref", "plant_id": "Plant", "category": "QCDDM", "description": "Issue",
                   "raised_on": "Raised", "target_on": "Target", "days_open": "Days open",
                   "overdue_days": "Days overdue", "bucket": "Ageing"}
        return table(frame, columns, {"days_open": number, "overdue_days": number},
                     empty=f"No open issues on {self.as_of}.")

    def voc_table(self) -> Html:
        if self.complaints.empty:
            return Html('<p class="ci-muted">No VOC items.</p>')
        frame = analysis.voc_items(self.complaints, as_of=self.as_of, customer_id=self.customer_id)
        columns = {"ref": "Ref", "category": "QCDDM", "description": "Voice of customer",
                   "raised_on": "Raised", "status": "Status"}
        return table(frame, columns, empty="No VOC items.")

    def rfq_section(self) -> Html:
        rfqs = self._frame("rfqs")
        rfqs = rfqs[rfqs["rfq_date"] <= self.as_of]
        if rfqs.empty:
            return Html('<p class="ci-muted">No RFQs recorded.</p>')
        pipeline = analysis.rfq_pipeline(rfqs, by=("customer_id",))
        columns = {"n_open": "Open", "n_quoted": "Quoted", "n_won": "Won", "n_lost": "Lost",
                   "n_dropped": "Dropped", "win_rate_pct": "Win rate %", "value_won": "Value won / yr",
                   "value_lost": "Value lost / yr"}
        part = table(pipeline, columns, {"win_rate_pct": lambda v: number(v, 0), "value_won": inr,
                                         "value_lost": inr})
        lost = self._names(analysis.lost_rfqs(rfqs, end=self.as_of), "competitor_id")
        lost_columns = {"programme": "Programme", "part_family": "Part", "competitor_id": "Lost to",
                        "value": "Value / yr", "reason": "Reason", "decided_on": "Decided"}
        lost_part = table(lost, lost_columns, {"value": inr}, empty="No RFQs lost.")
        open_rfqs = rfqs[rfqs["status"].isin(["open", "quoted"])].sort_values("rfq_date")
        open_columns = {"rfq_date": "Date", "programme": "Programme", "part_family": "Part",
                        "status": "Status", "value": "Value / yr"}
        open_part = table(open_rfqs, open_columns, {"value": inr}, empty="No open RFQs.")
        return Html(part.markup + "<h4>Lost to competitors</h4>" + lost_part.markup
                    + "<h4>Open and quoted</h4>" + open_part.markup)

    def receivables_frame(self) -> pd.DataFrame:
        frame = self._frame("receivables")
        if frame.empty:
            return frame
        return analysis.receivables_ageing(frame, as_of=self.as_of)

    def receivables_section(self) -> Html:
        ageing = self.receivables_frame()
        columns = {"outstanding": "Outstanding", "not_due": "Not due", "0-30": "1–30 days",
                   "31-60": "31–60", "61-90": "61–90", "90+": "90+", "overdue_invoices": "Overdue invoices"}
        fmt = {key: inr for key in ("outstanding", "not_due", "0-30", "31-60", "61-90", "90+")}
        part = table(ageing, columns, fmt, empty="No receivables.")
        receipts = self._frame("receivables")
        if receipts.empty:
            return part
        plan = analysis.receipts_plan_vs_actual(receipts, customer_id=self.customer_id,
                                                start=analysis.add_months(self.period, -5), end=self.period)
        plan_columns = {"month": "Month", "planned": "Receipts planned", "received": "Received",
                        "variance": "Variance", "achievement_pct": "Achievement %"}
        plan_part = table(plan, plan_columns, {"planned": inr, "received": inr, "variance": inr,
                                               "achievement_pct": lambda v: number(v, 0)})
        return Html(part.markup + "<h4>Receipts, plan vs actual</h4>" + plan_part.markup)

    def notes_section(self) -> Html:
        notes = self.wb.notes(self.customer_id)
        since = analysis.add_months(self.period, -2)
        notes = notes[(notes["note_date"] >= since + "-01") & (notes["note_date"] <= self.as_of)]
        if notes.empty:
            return Html('<p class="ci-muted">No field notes in the last three months.</p>')
        items = []
        for note in notes.sort_values("note_date", ascending=False).itertuples():
            meta = " · ".join(part for part in (
                esc(note.note_date), esc(self.name(note.plant_id)) if note.plant_id else "",
                esc(note.author), esc(note.grade),
                f"about {esc(self.name(note.competitor_id))}" if note.competitor_id else "") if part)
            items.append(f'<div><p class="ci-muted">{meta}</p>'
                         f'<div class="ci-quote">{esc(note.text.strip())}</div></div>')
        return Html("".join(items))

    # -- Competitor --------------------------------------------------------------------
    def our_share_by_month(self) -> pd.DataFrame:
        frame = self.share_by_month()
        return frame[frame["supplier_id"] == self.our] if not frame.empty else frame

    @cached_property
    def _share_by_month(self) -> pd.DataFrame:
        if self.share.empty:
            return pd.DataFrame()
        return analysis.aggregate_share(self.share, self.volumes, self.glass_content,
                                        by=("customer_id",), our_company=self.our)

    def share_by_month(self) -> pd.DataFrame:
        return self._share_by_month

    def share_chart(self):
        frame = self.share_by_month()
        if frame.empty:
            return Html('<p class="ci-muted">No share-of-business rows.</p>')
        frame = frame[frame["month"] >= self.window_start].copy()
        if frame.empty:
            return Html(f'<p class="ci-muted">No share-of-business rows in the twelve months to '
                        f'{esc(self.period)}.</p>')
        frame["supplier"] = frame["supplier_id"].map(self.name)
        pivot = frame.pivot_table(index="month", columns="supplier", values="share_pct", aggfunc="sum")
        ordered = [self.our_name] + [c for c in pivot.columns if c != self.our_name]
        pivot = pivot[[c for c in ordered if c in pivot.columns]]
        fig, ax = plt.subplots(figsize=(9, 3.2))
        pivot.plot(ax=ax, kind="area", stacked=True, alpha=0.85, colormap="tab10", linewidth=0)
        ax.set_ylim(0, 100)
        ax.set_ylabel("share of business, %")
        ax.set_xlabel("")
        weighting = ", ".join(sorted(set(frame["weighting"].dropna())))
        ax.set_title(f"Share of business at {self.customer_name} (weighted: {weighting})", fontsize=10)
        ax.legend(fontsize=8, frameon=False, loc="lower left", ncol=4)
        ax.spines[["top", "right"]].set_visible(False)
        fig.tight_layout()
        plt.close(fig)
        return fig

    def share_moves_table(self) -> Html:
        if self.share.empty:
            return Html('<p class="ci-muted">No share-of-business rows.</p>')
        start = analysis.add_months(self.period, -SHARE_MOVE_MONTHS)
        frame = analysis.share_moves(self.share, self.volumes, self.glass_content, from_period=start,
                                     to_period=self.period, our_company=self.our, min_change_pts=0.5)
        frame = self._names(frame, "supplier_id", "model")
        columns = {"model": "Model", "part_family": "Part family", "supplier_id": "Supplier",
                   "outcome": "Outcome", "from_pct": f"{start} %", "to_pct": f"{self.period} %",
                   "change_pts": "Change (pts)", "pieces_per_month": "Pieces / month"}
        fmt = {"from_pct": lambda v: number(v, 1), "to_pct": lambda v: number(v, 1),
               "change_pts": lambda v: number(v, 1), "pieces_per_month": number}
        return table(frame, columns, fmt, empty=f"No share moved between {start} and {self.period}.")

    def scorecard_table(self) -> Html:
        frame = analysis.scorecard(self.signals, customer_id=self.customer_id, our_company=self.our,
                                   as_of=self.as_of)
        frame = frame[frame["company_id"].map(lambda c: c in self.catalog
                                              and self.catalog[c].role in ("own", "competitor"))]
        frame = self._names(frame, "company_id")
        for stem, value, digits, unit in (("latest_ppm", "latest_ppm", 0, ""),
                                          ("latest_otif", "latest_otif_pct", 1, " %"),
                                          ("latest_rating", "latest_rating_pct", 0, " %")):
            frame[stem] = [latest_figure(row[value], row[f"{stem}_grade"], row[f"{stem}_age_days"],
                                         row[f"{stem}_on"], digits, unit)
                           for _, row in frame.iterrows()]
        columns = {"company_id": "Company", "latest_ppm": "Latest PPM", "latest_otif": "Latest OTIF",
                   "latest_rating": "Latest vendor rating",
                   "pricing_signals": "Pricing moves (90 d)", "technology_events": "Technology (90 d)",
                   "capacity_events": "Capacity (90 d)", "visits": "Visits (90 d)",
                   "signals": "Evidence", "threat_weight": "Gaining (weight)",
                   "trouble_weight": "In trouble (weight)", "evidence_weight": "All evidence (weight)"}
        fmt = {"threat_weight": lambda v: number(v, 1), "trouble_weight": lambda v: number(v, 1),
               "evidence_weight": lambda v: number(v, 1)}
        note = ('<p class="ci-muted">Latest figures: the newest observed or reported figure of the last '
                f'{analysis.LATEST_WINDOW_DAYS:.0f} days, with its grade and age; within a month an observed '
                'figure beats a reported one, and a rumour counts only where there is neither. Evidence counts one document '
                'once per type and company, and one event reported by a note and a story once. '
                '<em>Gaining</em>: wins, share up, new technology, capacity, price cuts, rating up, PPM down; '
                '<em>in trouble</em>: PPM, delivery failures, losses, share or rating down. Weight: observed '
                '1.0, reported 0.6, rumoured 0.3, halved for every 180 days of age at the report date.</p>')
        return Html(table(frame, columns, fmt, empty="No competitor signals at this customer.").markup + note)

    def _signal_table(self, frame: pd.DataFrame, empty: str) -> Html:
        if frame.empty:
            return Html(f'<p class="ci-muted">{esc(empty)}</p>')
        frame = frame.copy()
        frame["grade_rank"] = frame["grade"].map(GRADE_ORDER).fillna(1)
        frame = frame.sort_values(["observed_at", "grade_rank"], ascending=[False, True]).head(EVIDENCE_LIMIT)
        rows = []
        for s in frame.itertuples():
            figure = "" if pd.isna(s.value) else f"{number(s.value, 0 if float(s.value).is_integer() else 1)} {esc(s.unit)}"
            previous = getattr(s, "previous_value", None)
            if figure and previous is not None and not pd.isna(previous):
                figure += f" <span class=\"ci-muted\">(from {number(previous, 0 if float(previous).is_integer() else 1)})</span>"
            kind = esc(s.type.replace("_", " "))
            if getattr(s, "corrected", False) is True:
                kind += (f' <span class="ci-corrected" title="{esc(getattr(s, "correction_note", ""))}">'
                         "corrected</span>")
            rows.append(
                f"<tr><td>{esc(s.observed_at)}</td><td>{kind}</td>"
                f"<td>{esc(self.party(s.company_id, s.company_name))}</td><td>{figure}</td>"
                f"<td>{esc(s.grade)}</td>"
                f"<td>{esc(s.text)}</td><td>{self.source_cell(s)}</td></tr>")
        head = ("<tr><th>Date</th><th>Signal</th><th>Company</th><th>Figure</th><th>Grade</th>"
                "<th>Evidence</th><th>Source</th></tr>")
        return Html(f'<table class="ci-table">{head}{"".join(rows)}</table>')

    def source_cell(self, signal: Any) -> str:
        """Where a signal comes from: a link to a web document (http or https only) with its
        source and date, or a field note's workspace path and line."""
        url = signal.document_url if isinstance(signal.document_url, str) else ""
        when = getattr(signal, "published_on", None)
        when = when if isinstance(when, str) and when else signal.observed_at
        source = getattr(signal, "source_id", None)
        source = source if isinstance(source, str) else ""
        if web_url(url):
            title = signal.document_title if isinstance(signal.document_title, str) and signal.document_title else url
            meta = " · ".join(esc(part) for part in (source or urlsplit(url).hostname, when) if part)
            return (f'<a href="{esc(url)}" rel="noopener noreferrer">{esc(title)}</a>'
                    f'<br><span class="ci-muted">{meta}</span>')
        path = getattr(signal, "note_path", None)
        if isinstance(path, str) and path:
            line = self.note_line(path, signal.text)
            where = f"{path}:{line}" if line else path
            meta = " · ".join(esc(part) for part in ("field note", source, when) if part)
            return f'<code>{esc(where)}</code><br><span class="ci-muted">{meta}</span>'
        where = url.removeprefix("file:") if url.startswith("file:") else (signal.document_title or url)
        meta = " · ".join(esc(part) for part in (source, when) if part)
        return f'<code>{esc(where)}</code><br><span class="ci-muted">{meta}</span>'

    def note_line(self, path: str, sentence: Any) -> int | None:
        """The line of the workspace file ``path`` (``#rowN`` aside) where ``sentence`` starts,
        if the file is still there, inside the workspace, and holds it."""
        file_path = path.split("#", 1)[0]
        text = self._note_texts.get(file_path)
        if text is None:
            root = self.wb.root.resolve()
            target = (root / file_path).resolve()
            text = ""
            if target.is_relative_to(root) and target.is_file():
                text = target.read_text(encoding="utf-8", errors="replace")
            self._note_texts[file_path] = text
        if not isinstance(sentence, str) or not sentence.strip():
            return None
        at = text.find(sentence.strip()[:80])
        return text.count("\n", 0, at) + 1 if at >= 0 else None

    @cached_property
    def _note_texts(self) -> dict[str, str]:
        return {}

    def pricing_table(self) -> Html:
        frame = self.signals[self.signals["type"] == "pricing"]
        return self._signal_table(frame, "No pricing signals.")

    def technology_capacity_table(self) -> Html:
        types = {"technology_launch", "capacity", "partnership"}
        at_customer = self.signals[self.signals["type"].isin(types)]
        general = self.general_signals[self.general_signals["type"].isin(types)]
        general = general[general["company_id"].map(lambda c: isinstance(c, str) and c in self.catalog
                                                    and self.catalog[c].role == "competitor")]
        frame = pd.concat([at_customer, general]).drop_duplicates("id")
        frame = frame[frame["observed_at"].fillna("") >= self.window_start]
        return self._signal_table(frame, "No technology, capacity or partnership events.")

    def visits_table(self) -> Html:
        frame = analysis.visit_frequency(self.signals, our_company=self.our, as_of=self.as_of,
                                         customer_id=self.customer_id,
                                         start=analysis.add_months(self.period, -5), end=self.period)
        if frame.empty:
            return Html('<p class="ci-muted">No visits or meetings recorded.</p>')
        pivot = frame.assign(company=frame["company_id"].map(self.name)).pivot_table(
            index="company", columns="month", values="visits", aggfunc="sum").reset_index()
        return table(pivot)

    def evidence_table(self) -> Html:
        frame = self.signals[self.signals["observed_at"].fillna("").str.startswith(self.period)]
        return self._signal_table(frame, f"No signals dated {self.period}.")

    def sources_note(self) -> Html:
        counts = self.signals.groupby("document_kind").size().to_dict() if not self.signals.empty else {}
        parts = ", ".join(f"{count} from {esc(kind).replace('_', ' ')}s" for kind, count in sorted(counts.items()))
        return Html(f'<p class="ci-muted">{len(self.signals)} signals at this customer up to '
                    f"{esc(self.period)} ({parts or 'none'}); syndicated copies of one story count once. "
                    "Grades: observed (seen by us), reported (published or told first-hand), rumoured "
                    "(hearsay). Figures are as the source states them.</p>")
