"""Tokenizer rules and sentence boundaries for trade-press and field-note text."""

from __future__ import annotations

import re
from bisect import bisect_right

import numpy as np
from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import compile_infix_regex, compile_prefix_regex, compile_suffix_regex

from .batching import BatchedComponent
from .docdata import SENTENCE_STARTS, doc_text, token_starts

# "380ppm" → "380" "ppm"; "OTIF-86%" → "OTIF" "-" "86" "%"; "~6%" → "~" "6" "%"
_UNIT_SUFFIX = r"(?<=[0-9])(?:ppm|PPM|Ppm|tpd|TPD|cr|Cr|crs|hrs|Hrs|mins|lakh|lakhs|lac|mn|pc|pcs|nos|days)"
_LETTER_DIGIT_HYPHEN = r"(?<=[A-Za-z])-(?=[0-9])"
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


def customise_tokenizer(nlp: Language) -> None:
    """Split figures glued to units and codes glued to numbers, as notes write them."""
    tokenizer = nlp.tokenizer
    tokenizer.suffix_search = compile_suffix_regex([*nlp.Defaults.suffixes, _UNIT_SUFFIX]).search
    tokenizer.infix_finditer = compile_infix_regex([*nlp.Defaults.infixes, _LETTER_DIGIT_HYPHEN]).finditer
    tokenizer.prefix_search = compile_prefix_regex([*_PREFIXES, *nlp.Defaults.prefixes]).search


class SentenceSplitter(BatchedComponent):
    """Sentences end at . ! ? (not after an abbreviation) and at every line break.

    It runs on every document, so it looks only at the characters that can end a sentence.
    """

    def __init__(self, nlp: Language) -> None:
        strings = nlp.vocab.strings
        self.strings = strings
        self.closers = frozenset(strings.add(text) for text in _CLOSERS)
        self.abbreviations = frozenset(strings.add(text) for text in ABBREVIATIONS)
        self._dotted: dict[int, bool] = {}     # token hash → ends in a name's full stop ("Ltd.")

    def _is_dotted(self, orth: int) -> bool:
        found = self._dotted.get(orth)
        if found is None:
            text = self.strings[orth]
            found = self._dotted[orth] = len(text) > 2 and text[-1] == "." and text[-2].isalpha()
        return found

    def __call__(self, doc: Doc) -> Doc:
        starts = self._starts(doc) if len(doc) else []
        if starts:
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
        regular expression and mapped to their tokens; most tokens are never touched.
        """
        text = doc_text(doc)
        offsets = token_starts(doc)
        leading = [0] if doc[0].is_space else []      # leading whitespace is a sentence of its own
        first = self._word_from(doc, 0)
        if first is None:
            return leading
        starting = {first}
        for match in _BOUNDARY_CHARACTERS.finditer(text):
            position = match.start()
            index = bisect_right(offsets, position) - 1
            token = doc[index]
            if text[position] == "\n":
                if token.is_space and (following := self._word_from(doc, index + 1)) is not None:
                    starting.add(following)
                continue
            if len(token) == 1:
                if token.orth not in self.closers:
                    continue
                following = self._word_from(doc, index + 1)
                if following is None:
                    continue
                before = self._word_before(doc, index)
                if before is None or doc[before].lower not in self.abbreviations:
                    starting.add(following)
            elif offsets[index] + len(token) == position + 1 and self._is_dotted(token.orth):
                following = self._word_from(doc, index + 1)
                if following is not None and doc[following].is_title and doc[following].is_stop:
                    starting.add(following)
        return leading + sorted(starting)

    @staticmethod
    def _word_from(doc: Doc, index: int) -> int | None:
        """The first token at or after ``index`` that is not whitespace."""
        while index < len(doc):
            if not doc[index].is_space:
                return index
            index += 1
        return None

    @staticmethod
    def _word_before(doc: Doc, index: int) -> int | None:
        """The last token before ``index`` that is not whitespace."""
        index -= 1
        while index >= 0:
            if not doc[index].is_space:
                return index
            index -= 1
        return None


@Language.factory("compintel_sentences")
def _make_sentences(nlp: Language, name: str) -> SentenceSplitter:
    return SentenceSplitter(nlp)
