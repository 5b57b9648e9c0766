"""A station being filled: the move both the heuristic and the exact
search make, and the prepared instance they share.

A task is appended at the end of one operator position at its earliest
start: after the position's last task and after every predecessor in
the same station, on either side, has finished. Filling a station in
order of start time this way reaches every left-justified schedule of
it, and a station's schedule never affects another station, so the
searches lose nothing by it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from taktplan.balance.twosided.problem import (
    EITHER,
    LEFT,
    RIGHT,
    TwoSidedProblem,
)


@dataclass(frozen=True)
class Prepared:
    """The instance as the searches read it (Python ints and bit masks)."""

    n: int
    t: tuple[int, ...]
    side: tuple[int, ...]
    preds: tuple[tuple[int, ...], ...]
    pred_mask: tuple[int, ...]
    rank: tuple[int, ...]
    group_mask: tuple[int, ...]
    apart_mask: tuple[int, ...]
    pin: tuple[int, ...]
    pos_side: tuple[int, ...]
    per_side: int
    two_sided: bool
    full: int
    left_mask: int
    right_mask: int
    grouped_mask: int
    weight: tuple[float, ...]
    extra_t: tuple[tuple[int, ...], ...] = ()
    extra_cap: tuple[int, ...] = ()
    extra_w: tuple[int, ...] = ()
    succ_mask: tuple[int, ...] = ()

    def side_work(self, mask: int) -> tuple[int, int, int]:
        """Work of the tasks in ``mask``: left-only, right-only, total."""
        wl = wr = w = 0
        t, side = self.t, self.side
        m = mask
        while m:
            low = m & -m
            i = low.bit_length() - 1
            m ^= low
            w += t[i]
            if side[i] == LEFT:
                wl += t[i]
            elif side[i] == RIGHT:
                wr += t[i]
        return wl, wr, w


def prepare(problem: TwoSidedProblem) -> Prepared:
    """Masks and lists of ``problem`` for the searches."""
    n = problem.n_tasks
    preds: list[list[int]] = [[] for _ in range(n)]
    for a, b in problem.arcs:
        if int(a) not in preds[int(b)]:
            preds[int(b)].append(int(a))
    rank = [0] * n
    for r, i in enumerate(problem.topological_order):
        rank[int(i)] = r
    g = problem.groups
    group_mask = [0] * n
    for i in range(n):
        for j in np.flatnonzero(g == g[i]):
            group_mask[i] |= 1 << int(j)
    apart_mask = [0] * n
    for a, b in problem.apart:
        apart_mask[int(a)] |= 1 << int(b)
        apart_mask[int(b)] |= 1 << int(a)
    k = problem.operators_per_side
    pos_side = problem.position_sides
    if problem.two_sided:
        side = tuple(int(s) for s in problem.sides)
    else:
        side = (EITHER,) * n
    t = tuple(int(x) for x in problem.times)
    # positional weight: own time plus all followers' (the classic rule)
    cl = problem.closure
    times = problem.times.astype(np.float64)
    weight = tuple(float(x) for x in times + cl.astype(np.float64) @ times)
    return Prepared(
        n=n, t=t, side=side, preds=tuple(tuple(p) for p in preds),
        pred_mask=tuple(sum(1 << q for q in p) for p in preds),
        rank=tuple(rank), group_mask=tuple(group_mask),
        apart_mask=tuple(apart_mask),
        pin=tuple(int(x) for x in problem.group_station),
        pos_side=pos_side, per_side=k, two_sided=problem.two_sided,
        full=(1 << n) - 1,
        left_mask=sum(1 << i for i in range(n) if side[i] == LEFT),
        right_mask=sum(1 << i for i in range(n) if side[i] == RIGHT),
        grouped_mask=sum(1 << i for i in range(n)
                         if group_mask[i] != 1 << i),
        weight=weight,
        extra_t=(() if problem.extra_times is None else tuple(
            tuple(int(x) for x in row) for row in problem.extra_times)),
        extra_cap=tuple(int(x) for x in problem.extra_limits),
        extra_w=tuple(int(x) for x in problem.extra_weights),
        succ_mask=tuple(sum(1 << j for j in range(n) if i in preds[j])
                        for i in range(n)),
    )


class StationState:
    """The open station: its tasks, their finish times, each position's
    finish, and the order key of the last task appended."""

    __slots__ = (
        "c",
        "done",
        "finish",
        "gaps",
        "index",
        "key",
        "placed",
        "pos_finish",
        "pos_used",
        "prep",
        "tasks",
        "xfinish",
        "xpos",
        "xundo",
    )

    def __init__(self, prep: Prepared, c: int, index: int, done: int):
        self.prep = prep
        self.c = c
        self.index = index
        self.done = done
        self.tasks = 0
        self.finish: dict[int, int] = {}
        self.pos_finish = [0] * len(prep.pos_side)
        self.pos_used = [0] * len(prep.pos_side)
        self.placed: list[tuple[int, int, int]] = []
        self.key = (-1, -1)
        self.gaps = [0] * len(prep.pos_side)
        # the same orders timed in the extra dimensions (the variants)
        self.xfinish: list[dict[int, int]] = [{} for _ in prep.extra_cap]
        self.xpos = [[0] * len(prep.pos_side) for _ in prep.extra_cap]
        self.xundo: list[int] = []

    def _extra_end(self, i: int, q: int, d: int) -> int:
        """Finish of task ``i`` on position ``q`` in extra dimension ``d``."""
        p = self.prep
        xfin = self.xfinish[d]
        ready = self.xpos[d][q]
        for a in p.preds[i]:
            f = xfin.get(a)
            if f is not None and f > ready:
                ready = f
        return ready + p.extra_t[i][d]

    def _extra_fits(self, i: int, q: int) -> bool:
        p = self.prep
        ends = [self._extra_end(i, q, d) for d in range(len(p.extra_cap))]
        if any(e > cap for e, cap in zip(ends, p.extra_cap, strict=True)):
            return False
        if not p.extra_w:
            return True
        # the station's weighted mean over the dimensions, each its
        # makespan with task i appended
        mean = sum(w * max(e, max(self.xpos[d]))
                   for d, (w, e) in enumerate(zip(p.extra_w, ends,
                                                   strict=True)))
        return mean <= sum(p.extra_w) * self.c

    def moves(self, canonical: bool) -> list[tuple[int, int, int]]:
        """``(task, position, start)`` of every task that can be appended
        (only in start order after the last one when ``canonical``)."""
        p = self.prep
        c = self.c
        have = self.done | self.tasks
        out = []
        first_empty: dict[int, int] = {}
        for q, s in enumerate(p.pos_side):
            if not self.pos_used[q] and s not in first_empty:
                first_empty[s] = q
        for i in range(p.n):
            bit = 1 << i
            if have & bit or p.pred_mask[i] & ~have:
                continue
            if p.pin[i] >= 0 and p.pin[i] != self.index:
                continue
            if p.apart_mask[i] & self.tasks:
                continue
            ready = 0
            for q in p.preds[i]:
                f = self.finish.get(q)
                if f is not None and f > ready:
                    ready = f
            ti = p.t[i]
            for q, s in enumerate(p.pos_side):
                if p.side[i] != EITHER and s != p.side[i]:
                    continue
                if not self.pos_used[q] and first_empty.get(s) != q:
                    continue
                start = max(ready, self.pos_finish[q])
                if start + ti > c:
                    continue
                if canonical and (start, p.rank[i]) <= self.key:
                    continue
                if p.extra_cap and not self._extra_fits(i, q):
                    continue
                out.append((i, q, start))
        return out

    def push(self, i: int, q: int, start: int) -> tuple[int, int, int,
                                                          tuple[int, int]]:
        """Append task ``i`` to position ``q`` at ``start``; returns what
        :meth:`pop` needs to undo it."""
        undo = (self.pos_finish[q], self.pos_used[q], self.gaps[q], self.key)
        self.gaps[q] += start - self.pos_finish[q]
        self.tasks |= 1 << i
        fin = start + self.prep.t[i]
        self.finish[i] = fin
        self.pos_finish[q] = fin
        self.pos_used[q] += 1
        self.placed.append((i, q, start))
        self.key = (start, self.prep.rank[i])
        for d in range(len(self.prep.extra_cap)):
            xend = self._extra_end(i, q, d)
            self.xfinish[d][i] = xend
            self.xundo.append(self.xpos[d][q])
            self.xpos[d][q] = xend
        return undo

    def pop(self, undo: tuple[int, int, int, tuple[int, int]]) -> None:
        """Undo the last :meth:`push`."""
        i, q, _ = self.placed.pop()
        self.tasks &= ~(1 << i)
        del self.finish[i]
        for d in reversed(range(len(self.prep.extra_cap))):
            del self.xfinish[d][i]
            self.xpos[d][q] = self.xundo.pop()
        self.pos_finish[q], self.pos_used[q], self.gaps[q], self.key = undo

    def signature(self, canonical: bool = True) -> tuple[object, ...]:
        """What decides the rest of this station's fill: its tasks, each
        position's end and whether it is staffed, the finish of every
        task a follower may still wait for (one that ends after some
        position is free again), the order key when ``canonical``, and
        the variants' times. Two fills with one signature have the same
        completions, so the search tries only the first."""
        p = self.prep
        have = self.done | self.tasks
        low = min(self.pos_finish)
        waits = frozenset((i, f) for i, f in self.finish.items()
                          if f > low and p.succ_mask[i] & ~have)
        used = tuple(u > 0 for u in self.pos_used)
        base = (self.tasks, tuple(self.pos_finish), used, waits,
                self.key if canonical else None)
        if not p.extra_cap:
            return base
        return (*base, tuple(tuple(x) for x in self.xpos),
                tuple(frozenset(f.items()) for f in self.xfinish))

    def can_close(self) -> bool:
        """Whether the station keeps its rules: every task pinned here is
        in, and no together group is split."""
        p = self.prep
        m = self.tasks & p.grouped_mask
        while m:
            low = m & -m
            i = low.bit_length() - 1
            m ^= low
            if p.group_mask[i] & ~self.tasks:
                return False
        for i in range(p.n):
            if p.pin[i] == self.index and not (self.tasks >> i) & 1:
                return False
        return True

    def maximal(self, staffed_only: bool = False) -> bool:
        """Whether no free task (outside every together group) could still
        be appended (only on an already staffed position when
        ``staffed_only``): the loads the exact search needs to try."""
        p = self.prep
        return not any(not (p.grouped_mask >> i) & 1
                       and (not staffed_only or self.pos_used[q])
                       for i, q, _ in self.moves(canonical=False))

    def positions(self) -> list[list[tuple[int, int]]]:
        """``(task, start)`` per position, in time order."""
        out: list[list[tuple[int, int]]] = [[] for _ in self.prep.pos_side]
        for i, q, start in self.placed:
            out[q].append((i, start))
        return out
