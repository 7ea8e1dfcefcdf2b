"""Tokenizer rules and sentence boundaries for trade-press and field-note text."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from spacy.attrs import IDX, IS_PUNCT, IS_SPACE, IS_STOP, IS_TITLE, LENGTH, LOWER, ORTH, SENT_START
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import compile_infix_regex, compile_prefix_regex, compile_suffix_regex

from .batching import BatchedComponent

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
SENTENCE_STARTS = "compintel_sentence_starts"   # doc.user_data key: token indices of sentence starts
TOKENS = "compintel_tokens"                      # doc.user_data key: TokenColumns
_COLUMNS = [LOWER, IS_PUNCT, IDX, LENGTH, ORTH, IS_SPACE, IS_TITLE, IS_STOP]


class TokenColumns(NamedTuple):
    """Token attributes as plain lists, read once per document for every component."""

    lower: list[int]        # LOWER hashes
    punct: list[int]
    idx: list[int]          # character offsets
    length: list[int]

    def end_char(self, end_token: int) -> int:
        """Character offset just after token ``end_token - 1`` (a span's end_char)."""
        return self.idx[end_token - 1] + self.length[end_token - 1]


def _read_columns(doc: Doc) -> list[list[int]]:
    if len(doc) == 0:
        return [[] for _ in _COLUMNS]
    return doc.to_array(_COLUMNS).T.tolist()


def token_columns(doc: Doc) -> TokenColumns:
    """The document's :class:`TokenColumns` (set by the sentence splitter, else read now)."""
    columns = doc.user_data.get(TOKENS)
    if columns is None:
        columns = doc.user_data[TOKENS] = TokenColumns(*_read_columns(doc)[:4])
    return columns


def customise_tokenizer(nlp: Language) -> None:
    """Split figures glued to units and codes glued to numbers, as notes write them."""
    tokenizer = nlp.tokenizer
    tokenizer.suffix_search = compile_suffix_regex([*nlp.Defaults.suffixes, _UNIT_SUFFIX]).search
    tokenizer.infix_finditer = compile_infix_regex([*nlp.Defaults.infixes, _LETTER_DIGIT_HYPHEN]).finditer
    tokenizer.prefix_search = compile_prefix_regex([*_PREFIXES, *nlp.Defaults.prefixes]).search


class SentenceSplitter(BatchedComponent):
    """Sentences end at . ! ? (not after an abbreviation) and at every line break.

    Reads the doc's attribute arrays as plain ints instead of creating Token objects: it runs
    on every document, and the Token loop was the pipeline's largest single cost.
    """

    def __init__(self, nlp: Language) -> None:
        strings = nlp.vocab.strings
        self.strings = strings
        self.closers = frozenset(strings.add(text) for text in _CLOSERS)
        self.abbreviations = frozenset(strings.add(text) for text in ABBREVIATIONS)
        self._newline: dict[int, bool] = {}    # space token hash → holds a line break
        self._dotted: dict[int, bool] = {}     # token hash → ends in a name's full stop ("Ltd.")

    def _is_newline(self, orth: int) -> bool:
        found = self._newline.get(orth)
        if found is None:
            found = self._newline[orth] = "\n" in self.strings[orth]
        return found

    def _is_dotted(self, orth: int) -> bool:
        found = self._dotted.get(orth)
        if found is None:
            text = self.strings[orth]
            found = self._dotted[orth] = len(text) > 2 and text[-1] == "." and text[-2].isalpha()
        return found

    def __call__(self, doc: Doc) -> Doc:
        columns = _read_columns(doc)
        doc.user_data[TOKENS] = TokenColumns(*columns[:4])
        if len(doc) == 0:
            doc.user_data[SENTENCE_STARTS] = []
            return doc
        lowers, _, _, _, orths, spaces, titles, stops = columns
        closers, abbreviations = self.closers, self.abbreviations
        flags = [-1] * len(doc)
        starts = []
        pending = True            # the next word starts a sentence
        previous = None           # the last word's row
        before_previous = None
        for i, (orth, lower, space, title, stop) in enumerate(zip(orths, lowers, spaces, titles, stops, strict=True)):
            if space:
                if i == 0:
                    flags[0] = 1      # leading whitespace is a sentence of its own
                    starts.append(0)
                if self._is_newline(orth):
                    pending = True
                continue
            if previous is not None and not pending:
                if previous[0] in closers:
                    pending = before_previous is None or before_previous[1] not in abbreviations
                elif title and stop and self._is_dotted(previous[0]):
                    pending = True    # "… Pvt Ltd. The company said": the name's stop ends it
            if pending and not (i == 0 and starts):
                flags[i] = 1
                starts.append(i)
            pending = False
            before_previous, previous = previous, (orth, lower)
        doc.from_array([SENT_START], np.array(flags, dtype=np.int64).astype(np.uint64))
        doc.user_data[SENTENCE_STARTS] = starts
        return doc


@Language.factory("compintel_sentences")
def _make_sentences(nlp: Language, name: str) -> SentenceSplitter:
    return SentenceSplitter(nlp)
