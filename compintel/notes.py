"""Field notes: Markdown files with YAML front matter, and CSV/XLSX visit logs, into the store.

Each note becomes a ``documents`` row (kind "note", url ``note:<workspace path>``, or
``note:<path>#row<N>`` for a visit-log row) plus a ``field_notes`` row with its front matter.
A bad Markdown note is reported and the others go in; a visit log is all-or-nothing.
"""

from __future__ import annotations

import difflib
import json
import re
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .catalog import Catalog
from .documents import CHANGED, UNCHANGED, DocumentIn, upsert_document
from .errors import DataFileError, UserError
from .numbers import parse_date
from .store import Store
from .tables import (
    CellError,
    Column,
    ColumnPlan,
    Context,
    Header,
    Problem,
    convert_cell,
    convert_rows,
    find_header_row,
    plan_columns,
    raise_problems,
    read_grid,
)
from .tomlfile import read_text
from .workspace import TableSettings

GRADES = ("observed", "reported", "rumoured")
_GRADE_SPELLINGS = {"rumored": "rumoured"}
FIELDS = ("date", "customer", "plant", "author", "grade", "competitor", "contacts")
REQUIRED = ("date", "customer", "grade")
VISIT_LOG_COLUMNS = {
    "date": Column("date", "date", ("date", "visit date", "note date", "visited on")),
    "customer": Column("customer", "customer", ("customer", "oem", "account")),
    "plant": Column("plant", "plant", ("plant", "location", "customer plant")),
    "author": Column("author", "text", ("author", "by", "written by", "visited by", "kam")),
    "grade": Column("grade", "text", ("grade", "confidence", "source grade")),
    "competitor": Column("competitor", "competitor", ("competitor", "competition", "about")),
    "contacts": Column("contacts", "text", ("contacts", "contact", "met", "people met",
                                            "persons met")),
    "note": Column("note", "text", ("note", "notes", "text", "observation", "observations",
                                    "remarks", "details", "comments")),
}
VISIT_LOG_REQUIRED = ("date", "customer", "grade", "note")
_FENCE = re.compile(r"^---\s*$")
_FENCE_END = re.compile(r"^(---|\.\.\.)\s*$")


@dataclass(frozen=True)
class Note:
    """One field note, validated against the catalog."""

    key: str                          # workspace path (+ "#row<N>" for a visit-log row)
    date: str                         # YYYY-MM-DD
    customer: str                     # catalog ids from here on
    grade: str
    body: str
    title: str
    plant: str | None = None
    author: str | None = None
    competitor: str | None = None
    contacts: tuple[str, ...] = ()

    @property
    def url(self) -> str:
        return "note:" + self.key


@dataclass
class NotesImport:
    """What a notes import did: documents new/changed/unchanged, and the notes it refused."""

    new: int = 0
    changed: int = 0
    unchanged: int = 0
    removed: int = 0                   # visit-log rows gone since the last import
    errors: list[str] = field(default_factory=list)

    def count(self, status: str) -> None:
        setattr(self, status, getattr(self, status) + 1)


def note_title(catalog: Catalog, date: str, customer: str, plant: str | None,
               competitor: str | None, grade: str) -> str:
    """A title from the front matter, so editing it (not only the text) marks the note changed."""
    where = catalog.display_name(customer) + (f", {catalog.display_name(plant)}" if plant else "")
    about = f" about {catalog.display_name(competitor)}" if competitor else ""
    return f"Field note {date}: {where}{about} ({grade})"


def split_contacts(text: str) -> tuple[str, ...]:
    """Contacts written in one cell: "SQA head; buyer" or "SQA head, buyer"."""
    parts = re.split(r"[;,\n]", text)
    return tuple(part.strip() for part in parts if part.strip())


def _grade(text: str) -> str:
    folded = text.strip().casefold()
    folded = _GRADE_SPELLINGS.get(folded, folded)
    if folded not in GRADES:
        raise CellError(f"{text!r} is not a grade", "use observed, reported or rumoured")
    return folded


def _cell(kind: str, name: str, text: str, row: dict[str, Any], ctx: Context) -> Any:
    """Resolve one front-matter value the way an account-table cell of that type is read."""
    plan = ColumnPlan(Column(name, kind, (name,)), Header(0, name, (name,), None))
    return convert_cell(plan, text, row, ctx)


# -- Markdown notes --------------------------------------------------------------------------

@dataclass(frozen=True)
class _Value:
    line: int
    text: str | None = None
    items: tuple[str, ...] | None = None     # a YAML list


