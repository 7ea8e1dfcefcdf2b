"""Sales against plan, missing plans, lost RFQs and the RFQ pipeline."""

import math

import pandas as pd
import pytest

from compintel.analysis import (
    AnalysisInputError,
    lost_rfqs,
    lost_sales_by_competitor,
    missing_plans,
    plan_vs_actual,
    rfq_pipeline,
    stopped_part_families,
)

NAN = float("nan")
SALES_COLUMNS = ["customer_id", "part_family", "month", "plan_qty", "actual_qty", "plan_value",
                 "actual_value"]


def sales_table() -> pd.DataFrame:
    rows = [
        # Given out of order on purpose. Windshield spans the FY2025-26 → FY2026-27 boundary.
        ("nav", "windshield", "2026-04", 200, 150, 2000, 1500),
        ("nav", "windshield", "2026-02", 100, 90, 1000, 900),
        ("nav", "windshield", "2026-05", 0, 10, 0, 100),     # a plan of zero
        ("nav", "windshield", "2026-03", 100, 110, 1000, 1100),
        # Backlite: no row for 2026-03 (a gap) nor 2026-05; April has no plan.
        ("nav", "backlite", "2026-02", 50, 40, 500, 400),
        ("nav", "backlite", "2026-04", NAN, 30, NAN, 300),
    ]
    return pd.DataFrame(rows, columns=SALES_COLUMNS)


def row(df: pd.DataFrame, **match) -> pd.Series:
    mask = pd.Series(True, index=df.index)
    for key, value in match.items():
        mask &= df[key] == value
    assert mask.sum() == 1, match
    return df[mask].iloc[0]


def test_monthly_variance_and_achievement():
    out = plan_vs_actual(sales_table())
    feb = row(out, part_family="windshield", period="2026-02")
    assert feb["var_qty"] == -10            # 90 − 100
    assert feb["ach_qty_pct"] == 90.0       # 90 / 100 × 100
    assert feb["var_value"] == -100         # 900 − 1000
    assert feb["fy"] == "FY2025-26"


def test_ytd_accumulates_and_resets_in_april():
    out = plan_vs_actual(sales_table())
    mar = row(out, part_family="windshield", period="2026-03")
    assert mar["ytd_plan_qty"] == 200       # 100 (Feb) + 100 (Mar)
    assert mar["ytd_actual_qty"] == 200     # 90 + 110
    assert mar["ytd_ach_qty_pct"] == 100.0
    apr = row(out, part_family="windshield", period="2026-04")
    assert apr["ytd_plan_qty"] == 200       # new FY: April alone
    assert apr["ytd_actual_qty"] == 150
    assert apr["ytd_ach_qty_pct"] == 75.0   # 150 / 200
    may = row(out, part_family="windshield", period="2026-05")
    assert may["ytd_plan_qty"] == 200       # 200 + 0
    assert may["ytd_actual_qty"] == 160     # 150 + 10
    assert may["ytd_ach_qty_pct"] == 80.0   # 160 / 200
    assert may["ytd_ach_value_pct"] == 80.0  # (1500 + 100) / (2000 + 0)


def test_plan_of_zero_gives_no_achievement_but_a_variance():
    may = row(plan_vs_actual(sales_table()), part_family="windshield", period="2026-05")
    assert math.isnan(may["ach_qty_pct"])
    assert may["var_qty"] == 10             # 10 − 0
    assert not may["plan_qty_missing"]


def test_output_is_in_time_order_whatever_the_input_order():
    out = plan_vs_actual(sales_table())
    wind = out[out["part_family"] == "windshield"]
    assert wind["period"].tolist() == ["2026-02", "2026-03", "2026-04", "2026-05"]


def test_month_without_row_is_a_gap_and_missing_plan_is_flagged():
    out = plan_vs_actual(sales_table())
    mar = row(out, part_family="backlite", period="2026-03")
    assert math.isnan(mar["plan_qty"]) and math.isnan(mar["actual_qty"])  # gap, not 0
    assert mar["plan_qty_missing"]
    apr = row(out, part_family="backlite", period="2026-04")
    assert apr["actual_qty"] == 30
    assert apr["plan_qty_missing"]
    assert math.isnan(apr["ach_qty_pct"])
    assert math.isnan(apr["ytd_plan_qty"])  # April's plan is unknown, so is the YTD


