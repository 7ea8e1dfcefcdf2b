"""Batches of reports (issue 13): warm kernels reused across customers without leaking state,
kernel failures retried once and notebook errors never, customers of a worker process that dies
rendered on a fresh one (each charged at most one retry), the kernels' chatter in a log file,
a slim self-contained page, signals read for a window in SQL, and `make lab` as root."""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from conftest import REPO, copy_demo

from compintel import UserError, Workbench
from compintel.cli import main

PERIOD = "2026-10"
CUSTOMERS = ["navika-motors", "dhruva-auto", "meridian-mobility"]
GENERAL = ["technology_launch", "capacity", "partnership", "financial_result"]


@pytest.fixture
def workspace(built_demo: Path, tmp_path: Path) -> Path:
    """A demo workspace of this test's own, with the session's gathered and tagged store."""
    root = copy_demo(tmp_path / "demo")
    for store in built_demo.glob("compintel.db*"):
        shutil.copy2(store, root / store.name)
    return root


def use_notebook(root: Path, *cells: str) -> Path:
    """Make ``cells`` (after a ``parameters`` cell) the workspace's report notebook."""
    parameters = nbformat.v4.new_code_cell(
        'customer = "navika-motors"\nperiod = "2026-10"\nworkspace = ".."\nexport_dir = None')
    parameters.metadata["tags"] = ["parameters"]
    notebook = nbformat.v4.new_notebook(cells=[parameters, *map(nbformat.v4.new_code_cell, cells)])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    notebook.metadata["language_info"] = {"name": "python"}
    (root / "notebooks").mkdir(exist_ok=True)
    path = root / "notebooks" / "3c_report.ipynb"
    nbformat.write(notebook, path)
    return path


def printed(root: Path, customer: str) -> list[dict]:
    """The JSON lines a synthetic notebook printed, from the executed notebook kept beside the report."""
    notebook = nbformat.read(root / "reports" / PERIOD / f"{customer}.ipynb", as_version=4)
    return [json.loads(line) for cell in notebook.cells for output in cell.get("outputs", [])
            if output.get("name") == "stdout" for line in output["text"].splitlines()
            if line.startswith("{")]


def report_log(root: Path) -> str:
    return (root / "reports" / PERIOD / "report.log").read_text(encoding="utf-8")


# -- a warm kernel per worker ----------------------------------------------------------------------

PROBE_AND_POLLUTE = '''
import json, os, sys, warnings
import matplotlib, matplotlib.pyplot as plt, pandas as pd
leaks = [name for name in ("left_by_the_one_before",) if name in globals()]
leaks += ["environment"] * ("COMPINTEL_TEST_LEAK" in os.environ)
leaks += ["rcParams"] * (matplotlib.rcParams["lines.linewidth"] == 7)
leaks += ["figures"] * bool(plt.get_fignums())
leaks += ["pandas options"] * (pd.get_option("display.max_rows") == 3)
leaks += ["sys.path"] * ("/left/behind" in sys.path)
leaks += ["working directory"] * (os.getcwd() == os.path.dirname(os.path.abspath(workspace)))
leaks += ["warnings"] * any(rule[0] == "error" and rule[2] is Warning for rule in warnings.filters)
print(json.dumps({"pid": os.getpid(), "leaks": leaks, "count": get_ipython().execution_count}))
'''

POLLUTE = '''
left_by_the_one_before = customer
os.environ["COMPINTEL_TEST_LEAK"] = customer
matplotlib.rcParams["lines.linewidth"] = 7
plt.figure()
pd.set_option("display.max_rows", 3)
sys.path.append("/left/behind")
os.chdir(os.path.dirname(os.path.abspath(workspace)))
warnings.simplefilter("error")
'''


def test_one_kernel_renders_customer_after_customer_and_none_sees_what_the_one_before_left(
        workspace: Path) -> None:
    use_notebook(workspace, PROBE_AND_POLLUTE, POLLUTE)
    with Workbench.open(workspace) as wb:
        run = wb.report(CUSTOMERS, PERIOD, parallel=1)
    assert [(r.customer_id, r.status, r.error) for r in run.results] == [
        (customer, "ok", None) for customer in CUSTOMERS]
    seen = [printed(workspace, customer)[0] for customer in CUSTOMERS]
    assert len({probe["pid"] for probe in seen}) == 1          # one kernel rendered all three
    assert [probe["leaks"] for probe in seen] == [[], [], []]
    assert [probe["count"] for probe in seen] == [seen[0]["count"]] * 3   # execution counts restart


