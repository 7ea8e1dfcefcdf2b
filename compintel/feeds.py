"""RSS 0.9x/1.0/2.0 and Atom feeds → entries, with an honest policy for broken feeds.

Parsing is feedparser's. Policy for input that is not well-formed XML (feedparser's *bozo*
flag; feedparser then falls back to its lenient parser):

* Benign reasons — an encoding declared one way and detected another
  (``CharacterEncodingOverride``) or a missing/odd content type — change nothing and give
  no warning.
* Otherwise the feed still yields its entries, but only those that are **complete**: closed
  by their end tag (``</item>``/``</entry>``) in the raw document, with a link or id, and with
  a title or text. Each dropped entry gets a warning naming its line, and the parse error
  itself one more: ``"line 42: not well-formed (invalid token)"``. So a feed cut off in the
  middle of an entry loses that entry, never stores it half-written as if complete.
* If nothing is left — an HTML page, garbage, a feed cut before its first entry — it is a
  :class:`FeedError` naming the line. A well-formed feed with no entries is simply empty.

:class:`FeedError` is a :class:`~compintel.errors.FetchError`: the source gave something that
is not a usable feed this time; the gatherer logs it for that source and goes on.

Entry links are canonical absolute URLs (:func:`compintel.urls.canonical_url`, resolved
against ``xml:base`` or the feed's URL); dates are ISO 8601 (:func:`~compintel.extract.iso_date`,
keeping the feed's UTC offset; ``date_order`` is the source's order of numeric dates, and
an ambiguous ``05/11/2026`` without one is no date); text is plain (:func:`~compintel.extract.html_to_text`), taken
from the full ``<content>`` when there is one, else the summary/description.

A feed with more entries than ``max_entries`` keeps that many: the newest when every entry
is dated, else the first in feed order; either way in feed order, and ``skipped`` says how
many were left out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime

import feedparser

from .errors import FetchError
from .extract import html_to_text, iso_date
from .urls import UrlError, canonical_url, is_http_url

# Bozo exceptions that say nothing about the feed's content.
BENIGN_BOZO = (feedparser.CharacterEncodingOverride, feedparser.NonXMLContentType)
_EMAIL_NAME = re.compile(r"\S+@\S+\s*\((?P<name>[^()]+)\)")
_NAME_EMAIL = re.compile(r"(?P<name>[^<>]+?)\s*<\S+@\S+>")
_NAMED_ZONE = re.compile(r"\b[A-Z]{2,5}\s*$")
_ENTRY_TAG = re.compile(rb"<(/?)(?:[A-Za-z_][\w.-]*:)?(item|entry)(?=[\s>/])")


class FeedError(FetchError):
    """The data is not a usable RSS or Atom feed; ``line`` is where the parser gave up."""

    def __init__(self, reason: str, *, url: str | None = None, line: int | None = None) -> None:
        self.line = line
        super().__init__(reason, url=url)


@dataclass(frozen=True)
class FeedEntry:
    """One item of a feed."""

    title: str | None
    link: str | None          # canonical absolute URL
    id: str | None            # guid / atom:id, else the link
    published: str | None     # ISO 8601; the updated date when no published date is given
    updated: str | None
    author: str | None
    summary: str              # plain text, paragraphs separated by a blank line
    tags: tuple[str, ...] = ()


@dataclass
class FeedParse:
    """A parsed feed: its own metadata, the entries kept, and what was wrong with it."""

    title: str | None
    link: str | None
    version: str              # feedparser's name: rss091u, rss10, rss20, atom10, …
    entries: list[FeedEntry] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    dropped: int = 0          # entries left out because the feed was broken
    failed: list[tuple[str, str]] = field(default_factory=list)  # (entry, reason) unreadable
    skipped: int = 0          # entries left out past max_entries


def parse_feed(data: bytes, url: str | None = None, *, date_order: str | None = None,
               max_entries: int | None = None) -> FeedParse:
    """Parse feed bytes (``url`` resolves relative links); see the module docstring.

    An entry that cannot be read (its text over the page budget, say) is left out and named
    in ``failed``; the other entries are kept, at most ``max_entries`` of them.
    """
    if not data or not data.strip():
        raise FeedError("empty document, not a feed", url=url)
    headers = {"content-type": "application/xml"}
    if url:
        headers["content-location"] = url
    parsed = feedparser.parse(data, response_headers=headers, sanitize_html=True,
                              resolve_relative_uris=True)
    problem = parsed.get("bozo_exception") if parsed.get("bozo") else None
    if isinstance(problem, BENIGN_BOZO):
        problem = None
    version = parsed.get("version") or ""
    raw_entries = list(parsed.get("entries") or [])
    if problem is None and not version:
        raise FeedError("not an RSS or Atom feed (no <rss>, <rdf:RDF> or <feed> root element)",
                        url=url)
    base = url or _feed_link(parsed)
    result = FeedParse(title=_text(parsed.feed.get("title_detail")), link=_feed_link(parsed),
                       version=version)
    entries = []
    for index, raw in enumerate(raw_entries):
        try:
            entries.append(_entry(raw, base, date_order))
        except (FetchError, ValueError) as exc:
            label = raw.get("link") or raw.get("id") or f"entry {index + 1}"
            result.failed.append((str(label), getattr(exc, "reason", None) or str(exc)))
    if problem is None:
        result.entries, result.skipped = _newest(entries, max_entries)
        return result

    line = _line(problem, data, parsed.get("encoding"))
    where = f"line {line}: " if line else ""
    reason = f"{where}{_message(problem)}"
    kept, dropped = _complete_entries(data, entries)
    if not kept:
        raise FeedError(f"{reason}; no complete feed entries found", url=url, line=line)
    result.entries, result.skipped = _newest(kept, max_entries)
    result.dropped = len(dropped)
    result.warnings = [reason] + dropped
    return result


def _newest(entries: list[FeedEntry], limit: int | None) -> tuple[list[FeedEntry], int]:
    """At most ``limit`` entries, in feed order: the newest if every entry is dated, else the
    first; and how many were left out."""
    if limit is None or len(entries) <= limit:
        return entries, 0
    moments = [_moment(entry.published) for entry in entries]
    if all(moment is not None for moment in moments):
        newest = sorted(range(len(entries)), key=lambda index: moments[index], reverse=True)
        chosen = sorted(newest[:limit])
    else:
        chosen = list(range(limit))
    return [entries[index] for index in chosen], len(entries) - limit


def _moment(iso: str | None) -> datetime | None:
    """An entry's ISO date as a comparable UTC moment (a date without a zone is taken as UTC)."""
    if not iso:
        return None
    try:
        moment = datetime.fromisoformat(iso)
    except ValueError:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _complete_entries(data: bytes, entries: list[FeedEntry]) -> tuple[list[FeedEntry], list[str]]:
    """The entries of a broken feed that can be trusted, and a warning for each other one."""
    closed = _closed_entries(data, len(entries))
    kept: list[FeedEntry] = []
    warnings: list[str] = []
    for index, entry in enumerate(entries):
        is_closed, line = closed[index]
        at = f"line {line}: " if line else ""
        label = f"entry {index + 1}" + (f" ({entry.title!r})" if entry.title else "")
        if not is_closed:
            warnings.append(f"{at}{label} dropped: cut off before its end tag")
        elif not (entry.link or entry.id):
            warnings.append(f"{at}{label} dropped: no link or id survived the broken markup")
        elif not (entry.title or entry.summary):
            warnings.append(f"{at}{label} dropped: no title or text survived the broken markup")
        else:
            kept.append(entry)
    return kept, warnings


