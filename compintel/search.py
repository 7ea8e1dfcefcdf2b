"""Full-text search over documents and field notes: SQLite FTS5, hits ranked by bm25.

The index (``documents_fts``, migration 0009) holds every document's title and text and is
kept in step with the documents table by triggers, so gather, import and the removal of a
note keep it current. Filters by customer, competitor and signal type read the tagger's
signals (and a field note's own customer and competitor) when the search runs, so a ``tag``
changes what they find at once; given the KAM's corrections (:class:`CorrectedSignals`), a
rejected signal makes no document match and a corrected one matches by its corrected values.

A user's query is never handed to FTS5 as written: :func:`fts_query` reads it as words (all
must occur), ``"quoted phrases"``, ``prefix*``, ``OR`` between two terms and ``NOT`` before one,
and writes each term as an FTS5 string, so punctuation (``PPM-380``, ``O'Brien``, ``NEAR(``,
an unclosed quote) is searched for, never parsed as syntax.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, NamedTuple

import pandas as pd

from .errors import UserError

# Snippets are plain text with these around each match: whoever shows them escapes the text
# (the report, a notebook) and may turn the markers into highlighting.
MARK_START, MARK_END, ELLIPSIS = "«", "»", "…"
SNIPPET_TOKENS = 24
TITLE_WEIGHT = 3.0           # bm25 counts a match in the title three times one in the text
RANK_WINDOW = 10_000         # at most this many documents (the newest matching) are ranked
COLUMNS = ["rank", "score", "document_id", "date", "kind", "source", "title", "location", "url",
           "snippet"]
QUERY_HINT = 'search for words (all must occur), "a phrase", a prefix*, OR between two terms, NOT before one'

_OPERATORS = frozenset({"AND", "OR", "NOT"})
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_SINCE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
# the date a hit is listed under: a note's date (its published_at), else publication, else fetch
# (the expression of migration 0009's index documents_search_date)
_DATE_OF = "COALESCE(substr(published_at, 1, 10), substr(fetched_at, 1, 10))"
_DATE = "COALESCE(substr(d.published_at, 1, 10), substr(d.fetched_at, 1, 10))"


@dataclass(frozen=True)
class Term:
    """One thing to look for: a word or a phrase, maybe a prefix, maybe to leave out."""

    text: str
    prefix: bool = False
    negated: bool = False

    def fts(self) -> str:
        """The term as an FTS5 string: its tokens as one phrase, nothing in it parsed."""
        return '"' + self.text.replace('"', '""') + '"' + ("*" if self.prefix else "")


class CorrectedSignal(NamedTuple):
    """A signal's fields the filters read, as the KAM's correction leaves them."""

    document_id: int
    type: str
    company_id: str | None
    customer_id: str | None


@dataclass(frozen=True)
class CorrectedSignals:
    """What the KAM's corrections make of the signals they apply to (``Workbench.search``
    works it out from ``corrections.toml``): ``touched`` holds the ids of every signal they
    reject or change, ``kept`` the changed ones with their corrected fields."""

    touched: frozenset[int] = frozenset()
    kept: tuple[CorrectedSignal, ...] = ()


def _lex(query: str) -> list[Term | str]:
    """Terms and operator words, left to right; quotes delimit phrases (an unclosed one runs
    to the end), a trailing ``*`` makes a prefix, ``AND``/``OR``/``NOT`` stay strings for now."""
    query = _CONTROL.sub(" ", query)
    items: list[Term | str] = []
    position, end = 0, len(query)
    while position < end:
        char = query[position]
        if char.isspace():
            position += 1
            continue
        if char == '"':
            close = query.find('"', position + 1)
            close = end if close < 0 else close
            text, position = query[position + 1:close], close + 1
        else:
            start = position
            while position < end and not query[position].isspace() and query[position] != '"':
                position += 1
            text = query[start:position]
            if text in _OPERATORS:
                items.append(text)
                continue
        stars = len(text) - len(text.rstrip("*"))
        while position < end and query[position] == "*":      # "a phrase"*
            stars += 1
            position += 1
        text = text.rstrip("*")
        if any(c.isalnum() for c in text):       # only punctuation: nothing FTS5 would index
            items.append(Term(text, prefix=stars > 0))
    return items


def parse_query(query: str) -> list[list[Term]]:
    """The query as groups that must all match (each group: alternatives joined by OR) plus,
    as one-term groups with ``negated`` set, the terms to leave out.

    ``OR`` is an operator between two terms and ``NOT`` before one; ``AND`` between two terms
    is what juxtaposition means anyway. Anywhere else they are words like any other.
    """
    items = _lex(query)
    groups: list[list[Term]] = []
    negated: list[list[Term]] = []
    after_term = False          # the last thing read was a term to find
    index = 0
    while index < len(items):
        item = items[index]
        following = items[index + 1] if index + 1 < len(items) else None
        if item == "NOT" and isinstance(following, Term):
            negated.append([Term(following.text, following.prefix, negated=True)])
            after_term = False
            index += 2
            continue
        if item in ("OR", "AND") and after_term and isinstance(following, Term):
            if item == "OR":
                groups[-1].append(following)
            else:
                groups.append([following])
            index += 2
            continue
        groups.append([item if isinstance(item, Term) else Term(item)])
        after_term = True
        index += 1
    return groups + negated


def fts_query(query: str) -> str:
    """The FTS5 MATCH expression for a user's query; :class:`UserError` if it has nothing to find."""
    groups = parse_query(query)
    wanted = [group for group in groups if not group[0].negated]
    unwanted = [group[0] for group in groups if group[0].negated]
    if not wanted:
        if unwanted:
            raise UserError(f"nothing to search for in {query!r}: only words to leave out",
                            hint="add a word to find, e.g. 'Vitreon NOT price'")
        raise UserError(f"nothing to search for in {query!r}", hint=QUERY_HINT)
    parts = [group[0].fts() if len(group) == 1 else
             "(" + " OR ".join(term.fts() for term in group) + ")" for group in wanted]
    expression = " AND ".join(parts)
    if unwanted:
        expression = f"({expression}) NOT ({' OR '.join(term.fts() for term in unwanted)})"
    return expression


