"""The report stage end to end: papermill runs the real notebook, nbconvert writes the HTML."""

from __future__ import annotations

import html
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
from compintel.threec import inr

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
        run = wb.report(["navika-motors", "dhruva-auto", "meridian-mobility"], PERIOD, parallel=2)
        figures = {customer: month_sales(wb, customer)
                   for customer in ("navika-motors", "dhruva-auto", "meridian-mobility")}
    pages = {customer: (root / "reports" / PERIOD / f"{customer}.html").read_text(encoding="utf-8")
             for customer in ("navika-motors", "dhruva-auto", "meridian-mobility")}
    return {"root": root, "run": run, "figures": figures, "pages": pages}


def html_of(rendered: dict, customer: str) -> str:
    return (rendered["root"] / "reports" / PERIOD / f"{customer}.html").read_text(encoding="utf-8")


def test_each_customer_gets_a_report_with_its_own_figures_only(rendered) -> None:
    run = rendered["run"]
    assert [(r.customer_id, r.status) for r in run.results] == [
        ("navika-motors", "ok"), ("dhruva-auto", "ok"), ("meridian-mobility", "ok")]
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
    for attribute in re.findall(r'src\s*=\s*"([^"]*)"', page):
        assert attribute.startswith(("data:", "#")) or "://" not in attribute, attribute
    # links to evidence are navigations a reader may follow, never requests the page makes
    for tag, attribute in re.findall(r'<(\w+)[^>]*\bhref\s*=\s*"([^"]*)"', page):
        assert tag == "a" or attribute.startswith(("data:", "#")) or "://" not in attribute, (tag, attribute)
        assert not attribute.lower().startswith(("javascript:", "file:")), attribute
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
    assert links == ["navika-motors.html", "navika-motors.xlsx", "dhruva-auto.html", "dhruva-auto.xlsx",
                     "meridian-mobility.html", "meridian-mobility.xlsx"]
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
    assert re.findall(r'href="([^"]+)\.html"', index) == ["navika-motors", "dhruva-auto", "meridian-mobility"]
    assert counts["report_runs"] == 1 and counts["report_results"] == 3


def test_one_failing_customer_does_not_stop_the_others(rendered, capsys, tmp_path: Path) -> None:
    root = copy_demo(tmp_path / "demo")          # the shared pages stay as rendered
    shutil.copy2(rendered["root"] / "compintel.db", root / "compintel.db")
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


def test_plain_papermill_with_a_period_outside_the_data_fails_in_one_line(rendered, tmp_path: Path) -> None:
    papermill = Path(sys.executable).parent / "papermill"
    done = subprocess.run([str(papermill), "3c_report.ipynb", str(tmp_path / "out.ipynb"), "-p", "customer",
                           "navika-motors", "-p", "period", "2030-01", "-p", "workspace",
                           str(rendered["root"])], cwd=REPO / "notebooks", capture_output=True,
                          text=True, timeout=300)
    assert done.returncode != 0
    assert done.stderr.strip().splitlines()[-1] == (
        "PeriodError: 2030-01 is outside Navika Motors's data, which spans 2025-04 to 2026-10 "
        "(choose a month from 2025-04 to 2026-10 with -p period YYYY-MM)")
    assert "threec/model.py" not in done.stderr          # no traceback through our code


def chromium_path() -> str:
    """Debian's Chromium (``make test`` installs it where it can); skipped only when absent and
    not required (``COMPINTEL_REQUIRE_BROWSER=1``, as ``make test`` sets, makes absence a failure)."""
    import os

    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        if os.environ.get("COMPINTEL_REQUIRE_BROWSER") == "1":
            pytest.fail("Chromium is required for the browser tests: apt-get install chromium")
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    return found


