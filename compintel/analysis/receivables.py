"""Receivables: outstanding and overdue by ageing bucket, and receipts plan vs actual.

An invoice without a due date cannot age: it is outstanding in its own ``undated`` bucket,
neither due nor overdue. Receipts are planned by due date (the payment terms); a re-plan
(planned_receipt_on) is shown beside the plan, never instead of it, so a customer who asks
to pay later still shows as short in the month the money was due.

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

UNDATED = "undated"


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
    days_past_due (``as_of`` − due date; missing without a due date), bucket (``not due``
    when due today or later, ``0-30`` = 1–30 days past due, ``31-60``, ``61-90``, ``90+``;
    ``undated`` when something is outstanding on an invoice without a due date; ``settled``
    when nothing is outstanding).
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
    df["days_past_due"] = (stamp - df["due_date"]).dt.days.astype("Int64")
    bucket = ageing_bucket(df["days_past_due"].astype("float64")).fillna(UNDATED)
    df["bucket"] = bucket.where(df["outstanding"] > 0, "settled").astype("str")
    cols = ["invoice", "customer_id", "invoice_date", "due_date", "amount", "received",
            "outstanding", "credit", "days_past_due", "bucket"]
    return df.sort_values(["customer_id", "due_date", "invoice"], kind="stable")[cols] \
        .reset_index(drop=True)


def receivables_ageing(receivables: pd.DataFrame | None, *,
                       as_of: str | date | pd.Timestamp) -> pd.DataFrame:
    """Outstanding and overdue rupees per customer by ageing bucket on ``as_of``.

    Input: the receivables table. Output columns: customer_id, outstanding (all unpaid),
    not_due, overdue (all past due), ``0-30``, ``31-60``, ``61-90``, ``90+`` (days past due;
    see :func:`invoice_ageing`), undated (outstanding on invoices without a due date: in
    outstanding, neither due nor overdue), overdue_invoices and undated_invoices (counts),
    credit.
    """
    detail = invoice_ageing(receivables, as_of=as_of)
    cols = ["customer_id", "outstanding", "not_due", "overdue", *AGEING_BUCKETS[1:], UNDATED,
            "overdue_invoices", "undated_invoices", "credit"]
    if detail.empty:
        return pd.DataFrame({c: pd.Series(dtype="str" if c == "customer_id" else "float64")
                             for c in cols})
    table = detail.pivot_table(index="customer_id", columns="bucket", values="outstanding",
                               aggfunc="sum", fill_value=0.0, observed=True)
    table = table.reindex(columns=[*AGEING_BUCKETS, UNDATED], fill_value=0.0).astype("float64")
    table.columns.name = None
    grouped = detail.groupby("customer_id")
    table = table.reindex(sorted(detail["customer_id"].unique()), fill_value=0.0)
    table = table.rename(columns={"not due": "not_due"})
    table["overdue"] = table[AGEING_BUCKETS[1:]].sum(axis=1)
    table["outstanding"] = grouped["outstanding"].sum()
    for name, buckets in (("overdue_invoices", AGEING_BUCKETS[1:]),
                          ("undated_invoices", [UNDATED])):
        table[name] = detail[detail["bucket"].isin(buckets)].groupby("customer_id").size() \
            .reindex(table.index, fill_value=0).astype("int64")
    table["credit"] = grouped["credit"].sum()
    table.index.name = "customer_id"
    return table.reset_index()[cols]


def receipts_plan_vs_actual(receivables: pd.DataFrame | None, *,
                            customer_id: str | None = None, start: str | None = None,
                            end: str | None = None) -> pd.DataFrame:
    """Receipts planned by due date against received, per customer and month, re-plans beside.

    Input: the receivables table. Output columns: customer_id, month, planned (invoice amounts
    due in the month: the terms are the plan), replanned (amounts whose receipt is now planned
    in the month: planned_receipt_on, else the due date), moved_later (amounts due in the
    month whose receipt was re-planned to a later month: the late payers), received (amounts
    received in the month, by received_on; a receipt with no date is not placed in any month),
    variance (received − planned), achievement_pct (received / planned × 100; NaN when nothing
    was due). Every month from ``start`` to ``end`` (default: the data's span); a month
    without an entry is 0, as the ledger is complete. An invoice without a due date is in no
    month's plan (see the ``undated`` bucket of :func:`receivables_ageing`).
    """
    df = prepare_receivables(receivables)
    if customer_id is not None:
        df = df[df["customer_id"] == customer_id]
    due = month_of(df["due_date"])
    replan = month_of(df["planned_receipt_on"].fillna(df["due_date"]))
    later = (replan > due).fillna(False).astype(bool)
    zero = pd.Series(0.0, index=df.index)
    parts = [
        (due, df["amount"], "planned"),
        (replan, df["amount"], "replanned"),
        (due, df["amount"].where(later, 0.0), "moved_later"),
        (month_of(df["received_on"]), _received(df, None), "received"),
    ]
    measures = [name for _, _, name in parts]
    rows = pd.concat([pd.DataFrame({"customer_id": df["customer_id"], "month": month,
                                    **{m: (values if m == name else zero) for m in measures}})
                      for month, values, name in parts], ignore_index=True)
    rows = rows[rows["month"].notna()]
    if start is not None:
        rows = rows[rows["month"] >= start]
    if end is not None:
        rows = rows[rows["month"] <= end]
    cols = ["customer_id", "month", *measures, "variance", "achievement_pct"]
    if rows.empty and (start is None or end is None):
        return pd.DataFrame({c: pd.Series(dtype="str" if c in cols[:2] else "float64")
                             for c in cols})
    months = month_range(start or rows["month"].min(), end or rows["month"].max())
    customers = sorted(rows["customer_id"].unique()) or ([customer_id] if customer_id else [])
    grid = pd.MultiIndex.from_product([customers, months], names=["customer_id", "month"])
    out = rows.groupby(["customer_id", "month"])[measures].sum()
    out = out.reindex(grid, fill_value=0.0).reset_index()
    out["variance"] = out["received"] - out["planned"]
    out["achievement_pct"] = out["received"] / out["planned"].where(out["planned"] > 0) * 100
    return out[cols].astype({m: "float64" for m in measures})


def replanned_receipts(receivables: pd.DataFrame | None, *, customer_id: str | None = None,
                       as_of: str | date | pd.Timestamp | None = None) -> pd.DataFrame:
    """Invoices whose receipt was re-planned to a month after their due month.

    Input: the receivables table; ``as_of`` leaves out invoices raised after it and counts
    receipts up to it. Output columns, latest re-plan first: invoice, customer_id, due_date,
    planned_receipt_on, months_later (months between the due month and the re-planned one),
    amount, outstanding (amount − received; received by ``as_of`` when given).
    """
    df = prepare_receivables(receivables)
    stamp = to_timestamp(as_of) if as_of is not None else None
    if customer_id is not None:
        df = df[df["customer_id"] == customer_id]
    if stamp is not None:
        df = df[~(df["invoice_date"] > stamp)]
    due, replan = month_of(df["due_date"]), month_of(df["planned_receipt_on"])
    df = df[(replan > due).fillna(False).astype(bool)].copy()
    df["months_later"] = [len(month_range(a, b)) - 1
                          for a, b in zip(month_of(df["due_date"]),
                                          month_of(df["planned_receipt_on"]), strict=True)]
    df["months_later"] = df["months_later"].astype("int64")
    df["outstanding"] = (df["amount"] - _received(df, stamp)).clip(lower=0)
    cols = ["invoice", "customer_id", "due_date", "planned_receipt_on", "months_later",
            "amount", "outstanding"]
    return df.sort_values(["planned_receipt_on", "invoice"], ascending=[False, True],
                          kind="stable")[cols].reset_index(drop=True)
