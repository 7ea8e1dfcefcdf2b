"""Lemmas on lexemes, for matching inflected words ("bagged orders" → "bag order").

spaCy's blank English pipeline has no lemmatiser. A lookup lemmatiser as a pipeline component
costs about half the tokenizer's speed; a lexeme is made once per distinct word, so storing
each word's lemma as its ``NORM`` costs almost nothing, and ``PhraseMatcher(attr="NORM")``
then matches on lemmas. The table is English's lookup table from ``spacy-lookups-data``.

Only the matchers that ask for ``NORM`` see the lemmas: names and the lexicon's exact cues
still match on ``LOWER`` and ``ORTH``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from spacy.attrs import NORM
from spacy.language import Language

from ..errors import UserError
from .lexicon import CLASS_KEY_PREFIX, Lexicon, class_phrase_keys


@lru_cache(maxsize=1)
def lemma_table() -> dict[str, str]:
    """English's lookup lemma table (word → lemma), loaded once per process.

    Read from spacy-lookups-data's file as a plain dict: spaCy's own ``Lookups`` table hashes
    every key it is asked for, which a lexeme getter would pay on each new word."""
    import srsly

    try:
        import spacy_lookups_data

        path = Path(str(spacy_lookups_data.en["lemma_lookup"]))
        gzipped = path.with_name(path.name + ".gz")
        table = srsly.read_gzip_json(gzipped) if gzipped.exists() else srsly.read_json(path)
    except (ImportError, KeyError, OSError, ValueError) as exc:    # the data package is missing
        raise UserError(f"no English lemma table: {exc}",
                        hint="install spacy-lookups-data (make install does)") from None
    lemmas = {word.lower(): lemma.lower() for word, lemma in table.items() if isinstance(lemma, str)}
    lemmas.update(lemma_fixes())
    return lemmas


def lemma_fixes() -> dict[str, str]:
    """The table's errors, corrected (compintel/data/lemmas.toml): "developed" → "develop"."""
    import tomllib
    from importlib import resources

    raw = resources.files("compintel").joinpath("data", "lemmas.toml").read_text(encoding="utf-8")
    return {word.lower(): lemma.lower() for word, lemma in tomllib.loads(raw).get("fixes", {}).items()}


@lru_cache(maxsize=1)
def english_words() -> frozenset[str]:
    """Base forms of English words (the lemma table's lemmas): "quality", "conference", "tab"."""
    return frozenset(lemma_table().values())


def lemma_norm(table: dict[str, str]) -> Callable[[str], str]:
    """A lexeme ``NORM`` getter: the lower-case word's lemma, else the lower-case word."""
    def norm(word: str) -> str:
        lower = word.lower()
        if not lower.isalpha():
            return lower        # numbers, codes, "co-develop": no lemma (and not worth a look-up)
        return table.get(lower, lower)

    return norm


def set_lemma_norms(nlp: Language) -> None:
    """Make every lexeme's ``NORM`` its lemma, those made from now on and those made already."""
    norm = lemma_norm(lemma_table())
    nlp.vocab.lex_attr_getters[NORM] = norm
    for lexeme in list(nlp.vocab):
        lexeme.norm_ = norm(lexeme.orth_)


def lemma_phrase(nlp: Language, phrase: str) -> str:
    """A phrase as the NORM matcher sees it ("laminated door glasses" → "laminate door glass")."""
    return " ".join(token.norm_ for token in nlp.make_doc(phrase))


def class_phrase_groups(nlp: Language, lexicon: Lexicon) -> dict[str, list[str]]:
    """The matcher keys of the cue classes' phrases (lexicon.class_phrase_keys), grouped by the
    lemmas the NORM matcher sees ("supplier", "suppliers"): {each group's first key: its keys}.

    Every key of a group matches exactly where the first one does, so the matcher needs only the
    first, and a match of it stands for the whole group."""
    groups: dict[tuple[int, ...], list[str]] = {}
    for key in class_phrase_keys(lexicon):
        lemmas = tuple(token.norm for token in nlp.make_doc(key[len(CLASS_KEY_PREFIX):]))
        groups.setdefault(lemmas, []).append(key)
    return {keys[0]: keys for keys in groups.values()}
