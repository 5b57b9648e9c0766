"""Exact station-oriented search with memory for two-sided lines.

The decision "do ``M`` stations at cycle ``c`` suffice?" is answered by
a depth-first search that fills one station at a time (Hu et al.'s
station-oriented enumeration for two-sided lines, with Schollean
branch-bound-remember): inside a station tasks are appended in order of
start time (:mod:`.station`), only maximal loads close a station (a free
task that could still be appended can always be moved forward), and a
set of finished tasks that once failed from station ``k`` is remembered
and cut whenever it comes back at station ``k`` or later. Nodes are
pruned by the side-aware work bound of the remaining tasks against the
capacity left (the open station's position ends plus the stations
after it). A node budget stops it, so the same instance always gives the
same answer.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from taktplan.balance.twosided.station import Prepared, StationState

if TYPE_CHECKING:
    from taktplan.balance.twosided.heuristic import Placement


class BudgetExhausted(Exception):
    """The search used up its node budget before it could decide."""


class StationSearch:
    """One decision search: ``M`` stations at cycle ``c``.

    Parameters
    ----------
    prep
        The prepared instance.
    c
        Cycle time.
    max_stations
        Stations available.
    node_limit
        Nodes allowed before :class:`BudgetExhausted`.
    """

    def __init__(self, prep: Prepared, c: int, max_stations: int,
                 node_limit: int) -> None:
        self.prep = prep
        self.c = c
        self.m = max_stations
        self.node_limit = node_limit
        self.nodes = 0
        self.failed: dict[int, int] = {}
        self.line: Placement = []
        self.order = sorted(range(prep.n), key=lambda i: -prep.weight[i])
        self.priority = {i: r for r, i in enumerate(self.order)}
        self.per = prep.per_side * c

    def run(self) -> Placement | None:
        """A line within the stations, or ``None`` when none exists;
        raises :class:`BudgetExhausted` when the budget runs out."""
        if self._station(0, 0):
            return [list(s) for s in self.line]
        return None

    def _stations_needed(self, wl: int, wr: int, w: int) -> int:
        if self.prep.two_sided:
            return math.ceil(max(wl, wr, w / 2) / self.per - 1e-9)
        return math.ceil(w / self.per - 1e-9)

    def _station(self, k: int, done: int) -> bool:
        p = self.prep
        if done == p.full:
            return True
        if k >= self.m:
            return False
        seen = self.failed.get(done)
        if seen is not None and seen <= k:
            return False
        wl, wr, w = p.side_work(p.full & ~done)
        if k + self._stations_needed(wl, wr, w) > self.m:
            self.failed[done] = k
            return False
        st = StationState(p, self.c, k, done)
        if self._fill(st, wl, wr, w):
            return True
        self.failed[done] = k
        return False

    def _fits(self, st: StationState, wl: int, wr: int, w: int) -> bool:
        """Whether the remaining work can still fit: the open station's
        room after each position's end plus the stations after it."""
        p = self.prep
        after = self.m - st.index - 1
        c = self.c
        if not p.two_sided:
            room = sum(c - f for f in st.pos_finish) + after * self.per
            return w <= room
        left = right = 0
        for q, s in enumerate(p.pos_side):
            if s == 1:
                left += c - st.pos_finish[q]
            else:
                right += c - st.pos_finish[q]
        left += after * self.per
        right += after * self.per
        return wl <= left and wr <= right and w <= left + right

    def _fill(self, st: StationState, wl: int, wr: int, w: int) -> bool:
        self.nodes += 1
        if self.nodes > self.node_limit:
            raise BudgetExhausted
        p = self.prep
        moves = st.moves(canonical=True)
        moves.sort(key=lambda m: (self.priority[m[0]], m[2], m[1]))
        free_move = False
        for i, q, start in moves:
            if not (p.grouped_mask >> i) & 1:
                free_move = True
            ti = p.t[i]
            nl = wl - ti if p.side[i] == 1 else wl
            nr = wr - ti if p.side[i] == 2 else wr
            undo = st.push(i, q, start)
            if self._fits(st, nl, nr, w - ti) and self._fill(st, nl, nr,
                                                              w - ti):
                return True
            st.pop(undo)
        if free_move or (not st.tasks and moves) or not st.can_close():
            return False
        if not st.maximal():
            return False
        self.line.append(list(st.placed))
        if self._station(st.index + 1, st.done | st.tasks):
            return True
        self.line.pop()
        return False
