"""The compiled local search of :mod:`.improve`: tasks moved one at a
time between the operator positions of a two-sided line.

Arrays in, arrays out: task times ``t`` and extra-dimension times ``xt``
(``n x D``, ``D`` may be 0) with their limits ``caps`` and weights
``xw`` (empty: no mean kept); sides, the positions' sides, predecessors
and successors as CSR arrays (``*_ptr``, ``*_idx``); each task's
tie-break ``key`` for the list schedule; the line as each task's
station and position. A station is timed by list scheduling (the ready
task that can start first on its position, ties by ``key``) and, in
each extra dimension, by the same order on the same positions; its
score is the longest of its time, each dimension's time on the scale
of ``ref`` (``ceil(x * ref / cap)``) and the dimensions' weighted mean
(:func:`_extra_score`). The helpers take the instance, the scratch
arrays and the line's state as tuples: numba compiles closures into
every caller, which took 15.7 s cold against 12.2 s.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from taktplan.balance._stop import stop_asked
from taktplan.balance.twosided.problem import EITHER

#: A move evaluated in a station of up to this many tasks counts one
#: unit of the moves budget; in a larger station one more per as many
#: tasks (its rescheduling grows with them).
MOVE_TASKS = 16


@njit(cache=True)
def _schedule(tasks: np.ndarray, cnt: int, t: np.ndarray, pos: np.ndarray,
              oi: int, oq: int, key: np.ndarray, pred_ptr: np.ndarray,
              pred_idx: np.ndarray, loc: np.ndarray, n_pos: int,
              o_task: np.ndarray, o_q: np.ndarray, o_start: np.ndarray,
              finish: np.ndarray, done: np.ndarray, pos_end: np.ndarray
              ) -> int:
    """List-schedule ``tasks[:cnt]`` as one station (task ``oi`` on
    position ``oq`` instead of its own): fills ``o_task``, ``o_q``,
    ``o_start`` in schedule order (starts never decrease) and returns
    the makespan. ``loc`` must be -1 for every task; it holds each
    task's place in ``tasks`` until :func:`_release` clears it."""
    for r in range(cnt):
        loc[tasks[r]] = r
        done[r] = False
    for q in range(n_pos):
        pos_end[q] = 0
    span = 0
    for step in range(cnt):
        best = -1
        best_s = 0
        best_k = 0.0
        for r in range(cnt):
            if done[r]:
                continue
            i = tasks[r]
            q = oq if i == oi else pos[i]
            s = pos_end[q]
            ready = True
            for e in range(pred_ptr[i], pred_ptr[i + 1]):
                la = loc[pred_idx[e]]
                if la >= 0:
                    if not done[la]:
                        ready = False
                        break
                    if finish[la] > s:
                        s = finish[la]
            if not ready:
                continue
            if best < 0 or s < best_s or (s == best_s and key[i] < best_k):
                best, best_s, best_k = r, s, key[i]
        i = tasks[best]
        q = oq if i == oi else pos[i]
        done[best] = True
        finish[best] = best_s + t[i]
        pos_end[q] = finish[best]
        if finish[best] > span:
            span = finish[best]
        o_task[step] = i
        o_q[step] = q
        o_start[step] = best_s
    return span


@njit(cache=True)
def _release(tasks: np.ndarray, cnt: int, loc: np.ndarray) -> None:
    for r in range(cnt):
        loc[tasks[r]] = -1


