"""Gather benchmark: a listing of 500 article pages (~50 KB each) on the local test server.

Measures, as medians of REPEATS runs on fresh workspaces:

* the first gather (everything new): wall time;
* the second gather over the unchanged site: wall time, response bodies downloaded again
  (must be 0 — every page and the listing answer 304), and the ratio second/first;

and once each, with tracemalloc (Python allocations; ``ru_maxrss`` is printed too but is the
whole process's high-water mark, test server and page bodies included):

* the peak memory of a first gather;
* the peak memory of fetching one page that streams 200 MB against the 10 MB body cap;

and, on the same pages, the extraction time per page (median and p95) of the extractor
before trafilatura (issue 14: ``compintel/extract.py`` at :data:`BASELINE_COMMIT`, read from
git history) and of the current one, each page by both in turn.

Run:  .venv/bin/pytest -m benchmark -s benchmarks/bench_gather.py
  or  .venv/bin/python benchmarks/bench_gather.py [--pages N] [--repeats N]
Only the 304 count is asserted; timings are printed, never judged.
"""

from __future__ import annotations

import argparse
import importlib.util
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from gatherweb import (  # noqa: E402
    article_page,
    generated_paragraphs,
    listing_page,
    make_workspace,
    source_table,
)
from localweb import LocalWeb, Response, _Handler  # noqa: E402

from compintel import Workbench  # noqa: E402
from compintel.extract import extract_article  # noqa: E402

PAGES = 500
PAGE_BYTES = 50_000
REPEATS = 3
HUGE_BYTES = 200_000_000
CAP_BYTES = 10_000_000
LAST_MODIFIED = "Tue, 12 May 2026 09:30:00 GMT"
MB = 1024 * 1024
REPO = Path(__file__).resolve().parent.parent
# The extractor before trafilatura: the last commit of compintel/extract.py on BeautifulSoup.
BASELINE_COMMIT = "7469ba881cc4e1767681cf4e7d240d104a369624"


@dataclass
class Pair:
    """One first gather and the second gather after it."""

    first_s: float
    second_s: float
    first_bodies: int       # responses with a body (listing + pages; robots.txt not counted)
    second_bodies: int
    second_304s: int
    stored: int

    @property
    def ratio(self) -> float:
        return self.second_s / self.first_s


def page_html(i: int) -> str:
    """Generated article page ``i`` of the site (about PAGE_BYTES)."""
    return article_page(f"Trade report {i}", generated_paragraphs(i, PAGE_BYTES - 4_000),
                        author="Desk", published="2026-05-12", menu=40)


@contextmanager
def site(pages: int) -> Iterator[LocalWeb]:
    """The local server with a listing of ``pages`` generated article pages (ETag + Last-Modified)."""
    # The test server writes headers and body separately; without TCP_NODELAY each response
    # waits ~40 ms for a delayed ACK, which would dominate the measurement.
    nagle = _Handler.disable_nagle_algorithm
    _Handler.disable_nagle_algorithm = True
    try:
        with LocalWeb() as web:
            paths = [f"/news/{i:04d}-story" for i in range(pages)]
            for i, path in enumerate(paths):
                web.route(path, Response(body=page_html(i).encode("utf-8"), etag=f'"p{i}"',
                                         last_modified=LAST_MODIFIED))
            web.route("/latest", Response(body=listing_page(paths).encode("utf-8"),
                                          etag='"latest"', last_modified=LAST_MODIFIED))
            web.route("/huge", Response(stream_bytes=HUGE_BYTES))
            yield web
    finally:
        _Handler.disable_nagle_algorithm = nagle


def _workspace(web: LocalWeb, root: Path, pages: int) -> Path:
    return make_workspace(root, source_table(name="trade-latest", kind="listing",
                                             url=web.url("/latest"), max_links=pages),
                          max_bytes=CAP_BYTES)


def _bodies(web: LocalWeb, since: int) -> tuple[int, int]:
    """(responses with a body, 304-like empty responses) since request number ``since``."""
    asked = [r for r in web.requests[since:] if r.path != "/robots.txt"]
    return sum(r.bytes_sent > 0 for r in asked), sum(r.bytes_sent == 0 for r in asked)


def _timed_gather(root: Path) -> tuple[float, int]:
    start = time.perf_counter()
    with Workbench.open(root) as wb:
        report = wb.gather()
        stored = wb.store.row_counts()["documents"]
    elapsed = time.perf_counter() - start
    if report.failures:
        raise RuntimeError(f"gather failed: {report.failures[:3]}")
    return elapsed, stored


def measure_pair(web: LocalWeb, root: Path, pages: int) -> Pair:
    """A first and a second gather of the site into a fresh workspace at ``root``."""
    _workspace(web, root, pages)
    mark = len(web.requests)
    first_s, stored = _timed_gather(root)
    first_bodies, _ = _bodies(web, mark)
    mark = len(web.requests)
    second_s, _ = _timed_gather(root)
    second_bodies, second_304s = _bodies(web, mark)
    return Pair(first_s, second_s, first_bodies, second_bodies, second_304s, stored)


def peak_of_gather(root: Path) -> float:
    """tracemalloc peak (MB) of one gather; the workspace's catalog and sources load first."""
    with Workbench.open(root) as wb:
        _ = wb.sources, wb.store
        tracemalloc.start()
        try:
            report = wb.gather()
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    _ = report
    return peak / MB


