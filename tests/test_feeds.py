"""Feeds: RSS 0.91, RSS 1.0, RSS 2.0 and Atom; the policy for broken and truncated feeds."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from compintel.errors import FetchError
from compintel.feeds import FeedError, parse_feed

FEEDS = Path(__file__).parent / "data" / "feeds"
pytestmark = pytest.mark.filterwarnings(
    "error:To avoid breaking existing software:DeprecationWarning")
AGD_FEED = "https://autoglass-daily.example/feed.xml"


def feed(name: str) -> bytes:
    return (FEEDS / name).read_bytes()


def test_rss091() -> None:
    parsed = parse_feed(feed("rss091.xml"), "https://glasstrade.example/rss091.xml")
    assert parsed.version.startswith("rss091")
    assert parsed.title == "Glass Trade Bulletin" and parsed.warnings == []
    first, second = parsed.entries
    assert first.title == "Sunmarg plans second tempering furnace"
    assert first.link == "https://glasstrade.example/2026/03/sunmarg-second-furnace.html"
    assert first.id == first.link  # no guid in RSS 0.91: the link is the id
    assert "Café talk" in first.summary  # ISO-8859-1 byte decoded
    assert first.published is None and first.author is None
    assert second.summary.startswith("Clarity Glassworks has moved its Ghiloth dispatch")


def test_rss10_rdf() -> None:
    parsed = parse_feed(feed("rss10.rdf"))
    assert parsed.version == "rss10" and parsed.title == "OEM Watch"
    koru, aarohi = parsed.entries
    assert koru.link == "https://oemwatch.example/story/navika-koru-facelift"  # utm_* dropped
    assert koru.id == "https://oemwatch.example/story/navika-koru-facelift"
    assert koru.published == "2026-06-18T10:15:00+05:30"  # dc:date, offset kept
    assert koru.author == "Staff Reporter"
    # content:encoded is preferred over the teaser in <description>
    assert koru.summary == ("Navika Motors is preparing a facelift of the Koru SUV at its Ambeli "
                            "plant.\n\nSuppliers have been asked to quote for revised backlites "
                            "and a larger sunroof panel.")
    assert aarohi.published == "2026-05-21" and aarohi.author == "A. Menon"


def test_rss20() -> None:
    parsed = parse_feed(feed("rss20.xml"), AGD_FEED)
    assert parsed.version == "rss20" and parsed.link == "https://autoglass-daily.example/"
    assert parsed.warnings == [] and parsed.dropped == 0
    vitreon, kestrel, dhruva = parsed.entries
    assert vitreon.link == "https://autoglass-daily.example/news/vitreon-acoustic-windshield"
    assert vitreon.id == "agd-2026-0514-01"
    assert vitreon.published == "2026-05-14T09:30:00+05:30"
    assert vitreon.author == "Rhea Kulkarni" and vitreon.tags == ("Technology",)
    assert vitreon.summary == ("Vitreon Auto Glass displayed an acoustic laminated windshield at "
                               "Navika Motors' technology day.\n\nEngineers asked about weight "
                               "& cost.")
    assert "trackView" not in vitreon.summary and "steal" not in vitreon.summary
    # relative link resolved against the feed's URL; "email (Name)" author
    assert kestrel.link == "https://autoglass-daily.example/news/kestrel-sunroof-line-oragadam"
    assert kestrel.author == "News Desk"
    assert kestrel.published == "2026-06-01T07:00:00+00:00"
    assert kestrel.summary.startswith("Kestrel Safety Glass will install a sunroof glass")
    assert "Teaser" not in kestrel.summary
    assert dhruva.id == dhruva.link and dhruva.summary.endswith("& their logistics partners.")


def test_atom() -> None:
    parsed = parse_feed(feed("atom.xml"))
    assert parsed.version == "atom10"
    ground, collab = parsed.entries
    assert ground.link == ("https://newsroom.sunmarg.example/press/2026/"
                           "tempered-line-sagarpet")  # xml:base
    assert ground.id == "tag:newsroom.sunmarg.example,2026:press-17"
    assert ground.published == "2026-09-02T10:00:00+05:30"
    assert ground.updated == "2026-09-02T12:00:00+05:30"
    assert ground.author == "Priya Natarajan"
    assert ground.summary == ("Sunmarg Safety Glass has started work on a tempered glass line "
                              "near Sagarpet with a planned capacity of 1.2 million sets a year."
                              "\n\nTrial production is planned for the second half of 2027.")
    assert collab.title == "Technical collaboration with Aravali Interlayers & partners"
    assert collab.published == collab.updated == "2026-08-11T09:00:00+00:00"  # updated only
    assert collab.summary.endswith("\n\nFirst samples are due in the winter.")


def test_unescaped_ampersand_keeps_complete_entries_with_a_line_warning() -> None:
    parsed = parse_feed(feed("malformed_ampersand.xml"), AGD_FEED)
    assert parsed.warnings == ["line 33: not well-formed (invalid token)"]
    assert parsed.dropped == 0 and len(parsed.entries) == 3
    dhruva = parsed.entries[2]
    assert dhruva.title == "Dhruva & Clarity: suppliers asked for weekly OTIF reports"
    assert dhruva.link == "https://autoglass-daily.example/news/dhruva-weekly-otif?id=7"
    assert parsed.entries[:2] == parse_feed(feed("rss20.xml"), AGD_FEED).entries[:2]


def test_broken_tag_drops_the_damaged_entry_and_says_where() -> None:
    parsed = parse_feed(feed("malformed_tag.xml"), AGD_FEED)
    assert [entry.title for entry in parsed.entries] == [
        "Vitreon shows acoustic windshield to Navika engineers",
        "Dhruva asks suppliers for weekly OTIF reports"]
    assert parsed.dropped == 1
    assert parsed.warnings[0] == "line 23: mismatched tag"
    assert parsed.warnings[1].startswith("line 22: entry 2")
    assert "no link or id" in parsed.warnings[1]


def test_truncated_feed_never_yields_the_half_entry() -> None:
    parsed = parse_feed(feed("truncated.xml"), AGD_FEED)
    assert [entry.title for entry in parsed.entries] == [
        "Vitreon shows acoustic windshield to Navika engineers",
        "Kestrel to add a sunroof glass line at Oragadam"]
    assert parsed.dropped == 1
    assert parsed.warnings[0] == "line 36: no element found"
    assert re.match(r"line 32: entry 3 \('Dhruva asks.*'\) dropped: cut off", parsed.warnings[1])


def test_every_cut_of_a_feed_gives_only_whole_entries() -> None:
    data = feed("rss20.xml")
    full = parse_feed(data, AGD_FEED).entries
    first_end = data.index(b"</item>") + len(b"</item>")
    seen_partial_counts = set()
    for cut in range(first_end, len(data), 7):
        parsed = parse_feed(data[:cut], AGD_FEED)
        assert parsed.entries == full[:len(parsed.entries)], f"cut at byte {cut}"
        seen_partial_counts.add(len(parsed.entries))
        closed = data[:cut].count(b"</item>")
        assert len(parsed.entries) == closed, f"cut at byte {cut}"
    assert seen_partial_counts == {1, 2, 3}


def test_feed_cut_before_any_entry_is_an_error_with_a_line() -> None:
    data = feed("rss20.xml")
    with pytest.raises(FeedError) as info:
        parse_feed(data[:data.index(b"<title>Vitreon")], AGD_FEED)
    assert info.value.line == 14
    assert str(info.value).startswith(AGD_FEED + ": line 14: ")


@pytest.mark.parametrize("data,message", [
    (b"<!DOCTYPE html><html><body><p>Sign in<br></p></body></html>", "line 1: mismatched tag"),
    (b"<html><body><p>A well-formed page</p></body></html>", "not an RSS or Atom feed"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not well-formed"),
    (b"", "empty document"),
    (b"   \n", "empty document"),
])
def test_not_a_feed_is_a_feed_error(data: bytes, message: str) -> None:
    with pytest.raises(FeedError, match=re.escape(message)) as info:
        parse_feed(data, "https://x.example/feed")
    assert isinstance(info.value, FetchError)
    assert info.value.url == "https://x.example/feed"


def test_well_formed_feed_without_entries_is_empty_not_an_error() -> None:
    data = (b'<?xml version="1.0"?><rss version="2.0"><channel><title>Quiet week</title>'
            b"<link>https://x.example/</link><description>d</description></channel></rss>")
    parsed = parse_feed(data)
    assert parsed.entries == [] and parsed.warnings == [] and parsed.title == "Quiet week"


def test_encoding_override_is_benign() -> None:
    # Declared UTF-8, written in Windows-1252: feedparser re-decodes and flags it.
    data = feed("rss091.xml").replace(b"ISO-8859-1", b"utf-8")
    parsed = parse_feed(data)
    assert parsed.warnings == [] and len(parsed.entries) == 2
    assert "Café talk" in parsed.entries[0].summary


def test_named_time_zone_unknown_to_dateutil_uses_feedparser_utc() -> None:
    data = (b'<rss version="2.0"><channel><title>t</title><item><title>x</title>'
            b"<link>https://x.example/a</link><pubDate>Thu, 14 May 2026 09:30:00 EDT</pubDate>"
            b"</item></channel></rss>")
    assert parse_feed(data).entries[0].published == "2026-05-14T13:30:00+00:00"
