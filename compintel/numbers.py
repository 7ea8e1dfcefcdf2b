"""Numbers, money, percentages, months and dates as Indian business users write them.

Shared by the account-table importer and the figure reader of the tagger. Every parser takes
the text (or an Excel cell value) and returns a plain value, or raises ``ValueError`` with a
short reason a caller can put into a user-facing message.

Scaled amounts are computed with :class:`decimal.Decimal`, so "2.3 lakh" is exactly 230000,
not 229999.99999999997.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache

from dateutil import parser as dateparser

LAKH, CRORE, THOUSAND, MILLION, BILLION = 1e5, 1e7, 1e3, 1e6, 1e9

# Keys are case-folded, without a trailing dot ("Cr." → "cr").
_SCALES = {
    "thousand": THOUSAND, "thousands": THOUSAND, "k": THOUSAND, "'000": THOUSAND,
    "000": THOUSAND, "000s": THOUSAND,
    "lakh": LAKH, "lakhs": LAKH, "lac": LAKH, "lacs": LAKH, "lkh": LAKH, "l": LAKH,
    "crore": CRORE, "crores": CRORE, "cr": CRORE, "crs": CRORE,
    "million": MILLION, "millions": MILLION, "mn": MILLION, "mln": MILLION, "m": MILLION,
    "billion": BILLION, "billions": BILLION, "bn": BILLION,
}
# Counting words a quantity cell may carry ("1,200 nos"); they do not change the value.
COUNT_UNITS = frozenset({"no", "nos", "pc", "pcs", "piece", "pieces", "unit", "units", "set",
                         "sets", "vehicle", "vehicles"})
_CURRENCY = re.compile(r"^(?:rs\.?|inr|₹|rupees)\s*|(?:\s+|(?<=\d))(?:rs\.?|inr|rupees)$",
                       re.IGNORECASE)
_DASHES = {"-", "–", "—", "−", "--", "n/a", "na", "nil"}
_MINUS = "-−–"
# Digits with optional grouping: Indian (12,45,000), Western (1,245,000) or none (1245000).
_INDIAN = re.compile(r"^\d{1,2}(?:,\d{2})*,\d{3}$")
_WESTERN = re.compile(r"^\d{1,3}(?:,\d{3})+$")
_NUMBER = re.compile(r"^(?P<int>[\d,]*)(?:\.(?P<frac>\d+))?$")
_WITH_WORDS = re.compile(r"^(?P<num>[\d,]*\.?\d+)\s*(?P<words>\D*)$")


def scale_word(word: str) -> float:
    """The multiplier a scale word stands for: lakh → 1e5, crore → 1e7, mn → 1e6, k → 1e3."""
    key = word.strip().casefold().rstrip(".")
    if key not in _SCALES:
        raise ValueError(f"{word!r} is not a scale word (lakh, crore, million, thousand, k)")
    return _SCALES[key]


def _decimal(value: float | int | str) -> Decimal:
    # repr() of a float is its shortest round-tripping text, so 493.91 stays 493.91.
    return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)


def _cell_number(value: object) -> Decimal | None:
    """A numeric cell's value; None when ``value`` is text."""
    if isinstance(value, bool):
        raise ValueError(f"{value} is a yes/no value, not a number")
    if isinstance(value, int | float):
        number = _decimal(value)
        if not number.is_finite():
            raise ValueError(f"{value} is not a number")
        return number
    if value is None:
        raise ValueError("empty")
    if not isinstance(value, str):
        shown = value.isoformat() if isinstance(value, date) else repr(value)
        raise ValueError(f"{shown} is not a number")
    return None


def _digits(text: str) -> Decimal:
    """Unsigned digits with optional Indian or Western grouping and a decimal part."""
    match = _NUMBER.match(text)
    if not match or not (match.group("int") or match.group("frac")):
        raise ValueError(f"{text!r} is not a number")
    whole = match.group("int")
    if "," in whole and not (_INDIAN.match(whole) or _WESTERN.match(whole)):
        raise ValueError(f"{text!r} has commas in odd places (write 5,00,000 or 500,000)")
    return Decimal((whole.replace(",", "") or "0") + "." + (match.group("frac") or "0"))


def _signed(text: str) -> tuple[int, str]:
    """(sign, rest): "(1,200)" and "-1,200" are negative."""
    text = text.strip()
    if text.startswith("(") and text.endswith(")"):
        return -1, text[1:-1].strip()
    if text[:1] in _MINUS:
        return -1, text[1:].strip()
    if text[:1] == "+":
        return 1, text[1:].strip()
    return 1, text


