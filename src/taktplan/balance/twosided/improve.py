"""Local search that shortens the cycle of a two-sided line (type II).

The greedy lines of :mod:`.heuristic` fill stations to the brim, which
leaves the last station long when the number of stations is fixed. This
search moves one task at a time from a station whose time is the cycle
to another operator position, of its own station or of a station
between its predecessors' and its followers' (so precedence keeps), and
takes the best move by (cycle, sum of squared station times) until none
improves. A station's schedule is rebuilt by list scheduling: its tasks
one after another, each time the ready task (its predecessors in the
station done, on either side) that can start first on its position,
ties by its start in the line it came from. Moves are counted, not
timed: the same line and budget give the same result on any machine.
Tasks under a zoning rule (together, apart, pinned) stay where they
are.

A mixed-model segment's variants (the problem's extra dimensions) time
each station again with the same position orders; a station then
counts as the longest of its times, each on the scale of the cycle
(:mod:`._improve`), so the search shortens the weighted cycle and
brings every variant within its limit at once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from taktplan.balance.twosided.heuristic import (
    csr,
    cycle_of,
    staffed_positions,
)
from taktplan.stop_request import raise_if_stopped

if TYPE_CHECKING:
    from collections.abc import Sequence

    from taktplan.balance.twosided.heuristic import Placement
    from taktplan.balance.twosided.station import Prepared


class _Line:
    """A line as the compiled search reads it: each task's station,
    position and list-schedule tie-break (its start in the line it came
    from, then its rank), predecessors and successors as CSR arrays."""

    def __init__(self, prep: Prepared, line: Placement) -> None:
        n = prep.n
        self.prep = prep
        self.m = len(line)
        self.station = np.zeros(n, dtype=np.int64)
        self.pos = np.zeros(n, dtype=np.int64)
        self.key = np.zeros(n, dtype=np.float64)
        for k, st in enumerate(line):
            for i, q, start in st:
                self.station[i] = k
                self.pos[i] = q
                self.key[i] = start + prep.rank[i] / (n + 1.0)
        self.t = np.asarray(prep.t, dtype=np.int64)
        self.xt = (np.asarray(prep.extra_t, dtype=np.int64).reshape(
            n, len(prep.extra_cap)))
        self.caps = np.asarray(prep.extra_cap, dtype=np.int64)
        self.xw = np.asarray(prep.extra_w, dtype=np.int64)
        self.side = np.asarray(prep.side, dtype=np.int64)
        self.pos_side = np.asarray(prep.pos_side, dtype=np.int64)
        succs: list[list[int]] = [[] for _ in range(n)]
        for j in range(n):
            for i in prep.preds[j]:
                succs[i].append(j)
        self.pred_ptr, self.pred_idx = csr([list(p) for p in prep.preds])
        self.succ_ptr, self.succ_idx = csr(succs)
        self.fixed = np.array(
            [prep.pin[i] >= 0 or bool((prep.grouped_mask >> i) & 1)
             or bool(prep.apart_mask[i]) for i in range(n)], dtype=np.bool_)

    def search(self, ref: int, over: int, max_moves: int, kick: int,
               target: int, seed: int, fewer: bool, patience: int
               ) -> tuple[np.ndarray, np.ndarray, int, bool]:
        """Run the compiled local search (:func:`._improve.local_search`)
        from this line; a Ctrl-C during it, which only marked the stop
        (it ends the search), raises :class:`KeyboardInterrupt` here."""
        # numba loads with the first search, not on import (`taktplan
        # check` and `--help` import the plant's balance stage)
        from taktplan.balance.twosided._improve import local_search

        inst = (self.t, self.xt, self.caps, self.xw, self.key,
                self.pred_ptr, self.pred_idx, self.succ_ptr, self.succ_idx,
                self.side, self.pos_side, self.fixed)
        station, pos, used, lowered = local_search(
            inst, ref, over, self.station, self.pos, self.m, max_moves,
            kick, target, seed, fewer, patience)
        raise_if_stopped()
        return station, pos, int(used), bool(lowered)

    def placement(self, station: np.ndarray, pos: np.ndarray) -> Placement:
        """The line with tasks on ``station``/``pos``, each station list
        scheduled, in the searches' format."""
        from taktplan.balance.twosided._improve import station_schedule

        out: Placement = []
        for k in range(self.m):
            tasks = np.flatnonzero(station == k).astype(np.int64)
            order, qs, starts = station_schedule(
                tasks, self.t, pos, self.key, self.pred_ptr, self.pred_idx,
                len(self.pos_side))
            out.append(sorted(((int(i), int(q), int(s)) for i, q, s in
                               zip(order, qs, starts, strict=True)),
                              key=lambda x: (x[2], x[1])))
        return out


def order_makespan(sched: list[tuple[int, int, int]],
                   preds: Sequence[Sequence[int]],
                   t: Sequence[float] | np.ndarray) -> float:
    """The time of a station whose positions keep ``sched``'s task
    orders (``(task, position, start)``, in start order), timed with
    ``t``: each task after its position's previous task and its
    predecessors in the station (as :class:`.station.StationBuilder`
    times a variant)."""
    finish: dict[int, float] = {}
    pos_end: dict[int, float] = {}
    for i, q, _ in sorted(sched, key=lambda x: (x[2], x[1], x[0])):
        ready = pos_end.get(q, 0)
        for a in preds[i]:
            f = finish.get(a)
            if f is not None and f > ready:
                ready = f
        finish[i] = pos_end[q] = ready + t[i]
    return max(pos_end.values(), default=0)


