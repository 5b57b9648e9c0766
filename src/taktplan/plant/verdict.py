"""Does the line make the volume? The verdict on the simulated years.

The annual output of each replication is its throughput times the net
production seconds of the calendar's year. The probability of reaching
the target is estimated from a normal fit to the replications (the mean
and standard deviation of the yearly outputs); the count of replications
at or above the target is reported beside it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from taktplan.scenario.model import Scenario
    from taktplan.simulate import SimulationResult


@dataclass(frozen=True)
class AnnualOutput:
    """Simulated vehicles a year with a 95 % t-interval.

    Attributes
    ----------
    per_replication
        Vehicles in each replicated year.
    mean, low, high
        Mean and 95 % confidence interval of the mean.
    probability
        Estimated probability that a year reaches the target.
    reached
        Replications at or above the target.
    """

    per_replication: np.ndarray
    mean: float
    low: float
    high: float
    probability: float
    reached: int


def annual_output(per_year: np.ndarray, target: float) -> AnnualOutput:
    """Mean, t-interval and probability of reaching ``target``."""
    # lazy: scipy.stats takes about a second to import (python -X
    # importtime), paid only once a year has been simulated
    from scipy import stats

    x = np.asarray(per_year, dtype=np.float64)
    n = x.size
    mean = float(x.mean())
    sd = float(x.std(ddof=1)) if n > 1 else 0.0
    half = float(stats.t.ppf(0.975, n - 1) * sd / math.sqrt(n)) if n > 1 \
        else math.inf
    if sd > 0:
        prob = float(1.0 - stats.norm.cdf((target - mean) / sd))
    else:
        prob = 1.0 if mean >= target else 0.0
    return AnnualOutput(x, mean, mean - half, mean + half, prob,
                        int((x >= target).sum()))


@dataclass(frozen=True)
class Verdict:
    """The answer to "does the line make the volume?".

    Attributes
    ----------
    target
        Vehicles a year asked for.
    output
        Simulated vehicles a year: mean, 95 % CI, probability.
    meets_target
        The mean simulated output reaches the target.
    bottleneck
        The station most often the bottleneck (active-period method).
    bottleneck_share
        Its share of time as sole or shifting bottleneck.
    text
        One sentence for the top of the report.
    """

    target: int
    output: AnnualOutput
    meets_target: bool
    bottleneck: str
    bottleneck_share: float
    text: str


def top_bottlenecks(result: SimulationResult, count: int) -> list[str]:
    """The ``count`` stations most often the bottleneck."""
    score = result.sole_share + result.shifting_share
    order = np.argsort(-score, kind="stable")[:count]
    return [result.names[int(i)] for i in order if score[int(i)] > 0]


def make_verdict(scenario: Scenario, result: SimulationResult,
                 output: AnnualOutput) -> Verdict:
    """The verdict sentence from the simulated years."""
    target = scenario.targets.annual_volume
    score = result.sole_share + result.shifting_share
    k = int(np.argmax(score))
    meets = output.mean >= target
    word = "reaches" if meets else "misses"
    text = (
        f"The line {word} {target:,} {scenario.meta.product} a year: "
        f"simulated "
        f"{output.mean:,.0f} a year (95 % CI {output.low:,.0f} to "
        f"{output.high:,.0f}, {result.throughput.n} replicated years), "
        f"probability {output.probability:.0%} of reaching the target; "
        f"bottleneck {result.names[k]} ({score[k]:.0%} of the time)."
    )
    return Verdict(target, output, meets, result.names[k],
                   float(score[k]), text)
