"""Reader for CSPLib prob001 car-sequencing files.

Format: line 1 ``cars options classes``; line 2 the ``p`` of each option;
line 3 the ``q`` of each option (at most ``p`` cars with the option in any
``q`` consecutive cars); then one line per class: ``class-id count flag
...`` with one 0/1 flag per option. Blank lines and text after ``#`` are
ignored.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from taktplan.errors import InputError
from taktplan.files import decode_utf8, read_input_bytes
from taktplan.limits import MAX_CARS, MAX_OPTIONS
from taktplan.sequence.instance import CarSequencingInstance

if TYPE_CHECKING:
    import os

#: Largest number the reader takes (the arrays hold 64-bit integers).
_LARGEST = 2**62


def _ints(path: Path, lineno: int, text: str, what: str) -> list[int]:
    out = []
    for token in text.split():
        try:
            out.append(int(token))
        except ValueError:
            raise InputError(path, f"line {lineno}", f"{what}: {token!r} is "
                             "not a whole number",
                             "write integers separated by spaces") from None
        if abs(out[-1]) > _LARGEST:
            raise InputError(path, f"line {lineno}", f"{what}: {token} is "
                             "too large", "write numbers below 2**62")
    return out


def read_carseq(path: str | os.PathLike[str]) -> CarSequencingInstance:
    """Read a CSPLib prob001 file.

    Parameters
    ----------
    path
        The file.

    Raises
    ------
    InputError
        Missing or unreadable file, non-integers, a truncated file, class
        counts that do not sum to the number of cars, a class with the
        wrong number of option flags, flags other than 0/1, ``p > q`` or
        ``p``/``q`` below 1. The message names the file and line.
    """
    file = Path(path)
    raw = decode_utf8(file, read_input_bytes(
        file, "give the CSPLib instance file (or --format roadef for a "
        "ROADEF directory)"))
    lines = []
    for lineno, line in enumerate(raw.splitlines(), start=1):
        text = line.split("#", 1)[0].strip()
        if text:
            lines.append((lineno, text))
    if not lines:
        raise InputError(file, None, "the file is empty",
                         "give a CSPLib prob001 file")
    lineno, text = lines[0]
    head = _ints(file, lineno, text, "header")
    if len(head) != 3:
        raise InputError(file, f"line {lineno}", f"header has {len(head)} "
                         "numbers", "write `cars options classes`")
    n_cars, n_opts, n_classes = head
    if n_cars < 0 or n_opts < 1 or n_classes < 1:
        raise InputError(file, f"line {lineno}", "header needs cars >= 0, "
                         "options >= 1 and classes >= 1",
                         "fix the header")
    if n_cars > MAX_CARS or n_opts > MAX_OPTIONS:
        raise InputError(file, f"line {lineno}", f"header asks for "
                         f"{n_cars:,} cars and {n_opts:,} options, more than "
                         f"the {MAX_CARS:,} cars and {MAX_OPTIONS:,} options "
                         "one sequence may have", "split the day's cars")
    if len(lines) < 3 + n_classes:
        last = lines[-1][0]
        raise InputError(file, f"line {last}", f"truncated: {len(lines)} "
                         f"data lines, expected {3 + n_classes}",
                         "give the p line, the q line and one line per "
                         "class")
    pq = []
    for (lineno, text), what in zip(lines[1:3], ("p", "q"), strict=True):
        vals = _ints(file, lineno, text, what)
        if len(vals) != n_opts:
            raise InputError(file, f"line {lineno}", f"{len(vals)} values of "
                             f"{what} for {n_opts} options",
                             f"give one {what} per option")
        pq.append(vals)
    p, q = pq
    for k in range(n_opts):
        if p[k] < 1 or q[k] < 1 or p[k] > q[k]:
            raise InputError(file, f"line {lines[1][0]}", f"option {k} has "
                             f"rule {p[k]}/{q[k]}",
                             "each option needs 1 <= p <= q")
    counts = np.zeros(n_classes, dtype=np.int64)
    opts = np.zeros((n_classes, n_opts), dtype=np.int64)
    seen = set()
    for lineno, text in lines[3:3 + n_classes]:
        vals = _ints(file, lineno, text, "class line")
        if len(vals) != 2 + n_opts:
            raise InputError(file, f"line {lineno}", f"class line has "
                             f"{max(len(vals) - 2, 0)} option flags, "
                             f"expected {n_opts}",
                             "write `class-id count` and one 0/1 flag "
                             "per option")
        cid, count, *flags = vals
        if not 0 <= cid < n_classes or cid in seen:
            raise InputError(file, f"line {lineno}", f"class id {cid} is "
                             "out of range or repeated",
                             f"use ids 0..{n_classes - 1}, each once")
        if count < 0:
            raise InputError(file, f"line {lineno}", "negative count",
                             "counts must be >= 0")
        if any(f not in (0, 1) for f in flags):
            raise InputError(file, f"line {lineno}", "option flag other "
                             "than 0/1", "use 0 or 1 per option")
        seen.add(cid)
        counts[cid] = count
        opts[cid] = flags
    if len(lines) > 3 + n_classes:
        raise InputError(file, f"line {lines[3 + n_classes][0]}",
                         f"extra data after {n_classes} classes",
                         "remove it or fix the class count in the header")
    if int(counts.sum()) != n_cars:
        raise InputError(file, f"line {lines[0][0]}", f"class counts sum "
                         f"to {int(counts.sum())}, header says {n_cars} cars",
                         "make the counts add up")
    return CarSequencingInstance(counts, opts, np.array(p), np.array(q))
