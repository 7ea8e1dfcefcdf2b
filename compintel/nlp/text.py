"""Tokenizer rules and sentence boundaries for trade-press and field-note text."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import compile_infix_regex, compile_prefix_regex, compile_suffix_regex

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
_CLOSERS = frozenset({".", "!", "?", "…"})


def customise_tokenizer(nlp: Language) -> None:
    """Split figures glued to units and codes glued to numbers, as notes write them."""
    tokenizer = nlp.tokenizer
    tokenizer.suffix_search = compile_suffix_regex([*nlp.Defaults.suffixes, _UNIT_SUFFIX]).search
    tokenizer.infix_finditer = compile_infix_regex([*nlp.Defaults.infixes, _LETTER_DIGIT_HYPHEN]).finditer
    tokenizer.prefix_search = compile_prefix_regex([*_PREFIXES, *nlp.Defaults.prefixes]).search


@Language.component("compintel_sentences")
def set_sentence_starts(doc: Doc) -> Doc:
    """Sentences end at . ! ? (not after an abbreviation) and at every line break."""
    pending = True           # the next non-space token starts a sentence
    previous = None          # the last non-space token
    before_previous = None
    for token in doc:
        if token.is_space:
            # whitespace never starts a sentence; a line break ends one
            token.is_sent_start = previous is None and token.i == 0
            if "\n" in token.text:
                pending = True
            continue
        if previous is not None and not pending:
            if previous.text in _CLOSERS:
                pending = before_previous is None or before_previous.lower_ not in ABBREVIATIONS
            elif (len(previous.text) > 2 and previous.text[-1] == "." and previous.text[-2].isalpha()
                  and token.is_title and token.is_stop):
                # "… Pvt Ltd. The company said": a name's full stop that also ends the sentence
                pending = True
        token.is_sent_start = pending or token.i == 0
        pending = False
        before_previous = previous
        previous = token
    return doc