@njit(cache=True)
def _extra_score(span: int, cnt: int, xt: np.ndarray, caps: np.ndarray,
                 xw: np.ndarray, ref: int, pred_ptr: np.ndarray,
                 pred_idx: np.ndarray, loc: np.ndarray, n_pos: int,
                 o_task: np.ndarray, o_q: np.ndarray, finish: np.ndarray,
                 pos_end: np.ndarray) -> int:
    """``span`` raised by each extra dimension's makespan (the schedule
    ``o_task``/``o_q`` order kept) on the scale of ``ref``, and by their
    mean weighted by ``xw`` (empty: none; its limit is the cycle
    itself, so it is not scaled)."""
    out = span
    mean = 0
    for d in range(caps.shape[0]):
        for q in range(n_pos):
            pos_end[q] = 0
        top = 0
        for step in range(cnt):
            i = o_task[step]
            q = o_q[step]
            s = pos_end[q]
            for e in range(pred_ptr[i], pred_ptr[i + 1]):
                la = loc[pred_idx[e]]
                if la >= 0 and finish[la] > s:
                    s = finish[la]
            f = s + xt[i, d]
            finish[loc[i]] = f
            pos_end[q] = f
            if f > top:
                top = f
        scaled = -(-top * ref // caps[d])
        if scaled > out:
            out = scaled
        if xw.shape[0] > 0:
            mean += xw[d] * top
    if xw.shape[0] > 0:
        mean = -(-mean // xw.sum())
        if mean > out:
            out = mean
    return out


@njit(cache=True)
def _station_score(tasks: np.ndarray, cnt: int, oi: int, oq: int,
                   t: np.ndarray, xt: np.ndarray, caps: np.ndarray,
                   xw: np.ndarray, ref: int,
                   pos: np.ndarray, key: np.ndarray, pred_ptr: np.ndarray,
                   pred_idx: np.ndarray, loc: np.ndarray, n_pos: int,
                   o_task: np.ndarray, o_q: np.ndarray, o_start: np.ndarray,
                   finish: np.ndarray, done: np.ndarray,
                   pos_end: np.ndarray) -> int:
    """The effective time of ``tasks[:cnt]`` as one station."""
    if cnt == 0:
        return 0
    span = _schedule(tasks, cnt, t, pos, oi, oq, key, pred_ptr, pred_idx,
                     loc, n_pos, o_task, o_q, o_start, finish, done, pos_end)
    if caps.shape[0] > 0:
        span = _extra_score(span, cnt, xt, caps, xw, ref, pred_ptr,
                            pred_idx, loc, n_pos, o_task, o_q, finish,
                            pos_end)
    _release(tasks, cnt, loc)
    return span


@njit(cache=True)
def _score(span: np.ndarray, over: int) -> tuple[int, int, int]:
    excess = 0
    top = 0
    ssq = 0
    for x in span:
        if over >= 0 and x > over:
            excess += x - over
        if x > top:
            top = x
        ssq += x * x
    return excess, top, ssq


@njit(cache=True)
def _staffing(span: np.ndarray, load: np.ndarray, count: np.ndarray,
              over: int) -> tuple[int, int, int]:
    """The operator mode's score: the station times' sum above ``over``;
    the staffed positions, then the least work of a staffed position
    (one position drained, not the idle time spread over several); and
    minus the sum of squared position loads (work gathered on fewer
    positions makes room)."""
    excess = 0
    staffed = 0
    least = -1
    sq = 0
    for k in range(span.shape[0]):
        if span[k] > over:
            excess += span[k] - over
        for q in range(load.shape[1]):
            if count[k, q] > 0:
                staffed += 1
                if least < 0 or load[k, q] < least:
                    least = load[k, q]
            sq += load[k, q] * load[k, q]
    return excess, staffed * _STAFFED + least, -sq


#: The staffed positions' weight in the operator mode's second score
#: (above any position's work).
_STAFFED = 1 << 40


@njit(cache=True)
def _state_score(state: tuple, over: int, fewer: bool
                 ) -> tuple[int, int, int]:
    if fewer:
        return _staffing(state[4], state[5], state[6], over)
    return _score(state[4], over)


@njit(cache=True)
def _less(a: tuple[int, int, int], b: tuple[int, int, int]) -> bool:
    if a[0] != b[0]:
        return a[0] < b[0]
    if a[1] != b[1]:
        return a[1] < b[1]
    return a[2] < b[2]


@njit(cache=True)
def _score_of(inst: tuple, scr: tuple, state: tuple, ref: int, k: int,
              oi: int, oq: int, extra: int, drop: int) -> int:
    """Station ``k``'s effective time, without task ``drop``, with task
    ``extra`` added, task ``oi`` on position ``oq`` (-1: none of these)."""
    t, xt, caps, xw, key, pred_ptr, pred_idx = inst[:7]
    pos_side = inst[10]
    loc, o_task, o_q, o_start, finish, done, pos_end, buf = scr
    pos, mem, cnt = state[1], state[2], state[3]
    c = 0
    for r in range(cnt[k]):
        if mem[k, r] != drop:
            buf[c] = mem[k, r]
            c += 1
    if extra >= 0:
        buf[c] = extra
        c += 1
    return _station_score(buf, c, oi, oq, t, xt, caps, xw, ref, pos, key,
                          pred_ptr, pred_idx, loc, pos_side.shape[0], o_task,
                          o_q, o_start, finish, done, pos_end)


@njit(cache=True)
def _rebuild(state: tuple, t: np.ndarray) -> None:
    """Each station's members, and each position's work and tasks, from
    each task's station and position."""
    station, pos, mem, cnt, _, load, count = state
    cnt[:] = 0
    load[:, :] = 0
    count[:, :] = 0
    for i in range(station.shape[0]):
        k = station[i]
        mem[k, cnt[k]] = i
        cnt[k] += 1
        load[k, pos[i]] += t[i]
        count[k, pos[i]] += 1


@njit(cache=True)
def _move(inst: tuple, scr: tuple, state: tuple, ref: int, i: int, k: int,
          k2: int, q: int) -> None:
    """Put task ``i`` from station ``k`` on position ``q`` of ``k2``."""
    station, pos, mem, cnt, span, load, count = state
    t = inst[0]
    load[k, pos[i]] -= t[i]
    count[k, pos[i]] -= 1
    load[k2, q] += t[i]
    count[k2, q] += 1
    for r in range(cnt[k]):
        if mem[k, r] == i:
            mem[k, r] = mem[k, cnt[k] - 1]
            cnt[k] -= 1
            break
    mem[k2, cnt[k2]] = i
    cnt[k2] += 1
    station[i] = k2
    pos[i] = q
    span[k] = _score_of(inst, scr, state, ref, k, -1, -1, -1, -1)
    if k2 != k:
        span[k2] = _score_of(inst, scr, state, ref, k2, -1, -1, -1, -1)


@njit(cache=True)
def _bounds(inst: tuple, station: np.ndarray, m: int, i: int
            ) -> tuple[int, int]:
    """The stations task ``i`` may move to: from its predecessors' last
    to its followers' first."""
    pred_ptr, pred_idx, succ_ptr, succ_idx = inst[5:9]
    lo = 0
    for e in range(pred_ptr[i], pred_ptr[i + 1]):
        if station[pred_idx[e]] > lo:
            lo = station[pred_idx[e]]
    hi = m - 1
    for e in range(succ_ptr[i], succ_ptr[i + 1]):
        if station[succ_idx[e]] < hi:
            hi = station[succ_idx[e]]
    return lo, hi


@njit(cache=True)
def _stations_by(key: np.ndarray) -> np.ndarray:
    """Stations by ascending ``key``, ties by station: an insertion sort
    (numba's sorts cost seconds to compile, and lines have tens of
    stations)."""
    order = np.arange(key.shape[0])
    for a in range(1, order.shape[0]):
        k = order[a]
        b = a
        while b > 0 and key[order[b - 1]] > key[k]:
            order[b] = order[b - 1]
            b -= 1
        order[b] = k
    return order


@njit(cache=True)
def _members(mem: np.ndarray, cnt: np.ndarray, k: int) -> np.ndarray:
    """Station ``k``'s tasks in ascending order (an insertion sort)."""
    members = mem[k, :cnt[k]].copy()
    for a in range(1, members.shape[0]):
        x = members[a]
        b = a
        while b > 0 and members[b - 1] > x:
            members[b] = members[b - 1]
            b -= 1
        members[b] = x
    return members


@njit(cache=True)
def _first_better(inst: tuple, scr: tuple, state: tuple, ref: int,
                  over: int, budget: int, fewer: bool
                  ) -> tuple[int, int, int, int, int]:
    """The first move that lowers the score: ``(moves evaluated, task,
    from, to, position)``, task -1 when none does within ``budget``.

    The cycle mode looks from the longest station down, moves work only
    to a shorter station and takes no station above the longest. The
    operator mode (``fewer``, score :func:`_staffing`) looks from the
    station with the least-loaded staffed position on, tries no move to
    an unstaffed position and takes no station above ``over`` that was
    within it."""
    t, side, pos_side, fixed = inst[0], inst[9], inst[10], inst[11]
    station, pos, mem, cnt, span, load, count = state
    m = span.shape[0]
    now = _state_score(state, over, fewer)
    cycle = _score(span, over)[1]
    if fewer:
        least = np.full(m, -1, dtype=np.int64)
        for k in range(m):
            for q in range(pos_side.shape[0]):
                if count[k, q] > 0 and (least[k] < 0
                                        or load[k, q] < least[k]):
                    least[k] = load[k, q]
        order = _stations_by(least)
    else:
        order = _stations_by(-span)  # longest first
    used = 0
    for k in order:
        # a move reschedules its stations: its work grows with their
        # tasks (P205 with 4 stations: 51 a station, 6 times the CPU of
        # a move of P65's 13)
        cost = max(1, cnt[k] // MOVE_TASKS)
        for i in _members(mem, cnt, k):
            if fixed[i]:
                continue
            without = -1
            lo, hi = _bounds(inst, station, m, i)
            for k2 in range(lo, hi + 1):
                if not fewer and k2 != k and span[k2] >= span[k]:
                    continue  # work only flows to a shorter station
                for q in range(pos_side.shape[0]):
                    if side[i] != EITHER and pos_side[q] != side[i]:
                        continue
                    if (k2 == k and q == pos[i]) or (fewer
                                                     and count[k2, q] == 0):
                        continue
                    used += cost
                    if used > budget:
                        return used - cost, -1, 0, 0, 0
                    old_k = span[k]
                    old_k2 = span[k2]
                    if k2 == k:
                        new_k = _score_of(inst, scr, state, ref, k, i, q, -1,
                                          -1)
                        if new_k > _limit(cycle, over, old_k, fewer):
                            continue
                        span[k] = new_k
                    else:
                        new_k2 = _score_of(inst, scr, state, ref, k2, i, q, i,
                                           -1)
                        if new_k2 > _limit(cycle, over, old_k2, fewer):
                            continue
                        if without < 0:
                            without = _score_of(inst, scr, state, ref, k, -1,
                                                -1, -1, i)
                        if without > _limit(cycle, over, old_k, fewer):
                            continue
                        span[k] = without
                        span[k2] = new_k2
                    p0 = pos[i]
                    load[k, p0] -= t[i]
                    count[k, p0] -= 1
                    load[k2, q] += t[i]
                    count[k2, q] += 1
                    better = _less(_state_score(state, over, fewer), now)
                    load[k, p0] += t[i]
                    count[k, p0] += 1
                    load[k2, q] -= t[i]
                    count[k2, q] -= 1
                    span[k] = old_k
                    span[k2] = old_k2
                    if better:
                        return used, i, k, k2, q
    return used, -1, 0, 0, 0


@njit(cache=True)
def _limit(cycle: int, over: int, old: int, fewer: bool) -> int:
    """The longest a station may become by a move: the line's longest
    station (cycle mode), else ``over`` or the station's own time if it
    is above ``over`` already (operator mode)."""
    if fewer:
        return max(over, old)
    return cycle


@njit(cache=True)
def _first_swap(inst: tuple, scr: tuple, state: tuple, ref: int,
                over: int, budget: int
                ) -> tuple[int, int, int, int, int, int, int]:
    """The first swap that lowers the cycle mode's score: ``(moves
    evaluated, i, its station, its new position, j, its station, its
    new position)``: task ``i`` of a station goes to task ``j``'s
    station and ``j`` to ``i``'s, each within precedence (no arc
    between them) and on the other's position where its side allows,
    else the first it may take; ``i`` -1 when none does within
    ``budget``. Looks from the longest station down, only to shorter
    ones, and takes neither station above the longest. A move of one
    task cannot trade a variant-heavy task for one without that
    variant's time, which a station over one variant's limit needs
    when every other position already holds much of it."""
    side, pos_side, fixed = inst[9], inst[10], inst[11]
    pred_ptr, pred_idx = inst[5], inst[6]
    station, pos, mem, cnt, span = state[:5]
    m = span.shape[0]
    now = _score(span, over)
    cycle = now[1]
    used = 0
    for k in _stations_by(-span):
        if over >= 0 and span[k] <= over:
            break  # only stations above the target gain from a swap
        for i in _members(mem, cnt, k):
            if fixed[i]:
                continue
            lo, hi = _bounds(inst, station, m, i)
            for k2 in range(lo, hi + 1):
                if k2 == k or span[k2] >= span[k]:
                    continue
                cost = max(1, (cnt[k] + cnt[k2]) // MOVE_TASKS)
                for j in _members(mem, cnt, k2):
                    if fixed[j]:
                        continue
                    lo2, hi2 = _bounds(inst, station, m, j)
                    if k < lo2 or k > hi2:
                        continue
                    if (_precedes(pred_ptr, pred_idx, i, j)
                            or _precedes(pred_ptr, pred_idx, j, i)):
                        continue
                    qi = _side_position(pos_side, side[i], pos[j])
                    qj = _side_position(pos_side, side[j], pos[i])
                    used += cost
                    if used > budget:
                        return used - cost, -1, 0, 0, 0, 0, 0
                    new_k = _score_of(inst, scr, state, ref, k, j, qj, j, i)
                    if new_k > cycle:
                        continue
                    new_k2 = _score_of(inst, scr, state, ref, k2, i, qi, i,
                                       j)
                    if new_k2 > cycle:
                        continue
                    old_k, old_k2 = span[k], span[k2]
                    span[k] = new_k
                    span[k2] = new_k2
                    better = _less(_score(span, over), now)
                    span[k] = old_k
                    span[k2] = old_k2
                    if better:
                        return used, i, k, qi, j, k2, qj
    return used, -1, 0, 0, 0, 0, 0


@njit(cache=True)
def _precedes(pred_ptr: np.ndarray, pred_idx: np.ndarray, a: int,
              b: int) -> bool:
    """Whether ``a`` is a direct predecessor of ``b``."""
    # a loop, not any(): numba compiles no generator expressions
    for e in range(pred_ptr[b], pred_ptr[b + 1]):  # noqa: SIM110
        if pred_idx[e] == a:
            return True
    return False


@njit(cache=True)
def _side_position(pos_side: np.ndarray, side: int, prefer: int) -> int:
    """``prefer`` if a task of ``side`` may work there, else the first
    position it may take."""
    if side == EITHER or pos_side[prefer] == side:
        return prefer
    for q in range(pos_side.shape[0]):
        if pos_side[q] == side:
            return q
    return prefer


@njit(cache=True)
def _descend(inst: tuple, scr: tuple, state: tuple, ref: int, over: int,
             budget: int, fewer: bool) -> int:
    """First-better moves until none improves; moves evaluated. Lines
    with extra dimensions (variants) in the cycle mode then try swaps
    (:func:`_first_swap`) where no move helps."""
    used = 0
    swaps = inst[2].shape[0] > 0 and not fewer
    while used < budget:
        u, i, k, k2, q = _first_better(inst, scr, state, ref, over,
                                       budget - used, fewer)
        used += u
        if i < 0:
            if not swaps:
                break
            u, i, k, qi, j, k2, qj = _first_swap(inst, scr, state, ref,
                                                 over, budget - used)
            used += u
            if i < 0:
                break
            _move(inst, scr, state, ref, i, k, k2, qi)
            _move(inst, scr, state, ref, j, k2, k, qj)
            continue
        _move(inst, scr, state, ref, i, k, k2, q)
    return used


@njit(cache=True)
def _random_move(inst: tuple, scr: tuple, state: tuple, ref: int,
                 free: np.ndarray, qs: np.ndarray) -> None:
    """Move a random free task to a random position within precedence."""
    side, pos_side = inst[9], inst[10]
    station = state[0]
    i = free[np.random.randint(0, free.shape[0])]
    lo, hi = _bounds(inst, station, state[4].shape[0], i)
    k2 = np.random.randint(lo, hi + 1)
    nq = 0
    for q in range(pos_side.shape[0]):
        if side[i] == EITHER or pos_side[q] == side[i]:
            qs[nq] = q
            nq += 1
    _move(inst, scr, state, ref, i, station[i], k2,
          qs[np.random.randint(0, nq)])


@njit(cache=True)
def local_search(inst: tuple, ref: int, over: int, station0: np.ndarray,
                 pos0: np.ndarray, m: int, max_moves: int, kick: int,
                 target: int, seed: int, fewer: bool = False,
                 patience: int = -1
                 ) -> tuple[np.ndarray, np.ndarray, int, bool]:
    """Iterated descent from the line ``station0``/``pos0`` (``m``
    stations): first-better moves until none improves (score: the
    station times' sum above ``over`` when ``over >= 0``, the longest,
    their sum of squares), then ``kick`` seeded random moves within
    precedence and a descent again, the best line kept, until
    ``max_moves`` moves are evaluated or the longest station is within
    ``target`` (``-1``: none). ``inst`` is ``(t, xt, caps, xw, key,
    pred_ptr, pred_idx, succ_ptr, succ_idx, side, pos_side, fixed)``.
    Returns the best line's stations and positions, the moves used and
    whether its score is below the start's.

    With ``fewer`` (the operator mode) the score is :func:`_staffing`
    (the sum above ``over``; the staffed positions, then the least work
    of one; minus the squared position loads) and the search stops once
    the line is within ``over`` on at most ``target`` staffed
    positions. ``patience`` (``-1``: none) stops it after that many
    kicks in a row that lower neither of the first two."""
    np.random.seed(seed)
    n = inst[0].shape[0]
    fixed = inst[11]
    n_pos = inst[10].shape[0]
    scr = (np.full(n, -1, dtype=np.int64), np.zeros(n + 1, dtype=np.int64),
           np.zeros(n + 1, dtype=np.int64), np.zeros(n + 1, dtype=np.int64),
           np.zeros(n + 1, dtype=np.int64), np.zeros(n + 1, dtype=np.bool_),
           np.zeros(n_pos, dtype=np.int64), np.zeros(n + 1, dtype=np.int64))
    state = (station0.copy(), pos0.copy(), np.zeros((m, n), dtype=np.int64),
             np.zeros(m, dtype=np.int64), np.zeros(m, dtype=np.int64),
             np.zeros((m, n_pos), dtype=np.int64),
             np.zeros((m, n_pos), dtype=np.int64))
    station, pos, _, _, span = state[:5]
    _rebuild(state, inst[0])
    for k in range(m):
        span[k] = _score_of(inst, scr, state, ref, k, -1, -1, -1, -1)
    start = _state_score(state, over, fewer)
    used = _descend(inst, scr, state, ref, over, max_moves, fewer)
    best_station = station.copy()
    best_pos = pos.copy()
    best_span = span.copy()
    best = _state_score(state, over, fewer)
    n_free = 0
    for i in range(n):
        if not fixed[i]:
            n_free += 1
    free = np.zeros(n_free, dtype=np.int64)
    n_free = 0
    for i in range(n):
        if not fixed[i]:
            free[n_free] = i
            n_free += 1
    qs = np.zeros(n_pos, dtype=np.int64)
    idle = 0  # kicks in a row without a better line
    kicks = 0
    while (used + kick < max_moves and n_free > 0
           and (patience < 0 or idle < patience)
           and (target < 0 or (best[0] > 0 and fewer)
                or (best[1] // _STAFFED if fewer else best[1]) > target)):
        kicks += 1
        if (kicks & 15) == 0 and stop_asked():  # Ctrl-C
            break
        for _ in range(kick):
            _random_move(inst, scr, state, ref, free, qs)
        used += kick
        used += _descend(inst, scr, state, ref, over, max_moves - used,
                         fewer)
        now = _state_score(state, over, fewer)
        # progress: less excess, fewer positions or a lighter least one
        idle = 0 if (now[0], now[1]) < (best[0], best[1]) else idle + 1
        if not _less(best, now):
            best = now
            best_station[:] = station
            best_pos[:] = pos
            best_span[:] = span
        else:
            station[:] = best_station
            pos[:] = best_pos
            span[:] = best_span
            _rebuild(state, inst[0])
    return best_station, best_pos, used, _less(best, start)


@njit(cache=True)
def station_schedule(tasks: np.ndarray, t: np.ndarray, pos: np.ndarray,
                     key: np.ndarray, pred_ptr: np.ndarray,
                     pred_idx: np.ndarray, n_pos: int
                     ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The list schedule of ``tasks`` as one station: tasks, positions
    and starts in schedule order."""
    cnt = tasks.shape[0]
    n = t.shape[0]
    loc = np.full(n, -1, dtype=np.int64)
    o_task = np.zeros(cnt, dtype=np.int64)
    o_q = np.zeros(cnt, dtype=np.int64)
    o_start = np.zeros(cnt, dtype=np.int64)
    finish = np.zeros(cnt, dtype=np.int64)
    done = np.zeros(cnt, dtype=np.bool_)
    pos_end = np.zeros(n_pos, dtype=np.int64)
    if cnt:
        _schedule(tasks, cnt, t, pos, -1, -1, key, pred_ptr, pred_idx, loc,
                  n_pos, o_task, o_q, o_start, finish, done, pos_end)
    return o_task, o_q, o_start
