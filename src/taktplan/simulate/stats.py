"""Means with t-based confidence intervals over replications."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Estimate:
    """A mean over replications with its t-based confidence interval.

    Parameters
    ----------
    mean
        Sample mean.
    low, high
        Confidence interval (equal to the mean for one replication).
    std
        Sample standard deviation (0 for one replication).
    n
        Number of replications.
    confidence
        Level of the interval.
    """

    mean: float
    low: float
    high: float
    std: float
    n: int
    confidence: float = 0.95

    @property
    def half_width(self) -> float:
        """Half the width of the interval."""
        return 0.5 * (self.high - self.low)

    def contains(self, value: float) -> bool:
        """Whether ``value`` lies in the interval."""
        return self.low <= value <= self.high

    def to_dict(self) -> dict[str, object]:
        """JSON-ready values (``None`` where undefined, e.g. no jobs)."""
        return {"mean": finite_or_none(self.mean),
                "ci95": [finite_or_none(self.low),
                         finite_or_none(self.high)],
                "std": finite_or_none(self.std), "n": self.n}


def finite_or_none(x: float) -> float | None:
    """``x``, or ``None`` when it is NaN or infinite (JSON has neither)."""
    return float(x) if math.isfinite(x) else None


def t_interval(values: np.ndarray, confidence: float = 0.95) -> Estimate:
    """Mean of ``values`` with a Student-t confidence interval."""
    from scipy.stats import t as student_t

    x = np.asarray(values, dtype=float)
    n = int(x.size)
    mean = float(x.mean())
    if n < 2:
        return Estimate(mean, mean, mean, 0.0, n, confidence)
    std = float(x.std(ddof=1))
    half = float(student_t.ppf(0.5 + confidence / 2, n - 1)) * std / \
        math.sqrt(n)
    return Estimate(mean, mean - half, mean + half, std, n, confidence)
