"""Side-aware lower bounds for two-sided lines.

With ``K`` operators per side and cycle ``c`` a mated station does at
most ``K c`` of left-only work, ``K c`` of right-only work and ``2 K c``
in all, so the stations needed for work ``W`` of which ``W_L`` is
left-only and ``W_R`` right-only are at least
``ceil(max(W_L, W_R, W / 2) / (K c))`` (the either-side work is shared).
Two more: tasks longer than ``c / 2`` cannot share a position (the
bin-packing bound, per side), and a chain of tasks runs one after the
other inside a station whatever the sides, so no station holds more
than ``c`` of any precedence path.

Two destructive tests then refute a pair (cycle ``c``, ``m`` stations)
that these counts let pass (:func:`refutes`); the station bound is the
least ``m`` and the cycle bound the least ``c`` that survives them:

- *Station windows.* A task's predecessors need the stations their
  side-aware work, bin packing and chain ask for, so the task sits no
  earlier than that; likewise its followers fix its latest station. The
  tasks whose windows lie inside stations ``a..b`` must fit those
  ``b - a + 1`` stations by the same counts.
- *Idle while one task runs.* While task ``v`` runs, every other
  position of its station can only do tasks that neither precede nor
  follow ``v`` (those finish before it starts or start after it ends)
  and whose windows meet ``v``'s, on a side they may take. What they
  cannot fill is idle, and along a precedence chain these periods never
  overlap; more idle than the line's ``positions * m * c - W`` refutes
  ``c``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from taktplan.balance.twosided.problem import LEFT, RIGHT, TwoSidedProblem


def longest_path(problem: TwoSidedProblem) -> int:
    """The largest total task time of a precedence chain."""
    t = problem.times
    head = t.astype(np.int64).copy()
    succ: list[list[int]] = [[] for _ in range(problem.n_tasks)]
    for a, b in problem.arcs:
        succ[int(a)].append(int(b))
    for i in problem.topological_order:
        for j in succ[int(i)]:
            head[j] = max(head[j], head[int(i)] + t[j])
    return int(head.max())


def stations_bound(problem: TwoSidedProblem, c: int) -> int:
    """Lower bound on the (mated) stations at cycle time ``c``: the
    counting bound, raised while :func:`refutes` rules it out."""
    lb = counting_bound(problem, c)
    shape = _Shape.of(problem)
    while refutes(problem, c, lb, shape):
        lb += 1
    return lb


def counting_bound(problem: TwoSidedProblem, c: int) -> int:
    """The work, bin-packing, chain and pin counts on the stations."""
    t = problem.times
    k = problem.operators_per_side
    w = int(t.sum())
    if not problem.two_sided:
        per = k * c
        n_big = float((t > c / 2).sum() + 0.5 * (2 * t == c).sum())
        return max(1, math.ceil(w / per), math.ceil(n_big / k - 1e-9),
                   math.ceil(longest_path(problem) / c),
                   int(problem.group_station.max()) + 1)
    s = problem.sides
    wl = int(t[s == LEFT].sum())
    wr = int(t[s == RIGHT].sum())
    per = k * c
    work = math.ceil(max(wl, wr, w / 2) / per - 1e-9)

    def big(mask: np.ndarray) -> float:
        return float((t[mask] > c / 2).sum() + 0.5 * (2 * t[mask] == c).sum())

    bl, br, ball = big(s == LEFT), big(s == RIGHT), big(np.ones_like(s, bool))
    packing = math.ceil(max(bl, br, ball / 2) / k - 1e-9)
    extra = 0
    if problem.extra_times is not None:
        every = np.arange(problem.n_tasks)
        for d, cap in enumerate(problem.extra_limits):
            extra = max(extra, problem.stations_for(
                every, int(cap), problem.extra_times[:, d]))
    return max(1, work, packing, extra, math.ceil(longest_path(problem) / c),
               int(problem.group_station.max()) + 1)


def operators_bound(problem: TwoSidedProblem, c: int, n_stations: int) -> int:
    """Lower bound on staffed positions of a line with ``n_stations``
    stations at cycle ``c``, each station staffed (fewest stations)."""
    t = problem.times
    w = int(t.sum())
    if not problem.two_sided:
        return max(n_stations, math.ceil(w / c))
    s = problem.sides
    wl = int(t[s == LEFT].sum())
    wr = int(t[s == RIGHT].sum())
    pl, pr = math.ceil(wl / c), math.ceil(wr / c)
    spare = pl * c - wl + pr * c - wr
    rest = max(0, w - wl - wr - spare)
    return max(n_stations, math.ceil(w / c), pl + pr + math.ceil(rest / c))


def cycle_bound(problem: TwoSidedProblem, n_stations: int) -> int:
    """Lower bound on the cycle time with ``n_stations`` stations: the
    least ``c`` whose counting bound is within ``n_stations``, raised
    while :func:`refutes` rules it out."""
    t = problem.times
    lo = max(1, int(t.max()))
    hi = max(lo, int(t.sum()))
    while lo < hi:
        mid = (lo + hi) // 2
        if counting_bound(problem, mid) <= n_stations:
            hi = mid
        else:
            lo = mid + 1
    shape = _Shape.of(problem)
    while refutes(problem, lo, n_stations, shape):
        lo += 1
    return lo


@dataclass(frozen=True)
class _Shape:
    """What the destructive tests read: times, side masks, the
    precedence relation (with each task itself) and the chains."""

    t: np.ndarray
    left: np.ndarray
    right: np.ndarray
    before: np.ndarray  # before[i, j]: j is i or precedes i
    after: np.ndarray  # after[i, j]: j is i or follows i
    head: np.ndarray
    tail: np.ndarray

    @staticmethod
    def of(problem: TwoSidedProblem) -> _Shape:
        t = problem.times.astype(np.int64)
        n = problem.n_tasks
        eye = np.eye(n, dtype=bool)
        cl = problem.closure.astype(bool)
        succ: list[list[int]] = [[] for _ in range(n)]
        for a, b in problem.arcs:
            succ[int(a)].append(int(b))
        head, tail = t.copy(), t.copy()
        order = [int(i) for i in problem.topological_order]
        for i in order:
            for j in succ[i]:
                head[j] = max(head[j], head[i] + t[j])
        for i in reversed(order):
            for j in succ[i]:
                tail[i] = max(tail[i], tail[j] + t[i])
        two = problem.two_sided
        s = problem.sides
        return _Shape(t=t, left=(s == LEFT) & two, right=(s == RIGHT) & two,
                      before=cl.T | eye, after=cl | eye, head=head,
                      tail=tail)


def _needed(problem: TwoSidedProblem, sh: _Shape, rows: np.ndarray,
            c: int) -> np.ndarray:
    """Stations each row's task set needs at cycle ``c`` by the
    side-aware work and bin-packing counts (``rows``: sets x tasks)."""
    t = sh.t
    k = problem.operators_per_side
    big = (t > c / 2).astype(np.float64) + 0.5 * (2 * t == c)
    r = rows.astype(np.float64)
    w, nb = r @ t, r @ big
    if not problem.two_sided:
        out = np.maximum(np.ceil(w / (k * c) - 1e-9), np.ceil(nb / k - 1e-9))
        return out.astype(np.int64)
    wl, wr = r[:, sh.left] @ t[sh.left], r[:, sh.right] @ t[sh.right]
    bl, br = r[:, sh.left] @ big[sh.left], r[:, sh.right] @ big[sh.right]
    work = np.ceil(np.maximum(np.maximum(wl, wr), w / 2) / (k * c) - 1e-9)
    pack = np.ceil(np.maximum(np.maximum(bl, br), nb / 2) / k - 1e-9)
    return np.maximum(work, pack).astype(np.int64)


def station_windows(problem: TwoSidedProblem, c: int, m: int,
                    shape: _Shape | None = None
                    ) -> tuple[np.ndarray, np.ndarray]:
    """Earliest and latest 0-based station of each task with ``m``
    stations at cycle ``c``: the stations its predecessors (with it)
    need before, and its followers (with it) after, by work per side,
    bin packing and the longest chain."""
    sh = shape or _Shape.of(problem)
    early = np.maximum(np.ceil(sh.head / c - 1e-9),
                       _needed(problem, sh, sh.before, c)) - 1
    late = m - np.maximum(np.ceil(sh.tail / c - 1e-9),
                          _needed(problem, sh, sh.after, c))
    return early.astype(np.int64), late.astype(np.int64)


def forced_idle(problem: TwoSidedProblem, c: int, m: int,
                shape: _Shape | None = None) -> int:
    """Idle time every line of ``m`` stations at cycle ``c`` has: along
    the worst precedence chain, the time other positions of a task's
    station cannot fill while the task runs (see the module text)."""
    sh = shape or _Shape.of(problem)
    t = sh.t
    n = t.size
    others = problem.positions_per_station - 1
    if others <= 0:
        return 0
    early, late = station_windows(problem, c, m, sh)
    free = ~(sh.before | sh.after)
    free &= (early[None, :] <= late[:, None]) & (
        late[None, :] >= early[:, None])
    if problem.two_sided and problem.operators_per_side == 1:
        # one position per side: the other one is across the vehicle
        may_r = ~sh.left
        may_l = ~sh.right
        fill_r = (free & may_r[None, :]).astype(np.float64) @ t
        fill_l = (free & may_l[None, :]).astype(np.float64) @ t
        fill = np.where(sh.left, fill_r,
                        np.where(sh.right, fill_l, np.maximum(fill_l, fill_r)))
    else:
        fill = free.astype(np.float64) @ t
    own = np.maximum(0.0, others * t - fill)
    best = own.copy()
    succ: list[list[int]] = [[] for _ in range(n)]
    for a, b in problem.arcs:
        succ[int(a)].append(int(b))
    for i in problem.topological_order:
        for j in succ[int(i)]:
            best[j] = max(best[j], best[int(i)] + own[j])
    return int(best.max()) if n else 0


def refutes(problem: TwoSidedProblem, c: int, m: int,
            shape: _Shape | None = None) -> bool:
    """Whether no line of ``m`` stations at cycle ``c`` can exist by the
    station windows or the forced idle (the module text says why)."""
    sh = shape or _Shape.of(problem)
    if int(sh.t.max()) > c:
        return True
    early, late = station_windows(problem, c, m, sh)
    if (early > late).any():
        return True
    spans = [(a, b) for a in range(m) for b in range(a, m)]
    if len(spans) > _MAX_SPANS:
        spans = [(0, b) for b in range(m)] + [(a, m - 1) for a in range(m)]
    rows = np.array([(early >= a) & (late <= b) for a, b in spans])
    width = np.array([b - a + 1 for a, b in spans])
    if (_needed(problem, sh, rows, c) > width).any():
        return True
    capacity = problem.positions_per_station * m * c
    return forced_idle(problem, c, m, sh) > capacity - int(sh.t.sum())


#: Beyond this many station spans only the prefixes and suffixes are
#: tested (long one-sided lines of the plant).
_MAX_SPANS = 2_000


def cycle_for(problem: TwoSidedProblem) -> int:
    """Smallest cycle any line can have (the longest task)."""
    return max(1, int(problem.times.max()))


__all__ = ["counting_bound", "cycle_bound", "cycle_for", "forced_idle",
           "longest_path", "operators_bound", "refutes", "station_windows",
           "stations_bound"]
