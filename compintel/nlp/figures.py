"""Reading figures from text: PPM, percentages, rupee amounts with lakh/crore, durations,
counts and capacities, in the forms Indian trade press and field notes write them.

Every figure becomes a :class:`Figure` with a normalised value and unit (``ppm``, ``%``,
``INR``, ``days``, ``hours``, ``minutes``, ``units``, ``tpd``; ``None`` for a bare number that
a signal rule may still claim, such as the 380 in "PPM at Kesarpur up to 380").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from operator import attrgetter, itemgetter
from typing import NamedTuple

from spacy.language import Language
from spacy.tokens import Doc

from ..numbers import scale_word
from .batching import BatchedComponent
from .docdata import FIGURES, doc_text, user_data_extension
from .lexicon import MONEY_UNITS

# The case-insensitive patterns below are written in lower case: they also run, without
# IGNORECASE, over the lower-cased text, which Python's re matches about twice as fast.
_SCALE = r"(?P<scale>lakhs?|lacs?|crores?|crs?|cr|mn|million|millions|bn|billion|thousand|k|l|m)"
_WORD_NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30,
    "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
    "half": 0.5,
}
_COUNT_NOUNS = (r"(?:e-)?(?:units?|vehicles?|cars?|car[- ]sets?|sets?|pieces?|pcs|nos\.?|numbers|windshields?|"
                r"windscreens?|glass(?:es)?|backlites?|sidelites?|sunroofs?|parts|nos|"
                r"sedans?|hatchbacks?|suvs?|crossovers?|mpvs?|evs?|trucks?|buses|bikes?|scooters?|"
                r"two-wheelers?|tractors?|minivans?|vans|pickups?|motorcycles?|compacts|components|gears|wheels|tyres|tires|engines|airbags|inflators|"
                r"lamps|headlamps|seats|batteries|chargers|motors|axles|castings|forgings|modules|"
                r"harnesses|mirrors|sensors|chassis|panels|doors|windows|roofs|kits|"
                r"rejections|rejects|field returns|returns|complaints|defects|"
                r"ws|bl|sl|qg)")   # "100 e-buses"; a note's part shorthand: "28 Vela BL", "1,20,000 WS"
_PART_SHORTHAND = frozenset({"ws", "bl", "sl", "qg"})     # a note's "WS", "BL", "SL", "QG" (upper case)
# "a year earlier" is when, not a rate ("scoring 78 points against 84 a year earlier")
_NOT_A_RATE = r"(?!\s+(?:earlier|ago|back)\b)"       # ("a month before the fire" is still a rate)
_PER_PERIOD = r"(?:a|per|an|each|/)\s?(?:year|annum|yr|month|mth|day|shift)" + _NOT_A_RATE + r"|annually|p\.?a\.?"
_PER = re.compile(r"^\s?(?:(?:a|per|an|each|every|/)\s?(?P<p>year|annum|yr|month|mth|mo|day|shift|week)\b"
                  + _NOT_A_RATE
                  + r"|(?P<annual>annually|p\.?a\.?(?!\w)))", re.IGNORECASE)

_I = re.IGNORECASE
# a rate of anything made is a count a year or a month ("2 engineers a shift" is none)
_PER_YEAR_OR_MONTH = r"(?:a|per|an|each|every)\s(?:year|annum|month)\b|annually\b"
_PEOPLE = r"(?:engineers?|people|persons?|workers?|staff|employees?|technicians?|inspectors?|visits?|trips?)\b"
# a word quoted between a number and its noun: "2,700 'urban' buses"
_QUOTE_MARK = "['‘’\"“”]?"
# words that cannot stand between a number and its count noun ("380 on Vela backlites")
_NOT_ADJECTIVES = (r"(?:on|at|in|for|of|to|from|by|with|per|and|or|the|a|an|vs|than|this|that|each"
                   # a measure is no count: "a 4.2 kg acoustic windshield", "2.1 mm windshields"
                   r"|kg|kgs|kilos?|grams?|mm|cm|km|kw|kwh|hp|ps|nm|inch|inches|tonnes?|tons?|metres?|meters?"
                   r"|litres?|liters?|volts?|v)")
# Every figure starts with a number; what surrounds it says what it is. Numbers are found in
# one pass and their neighbourhood is matched in place, so the cost follows the count of
# numbers, not the length of the text times the number of patterns.
# Numbers and "two days" must not continue a word (_continues_word): checked outside the
# patterns, which lets the regex engine skip ahead to a possible first character.
_NUMBER_RE = re.compile(r"\d+(?:,\d+)*(?:\.\d+)?")
# the same on ASCII text, where \d is [0-9]: re scans for an ASCII range faster than for a category
_ASCII_NUMBER_RE = re.compile(r"[0-9]+(?:,[0-9]+)*(?:\.[0-9]+)?")
# a number in words: "two days", and (two or more) "six parts", "three more chipped parts"
_WORD_NUMBER = (r"(?P<word>" + "|".join(_WORD_NUMBERS) + r")\s?-?\s?"
              r"(?:(?P<wscale>lakhs?|million|crores?|billion|thousand)\s)?"
              r"\b(?:(?P<tunit>days?|hrs?|hours?|mins?|minutes?|weeks?|wks?)"
              r"|(?P<pct>per\s?cent|percent)"
              r"|(?:more\s)?(?:(?!" + _NOT_ADJECTIVES + r"\s)[a-z][a-z-]+\s)?(?P<noun>" + _COUNT_NOUNS + r"))\b"
              # "seven glass makers" counts makers, not glass
              r"(?!\s(?:makers?|suppliers?|manufacturers?|vendors?|companies|firms|players|processors?)\b)")
# searched in the lower-cased text: Python's re scans a case-sensitive pattern much faster
_WORD_NUMBER_LOWER = re.compile(_WORD_NUMBER)
_NUMBER_WORDS = tuple(_WORD_NUMBERS)
_WORD_NUMBER_ANY_CASE = re.compile(_WORD_NUMBER, _I)
_CURRENCY_BEFORE = re.compile(r"(?:(?<![a-z])(?:rs\.?|inr|rupees)|₹)\s?$", _I)
# other currencies, before the number ("$310 million", "EUR 17.2 billion") or after it
# ("640.6 billion yen", "347.5 million won"); their units are ISO codes
_FOREIGN_BEFORE = re.compile(r"(?:(?<![a-z])(?P<code>us\$|usd|eur|gbp|jpy|krw|cny|rmb|euro|€|\$|£|¥))\s?$", _I)
_FOREIGN_CODES = {"us$": "USD", "usd": "USD", "$": "USD", "eur": "EUR", "euro": "EUR", "€": "EUR",
                  "gbp": "GBP", "£": "GBP", "jpy": "JPY", "¥": "JPY", "krw": "KRW", "cny": "CNY",
                  "rmb": "CNY", "dollars": "USD", "dollar": "USD", "euros": "EUR", "yen": "JPY",
                  "won": "KRW", "yuan": "CNY", "pounds": "GBP"}
# "won" and "pounds" are money only after a scale word ("347.5 million won", not "in 2021 won")
_FOREIGN_AFTER = re.compile(r"(?:\s?" + _SCALE + r"\b\s?(?P<code>dollars?|euros|yen|won|yuan|pounds)"
                            r"|\s?(?P<plain>dollars?|euros|yen|yuan))\b", _I)
_FOREIGN_MARK = re.compile(r"[$€£¥]|usd|eur|gbp|jpy|krw|cny|rmb")       # searched in a folded window
_FOREIGN_WORD = re.compile(r"dollar|euro|yen|won|yuan|pound")         # … and after the number
_CURRENCY_WORDS = ("rs", "inr", "rupees")    # its words, folded: a quick look before the pattern
# "Rs 1,000 crore", "Rs 231-crore factory"
_SCALE_AFTER = re.compile(r"(?:\s?|-)" + _SCALE + r"\b", _I)
# a rupee sign glued to its number: "INR7500 crores", "Rs.1,000 crore"
_GLUED_CURRENCY = re.compile(r"(?<![a-z])(?:rs\.?|inr)$", _I)
_RUPEE_TAIL = re.compile(r"\s?/-")
_SUFFIXES: list[tuple[str | None, re.Pattern[str]]] = [
    ("INR", re.compile(r"(?:\s?" + _SCALE + r"\b)?\s?(?:rupees|rs\b)", _I)),   # 410 rupees
    ("ppm", re.compile(r"\s?-?\s?(?:ppm|parts per million)\b", _I)),           # 380 ppm
    ("%", re.compile(r"\s?(?:%|per\s?cent\b|percent\b|pc\b|pct\b|percentage points?\b|pp\b)", _I)),
    ("%", re.compile(r"\s?/\s?100\b(?![.,]?\d)", _I)),                        # rated 78/100
    # "a score of 92 out of 100" (not "91 out of 100 suppliers")
    ("%", re.compile(r"\s(?:out of|of a possible|on) 100\b(?![.,]?\d)(?!\s(?:[a-z]+\s)?[a-z]+s\b)", _I)),
    ("points", re.compile(r"\s?(?:points?|pts)\b\.?", _I)),                     # 96 points
    # 550 tpd · 600 tonnes per day · 600 tonnes-per-day · 900 tons of (float) glass a day
    ("tpd", re.compile(r"\s?(?:tpd|tonnes?[\s-](?:of (?:[a-z]+ ){1,2})?(?:per|a)[\s-]day"
                       r"|tons?[\s-](?:of (?:[a-z]+ ){1,2})?(?:per|a)[\s-]day"
                       r"|tonnes? (?:of (?:[a-z]+ ){1,2})?daily|tons? (?:of (?:[a-z]+ ){1,2})?daily|t/d)\b", _I)),
    ("time", re.compile(r"\s?-?\s?(?P<tunit>days?|hrs?|hours?|h|mins?|minutes?|weeks?|wks?)\b", _I)),
    # 2.5 lakh units · 3,000 tempered sets
    ("units", re.compile(r"(?:\s?" + _SCALE + r"\b)?\s?-?\s?(?:(?!" + _NOT_ADJECTIVES
                         + r"\s)" + _QUOTE_MARK + r"[a-z][a-z-]+" + _QUOTE_MARK + r"\s){0,2}(?:" + _COUNT_NOUNS
                         + r")\b", _I)),
    ("units", re.compile(r"\s?" + _SCALE + r"\b\s?(?=" + _PER_PERIOD + r")", _I)),   # 3 lakh a year
    # a rate of anything made: "1,20,000 air springs a year", "40 lakh pieces annually"
    ("units", re.compile(r"(?:\s?" + _SCALE + r"\b)?\s(?:(?!" + _NOT_ADJECTIVES + r"\s)[a-z][a-z-]+\s)?(?!"
                         + _NOT_ADJECTIVES + r"\b|" + _PEOPLE + r")[a-z][a-z-]+(?=\s(?:" + _PER_YEAR_OR_MONTH + r"))",
                         _I)),
    ("units", re.compile(r"(?:\s?" + _SCALE + r"\b)?(?=\s?(?:/|per |a )(?:month|mth|year|yr|day)\b"
                         + _NOT_A_RATE + ")", _I)),                                                       # 6,500/month
    ("INR?", re.compile(r"\s?(?P<scale>crores?|cr)\b", _I)),                      # 4,162 crore
    # 3850/pc: a price (a number of three digits or more; "3/set" is a count)
    ("INR", re.compile(r"(?<=\d\d\d)(?=\s?/\s?(?:pcs?|piece|set|unit|windshield|nos?)\b)", _I)),
    # a scaled number with no unit: "vs ours 5.6k", "12.5 L" — a signal rule may claim it
    (None, re.compile(r"\s?(?P<scale>k|L|lakhs?|lacs?|mn|million)\b(?![/%])")),
]
# every suffix starts, after at most two spaces, with a letter, "%", "/", "-" or a quote mark
_SUFFIX_START = re.compile(r"\s{0,2}(?:[^\W\d_]|[%/-]|['‘’\"“”])")
_COUNT_AFTER = re.compile(r"\s?(?:" + _COUNT_NOUNS + r")\b", _I)
_BARE_NEXT = re.compile(r"[\w%/-]|\.\d|,\d")
_YEAR = re.compile(r"^(?:19|20)\d\d$")
# a number recalled counts vehicles or parts, whatever the names after it: "recalled 62,811
# Sonata and Sonata Hybrid sedans", "is calling back close to 190,000 Mazda 3 compacts"
_RECALLED = re.compile(r"\b(?:recall(?:s|ed|ing)?|call(?:s|ed|ing)? back)\s(?:(?:about|around|some|nearly|"
                       r"over|almost|roughly|close to|more than|up to|as many as|a further|another)\s)?$")
# a number of parts found bad: "2 rejected", "3 returned from the field", "11 on hold"
# a bare number scored is a score: "scoring 88 on the carmaker's scorecard", "a rating of 71"
_SCORED = re.compile(r"\b(?:scor(?:e|es|ed|ing)|rating)\s(?:of\s)?(?:(?:just|only|about|around|nearly)\s)?$")
_FOUND_BAD = re.compile(r"\s(?:rejected|returned|scrapped|cracked|chipped|damaged|on hold)\b")
_MONTHS = re.compile(r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s*$",
                     re.IGNORECASE)
_MONTH_AFTER = re.compile(r"^\s*(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\b",
                          re.IGNORECASE)


class _Patterns(NamedTuple):
    """The patterns that read around a number, for the original text or the lower-cased one."""

    currency_before: re.Pattern[str]
    scale_after: re.Pattern[str]
    per: re.Pattern[str]
    suffixes: list[tuple[str | None, re.Pattern[str], bool]]   # (unit, pattern, on the original text)
    count_after: re.Pattern[str]
    months: re.Pattern[str]
    month_after: re.Pattern[str]


def _patterns(folded: bool) -> _Patterns:
    """For the lower-cased text (``folded``), the case-insensitive patterns lose IGNORECASE;
    a case-sensitive one keeps reading the original text."""
    def fold(pattern: re.Pattern[str]) -> re.Pattern[str]:
        return re.compile(pattern.pattern, pattern.flags & ~re.IGNORECASE) if folded else pattern

    return _Patterns(
        fold(_CURRENCY_BEFORE), fold(_SCALE_AFTER), fold(_PER),
        [(unit, fold(pattern), folded and not pattern.flags & re.IGNORECASE)
         for unit, pattern in _SUFFIXES],
        fold(_COUNT_AFTER), fold(_MONTHS), fold(_MONTH_AFTER))


_CASELESS, _FOLDED = _patterns(folded=False), _patterns(folded=True)


@dataclass(slots=True)
class Figure:
    start: int          # character offsets in the text
    end: int
    value: float
    unit: str | None
    text: str
    per: str | None = None   # a rate: "year", "month", "day"… ("2.5 lakh units a year")


# a Figure as the pipeline passes it on: (start, end, value, unit, text, per)
FigureFields = tuple[int, int, float, str | None, str, str | None]


def parse_grouped_number(text: str) -> float | None:
    """'5,00,000' → 500000; '1,200,000.5' → 1200000.5; badly grouped digits → None."""
    if "," not in text:
        try:
            return float(text)
        except ValueError:
            return None
    whole, _, fraction = text.partition(".")
    groups = whole.split(",")
    if len(groups) > 1 and not (1 <= len(groups[0]) <= 3 and len(groups[-1]) == 3
            and all(len(group) in (2, 3) for group in groups[1:-1])):
        return None
    try:
        return float("".join(groups) + ("." + fraction if fraction else ""))
    except ValueError:
        return None


def _rate(scan: str, end: int, patterns: _Patterns) -> str | None:
    found = patterns.per.match(scan[end:end + 16])
    if not found:
        return None
    return "year" if found.group("annual") else {"annum": "year", "yr": "year", "mth": "month",
                                                 "mo": "month"}.get(found.group("p").lower(),
                                                                    found.group("p").lower())


def _scale(word: str | None) -> float:
    """The multiplier of a scale word (one table for the whole project: compintel.numbers)."""
    return scale_word(word) if word else 1.0


def read_figures(text: str) -> list[Figure]:
    """All figures in ``text``, left to right."""
    return [Figure(*fields) for fields in figure_fields(text)]


def figure_fields(text: str) -> list[FigureFields]:
    """:func:`read_figures` as plain tuples in :class:`Figure`'s field order.

    The pipeline passes figures on in this form: a batch of documents holds thousands, and
    plain tuples of numbers and strings are not tracked by Python's garbage collector.
    """
    lowered = text.lower()
    same_offsets = len(lowered) == len(text)      # unless a letter lower-cases to two ("İ")
    # IGNORECASE also reads "ı" as "i" and "ſ" as "s", which lower() leaves alone (no other
    # character differs): the patterns read the original text then
    if same_offsets and "ı" not in text and "ſ" not in text:
        scan, patterns = lowered, _FOLDED
    else:
        scan, patterns = text, _CASELESS
    word_numbers = _word_numbers(lowered) if same_offsets else _WORD_NUMBER_ANY_CASE.finditer(text)
    found: list[FigureFields] = []
    for match in (_ASCII_NUMBER_RE if text.isascii() else _NUMBER_RE).finditer(text):
        if _continues_word(text, match.start(), ".,") \
                and not _GLUED_CURRENCY.search(text, max(0, match.start() - 4), match.start()):
            continue    # inside a word or a longer number; every later digit of it is too
        figure = _figure_at(text, scan, patterns, match)
        if figure is not None:
            found.append(figure)
    words = []
    for match in word_numbers:
        start, end = match.span()
        if _continues_word(text, start):
            continue    # "often days": the number word ends a longer word
        tens = _TENS_BEFORE.search(lowered if same_offsets else text.lower(), max(0, start - 9), start) \
            if start > 1 and text[start - 1] == "-" else None
        if start > 1 and text[start - 1] == "-" and tens is None:
            continue    # a hyphened word that is no number: "ninety-odd", "low-five"
        if any(f[0] < end and start < f[1] for f in found):
            continue
        number = float(_WORD_NUMBERS[match.group("word").lower()])
        word_start = start
        if tens is not None:            # "twenty-five per cent" is 25
            number += _WORD_NUMBERS[tens.group(1)]
            start = tens.start()
        if match.group("wscale"):       # "four million sets"
            number *= _scale(match.group("wscale").lower())
        if match.group("noun") and _compound_adjective(text, word_start + len(match.group("word")), end):
            continue    # "a seven-seat MPV": a description, no count
        if match.group("tunit") and not match.group("wscale"):
            words.append(_time_figure(start, end, number, match.group("tunit"), text[start:end]))
        elif match.group("pct"):        # "by three per cent"
            if not match.group("wscale") and number >= 1:
                words.append(_fields(start, end, number, "%", text[start:end]))
        elif number >= 2:       # "one glass maker" is no count
            words.append(_fields(start, end, number, "units", text[start:end]))
    if words:
        found = sorted([*found, *words], key=itemgetter(0))
    if len(found) > 1 and "(" in text:
        found = _without_conversions(text, found)
    if len(found) > 1:
        found = _with_compound_durations(text, found)
        if any(figure[3] is None for figure in found[1:]):
            found = _with_ranges_in_one_unit(lowered if same_offsets else text.lower(), found)
    return found


_RANGE_FROM = re.compile(r"\bfrom (?:(?:about|around|nearly|some|just|roughly) )?$")
_RANGE_TO = re.compile(r"^ (?:to|and) (?:(?:about|around|nearly|some|just|roughly) )?$")


def _with_ranges_in_one_unit(lowered: str, found: list[FigureFields]) -> list[FigureFields]:
    """A figure with no unit that ends a range from one with a unit takes its unit: "from 3.6
    million batteries to 5.4 million" is 5.4 million units."""
    kept = [found[0]]
    for figure in found[1:]:
        previous = kept[-1]
        if figure[3] is None and previous[3] is not None and previous[5] is None \
                and _RANGE_TO.match(lowered[previous[1]:figure[0]]) \
                and _RANGE_FROM.search(lowered, max(0, previous[0] - 16), previous[0]):
            figure = (*figure[:3], previous[3], *figure[4:])
        kept.append(figure)
    return kept