def test_customers_rendered_by_one_warm_kernel_read_as_if_each_were_rendered_alone(
        workspace: Path) -> None:
    folder = workspace / "reports" / PERIOD
    with Workbench.open(workspace) as wb:
        together = wb.report(["navika-motors", "dhruva-auto"], PERIOD, parallel=1)
        assert [r.status for r in together.results] == ["ok", "ok"], together.results
        assert "dhruva-auto: running in kernel" in report_log(workspace)
        assert re.search(r"dhruva-auto: running in kernel \d+ \(notebook 2 there\)", report_log(workspace))
        warm_page = (folder / "dhruva-auto.html").read_text(encoding="utf-8")
        warm_cells = _outputs(folder / "dhruva-auto.ipynb")
        alone = wb.report(["dhruva-auto"], PERIOD, parallel=1)
        assert [r.status for r in alone.results] == ["ok"], alone.results
        assert re.search(r"dhruva-auto: running in kernel \d+ \(notebook 1 there\)", report_log(workspace))
    assert _timeless(warm_page) == _timeless((folder / "dhruva-auto.html").read_text(encoding="utf-8"))
    assert warm_cells == _outputs(folder / "dhruva-auto.ipynb")


def _timeless(page: str) -> str:
    """``page`` without the clock and the random id papermill gives its parameters cell."""
    page = re.sub(r"cell-id=[0-9a-f-]+", "cell-id=<id>", page)
    return re.sub(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}(:\d{2})? UTC", "<time>", page)


def _outputs(path: Path) -> list:
    """Each code cell's execution count and outputs, without the clock."""
    notebook = nbformat.read(path, as_version=4)
    return [(cell.get("execution_count"), _timeless(json.dumps(cell.get("outputs"), sort_keys=True)))
            for cell in notebook.cells if cell.cell_type == "code"]


# -- failures: the infrastructure's are retried once, the notebook's never --------------------------

BEHAVE = '''
import os, time
from pathlib import Path
tries = Path(workspace) / f"tries-{customer}.txt"
with tries.open("a") as tally:
    tally.write("try\\n")
if customer == "meridian-mobility":
    time.sleep(120)                    # longer than the workspace's timeout per cell
if customer == "navika-motors" and len(tries.read_text().splitlines()) == 1:
    os._exit(1)                        # the kernel dies, the first time only
if customer == "dhruva-auto":
    raise RuntimeError("boom for " + customer)
os.write(2, b"KERNEL-OWN-STDERR " + customer.encode() + b"\\n")
'''


def test_a_dead_kernel_is_replaced_and_its_customer_tried_again_but_a_notebook_error_is_not(
        workspace: Path, capfd) -> None:
    config = workspace / "compintel.toml"
    config.write_text(config.read_text(encoding="utf-8").replace("[report]\n", "[report]\ntimeout = 5\n"),
                      encoding="utf-8")
    use_notebook(workspace, BEHAVE)
    # one worker: the timeout, then the kernel death, then the error, in that order
    status = main(["report", "-w", str(workspace), "-p", PERIOD, "-j", "1", "-c", "meridian-mobility",
                   "-c", "navika-motors", "-c", "dhruva-auto"])
    captured = capfd.readouterr()
    assert status == 1
    with Workbench.open(workspace) as wb:
        rows = {row["customer_id"]: dict(row) for row in wb.store.query(
            "SELECT customer_id, status, error FROM report_results")}
    assert rows["navika-motors"]["status"] == "ok"
    assert rows["dhruva-auto"]["status"] == "failed"
    assert "RuntimeError: boom for dhruva-auto" in rows["dhruva-auto"]["error"]
    assert rows["meridian-mobility"]["status"] == "failed"
    assert "Timeout" in rows["meridian-mobility"]["error"]
    tries = {customer: len((workspace / f"tries-{customer}.txt").read_text().splitlines())
             for customer in CUSTOMERS}
    assert tries == {"meridian-mobility": 1, "navika-motors": 2, "dhruva-auto": 1}
    log = report_log(workspace)
    assert "navika-motors: the kernel died" in log and "trying again with a fresh kernel" in log
    # executed notebooks are kept beside the reports, also for the failures (up to the failure)
    folder = workspace / "reports" / PERIOD
    assert all((folder / f"{customer}.ipynb").is_file() for customer in CUSTOMERS)
    assert "boom for dhruva-auto" in (folder / "dhruva-auto.ipynb").read_text(encoding="utf-8")
    assert not (folder / "dhruva-auto.html").exists() and (folder / "navika-motors.html").is_file()
    # the kernels' own output goes to the log, never to the terminal
    assert "KERNEL-OWN-STDERR navika-motors" in log
    assert "KERNEL-OWN-STDERR" not in captured.err + captured.out
    assert "IPKernelApp" not in captured.err


