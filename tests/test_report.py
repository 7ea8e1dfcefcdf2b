"""The report stage end to end: papermill runs the real notebook, nbconvert writes the HTML."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from conftest import REPO, copy_demo

from compintel import UserError, Workbench
from compintel.cli import main
from compintel.report_view import inr

PERIOD = "2026-10"
SCRIPT = "<script>alert('pwned')</script>"
NOTE = f"""---
date: 2026-10-28
customer: Navika Motors
plant: Ambeli
author: Test
grade: observed
---
Buyer pasted this into the chat: {SCRIPT} and <b>bold</b> & more. VAGL PPM 410 this month.
"""


def month_sales(wb: Workbench, customer: str) -> str:
    sales = wb.frame("sales", customer)
    return inr(sales.loc[sales["month"] == PERIOD, "actual_value"].sum())


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> dict:
    """A demo workspace with a hostile note, gathered, imported, tagged and reported once."""
    root = copy_demo(tmp_path_factory.mktemp("report") / "demo")
    (root / "sources" / "demo" / "notes" / "2026-10-28-navika-ambeli-test.md").write_text(
        NOTE, encoding="utf-8")
    with Workbench.open(root) as wb:
        wb.gather()
        assert not wb.import_files().failed
        wb.tag()
        run = wb.report(["navika-motors", "dhruva-auto"], PERIOD, parallel=2)
        figures = {customer: month_sales(wb, customer)
                   for customer in ("navika-motors", "dhruva-auto", "meridian-mobility")}
    return {"root": root, "run": run, "figures": figures}


def html_of(rendered: dict, customer: str) -> str:
    return (rendered["root"] / "reports" / PERIOD / f"{customer}.html").read_text(encoding="utf-8")


def test_each_customer_gets_a_report_with_its_own_figures_only(rendered) -> None:
    run = rendered["run"]
    assert [(r.customer_id, r.status) for r in run.results] == [("navika-motors", "ok"),
                                                                  ("dhruva-auto", "ok")]
    navika = html_of(rendered, "navika-motors")
    figures = rendered["figures"]
    assert "3C report — Navika Motors" in navika
    assert figures["navika-motors"] in navika
    assert figures["dhruva-auto"] not in navika and figures["meridian-mobility"] not in navika
    with Workbench.open(rendered["root"]) as wb:
        volumes = wb.frame("production_volumes")
    month = volumes[volumes["month"] == PERIOD]
    for customer, rows in month.groupby("customer_id"):
        for volume in rows["volume"]:
            shown = f">{volume:,.0f}<"
            if customer == "navika-motors":
                continue
            assert shown not in navika, (customer, shown)
    dhruva = html_of(rendered, "dhruva-auto")
    assert figures["dhruva-auto"] in dhruva and figures["navika-motors"] not in dhruva
    assert "every company, plant, person, event and figure in this report is fictional" in navika


def test_report_is_self_contained_without_code(rendered) -> None:
    page = html_of(rendered, "navika-motors")
    assert "from compintel import" not in page and "ThreeCReport(" not in page   # no code cells
    assert 'jp-InputArea-editor"' not in page and 'class="jp-InputPrompt' not in page
    assert len(re.findall(r'<img [^>]*src="data:image/png;base64,', page)) >= 4  # charts inline
    for attribute in re.findall(r'(?:src|href)\s*=\s*"([^"]*)"', page):
        assert attribute.startswith(("data:", "#")) or "://" not in attribute, attribute
    assert not re.search(r"""url\(\s*['"]?(?:https?:)?//""", page)
    assert "Content-Security-Policy" in page and "default-src 'none'" in page


def test_scraped_and_typed_text_is_escaped(rendered) -> None:
    page = html_of(rendered, "navika-motors")
    assert SCRIPT not in page
    assert "&lt;script&gt;alert('pwned')&lt;/script&gt;" in page
    assert "<b>bold</b>" not in page and "&lt;b&gt;bold&lt;/b&gt;" in page
    # the scraped feed item with a script element never reaches the page as markup
    assert "onclick" not in page.lower()


def test_index_links_every_report_and_the_executed_notebooks_are_kept(rendered) -> None:
    folder = rendered["root"] / "reports" / PERIOD
    index = (folder / "index.html").read_text(encoding="utf-8")
    links = re.findall(r'href="([^"]+)"', index)
    assert links == ["navika-motors.html", "dhruva-auto.html"]
    assert all((folder / link).is_file() for link in links)
    notebook = nbformat.read(folder / "navika-motors.ipynb", as_version=4)
    assert any("papermill" in cell.get("metadata", {}) or cell.get("metadata", {}).get("tags")
               for cell in notebook.cells)
    assert "fictional" in index


def test_rerunning_one_customer_keeps_the_others_in_the_index(rendered) -> None:
    with Workbench.open(rendered["root"]) as wb:
        wb.report(["dhruva-auto"], PERIOD)
        counts = wb.store.row_counts()
    index = (rendered["root"] / "reports" / PERIOD / "index.html").read_text(encoding="utf-8")
    assert re.findall(r'href="([^"]+)"', index) == ["navika-motors.html", "dhruva-auto.html"]
    assert counts["report_runs"] == 1 and counts["report_results"] == 2


def test_one_failing_customer_does_not_stop_the_others(rendered, capsys) -> None:
    root = rendered["root"]
    notebook = nbformat.read(REPO / "notebooks" / "3c_report.ipynb", as_version=4)
    notebook.cells.insert(2, nbformat.v4.new_code_cell(
        'if customer == "dhruva-auto":\n    raise RuntimeError("boom for " + customer)'))
    (root / "notebooks").mkdir(exist_ok=True)
    nbformat.write(notebook, root / "notebooks" / "3c_report.ipynb")
    try:
        status = main(["report", "-w", str(root), "-p", PERIOD, "-c", "navika-motors",
                       "-c", "dhruva-auto"])
    finally:
        shutil.rmtree(root / "notebooks")
    output = capsys.readouterr()
    assert status == 1
    assert "ok      navika-motors" in output.out
    failure = [line for line in output.err.splitlines() if "dhruva-auto" in line]
    assert len(failure) == 1 and "RuntimeError: boom for dhruva-auto" in failure[0]
    index = (root / "reports" / PERIOD / "index.html").read_text(encoding="utf-8")
    assert "failed" in index and "boom for dhruva-auto" in index


def test_unknown_customer_and_bad_period_are_user_errors(rendered) -> None:
    with Workbench.open(rendered["root"]) as wb:
        with pytest.raises(UserError, match="did you mean 'Navika Motors'"):
            wb.report(["Navikka Motors"], PERIOD)
        with pytest.raises(UserError, match="YYYY-MM"):
            wb.report(["navika-motors"], "2026-13")


def test_the_notebook_runs_under_plain_papermill(rendered, tmp_path: Path) -> None:
    papermill = Path(sys.executable).parent / "papermill"
    out = tmp_path / "out.ipynb"
    done = subprocess.run([str(papermill), "3c_report.ipynb", str(out), "-p", "customer",
                           "Navika Motors", "-p", "period", PERIOD, "-p", "workspace",
                           str(rendered["root"])], cwd=REPO / "notebooks", capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    executed = json.loads(out.read_text(encoding="utf-8"))
    outputs = json.dumps([cell.get("outputs", []) for cell in executed["cells"]])
    assert "3C report \\u2014 Navika Motors" in outputs or "3C report — Navika Motors" in outputs
    assert rendered["figures"]["navika-motors"].replace("₹", "\\u20b9") in outputs \
        or rendered["figures"]["navika-motors"] in outputs


@pytest.mark.slow
def test_a_browser_opening_the_report_requests_nothing(rendered, tmp_path: Path) -> None:
    """Headless Chromium, every request sent through a recording proxy: none may arrive."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    from localweb import LocalWeb

    with LocalWeb() as proxy:
        page = rendered["root"] / "reports" / PERIOD / "navika-motors.html"
        shot = tmp_path / "page.png"
        done = subprocess.run(
            [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             "--disable-features=NetworkTimeServiceQuerying,OptimizationHints,Translate",
             f"--user-data-dir={tmp_path / 'profile'}", f"--proxy-server=127.0.0.1:{proxy.port}",
             "--proxy-bypass-list=<-loopback>", f"--screenshot={shot}", "--window-size=1200,3000",
             page.as_uri()], capture_output=True, text=True, timeout=120)
        assert shot.is_file(), done.stderr[-2000:]
        assert proxy.requests == []


def test_the_fictional_demo_never_reports_a_real_company(rendered) -> None:
    with Workbench.open(rendered["root"]) as wb, \
            pytest.raises(UserError, match="Maruti Suzuki India is a real company"):
        wb.report(["Maruti Suzuki"], PERIOD)


def test_a_month_without_data_still_renders(rendered) -> None:
    with Workbench.open(rendered["root"]) as wb:
        run = wb.report(["navika-motors"], "2030-01")
    assert [(r.customer_id, r.status, r.error) for r in run.results] == [("navika-motors", "ok", None)]
    page = (rendered["root"] / "reports" / "2030-01" / "navika-motors.html").read_text(encoding="utf-8")
    assert "No production volumes in the twelve months to 2030-01" in page
