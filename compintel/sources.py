"""Source definitions: the ``[[source]]`` tables in ``sources/*.toml``.

A malformed definition is reported with file, line and key and skipped; the others load.
"""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .catalog import Catalog
from .errors import CatalogError, SourceError, UserError
from .extract import DATE_ORDERS
from .store import Store, utcnow
from .tomlfile import line_of, load_toml
from .urls import is_http_url
from .workspace import relative_to

KINDS = ("feed", "page", "listing", "folder", "notes", "table")
WEB_KINDS = ("feed", "page", "listing")
_NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
_COMMON = {"name", "kind", "url", "path", "tags", "enabled", "description"}
_OPTIONS: dict[str, dict[str, type | tuple[type, ...]]] = {
    "feed": {"fetch_articles": bool, "date_order": str},
    "page": {"date_order": str},
    "listing": {"max_links": int, "max_depth": int, "hosts": list, "link_pattern": str,
                "date_order": str},
    "folder": {"pattern": str, "date_order": str},
    "notes": {"pattern": str},
    "table": {"table": str, "sheet": str},
}
_NOT_SOURCE_FILES = {"catalog.toml"}


@dataclass(frozen=True)
class Source:
    name: str
    kind: str
    url: str | None
    path: Path | None              # absolute, for local sources
    tags: tuple[str, ...]          # catalog ids
    enabled: bool
    options: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)
    defined_in: str = ""

    @property
    def location(self) -> str:
        return self.url if self.url is not None else str(self.path)

    @property
    def is_web(self) -> bool:
        return self.url is not None


@dataclass
class SourceSet:
    sources: list[Source]
    errors: list[UserError]

    def named(self, name: str) -> Source:
        for source in self.sources:
            if source.name == name:
                return source
        known = ", ".join(source.name for source in self.sources) or "none"
        raise SourceError(f"no source named {name!r}", hint=f"sources: {known}")

    def of_kind(self, *kinds: str) -> list[Source]:
        return [source for source in self.sources if source.kind in kinds and source.enabled]


def source_files(sources_dir: Path) -> list[Path]:
    return sorted(path for path in sources_dir.glob("*.toml") if path.name not in _NOT_SOURCE_FILES)


def load_sources(sources_dir: Path, catalog: Catalog) -> SourceSet:
    """All source definitions under ``sources_dir``; bad ones become errors, not exceptions."""
    sources: list[Source] = []
    errors: list[UserError] = []
    seen: dict[str, str] = {}
    for path in source_files(sources_dir):
        try:
            data, text = load_toml(path, SourceError)
        except SourceError as exc:
            errors.append(exc)
            continue
        unknown = [key for key in data if key != "source"]
        if unknown:
            errors.append(SourceError(f"unknown table {unknown[0]!r}", path=path,
                                      line=line_of(text, unknown[0], unknown[0]),
                                      hint="define sources as [[source]] tables"))
        items = data.get("source", [])
        if not isinstance(items, list):
            errors.append(SourceError("use [[source]] (an array of tables)", path=path,
                                      line=line_of(text, "source", "source")))
            continue
        for index, raw in enumerate(items):
            if not isinstance(raw, dict):
                errors.append(SourceError(f"each source must be a [[source]] table, got {raw!r}",
                                          path=path, line=line_of(text, "source"),
                                          hint="write [[source]] followed by key = value lines"))
                continue
            try:
                source = _parse_source(raw, path, text, index, sources_dir, catalog)
            except UserError as exc:
                errors.append(exc)
                continue
            if source.name in seen:
                errors.append(SourceError(f"source name {source.name!r} is already used at {seen[source.name]}",
                                          path=path, line=line_of(text, "name", "source", index),
                                          field="source.name", hint="give each source its own name"))
                continue
            seen[source.name] = source.defined_in
            sources.append(source)
    return SourceSet(sources, errors)


