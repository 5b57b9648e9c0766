"""Lower bound from two options at a time (Lagrangian dynamic program).

The excess of a sequence is a sum over options, so the excess of any two
options ``i`` and ``j`` bounds it from below together with the cheap
one-option bounds of the others. For two options alone a car is one of
four kinds (neither, ``i`` only, ``j`` only, both); what ties them is
how many cars carry both. A dynamic program over the positions with
state (the flags of the last ``q_i - 1`` and ``q_j - 1`` cars, cars with
``i`` placed, cars with ``j`` placed) finds the least

    excess_i + excess_j + lam * (cars with both)

over all 0/1 sequences with the right number of ``i`` and ``j`` cars;
minus ``lam`` times the real number of cars with both, it is a lower
bound on ``excess_i + excess_j`` for every ``lam`` (Lagrangian
relaxation of the "both" count). When the instance has far fewer cars
with both options than their densities would put together, ``lam = 1``
charges every coincidence one unit, which is what a violation costs.

On pb_400_03 (options 3 and 5, rules 1/3 and 1/5, 131 and 80 cars of
400, only 8 with both) it gives 12: the local search's 12 is optimal
under the summed-excess measure.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from numba import njit

from taktplan.sequence.evaluate import violations_per_option

if TYPE_CHECKING:
    from taktplan.sequence.instance import CarSequencingInstance

INF = 1e18


@njit(cache=True)
def _ones(bits):
    """Set bits of every number below ``2**bits`` (the cars in a state)."""
    out = np.zeros(1 << bits, dtype=np.int64)
    for b in range(1 << bits):
        c = 0
        for i in range(bits):
            c += (b >> i) & 1
        out[b] = c
    return out


@njit(cache=True)
def _pair_dp(n, p1, q1, n1, p2, q2, n2, lam):
    """Least excess_1 + excess_2 + lam * coincidences (see module doc)."""
    m1 = 1 << (q1 - 1)
    m2 = 1 << (q2 - 1)
    cnt1 = _ones(q1 - 1)
    cnt2 = _ones(q2 - 1)
    cur = np.full((m1, m2, n1 + 1, n2 + 1), INF)
    cur[0, 0, 0, 0] = 0.0
    for t in range(n):
        nxt = np.full((m1, m2, n1 + 1, n2 + 1), INF)
        # Cars of each option still to place bound the counts from below.
        lo1 = max(0, n1 - (n - t))
        lo2 = max(0, n2 - (n - t))
        for b1 in range(m1):
            for b2 in range(m2):
                c1 = cnt1[b1]
                c2 = cnt2[b2]
                for i in range(lo1, min(n1, t) + 1):
                    for j in range(lo2, min(n2, t) + 1):
                        v = cur[b1, b2, i, j]
                        if v >= INF:
                            continue
                        for y1 in range(2):
                            if i + y1 > n1:
                                continue
                            add1 = 0.0
                            if t >= q1 - 1 and c1 + y1 > p1:
                                add1 = c1 + y1 - p1
                            nb1 = ((b1 << 1) | y1) & (m1 - 1)
                            for y2 in range(2):
                                if j + y2 > n2:
                                    continue
                                add = add1
                                if t >= q2 - 1 and c2 + y2 > p2:
                                    add += c2 + y2 - p2
                                if y1 == 1 and y2 == 1:
                                    add += lam
                                nb2 = ((b2 << 1) | y2) & (m2 - 1)
                                w = v + add
                                if w < nxt[nb1, nb2, i + y1, j + y2]:
                                    nxt[nb1, nb2, i + y1, j + y2] = w
        cur = nxt
    best = INF
    for b1 in range(m1):
        for b2 in range(m2):
            if cur[b1, b2, n1, n2] < best:
                best = cur[b1, b2, n1, n2]
    return best


def pair_dp_work(instance: CarSequencingInstance, i: int, j: int) -> int:
    """Cell updates the dynamic program of options ``i``, ``j`` costs."""
    n = instance.n_cars
    d = instance.option_demand()
    return int(n * (1 << (int(instance.q[i]) - 1))
               * (1 << (int(instance.q[j]) - 1))
               * (int(d[i]) + 1) * (int(d[j]) + 1) * 4)


def pair_lower_bound(instance: CarSequencingInstance, i: int, j: int,
                     lam: float = 1.0) -> int:
    """Lower bound on the excess of options ``i`` and ``j`` together.

    Parameters
    ----------
    instance
        The problem.
    i, j
        Two different options.
    lam
        Lagrange multiplier of the "cars with both options" count (any
        value gives a valid bound; 1 suits instances with few such cars,
        -1 those with many).
    """
    if i == j:
        raise ValueError("two different options are needed")
    n = instance.n_cars
    d = instance.option_demand()
    both = int(instance.class_counts[
        (instance.options[:, i] == 1) & (instance.options[:, j] == 1)].sum())
    best = _pair_dp(n, int(instance.p[i]), int(instance.q[i]), int(d[i]),
                    int(instance.p[j]), int(instance.q[j]), int(d[j]),
                    float(lam))
    value = best - lam * both
    # The excess is an integer: round the bound up (with a guard for
    # floating-point noise).
    return max(0, int(np.ceil(value - 1e-6)))


def one_option_bound(instance: CarSequencingInstance, k: int) -> int:
    """The cheap bound of one option (see ``simple_lower_bound``)."""
    n = instance.n_cars
    p, q = int(instance.p[k]), int(instance.q[k])
    if n < q:
        return 0
    cap = (n // q) * p + min(p, n % q)
    return max(0, int(instance.option_demand()[k]) - cap)


def pair_bound_for(
    instance: CarSequencingInstance,
    sequence: np.ndarray,
    *,
    max_work: float,
) -> tuple[int, tuple[int, int] | None]:
    """Lower bound on all violations from the pairs of options that fail.

    Pairs are tried in order of their excess in ``sequence`` (a good
    sequence: where it still fails is where the instance is tight), first
    each with ``lam = 1`` when fewer cars carry both options than their
    densities would put together by chance, else -1, then with the other
    sign; the other options add their one-option bounds. It stops when
    the bound meets the sequence's violations or the next dynamic program
    would take the total work past ``max_work``.

    Parameters
    ----------
    instance
        The problem.
    sequence
        A good sequence of it (e.g. the local search's best).
    max_work
        Most work for all the dynamic programs together, in cell updates
        (see :func:`pair_dp_work`); a size, not a time, so the bound does
        not depend on the machine's load.

    Returns
    -------
    (bound, pair): the best bound and the pair that gave it (``None``
    when the one-option bounds were not beaten).
    """
    m = instance.n_options
    simple = [one_option_bound(instance, k) for k in range(m)]
    best, used = sum(simple), None
    if m < 2 or instance.n_cars == 0:
        return best, used
    per = [int(v) for v in violations_per_option(instance, sequence)]
    target = sum(per)
    pairs = [(i, j) for i in range(m) for j in range(i + 1, m)
             if per[i] + per[j] > 0]
    pairs.sort(key=lambda ij: (-(per[ij[0]] + per[ij[1]]),
                               -max(per[ij[0]], per[ij[1]]), ij))
    n = instance.n_cars
    d = instance.option_demand()
    tries = []
    for flip in (False, True):
        for i, j in pairs:
            both = int(instance.class_counts[(instance.options[:, i] == 1)
                                             & (instance.options[:, j] == 1)
                                             ].sum())
            lam = 1.0 if both * n < int(d[i]) * int(d[j]) else -1.0
            tries.append((i, j, -lam if flip else lam))
    spent = 0
    for i, j, lam in tries:
        if best >= target:
            break
        work = pair_dp_work(instance, i, j)
        if spent + work > max_work:
            continue
        spent += work
        value = (pair_lower_bound(instance, i, j, lam)
                 + best_rest(simple, i, j))
        if value > best:
            best, used = value, (i, j)
    return best, used


def best_rest(simple: list[int], i: int, j: int) -> int:
    """One-option bounds of every option but ``i`` and ``j``."""
    return sum(simple) - simple[i] - simple[j]


def warm_up() -> None:
    """Compile (or load from numba's cache) the pair program, tiny."""
    _pair_dp(3, 1, 2, 1, 1, 2, 1, 1.0)
