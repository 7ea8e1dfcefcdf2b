"""Corrections a KAM makes to tagged signals, kept in ``corrections.toml`` in the workspace.

The file is the store of corrections: plain TOML a person can read, review and edit, one
``[[correction]]`` per signal. A correction names its signal by what survives re-tagging —
the document (its URL, or ``note:`` + workspace path), the evidence sentence, and the type and
company the tagger gave — never by a row id, which changes on every re-tag. When the sentence
is no longer in the document, or the tagger no longer finds that signal in it, the correction
is *orphaned*: it changes nothing, and ``compintel signals corrections`` says so.

    [[correction]]
    document = "note:sources/demo/notes/2026-01-21-navika-kesarpur-vitreon-ppm.md"
    sentence = "- SQA board Dec: VAGL PPM 150 (Vela WS + BL combined), ours 68."
    type = "quality_ppm"
    company = "vitreon"
    tagged_value = 150
    set = { value = 160 }
    reason = "the SQA board said 160"
    by = "R. Iyer"
    at = 2026-11-03T10:12:00Z
"""

from __future__ import annotations

import os
import re
import tempfile
import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from .errors import UserError
from .tomlfile import line_of, load_toml

FILE_NAME = "corrections.toml"
FIELDS = ("type", "company", "customer", "value", "unit")     # what a correction may set
NO_FIGURE = "none"                                              # set.value = "none": drop the figure
_KEY_FIELDS = ("document", "sentence", "type", "company", "tagged_value")
_OPTIONAL = ("reject", "set", "reason", "by", "at")
_HEADER = re.compile(r"^\s*\[\[\s*correction\s*\]\]\s*(#.*)?$")

FILE_INTRO = """\
# Corrections to tagged signals: `compintel signals correct ID ...` and
# `compintel signals reject ID` add them here, and you may edit the file by hand
# (format: docs/formats.md). Each [[correction]] names its signal by document, evidence
# sentence, and the type and company the tagger gave, so it survives re-tagging; one whose
# sentence is gone is listed as orphaned by `compintel signals corrections`.
"""


class CorrectionsError(UserError):
    """The corrections file is malformed, or a correction cannot be made."""


def normalise(text: str | None) -> str:
    """Whitespace collapsed and case folded: how sentences and names are compared."""
    return " ".join((text or "").split()).casefold()


@dataclass(frozen=True)
class Correction:
    """One ``[[correction]]``: the signal it is about, and what to do with it."""

    document: str                       # documents.url: a canonical URL, or note:/file: + path
    sentence: str                       # the evidence sentence, whitespace collapsed
    type: str                           # the type the tagger gave
    company: str | None = None          # the company the tagger gave: catalog id or name as written
    tagged_value: float | None = None   # tells apart two such signals in one sentence
    reject: bool = False
    set: dict[str, Any] = field(default_factory=dict)
    reason: str | None = None
    by: str | None = None
    at: str | None = None
    line: int | None = None             # where it starts in the file

    @property
    def key(self) -> tuple[str, str, str, str, float | None]:
        return (self.document, normalise(self.sentence), self.type, normalise(self.company),
                self.tagged_value)

    def describe(self) -> str:
        """"rejected", or the fields set: "company → kestrel-glass, value → 160"."""
        if self.reject:
            return "rejected"
        return ", ".join(f"{name} → {_shown(self.set[name])}" for name in FIELDS if name in self.set)


