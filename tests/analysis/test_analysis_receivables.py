"""Receivables ageing and receipts plan vs actual."""

import math

import pandas as pd
import pytest

from compintel.analysis import (
    AnalysisInputError,
    invoice_ageing,
    receipts_plan_vs_actual,
    receivables_ageing,
    replanned_receipts,
)

NAN = float("nan")
COLUMNS = ["invoice", "customer_id", "invoice_date", "due_date", "amount", "received_on",
           "received_amount", "planned_receipt_on"]
AS_OF = "2026-10-31"


def ledger() -> pd.DataFrame:
    return pd.DataFrame([
        ("I1", "mer", "2026-10-01", "2026-11-15", 100000, None, NAN, None),
        ("I2", "mer", "2026-09-01", "2026-10-31", 50000, None, NAN, None),
        ("I3", "mer", "2026-08-01", "2026-10-01", 80000, "2026-10-15", 30000, "2026-10-10"),
        ("I4", "mer", "2026-07-01", "2026-08-31", 60000, None, NAN, "2026-09-20"),
        ("I5", "mer", "2026-05-01", "2026-07-01", 40000, None, NAN, None),
        ("I6", "mer", "2026-07-15", "2026-09-15", 70000, "2026-11-05", 70000, "2026-10-25"),
        ("I7", "mer", "2026-07-01", "2026-09-01", 20000, "2026-09-10", NAN, "2026-09-05"),
        ("I8", "mer", "2026-07-01", "2026-09-01", 10000, "2026-09-05", 12000, None),
        ("I9", "mer", "2026-11-02", "2027-01-01", 90000, None, NAN, None),
        ("N1", "nav", "2026-09-01", "2026-10-30", 25000, None, NAN, None),
    ], columns=COLUMNS)


def test_invoice_ageing_buckets():
    out = invoice_ageing(ledger(), as_of=AS_OF).set_index("invoice")
    assert "I9" not in out.index                       # invoiced after the report date
    assert out.loc["I1", "bucket"] == "not due"
    assert out.loc["I2", "bucket"] == "not due"        # due today
    assert out.loc["I3", "days_past_due"] == 30        # 1 Oct → 31 Oct
    assert out.loc["I3", "outstanding"] == 50000       # 80000 − 30000
    assert out.loc["I3", "bucket"] == "0-30"
    assert out.loc["I4", "days_past_due"] == 61        # 31 Aug → 31 Oct: 30 + 31
    assert out.loc["I4", "bucket"] == "61-90"
    assert out.loc["I5", "days_past_due"] == 122       # 1 Jul → 31 Oct: 30 + 31 + 30 + 31
    assert out.loc["I5", "bucket"] == "90+"
    assert out.loc["I6", "outstanding"] == 70000       # paid only after the report date
    assert out.loc["I6", "bucket"] == "31-60"          # 15 Sep → 31 Oct: 15 + 31 = 46
    assert out.loc["I7", "bucket"] == "settled"        # a receipt date alone: paid in full
    assert out.loc["I8", "credit"] == 2000             # 12000 received on 10000
    assert out.loc["N1", "bucket"] == "0-30"           # one day late


def test_receivables_ageing_per_customer():
    out = receivables_ageing(ledger(), as_of=AS_OF).set_index("customer_id")
    mer = out.loc["mer"]
    assert mer["not_due"] == 150000                    # I1 100000 + I2 50000
    assert mer["0-30"] == 50000                        # I3
    assert mer["31-60"] == 70000                       # I6
    assert mer["61-90"] == 60000                       # I4
    assert mer["90+"] == 40000                         # I5
    assert mer["overdue"] == 220000                    # 50000 + 70000 + 60000 + 40000
    assert mer["outstanding"] == 370000                # 150000 + 220000
    assert mer["overdue_invoices"] == 4
    assert mer["credit"] == 2000
    assert out.loc["nav", "outstanding"] == 25000


def test_ageing_moves_with_the_report_date():
    out = receivables_ageing(ledger(), as_of="2026-09-30").set_index("customer_id")
    # On 30 Sep: I1 is not yet invoiced; I3 (due 1 Oct, its part payment still to come) and
    # I2 are not due; I6 is 15 days late and I4 30 days; I5 is 91 days late.
    assert out.loc["mer", "not_due"] == 130000              # I3 80000 + I2 50000
    assert out.loc["mer", "0-30"] == 130000                 # I6 70000 + I4 60000
    assert out.loc["mer", "61-90"] == 0
    assert out.loc["mer", "90+"] == 40000                   # I5


