"""The independent checker of two-sided lines.

Written apart from the solvers on purpose (it shares no code with
them): every task once, on a position whose side it allows, its span
inside ``0..cycle`` and as long as its time, no two tasks of a position
overlapping, every arc ``i -> j`` either to a later station or, in the
same station, ``finish(i) <= start(j)`` whatever the sides, and the
zoning rules (together, apart, fixed station) kept.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from taktplan.errors import ResultCheckError

if TYPE_CHECKING:
    from collections.abc import Sequence

    from taktplan.balance.twosided.result import Station


class InvalidTwoSidedLineError(ResultCheckError):
    """A solver produced a two-sided line that breaks a rule (a bug)."""


def check_two_sided_line(
    line: Sequence[Station],
    times: np.ndarray,
    sides: Sequence[str],
    arcs: np.ndarray,
    cycle_time: int,
    *,
    two_sided: bool = True,
    operators_per_side: int = 1,
    together: Sequence[tuple[int, int]] = (),
    apart: Sequence[tuple[int, int]] = (),
    fixed_station: Sequence[int] | None = None,
) -> None:
    """Raise :class:`InvalidTwoSidedLineError` unless the line is valid.

    Parameters
    ----------
    line
        Stations in line order; tasks 0-based.
    times
        Task times ``(n,)``.
    sides
        ``"L"``, ``"R"`` or ``"E"`` per task.
    arcs
        Precedence arcs ``(pred, succ)``, 0-based.
    cycle_time
        Every task's span must lie in ``0..cycle_time``.
    two_sided, operators_per_side
        The positions a station may have per side.
    together, apart, fixed_station
        The zoning rules (0-based tasks and stations; ``-1`` = free).
    """
    t = [int(x) for x in np.asarray(times).ravel()]
    n = len(t)
    station_of = [-1] * n
    start = [0] * n
    finish = [0] * n
    for k, station in enumerate(line):
        count: dict[str | None, int] = {}
        for p in station.positions:
            count[p.side] = count.get(p.side, 0) + 1
            if two_sided and p.side not in ("L", "R"):
                raise InvalidTwoSidedLineError(
                    f"station {k + 1}: position side {p.side!r} is not L/R")
            if not two_sided and p.side is not None:
                raise InvalidTwoSidedLineError(
                    f"station {k + 1}: a one-sided line has side {p.side!r}")
            spans = []
            for s in p.tasks:
                i = s.task
                if not 0 <= i < n:
                    raise InvalidTwoSidedLineError(
                        f"station {k + 1}: no task {i + 1}")
                if station_of[i] >= 0:
                    raise InvalidTwoSidedLineError(
                        f"task {i + 1} on stations {station_of[i] + 1} and "
                        f"{k + 1}")
                station_of[i] = k
                start[i], finish[i] = s.start, s.finish
                if s.finish - s.start != t[i]:
                    raise InvalidTwoSidedLineError(
                        f"task {i + 1} runs {s.start}..{s.finish}, not its "
                        f"time {t[i]}")
                if s.start < 0 or s.finish > cycle_time:
                    raise InvalidTwoSidedLineError(
                        f"task {i + 1} runs {s.start}..{s.finish}, outside "
                        f"the cycle 0..{cycle_time}")
                if two_sided and sides[i] != "E" and sides[i] != p.side:
                    raise InvalidTwoSidedLineError(
                        f"task {i + 1} ({sides[i]}) is on side {p.side} of "
                        f"station {k + 1}")
                if s.finish > s.start:
                    spans.append((s.start, s.finish, i))
            spans.sort()
            busy_until, last = -1, -1
            for b0, b1, b in spans:
                if b0 < busy_until:
                    raise InvalidTwoSidedLineError(
                        f"tasks {last + 1} and {b + 1} overlap at station "
                        f"{k + 1}, side {p.side}")
                busy_until, last = b1, b
        for side, c in count.items():
            if c > operators_per_side:
                raise InvalidTwoSidedLineError(
                    f"station {k + 1} has {c} positions on side {side}, "
                    f"more than {operators_per_side}")
    missing = [i for i in range(n) if station_of[i] < 0]
    if missing:
        raise InvalidTwoSidedLineError(f"task {missing[0] + 1} on no station")
    for a, b in np.asarray(arcs, dtype=np.int64).reshape(-1, 2):
        sa, sb = station_of[a], station_of[b]
        if sa > sb or (sa == sb and finish[a] > start[b]):
            raise InvalidTwoSidedLineError(
                f"task {b + 1} (station {sb + 1}, start {start[b]}) starts "
                f"before its predecessor {a + 1} (station {sa + 1}) ends at "
                f"{finish[a]}")
    for a, b in together:
        if station_of[a] != station_of[b]:
            raise InvalidTwoSidedLineError(
                f"tasks {a + 1} and {b + 1} must share a station")
    for a, b in apart:
        if station_of[a] == station_of[b]:
            raise InvalidTwoSidedLineError(
                f"tasks {a + 1} and {b + 1} must be at different stations")
    if fixed_station is not None:
        for i, pin in enumerate(fixed_station):
            if pin >= 0 and station_of[i] != pin:
                raise InvalidTwoSidedLineError(
                    f"task {i + 1} is fixed to station {pin + 1} but is at "
                    f"{station_of[i] + 1}")