def since_bound(since: str | date | None) -> str | None:
    """``since`` as the text a date is compared with: YYYY, YYYY-MM or YYYY-MM-DD."""
    if since is None:
        return None
    if isinstance(since, datetime):
        return since.date().isoformat()
    if isinstance(since, date):
        return since.isoformat()
    text = str(since).strip()
    valid = bool(_SINCE.match(text))
    if valid and len(text) > 4:
        try:
            datetime.strptime(text if len(text) == 10 else text + "-01", "%Y-%m-%d")
        except ValueError:
            valid = False
    if not valid:
        raise UserError(f"since: {since!r} is not a date or a month", hint="write YYYY-MM or YYYY-MM-DD")
    return text


def _ids(values: Collection[int]) -> str:
    """Row ids as an SQL list of numbers (no parameters: a KAM may correct many signals)."""
    return ", ".join(str(int(value)) for value in sorted(values))


def _filters(customer_id: str | None, competitor_id: str | None,
             signal_type: str | None, since: str | None, *, skipped: Collection[int] = (),
             also: Collection[int] = ()) -> tuple[str, list[Any]]:
    """SQL conditions on a hit ``f`` for the filters given, and their parameters.

    One signal must satisfy every signal filter given (a quality_ppm signal *about* Vitreon
    *at* Navika), except that a field note's own customer and competitor stand in for its
    signals'. Each condition is a look-up in a small index per hit (migration 0009). Signals
    whose ids are in ``skipped`` count for nothing; documents whose ids are in ``also`` pass
    the signal filters whatever their stored signals (the corrections: see :func:`search`).
    """
    conditions: list[str] = []
    params: list[Any] = []
    if customer_id is not None or competitor_id is not None or signal_type is not None:
        checks, check_params = [], []
        for column, value in (("type", signal_type), ("company_id", competitor_id),
                              ("customer_id", customer_id)):
            if value is not None:
                checks.append(f"s.{column} = ?")
                check_params.append(value)
        # the ids are the rowids of the index's entries: still one look-up per hit
        skip = f" AND s.id NOT IN ({_ids(skipped)})" if skipped else ""
        condition = ("EXISTS (SELECT 1 FROM signals s WHERE s.document_id = f.rowid AND "
                     + " AND ".join(checks) + skip + ")")
        params.extend(check_params)
        if customer_id is not None or competitor_id is not None:
            note_checks = []
            for note_column, column, value in (("customer_id", "customer_id", customer_id),
                                               ("competitor_id", "company_id", competitor_id)):
                if value is not None:
                    note_checks.append(f"(n.{note_column} = ? OR s.{column} = ?)")
                    params.extend([value, value])
            if signal_type is not None:
                note_checks.append("s.type = ?")
                params.append(signal_type)
            condition = (f"({condition} OR EXISTS (SELECT 1 FROM field_notes n LEFT JOIN signals s "
                         f"ON s.document_id = n.document_id{skip} WHERE n.document_id = f.rowid AND "
                         + " AND ".join(note_checks) + "))")
        if also:
            condition = f"(f.rowid IN ({_ids(also)}) OR {condition})"
        conditions.append(condition)
    if since is not None:
        conditions.append(f"(SELECT {_DATE_OF} FROM documents INDEXED BY documents_search_date "
                          "WHERE id = f.rowid) >= ?")
        params.append(since)
    return "".join(" AND " + condition for condition in conditions), params


