"""Forecast accuracy of the monthly plan, a seasonal-naive baseline and a demand cross-check.

Error convention: error = forecast − actual, so a positive bias or tracking signal means the
plan ran above actual (over-forecast), a negative one below (under-forecast). Percentages
divide by Σ|actual|, so a month of credit notes (a negative actual) cannot turn an error
negative. A tracking signal outside ±4 (:data:`TRACKING_LIMIT`) is flagged: the errors run one
way, the plan is biased. :func:`accuracy_note` says in words how a comparison was made.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from compintel.analysis._frames import AnalysisInputError
from compintel.analysis.periods import add_months
from compintel.analysis.sales import month_window as _window
from compintel.analysis.sales import monthly_sales, prepare_sales, strict_sum
from compintel.analysis.share import (
    DETAIL_KEYS,
    prepare_glass_content,
    prepare_share,
    prepare_volumes,
)

METRICS = ["months", "mape_pct", "mape_months", "mape_skipped_zero", "wape_pct", "bias_pct",
           "mad", "tracking_signal", "tracking_flagged"]
TRACKING_LIMIT = 4.0
SAME_MONTH_LAST_YEAR = "same month last year"
LAST_MONTH = "last month"


def accuracy_metrics(actual: pd.Series, forecast: pd.Series) -> pd.Series:
    """Accuracy of ``forecast`` against ``actual`` over the positions where both are known.

    Output (a Series): months (pairs used); mape_pct = mean |A − F| / |A| × 100 over months
    with A ≠ 0; mape_months (months in it); mape_skipped_zero (months skipped for A = 0);
    wape_pct = Σ|A − F| / Σ|A| × 100; bias_pct = Σ(F − A) / Σ|A| × 100; mad = mean |F − A|;
    tracking_signal = Σ(F − A) / MAD; tracking_flagged = |tracking signal| > 4. A ratio whose
    denominator is 0 is NaN (and not flagged).
    """
    a = pd.Series(actual, dtype="float64").reset_index(drop=True)
    f = pd.Series(forecast, dtype="float64").reset_index(drop=True)
    both = a.notna() & f.notna()
    a, f = a[both], f[both]
    err = f - a
    abs_err = err.abs()
    nonzero = a != 0
    total = a.abs().sum()
    mad = abs_err.mean() if len(a) else np.nan
    tracking = err.sum() / mad if len(a) and mad != 0 else np.nan
    return pd.Series({
        "months": int(len(a)),
        "mape_pct": (abs_err[nonzero] / a[nonzero].abs()).mean() * 100 if nonzero.any()
        else np.nan,
        "mape_months": int(nonzero.sum()),
        "mape_skipped_zero": int((~nonzero).sum()),
        "wape_pct": abs_err.sum() / total * 100 if total != 0 else np.nan,
        "bias_pct": err.sum() / total * 100 if total != 0 else np.nan,
        "mad": mad,
        "tracking_signal": tracking,
        "tracking_flagged": bool(abs(tracking) > TRACKING_LIMIT),
    })


def _measure(measure: str) -> tuple[str, str]:
    if measure not in ("qty", "value"):
        raise AnalysisInputError(f"{measure!r} is not a measure", field="measure",
                                 hint="use qty or value")
    return f"plan_{measure}", f"actual_{measure}"


def _per_group(df: pd.DataFrame, by: list[str], actual: str, forecast: str) -> pd.DataFrame:
    rows = []
    for key, group in df.groupby(by, dropna=False, sort=True):
        key = key if isinstance(key, tuple) else (key,)
        rows.append({**dict(zip(by, key, strict=True)),
                     **accuracy_metrics(group[actual], group[forecast]).to_dict()})
    out = pd.DataFrame(rows, columns=[*by, *METRICS])
    for col in ("months", "mape_months", "mape_skipped_zero"):
        out[col] = out[col].astype("int64")
    out["tracking_flagged"] = out["tracking_flagged"].astype(bool)
    return out


def forecast_accuracy(sales: pd.DataFrame | None, *, measure: str = "qty",
                      by: Sequence[str] = ("customer_id", "part_family"),
                      start: str | None = None, end: str | None = None) -> pd.DataFrame:
    """Accuracy of the monthly plan (the forecast) against actual, per group.

    Input: the sales table; ``measure`` ``"qty"`` or ``"value"``; ``by`` a subset of
    customer_id and part_family (part families rolled up strictly, see ``sales``);
    ``start``/``end`` bound the months. Output per group: the ``by`` columns and the metrics of
    :func:`accuracy_metrics` over the months where both plan and actual are known.
    """
    plan, actual = _measure(measure)
    by = list(by)
    df = monthly_sales(sales, by, start=start, end=end)
    return _per_group(df, by, actual, plan)


def seasonal_naive(sales: pd.DataFrame | None, *, measure: str = "qty",
                   by: Sequence[str] = ("customer_id", "part_family"),
                   start: str | None = None, end: str | None = None) -> pd.DataFrame:
    """Seasonal-naive baseline forecast for every month of every group.

    Rule: the forecast for a month is the actual of the same month a year earlier when that
    actual is known; otherwise (less than a year of history, or a gap) the actual of the
    previous month; otherwise none. History before ``start`` is used.
    Output per group and month (``start``–``end``): the ``by`` columns, month, actual, plan,
    forecast, source (``"same month last year"`` / ``"last month"`` / NaN).
    """
    plan, actual = _measure(measure)
    by = list(by)
    df = monthly_sales(sales, by)[[*by, "month", plan, actual]]
    df = df.rename(columns={plan: "plan", actual: "actual"})
    if df.empty:
        return pd.DataFrame(columns=[*by, "month", "actual", "plan", "forecast", "source"])
    history = df[[*by, "month", "actual"]]
    for lag, name in ((12, "_year_ago"), (1, "_month_ago")):
        shifted = history.assign(month=history["month"].map(lambda m, n=lag: add_months(m, n)))
        df = df.merge(shifted.rename(columns={"actual": name}), on=[*by, "month"], how="left")
    use_year = df["_year_ago"].notna()
    use_month = ~use_year & df["_month_ago"].notna()
    df["forecast"] = df["_year_ago"].where(use_year, df["_month_ago"].where(use_month))
    df["source"] = pd.Series(np.where(use_year, SAME_MONTH_LAST_YEAR,
                                      np.where(use_month, LAST_MONTH, None)),
                             index=df.index).astype("str")
    df = _window(df, start, end)
    cols = [*by, "month", "actual", "plan", "forecast", "source"]
    return df[cols].sort_values([*by, "month"], kind="stable").reset_index(drop=True)


def baseline_comparison(sales: pd.DataFrame | None, *, measure: str = "qty",
                        by: Sequence[str] = ("customer_id", "part_family"),
                        start: str | None = None, end: str | None = None) -> pd.DataFrame:
    """The plan's accuracy next to the seasonal-naive baseline's, on the same months.

    Input: as :func:`seasonal_naive`. Output, two rows per group (method ``"plan"`` and
    ``"seasonal_naive"``): the ``by`` columns, method, the metrics of
    :func:`accuracy_metrics`, and months_same_month_last_year and months_last_month: over the
    months compared, how many of the baseline's forecasts were the same month last year and
    how many fell back to last month (the same on both rows of a group). Both are scored only
    on months where actual, plan and baseline are all known, so the comparison is like for
    like. :func:`accuracy_note` puts the counts in words.
    """
    by = list(by)
    cols = [*by, "method", *METRICS, "months_same_month_last_year", "months_last_month"]
    df = seasonal_naive(sales, measure=measure, by=by, start=start, end=end)
    common = df[df["actual"].notna() & df["plan"].notna() & df["forecast"].notna()]
    if common.empty:
        return pd.DataFrame(columns=cols)
    plan = _per_group(common, by, "actual", "plan").assign(method="plan")
    naive = _per_group(common, by, "actual", "forecast").assign(method="seasonal_naive")
    sources = common.assign(
        months_same_month_last_year=common["source"] == SAME_MONTH_LAST_YEAR,
        months_last_month=common["source"] == LAST_MONTH).groupby(
        by, dropna=False, sort=True)[["months_same_month_last_year", "months_last_month"]]
    out = pd.concat([plan, naive], ignore_index=True).merge(
        sources.sum().reset_index(), on=by, how="left")
    out["method"] = out["method"].astype("str")
    return out[cols].sort_values([*by, "method"], kind="stable").reset_index(drop=True)


def accuracy_note(comparison: pd.DataFrame) -> str:
    """How a :func:`baseline_comparison` table was made, in one sentence a KAM can read.

    E.g. ``"seasonal baseline in 7 of 12 months, 5 fell back to last month; 2 zero actuals
    skipped by MAPE"`` — totals over the table's groups ("of 60 part-family months" for five
    part families over twelve months). A
    tracking signal outside ±4 is named after it. Empty when the table is empty.
    """
    if comparison is None or comparison.empty:
        return ""
    naive = comparison[comparison["method"] == "seasonal_naive"]
    months = int(naive["months"].sum())
    seasonal = int(naive["months_same_month_last_year"].sum())
    fell_back = int(naive["months_last_month"].sum())
    skipped = int(naive["mape_skipped_zero"].sum())
    unit = "month" if months == 1 else "months"
    if len(naive) > 1:    # totals over several part families (or customers)
        unit = ("part-family " if "part_family" in naive.columns else "customer ") + unit
    note = (f"seasonal baseline in {seasonal} of {months} {unit}, "
            f"{fell_back} fell back to last month; "
            f"{skipped} zero actual{'s' if skipped != 1 else ''} skipped by MAPE")
    flagged = comparison[comparison["tracking_flagged"].astype(bool)]
    if len(flagged):
        label = "part_family" if "part_family" in comparison.columns else "customer_id"
        names = []
        for row in flagged.itertuples(index=False):
            method = "plan" if row.method == "plan" else "seasonal baseline"
            names.append(f"{getattr(row, label, '')} ({method}, {row.tracking_signal:+.1f})")
        note += f"; tracking signal outside ±{TRACKING_LIMIT:g}: " + ", ".join(names)
    return note


def demand_estimate(volumes: pd.DataFrame | None, glass_content: pd.DataFrame | None,
                    sob: pd.DataFrame | None, sales: pd.DataFrame | None, *,
                    our_company: str, threshold_pct: float = 10.0, start: str | None = None,
                    end: str | None = None) -> pd.DataFrame:
    """Our demand from the customer's production × glass content × our share, against our plan.

    Input: production volumes (vehicles), glass content (pieces per vehicle per model and part
    family), the share table and the sales table. Each volume row (plant, model, month) times
    each part family's pieces times our share of that plant/model/part family/month (a share
    row with no plant applies to every plant; a slice whose share rows name other suppliers
    only gives us 0 %) is our expected demand in pieces. Models without glass content are left
    out. Output per customer, part family and month: estimate_qty (NaN when the share of a
    slice with production is unknown — never guessed), slices, slices_without_share, plan_qty,
    gap_qty (plan − estimate), gap_pct (gap / estimate × 100), flagged (|gap_pct| above
    ``threshold_pct``, or a plan above an estimate of 0).
    """
    vol = _window(prepare_volumes(volumes), start, end)
    content = prepare_glass_content(glass_content)
    shares = prepare_share(sob)
    slices = vol.merge(content, on="model", how="inner")
    keys = ["customer_id", "model", "part_family", "month"]
    seen = shares[[*DETAIL_KEYS, "month"]].drop_duplicates().assign(_seen=True)
    ours = shares[shares["supplier_id"] == our_company][[*DETAIL_KEYS, "month", "share_pct"]]
    per_plant = seen[seen["plant_id"].notna()].merge(
        ours, on=[*DETAIL_KEYS, "month"], how="left")
    any_plant = seen[seen["plant_id"].isna()].drop(columns="plant_id").merge(
        ours.drop(columns="plant_id"), on=keys, how="left")
    slices = slices.merge(per_plant, on=[*DETAIL_KEYS, "month"], how="left")
    slices = slices.merge(any_plant, on=keys, how="left", suffixes=("", "_all"))
    seen_plant = slices["_seen"].astype("boolean").fillna(False).astype(bool)
    seen_all = slices["_seen_all"].astype("boolean").fillna(False).astype(bool)
    share = slices["share_pct"].fillna(0.0).where(seen_plant,
                                                   slices["share_pct_all"].fillna(0.0))
    share = share.where(seen_plant | seen_all)
    pieces = slices["volume"] * slices["pieces"]
    slices["demand"] = (pieces * share / 100).where(pieces != 0, 0.0)
    slices["no_share"] = slices["demand"].isna() & pieces.notna()
    group = ["customer_id", "part_family", "month"]
    estimate = strict_sum(slices, group, ["demand"]).rename(columns={"demand": "estimate_qty"})
    counts = slices.groupby(group, dropna=False, sort=True).agg(
        slices=("demand", "size"), slices_without_share=("no_share", "sum")).reset_index()
    estimate = estimate.merge(counts, on=group, how="left")
    plan = _window(prepare_sales(sales), start, end)[[*group, "plan_qty"]]
    out = estimate.merge(plan, on=group, how="outer")
    for col in ("slices", "slices_without_share"):
        out[col] = out[col].fillna(0).astype("int64")
    out["gap_qty"] = out["plan_qty"] - out["estimate_qty"]
    est = out["estimate_qty"]
    out["gap_pct"] = out["gap_qty"] / est.where(est != 0) * 100
    out["flagged"] = ((out["gap_pct"].abs() > threshold_pct)
                      | ((est == 0) & (out["plan_qty"] > 0))).astype(bool)
    cols = [*group, "estimate_qty", "slices", "slices_without_share", "plan_qty", "gap_qty",
            "gap_pct", "flagged"]
    return out[cols].sort_values(group, kind="stable").reset_index(drop=True)
