"""Tagger throughput: the full compintel pipeline against spaCy's bare tokenizer, same text, same run.

Two measurements, each side by side with its baseline in the same run:

* **in process, cue-dense**: a corpus built from the demo documents and notes and the labelled
  sets written in the demo world's voice (about 70 % of its sentences carry a signal cue),
  re-sampled into documents of 3–12 sentences with their figures perturbed, until it holds at
  least 200,000 words. Sentences recur (as in real trade press) but no document repeats, and
  numbers vary, so the tokenizer's cache does not turn the baseline into a lookup. Target: the
  pipeline at ≥ 25 % of the tokenizer's speed.
* **whole process, press text**: ``compintel tag-text`` run as a user runs it (a new process,
  from an empty folder, so with the built-in domain pack: start-up, pipeline build, JSON in and
  out) over about 200,000 words of ordinary press text re-sampled from the press-voice sets,
  against a process that reads the same JSON Lines and runs ``spacy.blank("en")``'s tokenizer.
  Target: ≥ 0.40× the bare tokenizer process's speed.

Run: ``.venv/bin/python benchmarks/bench_tagger.py`` (or ``make bench``). Prints words/s,
ratios, peak memory and build time; medians over alternating rounds, as the machine is noisy.
"""

from __future__ import annotations

import gc
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

MIN_WORDS = 200_000
ROUNDS = 9
PROCESS_ROUNDS = 5
LABELLED = ROOT / "tests" / "data" / "labelled"
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
    for labelled in sorted(LABELLED.glob("*.jsonl")):
        if not labelled.name.startswith("press"):       # the demo world's voice only
            texts.extend(_labelled_texts(labelled))
    sentences = []
    for text in texts:
        for part in re.split(r"(?<=[.!?])\s+|\n+", html_to_text(text) if "<" in text else text):
            if len(part.split()) >= 4:
                sentences.append(part.strip())
    return sentences


def _labelled_texts(path: Path) -> list[str]:
    return [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip()]


def _split(texts: list[str]) -> list[str]:
    return [part.strip() for text in texts for part in re.split(r"(?<=[.!?])\s+|\n+", text)
            if len(part.split()) >= 4]


def press_sentences() -> list[str]:
    """Sentences of the press-voice development sets (not the held-out ones): ordinary press
    text, with fewer cues."""
    paths = [path for path in sorted(LABELLED.glob("press*.jsonl")) if not path.name.startswith("press-test")]
    return _split([text for path in paths for text in _labelled_texts(path)])


def build_corpus(seed: int = 7, sentences: list[str] | None = None) -> list[str]:
    rng = random.Random(seed)
    sentences = sentences if sentences is not None else corpus_sentences()

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


_TOKENIZE_PROCESS = """
import json, sys
import spacy
nlp = spacy.blank("en")
texts = (json.loads(line)["text"] for line in sys.stdin)
for doc in nlp.tokenizer.pipe(texts, batch_size=256):
    pass
"""


def measure_processes() -> dict[str, float]:
    """``compintel tag-text`` as a whole process against a bare tokenizer process, press text."""
    texts = build_corpus(seed=11, sentences=press_sentences())
    words = sum(len(text.split()) for text in texts)
    with tempfile.TemporaryDirectory() as folder:
        lines = Path(folder) / "press.jsonl"
        lines.write_text("".join(json.dumps({"id": n, "text": text}) + "\n"
                                 for n, text in enumerate(texts)), encoding="utf-8")
        empty = Path(folder) / "empty"          # no workspace: the built-in domain pack
        empty.mkdir()

        # the tree this file belongs to, also when another copy of compintel is installed
        environment = {**os.environ, "PYTHONPATH": os.pathsep.join(
            filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}

        def run(command: list[str]) -> float:
            with lines.open("rb") as stdin:
                started = time.perf_counter()
                subprocess.run(command, stdin=stdin, stdout=subprocess.DEVNULL, cwd=empty, check=True,
                               env=environment)
                return time.perf_counter() - started

        tagging, tokenizing = [], []
        for _ in range(PROCESS_ROUNDS):
            tokenizing.append(run([sys.executable, "-c", _TOKENIZE_PROCESS]))
            tagging.append(run([sys.executable, "-m", "compintel", "tag-text"]))
    return {"documents": len(texts), "words": words,
            "tag_text_s": statistics.median(tagging), "tokenizer_s": statistics.median(tokenizing),
            "ratio": statistics.median(t / g for t, g in zip(tokenizing, tagging, strict=True))}


def report_processes(result: dict[str, float]) -> str:
    return "\n".join([
        f"press text: {result['documents']:,} documents, about {result['words']:,} words (whole processes)",
        f"bare tokenizer process      : {result['tokenizer_s']:>10.2f} s (median of {PROCESS_ROUNDS})",
        f"compintel tag-text process  : {result['tag_text_s']:>10.2f} s",
        f"ratio tokenizer / tag-text  : {result['ratio']:>10.2f}×  (target ≥ 0.40×)",
    ])


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


@pytest.mark.benchmark
def test_tag_text_process_on_press_text() -> None:
    result = measure_processes()
    print()
    print(report_processes(result))
    assert result["words"] >= MIN_WORDS


if __name__ == "__main__":
    print(report(measure()))
    print()
    print(report_processes(measure_processes()))
