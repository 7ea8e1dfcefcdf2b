"""Vendor rating trend, QCDDM complaints, open issues ageing and VOC items."""

import math

import pandas as pd
import pytest

from compintel.analysis import (
    AnalysisInputError,
    complaints_by_category,
    open_issues,
    vendor_rating_trend,
    voc_items,
)

NAN = float("nan")
RATING_COLUMNS = ["customer_id", "plant_id", "month", "supplier_id", "score", "band"]
COMPLAINT_COLUMNS = ["ref", "customer_id", "plant_id", "category", "description", "raised_on",
                     "target_on", "closed_on", "is_voc"]


def ratings() -> pd.DataFrame:
    return pd.DataFrame([
        ("nav", "kes", "2026-03", "kestrel", 70, "Yellow"),   # out of order, mixed case
        ("nav", "kes", "2026-01", "kestrel", 85, "green"),
        ("nav", "kes", "2026-02", "kestrel", 72, "yellow"),
        ("nav", "kes", "2026-05", "kestrel", 80, "green"),     # April missing: a gap
        ("nav", "kes", "2026-02", "clarity", 65, "red"),
    ], columns=RATING_COLUMNS)


def test_vendor_rating_trend_with_gaps_and_band_changes():
    out = vendor_rating_trend(ratings(), our_company="kestrel")
    assert out["supplier_id"].tolist() == ["kestrel"] * 5 + ["clarity"] * 5   # ours first
    ours = out[out["is_ours"]].set_index("month")
    assert ours.index.tolist() == ["2026-01", "2026-02", "2026-03", "2026-04", "2026-05"]
    assert ours.loc["2026-02", "score_change"] == -13          # 72 − 85
    assert ours.loc["2026-02", "band_changed"]                 # green → yellow
    assert ours.loc["2026-03", "score_change"] == -2           # 70 − 72
    assert ours.loc["2026-03", "band"] == "yellow"
    assert not ours.loc["2026-03", "band_changed"]
    assert math.isnan(ours.loc["2026-04", "score"])            # gap, not 0
    assert math.isnan(ours.loc["2026-05", "score_change"])     # previous month is a gap
    assert not ours.loc["2026-05", "band_changed"]
    theirs = out[~out["is_ours"]]
    assert theirs["score"].notna().tolist() == [False, True, False, False, False]


def test_vendor_rating_filters_and_duplicates():
    out = vendor_rating_trend(ratings(), our_company="kestrel", customer_id="dhr")
    assert out.empty
    with pytest.raises(AnalysisInputError, match="repeat"):
        vendor_rating_trend(pd.concat([ratings(), ratings().iloc[[0]]]), our_company="kestrel")


def complaints() -> pd.DataFrame:
    return pd.DataFrame([
        ("C1", "mer", "cha", "quality", "edge chip", "2026-05-03", "2026-06-02", "2026-06-01", 0),
        ("C2", "mer", "cha", "Quality", "edge chip", "2026-05-20", "2026-06-19", None, 0),
        ("C3", "mer", "kot", "delivery", "short supply", "2026-07-01", "2026-10-01",
         "2026-11-05", 0),
        ("V1", "mer", None, "development", "wants HUD", "2026-06-10", None, None, 1),
        ("V2", "mer", None, "management", "escalation", "2026-04-10", None, "2026-09-01", 1),
        ("C4", "mer", "cha", "cost", "price query", "2026-10-20", "2026-10-31", None, 0),
        ("C5", "mer", "cha", "quality", "scratch", "2026-11-02", "2026-11-30", None, 0),
        ("N1", "nav", "kes", "cost", "debit note", "2026-06-15", None, None, 0),
    ], columns=COMPLAINT_COLUMNS)


def test_complaints_by_qcddm_category_per_month():
    out = complaints_by_category(complaints(), customer_id="mer", start="2026-05",
                                 end="2026-07").set_index("month")
    assert out.loc["2026-05", "quality"] == 2          # C1 and C2 (category case ignored)
    assert out.loc["2026-05", "total"] == 2
    assert out.loc["2026-06"].drop("customer_id").sum() == 0   # only a VOC item in June
    assert out.loc["2026-07", "delivery"] == 1
    with_voc = complaints_by_category(complaints(), customer_id="mer", start="2026-05",
                                      end="2026-07", include_voc=True).set_index("month")
    assert with_voc.loc["2026-06", "development"] == 1


def test_complaints_by_category_all_customers_and_empty():
    out = complaints_by_category(complaints())
    assert set(out["customer_id"]) == {"mer", "nav"}
    assert out["month"].min() == "2026-05" and out["month"].max() == "2026-11"
    assert complaints_by_category(pd.DataFrame()).empty


def test_open_issues_ageing_against_targets():
    out = open_issues(complaints(), as_of="2026-10-31", customer_id="mer")
    assert out["ref"].tolist() == ["C2", "C3", "C4", "V1"]   # most overdue first
    c2, c3, c4, v1 = (out.iloc[i] for i in range(4))
    assert c2["overdue_days"] == 134       # 19 Jun → 31 Oct: 11 + 31 + 31 + 30 + 31
    assert c2["days_open"] == 164          # 20 May → 31 Oct: 11 + 30 + 31 + 31 + 30 + 31
    assert c2["bucket"] == "90+"
    assert c3["overdue_days"] == 30        # closed only on 5 Nov, so open on 31 Oct
    assert c3["bucket"] == "0-30"
    assert c4["overdue_days"] == 0 and c4["bucket"] == "not due"   # due that very day
    assert math.isnan(v1["overdue_days"]) and v1["bucket"] == "no target"
    no_voc = open_issues(complaints(), as_of="2026-10-31", customer_id="mer",
                         include_voc=False)
    assert "V1" not in set(no_voc["ref"])


def test_voc_items_open_first():
    out = voc_items(complaints(), as_of="2026-10-31")
    assert out["ref"].tolist() == ["V1", "V2"]
    assert out["status"].tolist() == ["open", "closed"]
    before = voc_items(complaints(), as_of="2026-08-31")
    assert before["status"].tolist() == ["open", "open"]   # V2 closed only in September


def test_complaint_input_errors():
    bad = complaints()
    bad.loc[0, "category"] = "safety"
    with pytest.raises(AnalysisInputError, match="QCDDM"):
        complaints_by_category(bad)
    with pytest.raises(AnalysisInputError, match="repeat"):
        open_issues(pd.concat([complaints(), complaints().iloc[[0]]]), as_of="2026-10-31")
    with pytest.raises(AnalysisInputError, match="as_of"):
        open_issues(complaints(), as_of="someday")
