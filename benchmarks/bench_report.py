"""Report benchmark: the batch against the naive loop, and one report as the store grows.

Issue 13 asks that `compintel report` for 20 customers on 2 cores be at least 4× faster than
the naive loop (the papermill CLI, then `jupyter nbconvert --to html --no-input`, customer after
customer), and that the time and kernel memory of one report stay within 1.2× when the store
grows from 1,000 to 50,000 documents. Printed side by side in one run:

* the batch and the naive loop for 20 customers: wall time (medians; the naive loop runs once
  per repetition asked for with --naive-repeat, default 1, because it takes minutes) and the
  CPU seconds of every process each started (kernels included), which a machine busy with
  other work distorts far less than wall time;
* per report at 1,000 and 50,000 documents, the sizes in turn (--report-rounds): the time in
  a warm kernel and that kernel's CPU seconds (medians over the customers after a worker's
  first), the kernel's peak memory after one report in a fresh kernel, the page's size, and
  the ratios.

The workspace is the fictional demo, gathered, imported and tagged, plus 17 generated
fictional customers (copies of the demo customers' account rows, notes and signals under new
names), then filled with generated fictional documents and signals: the reported customers'
data and the industry news of the last 24 months stay the same at every size, and the store
grows with ten years of history and other accounts (one per 250 documents) — the "rest of the
store" a report must not pay for.

Run:  .venv/bin/python benchmarks/bench_report.py [--customers 20] [--sizes 1000 50000]
  or  .venv/bin/pytest -m benchmark -s benchmarks/bench_report.py   (`make bench`)
Timings are printed, never judged.
"""

from __future__ import annotations

import argparse
import random
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from conftest import copy_demo  # noqa: E402

from compintel import Workbench  # noqa: E402
from compintel.report import render_reports, report_notebook  # noqa: E402

PERIOD = "2026-10"
BIN = Path(sys.executable).parent
DEMO_CUSTOMERS = ("navika-motors", "dhruva-auto", "meridian-mobility")
ACCOUNT_TABLES = ("sales", "share_of_business", "vendor_ratings", "rfqs", "complaints",
                  "receivables", "production_volumes")
COMPANIES = ("vitreon", "clarity-glassworks", "sunmarg", "kestrel-glass", None)
ORGANISATIONS = ("Lumen Glazing Works", "Arkay Float Glass", "Harbour Interlayers")
SIGNAL_TYPES = ("quality_ppm", "delivery_performance", "vendor_rating", "pricing",
                "share_of_business", "supply_win", "supply_loss", "rfq", "technology_launch",
                "capacity", "customer_engagement", "partnership", "financial_result")
UNITS = {"quality_ppm": "ppm", "delivery_performance": "%", "vendor_rating": "%", "pricing": "%",
         "share_of_business": "%", "capacity": "units", "financial_result": "INR"}
HISTORY_MONTHS = 120          # ten years of generated history, to PERIOD
RECENT_MONTHS = 24            # what one report reads (the report's signal history)


# -- workspaces ----------------------------------------------------------------------------------

def demo_workspace(root: Path) -> Path:
    """The fictional demo workspace, gathered, imported and tagged."""
    copy_demo(root)
    with Workbench.open(root) as wb:
        wb.gather()
        wb.import_files()
        wb.tag()
    return root


def add_customers(root: Path, count: int) -> list[str]:
    """Fictional customers up to ``count`` in all: the demo's three, then copies of them under
    new names (catalog entries; their account rows, notes and signals copied)."""
    new = [f"bench-motors-{number:02d}" for number in range(len(DEMO_CUSTOMERS) + 1, count + 1)]
    with (root / "sources" / "catalog.toml").open("a", encoding="utf-8") as catalog:
        for customer in new:
            name = customer.replace("-", " ").title()
            catalog.write(f'\n[[company]]\nid = "{customer}"\nname = "{name}"\nrole = "customer"\n'
                          f'fictional = true\naliases = ["{name}"]\n')
    db = sqlite3.connect(root / "compintel.db")
    with db:
        for position, customer in enumerate(new):
            _copy_customer(db, DEMO_CUSTOMERS[position % len(DEMO_CUSTOMERS)], customer)
    db.close()
    return [*DEMO_CUSTOMERS, *new][:count]


def _columns(db: sqlite3.Connection, table: str) -> list[str]:
    return [row[1] for row in db.execute(f"PRAGMA table_info({table})")]


