"""Full-text search (issue 13, item 6): the FTS5 index of migration 0009 on a real store file,
ranked hits with snippets, each filter, the index kept current by gather, import, tag and
note removal without churn, hostile queries, and ``compintel search``."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from gatherweb import article_page, make_workspace, source_table
from localweb import LocalWeb, Response

import compintel.search
import compintel.store
from compintel import Workbench
from compintel.cli import main
from compintel.documents import DocumentIn, upsert_document
from compintel.errors import UserError, WorkspaceError
from compintel.search import COLUMNS, fts_query, search
from compintel.store import Store
from compintel.workspace import ENV_VAR

NOTE = Path("sources") / "demo" / "notes" / "2026-01-21-navika-kesarpur-vitreon-ppm.md"
NOTE_URL = "note:" + NOTE.as_posix()


# -- helpers ----------------------------------------------------------------------------------

def add(db: sqlite3.Connection, url: str, text: str, *, title: str | None = None,
        published: str | None = "2026-05-12T09:30:00+00:00", kind: str = "article",
        source: str | None = None) -> int:
    """Store one document through the path gather and import use; its id."""
    document_id, _ = upsert_document(db, DocumentIn(url=url, kind=kind, text=text, title=title,
                                                    published_at=published, source_id=source))
    return document_id


def add_signal(db: sqlite3.Connection, document_id: int, type_: str, company: str | None,
               customer: str | None) -> None:
    """A signal row as the tag stage writes it (the span is the document's first sentence)."""
    db.execute("INSERT INTO signals (document_id, type, start, end, company_id, customer_id) "
               "VALUES (?, ?, 0, 10, ?, ?)", (document_id, type_, company, customer))


def ids(frame) -> list[int]:
    return [int(value) for value in frame["document_id"]]


def index_blocks(db: sqlite3.Connection) -> list[tuple]:
    """The FTS5 index's stored segments: any write to the index changes them."""
    return [tuple(row) for row in db.execute("SELECT id, block FROM documents_fts_data ORDER BY id")]


def check_index(db: sqlite3.Connection) -> None:
    """FTS5 compares the index with the documents table; raises if they differ."""
    db.execute("INSERT INTO documents_fts (documents_fts) VALUES ('integrity-check')")


@pytest.fixture
def wb(demo_workspace: Path):
    """The demo's catalog and settings over an empty store."""
    with Workbench.open(demo_workspace) as opened:
        yield opened


@pytest.fixture
def corpus(wb: Workbench) -> dict[str, int]:
    """Five documents and a field note with signals, written as gather, import and tag would."""
    with wb.store.transaction() as db:
        docs = {
            "furnace": add(db, "https://news.example/furnace", "Vitreon lit a second furnace at "
                           "Sanaswadi. The furnace doubles its tempering. Furnace output rises.",
                           title="Vitreon furnace", published="2026-06-02T08:00:00+00:00"),
            "long": add(db, "https://news.example/long", "A long review of the industry. " * 40
                        + "One plant mentioned a furnace in passing.",
                        title="Industry review", published="2026-03-15T08:00:00+00:00"),
            "ppm": add(db, "https://news.example/ppm", "Navika's SQA showed the PPM-380 chart for "
                       "Vitreon windshields at Kesarpur, said O'Brien.", title="PPM at Navika",
                       published="2025-11-20T08:00:00+00:00"),
            "price": add(db, "https://news.example/price", "Sunmarg cut its price for Dhruva's "
                         "sidelites by four percent; the windshields price held.",
                         title="Sunmarg price cut", published="2026-07-01T08:00:00+00:00"),
            "html": add(db, "https://news.example/html", "Clarity said <b>acoustic</b> glass & "
                        "heated backlites sell well.", title=None, published=None),
        }
        docs["note"] = add(db, "note:sources/notes/visit.md", "Met the buyer. Vitreon quoted "
                           "windshields lower than us.", title="Field note 2026-08-04: Dhruva "
                           "Automobiles about Vitreon (observed)", published="2026-08-04",
                           kind="note")
        db.execute("INSERT INTO field_notes (document_id, path, note_date, customer_id, grade, "
                   "competitor_id) VALUES (?, 'sources/notes/visit.md', '2026-08-04', "
                   "'dhruva-auto', 'observed', 'vitreon')", (docs["note"],))
        add_signal(db, docs["ppm"], "quality_ppm", "vitreon", "navika-motors")
        add_signal(db, docs["price"], "pricing", "sunmarg", "dhruva-auto")
        # two signals that match "Vitreon" + quality_ppm + Dhruva only when taken together
        add_signal(db, docs["furnace"], "capacity", "vitreon", "dhruva-auto")
        add_signal(db, docs["furnace"], "quality_ppm", "clarity-glassworks", "navika-motors")
    return docs


# -- the migration ----------------------------------------------------------------------------

def test_a_store_at_0008_is_upgraded_with_its_documents_indexed(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    with Store.open(path, target_version=8) as old:
        assert "documents_fts" not in [r[0] for r in old.query("SELECT name FROM sqlite_master")]
        with old.transaction() as db:
            db.execute("INSERT INTO documents (id, url, kind, title, fetched_at, text, content_hash) "
                       "VALUES (4, 'https://a.example/4', 'article', 'Old news', 'x', "
                       "'Vitreon expanded the bending line.', 'h4')")
            db.execute("INSERT INTO documents (id, url, kind, title, fetched_at, text, content_hash) "
                       "VALUES (9, 'note:n.md', 'note', 'A note', 'x', 'Nothing to see.', 'h9')")
    with Store.open(path) as store:
        assert store.version == compintel.store.latest_version() >= 9
        check_index(store.db)
        assert ids(search(store.db, "bending line")) == [4]
        assert ids(search(store.db, "nothing")) == [9]
        # and from now on the triggers keep it current
        with store.transaction() as db:
            new = add(db, "https://a.example/new", "Sunmarg opened a bending line too.")
        assert set(ids(search(store.db, "bending line"))) == {4, new}


def test_an_sqlite_without_the_module_a_migration_needs_fails_in_one_line(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # the same failure as a Python whose SQLite lacks FTS5: "no such module"
    real = compintel.store.migrations()
    missing = (len(real) + 1, f"{len(real) + 1:04d}_x.sql",
               "CREATE VIRTUAL TABLE x USING nosuchmodule(a);")
    monkeypatch.setattr(compintel.store, "migrations", lambda: [*real, missing])
    with pytest.raises(WorkspaceError) as caught:
        Store.open(tmp_path / "s.db")
    message = caught.value.format()
    assert "needs the SQLite module nosuchmodule" in message and "FTS5" in message
    assert "\n" not in message


# -- ranked hits ------------------------------------------------------------------------------

def test_hits_are_ranked_with_a_marked_plain_text_snippet(wb: Workbench, corpus) -> None:
    hits = wb.search("furnace")
    assert list(hits.columns) == COLUMNS
    # three mentions in a short text and the title beat one in a long text
    assert ids(hits) == [corpus["furnace"], corpus["long"]]
    assert list(hits["rank"]) == [1, 2]
    assert hits["score"].iloc[0] > hits["score"].iloc[1] > 0
    top = hits.iloc[0]
    assert "«furnace»" in top["snippet"] and "«Furnace»" in top["snippet"]
    assert (top["title"], top["kind"], top["date"]) == ("Vitreon furnace", "article", "2026-06-02")
    assert top["location"] == top["url"] == "https://news.example/furnace"
    # plain text: markup in a document comes back as it was written, for the caller to escape
    html = wb.search("acoustic").iloc[0]
    assert "<b>«acoustic»</b> glass &" in html["snippet"]
    assert html["date"] is not None      # no publication date: the fetch date


def test_a_field_note_hit_is_located_by_its_workspace_path(wb: Workbench, corpus) -> None:
    hit = wb.search("buyer").iloc[0]
    assert (hit["document_id"], hit["kind"], hit["date"]) == (corpus["note"], "note", "2026-08-04")
    assert hit["location"] == "sources/notes/visit.md"
    assert hit["url"] == "note:sources/notes/visit.md"


def test_words_phrases_prefixes_or_and_not(wb: Workbench, corpus) -> None:
    assert set(ids(wb.search("Vitreon windshields"))) == {corpus["ppm"], corpus["note"]}
    assert set(ids(wb.search("windshields"))) == {corpus["ppm"], corpus["price"], corpus["note"]}
    assert ids(wb.search('"price held"')) == [corpus["price"]]
    assert ids(wb.search('"held price"')) == []                    # a phrase keeps its order
    assert set(ids(wb.search("tempe*"))) == {corpus["furnace"]}     # prefix
    assert ids(wb.search("tempe")) == []
    assert set(ids(wb.search("acoustic OR sidelites"))) == {corpus["html"], corpus["price"]}
    assert set(ids(wb.search("windshields NOT Vitreon"))) == {corpus["price"]}
    assert set(ids(wb.search("windshields AND Sunmarg"))) == {corpus["price"]}
    # stems and accents: "doubled" finds "doubles", "societe" finds "Société"
    assert ids(wb.search("doubled")) == [corpus["furnace"]]
    with wb.store.transaction() as db:
        french = add(db, "https://news.example/fr", "La Société a livré les pare-brise.")
    assert ids(wb.search("societe")) == ids(wb.search("Société")) == [french]


def test_limit_and_all_hits(wb: Workbench, corpus) -> None:
    assert len(wb.search("Vitreon", limit=1)) == 1
    assert len(wb.search("Vitreon", limit=None)) == 3
    with pytest.raises(UserError, match="limit"):
        wb.search("Vitreon", limit=0)


def test_only_the_newest_matches_are_ranked_beyond_the_window(wb: Workbench, corpus) -> None:
    everything = search(wb.store.db, "Vitreon", limit=None)
    assert everything.attrs["matched"] == everything.attrs["searched"] == 3
    windowed = search(wb.store.db, "Vitreon", limit=None, window=2)
    assert windowed.attrs["matched"] == 3 and windowed.attrs["searched"] == 2
    # the two most recently stored of the three
    assert set(ids(windowed)) == {corpus["ppm"], corpus["note"]}


# -- filters ----------------------------------------------------------------------------------

def test_customer_filter_takes_names_aliases_and_ids(wb: Workbench, corpus) -> None:
    for name in ("navika-motors", "Navika Motors"):
        assert set(ids(wb.search("Vitreon", customer=name))) == {corpus["ppm"], corpus["furnace"]}
    # a field note counts for its own customer even without signals of it
    assert set(ids(wb.search("Vitreon", customer="Dhruva Automobiles"))) == \
        {corpus["furnace"], corpus["note"]}
    with pytest.raises(UserError, match="unknown customer"):
        wb.search("Vitreon", customer="Navikka Motorz")


def test_competitor_filter(wb: Workbench, corpus) -> None:
    assert set(ids(wb.search("windshields", competitor="Vitreon"))) == {corpus["ppm"], corpus["note"]}
    assert ids(wb.search("windshields", competitor="sunmarg")) == [corpus["price"]]
    with pytest.raises(UserError, match="'Navika Motors' is a customer, not a competitor"):
        wb.search("windshields", competitor="Navika Motors")
    with pytest.raises(UserError, match="unknown competitor"):
        wb.search("windshields", competitor="Vitreonn Glas Works")


def test_type_filter_and_one_signal_for_all_filters(wb: Workbench, corpus) -> None:
    assert set(ids(wb.search("Vitreon", type="quality_ppm"))) == {corpus["ppm"], corpus["furnace"]}
    assert ids(wb.search("price", type="pricing")) == [corpus["price"]]
    # the furnace story has a quality_ppm signal and a Vitreon signal, but not one that is both
    assert ids(wb.search("Vitreon", competitor="vitreon", type="quality_ppm")) == [corpus["ppm"]]
    assert ids(wb.search("Vitreon", customer="dhruva-auto", type="quality_ppm")) == []
    with pytest.raises(UserError, match="unknown signal type 'ppm'"):
        wb.search("Vitreon", type="ppm")


def test_since_takes_a_month_or_a_date(wb: Workbench, corpus) -> None:
    assert set(ids(wb.search("Vitreon", since="2026-06"))) == {corpus["furnace"], corpus["note"]}
    assert set(ids(wb.search("Vitreon", since="2026-06-03"))) == {corpus["note"]}
    from datetime import date

    assert set(ids(wb.search("Vitreon", since=date(2026, 8, 4)))) == {corpus["note"]}
    for bad in ("2026-13", "last month", "2026-02-30"):
        with pytest.raises(UserError, match="not a date or a month"):
            wb.search("Vitreon", since=bad)


# -- filters and the KAM's corrections --------------------------------------------------------

def signal_of(wb: Workbench, document_id: int, type_: str) -> int:
    """The id of the document's one signal of ``type_``."""
    [row] = wb.store.query("SELECT id FROM signals WHERE document_id = ? AND type = ?",
                           (document_id, type_))
    return int(row[0])


def test_a_rejected_signal_makes_no_document_match(wb: Workbench, corpus) -> None:
    assert set(ids(wb.search("Vitreon", customer="navika-motors"))) == \
        {corpus["ppm"], corpus["furnace"]}
    wb.reject(signal_of(wb, corpus["ppm"], "quality_ppm"), reason="the chart was Clarity's")
    assert ids(wb.search("Vitreon", customer="navika-motors")) == [corpus["furnace"]]
    with wb.store.transaction() as db:
        # a syndicated copy of the story, stored since: the correction applies to every copy
        # (as in signals()), and the search sees the store changed
        copy = add(db, "https://mirror.example/ppm", "Navika's SQA showed the PPM-380 chart for "
                   "Vitreon windshields at Kesarpur, a mirror says.", title="PPM at Navika (copy)")
        db.execute("UPDATE documents SET story_id = ? WHERE id IN (?, ?)",
                   (corpus["ppm"], corpus["ppm"], copy))
        add_signal(db, copy, "quality_ppm", "vitreon", "navika-motors")
    at_navika = {corpus["ppm"], copy, corpus["furnace"]}
    assert ids(wb.search("Vitreon", customer="navika-motors")) == [corpus["furnace"]]
    assert ids(wb.search("Vitreon", type="quality_ppm")) == [corpus["furnace"]]
    # the field note still counts for its own competitor
    assert ids(wb.search("windshields", competitor="vitreon")) == [corpus["note"]]
    assert wb.signals("navika-motors", types=["quality_ppm"])["document_id"].tolist() == \
        [corpus["furnace"]]
    # words alone read no signals; the tagger's own signals for whoever asks
    assert {corpus["ppm"], copy} <= set(ids(wb.search("Vitreon", limit=None)))
    assert set(ids(wb.search("Vitreon", customer="navika-motors", apply_corrections=False))) == \
        at_navika


def test_a_corrected_signal_matches_by_its_corrected_values(wb: Workbench, corpus) -> None:
    wb.correct(signal_of(wb, corpus["ppm"], "quality_ppm"), type="pricing", company="Sunmarg",
               customer="Dhruva Automobiles", reason="Sunmarg's price at Dhruva")
    assert ids(wb.search("Vitreon", customer="navika-motors")) == [corpus["furnace"]]
    assert ids(wb.search("Vitreon", type="quality_ppm")) == [corpus["furnace"]]
    assert ids(wb.search("PPM", customer="Dhruva Automobiles", competitor="sunmarg",
                         type="pricing")) == [corpus["ppm"]]
    assert set(ids(wb.search("windshields", competitor="sunmarg"))) == {corpus["ppm"], corpus["price"]}
    # one signal must still satisfy every filter: the corrected one is no longer Vitreon's
    assert ids(wb.search("PPM", competitor="vitreon", type="pricing")) == []
    assert ids(wb.search("PPM", competitor="vitreon", apply_corrections=False)) == [corpus["ppm"]]


def test_a_field_notes_corrected_signal_and_its_own_customer_and_competitor(wb: Workbench,
                                                                          corpus) -> None:
    with wb.store.transaction() as db:
        add_signal(db, corpus["note"], "pricing", "vitreon", "dhruva-auto")
    signal = signal_of(wb, corpus["note"], "pricing")
    assert ids(wb.search("windshields", competitor="vitreon", type="pricing")) == [corpus["note"]]
    wb.correct(signal, type="rfq", company="Sunmarg")
    assert ids(wb.search("windshields", competitor="vitreon", type="pricing")) == []
    # the note's own competitor stands in for its corrected signal's company
    assert ids(wb.search("windshields", competitor="vitreon", type="rfq")) == [corpus["note"]]
    assert ids(wb.search("windshields", competitor="sunmarg", type="rfq")) == [corpus["note"]]
    assert ids(wb.search("windshields", customer="navika-motors", type="rfq")) == []
    wb.reject(signal)
    assert ids(wb.search("windshields", competitor="vitreon", type="rfq")) == []
    assert ids(wb.search("windshields", competitor="sunmarg")) == [corpus["price"]]
    # with its only signal rejected, the note counts for its own customer and competitor still
    assert ids(wb.search("windshields", customer="dhruva-auto", competitor="vitreon")) == \
        [corpus["note"]]


def test_cli_search_reads_the_corrections_too(wb: Workbench, corpus, capsys,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_VAR, raising=False)
    workspace = ["-w", str(wb.root)]
    assert main(["signals", "reject", str(signal_of(wb, corpus["ppm"], "quality_ppm")),
                 *workspace]) == 0
    capsys.readouterr()
    assert main(["search", "Vitreon", "--type", "quality_ppm", "--json", *workspace]) == 0
    hits = json.loads(capsys.readouterr().out)["hits"]
    assert [hit["document_id"] for hit in hits] == [corpus["furnace"]]


# -- kept current -----------------------------------------------------------------------------

def test_direct_writes_keep_the_index_in_step_without_churn(wb: Workbench, corpus) -> None:
    db = wb.store.db
    before = index_blocks(db)
    with wb.store.transaction():
        # what gather and import write without changing title or text: no index write
        db.execute("UPDATE documents SET story_id = id, minhash = x'00', author = 'desk', "
                   "published_at = '2026-01-01', source_id = NULL")
        upsert_document(db, DocumentIn(url="https://news.example/price", kind="article",
                                       text="Sunmarg cut its price for Dhruva's sidelites by four "
                                       "percent; the windshields price held.", title="Sunmarg price cut"))
    assert index_blocks(db) == before
    with wb.store.transaction():
        db.execute("UPDATE documents SET text = 'Sunmarg raised prices.' WHERE id = ?", (corpus["price"],))
        db.execute("UPDATE documents SET title = 'Kiln news' WHERE id = ?", (corpus["furnace"],))
        db.execute("DELETE FROM documents WHERE id = ?", (corpus["html"],))
    check_index(db)
    assert ids(wb.search("sidelites")) == []
    assert ids(wb.search("raised")) == [corpus["price"]]
    assert ids(wb.search("kiln")) == [corpus["furnace"]]
    assert ids(wb.search("acoustic")) == []


def test_gather_keeps_the_index_current(local_web: LocalWeb, tmp_path: Path) -> None:
    first = article_page("Vitreon adds a furnace", ["Vitreon lit a second annealing furnace at "
                                                     "Sanaswadi on Monday, staff said."])
    second = article_page("Vitreon adds a furnace", ["Vitreon lit a second tempering furnace at "
                                                      "Sanaswadi on Monday, staff said."])
    local_web.route("/story", Response(body=first), Response(body=first), Response(body=second))
    root = make_workspace(tmp_path / "ws", source_table(name="glassline", kind="page",
                                                        url=local_web.url("/story")))
    with Workbench.open(root) as wb:
        assert wb.search("annealing").empty
        wb.gather()
        hit = wb.search("annealing")
        assert hit["location"].tolist() == [local_web.url("/story")]
        assert "«annealing»" in hit["snippet"].iloc[0]
        blocks = index_blocks(wb.store.db)
        wb.gather()                                  # the same page again: nothing rewritten
        assert index_blocks(wb.store.db) == blocks
        wb.gather()                                  # the page changed
        assert wb.search("annealing").empty
        assert len(wb.search("tempering")) == 1
        check_index(wb.store.db)
    assert len(local_web.hits("/story")) == 3


def test_import_edit_removal_and_reimport_of_a_note(demo_workspace: Path) -> None:
    note = demo_workspace / NOTE
    with Workbench.open(demo_workspace) as wb:
        assert wb.search("waviness").empty
        assert not wb.import_files().failed
        hit = wb.search('"not yet formal"')
        assert hit["location"].tolist() == [NOTE.as_posix()]
        assert hit["kind"].tolist() == ["note"]
        assert NOTE.as_posix() in wb.search("waviness")["location"].tolist()
        # a visit-log row (a note too) is found by its workspace path and row
        assert wb.search("PPAP trial")["location"].str.contains(r"visit-log\.csv#row\d+").all()
        blocks = index_blocks(wb.store.db)
        wb.import_files()                                          # unchanged: no index write
        assert index_blocks(wb.store.db) == blocks

        note.write_text(note.read_text(encoding="utf-8").replace("waviness", "ripple"),
                        encoding="utf-8")
        wb.import_files()
        assert NOTE.as_posix() not in wb.search("waviness")["location"].tolist()
        assert wb.search("ripple")["location"].tolist() == [NOTE.as_posix()]

        kept = note.read_text(encoding="utf-8")
        note.unlink()
        wb.import_files()                                           # forgets the missing note
        assert wb.search("ripple").empty
        assert wb.store.query("SELECT COUNT(*) FROM documents WHERE url = ?", (NOTE_URL,))[0][0] == 0

        note.write_text(kept, encoding="utf-8")
        wb.import_files()
        assert wb.search("ripple")["location"].tolist() == [NOTE.as_posix()]
        check_index(wb.store.db)


def test_filters_see_what_tag_finds(demo_workspace: Path) -> None:
    with Workbench.open(demo_workspace) as wb:
        wb.gather()
        words = wb.search("Vitreon", limit=None)
        assert not words.empty and set(words["kind"]) != {"note"}
        assert wb.search("Vitreon", customer="navika-motors").empty       # nothing tagged yet
        assert wb.search("Vitreon", type="quality_ppm").empty
        blocks = index_blocks(wb.store.db)
        wb.tag()
        assert index_blocks(wb.store.db) == blocks                        # tag writes no text
        tagged = wb.search("Vitreon", customer="navika-motors", type="quality_ppm", limit=None)
        assert not tagged.empty
        found = ",".join(str(i) for i in ids(tagged))
        rows = wb.store.query(f"SELECT DISTINCT document_id FROM signals WHERE document_id IN ({found}) "
                              "AND customer_id = 'navika-motors' AND type = 'quality_ppm'")
        assert len(rows) == len(tagged)


# -- hostile queries --------------------------------------------------------------------------

HOSTILE = ["PPM-380", "O'Brien", '"unclosed', "AND", "OR", "NOT(", "NEAR(", "NEAR(a b, 2)",
           "a OR", "OR a", "a AND", "a NOT", "x NOT a OR b", "title:Vitreon", "{title text}: x",
           "^Vitreon", "Vitreon*", "*Vitreon", "(Vitreon", "Vitreon)", "a + b", '"a" "b', "x\x00y",
           "'; DROP TABLE documents; --", "Société", "windshield 🚗", "-Vitreon", "a:b:c",
           "Vitreon " * 300]
NOTHING = ["", "   ", '""', '"""', "*", "-", "()", "NOT Vitreon", "NOT a NOT b"]


@pytest.mark.parametrize("query", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_queries_search_for_their_words(wb: Workbench, corpus, query: str) -> None:
    hits = wb.search(query)
    assert list(hits.columns) == COLUMNS


@pytest.mark.parametrize("query", NOTHING, ids=range(len(NOTHING)))
def test_a_query_with_nothing_to_find_is_one_line(wb: Workbench, corpus, query: str) -> None:
    with pytest.raises(UserError) as caught:
        wb.search(query)
    message = caught.value.format()
    assert "nothing to search for" in message and "\n" not in message


def test_punctuation_is_searched_as_words(wb: Workbench, corpus) -> None:
    assert ids(wb.search("PPM-380")) == [corpus["ppm"]]
    assert ids(wb.search('"PPM 380"')) == [corpus["ppm"]]
    assert ids(wb.search("O'Brien")) == [corpus["ppm"]]
    assert ids(wb.search('Kesarpur "said O\'Brien')) == [corpus["ppm"]]     # unclosed: to the end
    assert ids(wb.search("title:Vitreon")) == []         # a column filter is not FTS5 syntax here
    assert ids(wb.search("NEAR(")) == []
    assert "DROP" in fts_query("'; DROP TABLE documents; --")
    assert wb.store.query("SELECT COUNT(*) FROM documents")[0][0] == 6


def test_an_fts5_error_becomes_one_line(wb: Workbench, corpus, monkeypatch: pytest.MonkeyPatch) -> None:
    # FTS5 never sees raw syntax; should it get some anyway, the user gets a line, not a traceback
    monkeypatch.setattr(compintel.search, "fts_query", lambda query: query)
    with pytest.raises(UserError) as caught:
        wb.search("NEAR(")
    assert "cannot search for 'NEAR('" in caught.value.format()
    assert "\n" not in caught.value.format()


# -- the command ------------------------------------------------------------------------------

@pytest.fixture
def cli_workspace(demo_workspace: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv(ENV_VAR, raising=False)
    monkeypatch.chdir(demo_workspace)
    with Workbench.open(demo_workspace) as wb:
        wb.import_files()
    return demo_workspace


def test_cli_prints_a_table_of_hits(cli_workspace: Path, capsys) -> None:
    assert main(["search", "not", "yet", "formal"]) == 0
    out = capsys.readouterr().out
    assert "«Not» «yet» «formal»" in out and NOTE.as_posix() in out and "1 hit" in out
    assert main(["search", "Vitreon", "-n", "2", "--customer", "Navika Motors",
                 "--competitor", "vitreon", "--since", "2025-01"]) == 0
    out = capsys.readouterr().out
    assert "best 2 hits shown" in out


def test_cli_no_hits_is_a_message_and_status_0(cli_workspace: Path, capsys) -> None:
    assert main(["search", "zeppelin"]) == 0
    assert capsys.readouterr().out.strip() == "no hits for 'zeppelin'"
    assert main(["search", '"not yet formal"', "--customer", "dhruva-auto"]) == 0
    out = capsys.readouterr().out
    assert "no hits for '\"not yet formal\"' with customer dhruva-auto" in out and "(the words alone match 1 document)" in out


@pytest.mark.parametrize("argv", [["NOT", "Vitreon"], ["*"], ["Vitreon", "--since", "May"],
                                  ["Vitreon", "--type", "ppm"], ["Vitreon", "-c", "Navikka"],
                                  ["Vitreon", "--limit", "-1"]])
def test_cli_bad_query_or_filter_is_one_line_and_status_2(cli_workspace: Path, capsys, argv) -> None:
    assert main(["search", *argv]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and "Traceback" not in captured.err


@pytest.mark.parametrize("query", ['"unclosed', "NEAR(", "PPM-380", "AND", "O'Brien"])
def test_cli_hostile_queries_exit_0(cli_workspace: Path, capsys, query: str) -> None:
    assert main(["search", query]) == 0
    assert "Traceback" not in capsys.readouterr().err


def test_cli_json(cli_workspace: Path, capsys) -> None:
    assert main(["search", '"not yet formal"', "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["query"] == '"not yet formal"' and result["matched"] == 1
    [hit] = result["hits"]
    assert set(hit) == set(COLUMNS)
    assert hit["location"] == NOTE.as_posix() and "«Not yet formal»" in hit["snippet"]


def test_cli_a_query_word_starting_with_a_dash_is_one_line_with_the_way_round(cli_workspace: Path,
                                                                               capsys) -> None:
    for argv, way_round in ((["-Vitreon"], "compintel search -- -Vitreon"),
                            (["Vitreon", "-PPM", "-n", "3"], "compintel search -- Vitreon -PPM")):
        assert main(["search", *argv]) == 2
        captured = capsys.readouterr()
        assert captured.out == ""
        (line,) = captured.err.splitlines()
        assert line.startswith(f"error: {argv[0] if argv[0].startswith('-') else argv[1]!r} reads as an option")
        assert line.endswith(f"put -- before the query: {way_round})")
    assert main(["search", "Vitreon", "PPM"]) == 0
    plain = capsys.readouterr().out
    assert main(["search", "--", "-Vitreon", "-PPM"]) == 0          # searched for, as without "-"
    assert capsys.readouterr().out == plain and "hits" in plain


def test_cli_help_says_a_dash_in_a_query_is_searched_for(capsys) -> None:
    with pytest.raises(SystemExit):
        main(["search", "--help"])
    help_text = " ".join(capsys.readouterr().out.split())
    assert 'a "-" is no operator, so "Vitreon -PPM" finds documents with both Vitreon and PPM' in help_text
    assert "(write Vitreon NOT PPM to leave PPM out)" in help_text
    assert "compintel search -- -Vitreon" in help_text


def test_a_dash_inside_a_query_is_searched_for_not_parsed(wb: Workbench, corpus) -> None:
    assert ids(wb.search("Vitreon -PPM")) == ids(wb.search("Vitreon PPM")) == [corpus["ppm"]]
