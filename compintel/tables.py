"""Import account tables (CSV or XLSX) into the store, all-or-nothing per file.

The kinds, their columns, header synonyms and value types are data: ``data/tables.toml``.
An import reads the grid, finds the header row (title rows above it are skipped), maps
headers to columns leniently, converts and checks every cell, and only when the whole file is
clean replaces the rows the same file gave before, in one transaction.
"""

from __future__ import annotations

import csv
import difflib
import io
import json
import re
import tomllib
import unicodedata
import xml.etree.ElementTree as ElementTree
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from tqdm import tqdm

from .catalog import Catalog
from .errors import CatalogError, DataFileError
from .numbers import (
    COUNT_UNITS,
    parse_date,
    parse_money,
    parse_month,
    parse_number,
    parse_percent,
    scale_word,
)
from .store import Store, content_hash, utcnow
from .workspace import TableSettings

ENTITY_TYPES = ("customer", "plant", "supplier", "competitor")
TYPES = (*ENTITY_TYPES, "part_family", "month", "date", "number", "money", "percent", "text",
         "flag", "status", "band")
OURS = frozenset({"ours", "our", "we", "us", "our company", "our_company", "self", "own"})
COMPANY_ROLES = ("competitor", "own", "org")    # who may appear as a supplier or competitor
HEADER_SCAN_ROWS = 30                           # title rows allowed above the header row
MAX_PROBLEMS = 50                               # problems kept on a DataFileError
SOB_TOLERANCE = 0.5                             # rounding slack when shares add up past 100
TOTAL_WORDS = frozenset({"total", "totals", "grand total", "sub total", "subtotal"})

# Which columns identify a row: two rows with the same key would be counted twice. Kinds not
# listed (and rows whose key is incomplete) compare whole rows.
ROW_KEYS: dict[str, tuple[str, ...]] = {
    "sales": ("customer", "part_family", "month"),
    "share_of_business": ("month", "customer", "plant", "model", "part_family", "supplier"),
    "vendor_rating": ("customer", "plant", "month", "supplier"),
    "production_volumes": ("customer", "plant", "model", "month"),
    "receivables": ("customer", "invoice"),
    "complaints": ("customer", "ref"),
}
_OPTIONAL_IDS = frozenset({"ref"})   # a key column that may be empty: then compare whole rows
# Kinds whose rows for one key may come from several files, each giving different fields (a
# plan file and an actuals file); a field given by two files for the same key is an overlap.
# Every other kind in ROW_KEYS keeps each key in one file.
SHARED_KEY_FIELDS: dict[str, tuple[str, ...]] = {
    "sales": ("plan_qty", "actual_qty", "plan_value", "actual_value"),
}
_HINTS = {
    "number": "write a number such as 1,200, 5,00,000 or 2.5 lakh",
    "money": "write rupees such as 5,00,000, Rs 2.5 lakh or 3 cr",
    "percent": "write a percentage such as 38% or 38",
    "month": "write a month such as 2026-04, Apr-26 or April 2026",
    "date": "write a date such as 2026-04-15, 15/04/2026 or 15-Apr-2026",
    "flag": "write yes or no",
}
_FLAGS = {"yes": 1, "y": 1, "true": 1, "1": 1, "no": 0, "n": 0, "false": 0, "0": 0}


# -- the spec --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Column:
    """One column of a table kind, as tables.toml defines it."""

    name: str
    type: str
    synonyms: tuple[str, ...]
    values: tuple[str, ...] = ()
    default: Any = None

    @property
    def store_column(self) -> str:
        return f"{self.name}_id" if self.type in ENTITY_TYPES else self.name

    @property
    def label(self) -> str:
        """How a message names the column when the file has no header for it."""
        return self.synonyms[0] if self.synonyms else self.name.replace("_", " ")


@dataclass(frozen=True)
class TableKind:
    """A kind of account table: its store table and columns."""

    name: str
    store_table: str
    description: str
    required: tuple[str, ...]
    needs_one_of: tuple[str, ...]
    columns: dict[str, Column]


def _spec_error(message: str) -> RuntimeError:
    return RuntimeError(f"compintel/data/tables.toml: {message}")


def parse_spec(data: dict[str, Any]) -> dict[str, TableKind]:
    """Table kinds from the parsed tables.toml; a broken spec is a bug, not a user error."""
    kinds: dict[str, TableKind] = {}
    for name, raw in data.items():
        columns = {}
        for col_name, col in raw["columns"].items():
            if col["type"] not in TYPES:
                raise _spec_error(f"{name}.{col_name}: unknown type {col['type']!r}")
            columns[col_name] = Column(col_name, col["type"], tuple(col.get("synonyms", ())),
                                       tuple(col.get("values", ())), col.get("default"))
        kind = TableKind(name, raw["store_table"], raw.get("description", ""),
                         tuple(raw.get("required", ())), tuple(raw.get("needs_one_of", ())),
                         columns)
        for col_name in (*kind.required, *kind.needs_one_of):
            if col_name not in columns:
                raise _spec_error(f"{name}: {col_name!r} is not one of its columns")
        synonym_index(columns)    # raises on a synonym shared by two columns
        kinds[name] = kind
    return kinds


@cache
def table_kinds() -> dict[str, TableKind]:
    """The table kinds compintel imports, read from the package's tables.toml."""
    text = (resources.files("compintel") / "data" / "tables.toml").read_text(encoding="utf-8")
    return parse_spec(tomllib.loads(text))


# -- headers ---------------------------------------------------------------------------------

