"""The gather stage end to end: a real workspace and store, the web served by a local server."""

from __future__ import annotations

import re
import signal
import sqlite3
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from gatherweb import (
    BOILERPLATE_MARKERS,
    Item,
    article_page,
    listing_page,
    make_workspace,
    rss,
    source_table,
    when,
)
from localweb import LocalWeb, Response, _Handler

import compintel.gather
from compintel import Workbench
from compintel.gather import GatherReport
from compintel.web import Fetcher, FetchResult

COMPINTEL = Path(__file__).resolve().parent.parent / ".venv" / "bin" / "compintel"
RSS_TYPE = "application/rss+xml; charset=utf-8"

# -- invented stories (fictional companies only) --------------------------------------------

VITREON_LINE = [
    "Vitreon Auto Glass has started trial runs on a second bending line at its Sanaswadi plant.",
    "The line is meant to handle the larger windshields of sport utility vehicles.",
    "Plant staff said the first trial batch came off the furnace in the second week of May.",
    "Vitreon expects the line to add about forty percent to its windshield capacity once it "
    "runs at full rate.",
    "The company has not said what the new line cost.",
    "Two car makers are said to have sent quality engineers to watch the trials.",
    "One of them is believed to be Navika Motors, which buys backlites from Vitreon today.",
    "Vitreon plans to run the line on two shifts until the autumn.",
    "A third shift would follow only if new orders arrive.",
    "Industry watchers expect the added capacity to put pressure on windshield prices in "
    "western India.",
]
# The syndicated copy: one sentence reworded (it also gets another headline).
VITREON_LINE_COPY = [*VITREON_LINE[:4], "Vitreon declined to comment on the cost of the project.",
                     *VITREON_LINE[5:]]
SUNMARG_GROUND = [
    "Sunmarg Safety Glass broke ground on a tempering plant near Sagarpet on Monday.",
    "The first phase will make sidelites and quarter glass for compact cars.",
    "Sunmarg said it wants to supply Dhruva Automobiles from the new site within a year.",
    "Local officials attended the ceremony along with a group of supplier representatives.",
    "Construction of the furnace hall is to start after the monsoon.",
]
KESTREL_HUD = [
    "Kestrel Safety Glass showed a windshield prepared for head-up displays at a customer "
    "tech day.",
    "The glass uses a wedge interlayer so that the projected image does not appear twice.",
    "Meridian Mobility engineers asked for samples for a planned electric model.",
]
CLARITY_DISPATCH = [
    "Clarity Glassworks moved its Ghiloth dispatch to a night shift to cut truck waiting times.",
    "Dhruva Automobiles had complained about late deliveries in two recent months.",
    "Clarity says on-time delivery has improved since the change.",
]


def text_of(sentences: list[str]) -> str:
    return " ".join(sentences)


# -- helpers --------------------------------------------------------------------------------

@pytest.fixture(autouse=True)
def no_nagle(monkeypatch: pytest.MonkeyPatch) -> None:
    """Let the local server send each response at once (Nagle adds 40 ms per response)."""
    monkeypatch.setattr(_Handler, "disable_nagle_algorithm", True)


@pytest.fixture
def fetch_log(monkeypatch: pytest.MonkeyPatch) -> list[FetchResult]:
    """Every FetchResult the gather stage receives, in order (a spy; the fetch is real)."""
    results: list[FetchResult] = []

    class RecordingFetcher(Fetcher):
        def fetch(self, url: str, **kwargs: Any) -> FetchResult:
            result = super().fetch(url, **kwargs)
            results.append(result)
            return result

    monkeypatch.setattr(compintel.gather, "Fetcher", RecordingFetcher)
    return results


def gather(root: Path) -> GatherReport:
    with Workbench.open(root) as wb:
        return wb.gather()


def row_of(report: GatherReport, source: str) -> dict[str, Any]:
    (row,) = [row for row in report.rows if row["source"] == source]
    return row


def counts(row: dict[str, Any]) -> tuple[int, int, int, int, int]:
    """(new, changed, unchanged, failed, robots) of one report row."""
    return row["new"], row["changed"], row["unchanged"], row["failed"], row["robots"]


def query(root: Path, sql: str, params: tuple[Any, ...] = ()) -> list[dict[str, Any]]:
    with Workbench.open(root) as wb:
        return [dict(row) for row in wb.store.query(sql, params)]


