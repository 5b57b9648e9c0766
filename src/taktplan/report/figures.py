"""Plotly figures of the plan's results (built, never shown, here)."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import plotly.graph_objects as go

    from taktplan.capacity import RampUpCurve
    from taktplan.scenario.model import RampUp


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


def _layout(fig: go.Figure, title: str, x: str, y: str) -> go.Figure:
    fig.update_layout(title=title, xaxis_title=x, yaxis_title=y,
                      template="plotly_white", height=380,
                      margin={"l": 60, "r": 20, "t": 50, "b": 50})
    return fig


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
    fig.add_vline(x=curve.weeks_to_target, line_dash="dot",
                  annotation_text=f"{curve.reach_share:.0%} of target")
    return _layout(fig, "Ramp-up after start of production",
                   "weeks after SOP", "vehicles a year (rate)")
