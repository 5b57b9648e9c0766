"""The report's answer charts: annual output, changes by cost, ramp-up.

Each one is drawn to be read as a static picture: the axis spans the
data (not zero), every point is labelled, the title gives the answer.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from taktplan.report.style import PALETTE, layout

if TYPE_CHECKING:
    import plotly.graph_objects as go

    from taktplan.capacity import BridgeStock, RampUpCurve
    from taktplan.scenario.model import RampUp


def annual_output_figure(years: dict[str, np.ndarray], target: float,
                         intervals: dict[str, tuple[float, float]],
                         title: str | None = None) -> go.Figure:
    """The replicated years of one or more plans as points, each plan's
    mean with its 95 % interval, and the target (``title`` overrides
    the one-plan answer in the title)."""
    import plotly.graph_objects as go

    fig = go.Figure()
    rng = np.random.default_rng(0)
    names = list(years)
    ticks = []
    for k, name in enumerate(names):
        y = np.asarray(years[name], dtype=float)
        lo, hi = intervals[name]
        jitter = k + rng.uniform(-0.15, 0.15, y.size)
        colour = PALETTE[k % 10]
        fig.add_scatter(x=y, y=jitter, mode="markers", name=name,
                        marker={"size": 9, "color": colour, "opacity": 0.7},
                        hovertemplate="%{x:,.0f} vehicles<extra>"
                                      f"{name}</extra>")
        mean = float(y.mean())
        fig.add_scatter(x=[lo, hi], y=[k - 0.32, k - 0.32],
                        mode="lines+markers", showlegend=False,
                        line={"color": colour, "width": 4},
                        marker={"symbol": "line-ns-open", "size": 14},
                        hoverinfo="skip")
        # beside the plan's name, where no point or line can cover it
        ticks.append(f"<b>{name}</b><br><span style='color:{colour}'>"
                     f"mean {mean:,.0f}<br>95 % CI {lo:,.0f} to "
                     f"{hi:,.0f}</span>")
    fig.add_vline(x=target, line_color="#c0392b", line_width=3)
    # left of the line: at the right end of the axis it was cut off
    fig.add_annotation(x=target, y=1.0, yref="paper", showarrow=False,
                       text=f"target {target:,.0f}", xanchor="right",
                       yanchor="bottom", xshift=-4,
                       font={"color": "#c0392b"})
    allx = np.concatenate([np.asarray(v, float) for v in years.values()]
                          + [np.array([target])])
    pad = max(0.1 * float(np.ptp(allx)), 0.002 * float(allx.mean()), 1.0)
    first = names[0]
    y0 = np.asarray(years[first], float)
    reached = int((y0 >= target).sum())
    word = "reaches" if y0.mean() >= target else "misses"
    title = title or (f"Annual output: {first} {word} the target "
             f"{target:,.0f} on average ({reached} of {y0.size} years "
             "reach it)" if len(names) == 1 else
             "Annual output of each plan's replicated years against "
             f"the target {target:,.0f}")
    fig.update_layout(height=max(300, 110 * len(names) + 170),
                      showlegend=False,
                      yaxis={"tickvals": list(range(len(names))),
                             "ticktext": ticks, "range": [len(names) - 0.5,
                                                          -0.8]},
                      xaxis={"range": [float(allx.min()) - pad,
                                       float(allx.max()) + pad],
                             "tickformat": ",.0f"})
    return layout(fig, title, "vehicles a year (one point = one "
                   "replicated year)", "")


def changes_cost_figure(rows: list[tuple[str, float, float, float, float]],
                        base_output: float, target: float,
                        currency: str, need: float | None = None
                        ) -> go.Figure:
    """Each change tried: cost a year against output added, the target
    as the line to clear. ``rows`` are (label, cost, mean, low, high).

    ``base_output`` is the output without any change measured as the
    rows were (the screening run: same share of a year and seeds), so
    a change that does nothing sits at 0; ``need`` is the output the
    line lacks (``target - base_output`` when not given; the plan passes
    the full-year verdict's).

    Points carry their number in ``rows`` (1, 2, ...: the report's table
    of changes lists them), the cheapest point reaching the target also
    its name; cost is on a log axis when it spans a wide range.
    """
    import plotly.graph_objects as go

    fig = go.Figure()
    cost = np.array([r[1] for r in rows], dtype=float)
    gain = np.array([r[2] for r in rows], dtype=float) - base_output
    lo = gain - (np.array([r[2] - r[3] for r in rows], dtype=float))
    hi = np.array([r[4] for r in rows], dtype=float) - base_output
    if need is None:
        need = target - base_output
    ok = gain >= need
    log = _log_axis(cost)
    labels = point_labels(np.log10(cost) if log else cost, gain)
    # neighbouring labels above and below in turn
    shown = sorted((k for k, t in enumerate(labels) if t),
                   key=lambda k: cost[k])
    where = ["top center"] * len(rows)
    for n, k in enumerate(shown):
        where[k] = "top center" if n % 2 == 0 else "bottom center"
    fig.add_scatter(
        x=cost, y=gain, mode="markers+text",
        text=labels, textposition=where,
        textfont={"size": 11},
        customdata=[f"{k + 1}. {r[0]}" for k, r in enumerate(rows)],
        marker={"size": 10, "color": ["#2e8b57" if o else "#2c6fbb"
                                      for o in ok]},
        error_y={"type": "data", "symmetric": False,
                 "array": hi - gain, "arrayminus": gain - lo,
                 "thickness": 1},
        name="change (95 % CI)",
        hovertemplate="%{customdata}<br>%{x:,.0f} " + currency
                      + "/yr, %{y:+,.0f} vehicles/yr<extra></extra>")
    fig.add_hline(y=need, line_color="#c0392b", line_dash="dash",
                  annotation_text=f"needed to reach the target: "
                                  f"{need:+,.0f}")
    if ok.any():
        k = int(np.argmin(np.where(ok, cost, np.inf)))
        title = (f"Cheapest change reaching the target: {rows[k][0]} "
                 f"({cost[k]:,.0f} {currency}/yr, {gain[k]:+,.0f} "
                 "vehicles/yr)")
        fig.add_annotation(x=_x(cost[k], cost), y=gain[k], text=f"{k + 1}. "
                           f"{rows[k][0]}", showarrow=True, arrowhead=2,
                           ax=0, ay=-40, font={"color": "#2e8b57"})
    else:
        k = int(np.argmax(gain)) if rows else 0
        title = ("No change tried reaches the target; best "
                 f"{rows[k][0]} ({gain[k]:+,.0f} vehicles/yr)"
                 if rows else "No changes tried")
    fig.update_layout(height=520, showlegend=False,
                      xaxis={"tickformat": ",.0f",
                             "type": "log" if log else "linear",
                             # 1-2-5 ticks: the log axis' own crowd
                             "tickvals": [m * 10 ** e for e in range(2, 9)
                                          for m in (1, 2, 5)]
                             if log else None},
                      yaxis={"tickformat": "+,.0f"})
    return layout(fig, title, f"cost of the change ({currency} a year)",
                   "vehicles a year added (screening run)")


def rampup_cumulative_figure(curve: RampUpCurve, rampup: RampUp,
                             bridge: BridgeStock) -> go.Figure:
    """Cumulative supply (bridge stock + the new plant's build) against
    cumulative demand from the old plant's stop through the ramp-up."""
    import plotly.graph_objects as go

    window = float(bridge.window_weeks)
    weekly = float(rampup.weekly_demand)
    end = float(min(curve.weeks[-1], max(2.0 * curve.weeks_to_target,
                                         8.0)))
    keep = curve.weeks <= end
    wk = np.concatenate([[-window], curve.weeks[keep]])
    built = np.concatenate([[0.0], curve.cumulative[keep]])
    supply = bridge.total + built
    demand = weekly * (wk + window)
    fig = go.Figure()
    fig.add_scatter(x=wk, y=demand, mode="lines", name="cumulative demand",
                    line={"color": "#c0392b", "width": 3})
    fig.add_scatter(x=wk, y=supply, mode="lines", fill="tonexty",
                    fillcolor="rgba(46,139,87,0.15)",
                    name="bridge stock + new plant's build",
                    line={"color": "#2e8b57", "width": 3})
    fig.add_vline(x=0, line_dash="dot", annotation_text="SOP")
    fig.add_annotation(x=-window, y=bridge.total, showarrow=True,
                       arrowhead=2, ax=60, ay=-30,
                       text=f"bridge stock {bridge.total:,.0f}")
    gap = supply - demand
    k = int(np.argmin(gap))
    fig.add_annotation(x=float(wk[k]), y=float(demand[k]), showarrow=True,
                       arrowhead=2, ax=40, ay=40,
                       text=f"smallest gap {gap[k]:,.0f}")
    title = (f"Ramp-up: building {bridge.total:,.0f} vehicles ahead "
             f"covers demand through the move (smallest stock "
             f"{gap[k]:,.0f}, week {wk[k]:.0f})")
    fig.update_layout(yaxis={"tickformat": ",.0f"})
    return layout(fig, title, "weeks after start of production (SOP)",
                   "vehicles, cumulative")


def point_labels(x: np.ndarray, gain: np.ndarray) -> list[str]:
    """Each point's number (1, 2, ...); points that sit on one another
    (within 3 % of the x axis and 6 % of the y axis; ``x`` as drawn, the
    exponent on a log axis) share one label "1-4, 7" at the first of
    them: every point is labelled once, no label over another."""
    xs = float(np.ptp(x)) if x.size else 0.0
    ys = float(np.ptp(gain)) if gain.size else 0.0
    labels = [""] * x.size
    done = np.zeros(x.size, dtype=bool)
    for k in range(x.size):
        if done[k]:
            continue
        near = (~done & (np.abs(x - x[k]) <= 0.03 * xs + 1e-9)
                & (np.abs(gain - gain[k]) <= 0.06 * ys + 1e-9))
        done |= near
        labels[k] = _runs(np.flatnonzero(near) + 1)
    return labels


def _runs(numbers: np.ndarray) -> str:
    """``1, 2, 3, 5`` as ``1-3, 5``."""
    parts: list[str] = []
    start = prev = int(numbers[0])
    for n in [*(int(v) for v in numbers[1:]), None]:
        if n is not None and n == prev + 1:
            prev = n
            continue
        parts.append(str(start) if start == prev else f"{start}-{prev}")
        if n is not None:
            start = prev = n
    return ", ".join(parts)


def _log_axis(cost: np.ndarray) -> bool:
    """A log cost axis when every cost is positive and they span > 20x."""
    return bool(cost.size and (cost > 0).all()
                and cost.max() > 20 * cost.min())


def _x(value: float, cost: np.ndarray) -> float:
    """An x position for an annotation (log axes take the exponent)."""
    return float(np.log10(value)) if _log_axis(cost) else float(value)
