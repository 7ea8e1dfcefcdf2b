"""Input checks shared by the analysis modules: columns, dtypes, months, dates, duplicates."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime

import numpy as np
import pandas as pd

from compintel.errors import UserError

MONTH_RE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
DATE_FORMAT = "%Y-%m-%d"


class AnalysisInputError(UserError):
    """A table handed to an analysis function is missing a column or holds a bad value."""


def prepare(df: pd.DataFrame | None, table: str, *, text: Sequence[str] = (),
            numbers: Sequence[str] = (), months: Sequence[str] = (),
            dates: Sequence[str] = (), required: Iterable[str] | None = None) -> pd.DataFrame:
    """Return a checked copy of ``df`` with only the named columns, typed.

    Text columns become the default string dtype (missing stays NaN), numbers float, months
    are checked to be ``YYYY-MM`` strings and dates are parsed from ``YYYY-MM-DD``. A column
    listed in ``required`` must be present unless the table has no rows; other listed columns
    that are absent are added as all-missing.
    """
    columns = [*text, *numbers, *months, *dates]
    required = set(columns if required is None else required)
    if df is None:
        df = pd.DataFrame()
    if len(df):
        missing = [c for c in columns if c in required and c not in df.columns]
        if missing:
            raise AnalysisInputError(
                f"the {table} table has no column {missing[0]!r}",
                path=table, field=missing[0],
                hint=f"expected columns: {', '.join(columns)}")
    out = pd.DataFrame(index=pd.RangeIndex(len(df)))
    for col in columns:
        values = df[col].reset_index(drop=True) if col in df.columns else \
            pd.Series(np.nan, index=out.index)
        if col in text or col in months:
            values = values.astype("str")
        elif col in numbers:
            values = _numbers(values, table, col)
        else:
            values = _dates(values, table, col)
        out[col] = values
    for col in months:
        check_months(out[col], table, col)
    return out


def _first_bad(mask: pd.Series) -> int:
    return int(np.flatnonzero(mask.to_numpy())[0]) + 1


def _numbers(values: pd.Series, table: str, col: str) -> pd.Series:
    parsed = pd.to_numeric(values, errors="coerce").astype("float64")
    bad = parsed.isna() & values.notna()
    if bad.any():
        row = _first_bad(bad)
        raise AnalysisInputError(
            f"row {row} holds {values[bad].iloc[0]!r}, not a number",
            path=table, field=col, hint="give a plain number or leave the cell empty")
    return parsed


def _dates(values: pd.Series, table: str, col: str) -> pd.Series:
    if pd.api.types.is_datetime64_any_dtype(values):
        return values.astype("datetime64[ns]")
    text = values.astype("str")
    parsed = pd.to_datetime(text, format=DATE_FORMAT, errors="coerce")
    bad = parsed.isna() & text.notna()
    if bad.any():
        row = _first_bad(bad)
        raise AnalysisInputError(
            f"row {row} holds {text[bad].iloc[0]!r}, not a YYYY-MM-DD date",
            path=table, field=col, hint="write dates as 2026-04-15")
    return parsed.astype("datetime64[ns]")


def check_months(values: pd.Series, table: str, col: str = "month") -> None:
    """Raise if any value of ``values`` is not a ``YYYY-MM`` month key."""
    ok = values.str.fullmatch(MONTH_RE.pattern).fillna(False).astype(bool)
    if not ok.all():
        row = _first_bad(~ok)
        raise AnalysisInputError(
            f"row {row} holds {values[~ok].iloc[0]!r}, not a YYYY-MM month key",
            path=table, field=col, hint="write months as 2026-04")


def reject_duplicates(df: pd.DataFrame, keys: Sequence[str], table: str) -> None:
    """Raise when two rows share the same ``keys`` (missing values compare equal)."""
    dup = df.duplicated(list(keys), keep=False)
    if dup.any():
        first = df[dup].iloc[0]
        where = ", ".join(f"{k}={first[k]!r}" for k in keys)
        raise AnalysisInputError(
            f"rows {_first_bad(dup)} and later repeat the same key ({where})",
            path=table, field=keys[-1],
            hint="keep one row per key: remove or merge the repeated rows")


def to_timestamp(value: str | date | datetime | pd.Timestamp, name: str = "as_of") -> pd.Timestamp:
    """Parse a report date given as ``YYYY-MM-DD``, a date or a Timestamp."""
    try:
        stamp = pd.Timestamp(value)
    except (TypeError, ValueError):
        stamp = pd.NaT
    if pd.isna(stamp):
        raise AnalysisInputError(f"{value!r} is not a date", field=name,
                                 hint="give a date such as 2026-10-31")
    return stamp.normalize()


AGEING_BUCKETS = ["not due", "0-30", "31-60", "61-90", "90+"]


def ageing_bucket(days_past_due: pd.Series) -> pd.Series:
    """Bucket days past a due date: ≤ 0 "not due", 1–30 "0-30", 31–60, 61–90, over 90 "90+".

    A missing number of days stays missing.
    """
    bins = [-np.inf, 0, 30, 60, 90, np.inf]
    out = pd.cut(days_past_due, bins=bins, labels=AGEING_BUCKETS, right=True)
    return out.astype("str")
