"""A plant's task list as a spreadsheet (CSV or XLSX): one row a task.

Columns (header names in any case, in any order):

- ``id``, ``name``, ``area``: as in ``[[tasks]]``;
- ``time_s``: the task's time for every variant without its own column
  value;
- ``time_s:VARIANT``: the time for one variant where it differs (an
  empty cell takes ``time_s``);
- ``predecessors``: task ids separated by commas, semicolons or blanks;
- every further field of the task model (side, zone, fixed station,
  together/apart, ...) under its field name, lists separated like the
  predecessors.

A header starting with ``#`` marks a column of the engineer's own
(notes, owner) that is not read. The mapping follows the task model:
:data:`COLUMN_ORDER` only orders the columns, so a new task field is read
and written as soon as the model has it (one line here sets its place).
"""

from __future__ import annotations

import re
import types
import typing
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from taktplan.errors import InputError
from taktplan.formats.sheets import Cell, Sheet, read_sheet, write_sheets
from taktplan.scenario.model import Task

if typing.TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

    from pydantic.fields import FieldInfo

#: The time column's header; ``time_s:VARIANT`` for a variant's own time.
TIME = "time_s"
#: The task fields held in per-variant ``time_s:VARIANT`` columns.
PER_VARIANT = "times_s"
#: Column order of written task lists; fields of the model not named here
#: follow in the model's order.
COLUMN_ORDER = ("id", "name", "area", TIME, PER_VARIANT, "predecessors",
                "side", "station", "zone", "together_with", "apart_from")
#: The sheet read from a workbook when the scenario names none.
SHEET = "tasks"
_SPLIT = re.compile(r"[,;\s]+")
_DECIMAL_COMMA = re.compile(r"^[+-]?\d+,\d+$")
_FIX_DOC = "see README.md, 'Task lists'"


@dataclass(frozen=True)
class TaskList:
    """The tasks read from a task-list file, with where each came from.

    Attributes
    ----------
    path
        The file read.
    sheet
        The worksheet read (XLSX) or ``None``.
    tasks
        The tasks, in row order.
    rows
        The spreadsheet row of each task.
    columns
        The 0-based column of each header read (``"time_s:ST"`` for a
        variant's time).
    """

    path: Path
    sheet: str | None
    tasks: tuple[Task, ...]
    rows: tuple[int, ...]
    columns: dict[str, int]

    def place(self, index: int, field: str | None = None) -> tuple[str, str]:
        """``(file, place)`` of task ``index`` or of one of its cells.

        ``field`` is a task field or ``"times_s.VARIANT"``; the place is
        the cell (``cell C7``) when the file has that column, else the
        row.
        """
        header = None
        if field is not None:
            header = (f"{TIME}:{field.split('.', 1)[1]}"
                      if field.startswith(PER_VARIANT + ".") else field)
        column = self.columns.get(header) if header else None
        sheet = Sheet(self.path, self.sheet, ())
        return str(self.path), sheet.where(self.rows[index], column)


def task_fields() -> tuple[str, ...]:
    """The task model's fields in column order (``times_s`` included)."""
    fields = list(Task.model_fields)
    named = [f for f in COLUMN_ORDER if f in fields]
    return (*named, *(f for f in fields if f not in named))


def _is_list(info: FieldInfo) -> bool:
    """A field that holds several values (a tuple or list of them)."""
    annotation = info.annotation
    options = (typing.get_args(annotation)
               if isinstance(annotation, types.UnionType)
               or typing.get_origin(annotation) is typing.Union
               else (annotation,))
    return any(typing.get_origin(a) in (tuple, list) for a in options)


def _headers(variants: Sequence[str]) -> tuple[str, ...]:
    out: list[str] = []
    for name in task_fields():
        if name == PER_VARIANT:
            out.extend(f"{TIME}:{v}" for v in variants)
        else:
            out.append(name)
    return tuple(out)


