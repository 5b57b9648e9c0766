"""Two-sided balancing of a mixed-model segment for the plant.

The plant's segments carry per-variant task times and a demand mix. The
two-sided line is balanced on the demand-weighted times (in tenths of a
second, rounded up; the cycle in tenths, rounded down, so a line that
fits in integers fits in seconds): fewest mated stations, then fewest
operators (:func:`.fewest_stations.solve_talbp1`). Each variant's
station time is then the makespan of the same positions and task orders
with that variant's times (a task waits for its predecessors on either
side), kept within the variant limit by the searches (each variant is a
further dimension of the problem), and the variants' station times
weighted by demand are kept within the cycle too: that mean, not the
makespan of the weighted times, is what the station takes on average.
Fewer stations than the greedy lines' are fitted one at a time by the
local search from the line on the weighted times, every variant scored,
and by windows re-solved with CP-SAT
(:func:`.fewest_stations.solve_talbp1`). Where the station count stays
above its bound, CP-SAT may try fewer stations with every variant
scheduled (:mod:`.mixed_cpsat`, opt-in), and each station it finds is
re-sequenced to one order per position.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import numpy as np

from taktplan.balance.twosided.budget import Budget
from taktplan.balance.twosided.fewest_stations import solve_talbp1
from taktplan.balance.twosided.finish import stations_of
from taktplan.balance.twosided.improve import order_makespan
from taktplan.balance.twosided.mixed_cpsat import fewer_stations, with_line
from taktplan.stop_request import kernel_safe_interrupts

if TYPE_CHECKING:
    from collections.abc import Callable

    from taktplan.balance.twosided.problem import TwoSidedProblem
    from taktplan.balance.twosided.result import Station, TwoSidedResult

#: Integer units per second of the weighted times.
SCALE = 10
#: Integer units of a variant's demand share in the weighted mean of
#: its station times.
WEIGHT_SCALE = 1000

#: Wall seconds of each CP-SAT model, as a multiple of the budget's time
#: limit: only a safety net against a runaway model, generous because
#: CP-SAT has no CPU-time limit and wall time stretches with the load (a
#: model of trim's 95 tasks takes 10-25 s of CPU for 3 units of
#: deterministic time; at 6 x 10 s a plan at load 9 was cut short).
SAFETY_NET = 30.0


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
    safety_net_hit
        Whether a CP-SAT model was stopped by its wall-clock safety net
        rather than its work budget.
    """

    result: TwoSidedResult
    loads: np.ndarray
    weighted_loads: np.ndarray
    safety_net_hit: bool = False

    @property
    def station_operators(self) -> tuple[int, ...]:
        """Staffed positions per station."""
        return tuple(s.operators for s in self.result.line)


def weighted_problem(problem: TwoSidedProblem, times: np.ndarray,
                     weights: np.ndarray, cycle_s: float,
                     variant_limit_s: float) -> tuple[TwoSidedProblem, int]:
    """``problem`` with weighted times in tenths of a second (each
    variant's times a further dimension within ``variant_limit_s``, and
    the variants' station times, weighted by demand, within the cycle:
    the mean of the makespans, not only the makespan of the mean times,
    which a two-sided station can keep while its variants average 15 %
    above it), and the cycle in the same units."""
    t = np.asarray(times, dtype=np.float64)
    w = np.ceil(SCALE * (t @ np.asarray(weights)) - 1e-9)
    cycle = math.floor(SCALE * cycle_s + 1e-9)
    limit = math.floor(SCALE * variant_limit_s + 1e-9)
    extra = np.ceil(SCALE * t - 1e-9).astype(np.int64)
    shares = tuple(round(WEIGHT_SCALE * float(x)) for x in weights)
    return replace(problem, times=w.astype(np.int64), cycle_time=None,
                   n_stations=None, extra_times=extra,
                   extra_limits=(limit,) * t.shape[1],
                   extra_weights=shares, time_unit_s=1.0 / SCALE), cycle


