"""Tagger throughput: the full compintel pipeline against spaCy's bare tokenizer, same text, same run.

The corpus is built from every text the project has — the demo documents and notes and the
labelled sets — re-sampled into documents of 3–12 sentences with their figures perturbed, until
it holds at least 200,000 words. Sentences recur (as in real trade press) but no document
repeats, and numbers vary, so the tokenizer's cache does not turn the baseline into a lookup.

Run: ``.venv/bin/python benchmarks/bench_tagger.py`` (or ``make bench``). Prints words/s of
both, their ratio (target: pipeline ≥ 25 % of the tokenizer), peak memory and build time;
medians over several alternating rounds, as the machine is noisy.
"""

from __future__ import annotations

import gc
import json
import random
import re
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

MIN_WORDS = 200_000
ROUNDS = 9
_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")


def corpus_sentences() -> list[str]:
    """Sentences from the demo world and the labelled sets."""
    from compintel.extract import extract_article, html_to_text
    from compintel.feeds import parse_feed

    texts: list[str] = []
    demo = ROOT / "sources" / "demo"
    for feed in sorted((demo / "feeds").glob("*")):
        texts.extend(entry.summary for entry in parse_feed(feed.read_bytes()).entries)
    for page in sorted((demo / "pages").glob("*.html")):
        texts.append(extract_article(page.read_bytes().decode("utf-8", "replace")).text)
    for note in sorted((demo / "notes").glob("*.md")):
        texts.append(note.read_text(encoding="utf-8").split("---", 2)[-1])
    for labelled in sorted((ROOT / "tests" / "data" / "labelled").glob("*.jsonl")):
        for line in labelled.read_text(encoding="utf-8").splitlines():
            if line.strip():
                texts.append(json.loads(line)["text"])
    sentences = []
    for text in texts:
        for part in re.split(r"(?<=[.!?])\s+|\n+", html_to_text(text) if "<" in text else text):
            if len(part.split()) >= 4:
                sentences.append(part.strip())
    return sentences


def build_corpus(seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    sentences = corpus_sentences()

    def perturb(sentence: str) -> str:
        return _NUMBER.sub(lambda m: str(rng.randint(2, 9_999)) if rng.random() < 0.7 else m.group(0),
                           sentence)

    documents, words = [], 0
    while words < MIN_WORDS:
        document = " ".join(perturb(rng.choice(sentences)) for _ in range(rng.randint(3, 12)))
        documents.append(document)
        words += len(document.split())
    return documents


def _words(docs) -> int:
    return sum(1 for doc in docs for token in doc if not token.is_space and not token.is_punct)


def measure() -> dict[str, float]:
    import spacy

    from compintel.catalog import load_catalog
    from compintel.nlp import Tagger

    texts = build_corpus()
    catalog = load_catalog(ROOT / "sources", "kestrel-glass")
    build_times, pipeline_rates, tokenizer_rates = [], [], []
    words = 0
    for _ in range(ROUNDS):
        gc.collect()
        bare = spacy.blank("en")
        started = time.perf_counter()
        docs = list(bare.tokenizer.pipe(texts, batch_size=256))
        elapsed = time.perf_counter() - started
        words = _words(docs)
        tokenizer_rates.append(words / elapsed)
        del docs

        gc.collect()
        started = time.perf_counter()
        tagger = Tagger(catalog)
        build_times.append(time.perf_counter() - started)
        started = time.perf_counter()
        for _result in tagger.tag_many(((text, None) for text in texts), batch_size=256):
            pass
        elapsed = time.perf_counter() - started
        pipeline_rates.append(words / elapsed)

    tagger = Tagger(catalog)
    tracemalloc.start()
    for _result in tagger.tag_many(((text, None) for text in texts), batch_size=256):
        pass
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "documents": len(texts), "words": words,
        "tokenizer_words_per_s": statistics.median(tokenizer_rates),
        "pipeline_words_per_s": statistics.median(pipeline_rates),
        "ratio": statistics.median(p / t for p, t in zip(pipeline_rates, tokenizer_rates, strict=True)),
        "build_s": statistics.median(build_times),
        "peak_mb": peak / 1e6,
    }


def report(result: dict[str, float]) -> str:
    return "\n".join([
        f"corpus: {result['documents']:,} documents, {result['words']:,} words (tokens that are not "
        "space or punctuation)",
        f"spacy.blank('en') tokenizer : {result['tokenizer_words_per_s']:>10,.0f} words/s (median of {ROUNDS})",
        f"compintel pipeline          : {result['pipeline_words_per_s']:>10,.0f} words/s (n_process=1)",
        f"ratio pipeline / tokenizer  : {result['ratio']:>10.1%}   (target ≥ 25 %)",
        f"pipeline build time         : {result['build_s']:>10.2f} s",
        f"peak memory while tagging   : {result['peak_mb']:>10.1f} MB (tracemalloc, Python allocations)",
    ])


@pytest.mark.benchmark
def test_tagger_throughput() -> None:
    result = measure()
    print()
    print(report(result))
    assert result["words"] >= MIN_WORDS


if __name__ == "__main__":
    print(report(measure()))
