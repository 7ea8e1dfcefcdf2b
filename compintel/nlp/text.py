"""Tokenizer rules and sentence boundaries for trade-press and field-note text."""

from __future__ import annotations

import re
from bisect import bisect_right

import numpy as np
import spacy
from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc
from spacy.util import compile_infix_regex, compile_prefix_regex, compile_suffix_regex

from .batching import BatchedComponent
from .docdata import DATA_ONLY, SENTENCE_STARTS, doc_text, token_starts, word_end_char

# "380ppm" → "380" "ppm"; "OTIF-86%" → "OTIF" "-" "86" "%"; "~6%" → "~" "6" "%"
_UNIT_SUFFIX = r"(?<=[0-9])(?:ppm|PPM|Ppm|tpd|TPD|cr|Cr|crs|hrs|Hrs|mins|lakh|lakhs|lac|mn|pc|pcs|nos|days)"
_LETTER_DIGIT_HYPHEN = r"(?<=[A-Za-z])-(?=[0-9])"
# a possessive written with a quotation mark: "Pilkington“s", "Pilkington”s" → "Pilkington" "“s"
_QUOTE_POSSESSIVE = r"(?<=[A-Za-z])[“”„″]s"
_PREFIXES = ["~", "@", "≈"]

# Tokens after which a full stop does not end a sentence ("Rs. 410", "Pvt. Ltd.").
ABBREVIATIONS = frozenset({
    "rs", "no", "nos", "pvt", "mr", "ms", "mrs", "dr", "approx", "vs", "v", "st", "co", "inc", "ltd",
    "viz", "fig", "sr", "jr", "prof", "govt", "dept", "avg", "est", "qty", "amt", "ref", "wrt", "jan",
    "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "mfg", "corp",
    "incl", "excl", "etc", "esp", "mgmt", "ppl", "eg", "ie", "cf", "yr", "yrs", "mth", "mths", "wk",
    "wks", "hr", "hrs", "mins", "pcs", "appx", "dt", "min", "max", "nr", "opp", "tel", "mob",
})
_CLOSERS = (".", "!", "?", "…")
_BOUNDARY_CHARACTERS = re.compile("[" + re.escape("".join(_CLOSERS)) + "\n]")   # where one may end


@spacy.registry.tokenizers("compintel_tokenizer")
def _create_tokenizer():
    """English's tokenizer, with figures split from units glued to them and codes from numbers
    ("380ppm", "OTIF-86%", "~6%"), as notes write them. Built with these rules at once: setting
    rules on a finished tokenizer reloads its special cases each time (a quarter second)."""
    def create(nlp: Language) -> Tokenizer:
        defaults = nlp.Defaults
        return Tokenizer(
            nlp.vocab, rules=defaults.tokenizer_exceptions,
            prefix_search=compile_prefix_regex([*_PREFIXES, *defaults.prefixes]).search,
            suffix_search=compile_suffix_regex([*defaults.suffixes, _UNIT_SUFFIX, _QUOTE_POSSESSIVE]).search,
            infix_finditer=compile_infix_regex([*defaults.infixes, _LETTER_DIGIT_HYPHEN]).finditer,
            token_match=defaults.token_match, url_match=defaults.url_match)

    return create


def blank_english() -> Language:
    """``spacy.blank("en")`` with compintel's tokenizer."""
    return spacy.blank("en", config={"nlp": {"tokenizer": {"@tokenizers": "compintel_tokenizer"}}})