def test_receipts_are_planned_by_due_date_with_re_plans_beside():
    # Issue 11: I4 (due August, re-planned to September) showed 0 planned in August, hiding
    # the late payer. Planned = due date; the re-plan is its own column.
    out = receipts_plan_vs_actual(ledger(), customer_id="mer").set_index("month")
    assert out.index.tolist() == ["2026-07", "2026-08", "2026-09", "2026-10", "2026-11",
                                  "2026-12", "2027-01"]
    jul, aug, sep = out.loc["2026-07"], out.loc["2026-08"], out.loc["2026-09"]
    oct_, nov, dec = out.loc["2026-10"], out.loc["2026-11"], out.loc["2026-12"]
    assert jul["planned"] == 40000 and jul["replanned"] == 40000    # I5, not re-planned
    assert aug["planned"] == 60000       # I4 due 2026-08-31 …
    assert aug["replanned"] == 0         # … re-planned to September
    assert aug["moved_later"] == 60000 and aug["received"] == 0
    assert aug["variance"] == -60000 and aug["achievement_pct"] == 0
    assert sep["planned"] == 100000      # I6 70000 + I7 20000 + I8 10000, all due in September
    assert sep["replanned"] == 90000     # I4 60000 + I7 20000 (05 Sep) + I8; I6 moved to Oct
    assert sep["moved_later"] == 70000   # I6; I7's re-plan stays in its due month
    assert sep["received"] == 32000      # I7 20000 (in full) + I8 12000
    assert sep["variance"] == -68000
    assert sep["achievement_pct"] == pytest.approx(32.0)
    assert oct_["planned"] == 130000     # I2 50000 + I3 80000
    assert oct_["replanned"] == 200000   # + I6 70000
    assert oct_["received"] == 30000     # I3
    assert nov["planned"] == 100000 and nov["received"] == 70000   # I1 due; I6 paid
    assert nov["achievement_pct"] == pytest.approx(70.0)
    assert dec["planned"] == 0 and math.isnan(dec["achievement_pct"])
    assert out.loc["2027-01", "planned"] == 90000                  # I9 due 2027-01-01
    late = replanned_receipts(ledger(), customer_id="mer", as_of=AS_OF)
    assert late["invoice"].tolist() == ["I6", "I4"]
    assert late["months_later"].tolist() == [1, 1]
    assert late["outstanding"].tolist() == [70000, 60000]   # I6 paid only in November


def test_an_invoice_without_a_due_date_is_outstanding_in_an_undated_bucket():
    # Issue 11: an invoice without a due date raised IntCastingNaNError.
    df = pd.concat([ledger(), pd.DataFrame(
        [("U1", "mer", "2026-10-05", None, 15000, None, NAN, None),
         ("U2", "mer", "2026-10-06", None, 5000, "2026-10-20", NAN, None)],
        columns=COLUMNS)], ignore_index=True)
    detail = invoice_ageing(df, as_of=AS_OF).set_index("invoice")
    assert detail.loc["U1", "bucket"] == "undated" and pd.isna(detail.loc["U1", "days_past_due"])
    assert detail.loc["U2", "bucket"] == "settled"
    assert detail.loc["I3", "days_past_due"] == 30
    mer = receivables_ageing(df, as_of=AS_OF).set_index("customer_id").loc["mer"]
    assert mer["undated"] == 15000 and mer["undated_invoices"] == 1
    assert mer["outstanding"] == 385000                # 370000 + 15000
    assert mer["overdue"] == 220000 and mer["not_due"] == 150000   # undated is neither
    plan = receipts_plan_vs_actual(df, customer_id="mer").set_index("month")
    assert plan.loc["2026-10", "planned"] == 130000    # no due date: in no month's plan
    assert plan.loc["2026-10", "received"] == 35000    # U2 paid in October


def test_receivables_empty_and_errors():
    assert receivables_ageing(pd.DataFrame(), as_of=AS_OF).empty
    assert receipts_plan_vs_actual(pd.DataFrame()).empty
    with pytest.raises(AnalysisInputError, match="repeat"):
        receivables_ageing(pd.concat([ledger(), ledger().iloc[[0]]]), as_of=AS_OF)
    bad = ledger()
    bad.loc[0, "due_date"] = "15/11/2026"
    with pytest.raises(AnalysisInputError, match="due_date"):
        invoice_ageing(bad, as_of=AS_OF)
