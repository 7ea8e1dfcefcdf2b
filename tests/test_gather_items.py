"""Issue 12: text only improves, one item fails alone, local paths stay in sources/, and a
re-gather of unchanged local files parses nothing. Local servers on 127.0.0.1 only; every
story is invented and concerns only the fictional demo companies."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from gatherweb import Item, article_page, listing_page, make_workspace, rss, source_table, when
from localweb import LocalWeb, Response, _Handler
from test_gather import counts, documents, gather, query, row_of

import compintel.feeds
import compintel.gather
from compintel import Workbench

RSS_TYPE = "application/rss+xml; charset=utf-8"

# Articles of 220-250 characters, and the feed's 15-character teasers of them.
ARTICLES = {
    "vitreon-line": ("Vitreon trials a second bending line",
                     "Vitreon Auto Glass has started trial runs on a second bending line at its "
                     "Sanaswadi plant. The line is meant for the larger windshields of sport "
                     "utility vehicles and should add about forty percent to its windshield "
                     "capacity."),
    "sunmarg-ground": ("Sunmarg breaks ground at Sagarpet",
                       "Sunmarg Safety Glass broke ground on a tempering plant near Sagarpet on "
                       "Monday. The first phase will make sidelites and quarter glass for compact "
                       "cars, and Sunmarg wants to supply Dhruva Automobiles from there within a year."),
    "kestrel-hud": ("Kestrel shows a HUD-ready windshield",
                    "Kestrel Safety Glass showed a windshield prepared for head-up displays at a "
                    "customer tech day. The glass uses a wedge interlayer so the image does not "
                    "appear twice, and Meridian Mobility engineers asked for some samples."),
}
TEASER = "Read the story."          # 15 characters


@pytest.fixture(autouse=True)
def no_nagle(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_Handler, "disable_nagle_algorithm", True)


def _serve_articles(local_web: LocalWeb) -> dict[str, str]:
    urls = {}
    for slug, (title, text) in ARTICLES.items():
        assert 220 <= len(text) <= 250
        local_web.route(f"/news/{slug}", Response(body=article_page(title, [text]),
                                                  etag=f'"{slug}-1"'))
        urls[slug] = local_web.url(f"/news/{slug}")
    return urls


# -- case 3: text only improves ------------------------------------------------------------------

def test_a_feed_teaser_never_replaces_the_article_a_listing_stored(local_web: LocalWeb,
                                                                   tmp_path: Path) -> None:
    urls = _serve_articles(local_web)
    local_web.route("/latest", Response(body=listing_page(urls.values()), etag='"latest-1"'))
    items = [Item(ARTICLES[slug][0], url + "?utm_source=rss", TEASER, published=when(12))
             for slug, url in urls.items()]
    extra = Item("Clarity moves dispatch to nights", local_web.url("/news/clarity"), TEASER)
    # run 1: the feed names two of the articles; from run 2 on it has all three and one more
    local_web.route("/feed.xml",
                    Response(body=rss(items[:2]), content_type=RSS_TYPE, etag='"feed-1"'),
                    Response(body=rss([*items, extra]), content_type=RSS_TYPE, etag='"feed-2"'))
    root = make_workspace(tmp_path / "ws", source_table(
        name="latest", kind="listing", url=local_web.url("/latest"))
        + source_table(name="glassline", kind="feed", url=local_web.url("/feed.xml")))

    def assert_articles_kept() -> None:
        stored = documents(root)
        for slug, url in urls.items():
            assert stored[url]["text"] == ARTICLES[slug][1], slug
            assert stored[url]["kind"] == "article"

    first = gather(root)
    assert first.failures == []
    assert counts(row_of(first, "latest")) == (3, 0, 0, 0, 0)
    assert counts(row_of(first, "glassline")) == (0, 0, 2, 0, 0)    # teasers of stored articles
    assert_articles_kept()
    # the feed's date still fills in what the page did not say
    assert documents(root)[urls["vitreon-line"]]["published_at"] == "2026-05-12T09:30:00+00:00"

    second = gather(root)                       # the listing and its pages answer 304
    assert second.failures == []
    assert counts(row_of(second, "glassline")) == (1, 0, 3, 0, 0)
    assert documents(root)[local_web.url("/news/clarity")]["text"] == TEASER
    assert_articles_kept()

    third = gather(root)
    assert counts(row_of(third, "latest")) == (0, 0, 3, 0, 0)
    assert counts(row_of(third, "glassline")) == (0, 0, 1, 0, 0)    # the feed answers 304
    assert_articles_kept()

    # A 304 does not hide a stored text that is not what the page gave (a store damaged by
    # an older version): the page is fetched whole and its text restored.
    with Workbench.open(root) as wb, wb.store.transaction() as db:
        db.execute("UPDATE documents SET text = ?, content_hash = 'x' WHERE url = ?",
                   (TEASER, urls["sunmarg-ground"]))
    fourth = gather(root)
    assert counts(row_of(fourth, "latest")) == (0, 1, 2, 0, 0)
    assert local_web.hits("/news/sunmarg-ground")[-1].bytes_sent > 0
    assert_articles_kept()


def test_duplicate_guids_and_a_feed_with_and_without_articles_are_unchanged_on_a_rerun(
        local_web: LocalWeb, tmp_path: Path) -> None:
    urls = _serve_articles(local_web)
    # no validators: the feeds are parsed again on every run
    same_link = local_web.url("/news/clarity")
    repeated = rss([Item("Clarity moves dispatch", same_link, "Clarity moved its dispatch.",
                         guid="clarity-1"),
                    Item("Clarity moves dispatch (updated)", same_link,
                         "Clarity moved its dispatch to a night shift.", guid="clarity-1")])
    local_web.route("/repeats.xml", Response(body=repeated, content_type=RSS_TYPE))
    feed = rss([Item(ARTICLES[slug][0], url, TEASER) for slug, url in urls.items()])
    local_web.route("/feed.xml", Response(body=feed, content_type=RSS_TYPE))
    root = make_workspace(tmp_path / "ws",
                          source_table(name="repeats", kind="feed", url=local_web.url("/repeats.xml"))
                          + source_table(name="teasers", kind="feed", url=local_web.url("/feed.xml"))
                          + source_table(name="full", kind="feed", url=local_web.url("/feed.xml"),
                                         fetch_articles=True))

    first = gather(root)
    assert first.failures == []
    assert counts(row_of(first, "repeats")) == (1, 0, 0, 0, 0)
    assert counts(row_of(first, "teasers")) == (3, 0, 0, 0, 0)
    assert counts(row_of(first, "full")) == (0, 3, 0, 0, 0)           # the articles replace them
    assert documents(root)[same_link]["text"] == "Clarity moved its dispatch."   # the first kept
    for _ in range(2):
        again = gather(root)
        assert again.failures == []
        assert counts(row_of(again, "repeats")) == (0, 0, 1, 0, 0)
        assert counts(row_of(again, "teasers")) == (0, 0, 3, 0, 0)
        assert counts(row_of(again, "full")) == (0, 0, 3, 0, 0)
        stored = documents(root)
        assert all(stored[url]["text"] == ARTICLES[slug][1] for slug, url in urls.items())


# -- case 4: one bad date, page or entry fails alone ------------------------------------------------

BAD_OFFSET = "2026-11-05T10:00:00+25:00"


@pytest.fixture
def exploding(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any page or feed text holding EXPLODE raises in extraction (an unforeseen bug)."""
    extract, to_text = compintel.gather.extract_article, compintel.feeds.html_to_text

    def extract_or_explode(html: str, *args: Any, **kwargs: Any):
        if "EXPLODE" in html:
            raise RuntimeError("boom")
        return extract(html, *args, **kwargs)

    def to_text_or_explode(fragment: str) -> str:
        if "EXPLODE" in fragment:
            raise ValueError("boom")
        return to_text(fragment)

    monkeypatch.setattr(compintel.gather, "extract_article", extract_or_explode)
    monkeypatch.setattr(compintel.feeds, "html_to_text", to_text_or_explode)


