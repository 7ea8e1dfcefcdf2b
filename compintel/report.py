"""The report stage: papermill runs ``notebooks/3c_report.ipynb`` once per customer; nbconvert
turns each executed notebook into one self-contained HTML file.

Output: ``reports/<period>/<customer-id>.html`` beside the executed ``<customer-id>.ipynb``,
and ``reports/<period>/index.html`` linking them and the other months' index pages (which are
rewritten from the store to link this month back), and ``report.log``, to which each run appends
its own part. Customers render in parallel; one failing never stops the others, and its cause
(the failing cell and error) is reported. A worker process that dies (the OOM killer, a crash in
native code) does not fail the customers it and the others had in hand: they render again on
fresh workers, and only a customer whose own worker dies twice fails.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import time
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tqdm import tqdm

from .errors import CatalogError, UserError
from .store import utcnow
from .threec.index import SUMMARY_SUFFIX, IndexEntry, index_html, other_periods, read_row
from .threec.model import PERIOD, check_span, customers_with_data, data_span, default_period
from .threec.page import report_stem
from .urls import safe_filename

if TYPE_CHECKING:
    from .catalog import Catalog
    from .store import Store
    from .workspace import Workspace

NOTEBOOK_NAME = "3c_report.ipynb"
KERNEL_NAME = "python3"
LOG_NAME = "report.log"             # beside the reports: workers' and kernels' own output


@dataclass
class CustomerReport:
    customer_id: str
    name: str
    status: str                     # ok | failed
    html_path: Path | None = None
    notebook_path: Path | None = None
    error: str | None = None
    seconds: float = 0.0            # rendering it, in its worker
    attempts: int = 1               # more when its kernel or its worker process died and it was
                                    # tried again
    kernel_peak_mb: float | None = None
    kernel_cpu_seconds: float | None = None


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
    if not isinstance(period, str) or not PERIOD.match(period):
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
    attempts: int = 1               # 2 when an infrastructure failure was retried (its worker's
                                    # crashes are added by the batch)
    kernel_peak_mb: float | None = None
    kernel_cpu_seconds: float | None = None     # the kernel's CPU for this notebook and its reset


_worker: dict[str, Any] = {}        # this worker process's kernel and log


def start_worker(log_path: str, kernel_name: str = KERNEL_NAME, started: Any = None) -> None:
    """Set up a worker process: its output and its kernels' go to the run's log file (the
    kernel's warnings are not for the terminal), and its kernel stops when it exits.

    ``started``: a queue that receives ``(worker pid, customer id)`` as the worker starts each
    customer, so that the batch knows which customer a worker that dies had in hand."""
    from multiprocessing import util

    fd = os.open(log_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    os.dup2(fd, 1)
    os.dup2(fd, 2)
    os.close(fd)
    _worker.update(kernel_name=kernel_name, kernel=None, started=started)
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
    if _worker.get("started") is not None:
        _worker["started"].put((os.getpid(), customer))
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
            cpu_before, _ = kernel.usage()
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
    cpu_after, peak = kernel.usage()
    cpu = cpu_after - cpu_before if cpu_after is not None and cpu_before is not None else None
    try:
        Path(output_html).write_text(notebook_to_html(executed, title), encoding="utf-8")
    except Exception as exc:  # noqa: BLE001
        return _failed(customer, f"HTML export: {type(exc).__name__}: {_first_line(str(exc))}",
                       started, attempts)
    seconds = time.perf_counter() - started
    _log(f"{customer}: ok in {seconds:.1f} s (kernel start {ran - started:.1f} s, reset and notebook "
         f"{exported - ran:.1f} s, HTML {time.perf_counter() - exported:.1f} s; kernel CPU "
         f"{cpu or 0:.1f} s, peak {peak or 0:.0f} MB)")
    return RenderOutcome("ok", None, seconds, attempts, peak, cpu)


def _failed(customer: Any, error: str, started: float, attempts: int) -> RenderOutcome:
    _log(f"{customer}: failed: {error}")
    return RenderOutcome("failed", error, time.perf_counter() - started, attempts)


def _first_line(text: str) -> str:
    text = (text or "").strip()
    return text.splitlines()[0][:300] if text else ""


def _refuse_shared_file_names(catalog: Catalog, ids: list[str]) -> None:
    """A UserError when a customer's report files would carry another customer's name
    ("a/b" and "a-b" both write a-b.html): one would silently overwrite the other."""
    stems: dict[str, str] = {}
    for entry in catalog.companies("customer"):
        stems.setdefault(report_stem(entry.id), entry.id)
    for customer_id in ids:
        other = stems.get(report_stem(customer_id))
        if other is not None and other != customer_id:
            raise UserError(f"customers {other!r} and {customer_id!r} would write the same report files "
                            f"({report_stem(customer_id)}.html)",
                            hint="give one of them another id in sources/catalog.toml")


def render_reports(store: Store, workspace: Workspace, catalog: Catalog, customers: list[str] | None,
                   period: str | None, *, parallel: int = 2, progress: bool = False) -> ReportRun:
    """Render the chosen customers (default: all with data) for ``period`` (default: the latest
    month with data). A customer whose data does not cover the period is not rendered: it is
    reported failed with its data's span, and when every chosen customer is, nothing runs."""
    if period is not None:
        check_period(period)
    if parallel < 1:
        raise UserError(f"parallel must be at least 1, got {parallel}", hint="for example -j 2")
    if customers:
        ids = []
        for name in customers:
            try:
                ids.append(catalog.resolve(name, "company", role="customer").id)
            except CatalogError as exc:
                raise UserError(exc.message, hint=exc.hint) from None
        if workspace.settings.fictional:
            # the demo's reports say everything in them is invented: never about a real company
            real = [cid for cid in ids if not catalog[cid].attrs.get("fictional")]
            if real:
                raise UserError(f"{catalog.display_name(real[0])} is a real company and this "
                                f"workspace is the fictional demo",
                                hint="report the demo's customers, or use a workspace of your own")
    else:
        ids = customers_with_data(store, catalog)
        if not ids:
            raise UserError("no customer has data in this workspace yet",
                            hint="run `compintel gather`, `compintel import` and `compintel tag` first")
    _refuse_shared_file_names(catalog, ids)
    if period is None:
        period = default_period(store, ids)
        if period is None:
            raise UserError("no customer chosen has account data or field notes",
                            hint="import tables or notes first, or name a --period")
    refused = _outside_data(store, catalog, ids, period)
    if len(refused) == len(ids):
        first = next(iter(refused.values()))
        if len(ids) == 1:
            raise UserError(first.message, hint=first.hint)
        raise UserError(f"{period} is outside the data of every customer chosen: "
                        + "; ".join(error.message for error in refused.values()),
                        hint="choose a month inside the data with --period YYYY-MM")
    notebook = report_notebook(workspace.root)
    directory = workspace.reports_dir / safe_filename(period)
    directory.mkdir(parents=True, exist_ok=True)
    run = ReportRun(period, directory, directory / "index.html")
    with store.transaction() as db:
        # one run record per period: a rerun (of some customers) updates it
        db.execute("INSERT INTO report_runs (period, started_at) VALUES (?, ?) ON CONFLICT(period) "
                   "DO UPDATE SET started_at = excluded.started_at, finished_at = NULL",
                   (period, utcnow()))
        run_id = db.execute("SELECT id FROM report_runs WHERE period = ?", (period,)).fetchone()[0]
    timeout = workspace.settings.report.timeout
    workers = max(1, min(parallel, len(ids)))
    bar = tqdm(total=len(ids), desc="report", unit="customer", disable=not progress, leave=False)
    for customer_id, reason in refused.items():
        _remove_outputs(directory, report_stem(customer_id))
        run.results.append(CustomerReport(customer_id, catalog.display_name(customer_id), "failed",
                                          error=reason.format()))
        bar.update(1)
    # Each worker keeps one kernel for all its customers (compintel.warm_kernel): start-up and
    # imports are paid once per worker, not once per customer.
    log_path = directory / LOG_NAME
    # appended to, so that a rerun of one customer keeps the log of the batch before it
    with log_path.open("a", encoding="utf-8") as log:
        if log.tell():
            log.write("\n")
        log.write(f"== {datetime.now().strftime('%Y-%m-%d %H:%M:%S')} compintel report {period}: "
                  f"{len(ids)} customers ({', '.join(ids)}), {workers} workers\n")
    jobs = []
    for customer_id in (cid for cid in ids if cid not in refused):
        stem = report_stem(customer_id)
        out_ipynb = directory / f"{stem}.ipynb"
        out_html = directory / f"{stem}.html"
        params = {"customer": customer_id, "period": period, "workspace": str(workspace.root),
                  "export_dir": str(directory)}
        title = f"3C report — {catalog.display_name(customer_id)} — {period}"
        jobs.append(_Job(customer_id, catalog.display_name(customer_id), out_ipynb, out_html,
                         (str(notebook), str(out_ipynb), str(out_html), params, timeout, title)))

    def finish(job: _Job, outcome: RenderOutcome) -> None:
        if outcome.status != "ok":     # an earlier run's page must not pass for this one
            _remove_outputs(directory, report_stem(job.customer_id), keep_notebook=True)
        run.results.append(CustomerReport(
            job.customer_id, job.name, outcome.status,
            job.out_html if outcome.status == "ok" else None,
            job.out_ipynb if job.out_ipynb.exists() else None,
            outcome.error, outcome.seconds, outcome.attempts, outcome.kernel_peak_mb,
            outcome.kernel_cpu_seconds))
        bar.update(1)

    log_shown = workspace.relative(log_path)
    _render_in_workers(jobs, workers, log_path, finish,
                       what_to_do=lambda customer_id: (
                           f"see {log_shown} and the system log (dmesg) for why, then render it "
                           f"alone with `compintel report -c {customer_id} -p {period} -j 1`"))
    bar.close()
    order = {cid: i for i, cid in enumerate(ids)}
    run.results.sort(key=lambda r: order[r.customer_id])
    with store.transaction() as db:
        for result in run.results:
            db.execute("INSERT OR REPLACE INTO report_results (run_id, customer_id, status, html_path, "
                       "error) VALUES (?, ?, ?, ?, ?)",
                       (run_id, result.customer_id, result.status,
                        workspace.relative(result.html_path) if result.html_path else None,
                        result.error))
        counts = db.execute("SELECT SUM(status = 'ok'), SUM(status != 'ok') FROM report_results "
                            "WHERE run_id = ?", (run_id,)).fetchone()
        db.execute("UPDATE report_runs SET finished_at = ?, ok = ?, failed = ? WHERE id = ?",
                   (utcnow(), counts[0] or 0, counts[1] or 0, run_id))
    write_index(store, workspace, catalog, run_id, period, directory)
    refresh_other_indexes(store, workspace, catalog, period)
    return run


# -- the batch: customers on a pool of workers, a fresh pool when a worker process dies -----------

@dataclass
class _Job:
    """One customer of the batch, as handed to :func:`render_one`."""
    customer_id: str
    name: str
    out_ipynb: Path
    out_html: Path
    arguments: tuple[Any, ...]      # render_one's
    crashes: int = 0                # times the worker process rendering it died


@dataclass
class _BrokenPool:
    """What is left when a worker process died: the pool stops every worker and fails every
    customer it still held, so only this batch knows whose worker died."""
    unfinished: list[_Job]
    started: set[str]               # the customers a worker had started (finished or not)
    crashed: dict[str, tuple[int, str]]     # customer id -> the pid of the worker that died
                                            # rendering it, and how it died
    deaths: list[str]               # how each worker that was not stopped by the pool ended


def _render_in_workers(jobs: list[_Job], workers: int, log_path: Path,
                       finish: Callable[[_Job, RenderOutcome], None], *,
                       what_to_do: Callable[[str], str]) -> None:
    """Render ``jobs`` on ``workers`` worker processes, handing each outcome to ``finish``.
    ``what_to_do``: the advice, given a customer id, for a customer its workers failed twice.

    When a worker process dies, the customers not finished go to a fresh pool. The one whose
    own worker died is charged with it and rendered once more; its second crash fails it, with
    what to do. The others (rendering on workers the broken pool stopped, or still queued) are
    not charged. Every broken pool charges someone, or, when no customer was being rendered,
    counts against the batch (twice fails the customers left), so this ends."""
    pending = list(jobs)
    idle_breaks = 0
    while pending:
        broken = _run_pool(pending, min(workers, len(pending)), log_path, finish)
        if broken is None:
            return
        if not broken.crashed:
            idle_breaks += 1
        pending = []
        for job in broken.unfinished:
            if job.customer_id in broken.crashed:
                pid, how = broken.crashed[job.customer_id]
                job.crashes += 1
                if job.crashes > 1:
                    finish(job, _crash_outcome(
                        f"the worker process rendering {job.name} died twice ({how}): not tried "
                        f"again; " + what_to_do(job.customer_id), job, log_path))
                    continue
                _note(log_path, f"{job.customer_id}: worker {pid} died rendering it ({how}); "
                                f"rendering it again on a fresh worker")
            elif idle_breaks > 1:
                died = "; ".join(broken.deaths) or "exit codes unknown"
                finish(job, _crash_outcome(
                    f"worker processes died twice before rendering {job.name} ({died}): not "
                    f"tried again; " + what_to_do(job.customer_id), job, log_path))
                continue
            elif job.customer_id in broken.started:
                _note(log_path, f"{job.customer_id}: stopped when the pool broke (its own worker "
                                f"did not die); rendering it again")
            else:
                _note(log_path, f"{job.customer_id}: not started when the pool broke; rendering "
                                f"it on a fresh pool")
            pending.append(job)


def _run_pool(jobs: list[_Job], workers: int, log_path: Path,
              finish: Callable[[_Job, RenderOutcome], None]) -> _BrokenPool | None:
    """Render ``jobs`` on one pool of worker processes; None when none of them died."""
    context = multiprocessing.get_context("spawn")
    started = context.SimpleQueue()
    last_started: dict[int, str] = {}           # worker pid -> the customer it started last

    def read_started() -> None:
        # read as results come in, so that a long batch never fills the queue's pipe
        while not started.empty():
            pid, customer_id = started.get()
            last_started[pid] = customer_id
            started_ids.add(customer_id)

    futures: dict[Future, _Job] = {}
    processes: dict[int, Any] = {}
    finished: set[str] = set()
    started_ids: set[str] = set()
    broken = False
    try:
        with ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=start_worker,
                                 initargs=(str(log_path), KERNEL_NAME, started)) as pool:
            try:
                for job in jobs:
                    futures[pool.submit(render_one, *job.arguments)] = job
            except BrokenProcessPool:   # a worker died before every customer was handed out
                broken = True
            # the pool's workers, started by the submits: their exit codes tell the worker
            # that died from the others, which the broken pool stops with SIGTERM
            processes = {process.pid: process for process in multiprocessing.active_children()}
            for future in as_completed(futures):
                job = futures[future]
                read_started()
                try:
                    outcome = future.result()
                except BrokenProcessPool:
                    broken = True
                    continue
                except Exception as exc:  # noqa: BLE001 - any other failure is the customer's
                    outcome = RenderOutcome("failed", f"{type(exc).__name__}: {_first_line(str(exc))}")
                outcome.attempts += job.crashes
                finished.add(job.customer_id)
                finish(job, outcome)
        if not broken:
            return None
        read_started()
    finally:
        started.close()
    unfinished = [job for job in jobs if job.customer_id not in finished]
    stopped_by_pool = -signal.SIGTERM
    exit_codes = {pid: _exit_code(process) for pid, process in processes.items()}
    deaths = [f"worker {pid} {_death(code)}" for pid, code in exit_codes.items()
              if code != stopped_by_pool]
    # a worker whose exit code cannot be read counts as dead: its customer is charged
    crashed = {customer_id: (pid, _death(exit_codes.get(pid)))
               for pid, customer_id in last_started.items()
               if exit_codes.get(pid) != stopped_by_pool
               and customer_id in {job.customer_id for job in unfinished}}
    _note(log_path, "the pool broke: " + ("; ".join(deaths) or "no worker's exit code read")
          + f"; {len(unfinished)} customers not finished")
    return _BrokenPool(unfinished, started_ids, crashed, deaths)