def test_the_pack_in_a_browser_shows_charts_and_links_and_requests_nothing(rendered) -> None:
    """Headless Chromium opens each report and the index, every request recorded — by the page
    and at a proxy: charts display, every in-page link has its target, and nothing leaves."""
    from localweb import LocalWeb
    from playwright.sync_api import sync_playwright

    folder = rendered["root"] / "reports" / PERIOD
    with LocalWeb() as proxy, sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=chromium_path(),
                                         proxy={"server": f"http://127.0.0.1:{proxy.port}"},
                                         args=["--disable-background-networking", "--disable-component-update"])
        page = browser.new_page()
        requested = []
        page.on("request", lambda request: requested.append(request.url))
        for customer in ("navika-motors", "dhruva-auto", "meridian-mobility"):
            page.goto((folder / f"{customer}.html").as_uri())
            assert page.title().startswith("3C report — ") and PERIOD in page.title()
            charts = page.evaluate("Array.from(document.images).map(i => [i.naturalWidth, "
                                   "i.getBoundingClientRect().width])")
            assert len(charts) >= 4 and all(natural > 0 and shown > 0 for natural, shown in charts), charts
            dangling = page.evaluate("Array.from(document.querySelectorAll('a[href^=\"#\"]'))"
                                     ".filter(a => !document.getElementById(a.getAttribute('href').slice(1)))"
                                     ".map(a => a.getAttribute('href'))")
            assert dangling == []
            assert page.locator(".ci-summary a.ci-ref").count() >= 3
            assert page.locator('a[href="index.html"]').count() == 1
            aligned = page.evaluate("[getComputedStyle(document.querySelector('td.ci-text')).textAlign, "
                                    "getComputedStyle(document.querySelector('td.ci-num')).textAlign]")
            assert aligned == ["left", "right"]
        page.goto((folder / "index.html").as_uri())
        links = page.evaluate("Array.from(document.links).map(a => a.getAttribute('href'))")
        assert {"navika-motors.html", "dhruva-auto.html", "meridian-mobility.html"} <= set(links)
        browser.close()
    assert all(url.startswith("file://") for url in requested), requested
    assert proxy.requests == []


def test_the_fictional_demo_never_reports_a_real_company(rendered) -> None:
    with Workbench.open(rendered["root"]) as wb, \
            pytest.raises(UserError, match="Maruti Suzuki India is a real company"):
        wb.report(["Maruti Suzuki"], PERIOD)


def test_a_month_outside_the_data_is_refused_naming_the_span(rendered) -> None:
    with Workbench.open(rendered["root"]) as wb, pytest.raises(UserError) as refused:
        wb.report(["navika-motors"], "2030-01")
    assert refused.value.format() == ("2030-01 is outside Navika Motors's data, which spans 2025-04 to "
                                      "2026-10 (choose a month from 2025-04 to 2026-10 with --period)")
    assert not (rendered["root"] / "reports" / "2030-01").exists()


# -- figures in the report belong to the company the evidence is about (issue 11) -------------

def table_rows(page: str, header: str) -> dict[str, list[str]]:
    """The rows of the first table whose header row holds ``header``, by first cell (tags and
    entities decoded)."""
    import html as html_module

    for table_markup in re.findall(r"<table.*?</table>", page, flags=re.S):
        if header not in table_markup:
            continue
        rows = {}
        for row in re.findall(r"<tr.*?</tr>", table_markup, flags=re.S):
            cells = [html_module.unescape(re.sub(r"<[^>]+>", " ", cell)).split()
                     for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, flags=re.S)]
            cells = [" ".join(words) for words in cells]
            if cells:
                rows[cells[0]] = cells[1:]
        return rows
    raise AssertionError(f"no table with {header!r}")


