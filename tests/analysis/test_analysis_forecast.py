"""Forecast accuracy metrics, the seasonal-naive baseline and the demand cross-check."""

import math

import pandas as pd
import pytest

from compintel.analysis import (
    AnalysisInputError,
    accuracy_metrics,
    accuracy_note,
    baseline_comparison,
    demand_estimate,
    forecast_accuracy,
    month_range,
    seasonal_naive,
)

NAN = float("nan")
SALES_COLUMNS = ["customer_id", "part_family", "month", "plan_qty", "actual_qty", "plan_value",
                 "actual_value"]


def test_metrics_by_hand():
    actual = pd.Series([100, 0, 50, 200, NAN])
    forecast = pd.Series([110, 10, 40, 150, 5])      # the last pair has no actual: not used
    m = accuracy_metrics(actual, forecast)
    assert m["months"] == 4
    # MAPE skips the zero actual: (10/100 + 10/50 + 50/200) / 3 = 0.55 / 3
    assert m["mape_pct"] == pytest.approx(55 / 3)
    assert m["mape_months"] == 3
    assert m["mape_skipped_zero"] == 1
    assert m["wape_pct"] == pytest.approx(80 / 350 * 100)       # (10+10+10+50) / 350
    assert m["bias_pct"] == pytest.approx(-40 / 350 * 100)      # (10+10−10−50) / 350
    assert m["mad"] == 20                                       # 80 / 4
    assert m["tracking_signal"] == -2                           # −40 / 20


def test_metrics_with_zero_actuals_or_no_pairs_are_nan():
    m = accuracy_metrics(pd.Series([0.0, 0.0]), pd.Series([5.0, 0.0]))
    assert m["mape_skipped_zero"] == 2
    assert math.isnan(m["mape_pct"]) and math.isnan(m["wape_pct"]) and math.isnan(m["bias_pct"])
    empty = accuracy_metrics(pd.Series([], dtype=float), pd.Series([], dtype=float))
    assert empty["months"] == 0
    assert math.isnan(empty["tracking_signal"])
    perfect = accuracy_metrics(pd.Series([10.0]), pd.Series([10.0]))
    assert math.isnan(perfect["tracking_signal"])   # MAD of 0
    assert perfect["wape_pct"] == 0


def test_forecast_accuracy_of_the_plan_per_group():
    sales = pd.DataFrame([
        ("nav", "windshield", "2026-05", 110, 100, NAN, NAN),
        ("nav", "windshield", "2026-04", 90, 100, NAN, NAN),   # out of order
        ("nav", "windshield", "2026-06", NAN, 80, NAN, NAN),   # no plan: left out
        ("nav", "backlite", "2026-04", 50, 40, NAN, NAN),
    ], columns=SALES_COLUMNS)
    out = forecast_accuracy(sales)
    wind = out[out["part_family"] == "windshield"].iloc[0]
    assert wind["months"] == 2
    assert wind["wape_pct"] == pytest.approx(10.0)       # (10 + 10) / 200
    assert wind["bias_pct"] == pytest.approx(0.0)        # (+10 − 10) / 200
    back = out[out["part_family"] == "backlite"].iloc[0]
    assert back["bias_pct"] == pytest.approx(25.0)       # (50 − 40) / 40
    assert back["tracking_signal"] == 1                  # 10 / 10
    rolled = forecast_accuracy(sales, by=["customer_id"])
    assert len(rolled) == 1
    # April: plan 90 + 50 = 140, actual 140; May: backlite stopped after April, so windshield
    # alone (plan 110, actual 100); June: no plan.
    assert rolled["months"].iloc[0] == 2
    assert rolled["wape_pct"].iloc[0] == pytest.approx(10 / 240 * 100)


def test_forecast_accuracy_rejects_unknown_measure():
    with pytest.raises(AnalysisInputError, match="measure"):
        forecast_accuracy(pd.DataFrame(), measure="pieces")


def history() -> pd.DataFrame:
    # 2025-01 … 2026-03 except 2025-03 (a gap); actual = 10 × month number since 2024-12.
    months = month_range("2025-01", "2026-03")
    rows = [("nav", "windshield", m, NAN, 10.0 * (i + 1), NAN, NAN)
            for i, m in enumerate(months) if m != "2025-03"]
    return pd.DataFrame(rows, columns=SALES_COLUMNS)


