"""The capacity stage: calendar, takt, shifts, daily demand, ramp-up."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from taktplan.capacity import (
    AvailableTime,
    BridgeStock,
    DailyDemand,
    RampUpCurve,
    ShiftNeed,
    Takt,
    available_time,
    bridge_stock,
    daily_demand,
    ramp_up_curve,
    shifts_needed,
    takt,
)

if TYPE_CHECKING:
    from taktplan.scenario.model import Scenario


@dataclass(frozen=True)
class CapacityPlan:
    """The capacity stage: calendar, takt, shifts, demand, ramp-up."""

    time: AvailableTime
    takt: Takt
    shifts: ShiftNeed
    demand: DailyDemand
    rampup: RampUpCurve
    bridge: BridgeStock


def capacity_stage(scenario: Scenario) -> CapacityPlan:
    """Run the capacity stage of ``scenario``."""
    cal = scenario.calendar
    target = scenario.targets
    tk = takt(cal, target.annual_volume, target.availability)
    time_ = available_time(cal)
    curve = ramp_up_curve(scenario.rampup)
    return CapacityPlan(
        time=time_,
        takt=tk,
        shifts=shifts_needed(cal, target.annual_volume,
                             tk.planning_cycle_s, target.availability),
        demand=daily_demand(scenario.variant_ids, scenario.shares,
                            target.annual_volume, time_.working_days),
        rampup=curve,
        bridge=bridge_stock(scenario.rampup, curve),
    )