def _corrected_matches(db: sqlite3.Connection, corrected: CorrectedSignals,
                       customer_id: str | None, competitor_id: str | None,
                       signal_type: str | None) -> set[int]:
    """The documents that a corrected signal makes pass the signal filters: the test of
    :func:`_filters` on the signal's corrected fields (a field note's own stand in too)."""
    notes: dict[int, tuple[str | None, str | None]] = {}
    if corrected.kept and (customer_id is not None or competitor_id is not None):
        notes = {row[0]: (row[1], row[2]) for row in db.execute(
            "SELECT document_id, customer_id, competitor_id FROM field_notes WHERE document_id IN "
            f"({_ids({signal.document_id for signal in corrected.kept})})")}

    def fits(wanted: str | None, *values: str | None) -> bool:
        return wanted is None or wanted in values

    found: set[int] = set()
    for signal in corrected.kept:
        note_customer, note_competitor = notes.get(signal.document_id, (None, None))
        if (fits(signal_type, signal.type) and fits(customer_id, signal.customer_id, note_customer)
                and fits(competitor_id, signal.company_id, note_competitor)):
            found.add(signal.document_id)
    return found


def _run(db: sqlite3.Connection, sql: str, params: list[Any], query: str) -> list[sqlite3.Row]:
    cursor = db.cursor()
    cursor.row_factory = sqlite3.Row        # any connection, not only a Store's
    try:
        return cursor.execute(sql, params).fetchall()
    except sqlite3.OperationalError as exc:
        if not str(exc).startswith("fts5") and "unterminated string" not in str(exc):
            raise           # not the query's fault: a bug, keep its traceback
        # the query is written as FTS5 strings, so this should not happen; if it does, one line
        raise UserError(f"cannot search for {query!r} ({exc})", hint=QUERY_HINT) from None


