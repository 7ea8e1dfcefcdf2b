"""Read the text files a user writes (TOML settings and definitions, notes, labelled sets)
with errors that name the file and line to fix."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

from .errors import UserError

_AT_LINE = re.compile(r"\(at line (\d+), column (\d+)\)")


def read_text(path: Path, error: type[UserError] = UserError, *, label: str | Path | None = None,
              missing: str = "file not found", hint: str = "save the file as UTF-8") -> str:
    """The UTF-8 text of ``path`` (a BOM is dropped); ``error`` names the file if it cannot be."""
    where = label if label is not None else path
    try:
        return path.read_text(encoding="utf-8-sig")
    except (FileNotFoundError, IsADirectoryError):
        raise error(missing, path=where) from None
    except UnicodeDecodeError as exc:
        raise error(f"not UTF-8 text ({exc.reason})", path=where, hint=hint) from None


def load_toml(path: Path, error: type[UserError] = UserError) -> tuple[dict[str, Any], str]:
    """Parse ``path``; a syntax error becomes ``error`` with file and line."""
    text = read_text(path, error)
    try:
        return tomllib.loads(text), text
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        found = _AT_LINE.search(message)
        line = int(found.group(1)) if found else None
        message = _AT_LINE.sub("", message).strip()
        raise error(f"TOML syntax error: {message}", path=path, line=line,
                    hint="fix the syntax; see the examples in the README") from None


def line_of(text: str, key: str, table: str | None = None, index: int = 0) -> int | None:
    """Line (1-based) where ``key`` is set inside the ``index``-th ``[[table]]`` (or ``[table]``).

    Used to point error messages at the right line; returns the table header line when the
    key is absent, and None when the table cannot be found.
    """
    lines = text.splitlines()
    start, end = 0, len(lines)
    header_found = table is None
    if table is not None:
        header = re.compile(r"^\s*\[\[?\s*" + re.escape(table) + r"\s*\]\]?\s*(#.*)?$")
        seen = -1
        for number, line in enumerate(lines):
            if header.match(line):
                seen += 1
                if seen == index:
                    start = number
                    header_found = True
                    break
        else:
            start = len(lines)
        for number in range(start + 1, len(lines)):
            if re.match(r"^\s*\[", lines[number]):
                end = number
                break
    key_line = re.compile(r"^\s*" + re.escape(key) + r"\s*=")
    for number in range(start, end):
        if key_line.match(lines[number]):
            return number + 1
    if table is not None:
        # also "table.key = …" and "table = { key = … }" written outside a [table] header
        dotted = re.compile(r"^\s*" + re.escape(table) + r"\s*\.\s*" + re.escape(key) + r"\s*=")
        inline = re.compile(r"^\s*" + re.escape(table) + r"\s*=\s*\{.*\b" + re.escape(key) + r"\s*=")
        for number, line in enumerate(lines):
            if dotted.match(line) or inline.match(line):
                return number + 1
    return start + 1 if table is not None and start < len(lines) and header_found else None


def key_lines(text: str, key: str, table: str) -> list[int | None]:
    """``line_of(text, key, table, index)`` for every ``[[table]]`` in the text, in one pass
    (a catalog file has hundreds of entries: asking ``line_of`` for each reads the file each time)."""
    lines = text.splitlines()
    header = re.compile(r"^\s*\[\[?\s*" + re.escape(table) + r"\s*\]\]?\s*(#.*)?$")
    key_line = re.compile(r"^\s*" + re.escape(key) + r"\s*=")
    found: list[int | None] = []
    inside = False
    for number, line in enumerate(lines):
        if header.match(line):
            found.append(None)
            inside = True
        elif inside and line.lstrip().startswith("["):
            inside = False
        elif inside and found[-1] is None and key_line.match(line):
            found[-1] = number + 1
    # a table without the key: where line_of points (a dotted or inline key, else its header)
    return [line if line is not None else line_of(text, key, table, index)
            for index, line in enumerate(found)]
