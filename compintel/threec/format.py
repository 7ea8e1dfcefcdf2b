"""How the 3C report writes things: escaped HTML fragments, rupees, numbers and tables.

Every text that came from outside (scraped pages, field notes, spreadsheet cells) passes
through :func:`esc` or :func:`table` here, so a report never carries foreign markup.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import pandas as pd

MISSING = "—"


@dataclass(frozen=True)
class Html:
    """An HTML fragment that Jupyter displays as HTML (already escaped where needed)."""

    markup: str

    def _repr_html_(self) -> str:
        return self.markup

    def __str__(self) -> str:
        return self.markup

    def __add__(self, other: Html) -> Html:
        return Html(self.markup + other.markup)


def esc(value: Any) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    return html.escape(str(value), quote=True)


def muted(text: str) -> Html:
    return Html(f'<p class="ci-muted">{esc(text)}</p>')


def missing(value: Any) -> bool:
    return value is None or (not isinstance(value, str) and bool(pd.isna(value)))


def inr(value: float | None) -> str:
    """Rupees the Indian way, each figure in its own unit: ₹ 12.4 L, ₹ 3.25 Cr."""
    if missing(value):
        return MISSING
    size = abs(float(value))
    # the unit is chosen after rounding: 99,999.6 is ₹ 1.0 L, not ₹ 100,000
    if round(size / 1e5, 1) >= 100:
        text = f"₹ {size / 1e7:,.2f} Cr"
    elif round(size) >= 1e5:
        text = f"₹ {size / 1e5:,.1f} L"
    else:
        text = f"₹ {size:,.0f}"
    zero = not any(ch in "123456789" for ch in text)
    return ("−" if value < 0 and not zero else "") + text


@dataclass(frozen=True)
class MoneyUnit:
    """One unit for a whole column of rupees, so its figures compare at a glance."""

    divisor: float
    label: str          # "₹ Cr", "₹ L" or "₹"
    digits: int

    def format(self, value: Any) -> str:
        if missing(value):
            return MISSING
        figure = float(value) / self.divisor
        text = f"{abs(figure):,.{self.digits}f}"
        if figure and not text.strip("0.,"):
            # a small amount in a column of crores: its first two digits, not 0.00 ("0.0048")
            text = f"{abs(figure):,.{1 - math.floor(math.log10(abs(figure)))}f}"
        return ("−" if figure < 0 and text.strip("0.,") else "") + text


def money_unit(values: Sequence[Any] | pd.Series) -> MoneyUnit:
    """Crore when the column's largest figure is a crore or more, else lakh, else rupees."""
    numbers = [abs(float(v)) for v in values if not missing(v)]
    largest = max(numbers, default=0.0)
    if largest >= 1e7:
        return MoneyUnit(1e7, "₹ Cr", 2)
    if largest >= 1e5:
        return MoneyUnit(1e5, "₹ L", 1)
    return MoneyUnit(1.0, "₹", 0)


def number(value: Any, digits: int = 0, suffix: str = "") -> str:
    if missing(value):
        return MISSING
    return f"{float(value):,.{digits}f}{suffix}"


def pct(value: Any, digits: int = 1) -> str:
    return number(value, digits, " %")


def pts(value: Any, digits: int = 1) -> str:
    """A change in percentage points, always signed: +4.0 pts, −2.5 pts."""
    if missing(value):
        return MISSING
    text = f"{abs(float(value)):,.{digits}f} pts"
    if round(float(value), digits) == 0:
        return "±" + text
    return ("+" if value > 0 else "−") + text


def web_url(url: Any) -> bool:
    """Whether a document URL may become a link in a report: http or https, with a host."""
    if not isinstance(url, str):
        return False
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def latest_figure(value: Any, grade: Any, age_days: Any, on: Any, digits: int = 0, unit: str = "") -> str:
    """A latest figure with its grade and age: "380 · observed, 12 d ago (2026-10-19)"."""
    if missing(value):
        return MISSING
    when = str(on)[:10] if not missing(on) else ""
    age = f", {int(age_days)} d ago" if not missing(age_days) else ""
    grade = grade if isinstance(grade, str) else "reported"
    return f"{float(value):,.{digits}f}{unit} · {grade}{age}" + (f" ({when})" if when else "")


Formatter = Callable[[Any], str]


def table(frame: pd.DataFrame | None, columns: Mapping[str, str] | None = None,
          formats: Mapping[str, Formatter] | None = None, *, money: Sequence[str] = (),
          numeric: Sequence[str] = (), empty: str = "No data.", raw: Sequence[str] = (),
          row_ids: Sequence[str] | None = None, css: str = "") -> Html:
    """A DataFrame as an escaped HTML table.

    ``columns`` picks and renames columns (in that order); ``formats`` formats cells;
    ``money`` columns share one rupee unit each (named in the header); numbers and the
    ``numeric`` columns are right-aligned, text left-aligned. ``raw`` columns already hold
    escaped markup. ``row_ids`` gives each row an ``id`` (an anchor the summary links to).
    """
    if frame is None or frame.empty:
        return muted(empty)
    frame = frame.reset_index(drop=True)
    names = list(columns) if columns else list(frame.columns)
    names = [name for name in names if name in frame.columns]
    formats = dict(formats or {})
    headers = []
    cells: dict[str, list[str]] = {}
    right: set[str] = set()
    for name in names:
        header = columns.get(name, name) if columns else str(name)
        values = frame[name]
        if name in money:
            unit = money_unit(values)
            header = f"{header} ({unit.label})"
            texts = [unit.format(v) for v in values]
            right.add(name)
        elif name in formats:
            texts = [formats[name](v) for v in values]
            if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
                right.add(name)
        elif pd.api.types.is_datetime64_any_dtype(values):
            texts = [MISSING if missing(v) else v.strftime("%Y-%m-%d") for v in values]
        elif pd.api.types.is_bool_dtype(values):
            texts = ["yes" if v else "" for v in values]
        elif pd.api.types.is_numeric_dtype(values):
            texts = [number(v, 0 if missing(v) or float(v).is_integer() else 1) for v in values]
            right.add(name)
        else:
            texts = [MISSING if missing(v) else str(v) for v in values]
        if name in numeric:
            right.add(name)
        cells[name] = texts if name in raw else [esc(t) for t in texts]
        headers.append(header)
    head = "".join(f'<th class="{"ci-num" if name in right else "ci-text"}">{esc(header)}</th>'
                   for name, header in zip(names, headers, strict=True))
    rows = []
    for i in range(len(frame)):
        anchor = f' id="{esc(row_ids[i])}"' if row_ids is not None and row_ids[i] else ""
        tds = "".join(f'<td class="{"ci-num" if name in right else "ci-text"}">{cells[name][i]}</td>'
                      for name in names)
        rows.append(f"<tr{anchor}>{tds}</tr>")
    classes = "ci-table" + (f" {css}" if css else "")
    return Html(f'<table class="{classes}"><thead><tr>{head}</tr></thead>'
                f'<tbody>{"".join(rows)}</tbody></table>')