def search(db: sqlite3.Connection, query: str, *, customer_id: str | None = None,
           competitor_id: str | None = None, signal_type: str | None = None,
           since: str | date | None = None, limit: int | None = 20,
           window: int = RANK_WINDOW, corrected: CorrectedSignals | None = None) -> pd.DataFrame:
    """Documents matching ``query``, best first: one row per document with a snippet.

    ``customer_id``/``competitor_id`` are catalog ids (the Workbench resolves names);
    ``signal_type`` a signal type; ``since`` a date or month (inclusive); ``limit`` the most
    hits returned (None: all); ``corrected`` the KAM's corrections, which the filters honour.
    Columns: see :data:`COLUMNS`; ``score`` is bm25's, higher is better. When the words match
    more than ``window`` documents, only the ``window`` most recently stored of them are
    filtered and ranked (bm25 costs about a microsecond a document); ``frame.attrs`` says so:
    ``matched`` (documents the words match, before filters) and ``searched`` (how many of them
    were filtered and ranked).
    """
    if limit is not None and limit < 1:
        raise UserError(f"limit: {limit} is not a number of hits", hint="give 1 or more")
    expression = fts_query(query)
    skipped: frozenset[int] = frozenset()
    also: set[int] = set()
    if corrected is not None and (customer_id is not None or competitor_id is not None
                                  or signal_type is not None):
        skipped = corrected.touched
        also = _corrected_matches(db, corrected, customer_id, competitor_id, signal_type)
    filters, params = _filters(customer_id, competitor_id, signal_type, since_bound(since),
                               skipped=skipped, also=also)
    matched = _run(db, "SELECT COUNT(*) FROM documents_fts WHERE documents_fts MATCH ?",
                   [expression], query)[0][0]
    floor = ""
    if matched > window:
        # the window: FTS5 walks its matches newest first and stops after ``window`` of them
        lowest = _run(db, "SELECT rowid FROM documents_fts WHERE documents_fts MATCH ? "
                      "ORDER BY rowid DESC LIMIT 1 OFFSET ?", [expression, window - 1], query)
        floor = f" AND f.rowid >= {int(lowest[0][0])}"
    ranked = _run(db, f"SELECT f.rowid AS id, bm25(documents_fts, {TITLE_WEIGHT}, 1.0) AS bm25 "
                      f"FROM documents_fts f WHERE documents_fts MATCH ?{floor}{filters} "
                      "ORDER BY bm25, f.rowid DESC" + (" LIMIT ?" if limit is not None else ""),
                  [expression, *params, *([limit] if limit is not None else [])], query)
    details: dict[int, sqlite3.Row] = {}
    for offset in range(0, len(ranked), 500):
        ids = [row["id"] for row in ranked[offset:offset + 500]]
        # snippets only for the hits shown: FTS5 makes each from the document's text
        details.update((row["id"], row) for row in _run(db, (
            "SELECT f.rowid AS id, "
            f"snippet(documents_fts, 1, '{MARK_START}', '{MARK_END}', '{ELLIPSIS}', {SNIPPET_TOKENS}) "
            f"AS snippet, {_DATE} AS date, d.kind, d.source_id, d.title, d.url, n.path AS note_path "
            "FROM documents_fts f JOIN documents d ON d.id = f.rowid "
            "LEFT JOIN field_notes n ON n.document_id = d.id "
            f"WHERE documents_fts MATCH ? AND f.rowid IN ({','.join('?' * len(ids))})"),
            [expression, *ids], query))
    records = []
    for position, hit in enumerate(ranked, start=1):
        row = details[hit["id"]]
        records.append({"rank": position, "score": -float(hit["bm25"]), "document_id": hit["id"],
                        "date": row["date"], "kind": row["kind"], "source": row["source_id"],
                        "title": row["title"], "location": row["note_path"] or row["url"],
                        "url": row["url"], "snippet": " ".join((row["snippet"] or "").split())})
    frame = pd.DataFrame(records, columns=COLUMNS)
    frame.attrs.update(query=query, matched=matched, searched=min(matched, window))
    return frame
