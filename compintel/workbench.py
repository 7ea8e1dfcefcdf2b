"""The Workbench: one object per workspace, the Python API the notebooks and the CLI share.

    from compintel import Workbench
    wb = Workbench.open()                 # the workspace here, or $COMPINTEL_WORKSPACE
    wb.gather(); wb.import_files(); wb.tag()
    wb.signals(customer="navika-motors")  # a DataFrame
    wb.report(period="2026-10")

Every CLI verb is a thin layer over one method here.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date
from fnmatch import fnmatch
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from .catalog import Catalog, load_catalog
from .errors import CatalogError, DataFileError, SourceError, UserError
from .sources import SourceSet, load_sources, register_sources
from .store import Store
from .workspace import Workspace, init_workspace

if TYPE_CHECKING:
    from .search import CorrectedSignals

TABLE_SUFFIXES = (".csv", ".xlsx", ".xlsm")
_LOG_ROW = re.compile(r"note:(.+)#row\d+")
ACCOUNT_TABLES = ("sales", "share_of_business", "vendor_ratings", "rfqs", "complaints",
                  "receivables", "production_volumes")
# the import kinds that name their store table otherwise (`compintel import --table vendor_rating`)
TABLE_OF_KIND = {"vendor_rating": "vendor_ratings", "rfq": "rfqs"}


@dataclass
class FileOutcome:
    path: str
    kind: str
    status: str          # imported | unchanged | failed
    rows: int = 0
    message: str = ""


@dataclass
class ImportReport:
    files: list[FileOutcome] = field(default_factory=list)
    # what an import of every source removed: "path: why" for each table file, note or visit log
    forgotten: list[str] = field(default_factory=list)

    @property
    def failed(self) -> list[FileOutcome]:
        return [f for f in self.files if f.status == "failed"]


# a signal's evidence sentence, read from its document by its span (signals store no copy)
SIGNAL_TEXT = "substr(d.text, s.start + 1, s.end - s.start) AS text"
# a signal's date: its own, else its document's publication date, else the day it was fetched
DOCUMENT_OBSERVED = "COALESCE(substr(d.published_at, 1, 10), substr(d.fetched_at, 1, 10))"
SIGNAL_OBSERVED = f"COALESCE(s.observed_at, {DOCUMENT_OBSERVED})"
# what Workbench.signals reads of a signal, its document and (for a field note) the note
SIGNAL_SELECT = ("SELECT s.id, s.document_id, s.type, s.start, s.end, " + SIGNAL_TEXT + ", s.company_id, "
                 "s.customer_id, s.plant_id, s.technology_id, s.value, s.unit, s.grade, "
                 "s.company_name, s.customer_name, s.method, s.previous_value, "
                 f"{SIGNAL_OBSERVED} AS observed_at, d.title AS document_title, d.url AS document_url, "
                 "d.kind AS document_kind, COALESCE(d.story_id, d.id) AS story_id, "
                 "d.source_id AS source_id, substr(d.published_at, 1, 10) AS published_on, "
                 "n.path AS note_path "
                 "FROM signals s JOIN documents d ON d.id = s.document_id "
                 "LEFT JOIN field_notes n ON n.document_id = d.id")
# figures stay numbers when the few rows read have none
SIGNAL_DTYPES = {"value": "float64", "previous_value": "float64"}


def _marks(values: list[Any]) -> str:
    """SQL placeholders for ``values``: ``?, ?, ?``."""
    return ", ".join("?" * len(values))


def _table_files(folder: Path) -> list[Path]:
    """The CSV and XLSX files directly inside ``folder``, in name order."""
    return sorted(path for path in folder.iterdir()
                  if path.is_file() and path.suffix.lower() in TABLE_SUFFIXES)


def source_packs() -> dict[str, Path]:
    """The bundled source packs of real public sources, by name."""
    from importlib import resources

    folder = Path(str(resources.files("compintel") / "data" / "source_packs"))
    return {path.stem: path for path in sorted(folder.glob("*.toml"))}


class Workbench:
    """A workspace with its store, catalog and sources, opened lazily."""

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace

    # -- opening ---------------------------------------------------------------------
    @classmethod
    def open(cls, workspace: str | Path | None = None) -> Workbench:
        """Open the workspace at ``workspace``, ``$COMPINTEL_WORKSPACE``, or above the cwd."""
        return cls(Workspace.find(workspace))

    @classmethod
    def init(cls, path: str | Path, name: str | None = None) -> Workbench:
        return cls(init_workspace(Path(path), name))

    @property
    def root(self) -> Path:
        return self.workspace.root

    @cached_property
    def store(self) -> Store:
        return Store.open(self.workspace.store_path)

    @cached_property
    def catalog(self) -> Catalog:
        return load_catalog(self.workspace.sources_dir, self.workspace.settings.our_company)

    @cached_property
    def sources(self) -> SourceSet:
        return load_sources(self.workspace.sources_dir, self.catalog)

    @cached_property
    def tagger(self):
        from .nlp import Tagger

        return Tagger(self.catalog)

    def close(self) -> None:
        self.__dict__.pop("_search_corrections", None)     # its key holds the connection's state
        if "store" in self.__dict__:
            self.store.close()
            del self.__dict__["store"]

    def __enter__(self) -> Workbench:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Workbench({str(self.root)!r})"

    # -- stages ----------------------------------------------------------------------
    def gather(self, names: list[str] | None = None, *, progress: bool = False):
        """Collect feeds, pages and local documents into the store (see :mod:`compintel.gather`).

        ``names``: only these sources, each once however often it is named. A source defined
        with ``enabled = false`` (a pack's real public sources are, until the user turns them
        on) is refused, not fetched: enabling it is the user's decision, made in its definition.
        """
        from .gather import gather

        chosen = None
        if names:
            chosen = [self.sources.named(name) for name in dict.fromkeys(names)]
            for source in chosen:
                if not source.enabled:
                    path, line = source.defined_in.rsplit(":", 1)
                    raise SourceError(f"source {source.name!r} is off (enabled = false)",
                                      path=self.workspace.relative(Path(path)), line=int(line) or None,
                                      hint="set enabled = true in its [[source]] to gather it")
        return gather(self.store, self.workspace, self.sources, chosen, progress=progress)

    def import_files(self, paths: list[str | Path] | None = None, *, table: str | None = None,
                     sheet: str | None = None, progress: bool = False) -> ImportReport:
        """Import field notes and account tables: the given files, or every notes/table source.

        Importing every source also forgets what is gone: rows from table files and notes that
        no source covers any more are removed (a file that fails to import keeps its old rows),
        except files imported by hand (``paths``), which are kept while the file is there. What
        was removed is listed in the report's ``forgotten``.
        """
        report = ImportReport()
        jobs: list[tuple[Path, str, dict[str, Any], str | None]] = []
        if paths:
            for raw in paths:
                path = Path(raw).expanduser().resolve()
                if not path.exists():
                    raise UserError(f"{raw}: no such file or folder")
                if path.is_dir():
                    # a folder given by hand: its notes, and its tables and visit logs
                    tables = _table_files(path)
                    if not tables or any(path.glob("*.md")):
                        jobs.append((path, "notes", {"pattern": "*.md"}, None))
                    jobs.extend((file, "table", {"table": table, "sheet": sheet}, None)
                                for file in tables)
                elif path.suffix.lower() == ".md":
                    jobs.append((path, "notes", {}, None))
                elif path.suffix.lower() in TABLE_SUFFIXES:
                    jobs.append((path, "table", {"table": table, "sheet": sheet}, None))
                else:
                    kind = f"a {path.suffix}" if path.suffix else "an extension-less"
                    raise UserError(f"{raw}: cannot import {kind} file",
                                    hint="import .md notes, or .csv/.xlsx tables and visit logs")
        else:
            register_sources(self.store, self.sources.sources, self.root,
                             prune=not self.sources.errors)
            for source in self.sources.of_kind("notes", "table"):
                jobs.append((source.path, source.kind, source.options, source.name))
        kept_tables: set[str] = set()
        kept_notes: set[str] = set()
        kept_logs: set[str] = set()
        for path, kind, options, source_id in jobs:
            key = self.workspace.relative(path)
            # a source's folder reads only files inside sources/ (symlinks followed)
            inside = (lambda files: files) if paths else (
                lambda files, kind=kind: self._inside_sources(report, files, kind))
            if kind == "table":
                # a table source may name a folder: each table file in it is one import
                files = inside(_table_files(path)) if path.is_dir() else [path]
                if not files:
                    report.files.append(FileOutcome(key, options.get("table") or "table", "failed",
                                                    message=f"{key}: no .csv or .xlsx files in "
                                                    "the folder (put the table files there)"))
                for file in files:
                    file_key = self.workspace.relative(file)
                    kept_tables.add(file_key)
                    self._import_table(report, file, file_key, options, explicit=bool(paths),
                                       progress=progress)
            elif path.is_dir() or path.suffix.lower() == ".md":
                files = (inside(sorted(path.glob(options.get("pattern", "*.md"))))
                         if path.is_dir() else [path])
                # CSV/XLSX files among a notes folder's files are visit logs, not Markdown
                logs = [file for file in files if file.suffix.lower() in TABLE_SUFFIXES]
                files = [file for file in files if file not in logs]
                kept_notes.update("note:" + self.workspace.relative(file) for file in files)
                if files or not logs:
                    self._import_notes(report, files, key, source_id)
                for log in logs:
                    kept_logs.add(self.workspace.relative(log))
                    self._import_visit_log(report, log, self.workspace.relative(log), source_id)
            else:
                kept_logs.add(key)
                self._import_visit_log(report, path, key, source_id)
        if paths:
            # a file a source covers is the source's (forgotten when the source goes), not by hand
            keys = [key.removeprefix("note:") for key in (*kept_tables, *kept_notes, *kept_logs)]
            with self.store.transaction() as db:
                db.executemany("INSERT OR IGNORE INTO hand_imports (key) VALUES (?)",
                               [(key,) for key in keys if not self._covered_by_a_source(self.root / key)])
        elif not self.sources.errors:
            report.forgotten = self._forget_missing(kept_tables, kept_notes, kept_logs)
        return report

    def _inside_sources(self, report: ImportReport, files: list[Path], kind: str) -> list[Path]:
        """The ``files`` of a source's folder that resolve inside sources/; each other one is
        a failure of its own, named as listed (a symlink leading elsewhere is not read)."""
        sources = self.workspace.sources_dir.resolve()
        root = self.root.resolve()
        kept = []
        for file in files:
            resolved = file.resolve()
            if resolved.is_relative_to(sources):
                kept.append(file)
                continue
            key = (file.relative_to(root).as_posix() if file.is_relative_to(root)
                   else file.as_posix())
            report.files.append(FileOutcome(key, kind, "failed", message=(
                f"{key}: leads outside the sources/ folder (to {resolved}); not read")))
        return kept

    def _import_table(self, report: ImportReport, path: Path, key: str, options: dict[str, Any],
                      explicit: bool, progress: bool = False) -> None:
        from .notes import import_visit_log
        from .tables import HeaderRowError, import_table

        try:
            result = import_table(self.store, self.catalog, path, options.get("table"), key=key,
                                  sheet=options.get("sheet"), our_company=self.catalog.our_company,
                                  limits=self.workspace.settings.tables, progress=progress)
        except (DataFileError, CatalogError) as exc:
            if explicit and options.get("table") is None and isinstance(exc, HeaderRowError):
                # a file given by hand whose headers fit no account table may be a visit log
                try:
                    logged = import_visit_log(self.store, self.catalog, path, key=key,
                                              sheet=options.get("sheet"),
                                              limits=self.workspace.settings.tables)
                except HeaderRowError:
                    pass     # no visit log either: the table error says which headers it lacks
                except (DataFileError, CatalogError) as log_exc:
                    # its headers are a visit log's: what is wrong is in its rows
                    report.files.append(FileOutcome(key, "visit log", "failed",
                                                    message=log_exc.format()))
                    return
                else:
                    report.files.append(FileOutcome(
                        key, "visit log", "imported" if (logged.new or logged.changed) else "unchanged",
                        logged.new + logged.changed + logged.unchanged))
                    return
            report.files.append(FileOutcome(key, "table", "failed", message=exc.format()))
            return
        report.files.append(FileOutcome(key, result.kind, "unchanged" if result.unchanged else "imported",
                                        result.rows))

    def _import_notes(self, report: ImportReport, files: list[Path], key: str,
                      source_id: str | None) -> None:
        from .notes import import_notes

        result = import_notes(self.store, self.catalog, files, key_for=self.workspace.relative,
                              source_id=source_id)
        status = "imported" if (result.new or result.changed) else "unchanged"
        report.files.append(FileOutcome(key, "notes", status, result.new + result.changed + result.unchanged))
        for message in result.errors:
            report.files.append(FileOutcome(key, "note", "failed", message=message))

    def _import_visit_log(self, report: ImportReport, path: Path, key: str,
                          source_id: str | None) -> None:
        from .notes import import_visit_log

        try:
            result = import_visit_log(self.store, self.catalog, path, key=key, source_id=source_id,
                                      limits=self.workspace.settings.tables)
        except (DataFileError, CatalogError) as exc:
            report.files.append(FileOutcome(key, "visit log", "failed", message=exc.format()))
            return
        status = "imported" if (result.new or result.changed) else "unchanged"
        report.files.append(FileOutcome(key, "visit log", status,
                                        result.new + result.changed + result.unchanged))

    def _covered_by_a_source(self, path: Path) -> bool:
        """Whether a notes or table source reads ``path`` (itself, or a file of its folder)."""
        path = path.resolve()
        for source in self.sources.of_kind("notes", "table"):
            place = source.path.resolve()
            if path == place:
                return True
            in_folder = path.parent == place and place.is_dir()
            if in_folder and (path.suffix.lower() in TABLE_SUFFIXES or (
                    source.kind == "notes" and fnmatch(path.name, source.options.get("pattern", "*.md")))):
                return True
        return False

    def _forget_missing(self, tables: set[str], notes: set[str], logs: set[str]) -> list[str]:
        """Remove rows of table files and notes that no source covers any more, but not those of
        a file imported by hand that is still there. Returns "path: why" for each one removed."""
        forgotten: list[str] = []

        def kept_by_hand(key: str) -> bool:
            return key in by_hand and (self.root / key).exists()

        def why(key: str) -> str:
            return "its file is gone" if not (self.root / key).exists() else "no source covers it any more"

        with self.store.transaction() as db:
            by_hand = {row[0] for row in db.execute("SELECT key FROM hand_imports")}
            for row in db.execute("SELECT id, path FROM imports ORDER BY path").fetchall():
                path = row["path"]
                if path in tables or kept_by_hand(path):
                    continue
                db.execute("DELETE FROM imports WHERE id = ?", (row["id"],))
                forgotten.append(f"{path}: {why(path)}")
            for row in db.execute("SELECT id, url FROM documents WHERE url LIKE 'note:%' ORDER BY url").fetchall():
                url = row["url"]
                logged = _LOG_ROW.fullmatch(url)        # "note:<visit log>#row<N>": a visit log's row
                log = logged.group(1) if logged else None
                if url in notes or log in logs:
                    continue
                if kept_by_hand(url[len("note:"):]) if log is None else kept_by_hand(log):
                    continue
                db.execute("DELETE FROM documents WHERE id = ?", (row["id"],))
                if log is None:
                    forgotten.append(f"{url[len('note:'):]}: {why(url[len('note:'):])}")
                elif not any(entry.startswith(f"{log}: ") for entry in forgotten):
                    forgotten.append(f"{log}: {why(log)}")
            # a key a source covers now is the source's; a file gone is forgotten
            covered = {*tables, *logs, *(url[len("note:"):] for url in notes)}
            stale = [(key,) for key in by_hand if key in covered or not (self.root / key).exists()]
            db.executemany("DELETE FROM hand_imports WHERE key = ?", stale)
        return forgotten

    def tag(self, *, progress: bool = False):
        """Tag new and changed documents (see :mod:`compintel.tag`)."""
        from .tag import tag_documents

        return tag_documents(self.store, self.tagger, progress=progress,
                             max_document_chars=self.workspace.settings.tag.max_document_chars)

    def tag_text(self, text: str, context: dict[str, Any] | None = None) -> dict[str, Any]:
        """Entities and signals of one text, as ``compintel tag-text`` prints them."""
        from .tagtext import result_json

        return result_json(None, self.tagger.tag(text, context), self.catalog)

    def report(self, customers: list[str] | None = None, period: str | None = None, *,
               parallel: int | None = None, progress: bool = False):
        """Render 3C reports (see :mod:`compintel.report`); ``period`` defaults to the latest
        month with data."""
        from .report import render_reports

        return render_reports(self.store, self.workspace, self.catalog, customers, period or None,
                              parallel=parallel or self.workspace.settings.report.parallel,
                              progress=progress)

    def add_source_pack(self, name: str) -> Path:
        """Copy a bundled source pack (every source off) into ``sources/``; returns the file."""
        packs = source_packs()
        if name not in packs:
            raise UserError(f"no source pack named {name!r}",
                            hint="packs: " + ", ".join(sorted(packs)) if packs else None)
        target = self.workspace.sources_dir / f"pack-{name}.toml"
        if target.exists():
            raise UserError(f"{target} already exists", hint="edit it, or delete it to start again")
        self.workspace.sources_dir.mkdir(parents=True, exist_ok=True)
        target.write_text(packs[name].read_text(encoding="utf-8"), encoding="utf-8")
        self.__dict__.pop("sources", None)
        return target

    # -- looking up ------------------------------------------------------------------
    def customer(self, name: str) -> str:
        """The catalog id of a customer given its id, name or alias."""
        return self.catalog.resolve(name, "company", role="customer").id

    def customers_with_data(self) -> list[str]:
        """Customers that have account rows, notes or signals, in catalog order."""
        from .threec.model import customers_with_data

        return customers_with_data(self.store, self.catalog)

    def frame(self, table: str, customer: str | None = None) -> pd.DataFrame:
        """An account table as a DataFrame (store column names), optionally for one customer.
        ``table`` is a store table or an import kind ("vendor_rating" reads "vendor_ratings")."""
        table = TABLE_OF_KIND.get(table, table)
        if table not in ACCOUNT_TABLES:
            raise UserError(f"unknown table {table!r}", hint="tables: " + ", ".join(ACCOUNT_TABLES))
        sql = f"SELECT * FROM {table}"
        params: tuple[Any, ...] = ()
        if customer is not None:
            sql += " WHERE customer_id = ?"
            params = (self.customer(customer),)
        frame = pd.read_sql_query(sql, self.store.db, params=params)
        return frame.drop(columns=["import_id"], errors="ignore")

    def signals(self, customer: str | None = None, *, since: str | date | None = None,
                until: str | date | None = None, types: list[str] | None = None,
                no_customer: bool = False, one_per_story: bool = True,
                apply_corrections: bool = True) -> pd.DataFrame:
        """Signals with their document's title, URL, kind, source, publication date and (for a
        field note) workspace path.

        ``observed_at`` is the signal's date, else its document's publication (or fetch) date.
        ``since``/``until`` are dates, months or years, inclusive (checked as :meth:`search` checks
        ``since``); ``types`` signal types. ``no_customer`` keeps the signals
        at no catalog customer (industry news: a new line, a product; not with ``customer``).
        With ``one_per_story`` a syndicated story counts once: later copies' signals that repeat
        the first copy's are dropped. With ``apply_corrections`` (the default) the KAM's
        corrections (``corrections.toml``) apply: rejected signals are left out, fixed fields
        replaced, and the columns ``corrected`` and ``correction_note`` say which and how.
        """
        from . import corrections as fixes

        if customer is not None and no_customer:
            raise UserError("ask for one customer's signals or for those at no customer, not both")
        since = _date_bound("since", since)
        until = _date_bound("until", until)
        if until is not None and len(until) < 10:
            until += "-31" if len(until) == 7 else "-12-31"     # a month's or a year's last day
        if types:
            self._check_signal_types(types)
        entries = self._corrections() if apply_corrections else []
        customer_id = self.customer(customer) if customer is not None else None
        # Filters run in SQL, so a report reads its customer's window, not the whole store. A
        # correction may move a signal into the customer or type asked for: the corrected
        # documents' signals are read whatever their customer, type and date, and so are the
        # other copies of their stories in the customer and type (a correction applies to
        # every copy); the filters are applied again once the corrections are.
        widened: list[int] = []
        stories: list[int] = []
        if entries:
            urls = sorted({entry.document for entry in entries})
            rows = self.store.query(
                f"SELECT id, COALESCE(story_id, id) FROM documents WHERE url IN ({_marks(urls)})", urls)
            widened = [row[0] for row in rows]
            stories = sorted({row[1] for row in rows})
        # The filter is an OR of AND-ed terms on the signal's own columns first, so that SQLite
        # reads each term through an index (the customer's or the type's signals, by date) and
        # never scans the store: the date window is split into "the signal's own date is in
        # it" and "it has none and its document's date is in it".
        given: list[tuple[str, list[Any]]] = []
        if customer_id is not None:
            given.append(("s.customer_id = ?", [customer_id]))
        if no_customer:
            given.append(("s.customer_id IS NULL", []))
        if types:
            given.append((f"s.type IN ({_marks(types)})", list(types)))
        if since or until:
            own = [("s.observed_at >= ?", [since])] if since else []
            own += [("s.observed_at <= ?", [until])] if until else []
            fallback = [("s.observed_at IS NULL", [])]
            fallback += [(f"{DOCUMENT_OBSERVED} >= ?", [since])] if since else []
            fallback += [(f"{DOCUMENT_OBSERVED} <= ?", [until])] if until else []
            terms = [given + own, given + fallback]
            if stories:
                terms.append([*given, (f"COALESCE(d.story_id, d.id) IN ({_marks(stories)})", stories)])
        else:
            terms = [given] if given else []
        if terms and widened:
            terms.append([(f"s.document_id IN ({_marks(widened)})", widened)])
        where = " OR ".join("(" + " AND ".join(sql for sql, _ in term) + ")" for term in terms)
        params = [value for term in terms for _, values in term for value in values]
        sql = SIGNAL_SELECT + (f" WHERE {where}" if where else "")
        frame = pd.read_sql_query(sql + " ORDER BY observed_at, s.id", self.store.db, params=params,
                                  dtype=SIGNAL_DTYPES)
        frame = fixes.apply(entries, frame, self.catalog.display_name, self.catalog.owner)
        if customer_id is not None:
            frame = frame[frame["customer_id"] == customer_id]
        if no_customer:
            frame = frame[frame["customer_id"].isna()]
        if types:
            frame = frame[frame["type"].isin(types)]
        if since:
            frame = frame[frame["observed_at"] >= since]
        if until:
            frame = frame[frame["observed_at"] <= until]
        if one_per_story and not frame.empty:
            frame = frame.drop_duplicates(["story_id", "type", "company_id", "company_name", "customer_id",
                                           "customer_name", "value", "unit"])
        return frame.reset_index(drop=True)

    def _check_signal_types(self, types: list[str]) -> None:
        """UserError for the first of ``types`` that is no signal type (the filters of
        :meth:`signals` and :meth:`search`)."""
        # A type the store holds is one; only another needs the lexicon, whose import loads
        # spaCy (a second and 40 MB that a report's kernel would otherwise not spend).
        unseen = [name for name in types
                  if not self.store.query("SELECT 1 FROM signals WHERE type = ? LIMIT 1", (name,))]
        if not unseen:
            return
        from .nlp.lexicon import SIGNAL_TYPES

        for name in unseen:
            if name not in SIGNAL_TYPES:
                raise UserError(f"unknown signal type {name!r}", hint="types: " + ", ".join(SIGNAL_TYPES))

    # -- corrections: the KAM's fixes to signals, kept in corrections.toml ---------------
    @property
    def corrections_path(self) -> Path:
        """The workspace's corrections file (it need not exist)."""
        from .corrections import path_in

        return path_in(self.root)

    def correct(self, signal_id: int, *, type: str | None = None, company: str | None = None,
                customer: str | None = None, value: float | str | None = None,
                unit: str | None = None, reason: str | None = None,
                by: str | None = None):
        """Fix a signal's type, company, customer or figure; returns the stored correction.

        ``signal_id`` is an id from :meth:`signals` (ids change when documents are re-tagged;
        the correction does not). Names resolve through the catalog; ``value="none"`` drops the
        figure. Correcting a corrected signal again merges into its correction.
        """
        from . import corrections as fixes
        from .nlp.lexicon import SIGNAL_TYPES, SIGNAL_UNITS

        given = {"type": type, "company": company, "customer": customer, "value": value, "unit": unit}
        given = {name: new for name, new in given.items() if new is not None}
        if not given:
            raise UserError("nothing to correct", hint="give a type, company, customer, value or unit")
        resolvers = self._correction_resolvers()
        changes = {name: fixes.check_field(name, new, resolvers, SIGNAL_TYPES, SIGNAL_UNITS)
                   for name, new in given.items()}
        return self._save_correction(signal_id, reject=False, changes=changes, reason=reason, by=by)

    def reject(self, signal_id: int, *, reason: str | None = None, by: str | None = None):
        """Reject a signal: reports and :meth:`signals` leave it out, also after re-tagging."""
        return self._save_correction(signal_id, reject=True, changes={}, reason=reason, by=by)

    def uncorrect(self, signal_id: int) -> None:
        """Take back the correction of a signal (rejected signals too: see :meth:`corrections`)."""
        from . import corrections as fixes

        entries = self._corrections()
        row = self._signal_row(signal_id)
        existing = self._correction_of(entries, row)
        if existing is None:
            raise UserError(f"signal {signal_id} has no correction",
                            hint="list them with `compintel signals corrections`")
        fixes.remove(self.corrections_path, existing, entries)

    def corrections(self) -> pd.DataFrame:
        """The corrections file, one row per correction, with whether each still applies.

        ``status`` is ``applied`` (``signal_ids`` are the signals it changes now) or
        ``orphaned`` (``detail`` says why: the document, its sentence or the signal is gone).
        """
        from . import corrections as fixes

        entries = self._corrections()
        columns = ["line", "document", "sentence", "type", "company", "change", "reason", "by",
                   "at", "status", "signal_ids", "detail"]
        if not entries:
            return pd.DataFrame(columns=columns)
        urls = sorted({entry.document for entry in entries})
        marks = ",".join("?" * len(urls))
        texts = {row["url"]: fixes.normalise(row["text"]) for row in self.store.query(
            f"SELECT url, text FROM documents WHERE url IN ({marks})", urls)}
        signals = pd.read_sql_query(
            "SELECT s.id, s.type, " + SIGNAL_TEXT + ", s.company_id, s.company_name, s.value, "
            "d.url AS document_url "
            f"FROM signals s JOIN documents d ON d.id = s.document_id WHERE d.url IN ({marks})",
            self.store.db, params=urls)
        matched = fixes.match(entries, signals)
        rows = []
        for position, entry in enumerate(entries):
            labels = matched.get(position, [])
            if labels:
                detail = ""
            elif entry.document not in texts:
                detail = "the document is no longer in the store"
            elif fixes.normalise(entry.sentence) not in texts[entry.document]:
                detail = "the sentence is no longer in the document (its text changed)"
            else:
                who = self.catalog.display_name(entry.company) if entry.company else "no company"
                detail = f"the tagger finds no {entry.type} signal of {who} in the sentence any more"
            rows.append({"line": entry.line, "document": entry.document, "sentence": entry.sentence,
                         "type": entry.type, "company": entry.company, "change": entry.describe(),
                         "reason": entry.reason, "by": entry.by, "at": entry.at,
                         "status": "applied" if labels else "orphaned",
                         "signal_ids": [int(signals.at[label, "id"]) for label in labels],
                         "detail": detail})
        return pd.DataFrame(rows, columns=columns)

    def _correction_resolvers(self):
        from .corrections import Resolvers

        def company(name: str) -> str:
            if name.casefold() in {"ours", "us", "our company"} and self.catalog.our_company:
                return self.catalog.our_company
            return self.catalog.resolve(name, "company").id

        def company_key(name: str) -> str:
            found = self.catalog.find(name, "company")
            return found[0].id if len(found) == 1 else name

        return Resolvers(company=company, customer=self.customer, company_key=company_key)

    def _corrections(self):
        from . import corrections as fixes

        return fixes.load(self.corrections_path, self._correction_resolvers())

    def _signal_row(self, signal_id: int) -> pd.DataFrame:
        frame = pd.read_sql_query(
            "SELECT s.id, s.type, " + SIGNAL_TEXT + ", s.company_id, s.company_name, s.value, "
            "d.url AS document_url "
            "FROM signals s JOIN documents d ON d.id = s.document_id WHERE s.id = ?",
            self.store.db, params=(int(signal_id),))
        if frame.empty:
            raise UserError(f"no signal with id {signal_id}",
                            hint="ids change when documents are re-tagged: list them with "
                                 "`compintel signals`")
        return frame

    @staticmethod
    def _correction_of(entries: list, row: pd.DataFrame):
        from . import corrections as fixes

        matched = fixes.match(entries, row)
        return entries[min(matched)] if matched else None

    def _save_correction(self, signal_id: int, *, reject: bool, changes: dict[str, Any],
                         reason: str | None, by: str | None):
        from . import corrections as fixes

        entries = self._corrections()         # a malformed file stops here, unchanged
        row = self._signal_row(signal_id)
        signal = row.iloc[0]
        value = signal["value"]
        entry = fixes.Correction(
            document=signal["document_url"], sentence=" ".join(signal["text"].split()),
            type=signal["type"], company=fixes.company_key(signal) or None,
            tagged_value=float(value) if pd.notna(value) else None, reject=reject, set=changes,
            reason=reason, by=by, at=fixes.now())
        return fixes.save(self.corrections_path, entry, entries, self._correction_of(entries, row))

    def notes(self, customer: str | None = None) -> pd.DataFrame:
        """Field notes with their text."""
        sql = ("SELECT n.*, d.title, d.text FROM field_notes n JOIN documents d ON d.id = n.document_id")
        params: tuple[Any, ...] = ()
        if customer is not None:
            sql += " WHERE n.customer_id = ?"
            params = (self.customer(customer),)
        return pd.read_sql_query(sql + " ORDER BY n.note_date", self.store.db, params=params)

    def search(self, query: str, customer: str | None = None, competitor: str | None = None,
               type: str | None = None, since: str | date | None = None,
               limit: int | None = 20, *, apply_corrections: bool = True) -> pd.DataFrame:
        """Documents and field notes matching ``query``, best first (see :mod:`compintel.search`).

        ``query``: words (all must occur), "quoted phrases", prefix*, ``OR`` between two terms,
        ``NOT`` before one. ``customer``/``competitor`` (catalog names or ids) and ``type`` (a
        signal type) keep documents with such a signal, or field notes of that customer or
        competitor; ``since`` a date or month. As in :meth:`signals`, the KAM's corrections
        apply unless ``apply_corrections`` is false: a rejected signal makes no document match,
        a corrected one matches by its corrected type, company and customer. Each hit has a
        ``snippet`` of plain text with «» around the matches (escape it before showing it as
        HTML) and its ``location``: the URL, or a note's workspace path.
        """
        from . import search

        competitor_id = None
        if competitor is not None:
            competitor_id = self.catalog.resolve(competitor, "company", role="competitor").id
        if type is not None:
            self._check_signal_types([type])
        customer_id = self.customer(customer) if customer is not None else None
        filtered = customer_id is not None or competitor_id is not None or type is not None
        return search.search(self.store.db, query, customer_id=customer_id,
                             competitor_id=competitor_id, signal_type=type, since=since, limit=limit,
                             corrected=self._corrected_signals()
                             if filtered and apply_corrections else None)

    def _corrected_signals(self) -> CorrectedSignals | None:
        """What the corrections make of the signals they apply to, for the search filters
        (None when there are none).

        Worked out again only when the corrections file or the store has changed since the
        last search: reading and matching the corrections costs more than a search.
        """
        try:
            content = self.corrections_path.read_bytes()
        except FileNotFoundError:
            return None
        db = self.store.db
        # data_version moves when another connection commits, total_changes with this one's writes
        key = (hashlib.sha256(content).digest(), db.execute("PRAGMA data_version").fetchone()[0],
               db.total_changes)
        cached = self.__dict__.get("_search_corrections")
        if cached is None or cached[0] != key:
            entries = self._corrections()
            cached = (key, self._read_corrected_signals(entries) if entries else None)
            self.__dict__["_search_corrections"] = cached
        return cached[1]

    def _read_corrected_signals(self, entries: list) -> CorrectedSignals:
        """The signals ``entries`` reject or change, from every copy of a corrected document's
        story (:meth:`signals` applies a correction to each)."""
        from . import corrections as fixes
        from .search import CorrectedSignal, CorrectedSignals

        urls = sorted({entry.document for entry in entries})
        stories = sorted({row[0] for row in self.store.query(
            f"SELECT COALESCE(story_id, id) FROM documents WHERE url IN ({_marks(urls)})", urls)})
        if not stories:
            return CorrectedSignals()
        # COALESCE(d.story_id, d.id) IN (...), written so that both halves use an index
        frame = pd.read_sql_query(
            f"{SIGNAL_SELECT} WHERE d.story_id IN ({_marks(stories)}) "
            f"OR (d.story_id IS NULL AND d.id IN ({_marks(stories)}))",
            self.store.db, params=[*stories, *stories], dtype=SIGNAL_DTYPES)
        # a correction applies only to signals of the type it names (matching costs per row)
        frame = frame[frame["type"].isin({entry.type for entry in entries})]
        fixed = fixes.apply(entries, frame, self.catalog.display_name, self.catalog.owner)
        untouched = set(fixed.loc[~fixed["corrected"], "id"])

        def text(value: Any) -> str | None:
            return value if isinstance(value, str) else None

        return CorrectedSignals(
            touched=frozenset(int(signal_id) for signal_id in frame["id"] if signal_id not in untouched),
            kept=tuple(CorrectedSignal(int(row.document_id), row.type, text(row.company_id),
                                       text(row.customer_id))
                       for row in fixed[fixed["corrected"]].itertuples()))

    def glass_content(self) -> pd.DataFrame:
        """Pieces per vehicle by model and part family (vehicle overrides, else part defaults)."""
        defaults = {entry.id: float(entry.attrs.get("pieces_per_vehicle", 0))
                    for entry in self.catalog.of_kind("part_family")}
        rows = []
        for vehicle in self.catalog.of_kind("vehicle"):
            content = {**defaults, **{k: float(v) for k, v in
                                      (vehicle.attrs.get("glass_content") or {}).items()}}
            rows.extend({"model": vehicle.id, "part_family": part, "pieces": pieces}
                        for part, pieces in content.items())
        return pd.DataFrame(rows, columns=["model", "part_family", "pieces"])

    # -- analysis: compintel.analysis over this workspace's tables ------------------------
    def sales_vs_plan(self, customer: str | None = None, *, freq: str = "month",
                      by: tuple[str, ...] = ("customer_id", "part_family"),
                      start: str | None = None, end: str | None = None) -> pd.DataFrame:
        """Plan against actual by month, quarter or Indian FY, with YTD (see analysis.sales)."""
        from . import analysis

        return analysis.plan_vs_actual(self.frame("sales", customer), freq=freq, by=by,
                                       start=start, end=end)

    def forecast_accuracy(self, customer: str | None = None, *, measure: str = "qty",
                          by: tuple[str, ...] = ("customer_id", "part_family"),
                          start: str | None = None, end: str | None = None) -> pd.DataFrame:
        """The plan's MAPE/WAPE/bias/tracking signal next to a seasonal-naive baseline."""
        from . import analysis

        return analysis.baseline_comparison(self.frame("sales", customer), measure=measure,
                                            by=by, start=start, end=end)

    def share_of_business(self, customer: str | None = None, *,
                          by: tuple[str, ...] = ("customer_id", "part_family")) -> pd.DataFrame:
        """Each supplier's share per month, weighted by production volume × glass pieces."""
        from . import analysis

        return analysis.aggregate_share(self.frame("share_of_business", customer),
                                        self.frame("production_volumes", customer),
                                        self.glass_content(), by=by,
                                        our_company=self.catalog.our_company)

    def share_moves(self, customer: str, from_period: str, to_period: str, *,
                    min_change_pts: float = 0.5) -> pd.DataFrame:
        """Where share moved between two periods (months, quarters or FYs), by model and part."""
        from . import analysis

        return analysis.share_moves(self.frame("share_of_business", customer),
                                    self.frame("production_volumes", customer),
                                    self.glass_content(), from_period=from_period,
                                    to_period=to_period, our_company=self.catalog.our_company,
                                    min_change_pts=min_change_pts)

    def demand_check(self, customer: str | None = None, *, start: str | None = None,
                     end: str | None = None, threshold_pct: float = 10.0) -> pd.DataFrame:
        """Our demand from production × glass content × our share, against our plan."""
        from . import analysis

        return analysis.demand_estimate(self.frame("production_volumes", customer),
                                        self.glass_content(),
                                        self.frame("share_of_business", customer),
                                        self.frame("sales", customer),
                                        our_company=self.catalog.our_company,
                                        threshold_pct=threshold_pct, start=start, end=end)

    def scorecard(self, customer: str, as_of: str | None = None) -> pd.DataFrame:
        """One row per company at the customer: latest PPM, OTIF and vendor rating (the
        customer's rating table first, see :func:`compintel.analysis.scorecard`), moves, visits,
        evidence."""
        from . import analysis

        as_of = as_of or date.today().isoformat()
        return analysis.scorecard(self.signals(customer, until=as_of),
                                  customer_id=self.customer(customer),
                                  our_company=self.catalog.our_company, as_of=as_of,
                                  ratings=self.frame("vendor_ratings", customer),
                                  our_notes=self.notes(customer))

    def vendor_ratings(self, customer: str | None = None) -> pd.DataFrame:
        """Vendor rating score and band per month, ours and competitors' where rated."""
        from . import analysis

        return analysis.vendor_rating_trend(self.frame("vendor_ratings", customer),
                                            our_company=self.catalog.our_company)

    def open_issues(self, customer: str | None = None, as_of: str | None = None) -> pd.DataFrame:
        """Complaints and issues open on ``as_of``, aged against their target dates."""
        from . import analysis

        return analysis.open_issues(self.frame("complaints", customer),
                                    as_of=as_of or date.today().isoformat())

    def receivables_ageing(self, as_of: str | None = None) -> pd.DataFrame:
        """Outstanding and overdue rupees per customer by ageing bucket."""
        from . import analysis

        return analysis.receivables_ageing(self.frame("receivables"),
                                           as_of=as_of or date.today().isoformat())

    def rfq_pipeline(self, customer: str | None = None) -> pd.DataFrame:
        """RFQs by status and the win rate over decided ones."""
        from . import analysis

        return analysis.rfq_pipeline(self.frame("rfqs", customer))

    def candidates(self, min_count: int = 1, limit: int | None = 50) -> pd.DataFrame:
        """Organisations the tagger saw that the catalog does not know, by frequency.

        Names that differ only by a legal form, case or punctuation ("Aravali Interlayers",
        "Aravali Interlayers Pvt Ltd") are one organisation: their mentions add up and the
        fuller name is shown. ``limit``: the most mentioned (None for all).
        """
        from .orgnames import organisation_key

        if min_count < 1:
            raise UserError(f"min_count must be 1 or more, got {min_count}")
        if limit is not None and limit < 0:
            raise UserError(f"limit must be 0 or more, got {limit}", hint="None for all")
        # per name and document, so that merged names count each document once
        groups: dict[str, dict[str, Any]] = {}
        for row in self.store.query(
                "SELECT m.text, m.document_id, COUNT(*) AS mentions, MIN(m.id) AS first "
                "FROM mentions m WHERE m.label = 'ORG' AND m.entity_id IS NULL "
                "GROUP BY m.text, m.document_id"):
            group = groups.setdefault(organisation_key(row["text"]), {
                "names": {}, "mentions": 0, "documents": set(), "first": row["first"]})
            group["names"][row["text"]] = group["names"].get(row["text"], 0) + row["mentions"]
            group["mentions"] += row["mentions"]
            group["documents"].add(row["document_id"])
            group["first"] = min(group["first"], row["first"])
        for group in groups.values():
            names = group["names"]      # the fuller name ("… Pvt Ltd"), then the one most written
            group["name"] = max(names, key=lambda name, names=names: (len(name), names[name], name))
        chosen = sorted((group for group in groups.values() if group["mentions"] >= min_count),
                        key=lambda group: (-group["mentions"], group["name"]))[:limit]
        examples = {}
        firsts = [group["first"] for group in chosen]
        for start in range(0, len(firsts), 500):       # SQLite caps the number of ? in a query
            batch = firsts[start:start + 500]
            examples.update((row["id"], row) for row in self.store.query(
                f"SELECT m.id, d.text, m.start, m.end FROM mentions m JOIN documents d "
                f"ON d.id = m.document_id WHERE m.id IN ({_marks(batch)})", batch))
        out = []
        for group in chosen:
            example = examples[group["first"]]
            out.append({"name": group["name"], "mentions": group["mentions"],
                        "documents": len(group["documents"]),
                        "example": _sentence_around(example["text"], example["start"], example["end"])})
        return pd.DataFrame(out, columns=["name", "mentions", "documents", "example"])

    def status(self) -> dict[str, Any]:
        """Row counts, the last gather or import of each source and the last report run.

        A notes or table source's ``last_import`` is when an import last stored something of
        it (its notes' documents, its files' table rows); an import that finds nothing changed
        stores nothing, and leaves the time as it was.
        """
        counts = self.store.row_counts()
        sources = [dict(row) for row in self.store.query(
            "SELECT s.id AS source, s.kind, "
            "(SELECT MAX(at) FROM gather_log g WHERE g.source_id = s.id) AS last_gather, "
            "CASE s.kind WHEN 'notes' THEN "
            " (SELECT MAX(d.fetched_at) FROM documents d WHERE d.source_id = s.id) "
            "WHEN 'table' THEN "       # a table source's location is its file, or its files' folder
            " (SELECT MAX(i.imported_at) FROM imports i WHERE i.path = s.location "
            "  OR substr(i.path, 1, length(s.location) + 1) = s.location || '/') "
            "END AS last_import, "
            "(SELECT outcome FROM gather_log g WHERE g.source_id = s.id ORDER BY g.at DESC, g.id DESC "
            " LIMIT 1) AS last_outcome, "
            "(SELECT reason FROM gather_log g WHERE g.source_id = s.id AND g.outcome = 'failed' "
            " ORDER BY g.at DESC, g.id DESC LIMIT 1) AS last_failure "
            "FROM sources s ORDER BY s.id")]
        last_report = self.store.query(
            "SELECT id, period, started_at, finished_at, ok, failed FROM report_runs "
            "ORDER BY started_at DESC, id DESC LIMIT 1")
        return {"workspace": str(self.root), "store": str(self.workspace.store_path),
                "schema_version": self.store.version, "tables": counts, "sources": sources,
                "last_report": dict(last_report[0]) if last_report else None}


def _date_bound(name: str, value: str | date | None) -> str | None:
    """``since`` or ``until`` checked and written as :func:`compintel.search.since_bound` does
    for search's ``since`` (YYYY, YYYY-MM or YYYY-MM-DD); its error names the option."""
    from .search import since_bound

    try:
        return since_bound(value)
    except UserError as exc:
        if name == "since":
            raise
        raise UserError(name + exc.message.removeprefix("since"), hint=exc.hint) from None


def _sentence_around(text: str, start: int, end: int, width: int = 160) -> str:
    left = max(text.rfind(".", 0, start), text.rfind("\n", 0, start)) + 1
    right_candidates = [i for i in (text.find(".", end), text.find("\n", end)) if i >= 0]
    right = min(right_candidates) + 1 if right_candidates else len(text)
    sentence = " ".join(text[left:right].split())
    return sentence if len(sentence) <= width else sentence[:width - 1] + "…"
