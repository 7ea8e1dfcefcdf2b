"""The workspace store: one SQLite file, WAL mode, foreign keys on, versioned migrations.

Migrations are the numbered ``migrations/NNNN_name.sql`` files; ``PRAGMA user_version``
records the last one applied. Each migration runs in its own exclusive transaction, so two
processes opening a new store at once cannot both apply it.
"""

from __future__ import annotations

import hashlib
import re
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any

from .errors import WorkspaceError

BUSY_TIMEOUT_S = 60.0
_MIGRATION_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


def utcnow() -> str:
    """Now, as an ISO 8601 UTC timestamp with seconds."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def migrations() -> list[tuple[int, str, str]]:
    """All migrations as (version, name, sql), in order."""
    found = []
    for entry in resources.files("compintel.migrations").iterdir():
        match = _MIGRATION_NAME.match(entry.name)
        if match:
            found.append((int(match.group(1)), entry.name, entry.read_text(encoding="utf-8")))
    found.sort()
    versions = [version for version, _, _ in found]
    if versions != list(range(1, len(found) + 1)):
        raise RuntimeError(f"migration numbers must run 1..n without gaps, got {versions}")
    return found


def latest_version() -> int:
    return len(migrations())


def _statements(sql: str) -> Iterator[str]:
    buffer = ""
    for line in sql.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            if buffer.strip():
                yield buffer
            buffer = ""
    if buffer.strip() and not all(
            part.strip().startswith("--") or not part.strip() for part in buffer.splitlines()):
        raise RuntimeError(f"incomplete SQL statement at the end of a migration: {buffer!r}")


def _switch_to_wal(connection: sqlite3.Connection) -> str:
    """``PRAGMA journal_mode = WAL``, waiting while another process holds the file.

    SQLite answers "database is locked" at once here, without calling the busy handler, when
    another process is creating the same store; so wait as the busy timeout would.
    """
    deadline = time.monotonic() + BUSY_TIMEOUT_S
    pause = 0.005
    while True:
        try:
            return connection.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        except sqlite3.OperationalError as exc:
            waiting = "locked" in str(exc) or "busy" in str(exc)
            if not waiting or time.monotonic() > deadline:
                raise
        time.sleep(pause)
        pause = min(pause * 2, 0.2)


class Store:
    """A connection to a workspace store with helpers for transactions and counts."""

    def __init__(self, connection: sqlite3.Connection, path: Path) -> None:
        self.db = connection
        self.path = path

    @classmethod
    def open(cls, path: str | Path, *, migrate: bool = True,
             target_version: int | None = None) -> Store:
        """Open (creating if needed) the store at ``path`` and bring its schema up to date."""
        path = Path(path)
        try:
            connection = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None,
                                         check_same_thread=False)
        except sqlite3.OperationalError as exc:
            raise WorkspaceError(f"cannot open the store: {exc}", path=path) from None
        connection.row_factory = sqlite3.Row
        store = cls(connection, path)
        try:
            connection.execute("PRAGMA foreign_keys = ON")
            connection.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
            # one statement, one snapshot: another process may be creating this store right now
            version, tables = connection.execute(
                "SELECT (SELECT user_version FROM pragma_user_version), (SELECT COUNT(*) FROM "
                "sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%')").fetchone()
            if version == 0 and tables:
                # someone else's database: refuse before changing anything in it
                raise WorkspaceError("this SQLite file is not a compintel store (it has tables of "
                                     "its own)", path=path,
                                     hint="point the workspace's store setting at a new file")
            mode = _switch_to_wal(connection)
            if mode.lower() != "wal":
                raise WorkspaceError(f"the store could not switch to WAL mode (got {mode})", path=path)
            connection.execute("PRAGMA synchronous = NORMAL")
            if migrate:
                store.migrate(target_version)
        except sqlite3.DatabaseError as exc:
            connection.close()
            raise WorkspaceError(f"not a compintel store ({exc})", path=path,
                                 hint="move the file away or point --workspace elsewhere") from None
        except BaseException:
            connection.close()
            raise
        return store

    # -- schema ----------------------------------------------------------------------
    @property
    def version(self) -> int:
        return self.db.execute("PRAGMA user_version").fetchone()[0]

    def migrate(self, target_version: int | None = None) -> list[str]:
        """Apply pending migrations up to ``target_version`` (default: all). Returns their names."""
        available = migrations()
        target = len(available) if target_version is None else target_version
        if self.version > len(available):
            raise WorkspaceError(
                f"the store has schema version {self.version}, newer than this compintel "
                f"knows ({len(available)})", path=self.path, hint="upgrade compintel")
        applied = []
        for version, name, sql in available:
            if version > target:
                break
            if version <= self.version:
                continue
            self.db.execute("BEGIN EXCLUSIVE")
            try:
                if self.db.execute("PRAGMA user_version").fetchone()[0] >= version:
                    self.db.execute("ROLLBACK")  # another process got here first
                    continue
                for statement in _statements(sql):
                    try:
                        self.db.execute(statement)
                    except sqlite3.OperationalError as exc:
                        if not str(exc).startswith("no such module"):
                            raise
                        # e.g. FTS5 (search, 0009): a build of SQLite without it cannot use the store
                        raise WorkspaceError(
                            f"migration {name} needs the SQLite module {str(exc).split(':')[-1].strip()}, "
                            f"which this Python's sqlite3 (SQLite {sqlite3.sqlite_version}) lacks",
                            path=self.path, hint="run compintel with a Python whose sqlite3 has FTS5 "
                            "(the python.org and most Linux builds do)") from None
                self.db.execute(f"PRAGMA user_version = {version}")
                self.db.execute("COMMIT")
            except BaseException:
                self.db.execute("ROLLBACK")
                raise
            applied.append(name)
        return applied

    # -- transactions ----------------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """A write transaction (``BEGIN IMMEDIATE``): all of it is stored, or none."""
        if self.db.in_transaction:
            # nested use joins the outer transaction
            yield self.db
            return
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        else:
            self.db.execute("COMMIT")

    def query(self, sql: str, params: Any = ()) -> list[sqlite3.Row]:
        return self.db.execute(sql, params).fetchall()

    def table_names(self) -> list[str]:
        """The store's tables, without full-text indexes (virtual tables and their shadow
        tables: they are derived from the tables, see compintel/search.py)."""
        rows = self.db.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY name").fetchall()
        virtual = [row[0] for row in rows if (row[1] or "").upper().startswith("CREATE VIRTUAL TABLE")]
        return [row[0] for row in rows if row[0] not in virtual
                and not any(row[0].startswith(name + "_") for name in virtual)]

    def row_counts(self) -> dict[str, int]:
        """Rows per table (the figures `compintel status` prints)."""
        return {name: self.db.execute(f'SELECT COUNT(*) FROM "{name}"').fetchone()[0]
                for name in self.table_names()}

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