def _closed_entries(data: bytes, count: int) -> list[tuple[bool, int | None]]:
    """For each of ``count`` entries: was it closed by an end tag, and its start line."""
    starts: list[int] = []
    closed: list[bool] = []
    for match in _ENTRY_TAG.finditer(data):
        if match.group(1):
            if closed and not closed[-1]:
                closed[-1] = True
        else:
            starts.append(match.start())
            closed.append(False)
    lines = [data.count(b"\n", 0, start) + 1 for start in starts]
    if len(starts) == count:
        return list(zip(closed, lines, strict=True))
    # The raw tags do not line up with the parsed entries (odd prefixes, tags in CDATA…):
    # trust all but a last entry the document ends inside.
    ends_inside = bool(closed) and not closed[-1]
    return [(not (ends_inside and index == count - 1), None) for index in range(count)]


def _entry(raw: dict, base: str | None, date_order: str | None = None) -> FeedEntry:
    link = _link(raw, base)
    # dict.get: feedparser's own get() maps a missing "updated" to "published", with a warning.
    plain = dict.get
    published = _date(plain(raw, "published") or plain(raw, "created"),
                      plain(raw, "published_parsed") or plain(raw, "created_parsed"), date_order)
    updated = _date(plain(raw, "updated"), plain(raw, "updated_parsed"), date_order)
    entry_id = raw.get("id") or raw.get("guid") or link
    tags = tuple(tag.get("term") for tag in raw.get("tags") or [] if tag.get("term"))
    return FeedEntry(title=_text(raw.get("title_detail")), link=link,
                     id=str(entry_id).strip() if entry_id else None,
                     published=published or updated, updated=updated,
                     author=_author(raw), summary=_summary(raw), tags=tags)


