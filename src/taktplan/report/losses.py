"""The loss tree as a chart: planned vehicles split into their losses."""

from __future__ import annotations

from typing import TYPE_CHECKING

from taktplan.plant.losses import LEAVES, LossTree
from taktplan.report.style import layout, top

if TYPE_CHECKING:
    import plotly.graph_objects as go

LEAF_COLOURS = {"breaks": "#9aa4b1", "breakdowns": "#c0392b",
                "blocking": "#f0ad4e", "starving": "#5bc0de",
                "overload": "#8e44ad", "speed": "#d4c16a",
                "output": "#2e8b57"}


#: How a tree's bar is labelled, by its kind.
ROW_LABEL = {"line": "whole line, at its output",
             "station": "bottleneck station {}", "segment": "segment {}",
             "plan": "{}, at its output"}


def loss_tree_figure(trees: tuple[LossTree, ...]) -> go.Figure:
    """One bar per tree (the line, the bottleneck station, each segment;
    or one per plan), each adding up to the planned vehicles, split into
    the leaves (vehicles a year)."""
    import plotly.graph_objects as go

    order = {"line": 0, "plan": 0, "station": 1, "segment": 2}
    trees = tuple(sorted(trees, key=lambda t: order.get(t.kind, 3)))
    names = [ROW_LABEL.get(t.kind, "{}").format(t.name) for t in trees]
    values = [_drawn(t) for t in trees]
    fig = go.Figure()
    for leaf in (*LEAVES[:6], "running"):
        xs = [v.get(leaf, 0.0) for v in values]
        label = ("running (vehicles at the cycle)" if leaf == "running"
                 else leaf)
        fig.add_bar(y=names, x=xs, orientation="h", name=label,
                    marker_color=LEAF_COLOURS[
                        "output" if leaf == "running" else leaf],
                    text=[f"{x:,.0f}" if x >= 0.04 * t.planned else ""
                          for x, t in zip(xs, trees, strict=True)],
                    textposition="inside", insidetextanchor="middle",
                    textangle=0,
                    hovertemplate=f"{label}: %{{x:,.0f}} vehicles a year"
                                  "<extra>%{y}</extra>")
    title = _title(trees)
    fig.update_layout(barmode="stack", height=max(300, 46 * len(trees)
                                                  + 150),
                      yaxis={"autorange": "reversed"},
                      legend={"orientation": "h", "y": 1.02, "x": 0,
                              "yanchor": "bottom", "traceorder": "normal"})
    layout(fig, title, "vehicles a year at the planning cycle "
            "(planned time = all bars)", "")
    fig.update_layout(height=max(300, 46 * len(trees) + 150),
                      margin={"l": 150, "r": 30, "t": top(fig, 90),
                              "b": 50})
    return fig


def _title(trees: tuple[LossTree, ...]) -> str:
    """The answer: what the line builds of its planned vehicles and what
    the bottleneck's own stops cost (or, of plans, which loses least)."""
    plans = [t for t in trees if t.kind == "plan"]
    if plans:
        best = min(plans, key=lambda t: t.planned - t.output)
        return (f"Losses: {best.name} loses the fewest vehicles, "
                f"{best.planned - best.output:,.0f} of "
                f"{best.planned:,.0f} planned a year")
    line = trees[0]
    head = (f"Losses: the line builds {line.output:,.0f} of "
            f"{line.planned:,.0f} planned vehicles a year")
    station = [t for t in trees if t.kind == "station"]
    if station:
        v = station[0].vehicles()
        return (f"{head}; bottleneck {station[0].name}'s own stops cost "
                f"{station[0].own_loss():,.0f} (breakdowns "
                f"{v['breakdowns']:,.0f}, overload {v['overload']:,.0f})")
    segs = [t for t in trees if t.kind == "segment"]
    if not segs:
        return head
    worst = max(segs, key=lambda t: t.own_loss())
    return (f"{head}; segment {worst.name}'s own stops cost the most, "
            f"{worst.own_loss():,.0f}")


def _drawn(tree: LossTree) -> dict[str, float]:
    """The bar's parts: the losses, a positive speed loss, and the
    running time in vehicles at the cycle, adding up to the planned
    vehicles (a segment running faster than the cycle has no speed
    loss; its running time makes more than the line's output)."""
    v = tree.vehicles()
    out = {k: v[k] for k in LEAVES[:5]}
    out["speed"] = max(v["speed"], 0.0)
    out["running"] = v["output"] + min(v["speed"], 0.0)
    return out