def checked_problem(problem: TwoSidedProblem, times: np.ndarray,
                    weights: np.ndarray, cycle_s: float,
                    variant_limit_s: float) -> tuple[TwoSidedProblem, int]:
    """:func:`weighted_problem`, checked against its cycle
    (:meth:`~.problem.TwoSidedProblem.check_cycle_time`: every task and
    group bound to one station fits, pins reachable): the one check the
    plant's ``check`` and its balance make.

    Raises
    ------
    InputError
        Naming the task's row and the rule that cannot hold.
    """
    scaled, cycle = weighted_problem(problem, times, weights, cycle_s,
                                     variant_limit_s)
    scaled.check_cycle_time(cycle)
    return scaled, cycle


@kernel_safe_interrupts()
def balance_two_sided_mixed(problem: TwoSidedProblem, times: np.ndarray,
                            weights: np.ndarray, cycle_s: float,
                            variant_limit_s: float,
                            budget: Budget = Budget(),
                            cp_sat_work: float = 0.0,
                            progress: Callable[[float], None] | None = None
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
    cp_sat_work
        CP-SAT deterministic time for each station count below the
        searches' line (0: none). On the built-in plant CP-SAT found
        trim's 13 stations (the searches: 14) in 3.1 units and chassis's
        9 (10) in 2.1, at 3-6 CPU seconds a unit.
    progress
        Called with the share of the searches' budgets spent (0 to 1).
    """
    scaled, cycle = checked_problem(problem, times, weights, cycle_s,
                                    variant_limit_s)
    result = solve_talbp1(scaled, cycle, budget, progress)
    net_hit = False
    if (cp_sat_work > 0 and result.lower_bound < result.n_stations
            and budget.backend in ("auto", "cp-sat")):
        result, net_hit = _fewer_stations(scaled, cycle, result, budget,
                                          cp_sat_work)
    t = np.asarray(times, dtype=np.float64)
    preds = _preds(problem)
    loads = np.zeros((result.n_stations, t.shape[1]))
    for k, station in enumerate(result.line):
        for v in range(t.shape[1]):
            loads[k, v] = _makespan(station, t[:, v], preds)
    return TwoSidedMixedBalance(result, loads, loads @ np.asarray(weights),
                                net_hit)


def _fewer_stations(scaled: TwoSidedProblem, cycle: int,
                    result: TwoSidedResult, budget: Budget, work: float
                    ) -> tuple[TwoSidedResult, bool]:
    """``result`` with fewer stations where CP-SAT finds them (or with a
    bound it proves), each station re-sequenced to one order, and
    whether a model's safety net bit."""
    cpu0 = time.process_time()
    fewer = fewer_stations(scaled, cycle, result.n_stations,
                           result.lower_bound,
                           work_limit=work,
                           time_limit=SAFETY_NET * budget.time_limit,
                           seed=budget.seed)
    net = fewer.safety_net_hit
    if fewer.line is None:
        if fewer.lower_bound == result.lower_bound:
            return result, net
        # a proof that the line's station count is least
        return with_line(scaled, result, result.line, fewer.lower_bound,
                         cpu0), net
    return with_line(scaled, result, stations_of(scaled, fewer.line),
                     fewer.lower_bound, cpu0), net


def _makespan(station: Station, t: np.ndarray,
              preds: list[list[int]]) -> float:
    """Station time of one variant: positions keep their task order, a
    task starts after its position's previous task and its predecessors
    in the station (``preds``: :func:`_preds` of the problem, built once
    for all its stations)."""
    placed = [(s.task, q, s.start) for q, p in enumerate(station.positions)
              for s in p.tasks]
    return float(order_makespan(placed, preds, t))


def _preds(problem: TwoSidedProblem) -> list[list[int]]:
    """Each task's predecessors."""
    out: list[list[int]] = [[] for _ in range(problem.n_tasks)]
    for a, b in problem.arcs:
        out[int(b)].append(int(a))
    return out
