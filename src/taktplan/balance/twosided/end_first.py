"""Type I's one-sided end first: where the operator bound at ``m``
stations is ``2 m - 1``, a line of ``m`` stations with one one-sided
end station is optimal in both, so its end sets are tried before the
fits (:mod:`.one_sided_end` for the end sets, the load search or the
type-II heuristics for the rest).
"""

from __future__ import annotations

import math
from dataclasses import replace
from typing import TYPE_CHECKING

from taktplan.balance.twosided.bounds import (
    cycle_bound,
    operators_bound,
)
from taktplan.balance.twosided.budget import (
    Budget,
    RunCounter,
)
from taktplan.balance.twosided.finish import kept_line
from taktplan.balance.twosided.fits import fit_stations
from taktplan.balance.twosided.least_cycle import shortest_line
from taktplan.balance.twosided.loads import (
    IDLE_GATE,
    applicable,
    idles_under,
)
from taktplan.balance.twosided.one_sided_end import (
    EndSplit,
    closed_end_sets,
    end_splits,
    one_sided_station,
)
from taktplan.balance.twosided.station import prepare
from taktplan.balance.twosided.windows import sub_problem

if TYPE_CHECKING:
    from taktplan.balance.twosided.heuristic import Placement
    from taktplan.balance.twosided.problem import TwoSidedProblem


def free_one_position(problem: TwoSidedProblem, c: int, m: int,
                       budget: Budget, count: RunCounter
                       ) -> Placement | None:
    """A line of at most ``m`` stations at ``c`` with ``2 m - 1``
    positions or fewer: one end station one-sided
    (:mod:`.one_sided_end`), the rest fitted like the bound's stations
    (:func:`.fits.fit_stations`) on ``m - 1``, for the :data:`_END_TRIES`
    end sets with the most work; ``None`` when no rest fits."""
    for split in end_splits(problem, c)[:_END_TRIES]:
        rest = list(split.rest)
        sub = sub_problem(problem, rest)
        fitted, _ = fit_stations(sub, prepare(sub), c, m - 1, budget, count,
                                  both_ways=False)
        if fitted is not None:
            return _with_end(problem, split, fitted)
    return None


def end_by_loads(problem: TwoSidedProblem, c: int, m: int,
                  count: RunCounter) -> Placement | None:
    """A line of ``m`` stations at ``c`` with ``2 m - 1`` positions: an
    end station one-sided on one of the end sets that leave the rest
    within ``m - 1`` mated stations (:func:`.closed_end_sets`), the rest
    decided by the load search where it idles under half a task. The
    rest idles what its end set holds above the least such set, so the
    sets with the most work whose rest is still under the gate come
    first: their rests are the easiest to fill (P65 at 341: the first
    end set tried, 341 units, leaves a rest of 16 units of idle that the
    load search fills). ``None`` when no such end set's rest fits within
    the load search's share."""
    n, work = problem.n_tasks, int(problem.times.sum())
    if n > _END_TASKS_PER_STATION * max(1, m - 1) or (
            (c, m) in count.ends_failed):
        return None
    least = work - 2 * c * (m - 1)
    for split in closed_end_sets(problem, c, max(1, least), _END_SET_NODES):
        # the rest idles split.work - least: under the load search's gate
        # (worth_trying, without building the rest for every set)
        if not idles_under(split.work - least, work - split.work,
                           len(split.rest), IDLE_GATE):
            continue
        rest = sub_problem(problem, list(split.rest))
        decided, found = count.by_loads(rest, c, m - 1)
        if found is not None:
            return _with_end(problem, split, found)
        if not decided:
            break
    count.ends_failed.add((c, m))
    return None


#: Nodes of the end sets' enumeration (:func:`.closed_end_sets`).
_END_SET_NODES = 200_000
#: :func:`end_by_loads` runs on lines of at most this many tasks a
#: station: P65 (8 a station at 341) is decided in 1-5e7 units of work
#: a rest; P205's rests (20-47 a station at 1133-2643) ran out of 3e7
#: or took the run's whole share (P205 at 1888: 0.6 s -> 21 s, at 2643
#: 1.4 s -> 30 s, the same lines).
_END_TASKS_PER_STATION = 16