_BRACKET_UNIT = re.compile(r"^(?P<base>.*?)\s*[(\[](?P<unit>[^)\]]*)[)\]]\s*$")
_IN_UNIT = re.compile(r"^(?P<base>.*?)\s+in\s+(?P<unit>.+)$", re.IGNORECASE)
_CURRENCY_TOKENS = frozenset({"rs", "inr", "₹", "rupees", "rupee"})
_PERCENT_TOKENS = frozenset({"%", "pct", "percent", "percentage"})
# Currencies that are not rupees: a money column in them must not be read as rupees.
_FOREIGN_TOKENS = frozenset({"usd", "$", "us$", "dollars", "eur", "€", "euro", "euros", "gbp",
                             "£", "jpy", "¥", "yen", "cny", "rmb"})


def normalize(text: str) -> str:
    """Header text for matching: case-folded, accents and punctuation gone, single spaces."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    plain = plain.replace("%", " pct ").replace("&", " and ").replace("#", " no ")
    return " ".join(re.sub(r"[^\w]+|_", " ", plain).split())


@dataclass(frozen=True)
class Unit:
    """What a header's unit says: a scale for amounts, a percent sign, unknown words."""

    scale: float | None = None
    percent: bool = False
    currency: bool = False
    other: tuple[str, ...] = ()


def _unit_tokens(text: str) -> list[str]:
    text = text.casefold().replace("₹", " rs ").replace("%", " % ")
    return [token.strip(".") for token in re.split(r"[\s/,]+", text) if token.strip(".")]


def parse_unit(text: str) -> Unit | None:
    """The unit in a header's brackets ("Rs lakh", "%"); None when it is not a unit."""
    scale, percent, currency, other = None, False, False, []
    recognized = 0
    for token in _unit_tokens(text):
        recognized += 1
        if token in _CURRENCY_TOKENS:
            currency = True
        elif token in _PERCENT_TOKENS:
            percent = True
        elif token in _FOREIGN_TOKENS:
            other.append(token)
        elif token in COUNT_UNITS:
            continue
        else:
            try:
                scale = scale_word(token)
            except ValueError:
                other.append(token)
                recognized -= 1
    if not recognized:
        return None
    return Unit(scale, percent, currency, tuple(other))


@dataclass(frozen=True)
class Header:
    """One header cell: its text, the keys it may match, and its unit."""

    index: int
    text: str
    keys: tuple[str, ...]        # normalized: the name without its unit, then all of it
    unit: Unit | None


def parse_header(index: int, text: str) -> Header:
    """Split a header into name and unit: "Plan Value (Rs lakh)" → "plan value" + Rs lakh."""
    text = " ".join(text.split())
    full = normalize(text)
    base, unit = text, None
    for pattern in (_BRACKET_UNIT, _IN_UNIT):
        match = pattern.match(text)
        if match and match.group("base").strip():
            candidate = parse_unit(match.group("unit"))
            if candidate is not None or pattern is _BRACKET_UNIT:
                base, unit = match.group("base"), candidate
                break
    if unit is None and base.rstrip().endswith("%"):
        base, unit = base.rstrip()[:-1], Unit(percent=True)
    keys = tuple(dict.fromkeys(key for key in (normalize(base), full) if key))
    return Header(index, text, keys, unit)


def synonym_index(columns: dict[str, Column]) -> dict[str, str]:
    """Normalized synonym → column name; a synonym shared by two columns is a spec bug."""
    index: dict[str, str] = {}
    for column in columns.values():
        for synonym in (column.name, *column.synonyms):
            key = normalize(synonym)
            if index.get(key, column.name) != column.name:
                raise _spec_error(f"header {synonym!r} would mean both {index[key]} and "
                                  f"{column.name}")
            index[key] = column.name
    return index


@dataclass(frozen=True)
class HeaderMatch:
    """How a header row maps onto the columns of a kind."""

    mapping: dict[str, Header]           # column name → header
    ignored: tuple[str, ...]             # headers that name no column
    clashes: tuple[tuple[str, Header, Header], ...]   # (column, first, second)

    def fits(self, required: Sequence[str], needs_one_of: Sequence[str]) -> bool:
        return (all(name in self.mapping for name in required)
                and (not needs_one_of or any(name in self.mapping for name in needs_one_of)))


def match_headers(headers: Sequence[Header], columns: dict[str, Column]) -> HeaderMatch:
    """Map header cells to columns by synonym, most specific reading of the header first."""
    index = synonym_index(columns)
    mapping: dict[str, Header] = {}
    ignored: list[str] = []
    clashes = []
    for header in headers:
        if not header.keys:
            continue
        name = next((index[key] for key in header.keys if key in index), None)
        if name is None:
            ignored.append(header.text)
        elif name in mapping:
            clashes.append((name, mapping[name], header))
        else:
            mapping[name] = header
    return HeaderMatch(mapping, tuple(ignored), tuple(clashes))


def _headers_of(values: Sequence[Any]) -> list[Header]:
    return [parse_header(i, _cell_text(value)) for i, value in enumerate(values)
            if value is not None and _cell_text(value)]


def _fitting_kinds(headers: Sequence[Header]) -> list[tuple[str, HeaderMatch]]:
    found = []
    for name, kind in table_kinds().items():
        match = match_headers(headers, kind.columns)
        if match.fits(kind.required, kind.needs_one_of):
            found.append((name, match))
    return found


def detect_kind(headers: Sequence[str]) -> str:
    """The table kind a header row fits; DataFileError when none or several fit equally."""
    parsed = _headers_of(headers)
    fitting = _fitting_kinds(parsed)
    if not fitting:
        name, missing = _closest_kind(parsed)
        raise DataFileError(
            f"the headers {', '.join(headers)} fit no table kind",
            hint=_closest_hint(name, missing)
            + "; or name the kind with table = \"...\" in the source definition")
    best = max(len(match.mapping) for _, match in fitting)
    top = [name for name, match in fitting if len(match.mapping) == best]
    if len(top) > 1:
        raise DataFileError(
            f"the headers {', '.join(headers)} fit several table kinds: {', '.join(top)}",
            hint="name the kind with table = \"...\" in the source definition")
    return top[0]


