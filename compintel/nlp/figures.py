"""Reading figures from text: PPM, percentages, rupee amounts with lakh/crore, durations,
counts and capacities, in the forms Indian trade press and field notes write them.

Every figure becomes a :class:`Figure` with a normalised value and unit (``ppm``, ``%``,
``INR``, ``days``, ``hours``, ``minutes``, ``units``, ``tpd``; ``None`` for a bare number that
a signal rule may still claim, such as the 380 in "PPM at Kesarpur up to 380").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc

_NUMBER = r"(?P<num>\d+(?:,\d+)*(?:\.\d+)?)"
_SCALE = r"(?P<scale>lakhs?|lacs?|crores?|crs?|cr|mn|million|millions|bn|billion|thousand|k|L|m)"
_WORD_NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30,
    "half": 0.5,
}
SCALES = {
    "lakh": 1e5, "lakhs": 1e5, "lac": 1e5, "lacs": 1e5, "l": 1e5,
    "crore": 1e7, "crores": 1e7, "cr": 1e7, "crs": 1e7,
    "mn": 1e6, "million": 1e6, "millions": 1e6, "m": 1e6,
    "bn": 1e9, "billion": 1e9, "thousand": 1e3, "k": 1e3,
}
_COUNT_NOUNS = (r"units?|vehicles?|cars?|car[- ]sets?|sets?|pieces?|pcs|nos\.?|numbers|windshields?|"
                r"windscreens?|glass(?:es)?|backlites?|sidelites?|sunroofs?|parts|nos")
_PER_PERIOD = r"(?:a|per|an|each|/)\s?(?:year|annum|yr|month|mth|day|shift)|annually|p\.?a\.?"
_PER = re.compile(r"^\s?(?:(?:a|per|an|each|every|/)\s?(?P<p>year|annum|yr|month|mth|mo|day|shift|week)\b"
                  r"|(?P<annual>annually|p\.?a\.?(?!\w)))", re.IGNORECASE)

_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    # ₹2,000 cr · Rs. 410 · INR 3.5 crore · Rs 12L
    ("INR", re.compile(r"(?:(?<![A-Za-z])(?:Rs\.?|INR|Rupees)|₹)\s?" + _NUMBER
                       + r"(?:\s?" + _SCALE + r"\b)?(?:\s?/-)?", re.IGNORECASE)),
    # 410 rupees · 3.5 crore rupees
    ("INR", re.compile(_NUMBER + r"(?:\s?" + _SCALE + r"\b)?\s?(?:rupees|rs\b)", re.IGNORECASE)),
    # 380 ppm · 380-PPM · 380 parts per million
    ("ppm", re.compile(_NUMBER + r"\s?-?\s?(?:ppm|parts per million)\b", re.IGNORECASE)),
    # 91% · 6 per cent · 12 pc · 3 percentage points
    ("%", re.compile(_NUMBER + r"\s?(?:%|per\s?cent\b|percent\b|pc\b|pct\b|percentage points?\b|"
                               r"pp\b|points?\b(?= of share| share))", re.IGNORECASE)),
    # 550 tpd · 650 tonnes per day
    ("tpd", re.compile(_NUMBER + r"\s?(?:tpd|tonnes? (?:per|a) day|tons? (?:per|a) day|t/d)\b",
                       re.IGNORECASE)),
    # 6 days · 3 hrs · 40 min · 2 weeks
    ("time", re.compile(r"(?P<word>\b(?:" + "|".join(_WORD_NUMBERS) + r")\b|" + _NUMBER + r")"
                        r"\s?-?\s?(?P<tunit>days?|hrs?|hours?|mins?|minutes?|weeks?|wks?)\b",
                        re.IGNORECASE)),
    # 2.5 lakh units · 1.2 million sets · 5,00,000 nos · 3,000 tempered sets · 3 lakh a year
    ("units", re.compile(_NUMBER + r"(?:\s?" + _SCALE + r"\b)?\s?-?\s?(?:[a-z][a-z-]+\s){0,2}(?:"
                         + _COUNT_NOUNS + r")\b", re.IGNORECASE)),
    ("units", re.compile(_NUMBER + r"\s?" + _SCALE + r"\b\s?(?=" + _PER_PERIOD + r")", re.IGNORECASE)),
    # 6,500/month · 9,000 per month
    ("units", re.compile(_NUMBER + r"(?:\s?" + _SCALE + r"\b)?(?=\s?(?:/|per |a )(?:month|mth|year|yr|day)\b)",
                         re.IGNORECASE)),
    # ₹-less amounts in crore: "revenue of 4,162 crore"
    ("INR?", re.compile(_NUMBER + r"\s?(?P<scale>crores?|cr)\b", re.IGNORECASE)),
    # a bare number, which a signal rule may claim ("PPM up to 380")
    (None, re.compile(r"(?<![\w.,/-])" + _NUMBER + r"(?![\w%/-]|\.\d|,\d)")),
]
_YEAR = re.compile(r"^(?:19|20)\d\d$")
_MONTHS = re.compile(r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s*$",
                     re.IGNORECASE)
_MONTH_AFTER = re.compile(r"^\s*(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\b",
                          re.IGNORECASE)


@dataclass(frozen=True)
class Figure:
    start: int          # character offsets in the text
    end: int
    value: float
    unit: str | None
    text: str
    per: str | None = None   # a rate: "year", "month", "day"… ("2.5 lakh units a year")


def parse_grouped_number(text: str) -> float | None:
    """'5,00,000' → 500000; '1,200,000.5' → 1200000.5; badly grouped digits → None."""
    whole, _, fraction = text.partition(".")
    groups = whole.split(",")
    if len(groups) > 1 and not (1 <= len(groups[0]) <= 3 and len(groups[-1]) == 3
            and all(len(group) in (2, 3) for group in groups[1:-1])):
        return None
    try:
        return float("".join(groups) + ("." + fraction if fraction else ""))
    except ValueError:
        return None


def _rate(text: str, end: int) -> str | None:
    found = _PER.match(text[end:end + 16])
    if not found:
        return None
    return "year" if found.group("annual") else {"annum": "year", "yr": "year", "mth": "month",
                                                 "mo": "month"}.get(found.group("p").lower(),
                                                                    found.group("p").lower())


def _scale(word: str | None) -> float:
    return SCALES.get(word.lower(), 1.0) if word else 1.0


def read_figures(text: str) -> list[Figure]:
    """All figures in ``text``, left to right, none overlapping (the more specific wins)."""
    found: list[Figure] = []
    taken = bytearray(len(text))
    for unit, pattern in _PATTERNS:
        for match in pattern.finditer(text):
            start, end = match.span()
            if any(taken[start:end]):
                continue
            figure = _figure(unit, match, text)
            if figure is None:
                continue
            found.append(figure)
            taken[start:end] = b"\x01" * (end - start)
    found.sort(key=lambda f: f.start)
    return found


def _figure(unit: str | None, match: re.Match[str], text: str) -> Figure | None:
    groups = match.groupdict()
    start, end = match.span()
    if unit == "time":
        word = groups.get("word")
        if word and not word[0].isdigit():
            number = float(_WORD_NUMBERS[word.lower()])
        else:
            number = parse_grouped_number(groups["num"]) if groups.get("num") else None
        if number is None:
            return None
        time_unit = groups["tunit"].lower()
        if time_unit.startswith("w"):
            return Figure(start, end, number * 7, "days", match.group(0))
        if time_unit.startswith("d"):
            return Figure(start, end, number, "days", match.group(0))
        if time_unit.startswith("h"):
            return Figure(start, end, number, "hours", match.group(0))
        return Figure(start, end, number, "minutes", match.group(0))
    number = parse_grouped_number(groups["num"])
    if number is None:
        return None
    scale = _scale(groups.get("scale"))
    if unit == "INR?":
        # "4,162 crore" with no rupee sign: crore of rupees unless a count noun follows
        after = text[end:end + 12].lower()
        if re.match(r"\s?(?:" + _COUNT_NOUNS + r")\b", after):
            return None
        return Figure(start, end, number * scale, "INR", match.group(0))
    if unit is None:
        raw = groups["num"]
        if _YEAR.match(raw) or _MONTHS.search(text[max(0, start - 10):start]) \
                or _MONTH_AFTER.match(text[end:end + 10]):
            return None    # a year or a date, not a figure
        return Figure(start, end, number, None, match.group(0))
    if unit in ("INR", "units"):
        return Figure(start, end, number * scale, unit, match.group(0), _rate(text, end))
    return Figure(start, end, number, unit, match.group(0))


if not Doc.has_extension("figures"):
    Doc.set_extension("figures", default=None)


@Language.component("compintel_figures")
def figures_component(doc: Doc) -> Doc:
    """Store the figures of ``doc.text`` in ``doc._.figures``."""
    doc._.figures = read_figures(doc.text)
    return doc
