"""The compiled greedy line of :func:`.heuristic.construct`.

The same rule as the Python station fill (:class:`.station.StationState`)
on arrays: station by station, every task whose predecessors are all
placed is tried on each operator position (a side's first unstaffed
position only) at its earliest start, and the move with the largest key
(boost, priority, earlier start, lower position) is appended; the first
of equal keys, in task then position order, wins, as in the Python
loop. On the plant's trim copied four times (380 tasks, six variants)
152 lines took 8 s in Python.

Together groups: once the station takes a member, the other members and
their predecessors go first; a station that cannot finish a group it
opened is filled again without that group (the first it opened), which
then starts a later station. Before, such a station ended the line: on
60 random lines with rules at five cycles each the greedy found 230
lines of 300, now 266; one of them had a line at cycle 56 and none at
70 or 84, now 4, 4 and 3 stations.
"""

from __future__ import annotations

import numpy as np
from numba import njit

#: :func:`construct_line`'s status: a line, more stations than allowed,
#: a zoning rule broken (a pin or a together group the greedy could not
#: keep).
OK, TOO_MANY, BROKEN = 0, 1, 2


@njit(cache=True)
def construct_line(t: np.ndarray, side: np.ndarray, pred_ptr: np.ndarray,
                   pred_idx: np.ndarray, apart_ptr: np.ndarray,
                   apart_idx: np.ndarray, pin: np.ndarray, group: np.ndarray,
                   grouped: np.ndarray, urgent: np.ndarray,
                   pos_side: np.ndarray, xt: np.ndarray, caps: np.ndarray,
                   xw: np.ndarray, c: int, prio: np.ndarray,
                   max_stations: int, max_positions: int
                   ) -> tuple[int, np.ndarray, np.ndarray, np.ndarray,
                              np.ndarray]:
    """One greedy line: ``(status, task, position, start, station)`` of
    every task in the order placed (``station`` nondecreasing; a station
    may stay empty where the rest waits for a pin). ``max_positions``
    -1 for no limit on staffed positions."""
    n = t.shape[0]
    n_pos = pos_side.shape[0]
    n_dim = caps.shape[0]
    w_sum = 0
    for d in range(n_dim):
        w_sum += xw[d]
    out_task = np.empty(n, np.int64)
    out_pos = np.empty(n, np.int64)
    out_start = np.empty(n, np.int64)
    out_station = np.empty(n, np.int64)
    done = np.zeros(n, np.bool_)
    in_st = np.zeros(n, np.bool_)
    finish = np.zeros(n, np.int64)
    xfinish = np.zeros((n, max(n_dim, 1)), np.int64)
    pos_finish = np.zeros(n_pos, np.int64)
    pos_used = np.zeros(n_pos, np.int64)
    xpos = np.zeros((max(n_dim, 1), n_pos), np.int64)
    group_in = np.zeros(n, np.int64)  # tasks of each group in the station
    # predecessors of the unplaced members of a group the station opened
    need = np.zeros(n, np.bool_)
    banned = np.zeros(n, np.bool_)  # groups the open station cannot take
    stack = np.empty(n, np.int64)
    ends = np.zeros(max(n_dim, 1), np.int64)
    placed = 0
    staffed = 0
    k = 0
    while placed < n:
        if k >= max_stations:
            return TOO_MANY, out_task, out_pos, out_start, out_station
        first = placed
        banned[:] = False
        while True:  # until no together group is left split
            pos_finish[:] = 0
            pos_used[:] = 0
            xpos[:, :] = 0
            need[:] = False
            while True:
                used_now = 0
                for q in range(n_pos):
                    if pos_used[q] > 0:
                        used_now += 1
                only_used = max_positions >= 0 and (
                    staffed + used_now >= max_positions)
                best_i = -1
                best_q = 0
                best_s = 0
                best_boost = 0.0
                best_prio = 0.0
                for i in range(n):
                    if done[i] or in_st[i] or banned[group[i]]:
                        continue
                    ready = 0
                    blocked = False
                    for e in range(pred_ptr[i], pred_ptr[i + 1]):
                        a = pred_idx[e]
                        if in_st[a]:
                            if finish[a] > ready:
                                ready = finish[a]
                        elif not done[a]:
                            blocked = True
                            break
                    if blocked:
                        continue
                    if pin[i] >= 0 and pin[i] != k:
                        continue
                    for e in range(apart_ptr[i], apart_ptr[i + 1]):
                        if in_st[apart_idx[e]]:
                            blocked = True
                            break
                    if blocked:
                        continue
                    boost = 0.0
                    if (grouped[i] and group_in[group[i]] > 0) or need[i]:
                        boost = 2.0
                    elif 0 <= urgent[i] <= k:
                        boost = 1.0
                    for q in range(n_pos):
                        s = pos_side[q]
                        if side[i] != 0 and s != side[i]:
                            continue
                        if pos_used[q] == 0:
                            if only_used:
                                continue
                            # only the first unstaffed position of a side
                            first_free = True
                            for q2 in range(q):
                                if pos_side[q2] == s and pos_used[q2] == 0:
                                    first_free = False
                                    break
                            if not first_free:
                                continue
                        start = max(ready, pos_finish[q])
                        if start + t[i] > c:
                            continue
                        if n_dim > 0 and not _extra_fits(
                                i, q, pred_ptr, pred_idx, in_st, xfinish, xpos,
                                xt, caps, xw, w_sum, c, ends):
                            continue
                        if best_i >= 0:
                            # key (boost, prio, -start, -q), the first of
                            # equal keys kept
                            if boost != best_boost:
                                if boost < best_boost:
                                    continue
                            elif prio[i] != best_prio:
                                if prio[i] < best_prio:
                                    continue
                            elif start != best_s:
                                if start > best_s:
                                    continue
                            elif q >= best_q:
                                continue
                        best_i, best_q, best_s = i, q, start
                        best_boost, best_prio = boost, prio[i]
                if best_i < 0:
                    break
                i, q = best_i, best_q
                in_st[i] = True
                group_in[group[i]] += 1
                if grouped[i] and group_in[group[i]] == 1:
                    _mark_needed(i, group, pred_ptr, pred_idx, done, in_st,
                                 need, stack)
                finish[i] = best_s + t[i]
                pos_finish[q] = finish[i]
                pos_used[q] += 1
                for d in range(n_dim):
                    end = _extra_end(i, q, d, pred_ptr, pred_idx, in_st,
                                     xfinish, xpos, xt)
                    xfinish[i, d] = end
                    xpos[d, q] = end
                out_task[placed] = i
                out_pos[placed] = q
                out_start[placed] = best_s
                out_station[placed] = k
                placed += 1
            split = -1
            for e in range(first, placed):
                i = out_task[e]
                if grouped[i] and group_in[group[i]] < _group_size(group, i):
                    split = group[i]
                    break
            if split < 0:
                break
            # the station opened a together group it cannot finish: fill
            # it again without that group (a pinned group cannot wait)
            for j in range(n):
                if group[j] == split and pin[j] >= 0:
                    return BROKEN, out_task, out_pos, out_start, out_station
            banned[split] = True
            for e in range(first, placed):
                i = out_task[e]
                in_st[i] = False
                group_in[group[i]] = 0
            placed = first
        if placed == first:
            waits = False
            for i in range(n):
                if not done[i] and pin[i] > k:
                    waits = True
                    break
            if not waits:
                return BROKEN, out_task, out_pos, out_start, out_station
            k += 1  # an empty station: the rest waits for a pin
            continue
        for i in range(n):
            if pin[i] == k and not in_st[i]:
                return BROKEN, out_task, out_pos, out_start, out_station
        for q in range(n_pos):
            if pos_used[q] > 0:
                staffed += 1
        for e in range(first, placed):
            i = out_task[e]
            in_st[i] = False
            done[i] = True
            group_in[group[i]] = 0
        k += 1
    return OK, out_task, out_pos, out_start, out_station


