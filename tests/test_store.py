"""The SQLite store: schema migrations from every version, refusal of foreign files,
concurrent creation, transactions, row counts, and idempotent re-runs of the stages."""

from __future__ import annotations

import multiprocessing
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from compintel import Workbench
from compintel.errors import WorkspaceError
from compintel.store import Store, latest_version, migrations

LATEST = latest_version()

# Every table the current schema must have (an added table is fine, a lost one is not).
EXPECTED_TABLES = {
    "sources", "documents", "field_notes", "mentions", "signals", "tag_state", "imports",
    "sales", "share_of_business", "vendor_ratings", "rfqs", "complaints", "receivables",
    "production_volumes", "gather_runs", "gather_log", "report_runs", "report_results",
    "document_bands", "http_cache",
}
ACCOUNT_TABLES = ("sales", "share_of_business", "vendor_ratings", "rfqs", "complaints",
                  "receivables", "production_volumes")


def _independent_tables(path: Path) -> set[str]:
    """Table names read through a separate plain sqlite3 connection: ordinary tables only (a
    full-text index, a virtual table with shadow tables, is derived from them)."""
    with sqlite3.connect(path) as db:
        rows = db.execute("SELECT name FROM pragma_table_list WHERE schema = 'main' "
                          "AND type = 'table' AND name NOT LIKE 'sqlite_%'").fetchall()
    return {row[0] for row in rows}


def _columns(db: sqlite3.Connection, table: str) -> list[str]:
    return [row[1] for row in db.execute(f'PRAGMA table_info("{table}")')]


def _rows(db: sqlite3.Connection, table: str, columns: list[str]) -> list[tuple]:
    cols = ", ".join(f'"{c}"' for c in columns)
    # every column, in order: works for WITHOUT ROWID tables (document_bands) as well
    order = ", ".join(str(i + 1) for i in range(len(columns)))
    return [tuple(row) for row in db.execute(f'SELECT {cols} FROM "{table}" ORDER BY {order}')]


# -- a fresh store --------------------------------------------------------------------------

def test_latest_version_counts_the_migration_files() -> None:
    files = sorted(p.name for p in (Path(__file__).parents[1] / "compintel" / "migrations").glob("*.sql"))
    assert LATEST == len(files) >= 2
    assert [name for _, name, _ in migrations()] == files


