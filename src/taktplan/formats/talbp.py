"""Reader for two-sided line files: the classic TALBP set and ``.alb``
files with a ``<task directions>`` section.

The format is Otto et al.'s ``.alb`` (a ``<tag>`` line, then values,
ended by ``<end>``) with these sections:

- ``<number of tasks>`` the task count n;
- ``<task times>`` ``id time [more times]``: the first time is the
  manual time (the TALBP files of ``../shared/data/talbp`` add robot
  and collaboration times, ignored here);
- ``<task directions>`` ``id L|R|E`` (left, right, either side);
- ``<precedence relations>`` ``i,j``;
- ``<cycle time>`` for type I, or ``<number of stations>`` (mated
  stations) for type II;
- taktplan's own, all optional: ``<together>`` and ``<apart>`` as
  ``i,j`` pairs (same station / different stations), ``<fixed
  stations>`` as ``id station`` (1-based), ``<operators per side>`` K.

Other sections (order strength, robots, upper bound) are ignored. A
task without a direction is ``E``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from taktplan.balance.twosided.problem import SIDE_CODES, TwoSidedProblem
from taktplan.errors import InputError
from taktplan.formats.salbp import (
    Sections,
    alb_sections,
    parse_int,
    parse_pair,
)

# is_two_sided lives beside the one-sided reader, which needs no numpy,
# so that `taktplan balance` can ask it before loading this module.
from taktplan.formats.salbp import is_two_sided as is_two_sided

if TYPE_CHECKING:
    import os



def _single(path: str | os.PathLike[str], sections: Sections, name: str
            ) -> tuple[int, int] | None:
    body = sections.get(name)
    if body is None:
        return None
    if not body:
        raise InputError(path, f"<{name}>", "the section is empty",
                         "give its value or drop the section")
    lineno, text = body[0]
    return parse_int(path, lineno, text, name), lineno


def _task(path: str | os.PathLike[str], lineno: int, text: str,
          n: int) -> int:
    task = parse_int(path, lineno, text, "task number")
    if not 1 <= task <= n:
        raise InputError(path, f"line {lineno}",
                         f"task {task} is outside 1..{n}",
                         "number tasks from 1 to the task count")
    return task - 1


def read_talbp(path: str | os.PathLike[str]) -> TwoSidedProblem:
    """Read a two-sided line file (see the module docstring).

    Returns
    -------
    TwoSidedProblem
        With ``cycle_time`` (type I) and/or ``n_stations`` (type II) as
        the file gives them.
    """
    sections = alb_sections(path, strict=True)
    for name in ("number of tasks", "task times", "precedence relations"):
        if name not in sections:
            raise InputError(path, None, f"no <{name}> section",
                             "give every section of the format")
    got = _single(path, sections, "number of tasks")
    assert got is not None
    n, n_line = got
    if n < 1:
        raise InputError(path, f"line {n_line}", f"task count {n} is below "
                         "1", "give at least one task")
    times: list[int | None] = [None] * n
    lines = [""] * n
    for lineno, text in sections["task times"]:
        parts = text.split()
        if len(parts) < 2:
            raise InputError(path, f"line {lineno}",
                             f"task time {text!r} is not 'id time'",
                             "write 'id time' per line")
        i = _task(path, lineno, parts[0], n)
        if times[i] is not None:
            raise InputError(path, f"line {lineno}",
                             f"task {i + 1} has a second time",
                             "give one time line per task")
        times[i] = parse_int(path, lineno, parts[1], "task time")
        lines[i] = f"line {lineno}"
    missing = [k for k, t in enumerate(times) if t is None]
    if missing:
        raise InputError(path, "<task times>",
                         f"task {missing[0] + 1} has no time",
                         "give a time for every task")
    sides = np.zeros(n, dtype=np.int64)
    seen = np.zeros(n, dtype=bool)
    for lineno, text in sections.get("task directions", []):
        parts = text.split()
        if len(parts) != 2:
            raise InputError(path, f"line {lineno}",
                             f"direction {text!r} is not 'id side'",
                             "write 'id L', 'id R' or 'id E' per line")
        i = _task(path, lineno, parts[0], n)
        code = SIDE_CODES.get(parts[1].upper())
        if code is None:
            raise InputError(path, f"line {lineno} (task {i + 1})",
                             f"unknown direction {parts[1]!r}",
                             "write L (left), R (right) or E (either side)")
        if seen[i]:
            raise InputError(path, f"line {lineno}",
                             f"task {i + 1} has a second direction",
                             "give one direction per task")
        seen[i] = True
        sides[i] = code
    arcs = [_arc(path, lineno, text, n)
            for lineno, text in sections["precedence relations"]]
    together = tuple(_arc(path, lineno, text, n)
                     for lineno, text in sections.get("together", []))
    apart = tuple(_arc(path, lineno, text, n)
                  for lineno, text in sections.get("apart", []))
    fixed = np.full(n, -1, dtype=np.int64)
    for lineno, text in sections.get("fixed stations", []):
        parts = text.split()
        if len(parts) != 2:
            raise InputError(path, f"line {lineno}",
                             f"fixed station {text!r} is not 'id station'",
                             "write 'id station' per line")
        i = _task(path, lineno, parts[0], n)
        s = parse_int(path, lineno, parts[1], "station")
        if s < 1:
            raise InputError(path, f"line {lineno} (task {i + 1})",
                             f"station {s} is below 1",
                             "number stations from 1")
        fixed[i] = s - 1
    per_side = _single(path, sections, "operators per side")
    cycle = _single(path, sections, "cycle time")
    stations = _single(path, sections, "number of stations")
    if cycle is not None and cycle[0] < 1:
        raise InputError(path, f"line {cycle[1]}", f"cycle time {cycle[0]} "
                         "is below 1", "give a positive cycle time")
    if stations is not None and stations[0] < 1:
        raise InputError(path, f"line {stations[1]}",
                         f"station count {stations[0]} is below 1",
                         "give at least one mated station")
    return TwoSidedProblem(
        times=np.asarray(times, dtype=np.int64), sides=sides,
        arcs=np.asarray(arcs, dtype=np.int64).reshape(-1, 2),
        name=Path(path).stem, source=str(path),
        cycle_time=None if cycle is None else cycle[0],
        n_stations=None if stations is None else stations[0],
        together=together, apart=apart, fixed_station=fixed,
        operators_per_side=1 if per_side is None else per_side[0],
        task_lines=tuple(lines))


def _arc(path: str | os.PathLike[str], lineno: int, text: str,
         n: int) -> tuple[int, int]:
    a, b = parse_pair(path, lineno, text)
    for task in (a, b):
        if not 1 <= task <= n:
            raise InputError(path, f"line {lineno}",
                             f"task {task} is outside 1..{n}",
                             "number tasks from 1 to the task count")
    return a - 1, b - 1
