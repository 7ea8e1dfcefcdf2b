"""The report stage: papermill runs ``notebooks/3c_report.ipynb`` once per customer; nbconvert
turns each executed notebook into one self-contained HTML file.

Output: ``reports/<period>/<customer-id>.html`` beside the executed ``<customer-id>.ipynb``,
and ``reports/<period>/index.html`` linking them. Customers render in parallel; one failing
never stops the others, and its cause (the failing cell and error) is reported.
"""

from __future__ import annotations

import html
import multiprocessing
import os
import re
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tqdm import tqdm

from .errors import CatalogError, UserError
from .store import utcnow
from .urls import safe_filename

if TYPE_CHECKING:
    from .workbench import Workbench

NOTEBOOK_NAME = "3c_report.ipynb"
KERNEL_NAME = "python3"
LOG_NAME = "report.log"             # beside the reports: workers' and kernels' own output
_PERIOD = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


@dataclass
class CustomerReport:
    customer_id: str
    name: str
    status: str                     # ok | failed
    html_path: Path | None = None
    notebook_path: Path | None = None
    error: str | None = None
    seconds: float = 0.0            # rendering it, in its worker
    attempts: int = 1               # 2 when a kernel failure was retried
    kernel_peak_mb: float | None = None


@dataclass
class ReportRun:
    period: str
    directory: Path
    index_path: Path
    results: list[CustomerReport] = field(default_factory=list)

    @property
    def failed(self) -> list[CustomerReport]:
        return [r for r in self.results if r.status != "ok"]


def check_period(period: str) -> str:
    if not isinstance(period, str) or not _PERIOD.match(period):
        raise UserError(f"period must be YYYY-MM, got {period!r}", hint="for example --period 2026-10")
    return period


def report_notebook(workspace_root: Path) -> Path:
    """The workspace's own ``notebooks/3c_report.ipynb`` if it has one, else the project's:
    beside the package in a source checkout, or under ``<prefix>/share/compintel`` when
    installed from a wheel."""
    candidates = [workspace_root / "notebooks" / NOTEBOOK_NAME,
                  Path(__file__).resolve().parent.parent / "notebooks" / NOTEBOOK_NAME,
                  Path(sys.prefix) / "share" / "compintel" / "notebooks" / NOTEBOOK_NAME]
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    raise UserError(f"cannot find {NOTEBOOK_NAME}",
                    hint=f"put it in {workspace_root / 'notebooks'} (copy the project's notebooks/)")


def templates_dir() -> Path:
    return Path(str(resources.files("compintel") / "templates"))


def report_title(notebook: Any) -> str:
    """A report page's title from its notebook: the notebook's ``title`` metadata, else
    "3C report — <customer> — <period>" from the parameters papermill recorded."""
    metadata = notebook.get("metadata", {})
    if metadata.get("title"):
        return str(metadata["title"])
    parameters = metadata.get("papermill", {}).get("parameters", {})
    parts = [str(parameters[name]) for name in ("customer", "period") if parameters.get(name)]
    return " — ".join(["3C report", *parts])


@lru_cache(maxsize=1)
def _html_exporter() -> Any:
    """One exporter per process: loading the template is a good part of an export's cost."""
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(template_name="compintel_report",
                            extra_template_basedirs=[str(templates_dir())])
    exporter.exclude_input = True
    exporter.exclude_input_prompt = True
    exporter.exclude_output_prompt = True
    exporter.exclude_anchor_links = True
    exporter.embed_images = True
    return exporter


def notebook_to_html(notebook: Any, title: str | None = None) -> str:
    """One self-contained HTML page: no code, no prompts, images inline, nothing remote, only
    the CSS the report uses. ``title`` (default: :func:`report_title`) is the page's title."""
    for cell in notebook.cells:
        if cell.get("cell_type") == "code":
            # warnings and progress bars are for the analyst, not the reader
            cell["outputs"] = [out for out in cell.get("outputs", [])
                               if not (out.get("output_type") == "stream" and out.get("name") == "stderr")]
    body, _ = _html_exporter().from_notebook_node(
        notebook, resources={"metadata": {"name": title or report_title(notebook)}})
    return body