def test_a_bad_date_or_a_failing_file_stops_only_itself_in_a_folder(tmp_path: Path,
                                                                    exploding: None) -> None:
    root = make_workspace(tmp_path / "ws", source_table(name="clips", kind="folder", path="clips")
                          + source_table(name="indian", kind="folder", path="indian",
                                         date_order="dmy"))
    clips, indian = root / "sources" / "clips", root / "sources" / "indian"
    clips.mkdir()
    indian.mkdir()
    pages = {"a-bad-offset": BAD_OFFSET, "b-explodes": None, "c-slashes": "2026/11/05",
             "d-plain": "2026-11-05T10:00:00+05:30"}
    for name, published in pages.items():
        text = ARTICLES["vitreon-line"][1] + (" EXPLODE" if "explodes" in name else f" {name}.")
        (clips / f"{name}.html").write_text(article_page(name, [text], published=published))
    (indian / "dated.html").write_text(article_page("Dated", [ARTICLES["kestrel-hud"][1]],
                                                    published="05/11/2026"))

    report = gather(root)
    assert counts(row_of(report, "clips")) == (3, 0, 0, 1, 0)
    assert report.failures == ["clips: file:sources/clips/b-explodes.html: cannot read: "
                               "RuntimeError: boom"]
    stored = documents(root)
    assert stored["file:sources/clips/a-bad-offset.html"]["published_at"] is None
    assert stored["file:sources/clips/c-slashes.html"]["published_at"] == "2026-11-05"
    assert stored["file:sources/clips/d-plain.html"]["published_at"] == "2026-11-05T10:00:00+05:30"
    assert stored["file:sources/indian/dated.html"]["published_at"] == "2026-11-05"