def _link(raw: dict, base: str | None) -> str | None:
    candidates = [link.get("href") for link in raw.get("links") or []
                  if link.get("rel", "alternate") == "alternate"]
    candidates.append(raw.get("link"))
    guid = raw.get("id")
    if guid and raw.get("guidislink"):
        candidates.append(guid)
    for candidate in candidates:
        if not candidate:
            continue
        try:
            absolute = canonical_url(candidate, base)
        except UrlError:
            continue
        if is_http_url(absolute):
            return absolute
    return None


def _summary(raw: dict) -> str:
    details = [content for content in raw.get("content") or [] if content.get("value")]
    if raw.get("summary_detail"):
        details.append(raw["summary_detail"])
    for detail in details:
        text = _text(detail)
        if text:
            return text
    return ""


def _text(detail: dict | None) -> str | None:
    """Plain text of a feedparser text construct, HTML or not."""
    if not detail or not detail.get("value"):
        return None
    value = detail["value"]
    kind = (detail.get("type") or "").lower()
    if "html" in kind:
        return html_to_text(value) or None
    return "\n\n".join(p.strip() for p in re.split(r"\n\s*\n", value) if p.strip()) or None


def _author(raw: dict) -> str | None:
    # RSS <author> is "email (Name)"; feedparser's split of it fails on long TLDs, so the
    # raw string is read here. Atom and dc:creator give plain names.
    names = [author.get("name") for author in raw.get("authors") or [] if author.get("name")]
    if len(names) < 2:
        names = [raw["author"]] if raw.get("author") else []
    cleaned = []
    for name in names:
        name = " ".join(str(name).split())
        match = _EMAIL_NAME.fullmatch(name) or _NAME_EMAIL.fullmatch(name)
        cleaned.append(match.group("name").strip() if match else name)
    return ", ".join(name for name in cleaned if name) or None


def _date(value: str | None, parsed_utc: object, date_order: str | None = None) -> str | None:
    """The feed's date with its own UTC offset; feedparser's UTC reading of a zone name."""
    text = iso_date(value, date_order) if value else None
    if text and not (parsed_utc and _NAMED_ZONE.search(value or "") and _is_naive(text)):
        return text
    # A zone name dateutil does not know (EDT, CEST…): feedparser does, and gives UTC. Only
    # then: a date iso_date refused (impossible, or day and month ambiguous) stays unknown.
    if parsed_utc and _NAMED_ZONE.search(value or ""):
        try:
            return datetime(*parsed_utc[:6], tzinfo=UTC).isoformat()  # type: ignore[index]
        except (TypeError, ValueError):
            return None
    return None


def _is_naive(iso: str) -> bool:
    return "T" in iso and not re.search(r"(Z|[+-]\d\d:\d\d)$", iso)


def _feed_link(parsed: dict) -> str | None:
    link = parsed.get("feed", {}).get("link")
    return link if link and is_http_url(link) else None


def _line(problem: BaseException, data: bytes, encoding: str | None) -> int | None:
    get_line = getattr(problem, "getLineNumber", None)
    try:
        line = int(get_line()) if get_line else None
    except (TypeError, ValueError):
        return None
    # feedparser puts an XML declaration and a newline before a document without one.
    try:
        head = data[:200].decode(encoding or "utf-8", errors="ignore").lstrip("\ufeff")
    except LookupError:
        head = ""
    if line and line > 1 and not head.startswith("<?xml"):
        line -= 1
    return line


def _message(problem: BaseException) -> str:
    get_message = getattr(problem, "getMessage", None)
    message = get_message() if get_message else str(problem)
    return str(message).strip() or type(problem).__name__
