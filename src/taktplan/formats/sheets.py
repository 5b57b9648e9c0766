"""Rows of cells from CSV and XLSX files, and back, as spreadsheets keep them.

A :class:`Sheet` is a table of text cells with the row numbers a
spreadsheet shows (the first row is 1), so that a reader can name the
cell at fault (``C7``). CSV is read as spreadsheets write it: comma,
semicolon or tab separated (the most frequent of them in the first row,
or Excel's ``sep=;`` line), with or without a UTF-8 byte-order mark,
LF or CRLF line ends. XLSX is read with openpyxl (values, not formulas).
Writers go through a temporary file and a rename: whole or not at all.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from taktplan.errors import InputError
from taktplan.files import decode_utf8, write_file_atomically

if TYPE_CHECKING:
    import os
    from collections.abc import Sequence

#: File name endings read as CSV and as XLSX.
CSV_SUFFIXES = (".csv", ".txt", ".tsv")
XLSX_SUFFIXES = (".xlsx", ".xlsm")
#: Rows and columns a sheet may have: far more than any task list, and
#: a bound on the work a hostile file can cause.
MAX_ROWS = 100_000
MAX_COLUMNS = 1_000
#: Cells of a worksheet's used range read at most (1,048,576 rows of 19
#: columns: a format applied to the last row of a task list): about 1 s.
MAX_CELLS = 20_000_000
#: A cell value written to a file: text, a number, or empty.
Cell = str | int | float | None


@dataclass(frozen=True)
class Sheet:
    """The non-empty rows of one table, as text cells.

    Attributes
    ----------
    path
        The file read.
    name
        The worksheet's name (XLSX) or ``None`` (CSV).
    rows
        ``(row number, cells)`` for each row with a non-blank cell, in
        file order; a cell is its text with surrounding blanks removed
        (``""`` when empty), numbers written the shortest way that reads
        back the same (``13.4``, ``3`` for 3.0).
    """

    path: Path
    name: str | None
    rows: tuple[tuple[int, tuple[str, ...]], ...]

    def where(self, row: int, column: int | None = None) -> str:
        """The place of a row or of one cell (0-based column): ``cell C7``."""
        place = f"row {row}" if column is None else (
            f"cell {column_letter(column)}{row}")
        return place if self.name is None else (
            f"sheet '{self.name}', {place}")


def column_letter(column: int) -> str:
    """The spreadsheet letter(s) of a 0-based column: 0 -> ``A``."""
    return str(get_column_letter(column + 1))


def sheet_kind(path: Path) -> str:
    """``"csv"`` or ``"xlsx"`` by the file's ending, else ``""``."""
    suffix = path.suffix.lower()
    if suffix in CSV_SUFFIXES:
        return "csv"
    if suffix in XLSX_SUFFIXES:
        return "xlsx"
    return ""


def read_sheet(path: str | os.PathLike[str], sheet: str | None = None,
               prefer: str | None = None) -> Sheet:
    """Read the rows of a CSV file or of one worksheet of an XLSX file.

    Parameters
    ----------
    path
        A ``.csv`` (``.txt``, ``.tsv``) or ``.xlsx`` (``.xlsm``) file.
    sheet
        The worksheet to read (XLSX only). ``None``: the one named
        ``prefer`` (any case) if there is one, else the first.
    prefer
        The worksheet name to look for first when ``sheet`` is ``None``.

    Raises
    ------
    InputError
        A missing or unreadable file, another format, a missing
        worksheet, or more than :data:`MAX_ROWS` rows.
    """
    source = Path(path)
    kind = sheet_kind(source)
    if not kind:
        fix = ("save it as .xlsx (Excel 97-2003 .xls is not read)"
               if source.suffix.lower() == ".xls" else
               "give a .csv or .xlsx file")
        raise InputError(source, None, f"is not a CSV or XLSX file (ends in "
                         f"'{source.suffix}')", fix)
    if not source.exists():
        raise InputError(source, None, "file not found", "check the path")
    if source.is_dir():
        raise InputError(source, None, "is a directory, not a file",
                         "give the path of a .csv or .xlsx file")
    if kind == "csv":
        if sheet is not None:
            raise InputError(source, None, f"a CSV file has no sheet "
                             f"'{sheet}'", "name a sheet only for an XLSX "
                             "file")
        return _read_csv(source)
    return _read_xlsx(source, sheet, prefer)


