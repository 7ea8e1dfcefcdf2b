"""Month keys, the Indian financial year (April–March) and complete month ranges.

Month keys are ``"YYYY-MM"`` strings. Financial year ``"FY2025-26"`` runs April 2025 to March
2026; its quarters are ``Q1`` = Apr–Jun, ``Q2`` = Jul–Sep, ``Q3`` = Oct–Dec, ``Q4`` = Jan–Mar,
labelled ``"FY2025-26 Q1"`` where the year is needed.

Rule for gaps: a month of a reported series (sales, share, ratings) that has no row is a gap
and shows as NaN, never as 0 — :func:`complete_months` adds such months. Counts of events in
a ledger (complaints, receipts, signals) are different: a month without an event counts 0.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import pandas as pd

from compintel.analysis._frames import MONTH_RE, AnalysisInputError

FY_RE = re.compile(r"^FY(\d{4})-(\d{2})$")
QUARTER_RE = re.compile(r"^FY(\d{4})-(\d{2}) Q([1-4])$")


def _parts(month: str) -> tuple[int, int]:
    if not isinstance(month, str) or not MONTH_RE.match(month):
        raise AnalysisInputError(f"{month!r} is not a YYYY-MM month key", field="month",
                                 hint="write months as 2026-04")
    return int(month[:4]), int(month[5:])


def fiscal_year(month: str) -> str:
    """Indian financial year of a month key: ``"2026-03"`` → ``"FY2025-26"``."""
    year, mon = _parts(month)
    start = year if mon >= 4 else year - 1
    return f"FY{start}-{(start + 1) % 100:02d}"


def fiscal_quarter(month: str) -> str:
    """Quarter of the Indian financial year: Apr–Jun ``"Q1"`` … Jan–Mar ``"Q4"``."""
    _, mon = _parts(month)
    return f"Q{(mon - 4) % 12 // 3 + 1}"


def quarter_label(month: str) -> str:
    """Financial year and quarter of a month: ``"2025-07"`` → ``"FY2025-26 Q2"``."""
    return f"{fiscal_year(month)} {fiscal_quarter(month)}"


def add_months(month: str, n: int) -> str:
    """The month key ``n`` months after ``month`` (``n`` may be negative)."""
    year, mon = _parts(month)
    index = year * 12 + mon - 1 + n
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def month_range(start: str, end: str) -> list[str]:
    """Every month key from ``start`` to ``end`` inclusive (empty when ``end`` < ``start``)."""
    first, last = _parts(start), _parts(end)
    count = (last[0] - first[0]) * 12 + last[1] - first[1] + 1
    return [add_months(start, i) for i in range(max(count, 0))]


def _fy_start(label: str) -> str:
    match = FY_RE.match(label)
    if not match or (int(match[1]) + 1) % 100 != int(match[2]):
        raise AnalysisInputError(f"{label!r} is not a financial year label", field="period",
                                 hint="write FY2025-26 for April 2025 to March 2026")
    return f"{match[1]}-04"


def fiscal_year_months(label: str) -> list[str]:
    """The twelve month keys of a financial year label, April first."""
    start = _fy_start(label)
    return month_range(start, add_months(start, 11))


def months_in_period(period: str) -> list[str]:
    """Month keys of a period given as ``"2026-04"``, ``"FY2025-26 Q1"`` or ``"FY2025-26"``."""
    if isinstance(period, str) and MONTH_RE.match(period):
        return [period]
    match = QUARTER_RE.match(period) if isinstance(period, str) else None
    if match:
        first = add_months(_fy_start(period[:9]), (int(match[3]) - 1) * 3)
        return month_range(first, add_months(first, 2))
    if isinstance(period, str) and FY_RE.match(period):
        return fiscal_year_months(period)
    raise AnalysisInputError(f"{period!r} is not a period", field="period",
                             hint="give a month 2026-04, a quarter FY2026-27 Q1 or a year "
                                  "FY2026-27")


def add_fiscal_columns(df: pd.DataFrame, month_col: str = "month") -> pd.DataFrame:
    """Copy of ``df`` with ``fy`` (``"FY2025-26"``) and ``quarter`` (``"FY2025-26 Q1"``) columns.

    Input: any frame with a ``month_col`` of ``YYYY-MM`` keys. Output: the same rows plus the
    two label columns, computed from ``month_col``.
    """
    out = df.copy()
    months = out[month_col].astype("str")
    out["fy"] = months.map(fiscal_year).astype("str")
    out["quarter"] = months.map(quarter_label).astype("str")
    return out


def complete_months(df: pd.DataFrame, keys: Sequence[str], *, month_col: str = "month",
                    start: str | None = None, end: str | None = None) -> pd.DataFrame:
    """Give every key group of ``df`` one row per month from ``start`` to ``end``.

    Input: ``df`` with the ``keys`` columns, a ``month_col`` of ``YYYY-MM`` keys and value
    columns, at most one row per key group and month. Output: the same columns, one row per
    (key group, month) in the range, sorted by keys then month; added months are gaps whose
    value columns are NaN, never 0. ``start``/``end`` default to the earliest and latest month in
    ``df``; rows outside the range are dropped. Missing key values (e.g. no plant) form a group.
    """
    keys = list(keys)
    if df.empty and (start is None or end is None):
        return df.iloc[0:0].copy()
    months = df[month_col].astype("str")
    first = start if start is not None else months.min()
    last = end if end is not None else months.max()
    span = pd.DataFrame({month_col: pd.Series(month_range(first, last), dtype="str")})
    if keys:
        groups = df[keys].drop_duplicates()
        grid = groups.merge(span, how="cross")
    else:
        grid = span
    out = grid.merge(df, on=[*keys, month_col], how="left")
    return out.sort_values([*keys, month_col], kind="stable").reset_index(drop=True)


def month_of(dates: pd.Series) -> pd.Series:
    """``YYYY-MM`` keys of a datetime Series (missing dates stay missing)."""
    out = dates.dt.strftime("%Y-%m")
    return out.where(dates.notna(), np.nan).astype("str")
