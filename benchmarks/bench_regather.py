"""Re-gather benchmark: a local folder source of N article pages (default 10,000 and 50,000).

Issue 12 asks that gathering a folder again when nothing changed costs a stat or a raw-bytes
hash per file, not a parse: the second gather at most 5 % of the first. Printed for each size,
side by side in the same run: the first gather's wall time, the second's, their ratio, and the
store's size per 1,000 documents (SQLite file) after the gathers and after tagging them.

Run:  .venv/bin/python benchmarks/bench_regather.py [--sizes 10000 50000]
  or  .venv/bin/pytest -m benchmark -s benchmarks/bench_regather.py   (`make bench`; both sizes)
Timings are printed, never judged.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from gatherweb import article_page, generated_paragraphs, make_workspace  # noqa: E402

from compintel import Workbench  # noqa: E402

SOURCES = """\
[[source]]
name = "archive"
kind = "folder"
path = "archive"
pattern = "*.html"
"""


def build(root: Path, documents: int, seed: int = 5) -> Path:
    """A workspace whose folder source holds ``documents`` distinct article pages."""
    make_workspace(root, SOURCES)
    folder = root / "sources" / "archive"
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    for number in range(documents):
        paragraphs = generated_paragraphs(number, rng.randint(1_500, 4_000))
        (folder / f"a{number:06d}.html").write_text(
            article_page(f"Glassline item {number}", paragraphs, published="2026-05-12T09:30:00Z"),
            encoding="utf-8")
    return root


def measure(root: Path) -> dict[str, float]:
    with Workbench.open(root) as wb:
        started = time.perf_counter()
        first = wb.gather()
        first_s = time.perf_counter() - started
        started = time.perf_counter()
        second = wb.gather()
        second_s = time.perf_counter() - started
        documents = wb.store.query("SELECT COUNT(*) FROM documents")[0][0]
        gathered = _store_bytes(root)
        wb.tag()
        signals = wb.store.query("SELECT COUNT(*) FROM signals")[0][0]
        tagged = _store_bytes(root)
    per_1000 = 1000 / max(documents, 1) / 1e6
    return {"documents": documents, "first_s": first_s, "second_s": second_s,
            "ratio": second_s / first_s if first_s else float("nan"),
            "store_mb_per_1000": gathered * per_1000, "tagged_mb_per_1000": tagged * per_1000,
            "signals": signals, "first_summary": str(first), "second_summary": str(second)}


def _store_bytes(root: Path) -> int:
    """The store's size on disk: the SQLite file and its write-ahead log."""
    return sum(path.stat().st_size for path in root.glob("compintel.db*"))


def report(size: int, result: dict[str, float]) -> str:
    return (f"{size:>7,} pages: first gather {result['first_s']:7.1f} s, second {result['second_s']:6.2f} s "
            f"({result['ratio']:.1%} of the first; target ≤ 5 %); store per 1,000 documents "
            f"{result['store_mb_per_1000']:.2f} MB gathered, {result['tagged_mb_per_1000']:.2f} MB tagged "
            f"({result['documents']:,} documents, {result['signals']:,} signals)")


@pytest.mark.benchmark
@pytest.mark.parametrize("size", [10_000, 50_000])
def test_regather_benchmark(tmp_path: Path, size: int) -> None:
    result = measure(build(tmp_path / "ws", size))
    print("\n" + report(size, result))
    assert result["documents"] == size


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 50_000])
    args = parser.parse_args()
    for size in args.sizes:
        with tempfile.TemporaryDirectory() as folder:
            result = measure(build(Path(folder) / "ws", size))
            print(report(size, result), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
