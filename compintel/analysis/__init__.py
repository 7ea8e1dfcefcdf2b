"""Account analytics for the 3C report: pandas DataFrames in, DataFrames out, no I/O.

Inputs carry the store's column names (see ``migrations/0001_foundation.sql``); our company's
id is always a parameter. One module per concern:

* :mod:`.periods` — month keys, Indian financial year (April–March), complete month ranges
* :mod:`.share` — share of business matrix, volume-weighted roll-ups, share moves
* :mod:`.sales` — plan vs actual (month, quarter, FY, YTD), lost RFQs, RFQ pipeline
* :mod:`.forecast` — MAPE/WAPE/bias/tracking signal, seasonal-naive baseline, demand check
* :mod:`.scorecard` — competitor scorecard from signals, evidence weights
* :mod:`.satisfaction` — vendor rating trend, QCDDM complaints, open issues, VOC
* :mod:`.receivables` — ageing buckets, receipts plan vs actual
"""

from compintel.analysis._frames import AnalysisInputError
from compintel.analysis.forecast import (
    accuracy_metrics,
    accuracy_note,
    baseline_comparison,
    demand_estimate,
    forecast_accuracy,
    seasonal_naive,
)
from compintel.analysis.periods import (
    add_fiscal_columns,
    add_months,
    complete_months,
    fiscal_quarter,
    fiscal_year,
    fiscal_year_months,
    month_range,
    months_in_period,
    quarter_label,
)
from compintel.analysis.receivables import (
    invoice_ageing,
    receipts_plan_vs_actual,
    receivables_ageing,
    replanned_receipts,
)
from compintel.analysis.sales import (
    lost_rfqs,
    lost_sales_by_competitor,
    missing_plans,
    plan_vs_actual,
    rfq_pipeline,
    stopped_part_families,
)
from compintel.analysis.satisfaction import (
    complaints_by_category,
    open_issues,
    vendor_rating_trend,
    voc_items,
)
from compintel.analysis.scorecard import (
    LATEST_WINDOW_DAYS,
    distinct_evidence,
    evidence_direction,
    evidence_weight,
    latest_figures,
    pricing_moves,
    scorecard,
    signal_counts,
    technology_capacity_events,
    visit_frequency,
)
from compintel.analysis.share import (
    aggregate_share,
    share_change,
    share_matrix,
    share_moves,
    weighting_note,
)

__all__ = [
    "LATEST_WINDOW_DAYS", "AnalysisInputError", "distinct_evidence", "evidence_direction", "accuracy_metrics", "accuracy_note", "add_fiscal_columns", "add_months",
    "aggregate_share", "baseline_comparison", "complaints_by_category", "complete_months",
    "demand_estimate", "evidence_weight", "fiscal_quarter", "fiscal_year", "fiscal_year_months",
    "forecast_accuracy", "invoice_ageing", "latest_figures", "lost_rfqs",
    "lost_sales_by_competitor", "missing_plans", "month_range", "months_in_period",
    "open_issues", "plan_vs_actual", "pricing_moves", "quarter_label",
    "receipts_plan_vs_actual", "receivables_ageing", "replanned_receipts", "rfq_pipeline", "scorecard",
    "seasonal_naive", "share_change", "share_matrix", "share_moves", "signal_counts",
    "stopped_part_families",
    "technology_capacity_events", "vendor_rating_trend", "visit_frequency", "voc_items",
    "weighting_note",
]
