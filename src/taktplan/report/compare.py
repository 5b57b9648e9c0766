"""The comparison report: several plans' answers, their differences,
and the key charts overlaid, in one offline HTML file."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

import numpy as np

from taktplan.compare import Comparison, plan_row
from taktplan.plant.losses import LossTree, plant_loss_trees
from taktplan.report.charts import annual_output_figure
from taktplan.report.html import _CSS, table
from taktplan.report.losses import loss_tree_figure
from taktplan.report.style import PALETTE, embed, layout, plotly_js

if TYPE_CHECKING:
    import plotly.graph_objects as go


def _label(c: Comparison, k: int) -> str:
    return f"{chr(65 + k)}: {c.plans[k].scenario.meta.name}"


def weekly_output_figure(c: Comparison) -> go.Figure:
    """Each plan's mean output a week over the year (paired years)."""
    import plotly.graph_objects as go

    fig = go.Figure()
    targets = []
    for k, p in enumerate(c.plans):
        sim = p.simulation
        bins = None if sim is None else sim.output_bins
        if bins is None:
            continue
        cal = p.scenario.calendar
        per_week = cal.shifts_per_day * cal.working_days_per_week
        weeks = bins.shape[1] // per_week
        y = bins[:, : weeks * per_week].reshape(
            bins.shape[0], weeks, per_week).sum(axis=2).mean(axis=0)
        fig.add_scatter(x=np.arange(1, weeks + 1), y=y, mode="lines",
                        name=_label(c, k),
                        line={"color": PALETTE[k % 10], "width": 2})
        days = p.capacity.time.working_days
        targets.append(p.scenario.targets.annual_volume / days
                       * cal.working_days_per_week)
    if targets:
        fig.add_hline(y=targets[0], line_color="#c0392b", line_dash="dash",
                      annotation_text=f"plan {targets[0]:,.0f} a week")
    rows = [plan_row(p) for p in c.plans]
    best = max(range(len(rows)), key=lambda k: rows[k]["annual_output"]
               or 0.0)
    title = (f"Output a week: {_label(c, best)} builds the most "
             "(mean of the replicated years)")
    return layout(fig, title, "week of the year", "vehicles a week")


def _line_trees(c: Comparison) -> tuple[LossTree, ...]:
    trees = []
    for k, p in enumerate(c.plans):
        if p.simulation is None or p.line is None or p.verdict is None:
            continue
        line = plant_loss_trees(p.scenario, p.line, p.simulation,
                                p.capacity.takt.planning_cycle_s,
                                p.verdict.output.mean)[0]
        trees.append(LossTree(_label(c, k), line.planned_s, line.seconds,
                              line.cycle_s, line.output))
    return tuple(trees)


def render_comparison(c: Comparison) -> str:
    """The whole comparison report as one HTML string."""
    rows = [plan_row(p) for p in c.plans]
    cur = rows[0]["currency"]
    header = ["", *[_label(c, k) for k in range(len(rows))]]
    fields = [
        ("Scenario file", lambda r: r["scenario"]),
        ("Takt (s)", lambda r: f"{r['takt_s']:.1f}"),
        ("Stations (assembly)", lambda r: f"{r['stations']} "
         f"({r['assembly_stations'] or '-'})"),
        ("Sequence rule violations", lambda r: r["violations"]),
        ("Vehicles a year (mean)", lambda r: f"{r['annual_output']:,.0f}"),
        ("95 % CI", lambda r: "{:,.0f} to {:,.0f}".format(
            *r["annual_output_ci95"])),
        ("Probability a year reaches the target",
         lambda r: f"{r['probability_reaching_target']:.0%}"),
        ("Bottleneck", lambda r: r["bottleneck"]),
        (f"Line cost a year ({cur})", lambda r: f"{r['cost_per_year']:,.0f}"),
        ("Weeks of ramp-up", lambda r: f"{r['rampup_weeks']:.1f}"),
        ("Bridge stock (vehicles)", lambda r: f"{r['bridge_stock']:,.0f}"),
        ("Cheapest change recommended",
         lambda r: r["recommended_change"] or "-"),
    ]
    answers = table([[name, *[fn(r) for r in rows]]
                     for name, fn in fields], header,
                    set(range(1, len(rows) + 1)))
    diffs = table(
        [[f"{_label(c, k + 1)} - {_label(c, 0)}", f"{d.mean:+,.0f}",
          f"{d.low:+,.0f} to {d.high:+,.0f}",
          "yes" if d.low > 0 or d.high < 0 else "no"]
         for k, d in enumerate(c.differences)],
        ["Difference in vehicles a year", "Mean", "95 % CI (paired years)",
         "Significant"], {1, 2})
    first = c.plans[0]
    target = float(first.scenario.targets.annual_volume)
    years = {_label(c, k): p.verdict.output.per_replication
             for k, p in enumerate(c.plans) if p.verdict is not None}
    cis = {_label(c, k): (p.verdict.output.low, p.verdict.output.high)
           for k, p in enumerate(c.plans) if p.verdict is not None}
    d = c.differences[0]
    title = (f"Annual output: {_label(c, 1)} builds {d.mean:+,.0f} a year "
             f"against {_label(c, 0)} (95 % CI {d.low:+,.0f} to "
             f"{d.high:+,.0f}, paired years)")
    figs = [embed(annual_output_figure(years, target, cis, title),
                  "annual-output"),
            embed(weekly_output_figure(c), "output-per-shift")]
    trees = _line_trees(c)
    if trees:
        figs.append(embed(loss_tree_figure(trees), "loss-tree"))
    names = " vs ".join(html.escape(p.scenario.meta.name) for p in c.plans)
    note = (f"All plans ran the same {c.replications} replicated years "
            f"(seed {c.seed}): year k of every plan uses the same random "
            "stream (common random numbers), so differences are paired.")
    return "\n".join([
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>taktplan - compare {names}</title>",
        f"<style>{_CSS}</style>",
        f"<script>{plotly_js()}</script>",
        "</head><body><main>",
        f"<h1>Comparison: {names}</h1>",
        f"<p class='muted'>{html.escape(note)}</p>",
        "<h2 id='answers'>Answers</h2>", answers,
        "<h2 id='differences'>Differences to the first plan</h2>", diffs,
        "<h2 id='charts'>Charts</h2>", *figs,
        "</main></body></html>",
    ])