def test_customer_roll_up_is_nan_when_a_part_family_is_missing():
    out = plan_vs_actual(sales_table(), by=["customer_id"])
    feb = row(out, period="2026-02")
    assert feb["plan_qty"] == 150           # 100 windshield + 50 backlite
    assert feb["actual_qty"] == 130         # 90 + 40
    mar = row(out, period="2026-03")
    assert math.isnan(mar["plan_qty"])      # backlite has a gap in March
    assert mar["plan_qty_missing"]


def test_part_family_before_its_first_row_does_not_block_the_customer_total():
    # Sunroof starts in 2026-03 (start of production): February is not a gap for it.
    df = pd.concat([sales_table(), pd.DataFrame(
        [("nav", "sunroof", "2026-03", 5, 5, 50, 50)], columns=SALES_COLUMNS)])
    df = df[df["part_family"] != "backlite"]
    out = plan_vs_actual(df, by=["customer_id"])
    assert row(out, period="2026-02")["plan_qty"] == 100   # windshield only
    assert row(out, period="2026-03")["plan_qty"] == 105   # 100 + 5


def test_quarters_and_years():
    q = plan_vs_actual(sales_table(), freq="quarter")
    q4 = row(q, part_family="windshield", period="FY2025-26 Q4")
    assert q4["months"] == 2                # only Feb and Mar are in the data range
    assert q4["plan_qty"] == 200 and q4["actual_qty"] == 200
    q1 = row(q, part_family="windshield", period="FY2026-27 Q1")
    assert q1["plan_qty"] == 200            # 200 + 0
    assert q1["ach_qty_pct"] == 80.0        # 160 / 200
    assert q1["ytd_plan_qty"] == 200        # first quarter of the new FY
    back = row(q, part_family="backlite", period="FY2026-27 Q1")
    assert math.isnan(back["plan_qty"]) and back["plan_qty_missing"]
    fy = plan_vs_actual(sales_table(), freq="fy")
    year = row(fy, part_family="windshield", period="FY2025-26")
    assert year["plan_value"] == 2000       # 1000 + 1000
    assert year["actual_value"] == 2000     # 900 + 1100
    assert "ytd_plan_qty" not in fy.columns


def test_start_and_end_bound_the_months():
    out = plan_vs_actual(sales_table(), start="2026-04", end="2026-06")
    wind = out[out["part_family"] == "windshield"]
    assert wind["period"].tolist() == ["2026-04", "2026-05", "2026-06"]
    assert math.isnan(wind["actual_qty"].iloc[2])   # June: no data yet


def test_start_mid_year_still_counts_ytd_from_april():
    out = plan_vs_actual(sales_table(), start="2026-05")
    wind = out[out["part_family"] == "windshield"]
    assert wind["period"].tolist() == ["2026-05"]
    assert wind["ytd_plan_qty"].iloc[0] == 200      # April 200 + May 0
    assert wind["ytd_actual_qty"].iloc[0] == 160    # 150 + 10
    q = plan_vs_actual(sales_table(), freq="quarter", start="2026-05")
    q1 = q[q["part_family"] == "windshield"]
    assert q1["period"].tolist() == ["FY2026-27 Q1"]
    assert q1["months"].iloc[0] == 2                # April and May


def test_rows_of_one_key_combine_plan_and_actual_but_never_add_a_figure_up():
    # Plan and actual from two files for the same key are combined.
    df = pd.DataFrame([
        ("nav", "windshield", "2026-04", 200, NAN, 2000, NAN),
        ("nav", "windshield", "2026-04", NAN, 150, NAN, 1500),
    ], columns=SALES_COLUMNS)
    out = plan_vs_actual(df)
    assert out[["plan_qty", "actual_qty", "actual_value"]].values.tolist() == [[200, 150, 1500]]
    # Issue 11: the same month's plan in two files was summed (200 instead of 100).
    twice = pd.DataFrame([
        ("nav", "windshield", "2026-04", 100, 90, NAN, NAN),
        ("nav", "backlite", "2026-04", 50, 40, NAN, NAN),
        ("nav", "windshield", "2026-04", 100, NAN, NAN, NAN),
    ], columns=SALES_COLUMNS)
    with pytest.raises(AnalysisInputError) as caught:
        plan_vs_actual(twice)
    assert caught.value.field == "plan_qty"
    assert "rows 1, 3 all give plan_qty for nav windshield 2026-04" in caught.value.message


