"""The compiled timing search of :mod:`.loads`: one station's load timed
on its left and right positions."""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True)
def station_fits(times: np.ndarray, sides: np.ndarray, pred: np.ndarray,
                  succ: np.ndarray, c: int, slack: int, limit: int,
                  memo_done: np.ndarray, memo_t: np.ndarray,
                  memo_ends: np.ndarray, memo_used: np.ndarray
                  ) -> tuple[int, int, np.ndarray, np.ndarray]:
    """Time one station's tasks (local numbering, ``pred``/``succ`` bit
    masks within the station) on a left and a right position within
    ``c``, with at most ``slack`` idle in all.

    Depth first over the task appended next, on the side whose position
    ends first (ties: left) and, while idle is left, on the other; a
    task starts when its position is free and its predecessors of the
    station have finished. States (tasks done, both ends, the finish of
    each done task that a task not done waits for) are remembered in a
    fixed table (``memo_*``, reused between calls: only ``memo_used``
    is cleared). Returns ``(1, nodes, start, side)`` with a timing
    (``side`` 1 left, 2 right), ``(0, nodes, ...)`` when none exists,
    ``(-1, nodes, ...)`` when ``limit`` nodes ran out.
    """
    k = times.shape[0]
    full = np.uint64(0)
    for q in range(k):
        full |= np.uint64(1) << np.uint64(q)
    start = np.zeros(k, dtype=np.int64)
    where = np.zeros(k, dtype=np.int64)
    ends = np.zeros(k, dtype=np.int64)
    rem_left = 0
    rem_right = 0
    for q in range(k):
        if sides[q] == 1:
            rem_left += times[q]
        elif sides[q] == 2:
            rem_right += times[q]
    total = times.sum()
    rem = total
    memo_used[:] = False
    size = memo_used.shape[0]
    # explicit stack: per depth the state and the next choice to try
    depth_done = np.zeros(k + 1, dtype=np.uint64)
    depth_tl = np.zeros(k + 1, dtype=np.int64)
    depth_tr = np.zeros(k + 1, dtype=np.int64)
    depth_choice = np.zeros(k + 1, dtype=np.int64)  # side * k + task
    depth_task = np.full(k + 1, -1, dtype=np.int64)
    key_ends = np.zeros(k, dtype=np.int64)
    nodes = 0
    d = 0
    depth_done[0] = np.uint64(0)
    fresh = True
    while d >= 0:
        done = depth_done[d]
        tl = depth_tl[d]
        tr = depth_tr[d]
        if fresh:
            fresh = False
            nodes += 1
            if nodes > limit:
                return -1, nodes, start, where
            if done == full:
                return 1, nodes, start, where
            if (tl + rem_left > c or tr + rem_right > c
                    or tl + tr + rem > 2 * c):
                depth_choice[d] = 2 * k  # nothing to try
            else:
                # the state's key: the finishes a task not done waits on
                h = np.uint64(done * np.uint64(0x9E3779B97F4A7C15))
                h ^= np.uint64(tl * 1000003 + tr)
                for q in range(k):
                    key_ends[q] = -1
                    if (done >> np.uint64(q)) & np.uint64(1) and \
                            succ[q] & ~done:
                        key_ends[q] = ends[q]
                        h = (h ^ np.uint64(ends[q] * 31 + q)) * \
                            np.uint64(0x100000001B3)
                slot = int(h % np.uint64(size))
                seen = False
                if memo_used[slot] and memo_done[slot] == done and \
                        memo_t[slot, 0] == tl and memo_t[slot, 1] == tr:
                    seen = True
                    for q in range(k):
                        if memo_ends[slot, q] != key_ends[q]:
                            seen = False
                            break
                if seen:
                    depth_choice[d] = 2 * k
                else:
                    if not memo_used[slot]:
                        memo_used[slot] = True
                        memo_done[slot] = done
                        memo_t[slot, 0] = tl
                        memo_t[slot, 1] = tr
                        for q in range(k):
                            memo_ends[slot, q] = key_ends[q]
                    depth_choice[d] = 0
        # undo the task tried last at this depth
        last = depth_task[d]
        if last >= 0:
            depth_task[d] = -1
            if sides[last] == 1:
                rem_left += times[last]
            elif sides[last] == 2:
                rem_right += times[last]
            rem += times[last]
        idle = tl + tr - (total - rem)
        first = 1 if tl <= tr else 2
        moved = False
        while depth_choice[d] < 2 * k:
            ch = depth_choice[d]
            depth_choice[d] += 1
            turn = ch // k
            q = ch % k
            sd = first if turn == 0 else 3 - first
            if turn == 1 and idle >= slack:
                depth_choice[d] = 2 * k
                break
            if (done >> np.uint64(q)) & np.uint64(1):
                continue
            if pred[q] & ~done:
                continue
            if sides[q] != 0 and sides[q] != sd:
                continue
            cur = tl if sd == 1 else tr
            ready = cur
            for p in range(k):
                if (pred[q] >> np.uint64(p)) & np.uint64(1) and \
                        ends[p] > ready:
                    ready = ends[p]
            fin = ready + times[q]
            if fin > c or idle + ready - cur > slack:
                continue
            start[q] = ready
            where[q] = sd
            ends[q] = fin
            if sides[q] == 1:
                rem_left -= times[q]
            elif sides[q] == 2:
                rem_right -= times[q]
            rem -= times[q]
            depth_task[d] = q
            depth_done[d + 1] = done | (np.uint64(1) << np.uint64(q))
            depth_tl[d + 1] = fin if sd == 1 else tl
            depth_tr[d + 1] = fin if sd == 2 else tr
            depth_task[d + 1] = -1
            d += 1
            fresh = True
            moved = True
            break
        if not moved:
            d -= 1
    return 0, nodes, start, where
