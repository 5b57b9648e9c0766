"""Ramp-up curves after the move, and the stock that bridges the move.

Time ``t`` is in weeks from the start of production (SOP) at the new
site; rates are vehicles a year, weekly output is the rate divided by
the working weeks of a year.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from taktplan.scenario.model import RampUp

WEEKS_PER_MONTH = 52.0 / 12.0


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
        the target.
    reach_share
        The share of the target that counts as reached.
    """

    weeks: np.ndarray
    rate_per_year: np.ndarray
    cumulative: np.ndarray
    weeks_to_target: float
    reach_share: float

    @property
    def months_to_target(self) -> float:
        """Months from SOP to the target rate."""
        return self.weeks_to_target / WEEKS_PER_MONTH


def learning_weeks_to_rate(rampup: RampUp, rate: float) -> float:
    """Weeks after SOP until Wright's learning curve reaches ``rate``.

    With ``k = -log2(learning_rate)``, ``s`` the start rate a week and
    ``N0`` the experience at SOP, the rate is ``s * x**k`` with
    ``x = 1 + N/N0``; ``dN/dt = s * x**k`` integrates to
    ``t = N0 / s * (x**(1-k) - 1) / (1-k)``.
    """
    start = rampup.start_volume_per_year
    if rate <= start:
        return 0.0
    k = -math.log2(rampup.learning_rate)
    s_week = start / rampup.working_weeks_per_year
    x = (rate / start) ** (1.0 / k)
    n0 = rampup.experience_units_at_sop
    return n0 / s_week * (x ** (1.0 - k) - 1.0) / (1.0 - k)


def _learning(rampup: RampUp, weeks: np.ndarray) -> tuple[np.ndarray,
                                                          np.ndarray]:
    start = rampup.start_volume_per_year
    target = rampup.target_volume_per_year
    k = -math.log2(rampup.learning_rate)
    s_week = start / rampup.working_weeks_per_year
    n0 = rampup.experience_units_at_sop
    x = (1.0 + (1.0 - k) * s_week * weeks / n0) ** (1.0 / (1.0 - k))
    rate = start * x**k
    cum = n0 * (x - 1.0)
    t_cap = learning_weeks_to_rate(rampup, target)
    capped = weeks > t_cap
    if np.any(capped):
        x_cap = (target / start) ** (1.0 / k)
        cum_cap = n0 * (x_cap - 1.0)
        rate = np.where(capped, target, rate)
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

    The horizon is twice the time to target (at least 26 weeks) unless
    given.
    """
    target = rampup.target_volume_per_year
    reach = rampup.reach_share * target
    if rampup.curve == "learning":
        t_reach = learning_weeks_to_rate(rampup, reach)
    elif rampup.start_volume_per_year >= reach:
        t_reach = 0.0
    else:
        t_reach = float(rampup.weeks_to_target or 0.0)
    horizon = horizon_weeks if horizon_weeks is not None else max(
        26.0, 2.0 * t_reach)
    n = max(2, math.ceil(horizon * points_per_week) + 1)
    weeks = np.linspace(0.0, horizon, n)
    if rampup.curve == "learning":
        rate, cum = _learning(rampup, weeks)
    else:
        rate = _shaped(rampup, weeks)
        weekly = rate / rampup.working_weeks_per_year
        steps = np.diff(weeks) * 0.5 * (weekly[1:] + weekly[:-1])
        cum = np.concatenate([[0.0], np.cumsum(steps)])
    return RampUpCurve(weeks, rate, cum, t_reach, rampup.reach_share)


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
    """

    window_weeks: float
    weekly_demand: float
    window_demand: float
    ramp_shortfall: float
    safety_stock: float
    total: float

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
    return BridgeStock(rampup.relocation_window_weeks, demand, window,
                       shortfall, safety, window + shortfall + safety)
