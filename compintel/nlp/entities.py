"""Entity recognition from the catalog, plus organisations the catalog does not know.

Names match case-insensitively, abbreviations case-sensitively ("AIS" but not "ais"); the
longest match wins. A surface form shared by several entries (a town with two companies'
plants) is resolved by the companies mentioned in the same sentence, then in the document or
its context, then in favour of a customer's plant.
"""

from __future__ import annotations

from collections import defaultdict
from typing import NamedTuple

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from ..catalog import Catalog, Entry
from .lexicon import Lexicon

# Suffixes too common in headlines and product names to mark an organisation on their own
# when the sentence is written in Title Case.
_STRONG_SUFFIXES = frozenset({"Ltd", "Ltd.", "Limited", "Pvt", "Pvt.", "Private", "LLP", "Inc", "Inc.",
                              "Corp", "Corp.", "Corporation", "Co", "Co.", "Company"})


def _variants(text: str) -> set[str]:
    """A name and its hyphen/space spellings ("Saint-Gobain" / "Saint Gobain")."""
    variants = {text}
    if "-" in text:
        variants.add(text.replace("-", " "))
    return variants


ENTITIES = "compintel_entities"   # doc.user_data key: the entities as a list of Ent


class Ent(NamedTuple):
    """An entity as later components read it (cheaper than spaCy's Span for hot loops)."""

    start: int          # token offsets
    end: int
    label_: str
    kb_id_: str         # catalog id, "" for an unknown organisation
    start_char: int
    end_char: int


