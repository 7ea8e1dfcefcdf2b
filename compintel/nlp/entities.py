"""Entity recognition from the catalog, plus organisations the catalog does not know.

Names match case-insensitively, abbreviations case-sensitively ("AIS" but not "ais"), and
technologies by their words' lemmas ("laminated door glasses" is "laminated door glass"); the
longest match wins. A surface form shared by several entries (a town with two companies'
plants) is resolved by the companies mentioned in the same sentence, then in the document or
its context, then in favour of a customer's plant.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Sequence
from operator import itemgetter

import numpy as np
from spacy.attrs import ENT_IOB, ENT_KB_ID, ENT_TYPE
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Token

from ..catalog import ROLE_LABEL, Catalog, Entry
from .batching import BatchedComponent
from .docdata import (
    CLASS_MATCHES,
    CONTEXT,
    DATA_ONLY,
    ENTITIES,
    SENTENCE_STARTS,
    StringCache,
    doc_text,
    token_starts,
    word_end_char,
)
from .lemmas import class_phrase_groups, english_words, lemma_table
from .lexicon import CLASS_KEY_PREFIX, Lexicon

_ORGANISATION_LABELS = frozenset(ROLE_LABEL.values())
# Suffixes too common in headlines and product names to mark an organisation on their own
# when the sentence is written in Title Case.
_STRONG_SUFFIXES = frozenset({"Ltd", "Ltd.", "Limited", "Pvt", "Pvt.", "Private", "LLP", "Inc", "Inc.",
                              "Corp", "Corp.", "Corporation", "Co", "Co.", "Company", "AG", "SA", "S.A.",
                              "SE", "GmbH", "NV", "N.V.", "BV", "B.V.", "plc", "PLC", "LLC", "Oyj", "SpA",
                              "S.p.A.", "KK", "K.K.", "AB", "ASA", "Pte", "Sdn", "Bhd"})


def _is_name_word(text: str) -> bool:
    """A word that can be part of a name: capitalised letters, an abbreviation with a full stop
    or an ampersand ("Co.", "L&T"), or "&" itself."""
    return text == "&" or (text[:1].isupper() and (text.isalpha() or text.endswith(".")
                                                   or bool(_JOINED_CAPITALS.fullmatch(text))))


def _longest_first(matches: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """Non-overlapping (key, start, end) matches, longer ones winning, then earlier ones."""
    ordered = sorted(matches, key=itemgetter(1, 2))
    if all(ordered[i][1] >= ordered[i - 1][2] for i in range(1, len(ordered))):
        return ordered          # nothing overlaps
    # the usual overlap is a name inside a longer one ("Kestrel" in "Kestrel Safety Glass"):
    # a sweep keeps the longer; a partial overlap needs the full longest-first choice
    kept = []
    last_end = -1
    for match in sorted(matches, key=lambda m: (m[1], -m[2])):
        if match[1] >= last_end:
            kept.append(match)
            last_end = match[2]
        elif match[2] > last_end:
            break
    else:
        return kept
    taken = bytearray(max(end for _, _, end in matches))
    kept = []
    for key, start, end in sorted(matches, key=lambda m: (m[1] - m[2], m[1])):
        if taken.find(1, start, end) != -1:
            continue
        taken[start:end] = b"\x01" * (end - start)
        kept.append((key, start, end))
    kept.sort(key=itemgetter(1))
    return kept


_ABBREVIATED_LEGAL_FORMS = frozenset({"Co", "Corp", "Inc", "Ltd", "Pvt", "Mfg", "Intl", "Bhd"})


def _variants(text: str) -> set[str]:
    """A name and its hyphen/space spellings ("Saint-Gobain" / "Saint Gobain")."""
    variants = {text}
    if "-" in text:
        variants.add(text.replace("-", " "))
    if text.rsplit(" ", 1)[-1] in _ABBREVIATED_LEGAL_FORMS:
        variants |= {variant + "." for variant in variants}   # "Toyota Motor Corp." is one "Corp." token
    return variants


_ENT_ATTRS = [ENT_IOB, ENT_TYPE, ENT_KB_ID]

_POSSESSIVES = frozenset({"'s", "’s", "“s", "”s", "'", "’"})
_ADVERBS = frozenset({"also", "now", "recently", "today", "yesterday", "earlier", "still", "already", "has", "had", "will",
                      "is", "was", "would", "could", "may"})
# a post in lower case between a company's name and its holder's ("Vitesco chief executive
# Andreas Wolf"): its words, and the words one can end with
_POST_WORDS = frozenset({"chief", "executive", "managing", "director", "chairman", "chairperson", "chairwoman",
                         "president", "vice", "ceo", "md", "cfo", "coo", "cto", "spokesperson", "spokesman",
                         "spokeswoman", "head", "founder", "co-founder", "officer", "financial", "operating",
                         "technology", "purchasing", "procurement", "sales", "marketing", "senior",
                         "general", "manager", "deputy", "joint", "whole-time"})
_POST_HEADS = frozenset({"executive", "director", "chairman", "chairperson", "chairwoman", "president", "ceo",
                         "md", "cfo", "coo", "cto", "spokesperson", "spokesman", "spokeswoman", "head",
                         "founder", "co-founder", "officer", "manager"})
_NOT_NAME_ENDINGS = ("ly", "ing", "ive")
_PERSON_NAME_WORD = re.compile(r"^[A-Z][a-z]+\.?$|^[A-Z]\.$")
_REPORTING_VERBS = frozenset({
    "said", "says", "has", "have", "had", "will", "would", "is", "was", "reported", "posted",
    "announced", "announces", "plans", "planned", "expects", "opened", "signed", "won", "bagged",
    "secured", "received", "launched", "unveiled", "recorded", "registered", "raised", "acquired",
    "clocked", "added", "cut", "hiked", "increased", "reduced", "invested", "set", "told", "filed",
    "picked", "selected", "chose", "awarded", "placed", "ordered", "halted", "shut", "closed", "recalled",
    "announce", "say", "agreed", "bought", "sold", "supplies", "makes"})
# what people do as often as companies: a first and last name before these is no company's
_PERSON_VERBS = frozenset({"said", "says", "say", "told", "is", "was", "has", "have", "had", "will", "would"})
_AUXILIARIES = frozenset({"has", "have", "had"})
# a verb in the past tense and a company's object ("Intermet terminated its contract"), after a
# company's name (not "Harary noted that", "Panoramic fixed sunroofs went", "Menon joined the board")
_PAST_TENSE = re.compile(r"[a-z]{3,}ed$")
_COMPANY_OBJECTS = frozenset({"its", "their"})
_ARM_SUFFIXES = frozenset({"India"})        # the last word of a name that is no name word
# catalog names that can open a longer name of another organisation (CatalogEntities._name_before)
_NAME_OPENERS = frozenset({"CUSTOMER", "COMPETITOR", "ORG"})
# words the lexicon's not_names drop from a name's start that name it with a suffix alone
# ("Indian Railways"): "Indian glass makers" has no capitalised suffix
_NAMING_ADJECTIVES = frozenset({"Indian", "Chinese", "Japanese"})
# … before a suffix that names a body, not a product ("Chinese Glass" is glass from China)
_NAMING_ADJECTIVE_SUFFIXES = frozenset({"Railways", "Bank", "Institute", "Council", "Association", "Society",
                                        "Federation", "Consortium", "Foundation", "Agency", "Undertaking",
                                        "Army", "Navy", "Police"})
# an appositive with one of these says its name is a company's ("Olectra Greentech, a MEIL
# subsidiary, has won"), not a person's ("Kapil Gupta, the joint managing director, said")
_APPOSITIVE_COMPANY_WORDS = frozenset({
    "subsidiary", "unit", "arm", "company", "firm", "maker", "manufacturer", "supplier", "carmaker",
    "automaker", "glassmaker", "major", "group", "affiliate", "venture", "startup", "start-up",
    "producer", "exporter", "conglomerate", "business", "brand", "division"})
# makers that are people: "Sharma, a BJP lawmaker, said", "Kapoor, the filmmaker,"
_PERSON_MAKERS = ("law", "policy", "film", "home", "king", "peace", "match", "movie", "deal", "trouble",
                  "decision", "money", "rain", "dress", "noise", "merry", "play", "pace", "rule", "mischief",
                  "haymaker", "hay", "news", "market", "taste", "image", "holiday", "cabinet", "map")
_APPOSITIVE_PERSON_WORDS = frozenset({
    "director", "chairman", "chairperson", "chairwoman", "ceo", "cfo", "coo", "cto", "md", "president",
    "head", "chief", "officer", "executive", "founder", "co-founder", "promoter", "secretary", "minister",
    "analyst", "spokesperson", "spokesman", "spokeswoman", "manager", "engineer", "official", "partner",
    "who", "whose", "his", "her"})
# an abbreviation used like a name: "CAL's revenue", "(CAL)", "IRT opened the bids", "GM also picked"
# A word used like a company's name, found in one scan of the text: an abbreviation in capitals
# before a possessive, a closing bracket or a reporting verb ("CAL's revenue", "(CAL)", "IRT
# opened the bids", "GM also picked"), or a capitalised word before a possessive ("Marelli's").
# The look-behind comes after the first capital: re then scans for capitals alone, twice as fast.
_PREPOSITIONS = ("at", "by", "from", "with", "of", "for", "to")
# an abbreviation of three to six capitals after a preposition: "the Pune plant of MTCS"
# (found as any such abbreviation, the word before checked in Python: re scans for capitals fast)
_ACRONYM = re.compile(r"[A-Z](?<![\w&.-][A-Z])[A-Z&]{2,5}(?![\w&-])")
_PREPOSITION_BEFORE = re.compile(r"(?:^|[^\w])(?:at|by|from|with|of|for|to)[ \t]+$")
_NAME_LIKE = re.compile(
    r"[A-ZÀ-ÖØ-ÞŠŽŒŚŁČ](?<![\w&.-][A-ZÀ-ÖØ-ÞŠŽŒŚŁČ])(?:(?P<acronym>[A-Z&]{1,15})(?![\w&-])(?=['’“”]s\b|['’][ \t]|\)|[ \t]+(?i:(?:"
    + "|".join(sorted(_ADVERBS)) + r")[ \t]+)?(?i:" + "|".join(sorted(_REPORTING_VERBS)) + r")\b)"
    r"|(?P<capitalised>[a-zà-ÿ][^\W\d_]{0,14})(?=['’“”]s\b|['’][ \t]))")
# partners' names joined by an ampersand: "Collins & Aikman", "Frost & Sullivan"
_JOINED_NAME = re.compile(r"(?<![\w&.-])(?P<left>[A-Z][a-z]{2,15})[ \t]+&[ \t]+(?P<right>[A-Z][a-z]{2,15})(?![\w&-])")
# … nor a team or a region: "Navika Motors' Health & Safety team", "the Andaman & Nicobar administration"
_TEAM_AFTER = re.compile(r"[ \t]+(?i:team|teams|department|dept|division|head|heads|segment|segments|"
                         r"administration|cell|function|committee|unit|wing|desk)\b")
# … not people met: "Met Joshi & Nair at Meridian"
_PEOPLE_BEFORE = re.compile(r"(?i:\b(?:met|meet|meeting|mr\.?|mrs\.?|ms\.?|dr\.?|shri|smt)[ \t]+)$")
# before a place's name: a list after them is no list of organisations
_PLACE_PREPOSITIONS = frozenset({"in", "at", "near", "outside", "across", "around", "within"})
_LIST_JOINS = frozenset({",", "and", "or"})
_JOINED_CAPITALS = re.compile(r"[A-Z]{1,3}&[A-Z]{1,3}")

_REPORTED_THAT = re.compile(r"\b(?:said|says|told|reported|noted|added|announced|believes?|expects?)\b"
                            r"[^.;]{0,30}?\bthat[ \t]+(?=[A-Z])")
_INSIDE, _OUTSIDE, _BEGIN = (Token.iob_strings().index(tag) for tag in ("I", "O", "B"))


class CatalogEntities(BatchedComponent):
    """Sets ``doc.ents`` from the catalog (``span.kb_id_`` is the catalog id) and unknown ORGs.

    The entities are stored in ``doc.user_data`` as well (docdata.ENTITIES); a doc marked
    docdata.DATA_ONLY gets them there alone (writing them to the tokens is a tenth of this
    component's time, and Tagger.tag_many reads them from there)."""

    def __init__(self, nlp: Language, catalog: Catalog, lexicon: Lexicon,
                 class_groups: dict[str, list[str]] | None = None) -> None:
        self.catalog = catalog
        self.lexicon = lexicon
        self.insensitive = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.sensitive = PhraseMatcher(nlp.vocab, attr="ORTH")
        # technologies inflect: matched on lemmas (the pipeline stores each word's as its NORM)
        self.lemmas = PhraseMatcher(nlp.vocab, attr="NORM")
        self.english = english_words()    # "Quality's" is a word, "Marelli's" a name
        self.lemma_of = lemma_table()       # … and "Analysts" is one too
        self._name_word: dict[str, bool] = {}     # word → could it be part of a name (a cache)
        # per document: each sentence's long words (positions, titled counts), for headlines
        self._title_cache: dict[tuple[int, int], tuple[list[int], list[int]]] = {}
        self._known_ends: dict[int, int] = {}     # end → start of the doc's catalog names (_name_before)
        self.vocab = nlp.vocab
        forms: dict[tuple[bool, str], list[Entry]] = defaultdict(list)
        # each form tokenized as written: the tokenizer's exceptions are cased ("Corp." is one
        # token, "corp." two), and matching on LOWER then compares the tokens' lower case
        written: dict[tuple[bool, str], str] = {}
        for text, case_sensitive, entry in catalog.surface_forms():
            for variant in _variants(text):
                key = (case_sensitive, variant if case_sensitive else variant.lower())
                written.setdefault(key, variant)
                if entry not in forms[key]:
                    forms[key].append(entry)
        self.candidates: dict[int, list[Entry]] = {}
        self.participles: dict[int, tuple[int, ...]] = {}     # lemma key → its "-ed" words' places
        by_matcher: dict[str, dict[str, list[str]]] = {
            "sensitive": defaultdict(list), "insensitive": defaultdict(list), "lemmas": defaultdict(list)}
        tokenized: dict[str, Doc] = {}      # each name tokenized once

        def tokens(text: str) -> Doc:
            doc = tokenized.get(text)
            if doc is None:
                doc = tokenized[text] = nlp.make_doc(text)
            return doc

        def lemmas_of(text: str) -> str:      # lemmas.lemma_phrase, from the tokens made once
            return " ".join(token.norm_ for token in tokens(text))

        for (case_sensitive, text), entries in forms.items():
            key = ("cs:" if case_sensitive else "ci:") + text
            matcher = ("sensitive" if case_sensitive
                       else "lemmas" if all(entry.kind == "technology" for entry in entries)
                       and not self._inflected_word(tokens(text))
                       else "insensitive")
            if matcher == "lemmas":
                # "sunroof" and "sunroofs" are one pattern on lemmas: one key, or every match
                # would come twice
                key = "lemma:" + lemmas_of(text)
                participles = tuple(i for i, token in enumerate(tokens(text))
                                    if token.lower_.endswith("ed") and token.norm_ != token.lower_)
                if participles:     # "tempered glass" is no "tempering glass"
                    self.participles[nlp.vocab.strings.add(key)] = participles
                known = self.candidates.get(nlp.vocab.strings.add(key), [])
                entries = [*known, *(entry for entry in entries if entry not in known)]
                if key in by_matcher[matcher]:
                    self.candidates[nlp.vocab.strings[key]] = entries
                    continue
            by_matcher[matcher][key].append(text if matcher == "lemmas" else written[(case_sensitive, text)])
            self.candidates[nlp.vocab.strings.add(key)] = entries
        # "windshields", matched as written, is "windshield" on lemmas already
        for key, texts in list(by_matcher["insensitive"].items()):
            entries = self.candidates[nlp.vocab.strings[key]]
            if not all(entry.kind == "technology" for entry in entries):
                continue
            lemma_key = "lemma:" + lemmas_of(texts[0])
            if lemma_key in by_matcher["lemmas"] \
                    and entries == self.candidates[nlp.vocab.strings[lemma_key]][:len(entries)]:
                del by_matcher["insensitive"][key]
        # the usual case, one entry per name: its (label, id) ready to use
        self.single = {key: (entries[0].label, entries[0].id)
                       for key, entries in self.candidates.items() if len(entries) == 1}
        for name, keys in by_matcher.items():
            matcher = getattr(self, name)
            for key, texts in keys.items():
                matcher.add(key, [tokens(text) for text in texts])
        # the signal lexicon's cue-class phrases ride on the same lemma pass (one pass, not two)
        # (one key per group of phrases with the same lemmas: lemmas.class_phrase_groups)
        class_keys = list(class_groups if class_groups is not None else class_phrase_groups(nlp, lexicon))
        self.class_keys = frozenset(nlp.vocab.strings.add(key) for key in class_keys)
        for key in class_keys:
            self.lemmas.add(key, [nlp.make_doc(key[len(CLASS_KEY_PREFIX):])])
        # organisation suffixes share the case-sensitive matcher (one pass over the doc)
        self.sensitive.add("ORG:SUFFIX", list(nlp.tokenizer.pipe(sorted(lexicon.org_suffixes))))
        self.sensitive.add("ORG:HEAD", list(nlp.tokenizer.pipe(sorted(lexicon.org_heads))))
        # "auto component maker Sigma Electric", "Pune-based Sigma Electric": a name follows
        self.insensitive.add("ORG:DESCRIPTOR", list(nlp.tokenizer.pipe(sorted(lexicon.org_descriptors))))
        self.suffix_key = nlp.vocab.strings["ORG:SUFFIX"]
        self.descriptor_key = nlp.vocab.strings["ORG:DESCRIPTOR"]
        # string hashes of every label and catalog id, for writing doc.ents as an array
        self.hashes = StringCache(nlp.vocab.strings)
        self.org_keys = frozenset((self.suffix_key, nlp.vocab.strings["ORG:HEAD"], self.descriptor_key))

    @staticmethod
    def _inflected_word(tokens: Doc) -> bool:
        """A one-word name that is itself an inflected form ("tempered"): matched as written,
        or its lemma would also find "tempering"."""
        return len(tokens) == 1 and tokens[0].norm_ != tokens[0].lower_

    # -- catalog entities ------------------------------------------------------------
    def __call__(self, doc: Doc) -> Doc:
        # plain (start, end, key) tuples until the end: Span objects are costly in a hot loop
        sensitive = self.sensitive(doc)
        organisation_words = [m for m in sensitive if m[0] in self.org_keys]
        names = [m for m in sensitive if m[0] not in self.org_keys] if organisation_words else sensitive
        insensitive = self.insensitive(doc)
        descriptors = [m for m in insensitive if m[0] == self.descriptor_key]
        if descriptors:
            insensitive = [m for m in insensitive if m[0] != self.descriptor_key]
            # only a descriptor followed by a capital can introduce a name ("supplier Webasto")
            text, offsets = doc_text(doc), token_starts(doc)
            organisation_words.extend(m for m in descriptors if m[2] < len(offsets)
                                      and text[offsets[m[2]]].isupper())
        lemma_matches = self.lemmas(doc)
        if self.class_keys:
            doc.user_data[CLASS_MATCHES] = tuple([m for m in lemma_matches if m[0] in self.class_keys])
            lemma_matches = [m for m in lemma_matches if m[0] not in self.class_keys]
        if self.participles and any(m[0] in self.participles for m in lemma_matches):
            text, offsets = doc_text(doc), token_starts(doc)
            lemma_matches = [m for m in lemma_matches if not any(
                text[offsets[m[1] + i]:word_end_char(text, offsets, m[1] + i + 1)].lower().endswith("ing")
                for i in self.participles.get(m[0], ()))]
        matches = _longest_first([*insensitive, *lemma_matches, *names])
        context = doc.user_data.get(CONTEXT) or {}
        starts = doc.user_data.get(SENTENCE_STARTS) or [sent.start for sent in doc.sents]
        entities = self._resolve(matches, context, starts)
        if self.lexicon.job_titles:
            entities = self._without_posts(doc, entities, context)
        if any(m[0] == self.suffix_key for m in organisation_words):
            entities = self._with_legal_forms(doc, entities, organisation_words)
        unknown = self._unknown_organisations(doc, entities, starts, organisation_words)
        unknown = self._named_like_companies(doc, entities, unknown, starts)
        if context.get("kind") != "note":
            unknown = self._listed_with_names(doc, entities, unknown)
        if unknown and any(entity[2] == "TECHNOLOGY" for entity in entities):
            # a product the catalog names, written like a company ("Corning's Gorilla Glass")
            products = {(start, end) for start, end, label, _ in entities if label == "TECHNOLOGY"}
            unknown = [name for name in unknown if (name[0], name[1]) not in products]
        if unknown:
            # "Aravali Interlayers Pvt Ltd" is a name, not the technology "interlayer"
            inside = bytearray(len(doc))
            for start, end, _, _ in unknown:
                inside[start:end] = b"\x01" * (end - start)
            # … and "Meridian Magnesium Products" another company than the catalog's "Meridian"
            entities = [entity for entity in entities
                        if not any(inside[entity[0]:entity[1]])
                        or (entity[2] != "TECHNOLOGY" and not all(inside[entity[0]:entity[1]]))]
            entities.extend(unknown)
        entities.sort()
        offsets, text = token_starts(doc), doc_text(doc)
        ends = [word_end_char(text, offsets, end) for _, end, _, _ in entities]
        if any(text[stop - 1] == "." for stop in ends):
            sentence_starts = set(starts)
            ends = [self._name_end(text, offsets, end, stop, sentence_starts)
                    for (_, end, _, _), stop in zip(entities, ends, strict=True)]
        doc.user_data[ENTITIES] = tuple([(start, end, label, kb_id, offsets[start], stop)
                                         for (start, end, label, kb_id), stop in zip(entities, ends, strict=True)])
        if not doc.user_data.get(DATA_ONLY):
            self._set_ents(doc, entities)
        return doc

    @staticmethod
    def _name_end(text: str, offsets: Sequence[int], end: int, stop: int, sentence_starts: set[int]) -> int:
        """Where a name that ends at ``stop`` ends in the text: "Dhruv Trucks Ltd." at the end of
        a sentence ends before the full stop, which also ends the sentence."""
        if text[stop - 1] == "." and (end >= len(offsets) or end in sentence_starts) \
                and stop - 1 > offsets[end - 1]:
            return stop - 1
        return stop

    def _set_ents(self, doc: Doc, entities: list[tuple[int, int, str, str]]) -> None:
        """``doc.ents`` written as token attributes in one call (no Span objects)."""
        length = len(doc)
        if not length:
            return
        # the IOB, type and catalog id columns one after another, filled in place
        columns = [_OUTSIDE] * length + [0] * (2 * length)
        hashes = self.hashes
        for start, end, label, kb_id in entities:
            label_hash, kb_hash = hashes[label], hashes[kb_id] if kb_id else 0
            columns[start] = _BEGIN
            columns[length + start] = label_hash
            columns[2 * length + start] = kb_hash
            for i in range(start + 1, end):
                columns[i] = _INSIDE
                columns[length + i] = label_hash
                columns[2 * length + i] = kb_hash
        values = np.frombuffer(array("Q", columns), dtype=np.uint64).reshape(3, length).T
        doc.from_array(_ENT_ATTRS, values)

    def _resolve(self, matches: list[tuple[int, int, int]], context: dict,
                 starts: Sequence[int]) -> list[tuple[int, int, str, str]]:
        resolved: list[tuple[int, int, str, str]] = []
        ambiguous: list[tuple[int, int, list[Entry]]] = []
        single = self.single
        for key, start, end in matches:
            found = single.get(key)
            if found is not None:
                resolved.append((start, end, *found))
            else:
                ambiguous.append((start, end, self.candidates[key]))
        if not ambiguous:
            return resolved
        owner = self.catalog.owner
        mentioned_doc = {owner(kb_id) for _, _, _, kb_id in resolved}
        mentioned_doc.update(context.get(key) for key in ("customer", "competitor", "company"))
        for start, end, entries in ambiguous:
            index = bisect_right(starts, start)
            low, high = (starts[index - 1] if index else 0), (starts[index] if index < len(starts) else 1 << 30)
            sentence = {owner(kb_id) for s, _, _, kb_id in resolved if low <= s < high}
            entry = (next((e for e in entries if owner(e.id) in sentence), None)
                     or next((e for e in entries if owner(e.id) in mentioned_doc), None)
                     or next((e for e in entries if e.kind == "plant"
                              and self.catalog[e.company].role == "customer"), None)
                     or entries[0])
            resolved.append((start, end, entry.label, entry.id))
        return resolved

    def _without_posts(self, doc: Doc, entities: list[tuple[int, int, str, str]],
                       context: dict) -> list[tuple[int, int, str, str]]:
        """The entities but a company's abbreviation used as a post: in a KAM's note always ("Met
        the GM at Navika"), elsewhere after a department, a seniority, a possessive or a company
        ("Dhruva purchase GM", "Navika GM", "Dhruva's GM") or before "-", "(" or a capitalised
        department ("GM-SCM", "GM (Purchase)") (organisations.toml ``job_titles``)."""
        lexicon = self.lexicon
        posts = [entity for entity in entities
                 if entity[1] - entity[0] == 1 and doc[entity[0]].text in lexicon.job_titles]
        if not posts:
            return entities
        if context.get("kind") == "note":
            return [entity for entity in entities if entity not in posts]
        named_end = {end for _, end, label, _ in entities if label != "TECHNOLOGY"}
        dropped = set()
        for entity in posts:
            start = entity[0]
            before = doc[start - 1] if start else None
            after = doc[start + 1] if start + 1 < len(doc) else None
            if (before is not None and (before.lower_ in lexicon.job_title_before or start in named_end)) \
                    or (after is not None and (after.text in ("-", "(", "–") or after.text in lexicon.job_title_after)):
                dropped.add(entity)
        return [entity for entity in entities if entity not in dropped]

    def _with_legal_forms(self, doc: Doc, entities: list[tuple[int, int, str, str]],
                          organisation_words: list[tuple[int, int, int]]) -> list[tuple[int, int, str, str]]:
        """"Sunmarg Glass Pvt Ltd": a company's name takes the legal form written after it."""
        suffixes = {start for key, start, _ in organisation_words if key == self.suffix_key}
        starts = {start for start, _, _, _ in entities}
        length = len(doc)
        out = []
        org_words = self.lexicon.org_suffixes
        for start, end, label, kb_id in entities:
            if label in _ORGANISATION_LABELS and (end in suffixes or end + 1 in suffixes or end + 2 in suffixes):
                while end < length and end not in starts:
                    if doc[end].text in _STRONG_SUFFIXES:
                        end += 1
                    elif doc[end].text in org_words and end + 1 < length \
                            and doc[end + 1].text in _STRONG_SUFFIXES:
                        end += 1      # "Honda Motor Co.", "Fuyao Glass Industry Group Co."
                    elif doc[end].text == "." and not doc[end - 1].whitespace_ and end + 1 < length \
                            and doc[end + 1].text in _STRONG_SUFFIXES:
                        end += 1      # the stop inside "Pvt. Ltd", not one that ends the name
                    else:
                        break
            out.append((start, end, label, kb_id))
        return out

    # -- organisations the catalog does not know -------------------------------------
    def _unknown_organisations(self, doc: Doc, known: list[tuple[int, int, str, str]],
                               starts: Sequence[int], organisation_words: list[tuple[int, int, int]],
                               ) -> list[tuple[int, int, str, str]]:
        if not organisation_words:
            return []
        taken = bytearray(len(doc))
        for start, end, label, _ in known:
            if label != "TECHNOLOGY":      # a technology's words may be part of a name
                taken[start:end] = b"\x01" * (end - start)
        self._title_cache = {}
        # a catalog name that opens a longer name ("Meridian Magnesium Products", "Sisecam Flat Glass"),
        # in press text (a note's "Vitreon Polymer Products arm" is Vitreon's)
        self._known_ends = {} if (doc.user_data.get(CONTEXT) or {}).get("kind") == "note" else {
            end: start for start, end, label, _ in known if label in _NAME_OPENERS}
        found, missed = [], []
        for word in organisation_words:
            span = self._organisation_at(doc, word, taken, starts)
            if span is not None:
                found.append((0, *span))
            elif not taken[word[1]]:
                missed.append(word)
        if found and missed:
            # a name among other names is no headline: "from the Uttar Pradesh State Roadways
            # Transport Corporation and the Chandigarh Transport Undertaking" — the words of the
            # names found no longer count as a headline's capitals
            for _, start, end in found:
                taken[start:end] = b"\x01" * (end - start)
            self._title_cache = {}
            for word in missed:
                span = self._organisation_at(doc, word, taken, starts)
                if span is not None:
                    found.append((0, *span))
        return [(start, end, "ORG", "") for _, start, end in _longest_first(found)]

    def _organisation_at(self, doc: Doc, word: tuple[int, int, int], taken: bytearray,
                         starts: Sequence[int]) -> tuple[int, int] | None:
        """The name an organisation word (a suffix, a descriptor or a head) belongs to, if any."""
        key, start, end = word
        if taken[start]:
            return None
        index = bisect_right(starts, start)
        bounds = (starts[index - 1] if index else 0, starts[index] if index < len(starts) else len(doc))
        if key == self.suffix_key:
            return self._name_before(doc, start, end, taken, bounds)
        if key == self.descriptor_key:
            return self._name_after_descriptor(doc, end, taken, bounds)
        return self._name_after_head(doc, start, taken, bounds)

    def _named_like_companies(self, doc: Doc, known: list[tuple[int, int, str, str]],
                              found: list[tuple[int, int, str, str]],
                              starts: Sequence[int]) -> list[tuple[int, int, str, str]]:
        """Single words used the way a company's name is: an abbreviation in capitals with a
        possessive ("CAL's revenue"), in brackets after a name ("Craftsman Automation (CAL)"),
        or opening a sentence before a verb ("IRT opened the bids"); a capitalised word with a
        possessive ("Marelli's plant") that is no place.

        Most capitalised words are none of these: they are sorted out from the text alone,
        before any token is looked at."""
        text = doc_text(doc)
        lexicon = self.lexicon
        candidates = []
        seen: set[str] = set()
        # the text alone sorts out most words: one regular expression finds the few used as names
        for match in _NAME_LIKE.finditer(text):
            word = match.group()
            if match.group("acronym"):
                # (a post the catalog's abbreviation was dropped for stays none: "Navika GM's visit")
                if word not in lexicon.not_acronyms and word not in lexicon.job_titles:
                    candidates.append((match.start(), word, True))
                    seen.add(word)
            elif word not in lexicon.places and word not in lexicon.not_names \
                    and word not in lexicon.titles and word.lower() not in self.english:
                candidates.append((match.start(), word, False))
        acronyms = [(match.start(), match.group()) for match in _ACRONYM.finditer(text)]
        for start, word in acronyms:          # "the Pune plant of MTCS", "after KSRTC disqualified"
            if word not in seen and word not in lexicon.not_acronyms and word not in lexicon.job_titles \
                    and (_PREPOSITION_BEFORE.search(text, max(0, start - 8), start)
                         or self._public_abbreviation(word)):
                candidates.append((start, word, True))
                seen.add(word)
        if seen:        # a word seen so used may recur bare ("at CAL")
            known_starts = {start for start, _, _ in candidates}
            for start, word in acronyms:
                if word in seen and start not in known_starts:
                    candidates.append((start, word, True))
            for word in seen - {word for _, word in acronyms}:     # "CAL" in "CAL's" is no _ACRONYM
                for match in re.finditer(r"(?<![\w&.-])" + re.escape(word) + r"(?![\w&-])", text):
                    if match.start() not in known_starts:
                        candidates.append((match.start(), word, True))
        taken = bytearray(len(doc))
        for start, end, label, _ in (*known, *found):
            if label != "TECHNOLOGY":
                taken[start:end] = b"\x01" * (end - start)
        offsets = token_starts(doc)
        count = len(offsets)

        def token_text(index: int) -> str:
            return text[offsets[index]:word_end_char(text, offsets, index + 1)] if 0 <= index < count else ""

        added = list(found)
        named = bytearray(taken)      # … and a technology's words do not open a company's name
        for start, end, label, _ in known:
            if label == "TECHNOLOGY":
                named[start:end] = b"\x01" * (end - start)
        # a reported clause opens like a sentence: "analysts said on Friday that Collins & Aikman
        # still has problems"
        clause_starts = [bisect_right(offsets, match.end()) - 1 for match in _REPORTED_THAT.finditer(text)]
        added.extend(self._sentence_subjects(text, starts, offsets, named, token_text))
        if "&" in text and (doc.user_data.get(CONTEXT) or {}).get("kind") != "note":
            added.extend(self._joined_names(text, offsets, named))
        if clause_starts:       # (of two words or more there: "said that Rajesh will visit" is a person)
            added.extend(found for found in self._sentence_subjects(text, clause_starts, offsets, named, token_text)
                         if found[1] - found[0] > 1)
        if not candidates:
            return sorted(set(added))
        sentence_starts = set(starts)
        defined: set[str] = set()
        for start_char, word, acronym in candidates:
            index = bisect_right(offsets, start_char) - 1
            if index < 0 or offsets[index] != start_char or taken[index] or token_text(index) != word:
                continue
            following, previous = token_text(index + 1), token_text(index - 1)
            possessive = following in _POSSESSIVES
            if not acronym:
                # "Marelli's plant": one capitalised word, not the end of a longer name
                if possessive and not (previous[:1].isupper() and previous.isalpha()) \
                        and not self.vocab[word].is_stop:
                    added.append((index, index + 1, "ORG", ""))
                continue
            bracketed = previous == "(" and following == ")" and index > 1 and taken[index - 2]
            after = following.lower()
            helped = after in _ADVERBS
            if helped:       # "GM also picked Magna"
                verb = token_text(index + 2)
                after = verb.lower()
                # "APSRTC has put out tenders", "CESL has floated a tender": after a helping
                # word, any verb (a name of four letters or more: "NPD has started" is a team)
                helped = len(word) >= 4 and verb.isalpha() and verb.islower()
            opening = (index in sentence_starts or previous in (",", "and", "while")) \
                and (after in _REPORTING_VERBS or helped)
            after_preposition = previous.lower() in _PREPOSITIONS and 3 <= len(word) <= 6
            # a public buyer's abbreviation is a name wherever it stands: "after KSRTC disqualified"
            if possessive or bracketed or opening or after_preposition or self._public_abbreviation(word) \
                    or word in defined:
                added.append((index, index + 1, "ORG", ""))
                defined.add(word)
        return sorted(set(added))

    def _listed_with_names(self, doc: Doc, known: list[tuple[int, int, str, str]],
                           found: list[tuple[int, int, str, str]]) -> list[tuple[int, int, str, str]]:
        """Names listed with an organisation's name in press text are organisations too: "Brembo
        and Autoliv", "Delphi, FIC America, Johnson Controls and Bosch", "Vitro and LKQ". A list
        joins its names by commas and at least one "and" or "or"; a listed name is one to four
        capitalised words, one of them no English word, place or title (or an abbreviation):
        "Pune and Chennai", "Quality and Delivery" are none."""
        text, offsets = doc_text(doc), token_starts(doc)
        count = len(offsets)

        def token_text(index: int) -> str:
            return text[offsets[index]:word_end_char(text, offsets, index + 1)]

        # only an organisation with a list's joiner beside it can be in a list (most are not)
        organisations = [(start, end) for start, end, label, _ in (*known, *found) if label in _ORGANISATION_LABELS
                         and ((end < count and token_text(end).lower() in _LIST_JOINS)
                              or (start and token_text(start - 1).lower() in _LIST_JOINS))]
        if not organisations:
            return found
        taken = bytearray(count)
        for start, end, _, _ in (*known, *found):
            taken[start:end] = b"\x01" * (end - start)
        is_organisation = {start: end for start, end, label, _ in (*known, *found) if label in _ORGANISATION_LABELS}

        def name_token(index: int) -> bool:
            return _is_name_word(token_text(index))

        def joined_hyphen(index: int) -> bool:      # "Liebherr-Aerospace"
            return token_text(index) == "-" and index + 1 < count and not text[offsets[index] - 1].isspace() \
                and not text[offsets[index] + 1].isspace() and name_token(index + 1)

        organisation_at_end = {end: start for start, end in is_organisation.items()}

        def list_start(index: int) -> int:
            """Where the list the name at ``index`` is in starts: back over joiners and names."""
            while index > 0:
                joiner = index - 1
                if token_text(joiner).lower() in ("and", "or") and joiner > 0 and token_text(joiner - 1) == ",":
                    joiner -= 1
                if token_text(joiner).lower() not in _LIST_JOINS:
                    break
                if joiner in organisation_at_end:
                    index = organisation_at_end[joiner]
                    continue
                first = joiner
                while first > 0 and joiner - first < 4 and not taken[first - 1] and name_token(first - 1):
                    first -= 1
                if first == joiner:
                    break
                index = first
            return index

        added = []
        done = -1
        for index in sorted(list_start(start) for start, _ in organisations):
            if index <= done:
                continue        # (in a list already read)
            # one list: names (known or candidate runs) joined by "," / "and" / "or"
            items: list[tuple[int, int, bool]] = []     # (start, end, not to be read as a name)
            joined = False
            # not places ("plants at Wentzville, Missouri, and Fiat Chrysler") nor models after a
            # year ("the 1988 Oldsmobile Cutlass and BMW"), nor the rest of a list that began with
            # something else ("the Chevrolet Tahoe and Suburban", "the Tata Nano and Toyota Etios")
            before = token_text(index - 1) if index else ""
            skip = before.lower() in _PLACE_PREPOSITIONS or before[:1].isdigit() \
                or before.lower() in _LIST_JOINS or (index and (taken[index - 1] or before[:1].isupper()))
            while index < count:
                if index in is_organisation:
                    end = is_organisation[index]
                    items.append((index, end, False))
                elif not taken[index] and name_token(index):
                    end = index + 1
                    while end < count and end - index < 4 and not taken[end] \
                            and (name_token(end) or joined_hyphen(end)) \
                            and not (token_text(end) == "&" and end + 1 < count and taken[end + 1]):
                        end += 2 if token_text(end) == "-" else 1
                    if end < count and taken[end]:
                        break       # a place or a brand before a name: "Guangzhou Honda"
                    items.append((index, end, skip))
                else:
                    break
                index = end
                separator = token_text(index).lower() if index < count else ""
                if separator == ",":
                    index += 1
                    if index < count and token_text(index).lower() in ("and", "or"):
                        index += 1
                        joined = True
                elif separator in ("and", "or"):
                    index += 1
                    joined = True
                else:
                    break
            done = index
            # a maker's name with a model after it lists models: "the Ferrari Purosangue and Cadillac Celestiq"
            models = bool(items) and items[-1][0] in is_organisation and index < count \
                and not taken[index] and name_token(index)
            # people listed with a company's people: "Rajesh Kumar and Vitreon's Anil Shah", "Sanjay
            # Verma and Kestrel Safety Glass chairman Ravi Kapoor"
            people = any(start in is_organisation and end < count and (
                (token_text(end) in _POSSESSIVES and end + 1 < count and token_text(end + 1)[:1].isupper())
                or token_text(end).lower() in _POST_WORDS) for start, end, _ in items)
            if joined and not models and not people and len(items) > 1 \
                    and any(start in is_organisation for start, _, _ in items):
                added.extend((start, end, "ORG", "") for start, end, skip in items
                             if start not in is_organisation and not skip
                             and self._listed_name(doc, start, end, token_text))
        return sorted(set([*found, *added])) if added else found

    def _listed_name(self, doc: Doc, start: int, end: int, token_text) -> bool:
        """Whether capitalised words listed with organisations name one: one of them no English
        word, place or title, or an abbreviation in capitals. Not a person ("Sudam Maitra, its
        senior managing executive officer", "G N Deepak", "Minister Nitin Gadkari"), a month, a
        place before "-based" or a code before a number ("DOT 430")."""
        lexicon = self.lexicon
        words = [token.text for token in doc[start:end] if token.is_alpha]
        if not words or doc[start].text == "&" \
                or any(word in lexicon.titles or word in lexicon.not_names for word in words) \
                or (len(words) > 1 and len(words[0]) == 1):
            return False
        if len(words) > 1 and all(self._could_be_a_name_word(word) for word in words):
            return False        # two name words and nothing else, as a person's: "Rohan Patel and Vitreon"
        if end < len(doc):
            after = token_text(end)
            if after == "-" or after[:1].isdigit():
                return False
            if after == ",":
                post = end + 1
                if post < len(doc) and token_text(post).lower() in ("its", "the", "a", "an", "our", "their"):
                    post += 1
                if post < len(doc) and (token_text(post).lower() in _POST_WORDS or token_text(post) in lexicon.titles):
                    return False
        return any(self._could_be_a_name_word(word)
                   or (word.isupper() and 2 <= len(word) <= 6 and word not in lexicon.not_acronyms
                       and word not in lexicon.job_titles and word not in lexicon.places)
                   for word in words) \
            and not any(word in lexicon.places for word in words)

    def _public_abbreviation(self, word: str) -> bool:
        """A public buyer's abbreviation ("KSRTC", "ASRTU"; not a bare "RTC module")."""
        return len(word) > 3 and word.lower().endswith(self.lexicon.public_buyer_endings)

    def _joined_names(self, text: str, offsets: Sequence[int], taken: bytearray) -> list[tuple[int, int, str, str]]:
        """Partners' names joined by an ampersand in press text ("Collins & Aikman", "Frost &
        Sullivan"): an organisation's name, unless both words are English words or either is a
        place or a title ("Quality & Delivery", "Chairman & MD"), or people met ("met Joshi &
        Nair"). (An abbreviation with an ampersand, "L&T", is one when used like a name.)"""
        lexicon = self.lexicon
        found = []
        for match in _JOINED_NAME.finditer(text):
            left, right = match.group("left"), match.group("right")
            if not (self._could_be_a_name_word(left) or self._could_be_a_name_word(right)) \
                    or any(word in lexicon.titles or word in lexicon.places or word in lexicon.not_names
                           for word in (left, right)) \
                    or _PEOPLE_BEFORE.search(text, max(0, match.start() - 8), match.start()) \
                    or _TEAM_AFTER.match(text, match.end()):
                continue
            start = bisect_right(offsets, match.start()) - 1
            end = bisect_right(offsets, match.end() - 1)
            if offsets[start] == match.start() and not any(taken[start:end]):
                found.append((start, end, "ORG", ""))
        return found

    def _sentence_subjects(self, text: str, starts: Sequence[int], offsets: Sequence[int],
                           taken: bytearray, token_text) -> list[tuple[int, int, str, str]]:
        """One to three capitalised words, none of them an English word, a place or a title,
        that open a sentence before a reporting verb ("Intermet had been awarded", "Orlenhof
        said", "Mobis also won") or a relative clause (", which"): a company's name. A
        surname is not: a word seen before right after another capitalised word ("Kapil Gupta
        ... Gupta said") is left alone."""
        name_word = self._name_word

        def is_name_word(word: str) -> bool:
            known = name_word.get(word)
            if known is None:
                known = name_word[word] = self._could_be_a_name_word(word)
            return known

        found = []
        for start in starts:
            end = start
            while end - start < 3 and end < len(taken) and not taken[end]:
                word = token_text(end)
                if not is_name_word(word):
                    # "Yokohama India has raised prices": a company's Indian arm
                    if word in _ARM_SUFFIXES and end > start:
                        end += 1
                    elif word == "&" and end > start and end + 1 < len(taken) and not taken[end + 1] \
                            and is_name_word(token_text(end + 1)):
                        end += 1        # "Collins & Aikman said": partners' names joined
                        continue
                    break
                end += 1
            if end == start:
                continue
            after = token_text(end).lower()
            verb_at = end
            if after in _ADVERBS and after not in _REPORTING_VERBS:
                verb_at = end + 1
                after = token_text(verb_at).lower()
            elif after in _AUXILIARIES:
                # "Olectra Greentech has won": a company's verb after the auxiliary
                verb = token_text(end + 1).lower()
                if verb in _REPORTING_VERBS and verb not in _PERSON_VERBS:
                    after = verb
            relative = after == "," and token_text(end + 1) == "which"
            if self._post_and_person_after(end, len(taken), token_text) \
                    and not token_text(start).lower().endswith(_NOT_NAME_ENDINGS):
                # "Vitesco chief executive Andreas Wolf said": a company's post and its holder
                # (not an adverb or an adjective: "Subsequently chief executive …", "Automotive …")
                found.append((start, end, "ORG", ""))
                continue
            if after == "," and token_text(end + 1).lower() in ("a", "an", "the"):
                # an appositive that calls it a company: "Olectra Greentech, a MEIL subsidiary,
                # has won" (one that gives a person's post is left alone)
                after = self._verb_after_appositive(end + 1, len(taken), token_text)
            # a verb in the past with a company's object ("Intermet terminated its contract", "…
            # also terminated its"), not a person's ("Menon joined the board", "Kapoor signed his")
            past = after not in _REPORTING_VERBS and bool(_PAST_TENSE.match(after)) \
                and token_text(verb_at + 1).lower() in _COMPANY_OBJECTS
            if not (relative or after in _REPORTING_VERBS or past):
                continue
            if end - start > 1 and not relative and after in _PERSON_VERBS \
                    and token_text(start + 1) != "&":
                continue        # "Sanjay Labroo said": a person, as often as not (not "Collins & Aikman")
            if end - start == 1 and re.compile(r"\b[A-Z][a-z]+[ \t]+" + re.escape(token_text(start)) + r"\b"
                                               ).search(text, 0, offsets[start]):
                continue
            found.append((start, end, "ORG", ""))
        return found

    @staticmethod
    def _post_and_person_after(end: int, length: int, token_text) -> bool:
        """Whether a post written in lower case follows token ``end`` ("chief executive",
        "managing director", "spokeswoman") and then a capitalised name of two words."""
        index = end
        words = 0
        while index < length and words < 3 and token_text(index).lower() in _POST_WORDS \
                and token_text(index).islower():
            index += 1
            words += 1
        if not words or token_text(index - 1).lower() not in _POST_HEADS:
            return False
        first, second = token_text(index), token_text(index + 1)
        return bool(_PERSON_NAME_WORD.match(first)) and bool(_PERSON_NAME_WORD.match(second))

    def _verb_after_appositive(self, start: int, length: int, token_text) -> str:
        """The verb after an appositive opening at ``start`` that names a kind of company
        ("a MEIL subsidiary,", "the Pune-based maker,"), the auxiliary passed; else ""."""
        company = False
        for index in range(start, min(start + 10, length)):
            word = token_text(index)
            if word == ",":
                if not company:
                    return ""
                verb = token_text(index + 1).lower() if index + 1 < length else ""
                if verb in _ADVERBS and index + 2 < length:
                    verb = token_text(index + 2).lower() if verb not in _AUXILIARIES or \
                        token_text(index + 2).lower() in _REPORTING_VERBS else verb
                return verb
            lower = word.lower()
            if lower in _APPOSITIVE_COMPANY_WORDS or (lower.endswith("maker") and not lower.startswith(_PERSON_MAKERS)):
                company = True      # (", the world's largest steelmaker,"; not ", a BJP lawmaker,")
            elif lower in _APPOSITIVE_PERSON_WORDS or word in self.lexicon.titles:
                return ""       # "Kapil Gupta, the joint managing director of the company,"
        return ""

    def _could_be_a_name_word(self, word: str) -> bool:
        """A capitalised word that is no English word (in any inflection), place or title."""
        lexicon, english = self.lexicon, self.english
        lower = word.lower()
        return not (len(word) < 3 or not word.isalpha() or not word[0].isupper() or word.isupper()
                    or lower in english or self.lemma_of.get(lower, lower) in english
                    or word in lexicon.places or word in lexicon.titles or word in lexicon.not_names)

    def _is_name_token(self, token) -> bool:
        return _is_name_word(token.text)

    def _name_before(self, doc: Doc, start: int, end: int, taken: bytearray,
                     bounds: tuple[int, int]) -> tuple[int, int] | None:
        # extend over following suffixes: "Polymers Pvt. Ltd.", and an arm's name after them:
        # "ArcelorMittal Nippon Steel India" (not India the place: "… India and abroad")
        while end < len(doc) and not taken[end] and (doc[end].text in self.lexicon.org_suffixes):
            end += 1
        if end < bounds[1] and not taken[end] and doc[end].text in _ARM_SUFFIXES \
                and not (end + 1 < bounds[1] and doc[end + 1].lower_ in ("and", "or")):
            end += 1
            while end < len(doc) and not taken[end] and (doc[end].text in self.lexicon.org_suffixes):
                end += 1
        sentence_start = bounds[0]
        first = start
        while first - 1 >= sentence_start and not taken[first - 1]:
            before = doc[first - 1]
            if self._is_name_token(before) and not before.is_space:
                first -= 1
            elif first - 2 >= sentence_start and not taken[first - 2] and self._is_name_token(doc[first - 2]) \
                    and ((before.text == "-" and not before.whitespace_ and not doc[first - 2].whitespace_)
                         or before.lower_ in ("of", "de")):
                first -= 2      # "Clark-Cutler-McDermott Co.", "Tube Investments of India Ltd"
            else:
                break
        while first < start and (doc[first].text in self.lexicon.not_names or doc[first].text == "&"
                                 or (doc[first].is_stop and doc[first].is_title)):
            first += 1
        opener = self._known_ends.get(first)
        if opener is not None and opener >= sentence_start and first < start and doc[first].is_title \
                and doc[first].text not in _STRONG_SUFFIXES:
            if first - opener > 1 or doc[first].text in self.lexicon.division_words:
                # its division or product: "Navika Commercial Vehicles", "Vitreon Acoustic Glass",
                # "Ashok Leyland Bus Products", "Vitreon Auto Glass Replacement Products"
                return None
            # a catalog name before a name word and a suffix opens another company's name:
            # "Meridian Magnesium Products", "Sisecam Flat Glass" (not "Sunmarg Glass")
            first = opener
        if first == start and start > 0 and doc[start - 1].text in _NAMING_ADJECTIVES and not taken[start - 1] \
                and start - 1 >= sentence_start and doc[start].text in _NAMING_ADJECTIVE_SUFFIXES:
            first = start - 1   # "Indian Railways": the adjective names it
        if first == start:
            return None  # a suffix word alone ("Group", "Glass") is not a name
        if end < len(doc) and doc[end].text in self.lexicon.event_words and doc[end - 1].text not in _STRONG_SUFFIXES:
            return None  # an event's name: "the New Delhi Auto Expo", "the Frankfurt Motor Show"
        suffix = doc[start].text
        if suffix not in _STRONG_SUFFIXES and self._title_case_sentence(doc, bounds, (first, end), taken):
            return None
        return first, end

    def _name_after_descriptor(self, doc: Doc, end: int, taken: bytearray,
                               bounds: tuple[int, int]) -> tuple[int, int] | None:
        """The capitalised name right after "supplier", "carmaker", "-based" and the like."""
        if end >= bounds[1] or taken[end] or not self._is_name_token(doc[end]) \
                or doc[end].text in self.lexicon.not_names or doc[end].text in self.lexicon.titles:
            return None
        last = end
        while last < bounds[1] and last - end < 6 and not taken[last] and (
                (self._is_name_token(doc[last]) and doc[last].text not in self.lexicon.titles
                 and (last == end or doc[last].text not in self.lexicon.not_names
                      or doc[last].text in _ARM_SUFFIXES))      # not "Nexaro Tuesday"; "Axles India"
                or (doc[last].lower_ in {"of", "and", "&", "de"} and last + 1 < bounds[1]
                    and self._is_name_token(doc[last + 1]) and not taken[last + 1])):
            last += 1
        while last > end and doc[last - 1].lower_ in {"of", "and", "&", "de"}:
            last -= 1
        # a legal form may follow: "Sigma Electric Pvt. Ltd."
        legal_form = False
        while last < bounds[1] and not taken[last] and doc[last].text in _STRONG_SUFFIXES:
            last += 1
            legal_form = True
        if not legal_form and self._title_case_sentence(doc, bounds, (end, last), taken):
            return None     # a headline: "German Supplier Orlenhof Bags Rs 500 Crore Order"
        if not legal_form and doc[last - 1].text in self.lexicon.event_words:
            return None     # an award or an event: "Supplier Quality Excellence Award"
        return end, last

    def _name_after_head(self, doc: Doc, start: int, taken: bytearray,
                         bounds: tuple[int, int]) -> tuple[int, int] | None:
        # "Association of Indian Glass Makers"
        end = start + 1
        if end >= len(doc) or doc[end].lower_ != "of":
            return None
        end += 1
        sentence_end = bounds[1]
        last = end
        while last < sentence_end and not taken[last] and (
                self._is_name_token(doc[last]) or (doc[last].lower_ in {"of", "and"}
                                                   and last + 1 < sentence_end
                                                   and self._is_name_token(doc[last + 1]))):
            last += 1
        if last == end:
            return None
        first = start
        while first - 1 >= bounds[0] and self._is_name_token(doc[first - 1]) \
                and doc[first - 1].text not in self.lexicon.not_names and not taken[first - 1]:
            first -= 1
        return first, last

    def _title_case_sentence(self, doc: Doc, bounds: tuple[int, int], candidate: tuple[int, int],
                             taken: bytearray) -> bool:
        """A headline ("Vitreon Unveils New Acoustic Glass"): most of its other words are capitalised.

        Each sentence's long words are read once, from the text (this runs for every suffix word,
        and a Token object per word is costly)."""
        cached = self._title_cache.get(bounds)
        if cached is None:
            text, offsets = doc_text(doc), token_starts(doc)
            length, count = len(text), len(offsets)
            positions, titled_before = [], [0]      # long words, and how many of those are titled
            titled = 0
            for i in range(*bounds):
                # the word ends where word_end_char says (inlined: this runs for every token)
                following = offsets[i + 1] if i + 1 < count else length
                word = text[offsets[i]:following - 1 if text[following - 1] == " " else following]
                if len(word) > 3 and word.isalpha() and not taken[i]:
                    positions.append(i)
                    titled += word.istitle()
                    titled_before.append(titled)
            cached = self._title_cache[bounds] = (positions, titled_before)
        positions, titled_before = cached
        low, high = bisect_left(positions, candidate[0]), bisect_left(positions, candidate[1])
        words = len(positions) - (high - low)
        titled = titled_before[-1] - (titled_before[high] - titled_before[low])
        return words >= 3 and titled / words > 0.6
