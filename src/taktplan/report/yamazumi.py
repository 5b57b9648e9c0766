"""The Yamazumi chart: each station's tasks stacked against takt and cycle.

One stacked bar per station, one block per task (its time, coloured by
area), for the demand-weighted vehicle and for each variant, chosen with
a selector. A two-sided station has one bar per operator (``trim-01 L``,
``trim-01 R``): the work of each side against the cycle (the wait for
the other side, which the balance counts in the station's time, is not
drawn). The planning cycle and the takt are drawn across, and the
view's limit (the weighted load limit, or the most one variant may bring
to a station); a station whose load in the chosen view is above the
cycle is marked overloaded: for a variant, work the sequence must spread
out. The title states the answer: how many stations, which overload.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from taktplan.report.style import embed, title, top

if TYPE_CHECKING:
    import plotly.graph_objects as go

    from taktplan.plant.balance_stage import PlantBalance
    from taktplan.scenario.model import Scenario

#: Colours of the areas, in the order the tasks first name them.
AREA_COLOURS = ("#4e79a7", "#f28e2b", "#59a14f", "#b07aa1", "#76b7b2",
                "#edc948", "#9c755f", "#bab0ac")
OVER_COLOUR = "#c0392b"
#: The element id of the chart in the report.
DIV_ID = "yamazumi"


@dataclass(frozen=True)
class YamazumiView:
    """One view of the chart: the task times of every station.

    Attributes
    ----------
    label
        ``"demand-weighted"`` or the variant id.
    names
        The bars: a station, or an operator of a two-sided station
        (``"trim-01 L"``), in line order.
    blocks
        Per bar, its tasks' ``(task id, seconds)`` in line order.
    loads
        Per bar, the sum of its blocks, s.
    cycle
        The planning cycle, s: a station loaded above it is overloaded.
    limit
        The most load the balance allows a station in this view (the
        weighted load limit, or the variant limit), s.
    """

    label: str
    names: tuple[str, ...]
    blocks: tuple[tuple[tuple[str, float], ...], ...]
    loads: tuple[float, ...]
    cycle: float
    limit: float

    @property
    def overloaded(self) -> tuple[int, ...]:
        """Bars whose load is above the cycle (indices)."""
        eps = 1e-9
        return tuple(k for k, x in enumerate(self.loads)
                     if x > self.cycle * (1 + eps))


def yamazumi_bars(balance: PlantBalance
                  ) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The chart's bars in line order, each with its task ids: a station,
    or on a two-sided station each operator (``"trim-01 L"``; ``L2`` for
    a side's second operator)."""
    bars: list[tuple[str, tuple[str, ...]]] = []
    for seg in balance.segments:
        for k, (station, tasks) in enumerate(zip(
                seg.station_names, seg.station_tasks, strict=True)):
            if not seg.station_positions:
                bars.append((station, tasks))
                continue
            positions = seg.station_positions[k]
            sides = [side or "" for side, _ in positions]
            for q, (side, ids) in enumerate(positions):
                mark = side or ""
                if sides.count(mark) > 1:
                    mark += str(sides[:q + 1].count(mark))
                bars.append((f"{station} {mark}".rstrip(), ids))
    return tuple(bars)


def yamazumi_views(scenario: Scenario, balance: PlantBalance
                   ) -> tuple[YamazumiView, ...]:
    """The demand-weighted view, then one view per variant."""
    by_id = {t.id: t for t in scenario.tasks}
    bars = yamazumi_bars(balance)
    names = tuple(name for name, _ in bars)
    stations = [tasks for _, tasks in bars]
    variants = scenario.variant_ids
    shares = np.asarray(scenario.shares, dtype=np.float64)

    def times(task_id: str) -> np.ndarray:
        task = by_id[task_id]
        return np.array([task.time_for(v) for v in variants])

    per_task = {t: times(t) for st in stations for t in st}
    views = []
    for label, weights, limit in [
            ("demand-weighted", shares, balance.load_limit_s),
            *((v, np.eye(len(variants))[k], balance.variant_limit_s)
              for k, v in enumerate(variants))]:
        blocks = tuple(tuple((t, float(per_task[t] @ weights)) for t in st)
                       for st in stations)
        loads = tuple(sum(x for _, x in b) for b in blocks)
        views.append(YamazumiView(label, names, blocks, loads,
                                  balance.cycle_s, limit))
    return tuple(views)


def _count(k: int, unit: str) -> str:
    return f"{k} {unit}" + ("" if k == 1 else "s")


def _title(views: tuple[YamazumiView, ...], n: int, two_sided: bool) -> str:
    weighted, *variants = views
    cycle = weighted.cycle
    unit = "operator" if two_sided else "station"
    head = _count(n, "station") + (
        f" ({_count(len(weighted.names), 'operator')})" if two_sided
        else "")
    load = "operator load" if two_sided else "load"
    head += (f", every demand-weighted {load} within the "
             f"{cycle:.1f} s cycle" if not weighted.overloaded else
             f", {_count(len(weighted.overloaded), unit)} above the "
             f"{cycle:.1f} s cycle on average")
    over = [v for v in variants if v.overloaded]
    if not over:
        return f"{head}; no variant above it at any {unit}"
    bars = len({k for v in over for k in v.overloaded})
    heavy = max(over, key=lambda v: max(v.loads))
    return (f"{head}; {_count(bars, unit)} above it for some variant "
            f"(peak {max(heavy.loads):.1f} s, {heavy.label}), for the "
            "sequence to spread out")


