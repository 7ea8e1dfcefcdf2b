"""Build the tagging pipeline on ``spacy.blank("en")`` from the catalog and the lexicon.

Components, in order: ``compintel_sentences`` (sentence boundaries), ``compintel_entities``
(catalog names, unknown organisations), ``compintel_figures`` (figures with units),
``compintel_signals`` (cues → attributed signals). No statistical model is needed.
"""

from __future__ import annotations

import hashlib
import itertools
import threading
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from functools import partial
from typing import Any, NamedTuple

from spacy.language import Language
from spacy.tokens import Doc

from .. import __version__
from ..catalog import Catalog
from .docdata import CONTEXT, DATA_ONLY, DOC_TEXT, ENTITIES, SIGNALS
from .entities import CatalogEntities
from .figures import FigureReader  # noqa: F401 - registers the compintel_figures factory
from .lemmas import class_phrase_groups, set_lemma_norms
from .lexicon import Lexicon, load_lexicon
from .recall import RecallModel, load_model
from .signals import Signal, SignalTagger, one_per_document
from .text import blank_english, split_long_text

# Bump when the code changes what the pipeline outputs, so stored tags are refreshed.
PIPELINE_CODE_VERSION = "21"

_HANDLES: dict[int, tuple[Catalog, Lexicon, RecallModel | None, dict[str, list[str]]]] = {}
_next_handle = itertools.count(1)
_lock = threading.Lock()


@Language.factory("compintel_entities", default_config={"handle": 0})
def _make_entities(nlp: Language, name: str, handle: int) -> CatalogEntities:
    catalog, lexicon, _recall, class_groups = _HANDLES[handle]
    return CatalogEntities(nlp, catalog, lexicon, class_groups)


@Language.factory("compintel_signals", default_config={"handle": 0})
def _make_signals(nlp: Language, name: str, handle: int) -> SignalTagger:
    catalog, lexicon, recall, class_groups = _HANDLES[handle]
    return SignalTagger(nlp, catalog, lexicon, recall, class_groups)


def build_pipeline(catalog: Catalog, lexicon: Lexicon | None = None,
                   recall: RecallModel | None | bool = True) -> Language:
    """A spaCy ``Language`` that tags entities, figures and signals for ``catalog``.

    ``recall``: the recall layer's model (recall.py); True for the package's trained model if
    there is one, False or None for the rules alone."""
    lexicon = lexicon or load_lexicon()
    if recall is True:
        recall = load_model()
    recall = recall or None
    nlp = blank_english()
    set_lemma_norms(nlp)
    # both components need the cue classes' phrases grouped by lemmas: worked out once
    with _lock:
        handle = next(_next_handle)
        _HANDLES[handle] = (catalog, lexicon, recall, class_phrase_groups(nlp, lexicon))
    nlp.add_pipe("compintel_sentences")
    nlp.add_pipe("compintel_entities", config={"handle": handle})
    nlp.add_pipe("compintel_figures")
    nlp.add_pipe("compintel_signals", config={"handle": handle})
    with _lock:
        del _HANDLES[handle]      # the components hold what they need now
    nlp.meta["compintel_version"] = pipeline_version(catalog, lexicon, recall)
    return nlp


def pipeline_version(catalog: Catalog, lexicon: Lexicon, recall: RecallModel | None = None) -> str:
    """Changes whenever the code, the lexicon, the catalog or the recall model would change the output."""
    model = recall.fingerprint if recall is not None else "rules"
    digest = hashlib.sha256(
        f"{__version__}|{PIPELINE_CODE_VERSION}|{lexicon.fingerprint}|{catalog.fingerprint()}|{model}".encode())
    return digest.hexdigest()[:16]


class Mention(NamedTuple):
    """An entity found in the text (a tuple: one is made for every name in every document)."""

    text: str
    start: int
    end: int
    label: str
    entity_id: str | None


@dataclass(frozen=True)
class TagResult:
    mentions: list[Mention]
    signals: list[Signal]


def _shifted(result: TagResult, offset: int) -> TagResult:
    """A piece's result with its offsets counted from the start of the whole text."""
    return TagResult([m._replace(start=m.start + offset, end=m.end + offset) for m in result.mentions],
                     [replace(s, start=s.start + offset, end=s.end + offset) for s in result.signals])


def _joined(parts: list[TagResult]) -> TagResult:
    """The pieces of one text as one result: one signal per type, company, customer and figure
    unit across the whole document, as for a text tagged whole."""
    return TagResult([m for part in parts for m in part.mentions],
                     one_per_document([s for part in parts for s in part.signals]))


class Tagger:
    """Tags texts with optional context (customer, plant, competitor, grade, date)."""

    def __init__(self, catalog: Catalog, lexicon: Lexicon | None = None,
                 recall: RecallModel | None | bool = True) -> None:
        self.catalog = catalog
        self.lexicon = lexicon or load_lexicon()
        self.nlp = build_pipeline(catalog, self.lexicon, recall)
        self.version = self.nlp.meta["compintel_version"]

    def _doc(self, text: str, context: dict[str, Any] | None) -> Doc:
        doc = self.nlp.make_doc(text)
        doc.user_data[CONTEXT] = dict(context or {})
        doc.user_data[DOC_TEXT] = text
        doc.user_data[DATA_ONLY] = True      # result reads doc.user_data only (no doc.ents)
        return doc

    def tag(self, text: str, context: dict[str, Any] | None = None) -> TagResult:
        return next(self.tag_many([(text, context)]))

    def tag_many(self, items: Iterable[tuple[str, dict[str, Any] | None]],
                 batch_size: int = 64) -> Iterator[TagResult]:
        """Tag (text, context) pairs in order, streaming with ``nlp.pipe``. A long text is tagged
        in pieces cut at paragraph or sentence breaks (:func:`split_long_text`), its offsets kept."""
        layout: deque[tuple[int, int]] = deque()     # (offset, pieces left of its text)

        def docs() -> Iterator[Doc]:
            for text, context in items:
                pieces = split_long_text(text)
                for number, (offset, piece) in enumerate(pieces):
                    layout.append((offset, len(pieces) - number))
                    yield self._doc(piece, context)

        parts: list[TagResult] = []
        for doc in self.nlp.pipe(docs(), batch_size=batch_size):
            offset, left = layout.popleft()
            parts.append(_shifted(self.result(doc), offset) if offset else self.result(doc))
            if left == 1:
                yield parts[0] if len(parts) == 1 else _joined(parts)
                parts = []

    @staticmethod
    def result(doc: Doc) -> TagResult:
        text = doc.user_data.get(DOC_TEXT) or doc.text
        ents = doc.user_data.get(ENTITIES)
        if ents is None:
            mentions = [Mention(ent.text, ent.start_char, ent.end_char, ent.label_, ent.kb_id_ or None)
                        for ent in doc.ents]
        else:
            # Mention((…)) made in C, without the named tuple's Python-level __new__
            new = partial(tuple.__new__, Mention)
            mentions = [new((text[start_char:end_char], start_char, end_char, label, kb_id or None))
                        for _start, _end, label, kb_id, start_char, end_char in ents]
        return TagResult(mentions, [Signal(*fields) for fields in doc.user_data.get(SIGNALS) or ()])