def test_seasonal_naive_uses_last_month_until_a_year_of_history():
    out = seasonal_naive(history()).set_index("month")
    assert math.isnan(out.loc["2025-01", "forecast"])            # no history at all
    assert pd.isna(out.loc["2025-01", "source"])
    assert out.loc["2025-02", "forecast"] == 10                  # last month (2025-01)
    assert out.loc["2025-02", "source"] == "last month"
    assert math.isnan(out.loc["2025-04", "forecast"])            # last month is a gap
    assert out.loc["2025-05", "forecast"] == 40                  # 2025-04 = 10 × 4
    assert out.loc["2025-12", "forecast"] == 110                 # 2025-11 = 10 × 11
    assert out.loc["2026-01", "forecast"] == 10                  # 2025-01, not 2025-12 (120)
    assert out.loc["2026-01", "source"] == "same month last year"
    assert out.loc["2026-02", "forecast"] == 20                  # 2025-02
    assert out.loc["2026-03", "forecast"] == 140                 # 2025-03 is a gap → 2026-02
    assert out.loc["2026-03", "source"] == "last month"


def test_seasonal_naive_uses_history_before_start():
    out = seasonal_naive(history(), start="2026-01")
    assert out["month"].tolist() == ["2026-01", "2026-02", "2026-03"]
    assert out["forecast"].tolist() == [10, 20, 140]


def test_baseline_comparison_scores_both_on_the_same_months():
    sales = pd.DataFrame([
        ("nav", "windshield", "2025-01", 90, 100, NAN, NAN),
        ("nav", "windshield", "2025-02", 100, 120, NAN, NAN),
        ("nav", "windshield", "2026-01", 110, 110, NAN, NAN),
        ("nav", "windshield", "2026-02", 140, 130, NAN, NAN),
    ], columns=SALES_COLUMNS)
    out = baseline_comparison(sales).set_index("method")
    # Common months: 2025-02 (baseline 100, last month), 2026-01 (100) and 2026-02 (120),
    # both from the same month last year. Actuals 120, 110, 130 → ΣA = 360.
    plan = out.loc["plan"]
    assert plan["months"] == 3
    assert plan["wape_pct"] == pytest.approx(30 / 360 * 100)     # 20 + 0 + 10
    assert plan["bias_pct"] == pytest.approx(-10 / 360 * 100)    # −20 + 0 + 10
    assert plan["tracking_signal"] == pytest.approx(-1.0)        # −10 / (30 / 3)
    naive = out.loc["seasonal_naive"]
    assert naive["wape_pct"] == pytest.approx(40 / 360 * 100)    # 20 + 10 + 10
    assert naive["bias_pct"] == pytest.approx(-40 / 360 * 100)   # −20 − 10 − 10
    assert naive["tracking_signal"] == pytest.approx(-3.0)       # −40 / (40 / 3)
    assert naive["months_last_month"] == 1
    assert naive["months_same_month_last_year"] == 2


def test_credit_notes_cannot_make_wape_negative():
    # Issue 11: WAPE divided by ΣA, so a month of credit notes made it negative (−300 %).
    m = accuracy_metrics(pd.Series([100.0, -150.0]), pd.Series([100.0, 0.0]))
    assert m["wape_pct"] == pytest.approx(150 / 250 * 100)       # Σ|A − F| / Σ|A|
    assert m["bias_pct"] == pytest.approx(150 / 250 * 100)       # plan above actual: positive


def test_a_tracking_signal_outside_four_is_flagged():
    # Issue 11: a tracking signal of 12 raised no flag. Twelve months, the plan 10 above each.
    over = accuracy_metrics(pd.Series([100.0] * 12), pd.Series([110.0] * 12))
    assert over["tracking_signal"] == 12 and over["tracking_flagged"]
    under = accuracy_metrics(pd.Series([100.0] * 5), pd.Series([90.0] * 5))
    assert under["tracking_signal"] == -5 and under["tracking_flagged"]
    inside = accuracy_metrics(pd.Series([100.0] * 4), pd.Series([110.0] * 4))
    assert inside["tracking_signal"] == 4 and not inside["tracking_flagged"]
    assert not accuracy_metrics(pd.Series([10.0]), pd.Series([10.0]))["tracking_flagged"]