class CatalogEntities:
    """Sets ``doc.ents`` from the catalog (``span.kb_id_`` is the catalog id) and unknown ORGs."""

    def __init__(self, nlp: Language, catalog: Catalog, lexicon: Lexicon) -> None:
        self.catalog = catalog
        self.lexicon = lexicon
        self.insensitive = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.sensitive = PhraseMatcher(nlp.vocab, attr="ORTH")
        forms: dict[tuple[bool, str], list[Entry]] = defaultdict(list)
        for text, case_sensitive, entry in catalog.surface_forms():
            for variant in _variants(text):
                key = (case_sensitive, variant if case_sensitive else variant.lower())
                if entry not in forms[key]:
                    forms[key].append(entry)
        self.candidates: dict[int, list[Entry]] = {}
        by_matcher: dict[bool, dict[str, list[str]]] = {True: defaultdict(list), False: defaultdict(list)}
        for (case_sensitive, text), entries in forms.items():
            key = ("cs:" if case_sensitive else "ci:") + text
            by_matcher[case_sensitive][key].append(text)
            self.candidates[nlp.vocab.strings.add(key)] = entries
        for case_sensitive, keys in by_matcher.items():
            matcher = self.sensitive if case_sensitive else self.insensitive
            for key, texts in keys.items():
                matcher.add(key, list(nlp.tokenizer.pipe(texts)))
        self.org_words = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.org_words.add("SUFFIX", list(nlp.tokenizer.pipe(sorted(lexicon.org_suffixes))))
        self.org_words.add("HEAD", list(nlp.tokenizer.pipe(sorted(lexicon.org_heads))))
        self.suffix_key = nlp.vocab.strings["SUFFIX"]

    # -- catalog entities ------------------------------------------------------------
    def __call__(self, doc: Doc) -> Doc:
        matches = [*self.insensitive(doc), *self.sensitive(doc)]
        spans = filter_spans([Span(doc, start, end, label=key) for key, start, end in matches])
        context = getattr(doc._, "context", None) or {}
        entities = self._resolve(doc, spans, context)
        entities.extend(self._unknown_organisations(doc, entities))
        entities.sort(key=lambda span: span.start)
        doc.ents = entities
        doc.user_data[ENTITIES] = [Ent(span.start, span.end, span.label_, span.kb_id_, span.start_char,
                                       span.end_char) for span in entities]
        return doc

    def _resolve(self, doc: Doc, spans: list[Span], context: dict) -> list[Span]:
        resolved: list[Span] = []
        ambiguous: list[tuple[Span, list[Entry]]] = []
        for span in spans:
            entries = self.candidates[span.label]
            if len(entries) == 1:
                entry = entries[0]
                resolved.append(Span(doc, span.start, span.end, label=entry.label, kb_id=entry.id))
            else:
                ambiguous.append((span, entries))
        if not ambiguous:
            return resolved
        mentioned_doc = {self.catalog.owner(span.kb_id_) for span in resolved}
        mentioned_doc.update(context.get(key) for key in ("customer", "competitor", "company"))
        for span, entries in ambiguous:
            sentence = {self.catalog.owner(other.kb_id_) for other in resolved
                        if other.sent == span.sent}
            entry = (next((e for e in entries if self.catalog.owner(e.id) in sentence), None)
                     or next((e for e in entries if self.catalog.owner(e.id) in mentioned_doc), None)
                     or next((e for e in entries if e.kind == "plant"
                              and self.catalog[e.company].role == "customer"), None)
                     or entries[0])
            resolved.append(Span(doc, span.start, span.end, label=entry.label, kb_id=entry.id))
        return resolved

    # -- organisations the catalog does not know -------------------------------------
    def _unknown_organisations(self, doc: Doc, known: list[Span]) -> list[Span]:
        taken = bytearray(len(doc))
        for span in known:
            taken[span.start:span.end] = b"\x01" * len(span)
        found = []
        for key, start, end in self.org_words(doc):
            if taken[start]:
                continue
            if key == self.suffix_key:
                span = self._name_before(doc, start, end, taken)
            else:
                span = self._name_after_head(doc, start, taken)
            if span is not None:
                found.append(span)
        spans = filter_spans(found)
        return [Span(doc, span.start, span.end, label="ORG") for span in spans]

    def _is_name_token(self, token) -> bool:
        text = token.text
        return (token.is_alpha or text == "&" or text.endswith(".")) and (text[0].isupper() or text == "&")

    def _name_before(self, doc: Doc, start: int, end: int, taken: bytearray) -> Span | None:
        # extend over following suffixes: "Polymers Pvt. Ltd."
        while end < len(doc) and not taken[end] and (doc[end].text in self.lexicon.org_suffixes):
            end += 1
        sentence_start = doc[start].sent.start
        first = start
        while first - 1 >= sentence_start and not taken[first - 1] \
                and self._is_name_token(doc[first - 1]) and not doc[first - 1].is_space:
            first -= 1
        while first < start and (doc[first].text in self.lexicon.not_names or doc[first].text == "&"
                                 or (doc[first].is_stop and doc[first].is_title)):
            first += 1
        if first == start:
            return None  # a suffix word alone ("Group", "Glass") is not a name
        suffix = doc[start].text
        if suffix not in _STRONG_SUFFIXES and self._title_case_sentence(doc[start].sent):
            return None
        return Span(doc, first, end)

    def _name_after_head(self, doc: Doc, start: int, taken: bytearray) -> Span | None:
        # "Association of Indian Glass Makers"
        end = start + 1
        if end >= len(doc) or doc[end].lower_ != "of":
            return None
        end += 1
        sentence_end = doc[start].sent.end
        last = end
        while last < sentence_end and not taken[last] and (
                self._is_name_token(doc[last]) or (doc[last].lower_ in {"of", "and"}
                                                   and last + 1 < sentence_end
                                                   and self._is_name_token(doc[last + 1]))):
            last += 1
        if last == end:
            return None
        first = start
        while first - 1 >= doc[start].sent.start and self._is_name_token(doc[first - 1]) \
                and doc[first - 1].text not in self.lexicon.not_names and not taken[first - 1]:
            first -= 1
        return Span(doc, first, last)

    @staticmethod
    def _title_case_sentence(sentence: Span) -> bool:
        words = [token for token in sentence if token.is_alpha and len(token) > 3]
        if len(words) < 4:
            return False
        return sum(1 for token in words if token.is_title) / len(words) > 0.6