def _read_bytes(source: Path) -> bytes:
    try:
        return source.read_bytes()
    except OSError as exc:
        raise InputError(source, None, f"cannot be read ({exc.strerror})",
                         "check the path and its permissions") from None


_SEP_LINE = re.compile(r"^sep=(.)\r?\n", re.IGNORECASE)


def _read_csv(source: Path) -> Sheet:
    text = decode_utf8(source, _read_bytes(source))
    first_row = 1
    hint = _SEP_LINE.match(text)
    if hint:
        # Excel's "sep=;" line names the separator and is not a row.
        delimiter = hint.group(1)
        text = text[hint.end():]
    else:
        head = text.split("\n", 1)[0]
        delimiter = max(",;\t", key=head.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter,
                        strict=True)
    rows: list[tuple[int, tuple[str, ...]]] = []
    number = first_row - 1
    try:
        for number, record in enumerate(reader, start=first_row):
            _check_size(source, None, number, number, len(record))
            cells = tuple(c.strip() for c in record)
            if any(cells):
                rows.append((number, cells))
    except csv.Error as exc:
        raise InputError(source, f"row {number + 1}", f"is not valid CSV "
                         f"({exc})", "check the quotes in that row") from None
    return Sheet(source, None, tuple(rows))


def _check_span(source: Path, name: str, rows: int, columns: int) -> None:
    """Refuse a worksheet whose used range (formatted empty cells
    included: openpyxl yields them all) exceeds :data:`MAX_CELLS`."""
    if rows * columns > MAX_CELLS:
        raise InputError(source, f"sheet '{name}'", f"its used range spans "
                         f"{rows:,} rows x {columns:,} columns (formatted "
                         f"empty cells count), more than {MAX_CELLS:,} "
                         "cells", "delete the unused rows below and the "
                         "columns right of the table, then save")


def _check_size(source: Path, name: str | None, row: int, rows: int,
                columns: int) -> None:
    """Refuse a table of more than :data:`MAX_ROWS` rows or
    :data:`MAX_COLUMNS` columns (``rows`` read so far, ``columns`` of
    row number ``row``)."""
    if rows > MAX_ROWS or columns > MAX_COLUMNS:
        where = f"row {row}" if name is None else f"sheet '{name}', row {row}"
        raise InputError(source, where, f"the table is larger than "
                         f"{MAX_ROWS:,} rows or {MAX_COLUMNS:,} columns",
                         "split it, or remove the unused rows and columns")


def _read_xlsx(source: Path, sheet: str | None, prefer: str | None) -> Sheet:
    # Formulas first: a formula cell that no spreadsheet program has
    # calculated reads as empty with data_only, which would silently
    # give a task another time. Their saved values come from a second
    # read, only for workbooks that hold formulas.
    name, values, formulas = _xlsx_values(source, sheet, prefer,
                                          data_only=False)
    if formulas:
        _, saved, _ = _xlsx_values(source, name, None, data_only=True)
        for row, column in formulas:
            cached = saved.get(row, [])
            value = cached[column] if column < len(cached) else None
            if value is None:
                raise InputError(
                    source, f"sheet '{name}', cell "
                    f"{column_letter(column)}{row}",
                    f"the formula '{values[row][column]}' has no "
                    "calculated value saved in the file",
                    "open and save the workbook in a spreadsheet program "
                    "(which calculates it), or type the value")
            values[row][column] = value
    rows: list[tuple[int, tuple[str, ...]]] = []
    for number, row_values in values.items():
        cells = tuple(cell_text(v) for v in row_values)
        if any(cells):
            rows.append((number, cells))
    return Sheet(source, name, tuple(rows))


