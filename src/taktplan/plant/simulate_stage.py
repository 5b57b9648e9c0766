"""The simulation stage: a design's line simulated for (a share of) a year."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from taktplan.capacity import available_time
from taktplan.plant.line_stage import PlantLine, build_plant_line

if TYPE_CHECKING:
    from collections.abc import Callable

    from taktplan.plant.balance_stage import PlantBalance
    from taktplan.plant.design import Design
    from taktplan.scenario.model import Scenario
    from taktplan.simulate import SimulationResult
    from taktplan.simulate.run import ReplicationExecutor


@dataclass(frozen=True)
class DesignRun:
    """A design's simulated years and the line that was simulated."""

    result: SimulationResult
    line: PlantLine


def simulate_design(scenario: Scenario, balance: PlantBalance | None,
                    sequence: np.ndarray | None, design: Design, *,
                    replications: int, seed: int, horizon_share: float = 1.0,
                    progress: Callable[[int, int], None] | None = None,
                    over_time: bool = False,
                    executor: ReplicationExecutor | None = None,
                    ) -> DesignRun:
    """Simulate ``design`` applied to ``scenario`` for (a share of) a year.

    ``balance`` and ``sequence`` must already suit the design (see
    :class:`~taktplan.plant.whatif.LineVariants` for rebalanced designs).
    ``over_time`` records the output per shift of every replicated year
    and a trace of the first day of the first (for the report; off for
    searches). ``executor`` runs the replications (a Dask cluster; the
    same numbers).
    """
    # lazy: numba loads with the first stage that runs it, not on import
    # (measured in taktplan.precompile.BackgroundCompile.start)
    from taktplan.simulate import simulate
    from taktplan.simulate.over_time import OverTime

    changed = design.apply(scenario)
    plant = build_plant_line(changed, balance, sequence,
                             parallel=dict(design.parallel))
    horizon = plant.horizon_s + design.extra_seconds_per_year()
    record = None
    if over_time:
        cal = changed.calendar
        shift = (cal.shift_length_min - cal.paid_breaks_min_per_shift) * 60
        record = OverTime(bin_width=shift, trace_start=0.0,
                          trace_length=shift * cal.shifts_per_day)
    result = simulate(plant.line, horizon=horizon * horizon_share,
                      warmup=plant.warmup_s, replications=replications,
                      seed=seed, variant_sequence=plant.variant_sequence,
                      progress=progress, over_time=record,
                      executor=executor)
    return DesignRun(result, plant)


def yearly(result: SimulationResult, scenario: Scenario,
           design: Design) -> np.ndarray:
    """Vehicles a year of each replication on the design's calendar."""
    shifts = design.shifts_per_day or scenario.calendar.shifts_per_day
    seconds = available_time(scenario.calendar, shifts).net_seconds_per_year
    seconds += design.extra_seconds_per_year()
    return np.array([r.throughput * seconds for r in result.replications])