def _closest_hint(name: str | None, missing: list[Column]) -> str:
    if name is None:
        return ("no known column headers; docs/formats.md lists the table kinds and "
                "compintel/data/tables.toml the headers each accepts")
    return f"closest is {name!r}, which also needs " + ", ".join(repr(c.label) for c in missing)


def _closest_kind(headers: Sequence[Header]) -> tuple[str | None, list[Column]]:
    """The kind matching most headers (None if no header matches any) and what it lacks."""
    best: tuple[int, str, list[Column]] | None = None
    for name, kind in table_kinds().items():
        match = match_headers(headers, kind.columns)
        missing = [kind.columns[col] for col in kind.required if col not in match.mapping]
        if kind.needs_one_of and not any(col in match.mapping for col in kind.needs_one_of):
            missing.append(kind.columns[kind.needs_one_of[0]])
        score = len(match.mapping) - len(missing)
        if match.mapping and (best is None or score > best[0]):
            best = (score, name, missing)
    return (best[1], best[2]) if best is not None else (None, [])


class HeaderRowError(DataFileError):
    """No row near the top holds the headers the file needs: it may be another kind of file."""


# -- reading the grid ------------------------------------------------------------------------

@dataclass(frozen=True)
class Grid:
    """The non-blank rows of a CSV file or a worksheet, with the row numbers a user sees."""

    label: str                                 # file (and sheet) as messages name it
    rows: list[tuple[int, list[Any]]]          # (row number, cell values; None for empty)
    sheet: str | None = None
    # formula cells without a saved value, by (row number, column index): they read as empty
    unsaved_formulas: dict[tuple[int, int], FormulaCell] = field(default_factory=dict)


@dataclass(frozen=True)
class FormulaCell:
    """A formula cell whose file holds no calculated value (written by a script, not Excel)."""

    cell: str          # "D5"
    formula: str

    def problem(self, row: int, header: str, sheet: str | None) -> Problem:
        where = f"cell {self.cell}" + (f" of sheet {sheet!r}" if sheet else "")
        formula = self.formula if len(self.formula) <= 40 else self.formula[:37] + "..."
        what = f"the formula ={formula}" if formula else "a formula"
        return Problem(row, header, f"{where} holds {what} but no calculated value, so it "
                       "would read as empty",
                       "open the file in Excel or LibreOffice and save it (that stores the "
                       "values), or write values instead of formulas")


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime) and value.time() == datetime.min.time():
        return value.date().isoformat()
    if isinstance(value, date | datetime):
        return value.isoformat()
    return " ".join(str(value).split())


def _decode(data: bytes, label: str) -> str:
    """CSV text as Excel writes it: UTF-8 (with or without BOM), UTF-16 with BOM, or cp1252."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        raise DataFileError("the file is neither UTF-8 nor Windows-1252 text", path=label,
                            hint="save it from Excel as 'CSV UTF-8'") from None


def _too_many_cells(label: str, limits: TableSettings, sheet: str | None = None) -> DataFileError:
    where = f"sheet {sheet!r} has" if sheet else "the file has"
    return DataFileError(
        f"{where} more than {limits.max_cells:,} cells, the limit for a table",
        path=label, hint="keep only the table's rows and columns (delete the rest, or export "
        "the table alone), or raise max_cells under [tables] in compintel.toml; nothing was "
        "imported")


def _too_big(label: str, megabytes: float, limits: TableSettings, what: str) -> DataFileError:
    size = f"{megabytes:,.0f}" if megabytes >= 10 else f"{megabytes:.1f}"
    return DataFileError(
        f"{what} {size} MB, over the {limits.max_unpacked_mb} MB limit for a table",
        path=label, hint="keep only the table's sheet, rows and columns (or split the file), "
        "or raise max_unpacked_mb under [tables] in compintel.toml; nothing was imported")


def _csv_rows(text: str, label: str, limits: TableSettings | None = None
              ) -> list[tuple[int, list[Any]]]:
    sample = "\n".join(text.splitlines()[:50])
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    limits = limits or TableSettings()
    rows = []
    line = 0
    cells = 0
    try:
        for record in reader:
            start, line = line + 1, reader.line_num
            cells += len(record)
            if cells > limits.max_cells:
                raise _too_many_cells(label, limits)
            values = [cell.strip() or None for cell in record]
            if any(value is not None for value in values):
                rows.append((start, values))
    except csv.Error as exc:
        raise DataFileError(f"cannot read the CSV: {exc}", path=label, line=line + 1,
                            hint="check the quoting of that line, or save it again from Excel") from None
    return rows


def _xlsx_cell(cell: Any) -> Any:
    value = cell.value
    if isinstance(value, str):
        return value.strip() or None
    number_format = getattr(cell, "number_format", None) or ""
    if (isinstance(value, int | float) and not isinstance(value, bool)
            and "%" in number_format):
        # A percent-formatted cell stores 0.38 and shows 38%: keep what the user sees.
        return f"{Decimal(repr(value)) * 100}%"
    return value


_MEGABYTE = 1_000_000
_SHEET_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def _not_a_workbook(label: str, exc: BaseException) -> DataFileError:
    return DataFileError(f"cannot read it as an Excel workbook ({exc.__class__.__name__})",
                         path=label, hint="save it from Excel as .xlsx")


def check_workbook_size(path: Path, label: str, limits: TableSettings) -> None:
    """Refuse a workbook whose parts unzip past the limit, from the zip directory alone.

    A few MB of zip can unpack to gigabytes of sheet XML. The sizes the directory declares
    bound what is read: Python's zipfile stops each part at its declared size.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
            unpacked = sum(info.file_size for info in parts)
            # openpyxl loads the shared strings whole, before any row: a cap of their own
            shared = sum(info.file_size for info in parts if info.filename.lower().endswith("sharedstrings.xml"))
    except FileNotFoundError:
        raise DataFileError("file not found", path=label) from None
    except (OSError, zipfile.BadZipFile, ValueError) as exc:
        raise _not_a_workbook(label, exc) from None
    if unpacked > limits.max_unpacked_mb * _MEGABYTE:
        raise _too_big(label, unpacked / _MEGABYTE, limits, "the workbook unpacks to")
    if shared > limits.max_shared_strings_mb * _MEGABYTE:
        size = shared / _MEGABYTE
        raise DataFileError(
            f"the workbook's shared strings unpack to {size:,.0f} MB, over the "
            f"{limits.max_shared_strings_mb} MB limit for a table", path=label,
            hint="keep only the table's sheet, rows and columns (or export it as CSV), or raise "
            "max_shared_strings_mb under [tables] in compintel.toml; nothing was imported")


