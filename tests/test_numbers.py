"""Numbers, money, percentages, months and dates as Indian business users write them."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from compintel.numbers import (
    parse_date,
    parse_money,
    parse_month,
    parse_number,
    parse_percent,
    scale_word,
)


@pytest.mark.parametrize(("text", "expected"), [
    ("5,00,000", 500_000),
    ("12,45,000.50", 1_245_000.5),
    ("1,23,45,678", 12_345_678),
    ("1,200,000", 1_200_000),
    ("1200", 1200),
    ("2.5 lakh", 250_000),
    ("2.5 lac", 250_000),
    ("2.5 Lakhs", 250_000),
    ("2.5L", 250_000),
    ("2.3 lakh", 230_000),          # exact, not 229999.99999999997
    ("3 crore", 30_000_000),
    ("3 cr", 30_000_000),
    ("3 Cr.", 30_000_000),
    ("1.2 mn", 1_200_000),
    ("1.2 million", 1_200_000),
    ("45k", 45_000),
    ("45 K", 45_000),
    ("(1,200)", -1200),
    ("-1,200", -1200),
    ("1,200 nos", 1200),
    ("2.5 lakh units", 250_000),
    (".5", 0.5),
    (16410, 16410),
    (493.91, 493.91),
])
def test_parse_number(text, expected):
    assert parse_number(text) == expected


@pytest.mark.parametrize("text", ["-", "", "—", "  ", "abc", "12,5", "1,2,3", "5 apples",
                                  "1.2.3", None, True])
def test_parse_number_rejects(text):
    with pytest.raises(ValueError):
        parse_number(text)


def test_parse_number_error_says_why():
    with pytest.raises(ValueError, match="commas"):
        parse_number("12,5")
    with pytest.raises(ValueError, match="no number"):
        parse_number("")


@pytest.mark.parametrize(("word", "scale"), [
    ("lakh", 1e5), ("lac", 1e5), ("lakhs", 1e5), ("L", 1e5), ("crore", 1e7), ("cr", 1e7),
    ("crores", 1e7), ("million", 1e6), ("mn", 1e6), ("m", 1e6), ("billion", 1e9), ("bn", 1e9),
    ("thousand", 1e3), ("k", 1e3), ("Lakh", 1e5), ("CR", 1e7),
])
def test_scale_word(word, scale):
    assert scale_word(word) == scale


def test_scale_word_rejects_unknown():
    with pytest.raises(ValueError):
        scale_word("dozen")


@pytest.mark.parametrize(("text", "default_scale", "expected"), [
    ("Rs 5,00,000", 1, 500_000),
    ("Rs. 1,200/-", 1, 1200),
    ("₹2.5 lakh", 1, 250_000),
    ("INR 3 cr", 1, 30_000_000),
    ("5000 INR", 1, 5000),
    ("(Rs 1,200)", 1, -1200),
    ("493.91", 1e5, 49_391_000),     # a "(Rs lakh)" column
    (493.91, 1e5, 49_391_000),
    ("4.76", 1e7, 47_600_000),       # a "(Rs cr)" column
    ("1.5 cr", 1e5, 15_000_000),     # the value's own scale word wins over the header's
    ("5 crs", 1, 50_000_000),
])
def test_parse_money(text, default_scale, expected):
    assert parse_money(text, default_scale) == expected


@pytest.mark.parametrize("text", ["Rs", "Rs abc", "-", "$500"])
def test_parse_money_rejects(text):
    with pytest.raises(ValueError):
        parse_money(text)


def test_parse_percent():
    assert parse_percent("38%") == 38
    assert parse_percent("38") == 38
    assert parse_percent(38) == 38
    assert parse_percent("12.5 %") == 12.5
    assert parse_percent("0.38") == 0.38              # not fractional unless the caller says so
    assert parse_percent("0.38", fractional=True) == 38
    assert parse_percent(0.4, fractional=True) == 40
    assert parse_percent("38%", fractional=True) == 38   # an explicit % is always percent
    with pytest.raises(ValueError):
        parse_percent("38", fractional=True)
    with pytest.raises(ValueError):
        parse_percent("high")


@pytest.mark.parametrize(("value", "expected"), [
    ("2026-04", "2026-04"), ("Apr-26", "2026-04"), ("Apr 2026", "2026-04"),
    ("April 2026", "2026-04"), ("april-26", "2026-04"), ("Sept 2025", "2025-09"),
    ("04/2026", "2026-04"), ("2026/04", "2026-04"), ("15/04/2026", "2026-04"),
    ("2026-04-15", "2026-04"), (date(2026, 4, 15), "2026-04"),
    (datetime(2026, 4, 1, 0, 0), "2026-04"), (46113, "2026-04"),
])
def test_parse_month(value, expected):
    assert parse_month(value) == expected


@pytest.mark.parametrize("value", ["Aprl 2026", "13/2026", "2026", "", "Q1 FY27", 4])
def test_parse_month_rejects(value):
    with pytest.raises(ValueError):
        parse_month(value)


@pytest.mark.parametrize(("value", "expected"), [
    ("2026-04-15", "2026-04-15"),
    ("2026-04-15 00:00:00", "2026-04-15"),
    ("15/04/2026", "2026-04-15"),
    ("05/04/2026", "2026-04-05"),     # day first, as in India: 5 April, not 4 May
    ("5/4/2026", "2026-04-05"),
    ("15-04-2026", "2026-04-15"),
    ("15.04.26", "2026-04-15"),
    ("15-Apr-2026", "2026-04-15"),
    ("15 Apr 2026", "2026-04-15"),
    ("15 April 2026", "2026-04-15"),
    ("15-Apr-26", "2026-04-15"),
    (datetime(2026, 4, 15, 0, 0), "2026-04-15"),
    (date(2026, 4, 15), "2026-04-15"),
    (46127, "2026-04-15"),            # an Excel date serial in a numeric cell
    (46127.0, "2026-04-15"),
])
def test_parse_date(value, expected):
    assert parse_date(value) == expected


@pytest.mark.parametrize("value", ["31/02/2026", "Apr 2026", "46127", "15/04", "soon", "", 5,
                                   "04/15/2026"])
def test_parse_date_rejects(value):
    with pytest.raises(ValueError):
        parse_date(value)


def test_a_date_is_read_the_same_whether_or_not_it_was_read_before() -> None:
    from datetime import datetime, timedelta, timezone

    from compintel.numbers import parse_date

    ist = timezone(timedelta(hours=5, minutes=30))
    # the same instant in two zones is two days as written
    assert parse_date(datetime(2026, 4, 16, 4, 30, tzinfo=ist)) == "2026-04-16"
    assert parse_date(datetime(2026, 4, 15, 23, 0, tzinfo=UTC)) == "2026-04-15"
    with pytest.raises(ValueError):
        parse_date([1])                 # not hashable: still a ValueError, as before
