"""Readers for SALBP instance files: Scholl's ``.IN2`` and Otto's ``.alb``.

``.IN2`` (Scholl 1993): line 1 the task count n, then n task times,
then precedence pairs ``i,j`` (1-based) ended by ``-1,-1``; whatever
follows the terminator (comments, deleted arcs) is ignored. The files
are CRLF, two end with a DOS end-of-file byte (0x1A) and some hold
CP437 text after the terminator: bytes are read as Latin-1 so that no
byte can fail to decode.

``.alb`` (Otto, Otto & Scholl 2013): sections ``<number of tasks>``,
``<cycle time>``, ``<order strength>``, ``<task times>`` (``id time``),
``<precedence relations>`` (``i,j``) and ``<end>``.

The ``read_*_instance`` readers return a plain-Python
:class:`~taktplan.balance.instance.SalbpInstance` and import no numpy,
so that ``taktplan balance`` on a small line never loads it; the
``read_*`` readers return the numpy :class:`SalbpProblem` the solvers
take.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from taktplan.balance.instance import SalbpInstance
from taktplan.errors import InputError
from taktplan.files import read_input_bytes

if TYPE_CHECKING:
    import os

    from taktplan.balance.problem import SalbpProblem

_EOF_BYTE = "\x1a"
#: Bytes no text instance holds (tab, line ends and form feed are fine).
_BINARY = re.compile(r"[\x00-\x08\x0b\x0e-\x19\x1b-\x1f\x7f]")


def read_salbp(path: str | os.PathLike[str],
               format: str | None = None) -> SalbpProblem:
    """Read a SALBP instance, choosing the reader by the file suffix;
    see :func:`read_instance`."""
    return _as_problem(read_instance(path, format))


def read_in2(path: str | os.PathLike[str]) -> SalbpProblem:
    """Read Scholl's ``.IN2`` format (see the module docstring)."""
    return _as_problem(read_in2_instance(path))


def read_alb(path: str | os.PathLike[str]) -> SalbpProblem:
    """Read Otto et al.'s ``.alb`` format (see the module docstring)."""
    return _as_problem(read_alb_instance(path))


def _as_problem(instance: SalbpInstance) -> SalbpProblem:
    # numpy is imported here, not at the top: 0.12 s of CPU that a small
    # line read by read_instance never needs (see the module docstring).
    from taktplan.balance.problem import SalbpProblem

    return SalbpProblem.from_instance(instance)


def read_instance(path: str | os.PathLike[str],
                  format: str | None = None) -> SalbpInstance:
    """Read a SALBP instance, choosing the reader by the file suffix.

    Parameters
    ----------
    path
        The instance file.
    format
        ``"in2"`` or ``"alb"``; by default taken from the suffix
        (``.alb`` is Otto's format, anything else Scholl's).

    Returns
    -------
    SalbpInstance
        The task times and arcs; ``cycle_time`` is set for ``.alb``.
    """
    fmt = (format or Path(path).suffix.lstrip(".")).lower()
    if fmt == "alb":
        return read_alb_instance(path)
    return read_in2_instance(path)


