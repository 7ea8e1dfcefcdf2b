"""Documents in the store: news items, pages, local files and field notes, one row each.

Every stage that brings text in (gathering, note import) writes it through
:func:`upsert_document`, so a document is keyed by its canonical URL the same way everywhere
and a second write of the same text changes nothing.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from .store import content_hash, utcnow

NEW, CHANGED, UNCHANGED = "new", "changed", "unchanged"
# Kinds that hold only what a feed says about a page: a teaser or summary. The page itself,
# fetched as an article, page or file, is the better text and is never replaced by one.
SUMMARY_KINDS = frozenset({"feed_entry"})


@dataclass(frozen=True)
class DocumentIn:
    """A document as a gatherer or importer found it."""

    url: str                        # canonical URL, or file:/note: + workspace path
    kind: str                       # article | feed_entry | page | file | note
    text: str
    title: str | None = None
    author: str | None = None
    published_at: str | None = None  # ISO 8601
    source_id: str | None = None

    @property
    def content_hash(self) -> str:
        return content_hash("\n".join([self.title or "", self.text]))


def upsert_document(db: sqlite3.Connection, document: DocumentIn) -> tuple[int, str]:
    """Insert or update ``document``; returns (id, "new" | "changed" | "unchanged").

    Run inside the caller's transaction. An unchanged document is not written at all. Text
    only improves: a feed entry's teaser never replaces the text of the page it links to
    (stored from an article, listing, page or file), it only fills in a missing date or author.
    """
    digest = document.content_hash
    row = db.execute("SELECT id, content_hash, source_id, published_at, author, kind FROM documents "
                     "WHERE url = ?", (document.url,)).fetchone()
    if row is None:
        cursor = db.execute(
            "INSERT INTO documents (url, source_id, kind, title, author, published_at, fetched_at, "
            "text, content_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (document.url, document.source_id, document.kind, document.title, document.author,
             document.published_at, utcnow(), document.text, digest))
        return cursor.lastrowid, NEW
    document_id = row[0]
    if row[1] == digest or (document.kind in SUMMARY_KINDS and row[5] not in SUMMARY_KINDS):
        # Fill in metadata a later source knows and an earlier one did not; text is the same.
        if (document.published_at and not row[3]) or (document.author and not row[4]):
            db.execute("UPDATE documents SET published_at = COALESCE(published_at, ?), "
                       "author = COALESCE(author, ?) WHERE id = ?",
                       (document.published_at, document.author, document_id))
        return document_id, UNCHANGED
    db.execute(
        "UPDATE documents SET kind = ?, title = ?, author = ?, published_at = ?, fetched_at = ?, "
        "text = ?, content_hash = ?, source_id = COALESCE(?, source_id) WHERE id = ?",
        (document.kind, document.title, document.author, document.published_at, utcnow(),
         document.text, digest, document.source_id, document_id))
    return document_id, CHANGED