def read_task_list(path: str | Path, variants: Sequence[str],
                   sheet: str | None = None) -> TaskList:
    """Read and validate a task list (see the module docstring).

    Parameters
    ----------
    path
        A ``.csv`` or ``.xlsx`` file.
    variants
        The scenario's variant ids (the ``time_s:VARIANT`` columns may
        name only these).
    sheet
        The worksheet of an XLSX file; ``None``: the sheet ``tasks`` if
        there is one, else the first.

    Raises
    ------
    InputError
        Naming the file and the row or cell: a missing required column,
        an unknown column or variant, a value of the wrong kind, an
        empty list. Links between tasks (duplicate ids, unknown
        predecessors, cycles) are checked with the scenario.
    """
    table = read_sheet(path, sheet, prefer=SHEET)
    if not table.rows:
        raise InputError(table.path, table.where(1) if table.name else None,
                         "the task list is empty",
                         "give a header row (id, name, area, time_s, "
                         f"predecessors) and one row a task ({_FIX_DOC})")
    header_row, header = table.rows[0]
    columns = _columns(table, header_row, header, variants)
    tasks: list[Task] = []
    rows: list[int] = []
    for number, cells in table.rows[1:]:
        _no_headless_value(table, number, cells, header)
        tasks.append(_task(table, number, cells, columns))
        rows.append(number)
    if not tasks:
        raise InputError(table.path, table.where(header_row),
                         "the task list has a header but no tasks",
                         "add one row a task below the header")
    return TaskList(table.path, table.name, tuple(tasks), tuple(rows),
                    columns)


def _columns(table: Sheet, row: int, header: tuple[str, ...],
             variants: Sequence[str]) -> dict[str, int]:
    """Map each known header to its column, or name the bad header cell."""
    fields = {f.lower(): f for f in task_fields() if f != PER_VARIANT}
    by_lower = {v.lower(): v for v in variants}
    columns: dict[str, int] = {}
    for k, raw in enumerate(header):
        text = raw.strip()
        if not text or text.startswith("#"):
            continue
        lower = text.lower()
        if lower.startswith(TIME + ":"):
            given = text.split(":", 1)[1].strip()
            variant = given if given in variants else by_lower.get(
                given.lower())
            if variant is None:
                raise InputError(
                    table.path, table.where(row, k),
                    f"column '{text}' names unknown variant '{given}'",
                    f"use one of {', '.join(variants)} (the scenario's "
                    "variants)")
            name = f"{TIME}:{variant}"
        elif lower in fields:
            name = fields[lower]
        else:
            raise InputError(
                table.path, table.where(row, k), f"unknown column '{text}'",
                f"use {', '.join(_headers(variants))}, or start the header "
                f"with '#' for a column of your own ({_FIX_DOC})")
        if name in columns:
            raise InputError(table.path, table.where(row, k),
                             f"column '{text}' is given twice",
                             "keep one of the two columns")
        columns[name] = k
    required = [f for f, info in Task.model_fields.items()
                if info.is_required()]
    for name in required:
        if name not in columns:
            raise InputError(
                table.path, table.where(row),
                f"the header row has no '{name}' column (found: "
                f"{', '.join(repr(h) for h in header if h) or 'none'})",
                f"add a column headed '{name}' ({_FIX_DOC})")
    if TIME not in columns and not any(c.startswith(TIME + ":")
                                       for c in columns):
        raise InputError(table.path, table.where(row),
                         "the header row has no time column",
                         f"add a '{TIME}' column (seconds) or "
                         f"'{TIME}:VARIANT' columns")
    return columns


def _no_headless_value(table: Sheet, number: int, cells: tuple[str, ...],
                       header: tuple[str, ...]) -> None:
    for k, value in enumerate(cells):
        if value and (k >= len(header) or not header[k].strip()):
            raise InputError(table.path, table.where(number, k),
                             f"value '{value}' is in a column without a "
                             "header", "give the column a header, or "
                             "delete the value")


