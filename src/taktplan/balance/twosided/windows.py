"""Shorten a two-sided line's cycle by re-solving windows of stations.

A large-neighbourhood search for type II: take a few consecutive
stations that hold the longest one, free every task in them and let
CP-SAT (:func:`.cpsat.solve_cpsat`, the same model as the exact
backend) place those tasks on those stations again with a shorter
longest station. Tasks outside the window stay put, and precedence
with them keeps by itself: a task's predecessors outside the window
sit at earlier stations, its followers at later ones. When no window
of one width helps, wider ones are tried. Every sub-model runs on a
share of a deterministic work budget, so the same line and budget give
the same result on any machine and load.

The priority rules and the move-by-move local search (:mod:`.improve`)
stop where one task moved at a time cannot shorten the cycle; a window
re-solved as a whole re-times its stations and trades many tasks at
once (P65 with 5 stations: 517 -> 512).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import numpy as np

from taktplan.balance.twosided.cpsat import solve_cpsat
from taktplan.balance.twosided.heuristic import staffed_positions
from taktplan.balance.twosided.problem import TwoSidedProblem
from taktplan.balance.twosided.resequence import resequence

if TYPE_CHECKING:
    from collections.abc import Iterator

    from taktplan.balance.twosided.heuristic import Placement

#: Window widths tried in turn (stations freed at once; one station
#: alone is re-timed, its sides and order chosen again).
WIDTHS = (1, 2, 3, 4)
#: Window widths of the operator search (type I).
OPERATOR_WIDTHS = (2, 3)
#: Tasks a window of the operator search holds at most.
OPERATOR_MAX_TASKS = 90
#: Tasks a window frees at most: beyond them the tasks of its stations
#: farthest from the longest one keep their station.
MAX_FREE = 40
#: What a unit of a window model's deterministic time costs the pool:
#: small models take 7-9 CPU s a unit (P65, P205; presolve and model
#: building are not in it) against the 5 of a whole line's model that
#: the budgets are calibrated on (:data:`.budget.CPSAT_WORK_PER_SECOND`).
WINDOW_COST = 1.5
#: CP-SAT deterministic time of one window's model.
WINDOW_WORK = 0.05


@dataclass(frozen=True)
class WindowResult:
    """What a window search reached: the line (its stations, empty ones
    kept), its cycle and staffed operator positions, the work it took
    from the pool (deterministic time times :data:`WINDOW_COST`), the
    windows it solved, and whether it gave up on its floor (see
    :func:`shorten_by_windows`)."""

    line: Placement
    cycle: int
    operators: int
    work: float
    windows: int
    gave_up: bool = False


#: A window to re-solve: its first station, its width and the tasks in
#: it that may move.
Window = tuple[int, int, frozenset[int]]
#: Re-solves a window within some deterministic time: its new stations
#: (``None``: no better ones), the time used, whether it was decided.
Solver = Callable[[Window, list[int], float],
                  tuple[list[list[tuple[int, int, int]]] | None, float,
                        bool]]


def _search(stations: list[list[tuple[int, int, int]]],
            windows: Callable[[], Iterator[Window]], solve: Solver,
            finished: Callable[[], bool], work_limit: float,
            window_work: float,
            widen: Callable[[], bool] = lambda: False,
            hopeless: Callable[[float], bool] = lambda spent: False,
            narrow: Callable[[], None] = lambda: None
            ) -> tuple[float, int]:
    """The loop both searches share: re-solve the windows offered, in
    order, until one gives better stations (spliced into ``stations``),
    then ask again; when none does and some ran out of work, double the
    work of one and try those again; when every one was decided, ask
    ``widen`` for larger windows (``False``: there are none). After a
    window helps, the work of one and the windows go back to their
    first size (``narrow``): the windows it changed are new, and small
    cheap models are what shortens them (P205 with 7 stations, 4 units
    of work from 1812: 1711 when the work and the windows stay grown,
    1699 when they go back). Stops early when ``hopeless(spent)``.
    Returns the time spent and the windows solved."""
    spent = 0.0
    solved = 0
    first_work = window_work
    # windows already answered: True when decided, False when the work
    # ran out (tried again, with twice the work, once none helps)
    tried: dict[tuple[int, int, frozenset[int]], bool] = {}
    while spent < work_limit and not finished() and not hopeless(spent):
        improved = False
        for a, w, free in windows():
            tasks = frozenset(i for k in range(a, a + w)
                              for i, _, _ in stations[k])
            key = (a, w, tasks | {-1 - i for i in free})
            if key in tried:
                continue
            if spent >= work_limit:
                break
            found, used, decided = solve(
                (a, w, free), sorted(tasks),
                min(window_work, (work_limit - spent) / WINDOW_COST))
            tried[key] = decided
            spent += used * WINDOW_COST
            solved += 1
            if found is not None:
                stations[a:a + w] = found
                improved = True
                window_work = first_work
                narrow()
                break
        if not improved:
            if all(tried.values()) and not widen():
                break  # every window offered is decided: none helps
            if not all(tried.values()):
                window_work *= 2
                tried = {k: v for k, v in tried.items() if v}
    return spent, solved


def shorten_by_windows(problem: TwoSidedProblem, line: Placement, m: int,
                       work_limit: float, *, seed: int = 0,
                       floor: int = 1, window_work: float = WINDOW_WORK,
                       max_free: int = MAX_FREE,
                       time_left: Callable[[], float] | None = None,
                       give_up: bool = False) -> WindowResult:
    """``line`` (``m`` stations) with its cycle shortened by windows
    around its longest stations (type II).

    Parameters
    ----------
    problem
        The instance. With extra dimensions (variants) each window that
        CP-SAT re-solves is re-sequenced to one order per position
        (:func:`.resequence.resequence`) or left as it was.
    line
        A valid line of at most ``m`` stations.
    m
        Stations of the line.
    work_limit
        The pool's work for all windows together (a window's
        deterministic time counts :data:`WINDOW_COST` times).
    seed
        CP-SAT's seed.
    floor
        A lower bound on the cycle: the search stops there.
    window_work
        Deterministic time of one window's model at first; doubled
        each time no window helps while some ran out of work.
    max_free
        Tasks a window may move at first (the rest keep their
        station); doubled when every window is decided and none helps.
    time_left
        Wall seconds left (a safety net only), or ``None``.
    give_up
        Stop once a quarter of the work is spent and the cycle, shortened
        at the rate so far, would not reach ``floor`` with the rest (type
        I: a station count that the windows will not fit; P205 with 7
        stations at 1699 from 1823 gains 5 units in 0.9).
    """
    stations = [list(st) for st in line] + [[] for _ in range(m - len(line))]
    t = problem.times

    def spans() -> list[int]:
        return [_span(st, t) for st in stations]

    def windows() -> Iterator[Window]:
        now = spans()
        cycle = max(now)
        for w in sorted({min(x, m) for x in WIDTHS}):
            for a in _windows_at(now, cycle, w):
                yield a, w, _free_tasks(stations, now, cycle, a, w, max_free)

    def solve(window: Window, tasks: list[int], work: float
              ) -> tuple[list[list[tuple[int, int, int]]] | None, float,
                         bool]:
        a, w, free = window
        now = spans()
        outside = max((x for k, x in enumerate(now)
                       if not a <= k < a + w), default=0)
        return _solve_window(problem, stations[a:a + w], tasks, free, a,
                             (max(now) - 1, max(floor, outside)), work, seed,
                             60.0 if time_left is None else time_left())

    def widen() -> bool:
        nonlocal max_free
        if max_free >= max(len(st) for st in stations) * min(m, max(WIDTHS)):
            return False
        max_free *= 2
        return True

    first = max(spans())
    first_free = max_free

    def narrow() -> None:
        nonlocal max_free
        max_free = first_free

    def hopeless(spent: float) -> bool:
        now = max(spans())
        return give_up and spent >= work_limit / 4 and (
            (now - floor) * spent > (first - now) * (work_limit - spent))

    spent, solved = _search(stations, windows, solve,
                            lambda: max(spans()) <= floor, work_limit,
                            window_work, widen, hopeless, narrow)
    return WindowResult(stations, max(spans()),
                        staffed_positions(stations), spent, solved,
                        gave_up=hopeless(spent))


def fewer_operators_by_windows(problem: TwoSidedProblem, line: Placement,
                               c: int, work_limit: float, *, seed: int = 0,
                               floor: int = 0,
                               window_work: float = WINDOW_WORK,
                               max_free: int = OPERATOR_MAX_TASKS,
                               time_left: Callable[[], float] | None = None
                               ) -> WindowResult:
    """``line`` (cycle ``c``) with fewer staffed operator positions, by
    windows of consecutive stations (type I): each is re-solved at ``c``
    with the fewest positions (with extra dimensions, re-sequenced to
    one order per position, :func:`.resequence.resequence`), the windows
    with the most idle first, those of more than ``max_free`` tasks
    skipped. Stops at ``floor``
    positions; the other parameters as :func:`shorten_by_windows`'."""
    stations = [list(st) for st in line]
    m = len(stations)
    t = problem.times
    per = problem.positions_per_station

    def windows() -> Iterator[Window]:
        load = [sum(int(t[i]) for i, _, _ in st) for st in stations]
        ranked = []
        for w in sorted({min(x, m) for x in OPERATOR_WIDTHS}):
            for a in range(m - w + 1):
                tasks = [i for k in range(a, a + w)
                         for i, _, _ in stations[k]]
                if len(tasks) > max_free:
                    continue
                staffed = staffed_positions(stations[a:a + w])
                need = -(-sum(load[a:a + w]) // c)
                if staffed > need:
                    ranked.append((w, -(per * w * c - sum(load[a:a + w])),
                                   a, frozenset(tasks)))
        for w, _, a, movable in sorted(ranked, key=lambda r: r[:3]):
            yield a, w, movable

    def solve(window: Window, tasks: list[int], work: float
              ) -> tuple[list[list[tuple[int, int, int]]] | None, float,
                         bool]:
        a, w, _ = window
        here = stations[a:a + w]
        sub = sub_problem(problem, tasks, first_station=a)
        local = {i: r for r, i in enumerate(tasks)}
        out = solve_cpsat(sub, c=c, m=w, c_high=c, minimise_operators=True,
                          hint=[[(local[i], q, s) for i, q, s in st]
                                for st in here],
                          work_limit=work, seed=seed,
                          time_limit=max(0.5, 60.0 if time_left is None
                                         else time_left()))
        found = _in_line(sub, c, out.line, tasks, seed)
        if (found is None
                or staffed_positions(found) >= staffed_positions(here)):
            return None, out.work, out.proved or out.line is not None
        return found + [[] for _ in range(w - len(found))], out.work, True

    spent, solved = _search(stations, windows, solve,
                            lambda: staffed_positions(stations) <= floor,
                            work_limit, window_work)
    return WindowResult(stations, max(_span(st, t) for st in stations),
                        staffed_positions(stations), spent, solved)


def _windows_at(spans: list[int], cycle: int, w: int) -> list[int]:
    """First stations of the windows of width ``w`` that hold a longest
    station, each once, the window centred on it first."""
    out: list[int] = []
    m = len(spans)
    for k in (k for k, s in enumerate(spans) if s == cycle):
        centre = min(max(0, k - (w - 1) // 2), m - w)
        for a in [centre, *range(max(0, k - w + 1), min(k, m - w) + 1)]:
            if a not in out:
                out.append(a)
    return out


def _free_tasks(stations: list[list[tuple[int, int, int]]],
                spans: list[int], cycle: int, a: int, w: int,
                max_free: int) -> frozenset[int]:
    """The tasks of window ``a..a+w-1`` that may move: all when there are
    at most ``max_free``; else those of its longest stations, then those
    of the others nearest to them along the line (the latest of a
    station before, the earliest of one after), up to ``max_free``."""
    window = range(a, a + w)
    if sum(len(stations[k]) for k in window) <= max_free:
        return frozenset(i for k in window for i, _, _ in stations[k])
    hot = [k for k in window if spans[k] == cycle]
    free = {i for k in hot for i, _, _ in stations[k]}
    ranked = sorted((min(abs(k - h) for h in hot),
                     s if k > hot[0] else -s, i)
                    for k in window if k not in hot
                    for i, _, s in stations[k])
    for _, _, i in ranked[:max(0, max_free - len(free))]:
        free.add(i)
    return frozenset(free)


def _span(station: list[tuple[int, int, int]], t: np.ndarray) -> int:
    return max((s + int(t[i]) for i, _, s in station), default=0)


def _solve_window(problem: TwoSidedProblem,
                  window: list[list[tuple[int, int, int]]], tasks: list[int],
                  free: frozenset[int], first_station: int,
                  cycles: tuple[int, int], work: float, seed: int,
                  time_limit: float
                  ) -> tuple[list[list[tuple[int, int, int]]] | None, float,
                             bool]:
    """The window's stations (the first is the line's ``first_station``)
    re-solved with a longest station of at most ``cycles[0]`` (and no
    effort below ``cycles[1]``), moving only the ``free`` tasks, or
    ``None``; with the deterministic time used and whether the model
    was decided (not stopped by its work)."""
    c_high, c_low = cycles
    if not tasks:
        return None, 0.0, True
    sub = sub_problem(problem, tasks, first_station=first_station)
    if len(free) < len(tasks):
        # the tasks not freed keep their stations (not their times)
        pins = np.asarray(sub.fixed_station).copy()
        for k, st in enumerate(window):
            for i, _, _ in st:
                if i not in free:
                    pins[tasks.index(i)] = k
        sub = replace(sub, fixed_station=pins)
    local = {i: r for r, i in enumerate(tasks)}
    hint = [[(local[i], q, s) for i, q, s in st] for st in window]
    if int(sub.times.max()) > c_high:
        return None, 0.0, True
    out = solve_cpsat(sub, c=None, m=len(window), c_high=c_high,
                      c_low=min(c_low, c_high), hint=hint, work_limit=work,
                      time_limit=max(0.5, time_limit), seed=seed)
    if out.line is None:
        return None, out.work, out.proved
    found = _in_line(sub, c_high, out.line, tasks, seed)
    if found is None:
        return None, out.work, True
    found += [[] for _ in range(len(window) - len(found))]
    return found, out.work, True


def _in_line(sub: TwoSidedProblem, c: int, line: Placement | None,
             tasks: list[int], seed: int
             ) -> list[list[tuple[int, int, int]]] | None:
    """A window's stations from CP-SAT (``sub``'s numbering) in the
    line's task numbers; with extra dimensions first re-sequenced to one
    order per position (CP-SAT timed each variant in its own order),
    ``None`` when that fails or there is no line."""
    if line is not None and sub.extra_limits:
        line = resequence(sub, c, line, seed=seed)
    if line is None:
        return None
    return [[(tasks[i], q, s) for i, q, s in st] for st in line]


def sub_problem(problem: TwoSidedProblem, tasks: list[int],
                first_station: int = 0) -> TwoSidedProblem:
    """``problem`` restricted to ``tasks`` (renumbered in that order):
    their arcs, zoning pairs and extra dimensions, pins shifted by
    ``first_station``."""
    local = {i: r for r, i in enumerate(tasks)}

    def pairs(src: tuple[tuple[int, int], ...] | np.ndarray
              ) -> list[tuple[int, int]]:
        return [(local[int(a)], local[int(b)]) for a, b in src
                if int(a) in local and int(b) in local]

    idx = np.asarray(tasks, dtype=np.int64)
    pins = problem.fixed_station[idx]
    return TwoSidedProblem(
        times=problem.times[idx], sides=problem.sides[idx],
        arcs=np.asarray(pairs(problem.arcs), dtype=np.int64).reshape(-1, 2),
        name=f"{problem.name} (window)", source=problem.source,
        together=tuple(pairs(problem.together)),
        apart=tuple(pairs(problem.apart)),
        fixed_station=np.where(pins >= 0, pins - first_station, -1),
        operators_per_side=problem.operators_per_side,
        two_sided=problem.two_sided,
        extra_times=(None if problem.extra_times is None
                     else problem.extra_times[idx]),
        extra_limits=problem.extra_limits,
        extra_weights=problem.extra_weights)


__all__ = ["WindowResult", "fewer_operators_by_windows", "shorten_by_windows",
           "sub_problem"]
