"""The gather stage: feeds, pages, listing pages and local folders into the store.

Each document is stored in its own short transaction together with the HTTP validators that
fetched it and its gather-log line, so a crash or a kill leaves the store consistent and the
next run simply completes the work. One source failing never stops the others, and within a
source one page, feed entry or file failing never stops the rest: each failure names its URL
or file. Unchanged web pages cost a conditional GET (304, no body); unchanged local files cost
a hash of their raw bytes (no decoding, no parsing). Text only improves: a feed's teaser never
replaces the article stored for its URL (:func:`~compintel.documents.upsert_document`), and a
304 for a page whose stored text is not the one last fetched fetches it again.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from tqdm import tqdm

from . import dedupe
from .documents import CHANGED, NEW, UNCHANGED, DocumentIn, upsert_document
from .errors import FetchError, UserError
from .extract import extract_article, page_links
from .feeds import FeedParse, parse_feed
from .sources import Source, SourceSet, register_sources
from .store import Store, utcnow
from .urls import canonical_url, is_http_url
from .web import FEED_TYPES, HTML_TYPES, Fetcher, RobotsDisallowed
from .workspace import Workspace

FAILED, ROBOTS = "failed", "robots"
LOCAL_DOCUMENT_SUFFIXES = (".html", ".htm", ".txt", ".md")
TEXT_TYPES = frozenset({"text/plain", "text/markdown"})


@dataclass
class SourceOutcome:
    source: str
    kind: str
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    failed: int = 0
    robots: int = 0
    notes: list[str] = field(default_factory=list)

    def count(self, outcome: str) -> None:
        setattr(self, outcome, getattr(self, outcome) + 1)

    def row(self) -> dict[str, Any]:
        return {"source": self.source, "kind": self.kind, "new": self.new, "changed": self.changed,
                "unchanged": self.unchanged, "failed": self.failed, "robots": self.robots,
                "note": "; ".join(dict.fromkeys(self.notes))[:120]}


@dataclass
class GatherReport:
    outcomes: list[SourceOutcome] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)      # source definitions that were skipped
    failures: list[str] = field(default_factory=list)    # "source: url: reason"

    @property
    def rows(self) -> list[dict[str, Any]]:
        return [outcome.row() for outcome in self.outcomes]


# -- runs -----------------------------------------------------------------------------------

def _pid_alive(pid: int | None) -> bool:
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def start_run(store: Store) -> int:
    """Record a run; runs left 'running' by a dead process become 'interrupted'."""
    with store.transaction() as db:
        for row in db.execute("SELECT id, pid FROM gather_runs WHERE status = 'running'").fetchall():
            if not _pid_alive(row["pid"]):
                db.execute("UPDATE gather_runs SET status = 'interrupted', finished_at = ? WHERE id = ?",
                           (utcnow(), row["id"]))
        return db.execute("INSERT INTO gather_runs (started_at, status, pid) VALUES (?, 'running', ?)",
                          (utcnow(), os.getpid())).lastrowid


def finish_run(store: Store, run_id: int, status: str) -> None:
    """Close the run and forget older finished runs (the log keeps the latest per URL)."""
    with store.transaction() as db:
        db.execute("UPDATE gather_runs SET status = ?, finished_at = ? WHERE id = ?",
                   (status, utcnow(), run_id))
        db.execute("DELETE FROM gather_runs WHERE id < ? AND status != 'running'", (run_id,))


def log(db: Any, run_id: int, source: str, url: str, outcome: str, reason: str | None = None) -> None:
    db.execute(
        "INSERT INTO gather_log (run_id, source_id, url, outcome, reason, at) VALUES (?, ?, ?, ?, ?, ?) "
        "ON CONFLICT(source_id, url) DO UPDATE SET run_id = excluded.run_id, outcome = excluded.outcome, "
        "reason = excluded.reason, at = excluded.at",
        (run_id, source, url, outcome, reason, utcnow()))


# -- storing --------------------------------------------------------------------------------

def group_story(db: Any, document_id: int, text: str, threshold: float) -> int:
    """Put a new or changed document into its story group; returns the story id."""
    signature = dedupe.signature(text)
    keys = dedupe.band_keys(signature)
    db.execute("DELETE FROM document_bands WHERE document_id = ?", (document_id,))
    story = document_id
    if keys:
        marks = ",".join("?" * len(keys))
        # a candidate shares at least MIN_SHARED_BANDS bands (dedupe.py: one shared band is
        # mostly boilerplate; copies share many)
        candidates = db.execute(
            f"SELECT d.id, d.minhash, COALESCE(d.story_id, d.id) AS story FROM "
            f"(SELECT document_id FROM document_bands WHERE band_key IN ({marks}) AND document_id != ? "
            f"GROUP BY document_id HAVING COUNT(*) >= ?) c JOIN documents d ON d.id = c.document_id "
            f"ORDER BY d.id", (*keys, document_id, dedupe.MIN_SHARED_BANDS)).fetchall()
        for candidate in candidates:
            if candidate["minhash"] is None:
                continue
            other = dedupe.signature_from_bytes(candidate["minhash"])
            if dedupe.is_near_duplicate(signature, other, threshold):
                story = min(story, candidate["story"])
        db.executemany("INSERT OR IGNORE INTO document_bands (band_key, document_id) VALUES (?, ?)",
                       [(key, document_id) for key in keys])
    db.execute("UPDATE documents SET minhash = ?, story_id = ? WHERE id = ?",
               (dedupe.signature_to_bytes(signature), story, document_id))
    return story


class Collector:
    """Gathers one source."""

    def __init__(self, store: Store, workspace: Workspace, fetcher: Fetcher, source: Source,
                 run_id: int, progress: bool) -> None:
        self.store = store
        self.workspace = workspace
        self.fetcher = fetcher
        self.source = source
        self.run_id = run_id
        self.settings = workspace.settings.gather
        self.outcome = SourceOutcome(source.name, source.kind)
        self.failures: list[str] = []
        self.progress = progress

    # one document, one transaction
    def store_document(self, document: DocumentIn, *, cache_url: str | None = None,
                       etag: str | None = None, last_modified: str | None = None,
                       links: list[str] | None = None) -> str:
        with self.store.transaction() as db:
            document_id, outcome = upsert_document(db, document)
            if outcome in (NEW, CHANGED):
                group_story(db, document_id, document.text, self.settings.near_duplicate_threshold)
            if cache_url is not None:
                self._remember(db, cache_url, etag, last_modified, document.content_hash, links)
            log(db, self.run_id, self.source.name, document.url, outcome)
        self.outcome.count(outcome)
        return outcome

    def _remember(self, db: Any, url: str, etag: str | None, last_modified: str | None,
                  digest: str | None, links: list[str] | None) -> None:
        db.execute(
            "INSERT INTO http_cache (url, etag, last_modified, content_hash, links, fetched_at) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(url) DO UPDATE SET etag = excluded.etag, "
            "last_modified = excluded.last_modified, content_hash = excluded.content_hash, "
            "links = COALESCE(excluded.links, http_cache.links), fetched_at = excluded.fetched_at",
            (url, etag, last_modified, digest, json.dumps(links) if links is not None else None,
             utcnow()))

    def fail(self, url: str, reason: str, outcome: str = FAILED) -> None:
        with self.store.transaction() as db:
            log(db, self.run_id, self.source.name, url, outcome, reason)
        self.outcome.count(outcome)
        if outcome == FAILED:
            self.failures.append(f"{self.source.name}: {url}: {reason}")

    def unchanged(self, url: str) -> None:
        with self.store.transaction() as db:
            log(db, self.run_id, self.source.name, url, UNCHANGED)
        self.outcome.count(UNCHANGED)

    # web -------------------------------------------------------------------------
    def cached(self, url: str) -> Any:
        rows = self.store.query("SELECT * FROM http_cache WHERE url = ?", (url,))
        return rows[0] if rows else None

    def fetch(self, url: str, accept: frozenset[str] | set[str], conditional: bool = True):
        """A conditional GET (unless ``conditional`` is off): ``not_modified`` on a 304."""
        cache = self.cached(url) if conditional else None
        has_document = cache is not None and cache["content_hash"] is not None
        result = self.fetcher.fetch(url, etag=cache["etag"] if has_document else None,
                                    last_modified=cache["last_modified"] if has_document else None,
                                    accept=accept)
        self.outcome.notes.extend(result.notes)
        return result

    def guarded(self, url: str, action: Callable[[], None]) -> None:
        """Run one fetch-and-store step; a failure is logged and the source goes on."""
        try:
            action()
        except RobotsDisallowed as exc:
            self.fail(url, exc.reason, ROBOTS)
        except FetchError as exc:
            self.fail(url, exc.reason)
        except UserError as exc:
            self.fail(url, exc.format())
        except sqlite3.Error:
            raise  # the store itself: nothing can be logged, stop
        except Exception as exc:  # noqa: BLE001 - hostile input must fail one item, not the source
            self.fail(url, f"cannot read: {type(exc).__name__}: {exc}")

    @property
    def date_order(self) -> str | None:
        return self.source.options.get("date_order")

    def page(self, url: str, kind: str = "article",
             follow: tuple[list[str], str | None, int] | None = None) -> list[str]:
        """Fetch and store one page; with ``follow`` (hosts, pattern, limit), return its links."""
        canonical = canonical_url(url)
        result = self.fetch(canonical, HTML_TYPES | TEXT_TYPES)
        if result.not_modified and not self.stored_as_fetched(canonical):
            # the stored text is not what this page gave last time (or is gone): fetch it whole
            result = self.fetch(canonical, HTML_TYPES | TEXT_TYPES, conditional=False)
        if result.not_modified:
            self.unchanged(canonical)
            cache = self.cached(canonical)
            return json.loads(cache["links"] or "[]") if follow and cache else []
        links: list[str] = []
        if result.content_type in TEXT_TYPES:
            text, title, author, published = result.text().strip(), None, None, None
        else:
            html = result.text()
            article = extract_article(html, result.final_url, date_order=self.date_order)
            text, title, author, published = (article.text, article.title, article.author,
                                              article.published_at)
            if follow:
                hosts, pattern, limit = follow
                links = page_links(html, result.final_url, allowed_hosts=hosts,
                                   pattern=re.compile(pattern) if pattern else None, limit=limit)
        if not text.strip():
            self.fail(canonical, "no article text found on the page")
            return links
        self.store_document(
            DocumentIn(url=canonical, kind=kind, text=text, title=title, author=author,
                       published_at=published, source_id=self.source.name),
            cache_url=canonical, etag=result.etag, last_modified=result.last_modified,
            links=links if follow else None)
        return links

    def stored_as_fetched(self, url: str) -> bool:
        """True if the document stored for ``url`` holds the text its last fetch gave."""
        rows = self.store.query(
            "SELECT d.content_hash = c.content_hash AS same FROM http_cache c "
            "JOIN documents d ON d.url = c.url WHERE c.url = ?", (url,))
        return bool(rows and rows[0]["same"])

    def feed_entries(self, parsed: FeedParse) -> None:
        if parsed.skipped:
            kept = len(parsed.entries)
            self.outcome.notes.append(f"stopped early: read {kept} of {kept + parsed.skipped} "
                                      f"entries (max_feed_entries = {self.max_entries})")
        for warning in parsed.warnings:
            self.outcome.notes.append(warning)
        for label, reason in parsed.failed:
            self.fail(label, f"feed entry not read: {reason}")
        if parsed.dropped:
            # logged against the feed, so `compintel status` shows it as the last failure
            self.fail(self.source.location,
                      f"{parsed.dropped} incomplete entries dropped from a malformed feed "
                      f"({'; '.join(parsed.warnings)[:160]})")
            self.outcome.failed += parsed.dropped - 1
        seen: set[str] = set()
        for entry in tqdm(parsed.entries, desc=self.source.name, unit="entry", leave=False,
                          disable=not self.progress):
            label = entry.link or entry.id or f"{self.source.location}#{entry.title or 'untitled'}"
            self.guarded(label, lambda entry=entry: self.feed_entry(entry, seen))

    def feed_entry(self, entry, seen: set[str]) -> None:
        """Store one entry (or its article); a second entry with a key seen before is skipped."""
        if self.source.options.get("fetch_articles") and entry.link:
            if entry.link not in seen:
                seen.add(entry.link)
                self.page(entry.link, "article")
            return
        text = entry.summary.strip()
        if not text and not entry.title:
            return
        key = self.entry_key(entry)
        if key is None:
            self.fail(f"{self.source.location}#{entry.title or 'untitled'}",
                      f"entry {entry.title or '(untitled)'!r} has no usable link or id")
            return
        if key in seen:
            # a repeated guid or link: the feed's first (newest) entry is the one kept, so a
            # re-run finds it unchanged instead of swapping the two texts every time
            self.outcome.notes.append(f"duplicate entry {key} skipped")
            return
        seen.add(key)
        document = DocumentIn(url=key, kind="feed_entry", text=text or (entry.title or ""),
                              title=entry.title, author=entry.author,
                              published_at=entry.published, source_id=self.source.name)
        self.store_document(document)

    def entry_key(self, entry) -> str | None:
        """A feed entry's store key: its canonical link, else its id within this feed."""
        if entry.link:
            try:
                return canonical_url(entry.link)
            except ValueError:
                self.fail(entry.link, "the entry's link is not a valid URL")
                return None
        if entry.id:
            # a guid that is no link ("1", "story-7") only means something within its own feed
            if is_http_url(entry.id):
                try:
                    return canonical_url(entry.id)
                except ValueError:
                    pass
            return f"feed:{self.source.name}:{entry.id}"
        return None

    # kinds -----------------------------------------------------------------------
    def run(self) -> SourceOutcome:
        source = self.source
        handler = {"feed": self.gather_feed, "page": self.gather_page,
                   "listing": self.gather_listing, "folder": self.gather_folder}[source.kind]
        try:
            handler()
        except RobotsDisallowed as exc:
            self.fail(source.location, exc.reason, ROBOTS)
        except FetchError as exc:
            self.fail(source.location, exc.reason)
        except OSError as exc:
            self.fail(source.location, f"cannot read: {exc.strerror or exc}")
        except (UserError, ValueError) as exc:
            # bad data inside one source (an unparseable URL, a malformed pattern) stops only it
            self.fail(source.location, exc.format() if isinstance(exc, UserError) else str(exc))
        return self.outcome

    def gather_feed(self) -> None:
        source = self.source
        if source.url:
            url = canonical_url(source.url)
            articles = bool(source.options.get("fetch_articles"))
            cache = self.cached(url)
            # A feed cached without its entry links cannot name its articles on a 304.
            known = not articles or (cache is not None and cache["links"] is not None)
            result = self.fetch(url, FEED_TYPES | HTML_TYPES | {"text/plain"}, conditional=known)
            if result.not_modified:
                self.unchanged(url)
                if articles:
                    # An unchanged feed still revalidates its articles, as a listing does, so
                    # an article that failed last time is retried and a corrected one updated.
                    for link in json.loads(cache["links"]):
                        self.guarded(link, lambda link=link: self.page(link, "article"))
                return
            parsed = parse_feed(result.body, result.final_url, date_order=self.date_order,
                                max_entries=self.max_entries)
            self.feed_entries(parsed)
            links = list(dict.fromkeys(entry.link for entry in parsed.entries if entry.link))
            with self.store.transaction() as db:
                self._remember(db, url, result.etag, result.last_modified, "feed", links)
        else:
            path = source.path
            parsed = parse_feed(self.inside_sources(path).read_bytes(), None,
                                date_order=self.date_order, max_entries=self.max_entries)
            self.feed_entries(parsed)

    @property
    def max_entries(self) -> int:
        return self.settings.max_feed_entries

    def gather_page(self) -> None:
        source = self.source
        if source.url:
            self.page(source.url, "page")
        else:
            self.local_file(self.inside_sources(source.path))

    def gather_listing(self) -> None:
        source = self.source
        options = source.options
        max_links = int(options.get("max_links", self.settings.listing_max_links))
        max_depth = int(options.get("max_depth", self.settings.listing_max_depth))
        pattern = options.get("link_pattern")
        if source.url is None:
            raise FetchError("a listing source needs a url", url=str(source.path))
        start = canonical_url(source.url)
        hosts = options.get("hosts") or [urlsplit(start).hostname or ""]
        seen = {start}
        links = self.listing_links(start, hosts, pattern, max_links)
        followed = 0
        for depth in range(1, max_depth + 1):
            # the pages of this level; their own links make the next level (max_depth > 1)
            follow = (hosts, pattern, max_links) if depth < max_depth else None
            next_links: list[str] = []
            for link in tqdm(links, desc=source.name, unit="page", leave=False,
                             disable=not self.progress):
                if link in seen or followed >= max_links:
                    continue
                seen.add(link)
                followed += 1
                found: list[str] = []
                self.guarded(link, lambda link=link, found=found, follow=follow: found.extend(
                    self.page(link, "article", follow)))
                next_links.extend(found)
            links = next_links

    def listing_links(self, url: str, hosts: list[str], pattern: str | None, limit: int) -> list[str]:
        """The article links of a listing page; a 304 reuses the links found last time."""
        try:
            result = self.fetch(url, HTML_TYPES)
        except RobotsDisallowed as exc:
            self.fail(url, exc.reason, ROBOTS)
            return []
        except FetchError as exc:
            self.fail(url, exc.reason)
            return []
        if result.not_modified:
            cache = self.cached(url)
            return json.loads(cache["links"] or "[]") if cache else []
        links = page_links(result.text(), result.final_url, allowed_hosts=hosts,
                           pattern=re.compile(pattern) if pattern else None, limit=limit)
        with self.store.transaction() as db:
            self._remember(db, url, result.etag, result.last_modified, "listing", links)
        return links

    def inside_sources(self, path: Path) -> Path:
        """``path`` if it resolves inside sources/ (symlinks followed), else a FetchError."""
        sources = self.workspace.sources_dir.resolve()
        resolved = path.resolve()
        if not resolved.is_relative_to(sources):
            raise FetchError(f"leads outside the sources/ folder (to {resolved}); not read")
        return resolved

    def gather_folder(self) -> None:
        folder = self.inside_sources(self.source.path)
        pattern = self.source.options.get("pattern", "*")
        files = sorted(p for p in folder.rglob(pattern)
                       if p.is_file() and p.suffix.lower() in LOCAL_DOCUMENT_SUFFIXES)
        known = {row["url"]: row["etag"] for row in self.store.query(
            "SELECT c.url, c.etag FROM http_cache c JOIN documents d ON d.url = c.url "
            "WHERE c.url LIKE 'file:%' AND d.content_hash = c.content_hash")}
        unchanged: list[str] = []
        root = self.workspace.root.resolve()
        plain_dirs: dict[Path, bool] = {folder: True}
        try:
            for path in tqdm(files, desc=self.source.name, unit="file", leave=False,
                             disable=not self.progress):
                # ``**`` enters no symlinked folder, but a pattern naming a folder part
                # (``*/*.txt``) does: a file under a symlinked folder or a symlinked file is
                # resolved (and refused if it leads outside), named as listed, not by its
                # target. One resolve per folder keeps the rest to a stat.
                parent = path.parent
                if parent not in plain_dirs:
                    plain_dirs[parent] = parent.resolve() == parent
                inside = (plain_dirs[parent] and path.is_relative_to(root)
                          and not path.is_symlink())
                label = "file:" + (path.relative_to(root).as_posix() if path.is_relative_to(root)
                                   else self.workspace.relative(path.parent) + "/" + path.name)
                self.guarded(label, lambda path=path, label=label, inside=inside: self.local_file(
                    path, label if inside else None, known, unchanged))
                if len(unchanged) >= 1000:
                    self._log_unchanged(unchanged)
        finally:
            self._log_unchanged(unchanged)

    def _log_unchanged(self, keys: list[str]) -> None:
        """Log unchanged files in one transaction (a log line each, no document written)."""
        if keys:
            with self.store.transaction() as db:
                for key in keys:
                    log(db, self.run_id, self.source.name, key, UNCHANGED)
            keys.clear()

    def local_file(self, path: Path, key: str | None = None, known: dict[str, str] | None = None,
                   unchanged: list[str] | None = None) -> None:
        """Store one local file.

        A folder passes the ``key`` of a file it knows is inside sources/ (no symlink), the
        raw hash of each stored file (``known``) and a list to log unchanged files in a batch.
        """
        if key is None:
            path = self.inside_sources(path)
            key = "file:" + self.workspace.relative(path)
        try:
            raw = path.read_bytes()
        except OSError as exc:
            self.fail(key, f"cannot read: {exc.strerror or exc}")
            return
        # The raw bytes' hash stands in for an ETag: an unchanged file whose document is
        # stored as it gave it is not decoded or parsed again.
        raw_hash = "sha256:" + hashlib.sha256(raw).hexdigest()
        if known is None:
            cache = self.cached(key)
            stored_hash = cache["etag"] if cache and self.stored_as_fetched(key) else None
        else:
            stored_hash = known.get(key)
        if stored_hash == raw_hash:
            if unchanged is None:
                self.unchanged(key)
            else:
                unchanged.append(key)
                self.outcome.count(UNCHANGED)
            return
        from .encoding import decode

        text = decode(raw).text
        title = author = published = None
        if path.suffix.lower() in (".html", ".htm"):
            article = extract_article(text, None, date_order=self.date_order)
            text, title, author, published = (article.text, article.title, article.author,
                                              article.published_at)
        else:
            title = local_title(path, text)
        if not text.strip():
            self.fail(key, "no text found in the file")
            return
        self.store_document(DocumentIn(url=key, kind="file", text=text, title=title, author=author,
                                       published_at=published, source_id=self.source.name),
                            cache_url=key, etag=raw_hash)