def _exit_code(process: Any) -> int | None:
    try:
        return process.exitcode
    except ValueError:                  # a closed process object
        return None


def _death(exit_code: int | None) -> str:
    """How a worker process ended, from its exit code, in words."""
    if exit_code is None:
        return "exit code unknown"
    if exit_code < 0:
        try:
            name = signal.Signals(-exit_code).name
        except ValueError:
            name = f"signal {-exit_code}"
        if -exit_code == getattr(signal, "SIGKILL", None):
            return f"killed by {name}, most often the out-of-memory killer"
        return f"killed by {name}"
    return f"exited with status {exit_code}"


def _crash_outcome(error: str, job: _Job, log_path: Path) -> RenderOutcome:
    _note(log_path, f"{job.customer_id}: failed: {error}")
    return RenderOutcome("failed", error, attempts=max(1, job.crashes))


def _note(log_path: Path, message: str) -> None:
    """A line in the run's log from the process driving the workers."""
    with log_path.open("a", encoding="utf-8") as log:
        log.write(f"{datetime.now().strftime('%H:%M:%S')} [batch] {message}\n")


def _outside_data(store: Store, catalog: Catalog, ids: list[str], period: str) -> dict[str, UserError]:
    """The customers whose data does not cover ``period``, with the error saying so."""
    refused = {}
    for customer_id in ids:
        try:
            check_span(data_span(store, customer_id), catalog.display_name(customer_id), period,
                       hint="choose a month from {first} to {last} with --period")
        except UserError as exc:
            refused[customer_id] = exc
    return refused