def _unsaved_formulas(source: Any) -> dict[tuple[int, int], FormulaCell]:
    """Formula cells of a sheet's XML with no calculated value, streamed row by row.

    openpyxl reading values (``data_only``) gives such a cell as empty, like a blank one; only
    the XML tells them apart: an ``<f>`` without a ``<v>``, or with an empty one on a cell that
    is not text (openpyxl writes ``<v></v>``; Excel writes that only for a formula giving "",
    typed ``t="str"``).
    """
    from openpyxl.utils.cell import coordinate_to_tuple

    found: dict[tuple[int, int], FormulaCell] = {}
    parent = None
    for event, element in ElementTree.iterparse(source, events=("start", "end")):
        if event == "start":
            if element.tag == _SHEET_NS + "sheetData":
                parent = element
            continue
        if element.tag == _SHEET_NS + "c":
            formula = element.find(_SHEET_NS + "f")
            value = element.find(_SHEET_NS + "v")
            unsaved = value is None or (not value.text and element.get("t", "n") != "str")
            if formula is not None and unsaved and element.get("r"):
                row, column = coordinate_to_tuple(element.get("r"))
                found[(row, column - 1)] = FormulaCell(element.get("r"), formula.text or "")
        elif element.tag == _SHEET_NS + "row" and parent is not None:
            parent.remove(element)      # keep memory flat on long sheets
    return found


def _xlsx_rows(path: Path, label: str, sheet: str | None, limits: TableSettings
               ) -> tuple[list[tuple[int, list[Any]]], str, bool,
                          dict[tuple[int, int], FormulaCell]]:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    check_workbook_size(path, label, limits)
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, OSError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise _not_a_workbook(label, exc) from None
    try:
        sheets = workbook.worksheets
        if not sheets:
            raise DataFileError("the workbook has no worksheets", path=label)
        if sheet is None:
            worksheet = sheets[0]
        else:
            by_name = {ws.title: ws for ws in sheets}
            by_folded = {title.casefold().strip(): ws for title, ws in by_name.items()}
            worksheet = by_name.get(sheet) or by_folded.get(sheet.casefold().strip())
            if worksheet is None:
                close = difflib.get_close_matches(sheet, list(by_name), n=1)
                raise DataFileError(
                    f"no sheet named {sheet!r}", path=label, field="sheet",
                    hint=(f"did you mean {close[0]!r}? " if close else "")
                    + "sheets: " + ", ".join(by_name))
        # Some writers store a wrong sheet size; without this, columns past it are dropped.
        worksheet.reset_dimensions()
        rows = []
        number = 0
        cells_read = 0
        try:
            for cells in worksheet.iter_rows():
                # counted as the rows stream in: the stored sheet size may be wrong (see above);
                # an empty row counts as a cell, so a sheet that jumps to row 2,000,000,000
                # stops at the limit instead of reading empty rows for an hour
                cells_read += max(1, len(cells))
                if cells_read > limits.max_cells:
                    raise _too_many_cells(label, limits, worksheet.title)
                previous, number = number, number + 1
                number = next((cell.row for cell in cells if getattr(cell, "row", None) is not None), number)
                if not previous < number <= EXCEL_MAX_ROWS:
                    raise _not_a_workbook(label, ValueError(f"row number {number} after row {previous}"))
                values = [_xlsx_cell(cell) for cell in cells]
                if any(value is not None for value in values):
                    rows.append((number, values))
        except (ElementTree.ParseError, ValueError, KeyError, TypeError, IndexError) as exc:
            raise _not_a_workbook(label, exc) from None        # the sheet's XML is broken
        try:
            with worksheet._get_source() as source:     # the sheet's XML inside the zip
                formulas = _unsaved_formulas(source)
        except ElementTree.ParseError as exc:
            raise _not_a_workbook(label, exc) from None
        return rows, worksheet.title, len(sheets) > 1, formulas
    finally:
        workbook.close()


def read_grid(path: Path, label: str | None = None, *, sheet: str | None = None,
              limits: TableSettings | None = None) -> Grid:
    """The rows of a CSV, TSV or XLSX file; blank rows are dropped, row numbers kept.

    ``limits`` (the workspace's ``[tables]`` settings) caps the file's unpacked size, checked
    before it is parsed, and its cells, counted while it is read.
    """
    label = label or str(path)
    limits = limits or TableSettings()
    suffix = path.suffix.casefold()
    if suffix == ".xls":
        raise DataFileError("old .xls workbooks cannot be read", path=label,
                            hint="save it from Excel as .xlsx or CSV")
    if suffix in (".xlsx", ".xlsm"):
        rows, title, several, formulas = _xlsx_rows(path, label, sheet, limits)
        return Grid(f"{label}[{title}]" if several else label, rows, title, formulas)
    if sheet is not None:
        raise DataFileError(f"sheet {sheet!r} given for a text file, which has no sheets",
                            path=label, field="sheet", hint="remove the sheet setting")
    try:
        size = path.stat().st_size
        if size > limits.max_unpacked_mb * _MEGABYTE:
            raise _too_big(label, size / _MEGABYTE, limits, "the file is")
        data = path.read_bytes()
    except FileNotFoundError:
        raise DataFileError("file not found", path=label) from None
    except OSError as exc:
        raise DataFileError(f"cannot read the file ({exc.strerror})", path=label) from None
    return Grid(label, _csv_rows(_decode(data, label), label, limits))


