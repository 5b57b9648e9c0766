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

With ``max_positions`` the search also keeps the staffed operator
positions of the whole line within that number (fewest operators at a
given station count): an empty position opens only while the budget
allows, a node is cut when the positions already staffed plus those the
remaining work needs exceed it, and only loads to which no free task
could be appended on an already staffed position close a station
(moving such a task forward never adds a position).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from taktplan.balance.twosided.station import Prepared, StationState

if TYPE_CHECKING:
    from collections.abc import Sequence

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
    max_positions
        Staffed operator positions allowed over the line (``None``: any).
    early
        Per task the earliest 0-based station any line of
        ``max_stations`` stations at ``c`` can hold it in (the station
        windows of :func:`.bounds.station_windows`), or ``None``: only
        tasks within their window can fill the open station.
    """

    def __init__(self, prep: Prepared, c: int, max_stations: int,
                 node_limit: int, max_positions: int | None = None,
                 canonical: bool = True,
                 early: Sequence[int] | None = None) -> None:
        self.prep = prep
        self.c = c
        self.m = max_stations
        self.node_limit = node_limit
        self.nodes = 0
        self.failed: dict[int | tuple[int, int], int] = {}
        self.line: Placement = []
        self.order = sorted(range(prep.n), key=lambda i: -prep.weight[i])
        self.priority = {i: r for r, i in enumerate(self.order)}
        self.per = prep.per_side * c
        self.max_positions = max_positions
        self.canonical = canonical
        self.staffed = 0  # positions staffed in the closed stations
        self.late = self._late_masks()
        self._reach: list[dict[int, int]] = [{} for _ in range(self.m + 1)]
        self.early = early
        self._topo = sorted(range(prep.n), key=lambda i: prep.rank[i])
        # per open station: the work of the tasks that can still join it
        # (left-only, right-only, all) less the work to do at its start
        self._cand: list[tuple[int, int, int]] = [(0, 0, 0)] * (self.m + 1)

    def _late_masks(self) -> list[int]:
        """Per station index ``k`` the tasks that must be done before it:
        a task and its followers need at least as many stations as their
        side-aware work and their longest chain ask for, so a task sits
        no later than ``m`` minus that (its latest station)."""
        p = self.prep
        succ: list[list[int]] = [[] for _ in range(p.n)]
        for j in range(p.n):
            for i in p.preds[j]:
                succ[i].append(j)
        below = [0] * p.n
        tail = list(p.t)
        for i in sorted(range(p.n), key=lambda x: -p.rank[x]):
            for j in succ[i]:
                below[i] |= below[j] | (1 << j)
                tail[i] = max(tail[i], p.t[i] + tail[j])
        late = [0] * (self.m + 1)
        for i in range(p.n):
            need = max(self._stations_needed(*p.side_work(
                below[i] | (1 << i))), -(-tail[i] // self.c))
            for k in range(max(0, self.m - need + 1), self.m + 1):
                late[k] |= 1 << i
        return late

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
        if k >= self.m or self.late[k] & ~done:
            return False
        key = done if self.max_positions is None else (done, self.staffed)
        seen = self.failed.get(key)
        if seen is not None and seen <= k:
            return False
        wl, wr, w = p.side_work(p.full & ~done)
        if k + self._stations_needed(wl, wr, w) > self.m:
            self.failed[key] = k
            return False
        cand = self.candidates(k, done)
        # the tasks that cannot join station k go to the stations after
        # it: those that must be done by then, or more than they hold,
        # fail here
        rest = p.full & ~done & ~cand
        if self.late[k + 1] & rest or k + 1 + self._stations_needed(
                *p.side_work(rest)) > self.m:
            self.failed[key] = k
            return False
        st = StationState(p, self.c, k, done)
        self._reach[k] = self.side_sums(done, cand)
        cl, cr, cw = p.side_work(cand)
        self._cand[k] = (cl - wl, cr - wr, cw - w)
        if self._fill(st, wl, wr, w, set()):
            return True
        self.failed[key] = k
        return False

    def candidates(self, k: int, done: int) -> int:
        """The tasks that can join station ``k`` after ``done``: each of
        its predecessors done or itself one, not pinned elsewhere, within
        its station window, and the longest chain of them ending in it
        (which runs one task after another whatever the sides) within
        the cycle."""
        p = self.prep
        head: dict[int, int] = {}
        cand = 0
        early = self.early
        for i in self._topo:
            if (done >> i) & 1 or (0 <= p.pin[i] != k) or (
                    early is not None and early[i] > k):
                continue
            h = 0
            for a in p.preds[i]:
                if (done >> a) & 1:
                    continue
                ha = head.get(a)
                if ha is None:
                    break
                h = max(h, ha)
            else:
                h += p.t[i]
                if h <= self.c:
                    head[i] = h
                    cand |= 1 << i
        return cand

    def side_sums(self, done: int, todo: int | None = None
                  ) -> dict[int, int]:
        """Per position side, the task-time sums up to ``c`` that the
        tasks still to do (``todo``, or all not ``done``; on that side
        or either) can make, as a bit set: a position's room that no
        such sum fills stays idle."""
        p = self.prep
        if todo is None:
            todo = p.full & ~done
        either = p.full & ~p.left_mask & ~p.right_mask
        cap = (1 << (self.c + 1)) - 1
        out = {}
        for side in set(p.pos_side):
            mask = todo
            if p.two_sided:
                mask &= either | (p.left_mask if side == 1 else p.right_mask)
            bits = 1
            while mask:
                low = mask & -mask
                bits = (bits | (bits << p.t[low.bit_length() - 1])) & cap
                mask ^= low
            out[side] = bits
        return out

    def _room(self, st: StationState, q: int) -> int:
        """The work position ``q`` of the open station can still take:
        the largest sum of open tasks' times within its room. Tasks are
        appended in order of start, so none will start on ``q`` before
        the last one appended (its room before that is idle)."""
        f = st.pos_finish[q]
        if self.canonical and st.key[0] > f:
            f = st.key[0]
        r = self.c - f
        if r <= 0:
            return 0
        fill = self._reach[st.index][self.prep.pos_side[q]]
        return (fill & ((1 << (r + 1)) - 1)).bit_length() - 1

    def _fits(self, st: StationState, wl: int, wr: int, w: int) -> bool:
        """Whether the remaining work can still fit: what the open
        station's positions can still take plus the stations after it."""
        p = self.prep
        after = self.m - st.index - 1
        # what the tasks that can still join the open station weigh
        dl, dr, dw = self._cand[st.index]
        cl, cr, cw = wl + dl, wr + dr, w + dw
        if not p.two_sided:
            room = sum(self._room(st, q) for q in range(len(p.pos_side)))
            return w <= min(room, cw) + after * self.per
        left = right = 0
        for q, s in enumerate(p.pos_side):
            if s == 1:
                left += self._room(st, q)
            else:
                right += self._room(st, q)
        # the left positions take left-only or either-side work, the
        # right ones right-only or either, both no more than there is
        left, right = min(left, cw - cr), min(right, cw - cl)
        both = min(left + right, cw) + 2 * after * self.per
        left += after * self.per
        right += after * self.per
        if not (wl <= left and wr <= right and w <= both):
            return False
        return self.max_positions is None or self._positions_fit(st, wl, wr,
                                                                  w)

    def _positions_fit(self, st: StationState, wl: int, wr: int,
                       w: int) -> bool:
        """Whether the staffed positions plus those the remaining work
        still needs beyond the room of the open station's staffed ones
        stay within ``max_positions``."""
        p = self.prep
        c = self.c
        room_l = room_r = 0
        open_ = 0
        for q, s in enumerate(p.pos_side):
            if st.pos_used[q]:
                open_ += 1
                if s == 2:
                    room_r += c - st.pos_finish[q]
                else:
                    room_l += c - st.pos_finish[q]
        need_l = max(0, wl - room_l) if p.two_sided else 0
        need_r = max(0, wr - room_r) if p.two_sided else 0
        pl = -(-need_l // c)
        pr = -(-need_r // c)
        spare = pl * c - need_l + pr * c - need_r
        rest = max(0, w - wl - wr - max(0, room_l - wl) - max(0, room_r - wr)
                   - spare)
        need = max(pl + pr + -(-rest // c),
                   -(-max(0, w - room_l - room_r) // c))
        assert self.max_positions is not None
        return self.staffed + open_ + need <= self.max_positions

    def _fill(self, st: StationState, wl: int, wr: int, w: int,
              seen: set[tuple[object, ...]]) -> bool:
        state = st.signature(self.canonical)
        if state in seen:
            return False
        seen.add(state)
        self.nodes += 1
        if self.nodes > self.node_limit:
            raise BudgetExhausted
        p = self.prep
        moves = st.moves(canonical=self.canonical)
        moves.sort(key=lambda m: (self.priority[m[0]], m[2], m[1]))
        free_move = False
        budgeted = self.max_positions is not None
        for i, q, start in moves:
            if budgeted and not st.pos_used[q] and not self._can_open(st):
                continue
            if not (p.grouped_mask >> i) & 1 and (not budgeted
                                                   or st.pos_used[q]):
                free_move = True
            ti = p.t[i]
            nl = wl - ti if p.side[i] == 1 else wl
            nr = wr - ti if p.side[i] == 2 else wr
            undo = st.push(i, q, start)
            if self._fits(st, nl, nr, w - ti) and self._fill(
                    st, nl, nr, w - ti, seen):
                return True
            st.pop(undo)
        if free_move or (not st.tasks and moves) or not st.can_close():
            return False
        if not st.maximal(staffed_only=budgeted):
            return False
        self.line.append(list(st.placed))
        opened = sum(1 for u in st.pos_used if u)
        self.staffed += opened
        if self._station(st.index + 1, st.done | st.tasks):
            return True
        self.staffed -= opened
        self.line.pop()
        return False

    def _can_open(self, st: StationState) -> bool:
        """Whether one more position may be staffed within the budget."""
        assert self.max_positions is not None
        return (self.staffed + sum(1 for u in st.pos_used if u) + 1
                <= self.max_positions)