_HEADING = re.compile(r"^#{1,6}[ \t]+(.+?)[ \t#]*$", re.M)
TITLE_CHARS = 150     # a plain file's first line longer than this is no title


def local_title(path: Path, text: str) -> str:
    """A local file's title: a Markdown file's first heading ("# Navika visit"), a text file's
    first line when it is short, else the file's name ("navika-visit-notes" → "navika visit notes")."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if path.suffix.lower() == ".md":
        heading = _HEADING.search("\n".join(lines[:20]))
        if heading:
            return heading.group(1).strip()
    elif lines and len(lines[0]) <= TITLE_CHARS:
        return lines[0]
    return re.sub(r"[-_]+", " ", path.stem).strip() or path.name


def backfill_bands(store: Any) -> int:
    """Band keys for stored documents that have a MinHash but none (a store migrated to 0008);
    how many documents got keys."""
    rows = store.query("SELECT d.id, d.minhash FROM documents d WHERE d.minhash IS NOT NULL AND NOT EXISTS "
                       "(SELECT 1 FROM document_bands b WHERE b.document_id = d.id)")
    filled = 0
    with store.transaction() as db:
        for row in rows:
            try:
                keys = dedupe.band_keys(dedupe.signature_from_bytes(row["minhash"]))
            except ValueError:
                continue        # not a signature this version reads: regrouped when it changes
            if keys:
                db.executemany("INSERT OR IGNORE INTO document_bands (band_key, document_id) VALUES (?, ?)",
                               [(key, row["id"]) for key in keys])
                filled += 1
    return filled


def gather(store: Store, workspace: Workspace, sources: SourceSet, chosen: list[Source] | None = None,
           *, progress: bool = False) -> GatherReport:
    """Gather the ``chosen`` sources (default: every enabled feed, page, listing and folder of
    ``sources``) into ``store``."""
    report = GatherReport(errors=[error.format() for error in sources.errors])
    backfill_bands(store)
    if chosen is None:
        chosen = sources.of_kind("feed", "page", "listing", "folder")
    chosen = [source for source in chosen if source.kind in ("feed", "page", "listing", "folder")]
    register_sources(store, sources.sources, workspace.root, prune=not sources.errors)
    if not chosen:
        return report
    run_id = start_run(store)
    status = "failed"
    try:
        with Fetcher(workspace.settings.http) as fetcher:
            for source in tqdm(chosen, desc="gather", unit="source", disable=not progress):
                collector = Collector(store, workspace, fetcher, source, run_id, progress)
                report.outcomes.append(collector.run())
                report.failures.extend(collector.failures)
        status = "ok" if not report.failures else "failed"
    except KeyboardInterrupt:
        status = "interrupted"
        raise
    finally:
        finish_run(store, run_id, status)
    return report
