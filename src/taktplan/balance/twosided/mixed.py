"""Two-sided balancing of a mixed-model segment for the plant.

The plant's segments carry per-variant task times and a demand mix.
The two-sided line is balanced on the demand-weighted times (in tenths
of a second, rounded up; the cycle in tenths, rounded down, so a line
that fits in integers fits in seconds): fewest mated stations, then
fewest operators (:func:`.solve.solve_talbp1`). Each variant's station
time is then the makespan of the same positions and task orders with
that variant's times (a task waits for its predecessors on either side),
kept within the variant limit by the searches (each variant is a further
dimension of the problem; the CP-SAT model, which does not know them, is
not used here).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import numpy as np

from taktplan.balance.twosided.solve import Budget, solve_talbp1

if TYPE_CHECKING:
    from taktplan.balance.twosided.problem import TwoSidedProblem
    from taktplan.balance.twosided.result import Station, TwoSidedResult

#: Integer units per second of the weighted times.
SCALE = 10


@dataclass(frozen=True)
class TwoSidedMixedBalance:
    """A balanced two-sided mixed-model segment.

    Attributes
    ----------
    result
        The line on the weighted times (tenths of a second).
    loads
        ``(n_stations, n_variants)`` each variant's station makespan, s.
    weighted_loads
        The demand-weighted station makespan, s.
    """

    result: TwoSidedResult
    loads: np.ndarray
    weighted_loads: np.ndarray

    @property
    def station_operators(self) -> tuple[int, ...]:
        """Staffed positions per station."""
        return tuple(s.operators for s in self.result.line)


def weighted_problem(problem: TwoSidedProblem, times: np.ndarray,
                     weights: np.ndarray, cycle_s: float,
                     variant_limit_s: float) -> tuple[TwoSidedProblem, int]:
    """``problem`` with weighted times in tenths of a second (each
    variant's times a further dimension within ``variant_limit_s``), and
    the cycle in the same units."""
    t = np.asarray(times, dtype=np.float64)
    w = np.ceil(SCALE * (t @ np.asarray(weights)) - 1e-9)
    cycle = math.floor(SCALE * cycle_s + 1e-9)
    limit = math.floor(SCALE * variant_limit_s + 1e-9)
    extra = np.ceil(SCALE * t - 1e-9).astype(np.int64)
    return replace(problem, times=w.astype(np.int64), cycle_time=None,
                   n_stations=None, extra_times=extra,
                   extra_limits=(limit,) * t.shape[1]), cycle


def balance_two_sided_mixed(problem: TwoSidedProblem, times: np.ndarray,
                            weights: np.ndarray, cycle_s: float,
                            variant_limit_s: float,
                            budget: Budget = Budget()
                            ) -> TwoSidedMixedBalance:
    """Balance a two-sided mixed-model segment at ``cycle_s``.

    Parameters
    ----------
    problem
        Sides, arcs and zoning rules (its times are replaced).
    times
        ``(n_tasks, n_variants)`` seconds.
    weights
        Demand shares of the variants.
    cycle_s
        The demand-weighted station time limit (schedule included).
    variant_limit_s
        Every variant's station time limit: the same positions and
        orders timed with that variant's times must end within it.
    budget
        The searches' budgets.
    """
    scaled, cycle = weighted_problem(problem, times, weights, cycle_s,
                                     variant_limit_s)
    scaled.check_cycle_time(cycle)
    result = solve_talbp1(scaled, cycle, budget)
    t = np.asarray(times, dtype=np.float64)
    loads = np.zeros((result.n_stations, t.shape[1]))
    for k, station in enumerate(result.line):
        for v in range(t.shape[1]):
            loads[k, v] = _makespan(station, problem, t[:, v])
    return TwoSidedMixedBalance(result, loads, loads @ np.asarray(weights))


def _makespan(station: Station, problem: TwoSidedProblem,
              t: np.ndarray) -> float:
    """Station time of one variant: positions keep their task order, a
    task starts after its position's previous task and its predecessors
    in the station."""
    order = sorted(((s.start, q, s.task) for q, p in
                    enumerate(station.positions) for s in p.tasks))
    preds: dict[int, list[int]] = {}
    for a, b in problem.arcs:
        preds.setdefault(int(b), []).append(int(a))
    finish: dict[int, float] = {}
    pos_end = [0.0] * len(station.positions)
    for _, q, i in order:
        ready = max([finish[a] for a in preds.get(i, []) if a in finish],
                    default=0.0)
        start = max(ready, pos_end[q])
        finish[i] = pos_end[q] = start + float(t[i])
    return max(pos_end, default=0.0)
