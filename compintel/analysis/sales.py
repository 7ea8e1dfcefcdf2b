"""Sales against plan (month, quarter, financial year), lost RFQs and the RFQ pipeline.

Rows of the sales table with the same customer, part family and month are **combined** field
by field when each gives different figures (plan and actual from separate files); the same
figure given twice is an error, never a sum (two files each planning 100 are not a plan of
200). Rolling up (part families into a customer, months into a quarter) is strict: when any
row or month inside the roll-up lacks a plan, the rolled-up plan is NaN and flagged, never
guessed. A part family's months run from its first row to its last: a month missing between
them is a gap that makes the customer's total NaN, while the months before its first row (e.g.
before a model's start of production) and after its last (the part stopped) are not part of
it — :func:`stopped_part_families` lists the part families that stopped, so a missing file
cannot pass unseen. Quarters and financial years with fewer months inside the range than the
period has are marked ``partial``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from compintel.analysis._frames import AnalysisInputError, prepare
from compintel.analysis.periods import (
    add_fiscal_columns,
    complete_months,
    fiscal_year,
    fiscal_year_months,
    month_of,
    month_range,
    months_in_period,
)

SALES_KEYS = ["customer_id", "part_family", "month"]
MEASURES = ["plan_qty", "actual_qty", "plan_value", "actual_value"]
RFQ_STATUSES = ("open", "quoted", "won", "lost", "dropped")


def prepare_sales(sales: pd.DataFrame | None) -> pd.DataFrame:
    """Checked sales table, one row per customer, part family and month.

    Input columns: customer_id, part_family, month (``YYYY-MM``), plan_qty, actual_qty,
    plan_value, actual_value (any of the four may be NaN). Output: those columns, sorted by
    customer, part family and month; rows repeating a key are combined, each taking the
    fields the others leave empty. A field given by two rows of one key is an error.
    """
    df = prepare(sales, "sales", text=["customer_id", "part_family"], months=["month"],
                 numbers=MEASURES, required=SALES_KEYS)
    given = df[MEASURES].notna().groupby([df[k] for k in SALES_KEYS], dropna=False).transform(
        "sum")
    twice = (given > 1).any(axis=1)
    if twice.any():
        first = df[twice].iloc[0]
        measure = next(m for m in MEASURES if given.loc[twice, m].iloc[0] > 1)
        same = (df[SALES_KEYS] == first[SALES_KEYS]).all(axis=1) & df[measure].notna()
        raise AnalysisInputError(
            f"rows {_row_numbers(same)} all give {measure} for {first['customer_id']} "
            f"{first['part_family']} {first['month']}",
            path="sales", field=measure,
            hint="two figures for one month would be added up: keep one of them")
    out = df.groupby(SALES_KEYS, dropna=False, sort=True)[MEASURES].sum(min_count=1)
    return out.reset_index()


def _row_numbers(mask: pd.Series) -> str:
    rows = [str(int(i) + 1) for i in np.flatnonzero(mask.to_numpy())]
    return ", ".join(rows[:5]) + (" …" if len(rows) > 5 else "")


def strict_sum(df: pd.DataFrame, keys: Sequence[str], cols: Sequence[str]) -> pd.DataFrame:
    """Sum ``cols`` per ``keys``; a group with any missing value gets NaN for that column."""
    keys, cols = list(keys), list(cols)
    grouped = df.groupby(keys, dropna=False, sort=True)
    totals = grouped[cols].sum(min_count=1)
    gaps = df[cols].isna().groupby([df[k] for k in keys], dropna=False, sort=True).any()
    gaps.index.names = keys
    return totals.mask(gaps.reindex(totals.index).to_numpy()).reset_index()


def month_window(df: pd.DataFrame, start: str | None, end: str | None) -> pd.DataFrame:
    """Rows whose ``month`` lies between ``start`` and ``end`` (inclusive; None = open)."""
    if start is not None:
        df = df[df["month"] >= start]
    if end is not None:
        df = df[df["month"] <= end]
    return df


def _spans(df: pd.DataFrame) -> pd.DataFrame:
    """Each part family's rows from its first month to its last, with gaps as empty rows."""
    detail = ["customer_id", "part_family"]
    bounds = df.groupby(detail, sort=True)["month"].agg(["min", "max"])
    grid = pd.DataFrame(
        [(*key, month) for key, (first, last) in bounds.iterrows()
         for month in month_range(first, last)],
        columns=[*detail, "month"]).astype("str")
    return grid.merge(df, on=[*detail, "month"], how="left")


