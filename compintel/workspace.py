"""Workspaces: a folder with ``compintel.toml``, ``sources/``, the SQLite store and ``reports/``.

Settings live here, in one place, with their defaults; a workspace's ``compintel.toml``
overrides them. Unknown keys are errors (a typo must not silently fall back to a default), and
so are numbers out of range: every number must be above 0, except where its comment says 0 is
allowed (``_ZERO_ALLOWED``).
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from .errors import WorkspaceError
from .tomlfile import line_of, load_toml

CONFIG_NAME = "compintel.toml"
ENV_VAR = "COMPINTEL_WORKSPACE"


@dataclass(frozen=True)
class HttpSettings:
    """How compintel talks to the web. Polite by default."""

    user_agent: str = "compintel/0.1 (competitor-intelligence workbench; +https://github.com/compintel/compintel)"
    connect_timeout: float = 10.0       # seconds to open a connection
    read_timeout: float = 30.0          # seconds between bytes
    max_bytes: int = 10_000_000         # body size cap, enforced while streaming
    min_host_interval: float = 1.0      # seconds between two requests to one host (0: no pause)
    retries: int = 3                    # on 429 and 5xx, with exponential backoff (0: none)
    backoff_factor: float = 0.5         # 0: retry at once
    max_retry_after: float = 120.0      # a longer Retry-After is a failure, not a wait (0: any is)
    max_redirects: int = 5              # 0: a redirect is a failure
    respect_robots: bool = True
    request_deadline: float = 60.0      # seconds for one request as a whole: connect and all reads
    retry_wait_per_url: float = 120.0   # total Retry-After/backoff wait for one URL (0: no waits)
    retry_wait_per_run: float = 600.0   # total Retry-After/backoff wait for one gather run (0: no waits)
    # hosts or CIDR ranges that may be private (an intranet; tests' local servers)
    allow_private: tuple[str, ...] = ()
    # set from the workspace, not compintel.toml: where processes share the per-host pace
    pace_file: str = field(default="", compare=False)


@dataclass(frozen=True)
class GatherSettings:
    listing_max_links: int = 50         # links followed per listing page
    listing_max_depth: int = 1          # levels of links followed from the listing page
    max_feed_entries: int = 500         # entries read per feed (the newest, if dated); the note says when more
    near_duplicate_threshold: float = 0.7   # estimated Jaccard similarity of word shingles (above 1: no grouping)


@dataclass(frozen=True)
class TagSettings:
    max_document_chars: int = 5_000_000  # a longer document is not tagged, and the run says so


@dataclass(frozen=True)
class TableSettings:
    """Limits on an account table or visit log, checked before (or while) it is read."""

    max_unpacked_mb: int = 100          # an XLSX's parts unzipped, or a CSV file
    max_cells: int = 2_000_000          # cells of the sheet read (rows × columns)
    max_shared_strings_mb: int = 20     # an XLSX's shared-strings part unzipped (loaded whole)


@dataclass(frozen=True)
class ReportSettings:
    parallel: int = 2                   # customers rendered at once (at least 1)
    timeout: int = 600                  # seconds per notebook cell (0: no limit)


@dataclass(frozen=True)
class WorkspaceSettings:
    name: str = "compintel workspace"
    our_company: str | None = None      # catalog id; None = the domain pack's default
    fictional: bool = False             # the demo world says so in every report
    store: str = "compintel.db"
    http: HttpSettings = field(default_factory=HttpSettings)
    gather: GatherSettings = field(default_factory=GatherSettings)
    report: ReportSettings = field(default_factory=ReportSettings)
    tag: TagSettings = field(default_factory=TagSettings)
    tables: TableSettings = field(default_factory=TableSettings)


_SECTIONS = {"http": HttpSettings, "gather": GatherSettings, "report": ReportSettings, "tag": TagSettings,
             "tables": TableSettings}
_DERIVED = {"pace_file"}     # filled in from the workspace, never read from compintel.toml
# numbers must be above 0 (a timeout, size, count, deadline or limit of 0 makes nothing work);
# for these, 0 means "none" or "off", as their comments say
_ZERO_ALLOWED = {"http.min_host_interval", "http.retries", "http.backoff_factor", "http.max_retry_after",
                 "http.max_redirects", "http.retry_wait_per_url", "http.retry_wait_per_run",
                 "report.timeout"}
# (a near-duplicate threshold above 1 groups no stories: the way to switch grouping off)
PACE_SUFFIX = "-hosts"       # beside the store: compintel.db-hosts


def _coerce(value: Any, default: Any, path: Path, text: str, table: str, key: str) -> Any:
    expected = type(default) if default is not None else str
    if expected is tuple and isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    if expected is tuple:
        raise WorkspaceError(f"expected a list of strings, got {value!r}",
                             path=path, line=line_of(text, key, table), field=f"{table}.{key}")
    if expected is float and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
        raise WorkspaceError(
            f"expected {expected.__name__}, got {type(value).__name__} {value!r}",
            path=path, line=line_of(text, key, table), field=f"{table}.{key}")
    if expected in (int, float):
        _check_range(value, default, path, text, table, key)
    return value


def _check_range(value: float, default: float, path: Path, text: str, table: str, key: str) -> None:
    """WorkspaceError (file, line and key) for a number out of its setting's range."""
    name = f"{table}.{key}"
    zero_allowed = name in _ZERO_ALLOWED
    if math.isfinite(value) and (value >= 0 if zero_allowed else value > 0):
        return
    wanted = "0 or more" if zero_allowed else "more than 0"
    got = f"{value:g}" if isinstance(value, float) else str(value)      # -5 as written, not -5.0
    raise WorkspaceError(f"must be {wanted}, got {got}", path=path, line=line_of(text, key, table),
                         field=name, hint=f"the default is {default!r}; delete the line to use it")