def _parse_scaled(text: str, what: str) -> tuple[Decimal, Decimal | None]:
    """(value, scale or None) from text such as "2.5 lakh", "45k" or "1,200 nos"."""
    stripped = text.strip()
    if not stripped:
        raise ValueError(f"no {what} given")
    if stripped.casefold() in _DASHES:
        raise ValueError(f"{stripped!r} is not a {what}")
    sign, body = _signed(stripped)
    match = _WITH_WORDS.match(body)
    if not match:
        raise ValueError(f"{stripped!r} is not a {what}")
    value = _digits(match.group("num"))
    scale = None
    for word in match.group("words").split():
        folded = word.casefold().rstrip(".")
        if folded in _SCALES and scale is None:
            scale = _decimal(_SCALES[folded])
        elif folded not in COUNT_UNITS:
            raise ValueError(f"{stripped!r} is not a {what} (unexpected {word!r})")
    return sign * value, scale


def parse_number(text: str | float | int) -> float:
    """A number: "5,00,000", "1,200,000", "12,45,000.50", "2.5 lakh", "3 cr", "45k", "(1,200)"."""
    number = _cell_number(text)
    if number is not None:
        return float(number)
    value, scale = _parse_scaled(str(text), "number")
    return float(value * scale) if scale is not None else float(value)


def parse_money(text: str | float | int, default_scale: float = 1.0) -> float:
    """Rupees: "Rs 5,00,000", "₹2.5 lakh", "INR 3 cr", "Rs. 1,200/-"; bare numbers × default_scale.

    ``default_scale`` comes from a header unit such as "(Rs lakh)"; a scale word in the
    value itself wins over it.
    """
    number = _cell_number(text)
    if number is not None:
        return float(number * _decimal(default_scale))
    body = str(text).strip()
    sign, body = _signed(body)
    body = body.removesuffix("/-").strip()
    body = _CURRENCY.sub("", body, count=1).strip()
    sign2, body = _signed(body)    # "Rs -1,200" and "-Rs 1,200" both work
    value, scale = _parse_scaled(body, "rupee amount")
    if scale is None:
        scale = _decimal(default_scale)
    return float(sign * sign2 * value * scale)


def parse_percent(text: str | float | int, *, fractional: bool = False) -> float:
    """A percentage on a 0–100 scale: "38%", "38", "38 pct"; 0.38 → 38 when ``fractional``.

    ``fractional`` says the column holds fractions (the caller decides, e.g. because every
    value is at most 1); an explicit "%" always means percent.
    """
    number = _cell_number(text)
    explicit = False
    if number is None:
        body = str(text).strip()
        for suffix in ("%", "percent", "pct", "per cent"):
            if body.casefold().endswith(suffix):
                body = body[: -len(suffix)].strip()
                explicit = True
                break
        if not body:
            raise ValueError("no percentage given")
        sign, rest = _signed(body)
        number = sign * _digits(rest)
    if fractional and not explicit:
        if abs(number) > 1:
            raise ValueError(f"{text} is not a fraction between 0 and 1 like the rest of the column")
        number *= 100
    return float(number)


# -- months and dates ---------------------------------------------------------------------------

_MONTH_FORMATS = ("%Y-%m", "%Y/%m", "%Y.%m", "%m/%Y", "%m-%Y", "%m.%Y",
                  "%b-%y", "%b %y", "%b'%y", "%b-%Y", "%b %Y", "%b'%Y", "%b, %Y",
                  "%B-%y", "%B %y", "%B'%y", "%B-%Y", "%B %Y", "%B, %Y")
_NUMERIC_DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%d/%m/%y", "%d-%m-%y", "%d.%m.%y",
                         "%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d")
# "15-Apr-2026", "15 April 2026": read without dateutil (most account-table dates; a table of
# 50,000 invoices spent four fifths of its import in dateutil). Two-digit years are left to it.
_NAMED_DATE_FORMATS = ("%d-%b-%Y", "%d %b %Y", "%d-%B-%Y", "%d %B %Y")
_NAMED_DATE = re.compile(r"\d{1,2}[ -][A-Za-z]{3,9}[ -][1-9]\d{3}")
_EXCEL_SERIAL_RANGE = (29221, 73051)    # 1980-01-01 .. 2099-12-31: anything else is not a date
_SPACES = re.compile(r"\s+")