def _copy_rows(db: sqlite3.Connection, table: str, where: str, params: tuple, **replace: object) -> None:
    columns = [column for column in _columns(db, table) if column != "id"]
    chosen = ", ".join("?" if column in replace else column for column in columns)
    values = tuple(replace[column] for column in columns if column in replace)
    db.execute(f"INSERT INTO {table} ({', '.join(columns)}) SELECT {chosen} FROM {table} WHERE {where}",
               values + params)


def _copy_customer(db: sqlite3.Connection, source: str, customer: str) -> None:
    for table in ACCOUNT_TABLES:
        _copy_rows(db, table, "customer_id = ?", (source,), customer_id=customer)
    documents = [row[0] for row in db.execute(
        "SELECT document_id FROM field_notes WHERE customer_id = ? UNION "
        "SELECT document_id FROM signals WHERE customer_id = ?", (source, source))]
    for document in documents:
        url = db.execute("SELECT url FROM documents WHERE id = ?", (document,)).fetchone()[0]
        _copy_rows(db, "documents", "id = ?", (document,), url=f"{url}#copy-for-{customer}",
                   story_id=None, minhash=None)
        copy = db.execute("SELECT last_insert_rowid()").fetchone()[0]
        _copy_rows(db, "field_notes", "document_id = ? AND customer_id = ?", (document, source),
                   document_id=copy, customer_id=customer)
        _copy_rows(db, "signals", "document_id = ? AND customer_id = ?", (document, source),
                   document_id=copy, customer_id=customer)


def _month(index: int) -> tuple[int, int]:
    """The month ``index`` months before PERIOD (0 = PERIOD)."""
    year, month = (int(part) for part in PERIOD.split("-"))
    total = year * 12 + month - 1 - index
    return total // 12, total % 12 + 1


