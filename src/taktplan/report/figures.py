"""Plotly figures of the plan's results (built, never shown, here)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from taktplan.report.style import PALETTE, STATE_COLOURS, layout, top
from taktplan.report.style import title as chart_title

if TYPE_CHECKING:
    import plotly.graph_objects as go

    from taktplan.plan_result import Plan
    from taktplan.plant.balance_stage import PlantBalance


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
    over = [k for k in range(len(names))
            if max(float(s) for s in _variant_loads(balance, k))
            > balance.cycle_s]
    worst = max(range(len(names)),
                key=lambda k: max(_variant_loads(balance, k)))
    title = (f"Station loads: {balance.efficiency():.0%} of the "
             f"{balance.cycle_s:.1f} s cycle on average; {len(over)} of "
             f"{len(names)} stations have a variant above the cycle "
             f"(most {max(_variant_loads(balance, worst)):.0f} s at "
             f"{names[worst]}, limit {balance.variant_limit_s:.0f} s)")
    return layout(fig, title, "station", "seconds per vehicle")


def _variant_loads(balance: PlantBalance, k: int) -> list[float]:
    """Each variant's time at the ``k``-th station of the balance."""
    for s in balance.segments:
        if k < s.n_stations:
            return [float(x) for x in s.loads[k]]
        k -= s.n_stations
    raise IndexError(k)


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
    fig.update_yaxes(title_text="share of time", row=1, col=1,
                     tickformat=".0%")
    fig.update_yaxes(title_text="bottleneck (share of time)", row=2,
                     col=1, tickformat=".0%")
    fig.update_xaxes(title_text="station", row=2, col=1)
    k = int(np.argmax(shares))
    idx = {s: i for i, s in enumerate(STATE_COLOURS)}
    over, down = fractions[k, idx["overload"]], fractions[k, idx["down"]]
    title = (f"Station states: {names[k]} is the bottleneck "
             f"{shares[k]:.0%} of the time ({over:.1%} overloaded, "
             f"{down:.1%} down)")
    fig.update_layout(title=chart_title(title),
                      template="plotly_white", barmode="stack", height=560)
    fig.update_layout(margin={"l": 60, "r": 20, "t": top(fig, 50),
                              "b": 80})
    return fig


#: Earlier names of the report's charts (notebooks may use them).
ALIASES = {"rampup": "rampup-cumulative", "sequence": "sequence-strip",
           "output": "annual-output", "changes": "changes-cost"}


def plan_figures(p: Plan) -> dict[str, go.Figure]:
    """Every figure of the report, by the id of its element (the
    engineer's charts of :mod:`taktplan.report.plan_charts`), plus
    ``loads`` and ``states``; the names of :data:`ALIASES` also work."""
    from taktplan.report.plan_charts import engineer_figures

    figs = engineer_figures(p)
    if p.balance is not None:
        figs["loads"] = station_loads_figure(p.balance,
                                             p.scenario.variant_ids)
    if p.simulation is not None:
        sim = p.simulation
        figs["states"] = states_figure(
            sim.names, sim.fractions, sim.sole_share + sim.shifting_share)
    figs.update({old: figs[new] for old, new in ALIASES.items()
                 if new in figs})
    return figs