def _parse_source(raw: dict[str, Any], path: Path, text: str, index: int, sources_dir: Path,
                  catalog: Catalog) -> Source:
    def fail(message: str, key: str, hint: str | None = None) -> SourceError:
        return SourceError(message, path=path, line=line_of(text, key, "source", index),
                           field=f"source.{key}", hint=hint)

    name = raw.get("name")
    if not isinstance(name, str) or not _NAME.match(name):
        raise fail(f"name must be lower-case letters, digits and dashes, got {name!r}", "name")
    kind = raw.get("kind")
    if kind not in KINDS:
        raise fail(f"kind must be one of {', '.join(KINDS)}, got {kind!r}", "kind")
    allowed = _COMMON | set(_OPTIONS[kind])
    for key in raw:
        if key not in allowed:
            raise fail(f"unknown key {key!r} for a {kind} source", key,
                       "allowed: " + ", ".join(sorted(allowed)))
    url = raw.get("url")
    local = raw.get("path")
    if (url is None) == (local is None):
        raise fail("give either url (web) or path (a local file or folder)", "url" if url else "path")
    resolved_path = None
    if url is not None:
        if kind not in WEB_KINDS:
            raise fail(f"a {kind} source reads local files: use path, not url", "url")
        if not isinstance(url, str) or not is_http_url(url):
            raise fail(f"only http(s) URLs are allowed, got {url!r}", "url")
    else:
        if not isinstance(local, str) or not local.strip():
            raise fail("path must be a non-empty string", "path")
        resolved_path = (sources_dir / local).resolve()
        if not resolved_path.is_relative_to(sources_dir.resolve()):
            # resolve() follows symlinks: a link inside sources/ to elsewhere is refused too
            raise fail(f"{local} leads outside the sources/ folder, to {resolved_path}", "path",
                       "local sources must be files or folders under sources/")
        if not resolved_path.exists():
            raise fail(f"{local} does not exist under {sources_dir}", "path",
                       "paths are relative to the sources/ folder")
    tags = raw.get("tags", [])
    if not isinstance(tags, list) or not all(isinstance(tag, str) for tag in tags):
        raise fail("tags must be a list of catalog names or ids", "tags")
    tag_ids = []
    for tag in tags:
        found = catalog.find(tag)
        if len(found) > 1:
            found = [entry for entry in found if entry.kind == "company"] or found
        if len(found) != 1:
            try:
                catalog.resolve(tag, "company")
            except CatalogError as exc:
                raise fail(exc.message.replace("company", "tag", 1), "tags", exc.hint) from None
            raise fail(f"tag {tag!r} is ambiguous ({', '.join(e.id for e in found)})", "tags",
                       "use the catalog id")
        tag_ids.append(found[0].id)
    enabled = raw.get("enabled", True)
    if not isinstance(enabled, bool):
        raise fail("enabled must be true or false", "enabled")
    options = {}
    for key, expected in _OPTIONS[kind].items():
        if key in raw:
            value = raw[key]
            if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
                raise fail(f"{key} must be {getattr(expected, '__name__', expected)}, got {value!r}", key)
            options[key] = value
    if kind == "table":
        from .tables import table_kinds

        kinds = sorted(table_kinds())
        if "table" not in options:
            raise fail("a table source needs table = \"sales\" (or another kind)", "table",
                       "kinds: " + ", ".join(kinds))
        if options["table"] not in kinds:
            close = difflib.get_close_matches(options["table"], kinds, n=1)
            raise fail(f"unknown table kind {options['table']!r}", "table",
                       f"did you mean {close[0]!r}?" if close else "kinds: " + ", ".join(kinds))
    pattern = options.get("pattern")
    if pattern is not None and (not pattern.strip() or pattern.startswith(("/", "\\"))
                                or ".." in Path(pattern).parts):
        raise fail(f"pattern must be a file pattern inside the folder, like \"*.html\", got {pattern!r}",
                   "pattern")
    if kind == "listing" and url is None:
        raise fail("a listing source follows links on a web page: give its url", "path")
    for key in ("max_links", "max_depth"):
        if key in options and options[key] < 1:
            raise fail(f"{key} must be at least 1, got {options[key]}", key)
    if "hosts" in options and not all(isinstance(h, str) and h for h in options["hosts"]):
        raise fail("hosts must be a list of host names such as \"www.example.com\"", "hosts")
    if "date_order" in options and options["date_order"] not in DATE_ORDERS:
        raise fail(f"date_order must be \"dmy\" (05/11/2026 is 5 November) or \"mdy\" "
                   f"(11 May), got {options['date_order']!r}", "date_order")
    if "link_pattern" in options:
        try:
            re.compile(options["link_pattern"])
        except re.error as exc:
            raise fail(f"link_pattern is not a valid regular expression ({exc})", "link_pattern") from None
    return Source(name=name, kind=kind, url=url, path=resolved_path, tags=tuple(tag_ids),
                  enabled=enabled, options=options,
                  defined_in=f"{path}:{line_of(text, 'name', 'source', index) or 0}")


def register_sources(store: Store, sources: list[Source], workspace_root: Path, *,
                     prune: bool = False) -> None:
    """Keep the store's ``sources`` table in step with the definitions.

    With ``prune``, sources no longer defined are removed (their documents stay, without a
    source); only prune when every definition file loaded, or a typo would forget them all.
    """
    with store.transaction() as db:
        if prune:
            names = {source.name for source in sources}
            for (name,) in db.execute("SELECT id FROM sources").fetchall():
                if name not in names:
                    db.execute("DELETE FROM sources WHERE id = ?", (name,))
                    db.execute("DELETE FROM gather_log WHERE source_id = ?", (name,))
        for source in sources:
            location = source.url if source.url else relative_to(source.path, workspace_root)
            db.execute(
                "INSERT INTO sources (id, kind, location, tags, defined_in, updated_at, enabled) "
                "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET kind = excluded.kind, "
                "location = excluded.location, tags = excluded.tags, defined_in = excluded.defined_in, "
                "enabled = excluded.enabled, updated_at = CASE WHEN sources.kind IS excluded.kind "
                "AND sources.location IS excluded.location AND sources.tags IS excluded.tags "
                "AND sources.enabled IS excluded.enabled THEN sources.updated_at "
                "ELSE excluded.updated_at END",
                (source.name, source.kind, location, json.dumps(list(source.tags)),
                 relative_to(Path(source.defined_in.rsplit(":", 1)[0]), workspace_root)
                 + ":" + source.defined_in.rsplit(":", 1)[1],
                 utcnow(), int(source.enabled)))