# -- workers: each keeps one warm kernel and renders customer after customer ------------------

@dataclass
class RenderOutcome:
    """What a worker says about one customer."""
    status: str                     # ok | failed
    error: str | None = None
    seconds: float = 0.0            # in the worker: kernel (re)start, execution, HTML export
    attempts: int = 1               # 2 when an infrastructure failure was retried
    kernel_peak_mb: float | None = None


_worker: dict[str, Any] = {}        # this worker process's kernel and log


def start_worker(log_path: str, kernel_name: str = KERNEL_NAME) -> None:
    """Set up a worker process: its output and its kernels' go to the run's log file (the
    kernel's warnings are not for the terminal), and its kernel stops when it exits."""
    from multiprocessing import util

    fd = os.open(log_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    os.dup2(fd, 1)
    os.dup2(fd, 2)
    os.close(fd)
    _worker.update(kernel_name=kernel_name, kernel=None)
    util.Finalize(None, _stop_kernel, exitpriority=10)


def _stop_kernel() -> None:
    kernel = _worker.get("kernel")
    if kernel is not None:
        kernel.shutdown()
        _worker["kernel"] = None


def _log(message: str) -> None:
    print(f"{datetime.now().strftime('%H:%M:%S')} [worker {os.getpid()}] {message}",
          file=sys.stderr, flush=True)


def render_one(notebook: str, output_ipynb: str, output_html: str, parameters: dict[str, Any],
               timeout: int, title: str | None = None) -> RenderOutcome:
    """Execute one report notebook in this worker's warm kernel and export it. Runs in a
    worker set up by :func:`start_worker`.

    A kernel that does not start or dies is replaced and the customer tried once more; an
    error in the notebook's code is reported as it is, with its cell."""
    from papermill.exceptions import PapermillExecutionError

    from .warm_kernel import KernelFailure, WarmKernel

    started = time.perf_counter()
    customer = parameters.get("customer")
    attempts = 0
    while True:
        attempts += 1
        kernel = _worker.get("kernel")
        try:
            if kernel is None or not kernel.started:
                kernel = WarmKernel(_worker.get("kernel_name", KERNEL_NAME), log=sys.stderr)
                _worker["kernel"] = kernel
                kernel.start()
                _log(f"kernel {kernel.pid} started")
            _log(f"{customer}: running in kernel {kernel.pid} (notebook {kernel.notebooks + 1} there)")
            ran = time.perf_counter()
            executed = kernel.execute_notebook(notebook, output_ipynb, parameters, timeout=timeout)
        except KernelFailure as exc:
            _worker["kernel"] = None
            if attempts == 1:
                _log(f"{customer}: {exc}; trying again with a fresh kernel")
                continue
            return _failed(customer, f"{exc} (tried twice, each with a fresh kernel)", started, attempts)
        except PapermillExecutionError as exc:
            return _failed(customer, f"cell {exc.exec_count}: {exc.ename}: {_first_line(exc.evalue)}",
                           started, attempts)
        except Exception as exc:  # noqa: BLE001 - a worker reports every failure as text
            if kernel is not None and not kernel.started:
                _worker["kernel"] = None       # stopped after a timeout: the next one starts afresh
            return _failed(customer, f"{type(exc).__name__}: {_first_line(str(exc))}", started, attempts)
        break
    exported = time.perf_counter()
    peak = kernel.peak_memory_mb()
    try:
        Path(output_html).write_text(notebook_to_html(executed, title), encoding="utf-8")
    except Exception as exc:  # noqa: BLE001
        return _failed(customer, f"HTML export: {type(exc).__name__}: {_first_line(str(exc))}",
                       started, attempts)
    seconds = time.perf_counter() - started
    _log(f"{customer}: ok in {seconds:.1f} s (kernel start {ran - started:.1f} s, reset and notebook "
         f"{exported - ran:.1f} s, HTML {time.perf_counter() - exported:.1f} s; kernel peak "
         f"{peak or 0:.0f} MB)")
    return RenderOutcome("ok", None, seconds, attempts, peak)


def _failed(customer: Any, error: str, started: float, attempts: int) -> RenderOutcome:
    _log(f"{customer}: failed: {error}")
    return RenderOutcome("failed", error, time.perf_counter() - started, attempts)


def _first_line(text: str) -> str:
    text = (text or "").strip()
    return text.splitlines()[0][:300] if text else ""


def render_reports(wb: Workbench, customers: list[str] | None, period: str, *, parallel: int = 2,
                   progress: bool = False) -> ReportRun:
    """Render the chosen customers (default: all with data) for ``period``."""
    check_period(period)
    if parallel < 1:
        raise UserError(f"parallel must be at least 1, got {parallel}", hint="for example -j 2")
    catalog = wb.catalog
    if customers:
        ids = []
        for name in customers:
            try:
                ids.append(wb.customer(name))
            except CatalogError as exc:
                raise UserError(exc.message, hint=exc.hint) from None
        if wb.workspace.settings.fictional:
            # the demo's reports say everything in them is invented: never about a real company
            real = [cid for cid in ids if not catalog[cid].attrs.get("fictional")]
            if real:
                raise UserError(f"{catalog.display_name(real[0])} is a real company and this "
                                f"workspace is the fictional demo",
                                hint="report the demo's customers, or use a workspace of your own")
    else:
        ids = wb.customers_with_data()
        if not ids:
            raise UserError("no customer has data in this workspace yet",
                            hint="run `compintel gather`, `compintel import` and `compintel tag` first")
    notebook = report_notebook(wb.root)
    directory = wb.workspace.reports_dir / safe_filename(period)
    directory.mkdir(parents=True, exist_ok=True)
    run = ReportRun(period, directory, directory / "index.html")
    with wb.store.transaction() as db:
        # one run record per period: a rerun (of some customers) updates it
        db.execute("INSERT INTO report_runs (period, started_at) VALUES (?, ?) ON CONFLICT(period) "
                   "DO UPDATE SET started_at = excluded.started_at, finished_at = NULL",
                   (period, utcnow()))
        run_id = db.execute("SELECT id FROM report_runs WHERE period = ?", (period,)).fetchone()[0]
    timeout = wb.workspace.settings.report.timeout
    jobs = {}
    context = multiprocessing.get_context("spawn")
    workers = max(1, min(parallel, len(ids)))
    bar = tqdm(total=len(ids), desc="report", unit="customer", disable=not progress, leave=False)
    # Each worker keeps one kernel for all its customers (compintel.warm_kernel): start-up and
    # imports are paid once per worker, not once per customer.
    log_path = directory / LOG_NAME
    log_path.write_text(f"compintel report {period}: {len(ids)} customers, {workers} workers\n",
                        encoding="utf-8")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=start_worker,
                             initargs=(str(log_path),)) as pool:
        for customer_id in ids:
            stem = safe_filename(customer_id.replace("/", "-"))
            out_ipynb = directory / f"{stem}.ipynb"
            out_html = directory / f"{stem}.html"
            params = {"customer": customer_id, "period": period, "workspace": str(wb.root)}
            title = f"3C report — {catalog.display_name(customer_id)} — {period}"
            future = pool.submit(render_one, str(notebook), str(out_ipynb), str(out_html), params,
                                 timeout, title)
            jobs[future] = (customer_id, out_ipynb, out_html)
        for future in as_completed(jobs):
            customer_id, out_ipynb, out_html = jobs[future]
            try:
                outcome = future.result()
            except Exception as exc:  # noqa: BLE001 - a crashed worker is one failed customer
                outcome = RenderOutcome("failed", f"{type(exc).__name__}: {_first_line(str(exc))}")
            status, error = outcome.status, outcome.error
            if status != "ok" and out_html.exists():
                out_html.unlink()      # an earlier run's page must not pass for this one
            run.results.append(CustomerReport(
                customer_id, catalog.display_name(customer_id), status,
                out_html if status == "ok" else None, out_ipynb if out_ipynb.exists() else None,
                error, outcome.seconds, outcome.attempts, outcome.kernel_peak_mb))
            bar.update(1)
    bar.close()
    order = {cid: i for i, cid in enumerate(ids)}
    run.results.sort(key=lambda r: order[r.customer_id])
    with wb.store.transaction() as db:
        for result in run.results:
            db.execute("INSERT OR REPLACE INTO report_results (run_id, customer_id, status, html_path, "
                       "error) VALUES (?, ?, ?, ?, ?)",
                       (run_id, result.customer_id, result.status,
                        wb.workspace.relative(result.html_path) if result.html_path else None,
                        result.error))
        counts = db.execute("SELECT SUM(status = 'ok'), SUM(status != 'ok') FROM report_results "
                            "WHERE run_id = ?", (run_id,)).fetchone()
        db.execute("UPDATE report_runs SET finished_at = ?, ok = ?, failed = ? WHERE id = ?",
                   (utcnow(), counts[0] or 0, counts[1] or 0, run_id))
    # the index lists every customer reported for the period, not only this run's
    listed = []
    for row in wb.store.query("SELECT customer_id, status, html_path, error FROM report_results "
                              "WHERE run_id = ?", (run_id,)):
        html_path = wb.root / row["html_path"] if row["html_path"] else None
        if row["status"] == "ok" and (html_path is None or not html_path.exists()):
            continue
        listed.append(CustomerReport(row["customer_id"], catalog.display_name(row["customer_id"]),
                                     row["status"], html_path, None, row["error"]))
    catalog_order = {entry.id: i for i, entry in enumerate(catalog.companies("customer"))}
    listed.sort(key=lambda r: (catalog_order.get(r.customer_id, 1_000_000), r.customer_id))
    index = ReportRun(period, directory, run.index_path, listed)
    run.index_path.write_text(index_html(index, wb.workspace.settings.name,
                                         wb.workspace.settings.fictional), encoding="utf-8")
    return run


