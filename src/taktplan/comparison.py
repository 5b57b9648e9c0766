"""The result of comparing plans on common random numbers.

Every plan is simulated with the same seed and the same number of
replicated years, so year ``k`` of every plan draws from the same stream
(``SeedSequence(seed).spawn(n)[k]``): failures and repairs fall alike
where the lines are alike, and the difference of two plans' outputs is
estimated from the paired years (a t-interval of the differences), far
narrower than from two independent samples. :func:`taktplan.compare.compare`
runs the plans; :mod:`taktplan.comparison_json` and
:mod:`taktplan.report.compare` draw the result.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from taktplan.simulate.stats import t_interval

if TYPE_CHECKING:
    from taktplan.plan_result import Plan


@dataclass(frozen=True)
class Difference:
    """A later plan's annual output minus the first plan's.

    Attributes
    ----------
    scenario
        The later plan's scenario file.
    mean, low, high
        Mean difference of the paired years and its 95 % t-interval.
    per_replication
        The difference in each replicated year.
    """

    scenario: str
    mean: float
    low: float
    high: float
    per_replication: np.ndarray


@dataclass(frozen=True)
class Comparison:
    """Plans of several scenarios and their differences to the first."""

    plans: tuple[Plan, ...]
    differences: tuple[Difference, ...]
    seed: int
    replications: int


def paired_difference(scenario: str, first: np.ndarray,
                      other: np.ndarray) -> Difference:
    """The mean of ``other - first`` year by year, with its 95 % CI
    (unbounded from one year)."""
    d = np.asarray(other, float) - np.asarray(first, float)
    est = t_interval(d)
    if d.size < 2:
        return Difference(scenario, est.mean, -math.inf, math.inf, d)
    return Difference(scenario, est.mean, est.low, est.high, d)


def plan_years(p: Plan) -> np.ndarray:
    """The plan's output in each replicated year (vehicles)."""
    assert p.verdict is not None
    return p.verdict.output.per_replication
