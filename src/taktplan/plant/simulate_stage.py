"""The simulation stage: a design's line simulated for (a share of) a year."""

from __future__ import annotations

from dataclasses import dataclass, replace
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
    and a trace of the chosen day (:func:`chosen_day`) for the report
    (off for searches). ``executor`` runs the replications (a Dask
    cluster; the same numbers).
    """
    # lazy: numba loads with the first stage that runs it, not on import
    # (measured in taktplan.precompile.BackgroundCompile.start)
    from taktplan.simulate import simulate
    from taktplan.simulate.over_time import OverTime
    from taktplan.simulate.run import simulate_replication

    changed = design.apply(scenario)
    plant = build_plant_line(changed, balance, sequence,
                             parallel=dict(design.parallel))
    horizon = plant.horizon_s + design.extra_seconds_per_year()
    record = None
    if over_time:
        cal = changed.calendar
        shift = (cal.shift_length_min - cal.paid_breaks_min_per_shift) * 60
        record = OverTime(bin_width=shift)
    result = simulate(plant.line, horizon=horizon * horizon_share,
                      warmup=plant.warmup_s, replications=replications,
                      seed=seed, variant_sequence=plant.variant_sequence,
                      progress=progress, over_time=record,
                      executor=executor)
    bins = result.output_bins
    if record is not None and bins is not None:
        # the chosen day again, traced: the same stream gives the same
        # numbers (recording changes none), one replication more
        day = record.bin_width * changed.calendar.shifts_per_day
        k, d = chosen_day(bins, changed.calendar.shifts_per_day,
                          int(horizon * horizon_share // day))
        traced = simulate_replication(
            plant.line, horizon=horizon * horizon_share,
            warmup=plant.warmup_s,
            seed_sequence=np.random.SeedSequence(seed).spawn(
                replications)[k],
            variant_sequence=plant.variant_sequence,
            over_time=OverTime(record.bin_width, d * day, day))
        if traced.departures != result.replications[k].departures:
            raise RuntimeError("the traced replay of a replication built "
                               "a different number of vehicles")
        reps = list(result.replications)
        reps[k] = traced
        result = replace(result, replications=tuple(reps))
    return DesignRun(result, plant)


def chosen_day(bins: np.ndarray, shifts_per_day: int,
               days: int) -> tuple[int, int]:
    """The day the report traces: the replication of the median year
    (a representative year) and its day of least output, among the
    first ``days`` whole days. ``bins`` is (replications, shifts)."""
    years = bins.sum(axis=1)
    k = int(np.argsort(years, kind="stable")[(years.size - 1) // 2])
    days = min(days, bins.shape[1] // shifts_per_day)
    if days < 1:
        return k, 0
    daily = bins[k, : days * shifts_per_day].reshape(
        days, shifts_per_day).sum(axis=1)
    return k, int(np.argmin(daily))


def yearly(result: SimulationResult, scenario: Scenario,
           design: Design) -> np.ndarray:
    """Vehicles a year of each replication on the design's calendar."""
    shifts = design.shifts_per_day or scenario.calendar.shifts_per_day
    seconds = available_time(scenario.calendar, shifts).net_seconds_per_year
    seconds += design.extra_seconds_per_year()
    return np.array([r.throughput * seconds for r in result.replications])