def test_a_stopped_part_family_does_not_blank_the_customers_later_totals():
    # Issue 11: backlite stops after April; May's customer total was NaN.
    out = plan_vs_actual(sales_table(), by=["customer_id"])
    may = row(out, period="2026-05")
    assert may["plan_qty"] == 0 and may["actual_qty"] == 10   # windshield only
    assert not may["plan_qty_missing"]
    stopped = stopped_part_families(sales_table())
    assert stopped.values.tolist() == [["nav", "backlite", "2026-04", 1]]
    assert stopped_part_families(sales_table(), end="2026-07")["part_family"].tolist() == [
        "backlite", "windshield"]
    assert stopped_part_families(pd.DataFrame()).empty


def test_partial_quarters_and_years_are_marked():
    q = plan_vs_actual(sales_table(), freq="quarter")
    assert row(q, part_family="windshield", period="FY2025-26 Q4")["partial"]   # Feb–Mar
    assert row(q, part_family="windshield", period="FY2026-27 Q1")["partial"]   # Apr–May
    fy = plan_vs_actual(sales_table(), freq="fy")
    assert row(fy, part_family="windshield", period="FY2026-27")["partial"]     # 2 of 12
    full = pd.DataFrame([("nav", "windshield", f"2026-{m:02d}", 10, 10, 1, 1)
                         for m in range(4, 10)], columns=SALES_COLUMNS)
    quarters = plan_vs_actual(full, freq="quarter")
    assert quarters["partial"].tolist() == [False, False]
    assert plan_vs_actual(full, freq="fy")["partial"].tolist() == [True]
    assert not plan_vs_actual(full)["partial"].any()                             # months


def test_empty_inputs_and_empty_periods():
    assert plan_vs_actual(pd.DataFrame()).empty
    assert plan_vs_actual(pd.DataFrame(columns=SALES_COLUMNS), freq="quarter").empty
    assert plan_vs_actual(sales_table(), start="2030-04", end="2030-06").empty
    assert missing_plans(pd.DataFrame()).empty


def test_bad_input_is_a_user_error():
    bad = sales_table()
    bad.loc[1, "month"] = "Apr-26"
    with pytest.raises(AnalysisInputError, match="month"):
        plan_vs_actual(bad)
    with pytest.raises(AnalysisInputError, match="plan_qty"):
        plan_vs_actual(sales_table().assign(plan_qty="lots"))
    with pytest.raises(AnalysisInputError, match="part_family"):
        plan_vs_actual(sales_table().drop(columns="part_family"))
    with pytest.raises(AnalysisInputError, match="freq"):
        plan_vs_actual(sales_table(), freq="week")
    with pytest.raises(AnalysisInputError, match="group"):
        plan_vs_actual(sales_table(), by=["plant_id"])


def test_store_import_id_column_is_ignored():
    plain = plan_vs_actual(sales_table())
    stored = plan_vs_actual(sales_table().assign(import_id=7))
    pd.testing.assert_frame_equal(plain, stored)


def test_missing_plans_lists_gaps_and_empty_plans():
    out = missing_plans(sales_table())
    assert out["part_family"].tolist() == ["backlite"] * 2
    assert out["month"].tolist() == ["2026-03", "2026-04"]   # May: after its last row
    assert out["has_row"].tolist() == [False, True]