def _excel_serial(value: float | int) -> date:
    from openpyxl.utils.datetime import from_excel

    low, high = _EXCEL_SERIAL_RANGE
    if not low <= value <= high:
        raise ValueError(f"{value} is not a date (Excel date numbers run {low}–{high} for 1980–2099)")
    return from_excel(value).date()


def _cell_date(value: object) -> date | None:
    """The date an Excel cell holds (a date, a datetime or a date serial); None for text."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool):
        raise ValueError(f"{value} is not a date")
    if isinstance(value, int | float):
        return _excel_serial(value)
    if value is None:
        raise ValueError("empty")
    if not isinstance(value, str):
        raise ValueError(f"{value!r} is not a date")
    return None


def _normal(text: str) -> str:
    text = _SPACES.sub(" ", text.strip())
    # strptime knows "Sep" but not the common "Sept"
    return re.sub(r"(?i)\bsept\b", "Sep", text)


def _strptime(text: str, formats: tuple[str, ...]) -> datetime | None:
    for fmt in formats:
        try:
            return datetime.strptime(text, fmt)
        except ValueError:
            continue
    return None


_SENTINELS = (datetime(1901, 2, 3), datetime(1902, 3, 4))


def parse_date(value: str | date | datetime | float | int) -> str:
    """A day as "YYYY-MM-DD": ISO, 15/04/2026 (day first), 15-Apr-2026, 15 Apr 2026, Excel cells.

    A number is read as an Excel date serial (only for numeric cells; the text "45762" is not
    a date).
    """
    # a table's dates repeat: each text is read once (other values are cheap, and an aware
    # datetime must not be taken for an equal instant in another zone)
    return _parse_date_text(value) if isinstance(value, str) else _parse_date(value)


@lru_cache(maxsize=1 << 16)
def _parse_date_text(value: str) -> str:
    return _parse_date(value)


def _parse_date(value: str | date | datetime | float | int) -> str:
    cell = _cell_date(value)
    if cell is not None:
        return cell.isoformat()
    text = _normal(str(value))
    if not text:
        raise ValueError("no date given")
    if re.match(r"^\d{4}-\d{1,2}-\d{1,2}", text):
        try:
            return datetime.fromisoformat(text).date().isoformat()
        except ValueError:
            pass
    if re.fullmatch(r"[\d/.\-]+", text):
        found = _strptime(text, _NUMERIC_DATE_FORMATS)
        if found is None:
            raise ValueError(f"{text!r} is not a date (write 2026-04-15 or 15/04/2026)")
        return found.date().isoformat()
    if _NAMED_DATE.fullmatch(text):
        found = _strptime(text, _NAMED_DATE_FORMATS)
        if found is not None:
            return found.date().isoformat()
    # Month names: dateutil reads the many spellings; parsing twice with different defaults
    # exposes a missing day, month or year instead of silently filling it in.
    try:
        first, second = (dateparser.parse(text, dayfirst=True, default=d) for d in _SENTINELS)
    except (ValueError, OverflowError):
        raise ValueError(f"{text!r} is not a date (write 2026-04-15 or 15-Apr-2026)") from None
    if first.date() != second.date():
        raise ValueError(f"{text!r} is not a full date (it needs a day, a month and a year)")
    return first.date().isoformat()


def parse_month(value: str | date | datetime | float | int) -> str:
    """A month as "YYYY-MM": 2026-04, Apr-26, Apr 2026, April 2026, 04/2026, or a date's month."""
    return _parse_month_text(value) if isinstance(value, str) else _parse_month(value)


@lru_cache(maxsize=1 << 12)
def _parse_month_text(value: str) -> str:
    return _parse_month(value)


def _parse_month(value: str | date | datetime | float | int) -> str:
    cell = _cell_date(value)
    if cell is not None:
        return f"{cell.year:04d}-{cell.month:02d}"
    text = _normal(str(value))
    if not text:
        raise ValueError("no month given")
    found = _strptime(text, _MONTH_FORMATS)
    if found is not None:
        return f"{found.year:04d}-{found.month:02d}"
    try:
        return parse_date(text)[:7]
    except ValueError:
        raise ValueError(f"{text!r} is not a month (write 2026-04, Apr-26 or April 2026)") from None