def _shown(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


@dataclass
class Resolvers:
    """How names in a correction become catalog ids (the catalog's own errors when they don't)."""

    company: Callable[[str], str]
    customer: Callable[[str], str]
    company_key: Callable[[str], str]     # a tagged company as written → its catalog id, if one


# -- reading ------------------------------------------------------------------------------

def path_in(root: Path) -> Path:
    return root / FILE_NAME


def load(path: Path, resolvers: Resolvers, *, label: str | None = None) -> list[Correction]:
    """The corrections in ``path`` (none when it does not exist), checked entry by entry.

    A malformed file raises :class:`CorrectionsError` naming the file and line.
    """
    if not path.exists():
        return []
    where = label or str(path)
    try:
        data, text = load_toml(path, CorrectionsError)
    except CorrectionsError as exc:
        raise CorrectionsError(exc.message, path=where, line=exc.line,
                               hint="fix it by hand (format: docs/formats.md); nothing was "
                                    "changed") from None
    for key in data:
        if key != "correction":
            raise CorrectionsError(f"unknown table or key {key!r}", path=where,
                                   line=line_of(text, key) or line_of(text, key, key),
                                   hint="the file holds only [[correction]] entries")
    entries = data.get("correction", [])
    if not isinstance(entries, list):
        raise CorrectionsError("write each correction as [[correction]], not [correction]",
                               path=where, line=line_of(text, "correction"))
    from .nlp.lexicon import SIGNAL_TYPES, SIGNAL_UNITS

    found: list[Correction] = []
    seen: dict[tuple, int | None] = {}
    for index, raw in enumerate(entries):
        def fail(message: str, key: str | None = None, hint: str | None = None,
                 index: int = index) -> CorrectionsError:
            # no key: an impossible one, so that line_of gives the entry's header line
            line = line_of(text, key or "[[correction]]", "correction", index)
            return CorrectionsError(message, path=where, line=line,
                                    field=f"correction.{key}" if key else None, hint=hint)

        unknown = [key for key in raw if key not in (*_KEY_FIELDS, *_OPTIONAL)]
        if unknown:
            raise fail(f"unknown key {unknown[0]!r}", unknown[0],
                       "keys: " + ", ".join((*_KEY_FIELDS, *_OPTIONAL)))
        for key in ("document", "sentence", "type"):
            if not isinstance(raw.get(key), str) or not raw[key].strip():
                raise fail(f"{key} is missing or empty", key if key in raw else None,
                           "copy it from `compintel signals corrections`, or add the correction "
                           "again with `compintel signals correct ID`")
        if raw["type"] not in SIGNAL_TYPES:
            raise fail(f"unknown signal type {raw['type']!r}", "type", "types: " + ", ".join(SIGNAL_TYPES))
        company = raw.get("company")
        if company is not None and not isinstance(company, str):
            raise fail("company must be a string (a catalog id or the name as tagged)", "company")
        tagged_value = raw.get("tagged_value")
        if tagged_value is not None and (isinstance(tagged_value, bool)
                                         or not isinstance(tagged_value, int | float)):
            raise fail("tagged_value must be a number", "tagged_value")
        reject = raw.get("reject", False)
        if not isinstance(reject, bool):
            raise fail("reject must be true or false", "reject")
        changes = raw.get("set", {})
        if not isinstance(changes, dict):
            raise fail("set must be a table, e.g. set = { company = \"vitreon\", value = 6 }", "set")
        if reject and changes:
            raise fail("a correction either rejects its signal or sets fields, not both", "reject",
                       "remove reject = true or the set table")
        if not reject and not changes:
            raise fail("this correction changes nothing", None,
                       "add reject = true, or set = { type/company/customer/value/unit = ... }")
        checked: dict[str, Any] = {}
        for name, value in changes.items():
            if name not in FIELDS:
                raise fail(f"cannot set {name!r}", "set", "fields: " + ", ".join(FIELDS))
            try:
                checked[name] = check_field(name, value, resolvers, SIGNAL_TYPES, SIGNAL_UNITS)
            except UserError as exc:
                raise fail(f"set.{name}: {exc.message}", "set", exc.hint) from None
        for name in ("reason", "by"):
            if raw.get(name) is not None and not isinstance(raw[name], str):
                raise fail(f"{name} must be a string", name)
        at = raw.get("at")
        if at is not None and not isinstance(at, str | date | datetime):
            raise fail("at must be a date, a date-time or a string", "at")
        if company is not None and company.strip():
            company = resolvers.company_key(company.strip())
        else:
            company = None
        entry = Correction(
            document=raw["document"].strip(), sentence=" ".join(raw["sentence"].split()),
            type=raw["type"], company=company,
            tagged_value=float(tagged_value) if tagged_value is not None else None,
            reject=reject, set=checked, reason=raw.get("reason"), by=raw.get("by"),
            at=_timestamp(at) if at is not None else None,
            line=line_of(text, "[[correction]]", "correction", index))
        if entry.key in seen:
            raise fail(f"the same signal as the correction at line {seen[entry.key]}", None,
                       "keep one of the two")
        seen[entry.key] = entry.line
        found.append(entry)
    return found


def check_field(name: str, value: Any, resolvers: Resolvers, types: Iterable[str],
                units: Iterable[str]) -> Any:
    """A new value for ``name``, checked (names become catalog ids); UserError if wrong."""
    if name == "type":
        if value not in tuple(types):
            raise UserError(f"unknown signal type {value!r}", hint="types: " + ", ".join(types))
        return value
    if name in ("company", "customer"):
        if not isinstance(value, str) or not value.strip():
            raise UserError(f"{name} must be a catalog name or id")
        return (resolvers.company if name == "company" else resolvers.customer)(value.strip())
    if name == "value":
        if isinstance(value, str) and value.strip().casefold() == NO_FIGURE:
            return NO_FIGURE
        if isinstance(value, str):
            try:
                value = float(value.replace(",", ""))
            except ValueError:
                raise UserError(f"value must be a number or \"{NO_FIGURE}\", not {value!r}") from None
        if isinstance(value, bool) or not isinstance(value, int | float) or value != value:
            raise UserError(f"value must be a number or \"{NO_FIGURE}\"")
        return float(value)
    if name == "unit":
        if value not in tuple(units):
            raise UserError(f"unknown unit {value!r}", hint="units: " + ", ".join(units))
        return value
    raise UserError(f"cannot set {name!r}", hint="fields: " + ", ".join(FIELDS))


def _timestamp(value: Any) -> str:
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(UTC)
        return value.replace(tzinfo=None, microsecond=0).isoformat() + "Z"
    return value.isoformat() if isinstance(value, date) else str(value)


# -- matching -----------------------------------------------------------------------------

def company_key(row: Any) -> str:
    """A signal's company as a correction names it: the catalog id, else the name as written."""
    company_id, name = row["company_id"], row["company_name"]
    if isinstance(company_id, str) and company_id:
        return company_id
    return name if isinstance(name, str) else ""


def match(corrections: list[Correction], signals: pd.DataFrame) -> dict[int, list[Any]]:
    """For each correction (by position), the index labels of the signals it applies to.

    ``signals`` needs ``document_url``, ``type``, ``company_id``, ``company_name``, ``text`` and
    ``value``. A signal matches when its document, type and company are the correction's and
    its evidence is the correction's sentence — or, when the tagger now splits sentences
    differently, one contains the other. ``tagged_value`` picks among several such signals.
    With a ``story_id`` column, the syndicated copies of the document's story match too (a
    story counts once in reports, whichever copy stands for it).
    """
    if not corrections or signals.empty:
        return {}
    wanted = {entry.document for entry in corrections}
    own = signals["document_url"].isin(wanted)
    story_of: dict[str, Any] = {}
    if "story_id" in signals:
        story_of = dict(zip(signals.loc[own, "document_url"], signals.loc[own, "story_id"], strict=True))
        own |= signals["story_id"].isin(set(story_of.values()))

    def place(url: str) -> tuple[str, Any]:
        return ("story", story_of[url]) if url in story_of else ("document", url)

    by_place: dict[tuple, list[tuple[Any, str, Any]]] = {}
    for label, row in signals[own].iterrows():
        where = ("story", row["story_id"]) if story_of else ("document", row["document_url"])
        key = (where, row["type"], normalise(company_key(row)))
        by_place.setdefault(key, []).append((label, normalise(row["text"]), row["value"]))
    found: dict[int, list[Any]] = {}
    for position, entry in enumerate(corrections):
        candidates = by_place.get((place(entry.document), entry.type, normalise(entry.company)), [])
        sentence = normalise(entry.sentence)
        hits = [c for c in candidates if c[1] == sentence]
        if not hits:
            hits = [c for c in candidates if c[1] and (c[1] in sentence or sentence in c[1])]
        if len(hits) > 1 and entry.tagged_value is not None:
            same = [c for c in hits if pd.notna(c[2]) and float(c[2]) == entry.tagged_value]
            hits = same or hits
        if hits:
            found[position] = [c[0] for c in hits]
    return found


def apply(corrections: list[Correction], signals: pd.DataFrame,
          display_name: Callable[[str | None], str],
          owner: Callable[[str], str | None]) -> pd.DataFrame:
    """``signals`` with rejected ones left out and fixed fields replaced.

    Adds ``corrected`` (bool) and ``correction_note`` (what changed, and why) columns.
    """
    frame = signals.copy()
    frame["corrected"] = False
    frame["correction_note"] = None
    if frame.empty:
        return frame
    frame["corrected"] = frame["corrected"].astype(bool)
    frame["correction_note"] = frame["correction_note"].astype(object)
    for column in ("value", "unit", "company_id", "company_name", "customer_id", "customer_name",
                   "plant_id", "type"):
        if column in frame:
            frame[column] = frame[column].astype(object)
    rejected: list[Any] = []
    for position, labels in match(corrections, frame).items():
        entry = corrections[position]
        if entry.reject:
            rejected.extend(labels)
            continue
        for label in labels:
            was = []
            for name, value in entry.set.items():
                if name == "type":
                    was.append(f"type was {frame.at[label, 'type']}")
                    frame.at[label, "type"] = value
                elif name == "company":
                    was.append(f"company was {_name(frame, label, 'company', display_name)}")
                    frame.at[label, "company_id"] = value
                    frame.at[label, "company_name"] = None
                elif name == "customer":
                    was.append(f"customer was {_name(frame, label, 'customer', display_name)}")
                    frame.at[label, "customer_id"] = value
                    frame.at[label, "customer_name"] = None
                    plant = frame.at[label, "plant_id"] if "plant_id" in frame else None
                    if isinstance(plant, str) and owner(plant) != value:
                        frame.at[label, "plant_id"] = None
                elif name == "value":
                    old = frame.at[label, "value"]
                    old_unit = frame.at[label, "unit"]
                    was.append("figure was " + (f"{_shown(float(old))} {old_unit or ''}".strip()
                                                if pd.notna(old) else "none"))
                    if value == NO_FIGURE:
                        frame.at[label, "value"] = None
                        frame.at[label, "unit"] = None
                        if "previous_value" in frame:
                            frame.at[label, "previous_value"] = None
                    else:
                        frame.at[label, "value"] = value
                elif name == "unit":
                    if "value" not in entry.set:
                        was.append(f"unit was {frame.at[label, 'unit'] or 'none'}")
                    if entry.set.get("value") != NO_FIGURE:
                        frame.at[label, "unit"] = value
            note = "; ".join(was)
            if entry.reason:
                note += f" ({entry.reason})"
            frame.at[label, "corrected"] = True
            frame.at[label, "correction_note"] = note
    if rejected:
        frame = frame.drop(index=rejected)
    frame["value"] = pd.to_numeric(frame["value"], errors="coerce")
    return frame


def _name(frame: pd.DataFrame, label: Any, what: str,
          display_name: Callable[[str | None], str]) -> str:
    entity = frame.at[label, f"{what}_id"]
    if isinstance(entity, str) and entity:
        return display_name(entity)
    name = frame.at[label, f"{what}_name"]
    return name if isinstance(name, str) and name else "none"


# -- writing ------------------------------------------------------------------------------

def save(path: Path, entry: Correction, corrections: list[Correction],
         existing: Correction | None = None) -> Correction:
    """Add ``entry`` to the file, or merge it into ``existing``, the correction of its signal.

    The rest of the file is kept as written (comments too); a merged correction is rewritten
    in place with the signal as tagged now, keeping its comment lines. The file is replaced in
    one step.
    """
    text = path.read_text(encoding="utf-8-sig") if path.exists() else FILE_INTRO
    lines = text.splitlines()
    if existing is None:
        merged = entry
        if lines and lines[-1].strip():
            lines.append("")
        lines.extend(render(merged))
    else:
        changes = {} if entry.reject else {**({} if existing.reject else existing.set), **entry.set}
        merged = replace(entry, set=changes, reason=entry.reason or existing.reason,
                         by=entry.by or existing.by, line=existing.line)
        start, end = _block(lines, corrections.index(existing))
        comments = [line for line in lines[start + 1:end] if line.strip().startswith("#")]
        block = render(merged)
        lines[start:end] = [block[0], *comments, *block[1:]]
    _write(path, "\n".join(lines) + "\n")
    return merged


def remove(path: Path, entry: Correction, corrections: list[Correction]) -> None:
    """Take ``entry`` out of the file (its comment lines go with it)."""
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    start, end = _block(lines, corrections.index(entry))
    while end < len(lines) and not lines[end].strip() and start > 0 and not lines[start - 1].strip():
        end += 1
    del lines[start:end]
    _write(path, "\n".join(lines).rstrip("\n") + "\n")


def _block(lines: list[str], index: int) -> tuple[int, int]:
    """Line range [start, end) of the ``index``-th [[correction]]: its header up to the next
    one, less the comments and blank lines just above that one (they belong to it)."""
    headers = [number for number, line in enumerate(lines) if _HEADER.match(line)]
    start = headers[index]
    end = headers[index + 1] if index + 1 < len(headers) else len(lines)
    if end < len(lines):
        while end - 1 > start and (not lines[end - 1].strip() or lines[end - 1].lstrip().startswith("#")):
            end -= 1
    while end - 1 > start and not lines[end - 1].strip():
        end -= 1
    return start, end


def render(entry: Correction) -> list[str]:
    """The TOML lines of one correction."""
    out = ["[[correction]]",
           f"document = {_toml(entry.document)}",
           f"sentence = {_toml(entry.sentence)}",
           f"type = {_toml(entry.type)}"]
    if entry.company:
        out.append(f"company = {_toml(entry.company)}")
    if entry.tagged_value is not None:
        out.append(f"tagged_value = {_toml(entry.tagged_value)}")
    if entry.reject:
        out.append("reject = true")
    else:
        fields = ", ".join(f"{name} = {_toml(entry.set[name])}" for name in FIELDS if name in entry.set)
        out.append(f"set = {{ {fields} }}")
    for name in ("reason", "by"):
        if getattr(entry, name):
            out.append(f"{name} = {_toml(getattr(entry, name))}")
    if entry.at:
        out.append(f"at = {entry.at}" if _is_datetime(entry.at) else f"at = {_toml(entry.at)}")
    return out


def _is_datetime(text: str) -> bool:
    try:
        tomllib.loads(f"at = {text}")
    except tomllib.TOMLDecodeError:
        return False
    return True


def _toml(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        number = float(value)
        return str(int(number)) if number.is_integer() and abs(number) < 1e15 else repr(number)
    escaped = []
    for char in str(value):
        if char in '"\\':
            escaped.append("\\" + char)
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            escaped.append({"\n": "\\n", "\t": "\\t", "\r": "\\r"}.get(char, f"\\u{ord(char):04X}"))
        else:
            escaped.append(char)
    return '"' + "".join(escaped) + '"'


def _write(path: Path, text: str) -> None:
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".corrections-", suffix=".toml")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as out:
            out.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def now() -> str:
    return datetime.now(UTC).replace(microsecond=0, tzinfo=None).isoformat() + "Z"