def test_a_bad_date_or_a_failing_page_stops_only_itself_in_a_listing_and_a_feed(
        local_web: LocalWeb, tmp_path: Path, exploding: None) -> None:
    text = ARTICLES["sunmarg-ground"][1]
    local_web.route("/news/bad-date", Response(body=article_page("Bad date", [text],
                                                                 published=BAD_OFFSET)))
    local_web.route("/news/explodes", Response(body=article_page("Explodes", [text + " EXPLODE"])))
    local_web.route("/news/good", Response(body=article_page("Good", [ARTICLES["kestrel-hud"][1]])))
    hrefs = ["/news/bad-date", "/news/explodes", "/news/good"]
    local_web.route("/latest", Response(body=listing_page(hrefs)))
    feed = rss([Item("Bad date", local_web.url("/feed/bad-date"), "<p>Odd date.</p>"),
                Item("Explodes", local_web.url("/feed/explodes"), "<p>EXPLODE</p>"),
                Item("Good", local_web.url("/feed/good"), "<p>Fine entry.</p>")])
    feed = feed.replace("<title>Bad date</title>",
                        f"<title>Bad date</title><pubDate>{BAD_OFFSET}</pubDate>", 1)
    local_web.route("/feed.xml", Response(body=feed, content_type=RSS_TYPE))
    root = make_workspace(tmp_path / "ws",
                          source_table(name="latest", kind="listing", url=local_web.url("/latest"))
                          + source_table(name="glassline", kind="feed",
                                         url=local_web.url("/feed.xml")))

    report = gather(root)
    assert counts(row_of(report, "latest")) == (2, 0, 0, 1, 0)
    assert counts(row_of(report, "glassline")) == (2, 0, 0, 1, 0)
    assert sorted(report.failures) == [
        f"glassline: {local_web.url('/feed/explodes')}: feed entry not read: boom",
        f"latest: {local_web.url('/news/explodes')}: cannot read: RuntimeError: boom"]
    stored = documents(root)
    assert stored[local_web.url("/news/bad-date")]["published_at"] is None
    assert stored[local_web.url("/feed/bad-date")]["published_at"] is None
    assert {local_web.url("/news/good"), local_web.url("/feed/good")} <= set(stored)


# -- case 8: local paths stay inside sources/ -------------------------------------------------------