def _remove_outputs(directory: Path, stem: str, *, keep_notebook: bool = False) -> None:
    suffixes = [".html", ".xlsx", SUMMARY_SUFFIX] + ([] if keep_notebook else [".ipynb"])
    for suffix in suffixes:
        (directory / f"{stem}{suffix}").unlink(missing_ok=True)


def write_index(store: Store, workspace: Workspace, catalog: Catalog, run_id: int, period: str,
                directory: Path) -> Path:
    """The period's dashboard: every customer reported for the period, not only this run's."""
    entries = []
    for row in store.query("SELECT customer_id, status, html_path, error FROM report_results "
                              "WHERE run_id = ?", (run_id,)):
        stem = report_stem(row["customer_id"])
        html_path = workspace.root / row["html_path"] if row["html_path"] else None
        if row["status"] == "ok" and (html_path is None or not html_path.exists()):
            continue
        xlsx = directory / f"{stem}.xlsx"
        entries.append(IndexEntry(row["customer_id"], catalog.display_name(row["customer_id"]), row["status"],
                                  html_path.name if html_path else None, xlsx.name if xlsx.exists() else None,
                                  row["error"], read_row(directory, stem) if row["status"] == "ok" else None))
    catalog_order = {entry.id: i for i, entry in enumerate(catalog.companies("customer"))}
    entries.sort(key=lambda e: (catalog_order.get(e.customer_id, 1_000_000), e.customer_id))
    finished = store.query("SELECT finished_at FROM report_runs WHERE id = ?", (run_id,))
    path = directory / "index.html"
    path.write_text(index_html(period, entries, workspace_name=workspace.settings.name,
                               fictional=workspace.settings.fictional,
                               earlier=other_periods(directory.parent, period),
                               generated=_timestamp(finished[0]["finished_at"] if finished else None)),
                    encoding="utf-8")
    return path


def refresh_other_indexes(store: Store, workspace: Workspace, catalog: Catalog, period: str) -> list[Path]:
    """Rewrite the index page of every other month reported, so that its month links name
    ``period`` too: each from its last run as stored, without running any notebook again."""
    rewritten = []
    for other in other_periods(workspace.reports_dir, period):
        rows = store.query("SELECT id, finished_at FROM report_runs WHERE period = ?", (other,))
        # a month this store never rendered keeps its page; one rendering now writes its own
        # when it ends, with every month's page there by then
        if rows and rows[0]["finished_at"]:
            rewritten.append(write_index(store, workspace, catalog, rows[0]["id"], other,
                                         workspace.reports_dir / other))
    return rewritten


def _timestamp(text: str | None) -> datetime | None:
    """A stored ISO 8601 time (from :func:`compintel.store.utcnow`), None when it is not one."""
    try:
        return datetime.fromisoformat(text) if text else None
    except ValueError:
        return None