def test_scorecard_figures_are_the_companies_own_with_grade_and_age(rendered) -> None:
    dhruva = table_rows(rendered["pages"]["dhruva-auto"], "Latest vendor rating")
    ppm, otif, rating = 0, 1, 2
    # Clarity's OTIF is the 91 % the August note observed, not the 30 % a share move started from
    assert dhruva["Clarity Glassworks"][otif].startswith("91.0 % · observed")
    # "Vistar WS + sunroof … PPM 0" is our parts' PPM (the share table says we supply them)
    assert dhruva["Clarity Glassworks"][ppm] == "—" and dhruva["Sunmarg Safety Glass"][ppm] == "—"
    assert dhruva["Kestrel Safety Glass"][ppm].startswith("0 · observed")
    navika = table_rows(rendered["pages"]["navika-motors"], "Latest vendor rating")
    # the customer's rating table is the latest rating for its month: October's 87 green, not
    # the September 86 our KAM's note of 20 October restates — and the note's rating is ours,
    # not Vitreon's, whose October band the table gives
    assert navika["Kestrel Safety Glass"][rating] == "87 green · rating table (2026-10)"
    assert navika["Vitreon Auto Glass"][rating] == "yellow · rating table (2026-10)"
    ratings = table_rows(rendered["pages"]["navika-motors"], "Band")
    assert ratings["Kestrel Safety Glass"][1:4] == ["2026-10", "87", "green"]
    # visits in the scorecard agree with the visits table: rumours and retellings are no visits
    visits = table_rows(rendered["pages"]["navika-motors"], "Visits (90 d)")
    assert visits["Vitreon Auto Glass"][6] == "1"
    # ours are days with a field note or visit-log row per plant, as the visits table counts
    # them: 5 and 20 August, 8, 20 and (this test's note) 28 October
    assert visits["Kestrel Safety Glass"][6] == "5"
    assert navika["Vitreon Auto Glass"][ppm].startswith("410 · observed")   # the test note of 28 Oct


def test_pricing_evidence_is_attributed_and_links_to_its_source(rendered) -> None:
    page = rendered["pages"]["navika-motors"]
    start = page.index(">Pricing moves (last twelve months)")
    pricing = page[start:page.index("</table>", start)]
    rows = re.findall(r"<tr>(.*?)</tr>", pricing, flags=re.S)
    cells = [[html.unescape(re.sub(r"<[^>]+>", " ", cell)).strip()
              for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, flags=re.S)] for row in rows]
    cells = [row for row in cells if row]       # date, signal, company, figure, grade, evidence, source
    # Vitreon's undercut is Vitreon's, negative; our revenue growth is no price
    assert any(row[2] == "Vitreon Auto Glass" and row[3] == "-6 %" and "below that of incumbent" in row[5]
               for row in cells)
    assert not any(row[2] == "Kestrel Safety Glass" and row[3] == "-6 %" for row in cells)
    assert not any("revenue" in row[5] and row[3] == "14 %" for row in cells)
    # a web document links to its URL (escaped, http or https only); a note gives path and line
    links = re.findall(r'<a href="([^"]+)" rel="noopener noreferrer">', pricing)
    assert links and all(link.startswith(("https://", "http://")) for link in links)
    notes = re.findall(r"<code>(sources/demo/notes/[^<:]+\.md):(\d+)</code>", pricing)
    assert notes
    for path, line in notes:
        lines = (rendered["root"] / path).read_text(encoding="utf-8").splitlines()
        evidence = next(row[5] for row in cells if row[6].startswith(f"{path}:{line} "))
        assert evidence.lstrip("-• ")[:30] in lines[int(line) - 1], (path, line, evidence)


def test_a_corrected_signal_shows_its_corrected_figure_and_says_so(rendered, tmp_path: Path) -> None:
    from compintel.threec import ThreeCReport

    root = copy_demo(tmp_path / "demo")
    shutil.copy2(rendered["root"] / "compintel.db", root / "compintel.db")
    with Workbench.open(root) as wb:
        signals = wb.signals("navika-motors", types=["pricing"])
        target = signals[(signals["company_id"] == "vitreon") & (signals["value"] == -6)].iloc[0]
        wb.correct(int(target["id"]), value=-7, reason="buyer confirmed 7 %")
        markup = ThreeCReport(wb, "navika-motors", PERIOD).competitor.pricing_table().markup
    row = next(row for row in re.findall(r"<tr>(.*?)</tr>", markup, flags=re.S)
               if "-7 %" in row)
    assert 'class="ci-corrected"' in row and "buyer confirmed 7 %" in row
