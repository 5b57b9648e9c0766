"""The engineer's charts of a plan, under their stable element ids.

Scripts find each chart by its id: ``states-gantt``, ``buffer-levels``,
``output-per-shift``, ``loss-tree``, ``sequence-strip``,
``annual-output``, ``changes-cost``, ``rampup-cumulative``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

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
            figs["changes-cost"] = changes_cost_figure(
                rows, o.mean, target, p.scenario.costs.currency)
    sim = p.simulation
    if sim is None or p.line is None:
        return figs
    shift = (cal.shift_length_min - cal.paid_breaks_min_per_shift) * 60.0
    brk = cal.paid_breaks_min_per_shift * 60.0
    bins = sim.output_bins
    if bins is not None:
        per_shift = target / (cap.time.working_days * cal.shifts_per_day)
        figs["output-per-shift"] = output_per_shift_figure(
            bins, per_shift, cal.shifts_per_day * cal.working_days_per_week)
    trace = sim.trace
    if trace is not None:
        figs["states-gantt"] = states_gantt_figure(trace, sim.names, shift,
                                                   brk)
        figs["buffer-levels"] = buffer_levels_figure(
            trace, sim.names, p.line.line.buffers,
            sim.buffer_levels,
            shift, brk)
    if p.verdict is not None and sim.unit_fractions.size:
        figs["loss-tree"] = loss_tree_figure(plant_loss_trees(
            p.scenario, p.line, sim, cap.takt.planning_cycle_s,
            p.verdict.output.mean))
    return figs


def over_time_section(figs: dict[str, Any]) -> str:
    """The over-time charts and the loss tree, those that exist."""
    parts = [embed(figs[k], k) for k in OVER_TIME_IDS if k in figs]
    if not parts:
        return ""
    return ("<h3 id='over-time'>The line over time, and where the time "
            "goes</h3>" + "".join(parts))