def index_html(run: ReportRun, workspace_name: str, fictional: bool) -> str:
    """The period's index page: one link per customer report (self-contained, escaped)."""
    esc = html.escape
    rows = []
    for result in run.results:
        if result.status == "ok" and result.html_path is not None:
            link = f'<a href="{esc(result.html_path.name)}">{esc(result.name)}</a>'
            state = '<span class="ok">ok</span>'
        else:
            link = esc(result.name)
            state = f'<span class="failed">failed</span> — {esc(result.error or "")}'
        rows.append(f"<tr><td>{link}</td><td>{esc(result.customer_id)}</td><td>{state}</td></tr>")
    banner = ('<p class="banner">Demo data: every company, plant, person and figure in these reports '
              'is fictional.</p>' if fictional else "")
    generated = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>3C reports — {esc(run.period)}</title>
<style>
body {{ font-family: system-ui, sans-serif; max-width: 900px; margin: 2em auto; color: #1f2328; }}
table {{ border-collapse: collapse; }} td, th {{ border: 1px solid #d0d7de; padding: 4px 10px; text-align: left; }}
.banner {{ background: #fff4d6; border: 1px solid #e0b400; padding: 8px 12px; font-weight: 600; }}
.ok {{ color: #1a7f37; }} .failed {{ color: #cf222e; }}
</style></head>
<body>
<h1>3C reports — {esc(run.period)}</h1>
<p>{esc(workspace_name)} · generated {esc(generated)}</p>
{banner}
<table><tr><th>Customer</th><th>Id</th><th>Status</th></tr>
{''.join(rows)}
</table>
</body></html>
"""