def test_missing_plans_ignore_months_before_a_part_familys_first_row():
    df = pd.concat([sales_table(), pd.DataFrame(
        [("nav", "sunroof", "2026-03", 5, 5, 50, 50), ("nav", "sunroof", "2026-05", 5, 5, 50, 50)],
        columns=SALES_COLUMNS)])
    out = missing_plans(df)
    sunroof = out[out["part_family"] == "sunroof"]
    assert sunroof["month"].tolist() == ["2026-04"]   # Feb precedes its first row


# ---------------------------------------------------------------------------- RFQs

RFQ_COLUMNS = ["rfq_date", "customer_id", "programme", "part_family", "status", "competitor_id",
               "value", "reason", "decided_on"]


def rfq_table() -> pd.DataFrame:
    rows = [
        ("2026-01-10", "nav", "koru", "backlite", "lost", "vit", 5_000_000, "price 6% lower",
         "2026-06-30"),
        ("2026-02-01", "nav", "vela", "windshield", "won", None, 8_000_000, None, "2026-03-15"),
        ("2026-03-01", "nav", "tarani", "sidelite", "open", None, 1_000_000, None, None),
        ("2026-03-05", "nav", "vela", "quarter", "quoted", None, 2_000_000, None, None),
        ("2026-04-01", "dhr", "vistar", "sunroof", "lost", "sun", 3_000_000, "technology",
         None),
        ("2026-04-02", "dhr", "prayan", "sidelite", "dropped", None, 500_000, None, None),
        ("2026-05-01", "nav", "koru", "quarter", "lost", "vit", NAN, "price", None),
        ("2026-05-02", "dhr", "ekam", "windshield", "WON", None, 1_500_000, None, "2026-06-01"),
        ("2026-05-03", "mer", "aarohi", "windshield", "quoted", None, 4_000_000, None, None),
    ]
    return pd.DataFrame(rows, columns=RFQ_COLUMNS)


def test_win_rate_counts_decided_rfqs_only():
    out = rfq_pipeline(rfq_table())
    nav = row(out, customer_id="nav")
    assert (nav["n_open"], nav["n_quoted"], nav["n_won"], nav["n_lost"]) == (1, 1, 1, 2)
    assert nav["decided"] == 3                                  # won + lost
    assert nav["win_rate_pct"] == pytest.approx(100 / 3)        # 1 / (1 + 2)
    assert nav["value_win_rate_pct"] == pytest.approx(8 / 13 * 100)  # 8 M / (8 M + 5 M)
    dhr = row(out, customer_id="dhr")
    assert dhr["n_dropped"] == 1
    assert dhr["win_rate_pct"] == 50.0                          # dropped is not a loss
    assert dhr["value_win_rate_pct"] == pytest.approx(1.5 / 4.5 * 100)
    mer = row(out, customer_id="mer")
    assert math.isnan(mer["win_rate_pct"])                      # nothing decided yet


def test_pipeline_window_and_empty():
    out = rfq_pipeline(rfq_table(), start="2026-04-01", end="2026-04-30")
    assert row(out, customer_id="dhr")["n_lost"] == 1
    assert set(out["customer_id"]) == {"dhr"}
    assert rfq_pipeline(pd.DataFrame()).empty


def test_lost_sales_by_competitor_sums_value_and_reasons():
    out = lost_sales_by_competitor(rfq_table(), by=["competitor_id"])
    assert out["competitor_id"].tolist() == ["vit", "sun"]     # largest loss first
    vit = out.iloc[0]
    assert vit["rfqs_lost"] == 2
    assert vit["value_lost"] == 5_000_000     # the second loss has no value…
    assert vit["value_unknown"] == 1          # …and is counted here
    assert vit["reasons"] == "price 6% lower; price"


def test_lost_rfqs_window_uses_the_decision_date():
    assert len(lost_rfqs(rfq_table())) == 3
    late = lost_rfqs(rfq_table(), start="2026-06-01")
    assert late["programme"].tolist() == ["koru"]   # decided 2026-06-30
    assert late["month"].tolist() == ["2026-06"]


def test_unknown_status_is_a_user_error():
    bad = rfq_table()
    bad.loc[0, "status"] = "maybe"
    with pytest.raises(AnalysisInputError, match="status"):
        rfq_pipeline(bad)
