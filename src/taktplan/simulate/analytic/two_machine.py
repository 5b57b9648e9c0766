"""Gershwin's exact two-machine lines with a finite buffer.

Both models have machines with operation-dependent failures (a machine
fails only while it works) and a storage of ``N`` places between them;
machine 1 is blocked when the storage holds ``N``, machine 2 starved when
it holds 0. They are solved exactly (linear level reduction of their
Markov chains, :mod:`levels`).

Mapping a line buffer onto ``N`` (blocking after service, one job held in
each station): ``N = buffer + 2``. The storage counts the jobs in the
buffer, the job in machine 2, and the finished job blocked in machine 1:
with ``b`` places machine 1 is blocked exactly when ``b + 1`` jobs are
downstream of it and it holds a finished one. This is exact for the
continuous-time model (:func:`two_machine_exponential`) and, in the
tests, agrees with the simulator for the discrete-time model too.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numba import njit

from taktplan.errors import InputError
from taktplan.simulate.analytic.levels import stationary_levels


@dataclass(frozen=True)
class TwoMachineResult:
    """Exact performance of a two-machine line.

    Parameters
    ----------
    throughput
        Jobs per time unit (per cycle in the discrete model).
    mean_storage
        Mean storage level (``0..N``, see the module's mapping).
    starved, blocked
        Probability that machine 2 is starved (storage empty), and that
        machine 1 is blocked (storage full).
    probabilities
        (N + 1, 4) stationary probabilities of (storage, phase), phase
        ``2 * up1 + up2``.
    """

    throughput: float
    mean_storage: float
    starved: float
    blocked: float
    probabilities: np.ndarray


def _check(N: int, **rates: float) -> None:
    if not (isinstance(N, (int, np.integer)) and N >= 1):
        raise InputError("<analytic>", "N", "storage must be >= 1",
                         "use N = buffer + 2")
    for key, value in rates.items():
        if not (value >= 0 and np.isfinite(value)):
            raise InputError("<analytic>", key, "must be finite and >= 0",
                             "give a rate or a probability")


@njit(cache=True)
def _exp_blocks(mu1, p1, r1, mu2, p2, r2, N):
    down = np.zeros((N + 1, 4, 4))
    same = np.zeros((N + 1, 4, 4))
    up = np.zeros((N + 1, 4, 4))
    for n in range(N + 1):
        for ph in range(4):
            a1 = ph >> 1
            a2 = ph & 1
            if a1 == 1 and n < N:
                up[n, ph, ph] += mu1
                same[n, ph, ph - 2] += p1
            if a1 == 0:
                same[n, ph, ph + 2] += r1
            if a2 == 1 and n > 0:
                down[n, ph, ph] += mu2
                same[n, ph, ph - 1] += p2
            if a2 == 0:
                same[n, ph, ph + 1] += r2
            out = same[n, ph].sum() + up[n, ph].sum() + down[n, ph].sum()
            same[n, ph, ph] -= out
    return down, same, up


def two_machine_exponential(mu1: float, p1: float, r1: float, mu2: float,
                            p2: float, r2: float, N: int
                            ) -> TwoMachineResult:
    """Gershwin's continuous-time two-machine line, solved exactly.

    Machine ``i`` processes at rate ``mu_i`` (exponential times), fails at
    rate ``p_i`` while it works and is repaired at rate ``r_i``.

    Parameters
    ----------
    mu1, p1, r1, mu2, p2, r2
        Processing, failure and repair rates (``1 / mean time``).
    N
        Storage size, ``buffer + 2`` for a line buffer.

    Returns
    -------
    TwoMachineResult
        Throughput in jobs per time unit and the stationary distribution.
    """
    _check(N, mu1=mu1, p1=p1, r1=r1, mu2=mu2, p2=p2, r2=r2)
    down, same, up = _exp_blocks(float(mu1), float(p1), float(r1),
                                 float(mu2), float(p2), float(r2), int(N))
    pi = stationary_levels(down, same, up)
    tp = mu2 * float(pi[1:, 1].sum() + pi[1:, 3].sum())
    return TwoMachineResult(tp, float(np.arange(N + 1) @ pi.sum(1)),
                            float(pi[0].sum()), float(pi[N].sum()), pi)


@njit(cache=True)
def _bern_blocks(p1, r1, p2, r2, N):
    down = np.zeros((N + 1, 4, 4))
    same = np.zeros((N + 1, 4, 4))
    up = np.zeros((N + 1, 4, 4))
    flow = np.zeros((N + 1, 4))
    for n in range(N + 1):
        for ph in range(4):
            a1 = ph >> 1
            a2 = ph & 1
            # next states of each machine with their probabilities
            for b1 in range(2):
                if a1 == 1:
                    if n < N:
                        q1 = 1.0 - p1 if b1 == 1 else p1
                    else:
                        q1 = 1.0 if b1 == 1 else 0.0
                else:
                    q1 = r1 if b1 == 1 else 1.0 - r1
                for b2 in range(2):
                    if a2 == 1:
                        if n > 0:
                            q2 = 1.0 - p2 if b2 == 1 else p2
                        else:
                            q2 = 1.0 if b2 == 1 else 0.0
                    else:
                        q2 = r2 if b2 == 1 else 1.0 - r2
                    q = q1 * q2
                    if q == 0.0:
                        continue
                    inc = 1 if (b1 == 1 and n < N) else 0
                    dec = 1 if (b2 == 1 and n > 0) else 0
                    if dec == 1:
                        flow[n, ph] += q
                    nxt = 2 * b1 + b2
                    if inc - dec == 1:
                        up[n, ph, nxt] += q
                    elif inc - dec == -1:
                        down[n, ph, nxt] += q
                    else:
                        same[n, ph, nxt] += q
            same[n, ph, ph] -= 1.0
    return down, same, up, flow


def two_machine_bernoulli(p1: float, r1: float, p2: float, r2: float,
                          N: int) -> TwoMachineResult:
    """Gershwin's discrete-time (deterministic processing) two-machine line.

    Time is slotted in cycles of 1. In each cycle a working machine fails
    with probability ``p_i`` and then makes no part that cycle; a failed
    machine is repaired with probability ``r_i`` per cycle. The storage
    changes by the parts machine 1 adds (if it is up and not blocked at the
    start of the cycle) minus those machine 2 takes (if up and not
    starved).

    Parameters
    ----------
    p1, r1, p2, r2
        Failure and repair probabilities per cycle.
    N
        Storage size (``buffer + 2`` for a line buffer, see the module).

    Returns
    -------
    TwoMachineResult
        Throughput in parts per cycle and the stationary distribution.
    """
    _check(N, p1=p1, r1=r1, p2=p2, r2=r2)
    for key, v in {"p1": p1, "r1": r1, "p2": p2, "r2": r2}.items():
        if v > 1:
            raise InputError("<analytic>", key, "probability above 1",
                             "give a probability per cycle")
    down, same, up, flow = _bern_blocks(float(p1), float(r1), float(p2),
                                        float(r2), int(N))
    pi = stationary_levels(down, same, up)
    tp = float((pi * flow).sum())
    return TwoMachineResult(tp, float(np.arange(N + 1) @ pi.sum(1)),
                            float(pi[0].sum()), float(pi[N].sum()), pi)
