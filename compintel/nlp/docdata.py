"""What the pipeline's components leave on a ``Doc`` for each other, and how to read it.

Components pass plain Python data in ``doc.user_data`` under the keys below: cheaper than
spaCy's ``doc._`` extensions in the hot loop. The public extensions ``doc._.context``,
``doc._.figures`` and ``doc._.signals`` read and write the same entries.
"""

from __future__ import annotations

from typing import Any

from spacy.attrs import IDX
from spacy.tokens import Doc

# doc.user_data keys
DOC_TEXT = "compintel_text"                      # the document's text
CONTEXT = "compintel_context"                    # its context (customer, plant, competitor, date…)
TOKEN_STARTS = "compintel_token_starts"          # character offset of each token
SENTENCE_STARTS = "compintel_sentence_starts"   # token index of each sentence start
ENTITIES = "compintel_entities"                  # the entities, as a list of plain tuples:
#   (start, end, label, kb_id, start_char, end_char): token and character offsets, the label,
#   the catalog id ("" for an unknown organisation). Plain tuples of strings and numbers are
#   not tracked by Python's garbage collector; a named tuple class is, and a batch of documents
#   holds thousands of entities, each one adding to the cost of every full collection.
FIGURES = "compintel_figures"                    # the figures read from the text
SIGNALS = "compintel_signals"                    # the signals found


def doc_text(doc: Doc) -> str:
    """The document's text (``Doc.text`` joins every token: do it once per document)."""
    text = doc.user_data.get(DOC_TEXT)
    if text is None:
        text = doc.user_data[DOC_TEXT] = doc.text
    return text


def token_starts(doc: Doc) -> list[int]:
    """Character offset of each token, read once per document (``doc[i].idx`` builds a Token)."""
    starts = doc.user_data.get(TOKEN_STARTS)
    if starts is None:
        starts = doc.user_data[TOKEN_STARTS] = doc.to_array(IDX).tolist() if len(doc) else []
    return starts


def end_char(doc: Doc, token_starts: list[int], end: int) -> int:
    """Character offset just after token ``end - 1`` (a span's ``end_char``)."""
    return token_starts[end - 1] + len(doc[end - 1])


def word_end_char(text: str, token_starts: list[int], end: int) -> int:
    """:func:`end_char` for a token that is not whitespace, without building a Token.

    Such a token never contains a space, so the single space spaCy may keep after it is the
    only thing between it and the next token (or the end of the text).
    """
    following = token_starts[end] if end < len(token_starts) else len(text)
    return following - 1 if text[following - 1] == " " else following


class StringCache(dict):
    """A StringStore lookup, remembered: text → hash (adding the text to the store) or
    hash → text. The store itself answers either, but more slowly than a dict."""

    def __init__(self, strings: Any) -> None:
        super().__init__()
        self.strings = strings

    def __missing__(self, key: str | int) -> int | str:
        value = self[key] = self.strings.add(key) if isinstance(key, str) else self.strings[key]
        return value


def _user_data_extension(name: str, key: str) -> None:
    def get(doc: Doc) -> Any:
        return doc.user_data.get(key)

    def set_(doc: Doc, value: Any) -> None:
        doc.user_data[key] = value

    Doc.set_extension(name, getter=get, setter=set_, force=True)


for _name, _key in (("context", CONTEXT), ("figures", FIGURES), ("signals", SIGNALS)):
    _user_data_extension(_name, _key)