def extra_spans(prep: Prepared, sched: list[tuple[int, int, int]]
                ) -> list[int]:
    """A station's time in each extra dimension (:func:`order_makespan`
    with that dimension's times)."""
    return [int(order_makespan(sched, prep.preds,
                               [row[d] for row in prep.extra_t]))
            for d in range(len(prep.extra_cap))]


def within_extra(prep: Prepared, line: Placement, c: int) -> bool:
    """Whether every station of ``line`` keeps every extra dimension
    within its limit and their weighted mean within the cycle ``c``."""
    for st in line:
        spans = extra_spans(prep, st)
        if any(x > cap for x, cap in zip(spans, prep.extra_cap,
                                         strict=True)):
            return False
        if prep.extra_w and sum(w * x for w, x in zip(
                prep.extra_w, spans, strict=True)) > sum(prep.extra_w) * c:
            return False
    return True


def improve_cycle(prep: Prepared, line: Placement, max_moves: int,
                  seed: int = 0, kick: int = 5,
                  target: int | None = None) -> tuple[Placement, int]:
    """A line with a cycle no longer than ``line``'s, after at most
    ``max_moves`` evaluated moves (a move in a station of more than
    :data:`._improve.MOVE_TASKS` tasks counts more, as its work grows
    with them); returns it (``line`` itself when the search found
    nothing shorter) and the moves used. The search is compiled
    (:func:`._improve.local_search`): about a million moves a second on
    stations of 5-10 tasks, 200,000 on P205's of 20-50.

    After the first descent the search is iterated: ``kick`` seeded
    random moves (within precedence, ignoring the cycle; 5 by default:
    with 3, P205's lines on 4-13 stations after 600,000 moves summed
    10.34 times their bounds against 10.26 with 5, and the type-I fits
    at 1699 and 2643 did not reach the cycle), then a descent again;
    the result is kept when its (cycle, sum of squares) is no worse than
    the best, so the search also walks along plateaus. With ``target``
    it stops once the cycle is within it.

    With extra dimensions (variants) a station counts as the longest of
    its weighted time, its variants' times on the scale of ``target``
    (else of ``line``'s cycle) and their weighted mean; the search first
    lowers the station times' sum above ``target`` (one move seldom
    lowers the longest of several dimensions, and a search on it
    stalls), and a line is returned only if every variant is within its
    limit and their mean within the cycle: ``line`` may break them (a
    start from the weighted times alone); the result then keeps them or
    is ``line`` itself.
    """
    if not line:
        return line, 0
    s = _Line(prep, line)
    ref = target if target is not None else cycle_of(prep, line)
    over = target if (prep.extra_cap and target is not None) else -1
    station, pos, used, lowered = s.search(
        ref, over, max_moves, kick, -1 if target is None else target,
        seed, False, -1)
    out = s.placement(station, pos)
    if prep.extra_cap:
        cap = target if target is not None else cycle_of(prep, out)
        if not lowered or not within_extra(prep, out, cap):
            return line, used
        return out, used
    if cycle_of(prep, out) >= cycle_of(prep, line):
        return line, used
    return out, used


def fewer_positions(prep: Prepared, line: Placement, c: int,
                    max_moves: int, goal: int, seed: int = 0,
                    kick: int = 5) -> tuple[Placement, int]:
    """A line within cycle ``c`` with fewer staffed positions than
    ``line`` (itself within ``c``), after at most ``max_moves`` moves:
    the operator mode of the local search (:func:`._improve.local_search`
    with ``fewer``). It gathers work on fewer positions (the sum of
    squared position loads up) while no station goes above ``c``, until
    a position drains; it stops at ``goal`` staffed positions, or after
    :data:`DRAIN_PATIENCE` kicks in a row that neither staff fewer
    positions nor lighten the least-loaded one. Returns the line
    (``line`` itself when no position was freed) and the moves used."""
    if not line:
        return line, 0
    s = _Line(prep, line)
    station, pos, used, _ = s.search(c, c, max_moves, kick, goal, seed,
                                     True, DRAIN_PATIENCE)
    out = s.placement(station, pos)
    if (cycle_of(prep, out) > c
            or staffed_positions(out) >= staffed_positions(line)
            or (prep.extra_cap and not within_extra(prep, out, c))):
        return line, used
    return out, used


#: Kicks in a row without progress after which the operator mode stops.
#: A run that frees nothing otherwise spends all its moves: on the
#: built-in plant (one operator a side, no position to free) 4 million a
#: segment, its balance 10.5 s -> 23 s. With 50: 10.7 s; P205 at 1888
#: and 2266 still drain a position (134,000 and 176,000 moves), 2643
#: gives up after 131,000 instead of 600,000; the plant's chassis with
#: two operators a side ends at 21 operators instead of 20 (20 with
#: 300 kicks, at 16.7 s of balance; 20 kicks lose 1888's position).
DRAIN_PATIENCE = 50


__all__ = ["extra_spans", "fewer_positions", "improve_cycle",
           "order_makespan", "within_extra"]
