"""The Workbench API the notebooks use, on the gathered, imported and tagged demo workspace."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import papermill
import pytest
from conftest import REPO, copy_demo

from compintel import UserError, Workbench
from compintel.analysis import fiscal_year


@pytest.fixture(scope="module")
def wb(built_demo):
    with Workbench.open(built_demo) as bench:
        yield bench


def test_customers_with_data_are_the_demo_customers(wb) -> None:
    assert wb.customers_with_data() == ["navika-motors", "dhruva-auto", "meridian-mobility"]
    assert wb.customer("NML") == wb.customer("Navika Motors") == "navika-motors"
    with pytest.raises(UserError, match="did you mean 'Navika Motors'"):
        wb.customer("Navikka")


def test_sales_vs_plan_by_financial_year_adds_up_the_months(wb) -> None:
    sales = wb.frame("sales", "navika-motors")
    fy = wb.sales_vs_plan("navika-motors", freq="fy", by=("customer_id",)).set_index("period")
    rows = sales[sales["month"].map(fiscal_year) == "FY2025-26"]
    assert fy.loc["FY2025-26", "actual_value"] == pytest.approx(rows["actual_value"].sum())
    assert fy.loc["FY2025-26", "plan_value"] == pytest.approx(rows["plan_value"].sum())


def test_share_of_business_sums_to_one_hundred_each_month(wb) -> None:
    share = wb.share_of_business("navika-motors", by=("customer_id",))
    totals = share.groupby("month")["share_pct"].sum()
    assert totals.round(6).eq(100).all()
    ours = share[share["supplier_id"] == "kestrel-glass"].set_index("month")["share_pct"]
    # the demo storyline: Kestrel loses Koru backlite share to Vitreon from September 2026
    assert ours["2026-09"] < ours["2026-08"]
    moves = wb.share_moves("navika-motors", "2026-07", "2026-10")
    lost = moves[(moves["supplier_id"] == "kestrel-glass") & (moves["outcome"] == "lost")]
    assert lost["model"].tolist() == ["navika-motors/koru"]


def test_signals_filters_and_counts_a_syndicated_story_once(wb) -> None:
    everything = wb.signals(one_per_story=False)
    once = wb.signals()
    assert len(once) < len(everything)
    stories = once.groupby(["story_id", "type", "company_id", "customer_id", "value", "unit"],
                           dropna=False).size()
    assert stories.max() == 1
    since = wb.signals("dhruva-auto", since="2026-07", types=["delivery_performance"])
    assert not since.empty
    assert set(since["type"]) == {"delivery_performance"}
    assert (since["observed_at"] >= "2026-07").all()
    assert set(since["customer_id"]) == {"dhruva-auto"}


def test_scorecard_shows_the_competitor_ppm_the_notes_report(wb) -> None:
    card = wb.scorecard("navika-motors", "2026-10-31").set_index("company_id")
    assert card.loc["kestrel-glass", "is_ours"]
    assert card.loc["vitreon", "latest_ppm"] > card.loc["kestrel-glass", "latest_ppm"]


def test_the_workbench_notebook_runs(built_demo: Path, tmp_path: Path) -> None:
    out = tmp_path / "workbench.ipynb"
    papermill.execute_notebook(str(REPO / "notebooks" / "workbench.ipynb"), str(out),
                               parameters={"workspace": str(built_demo)}, kernel_name="python3",
                               progress_bar=False, cwd=str(REPO / "notebooks"))
    cells = json.loads(out.read_text(encoding="utf-8"))["cells"]
    errors = [o for c in cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert errors == []
    assert any("image/png" in o.get("data", {}) for c in cells for o in c.get("outputs", []))
    search = next(c for c in cells if "wb.search(" in "".join(c["source"]))
    assert "«" in json.dumps(search["outputs"], ensure_ascii=False)       # hits, matches marked


@pytest.mark.parametrize("customer, period, month, as_of", [
    ("Dhruva Auto", "2026-06", "2026-06", "2026-06-30"),      # a month of 30 days
    ("Navika Motors", "", "2026-10", "2026-10-31"),           # "": the latest month with data
])
def test_the_workbench_notebook_runs_for_any_month(built_demo: Path, tmp_path: Path, customer: str,
                                                   period: str, month: str, as_of: str) -> None:
    root = copy_demo(tmp_path / "demo")
    shutil.copy2(built_demo / "compintel.db", root / "compintel.db")
    out = tmp_path / "workbench.ipynb"
    papermill.execute_notebook(str(REPO / "notebooks" / "workbench.ipynb"), str(out),
                               parameters={"workspace": str(root), "customer": customer,
                                           "period": period},
                               kernel_name="python3", progress_bar=False, cwd=str(REPO / "notebooks"))
    cells = json.loads(out.read_text(encoding="utf-8"))["cells"]
    errors = [o for c in cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert errors == []
    # no month, day or competitor of the demo written into the cells: they follow the parameters
    code = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code"
                     and not {"parameters", "injected-parameters"} & set(c["metadata"].get("tags", [])))
    assert not re.search(r"\d{4}-\d{2}|-31\b", code) and "Vitreon" not in code
    shown = json.dumps([c.get("outputs", []) for c in cells])
    assert f"'period': '{month}'" in shown and f"'as_of': '{as_of}'" in shown


def test_importing_every_source_forgets_deleted_notes_and_renamed_tables(demo_workspace) -> None:
    root = demo_workspace
    with Workbench.open(root) as wb:
        assert not wb.import_files().failed
        notes_before = wb.store.row_counts()["field_notes"]
        complaints_before = len(wb.frame("complaints"))
    (root / "sources" / "demo" / "notes" / "2026-10-20-navika-kesarpur-monthly.md").unlink()
    tables = root / "sources" / "demo" / "tables"
    (tables / "complaints.csv").rename(tables / "complaints-2026.csv")
    definitions = root / "sources" / "sources.toml"
    definitions.write_text(definitions.read_text(encoding="utf-8").replace(
        "demo/tables/complaints.csv", "demo/tables/complaints-2026.csv"), encoding="utf-8")
    with Workbench.open(root) as wb:
        assert not wb.import_files().failed
        assert wb.store.row_counts()["field_notes"] == notes_before - 1
        assert len(wb.frame("complaints")) == complaints_before          # not doubled
        paths = [row[0] for row in wb.store.query("SELECT path FROM imports")]
        assert "sources/demo/tables/complaints-2026.csv" in paths
        assert "sources/demo/tables/complaints.csv" not in paths
        assert wb.open_issues(as_of="2026-10-31").shape[0] > 0           # the report's input works


def test_importing_every_source_keeps_files_imported_by_hand_while_they_are_there(demo_workspace, tmp_path) -> None:
    root = demo_workspace
    outside = tmp_path / "kam-notes" / "visit.md"
    outside.parent.mkdir()
    outside.write_text("---\ncustomer: Navika Motors\ndate: 2026-10-02\ngrade: observed\n---\n"
                       "Vitreon PPM at Kesarpur 380 this month.\n", encoding="utf-8")
    mine = root / "sources" / "mine"          # inside sources/, but no source names it
    mine.mkdir()
    (mine / "complaints-extra.csv").write_text(
        "Complaint No,Customer,Plant,QCDDM,Description,Raised On,Target Date,Closed On,VOC\n"
        "NML-Q-26-901,NML,Kesarpur,Quality,Chipped Koru backlite edge (1 no),02/10/2026,16/10/2026,,N\n",
        encoding="utf-8")
    with Workbench.open(root) as wb:
        assert not wb.import_files().failed
        notes, complaints = wb.store.row_counts()["field_notes"], len(wb.frame("complaints"))
        assert not wb.import_files([outside, mine / "complaints-extra.csv"]).failed
        assert wb.store.row_counts()["field_notes"] == notes + 1
        assert len(wb.frame("complaints")) == complaints + 1
        report = wb.import_files()                    # every source: the hand-imported files stay
        assert not report.failed and report.forgotten == []
        assert wb.store.row_counts()["field_notes"] == notes + 1
        assert len(wb.frame("complaints")) == complaints + 1
    outside.unlink()
    (mine / "complaints-extra.csv").unlink()
    with Workbench.open(root) as wb:
        report = wb.import_files()                    # their files gone: forgotten, and said so
        assert sorted(report.forgotten) == sorted([f"{outside.resolve().as_posix()}: its file is gone",
                                                   "sources/mine/complaints-extra.csv: its file is gone"])
        assert wb.store.row_counts()["field_notes"] == notes
        assert len(wb.frame("complaints")) == complaints


@pytest.mark.parametrize("name, kind", [("README", "an extension-less"), ("minutes.txt", "a .txt")])
def test_importing_a_file_of_another_kind_says_which_kind(tmp_path: Path, name: str, kind: str) -> None:
    path = tmp_path / name
    path.write_text("x", encoding="utf-8")
    with Workbench.init(tmp_path / "ws") as wb, pytest.raises(UserError) as raised:
        wb.import_files([path])
    assert raised.value.format().startswith(f"{path}: cannot import {kind} file (import .md notes")


def test_a_broken_table_file_keeps_its_earlier_rows(demo_workspace) -> None:
    with Workbench.open(demo_workspace) as wb:
        wb.import_files()
        before = len(wb.frame("complaints"))
    path = demo_workspace / "sources" / "demo" / "tables" / "complaints.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("/", "-", 3) + "x,y\n", encoding="utf-8")
    with Workbench.open(demo_workspace) as wb:
        report = wb.import_files()
        assert [f.path for f in report.failed] == ["sources/demo/tables/complaints.csv"]
        assert len(wb.frame("complaints")) == before


def test_a_table_is_read_by_its_store_name_or_its_import_kind(demo_workspace) -> None:
    with Workbench.open(demo_workspace) as wb:
        assert not wb.import_files().failed
        assert len(wb.frame("vendor_rating")) == len(wb.frame("vendor_ratings")) > 0
        assert len(wb.frame("rfq", "navika-motors")) == len(wb.frame("rfqs", "navika-motors")) > 0


def test_a_file_a_source_covers_is_the_sources_even_when_imported_by_hand(demo_workspace) -> None:
    root = demo_workspace
    note = root / "sources" / "demo" / "notes" / "2026-10-20-navika-kesarpur-monthly.md"
    table = root / "sources" / "demo" / "tables" / "share_of_business.csv"
    with Workbench.open(root) as wb:
        assert not wb.import_files().failed
        assert not wb.import_files([note, table]).failed           # re-imported by hand after an edit
    definitions = root / "sources" / "sources.toml"
    text = definitions.read_text(encoding="utf-8")
    start = text.index('[[source]]\nname = "share-of-business"')
    text = text[:start] + text[text.index("[[source]]", start + 1):]       # the source removed
    definitions.write_text(text, encoding="utf-8")
    with Workbench.open(root) as wb:
        report = wb.import_files()           # its source no longer covers it: forgotten
        assert "sources/demo/tables/share_of_business.csv: no source covers it any more" in report.forgotten
        assert "sources/demo/tables/share_of_business.csv" not in [
            row[0] for row in wb.store.query("SELECT path FROM imports")]


def test_names_with_row_in_them_are_no_visit_log_rows(demo_workspace, tmp_path) -> None:
    extra = tmp_path / "extra"
    extra.mkdir()
    log = extra / "log#row1.csv"
    shutil.copy2(REPO / "tests" / "data" / "notes" / "visit_log.csv", log)
    note = extra / "copy#row2.md"
    note.write_text("---\ncustomer: Navika Motors\ndate: 2026-10-02\ngrade: observed\n---\n"
                    "Vitreon PPM at Kesarpur 380 this month.\n", encoding="utf-8")
    with Workbench.open(demo_workspace) as wb:
        assert not wb.import_files().failed
        before = wb.store.row_counts()["field_notes"]
        assert not wb.import_files([log, note]).failed
        added = wb.store.row_counts()["field_notes"] - before
        report = wb.import_files()
        assert report.forgotten == [] and wb.store.row_counts()["field_notes"] == before + added


def test_a_store_from_before_keeps_its_hand_imports(tmp_path) -> None:
    from compintel.store import Store

    store = Store.open(tmp_path / "old.db", target_version=11)
    with store.transaction() as db:
        for url, source in (("note:/kam/visit.md", None), ("note:/kam/visits.csv#row3", None),
                            ("note:sources/demo/notes/a.md", None)):
            db.execute("INSERT INTO documents (url, source_id, kind, fetched_at, text, content_hash) "
                       "VALUES (?, ?, 'note', '2026-10-01', 'x', 'h')", (url, source))
        for path in ("/kam/sales.csv", "sources/demo/tables/sales.xlsx"):
            db.execute('INSERT INTO imports (path, table_kind, content_hash, "rows", imported_at) '
                       "VALUES (?, 'sales', 'h', 0, '2026-10-01')", (path,))
    store.migrate()
    keys = sorted(row[0] for row in store.query("SELECT key FROM hand_imports"))
    store.close()
    assert keys == ["/kam/sales.csv", "/kam/visit.md", "/kam/visits.csv", "sources/demo/notes/a.md"]