def _front_matter(text: str, label: str) -> tuple[dict[str, _Value], str, int]:
    """(front-matter values by key, body, line where the body starts)."""
    lines = text.splitlines()
    if not lines or not _FENCE.match(lines[0]):
        raise DataFileError("no front matter", path=label, line=1,
                            hint="start the file with a '---' line, the fields, and '---'")
    end = next((i for i in range(1, len(lines)) if _FENCE_END.match(lines[i])), None)
    if end is None:
        raise DataFileError("the front matter is not closed", path=label, line=1,
                            hint="end it with a '---' line before the note text")
    try:
        root = yaml.compose("\n".join(lines[1:end]), Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or "not valid YAML"
        raise DataFileError(f"front matter: {problem}", path=label,
                            line=mark.line + 2 if mark is not None else 1,
                            hint="write one 'field: value' per line") from None
    values: dict[str, _Value] = {}
    if root is not None:
        if not isinstance(root, yaml.MappingNode):
            raise DataFileError("the front matter is not a list of fields", path=label, line=2,
                                hint="write one 'field: value' per line")
        for key_node, value_node in root.value:
            line = key_node.start_mark.line + 2
            key = str(key_node.value).strip().casefold()
            if key in values:
                raise DataFileError("given twice", path=label, line=line, field=key,
                                    hint=f"keep one; the first is on line {values[key].line}")
            if key not in FIELDS:
                close = difflib.get_close_matches(key, FIELDS, n=1)
                raise DataFileError(
                    "unknown field", path=label, line=line, field=key,
                    hint=(f"did you mean {close[0]!r}? " if close else "")
                    + "fields: " + ", ".join(FIELDS))
            values[key] = _node_value(value_node, line, key, label)
    body = "\n".join(lines[end + 1:]).strip()
    return values, body, end + 2


def _node_value(node: yaml.Node, line: int, key: str, label: str) -> _Value:
    if isinstance(node, yaml.ScalarNode):
        # The raw text, not YAML's reading of it: "customer: Yes" is a name, not True.
        empty = node.tag.endswith(":null") or not str(node.value).strip()
        return _Value(line, None if empty else str(node.value).strip())
    if isinstance(node, yaml.SequenceNode) and key == "contacts" \
            and all(isinstance(item, yaml.ScalarNode) for item in node.value):
        return _Value(line, items=tuple(str(item.value).strip() for item in node.value
                                        if str(item.value).strip()))
    raise DataFileError("expected a single value", path=label, line=line, field=key,
                        hint=f"write '{key}: value'"
                        + (" or 'contacts: [a, b]'" if key == "contacts" else ""))


def parse_note(path: Path, catalog: Catalog, *, key: str | None = None,
               our_company: str | None = None) -> Note:
    """Read and check one Markdown field note; DataFileError names file, line and field."""
    key = key or str(path)
    text = read_text(path, DataFileError, label=key, hint="save the note as UTF-8")
    values, body, body_line = _front_matter(text, key)
    for name in REQUIRED:
        if values.get(name) is None or values[name].text is None:
            line = values[name].line if name in values else 1
            raise DataFileError("required field missing", path=key, line=line, field=name,
                                hint=f"add '{name}: ...' to the front matter")
    ctx = Context(catalog, our_company or catalog.our_company)
    resolved: dict[str, Any] = {}

    def get(name: str, convert: Callable[[str], Any]) -> Any:
        value = values.get(name)
        if value is None or value.text is None:
            return None
        try:
            resolved[name] = convert(value.text)
        except ValueError as exc:
            # the parser's message already says how to write it
            raise DataFileError(str(exc), path=key, line=value.line, field=name) from None
        except CellError as exc:
            raise DataFileError(exc.message, path=key, line=value.line, field=name,
                                hint=exc.hint) from None
        return resolved[name]

    note_date = get("date", parse_date)
    customer = get("customer", lambda t: _cell("customer", "customer", t, resolved, ctx))
    plant = get("plant", lambda t: _cell("plant", "plant", t, resolved, ctx))
    competitor = get("competitor", lambda t: _cell("competitor", "competitor", t, resolved, ctx))
    grade = get("grade", _grade)
    author = get("author", str)
    contacts_value = values.get("contacts")
    contacts: tuple[str, ...] = ()
    if contacts_value is not None:
        contacts = contacts_value.items if contacts_value.items is not None else \
            split_contacts(contacts_value.text or "")
    if not body:
        raise DataFileError("the note has no text", path=key, line=body_line, field="text",
                            hint="write what you saw and heard below the front matter")
    return Note(key, note_date, customer, grade, body,
                note_title(catalog, note_date, customer, plant, competitor, grade),
                plant, author, competitor, contacts)


# -- storing ---------------------------------------------------------------------------------

def store_note(db: sqlite3.Connection, note: Note, source_id: str | None = None) -> tuple[int, str]:
    """Write one note's document and field_notes row (inside the caller's transaction)."""
    document_id, status = upsert_document(db, DocumentIn(
        url=note.url, kind="note", text=note.body, title=note.title, author=note.author,
        published_at=note.date, source_id=source_id))
    if status == UNCHANGED:
        # upsert_document keeps the old author when the text is the same; a note's author is
        # its front matter, so the latest wins (the field_notes diff below counts the change).
        db.execute("UPDATE documents SET author = ? WHERE id = ? AND author IS NOT ?",
                   (note.author, document_id, note.author))
    row = (note.key, note.date, note.customer, note.plant, note.author, note.grade,
           note.competitor, json.dumps(list(note.contacts), ensure_ascii=False)
           if note.contacts else None)
    old = db.execute("SELECT path, note_date, customer_id, plant_id, author, grade, competitor_id, "
                     "contacts FROM field_notes WHERE document_id = ?", (document_id,)).fetchone()
    if old is None or tuple(old) != row:
        db.execute("INSERT OR REPLACE INTO field_notes (document_id, path, note_date, customer_id, "
                   "plant_id, author, grade, competitor_id, contacts) "
                   "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", (document_id, *row))
        if status == UNCHANGED:
            status = CHANGED
    return document_id, status


def import_notes(store: Store, catalog: Catalog, paths: Iterable[Path], *,
                 key_for: Callable[[Path], str], source_id: str | None = None,
                 our_company: str | None = None) -> NotesImport:
    """Import Markdown notes one by one; a bad note lands in ``errors``, the rest go in."""
    result = NotesImport()
    for path in paths:
        try:
            note = parse_note(path, catalog, key=key_for(path), our_company=our_company)
        except UserError as exc:
            result.errors.append(str(exc))
            continue
        with store.transaction() as db:
            _, status = store_note(db, note, source_id)
        result.count(status)
    return result


# -- visit logs ------------------------------------------------------------------------------

def parse_visit_log(path: Path, catalog: Catalog, *, key: str, sheet: str | None = None,
                    our_company: str | None = None,
                    limits: TableSettings | None = None) -> list[Note]:
    """Every row of a visit log as a Note; DataFileError (naming row and column) if any is bad."""
    grid = read_grid(path, key, sheet=sheet, limits=limits)
    position, match = find_header_row(grid, VISIT_LOG_COLUMNS, VISIT_LOG_REQUIRED,
                                      what="visit log")
    header_line = grid.rows[position][0]
    plans = plan_columns(match, VISIT_LOG_COLUMNS,
                         [values for _, values in grid.rows[position + 1:]], grid.label,
                         header_line)
    ctx = Context(catalog, our_company or catalog.our_company)
    rows, problems = convert_rows(grid, position, plans, ctx)
    bad = {problem.row for problem in problems}
    notes = []
    for number, row in rows:
        if number in bad:
            continue
        missing = [name for name in VISIT_LOG_REQUIRED if row.get(name) is None]
        if missing:
            problems.extend(Problem(number, plans[name].header.text, "empty, but required",
                                    "fill it in or delete the row") for name in missing)
            continue
        try:
            grade = _grade(row["grade"])
        except CellError as exc:
            problems.append(Problem(number, plans["grade"].header.text, exc.message, exc.hint))
            continue
        contacts = split_contacts(row["contacts"]) if row.get("contacts") else ()
        notes.append(Note(
            f"{key}#row{number}", row["date"], row["customer"], grade, row["note"],
            note_title(catalog, row["date"], row["customer"], row.get("plant"),
                       row.get("competitor"), grade),
            row.get("plant"), row.get("author"), row.get("competitor"), contacts))
    raise_problems(grid.label, problems)
    return notes


def import_visit_log(store: Store, catalog: Catalog, path: Path, *, key: str,
                     source_id: str | None = None, sheet: str | None = None,
                     our_company: str | None = None,
                     limits: TableSettings | None = None) -> NotesImport:
    """Import a visit log all-or-nothing; rows gone since the last import are removed."""
    notes = parse_visit_log(path, catalog, key=key, sheet=sheet, our_company=our_company,
                            limits=limits)
    result = NotesImport()
    prefix = f"note:{key}#row"
    with store.transaction() as db:
        for note in notes:
            _, status = store_note(db, note, source_id)
            result.count(status)
        current = {note.url for note in notes}
        stale = [row[0] for row in db.execute(
            "SELECT id, url FROM documents WHERE substr(url, 1, ?) = ?", (len(prefix), prefix))
            if row[1] not in current]
        db.executemany("DELETE FROM documents WHERE id = ?", [(i,) for i in stale])
        result.removed = len(stale)
    return result

