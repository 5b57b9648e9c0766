"""Plotly figures of the plan's results (built, never shown, here)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from taktplan.report.style import PALETTE, STATE_COLOURS, layout

if TYPE_CHECKING:
    import numpy as np
    import plotly.graph_objects as go

    from taktplan.capacity import RampUpCurve
    from taktplan.plan_result import Plan
    from taktplan.plant.balance_stage import PlantBalance
    from taktplan.plant.sequence_stage import PlantSequence
    from taktplan.scenario.model import RampUp


def rampup_figure(curve: RampUpCurve, rampup: RampUp) -> go.Figure:
    """Rate after SOP against the target, with the time to target."""
    import plotly.graph_objects as go

    fig = go.Figure()
    fig.add_scatter(x=curve.weeks, y=curve.rate_per_year, name="rate",
                    mode="lines", line={"width": 3})
    fig.add_hline(y=rampup.target_volume_per_year, line_dash="dash",
                  annotation_text="target")
    fig.add_hline(y=rampup.weekly_demand * rampup.working_weeks_per_year,
                  line_dash="dot", annotation_text="demand")
    if curve.reached:
        fig.add_vline(x=curve.weeks_to_target, line_dash="dot",
                      annotation_text=f"{curve.reach_share:.0%} of target")
    return layout(fig, f"Ramp-up: {curve.reach_share:.0%} of target "
                   f"{'after ' if curve.reached else ''}{curve.describe()}",
                   "weeks after SOP", "vehicles a year (rate)")


def station_loads_figure(balance: PlantBalance,
                         variant_ids: tuple[str, ...]) -> go.Figure:
    """Each variant's station time against the cycle and the limit."""
    import plotly.graph_objects as go

    names = [n for s in balance.segments for n in s.station_names]
    fig = go.Figure()
    for v, vid in enumerate(variant_ids):
        y = [float(x) for s in balance.segments for x in s.loads[:, v]]
        fig.add_scatter(x=names, y=y, mode="markers", name=vid,
                        marker={"size": 6, "color": PALETTE[v % 10]})
    weighted = [float(x) for s in balance.segments
                for x in s.weighted_loads]
    fig.add_bar(x=names, y=weighted, name="demand-weighted",
                marker_color="#c8d3e0", opacity=0.8)
    fig.add_hline(y=balance.cycle_s, line_color="black",
                  annotation_text=f"cycle {balance.cycle_s:.1f} s")
    fig.add_hline(y=balance.variant_limit_s, line_dash="dash",
                  line_color="#c0392b",
                  annotation_text="variant limit")
    fig.update_layout(barmode="overlay", height=420)
    return layout(fig, "Station loads per variant", "station",
                   "seconds per vehicle")


def sequence_figure(sequence: PlantSequence) -> go.Figure:
    """The day's order as a coloured strip, rule violations marked."""
    import numpy as np
    import plotly.graph_objects as go

    seq = sequence.sequence
    n = seq.size
    fig = go.Figure()
    for v, vid in enumerate(sequence.variant_ids):
        pos = np.flatnonzero(seq == v)
        fig.add_bar(x=pos, y=np.ones(pos.size), name=vid, width=1.0,
                    marker_color=PALETTE[v % 10],
                    hovertemplate=f"{vid} at %{{x}}<extra></extra>")
    mask = sequence.violation_mask
    if mask.size:
        bad = np.flatnonzero(mask.any(axis=1))
        if bad.size:
            fig.add_scatter(x=bad, y=np.full(bad.size, 1.15),
                            mode="markers", name="rule broken",
                            marker={"symbol": "x", "color": "black",
                                    "size": 7})
    fig.update_layout(bargap=0, height=260,
                      yaxis={"visible": False, "range": [0, 1.3]})
    return layout(fig, f"Day's sequence of {n} vehicles "
                   f"({sequence.violations} rule violations)",
                   "position in the day", "")


