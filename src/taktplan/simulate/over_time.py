"""The line over time: output per bin and a trace of every station.

Recording is asked for per simulation (:class:`OverTime`); without it
the kernels keep only their sums, so searches and sweeps pay nothing.
With it, every replication counts its departures per bin (a shift, say)
and one replication keeps each job's times at every station over a
window (a day): enough to draw each station's states as a Gantt chart
and each buffer's level as a step curve.

A trace row holds, for one job at one station: the job's number, when
it arrived in the buffer in front, since when the station was idle,
until when of that it was blocked (the rest starved), when the job
started, its work, overload and repair times, and when it left. A
station's states in the row's span are, in this order: blocked, starved,
working, overload, down, blocked (waiting for room, or in a paced
segment for its slowest station). Repairs are drawn after the work they
interrupted (the kernels know how long, not when, within the job).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from taktplan.errors import InputError

#: Columns of a trace row.
TRACE_FIELDS = ("job", "arrival", "idle", "blocked_until", "start", "work",
                "overload", "down", "release")
#: Largest trace the kernels keep (jobs per station), a memory guard.
MAX_TRACE_JOBS = 200_000
#: Most output bins one replication keeps.
MAX_BINS = 1_000_000


@dataclass(frozen=True)
class OverTime:
    """What a simulation records over time (pass ``None`` for nothing).

    Parameters
    ----------
    bin_width
        Length of an output bin in line time units (a shift's productive
        time, say): each replication counts its departures per bin.
    trace_start
        Start of the trace window, measured from the end of the warm-up.
    trace_length
        Length of the trace window (0: no trace).
    replication
        The replication whose stations are traced.
    """

    bin_width: float
    trace_start: float = 0.0
    trace_length: float = 0.0
    replication: int = 0

    def check(self) -> None:
        """Raise :class:`InputError` if the request cannot be recorded."""
        where = "<simulate>"
        if not (math.isfinite(self.bin_width) and self.bin_width > 0):
            raise InputError(where, "over_time.bin_width", "must be > 0",
                             "give the length of an output bin")
        if not (math.isfinite(self.trace_start) and self.trace_start >= 0
                and math.isfinite(self.trace_length)
                and self.trace_length >= 0):
            raise InputError(where, "over_time.trace", "window must be "
                             "finite and >= 0", "give a start and length")
        if not (isinstance(self.replication, int)
                and self.replication >= 0):
            raise InputError(where, "over_time.replication",
                             "must be an integer >= 0",
                             "give the index of the traced replication")


STATE_ORDER = ("blocked", "starved", "working", "overload", "down",
               "blocked")


@dataclass(frozen=True)
class Trace:
    """Each job's times at every station over a window of one replication.

    Attributes
    ----------
    start, end
        The window (line time, warm-up included).
    stations
        Per station, an array of rows (see :data:`TRACE_FIELDS`) of the
        jobs whose time there touches the window, in job order.
    parallel
        Servers of each station (job ``j`` is served by ``j mod
        parallel``).
    truncated
        ``True`` if a station had more jobs than the trace could keep.
    """

    start: float
    end: float
    stations: tuple[np.ndarray, ...]
    parallel: tuple[int, ...]
    truncated: bool = False

    def intervals(self, i: int) -> dict[str, np.ndarray]:
        """State -> ``(k, 3)`` rows ``(start, end, server)`` at station
        ``i``, clipped to the window, empty spans left out."""
        rows = self.stations[i]
        idle, split, s = rows[:, 2], rows[:, 3], rows[:, 4]
        w_end = s + rows[:, 5]
        o_end = w_end + rows[:, 6]
        d_end = o_end + rows[:, 7]
        server = rows[:, 0] % self.parallel[i]
        spans = (("blocked", idle, split), ("starved", split, s),
                 ("working", s, w_end), ("overload", w_end, o_end),
                 ("down", o_end, d_end), ("blocked", d_end, rows[:, 8]))
        out: dict[str, list[np.ndarray]] = {}
        for state, a, b in spans:
            a = np.clip(a, self.start, self.end)
            b = np.clip(b, self.start, self.end)
            keep = b > a
            out.setdefault(state, []).append(
                np.column_stack([a[keep], b[keep], server[keep]]))
        return {k: np.concatenate(v) for k, v in out.items()}

    def state_times(self, i: int) -> dict[str, float]:
        """Time station ``i`` spent in each state in the window (summed
        over its servers)."""
        return {k: float((v[:, 1] - v[:, 0]).sum())
                for k, v in self.intervals(i).items()}

    def buffer_levels(self, b: int) -> tuple[np.ndarray, np.ndarray]:
        """The level of the buffer after station ``b`` as a step curve.

        Returns ``(times, levels)``: the level is ``levels[k]`` from
        ``times[k]`` to ``times[k + 1]`` (the last to the window's end).
        A job is in the buffer from its arrival until it starts at
        station ``b + 1``.
        """
        rows = self.stations[b + 1]
        arr, start = rows[:, 1], rows[:, 4]
        wait = start > arr
        arr, start = arr[wait], start[wait]
        at0 = int(((arr <= self.start) & (start > self.start)).sum())
        times = np.concatenate([arr, start])
        steps = np.concatenate([np.ones(arr.size), -np.ones(start.size)])
        inside = (times > self.start) & (times < self.end)
        times, steps = times[inside], steps[inside]
        # at equal times the leaving job goes first (a level never
        # reaches above the capacity)
        order = np.lexsort((steps, times))
        times, steps = times[order], steps[order]
        levels = at0 + np.cumsum(steps)
        return (np.concatenate([[self.start], times]),
                np.concatenate([[at0], levels]).astype(np.int64))

    def time_at_level(self, b: int, capacity: int) -> np.ndarray:
        """Time the buffer after station ``b`` held 0..capacity jobs."""
        times, levels = self.buffer_levels(b)
        span = np.diff(np.concatenate([times, [self.end]]))
        return np.bincount(np.clip(levels, 0, capacity), weights=span,
                           minlength=capacity + 1)


def trace_capacity(line_min_time: float, length: float, hold: int) -> int:
    """Rows each station keeps for a window of ``length``.

    A station passes at most one job per shortest process time of the
    line's slowest station, plus the jobs the line can hold.
    """
    if length <= 0:
        return 0
    if line_min_time <= 0:
        return MAX_TRACE_JOBS
    return int(min(MAX_TRACE_JOBS,
                   math.ceil(length / line_min_time) + hold + 16))
