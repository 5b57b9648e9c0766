"""The report's look, shared by every chart module: colours, the layout
of a chart, and how a chart is embedded with the inlined plotly.js."""

from __future__ import annotations

import textwrap
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


#: Pixels a further line of a title takes.
TITLE_LINE_PX = 22
#: Pixels the title starts below the top of the chart, clear of
#: plotly's tool bar there (shown on hover, and always where the device
#: cannot hover, as in a screenshot: it covered the end of long titles).
TOOLBAR_PX = 20


def title(text: str, width: int = 115) -> dict[str, object]:
    """A chart title that fits a chart 1,100 px wide (about 8 px a
    character at its 17 px font), below plotly's tool bar: broken into lines
    of at most ``width`` characters (plotly does not wrap), hung from the
    top of the chart (give the chart :func:`top` for its margin)."""
    lines = textwrap.wrap(text, width)
    # plotly lifts a title of several lines by 15 px (measured in
    # Chromium): the padding gives it back
    return {"text": "<br>".join(lines), "yref": "container", "y": 1.0,
            "yanchor": "top",
            "pad": {"t": TOOLBAR_PX + (12 if len(lines) < 2 else 27)}}


def top(fig: go.Figure, base: int) -> int:
    """The top margin for ``fig``'s title: ``base`` pixels for one line,
    :data:`TITLE_LINE_PX` more for each further line, and
    :data:`TOOLBAR_PX` above it."""
    text = fig.layout.title.text or ""
    return base + TOOLBAR_PX + TITLE_LINE_PX * text.count("<br>")


def layout(fig: go.Figure, title_text: str, x: str, y: str) -> go.Figure:
    """Title, axis titles, the white template and the report's height and
    margins."""
    fig.update_layout(title=title(title_text), xaxis_title=x, yaxis_title=y,
                      template="plotly_white", height=380)
    fig.update_layout(margin={"l": 60, "r": 20, "t": top(fig, 50), "b": 50})
    return fig