def flaky_kernel(folder: Path, *, fail_every_time: bool) -> Path:
    """A kernelspec named python3 (found first through JUPYTER_PATH) whose kernel exits at
    once on its first launch — or on every launch — and is an ordinary IPython kernel after."""
    spec = folder / "kernels" / "python3"
    spec.mkdir(parents=True)
    script = spec / "flaky.py"
    script.write_text(
        "import os, sys\nfrom pathlib import Path\n"
        "marker = Path(__file__).with_name('launched')\n"
        f"if {fail_every_time!r} or not marker.exists():\n"
        "    marker.write_text('once')\n"
        "    sys.exit(3)\n"
        "os.execv(sys.executable, [sys.executable, '-m', 'ipykernel_launcher', '-f', sys.argv[1]])\n",
        encoding="utf-8")
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, str(script), "{connection_file}"], "display_name": "flaky",
        "language": "python"}), encoding="utf-8")
    return folder


def test_a_kernel_that_fails_to_start_is_replaced_once(workspace: Path, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    use_notebook(workspace, 'print("rendered", customer)')
    monkeypatch.setenv("JUPYTER_PATH", str(flaky_kernel(tmp_path / "jupyter", fail_every_time=False)))
    with Workbench.open(workspace) as wb:
        run = wb.report(["navika-motors", "dhruva-auto"], PERIOD, parallel=1)
    assert [(r.customer_id, r.status, r.attempts) for r in run.results] == [
        ("navika-motors", "ok", 2), ("dhruva-auto", "ok", 1)]
    assert "navika-motors: kernel start: RuntimeError" in report_log(workspace)


def test_a_kernel_that_never_starts_fails_each_customer_with_its_cause(
        workspace: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    use_notebook(workspace, 'print("rendered", customer)')
    monkeypatch.setenv("JUPYTER_PATH", str(flaky_kernel(tmp_path / "jupyter", fail_every_time=True)))
    with Workbench.open(workspace) as wb:
        run = wb.report(["navika-motors", "dhruva-auto"], PERIOD, parallel=2)
    assert [(r.status, r.attempts) for r in run.results] == [("failed", 2), ("failed", 2)]
    for result in run.results:
        assert result.error.startswith("kernel start: RuntimeError: Kernel died before replying")
        assert "tried twice" in result.error


# -- a worker process that dies: its customers go to a fresh pool, each charged at most once ------

KILL_THE_WORKER = '''
import os, signal, time
from pathlib import Path
tries = Path(workspace) / f"tries-{customer}.txt"
with tries.open("a") as tally:
    tally.write("try\\n")
first = len(tries.read_text().splitlines()) == 1
if customer == "navika-motors" and first:
    time.sleep(60)          # rendering on the other worker when dhruva-auto's dies: stopped too
if customer == "dhruva-auto" and (first or KILL_EVERY_TIME):
    deadline = time.time() + 60
    while first and not (Path(workspace) / "tries-navika-motors.txt").exists() and time.time() < deadline:
        time.sleep(0.1)     # the first time, not before navika-motors is in its cell
    # the worker process driving this kernel dies at once, as under the OOM killer
    os.kill(int(os.environ["JPY_PARENT_PID"]), signal.SIGKILL)
    time.sleep(60)
print("rendered", customer)
'''


def tries(root: Path) -> dict[str, int]:
    return {customer: len((root / f"tries-{customer}.txt").read_text().splitlines())
            for customer in CUSTOMERS if (root / f"tries-{customer}.txt").exists()}


def test_a_worker_process_that_dies_has_its_customers_rendered_on_a_fresh_one(workspace: Path) -> None:
    use_notebook(workspace, "KILL_EVERY_TIME = False", KILL_THE_WORKER)
    with Workbench.open(workspace) as wb:
        run = wb.report(CUSTOMERS, PERIOD, parallel=2)
    assert [(r.customer_id, r.status, r.error) for r in run.results] == [
        (customer, "ok", None) for customer in CUSTOMERS]
    # dhruva-auto's worker died: it is charged with one try; navika-motors, stopped on the
    # other worker when the pool broke, and meridian-mobility, still queued, are not
    assert [r.attempts for r in run.results] == [1, 2, 1]
    assert tries(workspace) == {"navika-motors": 2, "dhruva-auto": 2, "meridian-mobility": 1}
    assert all(r.html_path.is_file() for r in run.results)
    log = report_log(workspace)
    assert re.search(r"dhruva-auto: worker \d+ died rendering it \(killed by SIGKILL", log)
    assert "navika-motors: stopped when the pool broke (its own worker did not die)" in log
    assert "meridian-mobility: not started when the pool broke" in log


def test_a_customer_whose_worker_dies_again_fails_alone_saying_what_to_do(workspace: Path,
                                                                        capfd) -> None:
    use_notebook(workspace, "KILL_EVERY_TIME = True", KILL_THE_WORKER)
    status = main(["report", "-w", str(workspace), "-p", PERIOD, "-j", "2",
                   *(option for customer in CUSTOMERS for option in ("-c", customer))])
    captured = capfd.readouterr()
    assert status == 1
    with Workbench.open(workspace) as wb:
        rows = {row["customer_id"]: dict(row) for row in wb.store.query(
            "SELECT customer_id, status, error FROM report_results")}
    assert {customer: row["status"] for customer, row in rows.items()} == {
        "navika-motors": "ok", "dhruva-auto": "failed", "meridian-mobility": "ok"}
    assert tries(workspace)["dhruva-auto"] == 2             # tried once more, never again
    failed = [line for line in captured.err.splitlines() if line.startswith("failed")]
    assert len(failed) == 1 and failed[0].split()[1] == "dhruva-auto", captured.err
    error = rows["dhruva-auto"]["error"]
    assert "\n" not in error
    assert error.startswith("the worker process rendering Dhruva Automobiles died twice (killed by SIGKILL")
    assert f"see reports/{PERIOD}/report.log" in error
    assert f"compintel report -c dhruva-auto -p {PERIOD} -j 1" in error
    folder = workspace / "reports" / PERIOD
    assert not (folder / "dhruva-auto.html").exists()
    assert (folder / "navika-motors.html").is_file() and (folder / "meridian-mobility.html").is_file()
    assert "died twice" in (folder / "index.html").read_text(encoding="utf-8")



def test_workers_that_die_before_rendering_anything_fail_the_batch_after_one_fresh_pool(
        workspace: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # every worker process the pool spawns exits as it starts, before it takes a customer
    startup = tmp_path / "startup"
    startup.mkdir()
    (startup / "sitecustomize.py").write_text(
        "import os, sys\nif sys.argv[-1:] == ['--multiprocessing-fork']:\n    os._exit(7)\n",
        encoding="utf-8")
    monkeypatch.setenv("PYTHONPATH", str(startup))
    with Workbench.open(workspace) as wb:
        run = wb.report(["navika-motors", "dhruva-auto"], PERIOD, parallel=2)
    assert [r.status for r in run.results] == ["failed", "failed"]
    for result in run.results:
        assert result.error.startswith("worker processes died twice before rendering "), result.error
        assert f"compintel report -c {result.customer_id} -p {PERIOD} -j 1" in result.error
    assert report_log(workspace).count("[batch] the pool broke: ") == 2          # two pools, no more

# -- the months' index pages and the log, across runs ------------------------------------------------

def test_a_month_rendered_after_another_is_linked_from_the_other_months_index(workspace: Path) -> None:
    use_notebook(workspace, 'print("rendered", customer, period)')
    reports = workspace / "reports"
    with Workbench.open(workspace) as wb:
        assert [r.status for r in wb.report(["navika-motors"], PERIOD, parallel=1).results] == ["ok"]
        october_notebook = (reports / PERIOD / "navika-motors.ipynb").stat().st_mtime_ns
        assert "2026-09" not in (reports / PERIOD / "index.html").read_text(encoding="utf-8")
        assert [r.status for r in wb.report(["navika-motors"], "2026-09", parallel=1).results] == ["ok"]
    september = (reports / "2026-09" / "index.html").read_text(encoding="utf-8")
    october = (reports / PERIOD / "index.html").read_text(encoding="utf-8")
    assert 'href="../2026-10/index.html"' in september
    assert 'href="../2026-09/index.html"' in october
    # October's page is rewritten from what is stored, its notebook not run again
    assert re.findall(r'href="([^"]+)"', october) == ["../2026-09/index.html", "navika-motors.html"]
    assert (reports / PERIOD / "navika-motors.ipynb").stat().st_mtime_ns == october_notebook


def test_rerunning_one_customer_keeps_the_log_of_the_batch_before(workspace: Path) -> None:
    use_notebook(workspace, 'print("rendered", customer)')
    with Workbench.open(workspace) as wb:
        wb.report(["navika-motors", "dhruva-auto"], PERIOD, parallel=1)
        wb.report(["dhruva-auto"], PERIOD, parallel=1)
    log = report_log(workspace)
    assert re.search(r"navika-motors: ok in ", log)            # the first batch's part is kept
    headers = re.findall(rf"^== \d{{4}}-\d\d-\d\d \d\d:\d\d:\d\d compintel report {PERIOD}: (.*)$",
                         log, re.MULTILINE)
    assert headers == ["2 customers (navika-motors, dhruva-auto), 1 workers",
                       "1 customers (dhruva-auto), 1 workers"]
    first, second = log.split("\n== ")
    assert re.search(r"navika-motors: ok in ", first) and re.search(r"dhruva-auto: ok in ", first)
    assert "navika-motors" not in second.split("\n", 1)[1] and "dhruva-auto: ok in " in second


# -- the page ------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def page(built_demo: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Navika's report rendered with the project's notebook."""
    root = copy_demo(tmp_path_factory.mktemp("page") / "demo")
    for store in built_demo.glob("compintel.db*"):
        shutil.copy2(store, root / store.name)
    with Workbench.open(root) as wb:
        run = wb.report(["navika-motors"], PERIOD, parallel=1)
    assert run.results[0].status == "ok", run.results[0].error
    return run.results[0].html_path


def test_the_page_is_slim_and_carries_only_its_own_stylesheet(page: Path) -> None:
    markup = page.read_text(encoding="utf-8")
    assert len(markup.encode("utf-8")) <= 250_000
    assert "<title>3C report — Navika Motors — 2026-10</title>" in markup
    assert len(re.findall(r"<img [^>]*src=\"data:image/png;base64,", markup)) >= 2     # charts inline
    styles = re.findall(r"<style[^>]*>(.*?)</style>", markup, flags=re.S)
    assert len(styles) == 1 and len(styles[0]) < 8_000
    assert "--jp-" not in markup and "jp-Notebook" not in markup           # no JupyterLab CSS
    assert "<script" not in markup.lower()
    assert "default-src 'none'" in markup
    # text reads from the left; only figures (class ci-num) are set to the right
    rules = re.findall(r"([^{}]+)\{([^}]*)\}", styles[0])
    right = [selector.strip() for selector, body in rules if re.search(r"text-align:\s*right", body)]
    assert right and all(".ci-num" in selector for selector in right)
    assert any(re.search(r"(^|,)\s*th, td\s*$", selector) and "text-align: left" in body
               for selector, body in rules)


@pytest.mark.slow
def test_a_browser_shows_text_columns_left_aligned_and_the_charts(page: Path, tmp_path: Path) -> None:
    """Headless Chromium measures the page as a reader sees it (computed styles, images)."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    probe = tmp_path / "probe.html"
    probe.write_text(f"""<!DOCTYPE html><html><body><pre id="out"></pre>
<iframe id="report" src="{page.as_uri()}" style="width:1200px;height:900px"></iframe>
<script>
document.getElementById("report").onload = function () {{
  var doc = this.contentDocument, out = [];
  doc.querySelectorAll("table").forEach(function (table) {{
    table.querySelectorAll("td").forEach(function (cell) {{
      var style = doc.defaultView.getComputedStyle(cell);
      out.push({{text: cell.textContent.trim().slice(0, 40), align: style.textAlign,
                 number: cell.classList.contains("ci-num")}});
    }});
  }});
  var images = Array.from(doc.images).map(function (img) {{ return img.naturalWidth; }});
  document.getElementById("out").textContent = JSON.stringify({{title: doc.title, cells: out, images: images}});
}};
</script></body></html>""", encoding="utf-8")
    done = subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                           "--allow-file-access-from-files", f"--user-data-dir={tmp_path / 'profile'}",
                           "--virtual-time-budget=5000", "--dump-dom", probe.as_uri()],
                          capture_output=True, text=True, timeout=120)
    found = re.search(r'<pre id="out">(.*?)</pre>', done.stdout, flags=re.S)
    assert found and found.group(1), done.stderr[-2000:]
    seen = json.loads(found.group(1).replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">"))
    assert seen["title"] == "3C report — Navika Motors — 2026-10"
    assert len(seen["images"]) >= 2 and all(width > 0 for width in seen["images"])
    text = [cell for cell in seen["cells"] if not cell["number"] and re.search(r"[A-Za-z]{3}", cell["text"])]
    assert len(text) > 20 and all(cell["align"] in ("left", "start") for cell in text), text[:5]


# -- signals: customer, type and window filtered in SQL -------------------------------------------

def test_the_window_filtered_in_sql_gives_what_filtering_everything_gave(workspace: Path) -> None:
    with Workbench.open(workspace) as wb:
        every = wb.signals(one_per_story=False, apply_corrections=False)
        # corrections that move signals into a customer and a type, and one rejection
        moved = every[every["customer_id"] == "dhruva-auto"].iloc[0]
        wb.correct(int(moved["id"]), customer="navika-motors", reason="test")
        retyped = every[(every["customer_id"] == "navika-motors") & (every["type"] == "pricing")].iloc[0]
        wb.correct(int(retyped["id"]), type="capacity", reason="test")
        wb.reject(int(every[every["customer_id"].isna()].iloc[0]["id"]), reason="test")
        for customer in (None, "navika-motors", "dhruva-auto"):
            for types in (None, ["pricing"], GENERAL):
                for since, until in ((None, None), ("2026-01", PERIOD), ("2025-11-15", "2026-06-30")):
                    windowed = wb.signals(customer, since=since, until=until, types=types)
                    everything = wb.signals(customer, types=types)
                    dates = everything["observed_at"]
                    expected = everything[(dates >= (since or "")) & (dates <= _day(until))]
                    pd.testing.assert_frame_equal(windowed, expected.reset_index(drop=True),
                                                  check_dtype=False)
        navika = wb.signals("navika-motors", since="2024-11", until=PERIOD)
        assert int(moved["id"]) in set(navika["id"])
        assert "capacity" in set(navika.loc[navika["id"] == int(retyped["id"]), "type"])


def _day(until: str | None) -> str:
    return "9999" if until is None else until + "-31" if len(until) == 7 else until


def _steps(wb: Workbench, call) -> int:
    """SQLite virtual-machine steps (in hundreds) that ``call`` makes on the store."""
    steps = [0]

    def count() -> int:
        steps[0] += 1
        return 0

    wb.store.db.set_progress_handler(count, 100)
    try:
        call()
    finally:
        wb.store.db.set_progress_handler(None, 100)
    return steps[0]


def test_a_reports_signals_cost_the_same_however_much_older_and_other_history_the_store_holds(
        workspace: Path) -> None:
    calls = {"customer": lambda wb: wb.signals("navika-motors", since="2024-11", until=PERIOD),
             "general": lambda wb: wb.signals(since="2025-11", until=PERIOD, types=GENERAL)}
    with Workbench.open(workspace) as wb:
        before = {name: (_steps(wb, lambda call=call: call(wb)), call(wb)) for name, call in calls.items()}
    _add_history(workspace / "compintel.db", documents=1_500)
    with Workbench.open(workspace) as wb:
        after = {name: (_steps(wb, lambda call=call: call(wb)), call(wb)) for name, call in calls.items()}
    for name in calls:
        pd.testing.assert_frame_equal(before[name][1], after[name][1])
        # 1,500 documents and 6,000 signals more, all older or about other accounts: a scan
        # would take several times the steps
        assert after[name][0] <= before[name][0] * 1.2 + 5, (name, before[name][0], after[name][0])


def _add_history(store: Path, documents: int) -> None:
    """Older documents about the demo customers and the industry, and documents about another
    account in the window: four signals each, dated as the tagger dates them."""
    db = sqlite3.connect(store)
    types = ["pricing", "quality_ppm", *GENERAL]
    with db:
        start = db.execute("SELECT MAX(id) FROM documents").fetchone()[0] + 1
        for number in range(documents):
            old = number % 3 != 0
            day = f"{2015 + number % 8}-0{1 + number % 9}-15" if old else "2026-03-15"
            customer = [None, "navika-motors", "dhruva-auto"][number % 3] if old else "other-account"
            kinds = types if old else types[:2]         # in the window: no general news
            document = start + number
            db.execute("INSERT INTO documents (id, url, kind, title, published_at, fetched_at, text, "
                       "content_hash) VALUES (?, ?, 'article', 'old news', ?, ?, ?, ?)",
                       (document, f"https://history.example/{document}", day + "T09:00:00+00:00",
                        day + "T10:00:00+00:00", "Vitreon did something. " * 8, f"h{document}"))
            db.executemany("INSERT INTO signals (document_id, type, start, end, company_id, customer_id, "
                           "observed_at, grade) VALUES (?, ?, 0, 22, 'vitreon', ?, ?, 'reported')",
                           [(document, kinds[(number + k) % len(kinds)], customer, day)
                            for k in range(4)])
    db.close()


# -- make lab -------------------------------------------------------------------------------------

@pytest.mark.parametrize("uid", ["0", "1000"])
def test_make_lab_allows_root_only_for_root(uid: str, tmp_path: Path) -> None:
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    # a stand-in for `id` that answers the user id asked for
    fake = tmp_path / "bin"
    fake.mkdir()
    (fake / "id").write_text(f"#!/bin/sh\necho {uid}\n", encoding="utf-8")
    (fake / "id").chmod(0o755)
    done = subprocess.run(["make", "-n", "-o", ".venv/.installed", "-o", "compintel/data/recall/recall.json",
                           "lab", f"PATH={fake}:/usr/bin:/bin"], cwd=REPO, capture_output=True, text=True,
                          env={"PATH": f"{fake}:/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr
    command = [line for line in done.stdout.splitlines() if "jupyter lab" in line]
    assert len(command) == 1
    assert ("--allow-root" in command[0]) == (uid == "0")


def test_two_customers_whose_report_files_would_share_a_name_are_refused(demo_workspace) -> None:
    catalog = demo_workspace / "sources" / "catalog.toml"
    catalog.write_text(catalog.read_text(encoding="utf-8") + "".join(
        f'\n[[company]]\nid = "{cid}"\nname = "{name}"\nrole = "customer"\nfictional = true\n'
        for cid, name in (("zeta-motors", "Zeta Motors"), ("zeta/motors", "Zeta Motors North"))),
        encoding="utf-8")
    with Workbench.open(demo_workspace) as wb, pytest.raises(UserError) as refused:
        wb.report(["Zeta Motors North"], "2026-10")
    assert "'zeta-motors' and 'zeta/motors' would write the same report files (zeta-motors.html)" \
        in refused.value.message