def _with_end(problem: TwoSidedProblem, split: EndSplit,
              fitted: Placement) -> Placement:
    """The line of ``fitted`` (the stations of ``split.rest``, numbered
    in it) and the one-sided end station of ``split``."""
    others = [[(split.rest[i], q, s) for i, q, s in st] for st in fitted]
    end = one_sided_station(problem, split)
    return [*others, end] if split.last else [end, *others]


def end_first_wanted(problem: TwoSidedProblem, c: int, lb: int,
                      budget: Budget) -> bool:
    """Whether type I tries :func:`end_first` before fitting ``lb``
    stations: the operator bound at ``lb`` stations is ``2 lb - 1``, so
    a line of ``lb`` stations with one one-sided end station is optimal
    in both, and the windows (CP-SAT) are at hand."""
    return (budget.backend == "auto" and not problem.extra_limits
            and problem.two_sided and problem.operators_per_side == 1
            and applicable(problem)
            and operators_bound(problem, c, lb) == 2 * lb - 1)


def end_first(problem: TwoSidedProblem, c: int, m: int, budget: Budget,
               count: RunCounter) -> Placement | None:
    """A line of ``m`` stations at ``c`` with ``2 m - 1`` positions: one
    end station one-sided (:mod:`.one_sided_end`) and the rest on
    ``m - 1`` stations by type II's heuristics (:func:`shortest_line`,
    stopping at ``c``); ``None`` when no rest fits. Type II's rounds of
    seeds and windows fit where type I's fit of ``m`` stations and then
    the draining of a position do not: P205 at 1133, 11 stations, the
    last station's right set (1121) and the rest on 10 stations at 1132
    in 6 s (the fit from the same rest: 1159; 22 operators before, 21
    now, the bound).

    Each try is a run of :data:`_END_TRY_SECONDS` (where the rest ends
    jumps with its budget as much as with its seed, so the tries are
    alike at any time limit), on the two end sets with the most work in
    turn, a new seed for each pair, as many as :data:`_END_FIRST_SHARE`
    of the run's CP-SAT work buys, none below :data:`_END_TRIES_FEWEST`
    (one try of a 10 s run took half its budget, and the fits after it
    ran over: 15 s of CPU); each is booked whole against the run's
    budgets."""
    splits = end_splits(problem, c)[:2]
    one = Budget.for_seconds(_END_TRY_SECONDS)
    tries = int(_END_FIRST_SHARE * budget.work / one.work + 1e-9)
    if tries < _END_TRIES_FEWEST or not splits:
        return None
    for k in range(min(tries, _END_TRIES_MOST)):
        if count.cpu_left() <= 0:
            break  # the run's CPU safety net
        split = splits[k % len(splits)]
        # the try's safety nets, within the run's
        part = replace(one, seed=budget.seed + k // len(splits),
                       time_limit=min(one.time_limit, budget.time_limit),
                       cpu_limit=min(one.cpu_limit or math.inf,
                                     count.cpu_left()))
        count.charge(part)
        sub = sub_problem(problem, list(split.rest))
        lb = cycle_bound(sub, m - 1)
        if lb > c:
            continue
        sprep = prepare(sub)
        short = shortest_line(sub, sprep, m - 1, lb, c, part,
                              RunCounter(part, sub))
        if short.line is None or short.cycle > c:
            continue
        fitted = kept_line(sprep, short.line)
        if fitted is not None:
            return _with_end(problem, split, fitted)
    return None


#: CPU seconds' budgets of each try of :func:`end_first`, the share of
#: the run's CP-SAT work its tries may take, the fewest and the most
#: tries (P205 at 1133, the rest on 10 stations, the two end sets with
#: the most work: 5 s runs with seeds 0-3 fit on one or the other with
#: seeds 0, 1 and 3; 10 s runs with seed 0 on neither, 20 s on one).
_END_TRY_SECONDS = 5.0
_END_FIRST_SHARE = 1 / 2
_END_TRIES_FEWEST = 2
_END_TRIES_MOST = 8


#: End sets :func:`free_one_position` tries, the most work first (it
#: leaves the least to the rest; P205 at 2266 and 1888: the last
#: station's right set). Each costs the greedy lines and the local
#: search on the rest, one direction (3-5 s on P205), and windows.
_END_TRIES = 1