def parse_settings(path: Path) -> WorkspaceSettings:
    """Read ``compintel.toml``; every error names the file, line and key."""
    data, text = load_toml(path, WorkspaceError)
    settings = WorkspaceSettings()
    for section in ("workspace", *_SECTIONS):
        if section in data and not isinstance(data[section], dict):
            raise WorkspaceError(f"[{section}] must be a table of settings, not a value",
                                 path=path, line=line_of(text, section), field=section,
                                 hint=f"write [{section}] on its own line, then key = value lines")
    top = data.get("workspace", {})
    changes: dict[str, Any] = {}
    for key, value in top.items():
        if key not in {"name", "our_company", "fictional", "store"}:
            raise WorkspaceError(f"unknown key {key!r}", path=path,
                                 line=line_of(text, key, "workspace"), field=f"workspace.{key}",
                                 hint="allowed: name, our_company, fictional, store")
        changes[key] = _coerce(value, getattr(settings, key) if key != "our_company" else "",
                               path, text, "workspace", key)
    for section, cls in _SECTIONS.items():
        given = data.get(section, {})
        defaults = cls()
        allowed = {f.name for f in fields(cls)} - _DERIVED
        values = {}
        for key, value in given.items():
            if key not in allowed:
                raise WorkspaceError(f"unknown key {key!r}", path=path,
                                     line=line_of(text, key, section), field=f"{section}.{key}",
                                     hint="allowed: " + ", ".join(sorted(allowed)))
            values[key] = _coerce(value, getattr(defaults, key), path, text, section, key)
        changes[section] = replace(defaults, **values)
    for key in data:
        if key not in {"workspace", *_SECTIONS}:
            raise WorkspaceError(f"unknown section [{key}]", path=path, line=line_of(text, key, key),
                                 hint="allowed: [workspace], " + ", ".join(f"[{name}]" for name in _SECTIONS))
    settings = replace(settings, **changes)
    pace_file = path.parent / (settings.store + PACE_SUFFIX)
    return replace(settings, http=replace(settings.http, pace_file=str(pace_file)))


