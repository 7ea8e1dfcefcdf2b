"""Customer satisfaction: vendor rating trend, QCDDM complaints, open issues and VOC items."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from compintel.analysis._frames import (
    AnalysisInputError,
    ageing_bucket,
    prepare,
    reject_duplicates,
    to_timestamp,
)
from compintel.analysis.periods import complete_months, month_of, month_range

QCDDM = ["quality", "cost", "delivery", "development", "management"]
NO_TARGET = "no target"


def prepare_ratings(ratings: pd.DataFrame | None) -> pd.DataFrame:
    """Checked vendor ratings; a repeated customer/plant/month/supplier is an error.

    Input columns: customer_id, plant_id, month, supplier_id, score, band. Output: the same
    typed, bands lower-cased.
    """
    df = prepare(ratings, "vendor_ratings",
                 text=["customer_id", "plant_id", "supplier_id", "band"], months=["month"],
                 numbers=["score"], required=["customer_id", "month", "supplier_id"])
    df["band"] = df["band"].str.strip().str.lower()
    reject_duplicates(df, ["customer_id", "plant_id", "month", "supplier_id"], "vendor_ratings")
    return df


def vendor_rating_trend(ratings: pd.DataFrame | None, *, our_company: str,
                        customer_id: str | None = None, start: str | None = None,
                        end: str | None = None) -> pd.DataFrame:
    """Vendor rating score and band per month for us and for competitors where rated.

    Input: the vendor_ratings table. Output, one row per customer, plant, supplier and month
    from ``start`` to ``end`` (default: the data's span; a month without a rating is a gap,
    NaN): customer_id, plant_id, supplier_id, is_ours, month, score, band, score_change
    (score − previous month's; NaN across a gap), prev_band, band_changed (both months rated
    and the band differs). Ours first in each customer and plant.
    """
    df = prepare_ratings(ratings)
    if customer_id is not None:
        df = df[df["customer_id"] == customer_id]
    if start is not None:
        df = df[df["month"] >= start]
    if end is not None:
        df = df[df["month"] <= end]
    keys = ["customer_id", "plant_id", "supplier_id"]
    out = complete_months(df, keys, start=start, end=end)
    previous = out.groupby(keys, dropna=False, sort=False)[["score", "band"]].shift(1)
    out["score_change"] = out["score"] - previous["score"]
    out["prev_band"] = previous["band"].astype("str")
    out["band_changed"] = (out["band"].notna() & out["prev_band"].notna()
                           & (out["band"] != out["prev_band"])).astype(bool)
    out["is_ours"] = out["supplier_id"] == our_company
    out["_rank"] = ~out["is_ours"]
    out = out.sort_values(["customer_id", "plant_id", "_rank", "supplier_id", "month"],
                          kind="stable")
    cols = ["customer_id", "plant_id", "supplier_id", "is_ours", "month", "score", "band",
            "score_change", "prev_band", "band_changed"]
    return out[cols].reset_index(drop=True)


def prepare_complaints(complaints: pd.DataFrame | None) -> pd.DataFrame:
    """Checked complaints table: QCDDM category checked, dates parsed, is_voc as bool.

    Input columns: ref, customer_id, plant_id, category, description, raised_on, target_on,
    closed_on, is_voc (0/1). Output: the same typed. A category outside quality, cost,
    delivery, development, management is an error, and so is a ref repeated for a customer.
    """
    df = prepare(complaints, "complaints",
                 text=["ref", "customer_id", "plant_id", "category", "description"],
                 numbers=["is_voc"], dates=["raised_on", "target_on", "closed_on"],
                 required=["customer_id", "category", "raised_on"])
    df["category"] = df["category"].str.strip().str.lower()
    bad = ~df["category"].isin(QCDDM)
    if bad.any():
        row = int(np.flatnonzero(bad.to_numpy())[0]) + 1
        raise AnalysisInputError(
            f"row {row} holds {df['category'][bad].iloc[0]!r}, not a QCDDM category",
            path="complaints", field="category", hint="use " + ", ".join(QCDDM))
    missing = df["raised_on"].isna()
    if missing.any():
        row = int(np.flatnonzero(missing.to_numpy())[0]) + 1
        raise AnalysisInputError(f"row {row} has no raised date", path="complaints",
                                 field="raised_on", hint="give the date it was raised")
    df["is_voc"] = df["is_voc"].fillna(0).astype(bool)
    refs = df[df["ref"].notna()]
    reject_duplicates(refs, ["customer_id", "ref"], "complaints")
    return df


def complaints_by_category(complaints: pd.DataFrame | None, *, customer_id: str | None = None,
                           start: str | None = None, end: str | None = None,
                           include_voc: bool = False) -> pd.DataFrame:
    """Complaints raised per customer and month, one column per QCDDM category.

    Input: the complaints table (VOC items left out unless ``include_voc``). Output columns:
    customer_id, month, quality, cost, delivery, development, management, total — counts by
    month raised, every month from ``start`` to ``end`` (default: the data's span), 0 where
    none was raised.
    """
    df = prepare_complaints(complaints)
    if customer_id is not None:
        df = df[df["customer_id"] == customer_id]
    if not include_voc:
        df = df[~df["is_voc"]]
    df = df.assign(month=month_of(df["raised_on"]))
    if start is not None:
        df = df[df["month"] >= start]
    if end is not None:
        df = df[df["month"] <= end]
    cols = ["customer_id", "month", *QCDDM, "total"]
    if df.empty and (start is None or end is None):
        return pd.DataFrame({c: pd.Series(dtype="str" if c in cols[:2] else "int64")
                             for c in cols})
    months = month_range(start or df["month"].min(), end or df["month"].max())
    customers = sorted(df["customer_id"].unique()) or ([customer_id] if customer_id else [])
    grid = pd.MultiIndex.from_product([customers, months], names=["customer_id", "month"])
    counts = pd.crosstab([df["customer_id"], df["month"]], df["category"])
    counts = counts.reindex(index=grid, columns=QCDDM, fill_value=0).astype("int64")
    counts.columns.name = None
    counts["total"] = counts.sum(axis=1)
    return counts.reset_index()[cols]


def open_issues(complaints: pd.DataFrame | None, *, as_of: str | date | pd.Timestamp,
                customer_id: str | None = None, include_voc: bool = True) -> pd.DataFrame:
    """Issues open on ``as_of``, aged against their target closure dates, most overdue first.

    Input: the complaints table. Open = raised on or before ``as_of`` and not closed by then.
    Output columns: ref, customer_id, plant_id, category, is_voc, description, raised_on,
    target_on, days_open, overdue_days (days past target, 0 when not yet due; NaN with no
    target), bucket (``not due``, ``0-30`` = 1–30 days overdue, ``31-60``, ``61-90``, ``90+``,
    or ``no target``).
    """
    stamp = to_timestamp(as_of)
    df = prepare_complaints(complaints)
    if customer_id is not None:
        df = df[df["customer_id"] == customer_id]
    if not include_voc:
        df = df[~df["is_voc"]]
    is_open = (df["raised_on"] <= stamp) & ~(df["closed_on"] <= stamp)
    df = df[is_open].copy()
    df["days_open"] = (stamp - df["raised_on"]).dt.days.astype("int64")
    past = (stamp - df["target_on"]).dt.days.astype("float64")
    df["overdue_days"] = past.clip(lower=0)
    df["bucket"] = ageing_bucket(past).fillna(NO_TARGET).astype("str")
    df = df.sort_values(["overdue_days", "days_open"], ascending=False, kind="stable",
                        na_position="last")
    cols = ["ref", "customer_id", "plant_id", "category", "is_voc", "description",
            "raised_on", "target_on", "days_open", "overdue_days", "bucket"]
    return df[cols].reset_index(drop=True)


def voc_items(complaints: pd.DataFrame | None, *, as_of: str | date | pd.Timestamp,
              customer_id: str | None = None) -> pd.DataFrame:
    """Voice-of-customer items raised by ``as_of``, open ones first, newest first.

    Input: the complaints table (rows with is_voc = 1). Output columns: ref, customer_id,
    plant_id, category, description, raised_on, target_on, closed_on, status (``open`` or
    ``closed`` on ``as_of``).
    """
    stamp = to_timestamp(as_of)
    df = prepare_complaints(complaints)
    df = df[df["is_voc"] & (df["raised_on"] <= stamp)]
    if customer_id is not None:
        df = df[df["customer_id"] == customer_id]
    closed = df["closed_on"] <= stamp
    df = df.assign(status=pd.Series(np.where(closed, "closed", "open"), index=df.index,
                                    dtype="str"))
    df = df.sort_values(["status", "raised_on"], ascending=[False, False], kind="stable")
    cols = ["ref", "customer_id", "plant_id", "category", "description", "raised_on",
            "target_on", "closed_on", "status"]
    return df[cols].reset_index(drop=True)
