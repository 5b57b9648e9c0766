"""The day's sequence as a strip: one hour of vehicles per row.

Each row shows an hour's vehicles as labelled, coloured cells; under it
one lane per rule marks the vehicles in a window that breaks the rule.
A menu picks one hour (or all of them).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from taktplan.report.style import PALETTE, layout

if TYPE_CHECKING:
    import plotly.graph_objects as go

    from taktplan.plant.sequence_stage import PlantSequence


def sequence_strip_figure(sequence: PlantSequence,
                          per_hour: int) -> go.Figure:
    """The day's order, ``per_hour`` vehicles a row, rules on lanes."""
    import plotly.graph_objects as go

    seq = sequence.sequence
    n = int(seq.size)
    per_hour = max(1, per_hour)
    hours = math.ceil(n / per_hour)
    rules = sequence.rules
    mask = sequence.violation_mask
    lanes = 1 + len(rules)
    block = lanes + 1  # a blank line between hours
    z = np.full((hours * block, per_hour), np.nan)
    text = np.full(z.shape, "", dtype=object)
    ids = sequence.variant_ids
    for pos in range(n):
        h, c = divmod(pos, per_hour)
        z[h * block, c] = seq[pos]
        text[h * block, c] = ids[seq[pos]]
    nv = len(ids)
    scale = []
    for v in range(nv):
        lo, hi = v / nv, (v + 1) / nv
        scale += [[lo, PALETTE[v % 10]], [hi, PALETTE[v % 10]]]
    fig = go.Figure()
    fig.add_heatmap(z=z, text=text, texttemplate="%{text}",
                    textfont={"size": 10, "color": "white"},
                    colorscale=scale, zmin=-0.5, zmax=nv - 0.5,
                    showscale=False, xgap=2, ygap=0,
                    hovertemplate="position %{x}<extra>%{text}</extra>")
    symbols = ["x", "triangle-up", "diamond", "square", "cross", "star"]
    for r, rule in enumerate(rules):
        bad = np.flatnonzero(mask[:, r]) if mask.size else np.zeros(0, int)
        row, col = np.divmod(bad, per_hour)
        fig.add_scatter(
            x=col, y=row * block + 1 + r, mode="markers",
            name=f"{rule.name} ({int(sequence.violations_per_rule[r])})",
            marker={"symbol": symbols[r % len(symbols)], "size": 8,
                    "color": "#c0392b" if r % 2 == 0 else "#333"},
            hovertemplate=f"{rule.name} broken<extra></extra>")
    ticks = [h * block + k for h in range(hours) for k in range(lanes)]
    labels = [f"hour {h + 1}" if k == 0 else f"  {rules[k - 1].name}"
              for h in range(hours) for k in range(lanes)]
    all_range = [hours * block - 0.5, -0.5]
    buttons = [{"label": "all hours", "method": "relayout",
                "args": [{"yaxis.range": all_range}]}]
    for h in range(hours):
        buttons.append({"label": f"hour {h + 1}", "method": "relayout",
                        "args": [{"yaxis.range": [h * block + lanes - 0.5,
                                                  h * block - 0.5]}]})
    worst = int(np.argmax(sequence.violations_per_rule)) if rules else -1
    tail = (f"; most broken: {rules[worst].name}" if worst >= 0
            and sequence.violations_per_rule[worst] > 0 else "")
    title = (f"Day's sequence: {n} vehicles in {hours} hours, "
             f"{sequence.violations} rule violations{tail}")
    fig.update_layout(
        updatemenus=[{"buttons": buttons, "direction": "down", "x": 1.0,
                      "xanchor": "right", "y": 1.12, "yanchor": "top",
                      "showactive": True}],
        yaxis={"tickvals": ticks, "ticktext": labels, "range": all_range,
               "tickfont": {"size": 9}},
        xaxis={"dtick": 5, "range": [-0.5, per_hour - 0.5]},
        legend={"orientation": "h", "y": -0.08, "x": 0,
                "yanchor": "top"})
    layout(fig, title, "vehicle in the hour", "")
    fig.update_layout(height=max(360, 11 * hours * block + 180),
                      margin={"l": 120, "r": 20, "t": 90, "b": 90})
    return fig