def _xlsx_values(source: Path, sheet: str | None, prefer: str | None, *,
                 data_only: bool
                 ) -> tuple[str, dict[int, list[object]],
                            list[tuple[int, int]]]:
    """A worksheet's name, the cell values of its rows that hold any (by
    row number), and the (row, 0-based column) of each formula cell
    (none when ``data_only``)."""
    try:
        book = load_workbook(source, read_only=True, data_only=data_only)
    except (zipfile.BadZipFile, InvalidFileException, KeyError,
            ValueError, OSError) as exc:
        raise InputError(source, None, f"is not a readable XLSX workbook "
                         f"({type(exc).__name__}: {exc})",
                         "open it in a spreadsheet and save it again as "
                         ".xlsx") from None
    try:
        names = book.sheetnames
        if sheet is not None:
            if sheet not in names:
                raise InputError(source, f"sheet '{sheet}'",
                                 "no such sheet (the workbook has "
                                 f"{', '.join(repr(n) for n in names)})",
                                 "name one of its sheets")
            name = sheet
        else:
            wanted = [n for n in names if prefer is not None
                      and n.lower() == prefer.lower()]
            name = wanted[0] if wanted else names[0]
        _check_span(source, name, book[name].max_row or 0,
                    book[name].max_column or 0)
        values: dict[int, list[object]] = {}
        formulas: list[tuple[int, int]] = []
        for number, cells in enumerate(book[name].iter_rows(min_row=1),
                                       start=1):
            # Only cells with a value or formula count: a format applied
            # far away (row 1,048,576, column XFD) makes empty cells.
            _check_size(source, name, number, len(values), len(cells))
            used = [k for k, c in enumerate(cells)
                    if c.value is not None or c.data_type == "f"]
            if not used:
                continue
            values[number] = [c.value for c in cells[:used[-1] + 1]]
            formulas.extend((number, k) for k in used
                            if cells[k].data_type == "f")
    finally:
        book.close()
    return name, values, formulas


def cell_text(value: object) -> str:
    """A cell's value as text: numbers the shortest way that reads back.

    ``3.0`` gives ``"3"`` and ``13.4`` gives ``"13.4"`` (``repr`` of a
    float reads back as the same float); text is stripped of blanks.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    return str(value).strip()


def write_sheets(path: str | os.PathLike[str],
                 tables: Sequence[tuple[str, Sequence[Sequence[Cell]]]]
                 ) -> Path:
    """Write tables (a header row, then data rows) whole or not at all.

    A ``.csv`` file takes the single table (comma separated, UTF-8, LF
    line ends); an ``.xlsx`` file one worksheet per ``(name, rows)``,
    the header bold and frozen, numbers as numbers.
    """
    target = Path(path)
    kind = sheet_kind(target)
    if kind == "csv":
        if len(tables) != 1:
            raise ValueError("a CSV file holds one table")
        return write_file_atomically(
            target, lambda tmp: _write_csv(tmp, tables[0][1]))
    if kind == "xlsx":
        return write_file_atomically(
            target, lambda tmp: _write_xlsx(tmp, tables))
    raise InputError(target, None, f"is not a CSV or XLSX file name (ends "
                     f"in '{target.suffix}')",
                     "give a file name ending in .csv or .xlsx")


def _write_csv(tmp: Path, rows: Sequence[Sequence[Cell]]) -> None:
    with tmp.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        for row in rows:
            writer.writerow(["" if c is None else c for c in row])


def _write_xlsx(tmp: Path,
                tables: Sequence[tuple[str, Sequence[Sequence[Cell]]]]
                ) -> None:
    book = Workbook()
    for blank in list(book.worksheets):
        book.remove(blank)
    bold = Font(bold=True)
    for name, rows in tables:
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(list(row))
        for cell in sheet[1]:
            cell.font = bold
        sheet.freeze_panes = "A2"
        widths: dict[int, int] = {}
        for row in rows:
            for k, value in enumerate(row):
                size = len(cell_text(value)) if value is not None else 0
                widths[k] = max(widths.get(k, 0), size)
        for k, width in widths.items():
            sheet.column_dimensions[column_letter(k)].width = min(
                max(width + 2, 8), 60)
    buffer = io.BytesIO()
    book.save(buffer)
    _write_fixed_times(tmp, buffer.getvalue(), book)


#: The time an XLSX file says it was created and modified, and the time
#: of each of its zip entries: the same tables give the same bytes.
FIXED_TIME = datetime.datetime(2000, 1, 1)


def _write_fixed_times(tmp: Path, data: bytes, book: Workbook) -> None:
    """Write the zip ``data`` openpyxl saved from ``book`` to ``tmp``
    with :data:`FIXED_TIME` in its document properties (openpyxl sets
    them to now) and on every entry (zipfile takes the clock)."""
    from openpyxl.xml.functions import tostring

    book.properties.created = book.properties.modified = FIXED_TIME
    with zipfile.ZipFile(io.BytesIO(data)) as src, \
            zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as out:
        for entry in src.infolist():
            content = src.read(entry)
            if entry.filename == "docProps/core.xml":
                content = tostring(book.properties.to_tree())
            info = zipfile.ZipInfo(entry.filename,
                                   FIXED_TIME.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # as on Unix, whatever the system
            info.external_attr = 0o600 << 16
            out.writestr(info, content)