# -- cells -----------------------------------------------------------------------------------

class CellError(Exception):
    """A cell value that cannot be used; ``hint`` says what to write instead."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


@dataclass(frozen=True)
class ColumnPlan:
    """A column as found in one file: its header, and what the header's unit implies."""

    column: Column
    header: Header
    scale: float = 1.0
    fractional: bool = False


EXCEL_MAX_ROWS = 1_048_576  # a sheet's last row; a row number past it is a broken file
PROGRESS_ROWS = 5000       # a table at least this long shows a progress bar over its rows


@dataclass(frozen=True)
class Context:
    """What cell conversion needs besides the cell."""

    catalog: Catalog
    our_company: str | None
    progress: bool = False      # a progress bar over a long table's rows (on stderr)


def _catalog_error(exc: CatalogError) -> CellError:
    return CellError(exc.message, exc.hint)


def _company(text: str, ctx: Context, what: str) -> str:
    if normalize(text) in OURS:
        if ctx.our_company is None:
            raise CellError(f"{text!r} means our company, but none is set",
                            "set our_company in compintel.toml")
        return ctx.our_company
    try:
        return ctx.catalog.resolve(text, "company", role=COMPANY_ROLES, what=what).id
    except CatalogError as exc:
        raise _catalog_error(exc) from None


def _customer(text: str, ctx: Context) -> str:
    try:
        return ctx.catalog.resolve(text, "company", role="customer", what="customer").id
    except CatalogError as exc:
        raise _catalog_error(exc) from None


def _plant(text: str, ctx: Context, customer: str | None) -> str | None:
    if customer is None:
        return None     # the customer cell already carries the error
    try:
        return ctx.catalog.resolve(text, "plant", company=customer,
                                   what=f"plant of {ctx.catalog.display_name(customer)}").id
    except CatalogError as exc:
        elsewhere = ctx.catalog.find(text, "plant")
        if elsewhere:
            owners = ", ".join(sorted({ctx.catalog.display_name(e.company) for e in elsewhere}))
            raise CellError(f"plant {text!r} belongs to {owners}, not to "
                            f"{ctx.catalog.display_name(customer)}",
                            "check the customer and plant of this row") from None
        raise _catalog_error(exc) from None


def _model(text: str, ctx: Context, customer: str | None) -> str:
    if customer is not None:
        found = ctx.catalog.find(text, "vehicle", company=customer)
        if len(found) == 1:
            return found[0].id
    return text


def _status(text: str, column: Column) -> str:
    folded = normalize(text)
    for value in column.values:
        if normalize(value) == folded:
            return value
    raise CellError(f"{text!r} is not a known {column.name}", "use one of: " + ", ".join(column.values))


def _flag(value: Any) -> int:
    if isinstance(value, bool):
        return int(value)
    key = _cell_text(value).casefold()
    if key not in _FLAGS:
        raise CellError(f"{_cell_text(value)!r} is not yes or no", _HINTS["flag"])
    return _FLAGS[key]


def _parsed(parse: Callable[[Any], Any], value: Any, kind: str) -> Any:
    try:
        return parse(value)
    except ValueError as exc:
        raise CellError(str(exc), _HINTS[kind]) from None


def convert_cell(plan: ColumnPlan, value: Any, row: dict[str, Any], ctx: Context) -> Any:
    """One cell's value as the store keeps it; raises CellError. ``value`` is not empty."""
    column = plan.column
    kind = column.type
    if kind in ("month", "date", "number", "money", "percent", "flag"):
        if kind == "month":
            return _parsed(parse_month, value, kind)
        if kind == "date":
            return _parsed(parse_date, value, kind)
        if kind == "number":
            return _parsed(lambda v: parse_number(v) * plan.scale, value, kind)
        if kind == "money":
            return _parsed(lambda v: parse_money(v, plan.scale), value, kind)
        if kind == "percent":
            return _parsed(lambda v: parse_percent(v, fractional=plan.fractional), value, kind)
        return _flag(value)
    # Text keeps its line breaks (a visit-log note may have several paragraphs).
    text = value.strip() if isinstance(value, str) else _cell_text(value)
    if kind == "customer":
        return _customer(text, ctx)
    if kind == "plant":
        return _plant(text, ctx, row.get("customer"))
    if kind in ("supplier", "competitor"):
        return _company(text, ctx, kind)
    if kind == "part_family":
        try:
            return ctx.catalog.resolve(text, "part_family", what="part family").id
        except CatalogError as exc:
            raise _catalog_error(exc) from None
    if kind == "status":
        return _status(text, column)
    if kind == "band":
        return text.casefold()
    if column.name == "model":
        return _model(text, ctx, row.get("customer"))
    return text


def _percent_is_fractional(header: Header, values: list[Any]) -> bool:
    """A percent column whose plain values are all at most 1 holds fractions (0.38 = 38%)."""
    if header.unit is not None and header.unit.percent:
        return False
    plain = []
    for value in values:
        if value is None or (isinstance(value, str) and "%" in value):
            continue
        try:
            plain.append(parse_percent(value))
        except ValueError:
            continue
    return bool(plain) and all(abs(number) <= 1 for number in plain)


