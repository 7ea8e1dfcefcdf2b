"""The 3C report of one customer and month: one model, one object per section.

``notebooks/3c_report.ipynb`` builds a :class:`ThreeCReport` and displays its parts in order:
the header and summary first, then Company, Customer and Competitor, then the evidence.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from ..urls import safe_filename
from .company import CompanySection
from .competitor import CompetitorSection
from .customer import CustomerSection
from .evidence import EvidenceSection
from .format import Html, esc, inr, number, pts, table
from .model import ReportModel
from .summary import SummarySection


def report_stem(customer_id: str) -> str:
    """The file name stem of a customer's report files (``navika-motors``)."""
    return safe_filename(customer_id.replace("/", "-"))

if TYPE_CHECKING:
    from ..workbench import Workbench


class ThreeCReport:
    """Everything the 3C report of one customer and month shows."""

    def __init__(self, wb: Workbench, customer: str, period: str | None = None, **options: Any) -> None:
        self.model = ReportModel(wb, customer, period, **options)
        self.company = CompanySection(self.model)
        self.customer = CustomerSection(self.model)
        self.evidence = EvidenceSection(self.model)
        self.competitor = CompetitorSection(self.model, self.evidence)
        self.summary = SummarySection(self.model, self.company, self.customer, self.competitor)

    def __getattr__(self, name: str) -> Any:
        # the model's fields (customer_id, period, sales, signals …) read as the report's own
        if name == "model":
            raise AttributeError(name)
        return getattr(self.model, name)

    # -- top of the page -----------------------------------------------------------------
    def header(self) -> Html:
        m = self.model
        settings = m.wb.workspace.settings
        generated = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
        banner = ""
        if settings.fictional:
            banner = ('<div class="ci-banner">Demo data — every company, plant, person, event and '
                      'figure in this report is fictional.</div>')
        return Html(
            '<p class="ci-nav"><a href="index.html">← all customers, ' + esc(m.period) + "</a></p>"
            f"<h1>3C report — {esc(m.customer_name)} — {esc(m.period)}</h1>"
            f'<p class="ci-muted">{esc(m.period)} ({esc(m.fy)}) · our company: {esc(m.our_name)} · '
            f"workspace: {esc(settings.name)} · generated {esc(generated)} · "
            f"this customer's data spans {esc(str(m.span))}</p>{banner}")

    def data_sources(self) -> Html:
        """Span and freshness of each account table and source for this customer."""
        frame = self.model.freshness()
        columns = {"data": "Data", "from": "From", "to": "To", "rows": "Rows", "updated": "Imported / fetched",
                   "where": "File or source"}
        return Html('<details class="ci-sources"><summary>Data span and freshness</summary>'
                    + table(frame, columns, empty="No data.").markup + "</details>")

    def kpis(self) -> Html:
        m = self.model
        cards = []
        month = m.sales_by_month
        row = month[month["period"] == m.period] if not month.empty else month
        if not row.empty:
            r = row.iloc[0]
            cards.append(_kpi("Sales this month", inr(r["actual_value"]),
                              f"plan {inr(r['plan_value'])} · {number(r['ach_value_pct'], 0, '%')}",
                              _tone(r["ach_value_pct"], 100)))
            cards.append(_kpi(f"Sales YTD {m.fy}", inr(r.get("ytd_actual_value")),
                              f"plan {inr(r.get('ytd_plan_value'))} · {number(r.get('ytd_ach_value_pct'), 0, '%')}",
                              _tone(r.get("ytd_ach_value_pct"), 100)))
        else:
            cards.append(_kpi("Sales this month", "—", "no sales rows for this month"))
        now, before = m.our_share(m.period), m.our_share(m.previous)
        if now is not None:
            change = f"{pts(now - before)} vs {m.previous}" if before is not None else ""
            cards.append(_kpi("Our share of business", number(now, 1, "%"), change))
        rating = m.our_rating()
        if rating is not None:
            cards.append(_kpi("Vendor rating", f"{number(rating['score'], 0)} {rating['band'] or ''}".strip(),
                              str(rating["month"]), _band_tone(rating["band"])))
        issues = m.open_issues()
        overdue = int((issues["overdue_days"].fillna(0) > 0).sum()) if not issues.empty else 0
        cards.append(_kpi("Open issues", str(len(issues)), f"{overdue} past target", "bad" if overdue else ""))
        ageing = m.receivables_ageing()
        if not ageing.empty:
            r = ageing.iloc[0]
            cards.append(_kpi("Receivables overdue", inr(r["overdue"]), f"outstanding {inr(r['outstanding'])}",
                              "bad" if r["overdue"] > 0 else ""))
        accuracy = self.company.forecast_overall()
        if accuracy is not None:
            cards.append(_kpi("Forecast error (WAPE)", number(accuracy, 1, "%"), "plan vs actual qty, 12 months"))
        month_signals = m.month_signals()
        competitor = month_signals[month_signals["company_id"].map(m.is_competitor)]
        cards.append(_kpi("Competitor signals this month", str(len(competitor)),
                          f"{len(m.signals)} at this customer since {m.signal_start}"))
        return Html('<div class="ci-kpis">' + "".join(cards) + "</div>")

    def export(self, directory: str | Path) -> dict[str, Path]:
        """Write ``<customer-id>.xlsx`` (the report's tables and evidence) and
        ``<customer-id>.summary.json`` (its row of the period's index) into ``directory``."""
        from .workbook import write_workbook

        directory = Path(directory)
        stem = report_stem(self.model.customer_id)
        workbook = write_workbook(self, directory / f"{stem}.xlsx")
        row = directory / f"{stem}.summary.json"
        partial = row.with_name(row.name + ".partial")
        partial.write_text(json.dumps(self.summary.dashboard(), ensure_ascii=False, indent=1), encoding="utf-8")
        partial.replace(row)
        return {"xlsx": workbook, "summary": row}

    def executive_summary(self) -> Html:
        return self.summary.summary()

    def evidence_table(self) -> Html:
        """This month's evidence and every signal the summary cites, each with an anchor."""
        return self.evidence.evidence_table(self.summary.cited)


def _kpi(label: str, value: str, note: str = "", tone: str = "") -> str:
    tone_class = f" ci-{tone}" if tone else ""
    return (f'<div class="ci-kpi"><div class="ci-kpi-label">{esc(label)}</div>'
            f'<div class="ci-kpi-value{tone_class}">{esc(value)}</div>'
            f'<div class="ci-kpi-note">{esc(note)}</div></div>')


def _tone(value: Any, target: float) -> str:
    if value is None or pd.isna(value):
        return ""
    return "good" if value >= target else "bad"


def _band_tone(band: Any) -> str:
    band = str(band or "").lower()
    return {"green": "good", "purple": "good", "red": "bad", "yellow": "gap", "amber": "gap"}.get(band, "")
