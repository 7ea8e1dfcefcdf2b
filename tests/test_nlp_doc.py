"""What the pipeline leaves on a spaCy Doc: sentences, doc.ents, offsets, extensions, batching."""

from __future__ import annotations

import json

import pytest
from conftest import REPO

from compintel.nlp import Tagger
from compintel.nlp.docdata import end_char, token_starts, word_end_char


@pytest.fixture(scope="module")
def tagger(catalog) -> Tagger:
    return Tagger(catalog, recall=False)     # the rules (the recall layer: test_recall.py)


def sentences(tagger: Tagger, text: str) -> list[str]:
    return [sentence.text for sentence in tagger.nlp(text).sents]


# -- sentence boundaries ---------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("Vitreon PPM rose. Sunmarg held prices.", ["Vitreon PPM rose.", "Sunmarg held prices."]),
    ("Quote at Rs. 410 per piece. Ours is lower.", ["Quote at Rs. 410 per piece.", "Ours is lower."]),
    ("Met the buyer vs. their quality head today", ["Met the buyer vs. their quality head today"]),
    ("Is it true? Yes! Dispatch delayed…  Then it came.",
     ["Is it true?", "Yes!", "Dispatch delayed…  ", "Then it came."]),
    ("Line 1 no stop\nLine 2 no stop", ["Line 1 no stop\n", "Line 2 no stop"]),
    ("Sunmarg Glass Pvt Ltd. The company said so.", ["Sunmarg Glass Pvt Ltd.", "The company said so."]),
    ("Sunmarg Glass Pvt Ltd. announced a line.", ["Sunmarg Glass Pvt Ltd. announced a line."]),
    ("\n\nVitreon visited.", ["\n\n", "Vitreon visited."]),
    ("   ", ["   "]),
])
def test_sentence_boundaries(tagger: Tagger, text: str, expected: list[str]) -> None:
    assert sentences(tagger, text) == expected


def test_an_empty_text_has_no_sentences_and_no_signals(tagger: Tagger) -> None:
    doc = tagger.nlp("")
    assert list(doc.sents) == [] and doc._.signals == [] and tagger.tag("").mentions == []


# -- entities on the Doc ---------------------------------------------------------------------

def test_doc_ents_carry_the_catalog_ids(tagger: Tagger) -> None:
    doc = tagger.nlp("Vitreon supplies the Vela at Navika Motors, Kesarpur.")
    assert [(ent.text, ent.label_, ent.kb_id_) for ent in doc.ents] == [
        ("Vitreon", "COMPETITOR", "vitreon"),
        ("Vela", "VEHICLE", "navika-motors/vela"),
        ("Navika Motors", "CUSTOMER", "navika-motors"),
        ("Kesarpur", "PLANT", "navika-motors/kesarpur"),
    ]
    assert [(token.ent_iob_, token.ent_type_, token.ent_kb_id_) for token in doc] == [
        ("B", "COMPETITOR", "vitreon"), ("O", "", ""), ("O", "", ""),
        ("B", "VEHICLE", "navika-motors/vela"), ("O", "", ""),
        ("B", "CUSTOMER", "navika-motors"), ("I", "CUSTOMER", "navika-motors"), ("O", "", ""),
        ("B", "PLANT", "navika-motors/kesarpur"), ("O", "", ""),
    ]


def test_mentions_have_the_character_offsets_of_doc_ents(tagger: Tagger) -> None:
    text = "Vitreon  and\nSunmarg Glass Pvt Ltd visited Navika Motors \n at Kesarpur "
    doc = tagger.nlp(text)
    mentions = tagger.tag(text).mentions
    assert [(m.start, m.end, m.text) for m in mentions] == \
        [(ent.start_char, ent.end_char, ent.text) for ent in doc.ents]
    assert [m.text for m in mentions] == ["Vitreon", "Sunmarg Glass Pvt Ltd", "Navika Motors", "Kesarpur"]


def test_word_end_offsets_match_spacy_for_every_word(tagger: Tagger) -> None:
    text = "PPM  380 ,ours\n 72. Rs. 4,10,000/-  per\tset  \n"
    doc = tagger.nlp.make_doc(text)
    starts = token_starts(doc)
    for token in doc:
        assert end_char(doc, starts, token.i + 1) == token.idx + len(token)
        if not token.is_space:
            assert word_end_char(text, starts, token.i + 1) == token.idx + len(token), token.text


def test_extensions_read_what_the_components_stored(tagger: Tagger) -> None:
    doc = tagger.nlp("Vitreon PPM at Navika up to 380 this month.")
    assert [(s.type, s.company_id, s.value) for s in doc._.signals] == [("quality_ppm", "vitreon", 380.0)]
    assert [figure.text for figure in doc._.figures] == ["380"]
    doc._.context = {"customer": "navika-motors"}
    assert doc._.context == {"customer": "navika-motors"}


def test_figures_and_signals_written_through_the_extensions_read_back_equal(tagger: Tagger) -> None:
    doc = tagger.nlp("Vitreon PPM at Navika up to 380 this month; OTIF 91%.")
    figures, signals = doc._.figures, doc._.signals
    assert len(figures) == 2 and len(signals) == 2
    doc._.figures, doc._.signals = figures[1:], signals[:1]
    assert doc._.figures == figures[1:] and doc._.signals == signals[:1]
    doc._.figures[0].unit = "units"                 # a copy: the stored figure keeps its unit
    assert doc._.figures == figures[1:]
    doc._.figures = None
    assert doc._.figures is None


# -- batching --------------------------------------------------------------------------------

def test_batched_tagging_gives_what_one_document_at_a_time_gives(tagger: Tagger) -> None:
    """Components run over a batch before handing it on; no state may leak between documents."""
    items = []
    for line in (REPO / "tests" / "data" / "labelled" / "dev.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            item = json.loads(line)
            items.append((item["text"], item.get("context")))
    items = items[:120]
    one_by_one = [tagger.tag(text, context) for text, context in items]
    for batch_size in (1, 7, 64):
        assert list(tagger.tag_many(items, batch_size=batch_size)) == one_by_one


@pytest.mark.parametrize("words, lemma", [
    (["develop", "develops", "developed", "developing"], "develop"),    # the table says "develope"
    (["feed", "feeds", "feeding"], "feed"),                              # … and "fee"
    (["lower", "lowered", "lowers"], "lower"),
    (["phase", "phases"], "phase"),
])
def test_every_form_of_a_word_has_one_lemma(tagger: Tagger, words: list[str], lemma: str) -> None:
    doc = tagger.nlp.make_doc(" ".join(words))
    assert [token.norm_ for token in doc] == [lemma] * len(words)
