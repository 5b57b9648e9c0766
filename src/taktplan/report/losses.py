"""The loss tree as a chart: planned vehicles split into their losses."""

from __future__ import annotations

from typing import TYPE_CHECKING

from taktplan.plant.losses import LEAVES, LossTree
from taktplan.report.style import layout

if TYPE_CHECKING:
    import plotly.graph_objects as go

LEAF_COLOURS = {"breaks": "#9aa4b1", "breakdowns": "#c0392b",
                "blocking": "#f0ad4e", "starving": "#5bc0de",
                "overload": "#8e44ad", "speed": "#d4c16a",
                "output": "#2e8b57"}


def loss_tree_figure(trees: tuple[LossTree, ...]) -> go.Figure:
    """One bar per segment and for the line, each adding up to the
    planned vehicles, split into the leaves (vehicles a year)."""
    import plotly.graph_objects as go

    names = [("whole line, at its output" if k == 0 else
              f"segment {t.name}") for k, t in enumerate(trees)]
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
                    hovertemplate=f"{label}: %{{x:,.0f}} vehicles a year"
                                  "<extra>%{y}</extra>")
    segs = trees[1:] or trees
    worst = max(segs, key=lambda t: t.biggest_loss()[1])
    leaf, lost = worst.biggest_loss()
    title = (f"Losses: {leaf} in segment {worst.name} cost the most, "
             f"{lost:,.0f} vehicles a year; the line builds "
             f"{trees[0].output:,.0f}")
    fig.update_layout(barmode="stack", height=max(300, 46 * len(trees)
                                                  + 150),
                      yaxis={"autorange": "reversed"},
                      legend={"orientation": "h", "y": 1.02, "x": 0,
                              "yanchor": "bottom", "traceorder": "normal"})
    layout(fig, title, "vehicles a year at the planning cycle "
            "(planned time = all bars)", "")
    fig.update_layout(height=max(300, 46 * len(trees) + 150),
                      margin={"l": 150, "r": 30, "t": 90, "b": 50})
    return fig


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