def relative_to(path: Path, root: Path) -> str:
    """``path`` relative to ``root`` when inside it, else absolute (POSIX separators)."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.resolve().as_posix()


class Workspace:
    """A workspace folder and its settings."""

    def __init__(self, root: Path, settings: WorkspaceSettings) -> None:
        self.root = root
        self.settings = settings

    # -- locations -------------------------------------------------------------------
    @property
    def config_path(self) -> Path:
        return self.root / CONFIG_NAME

    @property
    def sources_dir(self) -> Path:
        return self.root / "sources"

    @property
    def store_path(self) -> Path:
        return self.root / self.settings.store

    @property
    def reports_dir(self) -> Path:
        return self.root / "reports"

    def relative(self, path: Path) -> str:
        """``path`` relative to the workspace when inside it (for stable store keys)."""
        return relative_to(path, self.root)

    # -- opening ---------------------------------------------------------------------
    @classmethod
    def load(cls, root: Path) -> Workspace:
        root = root.expanduser().resolve()
        if not (root / CONFIG_NAME).is_file():
            raise WorkspaceError(f"no {CONFIG_NAME} in {root}",
                                 hint="run `compintel init DIR` to create a workspace, or pass --workspace")
        return cls(root, parse_settings(root / CONFIG_NAME))

    @classmethod
    def find(cls, path: str | Path | None = None) -> Workspace:
        """The workspace at ``path``, else ``$COMPINTEL_WORKSPACE``, else the nearest one above cwd."""
        if path is not None:
            root = Path(path)
            if not root.exists():
                raise WorkspaceError(f"workspace {root} does not exist",
                                     hint=f"create it with `compintel init {root}`")
            return cls.load(root)
        env = os.environ.get(ENV_VAR)
        if env:
            if not Path(env).exists():
                raise WorkspaceError(f"{ENV_VAR}={env} does not exist",
                                     hint=f"create it with `compintel init {env}` or unset {ENV_VAR}")
            return cls.load(Path(env))
        here = Path.cwd().resolve()
        for candidate in (here, *here.parents):
            if (candidate / CONFIG_NAME).is_file():
                return cls.load(candidate)
        raise WorkspaceError(f"no {CONFIG_NAME} in {here} or any folder above it",
                             hint="run `compintel init DIR`, pass --workspace DIR, or set " + ENV_VAR)

    @classmethod
    def find_optional(cls, path: str | Path | None = None) -> Workspace | None:
        """Like :meth:`find`, but None when nothing points at a workspace and none is above cwd.

        A workspace that is named (argument or ``$COMPINTEL_WORKSPACE``) but broken is an error.
        """
        if path is not None or os.environ.get(ENV_VAR):
            return cls.find(path)
        here = Path.cwd().resolve()
        if not any((candidate / CONFIG_NAME).is_file() for candidate in (here, *here.parents)):
            return None
        return cls.find()

    def __repr__(self) -> str:
        return f"Workspace({str(self.root)!r})"


DEFAULT_CONFIG = """\
# compintel workspace settings. Every key is optional; the defaults are shown commented.
# Numbers must be above 0; the [http] pause, retry and redirect settings may be 0 (none).
[workspace]
name = "{name}"
# our_company = "asahi-india-glass"   # catalog id of "us" in the 3C report
# fictional = false

[http]
# user_agent = "compintel/0.1 (competitor-intelligence workbench; contact: you@example.com)"
# connect_timeout = 10.0
# read_timeout = 30.0
# max_bytes = 10000000
# min_host_interval = 1.0      # seconds between two requests to one host (0: no pause)
# retries = 3                  # on 429 and 5xx, with backoff (0: none)
# backoff_factor = 0.5         # seconds: the exponential backoff's base (0: retry at once)
# max_retry_after = 120.0      # a longer Retry-After is a failure, not a wait (0: any is)
# max_redirects = 5            # redirect hops followed (0: a redirect is a failure)
# request_deadline = 60.0      # seconds for one request as a whole: connect and every read
# retry_wait_per_url = 120.0   # total Retry-After/backoff wait for one URL (0: no waits) …
# retry_wait_per_run = 600.0   # … and for one gather run; past either, the URL fails
# allow_private = []           # hosts or CIDR ranges that may be private, e.g. ["10.20.0.0/16"]

