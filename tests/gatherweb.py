"""Helpers for gather tests and the gather benchmark: workspaces, article pages, feeds.

Every story here is invented and concerns only the fictional demo companies.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from html import escape
from pathlib import Path

from localweb import ALLOW_LOCAL

from compintel.workspace import init_workspace

# Fast and quiet HTTP for a local server: no pacing, short timeouts, quick retries.
FAST_HTTP = {"min_host_interval": 0.0, "connect_timeout": 2.0, "read_timeout": 5.0,
             "retries": 2, "backoff_factor": 0.01, "allow_private": list(ALLOW_LOCAL)}

# Page furniture an extractor must drop; each line holds a marker word a test looks for.
NAV = "Home · Markets · Suppliers · NAVMARKER"
COOKIE = "We use cookies to improve this site. COOKIEMARKER Accept all"
RELATED = "Related: RELATEDMARKER Ten things about tempered glass"
FOOTER = "© Glassline Weekly FOOTERMARKER · Terms · Privacy"
BOILERPLATE_MARKERS = ("NAVMARKER", "COOKIEMARKER", "RELATEDMARKER", "FOOTERMARKER")


def _toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(item) for item in value) + "]"
    return repr(value)


def source_table(**keys: object) -> str:
    """One ``[[source]]`` table with the given keys."""
    lines = ["[[source]]"] + [f"{key} = {_toml_value(value)}" for key, value in keys.items()]
    return "\n".join(lines) + "\n\n"


def make_workspace(root: Path, sources: str, **http: object) -> Path:
    """A fresh workspace at ``root`` with ``sources`` as sources.toml and fast HTTP settings."""
    init_workspace(root)
    settings = {**FAST_HTTP, **http}
    config = "[workspace]\nname = \"gather test\"\n\n[http]\n" + "".join(
        f"{key} = {_toml_value(value)}\n" for key, value in settings.items())
    (root / "compintel.toml").write_text(config, encoding="utf-8")
    (root / "sources" / "sources.toml").write_text(sources, encoding="utf-8")
    return root


# -- pages -------------------------------------------------------------------------------

def article_page(title: str, paragraphs: Sequence[str], *, author: str | None = None,
                 published: str | None = None, site: str = "Glassline Weekly",
                 menu: int = 0) -> str:
    """An article page wrapped in navigation, a cookie banner, a related box and a footer.

    ``menu`` adds that many links to the navigation and to the related box, as big sites have.
    """
    meta = f'<meta property="og:title" content="{escape(title)}">'
    links = "".join(f"<li><a href='/section/{i}'>Section {i}</a></li>" for i in range(menu))
    if author:
        meta += f'<meta name="author" content="{escape(author)}">'
    if published:
        meta += f'<meta property="article:published_time" content="{published}">'
    body = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    return (f"<!doctype html><html><head><title>{escape(title)} | {site}</title>{meta}</head>"
            f"<body><header><nav><a href='/'>{NAV}</a><ul>{links}</ul></nav></header>"
            f"<div class='cookie-banner'><p>{COOKIE}</p></div>"
            f"<main><article><h1>{escape(title)}</h1>{body}</article>"
            f"<aside class='related'><p>{RELATED}</p><ul>{links}</ul></aside></main>"
            f"<footer><p>{FOOTER}</p></footer></body></html>")


def listing_page(hrefs: Iterable[str], *, nav_hrefs: Iterable[str] = ()) -> str:
    """A listing page: ``hrefs`` in its main list, ``nav_hrefs`` in its navigation."""
    nav = "".join(f"<a href='{escape(h)}'>section</a>" for h in nav_hrefs)
    items = "".join(f"<li><a href='{escape(h)}'>Story {i}</a></li>"
                    for i, h in enumerate(hrefs, 1))
    return (f"<!doctype html><html><head><title>Latest</title></head><body>"
            f"<nav>{nav}</nav><main><h1>Latest news</h1><ul>{items}</ul></main>"
            f"<footer><a href='/about'>About us</a></footer></body></html>")


# -- feeds -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Item:
    """One RSS item."""

    title: str
    link: str
    text: str
    author: str | None = None       # RSS style: "desk@example.com (Name)"
    published: datetime | None = None
    guid: str | None = None


def rss_item(item: Item) -> str:
    parts = [f"<title>{escape(item.title)}</title>", f"<link>{escape(item.link)}</link>",
             f"<description>{escape(item.text)}</description>"]
    if item.guid:
        parts.append(f'<guid isPermaLink="false">{escape(item.guid)}</guid>')
    if item.author:
        parts.append(f"<author>{escape(item.author)}</author>")
    if item.published:
        parts.append(f"<pubDate>{format_datetime(item.published)}</pubDate>")
    return "    <item>\n      " + "\n      ".join(parts) + "\n    </item>\n"


def rss(items: Iterable[Item], *, title: str = "Glassline Weekly",
        link: str = "http://glassline.example/") -> str:
    """An RSS 2.0 document, one element per line (so parse errors have useful lines)."""
    return ('<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0">\n  <channel>\n'
            f"    <title>{escape(title)}</title>\n    <link>{escape(link)}</link>\n"
            "    <description>Invented trade news</description>\n"
            + "".join(rss_item(item) for item in items) + "  </channel>\n</rss>\n")


def when(day: int, hour: int = 9) -> datetime:
    return datetime(2026, 5, day, hour, 30, tzinfo=UTC)


# -- generated text (benchmark, many-page tests) -------------------------------------------

_SUBJECTS = ("Kestrel", "Vitreon", "Clarity Glassworks", "Sunmarg", "Navika Motors",
             "Dhruva Automobiles", "Meridian Mobility", "The plant team", "A purchase manager",
             "The quality head", "A line supervisor", "The logistics desk")
_VERBS = ("reviewed", "quoted for", "shipped", "inspected", "rejected", "approved", "delayed",
          "expanded", "audited", "re-tooled", "priced", "sampled", "scheduled", "trialled")
_OBJECTS = ("laminated windshields", "tempered sidelites", "a sunroof panel", "backlite glass",
            "the acoustic interlayer", "a new furnace line", "the bending moulds",
            "heated rear glass", "the HUD-ready windshield", "encapsulated quarter glass",
            "the dispatch schedule", "ceramic frit printing", "the PPM report", "cullet stock")
_TAILS = ("before the next build phase", "for the coming quarter", "at the Kesarpur plant",
          "after a supplier review", "ahead of the model launch", "under a revised price",
          "with two weeks of buffer stock", "following customer feedback",
          "during the monthly meeting", "at a lower reject rate", "for the export variant")


def generated_paragraphs(seed: int, size: int) -> list[str]:
    """About ``size`` characters of invented, varied sentences (same seed, same text)."""
    rng = random.Random(seed)
    paragraphs: list[str] = []
    total = 0
    while total < size:
        sentences = []
        for _ in range(rng.randint(4, 8)):
            number = rng.randint(2, 9_000)
            sentences.append(f"{rng.choice(_SUBJECTS)} {rng.choice(_VERBS)} "
                             f"{rng.choice(_OBJECTS)} {rng.choice(_TAILS)}, "
                             f"lot {seed}-{number}.")
        paragraph = " ".join(sentences)
        paragraphs.append(paragraph)
        total += len(paragraph) + 7
    return paragraphs
