"""Month keys, the Indian financial year and complete month ranges."""

import math

import pandas as pd
import pytest

from compintel.analysis import (
    AnalysisInputError,
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


@pytest.mark.parametrize(("month", "fy"), [
    ("2025-04", "FY2025-26"), ("2026-03", "FY2025-26"), ("2026-04", "FY2026-27"),
    ("2025-12", "FY2025-26"), ("2026-01", "FY2025-26"), ("1999-04", "FY1999-00"),
])
def test_fiscal_year_runs_april_to_march(month, fy):
    assert fiscal_year(month) == fy


@pytest.mark.parametrize(("month", "quarter"), [
    ("2025-04", "Q1"), ("2025-06", "Q1"), ("2025-07", "Q2"), ("2025-09", "Q2"),
    ("2025-10", "Q3"), ("2025-12", "Q3"), ("2026-01", "Q4"), ("2026-03", "Q4"),
])
def test_fiscal_quarter_q1_is_april_to_june(month, quarter):
    assert fiscal_quarter(month) == quarter


def test_quarter_label_names_the_financial_year():
    assert quarter_label("2025-07") == "FY2025-26 Q2"
    assert quarter_label("2026-02") == "FY2025-26 Q4"


def test_add_months_crosses_year_ends_both_ways():
    assert add_months("2025-12", 1) == "2026-01"
    assert add_months("2026-01", -13) == "2024-12"
    assert add_months("2026-03", 0) == "2026-03"


def test_month_range_is_inclusive_and_empty_when_reversed():
    assert month_range("2025-11", "2026-02") == ["2025-11", "2025-12", "2026-01", "2026-02"]
    assert month_range("2026-02", "2025-11") == []


def test_fiscal_year_months_start_in_april():
    months = fiscal_year_months("FY2025-26")
    assert len(months) == 12
    assert months[0] == "2025-04"
    assert months[-1] == "2026-03"


def test_months_in_period_accepts_month_quarter_and_year():
    assert months_in_period("2026-05") == ["2026-05"]
    assert months_in_period("FY2025-26 Q4") == ["2026-01", "2026-02", "2026-03"]
    assert months_in_period("FY2026-27 Q2") == ["2026-07", "2026-08", "2026-09"]
    assert months_in_period("FY2025-26") == fiscal_year_months("FY2025-26")


@pytest.mark.parametrize("bad", ["Apr-26", "2026-13", "FY2025-27", "FY2025-26 Q5", "2026"])
def test_bad_period_labels_are_user_errors(bad):
    with pytest.raises(AnalysisInputError):
        months_in_period(bad)


def test_bad_month_key_is_a_user_error():
    with pytest.raises(AnalysisInputError, match="YYYY-MM"):
        fiscal_year("2026-4")


def test_add_fiscal_columns_labels_each_row():
    df = pd.DataFrame({"month": ["2026-03", "2026-04"]})
    out = add_fiscal_columns(df)
    assert out["fy"].tolist() == ["FY2025-26", "FY2026-27"]
    assert out["quarter"].tolist() == ["FY2025-26 Q4", "FY2026-27 Q1"]
    assert "fy" not in df.columns  # the input is left alone


def test_complete_months_adds_gaps_as_nan_not_zero_and_sorts():
    # Months out of order; group "a" lacks 2025-05, group "b" has only 2025-05.
    df = pd.DataFrame({"k": ["a", "b", "a"], "month": ["2025-06", "2025-05", "2025-04"],
                       "v": [3.0, 5.0, 1.0]})
    out = complete_months(df, ["k"])
    assert out["k"].tolist() == ["a", "a", "a", "b", "b", "b"]
    assert out["month"].tolist() == ["2025-04", "2025-05", "2025-06"] * 2
    values = out["v"].tolist()
    assert values[0] == 1.0 and values[2] == 3.0 and values[4] == 5.0
    assert all(math.isnan(values[i]) for i in (1, 3, 5))


def test_complete_months_keeps_a_missing_key_as_its_own_group():
    df = pd.DataFrame({"plant": ["x", None], "month": ["2025-04", "2025-05"], "v": [1.0, 2.0]})
    out = complete_months(df, ["plant"])
    assert len(out) == 4  # two groups (x and no plant) × two months
    no_plant = out[out["plant"].isna()]
    assert no_plant["v"].isna().tolist() == [True, False]


def test_complete_months_honours_explicit_range():
    df = pd.DataFrame({"k": ["a"], "month": ["2025-05"], "v": [1.0]})
    out = complete_months(df, ["k"], start="2025-04", end="2025-06")
    assert out["month"].tolist() == ["2025-04", "2025-05", "2025-06"]
    assert out["v"].isna().tolist() == [True, False, True]


def test_complete_months_of_empty_frame_is_empty():
    df = pd.DataFrame({"k": pd.Series(dtype="str"), "month": pd.Series(dtype="str")})
    assert complete_months(df, ["k"]).empty
