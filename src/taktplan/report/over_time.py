"""The line over time: output per shift and week, buffer levels over a
day, and a Gantt chart of every station's states over one shift.

All three read a simulation recorded with
:class:`~taktplan.simulate.over_time.OverTime` (bins of one shift, a
day's trace). The simulated clock runs in productive time only; the
charts put each shift's breaks in its middle (the calendar gives their
length, not their time) so the x axis is hours from the shift's start.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from taktplan.report.style import PALETTE, STATE_COLOURS, layout

if TYPE_CHECKING:
    import plotly.graph_objects as go

    from taktplan.simulate.over_time import Trace

GANTT_COLOURS = {**STATE_COLOURS, "break": "#9aa4b1"}


def output_per_shift_figure(bins: np.ndarray, plan_per_shift: float,
                            shifts_per_week: int) -> go.Figure:
    """Vehicles per shift (first replication) and per week (all, band).

    ``bins`` is (replications, shifts) departures per shift.
    """
    from plotly.subplots import make_subplots

    reps, n = bins.shape
    weeks = n // shifts_per_week
    per_week = bins[:, : weeks * shifts_per_week].reshape(
        reps, weeks, shifts_per_week).sum(axis=2)
    plan_week = plan_per_shift * shifts_per_week
    mean_week = per_week.mean(axis=0)
    below = int((mean_week < plan_week).sum())
    fig = make_subplots(rows=2, cols=1, vertical_spacing=0.16,
                        subplot_titles=("Each shift of one simulated year",
                                        "Each week: mean and range of the "
                                        f"{reps} replicated years"))
    x = np.arange(1, n + 1)
    fig.add_scatter(x=x, y=bins[0], mode="lines", name="vehicles a shift",
                    line={"color": "#2c6fbb", "width": 1}, row=1, col=1)
    fig.add_hline(y=plan_per_shift, line_color="#c0392b", line_dash="dash",
                  annotation_text=f"plan {plan_per_shift:,.0f}", row=1,
                  col=1)
    w = np.arange(1, weeks + 1)
    if weeks:
        fig.add_scatter(x=w, y=per_week.max(axis=0), mode="lines",
                        line={"width": 0}, showlegend=False, row=2, col=1,
                        hoverinfo="skip")
        fig.add_scatter(x=w, y=per_week.min(axis=0), mode="lines",
                        line={"width": 0}, fill="tonexty",
                        fillcolor="rgba(44,111,187,0.25)",
                        name="range of the years", row=2, col=1)
        fig.add_scatter(x=w, y=mean_week, mode="lines+markers",
                        name="mean a week", line={"color": "#2c6fbb"},
                        row=2, col=1)
        fig.add_hline(y=plan_week, line_color="#c0392b", line_dash="dash",
                      annotation_text=f"plan {plan_week:,.0f}", row=2,
                      col=1)
    fig.update_xaxes(title_text="shift of the year", row=1, col=1)
    fig.update_xaxes(title_text="week of the year", row=2, col=1)
    fig.update_yaxes(title_text="vehicles a shift", row=1, col=1)
    fig.update_yaxes(title_text="vehicles a week", row=2, col=1)
    title = (f"Output: {bins[0].mean():,.1f} vehicles a shift against a "
             f"plan of {plan_per_shift:,.1f}; {below} of {weeks} weeks "
             "below plan on average")
    fig.update_layout(title=title, template="plotly_white", height=620,
                      margin={"l": 70, "r": 30, "t": 80, "b": 50})
    return fig


def _clock(t: np.ndarray, shift_start: float, half: float,
           break_s: float) -> np.ndarray:
    """Productive time -> hours from the shift's start (breaks inserted
    at mid-shift)."""
    rel = t - shift_start
    return (rel + np.where(rel > half, break_s, 0.0)) / 3600.0


def states_gantt_figure(trace: Trace, names: tuple[str, ...],
                        shift_s: float, break_s: float) -> go.Figure:
    """Every station's states over the first shift of the trace."""
    import plotly.graph_objects as go

    t0 = trace.start
    t1 = min(trace.end, t0 + shift_s)
    half = shift_s / 2.0
    labels = []
    for i, name in enumerate(names):
        c = trace.parallel[i]
        labels += [name] if c == 1 else [f"{name} #{k + 1}"
                                         for k in range(c)]
    row_of = {}
    r = 0
    for i in range(len(names)):
        for k in range(trace.parallel[i]):
            row_of[(i, k)] = r
            r += 1
    segs: dict[str, tuple[list[float], list[float]]] = {}
    totals: dict[str, float] = {}
    for i in range(len(names)):
        for state, iv in trace.intervals(i).items():
            a = np.clip(iv[:, 0], t0, t1)
            b = np.clip(iv[:, 1], t0, t1)
            keep = b > a
            a, b, srv = a[keep], b[keep], iv[keep, 2].astype(int)
            if not a.size:
                continue
            totals[state] = totals.get(state, 0.0) + float((b - a).sum())
            xa = _clock(a, t0, half, break_s)
            xb = _clock(b, t0, half, break_s)
            # a span across the break is drawn on both sides of it
            ya = np.array([row_of[(i, s)] for s in srv], dtype=float)
            xs, ys = segs.setdefault(state, ([], []))
            pts = np.full((a.size, 3), np.nan)
            pts[:, 0], pts[:, 1] = xa, xb
            yy = np.full((a.size, 3), np.nan)
            yy[:, 0], yy[:, 1] = ya, ya
            xs += pts.ravel().tolist()
            ys += yy.ravel().tolist()
    rows = len(labels)
    width = max(2, min(14, int(520 / max(rows, 1))))
    fig = go.Figure()
    for state, colour in GANTT_COLOURS.items():
        if state == "break":
            continue
        xs, ys = segs.get(state, ([], []))
        if xs:
            fig.add_scatter(x=xs, y=ys, mode="lines", name=state,
                            line={"color": colour, "width": width},
                            hoverinfo="name+x")
    if break_s > 0:
        h0, h1 = half / 3600.0, (half + break_s) / 3600.0
        fig.add_vrect(x0=h0, x1=h1, fillcolor=GANTT_COLOURS["break"],
                      opacity=0.6, line_width=0, annotation_text="break",
                      annotation_position="top left")
        fig.add_scatter(x=[None], y=[None], mode="lines", name="break",
                        line={"color": GANTT_COLOURS["break"],
                              "width": width})
    worst = max(range(len(names)),
                key=lambda i: trace.state_times(i).get("down", 0.0)
                + trace.state_times(i).get("overload", 0.0))
    t_w = trace.state_times(worst)
    lost = (t_w.get("down", 0.0) + t_w.get("overload", 0.0)) / 60.0
    title = (f"Station states over one shift: {names[worst]} loses the "
             f"most ({lost:.0f} min down or overloaded)")
    fig.update_yaxes(tickvals=list(range(rows)), ticktext=labels,
                     range=[rows - 0.5, -0.5])
    fig.update_layout(height=max(380, 15 * rows + 140), dragmode="zoom",
                      legend={"orientation": "h", "y": 1.02, "x": 0,
                              "yanchor": "bottom"})
    layout(fig, title, "hours from the start of the shift", "station")
    fig.update_layout(height=max(380, 15 * rows + 160),
                      margin={"l": 110, "r": 20, "t": 90, "b": 50})
    return fig


