"""The line model: stations, buffers, paced segments, the shift calendar.

Semantics (the simulator and the analytic models share them):

- A station processes one job at a time (``parallel`` identical servers
  take jobs in turn: job ``j`` goes to server ``j mod parallel``, and jobs
  leave the station in their order, as on a real mixed-model line).
- Failures are operation-dependent: the time between failures (mean
  ``mtbf``) counts processing time only. A failure interrupts the job,
  the repair (mean ``mttr``) follows, and the job resumes where it stopped.
- Blocking after service: a finished job stays in its station until there
  is room downstream (a free place in the buffer, or the next station).
- The first station is never starved, the last never blocked.
- A paced segment (stations ``first..last``) moves together: it holds one
  job per station and indexes when every station has finished, a job waits
  at its entrance and there is room after its exit. A failure of any of
  its stations stops the whole segment, so the repairs of all its stations
  in one index add up. Segments are decoupled from the rest of the line by
  buffers (a buffer of at least 1 in front of a segment).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from taktplan.errors import InputError

PROCESS_KINDS = ("deterministic", "exponential", "lognormal", "gamma",
                 "weibull")
FAILURE_KINDS = ("exponential", "deterministic", "lognormal", "gamma",
                 "weibull", "geometric")
SOURCE = "<line>"
#: Most places one buffer may hold (its level histogram is kept in memory).
MAX_BUFFER = 1_000_000


def _bad(where: str, problem: str, fix: str) -> InputError:
    return InputError(SOURCE, where, problem, fix)


@dataclass(frozen=True, eq=False)
class Station:
    """One station of the line.

    Parameters
    ----------
    name
        A name unique in the line.
    process_times
        Mean processing time of one job, one entry per variant (a float is
        taken as one variant).
    process
        Distribution of processing times around the mean:
        ``deterministic`` (default), ``exponential``, ``lognormal``,
        ``gamma`` or ``weibull`` (the last three with ``process_cv``).
    process_cv
        Coefficient of variation of processing times (lognormal, gamma,
        weibull).
    mtbf
        Mean operating time between failures (``inf``: never fails).
    mttr
        Mean time to repair.
    failure, repair
        Distributions of operating time to failure and of repair time:
        ``exponential`` (default), ``deterministic``, ``lognormal``,
        ``gamma``, ``weibull`` or ``geometric`` (whole time units: failure
        after 0, 1, 2, ... units of operation, repairs of 1, 2, ... units;
        this is Gershwin's discrete-time Bernoulli machine with cycle 1).
    failure_cv, repair_cv
        Coefficients of variation for the lognormal, gamma and weibull
        choices.
    parallel
        Number of identical servers at the station.
    overload_times
        The part of each variant's time that is work overload (the
        variant's work beyond the line's cycle, a line stop): simulated
        as processing, counted as the state ``overload``, not working.
        ``None``: no overload.
    """

    name: str
    process_times: np.ndarray
    process: str = "deterministic"
    process_cv: float = 0.0
    mtbf: float = math.inf
    mttr: float = 0.0
    failure: str = "exponential"
    repair: str = "exponential"
    failure_cv: float = 1.0
    repair_cv: float = 1.0
    parallel: int = 1
    overload_times: np.ndarray | None = None

    def __post_init__(self) -> None:
        times = np.atleast_1d(np.asarray(self.process_times, dtype=float))
        times.setflags(write=False)
        object.__setattr__(self, "process_times", times)
        if self.overload_times is not None:
            over = np.atleast_1d(np.asarray(self.overload_times,
                                            dtype=float))
            over.setflags(write=False)
            object.__setattr__(self, "overload_times", over)

    @property
    def overload(self) -> np.ndarray:
        """The overload part of each variant's time (zeros if none)."""
        if self.overload_times is None:
            return np.zeros_like(self.process_times)
        return self.overload_times

    def _key(self) -> tuple[object, ...]:
        return (self.name, tuple(self.process_times.tolist()), self.process,
                self.process_cv, self.mtbf, self.mttr, self.failure,
                self.repair, self.failure_cv, self.repair_cv, self.parallel,
                tuple(self.overload.tolist()))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Station):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def check(self, where: str) -> None:
        """Raise :class:`InputError` if a value cannot be simulated."""
        t = self.process_times
        if t.ndim != 1 or t.size == 0:
            raise _bad(f"{where}.process_times", "no processing time",
                       "give one mean time per variant")
        if not np.all(np.isfinite(t)) or np.any(t < 0):
            raise _bad(f"{where}.process_times",
                       "processing times must be finite and >= 0",
                       "give non-negative times")
        o = self.overload
        if o.shape != t.shape or not np.all(np.isfinite(o)) or np.any(
                o < 0) or np.any(o > t):
            raise _bad(f"{where}.overload_times",
                       "must be one time per variant in 0..its process "
                       "time", "give the overload part of each time")
        if self.process not in PROCESS_KINDS:
            raise _bad(f"{where}.process", f"unknown {self.process!r}",
                       f"use one of {', '.join(PROCESS_KINDS)}")
        for key in ("failure", "repair"):
            if getattr(self, key) not in FAILURE_KINDS:
                raise _bad(f"{where}.{key}",
                           f"unknown {getattr(self, key)!r}",
                           f"use one of {', '.join(FAILURE_KINDS)}")
        for key, kind in (("process_cv", self.process),
                          ("failure_cv", self.failure),
                          ("repair_cv", self.repair)):
            cv = getattr(self, key)
            if not math.isfinite(cv) or cv < 0:
                raise _bad(f"{where}.{key}", "must be finite and >= 0",
                           "give a coefficient of variation like 0.5")
            if kind in ("lognormal", "gamma", "weibull") and cv <= 0:
                raise _bad(f"{where}.{key}", f"{kind} needs a cv > 0",
                           "give a coefficient of variation like 0.5")
        if not (self.mtbf > 0):
            raise _bad(f"{where}.mtbf", "must be > 0",
                       "give the mean operating time between failures, "
                       "or leave it out for a station that never fails")
        if not (math.isfinite(self.mttr) and self.mttr >= 0):
            raise _bad(f"{where}.mttr", "must be finite and >= 0",
                       "give the mean time to repair")
        if math.isfinite(self.mtbf) and self.mttr <= 0:
            raise _bad(f"{where}.mttr", "must be > 0 when mtbf is given",
                       "give the mean time to repair")
        if self.repair == "geometric" and math.isfinite(self.mtbf) and \
                self.mttr < 1:
            raise _bad(f"{where}.mttr", "geometric repairs last >= 1 unit",
                       "give mttr >= 1")
        if not (isinstance(self.parallel, int) and self.parallel >= 1):
            raise _bad(f"{where}.parallel", "must be an integer >= 1",
                       "give the number of identical servers")

    @property
    def fails(self) -> bool:
        """Whether the station ever fails."""
        return math.isfinite(self.mtbf)

    @property
    def availability(self) -> float:
        """Isolated availability ``mtbf / (mtbf + mttr)``."""
        return 1.0 if not self.fails else self.mtbf / (self.mtbf + self.mttr)


