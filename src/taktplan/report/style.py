"""The report's look, shared by every chart module: colours, the layout
of a chart, and how a chart is embedded with the inlined plotly.js."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import plotly.graph_objects as go

PALETTE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
           "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"]
STATE_COLOURS = {"working": "#2e8b57", "blocked": "#f0ad4e",
                 "starved": "#5bc0de", "down": "#c0392b",
                 "overload": "#8e44ad"}


@cache
def plotly_js() -> str:
    """The plotly.js library, to inline once in a report."""
    from plotly.offline import get_plotlyjs

    return get_plotlyjs()


def embed(fig: go.Figure, div_id: str) -> str:
    """A figure as an HTML div that uses the inlined plotly.js."""
    inner = fig.to_html(full_html=False, include_plotlyjs=False,
                        div_id=div_id, config={"displaylogo": False})
    return f'<div class="figure">{inner}</div>'


def layout(fig: go.Figure, title: str, x: str, y: str) -> go.Figure:
    """Title, axis titles, the white template and the report's height and
    margins."""
    fig.update_layout(title=title, xaxis_title=x, yaxis_title=y,
                      template="plotly_white", height=380,
                      margin={"l": 60, "r": 20, "t": 50, "b": 50})
    return fig
