"""Arrays the compiled search and heuristics work on, and the bounds.

:func:`prepare` turns integer task times with ``K`` dimensions, their
capacities and the arcs into a :class:`Prepared` bundle: CSR adjacency,
transitive closure, incremented task times, Jackson dominance, the
fewest stations from each task to the end of the line (the
earliest/latest station bounds) and the bin-packing weights of the LB2
and LB3 bounds of Scholl & Klein.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from taktplan.balance._binpack import mt_bound
from taktplan.balance.problem import transitive_closure


@dataclass(frozen=True)
class Prepared:
    """Everything the search needs, as contiguous arrays.

    Parameters
    ----------
    times
        Incremented task times ``(n, K)``: a task that cannot share a
        station with any other task is given the whole cycle.
    cap
        Capacity of a station per dimension ``(K,)``.
    pred_ptr, pred_idx, succ_ptr, succ_idx
        Immediate predecessors and successors (CSR).
    closure
        ``closure[i, j]`` when task i must precede task j.
    dom
        ``dom[i, j]`` when task i may replace task j in any load.
    head, tail
        Fewest stations from the first to the task's own, and from the
        task's own to the last (both counting the task's station).
    w2, w3
        LB2 weights in halves, LB3 weights in sixths of a station.
    desc
        Tasks by decreasing time, one row per dimension ``(K, n)``.
    fsw
        Fekete & Schepers' dual feasible weights ``(n, K, F)``: for
        ``k = 1..F``, ``k`` times ``u_k(t)`` (see :func:`fs_weights`);
        a station holds at most ``k * cap`` of them.
    """

    times: np.ndarray
    cap: np.ndarray
    pred_ptr: np.ndarray
    pred_idx: np.ndarray
    succ_ptr: np.ndarray
    succ_idx: np.ndarray
    closure: np.ndarray
    dom: np.ndarray
    head: np.ndarray
    tail: np.ndarray
    after: np.ndarray
    w2: np.ndarray
    w3: np.ndarray
    desc: np.ndarray
    fsw: np.ndarray

    @property
    def n_tasks(self) -> int:
        """The number of tasks."""
        return int(self.times.shape[0])

    @property
    def has_succ(self) -> np.ndarray:
        """Whether each task has a successor."""
        return np.diff(self.succ_ptr) > 0

    @property
    def positional_weight(self) -> np.ndarray:
        """Task time plus all followers' times, summed over dimensions."""
        rel = self.times / self.cap
        return (rel.sum(axis=1) + self.closure.astype(np.float64)
                @ rel.sum(axis=1))

    def lower_bound(self) -> int:
        """The best of LB1, LB2, LB3, Martello & Toth's L2, Fekete &
        Schepers' bounds and the head/tail bounds."""
        total = self.times.sum(axis=0)
        lb1 = int(np.max(-(-total // self.cap)))
        lb2 = int(np.max(-(-self.w2.sum(axis=0) // 2)))
        lb3 = int(np.max(-(-self.w3.sum(axis=0) // 6)))
        mt = max(int(mt_bound(self.times[self.desc[k], k], self.n_tasks,
                              int(self.cap[k])))
                 for k in range(self.cap.size))
        return max(lb1, lb2, lb3, mt, fs_bound(self.fsw, self.cap),
                   int(self.head.max()),
                   int(self.tail.max()), 1)


#: Dual feasible functions ``u_k`` used, ``k = 1..FS_FUNCTIONS``.
FS_FUNCTIONS = 10


def fs_weights(t: np.ndarray, cap: np.ndarray,
               count: int = FS_FUNCTIONS) -> np.ndarray:
    """Fekete & Schepers' dual feasible weights, scaled to integers.

    ``u_k(x) = x`` when ``(k + 1) x / c`` is an integer, else
    ``floor((k + 1) x / c) c / k``; the ``u_k`` of the tasks of one
    station sum to at most ``c``, so ``ceil(sum u_k / c)`` is a lower
    bound on the stations (``k = 1`` is LB2, ``k = 2`` close to LB3).
    Returned as ``k u_k(t)``, shape ``(n, K, count)``, to stay in
    integers; the bound is ``ceil(sum / (k c))``.
    """
    n, dims = t.shape
    out = np.zeros((n, dims, count), dtype=np.int64)
    for d in range(dims):
        c = int(cap[d])
        for k in range(1, count + 1):
            v = (k + 1) * t[:, d]
            out[:, d, k - 1] = np.where(v % c == 0, k * t[:, d],
                                        (v // c) * c)
    return out


def fs_bound(weights: np.ndarray, cap: np.ndarray) -> int:
    """``max_k ceil(sum k u_k / (k c))`` over the rows of ``weights``."""
    count = weights.shape[2]
    total = weights.sum(axis=0)  # (K, count)
    den = cap[:, None] * np.arange(1, count + 1)[None, :]
    return int(np.max(-(-total // den))) if total.size else 0


def csr(n: int, src: np.ndarray, dst: np.ndarray) -> tuple[np.ndarray,
                                                             np.ndarray]:
    """Adjacency lists ``src -> dst`` in CSR form (pointer, index)."""
    order = np.lexsort((dst, src))
    ptr = np.zeros(n + 1, dtype=np.int64)
    np.add.at(ptr, src + 1, 1)
    return np.cumsum(ptr), dst[order].astype(np.int64)


def increment_times(times: np.ndarray, cap: int) -> np.ndarray:
    """Task-time incrementing for one dimension.

    A task that cannot share a station with any other task (its time
    plus the smallest other time exceeds the cycle) occupies a whole
    station, so its time can be raised to the cycle.
    """
    t = times.astype(np.int64).copy()
    if t.size < 2:
        return t
    order = np.sort(t)
    smallest_other = np.where(t == order[0], order[1], order[0])
    t[t + smallest_other > cap] = cap
    return t


def prepare(times: np.ndarray, cap: np.ndarray, arcs: np.ndarray,
            increment: bool = True, dominance: bool = True) -> Prepared:
    """Build the search arrays for integer ``times`` ``(n, K)``.

    Parameters
    ----------
    times
        Integer task times, shape ``(n, K)``.
    cap
        Station capacity per dimension, shape ``(K,)``.
    arcs
        Precedence arcs ``(pred, succ)``, 0-based.
    increment
        Apply task-time incrementing (one dimension only).
    dominance
        Compute Jackson dominance (most of the cost on short lines);
        without it ``dom`` is all false (no task dominates another):
        enough for the bounds.
    """
    t = np.ascontiguousarray(times, dtype=np.int64)
    cap = np.ascontiguousarray(cap, dtype=np.int64)
    n, k = t.shape
    arcs = np.unique(np.asarray(arcs, dtype=np.int64).reshape(-1, 2), axis=0)
    if increment and k == 1:
        t = increment_times(t[:, 0], int(cap[0]))[:, None]
    closure = transitive_closure(n, arcs)
    pred_ptr, pred_idx = csr(n, arcs[:, 1], arcs[:, 0])
    succ_ptr, succ_idx = csr(n, arcs[:, 0], arcs[:, 1])
    cl = closure.astype(np.int64)
    after = t + cl @ t
    before = t + cl.T @ t
    tail = np.max(-(-after // cap), axis=1).astype(np.int64)
    head = np.max(-(-before // cap), axis=1).astype(np.int64)
    w2 = np.where(2 * t > cap, 2, np.where(2 * t == cap, 1, 0))
    w3 = np.select([3 * t > 2 * cap, 3 * t == 2 * cap, 3 * t > cap,
                    3 * t == cap], [6, 4, 3, 2], 0)
    return Prepared(
        times=t, cap=cap, pred_ptr=pred_ptr, pred_idx=pred_idx,
        succ_ptr=succ_ptr, succ_idx=succ_idx, closure=closure,
        dom=(jackson_dominance(t, closure) if dominance
             else np.zeros((n, n), dtype=np.bool_)), head=head, tail=tail,
        after=np.ascontiguousarray(after, dtype=np.int64),
        w2=w2.astype(np.int64), w3=w3.astype(np.int64),
        desc=np.ascontiguousarray(
            np.argsort(-t.T, axis=1, kind="stable"), dtype=np.int64),
        fsw=fs_weights(t, cap))


def jackson_dominance(t: np.ndarray, closure: np.ndarray) -> np.ndarray:
    """``dom[i, j]``: i and j unrelated, i at least as long in every
    dimension, every follower of j also a follower of i; ties broken by
    index so that no two tasks dominate each other."""
    n = t.shape[0]
    unrelated = ~(closure | closure.T)
    np.fill_diagonal(unrelated, False)
    longer = np.all(t[:, None, :] >= t[None, :, :], axis=2)
    strictly = np.any(t[:, None, :] > t[None, :, :], axis=2)
    # followers of j inside followers of i: |F(j) \ F(i)| == 0. The
    # counts are at most n < 2**24, exact in float32, whose BLAS product
    # is some 50 times faster than numpy's integer one at n = 1,000.
    cl = closure.astype(np.float32)
    outside = (1.0 - cl) @ cl.T  # [i, j] = |F(j) minus F(i)|
    covers = outside == 0
    fi = closure.sum(axis=1)
    more = fi[:, None] > fi[None, :]
    idx = np.arange(n)
    tie = idx[:, None] < idx[None, :]
    return unrelated & longer & covers & (strictly | more | tie)
