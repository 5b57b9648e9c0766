"""Distribution codes and parameters the compiled kernel samples from.

Every distribution is given by its mean and (where needed) its
coefficient of variation ``cv``; the kernel scales a unit-mean draw by the
mean, so one station can have a different mean per variant.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from numba import njit
from scipy.optimize import brentq
from scipy.special import gamma as gamma_fn

if TYPE_CHECKING:
    import numpy as np

CODES = {"deterministic": 0, "exponential": 1, "lognormal": 2, "gamma": 3,
         "weibull": 4, "geometric": 5}
GEOMETRIC_FROM_ZERO = 6  # failures: 0, 1, 2, ... whole units of operation


def weibull_shape(cv: float) -> float:
    """The Weibull shape ``k`` whose coefficient of variation is ``cv``."""

    def excess(k: float) -> float:
        g1 = gamma_fn(1 + 1 / k)
        return math.sqrt(gamma_fn(1 + 2 / k) / g1**2 - 1) - cv

    return float(brentq(excess, 0.05, 500.0))


def parameters(kind: str, cv: float) -> tuple[int, float, float]:
    """Code and the two shape parameters ``(a, b)`` of a distribution."""
    code = CODES[kind]
    if kind == "lognormal":
        return code, math.sqrt(math.log1p(cv * cv)), 0.0
    if kind == "gamma":
        return code, 1.0 / (cv * cv), 0.0
    if kind == "weibull":
        k = weibull_shape(cv)
        return code, k, 1.0 / gamma_fn(1 + 1 / k)
    return code, 0.0, 0.0


@njit(cache=True)
def sample(rng: np.random.Generator, code: int, mean: float, a: float,
           b: float) -> float:
    """One draw with the given mean (see :func:`parameters`)."""
    if code == 0 or mean <= 0.0:
        return mean
    if code == 1:
        return rng.exponential(mean)
    if code == 2:
        return mean * math.exp(a * rng.standard_normal() - 0.5 * a * a)
    if code == 3:
        return mean * rng.gamma(a, 1.0) / a
    if code == 4:
        return mean * rng.weibull(a) * b
    if code == 5:
        return float(rng.geometric(1.0 / mean))
    # code 6: whole units from zero, mean m = (1 - p) / p
    return float(rng.geometric(1.0 / (mean + 1.0)) - 1)
