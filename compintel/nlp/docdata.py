"""What the pipeline's components leave on a ``Doc`` for each other, and how to read it.

Components pass plain Python data in ``doc.user_data`` under the keys below: cheaper than
spaCy's ``doc._`` extensions in the hot loop. The public extensions ``doc._.context`` (set up
here), ``doc._.figures`` (in figures.py) and ``doc._.signals`` (in signals.py) read and write
the same entries.

Besides the text and the context (a dict), the entries are tuples of numbers, strings and
plain tuples. Python's garbage collector stops tracking such a tuple the first time a
collection looks at it; objects of a class (a dataclass, a named tuple) and lists it tracks
for as long as they live. A batch of documents holds tens of thousands of entities, figures
and signals: as objects, each would be traversed by every collection, and their number
decides how often the costly full collections run (with spaCy loaded, one takes about 50 ms).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from spacy.attrs import IDX
from spacy.tokens import Doc

# doc.user_data keys
DOC_TEXT = "compintel_text"                      # the document's text
CONTEXT = "compintel_context"                    # its context (customer, plant, competitor, date…)
TOKEN_STARTS = "compintel_token_starts"          # character offset of each token
SENTENCE_STARTS = "compintel_sentence_starts"   # token index of each sentence start
ENTITIES = "compintel_entities"                  # the entities: (start, end, label, kb_id,
#   start_char, end_char), token and character offsets, label and catalog id ("" for an
#   unknown organisation)
FIGURES = "compintel_figures"                    # the figures read from the text, as plain tuples
#   in figures.Figure's field order (``doc._.figures`` gives Figure objects)
CLASS_MATCHES = "compintel_class_matches"        # (key, start, end) of the lexicon's cue-class
#   phrases, found on lemmas by the entity component's pass (the signal component reads them)
SIGNALS = "compintel_signals"                    # the signals found, as plain tuples in
#   signals.Signal's field order (``doc._.signals`` gives Signal objects)
DATA_ONLY = "compintel_data_only"                # set (True) on a doc whose annotations are read
#   from doc.user_data alone (Tagger.tag_many's): the components leave what they would also
#   write to its tokens (sentence starts, doc.ents) unwritten


def doc_text(doc: Doc) -> str:
    """The document's text (``Doc.text`` joins every token: do it once per document)."""
    text = doc.user_data.get(DOC_TEXT)
    if text is None:
        text = doc.user_data[DOC_TEXT] = doc.text
    return text


def token_starts(doc: Doc) -> tuple[int, ...]:
    """Character offset of each token, read once per document (``doc[i].idx`` builds a Token)."""
    starts = doc.user_data.get(TOKEN_STARTS)
    if starts is None:
        starts = doc.user_data[TOKEN_STARTS] = tuple(doc.to_array(IDX).tolist()) if len(doc) else ()
    return starts


def end_char(doc: Doc, token_starts: Sequence[int], end: int) -> int:
    """Character offset just after token ``end - 1`` (a span's ``end_char``)."""
    return token_starts[end - 1] + len(doc[end - 1])


def word_end_char(text: str, token_starts: Sequence[int], end: int) -> int:
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


def user_data_extension(name: str, key: str, record: type | None = None,
                        fields: Callable[[Any], tuple] | None = None) -> None:
    """``doc._.<name>`` reads and writes ``doc.user_data[key]``.

    With ``record`` and ``fields``, the entry is a tuple of plain tuples, and the extension
    reads it as a list of new ``record`` objects (``record(*entry)``): changing one changes
    nothing stored; assign a list of ``record`` objects back to change the entry
    (``fields(object)`` gives each one's tuple).
    """
    if (record is None) != (fields is None):
        raise ValueError("user_data_extension needs both record and fields, or neither")

    def get(doc: Doc) -> Any:
        value = doc.user_data.get(key)
        return value if record is None or value is None else [record(*entry) for entry in value]

    def set_(doc: Doc, value: Any) -> None:
        if fields is not None and value is not None:
            value = tuple([fields(item) for item in value])
        doc.user_data[key] = value

    Doc.set_extension(name, getter=get, setter=set_, force=True)


user_data_extension("context", CONTEXT)
