"""The report stage: papermill runs ``notebooks/3c_report.ipynb`` once per customer; nbconvert
turns each executed notebook into one self-contained HTML file.

Output: ``reports/<period>/<customer-id>.html`` beside the executed ``<customer-id>.ipynb``,
and ``reports/<period>/index.html`` linking them. Customers render in parallel; one failing
never stops the others, and its cause (the failing cell and error) is reported.
"""

from __future__ import annotations

import html
import multiprocessing
import re
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import UTC, datetime
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
_PERIOD = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


@dataclass
class CustomerReport:
    customer_id: str
    name: str
    status: str                     # ok | failed
    html_path: Path | None = None
    notebook_path: Path | None = None
    error: str | None = None
    seconds: float = 0.0


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


def notebook_to_html(notebook: Any) -> str:
    """One self-contained HTML page: no code, no prompts, images inline, nothing remote."""
    from nbconvert import HTMLExporter

    for cell in notebook.cells:
        if cell.get("cell_type") == "code":
            # warnings and progress bars are for the analyst, not the reader
            cell["outputs"] = [out for out in cell.get("outputs", [])
                               if not (out.get("output_type") == "stream" and out.get("name") == "stderr")]
    exporter = HTMLExporter(template_name="compintel_report",
                            extra_template_basedirs=[str(templates_dir())])
    exporter.exclude_input = True
    exporter.exclude_input_prompt = True
    exporter.exclude_output_prompt = True
    exporter.exclude_anchor_links = True
    exporter.embed_images = True
    body, _ = exporter.from_notebook_node(notebook)
    return body


def render_one(notebook: str, output_ipynb: str, output_html: str, parameters: dict[str, Any],
               timeout: int) -> tuple[str, str | None]:
    """Execute one report notebook and export it; returns (status, error). Runs in a worker."""
    import os

    import nbformat
    import papermill
    from papermill.exceptions import PapermillExecutionError

    # This worker process exists for this one notebook: send the kernel's own chatter (which
    # it inherits) to a log file beside the report instead of the user's terminal.
    log_path = Path(output_html).with_suffix(".log")
    with open(log_path, "w", encoding="utf-8") as log:
        os.dup2(log.fileno(), 2)
    try:
        papermill.execute_notebook(notebook, output_ipynb, parameters=parameters,
                                   kernel_name=KERNEL_NAME, progress_bar=False,
                                   execution_timeout=timeout, log_output=False)
    except PapermillExecutionError as exc:
        return "failed", f"cell {exc.exec_count}: {exc.ename}: {_first_line(exc.evalue)}"
    except Exception as exc:  # noqa: BLE001 - a worker reports every failure as text
        return "failed", f"{type(exc).__name__}: {_first_line(str(exc))}"
    try:
        executed = nbformat.read(output_ipynb, as_version=4)
        Path(output_html).write_text(notebook_to_html(executed), encoding="utf-8")
    except Exception as exc:  # noqa: BLE001
        return "failed", f"HTML export: {type(exc).__name__}: {_first_line(str(exc))}"
    return "ok", None


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
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        for customer_id in ids:
            stem = safe_filename(customer_id.replace("/", "-"))
            out_ipynb = directory / f"{stem}.ipynb"
            out_html = directory / f"{stem}.html"
            params = {"customer": customer_id, "period": period, "workspace": str(wb.root)}
            future = pool.submit(render_one, str(notebook), str(out_ipynb), str(out_html), params,
                                 timeout)
            jobs[future] = (customer_id, out_ipynb, out_html, time.monotonic())
        for future in as_completed(jobs):
            customer_id, out_ipynb, out_html, started = jobs[future]
            try:
                status, error = future.result()
            except Exception as exc:  # noqa: BLE001 - a crashed worker is one failed customer
                status, error = "failed", f"{type(exc).__name__}: {_first_line(str(exc))}"
            if status != "ok" and out_html.exists():
                out_html.unlink()      # an earlier run's page must not pass for this one
            run.results.append(CustomerReport(
                customer_id, catalog.display_name(customer_id), status,
                out_html if status == "ok" else None, out_ipynb if out_ipynb.exists() else None,
                error, time.monotonic() - started))
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
