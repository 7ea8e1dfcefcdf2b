"""Components run over a batch of documents at a time inside ``nlp.pipe``."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from spacy.tokens import Doc
from spacy.util import minibatch


class BatchedComponent:
    """``pipe`` runs the component over ``batch_size`` documents before handing them on.

    One component finishing a batch before the next one starts keeps each component's code
    and data warm in the processor's caches; document by document, the pipeline measured
    15 % slower (benchmarks/bench_tagger.py).
    """

    def __call__(self, doc: Doc) -> Doc:   # pragma: no cover - every component defines it
        raise NotImplementedError

    def pipe(self, docs: Iterable[Doc], batch_size: int = 128) -> Iterator[Doc]:
        for batch in minibatch(docs, batch_size):
            yield from [self(doc) for doc in batch]
