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
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from taktplan.balance.twosided.problem import EITHER

if TYPE_CHECKING:
    from taktplan.balance.twosided.heuristic import Placement
    from taktplan.balance.twosided.station import Prepared


class _Line:
    """The line as the local search changes it."""

    def __init__(self, prep: Prepared, line: Placement) -> None:
        self.prep = prep
        self.station = [0] * prep.n
        self.pos = [0] * prep.n
        self.key = [0.0] * prep.n
        self.members: list[set[int]] = [set() for _ in line]
        for k, st in enumerate(line):
            for i, q, start in st:
                self.station[i] = k
                self.pos[i] = q
                self.key[i] = start + prep.rank[i] / (prep.n + 1.0)
                self.members[k].add(i)
        self.succs: list[list[int]] = [[] for _ in range(prep.n)]
        for j in range(prep.n):
            for i in prep.preds[j]:
                self.succs[i].append(j)
        self.span = [self.makespan(k) for k in range(len(line))]

    def schedule(self, tasks: set[int], pos: dict[int, int] | None = None
                 ) -> list[tuple[int, int, int]]:
        """``(task, position, start)`` of ``tasks`` as one station."""
        p = self.prep
        where = self.pos if pos is None else _Override(self.pos, pos)
        indeg = {i: 0 for i in tasks}
        for i in tasks:
            for a in p.preds[i]:
                if a in indeg:
                    indeg[i] += 1
        ready = [i for i, d in indeg.items() if d == 0]
        finish: dict[int, int] = {}
        pos_end = [0] * len(p.pos_side)
        out = []
        while ready:
            best_i = -1
            best_key = (0, 0.0)
            for i in ready:
                start = pos_end[where[i]]
                for a in p.preds[i]:
                    f = finish.get(a)
                    if f is not None and f > start:
                        start = f
                if best_i < 0 or (start, self.key[i]) < best_key:
                    best_i, best_key = i, (start, self.key[i])
            i = best_i
            ready.remove(i)
            q = where[i]
            start = best_key[0]
            finish[i] = pos_end[q] = start + p.t[i]
            out.append((i, q, start))
            for j in self.succs[i]:
                if j in indeg:
                    indeg[j] -= 1
                    if indeg[j] == 0:
                        ready.append(j)
        return out

    def makespan(self, k: int, tasks: set[int] | None = None,
                 pos: dict[int, int] | None = None) -> int:
        """Time of station ``k`` (or of ``tasks`` placed as one station)."""
        sched = self.schedule(self.members[k] if tasks is None else tasks,
                              pos)
        t = self.prep.t
        return max((s + t[i] for i, _, s in sched), default=0)

    def move(self, i: int, k: int, k2: int, q: int) -> None:
        """Put task ``i`` from station ``k`` on position ``q`` of ``k2``."""
        self.members[k].discard(i)
        self.members[k2].add(i)
        self.station[i] = k2
        self.pos[i] = q
        self.span[k] = self.makespan(k)
        if k2 != k:
            self.span[k2] = self.makespan(k2)

    def score(self) -> tuple[int, int]:
        """(cycle, sum of squared station times): smaller is better."""
        return max(self.span), sum(x * x for x in self.span)

    def snapshot(self) -> tuple[list[int], list[int], list[int]]:
        """What :meth:`restore` needs to come back here."""
        return list(self.station), list(self.pos), list(self.span)

    def restore(self, snap: tuple[list[int], list[int], list[int]]) -> None:
        """Back to a :meth:`snapshot`."""
        self.station, self.pos, self.span = (list(x) for x in snap)
        self.members = [set() for _ in self.span]
        for i, k in enumerate(self.station):
            self.members[k].add(i)

    def placement(self) -> Placement:
        """The line in the searches' format."""
        return [sorted(self.schedule(m), key=lambda x: (x[2], x[1]))
                for m in self.members]


class _Override:
    """A position list with a few entries replaced (no copy)."""

    def __init__(self, base: list[int], changed: dict[int, int]) -> None:
        self.base = base
        self.changed = changed

    def __getitem__(self, i: int) -> int:
        return self.changed.get(i, self.base[i])