@njit(cache=True)
def _mark_needed(i: int, group: np.ndarray, pred_ptr: np.ndarray,
                 pred_idx: np.ndarray, done: np.ndarray, in_st: np.ndarray,
                 need: np.ndarray, stack: np.ndarray) -> None:
    """Mark in ``need`` every predecessor, direct or not, of the members
    of ``i``'s together group that are neither placed nor in the
    station: the group opened, so they must join it here too."""
    top = 0
    for j in range(group.shape[0]):
        if group[j] == group[i] and not done[j] and not in_st[j]:
            stack[top] = j
            top += 1
    while top > 0:
        top -= 1
        j = stack[top]
        for e in range(pred_ptr[j], pred_ptr[j + 1]):
            a = pred_idx[e]
            if not done[a] and not in_st[a] and not need[a]:
                need[a] = True
                stack[top] = a
                top += 1


@njit(cache=True)
def _group_size(group: np.ndarray, i: int) -> int:
    size = 0
    for j in range(group.shape[0]):
        if group[j] == group[i]:
            size += 1
    return size


@njit(cache=True)
def _extra_end(i: int, q: int, d: int, pred_ptr: np.ndarray,
               pred_idx: np.ndarray, in_st: np.ndarray, xfinish: np.ndarray,
               xpos: np.ndarray, xt: np.ndarray) -> int:
    """Finish of task ``i`` on position ``q`` in extra dimension ``d``."""
    ready = xpos[d, q]
    for e in range(pred_ptr[i], pred_ptr[i + 1]):
        a = pred_idx[e]
        if in_st[a] and xfinish[a, d] > ready:
            ready = xfinish[a, d]
    return ready + xt[i, d]


@njit(cache=True)
def _extra_fits(i: int, q: int, pred_ptr: np.ndarray, pred_idx: np.ndarray,
                in_st: np.ndarray, xfinish: np.ndarray, xpos: np.ndarray,
                xt: np.ndarray, caps: np.ndarray, xw: np.ndarray,
                w_sum: int, c: int, ends: np.ndarray) -> bool:
    """Whether task ``i`` on position ``q`` keeps every extra dimension
    within its limit and, with weights, their weighted mean station time
    within ``c``."""
    n_dim = caps.shape[0]
    for d in range(n_dim):
        ends[d] = _extra_end(i, q, d, pred_ptr, pred_idx, in_st, xfinish,
                             xpos, xt)
        if ends[d] > caps[d]:
            return False
    if xw.shape[0] == 0:
        return True
    mean = 0
    for d in range(n_dim):
        span = ends[d]
        for q2 in range(xpos.shape[1]):
            if xpos[d, q2] > span:
                span = xpos[d, q2]
        mean += xw[d] * span
    return mean <= w_sum * c
