"""The tag stage: run the pipeline over new or changed documents and store what it finds.

A document is (re)tagged when it has never been tagged, its text changed, or the pipeline
changed (code, lexicon or catalog — see :func:`compintel.nlp.pipeline_version`). Each batch of
results is written in one transaction, replacing the document's earlier mentions and signals.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from tqdm import tqdm

from .catalog import Catalog
from .nlp import Tagger, TagResult
from .store import Store, utcnow

BATCH_SIZE = 200


@dataclass
class TagRun:
    tagged: int = 0
    up_to_date: int = 0
    mentions: int = 0
    signals: int = 0
    version: str = ""
    too_long: list[str] = field(default_factory=list)   # one line per document left untagged


def context_hash(context: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(context, sort_keys=True).encode()).hexdigest()[:16]


def pending_documents(store: Store, version: str, catalog: Catalog,
                      parts: dict[str, dict[str, list[str]]] | None = None) -> list[int]:
    """Ids of documents whose stored tags are missing or stale: new or changed text, another
    pipeline version, or other context (a source's tags, a note's front matter, who supplies
    what at the note's customer)."""
    parts = supplied_parts(store) if parts is None else parts
    pending = []
    for row in store.query(_STATE_SQL):
        if (row["tagged_content"] != row["content_hash"] or row["pipeline_version"] != version
                or row["context_hash"] != context_hash(document_context(row, catalog, parts))):
            pending.append(row["id"])
    return pending


def supplied_parts(store: Store) -> dict[str, dict[str, list[str]]]:
    """Who supplies what, from the share-of-business table's latest month for each customer,
    model and part family: ``{customer: {"<model>|<part family>": [supplier, ...]}}``."""
    rows = store.query(
        "SELECT s.customer_id, s.model, s.part_family, s.supplier_id FROM share_of_business s "
        "JOIN (SELECT customer_id, model, part_family, MAX(month) AS month FROM share_of_business "
        "      WHERE model IS NOT NULL GROUP BY customer_id, model, part_family) latest "
        "ON latest.customer_id = s.customer_id AND latest.model = s.model "
        "AND latest.part_family = s.part_family AND latest.month = s.month "
        "WHERE s.share_pct > 0")
    parts: dict[str, dict[str, list[str]]] = {}
    for row in rows:
        key = f"{row['model']}|{row['part_family']}"
        suppliers = parts.setdefault(row["customer_id"], {}).setdefault(key, [])
        if row["supplier_id"] not in suppliers:
            suppliers.append(row["supplier_id"])
    return {customer: {key: sorted(names) for key, names in sorted(table.items())}
            for customer, table in parts.items()}


def document_context(row: Any, catalog: Catalog,
                     parts: dict[str, dict[str, list[str]]] | None = None) -> dict[str, Any]:
    """What a document's metadata says about it: a note's front matter (and who supplies which
    part of which model at its customer, from the account tables), a source's tags."""
    if row["note_customer"] is not None:
        context = {"customer": row["note_customer"], "plant": row["note_plant"],
                   "competitor": row["note_competitor"], "grade": row["note_grade"],
                   "date": row["note_date"], "kind": "note"}
        supplied = (parts or {}).get(row["note_customer"])
        if supplied:
            context["parts"] = supplied
        return context
    context: dict[str, Any] = {"grade": "reported", "kind": "news",
                               "date": (row["published_at"] or row["fetched_at"] or "")[:10] or None}
    tags = json.loads(row["source_tags"] or "[]")
    customers = [tag for tag in tags if tag in catalog and catalog.owner(tag)
                 and catalog[catalog.owner(tag)].role == "customer"]
    competitors = [tag for tag in tags if tag in catalog and catalog[tag].kind == "company"
                   and catalog[tag].role == "competitor"]
    if len({catalog.owner(tag) for tag in customers}) == 1:
        context["customer"] = catalog.owner(customers[0])
        plants = [tag for tag in customers if catalog[tag].kind == "plant"]
        if len(plants) == 1:
            context["plant"] = plants[0]
    if len(competitors) == 1:
        context["competitor"] = competitors[0]
    return context


_CONTEXT_COLUMNS = """d.published_at, d.fetched_at, s.tags AS source_tags,
       n.customer_id AS note_customer, n.plant_id AS note_plant, n.competitor_id AS note_competitor,
       n.grade AS note_grade, n.note_date AS note_date"""

_STATE_SQL = f"""
SELECT d.id, d.content_hash, t.content_hash AS tagged_content, t.pipeline_version, t.context_hash,
       {_CONTEXT_COLUMNS}
FROM documents d
LEFT JOIN tag_state t ON t.document_id = d.id
LEFT JOIN sources s ON s.id = d.source_id
LEFT JOIN field_notes n ON n.document_id = d.id
ORDER BY d.id
"""

_DOCUMENTS_SQL = f"""
SELECT d.id, d.url, d.text, d.content_hash, {_CONTEXT_COLUMNS}
FROM documents d
LEFT JOIN sources s ON s.id = d.source_id
LEFT JOIN field_notes n ON n.document_id = d.id
WHERE d.id IN ({{marks}})
"""


def _rows(store: Store, ids: list[int]) -> Iterator[Any]:
    for offset in range(0, len(ids), 500):
        chunk = ids[offset:offset + 500]
        yield from store.query(_DOCUMENTS_SQL.format(marks=",".join("?" * len(chunk))), chunk)


def tag_documents(store: Store, tagger: Tagger, *, progress: bool = False,
                  batch_size: int = BATCH_SIZE, max_document_chars: int | None = None) -> TagRun:
    """Tag what is pending; safe to interrupt (finished batches stay stored). A document longer
    than ``max_document_chars`` is left untagged (its old tags, if any, stay) and named in
    ``TagRun.too_long``; a long one within the limit is tagged in pieces (Tagger.tag_many)."""
    run = TagRun(version=tagger.version)
    parts = supplied_parts(store)
    ids = pending_documents(store, tagger.version, tagger.catalog, parts)
    run.up_to_date = store.query("SELECT COUNT(*) FROM documents")[0][0] - len(ids)
    bar = tqdm(total=len(ids), desc="tag", unit="doc", disable=not progress, leave=False)
    try:
        for offset in range(0, len(ids), batch_size):
            rows = list(_rows(store, ids[offset:offset + batch_size]))
            if max_document_chars is not None:
                rows = _within_limit(rows, max_document_chars, run)
            contexts = [document_context(row, tagger.catalog, parts) for row in rows]
            results = list(tagger.tag_many(((row["text"], context)
                                            for row, context in zip(rows, contexts, strict=True))))
            _store_batch(store, rows, contexts, results, tagger.version, run)
            bar.update(len(rows))
    finally:
        bar.close()
    return run


def _within_limit(rows: list[Any], limit: int, run: TagRun) -> list[Any]:
    kept = []
    for row in rows:
        if len(row["text"]) <= limit:
            kept.append(row)
        else:
            run.too_long.append(f"{row['url']}: {len(row['text']):,} characters, over [tag] "
                                f"max_document_chars = {limit:,}; not tagged (split the document, or "
                                f"raise the limit in compintel.toml)")
    return kept


def _store_batch(store: Store, rows: list[Any], contexts: list[dict[str, Any]],
                 results: list[TagResult], version: str, run: TagRun) -> None:
    now = utcnow()
    with store.transaction() as db:
        for row, context, result in zip(rows, contexts, results, strict=True):
            document_id = row["id"]
            db.execute("DELETE FROM mentions WHERE document_id = ?", (document_id,))
            db.execute("DELETE FROM signals WHERE document_id = ?", (document_id,))
            db.executemany(
                "INSERT INTO mentions (document_id, start, end, text, label, entity_id) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                [(document_id, m.start, m.end, m.text, m.label, m.entity_id) for m in result.mentions])
            db.executemany(
                # the evidence sentence is the document's text from start to end: no copy stored
                "INSERT INTO signals (document_id, type, start, end, company_id, customer_id, "
                "plant_id, technology_id, value, unit, observed_at, grade, company_name, customer_name, "
                "method, previous_value) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(document_id, s.type, s.start, s.end, s.company_id, s.customer_id,
                  s.plant_id, s.technology_id, s.value, s.unit, s.observed_at, s.grade,
                  s.company_name, s.customer_name, s.method, s.previous_value)
                 for s in result.signals])
            db.execute(
                "INSERT INTO tag_state (document_id, content_hash, pipeline_version, tagged_at, "
                "context_hash) VALUES (?, ?, ?, ?, ?) ON CONFLICT(document_id) DO UPDATE SET "
                "content_hash = excluded.content_hash, pipeline_version = excluded.pipeline_version, "
                "tagged_at = excluded.tagged_at, context_hash = excluded.context_hash",
                (document_id, row["content_hash"], version, now, context_hash(context)))
            run.tagged += 1
            run.mentions += len(result.mentions)
            run.signals += len(result.signals)