def plan_columns(match: HeaderMatch, columns: dict[str, Column], grid_rows: list[list[Any]],
                 label: str, header_row: int) -> dict[str, ColumnPlan]:
    """Per-column reading rules from the header units (and, for percents, the values)."""
    plans = {}
    for name, header in match.mapping.items():
        column = columns[name]
        unit = header.unit
        scale = 1.0
        if column.type == "money" and unit is not None:
            foreign = [token for token in unit.other if token in _FOREIGN_TOKENS]
            if foreign or unit.percent:
                raise DataFileError(
                    f"the unit ({', '.join(foreign) or '%'}) is not rupees", path=label,
                    line=header_row, field=header.text,
                    hint="give amounts in rupees, e.g. a header like 'Value (Rs lakh)'")
            scale = unit.scale or 1.0
        elif column.type == "number" and unit is not None:
            scale = unit.scale or 1.0
        fractional = False
        if column.type == "percent":
            values = [row[header.index] if header.index < len(row) else None for row in grid_rows]
            fractional = _percent_is_fractional(header, values)
        plans[name] = ColumnPlan(column, header, scale, fractional)
    return plans


# -- finding the header row ------------------------------------------------------------------

def find_header_row(grid: Grid, columns: dict[str, Column], required: Sequence[str],
                    needs_one_of: Sequence[str] = (), *, what: str = "table"
                    ) -> tuple[int, HeaderMatch]:
    """Index into ``grid.rows`` of the first row holding every required column's header."""
    best: tuple[int, int, HeaderMatch] | None = None
    for position, (_, values) in enumerate(grid.rows[:HEADER_SCAN_ROWS]):
        match = match_headers(_headers_of(values), columns)
        if match.fits(required, needs_one_of):
            _check_clashes(match, grid.label, grid.rows[position][0])
            return position, match
        if best is None or len(match.mapping) > best[0]:
            best = (len(match.mapping), position, match)
    if best is None:
        raise HeaderRowError("the file is empty", path=grid.label,
                             hint=f"export the {what} with its header row")
    _, position, match = best
    line, values = grid.rows[position]
    missing = [columns[name] for name in required if name not in match.mapping]
    found = ", ".join(_cell_text(v) for v in values if v is not None)
    if missing:
        column = missing[0]
        more = f" (also missing: {', '.join(c.label for c in missing[1:])})" if missing[1:] else ""
        raise HeaderRowError(
            f"required column missing{more}", path=grid.label, line=line, field=column.label,
            hint=f"add a column headed {column.label!r} (or: "
                 f"{', '.join(column.synonyms[1:]) or column.name}); headers found: {found}")
    labels = ", ".join(columns[name].label for name in needs_one_of)
    raise HeaderRowError(f"needs at least one of the columns {labels}", path=grid.label,
                         line=line, hint=f"headers found: {found}")


def _check_clashes(match: HeaderMatch, label: str, line: int) -> None:
    if match.clashes:
        name, first, second = match.clashes[0]
        raise DataFileError(f"columns {first.text!r} and {second.text!r} both mean "
                            f"{name.replace('_', ' ')}",
                            path=label, line=line, field=second.text,
                            hint="keep one of them or rename the other")


# -- errors ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Problem:
    """One bad cell or row."""

    row: int
    field: str | None
    message: str
    hint: str | None = None

    def format(self, label: str) -> str:
        return str(DataFileError(self.message, path=label, line=self.row, field=self.field,
                                 hint=self.hint))


def raise_problems(label: str, problems: list[Problem]) -> None:
    """Raise a DataFileError for the first problem, saying how many other rows are bad.

    The error's ``problems`` attribute lists them all (one line each, at most MAX_PROBLEMS),
    for a caller that wants to show more than the first.
    """
    if not problems:
        return
    problems = sorted(problems, key=lambda p: p.row)
    first = problems[0]
    others = len({p.row for p in problems} - {first.row})
    tail = "nothing was imported"
    if others:
        tail = f"{others} other row{'s' if others > 1 else ''} also ha{'ve' if others > 1 else 's'} errors; " + tail
    hint = f"{first.hint}; {tail}" if first.hint else tail
    error = DataFileError(first.message, path=label, line=first.row, field=first.field, hint=hint)
    error.problems = [p.format(label) for p in problems[:MAX_PROBLEMS]]  # type: ignore[attr-defined]
    raise error


def convert_rows(grid: Grid, position: int, plans: dict[str, ColumnPlan], ctx: Context
                 ) -> tuple[list[tuple[int, dict[str, Any]]], list[Problem]]:
    """Convert every data row below the header; returns (row number, values) and problems."""
    order = sorted(plans.values(), key=lambda p: (p.column.type != "customer", p.header.index))
    converted = []
    problems = []
    data = grid.rows[position + 1:]
    for number, values in tqdm(data, desc=grid.label, unit="row", leave=False,
                               disable=not ctx.progress or len(data) < PROGRESS_ROWS):
        row: dict[str, Any] = {}
        first = next((value for value in values if value is not None), None)
        if normalize(_cell_text(first)) in TOTAL_WORDS:
            problems.append(Problem(number, None, f"{_cell_text(first)!r} looks like a totals row",
                                    "delete totals rows; compintel adds up the rows itself"))
            converted.append((number, row))
            continue
        for plan in order:
            index = plan.header.index
            value = values[index] if index < len(values) else None
            if value is None:
                row[plan.column.name] = None
                formula = grid.unsaved_formulas.get((number, index))
                if formula is not None:
                    problems.append(formula.problem(number, plan.header.text, grid.sheet))
                continue
            try:
                row[plan.column.name] = convert_cell(plan, value, row, ctx)
            except CellError as exc:
                row[plan.column.name] = None
                problems.append(Problem(number, plan.header.text, exc.message, exc.hint))
        converted.append((number, row))
    return converted, problems


# -- importing -------------------------------------------------------------------------------

@dataclass(frozen=True)
class TableImport:
    """What an import did."""

    key: str
    kind: str
    rows: int
    unchanged: bool
    ignored_columns: tuple[str, ...] = ()
    header_row: int = 1
    sheet: str | None = None
    import_id: int | None = field(default=None, compare=False)