def documents(root: Path) -> dict[str, dict[str, Any]]:
    """Every document row (all columns but the MinHash blob), keyed by URL."""
    rows = query(root, "SELECT * FROM documents ORDER BY id")
    return {row["url"]: {k: v for k, v in row.items() if k != "minhash"} for row in rows}


def integrity(path: Path) -> str:
    with sqlite3.connect(path) as db:
        result = db.execute("PRAGMA integrity_check").fetchone()[0]
    db.close()
    return result


def wait_for(condition: Callable[[], bool], timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting for a condition")
        time.sleep(0.01)


def compintel_gather(root: Path) -> subprocess.Popen[str]:
    return subprocess.Popen([str(COMPINTEL), "--workspace", str(root), "--quiet", "gather"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


# -- 1. feeds ---------------------------------------------------------------------------------

def test_feed_entries_stored_and_an_unchanged_feed_costs_one_304(
        local_web: LocalWeb, tmp_path: Path, fetch_log: list[FetchResult]) -> None:
    feed = rss([
        Item("Vitreon trials a second bending line",
             local_web.url("/news/vitreon-line?utm_source=rss&utm_medium=feed&fbclid=abc"),
             text_of(VITREON_LINE), "desk@glassline.example (Asha Rao)", when(12)),
        Item("Kestrel shows a HUD-ready windshield",
             local_web.url("/news/kestrel-hud?ref=home&id=7&gclid=xyz"),
             text_of(KESTREL_HUD), None, when(14, 16)),
    ])
    local_web.route("/feed.xml", Response(body=feed, content_type=RSS_TYPE, etag='"feed-v1"'))
    root = make_workspace(tmp_path / "ws", source_table(
        name="glassline", kind="feed", url=local_web.url("/feed.xml")))

    first = gather(root)
    assert first.errors == [] and first.failures == []
    assert counts(row_of(first, "glassline")) == (2, 0, 0, 0, 0)
    stored = documents(root)
    vitreon = stored[local_web.url("/news/vitreon-line")]        # every tracking param dropped
    kestrel = stored[local_web.url("/news/kestrel-hud?id=7")]    # a real parameter kept
    assert set(stored) == {vitreon["url"], kestrel["url"]}
    assert vitreon["kind"] == "feed_entry" and vitreon["source_id"] == "glassline"
    assert vitreon["title"] == "Vitreon trials a second bending line"
    assert vitreon["author"] == "Asha Rao"
    assert vitreon["published_at"] == "2026-05-12T09:30:00+00:00"
    assert vitreon["text"] == text_of(VITREON_LINE)
    assert kestrel["published_at"] == "2026-05-14T16:30:00+00:00" and kestrel["author"] is None

    fetch_log.clear()
    second = gather(root)
    assert second.failures == []
    assert counts(row_of(second, "glassline")) == (0, 0, 1, 0, 0)
    first_hit, second_hit = local_web.hits("/feed.xml")
    assert first_hit.headers.get("If-None-Match") is None and first_hit.bytes_sent > 0
    assert second_hit.headers.get("If-None-Match") == '"feed-v1"'
    assert second_hit.bytes_sent == 0                                # no body was sent
    (answer,) = fetch_log
    assert (answer.status, answer.not_modified, answer.body) == (304, True, b"")
    assert documents(root) == stored                                 # not a single row touched
    log = query(root, "SELECT outcome FROM gather_log WHERE url = ?", (local_web.url("/feed.xml"),))
    assert log == [{"outcome": "unchanged"}]


# -- 2. feeds with their articles ---------------------------------------------------------------

def _article_site(local_web: LocalWeb, *, broken: str | None = None) -> dict[str, str]:
    """Three article pages (ETags) and a feed linking them; ``broken`` answers 500 at first."""
    stories = {"vitreon-line": ("Vitreon trials a second bending line", VITREON_LINE),
               "sunmarg-ground": ("Sunmarg breaks ground at Sagarpet", SUNMARG_GROUND),
               "clarity-dispatch": ("Clarity moves dispatch to nights", CLARITY_DISPATCH)}
    items = []
    for slug, (title, sentences) in stories.items():
        page = article_page(title, sentences, author="Asha Rao",
                            published="2026-05-12T09:30:00+05:30")
        ok = Response(body=page, etag=f'"{slug}-1"')
        path = f"/story/{slug}"
        if slug == broken:
            local_web.route(path, Response(500), Response(500), Response(500), ok)
        else:
            local_web.route(path, ok)
        items.append(Item(title, local_web.url(path + "?utm_campaign=feed"), "teaser only"))
    local_web.route("/feed.xml", Response(body=rss(items), content_type=RSS_TYPE,
                                          etag='"feed-v1"'))
    return {slug: local_web.url(f"/story/{slug}") for slug in stories}


def test_feed_articles_fetched_extracted_then_revalidated_with_304s(
        local_web: LocalWeb, tmp_path: Path) -> None:
    urls = _article_site(local_web)
    root = make_workspace(tmp_path / "ws", source_table(
        name="glassline", kind="feed", url=local_web.url("/feed.xml"), fetch_articles=True))

    first = gather(root)
    assert first.failures == []
    assert counts(row_of(first, "glassline")) == (3, 0, 0, 0, 0)
    stored = documents(root)
    assert set(stored) == set(urls.values())
    vitreon = stored[urls["vitreon-line"]]
    assert vitreon["kind"] == "article"
    assert vitreon["title"] == "Vitreon trials a second bending line"
    assert vitreon["author"] == "Asha Rao"
    assert vitreon["published_at"] == "2026-05-12T09:30:00+05:30"
    assert vitreon["text"] == "\n\n".join(VITREON_LINE)       # the article, not the teaser
    for document in stored.values():
        assert not any(marker in document["text"] for marker in BOILERPLATE_MARKERS)

    second = gather(root)
    assert second.failures == []
    assert counts(row_of(second, "glassline")) == (0, 0, 4, 0, 0)   # the feed and 3 articles
    for slug in urls:
        first_hit, again = local_web.hits(f"/story/{slug}")
        assert first_hit.path == f"/story/{slug}"                      # canonical: no utm_*
        assert again.headers.get("If-None-Match") == f'"{slug}-1"'
        assert again.bytes_sent == 0
    assert local_web.hits("/feed.xml")[-1].bytes_sent == 0
    assert documents(root) == stored


def test_article_that_failed_is_retried_while_the_feed_is_unchanged(
        local_web: LocalWeb, tmp_path: Path) -> None:
    urls = _article_site(local_web, broken="sunmarg-ground")
    root = make_workspace(tmp_path / "ws", source_table(
        name="glassline", kind="feed", url=local_web.url("/feed.xml"), fetch_articles=True))

    first = gather(root)
    assert counts(row_of(first, "glassline")) == (2, 0, 0, 1, 0)
    assert first.failures == [f"glassline: {urls['sunmarg-ground']}: HTTP 500 after 2 retries"]

    second = gather(root)                     # the feed answers 304; the article works now
    assert local_web.hits("/feed.xml")[-1].bytes_sent == 0
    assert second.failures == []
    assert counts(row_of(second, "glassline")) == (1, 0, 3, 0, 0)
    assert set(documents(root)) == set(urls.values())


def test_turning_fetch_articles_on_fetches_the_articles_of_an_unchanged_feed(
        local_web: LocalWeb, tmp_path: Path) -> None:
    urls = _article_site(local_web)
    feed = local_web.url("/feed.xml")
    root = make_workspace(tmp_path / "ws", source_table(name="glassline", kind="feed", url=feed))
    gather(root)
    assert {doc["kind"] for doc in documents(root).values()} == {"feed_entry"}
    sources = root / "sources" / "sources.toml"
    sources.write_text(source_table(name="glassline", kind="feed", url=feed, fetch_articles=True))

    report = gather(root)                     # the feed answers 304: its links are known
    assert local_web.hits("/feed.xml")[-1].bytes_sent == 0
    # the same URLs as the entries: each document becomes the full article
    assert counts(row_of(report, "glassline")) == (0, 3, 1, 0, 0)
    articles = {url for url, doc in documents(root).items() if doc["kind"] == "article"}
    assert articles == set(urls.values())

    # A feed cached without its links (a store from before links were kept) is fetched whole.
    with Workbench.open(root) as wb, wb.store.transaction() as db:
        db.execute("UPDATE http_cache SET links = NULL WHERE url = ?", (feed,))
    report = gather(root)
    assert local_web.hits("/feed.xml")[-1].headers.get("If-None-Match") is None
    assert counts(row_of(report, "glassline")) == (0, 0, 3, 0, 0)
    assert query(root, "SELECT links FROM http_cache WHERE url = ?", (feed,)) != [{"links": None}]


# -- 3. listings -------------------------------------------------------------------------------

def test_listing_links_limits_robots_retries_and_failures(local_web: LocalWeb,
                                                          tmp_path: Path) -> None:
    local_web.robots("User-agent: *\nDisallow: /news/private\n")
    pages = {"alpha": VITREON_LINE, "private-board-minutes": KESTREL_HUD,
             "flaky": SUNMARG_GROUND, "gone": CLARITY_DISPATCH, "beta": KESTREL_HUD,
             "gamma": VITREON_LINE_COPY, "delta": SUNMARG_GROUND}
    for slug, sentences in pages.items():
        local_web.route(f"/news/{slug}", Response(body=article_page(slug.title(), sentences)))
    local_web.route("/news/flaky", Response(500), Response(body=article_page("Flaky", SUNMARG_GROUND)))
    local_web.route("/news/gone", Response(500))
    local_web.route("/blog/opinion", Response(body=article_page("Opinion", KESTREL_HUD)))
    hrefs = ["/news/alpha", "/news/private-board-minutes", "/blog/opinion", "/news/flaky",
             local_web.url("/news/elsewhere", host="localhost"), "/news/gone", "/news/beta",
             "/news/gamma", "/news/delta"]
    local_web.route("/latest", Response(body=listing_page(hrefs, nav_hrefs=["/news/in-nav"])))
    root = make_workspace(tmp_path / "ws", source_table(
        name="glassline-latest", kind="listing", url=local_web.url("/latest"), max_links=6,
        link_pattern="/news/"))

    report = gather(root)
    # followed: alpha, private (robots), flaky, gone, beta, gamma — then max_links is reached
    assert counts(row_of(report, "glassline-latest")) == (4, 0, 0, 1, 1)
    for never in ("/news/private-board-minutes", "/news/delta", "/blog/opinion", "/news/in-nav"):
        assert local_web.hits(never) == [], never
    assert [r for r in local_web.requests if r.host == "localhost"] == []
    assert len(local_web.hits("/news/flaky")) == 2                    # 500, then 200
    assert len(local_web.hits("/news/gone")) == 3                     # 500 and two retries
    stored = documents(root)
    assert set(stored) == {local_web.url(f"/news/{s}") for s in ("alpha", "flaky", "beta", "gamma")}
    assert all(doc["kind"] == "article" for doc in stored.values())

    gone = local_web.url("/news/gone")
    assert report.failures == [f"glassline-latest: {gone}: HTTP 500 after 2 retries"]
    log = {row["url"]: row for row in query(root, "SELECT * FROM gather_log")}
    assert (log[gone]["outcome"], log[gone]["reason"]) == ("failed", "HTTP 500 after 2 retries")
    private = log[local_web.url("/news/private-board-minutes")]
    assert (private["outcome"], private["reason"]) == ("robots", "robots.txt disallows this URL")
    with Workbench.open(root) as wb:
        (status,) = [s for s in wb.status()["sources"] if s["source"] == "glassline-latest"]
    assert status["last_failure"] == "HTTP 500 after 2 retries"


# -- 4. syndicated copies ------------------------------------------------------------------------

def test_syndicated_copy_in_another_feed_joins_the_story(local_web: LocalWeb,
                                                         tmp_path: Path) -> None:
    local_web.route("/glassline.xml", Response(content_type=RSS_TYPE, body=rss([
        Item("Vitreon trials a second bending line", local_web.url("/gl/vitreon-line"),
             text_of(VITREON_LINE), published=when(12))])))
    local_web.route("/wire.xml", Response(content_type=RSS_TYPE, body=rss([
        Item("Sanaswadi line to lift Vitreon windshield output", local_web.url("/wire/88121"),
             text_of(VITREON_LINE_COPY), published=when(13)),
        Item("Sunmarg breaks ground at Sagarpet", local_web.url("/wire/88122"),
             text_of(SUNMARG_GROUND), published=when(13))], title="Motor Wire")))
    root = make_workspace(tmp_path / "ws", source_table(
        name="glassline", kind="feed", url=local_web.url("/glassline.xml")) + source_table(
        name="motor-wire", kind="feed", url=local_web.url("/wire.xml")))

    report = gather(root)
    assert report.failures == []
    stored = documents(root)
    original = stored[local_web.url("/gl/vitreon-line")]
    copy = stored[local_web.url("/wire/88121")]
    other = stored[local_web.url("/wire/88122")]
    assert copy["text"] != original["text"] and copy["title"] != original["title"]
    assert original["story_id"] == copy["story_id"] == original["id"]
    assert other["story_id"] == other["id"] != original["story_id"]


# -- 5. broken feeds --------------------------------------------------------------------------

def test_malformed_and_truncated_feeds_keep_what_is_stored(local_web: LocalWeb,
                                                           tmp_path: Path) -> None:
    def items(prefix: str, *stories: tuple[str, list[str]]) -> list[Item]:
        return [Item(title, local_web.url(f"/{prefix}/{i}"), text_of(sentences), published=when(i))
                for i, (title, sentences) in enumerate(stories, 1)]

    broken_v1 = rss(items("b", ("Kestrel HUD", KESTREL_HUD), ("Clarity nights", CLARITY_DISPATCH)))
    # v2 is cut off inside its third item, whose text differs from the stored v1 item
    cut_v1 = rss(items("c", ("Vitreon line", VITREON_LINE), ("Sunmarg ground", SUNMARG_GROUND),
                       ("Kestrel HUD", KESTREL_HUD)))
    cut_v2 = rss(items("c", ("Vitreon line", VITREON_LINE), ("Sunmarg ground", SUNMARG_GROUND),
                       ("Kestrel HUD", KESTREL_HUD + ["Samples ship in June."])))
    cut_v2 = cut_v2[:cut_v2.index("Samples ship")]
    broken_v2 = broken_v1.split("<item>")[0] + "<item><title>Kestrel</titel>\n</item>\n"
    steady = items("s", ("Clarity nights", CLARITY_DISPATCH))
    local_web.route("/broken.xml", Response(body=broken_v1, content_type=RSS_TYPE),
                    Response(body=broken_v2, content_type=RSS_TYPE))
    local_web.route("/cut.xml", Response(body=cut_v1, content_type=RSS_TYPE),
                    Response(body=cut_v2, content_type=RSS_TYPE))
    local_web.route("/steady.xml", Response(body=rss(steady), content_type=RSS_TYPE),
                    Response(body=rss(steady + items("s2", ("Vitreon line", VITREON_LINE))),
                             content_type=RSS_TYPE))
    root = make_workspace(tmp_path / "ws", "".join(
        source_table(name=name, kind="feed", url=local_web.url(f"/{name}.xml"))
        for name in ("broken", "cut", "steady")))

    first = gather(root)
    assert first.failures == []
    before = documents(root)
    assert len(before) == 6

    second = gather(root)
    assert counts(row_of(second, "broken")) == (0, 0, 0, 1, 0)
    assert counts(row_of(second, "cut")) == (0, 0, 2, 1, 0)          # third entry dropped
    assert counts(row_of(second, "steady")) == (1, 0, 1, 0, 0)       # the run went on
    broken_failure, cut_failure = second.failures
    assert broken_failure == (f"broken: {local_web.url('/broken.xml')}: line 7: mismatched tag; "
                              "no complete feed entries found")
    assert cut_failure.startswith(f"cut: {local_web.url('/cut.xml')}: 1 incomplete entries dropped "
                                  "from a malformed feed (")
    assert "line 22: no element found" in cut_failure
    assert "line 19: entry 3 ('Kestrel HUD') dropped: cut off before its end tag" in cut_failure
    after = documents(root)
    assert {url: after[url] for url in before} == before             # nothing stored was touched
    assert set(after) - set(before) == {local_web.url("/s2/1")}
    with Workbench.open(root) as wb:
        status = {s["source"]: s for s in wb.status()["sources"]}
    assert status["broken"]["last_failure"] == "line 7: mismatched tag; no complete feed entries found"
    assert status["cut"]["last_failure"].startswith("1 incomplete entries dropped from a malformed feed")


# -- 6. bad source definitions -----------------------------------------------------------------

def test_bad_source_definitions_are_reported_and_the_rest_gathered(local_web: LocalWeb,
                                                                   tmp_path: Path) -> None:
    local_web.route("/feed.xml", Response(content_type=RSS_TYPE, body=rss([
        Item("Sunmarg breaks ground", local_web.url("/s/1"), text_of(SUNMARG_GROUND))])))
    feed = local_web.url("/feed.xml")
    # each table is 5 lines long: they start at lines 1, 6, 10, 15, 20 and 25
    sources = (source_table(name="bad-kind", kind="rss", url=feed)
               + source_table(name="no-location", kind="page")
               + source_table(name="good", kind="feed", url=feed)
               + source_table(name="ftp-feed", kind="feed", url="ftp://glassline.example/feed")
               + source_table(name="file-page", kind="page", url="file:///etc/hostname")
               + source_table(name="typo", kind="listing", url=feed, max_link=5))
    root = make_workspace(tmp_path / "ws", sources)
    path = root / "sources" / "sources.toml"

    report = gather(root)
    # file:line: key: message — the wording may change, the place and the culprit may not
    expected = [(3, "source.kind", "'rss'"), (6, "source.path", "url"),
                (18, "source.url", "'ftp://glassline.example/feed'"),
                (23, "source.url", "'file:///etc/hostname'"), (29, "source.max_link", "max_link")]
    assert len(report.errors) == len(expected), report.errors
    for error, (line, key, culprit) in zip(report.errors, expected, strict=True):
        assert error.startswith(f"{path}:{line}: {key}: ") and culprit in error, error
    assert [row["source"] for row in report.rows] == ["good"]
    assert counts(row_of(report, "good")) == (1, 0, 0, 0, 0)
    assert list(documents(root)) == [local_web.url("/s/1")]
    assert len(local_web.hits("/feed.xml")) == 1           # only the good source asked for it


# -- 7. two processes at once --------------------------------------------------------------------

def _slow_listing(local_web: LocalWeb, pages: int, delay: float) -> list[str]:
    paths = [f"/a/{i:03d}" for i in range(pages)]
    for i, path in enumerate(paths):
        body = article_page(f"Item {i}", [f"Report number {i} from the fictional glass trade."]
                            + [f"Kestrel and Vitreon line {i}-{k} shipped {i * 7 + k} pieces."
                               for k in range(6)])
        local_web.route(path, Response(body=body, etag=f'"p{i}"', delay=delay))
    local_web.route("/listing", Response(body=listing_page(paths), etag='"listing"'))
    return [local_web.url(path) for path in paths]


def test_two_gather_processes_at_once(local_web: LocalWeb, tmp_path: Path) -> None:
    urls = _slow_listing(local_web, 40, delay=0.05)
    root = make_workspace(tmp_path / "ws", source_table(
        name="wire", kind="listing", url=local_web.url("/listing"), max_links=40))

    runs = [compintel_gather(root), compintel_gather(root)]
    outputs = [run.communicate(timeout=60) for run in runs]
    for run, (_, err) in zip(runs, outputs, strict=True):
        assert run.returncode == 0, err
    # They overlapped: the second listing request came before the first run's last page.
    _, second_listing = local_web.hits("/listing")
    assert second_listing.time < local_web.hits(path_of(urls[-1]))[0].time
    new_counts = [int(out.splitlines()[2].split()[2]) for out, _ in outputs]
    assert sum(new_counts) == 40                    # each page stored as new exactly once

    assert integrity(root / "compintel.db") == "ok"
    stored = query(root, "SELECT COUNT(*) AS n, COUNT(DISTINCT url) AS urls FROM documents")
    assert stored == [{"n": 40, "urls": 40}]
    assert {row["url"] for row in query(root, "SELECT url FROM documents")} == set(urls)
    runs_left = query(root, "SELECT id, status FROM gather_runs")
    assert runs_left and all(row["status"] == "ok" for row in runs_left)
    log = query(root, "SELECT g.url, g.outcome, g.run_id, r.id AS run FROM gather_log g "
                      "LEFT JOIN gather_runs r ON r.id = g.run_id")
    assert sorted(row["url"] for row in log) == sorted(urls)
    assert all(row["outcome"] in ("new", "unchanged") for row in log)
    assert all(row["run_id"] is None or row["run"] is not None for row in log)


def path_of(url: str) -> str:
    return "/" + url.split("/", 3)[3]


# -- 8. a killed run ------------------------------------------------------------------------------

def test_killed_run_is_marked_interrupted_and_the_next_completes_it(local_web: LocalWeb,
                                                                    tmp_path: Path) -> None:
    urls = _slow_listing(local_web, 20, delay=0.15)
    root = make_workspace(tmp_path / "ws", source_table(
        name="wire", kind="listing", url=local_web.url("/listing"), max_links=20))

    victim = compintel_gather(root)
    try:
        wait_for(lambda: len(query(root, "SELECT id FROM documents")) >= 4)
    finally:
        victim.send_signal(signal.SIGKILL)
        victim.communicate(timeout=10)
    assert victim.returncode == -signal.SIGKILL
    assert integrity(root / "compintel.db") == "ok"
    done_before = {row["url"] for row in query(root, "SELECT url FROM documents")}
    assert 4 <= len(done_before) < 20
    (dead,) = query(root, "SELECT id, status, pid FROM gather_runs")
    assert dead["status"] == "running" and dead["pid"] == victim.pid

    for i, url in enumerate(urls):               # a quicker site for the second run
        local_web.route(path_of(url), Response(body=article_page(f"Item {i}", [
            f"Report number {i} from the fictional glass trade."] + [
            f"Kestrel and Vitreon line {i}-{k} shipped {i * 7 + k} pieces." for k in range(6)]),
            etag=f'"p{i}"', delay=0.05))
    second = compintel_gather(root)
    try:
        wait_for(lambda: len(query(root, "SELECT id FROM gather_runs")) == 2)
        runs = {row["id"]: row["status"] for row in query(root, "SELECT id, status FROM gather_runs")}
    finally:
        out, err = second.communicate(timeout=60)
    assert runs[dead["id"]] == "interrupted"
    assert second.returncode == 0, err
    new, changed, unchanged, failed = map(int, out.splitlines()[2].split()[2:6])
    assert (new, changed, unchanged, failed) == (20 - len(done_before), 0, len(done_before), 0)
    assert integrity(root / "compintel.db") == "ok"
    assert query(root, "SELECT COUNT(*) AS n, COUNT(DISTINCT url) AS urls FROM documents") == [
        {"n": 20, "urls": 20}]
    assert query(root, "SELECT status FROM gather_runs") == [{"status": "ok"}]


# -- 9. the demo workspace ------------------------------------------------------------------------

def test_second_gather_of_the_demo_changes_no_row(demo_workspace: Path) -> None:
    with Workbench.open(demo_workspace) as wb:
        first = wb.gather()
        assert first.errors == [] and first.failures == []
        counts_after_first = wb.store.row_counts()
        rows_after_first = documents(demo_workspace)
        second = wb.gather()
        assert wb.store.row_counts() == counts_after_first
    assert counts_after_first["documents"] > 0
    assert sum(row["new"] for row in first.rows) == counts_after_first["documents"]
    assert all(row["new"] == row["changed"] == 0 for row in second.rows)
    assert documents(demo_workspace) == rows_after_first


def test_listing_follows_links_of_linked_pages_to_max_depth(local_web: LocalWeb,
                                                             tmp_path: Path) -> None:
    # the article links to a further article, only in its body (not the page furniture)
    first = article_page("Alpha", VITREON_LINE).replace(
        "</article>", "<p>Read also <a href='/news/beta'>the follow-up</a>.</p></article>")
    local_web.route("/news/alpha", Response(body=first, etag='"alpha-1"'))
    local_web.route("/news/beta", Response(body=article_page("Beta", KESTREL_HUD), etag='"beta-1"'))
    local_web.route("/latest", Response(body=listing_page(["/news/alpha"]), etag='"latest-1"'))
    root = make_workspace(tmp_path / "ws", source_table(
        name="deep", kind="listing", url=local_web.url("/latest"), max_depth=2,
        link_pattern="/news/"))

    report = gather(root)
    assert counts(row_of(report, "deep")) == (2, 0, 0, 0, 0)
    assert set(documents(root)) == {local_web.url("/news/alpha"), local_web.url("/news/beta")}
    # nothing changed: every page answers 304, and the second level is still reached
    again = gather(root)
    assert counts(row_of(again, "deep")) == (0, 0, 2, 0, 0)
    assert [r.headers.get("If-None-Match") for r in local_web.hits("/news/beta")] == [None, '"beta-1"']


def test_entries_without_links_are_kept_apart_per_feed_and_bad_links_stop_only_themselves(
        local_web: LocalWeb, tmp_path: Path) -> None:
    def feed(*items: Item) -> str:
        return rss(items).replace("<link></link>", "")

    local_web.route("/a.xml", Response(body=feed(Item("Vitreon line", "", VITREON_LINE[0], guid="1")),
                                       content_type=RSS_TYPE))
    local_web.route("/b.xml", Response(body=feed(Item("Kestrel HUD", "", KESTREL_HUD[0], guid="1"),
                                                 Item("Bad link", "http://[bad/story", SUNMARG_GROUND[0]),
                                                 Item("Sunmarg", "", SUNMARG_GROUND[1], guid="2")),
                                       content_type=RSS_TYPE))
    root = make_workspace(tmp_path / "ws", "\n".join(
        source_table(name=name, kind="feed", url=local_web.url(f"/{name}.xml")) for name in "ab"))
    report = gather(root)
    assert set(documents(root)) == {"feed:a:1", "feed:b:1", "feed:b:2"}
    assert counts(row_of(report, "b")) == (2, 0, 0, 1, 0)
    assert any("'Bad link' has no usable link or id" in failure for failure in report.failures)
    again = gather(root)
    assert counts(row_of(again, "a")) == (0, 0, 1, 0, 0)           # not "changed" every time


def test_a_named_source_is_gathered_once_and_a_disabled_one_is_refused(
        local_web: LocalWeb, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from compintel.cli import main

    local_web.route("/changing", Response(body=article_page("Vitreon trials a second bending line",
                                                            VITREON_LINE)))
    local_web.route("/off", Response(body=article_page("Kestrel shows a HUD-ready windshield",
                                                       KESTREL_HUD)))
    root = make_workspace(tmp_path / "ws", source_table(name="changing", kind="page",
                                                        url=local_web.url("/changing"))
                          + source_table(name="off-pack", kind="page", url=local_web.url("/off"),
                                         enabled=False))
    # named twice: one source, fetched once, one row
    assert main(["gather", "-w", str(root), "-q", "-s", "changing", "-s", "changing"]) == 0
    out = capsys.readouterr().out
    assert len(re.findall(r"^changing\s", out, re.M)) == 1
    assert len(local_web.hits("/changing")) == 1
    # a source with enabled = false is not fetched because its name was given: one line says why
    assert main(["gather", "-w", str(root), "-q", "-s", "changing", "-s", "off-pack"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    (line,) = captured.err.splitlines()
    assert line == ("error: sources/sources.toml:7: source 'off-pack' is off (enabled = false) "
                    "(set enabled = true in its [[source]] to gather it)")
    assert local_web.hits("/off") == [] and len(local_web.hits("/changing")) == 1
    assert [row["source"] for row in gather(root).rows] == ["changing"]
    assert local_web.hits("/off") == []                 # nor by a gather of every source


def test_a_feed_gives_at_most_max_feed_entries_the_newest_and_says_it_stopped_early(
        local_web: LocalWeb, tmp_path: Path) -> None:
    days = [3, 17, 8, 21, 1, 12, 25, 6, 19, 14]          # dated, not in date order
    dated = rss([Item(f"Story {day}", local_web.url(f"/dated/{day}"), f"Kestrel news of May {day}.",
                      published=when(day)) for day in days])
    undated = rss([Item(f"Story {n}", local_web.url(f"/undated/{n}"), f"Vitreon news {n}.")
                   for n in range(10)])
    local_web.route("/dated.xml", Response(body=dated, content_type=RSS_TYPE))
    local_web.route("/undated.xml", Response(body=undated, content_type=RSS_TYPE))
    root = make_workspace(tmp_path / "ws", source_table(
        name="dated", kind="feed", url=local_web.url("/dated.xml")) + source_table(
        name="undated", kind="feed", url=local_web.url("/undated.xml")))
    with (root / "compintel.toml").open("a", encoding="utf-8") as config:
        config.write("\n[gather]\nmax_feed_entries = 4\n")

    report = gather(root)
    assert report.failures == []
    for name in ("dated", "undated"):
        row = row_of(report, name)
        assert counts(row) == (4, 0, 0, 0, 0)
        assert "stopped early: read 4 of 10 entries" in row["note"], row["note"]
    urls = set(documents(root))
    assert {url for url in urls if "/dated/" in url} == {
        local_web.url(f"/dated/{day}") for day in (17, 21, 25, 19)}
    assert {url for url in urls if "/undated/" in url} == {
        local_web.url(f"/undated/{n}") for n in range(4)}