def test_accuracy_table_says_how_the_baseline_was_made_and_what_mape_skipped():
    # 2025-05 … 2026-04 compared: the baseline has last year's month only from 2026-01 on,
    # so it falls back to last month before; two months have an actual of 0.
    months = month_range("2025-01", "2026-04")
    actual = {m: 100.0 for m in months} | {"2025-08": 0.0, "2026-02": 0.0}
    sales = pd.DataFrame([("nav", "windshield", m, 120.0 if m >= "2025-05" else NAN,
                           actual[m], NAN, NAN) for m in months], columns=SALES_COLUMNS)
    out = baseline_comparison(sales, start="2025-05")
    assert out["months_same_month_last_year"].tolist() == [4, 4]     # both rows say it
    assert out["months_last_month"].tolist() == [8, 8]
    plan = out[out["method"] == "plan"].iloc[0]
    assert plan["mape_skipped_zero"] == 2
    assert plan["tracking_flagged"]                                    # plan 20 above, 12×
    note = accuracy_note(out)
    assert note.startswith("seasonal baseline in 4 of 12 months, 8 fell back to last month; "
                           "2 zero actuals skipped by MAPE")
    assert "tracking signal outside ±4: windshield (plan, +" in note
    assert accuracy_note(baseline_comparison(pd.DataFrame())) == ""
    two = pd.concat([sales, sales.assign(part_family="backlite")], ignore_index=True)
    assert accuracy_note(baseline_comparison(two, start="2025-05")).startswith(
        "seasonal baseline in 8 of 24 part-family months, 16 fell back to last month; "
        "4 zero actuals")


def test_baseline_comparison_of_empty_sales_is_empty():
    assert baseline_comparison(pd.DataFrame()).empty
    assert seasonal_naive(pd.DataFrame()).empty
    assert forecast_accuracy(pd.DataFrame()).empty


# ---------------------------------------------------------------------------- demand

def demand_inputs(plan_sidelite: float = 2300):
    volumes = pd.DataFrame([
        ("nav", "kes", "tarani", "2026-08", 1000),
        ("nav", "amb", "vela", "2026-08", 2000),
        ("nav", "kes", "vela", "2026-08", 500),
    ], columns=["customer_id", "plant_id", "model", "month", "volume"])
    glass = pd.DataFrame([
        ("tarani", "sidelite", 4), ("vela", "sidelite", 4),
        ("tarani", "windshield", 1), ("vela", "windshield", 1),
        ("tarani", "backlite", 1),
    ], columns=["model", "part_family", "pieces"])
    sob = pd.DataFrame([
        ("2026-08", "nav", "kes", "tarani", "sidelite", "ksg", 50),
        ("2026-08", "nav", "kes", "tarani", "sidelite", "vit", 50),
        ("2026-08", "nav", None, "vela", "sidelite", "vit", 100),    # all plants; not ours
        ("2026-08", "nav", "kes", "tarani", "windshield", "ksg", 100),
        ("2026-08", "nav", "amb", "vela", "windshield", "ksg", 80),
        ("2026-08", "nav", "amb", "vela", "windshield", "sun", 20),
        # no share row for Kesarpur Vela windshields
        ("2026-08", "nav", "kes", "tarani", "backlite", "vit", 100),
    ], columns=["month", "customer_id", "plant_id", "model", "part_family", "supplier_id",
                "share_pct"])
    sales = pd.DataFrame([
        ("nav", "sidelite", "2026-08", plan_sidelite, NAN, NAN, NAN),
        ("nav", "windshield", "2026-08", 2600, NAN, NAN, NAN),
        ("nav", "backlite", "2026-08", 50, NAN, NAN, NAN),
    ], columns=SALES_COLUMNS)
    return volumes, glass, sob, sales


def test_demand_estimate_against_plan():
    out = demand_estimate(*demand_inputs(), our_company="ksg").set_index("part_family")
    side = out.loc["sidelite"]
    # Tarani 1000 × 4 × 50 % = 2000; Vela (both plants) × 4 × 0 % = 0.
    assert side["estimate_qty"] == 2000
    assert side["slices"] == 3
    assert side["gap_qty"] == 300                  # 2300 − 2000
    assert side["gap_pct"] == pytest.approx(15.0)  # 300 / 2000
    assert side["flagged"]                         # above 10 %
    wind = out.loc["windshield"]
    assert math.isnan(wind["estimate_qty"])        # Kesarpur Vela share unknown: not guessed
    assert wind["slices_without_share"] == 1
    assert not wind["flagged"]
    back = out.loc["backlite"]
    assert back["estimate_qty"] == 0               # Vitreon holds 100 %
    assert back["flagged"]                         # a plan of 50 against 0


def test_demand_estimate_threshold_is_a_parameter():
    out = demand_estimate(*demand_inputs(), our_company="ksg", threshold_pct=20)
    assert not out.set_index("part_family").loc["sidelite", "flagged"]   # 15 % ≤ 20 %
    inside = demand_estimate(*demand_inputs(plan_sidelite=2100), our_company="ksg")
    assert not inside.set_index("part_family").loc["sidelite", "flagged"]  # 5 %


def test_demand_estimate_with_no_volumes_lists_plans_only():
    volumes, glass, sob, sales = demand_inputs()
    out = demand_estimate(volumes.iloc[0:0], glass, sob, sales, our_company="ksg")
    assert len(out) == 3
    assert out["estimate_qty"].isna().all()
    assert not out["flagged"].any()
