"""``compintel tag-text``: JSON Lines in, one JSON object per input line out, in order.

The contract is in DESIGN.md ("Entities and signals"). Besides ``id`` and ``text``, an input
line may carry an optional ``context`` object (customer, plant, competitor, grade, date) — what
a field note's front matter would say.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any, TextIO

from .catalog import Catalog
from .nlp import Tagger, TagResult

BATCH_LINES = 256
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
            "company": name(s.company_id) or None, "customer": name(s.customer_id) or None,
            "technology": name(s.technology_id) or None,
            "value": _number(s.value), "unit": s.unit,
            "observed_at": s.observed_at, "grade": s.grade,
            "company_id": s.company_id, "customer_id": s.customer_id, "plant_id": s.plant_id,
            "technology_id": s.technology_id,
        } for s in result.signals],
    }


def _number(value: float | None) -> float | int | None:
    if value is None:
        return None
    return int(value) if float(value).is_integer() else value


def _context(raw: Any, catalog: Catalog) -> dict[str, Any]:
    if not isinstance(raw, dict):
        return {}
    context = {key: raw[key] for key in _CONTEXT_KEYS if isinstance(raw.get(key), str)}
    # names are accepted as well as ids
    for key, kind in (("customer", "company"), ("competitor", "company"), ("plant", "plant")):
        value = context.get(key)
        if value and value not in catalog:
            found = catalog.find(value, kind)
            if len(found) == 1:
                context[key] = found[0].id
    return context


def _is_unicode(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def tag_lines(lines: Iterable[str], tagger: Tagger) -> Iterator[dict[str, Any]]:
    """One output object per input line, in input order; bad lines get an ``error``."""
    batch: list[str] = []
    for line in lines:
        batch.append(line)
        if len(batch) >= BATCH_LINES:
            yield from _tag_batch(batch, tagger)
            batch = []
    if batch:
        yield from _tag_batch(batch, tagger)


def _tag_batch(lines: list[str], tagger: Tagger) -> Iterator[dict[str, Any]]:
    parsed: list[dict[str, Any] | str] = []
    for line in lines:
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            parsed.append(f"not valid JSON: {exc.msg} at column {exc.colno}")
            continue
        if not isinstance(item, dict):
            parsed.append("each line must be a JSON object like {\"id\": ..., \"text\": ...}")
        elif not isinstance(item.get("text"), str):
            parsed.append({"error": "missing \"text\" (a string)", "id": item.get("id")})
        elif not _is_unicode(item["text"]):
            parsed.append({"error": "text is not valid Unicode (invalid UTF-8 bytes or a lone "
                                    "surrogate escape); send UTF-8", "id": item.get("id")})
        else:
            parsed.append(item)
    good = [item for item in parsed if isinstance(item, dict) and "error" not in item]
    results = iter(tagger.tag_many((item["text"], _context(item.get("context"), tagger.catalog))
                                   for item in good))
    for item in parsed:
        if isinstance(item, str):
            yield {"id": None, "error": item}
        elif "error" in item:
            yield {"id": item.get("id"), "error": item["error"]}
        else:
            yield result_json(item.get("id"), next(results), tagger.catalog)


def run(stdin: TextIO, stdout: TextIO, tagger: Tagger) -> int:
    """Stream stdin to stdout; returns the number of lines with errors."""
    errors = 0
    for output in tag_lines(stdin, tagger):
        errors += "error" in output
        line = json.dumps(output, ensure_ascii=False)
        if not _is_unicode(line):      # an id with a lone surrogate: escape it, stay valid JSON
            line = json.dumps(output)
        stdout.write(line + "\n")
        stdout.flush()
    return errors