def stopped_part_families(sales: pd.DataFrame | None, *, end: str | None = None
                          ) -> pd.DataFrame:
    """Part families whose rows stop before ``end`` (default: the customer's last month).

    Input: the sales table. Output columns: customer_id, part_family, last_month (its last
    row on or before ``end``), months_after (months from then to ``end``). Their later months
    are left out of the customer's totals (the part stopped) rather than blanking them, so a
    report should say which part families these are: a file that did not arrive looks the
    same.
    """
    df = month_window(prepare_sales(sales), None, end)
    cols = ["customer_id", "part_family", "last_month", "months_after"]
    if df.empty:
        return pd.DataFrame({c: pd.Series(dtype="int64" if c == "months_after" else "str")
                             for c in cols})
    last = df.groupby(["customer_id", "part_family"], sort=True)["month"].max().rename(
        "last_month").reset_index()
    customer_end = df.groupby("customer_id")["month"].max()
    ends = last["customer_id"].map(lambda c: end or customer_end[c])
    last["months_after"] = [len(month_range(m, e)) - 1
                            for m, e in zip(last["last_month"], ends, strict=True)]
    out = last[last["months_after"] > 0]
    return out[cols].astype({"months_after": "int64"}).reset_index(drop=True)


def monthly_sales(sales: pd.DataFrame | None, by: Sequence[str], *, start: str | None = None,
                  end: str | None = None, pad_start: bool = True) -> pd.DataFrame:
    """Plan and actual per ``by`` group and month, gaps kept as NaN (see the module rule).

    Input: the sales table; ``by`` a subset of customer_id and part_family. Output: the
    ``by`` columns, month and the four measures, every month from ``start`` (default: the
    first month with data) to ``end`` (default: the last) for every group. With
    ``pad_start=False`` the months begin at the first month with data on or after ``start``.
    """
    by = list(by)
    if not by or any(k not in ("customer_id", "part_family") for k in by):
        raise AnalysisInputError(f"cannot group sales by {by!r}", field="by",
                                 hint="use customer_id, part_family or both")
    df = month_window(prepare_sales(sales), start, end)
    if df.empty:
        return df[[*by, "month", *MEASURES]]
    rolled = strict_sum(_spans(df), [*by, "month"], MEASURES)
    return complete_months(rolled, by, start=start if pad_start else None, end=end)


def _ratios(out: pd.DataFrame, prefix: str = "") -> None:
    for kind in ("qty", "value"):
        plan, actual = out[f"{prefix}plan_{kind}"], out[f"{prefix}actual_{kind}"]
        out[f"{prefix}var_{kind}"] = actual - plan
        out[f"{prefix}ach_{kind}_pct"] = (actual / plan.where(plan != 0)) * 100


