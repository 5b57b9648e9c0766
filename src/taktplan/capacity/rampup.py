"""Ramp-up curves after the move, and the stock that bridges the move.

Time ``t`` is in weeks from the start of production (SOP) at the new
site; rates are vehicles a year, weekly output is the rate divided by
the working weeks of a year.

The time to target is in closed form (Wright's curve is integrated, the
shaped curves are given it) and the curve is sampled on a grid of at
most :data:`HORIZON_WEEKS` weeks, so any input takes milliseconds. A
ramp-up that does not reach its target within that horizon (five years)
is reported as such (``reached`` false), not as a number of weeks.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from taktplan.scenario.model import RampUp

WEEKS_PER_MONTH = 52.0 / 12.0
#: The planning horizon of a ramp-up: five years of weeks. A ramp-up
#: slower than this is reported as not reaching the target.
HORIZON_YEARS = 5
HORIZON_WEEKS = 52.0 * HORIZON_YEARS
#: Largest exponent taken (``exp(700)`` is about ``1e304``).
_MAX_EXP = 700.0


@dataclass(frozen=True)
class RampUpCurve:
    """The rate of the new plant week by week after SOP.

    Attributes
    ----------
    weeks
        Grid of weeks after SOP.
    rate_per_year
        The production rate (vehicles a year) at each point.
    cumulative
        Vehicles built from SOP up to each point.
    weeks_to_target
        Weeks from SOP until the rate first reaches ``reach_share`` of
        the target (``inf`` when it never does).
    reach_share
        The share of the target that counts as reached.
    horizon_weeks
        The horizon the plan looks at (:data:`HORIZON_WEEKS`).
    """

    weeks: np.ndarray
    rate_per_year: np.ndarray
    cumulative: np.ndarray
    weeks_to_target: float
    reach_share: float
    horizon_weeks: float = HORIZON_WEEKS

    @property
    def reached(self) -> bool:
        """Whether the ramp-up reaches its target within the horizon."""
        return self.weeks_to_target <= self.horizon_weeks

    @property
    def months_to_target(self) -> float:
        """Months from SOP to the target rate."""
        return self.weeks_to_target / WEEKS_PER_MONTH

    @property
    def rate_at_end(self) -> float:
        """The rate (vehicles a year) at the end of the grid."""
        return float(self.rate_per_year[-1])

    def describe(self) -> str:
        """The time to target in words, or that it is beyond the horizon.

        ``18.3 weeks (4.2 months)``, or ``not within 5 years (rate
        after 5 years 41,000/yr)``.
        """
        if self.reached:
            return (f"{self.weeks_to_target:.1f} weeks "
                    f"({self.months_to_target:.1f} months)")
        years = self.horizon_weeks / 52.0
        return (f"not within {years:g} years (rate after {years:g} years "
                f"{self.rate_at_end:,.0f}/yr)")


def learning_weeks_to_rate(rampup: RampUp, rate: float) -> float:
    """Weeks after SOP until Wright's learning curve reaches ``rate``.

    With ``k = -log2(learning_rate)``, ``s`` the start rate a week and
    ``N0`` the experience at SOP, the rate is ``s * x**k`` with
    ``x = 1 + N/N0``; ``dN/dt = s * x**k`` integrates to
    ``t = N0 / s * (x**(1-k) - 1) / (1-k)``. Worked in logarithms;
    ``inf`` when the time exceeds any float.
    """
    start = rampup.start_volume_per_year
    if rate <= start:
        return 0.0
    k = -math.log2(rampup.learning_rate)
    s_week = start / rampup.working_weeks_per_year
    # x**(1-k) = exp(e) with x = (rate / start)**(1/k)
    e = (1.0 - k) / k * math.log(rate / start)
    n0 = rampup.experience_units_at_sop
    if e > _MAX_EXP:
        return math.inf
    return n0 / s_week * math.expm1(e) / (1.0 - k)


def _learning(rampup: RampUp, weeks: np.ndarray) -> tuple[np.ndarray,
                                                          np.ndarray]:
    start = rampup.start_volume_per_year
    target = rampup.target_volume_per_year
    k = -math.log2(rampup.learning_rate)
    s_week = start / rampup.working_weeks_per_year
    n0 = rampup.experience_units_at_sop
    # In logarithms: x = (1 + (1-k) s t / N0)**(1/(1-k)), capped where
    # the rate s x**k reaches the target.
    log_x = np.log1p((1.0 - k) * s_week * weeks / n0) / (1.0 - k)
    log_cap = math.log(target / start) / k
    log_x = np.minimum(np.minimum(log_x, log_cap), _MAX_EXP)
    rate = np.minimum(start * np.exp(k * log_x), target)
    cum = n0 * np.expm1(log_x)
    t_cap = learning_weeks_to_rate(rampup, target)
    capped = weeks > t_cap
    if np.any(capped):
        cum_cap = n0 * math.expm1(log_cap)
        cum = np.where(capped, cum_cap + (weeks - t_cap) * target
                       / rampup.working_weeks_per_year, cum)
    return rate, cum


def _shaped(rampup: RampUp, weeks: np.ndarray) -> np.ndarray:
    start = float(rampup.start_volume_per_year)
    target = float(rampup.target_volume_per_year)
    reach = rampup.reach_share * target
    horizon = float(rampup.weeks_to_target or 0.0)
    if start >= reach:
        return np.full_like(weeks, target if start >= target else start)
    if rampup.curve == "linear":
        slope = (reach - start) / horizon
        return np.minimum(target, start + slope * weeks)
    if rampup.curve == "exponential":
        tau = horizon / math.log((target - start) / (target - reach))
        return target - (target - start) * np.exp(-weeks / tau)
    # logistic: target / (1 + a e^{-b t}) through start at 0, reach at T
    a = target / start - 1.0
    b = math.log(a / (target / reach - 1.0)) / horizon
    return target / (1.0 + a * np.exp(-b * weeks))


def ramp_up_curve(rampup: RampUp, horizon_weeks: float | None = None,
                  points_per_week: int = 7) -> RampUpCurve:
    """The ramp-up curve of ``rampup`` on a grid of days (by default).

    The grid runs over twice the time to target (at least 26 weeks, at
    most :data:`HORIZON_WEEKS`) unless ``horizon_weeks`` is given.
    """
    target = rampup.target_volume_per_year
    reach = rampup.reach_share * target
    if rampup.curve == "learning":
        t_reach = learning_weeks_to_rate(rampup, reach)
    elif rampup.start_volume_per_year >= reach:
        t_reach = 0.0
    else:
        t_reach = float(rampup.weeks_to_target or 0.0)
    horizon = horizon_weeks if horizon_weeks is not None else min(
        HORIZON_WEEKS, max(26.0, 2.0 * t_reach))
    n = max(2, math.ceil(horizon * points_per_week) + 1)
    weeks = np.linspace(0.0, horizon, n)
    if rampup.curve == "learning":
        rate, cum = _learning(rampup, weeks)
    else:
        rate = _shaped(rampup, weeks)
        weekly = rate / rampup.working_weeks_per_year
        steps = np.diff(weeks) * 0.5 * (weekly[1:] + weekly[:-1])
        cum = np.concatenate([[0.0], np.cumsum(steps)])
    return RampUpCurve(weeks, rate, cum, t_reach, rampup.reach_share,
                       max(HORIZON_WEEKS, horizon))


@dataclass(frozen=True)
class BridgeStock:
    """The stock to build before the move so customers keep getting
    vehicles.

    Attributes
    ----------
    window_weeks
        Weeks with neither plant producing.
    weekly_demand
        Vehicles customers take a week.
    window_demand
        Demand during the window: ``window_weeks * weekly_demand``.
    ramp_shortfall
        The largest cumulative shortfall of the new plant's output
        against demand after SOP.
    safety_stock
        ``safety_stock_weeks * weekly_demand``.
    total
        The stock to have built before the old plant stops.
    still_short
        True when the new plant's output is still below demand at the
        end of the curve's horizon: the shortfall (and the stock) only
        cover that horizon and keep growing after it.
    """

    window_weeks: float
    weekly_demand: float
    window_demand: float
    ramp_shortfall: float
    safety_stock: float
    total: float
    still_short: bool = False

    @property
    def weeks_of_demand(self) -> float:
        """The stock expressed in weeks of demand."""
        if self.weekly_demand == 0:
            return 0.0
        return self.total / self.weekly_demand


def bridge_stock(rampup: RampUp,
                 curve: RampUpCurve | None = None) -> BridgeStock:
    """The stock that bridges the relocation window and the ramp-up."""
    curve = curve if curve is not None else ramp_up_curve(rampup)
    demand = rampup.weekly_demand
    window = rampup.relocation_window_weeks * demand
    deficit = demand * curve.weeks - curve.cumulative
    shortfall = float(max(0.0, deficit.max()))
    safety = rampup.safety_stock_weeks * demand
    still_short = bool(curve.rate_per_year[-1]
                       < demand * rampup.working_weeks_per_year - 1e-9)
    return BridgeStock(rampup.relocation_window_weeks, demand, window,
                       shortfall, safety, window + shortfall + safety,
                       still_short)
