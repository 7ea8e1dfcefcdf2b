"""Receivables: outstanding and overdue by ageing bucket, and receipts plan vs actual.

Receipt rules: a row's receipt counts when it was received on or before the ``as_of`` date;
a received amount with no date counts as received (the ledger says it was paid); a receipt
date with no amount means the invoice was paid in full. An amount received beyond the
invoice amount is reported as ``credit``, not netted against other invoices.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from compintel.analysis._frames import (
    AGEING_BUCKETS,
    ageing_bucket,
    prepare,
    reject_duplicates,
    to_timestamp,
)
from compintel.analysis.periods import month_of, month_range


def prepare_receivables(receivables: pd.DataFrame | None) -> pd.DataFrame:
    """Checked receivables; an invoice repeated for the same customer is an error.

    Input columns: invoice, customer_id, invoice_date, due_date, amount, received_on,
    received_amount, planned_receipt_on (dates ``YYYY-MM-DD``, amounts in rupees). Output:
    the same typed.
    """
    df = prepare(receivables, "receivables", text=["invoice", "customer_id"],
                 dates=["invoice_date", "due_date", "received_on", "planned_receipt_on"],
                 numbers=["amount", "received_amount"],
                 required=["invoice", "customer_id", "due_date", "amount"])
    reject_duplicates(df, ["customer_id", "invoice"], "receivables")
    return df


def _received(df: pd.DataFrame, stamp: pd.Timestamp | None) -> pd.Series:
    paid = df["received_amount"].where(df["received_amount"].notna(),
                                       df["amount"].where(df["received_on"].notna(), 0.0))
    if stamp is not None:
        paid = paid.where(~(df["received_on"] > stamp), 0.0)
    return paid.fillna(0.0)


def invoice_ageing(receivables: pd.DataFrame | None, *, as_of: str | date | pd.Timestamp,
                   customer_id: str | None = None) -> pd.DataFrame:
    """Each invoice raised by ``as_of`` with what is still outstanding and how late it is.

    Input: the receivables table (invoices dated after ``as_of`` are left out). Output
    columns: invoice, customer_id, invoice_date, due_date, amount, received (by ``as_of``),
    outstanding (amount − received, at least 0), credit (received beyond the amount),
    days_past_due (``as_of`` − due date), bucket (``not due`` when due today or later,
    ``0-30`` = 1–30 days past due, ``31-60``, ``61-90``, ``90+``; ``settled`` when nothing is
    outstanding).
    """
    stamp = to_timestamp(as_of)
    df = prepare_receivables(receivables)
    if customer_id is not None:
        df = df[df["customer_id"] == customer_id]
    df = df[~(df["invoice_date"] > stamp)].copy()
    df["received"] = _received(df, stamp)
    balance = df["amount"] - df["received"]
    df["outstanding"] = balance.clip(lower=0)
    df["credit"] = (-balance).clip(lower=0)
    df["days_past_due"] = (stamp - df["due_date"]).dt.days.astype("int64")
    df["bucket"] = ageing_bucket(df["days_past_due"]).where(df["outstanding"] > 0, "settled")
    df["bucket"] = df["bucket"].astype("str")
    cols = ["invoice", "customer_id", "invoice_date", "due_date", "amount", "received",
            "outstanding", "credit", "days_past_due", "bucket"]
    return df.sort_values(["customer_id", "due_date", "invoice"], kind="stable")[cols] \
        .reset_index(drop=True)


def receivables_ageing(receivables: pd.DataFrame | None, *,
                       as_of: str | date | pd.Timestamp) -> pd.DataFrame:
    """Outstanding and overdue rupees per customer by ageing bucket on ``as_of``.

    Input: the receivables table. Output columns: customer_id, outstanding (all unpaid),
    not_due, overdue (all past due), ``0-30``, ``31-60``, ``61-90``, ``90+`` (days past due;
    see :func:`invoice_ageing`), overdue_invoices (count), credit.
    """
    detail = invoice_ageing(receivables, as_of=as_of)
    cols = ["customer_id", "outstanding", "not_due", "overdue", *AGEING_BUCKETS[1:],
            "overdue_invoices", "credit"]
    if detail.empty:
        return pd.DataFrame({c: pd.Series(dtype="str" if c == "customer_id" else "float64")
                             for c in cols})
    table = detail.pivot_table(index="customer_id", columns="bucket", values="outstanding",
                               aggfunc="sum", fill_value=0.0, observed=True)
    table = table.reindex(columns=AGEING_BUCKETS, fill_value=0.0).astype("float64")
    table.columns.name = None
    grouped = detail.groupby("customer_id")
    table = table.reindex(sorted(detail["customer_id"].unique()), fill_value=0.0)
    table = table.rename(columns={"not due": "not_due"})
    table["overdue"] = table[AGEING_BUCKETS[1:]].sum(axis=1)
    table["outstanding"] = grouped["outstanding"].sum()
    late = detail[detail["bucket"].isin(AGEING_BUCKETS[1:])]
    table["overdue_invoices"] = late.groupby("customer_id").size().reindex(
        table.index, fill_value=0).astype("int64")
    table["credit"] = grouped["credit"].sum()
    table.index.name = "customer_id"
    return table.reset_index()[cols]


def receipts_plan_vs_actual(receivables: pd.DataFrame | None, *,
                            customer_id: str | None = None, start: str | None = None,
                            end: str | None = None) -> pd.DataFrame:
    """Receipts planned against received, per customer and month.

    Input: the receivables table. Planned = invoice amounts whose planned receipt date falls in
    the month — planned_receipt_on, or the due date when no receipt date was planned (the terms
    are the plan); received = amounts received in the month (by received_on; a receipt with no
    date is not placed in any month). Output columns: customer_id, month, planned, received,
    variance (received − planned), achievement_pct (received / planned × 100; NaN when
    nothing was planned). Every month from ``start`` to ``end`` (default: the data's span);
    a month without a planned or received entry is 0, as the ledger is complete.
    """
    df = prepare_receivables(receivables)
    if customer_id is not None:
        df = df[df["customer_id"] == customer_id]
    plan = pd.DataFrame({"customer_id": df["customer_id"],
                         "month": month_of(df["planned_receipt_on"].fillna(df["due_date"])),
                         "planned": df["amount"], "received": 0.0})
    got = pd.DataFrame({"customer_id": df["customer_id"], "month": month_of(df["received_on"]),
                        "planned": 0.0, "received": _received(df, None)})
    rows = pd.concat([plan, got], ignore_index=True)
    rows = rows[rows["month"].notna()]
    if start is not None:
        rows = rows[rows["month"] >= start]
    if end is not None:
        rows = rows[rows["month"] <= end]
    cols = ["customer_id", "month", "planned", "received", "variance", "achievement_pct"]
    if rows.empty and (start is None or end is None):
        return pd.DataFrame({c: pd.Series(dtype="str" if c in cols[:2] else "float64")
                             for c in cols})
    months = month_range(start or rows["month"].min(), end or rows["month"].max())
    customers = sorted(rows["customer_id"].unique()) or ([customer_id] if customer_id else [])
    grid = pd.MultiIndex.from_product([customers, months], names=["customer_id", "month"])
    out = rows.groupby(["customer_id", "month"])[["planned", "received"]].sum()
    out = out.reindex(grid, fill_value=0.0).reset_index()
    out["variance"] = out["received"] - out["planned"]
    out["achievement_pct"] = out["received"] / out["planned"].where(out["planned"] > 0) * 100
    return out[cols].astype({"planned": "float64", "received": "float64"})