def _check_rows(kind: TableKind, plans: dict[str, ColumnPlan],
                rows: list[tuple[int, dict[str, Any]]], bad_rows: set[int],
                ctx: Context) -> list[Problem]:
    """Row-level rules: required values, one-of values, percent range, duplicates."""
    problems: list[Problem] = []

    def header_of(name: str) -> str:
        return plans[name].header.text if name in plans else kind.columns[name].label

    for number, row in rows:
        if number in bad_rows:
            continue
        for name in kind.required:
            if row.get(name) is None:
                problems.append(Problem(number, header_of(name), "empty, but required",
                                        "fill it in or delete the row"))
        if kind.needs_one_of and all(row.get(name) is None for name in kind.needs_one_of):
            present = [header_of(name) for name in kind.needs_one_of if name in plans]
            if len(present) == 1:
                problems.append(Problem(number, present[0], "empty, but the row needs it",
                                        "fill it in or delete the row"))
            else:
                problems.append(Problem(number, None,
                                        f"the row needs at least one of {', '.join(present)}",
                                        "fill one in or delete the row"))
        for name, plan in plans.items():
            value = row.get(name)
            if plan.column.type == "percent" and value is not None and not 0 <= value <= 100:
                problems.append(Problem(number, plan.header.text,
                                        f"{value:g}% is outside 0–100", _HINTS["percent"]))
    problems.extend(_duplicates(kind, rows, bad_rows, header_of))
    if kind.name == "share_of_business":
        problems.extend(_share_totals(rows, ctx))
    return problems


def _duplicates(kind: TableKind, rows: list[tuple[int, dict[str, Any]]], bad_rows: set[int],
                header_of: Callable[[str], str]) -> list[Problem]:
    key_names = ROW_KEYS.get(kind.name)
    seen: dict[Any, int] = {}
    problems = []
    for number, row in rows:
        if number in bad_rows:
            continue
        names = key_names
        if names is None or any(row.get(n) is None for n in names if n in _OPTIONAL_IDS):
            names = tuple(kind.columns)
        key = (names, tuple(json.dumps(row.get(n), default=str) for n in names))
        if key in seen:
            same = ", ".join(header_of(n) for n in names if row.get(n) is not None)
            problems.append(Problem(number, None,
                                    f"duplicates row {seen[key]} (same {same})",
                                    "a duplicated row would be counted twice; remove or merge one"))
        else:
            seen[key] = number
    return problems


def _share_totals(rows: list[tuple[int, dict[str, Any]]], ctx: Context) -> list[Problem]:
    totals: dict[tuple[Any, ...], tuple[float, int]] = {}
    for number, row in rows:
        if row.get("share_pct") is None:
            continue
        key = tuple(row.get(n) for n in ("month", "customer", "plant", "model", "part_family"))
        total, _ = totals.get(key, (0.0, number))
        totals[key] = (total + row["share_pct"], number)
    problems = []
    for key, (total, last) in totals.items():
        if total > 100 + SOB_TOLERANCE:
            month, customer, plant, model, part = key
            where = " ".join(ctx.catalog.display_name(x) for x in (customer, plant, model) if x)
            problems.append(Problem(last, None,
                                    f"shares for {where} {part} in {month} add up to {total:g}%",
                                    "the suppliers' shares of one part cannot exceed 100%"))
    return problems


def _overlaps(db: Any, kind: TableKind, key: str, rows: list[tuple[int, dict[str, Any]]],
              stored: list[tuple[Any, ...]], plans: dict[str, ColumnPlan], ctx: Context,
              exists: Callable[[str], bool] = lambda _: True) -> list[Problem]:
    """Rows whose key (customer, part family, month for sales) another imported file holds.

    Two files giving the same figure for the same key would be added up (a plan of 200
    instead of 100), so such a file is refused and names the other file. Sales rows may share
    a key with another file's rows when each gives different figures (plan in one file,
    actuals in the other). Rows of a file that is gone (renamed or deleted: ``exists`` says
    so) are no overlap: importing every source forgets them once all files are in.
    """
    key_names = ROW_KEYS.get(kind.name)
    if not key_names or not stored:
        return []
    names = list(kind.columns)
    position = {name: i for i, name in enumerate(names)}
    shared = SHARED_KEY_FIELDS.get(kind.name, ())
    columns = ", ".join(f"t.{kind.columns[name].store_column}" for name in names)
    customers = sorted({values[position["customer"]] for values in stored})
    marks = ", ".join("?" for _ in customers)
    others: dict[tuple[Any, ...], list[tuple[str, tuple[Any, ...]]]] = {}
    present: dict[str, bool] = {}       # each other file is looked for once, not once per row
    for found in db.execute(
            f"SELECT i.path, {columns} FROM {kind.store_table} t "
            f"JOIN imports i ON i.id = t.import_id "
            f"WHERE i.path != ? AND t.customer_id IN ({marks})", (key, *customers)):
        if found[0] not in present:
            present[found[0]] = exists(found[0])
        if not present[found[0]]:
            continue
        values = tuple(found)[1:]
        row_key = tuple(values[position[name]] for name in key_names)
        others.setdefault(row_key, []).append((found[0], values))
    problems = []
    for (number, _), values in zip(rows, stored, strict=True):
        if any(values[position[name]] is None for name in key_names if name in _OPTIONAL_IDS):
            continue
        row_key = tuple(values[position[name]] for name in key_names)
        for path, other in others.get(row_key, ()):
            both = [name for name in shared if values[position[name]] is not None
                    and other[position[name]] is not None]
            if shared and not both:
                continue
            where = " ".join(_key_text(kind.columns[name], values[position[name]], ctx)
                             for name in key_names if values[position[name]] is not None)
            if both:
                field_name = plans[both[0]].header.text if both[0] in plans else both[0]
                message = (f"{where} is also in {path}, which gives its "
                           f"{both[0].replace('_', ' ')} too")
            else:
                field_name = None
                message = f"{where} is also in {path}"
            problems.append(Problem(
                number, field_name, message,
                "the two would be added up: keep each row in one file — delete it from this "
                f"file or from {path} — and import again"))
            break
    return problems