def _with_compound_durations(text: str, found: list[FigureFields]) -> list[FigureFields]:
    """Hours and the minutes right after them are one duration: "down 2 h 05 min", "1 hr 20
    min" are 125 and 80 minutes."""
    kept = [found[0]]
    for figure in found[1:]:
        previous = kept[-1]
        if previous[3] == "hours" and figure[3] == "minutes" and figure[2] < 60 \
                and text[previous[1]:figure[0]].strip(" ,") in ("", "and"):
            kept[-1] = _fields(previous[0], figure[1], previous[2] * 60 + figure[2], "minutes",
                               text[previous[0]:figure[1]])
            continue
        kept.append(figure)
    return kept


def _without_conversions(text: str, found: list[FigureFields]) -> list[FigureFields]:
    """A sum restated in another currency in brackets right after it is the same sum: "worth INR
    2,000 crore (US$240 million)" is one figure, the rupees if either is in rupees, else the first."""
    kept = [found[0]]
    for figure in found[1:]:
        previous = kept[-1]
        between = text[previous[1]:figure[0]]
        if previous[3] in MONEY_UNITS and figure[3] in MONEY_UNITS and figure[3] != previous[3] \
                and between.strip() in _CONVERSION_OPENERS:
            if figure[3] == "INR":
                kept[-1] = figure
            continue
        kept.append(figure)
    return kept