def grow_store(root: Path, documents: int, customers: list[str], seed: int = 13) -> int:
    """Add generated fictional documents (with signals) until the store holds ``documents``.

    The same at every size: 10 customer-less news items a month about the demo competitors and
    one item a month per reported customer, over the last 24 months. The rest grows with the
    size: 70 % about other accounts over ten years (one account per 250 documents, each with a
    copy of a demo customer's account rows), 20 % customer-less news and 10 % about the
    reported customers, all older than 24 months. Returns the number of signals."""
    rng = random.Random(seed)
    db = sqlite3.connect(root / "compintel.db")
    have = db.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
    plan: list[tuple[str | None, int]] = []          # (customer, months before PERIOD)
    plan += [(None, month) for month in range(RECENT_MONTHS) for _ in range(10)]
    plan += [(customer, month) for month in range(RECENT_MONTHS) for customer in customers]
    rest = max(0, documents - have - len(plan))
    accounts = [f"bench-account-{number:03d}" for number in range(max(2, documents // 250))]
    for _ in range(rest):
        draw = rng.random()
        if draw < 0.7:
            plan.append((rng.choice(accounts), rng.randrange(HISTORY_MONTHS)))
        elif draw < 0.9:
            plan.append((None, rng.randrange(RECENT_MONTHS, HISTORY_MONTHS)))
        else:
            plan.append((rng.choice(customers), rng.randrange(RECENT_MONTHS, HISTORY_MONTHS)))
    plan = plan[:max(0, documents - have)]
    with db:
        for position, account in enumerate(accounts):
            _copy_customer_tables(db, DEMO_CUSTOMERS[position % len(DEMO_CUSTOMERS)], account)
        signals = 0
        start = db.execute("SELECT COALESCE(MAX(id), 0) FROM documents").fetchone()[0] + 1
        document_rows, signal_rows = [], []
        for offset, (customer, months_back) in enumerate(plan):
            year, month = _month(months_back)
            day = f"{year:04d}-{month:02d}-{rng.randint(1, 28):02d}"
            text, spans = _document_text(rng, customer, year, month)
            document_id = start + offset
            document_rows.append((document_id, f"https://bench.example/news/{document_id}", "article",
                                  f"Glass industry item {document_id}", f"{day}T09:30:00+05:30",
                                  f"{day}T12:00:00+00:00", text, f"bench{document_id}"))
            for (kind, company, begin, end) in spans:
                unit = UNITS.get(kind) if rng.random() < 0.6 else None
                signal_rows.append((document_id, kind, begin, end, company,
                                    customer, unit and round(rng.uniform(1, 500), 1), unit, day,
                                    rng.choice(("observed", "reported", "rumoured")),
                                    None if company else rng.choice(ORGANISATIONS)))
            if len(document_rows) >= 5_000:
                signals += _insert(db, document_rows, signal_rows)
                document_rows, signal_rows = [], []
        signals += _insert(db, document_rows, signal_rows)
    total = db.execute("SELECT COUNT(*) FROM signals").fetchone()[0]
    db.close()
    return total


def _copy_customer_tables(db: sqlite3.Connection, source: str, account: str) -> None:
    for table in ACCOUNT_TABLES:
        _copy_rows(db, table, "customer_id = ?", (source,), customer_id=account)


def _document_text(rng: random.Random, customer: str | None, year: int,
                   month: int) -> tuple[str, list[tuple[str, str | None, int, int]]]:
    """A generated news text and its signals' (type, company, start, end)."""
    parts, spans, length = [], [], 0
    where = f"at {customer.replace('-', ' ').title()}" if customer else "in the industry"
    for number in range(rng.randint(3, 8)):
        kind = rng.choice(SIGNAL_TYPES)
        company = rng.choice(COMPANIES)
        who = (company or rng.choice(ORGANISATIONS)).replace("-", " ").title()
        sentence = (f"{who} reported a {kind.replace('_', ' ')} development {where} in "
                    f"{month:02d}/{year}, according to people familiar with the matter "
                    f"(generated item {number}). ")
        spans.append((kind, company, length, length + len(sentence) - 1))
        parts.append(sentence)
        length += len(sentence)
    filler = ("Suppliers of laminated and tempered glass watched the segment closely, and dealers "
              "said demand held up through the quarter. ") * rng.randint(2, 5)
    return "".join(parts) + filler, spans


def _insert(db: sqlite3.Connection, documents: list[tuple], signals: list[tuple]) -> int:
    db.executemany("INSERT INTO documents (id, url, kind, title, published_at, fetched_at, text, "
                   "content_hash, story_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL)", documents)
    db.executemany("INSERT INTO signals (document_id, type, start, end, company_id, customer_id, "
                   "value, unit, observed_at, grade, company_name) "
                   "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", signals)
    return len(signals)


# -- measurements --------------------------------------------------------------------------------

def _children_cpu() -> float:
    """CPU seconds of the finished child processes so far, their own children included."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def batch_seconds(root: Path, customers: list[str], parallel: int = 2) -> tuple[float, float]:
    """`compintel report` for ``customers``, as a user runs it: wall and CPU seconds."""
    cpu = _children_cpu()
    started = time.perf_counter()
    done = subprocess.run([str(BIN / "compintel"), "report", "-w", str(root), "-p", PERIOD,
                           "-j", str(parallel), *[arg for c in customers for arg in ("-c", c)]],
                          capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"compintel report failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    return seconds, _children_cpu() - cpu


def naive_seconds(root: Path, customers: list[str], folder: Path) -> tuple[float, float]:
    """The papermill CLI, then `jupyter nbconvert --to html --no-input`, customer after
    customer: wall and CPU seconds."""
    notebook = report_notebook(root)
    folder.mkdir(parents=True, exist_ok=True)
    cpu = _children_cpu()
    started = time.perf_counter()
    for customer in customers:
        out = folder / f"{customer}.ipynb"
        for command in ([str(BIN / "papermill"), str(notebook), str(out), "-p", "customer", customer,
                         "-p", "period", PERIOD, "-p", "workspace", str(root)],
                        [str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(out)]):
            done = subprocess.run(command, capture_output=True, text=True)
            if done.returncode != 0:
                raise RuntimeError(f"{command[0]} failed:\n{done.stderr[-2000:]}")
    return time.perf_counter() - started, _children_cpu() - cpu


def per_report(root: Path, customers: list[str]) -> dict[str, list[float]]:
    """One worker renders ``customers`` in turn: the times of the reports after its first (in
    a warm kernel), its kernel's peak memory after the first (a fresh kernel, one report) and
    the pages' sizes."""
    with Workbench.open(root) as wb:
        run = render_reports(wb.store, wb.workspace, wb.catalog, customers, PERIOD, parallel=1)
    failed = [(r.customer_id, r.error) for r in run.results if r.status != "ok"]
    if failed:
        raise RuntimeError(f"reports failed: {failed}")
    return {"seconds": [result.seconds for result in run.results[1:]],
            "cpu": [result.kernel_cpu_seconds or float("nan") for result in run.results[1:]],
            "peak_mb": [run.results[0].kernel_peak_mb or float("nan")],
            "page_kb": [result.html_path.stat().st_size / 1000 for result in run.results]}


def build(root: Path, customers: int, documents: int | None = None) -> tuple[list[str], dict]:
    demo_workspace(root)
    ids = add_customers(root, customers)
    facts = {}
    if documents:
        facts["signals"] = grow_store(root, documents, ids)
    db = sqlite3.connect(root / "compintel.db")
    facts["documents"] = db.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
    facts["signals"] = db.execute("SELECT COUNT(*) FROM signals").fetchone()[0]
    db.close()
    return ids, facts


def run(folder: Path, customers: int = 20, sizes: tuple[int, ...] = (1_000, 50_000),
        batch_repeat: int = 3, naive_repeat: int = 1, report_customers: int = 6,
        report_rounds: int = 2) -> list[str]:
    lines = []
    root = folder / "batch"
    ids, facts = build(root, customers)
    # batch runs before and after each naive one, so both see the machine's load alike
    batch, naive = [batch_seconds(root, ids)], []
    for number in range(naive_repeat):
        naive.append(naive_seconds(root, ids, folder / f"naive-{number}"))
        if len(batch) < batch_repeat:
            batch.append(batch_seconds(root, ids))
    while len(batch) < batch_repeat:
        batch.append(batch_seconds(root, ids))
    b, n = (statistics.median(wall for wall, _ in runs) for runs in (batch, naive))
    b_cpu, n_cpu = (statistics.median(cpu for _, cpu in runs) for runs in (batch, naive))
    lines.append(f"{customers} customers, demo store ({facts['documents']:,} documents), 2 workers:")
    lines.append(f"  batch `compintel report`  median {b:6.1f} s over {batch_repeat} runs "
                 f"({b / customers:.2f} s per customer; CPU {b_cpu:.0f} s)")
    lines.append(f"  naive papermill+nbconvert median {n:6.1f} s over {naive_repeat} run(s) "
                 f"({n / customers:.2f} s per customer; CPU {n_cpu:.0f} s)")
    lines.append(f"  batch is {n / b:.1f}× faster (target ≥ 4×); it uses {n_cpu / b_cpu:.1f}× less CPU")
    stores = {size: build(folder / f"store-{size}", customers, size) for size in sizes}
    samples: dict[int, dict[str, list[float]]] = {size: {} for size in sizes}
    for _ in range(report_rounds):           # sizes in turn, so a busy machine weighs on both
        for size, (ids, _facts) in stores.items():
            for name, values in per_report(folder / f"store-{size}", ids[:report_customers]).items():
                samples[size].setdefault(name, []).extend(values)
    figures = {size: {**stores[size][1], **{name: statistics.median(values)
                                            for name, values in samples[size].items()}}
               for size in sizes}
    lines.append(f"one report (median of {len(samples[sizes[0]]['seconds'])} warm reports and "
                 f"{len(samples[sizes[0]]['peak_mb'])} fresh kernels per size):")
    for figure in figures.values():
        lines.append(f"  {figure['documents']:>7,} documents, {figure['signals']:>8,} signals: "
                     f"{figure['seconds']:5.2f} s in a warm kernel (kernel CPU {figure['cpu']:.2f} s), "
                     f"kernel peak {figure['peak_mb']:5.0f} MB, page {figure['page_kb']:.0f} KB")
    if len(sizes) == 2:
        small, large = (figures[size] for size in sizes)
        lines.append(f"  ratio {sizes[1]:,} / {sizes[0]:,}: time {large['seconds'] / small['seconds']:.2f}× "
                     f"(kernel CPU {large['cpu'] / small['cpu']:.2f}×), memory "
                     f"{large['peak_mb'] / small['peak_mb']:.2f}× (target ≤ 1.2×)")
    return lines


@pytest.mark.benchmark
def test_report_benchmark(tmp_path: Path) -> None:
    lines = run(tmp_path)
    print("\n" + "\n".join(lines))
    assert lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=20)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 50_000])
    parser.add_argument("--batch-repeat", type=int, default=3)
    parser.add_argument("--naive-repeat", type=int, default=1)
    parser.add_argument("--report-rounds", type=int, default=2)
    parser.add_argument("--keep", type=Path, help="build the workspaces here and keep them")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        folder = args.keep or Path(temporary)
        for line in run(folder, args.customers, tuple(args.sizes), args.batch_repeat,
                        args.naive_repeat, report_rounds=args.report_rounds):
            print(line, flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
