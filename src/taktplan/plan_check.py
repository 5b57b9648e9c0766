"""The independent checker of a plan: is the verdict true to its parts?

The stages check their own results (``check_line``, ``check_sequence``,
the simulation checker); this one checks what the plan builds on top of
them, from the raw per-replication numbers, with its own formulas, before
anything is printed or written: the annual output and its interval, the
probability and the count of years reaching the target, the verdict's
words and bottleneck, the day's sequence against the day's demand, and
that a recommended change really reached the target when confirmed.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from taktplan.capacity import available_time
from taktplan.errors import ResultCheckError

if TYPE_CHECKING:
    from taktplan.plan_result import Plan

#: Relative tolerance of recomputed floating-point figures.
RTOL = 1e-9


class PlanCheckError(ResultCheckError):
    """A plan's verdict disagrees with its own parts (a bug)."""


def _close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=RTOL, abs_tol=1e-9)


def check_plan(plan: Plan) -> None:
    """Raise :class:`PlanCheckError` unless the plan is consistent.

    Checks
    ------
    - the day's sequence holds exactly the day's demand per variant;
    - each replicated year equals the simulated jobs per second times the
      calendar's productive seconds;
    - mean, 95 % t-interval, years reaching the target and the verdict's
      "reaches"/"misses" follow from those years;
    - the bottleneck named is the station with the largest share;
    - a chosen change was confirmed (not only screened) and reached the
      target.
    """
    from scipy import stats

    if plan.sequence is not None:
        counts = np.bincount(plan.sequence.sequence,
                             minlength=len(plan.sequence.variant_ids))
        if tuple(int(c) for c in counts) != tuple(plan.capacity.demand.whole):
            raise PlanCheckError(
                f"the day's sequence holds {counts.tolist()} vehicles per "
                f"variant, the demand is {list(plan.capacity.demand.whole)}")
    verdict, result = plan.verdict, plan.simulation
    if verdict is None or result is None:
        return
    seconds = available_time(
        plan.scenario.calendar,
        plan.scenario.calendar.shifts_per_day).net_seconds_per_year
    years = np.array([r.throughput for r in result.replications]) * seconds
    out = verdict.output
    if years.shape != out.per_replication.shape or not np.allclose(
            years, out.per_replication, rtol=RTOL):
        raise PlanCheckError("the annual outputs are not the simulated "
                             "throughputs times the calendar's seconds")
    n = years.size
    mean = float(np.mean(years))
    if n > 1:
        half = float(stats.t.ppf(0.975, n - 1)) * float(
            np.std(years, ddof=1)) / math.sqrt(n)
        if not (_close(out.low, mean - half) and _close(out.high,
                                                         mean + half)):
            raise PlanCheckError(
                f"the 95 % interval [{out.low:.1f}, {out.high:.1f}] is not "
                f"the t-interval of the years [{mean - half:.1f}, "
                f"{mean + half:.1f}]")
    target = verdict.target
    if not _close(out.mean, mean):
        raise PlanCheckError(f"mean output {out.mean:.1f} is not the mean "
                             f"of the years {mean:.1f}")
    if verdict.meets_target != (mean >= target):
        word = "reaches" if verdict.meets_target else "misses"
        raise PlanCheckError(f"the verdict says the line {word} {target:,} "
                             f"a year, the years average {mean:,.0f}")
    if out.reached != int((years >= target).sum()):
        raise PlanCheckError("the count of years reaching the target is "
                             "wrong")
    if not 0.0 <= out.probability <= 1.0:
        raise PlanCheckError(f"probability {out.probability} is not in "
                             "[0, 1]")
    share = np.asarray(result.sole_share) + np.asarray(result.shifting_share)
    if verdict.bottleneck != result.names[int(np.argmax(share))]:
        raise PlanCheckError(
            f"the verdict names {verdict.bottleneck} as the bottleneck, the "
            f"largest share is {result.names[int(np.argmax(share))]}'s")
    chosen = plan.recommendation.chosen if plan.recommendation else None
    if chosen is not None:
        if chosen.screening or not chosen.meets_target:
            raise PlanCheckError("the recommended change was not confirmed "
                                 "to reach the target")
        if chosen.output.mean < target:
            raise PlanCheckError(
                f"the recommended change gives {chosen.output.mean:,.0f} a "
                f"year, below the target {target:,}")