def test_empty_file_migrates_to_latest_with_wal_and_foreign_keys(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    with Store.open(path) as store:
        assert store.version == LATEST
        assert store.db.execute("PRAGMA user_version").fetchone()[0] == LATEST
        assert store.db.execute("PRAGMA journal_mode").fetchone()[0].lower() == "wal"
        assert store.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert set(store.table_names()) >= EXPECTED_TABLES
        # foreign keys are enforced, not just declared
        with pytest.raises(sqlite3.IntegrityError):
            store.db.execute("INSERT INTO mentions (document_id, start, end, text, label) "
                             "VALUES (999, 0, 1, 'x', 'ORG')")
    # WAL mode is persistent: a plain connection sees it too
    with sqlite3.connect(path) as plain:
        assert plain.execute("PRAGMA journal_mode").fetchone()[0].lower() == "wal"
        assert plain.execute("PRAGMA user_version").fetchone()[0] == LATEST


def test_reopening_applies_nothing(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    Store.open(path).close()
    with Store.open(path, migrate=False) as store:
        assert store.migrate() == []
        assert store.version == LATEST


# -- migrating from every earlier version ---------------------------------------------------

def _seed(db: sqlite3.Connection, version: int) -> None:
    """Representative rows for the tables a store at ``version`` has."""
    if version < 1:
        return
    now = "2026-10-01T10:00:00+00:00"
    db.executemany(
        "INSERT INTO sources (id, kind, location, tags, defined_in, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
        [("feed-a", "feed", "https://a.example/rss", '["vitreon"]', "sources/sources.toml:3", now),
         ("notes-b", "notes", "demo/notes", "[]", "sources/sources.toml:9", now)])
    db.executemany(
        "INSERT INTO documents (id, url, source_id, kind, title, published_at, fetched_at, text, "
        "content_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(1, "https://a.example/1", "feed-a", "feed_entry", "Vitreon adds a line",
          "2026-09-02", now, "Vitreon adds a tempering line near Kesarpur.", "h1"),
         (2, "https://a.example/2", "feed-a", "article", "Sunmarg quote", None, now,
          "Sunmarg quoted 6% below Kestrel for the Tarani backlite.", "h2"),
         (7, "note:demo/notes/n1.md", "notes-b", "note", None, None, now,
          "Navika SQA showed Vitreon PPM at 380.", "h7")])
    db.execute("INSERT INTO field_notes (document_id, path, note_date, customer_id, grade, "
               "competitor_id) VALUES (7, 'demo/notes/n1.md', '2026-09-14', 'navika-motors', "
               "'observed', 'vitreon')")
    db.execute("INSERT INTO mentions (document_id, start, end, text, label, entity_id) "
               "VALUES (1, 0, 7, 'Vitreon', 'COMPETITOR', 'vitreon')")
    if version < 7:       # 0007 drops the stored sentence
        db.execute("INSERT INTO signals (document_id, type, start, end, text, company_id, customer_id, "
                   "value, unit) VALUES (7, 'quality_ppm', 0, 37, 'Navika SQA showed Vitreon PPM at 380.', "
                   "'vitreon', 'navika-motors', 380, 'ppm')")
    else:
        db.execute("INSERT INTO signals (document_id, type, start, end, company_id, customer_id, "
                   "value, unit) VALUES (7, 'quality_ppm', 0, 37, 'vitreon', 'navika-motors', 380, 'ppm')")
    db.execute("INSERT INTO tag_state (document_id, content_hash, pipeline_version, tagged_at) "
               "VALUES (1, 'h1', 'p1', ?)", (now,))
    db.execute("INSERT INTO imports (id, path, table_kind, content_hash, rows, imported_at) "
               "VALUES (1, 'demo/tables/sales.csv', 'sales', 'hs', 1, ?)", (now,))
    db.execute("INSERT INTO sales (import_id, customer_id, part_family, month, plan_qty, actual_qty) "
               "VALUES (1, 'navika-motors', 'windshield', '2026-09', 100, 95)")
    db.execute("INSERT INTO share_of_business (import_id, month, customer_id, model, part_family, "
               "supplier_id, share_pct) VALUES (1, '2026-09', 'navika-motors', 'tarani', "
               "'windshield', 'kestrel-glass', 60)")
    db.execute("INSERT INTO gather_runs (id, started_at, finished_at, status) VALUES "
               "(1, '2026-09-01T00:00:00+00:00', '2026-09-01T00:01:00+00:00', 'ok'), "
               "(2, '2026-10-01T00:00:00+00:00', '2026-10-01T00:01:00+00:00', 'ok')")
    if version < 2:
        # before 0002 the log kept every run's row: duplicates per (source, url), NULL urls
        db.executemany(
            "INSERT INTO gather_log (id, run_id, source_id, url, outcome, reason, at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(1, 1, "feed-a", "https://a.example/1", "new", None, "2026-09-01T00:00:10+00:00"),
             (2, 1, "feed-a", None, "failed", "timeout", "2026-09-01T00:00:11+00:00"),
             (3, 1, "notes-b", "note:demo/notes/n1.md", "new", None, "2026-09-01T00:00:12+00:00"),
             (4, 2, "feed-a", "https://a.example/1", "unchanged", None, "2026-10-01T00:00:10+00:00"),
             (5, 2, "feed-a", None, "changed", None, "2026-10-01T00:00:11+00:00"),
             (6, 2, "feed-a", "https://a.example/1", "changed", None, "2026-10-01T00:00:20+00:00")])
        # two runs of one period, one of another
        db.executemany("INSERT INTO report_runs (id, period, started_at, finished_at, ok, failed) "
                       "VALUES (?, ?, ?, ?, ?, ?)",
                       [(1, "2026-09", now, now, 2, 1), (2, "2026-09", now, now, 3, 0),
                        (3, "2026-08", now, now, 1, 0)])
        db.executemany("INSERT INTO report_results (run_id, customer_id, status, html_path, error) "
                       "VALUES (?, ?, ?, ?, ?)",
                       [(1, "navika-motors", "failed", None, "boom"),
                        (2, "navika-motors", "ok", "reports/2026-09/navika-motors.html", None),
                        (3, "dhruva-auto", "ok", "reports/2026-08/dhruva-auto.html", None)])