def plan_vs_actual(sales: pd.DataFrame | None, *, freq: str = "month",
                   by: Sequence[str] = ("customer_id", "part_family"),
                   start: str | None = None, end: str | None = None) -> pd.DataFrame:
    """Plan against actual in quantity and value per month, quarter or financial year.

    Input: the sales table (see :func:`prepare_sales`). ``by`` is a subset of customer_id and
    part_family; ``freq`` is ``"month"``, ``"quarter"`` or ``"fy"``; ``start``/``end`` bound
    the months (default: the data's first and last month).
    Output, one row per group and period, in time order: the ``by`` columns, ``period``
    (``2025-04`` / ``FY2025-26 Q1`` / ``FY2025-26``), ``fy``, ``months`` (months of the period
    inside the range), ``partial`` (True for a quarter or FY with fewer months inside the range
    than it has: a year to date, or a quarter the data starts or ends in), ``plan_qty``, ``actual_qty``, ``var_qty`` (actual − plan), ``ach_qty_pct``
    (actual / plan × 100; NaN when the plan is 0 or missing) and the same four for ``value``;
    ``plan_qty_missing`` / ``plan_value_missing`` (the plan of some month in the period is
    missing); for months and quarters also ``ytd_plan_*``, ``ytd_actual_*``, ``ytd_var_*``,
    ``ytd_ach_*_pct``: cumulative from April of the same financial year (reset each April).
    ``start`` chooses the first period shown; totals and YTD still count from the beginning of
    the quarter or financial year (April) holding ``start``, as far as data exists.
    Rule: a month with no row is a gap (NaN); a period or YTD figure that would include a
    missing month or a missing part-family plan is NaN, never a partial sum.
    """
    if freq not in ("month", "quarter", "fy"):
        raise AnalysisInputError(f"{freq!r} is not a frequency", field="freq",
                                 hint="use month, quarter or fy")
    first = fiscal_year_months(fiscal_year(start))[0] if start is not None else None
    monthly = monthly_sales(sales, by, start=first, end=end, pad_start=False)
    monthly = add_fiscal_columns(monthly)
    by = list(by)
    monthly["plan_qty_missing"] = monthly["plan_qty"].isna()
    monthly["plan_value_missing"] = monthly["plan_value"].isna()
    if freq == "month":
        out = monthly.rename(columns={"month": "period"})
        out["months"] = 1
    else:
        keys = [*by, "fy"] + (["quarter"] if freq == "quarter" else [])
        out = strict_sum(monthly, keys, MEASURES)
        flags = monthly.groupby(keys, dropna=False, sort=True).agg(
            months=("month", "size"), plan_qty_missing=("plan_qty_missing", "any"),
            plan_value_missing=("plan_value_missing", "any")).reset_index()
        out = out.merge(flags, on=keys, how="left")
        out["period"] = out[keys[-1]]
    _ratios(out)
    if freq != "fy" and len(out):
        out = out.sort_values([*by, "period"], kind="stable")
        running = out.groupby([*by, "fy"], dropna=False, sort=False)[MEASURES]
        cumulative = running.cumsum(skipna=False)
        for col in MEASURES:
            out[f"ytd_{col}"] = cumulative[col]
        _ratios(out, "ytd_")
    out["partial"] = out["months"] < out["period"].map(lambda p: len(months_in_period(p)))
    columns = [*by, "period", "fy", "months", "partial", "plan_qty", "actual_qty", "var_qty",
               "ach_qty_pct", "plan_value", "actual_value", "var_value", "ach_value_pct",
               "plan_qty_missing", "plan_value_missing"]
    if freq != "fy":
        columns += [f"ytd_{m}" for m in MEASURES] + [
            "ytd_var_qty", "ytd_ach_qty_pct", "ytd_var_value", "ytd_ach_value_pct"]
    out = out.reindex(columns=columns)
    if start is not None:
        last_month = out["period"].map(lambda p: months_in_period(p)[-1])
        out = out[last_month >= start]
    for col in ("partial", "plan_qty_missing", "plan_value_missing"):
        out[col] = out[col].astype(bool)
    return out.sort_values([*by, "period"], kind="stable").reset_index(drop=True)


def missing_plans(sales: pd.DataFrame | None, *, start: str | None = None,
                  end: str | None = None) -> pd.DataFrame:
    """List every customer, part family and month whose plan is missing.

    Input: the sales table. Output columns: customer_id, part_family, month, ``has_row``
    (False: no row at all for that month), ``plan_qty_missing``, ``plan_value_missing``. Only
    rows with at least one missing plan field are listed. A part family's months run from its
    first row to its last, as in :func:`plan_vs_actual` (see :func:`stopped_part_families`
    for the months after).
    """
    df = month_window(prepare_sales(sales), start, end)
    full = _spans(df.assign(has_row=True)) if len(df) else df.assign(has_row=True)
    full["has_row"] = full["has_row"].astype("boolean").fillna(False).astype(bool)
    full["plan_qty_missing"] = full["plan_qty"].isna()
    full["plan_value_missing"] = full["plan_value"].isna()
    out = full[full["plan_qty_missing"] | full["plan_value_missing"]]
    return out[["customer_id", "part_family", "month", "has_row", "plan_qty_missing",
                "plan_value_missing"]].reset_index(drop=True)


def prepare_rfqs(rfqs: pd.DataFrame | None) -> pd.DataFrame:
    """Checked RFQ table with ``status`` lower-cased and a ``decided`` date column.

    Input columns: rfq_date, customer_id, programme, part_family, status
    (open|quoted|won|lost|dropped), competitor_id, value (rupees a year), reason, decided_on.
    Output: those columns typed (dates as datetimes) plus ``decided`` = decided_on, or the RFQ
    date where no decision date is given. An unknown status is an error.
    """
    df = prepare(rfqs, "rfqs",
                 text=["customer_id", "programme", "part_family", "status", "competitor_id",
                       "reason"],
                 numbers=["value"], dates=["rfq_date", "decided_on"],
                 required=["rfq_date", "customer_id", "status"])
    df["status"] = df["status"].str.strip().str.lower()
    bad = ~df["status"].isin(RFQ_STATUSES)
    if bad.any():
        row = int(np.flatnonzero(bad.to_numpy())[0]) + 1
        raise AnalysisInputError(
            f"row {row} holds {df['status'][bad].iloc[0]!r}, not an RFQ status",
            path="rfqs", field="status", hint="use open, quoted, won, lost or dropped")
    df["decided"] = df["decided_on"].fillna(df["rfq_date"])
    return df