def improve_cycle(prep: Prepared, line: Placement, max_moves: int,
                  seed: int = 0, kick: int = 3,
                  target: int | None = None) -> tuple[Placement, int]:
    """A line with a cycle no longer than ``line``'s, after at most
    ``max_moves`` evaluated moves (a move in a station of more than
    :data:`MOVE_TASKS` tasks counts more, as its work grows with them);
    returns it (``line`` itself when the search found nothing shorter)
    and the moves used.

    After the first descent the search is iterated: ``kick`` seeded
    random moves (within precedence, ignoring the cycle), then a descent
    again; the result is kept when its (cycle, sum of squares) is no
    worse than the best, so the search also walks along plateaus. With
    ``target`` it stops once the cycle is within it.
    """
    if not line or prep.extra_cap:
        return line, 0
    s = _Line(prep, line)
    fixed = {i for i in range(prep.n)
             if prep.pin[i] >= 0 or (prep.grouped_mask >> i) & 1
             or prep.apart_mask[i]}
    free = [i for i in range(prep.n) if i not in fixed]
    rng = np.random.default_rng(seed)
    used = _descend(s, fixed, max_moves)
    best = s.snapshot()
    best_score = s.score()
    while used + kick < max_moves and free and (
            target is None or best_score[0] > target):
        for _ in range(kick):
            _random_move(s, free, rng)
        used += kick
        used += _descend(s, fixed, max_moves - used)
        score = s.score()
        if score <= best_score:
            best, best_score = s.snapshot(), score
        else:
            s.restore(best)
    s.restore(best)
    out = s.placement()
    if _cycle(prep, out) >= _cycle(prep, line):
        return line, used
    return out, used


def _descend(s: _Line, fixed: set[int], budget: int) -> int:
    """First-better moves until none improves; moves evaluated."""
    used = 0
    while used < budget:
        n, move = _first_better(s, fixed, budget - used)
        used += n
        if move is None:
            break
        s.move(*move)
    return used


def _random_move(s: _Line, free: list[int], rng: np.random.Generator
                 ) -> None:
    """Move a random free task to a random position within precedence."""
    prep = s.prep
    i = free[int(rng.integers(len(free)))]
    lo = max((s.station[a] for a in prep.preds[i]), default=0)
    hi = min((s.station[b] for b in s.succs[i]), default=len(s.span) - 1)
    k2 = int(rng.integers(lo, hi + 1))
    qs = [q for q, side in enumerate(prep.pos_side)
          if prep.side[i] == EITHER or side == prep.side[i]]
    s.move(i, s.station[i], k2, qs[int(rng.integers(len(qs)))])


def _cycle(prep: Prepared, line: Placement) -> int:
    return max((s + prep.t[i] for st in line for i, _, s in st), default=0)


#: A move evaluated in a station of up to this many tasks counts one
#: unit of the ``max_moves`` budget; in a larger station one more per
#: as many tasks.
MOVE_TASKS = 16


def _first_better(s: _Line, fixed: set[int], budget: int
                  ) -> tuple[int, tuple[int, int, int, int] | None]:
    """The first move, from the longest station down, that lowers (cycle,
    sum of squared station times): moves evaluated and
    ``(task, from, to, position)`` or ``None``."""
    prep = s.prep
    cycle = max(s.span)
    ssq = sum(x * x for x in s.span)
    used = 0
    for k in sorted(range(len(s.span)), key=lambda j: (-s.span[j], j)):
        # a move reschedules its stations: its work grows with their
        # tasks (P205 with 4 stations: 51 a station, 6 times the CPU of
        # a move of P65's 13)
        cost = max(1, len(s.members[k]) // MOVE_TASKS)
        for i in sorted(s.members[k]):
            if i in fixed:
                continue
            without = s.makespan(k, s.members[k] - {i})
            lo = max((s.station[a] for a in prep.preds[i]), default=0)
            hi = min((s.station[b] for b in s.succs[i]),
                     default=len(s.span) - 1)
            for k2 in range(lo, hi + 1):
                if k2 != k and s.span[k2] >= s.span[k]:
                    continue  # work only flows to a shorter station
                for q, side in enumerate(prep.pos_side):
                    if prep.side[i] != EITHER and side != prep.side[i]:
                        continue
                    if k2 == k and q == s.pos[i]:
                        continue
                    used += cost
                    if used > budget:
                        return used - cost, None
                    if k2 == k:
                        spans = {k: s.makespan(k, None, {i: q})}
                    else:
                        spans = {k: without,
                                 k2: s.makespan(k2, s.members[k2] | {i},
                                                {i: q})}
                    if max(spans.values()) > cycle:
                        continue
                    new = [spans.get(j, x) for j, x in enumerate(s.span)]
                    if (max(new), sum(x * x for x in new)) < (cycle, ssq):
                        return used, (i, k, k2, q)
    return used, None


__all__ = ["improve_cycle"]