# tables whose rows a migration may reshape; all others must come through untouched
_RESHAPED = {"gather_log", "report_runs", "report_results"}


@pytest.mark.parametrize("start", range(LATEST))
def test_migrating_from_each_earlier_version_keeps_the_data(tmp_path: Path, start: int) -> None:
    path = tmp_path / f"v{start}.db"
    with Store.open(path, target_version=start) as old:
        assert old.version == start
        with old.transaction() as db:
            _seed(db, start)
        before = {table: (_columns(old.db, table), _rows(old.db, table, _columns(old.db, table)))
                  for table in old.table_names()}

    with Store.open(path) as store:
        assert store.version == LATEST
        db = store.db
        assert set(store.table_names()) >= EXPECTED_TABLES
        assert "gather_log_latest" not in store.table_names()
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
        # untouched tables keep every row and every old column's value
        for table, (columns, rows) in before.items():
            if table == "signals" and "text" in columns:
                # 0007: the sentence is no longer stored, but read from its document by the span
                kept = [column for column in columns if column != "text"]
                assert _rows(db, table, kept) == [tuple(value for column, value in zip(columns, row, strict=True)
                                                        if column != "text") for row in rows]
                spans = [r[0] for r in db.execute(
                    "SELECT substr(d.text, s.start + 1, s.end - s.start) FROM signals s "
                    "JOIN documents d ON d.id = s.document_id ORDER BY s.rowid")]
                assert spans == [row[columns.index("text")] for row in rows]
            elif table not in _RESHAPED:
                assert _rows(db, table, columns) == rows, table
        if start < 1:
            return
        if start < 2:
            # 0002: each document is the first copy of its own story
            assert [tuple(r) for r in db.execute("SELECT id, story_id FROM documents ORDER BY id")] \
                == [(1, 1), (2, 2), (7, 7)]
            assert [tuple(r) for r in db.execute("SELECT id, enabled FROM sources ORDER BY id")] \
                == [("feed-a", 1), ("notes-b", 1)]
            # the log keeps the latest row per (source, url); a NULL url becomes ''
            log = sorted((r["source_id"], r["url"], r["outcome"], r["reason"], r["run_id"], r["at"])
                         for r in db.execute("SELECT * FROM gather_log"))
            assert log == [
                ("feed-a", "", "changed", None, 2, "2026-10-01T00:00:11+00:00"),
                ("feed-a", "https://a.example/1", "changed", None, 2, "2026-10-01T00:00:20+00:00"),
                ("notes-b", "note:demo/notes/n1.md", "new", None, 1, "2026-09-01T00:00:12+00:00"),
            ]
            # one report run per period: the latest, with its results
            runs = [tuple(r) for r in db.execute("SELECT id, period, ok, failed FROM report_runs ORDER BY id")]
            assert runs == [(2, "2026-09", 3, 0), (3, "2026-08", 1, 0)]
            results = [tuple(r) for r in db.execute(
                "SELECT run_id, customer_id, status FROM report_results ORDER BY run_id")]
            assert results == [(2, "navika-motors", "ok"), (3, "dhruva-auto", "ok")]
        # 0003: tags from before the context hash existed are redone once
        assert [tuple(r) for r in db.execute("SELECT context_hash FROM tag_state")] == [(None,)]
        # the new uniqueness rules hold from now on
        with pytest.raises(sqlite3.IntegrityError):
            db.execute("INSERT INTO gather_log (source_id, url, outcome, at) "
                       "VALUES ('feed-a', 'https://a.example/1', 'new', 'x')")
            db.execute("INSERT INTO gather_log (source_id, url, outcome, at) "
                       "VALUES ('feed-a', 'https://a.example/1', 'new', 'x')")
        with pytest.raises(sqlite3.IntegrityError):
            db.execute("INSERT INTO report_runs (period, started_at) VALUES ('2030-01', 'x')")
            db.execute("INSERT INTO report_runs (period, started_at) VALUES ('2030-01', 'x')")


