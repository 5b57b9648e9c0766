"""Reader for ROADEF/EURO 2005 (Renault) car-sequencing instances.

An instance is a directory of four ``;``-separated files, each with a
header line: ``ratios.txt`` (``N/P;prio;ident``), ``vehicles.txt``
(``Date;SeqRank;Ident;Paint Color;<0/1 per ratio ident>``),
``paint_batch_limit.txt`` and ``optimization_objectives.txt``
(``rank;objective name``). Rows of the earliest date are yesterday's
cars (fixed, in SeqRank order); rows of the last date are today's.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from taktplan.errors import InputError
from taktplan.files import decode_utf8, read_input_bytes
from taktplan.sequence.roadef import OBJECTIVE_CODES, RoadefInstance

if TYPE_CHECKING:
    import os

FILES = ("ratios.txt", "vehicles.txt", "paint_batch_limit.txt",
         "optimization_objectives.txt")


def _rows(path: Path) -> list[tuple[int, list[str]]]:
    if not path.exists():
        raise InputError(path, None, "missing file of the ROADEF instance",
                         f"give a directory holding {', '.join(FILES)}")
    raw = decode_utf8(path, read_input_bytes(
        path, f"give a directory holding {', '.join(FILES)}"))
    rows = []
    for lineno, line in enumerate(raw.splitlines(), start=1):
        if not line.strip():
            continue
        fields = [f.strip() for f in line.split(";")]
        while fields and fields[-1] == "":
            fields.pop()
        rows.append((lineno, fields))
    if len(rows) < 2:
        raise InputError(path, None, "no data below the header line",
                         "give the header line and at least one row")
    return rows


def _int(path: Path, lineno: int, text: str, what: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise InputError(path, f"line {lineno}", f"{what} {text!r} is not "
                         "a whole number", "write an integer") from None
    if abs(value) > 2**62:
        raise InputError(path, f"line {lineno}", f"{what} {text} is too "
                         "large", "write a number below 2**62")
    return value


def read_roadef(directory: str | os.PathLike[str]) -> RoadefInstance:
    """Read a ROADEF 2005 instance directory.

    Raises
    ------
    InputError
        Missing directory or file, non-integers, bad ratios (``N > P``,
        ``N`` or ``P`` below 1), a vehicle row with the wrong number of
        flags, an unknown objective name; the message names file and line.
    """
    root = Path(directory)
    if not root.is_dir():
        raise InputError(root, None, "not a directory",
                         "give the ROADEF instance directory (or "
                         "--format csplib for a CSPLib file)")
    ratio_path = root / "ratios.txt"
    names, p, q, high = [], [], [], []
    for lineno, fields in _rows(ratio_path)[1:]:
        if len(fields) < 3 or "/" not in fields[0]:
            raise InputError(ratio_path, f"line {lineno}", "expected "
                             "`N/P;prio;ident`", "fix the row")
        n_text, p_text = fields[0].split("/", 1)
        n_val = _int(ratio_path, lineno, n_text, "N")
        p_val = _int(ratio_path, lineno, p_text, "P")
        if n_val < 1 or p_val < 1 or n_val > p_val:
            raise InputError(ratio_path, f"line {lineno}", f"ratio "
                             f"{n_val}/{p_val}", "use 1 <= N <= P")
        prio = _int(ratio_path, lineno, fields[1], "priority")
        if prio not in (0, 1):
            raise InputError(ratio_path, f"line {lineno}", f"priority "
                             f"{prio}", "use 1 (high) or 0 (low)")
        if fields[2] in names:
            raise InputError(ratio_path, f"line {lineno}", f"ratio "
                             f"{fields[2]} is given twice",
                             "give each ratio ident once")
        names.append(fields[2])
        p.append(n_val)
        q.append(p_val)
        high.append(prio == 1)
    limit_path = root / "paint_batch_limit.txt"
    lrows = _rows(limit_path)
    limit = _int(limit_path, lrows[1][0], lrows[1][1][0] if lrows[1][1]
                 else "", "limit")
    if limit < 1:
        raise InputError(limit_path, f"line {lrows[1][0]}", "limit below "
                         "1", "give a positive batch limit")
    obj_path = root / "optimization_objectives.txt"
    ranked: list[tuple[int, str]] = []
    for lineno, fields in _rows(obj_path)[1:]:
        if len(fields) < 2 or fields[1] not in OBJECTIVE_CODES:
            raise InputError(obj_path, f"line {lineno}", "unknown "
                             "objective", "use one of: "
                             + ", ".join(OBJECTIVE_CODES))
        if any(code == OBJECTIVE_CODES[fields[1]] for _, code in ranked):
            raise InputError(obj_path, f"line {lineno}", f"objective "
                             f"{fields[1]} is ranked twice",
                             "rank each objective once")
        ranked.append((_int(obj_path, lineno, fields[0], "rank"),
                       OBJECTIVE_CODES[fields[1]]))
    order = tuple(code for _, code in sorted(ranked))
    veh_path = root / "vehicles.txt"
    vrows = _rows(veh_path)
    header = vrows[0][1]
    if len(header) < 4:
        raise InputError(veh_path, "line 1", "header too short",
                         "write `Date;SeqRank;Ident;Paint Color;...`")
    columns = header[4:]
    col_of = {name: i for i, name in enumerate(columns)}
    missing = [n for n in names if n not in col_of]
    if missing:
        raise InputError(veh_path, "line 1", f"no column for ratio "
                         f"{missing[0]}", "add one 0/1 column per ratio")
    cars = []
    line_of: dict[str, int] = {}
    for lineno, fields in vrows[1:]:
        if len(fields) != 4 + len(columns):
            raise InputError(veh_path, f"line {lineno}", f"{len(fields)} "
                             f"fields, header has {4 + len(columns)}",
                             "give one 0/1 flag per ratio column")
        rank = _int(veh_path, lineno, fields[1], "SeqRank")
        colour = _int(veh_path, lineno, fields[3], "paint colour")
        flags = [_int(veh_path, lineno, f, "flag") for f in fields[4:]]
        if any(f not in (0, 1) for f in flags):
            raise InputError(veh_path, f"line {lineno}", "flag other than "
                             "0/1", "use 0 or 1 per ratio")
        if fields[2] in line_of:
            raise InputError(veh_path, f"line {lineno}", f"vehicle "
                             f"{fields[2]} also on line {line_of[fields[2]]}",
                             "give each vehicle ident once")
        line_of[fields[2]] = lineno
        cars.append((fields[0], rank, fields[2], colour,
                     [flags[col_of[nm]] for nm in names]))
    dates = sorted({c[0] for c in cars}, key=_date_key)
    today = dates[-1]
    prev = sorted((c for c in cars if c[0] != today), key=lambda c: (
        _date_key(c[0]), c[1]))
    now = sorted((c for c in cars if c[0] == today), key=lambda c: c[1])
    m = len(names)
    _check_paint(limit_path, lrows[1][0], limit, [c[3] for c in now])

    def opts(rows: list) -> np.ndarray:
        return np.array([c[4] for c in rows], dtype=np.int64).reshape(-1, m)

    return RoadefInstance(
        idents=tuple(c[2] for c in now),
        colors=np.array([c[3] for c in now], dtype=np.int64),
        options=opts(now),
        p=np.array(p, dtype=np.int64),
        q=np.array(q, dtype=np.int64),
        high=np.array(high, dtype=bool),
        ratio_names=tuple(names),
        prev_colors=np.array([c[3] for c in prev], dtype=np.int64),
        prev_options=opts(prev),
        paint_limit=limit,
        objective_order=order,
        name=root.name,
    )


def _check_paint(path: Path, lineno: int, limit: int,
                 colours: list[int]) -> None:
    """Raise unless today's cars can be ordered in batches of ``limit``.

    Cars of one colour need others between their batches: ``k`` cars of
    a colour fit when ``k <= limit * (others + 1)``.
    """
    total = len(colours)
    for colour in set(colours):
        k = colours.count(colour)
        if k > limit * (total - k + 1):
            raise InputError(path, f"line {lineno}", f"no sequence keeps "
                             f"the limit {limit}: {k} of {total} cars have "
                             f"colour {colour}",
                             "raise the paint batch limit")


def _date_key(text: str) -> tuple:
    parts = text.split()
    try:
        return tuple(int(x) for x in parts)
    except ValueError:
        return (text,)
