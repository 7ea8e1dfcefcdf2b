"""Errors a user can act on.

Every error raised for bad input is a :class:`UserError`: the CLI prints its one-line
message (``file:line: field: what is wrong (what to do)``) and exits non-zero, without a
traceback. Anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

from pathlib import Path


class UserError(Exception):
    """Bad input or a bad request: one actionable line, no traceback."""

    def __init__(self, message: str, *, path: str | Path | None = None,
                 line: int | None = None, field: str | None = None,
                 hint: str | None = None) -> None:
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line
        self.field = field
        self.hint = hint
        super().__init__(self.format())

    def format(self) -> str:
        where = ""
        if self.path:
            where = self.path + (f":{self.line}" if self.line else "") + ": "
        field = f"{self.field}: " if self.field else ""
        hint = f" ({self.hint})" if self.hint else ""
        return f"{where}{field}{self.message}{hint}"


class WorkspaceError(UserError):
    """No workspace, or a broken one."""


class CatalogError(UserError):
    """A catalog file or a catalog lookup is wrong."""


class SourceError(UserError):
    """A source definition is malformed."""


class DataFileError(UserError):
    """A field note or an account table cannot be imported (nothing of it was stored)."""


class FetchError(Exception):
    """A download failed; ``reason`` is short and stored with the gather log."""

    def __init__(self, reason: str, *, url: str | None = None, status: int | None = None) -> None:
        self.reason = reason
        self.url = url
        self.status = status
        super().__init__(reason if url is None else f"{url}: {reason}")