def test_migrated_schema_matches_a_fresh_one(tmp_path: Path) -> None:
    """Upgrading step by step gives the same tables and columns as creating anew."""
    fresh = Store.open(tmp_path / "fresh.db")
    stepped = Store.open(tmp_path / "stepped.db", target_version=0)
    for version in range(1, LATEST + 1):
        stepped.migrate(version)
        assert stepped.version == version
    try:
        for table in fresh.table_names():
            assert _columns(stepped.db, table) == _columns(fresh.db, table), table
        assert stepped.table_names() == fresh.table_names()
    finally:
        fresh.close()
        stepped.close()


# -- refusing what it cannot handle ---------------------------------------------------------

def test_store_newer_than_the_code_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "future.db"
    Store.open(path).close()
    with sqlite3.connect(path) as db:
        db.execute(f"PRAGMA user_version = {LATEST + 1}")
    with pytest.raises(WorkspaceError) as caught:
        Store.open(path)
    assert str(path) in caught.value.format()
    assert "upgrade compintel" in caught.value.format()
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == LATEST + 1


@pytest.mark.parametrize("content", [b"hello", b"this is a text file, not a database\n" * 200,
                                     bytes(range(256)) * 16])
def test_a_file_that_is_not_sqlite_is_refused_and_left_alone(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "compintel.db"
    path.write_bytes(content)
    with pytest.raises(WorkspaceError) as caught:
        Store.open(path)
    message = caught.value.format()
    assert str(path) in message and "not a compintel store" in message
    assert "\n" not in message
    assert path.read_bytes() == content
    assert sorted(p.name for p in tmp_path.iterdir()) == ["compintel.db"]


def _open_in_child(path: str, barrier: Any, queue: Any) -> None:
    try:
        barrier.wait(timeout=30)
        with Store.open(path) as store:
            queue.put(("ok", store.version, sorted(store.table_names())))
    except BaseException as exc:  # report everything to the parent
        queue.put(("error", repr(exc), []))


def test_two_processes_creating_one_store_at_once_both_succeed(tmp_path: Path) -> None:
    path = str(tmp_path / "race.db")
    context = multiprocessing.get_context("fork")
    workers = 4
    barrier = context.Barrier(workers)
    queue = context.Queue()
    processes = [context.Process(target=_open_in_child, args=(path, barrier, queue))
                 for _ in range(workers)]
    for process in processes:
        process.start()
    results = [queue.get(timeout=60) for _ in processes]
    for process in processes:
        process.join(timeout=30)
        assert process.exitcode == 0
    assert all(status == "ok" for status, _, _ in results), results
    assert {version for _, version, _ in results} == {LATEST}
    assert len({tuple(tables) for _, _, tables in results}) == 1
    with Store.open(path) as store:
        assert store.version == LATEST
        assert set(store.table_names()) >= EXPECTED_TABLES


# -- transactions and counts ----------------------------------------------------------------

def test_transaction_rolls_back_everything_on_an_exception(tmp_path: Path) -> None:
    with Store.open(tmp_path / "t.db") as store:
        with pytest.raises(RuntimeError, match="midway"), store.transaction() as db:
            db.execute("INSERT INTO sources (id, kind, location, updated_at) "
                       "VALUES ('s', 'page', 'x', 'now')")
            db.execute("INSERT INTO documents (url, source_id, kind, fetched_at, text, content_hash) "
                       "VALUES ('u', 's', 'page', 'now', 't', 'h')")
            with store.transaction() as inner:   # a nested block joins the outer one
                inner.execute("INSERT INTO gather_runs (started_at) VALUES ('now')")
            raise RuntimeError("midway")
        assert not store.db.in_transaction
        counts = store.row_counts()
        assert counts["sources"] == counts["documents"] == counts["gather_runs"] == 0
        # and the store is usable afterwards: a good transaction commits
        with store.transaction() as db:
            db.execute("INSERT INTO gather_runs (started_at) VALUES ('now')")
    with Store.open(tmp_path / "t.db") as again:
        assert again.row_counts()["gather_runs"] == 1


def test_a_failing_statement_rolls_back_earlier_ones(tmp_path: Path) -> None:
    with Store.open(tmp_path / "t.db") as store:
        with pytest.raises(sqlite3.IntegrityError), store.transaction() as db:
            db.execute("INSERT INTO gather_runs (started_at) VALUES ('now')")
            db.execute("INSERT INTO mentions (document_id, start, end, text, label) "
                       "VALUES (12345, 0, 1, 'x', 'ORG')")   # no such document
        assert store.row_counts()["gather_runs"] == 0


def test_row_counts_lists_every_table(tmp_path: Path) -> None:
    path = tmp_path / "c.db"
    with Store.open(path) as store:
        counts = store.row_counts()
        assert set(counts) == _independent_tables(path)
        assert set(counts) >= EXPECTED_TABLES
        assert set(counts.values()) == {0}
        with store.transaction() as db:
            db.execute("INSERT INTO gather_runs (started_at) VALUES ('a'), ('b'), ('c')")
            db.execute("INSERT INTO http_cache (url, fetched_at) VALUES ('https://x.example/', 'now')")
        counts = store.row_counts()
        assert counts["gather_runs"] == 3 and counts["http_cache"] == 1
        assert sum(counts.values()) == 4


# -- re-running the stages is idempotent ----------------------------------------------------

def _contents(store: Store, tables: list[str] | tuple[str, ...]) -> dict[str, list[tuple]]:
    # sorted by repr: rows mix None with values, and a WITHOUT ROWID table has no rowid
    return {table: sorted((tuple(row) for row in store.query(f'SELECT * FROM "{table}"')), key=repr)
            for table in tables}


def test_importing_twice_changes_nothing(demo_workspace: Path) -> None:
    with Workbench.open(demo_workspace) as wb:
        first = wb.import_files()
        assert first.files and not first.failed
        counts = wb.store.row_counts()
        contents = _contents(wb.store, wb.store.table_names())
    assert all(counts[table] > 0 for table in ACCOUNT_TABLES)
    assert counts["field_notes"] > 0 and counts["imports"] == len(ACCOUNT_TABLES)

    with Workbench.open(demo_workspace) as wb:
        second = wb.import_files()
        assert {f.status for f in second.files} == {"unchanged"}
        assert wb.store.row_counts() == counts
        # full contents, not only counts: same import ids, same values, same notes
        assert _contents(wb.store, wb.store.table_names()) == contents


def test_gather_import_tag_twice_gives_the_same_store(demo_workspace: Path) -> None:
    def run() -> tuple[dict[str, int], dict[str, list[tuple]]]:
        with Workbench.open(demo_workspace) as wb:
            wb.gather()
            wb.import_files()
            wb.tag()
            # the gather log and runs record when gathers happened; everything else must match
            stable = [t for t in wb.store.table_names() if t not in {"gather_log", "gather_runs"}]
            return wb.store.row_counts(), _contents(wb.store, stable)

    counts, contents = run()
    assert counts["documents"] > 0 and counts["mentions"] > 0 and counts["signals"] > 0
    again_counts, again_contents = run()
    assert again_counts == counts
    assert again_contents == contents


def test_someone_elses_sqlite_database_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "theirs.db"
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE orders (id INTEGER PRIMARY KEY)")
    connection.commit()
    connection.close()
    before = path.read_bytes()
    with pytest.raises(WorkspaceError, match="not a compintel store"):
        Store.open(path)
    assert path.read_bytes() == before
    check = sqlite3.connect(path)
    assert check.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert [row[0] for row in check.execute("SELECT name FROM sqlite_master")] == ["orders"]
    check.close()