@dataclass(frozen=True)
class Line:
    """A serial line of stations separated by finite buffers.

    Parameters
    ----------
    stations
        The stations from first to last.
    buffers
        Capacity between consecutive stations (``len(stations) - 1``
        entries), not counting the job held in a station; 0 inside a paced
        segment.
    segments
        Paced segments as ``(first, last)`` station indices (inclusive).
    time_unit_s
        Seconds in one time unit of the line (for jobs per hour).
    """

    stations: tuple[Station, ...]
    buffers: tuple[int, ...]
    segments: tuple[tuple[int, int], ...] = ()
    time_unit_s: float = 1.0
    names: tuple[str, ...] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "stations", tuple(self.stations))
        object.__setattr__(self, "buffers",
                           tuple(int(b) for b in self.buffers))
        object.__setattr__(self, "segments",
                           tuple((int(a), int(b)) for a, b in self.segments))
        object.__setattr__(self, "names",
                           tuple(s.name for s in self.stations))
        self.check()

    def check(self) -> None:
        """Raise :class:`InputError` if the line cannot be simulated."""
        n = len(self.stations)
        if n == 0:
            raise _bad("stations", "the line has no stations",
                       "give at least one station")
        for i, s in enumerate(self.stations):
            s.check(f"stations[{i}]")
        if len(set(self.names)) != n:
            raise _bad("stations", "station names repeat",
                       "give every station its own name")
        nvar = {s.process_times.size for s in self.stations}
        if len(nvar) != 1:
            raise _bad("stations", "stations give different numbers of "
                       "variants", "give every station one time per variant")
        if len(self.buffers) != n - 1:
            raise _bad("buffers", f"{len(self.buffers)} buffers for {n} "
                       "stations", "give one buffer between each pair")
        for i, b in enumerate(self.buffers):
            if b < 0:
                raise _bad(f"buffers[{i}]", "must be >= 0",
                           "give a capacity of 0 or more")
            if b > MAX_BUFFER:
                raise _bad(f"buffers[{i}]", f"{b} places is more than "
                           f"{MAX_BUFFER:,}", "give a real buffer size")
        times = np.stack([s.process_times for s in self.stations])
        if np.any(times.max(axis=0) <= 0):
            raise _bad("stations", "a variant takes no time anywhere",
                       "give each variant a positive time somewhere")
        last = -1
        for k, (a, b) in enumerate(sorted(self.segments)):
            where = f"segments[{k}]"
            if not (0 <= a < b < n) or a <= last:
                raise _bad(where, f"bad or overlapping segment ({a}, {b})",
                           "give disjoint (first, last) station indices "
                           "with first < last")
            last = b
            if any(self.buffers[i] != 0 for i in range(a, b)):
                raise _bad(where, "buffers inside a paced segment",
                           "set the buffers inside a segment to 0")
            if a > 0 and self.buffers[a - 1] < 1:
                raise _bad(f"buffers[{a - 1}]",
                           "a paced segment needs a buffer in front",
                           "give a buffer of at least 1, or make the "
                           "segment start earlier")
            if any(self.stations[i].parallel != 1 for i in range(a, b + 1)):
                raise _bad(where, "parallel stations inside a segment",
                           "use parallel = 1 in a paced segment")
        if not (self.time_unit_s > 0 and math.isfinite(self.time_unit_s)):
            raise _bad("time_unit_s", "must be > 0", "give seconds per unit")

    @property
    def n_variants(self) -> int:
        """Number of variants (entries of every station's times)."""
        return int(self.stations[0].process_times.size)

    def process_matrix(self) -> np.ndarray:
        """Mean processing times, shape (stations, variants)."""
        return np.stack([s.process_times for s in self.stations])

    def overload_matrix(self) -> np.ndarray:
        """Overload part of the processing times, (stations, variants)."""
        return np.stack([s.overload for s in self.stations])


