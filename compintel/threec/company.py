"""Company — us: sales against plan, quarters and the year to date, our plan as a forecast,
and whether the customer's production supports our plan."""

from __future__ import annotations

import pandas as pd

from .. import analysis
from . import charts
from .format import Html, esc, muted, number, table
from .model import ReportModel, once

ACHIEVEMENT = {"ach_qty_pct": lambda v: number(v, 1), "ach_value_pct": lambda v: number(v, 1),
               "ytd_ach_value_pct": lambda v: number(v, 1)}


class CompanySection:
    def __init__(self, model: ReportModel) -> None:
        self.m = model

    def sales_chart(self):
        m = self.m
        frame = m.sales_by_month
        if frame.empty:
            return muted("No sales rows for this customer.")
        frame = frame[frame["period"] >= m.window_start]
        if frame.empty:
            return muted(f"No sales rows in the twelve months to {m.period}.")
        return charts.plan_actual_bars(frame, f"Sales vs plan — {m.customer_name}")

    @once
    def by_part(self) -> pd.DataFrame:
        m = self.m
        if m.sales.empty:
            return pd.DataFrame()
        frame = analysis.plan_vs_actual(m.sales, freq="month", by=("customer_id", "part_family"),
                                        end=m.period)
        return frame[frame["period"] == m.period]

    def sales_table(self) -> Html:
        m = self.m
        if m.sales.empty:
            return Html('<div id="ci-sales"></div>') + muted("No sales rows.")
        columns = {"part_family": "Part family", "plan_qty": "Plan qty", "actual_qty": "Actual qty",
                   "ach_qty_pct": "Qty ach. %", "plan_value": "Plan value", "actual_value": "Actual value",
                   "ach_value_pct": "Value ach. %", "ytd_plan_value": f"YTD plan ({m.fy})",
                   "ytd_actual_value": "YTD actual", "ytd_ach_value_pct": "YTD ach. %"}
        parts = table(self.by_part(), columns, {"plan_qty": number, "actual_qty": number, **ACHIEVEMENT},
                      money=["plan_value", "actual_value", "ytd_plan_value", "ytd_actual_value"],
                      empty=f"No sales rows for {m.period}.")
        missing = analysis.missing_plans(m.sales, end=m.period)
        missing = missing[missing["month"] >= m.window_start] if not missing.empty else missing
        note = ""
        if not missing.empty:
            items = ", ".join(f"{esc(r.part_family)} {esc(r.month)}" for r in missing.itertuples())
            note = f'<p class="ci-gap">Missing plan (shown as a gap, not a zero): {items}.</p>'
        return Html('<div id="ci-sales"></div>' + parts.markup + note)

    @once
    def periods(self) -> pd.DataFrame:
        """Quarters and the financial year to date, each marked complete or partial."""
        m = self.m
        if m.sales.empty:
            return pd.DataFrame()
        fy_start = analysis.fiscal_year_months(m.fy)[0]
        frame = pd.concat([analysis.plan_vs_actual(m.sales, freq=freq, by=("customer_id",),
                                                   start=fy_start, end=m.period)
                           for freq in ("quarter", "fy")], ignore_index=True)
        frame["status"] = [f"partial: {months} of {len(analysis.months_in_period(period))} months"
                           if partial else "complete"
                           for period, months, partial in frame[["period", "months", "partial"]]
                           .itertuples(index=False)]
        return frame

    def periods_table(self) -> Html:
        m = self.m
        frame = self.periods()
        if frame.empty:
            return muted("No sales rows.")
        part = table(frame, {"period": "Period", "status": "Months", "plan_value": "Plan value",
                             "actual_value": "Actual value", "ach_value_pct": "Ach. %"},
                     {"ach_value_pct": lambda v: number(v, 1)}, money=["plan_value", "actual_value"])
        stopped = analysis.stopped_part_families(m.sales, end=m.period)
        note = ""
        if not stopped.empty:
            items = ", ".join(f"{esc(m.name(r.part_family))} (last row {esc(r.last_month)})"
                              for r in stopped.itertuples())
            note = (f'<p class="ci-gap">No rows after their last month, so counted as stopped rather '
                    f"than as gaps in the totals: {items}. If a file is missing, import it.</p>")
        return Html(part.markup + note)

    @once
    def forecast(self) -> pd.DataFrame:
        m = self.m
        if m.sales.empty:
            return pd.DataFrame()
        return analysis.baseline_comparison(m.sales, measure="qty", by=("customer_id", "part_family"),
                                            start=m.window_start, end=m.period)

    def forecast_table(self) -> Html:
        frame = self.forecast()
        if frame.empty:
            return muted("Not enough months with plan and actual.")
        columns = {"part_family": "Part family", "method": "Forecast", "months": "Months",
                   "mape_pct": "MAPE %", "wape_pct": "WAPE %", "bias_pct": "Bias %",
                   "tracking_signal": "Tracking signal"}
        fmt = {key: (lambda v: number(v, 1)) for key in ("mape_pct", "wape_pct", "bias_pct", "tracking_signal")}
        frame = frame.assign(method=frame["method"].map({"plan": "our plan", "seasonal_naive": "seasonal naive"}))
        note = analysis.accuracy_note(self.forecast())
        how, _, flagged = note.partition("; tracking signal")
        notes = ((f'<p class="ci-muted">{esc(how[:1].upper() + how[1:])}.</p>' if how else "")
                 + (f'<p class="ci-gap">⚠ Tracking signal{esc(flagged)} — the errors run one way.</p>'
                    if flagged else ""))
        return Html(table(frame, columns, fmt).markup + notes)

    @once
    def forecast_overall(self) -> float | None:
        m = self.m
        if m.sales.empty:
            return None
        frame = analysis.forecast_accuracy(m.sales, measure="qty", by=("customer_id",),
                                           start=m.window_start, end=m.period)
        if frame.empty or "wape_pct" not in frame:
            return None
        value = frame["wape_pct"].iloc[0]
        return None if pd.isna(value) else float(value)

    @once
    def demand(self) -> pd.DataFrame:
        m = self.m
        if m.volumes.empty or m.share.empty or m.sales.empty:
            return pd.DataFrame()
        return analysis.demand_estimate(m.volumes, m.glass_content, m.share, m.sales,
                                        our_company=m.our, start=m.period, end=m.period)

    def demand_table(self) -> Html:
        m = self.m
        if m.volumes.empty or m.share.empty or m.sales.empty:
            return muted("Needs production volumes, share of business and sales rows.")
        columns = {"part_family": "Part family", "estimate_qty": "Estimated demand (pcs)",
                   "plan_qty": "Our plan (pcs)", "gap_qty": "Plan − estimate", "gap_pct": "Gap %",
                   "flagged": "Flag"}
        fmt = {"estimate_qty": number, "plan_qty": number, "gap_qty": number,
               "gap_pct": lambda v: number(v, 1), "flagged": lambda v: "⚠ check" if v is True else ""}
        return table(self.demand(), columns, fmt, empty="No production volumes for this month.")