def buffer_levels_figure(trace: Trace, names: tuple[str, ...],
                         capacities: tuple[int, ...],
                         year_levels: tuple[np.ndarray, ...],
                         shift_s: float, break_s: float) -> go.Figure:
    """Levels of the larger buffers over the traced day, and each
    buffer's share of the year empty and full."""
    from plotly.subplots import make_subplots

    chosen = [b for b, c in enumerate(capacities) if c >= 2] or [
        b for b, c in enumerate(capacities) if c >= 1]
    chosen = sorted(chosen, key=lambda b: -capacities[b])[:8]
    chosen.sort()
    fig = make_subplots(rows=1, cols=2, column_widths=[0.65, 0.35],
                        horizontal_spacing=0.1,
                        subplot_titles=("Level over one day",
                                        "Share of the year empty / full"))
    for n_b, b in enumerate(chosen):
        times, levels = trace.buffer_levels(b)
        rel = times - trace.start
        per_shift = shift_s
        shift_no = np.floor(rel / per_shift)
        inshift = rel - shift_no * per_shift
        hours = (shift_no * (per_shift + break_s) + inshift
                 + np.where(inshift > per_shift / 2, break_s, 0.0)) / 3600.0
        fig.add_scatter(x=hours, y=levels, mode="lines",
                        line={"shape": "hv", "width": 1.5,
                              "color": _colour(n_b)},
                        name=f"after {names[b]} ({capacities[b]})",
                        row=1, col=1)
    labels = [f"after {names[b]}" for b in chosen]
    empty = [float(year_levels[b][0]) for b in chosen]
    full = [float(year_levels[b][-1]) for b in chosen]
    fig.add_bar(y=labels, x=empty, orientation="h", name="empty",
                marker_color="#5bc0de", row=1, col=2,
                text=[f"{x:.0%}" for x in empty], textposition="auto")
    fig.add_bar(y=labels, x=full, orientation="h", name="full",
                marker_color="#f0ad4e", row=1, col=2,
                text=[f"{x:.0%}" for x in full], textposition="auto")
    fig.update_xaxes(title_text="hours from the start of the day", row=1,
                     col=1)
    fig.update_yaxes(title_text="vehicles in the buffer", row=1, col=1)
    fig.update_xaxes(title_text="share of productive time", row=1, col=2,
                     tickformat=".0%", range=[0, 1])
    if chosen:
        most = max(chosen, key=lambda b: year_levels[b][0])
        title = (f"Buffers: after {names[most]} is empty "
                 f"{year_levels[most][0]:.0%} of the year, the most "
                 "starved")
    else:
        title = "Buffers: the line has no buffers"
    fig.update_layout(title=title, template="plotly_white", height=460,
                      barmode="group",
                      margin={"l": 70, "r": 30, "t": 80, "b": 50})
    return fig


def _colour(k: int) -> str:
    return PALETTE[k % len(PALETTE)]
