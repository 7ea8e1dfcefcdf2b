"""Source definitions: every malformed one is reported with file, line and key and skipped,
the good ones around it still load; registering sources in the store is idempotent."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from compintel.errors import SourceError
from compintel.sources import load_sources, register_sources
from compintel.store import Store

# (case, body lines of one [[source]] table, key the error must name).
# The valid ones are interleaved so that a bad definition cannot swallow its neighbours.
DEFINITIONS: list[tuple[str, list[str], str | None]] = [
    ("good-feed", ['name = "good-feed"', 'kind = "feed"', 'url = "https://news.example/rss"',
                   'tags = ["Navika Motors", "vitreon"]'], None),
    ("unknown kind", ['name = "unknown-kind"', 'kind = "rss"', 'url = "https://news.example/r2"'], "kind"),
    ("missing name", ['kind = "page"', 'url = "https://news.example/a"'], "name"),
    ("bad name", ['name = "Bad Name"', 'kind = "page"', 'url = "https://news.example/b"'], "name"),
    ("both url and path", ['name = "both"', 'kind = "page"', 'url = "https://news.example/c"',
                           'path = "local"'], "url"),
    ("neither url nor path", ['name = "neither"', 'kind = "page"'], "path"),
    ("good-folder", ['name = "good-folder"', 'kind = "folder"', 'path = "local"',
                     'pattern = "*.html"'], None),
    ("ftp url", ['name = "ftp-feed"', 'kind = "feed"', 'url = "ftp://news.example/rss"'], "url"),
    ("path does not exist", ['name = "missing-path"', 'kind = "folder"', 'path = "no/such/folder"'],
     "path"),
    ("unknown key", ['name = "unknown-key"', 'kind = "feed"', 'url = "https://news.example/r3"',
                     'colour = "red"'], "colour"),
    ("unknown tag", ['name = "bad-tag"', 'kind = "feed"', 'url = "https://news.example/r4"',
                     'tags = ["Navka Motors"]'], "tags"),
    ("duplicate name", ['name = "good-feed"', 'kind = "feed"', 'url = "https://news.example/r5"'],
     "name"),
    ("table without table kind", ['name = "table-no-kind"', 'kind = "table"',
                                  'path = "local/sales.csv"'], "table"),
    ("bad link_pattern", ['name = "bad-regex"', 'kind = "listing"', 'url = "https://news.example/l"',
                          'link_pattern = "news/(["'], "link_pattern"),
    ("good-table", ['name = "good-table"', 'kind = "table"', 'table = "sales"',
                    'path = "local/sales.csv"', 'tags = ["kestrel-glass"]', 'enabled = false'], None),
]


def write_sources(sources_dir: Path, definitions=DEFINITIONS, filename: str = "sources.toml"
                  ) -> tuple[Path, dict[str, tuple[int, str | None]]]:
    """Write the definitions; returns the file and, per case, the line and key an error names."""
    lines = ["# test sources", ""]
    expected: dict[str, tuple[int, str | None]] = {}
    for case, body, key in definitions:
        header = len(lines) + 1
        lines.append("[[source]]")
        line = header   # an absent key is reported at its table's header
        for text in body:
            lines.append(text)
            if key is not None and re.match(rf"{re.escape(key)}\s*=", text):
                line = len(lines)
        lines.append("")
        expected[case] = (line, key)
    path = sources_dir / filename
    path.write_text("\n".join(lines), encoding="utf-8")
    return path, expected


@pytest.fixture
def sources_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "ws" / "sources"
    (folder / "local").mkdir(parents=True)
    (folder / "local" / "sales.csv").write_text("Customer,Part Family,Month,Plan Qty\n", encoding="utf-8")
    return folder


def test_each_malformed_definition_is_reported_and_the_good_ones_load(sources_dir, catalog) -> None:
    path, expected = write_sources(sources_dir)
    loaded = load_sources(sources_dir, catalog)

    assert [s.name for s in loaded.sources] == ["good-feed", "good-folder", "good-table"]
    bad = {case: where for case, where in expected.items() if where[1] is not None}
    assert len(loaded.errors) == len(bad)
    for error, (case, (line, key)) in zip(loaded.errors, bad.items(), strict=True):
        assert isinstance(error, SourceError), case
        assert (error.path, error.line, error.field) == (str(path), line, f"source.{key}"), case
        message = error.format()
        assert message.startswith(f"{path}:{line}: source.{key}: "), (case, message)
        assert "\n" not in message


@pytest.mark.parametrize(("case", "words"), [
    ("unknown kind", ["'rss'", "feed", "listing"]),
    ("bad name", ["'Bad Name'", "lower-case"]),
    ("both url and path", ["either url", "or path"]),
    ("ftp url", ["http(s)", "ftp://"]),
    ("path does not exist", ["no/such/folder", "does not exist"]),
    ("unknown key", ["'colour'", "fetch_articles"]),
    ("unknown tag", ["'Navka Motors'", "did you mean", "navika-motors"]),
    ("duplicate name", ["'good-feed'", "already used", "sources.toml:"]),
    ("table without table kind", ['table = "sales"']),
    ("bad link_pattern", ["link_pattern", "regular expression"]),
])
def test_error_messages_say_what_is_wrong(sources_dir, catalog, case, words) -> None:
    path, expected = write_sources(sources_dir)
    errors = {error.line: error.format() for error in load_sources(sources_dir, catalog).errors}
    message = errors[expected[case][0]]
    for word in words:
        assert word in message, message


def test_good_definitions_are_parsed_fully(sources_dir, catalog) -> None:
    write_sources(sources_dir)
    loaded = load_sources(sources_dir, catalog)
    feed = loaded.named("good-feed")
    assert feed.kind == "feed" and feed.url == "https://news.example/rss" and feed.is_web
    assert feed.tags == ("navika-motors", "vitreon")      # names resolve to catalog ids
    assert feed.enabled and feed.path is None
    folder = loaded.named("good-folder")
    assert folder.path == (sources_dir / "local").resolve() and not folder.is_web
    assert folder.options == {"pattern": "*.html"}
    table = loaded.named("good-table")
    assert table.options == {"table": "sales"} and table.enabled is False
    assert loaded.of_kind("table") == []                  # disabled sources are not run
    assert [s.name for s in loaded.of_kind("feed", "folder")] == ["good-feed", "good-folder"]
    with pytest.raises(SourceError, match="good-feed"):
        loaded.named("no-such-source")


def test_a_broken_file_does_not_stop_the_others(sources_dir, catalog) -> None:
    write_sources(sources_dir, DEFINITIONS[:1], "a.toml")
    broken = sources_dir / "b.toml"
    broken.write_text('[[source]]\nname = "x"\nkind = "page\n', encoding="utf-8")
    write_sources(sources_dir, DEFINITIONS[6:7], "c.toml")
    (sources_dir / "catalog.toml").write_text("this is not a source file = [\n", encoding="utf-8")
    loaded = load_sources(sources_dir, catalog)
    assert [s.name for s in loaded.sources] == ["good-feed", "good-folder"]
    assert len(loaded.errors) == 1
    assert loaded.errors[0].path == str(broken) and loaded.errors[0].line == 3


def test_a_single_table_instead_of_an_array_is_reported(sources_dir, catalog) -> None:
    path = sources_dir / "single.toml"
    path.write_text('[source]\nname = "x"\nkind = "page"\nurl = "https://a.example/"\n',
                    encoding="utf-8")
    loaded = load_sources(sources_dir, catalog)
    assert loaded.sources == []
    assert [(e.path, e.line) for e in loaded.errors] == [(str(path), 1)]
    assert "[[source]]" in loaded.errors[0].format()


def test_array_items_that_are_not_tables_are_reported(sources_dir, catalog) -> None:
    path = sources_dir / "odd.toml"
    path.write_text('source = ["a"]\n', encoding="utf-8")
    loaded = load_sources(sources_dir, catalog)
    assert loaded.sources == [] and [e.path for e in loaded.errors] == [str(path)]


def test_an_unknown_table_kind_is_a_definition_error(sources_dir, catalog) -> None:
    path, expected = write_sources(sources_dir, [
        ("typo", ['name = "t"', 'kind = "table"', 'table = "salez"', 'path = "local/sales.csv"'],
         "table")])
    loaded = load_sources(sources_dir, catalog)
    assert loaded.sources == []
    assert [(e.path, e.line, e.field) for e in loaded.errors] == [(str(path), expected["typo"][0],
                                                                   "source.table")]


# -- registering in the store -----------------------------------------------------------------

def _sources_table(store: Store) -> list[tuple]:
    return [tuple(row) for row in store.query("SELECT * FROM sources ORDER BY id")]


def test_register_sources_twice_leaves_the_table_unchanged(sources_dir, catalog, tmp_path) -> None:
    write_sources(sources_dir)
    root = sources_dir.parent
    loaded = load_sources(sources_dir, catalog)
    with Store.open(tmp_path / "s.db") as store:
        register_sources(store, loaded.sources, root)
        rows = _sources_table(store)
        assert [row[0] for row in rows] == ["good-feed", "good-folder", "good-table"]
        feed = dict(store.query("SELECT * FROM sources WHERE id = 'good-feed'")[0])
        assert feed["kind"] == "feed" and feed["location"] == "https://news.example/rss"
        assert json.loads(feed["tags"]) == ["navika-motors", "vitreon"]
        assert feed["defined_in"] == "sources/sources.toml:4"
        assert feed["enabled"] == 1
        folder = dict(store.query("SELECT * FROM sources WHERE id = 'good-folder'")[0])
        assert folder["location"] == "sources/local"      # relative to the workspace
        table = dict(store.query("SELECT * FROM sources WHERE id = 'good-table'")[0])
        assert table["enabled"] == 0

        # an old timestamp makes a needless rewrite of updated_at visible without waiting
        store.db.execute("UPDATE sources SET updated_at = '2000-01-01T00:00:00+00:00'")
        rows = _sources_table(store)
        register_sources(store, load_sources(sources_dir, catalog).sources, root)
        assert _sources_table(store) == rows

        # a real change is recorded, and only for the changed source
        text = (sources_dir / "sources.toml").read_text(encoding="utf-8")
        (sources_dir / "sources.toml").write_text(
            text.replace('tags = ["Navika Motors", "vitreon"]', 'tags = ["vitreon"]'), encoding="utf-8")
        register_sources(store, load_sources(sources_dir, catalog).sources, root)
        after = {row[0]: row for row in _sources_table(store)}
        assert json.loads(after["good-feed"][3]) == ["vitreon"]
        assert after["good-feed"][5] != "2000-01-01T00:00:00+00:00"
        assert after["good-folder"] == next(r for r in rows if r[0] == "good-folder")
        assert store.row_counts()["sources"] == 3


@pytest.mark.parametrize(("lines", "key"), [
    (['name = "f"', 'kind = "folder"', 'path = "local"', 'pattern = "/etc/*"'], "pattern"),
    (['name = "f"', 'kind = "folder"', 'path = "local"', 'pattern = "../*.html"'], "pattern"),
    (['name = "l"', 'kind = "listing"', 'path = "local"'], "path"),
])
def test_folder_patterns_stay_inside_and_listings_need_a_url(sources_dir, catalog, lines, key) -> None:
    (sources_dir / "local").mkdir(exist_ok=True)
    path = sources_dir / "odd.toml"
    path.write_text("[[source]]\n" + "\n".join(lines) + "\n", encoding="utf-8")
    loaded = load_sources(sources_dir, catalog)
    assert loaded.sources == []
    assert [(e.path, e.field) for e in loaded.errors] == [(str(path), f"source.{key}")]


def test_local_paths_outside_sources_are_refused_with_file_and_line(sources_dir, catalog,
                                                                    tmp_path) -> None:
    """Issue 12, case 8: an absolute path, a climb out with .., or a symlink inside sources/
    that leads elsewhere is refused in one line naming the file and line."""
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "secret.html").write_text("<p>secret</p>", encoding="utf-8")
    (sources_dir / "linked").symlink_to(outside, target_is_directory=True)
    (sources_dir / "local" / "inside.html").write_text("<p>ours</p>", encoding="utf-8")
    (sources_dir / "local" / "alias.html").symlink_to(sources_dir / "local" / "inside.html")
    path, expected = write_sources(sources_dir, [
        ("absolute", ['name = "passwd"', 'kind = "page"', 'path = "/etc/passwd"'], "path"),
        ("climbs out", ['name = "hostname"', 'kind = "page"', 'path = "../../../../etc/hostname"'],
         "path"),
        ("good-inside", ['name = "inside"', 'kind = "page"', 'path = "local/inside.html"'], None),
        ("symlinked folder", ['name = "linked"', 'kind = "folder"', 'path = "linked"'], "path"),
        ("symlinked file", ['name = "linked-file"', 'kind = "page"',
                            'path = "linked/secret.html"'], "path"),
        ("good-alias", ['name = "alias"', 'kind = "page"', 'path = "local/alias.html"'], None),
        ("notes outside", ['name = "notes-out"', 'kind = "notes"', 'path = "../.."'], "path"),
    ])
    loaded = load_sources(sources_dir, catalog)
    assert [source.name for source in loaded.sources] == ["inside", "alias"]
    errors = {error.message.split(" ")[0]: error for error in loaded.errors}
    assert len(loaded.errors) == 5
    for case, given in [("absolute", "/etc/passwd"), ("climbs out", "../../../../etc/hostname"),
                        ("symlinked folder", "linked"), ("symlinked file", "linked/secret.html"),
                        ("notes outside", "../..")]:
        error = errors[given]
        line, key = expected[case]
        assert (error.path, error.line, error.field) == (str(path), line, f"source.{key}"), case
        message = error.format()
        assert "\n" not in message and message.startswith(f"{path}:{line}: source.path: ")
        assert "outside the sources/ folder" in message


def test_date_order_is_dmy_or_mdy(sources_dir, catalog) -> None:
    path, expected = write_sources(sources_dir, [
        ("good-dmy", ['name = "indian"', 'kind = "listing"', 'url = "https://news.example/l"',
                      'date_order = "dmy"'], None),
        ("bad order", ['name = "odd"', 'kind = "feed"', 'url = "https://news.example/f"',
                       'date_order = "dd/mm/yyyy"'], "date_order"),
    ])
    loaded = load_sources(sources_dir, catalog)
    assert [(s.name, s.options) for s in loaded.sources] == [("indian", {"date_order": "dmy"})]
    (error,) = loaded.errors
    assert (error.line, error.field) == (expected["bad order"][0], "source.date_order")
    assert "dmy" in error.message and "'dd/mm/yyyy'" in error.message