def is_two_sided(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` is a two-sided file (it has ``<task directions>``)."""
    try:
        return any(line.strip().lower() == "<task directions>"
                   for line in read_lines(path))
    except InputError:
        return False


def read_lines(path: str | os.PathLike[str]) -> list[str]:
    """The text lines of an instance file (byte-order mark and end-of-file
    byte dropped); a binary file is an :class:`InputError`."""
    raw = read_input_bytes(path, "give an instance file")
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]  # a UTF-8 byte-order mark, as Windows editors write
    text = raw.decode("latin-1").replace(_EOF_BYTE, "")
    binary = _BINARY.search(text)
    if binary:
        line = text.count("\n", 0, binary.start()) + 1
        raise InputError(path, f"line {line}", f"holds the control byte "
                         f"0x{ord(binary.group()):02x} (a binary or UTF-16 "
                         "file, not an instance)",
                         "give the instance as plain text")
    return text.splitlines()


def parse_int(path: str | os.PathLike[str], lineno: int, text: str,
              what: str) -> int:
    """``text`` as a whole number; otherwise an :class:`InputError` naming
    ``path``, ``lineno`` and ``what`` the number is."""
    try:
        value = int(text.strip())
    except ValueError:
        raise InputError(path, f"line {lineno}",
                         f"{what} {text.strip()!r} is not a whole number",
                         "give integers only") from None
    if abs(value) > 2**62:
        raise InputError(path, f"line {lineno}", f"{what} {value} is too "
                         "large", "give numbers below 2**62")
    return value


def parse_pair(path: str | os.PathLike[str], lineno: int,
               text: str) -> tuple[int, int]:
    """A precedence arc ``i,j`` (or ``i;j``) as two task numbers."""
    parts = text.replace(";", ",").split(",")
    if len(parts) != 2:
        raise InputError(path, f"line {lineno}",
                         f"precedence {text.strip()!r} is not a pair i,j",
                         "write one arc per line as i,j")
    return (parse_int(path, lineno, parts[0], "task number"),
            parse_int(path, lineno, parts[1], "task number"))


def read_in2_instance(path: str | os.PathLike[str]) -> SalbpInstance:
    """Read Scholl's ``.IN2`` format without numpy."""
    lines = read_lines(path)
    numbered = [(k + 1, s) for k, s in enumerate(lines) if s.strip()]
    if not numbered:
        raise InputError(path, None, "the file is empty",
                         "give an .IN2 instance file")
    lineno, first = numbered[0]
    n = parse_int(path, lineno, first, "task count")
    if n < 1:
        raise InputError(path, f"line {lineno}", f"task count {n} is below 1",
                         "give at least one task")
    if len(numbered) < n + 1:
        last = numbered[-1][0]
        raise InputError(path, f"line {last}",
                         f"file ends after {len(numbered) - 1} of {n} task "
                         "times (truncated?)",
                         "give one time per task, then the arcs and -1,-1")
    times = []
    time_lines = []
    for lineno, text in numbered[1:n + 1]:
        times.append(parse_int(path, lineno, text, "task time"))
        time_lines.append(lineno)
    arcs: list[tuple[int, int]] = []
    arc_lines: list[int] = []
    for lineno, text in numbered[n + 1:]:
        if text.strip().startswith("-1"):
            a, b = parse_pair(path, lineno, text)
            if (a, b) == (-1, -1):
                break
        a, b = parse_pair(path, lineno, text)
        arcs.append((a - 1, b - 1))
        arc_lines.append(lineno)
    else:
        last = numbered[-1][0]
        raise InputError(path, f"line {last}",
                         "no -1,-1 terminator after the arcs (truncated?)",
                         "end the precedence list with a line -1,-1")
    return _instance(path, times, time_lines, arcs, arc_lines)


def _instance(path: str | os.PathLike[str], times: list[int],
              time_lines: list[int], arcs: list[tuple[int, int]],
              arc_lines: list[int]) -> SalbpInstance:
    n = len(times)
    for k, (a, b) in enumerate(arcs):
        for task in (a, b):
            if not 0 <= task < n:
                raise InputError(path, f"line {arc_lines[k]}",
                                 f"task {task + 1} is outside 1..{n}",
                                 "number tasks from 1 to the task count")
    for k, t in enumerate(times):
        if t < 0:
            raise InputError(path, f"line {time_lines[k]}",
                             f"task {k + 1} has negative time {t}",
                             "give task times >= 0")
    return SalbpInstance(
        times=tuple(times),
        arcs=tuple(arcs),
        name=Path(path).stem,
        source=str(path),
        arc_lines=tuple(arc_lines),
        time_lines=tuple(time_lines),
    )


#: The ``<section>`` bodies of an ``.alb``-style file: name to (line
#: number, text) of each non-empty line.
Sections = dict[str, list[tuple[int, str]]]


def alb_sections(path: str | os.PathLike[str], *, strict: bool = False
                 ) -> Sections:
    """Split an ``.alb``-style file into its sections, up to ``<end>``.

    ``strict``: a section given twice or text before the first section
    is an error (else the later section wins and the text is ignored).
    """
    lines = read_lines(path)
    sections: Sections = {}
    current: str | None = None
    for k, raw in enumerate(lines):
        text = raw.strip()
        if not text:
            continue
        if text.startswith("<") and text.endswith(">"):
            current = text[1:-1].strip().lower()
            if current == "end":
                return sections
            if strict and current in sections:
                raise InputError(path, f"line {k + 1}",
                                 f"a second <{current}> section",
                                 "give each section once")
            sections[current] = []
        elif current is not None:
            sections[current].append((k + 1, text))
        elif strict:
            raise InputError(path, f"line {k + 1}",
                             f"{text[:30]!r} comes before any <section>",
                             "start the file with <number of tasks>")
    raise InputError(path, f"line {len(lines)}" if lines else None,
                     "no <end> line (truncated?)", "end the file with <end>")


def read_alb_instance(path: str | os.PathLike[str]) -> SalbpInstance:
    """Read Otto et al.'s ``.alb`` format without numpy."""
    sections = alb_sections(path)
    for name in ("number of tasks", "task times", "precedence relations"):
        if name not in sections:
            raise InputError(path, None, f"no <{name}> section",
                             "give every section of the .alb format")
    body = sections["number of tasks"]
    if not body:
        raise InputError(path, None, "<number of tasks> is empty",
                         "give the task count")
    n = parse_int(path, body[0][0], body[0][1], "task count")
    if n < 1:
        raise InputError(path, f"line {body[0][0]}",
                         f"task count {n} is below 1", "give a task")
    if n > len(sections["task times"]):
        raise InputError(path, f"line {body[0][0]}", f"{n} tasks but "
                         f"{len(sections['task times'])} task times",
                         "give a time for every task")
    cycle: int | None = None
    if sections.get("cycle time"):
        lineno, text = sections["cycle time"][0]
        cycle = parse_int(path, lineno, text, "cycle time")
        if cycle < 1:
            raise InputError(path, f"line {lineno}",
                             f"cycle time {cycle} is below 1",
                             "give a positive cycle time")
    times: list[int | None] = [None] * n
    time_lines = [0] * n
    for lineno, text in sections["task times"]:
        parts = text.split()
        if len(parts) != 2:
            raise InputError(path, f"line {lineno}",
                             f"task time {text!r} is not 'id time'",
                             "write one 'id time' per line")
        task = parse_int(path, lineno, parts[0], "task number")
        if not 1 <= task <= n:
            raise InputError(path, f"line {lineno}",
                             f"task {task} is outside 1..{n}",
                             "number tasks from 1 to the task count")
        if times[task - 1] is not None:
            raise InputError(path, f"line {lineno}",
                             f"task {task} has a second time",
                             "give one time per task")
        times[task - 1] = parse_int(path, lineno, parts[1], "task time")
        time_lines[task - 1] = lineno
    missing = [k + 1 for k, t in enumerate(times) if t is None]
    if missing:
        raise InputError(path, None, f"task {missing[0]} has no time",
                         "give a time for every task")
    arcs: list[tuple[int, int]] = []
    arc_lines: list[int] = []
    for lineno, text in sections["precedence relations"]:
        a, b = parse_pair(path, lineno, text)
        arcs.append((a - 1, b - 1))
        arc_lines.append(lineno)
    instance = _instance(path, [int(t) for t in times if t is not None],
                         time_lines, arcs, arc_lines)
    if cycle is not None:
        instance.check_cycle_time(cycle)
        return instance.with_cycle_time(cycle)
    return instance
