"""The upper-bound phase for large lines: beam search, then local search.

On lines of many hundreds of tasks the exact search (:mod:`.search`)
cannot enumerate loads fast enough to improve a priority-rule line by
the stations a better one saves. This phase runs first there:

1. :func:`._upper.station_beam` forward and on the mirror, with the
   priority rules of :mod:`.heuristic` (ranked, so they share one
   scale) and each of them blended with the task time, perturbed by
   seeded noise for the extra loads;
2. :func:`._upper.empty_stations` from the better of the two lines,
   stopped at the lower bound;
3. (in :func:`.window.improve_long_line`, which calls this phase) on
   lines of :data:`LARGE_TASKS` or more still above the bound, the
   window re-solve of :mod:`.window` (runs of consecutive stations
   solved as small instances, a saving spliced in).

All stop on work counts (candidate tasks looked at, moves tried,
windows solved and the exact search's work on each), so the line is
the same on every machine and load. Given a budget in seconds, the
phase charges each beam and local search what it costs one core
(:func:`beam_charge`, :func:`moves_charge`: counts, not a clock) and
runs a wider beam only where the charge it predicts still fits.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from taktplan.balance._upper import empty_stations, station_beam
from taktplan.balance.heuristic import priority_rules
from taktplan.balance.search import tiny_instance, warm_once
from taktplan.stop_request import raise_if_stopped

if TYPE_CHECKING:
    from taktplan.balance.prepare import Prepared

#: Lines with at least this many tasks get the phase whenever the
#: priority rules leave a gap; below it only where they leave
#: :data:`WIDE_GAP` stations or more. (On Scholl's set, 160 instances
#: of 50 tasks or more are left a gap: the phase on all of them took
#: 29 s of CPU, 0.55 s each on SCHOLL's 297 tasks, where the exact
#: search closes them anyway; 20 are left two stations or more, and the
#: phase found the optimum on 19 in 2.9 s of CPU in all.)
LARGE_TASKS = 400

#: A gap of this many stations after the priority rules calls for the
#: phase on a line of any size.
WIDE_GAP = 2

#: States kept per station, and loads tried per state, by the beam.
BEAM_WIDTH = 64
BEAM_LOADS = 24

#: States kept per station in a second beam (then local search) on
#: lines of :data:`LARGE_TASKS` or more, the better line kept
#: (generated 1,000-task lines, middle times, OS 0.6/0.9, mixed and
#: chains: 507, 535, 540, 544 stations at this width against 508, 538,
#: 543, 550 at width 64, but 1 more on three others; 3-6 s of CPU).
BEAM_WIDTH_LARGE = 256

#: A third beam (then local search) at this width on lines of
#: :data:`LARGE_TASKS` to :data:`WIDEST_MAX_TASKS` tasks still
#: :data:`WIDE_GAP` or more short of the bound after the second
#: (generated 1,000-task lines, middle times: 1-4 stations fewer on 6 of
#: 7 lines with a gap, 11-26 s of CPU more;
#: the beam's work grows about as width times n squared, so longer
#: lines stop at the second width).
BEAM_WIDTH_WIDEST = 1024
WIDEST_MAX_TASKS = 1500

#: Noise of the extra loads' priorities (rules are on a 0..1 scale).
BEAM_NOISE = 0.3

#: Candidate tasks the beam may look at per direction (a safety net: at
#: the width above a 3,000-task line needs a few times 10**9).
BEAM_WORK = 20_000_000_000

#: Moves the local search may try, per task of the line.
MOVES_PER_TASK = 20_000

#: What a beam is charged of a budget, in seconds: per candidate task
#: looked at, and per state kept (its width times the stations of its
#: line). Fitted on 14 beams of widths 64-1,024 on generated lines of
#: 400, 1,000 and 3,000 tasks (0.17-10.7 s of CPU on one core of the
#: benchmark machine; the charge is 0.84-1.29 times the CPU time
#: on seven of them, BENCHMARKS.md, 1,000-task lines, round 10).
BEAM_SECONDS_PER_WORK = 3e-9
BEAM_SECONDS_PER_STATE = 8e-6

#: What the local search is charged per move tried, in seconds (1.1-1.5
#: s of CPU for 20 million moves on the generated 1,000-task lines).
SECONDS_PER_MOVE = 7.5e-8

#: Simulated annealing: start temperature (share of the squared cycle)
#: and how often it is reheated over the budget.
HEAT = 0.02
ANNEALS = 4


@dataclass(frozen=True)
class UpperLine:
    """A line found by the phase: stations per task, their count, and
    the work spent (beam candidates looked at, moves tried, windows
    solved by :mod:`.window`, the stations they saved and the seconds
    of budget they were charged, :func:`.window.solve_charge`);
    ``charged``: the seconds of budget charged in all, beams and local
    searches (:func:`beam_charge`, :func:`moves_charge`) and windows."""

    station_of: np.ndarray
    n_stations: int
    beam_work: int
    moves: int
    window_solves: int = 0
    window_saved: int = 0
    window_charged: float = 0.0
    charged: float = 0.0


def beam_rules(prep: Prepared) -> np.ndarray:
    """The beam's priority rules ``(R, n)`` on a 0..1 scale (by rank):
    the rules of :func:`.heuristic.priority_rules`, then each averaged
    with the task time (a fuller station first)."""
    n = prep.n_tasks
    scale = max(1, n - 1)

    def ranked(x: np.ndarray) -> np.ndarray:
        order = np.argsort(np.argsort(x, kind="stable"), kind="stable")
        return order / scale

    base = [ranked(r) for r in priority_rules(prep)]
    size = ranked(prep.times[:, 0].astype(np.float64))
    rules = base + [0.5 * (r + size) for r in base]
    return np.ascontiguousarray(np.array(rules, dtype=np.float64))


def beam_charge(work: int, width: int, n_stations: int) -> float:
    """Seconds of budget a beam of ``width`` that looked at ``work``
    candidate tasks for a line of ``n_stations`` is charged
    (:data:`BEAM_SECONDS_PER_WORK`, :data:`BEAM_SECONDS_PER_STATE`)."""
    return (BEAM_SECONDS_PER_WORK * work
            + BEAM_SECONDS_PER_STATE * width * n_stations)


def moves_charge(moves: int) -> float:
    """Seconds of budget ``moves`` moves of the local search are charged
    (:data:`SECONDS_PER_MOVE`)."""
    return SECONDS_PER_MOVE * moves


def wanted(n_tasks: int, ub: int, lb: int) -> bool:
    """Whether a line of ``n_tasks`` whose priority-rule line has ``ub``
    stations against the bound ``lb`` gets the phase."""
    return ub - lb >= WIDE_GAP or (ub > lb and n_tasks >= LARGE_TASKS)


def improve_line(fwd: Prepared, bwd: Prepared, station_of: np.ndarray,
                 ub: int, lb: int, seed: int = 0,
                 moves_per_task: int = MOVES_PER_TASK,
                 widest: bool = True,
                 budget: float | None = None) -> UpperLine:
    """The best of ``station_of`` (``ub`` stations) and, per beam width
    (:data:`BEAM_WIDTH`, and on lines of :data:`LARGE_TASKS` or more
    also :data:`BEAM_WIDTH_LARGE`, then up to :data:`WIDEST_MAX_TASKS`
    tasks :data:`BEAM_WIDTH_WIDEST`), the beam's lines both ways and the
    local search from the better of them; each width only while the
    best line is above ``lb`` (the widest while :data:`WIDE_GAP` or more
    above). The window re-solve comes on top in
    :func:`.window.improve_long_line`.

    One dimension only (SALBP-1). ``lb`` stops the local search;
    ``moves_per_task`` is the local search's budget per task;
    ``widest=False`` leaves out the widest beam. With a ``budget``
    (seconds) a width after the first runs only where what the last one
    was charged, scaled by the widths, and the local search's charge
    still fit in what is left (the beam's work grows with its width).
    """
    widths = [BEAM_WIDTH]
    if fwd.n_tasks >= LARGE_TASKS:
        widths.append(BEAM_WIDTH_LARGE)
        if widest and fwd.n_tasks <= WIDEST_MAX_TASKS:
            widths.append(BEAM_WIDTH_WIDEST)
    best = UpperLine(station_of=np.asarray(station_of, dtype=np.int64),
                     n_stations=ub, beam_work=0, moves=0)
    work = moves = 0
    charged = 0.0
    last_width, last_beams = 0, 0.0
    for width in widths:
        if budget is not None and last_width:
            predicted = (last_beams * width / last_width
                         + moves_charge(moves_per_task * fwd.n_tasks))
            if charged + predicted > budget:
                break
        line = _beam_then_search(fwd, bwd, station_of, ub, lb, seed, width,
                                 moves_per_task)
        work += line.beam_work
        moves += line.moves
        charged += line.charged
        last_width, last_beams = width, line.charged - moves_charge(
            line.moves)
        if line.n_stations < best.n_stations:
            best = line
        if best.n_stations - lb < (WIDE_GAP if width == BEAM_WIDTH_LARGE
                                   else 1):
            break
    return UpperLine(station_of=best.station_of, n_stations=best.n_stations,
                     beam_work=work, moves=moves, charged=charged)


def arcs_of(prep: Prepared) -> np.ndarray:
    """The prepared instance's arcs ``(pred, succ)``, ``(E, 2)``."""
    succ = np.repeat(np.arange(prep.n_tasks, dtype=np.int64),
                     np.diff(prep.pred_ptr))
    return np.stack([prep.pred_idx, succ], axis=1)


def _beam_then_search(fwd: Prepared, bwd: Prepared, station_of: np.ndarray,
                      ub: int, lb: int, seed: int, width: int,
                      moves_per_task: int = MOVES_PER_TASK) -> UpperLine:
    """:func:`improve_line` at one beam width."""
    cap = int(fwd.cap[0])
    best_of, best = station_of, ub
    work = 0
    charged = 0.0
    for mirror, prep in ((False, fwd), (True, bwd)):
        of, m, w = station_beam(
            np.ascontiguousarray(prep.times[:, 0]), cap,
            np.ascontiguousarray(prep.w2[:, 0]),
            np.ascontiguousarray(prep.w3[:, 0]), prep.pred_ptr,
            prep.succ_ptr, prep.succ_idx, beam_rules(prep), width,
            BEAM_LOADS, BEAM_NOISE, seed, BEAM_WORK)
        work += int(w)
        charged += beam_charge(int(w), width, int(m) if m > 0 else ub)
        if 0 < m < best:
            best = int(m)
            best_of = m - 1 - of if mirror else of
    moves = 0
    if best > lb:
        t = np.ascontiguousarray(fwd.times[:, 0])
        of, m, tried = empty_stations(
            t, cap, fwd.pred_ptr, fwd.pred_idx, fwd.succ_ptr, fwd.succ_idx,
            np.asarray(best_of, dtype=np.int64), lb,
            moves_per_task * fwd.n_tasks, seed, HEAT, ANNEALS)
        moves = int(tried)
        if m < best:
            best_of, best = of, int(m)
    # a Ctrl-C inside the kernels only marked the stop (they end on it)
    raise_if_stopped()
    return UpperLine(station_of=np.asarray(best_of, dtype=np.int64),
                     n_stations=best, beam_work=work, moves=moves,
                     charged=charged + moves_charge(moves))


def _warm_up_upper() -> None:
    """Compile (or load) the beam and the local search, on the tiny
    instance of the warm-ups (benchmarks call it before their clocks;
    the phase itself needs no warm-up: it stops on work counts)."""
    fwd, bwd = tiny_instance()
    improve_line(fwd, bwd, np.arange(4, dtype=np.int64), 4, 1)


warm_up = warm_once(_warm_up_upper)