_CONVERSION_OPENERS = frozenset({"(", "(about", "(around", "(roughly", "(or", "(approx.", "(nearly",
                                 "(some", "(over", "(over the"})


def _word_numbers(lowered: str) -> list[re.Match[str]]:
    """``_WORD_NUMBER_LOWER.finditer(lowered)``, found faster: a match starts where a number
    word does, so the pattern is tried only there (str.find finds those places much faster than
    re scans for them), left to right, each search going on where the last match ended."""
    places = []
    for word in _NUMBER_WORDS:
        place = lowered.find(word)
        while place >= 0:
            places.append(place)
            place = lowered.find(word, place + 1)
    if not places:
        return []
    places.sort()
    found, end, match = [], 0, _WORD_NUMBER_LOWER.match
    for place in places:
        if place >= end and (number := match(lowered, place)) is not None:
            found.append(number)
            end = number.end()
    return found


_ORDINAL = re.compile(r"(?:st|nd|rd|th)\b", _I)
_TENS_BEFORE = re.compile(r"(?<![a-z])(twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)-$")
_HYPHENED_WORD = re.compile(r"\s?-\s?([a-z]+)", _I)
_COUNT_NOUN = re.compile(r"(?:" + _COUNT_NOUNS + r")$", _I)


def _compound_adjective(text: str, end: int, stop: int) -> bool:
    """Whether the number ending at ``end`` is joined by a hyphen to a word that is no count
    noun ("7-seat", "seven-seat", "two-door"), making a description of what follows."""
    hyphened = _HYPHENED_WORD.match(text, end, stop)
    return hyphened is not None and not _COUNT_NOUN.match(hyphened.group(1))