[gather]
# max_feed_entries = 500     # entries read per feed, the newest if dated; the run notes the rest

[report]
# parallel = 2
# timeout = 600           # seconds per notebook cell; 0: no limit

[tag]
# max_document_chars = 5000000   # a longer document is not tagged; the run names it

[tables]
# max_unpacked_mb = 100     # a bigger workbook (unzipped) or CSV is refused
# max_cells = 2000000       # a sheet with more cells is refused
# max_shared_strings_mb = 20  # an XLSX's shared strings (loaded whole) past this are refused
"""

DEFAULT_SOURCES = """\
# Sources this workspace gathers from. One [[source]] table per source.
#
# [[source]]
# name = "autocarpro-national"
# kind = "feed"                 # feed | page | listing | folder | notes | table
# url = "https://www.autocarpro.in/rssfeeds/category-national"
# tags = ["maruti-suzuki"]      # catalog ids this source concerns
# fetch_articles = false        # feeds: also download each linked article
"""

DEFAULT_CATALOG = """\
# Workspace catalog: extends or overrides the built-in domain pack.
# A [[company]] with an existing id adds aliases and overrides fields.
#
# [[company]]
# id = "new-entrant-glass"
# name = "New Entrant Glass Ltd"
# role = "competitor"           # own | competitor | customer | org
# aliases = ["New Entrant Glass"]
# abbreviations = ["NEG"]       # matched case-sensitively
"""


def init_workspace(root: Path, name: str | None = None) -> Workspace:
    """Create an empty workspace at ``root`` (existing files are kept)."""
    root = root.expanduser()
    if root.exists() and not root.is_dir():
        raise WorkspaceError(f"{root} exists and is not a folder",
                             hint="give the path of a folder, or of a new one to create")
    try:
        _write_skeleton(root, name)
    except OSError as exc:
        raise _cannot_create(root, exc) from None
    workspace = Workspace.load(root)
    from .store import Store

    Store.open(workspace.store_path).close()
    return workspace


def _cannot_create(root: Path, exc: OSError) -> WorkspaceError:
    """The one-line error for a workspace folder or file that could not be made."""
    failed = Path(exc.filename) if exc.filename else root
    # a file where a folder must be (``init notes.txt/ws``, or a file named sources)
    blocking = next((path for path in (failed, *failed.parents)
                     if path.exists() and not path.is_dir()), None)
    if blocking is not None:
        return WorkspaceError(f"cannot create the workspace {root}: {blocking} is a file, not a folder",
                              hint="choose another path, or move the file away")
    where = "" if failed == root else f"{failed}: "
    return WorkspaceError(f"cannot create the workspace {root}: {where}{exc.strerror or exc}",
                          hint="choose a folder you may create and write to")


def _write_skeleton(root: Path, name: str | None) -> None:
    """The workspace's folders and default files; those already there are kept."""
    root.mkdir(parents=True, exist_ok=True)
    config = root / CONFIG_NAME
    if not config.exists():
        config.write_text(DEFAULT_CONFIG.format(name=name or root.resolve().name), encoding="utf-8")
    sources = root / "sources"
    sources.mkdir(exist_ok=True)
    for filename, content in (("sources.toml", DEFAULT_SOURCES), ("catalog.toml", DEFAULT_CATALOG)):
        target = sources / filename
        if not target.exists():
            target.write_text(content, encoding="utf-8")
    (root / "reports").mkdir(exist_ok=True)
