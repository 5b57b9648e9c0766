"""The exact Markov chain of a short line with exponential times.

State: for each station one of *starved* (empty), *working*, *down*
(failed while working) or *blocked* (holding a finished job), and the
level of each buffer. Processing, failure and repair times are
exponential (means: processing time, ``mtbf``, ``mttr``), failures are
operation-dependent and blocking is after service, exactly as in the
simulator with ``process = "exponential"``. Reachable states are
enumerated from the empty line and the generator is solved with a sparse
direct solver; a few tens of thousands of states take well under a second.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from taktplan.errors import InputError

if TYPE_CHECKING:
    from taktplan.simulate.model import Line

STARVED, WORKING, DOWN, BLOCKED = 0, 1, 2, 3


@dataclass(frozen=True)
class ChainResult:
    """Exact stationary performance of a short exponential line.

    Parameters
    ----------
    throughput
        Jobs per time unit.
    states
        Number of reachable states.
    fractions
        (stations, 4) probabilities working, blocked, starved, down.
    mean_buffer
        Mean level of each buffer.
    wip
        Mean number of jobs in the line.
    """

    throughput: float
    states: int
    fractions: np.ndarray
    mean_buffer: np.ndarray
    wip: float


def _pull(st: list[int], q: list[int], i: int) -> None:
    """Station ``i`` has just emptied: take the next job if there is one."""
    while True:
        if i == 0:
            st[0] = WORKING
            return
        if q[i - 1] > 0:
            q[i - 1] -= 1
            st[i] = WORKING
            if st[i - 1] == BLOCKED:
                q[i - 1] += 1
                st[i - 1] = STARVED
                i -= 1
                continue
            return
        if st[i - 1] == BLOCKED:
            st[i] = WORKING
            st[i - 1] = STARVED
            i -= 1
            continue
        st[i] = STARVED
        return


def _finish(st: list[int], q: list[int], i: int, buf: tuple[int, ...]
            ) -> None:
    n = len(st)
    if i < n - 1:
        if st[i + 1] == STARVED:
            st[i + 1] = WORKING
        elif q[i] < buf[i]:
            q[i] += 1
        else:
            st[i] = BLOCKED
            return
    st[i] = STARVED
    _pull(st, q, i)


def exact_line(line: Line, *, max_states: int = 500_000) -> ChainResult:
    """Solve the Markov chain of ``line`` exactly.

    Parameters
    ----------
    line
        A line of single stations without paced segments; every station's
        processing time is taken as exponential with its mean (over
        variants).
    max_states
        Refuse lines whose chain is larger.

    Returns
    -------
    ChainResult
        Throughput, state fractions, buffer levels and WIP.
    """
    from scipy.sparse import coo_matrix
    from scipy.sparse.linalg import spsolve

    if line.segments or any(s.parallel != 1 for s in line.stations):
        raise InputError("<analytic>", None, "the exact chain takes single "
                         "stations without paced segments",
                         "simulate this line instead")
    n = len(line.stations)
    mu = [1.0 / float(s.process_times.mean()) for s in line.stations]
    fail = [1.0 / s.mtbf if s.fails else 0.0 for s in line.stations]
    rep = [1.0 / s.mttr if s.fails else 0.0 for s in line.stations]
    buf = line.buffers
    st0 = [STARVED] * n
    q0 = [0] * max(n - 1, 0)
    _pull(st0, q0, 0)
    start = (tuple(st0), tuple(q0))
    index = {start: 0}
    order = [start]
    rows: list[int] = []
    cols: list[int] = []
    vals: list[float] = []
    k = 0
    while k < len(order):
        st_t, q_t = order[k]
        moves: list[tuple[tuple, float]] = []
        for i in range(n):
            if st_t[i] == WORKING:
                st, q = list(st_t), list(q_t)
                _finish(st, q, i, buf)
                moves.append(((tuple(st), tuple(q)), mu[i]))
                if fail[i] > 0:
                    st = list(st_t)
                    st[i] = DOWN
                    moves.append(((tuple(st), q_t), fail[i]))
            elif st_t[i] == DOWN:
                st = list(st_t)
                st[i] = WORKING
                moves.append(((tuple(st), q_t), rep[i]))
        for target, rate in moves:
            j = index.get(target)
            if j is None:
                j = len(order)
                if j >= max_states:
                    raise InputError("<analytic>", None,
                                     f"more than {max_states} states",
                                     "use fewer stations or smaller "
                                     "buffers, or simulate")
                index[target] = j
                order.append(target)
            rows.append(k)
            cols.append(j)
            vals.append(rate)
        k += 1
    m = len(order)
    out = np.zeros(m)
    np.add.at(out, rows, vals)
    q_mat = coo_matrix((vals + list(-out), (rows + list(range(m)),
                                            cols + list(range(m)))),
                       shape=(m, m)).tocsr()
    a = q_mat.T.tolil()
    a[m - 1, :] = np.ones(m)
    rhs = np.zeros(m)
    rhs[m - 1] = 1.0
    pi = spsolve(a.tocsc(), rhs)
    pi = np.clip(pi, 0.0, None)
    pi /= pi.sum()
    status = np.array([s for s, _ in order])
    levels = np.array([q for _, q in order]).reshape(m, max(n - 1, 0))
    fr = np.zeros((n, 4))
    for col, code in enumerate((WORKING, BLOCKED, STARVED, DOWN)):
        fr[:, col] = pi @ (status == code)
    tp = float(mu[-1] * fr[-1, 0])
    mean_buf = pi @ levels if n > 1 else np.zeros(0)
    wip = float(pi @ (status != STARVED).sum(axis=1) + mean_buf.sum())
    return ChainResult(tp, m, fr, mean_buf, wip)