def _task(table: Sheet, number: int, cells: tuple[str, ...],
          columns: dict[str, int]) -> Task:
    """One row as a :class:`Task`, or an error naming its cell."""
    data: dict[str, Any] = {}
    times: dict[str, str] = {}
    for name, k in columns.items():
        value = cells[k] if k < len(cells) else ""
        if not value:
            continue
        if name.startswith(TIME):
            value = _number_text(value)
            if name == TIME:
                data[TIME] = value
            else:
                times[name.split(":", 1)[1]] = value
        elif _is_list(Task.model_fields[name]):
            data[name] = [p for p in _SPLIT.split(value) if p]
        else:
            data[name] = value
    if times:
        data[PER_VARIANT] = times
    try:
        return Task.model_validate(data)
    except ValidationError as exc:
        error = exc.errors()[0]
        loc = error["loc"]
        header = None
        if loc and loc[0] == PER_VARIANT and len(loc) > 1:
            header = f"{TIME}:{loc[1]}"
        elif loc and isinstance(loc[0], str) and loc[0] in columns:
            header = loc[0]
        column = columns.get(header) if header else None
        given = error.get("input")
        message = error["msg"][0].lower() + error["msg"][1:]
        if not loc:
            problem = f"task '{data.get('id', '?')}' has no time"
            fix = f"give '{TIME}' or a '{TIME}:VARIANT' time (seconds)"
        elif error["type"] == "missing":
            problem = f"'{loc[0]}' is empty"
            fix = f"give the task's {loc[0]}"
        else:
            shown = f" {given!r}" if isinstance(given, str) else ""
            problem = f"{header or loc[0]}{shown}: {message}"
            if header and header.startswith(TIME):
                fix = "give the time in seconds as a number such as 12.5"
            elif error["type"] == "string_pattern_mismatch":
                fix = "use letters, digits, '_', '.' and '-' only"
            else:
                fix = f"correct the value ({_FIX_DOC})"
        raise InputError(table.path, table.where(number, column), problem,
                         fix) from None


def _number_text(value: str) -> str:
    """``12,5`` (a decimal comma, as some spreadsheets write) as ``12.5``."""
    return value.replace(",", ".") if _DECIMAL_COMMA.match(value) else value


def task_rows(tasks: Sequence[Task], variants: Sequence[str]
              ) -> list[list[Cell]]:
    """The task list as rows (a header, then one row a task).

    A ``time_s:VARIANT`` column is written for each variant some task
    gives its own time; ``time_s`` is empty for a task without a base
    time. Reading the rows back gives the same tasks.
    """
    own = [v for v in variants if any(v in t.times_s for t in tasks)]
    fields = [f for f in task_fields()
              if f == PER_VARIANT or f in Task.model_fields]
    optional = {f for f in fields if not Task.model_fields[f].is_required()}
    used = [f for f in fields if f not in optional or f in (TIME, "name",
                                                           "predecessors")
            or any(_given(t, f) for t in tasks)]
    header: list[Cell] = []
    for f in used:
        header.extend([f"{TIME}:{v}" for v in own] if f == PER_VARIANT
                      else [f])
    out: list[list[Cell]] = [header]
    for task in tasks:
        row: list[Cell] = []
        for f in used:
            if f == PER_VARIANT:
                row.extend(task.times_s.get(v) for v in own)
            else:
                row.append(_cell(getattr(task, f)))
        out.append(row)
    return out


def _given(task: Task, field: str) -> bool:
    """The task sets ``field`` to other than its default."""
    return field in task.model_fields_set and getattr(task, field) != (
        Task.model_fields[field].get_default(call_default_factory=True))


def _cell(value: object) -> Cell:
    if value is None:
        return None
    if isinstance(value, tuple | list):
        return ", ".join(str(v) for v in value) or None
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float | str):
        return value
    return str(value)


def write_task_list(path: str | Path, tasks: Sequence[Task],
                    variants: Sequence[str]) -> Path:
    """Write ``tasks`` as CSV or XLSX (by the file's ending), whole."""
    return write_sheets(path, [(SHEET, task_rows(tasks, variants))])