def _continues_word(text: str, start: int, also: str = "") -> bool:
    """Whether the character before ``start`` is a word character (as ``\\w``) or in ``also``."""
    if not start:
        return False
    before = text[start - 1]
    return before.isalnum() or before == "_" or before in also


def _fields(start: int, end: int, value: float, unit: str | None, text: str,
            per: str | None = None) -> FigureFields:
    return start, end, value, unit, text, per


def _time_figure(start: int, end: int, number: float, time_unit: str, text: str) -> FigureFields:
    time_unit = time_unit.lower()
    if time_unit.startswith("w"):
        return _fields(start, end, number * 7, "days", text)
    if time_unit.startswith("d"):
        return _fields(start, end, number, "days", text)
    if time_unit.startswith("h"):
        return _fields(start, end, number, "hours", text)
    return _fields(start, end, number, "minutes", text)


def _figure_at(text: str, scan: str, patterns: _Patterns, match: re.Match[str]) -> FigureFields | None:
    """The figure the number ``match`` starts, if any. ``scan`` is the text the ``patterns``
    read: the lower-cased text, or ``text`` itself."""
    raw = match.group(0)
    number = parse_grouped_number(raw)
    if number is None:
        return None
    start, end = match.span()
    if _ORDINAL.match(text, end):
        return None     # "a 2nd truck a day", "3rd shift": an ordinal counts nothing
    # the currency pattern is slow, and most numbers have no currency word or sign before them
    window_start = max(0, start - 8)
    window = text[window_start:start].casefold()
    before = (patterns.currency_before.search(scan, window_start, start)
              if "₹" in window or any(word in window for word in _CURRENCY_WORDS) else None)
    if before is None and _FOREIGN_MARK.search(window):
        foreign = _FOREIGN_BEFORE.search(text, window_start, start)
        if foreign is not None:
            scale_match = _SCALE_AFTER.match(text, end)
            stop = scale_match.end() if scale_match else end
            value = round(number * _scale(scale_match.group("scale") if scale_match else None), 6)
            return _fields(foreign.start(), stop, value, _FOREIGN_CODES[foreign.group("code").lower()],
                           text[foreign.start():stop])
    if before is not None:
        scale_match = patterns.scale_after.match(scan, end)
        stop = scale_match.end() if scale_match else end
        tail = _RUPEE_TAIL.match(text, stop)
        stop = tail.end() if tail else stop
        value = round(number * _scale(scale_match.group("scale") if scale_match else None), 6)
        return _fields(before.start(), stop, value, "INR", text[before.start():stop],
                       _rate(scan, stop, patterns))
    suffixed = _SUFFIX_START.match(text, end)
    foreign = (_FOREIGN_AFTER.match(text, end) if suffixed and _FOREIGN_WORD.search(scan, end, end + 24)
               else None)
    if foreign is not None:
        value = round(number * _scale(foreign.group("scale")), 6)
        code = foreign.group("code") or foreign.group("plain")
        return _fields(start, foreign.end(), value, _FOREIGN_CODES[code.lower()], text[start:foreign.end()])
    for unit, pattern, on_text in (patterns.suffixes if suffixed else ()):
        suffix = pattern.match(text if on_text else scan, end)
        if suffix is None:
            continue
        stop = suffix.end()
        figure_text = text[start:stop]
        if unit == "time":
            return _time_figure(start, stop, number, suffix.group("tunit"), figure_text)
        scale = _scale(suffix.groupdict().get("scale"))
        if unit == "INR?":
            # "4,162 crore" with no rupee sign: crore of rupees unless a count noun follows
            if patterns.count_after.match(scan, stop):
                continue
            return _fields(start, stop, number * scale, "INR", figure_text)
        if unit == "units" and _compound_adjective(text, end, stop):
            return None     # "a 7-seat MPV", "two-door cars": part of a description, no count
        if unit == "units" and scan[stop - 3:stop].lstrip(" -") in _PART_SHORTHAND \
                and not text[stop - 2:stop].isupper():
            continue        # a note's "BL" counts backlites, a lower-case "sl" nothing ("windows" counts)
        if unit == "units" and _YEAR.match(raw) and not suffix.groupdict().get("scale") \
                and not patterns.count_after.match(scan, end):
            return None     # "its 2027 electric SUV", "a 2021 General Motors award": a year
        if unit is None and "call" in scan[max(0, start - 30):start] \
                and _RECALLED.search(scan, max(0, start - 30), start):
            unit = "units"      # "recalls 2.5 lakh 'defective' motorcycles": a count recalled
        if unit in ("INR", "units", None):
            value = round(number * scale, 6)     # 1.1 lakh is 110000, not 110000.00000000001
            return _fields(start, stop, value, unit, figure_text, _rate(scan, stop, patterns))
        return _fields(start, stop, number, unit, figure_text)
    if _BARE_NEXT.match(text, end) or (start > 0 and text[start - 1] in "-/"):
        return None
    if "call" in scan[max(0, start - 30):start] and _RECALLED.search(scan, max(0, start - 30), start):
        return _fields(start, end, number, "units", raw)
    if _YEAR.match(raw) or (number <= 31 and (patterns.months.search(scan[max(0, start - 10):start])
                                               or patterns.month_after.match(scan[end:end + 10]))):
        return None    # a year or a date, not a figure ("OTIF Aug 88" is a figure)
    if _FOUND_BAD.match(scan, end):
        return _fields(start, end, number, "units", raw)     # "2 rejected for sealant squeeze-out"
    before = scan[max(0, start - 20):start]
    if number <= 100 and ("sc" in before or "rating" in before) and _SCORED.search(before) \
            and not scan.startswith((" star", " out of"), end):     # "scored 4 stars" is no score of 4
        return _fields(start, end, number, "points", raw)
    if raw == "100" and before.endswith(("out of ", "of a possible ")):
        return None         # the scale of a score ("92 out of 100"), no figure
    return _fields(start, end, number, None, raw)


class FigureReader(BatchedComponent):
    """Stores the figures of ``doc.text`` as plain tuples (docdata.FIGURES); ``doc._.figures``
    reads them as new Figure objects each time."""

    def __call__(self, doc: Doc) -> Doc:
        doc.user_data[FIGURES] = tuple(figure_fields(doc_text(doc)))
        return doc


user_data_extension("figures", FIGURES, Figure, attrgetter(*Figure.__dataclass_fields__))


@Language.factory("compintel_figures")
def _make_figures(nlp: Language, name: str) -> FigureReader:
    return FigureReader()
