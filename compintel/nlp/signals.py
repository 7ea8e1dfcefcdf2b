"""Signals: cue phrases from the lexicon, turned into attributed, graded signals with figures.

For every cue in a sentence the component decides:

* whether it is cancelled — a negator just before or after it in the same clause ("no
  complaints", "prices not revised") or a neutral phrase ("prices held");
* who it is about — the nearest company mention (preceding ones first) in the sentence, or
  "we/our" for our own company, "they/their" for the competitor in context; else the document's
  context competitor;
* at which customer — a customer, or a customer's plant or vehicle, in the sentence; else the
  document context (a note's front matter, a source's tags); else the last customer the
  document mentioned;
* which figure belongs to it — the nearest figure in a unit the signal type takes, preferring
  one not claimed by another signal and one after "to"/"at" over one after "from";
* its grade — ``rumoured`` when the sentence hedges, else the context grade.

Cues of one type about one company in one sentence make one signal; "… vs ours 72" adds the
same signal for the other party with its own figure.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from ..catalog import Catalog
from .figures import Figure
from .lexicon import Lexicon

_COMPANY_LABELS = ("COMPETITOR", "OWN_COMPANY")
_SUBJECT_TYPES = frozenset({"capacity", "financial_result", "partnership", "technology_launch"})
_COMPARE_WORDS = frozenset({"vs", "vs.", "versus", "against", "than", "compared", "v/s"})
_TO_WORDS = frozenset({"to", "at", "of", "reached", "touched", "hit", "is", "was", "@", ":", "=",
                       "around", "about", "~", "nearly", "almost", "over", "above", "below", "under"})
_FROM_WORDS = frozenset({"from", "earlier", "previously", "last", "vs", "versus", "against", "than"})
_PPM_WORDS = frozenset({"ppm"})


@dataclass(frozen=True)
class Signal:
    type: str
    start: int                 # evidence sentence, character offsets
    end: int
    text: str
    company_id: str | None
    customer_id: str | None
    plant_id: str | None
    technology_id: str | None
    value: float | None
    unit: str | None
    grade: str | None
    observed_at: str | None
    cue: str


class _DocumentMemory:
    """What earlier sentences of a document mentioned, for attribution across sentences."""

    def __init__(self) -> None:
        self.customer: str | None = None
        self.competitor: str | None = None
        self.subject: str | None = None

    def update(self, tagger: SignalTagger, ents: list[Span]) -> None:
        subject_set = False
        for ent in ents:
            owner = tagger._customer_of(ent)
            if owner:
                self.customer = owner
            if ent.label_ == "COMPETITOR":
                self.competitor = ent.kb_id_
            if not subject_set and ent.kb_id_ and ent.label_ in (*_COMPANY_LABELS, "CUSTOMER", "ORG"):
                self.subject = ent.kb_id_
                subject_set = True


@dataclass
class _Mention:
    """A company mention usable for attribution (an entity or a pronoun)."""

    token: int
    company_id: str | None
    kind: str                   # entity | own | other


if not Doc.has_extension("signals"):
    Doc.set_extension("signals", default=None)
if not Doc.has_extension("context"):
    Doc.set_extension("context", default=None)


class SignalTagger:
    """Finds cues and assembles :class:`Signal` objects into ``doc._.signals``."""

    def __init__(self, nlp: Language, catalog: Catalog, lexicon: Lexicon) -> None:
        self.catalog = catalog
        self.lexicon = lexicon
        self.cues = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.cue_types: dict[int, list[tuple[str, bool]]] = defaultdict(list)  # key → (type, failure)
        phrases: dict[str, set[tuple[str, bool]]] = defaultdict(set)
        for signal_type in lexicon.types.values():
            for cue in signal_type.cues:
                phrases[cue.lower()].add((signal_type.name, False))
            for cue in signal_type.failure_cues:
                phrases[cue.lower()].add((signal_type.name, True))
        for phrase, types in phrases.items():
            key = nlp.vocab.strings.add("cue:" + phrase)
            self.cue_types[key] = sorted(types)
            self.cues.add("cue:" + phrase, [nlp.make_doc(phrase)])
        self.markers = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.markers.add("HEDGE", list(nlp.tokenizer.pipe(lexicon.hedges)))
        self.neutral_types: dict[int, frozenset[str]] = {}
        for index, (phrase, types) in enumerate(lexicon.neutral):
            key = f"NEUTRAL{index}"
            self.markers.add(key, [nlp.make_doc(phrase)])
            self.neutral_types[nlp.vocab.strings[key]] = types
        self.markers.add("SUBJECT", list(nlp.tokenizer.pipe(lexicon.subject_phrases)))
        self.hedge_key = nlp.vocab.strings["HEDGE"]
        self.subject_key = nlp.vocab.strings["SUBJECT"]

    # -- main ------------------------------------------------------------------------
    def __call__(self, doc: Doc) -> Doc:
        context = doc._.context or {}
        cue_matches = self._cue_spans(doc)
        if not cue_matches:
            doc._.signals = []
            return doc
        sentences = list(doc.sents)
        sentence_of = [0] * len(doc)
        for index, sentence in enumerate(sentences):
            for i in range(sentence.start, sentence.end):
                sentence_of[i] = index
        hedged = set()
        neutral: dict[int, set[str]] = defaultdict(set)
        subjects: dict[int, list[int]] = defaultdict(list)
        for key, start, _end in self.markers(doc):
            if key == self.hedge_key:
                hedged.add(sentence_of[start])
            elif key == self.subject_key:
                subjects[sentence_of[start]].append(start)
            else:
                neutral[sentence_of[start]].update(self.neutral_types[key])
        ents_by_sentence: dict[int, list[Span]] = defaultdict(list)
        for ent in doc.ents:
            ents_by_sentence[sentence_of[ent.start]].append(ent)
        figures_by_sentence: dict[int, list[tuple[Figure, int]]] = defaultdict(list)
        for figure in doc._.figures or ():
            span = doc.char_span(figure.start, figure.end, alignment_mode="expand")
            if span is not None:
                figures_by_sentence[sentence_of[span.start]].append((figure, span.start))
        cues_by_sentence: dict[int, list[tuple[int, int, list[tuple[str, bool]]]]] = defaultdict(list)
        for start, end, types in cue_matches:
            cues_by_sentence[sentence_of[start]].append((start, end, types))

        signals: list[Signal] = []
        memory = _DocumentMemory()
        for index, sentence in enumerate(sentences):
            ents = ents_by_sentence.get(index, [])
            if index in cues_by_sentence:
                mentions = self._mentions(doc, sentence, ents, context, memory,
                                          cues_by_sentence[index], subjects.get(index, ()))
                signals.extend(self._sentence_signals(
                    doc, sentence, ents, mentions, cues_by_sentence[index],
                    figures_by_sentence.get(index, []), index in hedged,
                    neutral.get(index, set()), context, memory.customer))
            memory.update(self, ents)
        doc._.signals = signals
        return doc

    def _cue_spans(self, doc: Doc) -> list[tuple[int, int, list[tuple[str, bool]]]]:
        """Cue matches with the longest match winning where they overlap."""
        matches = sorted(self.cues(doc), key=lambda m: (m[1], -(m[2] - m[1])))
        chosen: list[tuple[int, int, list[tuple[str, bool]]]] = []
        by_span: dict[tuple[int, int], list[tuple[str, bool]]] = {}
        for key, start, end in matches:
            by_span.setdefault((start, end), []).extend(self.cue_types[key])
        # longest first, then leftmost; drop anything overlapping a chosen cue
        taken = bytearray(len(doc))
        for (start, end), types in sorted(by_span.items(), key=lambda item: (-(item[0][1] - item[0][0]),
                                                                            item[0][0])):
            if any(taken[start:end]):
                continue
            taken[start:end] = b"\x01" * (end - start)
            chosen.append((start, end, sorted(set(types))))
        chosen.sort()
        return chosen

    # -- one sentence ----------------------------------------------------------------
    def _sentence_signals(self, doc, sentence, ents, mentions, cues, figures, hedged, neutral,
                          context, last_customer) -> list[Signal]:
        drafts: dict[tuple[str, str | None], dict] = {}
        for start, end, types in cues:
            for signal_type, failure in types:
                if signal_type in neutral or "*" in neutral:
                    continue
                if not failure and self._negated(doc, sentence, start, end):
                    continue
                company = self._company_for(signal_type, start, mentions, ents, context)
                key = (signal_type, company)
                draft = drafts.get(key)
                if draft is None:
                    drafts[key] = {"type": signal_type, "company": company, "cues": [(start, end)]}
                else:
                    draft["cues"].append((start, end))
        if not drafts:
            return []
        # a customer cue's signal type that only fired on company-less weak evidence is kept;
        # attribution of customers, plants and technologies is per sentence
        customer = self._customer_for(ents, context, last_customer)
        plant = next((ent.kb_id_ for ent in ents if ent.label_ == "PLANT"), None) or context.get("plant")
        grade = "rumoured" if hedged else context.get("grade")
        observed_at = context.get("date")
        used: set[int] = set()
        signals = []
        for draft in sorted(drafts.values(), key=lambda d: self._unit_rank(d["type"])):
            technology = self._nearest(ents, draft["cues"][0][0], ("TECHNOLOGY",))
            figure = self._pick_figure(doc, draft, figures, used)
            company = draft["company"]
            signal_customer = customer
            if company is not None and company in self.catalog \
                    and self.catalog[company].role == "customer":
                signal_customer = company
            signal = Signal(
                type=draft["type"], start=sentence.start_char, end=sentence.end_char,
                text=sentence.text, company_id=company, customer_id=signal_customer,
                plant_id=plant, technology_id=technology,
                value=figure.value if figure else None,
                unit=(figure.unit or self._implied_unit(doc, draft, figure)) if figure else None,
                grade=grade, observed_at=observed_at,
                cue=doc[draft["cues"][0][0]:draft["cues"][0][1]].text)
            signals.append(signal)
            signals.extend(self._comparisons(doc, sentence, signal, figures, ents, used))
        return signals

    # -- negation --------------------------------------------------------------------
    def _negated(self, doc: Doc, sentence: Span, start: int, end: int) -> bool:
        lexicon = self.lexicon
        i = start - 1
        steps = 0
        while i >= sentence.start and steps < lexicon.window_before:
            token = doc[i]
            lower = token.lower_
            if lower in lexicon.boundaries:
                break
            if lower in lexicon.negators_before or lower.endswith("n't"):
                return True
            if not token.is_punct:
                steps += 1
            i -= 1
        i = end
        steps = 0
        while i < sentence.end and steps < lexicon.window_after:
            token = doc[i]
            lower = token.lower_
            if lower in lexicon.boundaries:
                break
            if lower in lexicon.negators_after or lower.endswith("n't"):
                return True
            if not token.is_punct:
                steps += 1
            i += 1
        return False

    # -- attribution -----------------------------------------------------------------
    def _mentions(self, doc: Doc, sentence: Span, ents: list[Span], context: dict,
                  memory: _DocumentMemory, cues, subject_starts) -> list[_Mention]:
        """Who the sentence's cues may be about, at which token."""
        in_cue = set()
        for start, end, _types in cues:
            in_cue.update(range(start, end))
        mentions = []
        for ent in ents:
            if ent.label_ in _COMPANY_LABELS and not self._compared(doc, sentence, ent.start):
                mentions.append(_Mention(ent.start, ent.kb_id_, "entity"))
        own = self.catalog.our_company
        for token in sentence:
            if token.i in in_cue or self._compared(doc, sentence, token.i):
                continue
            lower = token.lower_
            if lower in self.lexicon.own_pronouns:
                mentions.append(_Mention(token.i, own, "own"))
            elif lower in self.lexicon.other_pronouns:
                before = [ent.kb_id_ for ent in ents
                          if ent.label_ == "COMPETITOR" and ent.start < token.i]
                other = (before[-1] if before else None) or context.get("competitor") \
                    or memory.competitor
                if other:
                    mentions.append(_Mention(token.i, other, "other"))
        for start in subject_starts:
            if memory.subject:
                mentions.append(_Mention(start, memory.subject, "subject"))
        mentions.sort(key=lambda m: m.token)
        return mentions

    @staticmethod
    def _compared(doc: Doc, sentence: Span, token: int) -> bool:
        """A mention right after "vs"/"than"/"against" is the compared party, not the subject."""
        for i in range(max(sentence.start, token - 2), token):
            if doc[i].lower_ in _COMPARE_WORDS:
                return True
        return False

    def _company_for(self, signal_type: str, cue_start: int, mentions: list[_Mention],
                     ents: list[Span], context: dict) -> str | None:
        best = None
        best_distance = None
        for mention in mentions:
            distance = cue_start - mention.token
            # a mention before the cue is the likelier subject; after it, likelier an object
            weighted = distance if distance >= 0 else -distance * 1.5 + 1
            if best_distance is None or weighted < best_distance:
                best, best_distance = mention, weighted
        if best is not None:
            return best.company_id
        if signal_type in _SUBJECT_TYPES:
            subject = self._nearest(ents, cue_start, ("CUSTOMER", "ORG"), with_id=True)
            if subject is not None:
                return subject
        return context.get("competitor") or context.get("company")

    def _customer_of(self, ent: Span) -> str | None:
        if ent.label_ == "CUSTOMER":
            return ent.kb_id_
        if ent.label_ in ("PLANT", "VEHICLE") and ent.kb_id_:
            owner = self.catalog.owner(ent.kb_id_)
            if owner and self.catalog[owner].role == "customer":
                return owner
        return None

    def _customer_for(self, ents: list[Span], context: dict, last_customer: str | None) -> str | None:
        for label in ("CUSTOMER", "PLANT", "VEHICLE"):
            for ent in ents:
                if ent.label_ == label:
                    owner = self._customer_of(ent)
                    if owner:
                        return owner
        return context.get("customer") or last_customer

    @staticmethod
    def _nearest(ents: list[Span], token: int, labels: tuple[str, ...], with_id: bool = True) -> str | None:
        best = None
        best_distance = None
        for ent in ents:
            if ent.label_ not in labels or (with_id and not ent.kb_id_):
                continue
            distance = abs(ent.start - token)
            if best_distance is None or distance < best_distance:
                best, best_distance = ent.kb_id_, distance
        return best

    # -- figures ---------------------------------------------------------------------
    def _unit_rank(self, signal_type: str) -> int:
        # signals with one specific unit choose their figure first (ppm before %)
        return len(self.lexicon.types[signal_type].units) or 99

    def _pick_figure(self, doc: Doc, draft: dict, figures: list[tuple[Figure, int]],
                     used: set[int]) -> Figure | None:
        units = self.lexicon.types[draft["type"]].units
        if not units:
            return None
        cue_positions = [start for start, _ in draft["cues"]]
        ppm_cue = draft["type"] == "quality_ppm" and any(
            doc[start].lower_ in _PPM_WORDS for start, _ in draft["cues"])
        best = None
        best_score = None
        for figure, token in figures:
            unit = figure.unit
            if unit is None:
                # a bare number only counts as PPM right after a "PPM" cue ("PPM up to 380")
                if not ppm_cue or not any(0 < token - start <= 8 for start in cue_positions):
                    continue
            elif unit not in units:
                continue
            distance = min(abs(token - start) for start in cue_positions)
            score = distance + units.index(unit or "ppm") * 2
            previous = doc[token - 1].lower_ if token > 0 else ""
            if previous in _TO_WORDS:
                score -= 2
            if previous in _FROM_WORDS or (token > 1 and doc[token - 2].lower_ in _COMPARE_WORDS):
                score += 6
            if id(figure) in used:
                score += 20
            if best_score is None or score < best_score:
                best, best_score = figure, score
        if best is not None:
            used.add(id(best))
        return best

    @staticmethod
    def _implied_unit(doc: Doc, draft: dict, figure: Figure) -> str | None:
        return "ppm" if draft["type"] == "quality_ppm" and figure.unit is None else figure.unit

    def _comparisons(self, doc: Doc, sentence: Span, signal: Signal,
                     figures: list[tuple[Figure, int]], ents: list[Span],
                     used: set[int]) -> list[Signal]:
        """'VAGL PPM 380 vs ours 72': the same signal for the compared party."""
        if signal.value is None:
            return []
        extra = []
        for index in range(sentence.start, sentence.end - 1):
            if doc[index].lower_ not in _COMPARE_WORDS:
                continue
            party = self._compared_party(doc, index, sentence, ents)
            if party is None or party[1] == signal.company_id:
                continue
            party_token, company = party
            figure = next((f for f, token in figures
                           if party_token < token <= party_token + 4 and id(f) not in used
                           and (f.unit is None or f.unit == signal.unit)), None)
            if figure is None:
                continue
            used.add(id(figure))
            extra.append(replace(signal, company_id=company, value=figure.value,
                                 unit=figure.unit or signal.unit))
        return extra

    def _compared_party(self, doc: Doc, index: int, sentence: Span,
                        ents: list[Span]) -> tuple[int, str] | None:
        for ent in ents:
            if index < ent.start <= index + 3 and ent.label_ in _COMPANY_LABELS:
                return ent.end - 1, ent.kb_id_
        for i in range(index + 1, min(index + 4, sentence.end)):
            if doc[i].lower_ in self.lexicon.own_pronouns and self.catalog.our_company:
                return i, self.catalog.our_company
        return None
