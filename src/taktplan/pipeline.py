"""The plant plan: capacity, then the stages that follow it.

``plan(scenario)`` runs every stage in order and returns a :class:`Plan`
whose parts are the stage results. It never prints; the command line
and the report draw what it returns.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

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
from taktplan.errors import InputError
from taktplan.scenario import Scenario, load_scenario

Progress = Callable[[str, float], None]


@dataclass(frozen=True)
class CapacityPlan:
    """The capacity stage: calendar, takt, shifts, demand, ramp-up."""

    time: AvailableTime
    takt: Takt
    shifts: ShiftNeed
    demand: DailyDemand
    rampup: RampUpCurve
    bridge: BridgeStock


@dataclass(frozen=True)
class Plan:
    """Every stage's result for one scenario.

    Stages not run are ``None``.
    """

    scenario: Scenario
    source: str
    capacity: CapacityPlan
    timings_s: dict[str, float] = field(default_factory=dict)

    def summary(self) -> dict[str, Any]:
        """The headline numbers, JSON-ready."""
        return plan_to_dict(self)


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


def check_tasks_fit(scenario: Scenario, cycle_s: float,
                    source: str) -> None:
    """Every task must fit a station at the planning cycle.

    A variant's time may exceed the cycle by the scenario's
    ``variant_overload``; the demand-weighted time may not exceed it.
    """
    limit = cycle_s * (1.0 + scenario.sequencing.variant_overload)
    shares = dict(zip(scenario.variant_ids, scenario.shares, strict=True))
    for i, task in enumerate(scenario.tasks):
        weighted = sum(task.time_for(v) * s for v, s in shares.items())
        if weighted > cycle_s:
            raise InputError(
                source, f"tasks[{i}]",
                f"task '{task.id}' takes {weighted:.1f} s on average, more "
                f"than the {cycle_s:.1f} s planning cycle, so no station "
                "can take it",
                "split the task or lower the volume")
        for variant in scenario.variant_ids:
            t = task.time_for(variant)
            if t > limit:
                raise InputError(
                    source, f"tasks[{i}].times_s.{variant}",
                    f"task '{task.id}' takes {t:.1f} s for {variant}, more "
                    f"than the cycle with overload allows ({limit:.1f} s)",
                    "split the task or raise sequencing.variant_overload")


def plan(scenario: Scenario | str | Path | None = None, *,
         progress: Progress | None = None) -> Plan:
    """Plan the plant of ``scenario`` (a model, a TOML path, or built-in).

    Parameters
    ----------
    scenario
        A :class:`Scenario`, the path of a scenario TOML file, or
        ``None`` for the built-in relocated LCV plant.
    progress
        Called with (stage name, fraction done) as the stages run.
    """
    if isinstance(scenario, Scenario):
        model, source = scenario, "<scenario>"
    else:
        model = load_scenario(scenario)
        source = str(scenario) if scenario is not None else "built-in"
    report = progress or (lambda stage, done: None)
    timings: dict[str, float] = {}

    start = time.perf_counter()
    report("capacity", 0.0)
    capacity = capacity_stage(model)
    check_tasks_fit(model, capacity.takt.planning_cycle_s, source)
    timings["capacity"] = time.perf_counter() - start
    report("capacity", 1.0)
    return Plan(model, source, capacity, timings)


def plan_to_dict(result: Plan) -> dict[str, Any]:
    """The plan's numbers as one JSON-ready dict (the ``--json`` output)."""
    cap = result.capacity
    return {
        "scenario": result.scenario.meta.name,
        "source": result.source,
        "capacity": {
            "working_days": cap.time.working_days,
            "shifts_per_day": cap.time.shifts_per_day,
            "net_hours_per_year": cap.time.net_hours_per_year,
            "annual_volume": cap.takt.annual_volume,
            "availability": cap.takt.availability,
            "takt_s": cap.takt.takt_s,
            "planning_cycle_s": cap.takt.planning_cycle_s,
            "jobs_per_hour_at_takt": cap.takt.jobs_per_hour_at_takt,
            "design_jobs_per_hour": cap.takt.design_jobs_per_hour,
            "vehicles_per_day": cap.takt.vehicles_per_day,
            "shifts_needed": cap.shifts.shifts_per_day,
            "shift_options": [
                {"shifts_per_day": o.shifts_per_day,
                 "annual_capacity": o.annual_capacity,
                 "meets_volume": o.meets_volume}
                for o in cap.shifts.options
            ],
            "daily_demand": dict(zip(cap.demand.variant_ids,
                                     cap.demand.whole, strict=True)),
        },
        "rampup": {
            "weeks_to_target": cap.rampup.weeks_to_target,
            "months_to_target": cap.rampup.months_to_target,
            "reach_share": cap.rampup.reach_share,
            "bridge_stock": cap.bridge.total,
            "bridge_window_demand": cap.bridge.window_demand,
            "bridge_ramp_shortfall": cap.bridge.ramp_shortfall,
            "bridge_safety_stock": cap.bridge.safety_stock,
            "bridge_weeks_of_demand": cap.bridge.weeks_of_demand,
        },
        "timings_s": dict(result.timings_s),
    }
