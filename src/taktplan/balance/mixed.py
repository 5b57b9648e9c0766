"""Mixed-model line balancing for the plant (several variants, one line).

Every task goes to one station for all variants. Constraints: the
demand-weighted station time within the cycle, and every variant's
station time within ``variant_limit`` (the overload the sequencer must
then absorb). Objective: fewest stations, then the smoothest loads
across variants (horizontal balancing).

How it is solved
----------------
1. The exact BB&R search of :mod:`._kernel` with ``1 + V`` capacity
   dimensions (the weighted time and each variant's time) finds the
   fewest stations, forward and on the mirrored graph, within a share
   of the time limit; the priority-rule heuristic gives its first line.
2. At that station count a local search (:mod:`.smooth`) moves and
   swaps tasks to minimise the smoothness objective.

Scaling. The search works on integers: variant times in tenths of a
second, weighted times in thousandths of a second, both rounded up, and
capacities rounded down. A line feasible in integers is feasible in
seconds; for times with one decimal and demand shares with at most two
decimals the two models are the same, so ``"optimal"`` (the station
count meets the proved lower bound) holds for the float problem too.

Smoothness. ``smoothness`` is the demand-weighted root mean square,
over stations and variants, of a variant's station time minus the
station's weighted time, in seconds:
``sqrt(sum_s sum_v p_v (L_sv - W_s)^2 / m)``. Zero means every variant
loads every station exactly as the average does.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import numpy as np

from taktplan.balance.check import check_line
from taktplan.balance.heuristic import greedy_lines
from taktplan.balance.mixed_bound import float_lower_bound
from taktplan.balance.prepare import prepare
from taktplan.balance.problem import find_cycle_arc, topological_order
from taktplan.balance.result import load_smoothness, stations_from
from taktplan.balance.search import (
    safety_deadline,
    search_depth_first_rounds,
    tiny_searches,
    warm_once,
    work_for,
)
from taktplan.balance.smooth import smooth_loads
from taktplan.errors import InputError
from taktplan.stop_request import kernel_safe_interrupts

_SOURCE = "<mixed-model problem>"
#: Integer units per second of the variant and weighted dimensions.
VARIANT_SCALE = 10
WEIGHTED_SCALE = 1000


@dataclass(frozen=True)
class MixedModelProblem:
    """Tasks with per-variant times, a demand mix and a joint graph.

    Parameters
    ----------
    task_ids
        A name per task (n tasks).
    times
        ``(n_tasks, n_variants)`` seconds, ``>= 0``.
    weights
        ``(n_variants,)`` demand shares summing to 1.
    arcs
        ``(n_arcs, 2)`` 0-based ``(pred, succ)``.
    cycle_time
        The demand-weighted station time must be ``<=`` this.
    variant_limit
        Every single variant's station time must be ``<=`` this
        (``>= cycle_time``).
    """

    task_ids: tuple[str, ...]
    times: np.ndarray
    weights: np.ndarray
    arcs: np.ndarray
    cycle_time: float
    variant_limit: float


@dataclass(frozen=True)
class MixedModelBalance:
    """A mixed-model line.

    Parameters
    ----------
    status
        ``"optimal"`` when ``n_stations`` equals the proved lower bound,
        else ``"feasible"``.
    n_stations
        Stations of the line.
    lower_bound
        Proved lower bound on the station count.
    stations
        0-based task indices per station, in line order (each station's
        tasks in a precedence-compatible order).
    station_of_task
        0-based station of each task.
    loads
        ``(n_stations, n_variants)`` station time of each variant, s.
    weighted_loads
        ``(n_stations,)`` demand-weighted station time, s.
    smoothness
        Demand-weighted RMS of variant minus weighted station time, s
        (see the module docstring); lower is smoother.
    runtime_s
        Wall-clock seconds.
    safety_net_hit
        The safety net (CPU seconds), not the work or node budget, ended
        the search with the line not proved: another machine or load
        may give another line.
    """

    status: str
    n_stations: int
    lower_bound: int
    stations: tuple[tuple[int, ...], ...]
    station_of_task: np.ndarray
    loads: np.ndarray
    weighted_loads: np.ndarray
    smoothness: float
    runtime_s: float
    safety_net_hit: bool = False

    def summary(self) -> str:
        """One line for people."""
        return (f"{self.status}: {self.n_stations} stations (bound "
                f"{self.lower_bound}), smoothness {self.smoothness:.2f} s, "
                f"{self.runtime_s:.3f} s")


def _validate(problem: MixedModelProblem) -> tuple[np.ndarray, np.ndarray,
                                                   np.ndarray]:
    ids = problem.task_ids
    try:
        t = np.asarray(problem.times, dtype=np.float64)
        p = np.asarray(problem.weights, dtype=np.float64).reshape(-1)
        arcs = np.asarray(problem.arcs, dtype=np.int64).reshape(-1, 2)
    except (TypeError, ValueError) as exc:
        raise InputError(_SOURCE, None, f"arrays not numeric ({exc})",
                         "give numeric times, weights and arcs") from None
    n = len(ids)
    if t.ndim != 2 or t.shape[0] != n or t.shape[1] != p.size or n == 0:
        raise InputError(_SOURCE, "times",
                         f"shape {t.shape} is not (n_tasks={n}, "
                         f"n_variants={p.size})",
                         "give one row per task, one column per variant")
    if not np.isfinite(t).all() or (t < 0).any():
        i = int(np.argmax(~np.isfinite(t).all(axis=1) | (t < 0).any(axis=1)))
        raise InputError(_SOURCE, f"times[{i}]",
                         f"task {ids[i]} has a negative or non-finite time",
                         "give times >= 0 in seconds")
    if (not np.isfinite(p).all() or (p < 0).any()
            or abs(p.sum() - 1.0) > 1e-6):
        raise InputError(_SOURCE, "weights",
                         f"demand shares {p.tolist()} do not sum to 1",
                         "give shares >= 0 that sum to 1")
    c, lim = float(problem.cycle_time), float(problem.variant_limit)
    if not c > 0 or not lim >= c:
        raise InputError(_SOURCE, "cycle_time",
                         f"cycle {c} and variant limit {lim} are not "
                         "0 < cycle <= limit",
                         "give a positive cycle and a limit at least as big")
    bad = (arcs < 0) | (arcs >= n)
    if bad.any() or (arcs[:, 0] == arcs[:, 1]).any():
        k = int(np.argmax(bad.any(axis=1) | (arcs[:, 0] == arcs[:, 1])))
        raise InputError(_SOURCE, f"arcs[{k}]",
                         f"arc {arcs[k].tolist()} is not between two "
                         f"different tasks of 0..{n - 1}",
                         "give 0-based (pred, succ) pairs")
    cycle_arc = find_cycle_arc(n, arcs)
    if cycle_arc is not None:
        a, b = arcs[cycle_arc]
        raise InputError(_SOURCE, f"arcs[{cycle_arc}]",
                         f"precedence cycle through {ids[a]} -> {ids[b]}",
                         "remove an arc so that no task precedes itself")
    w = t @ p
    tol = 1e-9
    over = np.flatnonzero(w > c * (1 + tol))
    if over.size:
        i = int(over[0])
        raise InputError(_SOURCE, f"times[{i}]",
                         f"task {ids[i]} has weighted time {w[i]:.3f} s, "
                         f"more than the cycle {c} s",
                         "split the task or raise the cycle time")
    over_v = np.argwhere(t > lim * (1 + tol))
    if over_v.size:
        i, v = (int(x) for x in over_v[0])
        raise InputError(_SOURCE, f"times[{i}][{v}]",
                         f"task {ids[i]} takes {t[i, v]} s in variant {v}, "
                         f"more than the variant limit {lim} s",
                         "split the task or raise the variant limit")
    return t, p, arcs


def scaled_times(t: np.ndarray, p: np.ndarray, cycle: float, limit: float
                 ) -> tuple[np.ndarray, np.ndarray]:
    """Integer times ``(n, 1 + V)`` and capacities (see module docs)."""
    eps = 1e-6
    weighted = np.ceil(t @ p * WEIGHTED_SCALE - eps)
    variants = np.ceil(t * VARIANT_SCALE - eps)
    times = np.column_stack([weighted, variants]).astype(np.int64)
    cap = np.array([math.floor(cycle * WEIGHTED_SCALE + eps)]
                   + [math.floor(limit * VARIANT_SCALE + eps)] * t.shape[1],
                   dtype=np.int64)
    return np.maximum(times, 0), cap


#: Nodes the exact search of :func:`balance_mixed_model` may expand by
#: default: the plant plan gets the same line on every machine.
MIXED_NODE_LIMIT = 20_000


@kernel_safe_interrupts()
def balance_mixed_model(problem: MixedModelProblem, *,
                        time_limit: float = 10.0,
                        seed: int = 0,
                        node_limit: int | None = MIXED_NODE_LIMIT
                        ) -> MixedModelBalance:
    """Fewest stations, then the smoothest loads across variants.

    Parameters
    ----------
    problem
        The tasks, variant times, demand mix, graph and capacities.
    time_limit
        Seconds: three quarters of it, counted in work
        (:func:`.search.work_for`), go to the exact station count, with
        a safety net of :data:`.search.SAFETY_FACTOR` times that in CPU
        seconds (reported in ``safety_net_hit`` when it bites); the
        smoothing runs on a fixed number of passes.
    seed
        Seed of the heuristic restarts and of the smoothing order.
    node_limit
        Nodes the exact search may expand, on top of the work budget
        (deterministic as well). ``None``: work only.

    Returns
    -------
    MixedModelBalance
        Checked against precedence, the cycle and the variant limit.

    Raises
    ------
    InputError
        On a precedence cycle, a task whose weighted time exceeds the
        cycle, or a variant time above the variant limit.
    """
    warm_up()  # compile before the clock starts
    start = time.perf_counter()
    t, p, arcs = _validate(problem)
    c, lim = float(problem.cycle_time), float(problem.variant_limit)
    n, n_var = t.shape
    times, cap = scaled_times(t, p, c, lim)
    fwd = prepare(times, cap, arcs, increment=False)
    bwd = prepare(times, cap, arcs[:, ::-1], increment=False)
    station_of, ub = greedy_lines(fwd, 50, seed)
    rev_of, rev_ub = greedy_lines(bwd, 50, seed + 1)
    if rev_ub < ub:
        station_of, ub = rev_ub - 1 - rev_of, rev_ub
    lb_int = max(fwd.lower_bound(), bwd.lower_bound())
    found = search_depth_first_rounds(
        fwd, bwd, ub, station_of, lb_int,
        safety_deadline(0.75 * time_limit), node_limit=node_limit,
        work_limit=work_for(0.75 * time_limit))
    ub, station_of, lb_int = found.ub, found.station_of, found.lb
    complete = lb_int >= ub
    lower = ub if complete else max(float_lower_bound(t, p, c, lim),
                                    min(lb_int, ub))
    pred_ptr, pred_idx = fwd.pred_ptr, fwd.pred_idx
    succ_ptr, succ_idx = fwd.succ_ptr, fwd.succ_idx
    of = np.ascontiguousarray(station_of, dtype=np.int64).copy()
    order = np.random.default_rng(seed).permutation(n).astype(np.int64)
    smooth_loads(np.ascontiguousarray(t), np.ascontiguousarray(p), of, ub,
                 pred_ptr, pred_idx, succ_ptr, succ_idx, c, lim, order, 50)
    topo = topological_order(n, arcs)
    stations = stations_from(of, topo)
    # The independent check, on the float problem.
    check_line(stations, np.column_stack([t @ p, t]), arcs,
               np.array([c] + [lim] * n_var))
    m = len(stations)
    dense = np.empty(n, dtype=np.int64)
    for s, load in enumerate(stations):
        dense[list(load)] = s
    loads = np.zeros((m, n_var))
    np.add.at(loads, dense, t)
    weighted = loads @ p
    smooth = load_smoothness(loads, p)
    return MixedModelBalance(
        status="optimal" if lower >= m else "feasible", n_stations=m,
        lower_bound=min(lower, m), stations=stations, station_of_task=dense,
        loads=loads, weighted_loads=weighted, smoothness=smooth,
        runtime_s=time.perf_counter() - start,
        safety_net_hit=found.safety_net_hit)


def _warm_up_mixed() -> None:
    """Run each kernel :func:`balance_mixed_model` uses once.

    Only the variants without the states' bin packing. Only the first
    call in a process does any work (the balance calls it before
    starting its clock; see :mod:`.warmup`); returns the seconds spent.
    """
    # The searches of search_depth_first_rounds (a tiny mixed model is
    # proved at its root and would not reach them), then the heuristic
    # and the smoothing.
    tiny_searches(({}, {"width": 2}))
    balance_mixed_model(MixedModelProblem(
        task_ids=("a", "b", "c", "d"),
        times=np.array([[3.0, 2.0], [3.0, 4.0], [2.0, 2.0], [2.0, 1.0]]),
        weights=np.array([0.5, 0.5]),
        arcs=np.array([[0, 2], [1, 3]], dtype=np.int64), cycle_time=5.0,
        variant_limit=6.0), time_limit=60.0, seed=0)


warm_up = warm_once(_warm_up_mixed)
