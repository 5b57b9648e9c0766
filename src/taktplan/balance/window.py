"""Window re-solve: the SALBP-1 solver on a run of consecutive stations.

A large-neighbourhood search for SALBP-1 lines. The tasks of a run of
consecutive stations, with only the arcs among them, are a small
SALBP-1 instance: a predecessor outside the window sits at an earlier
station and a follower at a later one, so any line of the window's
tasks on its own stations keeps the whole line valid (a chain of arcs
between two tasks of the window runs only through tasks of the window,
whose stations lie between theirs). :func:`solve_window` solves that
instance with the project's own SALBP-1 pieces (bounds, priority rules,
beam and local search, the exact search on a node budget);
:func:`improve_by_windows` slides windows of several sizes along the
line and splices in every re-solve that needs fewer stations.

Every step stops on a count (nodes, beam candidates, moves), so a line
gives the same line on every machine; the exact search's clock is only
its safety net.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from taktplan.balance import upper
from taktplan.balance.heuristic import greedy_lines
from taktplan.balance.pairs import pair_bound
from taktplan.balance.prepare import Prepared, prepare
from taktplan.balance.search import lead_direction, search_both, search_clock

#: Window sizes, in tasks (a window is the fewest whole stations from
#: its first holding at least that many), tried in this order. Below
#: :data:`.upper.LARGE_TASKS`, so that a window's own beam and local
#: search never open windows.
SIZES = (120, 240)

#: Windows slide by this share of their stations.
STEP_SHARE = 0.25

#: Work (:data:`.search.WORK_PER_SECOND`) the exact search may do on
#: one window: counted in work, not nodes, since a node of its wider
#: beams costs far more than one of its depth-first search.
WINDOW_WORK = 20_000_000

#: Randomised priority-rule restarts per direction on one window.
WINDOW_RESTARTS = 10

#: Moves the local search may try per task of a window (5,000: one
#: station fewer saved on the generated bottleneck line of order
#: strength 0.9, middle times, and the phase hardly cheaper).
WINDOW_MOVES_PER_TASK = 20_000

#: Whether a window's own beam runs at the widest width too: on the wide
#: pass's windows of 480 tasks it made a solve cost about 12 CPU s
#: instead of 3 (generated 1,000-task lines, middle times), so a window
#: stops at :data:`.upper.BEAM_WIDTH_LARGE` states a station.
WINDOW_WIDEST = False

#: Windows the phase may solve past their bounds on a line (each one
#: costs a beam and a local search on its tasks: 0.3-1 s of CPU at
#: 240 tasks).
MAX_SOLVES = 8

#: The exact search's safety net per window, CPU seconds.
WINDOW_SAFETY_SECONDS = 10.0

#: Window sizes of the wide pass, which :func:`improve_long_line` runs
#: after the first (:data:`SIZES`) on the exact search's budget:
#: windows of about 480 tasks save stations where those of 120 and 240
#: no longer do (generated 1,000-task lines, middle times: mixed OS 0.6
#: 507 -> 506, chains OS 0.2 514 -> 513, chains OS 0.6 bimodal 247 ->
#: 246, its bound). With all three sizes in one pass, ranked by their
#: gaps, the wide windows came first and spent the budget where the
#: first pass's small ones save stations (bottlenecks OS 0.9: 553
#: instead of 551 at a 10 s limit).
WIDE_SIZES = (480,)

#: What a window solve is charged, in seconds of the exact search's
#: budget: ``SOLVE_SECONDS + tasks**2 / SOLVE_TASKS_SQUARED``, at least
#: what it costs one core (0.4, 0.7 and 3-3.8 CPU s at 120, 240 and
#: 480 tasks on the 1,000-task lines, but about 6 s at 480 tasks on a
#: 3,000-task line; the beam grows with width times tasks squared). A
#: count, so the pass stops at the same window on every machine.
SOLVE_SECONDS = 0.3
SOLVE_TASKS_SQUARED = 40_000.0

#: Share of what the beams, local searches and first windows leave of
#: the time limit that the wide pass may spend on lines of
#: :data:`.upper.LARGE_TASKS` or more (the search never made such a
#: line shorter in our runs: 0 of 15 generated 1,000-task lines left
#: above the bound, at 10 and 60 s).
WIDE_SHARE = 0.8

#: Share of the time limit the beams and local searches of
#: :func:`.upper.improve_line` may be charged on lines of
#: :data:`.upper.LARGE_TASKS` or more: at the default 60 s every width
#: runs on the generated 1,000-task lines (up to 31 s of CPU).
UPPER_SHARE = 0.6


def solve_charge(n_tasks: int) -> float:
    """Seconds of budget charged for solving a window of ``n_tasks``
    (:data:`SOLVE_SECONDS`, :data:`SOLVE_TASKS_SQUARED`)."""
    return SOLVE_SECONDS + n_tasks * n_tasks / SOLVE_TASKS_SQUARED


@dataclass(frozen=True)
class Window:
    """A run of ``width`` consecutive stations from ``first``: its
    ``tasks`` (of the whole line) at ``local`` stations (0-based within
    the window), the sub-instance's ``arcs`` (renumbered in the order of
    ``tasks``) and its lower bound ``lb``."""

    first: int
    width: int
    tasks: np.ndarray
    local: np.ndarray
    arcs: np.ndarray
    lb: int

    @property
    def key(self) -> bytes:
        """:func:`window_key` of the window."""
        return window_key(self.tasks, self.local)


def window_key(tasks: np.ndarray, local: np.ndarray) -> bytes:
    """A window's tasks and their stations within it, wherever it
    starts: a window met again with the same key needs no new look."""
    return tasks.tobytes() + local.tobytes()


@dataclass(frozen=True)
class WindowLine:
    """A window re-solved: ``station_of`` (0-based within the window,
    ``n_stations`` of them) for the line's ``tasks``, and the nodes the
    exact search expanded."""

    tasks: np.ndarray
    station_of: np.ndarray
    n_stations: int
    nodes: int


@dataclass(frozen=True)
class WindowOutcome:
    """What :func:`improve_by_windows` found and spent.

    Parameters
    ----------
    station_of
        0-based station of each task of the best line.
    n_stations
        Its stations.
    saved
        Stations saved against the line given.
    windows
        Windows whose bounds were computed (a window met again
        unchanged is not counted again).
    solves
        Windows solved (their bounds below their widths).
    nodes
        Nodes the exact searches expanded, all windows together.
    charged
        Seconds of budget the solves were charged (:func:`solve_charge`).
    """

    station_of: np.ndarray
    n_stations: int
    saved: int
    windows: int
    solves: int
    nodes: int
    charged: float = 0.0


def window_arcs(arcs: np.ndarray, tasks: np.ndarray, n: int) -> np.ndarray:
    """The arcs among ``tasks`` (of ``n``), renumbered ``0..len(tasks)-1``
    in the order of ``tasks``."""
    local = np.full(n, -1, dtype=np.int64)
    local[tasks] = np.arange(tasks.size, dtype=np.int64)
    a, b = local[arcs[:, 0]], local[arcs[:, 1]]
    keep = (a >= 0) & (b >= 0)
    return np.stack([a[keep], b[keep]], axis=1)


def open_window(times: np.ndarray, cap: int, arcs: np.ndarray,
                station_of: np.ndarray, first: int, end: int) -> Window:
    """The window of stations ``first..end - 1`` of the line
    ``station_of`` (``times`` and ``arcs`` of the whole line), with its
    bound: both directions' (:meth:`.prepare.Prepared.lower_bound`) and
    the pair bound, the latter two only where the first leaves a gap
    (prepared without dominance: the bounds do not need it)."""
    tasks = np.flatnonzero((station_of >= first) & (station_of < end))
    local = station_of[tasks] - first
    width = end - first
    sub = window_arcs(arcs, tasks, times.size)
    c = np.array([cap], dtype=np.int64)
    t = times[tasks][:, None]
    fwd = prepare(t, c, sub, dominance=False)
    lb = fwd.lower_bound()
    if lb < width:
        bwd = prepare(t, c, sub[:, ::-1], dominance=False)
        lb = max(lb, bwd.lower_bound(),
                 pair_bound(fwd.closure, fwd.times[:, 0], cap))
    return Window(first, width, tasks, local, sub, lb)


def solve_window(times: np.ndarray, cap: int, window: Window,
                 seed: int = 0,
                 work_limit: int = WINDOW_WORK) -> WindowLine:
    """The fewest stations the solver finds for the window's tasks
    (``times`` of the whole line; the window's own line when nothing
    shorter is found or its bound is its width).

    The priority rules, the beam and local search of
    :func:`.upper.improve_line` from the rules' line (not from the
    window's: on the generated lines a fresh start finds what the
    window's own line, already a local optimum, does not), then the
    exact search (:func:`.search.search_both`) within ``work_limit``
    work from the best line so far, each only while the line is above
    the window's bound.
    """
    best_of, best, lb = window.local, window.width, window.lb
    if lb >= best:
        return WindowLine(window.tasks, best_of, best, 0)
    c = np.array([cap], dtype=np.int64)
    t = times[window.tasks][:, None]
    fwd = prepare(t, c, window.arcs)
    bwd = prepare(t, c, window.arcs[:, ::-1])
    rules_of, rules = greedy_lines(fwd, WINDOW_RESTARTS, seed)
    mirror_of, mirror = greedy_lines(bwd, WINDOW_RESTARTS, seed)
    if mirror < rules:
        rules_of, rules = mirror - 1 - mirror_of, mirror
    if rules < best:
        best_of, best = rules_of, rules
    if best > lb:
        line = upper.improve_line(fwd, bwd, rules_of, rules, lb, seed,
                                  WINDOW_MOVES_PER_TASK, widest=WINDOW_WIDEST)
        if line.n_stations < best:
            best_of, best = line.station_of, line.n_stations
    nodes = 0
    if best > lb:
        found = search_both(fwd, bwd, best, best_of, lb,
                            search_clock() + WINDOW_SAFETY_SECONDS,
                            work_limit=work_limit,
                            lead=lead_direction(fwd, bwd))
        nodes = found.nodes
        if found.ub < best:
            best_of, best = found.station_of, found.ub
    return WindowLine(window.tasks, np.asarray(best_of, dtype=np.int64),
                      int(best), nodes)


def splice(station_of: np.ndarray, first: int, width: int,
           line: WindowLine) -> np.ndarray:
    """``station_of`` with the window of ``width`` stations from
    ``first`` replaced by ``line`` (later stations move up by the
    stations saved)."""
    out = station_of.copy()
    out[out >= first + width] -= width - line.n_stations
    out[line.tasks] = first + line.station_of
    return out


def window_ends(counts: np.ndarray, size: int) -> list[tuple[int, int]]:
    """The windows of about ``size`` tasks on a line with ``counts``
    tasks per station, as ``(first, end)`` station ranges: each the
    fewest whole stations from its first holding at least ``size``
    tasks, sliding by :data:`STEP_SHARE` of its stations, the last one
    ending at the end of the line (the whole line if it holds fewer)."""
    m = counts.size
    total = np.concatenate([[0], np.cumsum(counts)])
    spans: list[tuple[int, int]] = []
    first = 0
    while True:
        end = int(np.searchsorted(total, total[first] + size)) if (
            total[first] + size <= total[m]) else m
        if end >= m:
            # the last window: the size's worth before the end
            start = int(np.searchsorted(total, total[m] - size, "right")) - 1
            spans.append((max(0, min(first, start)), m))
            return spans
        spans.append((first, end))
        first += max(1, int((end - first) * STEP_SHARE))


def improve_by_windows(times: np.ndarray, cap: int, arcs: np.ndarray,
                       station_of: np.ndarray, lb: int,
                       sizes: tuple[int, ...] = SIZES,
                       max_solves: int = MAX_SOLVES,
                       work_limit: int = WINDOW_WORK,
                       seed: int = 0,
                       budget: float | None = None) -> WindowOutcome:
    """Fewer stations for a valid line by re-solving windows.

    A pass computes the bounds of the windows of each of ``sizes``
    (tasks, :func:`window_ends`) and solves those whose bound is below
    their width, the widest gap first (:func:`solve_window`), until one
    saves a station: it is spliced in and the next pass starts. A
    window solved in vain is not solved again while its tasks and their
    stations stay the same. The passes stop at ``lb`` stations, when no
    window saves a station, after ``max_solves`` windows solved, or
    once the solves' charges (:func:`solve_charge`) reach ``budget``
    seconds (when given).

    Parameters
    ----------
    times
        Integer task times ``(n,)``.
    cap
        The cycle time.
    arcs
        Precedence arcs ``(pred, succ)``, 0-based, ``(E, 2)``.
    station_of
        0-based station of each task in a valid line without empty
        stations.
    lb
        A lower bound on the stations (the passes stop there).
    max_solves, work_limit
        Windows solved at most, and the exact search's work on each.
    seed
        Seed of the randomised heuristics (one more per window solved).
    """
    times = np.asarray(times, dtype=np.int64)
    arcs = np.asarray(arcs, dtype=np.int64).reshape(-1, 2)
    of = np.asarray(station_of, dtype=np.int64).copy()
    m0 = m = int(of.max()) + 1 if of.size else 0
    nodes = windows = solves = 0
    charged = 0.0
    closed: set[bytes] = set()  # windows at their bound or solved in vain

    def spent() -> bool:
        return solves >= max_solves or (budget is not None
                                        and charged >= budget)

    while m > lb and not spent():
        counts = np.bincount(of, minlength=m)
        open_: list[Window] = []
        for size in sizes:
            for first, end in window_ends(counts, size):
                tasks = np.flatnonzero((of >= first) & (of < end))
                if window_key(tasks, of[tasks] - first) in closed:
                    continue
                window = open_window(times, cap, arcs, of, first, end)
                windows += 1
                if window.lb >= window.width:
                    closed.add(window.key)
                elif window.key not in closed:
                    open_.append(window)
        open_.sort(key=lambda w: (w.lb - w.width, w.first))
        saved = False
        for window in open_:
            if spent():
                break
            line = solve_window(times, cap, window, seed + solves, work_limit)
            solves += 1
            charged += solve_charge(window.tasks.size)
            nodes += line.nodes
            if line.n_stations < window.width:
                of = splice(of, window.first, window.width, line)
                m -= window.width - line.n_stations
                saved = True
                break
            closed.add(window.key)
        if not saved:
            break
    return WindowOutcome(station_of=of, n_stations=m, saved=m0 - m,
                         windows=windows, solves=solves, nodes=nodes,
                         charged=charged)


def improve_long_line(fwd: Prepared, bwd: Prepared, station_of: np.ndarray,
                      ub: int, lb: int, seed: int = 0,
                      budget: float | None = None) -> upper.UpperLine:
    """:func:`.upper.improve_line` (beam and local search), then, on
    lines of :data:`.upper.LARGE_TASKS` tasks or more still above
    ``lb``, :func:`improve_by_windows` on its line: windows of
    :data:`SIZES`, at most :data:`MAX_SOLVES` solved, then the wide
    pass, windows of :data:`WIDE_SIZES`.

    ``budget`` (seconds, charged as counts: :func:`.upper.beam_charge`,
    :func:`.upper.moves_charge`, :func:`solve_charge`) is the whole
    phase's on lines of :data:`.upper.LARGE_TASKS` tasks or more: up to
    :data:`UPPER_SHARE` of it for the beams and local searches, the
    first windows out of what is left, and :data:`WIDE_SHARE` of what
    is left then for the wide pass; the returned ``charged`` says what
    was spent (the exact search's budget comes out of the rest). On
    shorter lines the beam and local search run on their own work
    counts, uncharged. Without a budget there is no wide pass.

    ``fwd``/``bwd`` are the instance and its mirror, ``station_of`` a
    valid line of ``ub`` stations; one dimension only (SALBP-1).
    """
    large = fwd.n_tasks >= upper.LARGE_TASKS
    best = upper.improve_line(
        fwd, bwd, station_of, ub, lb, seed,
        budget=UPPER_SHARE * budget if budget is not None and large
        else None)
    if not large or best.n_stations <= lb:
        return best
    spent = best.charged

    def left() -> float | None:
        return None if budget is None else max(0.0, budget - spent)

    times, cap, arcs = fwd.times[:, 0], int(fwd.cap[0]), upper.arcs_of(fwd)
    found = improve_by_windows(times, cap, arcs, best.station_of, lb,
                               seed=seed, budget=left())
    solves, charged = found.solves, found.charged
    spent += found.charged
    rest = left()
    if rest is not None and found.n_stations > lb:
        found = improve_by_windows(times, cap, arcs, found.station_of, lb,
                                   sizes=WIDE_SIZES, max_solves=1 << 30,
                                   seed=seed + solves,
                                   budget=WIDE_SHARE * rest)
        solves += found.solves
        charged += found.charged
        spent += found.charged
    saved = best.n_stations - found.n_stations
    if saved:
        best = replace(best, station_of=found.station_of,
                       n_stations=found.n_stations)
    return replace(best, window_solves=solves, window_saved=saved,
                   window_charged=charged, charged=spent)
