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
    from collections.abc import Callable

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


def capacity_stage(scenario: Scenario,
                   progress: Callable[[str, float], None] | None = None
                   ) -> CapacityPlan:
    """Run the capacity stage of ``scenario`` (ramp-up included, reported
    to ``progress`` as its own ``"rampup"`` stage)."""
    cal = scenario.calendar
    target = scenario.targets
    tk = takt(cal, target.annual_volume, target.availability)
    time_ = available_time(cal)
    if progress is not None:
        progress("rampup", 0.0)
    curve = ramp_up_curve(scenario.rampup)
    bridge = bridge_stock(scenario.rampup, curve)
    if progress is not None:
        progress("rampup", 1.0)
    return CapacityPlan(
        time=time_,
        takt=tk,
        shifts=shifts_needed(cal, target.annual_volume,
                             tk.planning_cycle_s, target.availability),
        demand=daily_demand(scenario.variant_ids, scenario.shares,
                            target.annual_volume, time_.working_days),
        rampup=curve,
        bridge=bridge,
    )