def _date_window(df: pd.DataFrame, col: str, start: str | None, end: str | None) -> pd.DataFrame:
    if start is not None:
        df = df[df[col] >= pd.Timestamp(start)]
    if end is not None:
        df = df[df[col] <= pd.Timestamp(end)]
    return df


def lost_rfqs(rfqs: pd.DataFrame | None, *, start: str | None = None,
              end: str | None = None) -> pd.DataFrame:
    """RFQs lost to competitors, largest annual value first.

    Input: the RFQ table (see :func:`prepare_rfqs`); ``start``/``end`` (``YYYY-MM-DD``) bound
    the decision date (decided_on, else rfq_date). Output columns: customer_id, programme,
    part_family, competitor_id (who won; NaN when not known), value (rupees a year),
    reason, rfq_date, decided_on, month (of the decision).
    """
    df = prepare_rfqs(rfqs)
    df = _date_window(df[df["status"] == "lost"], "decided", start, end)
    df = df.assign(month=month_of(df["decided"]))
    cols = ["customer_id", "programme", "part_family", "competitor_id", "value", "reason",
            "rfq_date", "decided_on", "month"]
    return df.sort_values("value", ascending=False, kind="stable",
                          na_position="last")[cols].reset_index(drop=True)


def lost_sales_by_competitor(rfqs: pd.DataFrame | None, *,
                             by: Sequence[str] = ("customer_id", "competitor_id"),
                             start: str | None = None, end: str | None = None) -> pd.DataFrame:
    """Annual sales value lost to each competitor, with the reasons given.

    Input: the RFQ table; ``by`` any of its text columns; ``start``/``end`` as in
    :func:`lost_rfqs`. Output per group, largest loss first: ``rfqs_lost`` (count),
    ``value_lost`` (sum of known values, rupees a year), ``value_unknown`` (lost RFQs with no
    value), ``reasons`` (distinct reasons, ``"; "``-joined). A lost RFQ with no competitor
    is kept under a missing competitor_id.
    """
    by = list(by)
    lost = lost_rfqs(rfqs, start=start, end=end)
    if lost.empty:
        return pd.DataFrame(columns=[*by, "rfqs_lost", "value_lost", "value_unknown",
                                     "reasons"])
    grouped = lost.groupby(by, dropna=False, sort=True)
    out = grouped.agg(rfqs_lost=("value", "size"), value_lost=("value", "sum"),
                      value_unknown=("value", lambda v: int(v.isna().sum())),
                      reasons=("reason", lambda r: "; ".join(dict.fromkeys(r.dropna()))))
    out = out.reset_index()
    return out.sort_values("value_lost", ascending=False, kind="stable").reset_index(drop=True)


def rfq_pipeline(rfqs: pd.DataFrame | None, *, by: Sequence[str] = ("customer_id",),
                 start: str | None = None, end: str | None = None) -> pd.DataFrame:
    """RFQ counts and values by status, and win rates over decided RFQs only.

    Input: the RFQ table; ``start``/``end`` (``YYYY-MM-DD``) bound the RFQ date. Output per
    group: ``n_<status>`` and ``value_<status>`` for open, quoted, won, lost, dropped (counts,
    and sums of known values in rupees a year); ``decided`` = won + lost; ``win_rate_pct`` =
    won / (won + lost) × 100 and ``value_win_rate_pct`` = won value / (won + lost value) × 100,
    NaN when nothing is decided. Open and quoted RFQs are pending, dropped ones were withdrawn:
    none of them counts as a loss.
    """
    by = list(by)
    df = _date_window(prepare_rfqs(rfqs), "rfq_date", start, end)
    statuses = list(RFQ_STATUSES)
    if df.empty:
        cols = [*by, *(f"n_{s}" for s in statuses), *(f"value_{s}" for s in statuses)]
        out = pd.DataFrame({c: pd.Series(dtype="float64") for c in cols})
    else:
        grouped = df.groupby([*by, "status"], dropna=False, sort=True)
        table = grouped.agg(n=("status", "size"), value=("value", "sum")).unstack("status")
        counts = table["n"].reindex(columns=statuses).fillna(0).astype("int64")
        values = table["value"].reindex(columns=statuses).fillna(0.0)
        out = counts.add_prefix("n_").join(values.add_prefix("value_")).reset_index()
        out.columns.name = None
    out["decided"] = out["n_won"] + out["n_lost"]
    out["win_rate_pct"] = out["n_won"] / out["decided"].where(out["decided"] > 0) * 100
    decided_value = out["value_won"] + out["value_lost"]
    out["value_win_rate_pct"] = out["value_won"] / decided_value.where(decided_value > 0) * 100
    return out