class SentenceSplitter(BatchedComponent):
    """Sentences end at . ! ? (not after an abbreviation) and at every line break.

    It runs on every document, so it looks only at the characters that can end a sentence.
    """

    def __init__(self, nlp: Language) -> None:
        self.vocab = nlp.vocab
        self._title_stop: dict[str, bool] = {}   # word → a title-case stop word ("The", "It")

    def __call__(self, doc: Doc) -> Doc:
        starts = self._starts(doc) if len(doc) else []
        if starts and not doc.user_data.get(DATA_ONLY):     # doc.sents, for a doc read as a Doc
            flags = np.full(len(doc), -1, dtype=np.int64)
            flags[starts] = 1
            doc.from_array([SENT_START], flags.astype(np.uint64))
        doc.user_data[SENTENCE_STARTS] = tuple(starts)
        return doc

    def _starts(self, doc: Doc) -> list[int]:
        """Token indices where sentences start: the first word, a word after a line break, a
        word after a closer that does not follow an abbreviation, and a title-case stop word
        ("The", "It") after a name's full stop ("Pvt Ltd. The company said").

        Only the characters that can end a sentence are looked at, found in the text by one
        regular expression and mapped to their tokens; tokens are read as slices of the text
        (no Token objects), and most are never touched.
        """
        text = doc_text(doc)
        offsets = token_starts(doc)
        count = len(offsets)

        def word_from(index: int) -> int | None:
            """The first token at or after ``index`` that is not whitespace. spaCy's tokenizer
            never puts whitespace and other characters in one token, so a token is whitespace
            exactly when its first character is."""
            while index < count:
                if not text[offsets[index]].isspace():
                    return index
                index += 1
            return None

        def word(index: int) -> str:
            return text[offsets[index]:word_end_char(text, offsets, index + 1)]

        leading = [0] if text[0].isspace() else []     # leading whitespace is a sentence of its own
        first = word_from(0)
        if first is None:
            return leading
        starting = {first}
        for match in _BOUNDARY_CHARACTERS.finditer(text):
            position = match.start()
            index = bisect_right(offsets, position) - 1
            if text[position] == "\n":
                if text[offsets[index]].isspace() and (following := word_from(index + 1)) is not None:
                    starting.add(following)
                continue
            end = word_end_char(text, offsets, index + 1)
            if end - offsets[index] == 1:        # the closer is a token of its own
                following = word_from(index + 1)
                if following is None:
                    continue
                before = index - 1
                while before >= 0 and text[offsets[before]].isspace():
                    before -= 1
                if before < 0 or word(before).lower() not in ABBREVIATIONS:
                    starting.add(following)
            elif end == position + 1 and end - offsets[index] > 2 and text[position - 1].isalpha() \
                    and text[position] == ".":     # a name's full stop: "Ltd."
                following = word_from(index + 1)
                if following is not None and self._is_title_stop(word(following)):
                    starting.add(following)
        return leading + sorted(starting)

    def _is_title_stop(self, word: str) -> bool:
        found = self._title_stop.get(word)
        if found is None:
            found = self._title_stop[word] = word.istitle() and self.vocab[word].is_stop
        return found


@Language.factory("compintel_sentences")
def _make_sentences(nlp: Language, name: str) -> SentenceSplitter:
    return SentenceSplitter(nlp)


CHUNK_CHARS = 100_000
"""Longer texts are tagged in pieces of at most this many characters (spaCy refuses a text over
``nlp.max_length``, 1,000,000, and its memory grows with the length)."""


def split_long_text(text: str, limit: int = CHUNK_CHARS) -> list[tuple[int, str]]:
    """``text`` as (offset, piece) pairs of at most ``limit`` characters, cut at a paragraph
    break, else a line break, else after a sentence's full stop, else at a space (a text with no
    space at all is cut anywhere). One piece, offset 0, for a text within the limit."""
    if len(text) <= limit:
        return [(0, text)]
    pieces, start = [], 0
    while len(text) - start > limit:
        window_end = start + limit
        cut = -1
        for mark in ("\n\n", "\n", ". ", " "):
            found = text.rfind(mark, start + limit // 2, window_end)
            if found >= 0:
                cut = found + len(mark)
                break
        if cut <= start:
            cut = window_end
        pieces.append((start, text[start:cut]))
        start = cut
    pieces.append((start, text[start:]))
    return pieces
