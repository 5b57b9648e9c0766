"""The engineer's charts of a plan, under their stable element ids.

Scripts find each chart by its id: ``states-gantt``, ``buffer-levels``,
``output-per-shift``, ``loss-tree``, ``sequence-strip``,
``annual-output``, ``changes-cost``, ``rampup-cumulative``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from taktplan.plant.losses import plant_loss_trees
from taktplan.report.charts import (
    annual_output_figure,
    changes_cost_figure,
    rampup_cumulative_figure,
)
from taktplan.report.losses import loss_tree_figure
from taktplan.report.over_time import (
    buffer_levels_figure,
    output_per_shift_figure,
    states_gantt_figure,
)
from taktplan.report.sequence_strip import sequence_strip_figure
from taktplan.report.style import embed

if TYPE_CHECKING:
    import plotly.graph_objects as go

    from taktplan.plan_result import Plan
    from taktplan.simulate.results import SimulationResult

#: Charts of the over-time section, in order.
OVER_TIME_IDS = ("output-per-shift", "buffer-levels", "states-gantt",
                 "loss-tree")


def engineer_figures(p: Plan) -> dict[str, go.Figure]:
    """The charts the plan has the results for, by element id."""
    cap = p.capacity
    cal = p.scenario.calendar
    figs = {"rampup-cumulative": rampup_cumulative_figure(
        cap.rampup, p.scenario.rampup, cap.bridge)}
    if p.sequence is not None:
        per_hour = round(cap.takt.design_jobs_per_hour)
        figs["sequence-strip"] = sequence_strip_figure(p.sequence, per_hour)
    target = float(p.scenario.targets.annual_volume)
    if p.verdict is not None:
        o = p.verdict.output
        figs["annual-output"] = annual_output_figure(
            {p.scenario.meta.name: o.per_replication}, target,
            {p.scenario.meta.name: (o.low, o.high)})
        if p.recommendation is not None:
            rows = [(d.design.describe(), d.cost_per_year, d.output.mean,
                     d.output.low, d.output.high)
                    for d in p.recommendation.tried]
            base = p.recommendation.baseline
            figs["changes-cost"] = changes_cost_figure(
                rows, o.mean if base is None else base.output.mean,
                target, p.scenario.costs.currency, need=target - o.mean)
    sim = p.simulation
    if sim is None or p.line is None:
        return figs
    shift = (cal.shift_length_min - cal.paid_breaks_min_per_shift) * 60.0
    brk = cal.paid_breaks_min_per_shift * 60.0
    trace = sim.trace
    day, worst = (_traced_day(sim, shift, cal.shifts_per_day)
                  if trace is not None else (0, 0))
    bins = sim.output_bins
    if bins is not None:
        per_shift = target / (cap.time.working_days * cal.shifts_per_day)
        k = next((i for i, r in enumerate(sim.replications)
                  if r.trace is not None), 0)
        figs["output-per-shift"] = output_per_shift_figure(
            bins, per_shift, cal.shifts_per_day * cal.working_days_per_week,
            replication=k, traced=None if trace is None
            else (day, cal.shifts_per_day))
    if trace is not None:
        figs["states-gantt"] = states_gantt_figure(
            trace, sim.names, shift, brk, shift=worst,
            when=f"shift {worst + 1} of day {day + 1}")
        figs["buffer-levels"] = buffer_levels_figure(
            trace, sim.names, p.line.line.buffers,
            sim.buffer_levels,
            shift, brk, when=f"day {day + 1}, the representative year's "
                             "worst")
    if p.verdict is not None and sim.unit_fractions.size:
        figs["loss-tree"] = loss_tree_figure(plant_loss_trees(
            p.scenario, p.line, sim, cap.takt.planning_cycle_s,
            p.verdict.output.mean, p.verdict.bottleneck))
    return figs


def _traced_day(sim: SimulationResult, shift_s: float,
                per_day: int) -> tuple[int, int]:
    """The traced day of the year (from 0) and its shift of least output
    (see :func:`taktplan.plant.simulate_stage.chosen_day`)."""
    rep = next(r for r in sim.replications if r.trace is not None)
    assert rep.trace is not None
    day = round((rep.trace.start - rep.warmup) / (shift_s * per_day))
    bins = rep.output_bins
    if bins is None or bins.size < (day + 1) * per_day:
        return day, 0
    return day, int(np.argmin(bins[day * per_day:(day + 1) * per_day]))


def over_time_section(figs: dict[str, Any]) -> str:
    """The over-time charts and the loss tree, those that exist."""
    parts = [embed(figs[k], k) for k in OVER_TIME_IDS if k in figs]
    if not parts:
        return ""
    return ("<h3 id='over-time'>The line over time, and where the time "
            "goes</h3>" + "".join(parts))