def _existing_file(path: Path, key: str) -> Callable[[str], bool]:
    """Whether the file another import's key names still exists, seen from ``path``'s key.

    Keys are workspace paths: the workspace is ``path`` less ``key``'s parts. When it cannot be
    told (a key that is no path of the file), every file counts as existing.
    """
    parts = Path(key).parts
    if Path(key).is_absolute():
        return lambda other: not Path(other).is_absolute() or Path(other).exists()
    if not parts or path.parts[-len(parts):] != parts:
        return lambda _: True
    root = Path(*path.parts[:-len(parts)])
    return lambda other: (root / other).exists()


def _key_text(column: Column, value: Any, ctx: Context) -> str:
    if column.type in (*ENTITY_TYPES, "part_family"):
        return ctx.catalog.display_name(value)
    return str(value)


def _store_rows(kind: TableKind, rows: list[tuple[int, dict[str, Any]]],
                ctx: Context) -> list[tuple[Any, ...]]:
    out = []
    for _, row in rows:
        values = []
        for column in kind.columns.values():
            value = row.get(column.name)
            if value is None and column.default is not None:
                value = ctx.our_company if column.default == "our_company" else column.default
                if isinstance(value, bool):
                    value = int(value)
            values.append(value)
        out.append(tuple(values))
    return out


def import_table(store: Store, catalog: Catalog, path: Path, kind: str | None = None, *,
                 key: str | None = None, sheet: str | None = None,
                 our_company: str | None = None,
                 limits: TableSettings | None = None, progress: bool = False) -> TableImport:
    """Import one account table file all-or-nothing, replacing what the same key gave before.

    ``key`` is the workspace path recorded in ``imports.path`` (default ``str(path)``). The
    stored content hash is of the converted rows, so re-importing a file that yields the same
    rows (the same file, or one re-saved by Excel) changes nothing.
    """
    key = key or str(path)
    ctx = Context(catalog, our_company or catalog.our_company, progress)
    kinds = table_kinds()
    if kind is not None and kind not in kinds:
        close = difflib.get_close_matches(kind, list(kinds), n=1)
        raise DataFileError(f"unknown table kind {kind!r}", path=key, field="table",
                            hint=(f"did you mean {close[0]!r}? " if close else "")
                            + "kinds: " + ", ".join(kinds))
    grid = read_grid(path, key, sheet=sheet, limits=limits)
    if not grid.rows:
        raise DataFileError("the file is empty", path=grid.label,
                            hint="export the table with its header row")
    if kind is None:
        kind = _detect_in_grid(grid)
    spec = kinds[kind]
    position, match = find_header_row(grid, spec.columns, spec.required, spec.needs_one_of,
                                      what=f"{kind} table")
    header_line = grid.rows[position][0]
    plans = plan_columns(match, spec.columns, [values for _, values in grid.rows[position + 1:]],
                         grid.label, header_line)
    rows, problems = convert_rows(grid, position, plans, ctx)
    problems += _check_rows(spec, plans, rows, {p.row for p in problems}, ctx)
    raise_problems(grid.label, problems)
    if any(c.default == "our_company" and c.name not in plans for c in spec.columns.values()) \
            and ctx.our_company is None and rows:
        raise DataFileError("rows without a supplier mean our company, but none is set",
                            path=grid.label, hint="set our_company in compintel.toml")
    stored = _store_rows(spec, rows, ctx)
    digest = content_hash(json.dumps({"kind": kind, "rows": stored}, default=str))
    with store.transaction() as db:
        # inside the transaction, so no other import can slip in between check and write
        raise_problems(grid.label, _overlaps(db, spec, key, rows, stored, plans, ctx,
                                             _existing_file(path, key)))
        old = db.execute("SELECT id, table_kind, content_hash FROM imports WHERE path = ?",
                         (key,)).fetchone()
        unchanged = (old is not None and old["table_kind"] == kind
                     and old["content_hash"] == digest)
        if unchanged:
            import_id = old["id"]
        else:
            db.execute("DELETE FROM imports WHERE path = ?", (key,))
            import_id = db.execute(
                'INSERT INTO imports (path, table_kind, content_hash, "rows", imported_at) '
                "VALUES (?, ?, ?, ?, ?)", (key, kind, digest, len(stored), utcnow())).lastrowid
            names = ", ".join(c.store_column for c in spec.columns.values())
            marks = ", ".join("?" for _ in spec.columns)
            db.executemany(
                f"INSERT INTO {spec.store_table} (import_id, {names}) VALUES (?, {marks})",
                [(import_id, *row) for row in stored])
    return TableImport(key, kind, len(stored), unchanged, match.ignored, header_line, grid.sheet,
                       import_id)


def _detect_in_grid(grid: Grid) -> str:
    """The kind of the first row (among the first few) that fits any kind."""
    best: tuple[int, int, list[str]] | None = None
    for number, values in grid.rows[:HEADER_SCAN_ROWS]:
        headers = _headers_of(values)
        texts = [header.text for header in headers]
        if _fitting_kinds(headers):
            try:
                return detect_kind(texts)
            except DataFileError as exc:
                raise DataFileError(exc.message, path=grid.label, line=number,
                                    hint=exc.hint) from None
        score = max(len(match_headers(headers, k.columns).mapping) for k in table_kinds().values())
        if best is None or score > best[0]:
            best = (score, number, texts)
    assert best is not None    # the caller checked the grid has rows
    _, number, texts = best
    name, missing = _closest_kind(_headers_of(texts))
    raise HeaderRowError(
        "no header row fits a table kind", path=grid.label, line=number,
        hint=_closest_hint(name, missing) + f"; headers found: {', '.join(texts) or 'none'}")