@dataclass(frozen=True)
class ShiftCalendar:
    """When the line works.

    The simulated clock counts productive (shift) time only. Off shift
    (breaks, the hours between shifts, weekends, holidays) the whole line
    stands still: no job moves, no failure clock runs, and a repair in
    progress pauses and resumes at the start of the next shift (the repair
    crew works the line's shifts). So the calendar converts productive time
    into calendar figures: vehicles per year = jobs per productive hour x
    :attr:`productive_hours_per_year`.

    Parameters
    ----------
    shifts_per_day
        Shifts on a working day.
    shift_hours
        Paid length of a shift.
    break_hours
        Breaks in each shift (the line stops).
    working_days_per_year
        Working days in a year (holidays and weekends removed).
    days_per_week
        Working days in a week (documentation of the pattern).
    """

    shifts_per_day: int = 2
    shift_hours: float = 8.0
    break_hours: float = 0.5
    working_days_per_year: float = 248.0
    days_per_week: int = 5

    def __post_init__(self) -> None:
        if not (1 <= self.shifts_per_day <= 3):
            raise _bad("calendar.shifts_per_day", "must be 1, 2 or 3",
                       "give the shifts per day")
        if not (0 < self.shift_hours <= 24 / self.shifts_per_day):
            raise _bad("calendar.shift_hours", "shifts do not fit a day",
                       "give a shift length in hours")
        if not (0 <= self.break_hours < self.shift_hours):
            raise _bad("calendar.break_hours", "must be in [0, shift)",
                       "give the breaks per shift in hours")
        if not (0 < self.working_days_per_year <= 366):
            raise _bad("calendar.working_days_per_year", "must be in "
                       "(0, 366]", "give the working days per year")
        if not (1 <= self.days_per_week <= 7):
            raise _bad("calendar.days_per_week", "must be 1..7",
                       "give the working days per week")

    @property
    def productive_hours_per_shift(self) -> float:
        """Hours a shift produces (shift length minus breaks)."""
        return self.shift_hours - self.break_hours

    @property
    def productive_hours_per_year(self) -> float:
        """Productive hours in a year on this calendar."""
        return (self.working_days_per_year * self.shifts_per_day
                * self.productive_hours_per_shift)

    def productive_time(self, years: float, time_unit_s: float) -> float:
        """Productive time of ``years`` years in the line's time unit."""
        return years * self.productive_hours_per_year * 3600.0 / time_unit_s