def test_a_symlink_in_a_folder_to_a_file_outside_sources_is_not_read(tmp_path: Path) -> None:
    outside = tmp_path / "secret.txt"
    outside.write_text("SECRET outside the workspace")
    root = make_workspace(tmp_path / "ws", source_table(name="clips", kind="folder", path="clips"))
    clips = root / "sources" / "clips"
    clips.mkdir()
    (clips / "story.txt").write_text(ARTICLES["vitreon-line"][1])
    os.symlink(outside, clips / "leak.txt")

    report = gather(root)
    assert counts(row_of(report, "clips")) == (1, 0, 0, 1, 0)
    (failure,) = report.failures
    assert failure.startswith("clips: file:sources/clips/leak.txt: ")
    assert "outside the sources/ folder" in failure
    assert not any("SECRET" in doc["text"] for doc in documents(root).values())


@pytest.mark.parametrize("pattern", [None, "*/*.txt", "linked/*.txt", "**/*.txt"])
def test_a_symlinked_folder_in_a_folder_leading_outside_sources_is_not_read(
        tmp_path: Path, pattern: str | None) -> None:
    """rglob enters no symlinked folder for ``**``, but a pattern naming a folder part
    (``*/*.txt``, ``linked/*.txt``) does: its files are refused like a symlinked file."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("SECRET outside the workspace")
    options = {"pattern": pattern} if pattern else {}
    root = make_workspace(tmp_path / "ws", source_table(name="clips", kind="folder",
                                                        path="clips", **options))
    clips = root / "sources" / "clips"
    (clips / "inner").mkdir(parents=True)
    (clips / "inner" / "story.txt").write_text(ARTICLES["vitreon-line"][1])
    (clips / "linked").symlink_to(outside, target_is_directory=True)

    report = gather(root)
    assert not any("SECRET" in doc["text"] for doc in documents(root).values())
    assert all("outside the sources/ folder" in failure for failure in report.failures)
    if pattern in ("*/*.txt", "linked/*.txt"):
        (failure,) = report.failures
        assert failure.startswith("clips: file:sources/clips/linked/secret.txt: ")
    if pattern != "linked/*.txt":
        assert "file:sources/clips/inner/story.txt" in documents(root)


# -- a re-gather of unchanged local files costs a hash, not a parse ----------------------------------

def test_a_regather_of_unchanged_files_decodes_and_parses_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_workspace(tmp_path / "ws", source_table(name="clips", kind="folder", path="clips"))
    clips = root / "sources" / "clips"
    clips.mkdir()
    for index, (slug, (title, text)) in enumerate(ARTICLES.items()):
        suffix = ".html" if index % 2 == 0 else ".txt"
        body = article_page(title, [text]) if suffix == ".html" else text
        (clips / f"{slug}{suffix}").write_text(body)
    assert counts(row_of(gather(root), "clips")) == (3, 0, 0, 0, 0)

    parsed: list[str] = []
    extract, decode = compintel.gather.extract_article, compintel.encoding.decode
    monkeypatch.setattr(compintel.gather, "extract_article",
                        lambda html, *a, **k: parsed.append("extract") or extract(html, *a, **k))
    monkeypatch.setattr(compintel.encoding, "decode",
                        lambda raw, *a, **k: parsed.append("decode") or decode(raw, *a, **k))
    assert counts(row_of(gather(root), "clips")) == (0, 0, 3, 0, 0)
    assert parsed == []

    (clips / "sunmarg-ground.txt").write_text(ARTICLES["sunmarg-ground"][1] + " Updated.")
    assert counts(row_of(gather(root), "clips")) == (0, 1, 2, 0, 0)
    assert parsed == ["decode"]

    # a document gone from the store (or changed by hand) is read again
    with Workbench.open(root) as wb, wb.store.transaction() as db:
        db.execute("DELETE FROM documents WHERE url = 'file:sources/clips/kestrel-hud.html'")
    parsed.clear()
    assert counts(row_of(gather(root), "clips")) == (1, 0, 2, 0, 0)
    assert parsed == ["decode", "extract"]
    assert query(root, "SELECT count(*) AS n FROM documents")[0]["n"] == 3
