"""``compintel tag-text``: JSON Lines in, one JSON object per input line out, in order.

The contract is in DESIGN.md ("Entities and signals"). Besides ``id`` and ``text``, an input
line may carry an optional ``context`` object (customer, plant, competitor, grade, date) — what
a field note's front matter would say.
"""

from __future__ import annotations

import difflib
import io
import json
import os
import re
import stat
from collections.abc import Iterable, Iterator
from typing import Any, TextIO

from .catalog import Catalog
from .nlp import Tagger, TagResult
from .workspace import TagSettings

BATCH_LINES = 256
MAX_TEXT_CHARS = TagSettings().max_document_chars   # a longer line's text is an error for that line
_CONTEXT_KEYS = ("customer", "plant", "competitor", "grade", "date")


def result_json(item_id: Any, result: TagResult, catalog: Catalog) -> dict[str, Any]:
    """The contract's output object for one tagged text."""
    name = catalog.display_name
    return {
        "id": item_id,
        "entities": [{"text": m.text, "start": m.start, "end": m.end, "label": m.label,
                      "id": m.entity_id} for m in result.mentions],
        "signals": [{
            "type": s.type, "text": s.text, "start": s.start, "end": s.end,
            "company": name(s.company_id) or s.company_name or None,
            "customer": name(s.customer_id) or s.customer_name or None,
            "technology": name(s.technology_id) or None,
            "value": _number(s.value), "unit": s.unit, "previous_value": _number(s.previous_value),
            "observed_at": s.observed_at, "grade": s.grade, "method": s.method,
            "company_id": s.company_id, "customer_id": s.customer_id, "plant_id": s.plant_id,
            "technology_id": s.technology_id,
        } for s in result.signals],
    }


def _number(value: float | None) -> float | int | None:
    if value is None:
        return None
    return int(value) if float(value).is_integer() else value


_GRADES = ("observed", "reported", "rumoured")
_DATE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$")


def _context(raw: Any, catalog: Catalog) -> dict[str, Any]:
    """The optional ``context`` object, checked; a ValueError says what is wrong with it."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise ValueError("\"context\" must be an object such as {\"customer\": \"...\"}")
    for key in raw:
        if key not in _CONTEXT_KEYS:
            # a misspelt key would leave the text tagged without the context it meant to give
            close = difflib.get_close_matches(key, _CONTEXT_KEYS, n=1)
            raise ValueError(f"unknown context key {key!r} ("
                             + (f"did you mean {close[0]!r}? " if close else "")
                             + "keys: " + ", ".join(_CONTEXT_KEYS) + ")")
    for key, value in raw.items():
        if value is not None and not isinstance(value, str):
            raise ValueError(f"context {key} must be text (a name, an id or a date), not {value!r}")
    context = {key: raw[key] for key in _CONTEXT_KEYS if isinstance(raw.get(key), str)}
    if "grade" in context and context["grade"] not in _GRADES:
        raise ValueError(f"context grade must be one of {', '.join(_GRADES)}, not {context['grade']!r}")
    if "date" in context and not _DATE.match(context["date"]):
        raise ValueError(f"context date must be YYYY-MM-DD, not {context['date']!r}")
    # names are accepted as well as ids
    for key, kind in (("customer", "company"), ("competitor", "company"), ("plant", "plant")):
        value = context.get(key)
        if value and value not in catalog:
            found = catalog.find(value, kind)
            if len(found) != 1:
                raise ValueError(f"context {key} {value!r} is not in the catalog")
            context[key] = found[0].id
    return context


def _is_unicode(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def tag_lines(lines: Iterable[str], tagger: Tagger, batch_lines: int = BATCH_LINES,
              max_chars: int = MAX_TEXT_CHARS) -> Iterator[dict[str, Any]]:
    """One output object per input line, in input order; bad lines get an ``error`` (a text
    longer than ``max_chars`` too: the workspace's ``[tag] max_document_chars``)."""
    batch: list[str] = []
    for line in lines:
        batch.append(line)
        if len(batch) >= batch_lines:
            yield from _tag_batch(batch, tagger, max_chars)
            batch = []
    if batch:
        yield from _tag_batch(batch, tagger, max_chars)


def _tag_batch(lines: list[str], tagger: Tagger, max_chars: int = MAX_TEXT_CHARS) -> Iterator[dict[str, Any]]:
    # each line becomes (id, error) or (id, text, context)
    parsed: list[tuple[Any, str] | tuple[Any, str, dict[str, Any]]] = []
    for line in lines:
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            parsed.append((None, f"not valid JSON: {exc.msg} at column {exc.colno}"))
            continue
        if not isinstance(item, dict):
            parsed.append((None, "each line must be a JSON object like {\"id\": ..., \"text\": ...}"))
            continue
        item_id = item.get("id")
        if not isinstance(item.get("text"), str):
            parsed.append((item_id, "missing \"text\" (a string)"))
        elif len(item["text"]) > max_chars:
            parsed.append((item_id, f"text too long: {len(item['text']):,} characters, at most "
                                    f"{max_chars:,} ([tag] max_document_chars); split it"))
        elif not _is_unicode(item["text"]):
            parsed.append((item_id, "text is not valid Unicode (invalid UTF-8 bytes or a lone "
                                    "surrogate escape); send UTF-8"))
        else:
            try:
                parsed.append((item_id, item["text"], _context(item.get("context"), tagger.catalog)))
            except ValueError as exc:
                parsed.append((item_id, str(exc)))
    good = [entry for entry in parsed if len(entry) == 3]
    results = iter(tagger.tag_many((text, context) for _, text, context in good))
    for entry in parsed:
        if len(entry) == 2:
            yield {"id": entry[0], "error": entry[1]}
        else:
            yield result_json(entry[0], next(results), tagger.catalog)


def run(stdin: TextIO, stdout: TextIO, tagger: Tagger, max_chars: int = MAX_TEXT_CHARS) -> int:
    """Stream stdin to stdout; returns the number of lines with errors.

    From a file, lines are tagged in batches; from a pipe or a terminal, each line is answered
    as soon as it arrives, so a program can write a line and wait for its answer.
    """
    try:
        batch = BATCH_LINES if stat.S_ISREG(os.fstat(stdin.fileno()).st_mode) else 1
    except (OSError, ValueError, io.UnsupportedOperation):
        batch = BATCH_LINES
    errors = 0
    for output in tag_lines(stdin, tagger, batch, max_chars):
        errors += "error" in output
        line = json.dumps(output, ensure_ascii=False)
        if not _is_unicode(line):      # an id with a lone surrogate: escape it, stay valid JSON
            line = json.dumps(output)
        stdout.write(line + "\n")
        stdout.flush()
    return errors