def extractor_before() -> ModuleType | None:
    """``compintel/extract.py`` at BASELINE_COMMIT as module ``compintel._extract_before``
    (its relative imports resolve in today's package), or None without the git history."""
    try:
        source = subprocess.run(["git", "show", f"{BASELINE_COMMIT}:compintel/extract.py"],
                                cwd=REPO, capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "extract_before.py"
        path.write_text(source, encoding="utf-8")
        spec = importlib.util.spec_from_file_location("compintel._extract_before", path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module   # dataclasses look their module up there
        spec.loader.exec_module(module)
    return module


def extraction_times(pages: int) -> dict[str, list[float]]:
    """Seconds per page of extract_article before and after, each page by both in turn
    (so a busy moment of the machine costs both alike)."""
    before = extractor_before()
    extractors: dict[str, Callable[..., object]] = {"after": extract_article}
    if before is not None:
        extractors = {"before": before.extract_article, **extractors}
    times: dict[str, list[float]] = {name: [] for name in extractors}
    for i in range(pages):
        html, url = page_html(i), f"http://127.0.0.1/news/{i:04d}-story"
        for name, extract in extractors.items():
            start = time.perf_counter()
            text = extract(html, url).text   # type: ignore[attr-defined]
            times[name].append(time.perf_counter() - start)
            if not text:
                raise RuntimeError(f"{name}: no text from page {i}")
    return times


def measure(tmp: Path, pages: int = PAGES, repeats: int = REPEATS) -> dict[str, object]:
    with site(pages) as web:
        pairs = [measure_pair(web, tmp / f"run{i}", pages) for i in range(repeats)]
        gather_peak = peak_of_gather(_workspace(web, tmp / "memory", pages))

        huge_root = make_workspace(tmp / "huge", source_table(
            name="huge-page", kind="page", url=web.url("/huge")), max_bytes=CAP_BYTES)
        huge_peak = peak_of_gather(huge_root)
        with Workbench.open(huge_root) as wb:
            (reason,) = [row["reason"] for row in wb.store.query(
                "SELECT reason FROM gather_log WHERE outcome = 'failed'")]
        huge_sent = max(r.bytes_sent for r in web.hits("/huge"))
    return {"pages": pages, "pairs": pairs, "gather_peak_mb": gather_peak,
            "huge_peak_mb": huge_peak, "huge_reason": reason, "huge_sent_mb": huge_sent / MB,
            "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "extraction": extraction_times(pages)}


def _ms(seconds: list[float]) -> tuple[float, float]:
    """(median, p95) in milliseconds."""
    ordered = sorted(seconds)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered) * 1000, p95 * 1000


def report(results: dict[str, object]) -> str:
    pairs: list[Pair] = results["pairs"]  # type: ignore[assignment]
    first = statistics.median(p.first_s for p in pairs)
    second = statistics.median(p.second_s for p in pairs)
    lines = [f"gather benchmark: listing + {results['pages']} pages of ~{PAGE_BYTES // 1000} KB, "
             f"{len(pairs)} runs on fresh workspaces",
             "",
             f"{'run':<5}{'first s':>9}{'second s':>10}{'ratio':>8}{'bodies 1st':>12}"
             f"{'bodies 2nd':>12}{'304s 2nd':>10}{'docs':>6}"]
    for i, p in enumerate(pairs, 1):
        lines.append(f"{i:<5}{p.first_s:>9.2f}{p.second_s:>10.2f}{p.ratio:>8.1%}"
                     f"{p.first_bodies:>12}{p.second_bodies:>12}{p.second_304s:>10}{p.stored:>6}")
    lines += [f"{'med':<5}{first:>9.2f}{second:>10.2f}{second / first:>8.1%}"
              f"   (target ratio <= 10%)",
              "",
              f"peak memory, first gather (tracemalloc):             "
              f"{results['gather_peak_mb']:8.1f} MB",
              f"peak memory, 200 MB page against a 10 MB cap (tracemalloc): "
              f"{results['huge_peak_mb']:.1f} MB; server sent {results['huge_sent_mb']:.1f} MB; "
              f"logged: {results['huge_reason']}",
              f"process ru_maxrss (whole process, server and site included): "
              f"{results['maxrss_mb']:.0f} MB",
              "",
              f"extraction per page, the same {results['pages']} pages, each by both in turn:",
              f"{'':<44}{'median ms':>10}{'p95 ms':>9}"]
    times: dict[str, list[float]] = results["extraction"]  # type: ignore[assignment]
    labels = {"before": f"before: BeautifulSoup extractor ({BASELINE_COMMIT[:7]})",
              "after": "after: trafilatura (now)"}
    for name, seconds in times.items():
        median, p95 = _ms(seconds)
        lines.append(f"{labels[name]:<44}{median:>10.1f}{p95:>9.1f}")
    if "before" not in times:
        lines.append(f"(before: no git history with {BASELINE_COMMIT[:7]} here)")
    return "\n".join(lines)


@pytest.mark.benchmark
def test_gather_benchmark(tmp_path: Path) -> None:
    results = measure(tmp_path)
    print()
    print(report(results))
    pairs: list[Pair] = results["pairs"]  # type: ignore[assignment]
    assert [p.second_bodies for p in pairs] == [0] * len(pairs)   # all 304s
    assert all(p.stored == PAGES for p in pairs)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=PAGES)
    parser.add_argument("--repeats", type=int, default=REPEATS)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        results = measure(Path(tmp), args.pages, args.repeats)
    print(report(results))
    pairs: list[Pair] = results["pairs"]  # type: ignore[assignment]
    return 0 if all(p.second_bodies == 0 for p in pairs) else 1


if __name__ == "__main__":
    sys.exit(main())