def output_figure(per_year: np.ndarray, target: float, low: float,
                  high: float) -> go.Figure:
    """Each replicated year's output against the target, with the CI."""
    import plotly.graph_objects as go

    fig = go.Figure()
    fig.add_histogram(x=per_year, nbinsx=max(5, min(30, per_year.size)),
                      name="replicated years", marker_color="#2c6fbb")
    fig.add_vline(x=target, line_color="#c0392b", line_width=3,
                  annotation_text="target")
    fig.add_vrect(x0=low, x1=high, fillcolor="#2e8b57", opacity=0.2,
                  line_width=0, annotation_text="95% CI of the mean")
    return layout(fig, "Annual output of the replicated years",
                   "vehicles a year", "replications")


def states_figure(names: tuple[str, ...], fractions: np.ndarray,
                  shares: np.ndarray) -> go.Figure:
    """Working/blocked/starved/down per station, and bottleneck shares."""
    from plotly.subplots import make_subplots

    fig = make_subplots(rows=2, cols=1, shared_xaxes=True,
                        row_heights=[0.7, 0.3], vertical_spacing=0.06)
    for k, state in enumerate(STATE_COLOURS):
        fig.add_bar(x=list(names), y=fractions[:, k], name=state,
                    marker_color=STATE_COLOURS[state], row=1, col=1)
    fig.add_bar(x=list(names), y=shares, name="bottleneck share",
                marker_color="#333", row=2, col=1)
    fig.update_yaxes(title_text="share of time", row=1, col=1)
    fig.update_yaxes(title_text="bottleneck", row=2, col=1)
    fig.update_layout(title="Station states and bottleneck shares",
                      template="plotly_white", barmode="stack", height=560,
                      margin={"l": 60, "r": 20, "t": 50, "b": 80})
    return fig


def changes_figure(rows: list[tuple[str, float, float, float, float]],
                   target: float) -> go.Figure:
    """Output of each change tried (with CI) against the target."""
    import plotly.graph_objects as go

    fig = go.Figure()
    labels = [r[0] for r in rows]
    fig.add_bar(y=labels, x=[r[2] for r in rows], orientation="h",
                error_x={"type": "data", "symmetric": False,
                         "array": [r[4] - r[2] for r in rows],
                         "arrayminus": [r[2] - r[3] for r in rows]},
                marker_color="#2c6fbb",
                customdata=[r[1] for r in rows],
                hovertemplate="%{y}: %{x:,.0f}/yr, cost %{customdata:,.0f}"
                              "/yr<extra></extra>")
    fig.add_vline(x=target, line_color="#c0392b", line_width=3,
                  annotation_text="target")
    fig.update_layout(height=max(300, 28 * len(rows) + 120))
    return layout(fig, "Changes tried (screening runs)",
                   "vehicles a year", "")


def plan_figures(p: Plan) -> dict[str, go.Figure]:
    """Every figure of the report, by name (the engineer's charts of
    :mod:`taktplan.report.plan_charts` among them)."""
    from taktplan.report.plan_charts import engineer_figures

    figs = {"rampup": rampup_figure(p.capacity.rampup, p.scenario.rampup)}
    if p.balance is not None:
        figs["loads"] = station_loads_figure(p.balance,
                                             p.scenario.variant_ids)
    if p.sequence is not None:
        figs["sequence"] = sequence_figure(p.sequence)
    if p.verdict is not None:
        o = p.verdict.output
        figs["output"] = output_figure(o.per_replication, p.verdict.target,
                                       o.low, o.high)
    if p.simulation is not None:
        sim = p.simulation
        figs["states"] = states_figure(
            sim.names, sim.fractions, sim.sole_share + sim.shifting_share)
    if p.recommendation is not None:
        rows = [(d.design.describe(), d.cost_per_year, d.output.mean,
                 d.output.low, d.output.high)
                for d in p.recommendation.tried]
        figs["changes"] = changes_figure(rows, p.scenario.targets
                                         .annual_volume)
    figs.update(engineer_figures(p))
    return figs