def yamazumi_figure(scenario: Scenario, balance: PlantBalance,
                    takt_s: float) -> go.Figure:
    """The Yamazumi chart of ``balance`` (see the module docstring)."""
    import plotly.graph_objects as go

    views = yamazumi_views(scenario, balance)
    names = list(views[0].names)
    two_sided = any(seg.station_positions for seg in balance.segments)
    stations = sum(seg.n_stations for seg in balance.segments)
    areas = list(dict.fromkeys(t.area for t in scenario.tasks))
    colour = {a: AREA_COLOURS[k % len(AREA_COLOURS)]
              for k, a in enumerate(areas)}
    by_id = {t.id: t for t in scenario.tasks}
    depth = max((len(b) for b in views[0].blocks), default=0)
    fig = go.Figure()
    visible: list[list[bool]] = []
    for k, view in enumerate(views):
        start = len(fig.data)
        for slot in range(depth):
            cells = [b[slot] if slot < len(b) else ("", None)
                     for b in view.blocks]
            fig.add_bar(
                x=names, y=[None if x is None else round(x, 3)
                            for _, x in cells],
                marker={"color": [colour[by_id[t].area] if t else "#fff"
                                  for t, _ in cells],
                        "line": {"color": "#fff", "width": 0.6}},
                customdata=[[t, by_id[t].name if t else ""]
                            for t, _ in cells],
                hovertemplate=("%{x}: %{customdata[0]} %{customdata[1]}"
                               "<br>%{y:.1f} s<extra></extra>"),
                showlegend=False, visible=k == 0)
        over = view.overloaded
        fig.add_scatter(
            x=[names[i] for i in over],
            y=[view.loads[i] for i in over], mode="markers+text",
            marker={"symbol": "triangle-down", "size": 11,
                    "color": OVER_COLOUR},
            text=[f"{view.loads[i]:.0f}" for i in over],
            textposition="top center", name="above the cycle",
            hovertemplate="%{x}: %{y:.1f} s, above the cycle"
                          "<extra></extra>",
            showlegend=bool(over), visible=k == 0)
        visible.append([False] * start + [True] * (len(fig.data) - start))
    total = len(fig.data)
    for area in areas:  # a legend of the area colours
        fig.add_bar(x=[None], y=[None], name=area,
                    marker_color=colour[area], showlegend=True)
    legend_traces = len(fig.data) - total
    buttons = []
    for k, view in enumerate(views):
        mask = visible[k] + [False] * (total - len(visible[k]))
        buttons.append({
            "label": view.label, "method": "update",
            "args": [{"visible": mask + [True] * legend_traces},
                     {"shapes": _lines(balance.cycle_s, takt_s,
                                       view.limit)}]})
    fig.update_layout(
        # narrower than other titles: the view selector sits at the right
        title=title(_title(views, stations, two_sided), width=95),
        barmode="stack", template="plotly_white", height=460,
        xaxis_title=("station and side" if two_sided else "station")
        + " (line order)",
        yaxis_title=("task time per operator (s)" if two_sided
                     else "task time per station (s)"),
        shapes=_lines(balance.cycle_s, takt_s, views[0].limit),
        updatemenus=[{"buttons": buttons, "direction": "down", "x": 1.0,
                      "xanchor": "right", "y": 1.14, "yanchor": "top",
                      "showactive": True}],
        legend={"orientation": "h", "y": -0.25, "traceorder": "normal"},
        bargap=0.15)
    fig.update_layout(margin={"l": 60, "r": 20, "t": top(fig, 80), "b": 90})
    fig.add_annotation(x=1.0, y=balance.cycle_s, xref="paper", yref="y",
                       text=f"cycle {balance.cycle_s:.1f} s",
                       showarrow=False, xanchor="right", yanchor="bottom")
    fig.add_annotation(x=0.0, y=takt_s, xref="paper", yref="y",
                       text=f"takt {takt_s:.1f} s", showarrow=False,
                       xanchor="left", yanchor="bottom")
    return fig


def _lines(cycle_s: float, takt_s: float,
           limit: float) -> list[dict[str, Any]]:
    """The takt, cycle and the view's limit as lines across the chart."""
    def across(y: float, colour: str, dash: str) -> dict[str, Any]:
        return {"type": "line", "xref": "paper", "x0": 0, "x1": 1,
                "yref": "y", "y0": y, "y1": y,
                "line": {"color": colour, "width": 2, "dash": dash}}

    return [across(takt_s, "#555", "dot"), across(cycle_s, "#000", "solid"),
            across(limit, OVER_COLOUR, "dash")]


def yamazumi_html(scenario: Scenario, balance: PlantBalance,
                  takt_s: float) -> str:
    """The chart as a report block (``id="yamazumi"``) with its caption."""
    fig = yamazumi_figure(scenario, balance, takt_s)
    caption = ("<p>Yamazumi chart: each station's tasks stacked (on a "
               "two-sided station, each operator's: its side's tasks), "
               "coloured "
               "by area; the selector shows the demand-weighted vehicle or "
               "one variant. Solid line: the planning cycle; dotted: the "
               "takt; dashed red: the limit of the view (the weighted load "
               "limit, or the most one variant may bring to a station); "
               "red marks: stations above the cycle in that view, work "
               "the sequence must spread out.</p>")
    return caption + embed(fig, DIV_ID)
