"""The plan's HTML report: one self-contained file that works offline.

The plot library's JavaScript is inlined once; every figure is a plotly
div. The report only draws the :class:`~taktplan.pipeline.Plan` it is
given and never runs a solver.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from taktplan.report import figures

if TYPE_CHECKING:
    from taktplan.pipeline import Plan

Section = Callable[["Plan"], str | None]

_CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;
margin:0;color:#1d2733;background:#f6f7f9}
main{max-width:1100px;margin:0 auto;padding:24px}
h1{font-size:1.6rem;margin:.2rem 0}h2{margin-top:2rem;font-size:1.25rem;
border-bottom:2px solid #dde3ea;padding-bottom:.3rem}
.verdict{padding:16px 20px;border-radius:8px;font-size:1.1rem;
background:#fff;border-left:8px solid #888}
.verdict.pass{border-color:#2e8b57}.verdict.fail{border-color:#c0392b}
.verdict.info{border-color:#2c6fbb}
table{border-collapse:collapse;background:#fff;margin:.5rem 0}
td,th{padding:4px 10px;border-bottom:1px solid #e3e7ec;text-align:left;
vertical-align:top}th{background:#eef1f5}
td.num{text-align:right;font-variant-numeric:tabular-nums}
.figure{background:#fff;border-radius:6px;margin:.6rem 0;padding:4px}
.muted{color:#667}
"""


def table(rows: Iterable[Iterable[Any]], header: Iterable[str] | None = None,
          numeric: set[int] | None = None) -> str:
    """An HTML table of escaped cells (columns in ``numeric`` right-set)."""
    numeric = numeric or set()
    out = ["<table>"]
    if header is not None:
        out.append("<tr>" + "".join(f"<th>{html.escape(str(h))}</th>"
                                    for h in header) + "</tr>")
    for row in rows:
        cells = []
        for i, cell in enumerate(row):
            cls = ' class="num"' if i in numeric else ""
            cells.append(f"<td{cls}>{html.escape(str(cell))}</td>")
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</table>")
    return "\n".join(out)


def _verdict(p: Plan) -> str:
    cap = p.capacity
    text = (
        f"{cap.takt.annual_volume:,} vehicles a year on "
        f"{cap.time.working_days} days x {cap.time.shifts_per_day} shifts "
        f"need a takt of {cap.takt.takt_s:.1f} s; at "
        f"{cap.takt.availability:.0%} availability the line must be "
        f"designed for a {cap.takt.planning_cycle_s:.1f} s cycle "
        f"({cap.takt.design_jobs_per_hour:.1f} jobs/hour)."
    )
    return (f'<div class="verdict info" id="verdict"><b>Verdict.</b> '
            f"{html.escape(text)}</div>")


def _calendar(p: Plan) -> str:
    cap = p.capacity
    cal = p.scenario.calendar
    rows = [
        ("Working days a year", f"{cap.time.working_days}"),
        ("Shifts a day", f"{cap.time.shifts_per_day}"),
        ("Shift length / breaks (min)",
         f"{cal.shift_length_min:g} / {cal.paid_breaks_min_per_shift:g}"),
        ("Net hours a year", f"{cap.time.net_hours_per_year:,.0f}"),
        ("Annual volume", f"{cap.takt.annual_volume:,}"),
        ("Takt (s)", f"{cap.takt.takt_s:.1f}"),
        ("Planning availability", f"{cap.takt.availability:.0%}"),
        ("Planning cycle (s)", f"{cap.takt.planning_cycle_s:.1f}"),
        ("Jobs/hour needed at takt", f"{cap.takt.jobs_per_hour_at_takt:.1f}"),
        ("Design jobs/hour", f"{cap.takt.design_jobs_per_hour:.1f}"),
        ("Vehicles a day", f"{cap.takt.vehicles_per_day:.0f}"),
        ("Shifts a day needed at the planning cycle",
         str(cap.shifts.shifts_per_day or "more than "
             f"{p.scenario.calendar.max_shifts_per_day}")),
    ]
    demand = table(
        zip(cap.demand.variant_ids,
            [f"{x:.1f}" for x in cap.demand.exact], cap.demand.whole,
            strict=True),
        ["Variant", "Vehicles a day (mean)", "Vehicles a day (whole)"],
        {1, 2})
    return ("<h2 id='calendar'>Calendar and takt</h2>"
            + table(rows, ["", "Value"], {1})
            + "<h3>Daily demand by variant</h3>" + demand)


def _rampup(p: Plan) -> str:
    cap = p.capacity
    b = cap.bridge
    rows = [
        ("Weeks from SOP to target",
         f"{cap.rampup.weeks_to_target:.1f}"),
        ("Months from SOP to target",
         f"{cap.rampup.months_to_target:.1f}"),
        ("Relocation window (weeks)", f"{b.window_weeks:g}"),
        ("Demand during the window", f"{b.window_demand:,.0f}"),
        ("Ramp-up shortfall after SOP", f"{b.ramp_shortfall:,.0f}"),
        ("Safety stock", f"{b.safety_stock:,.0f}"),
        ("Stock to build before the move", f"{b.total:,.0f}"),
        ("... in weeks of demand", f"{b.weeks_of_demand:.1f}"),
    ]
    fig = figures.rampup_figure(cap.rampup, p.scenario.rampup)
    return ("<h2 id='rampup'>Ramp-up and bridge stock</h2>"
            + figures.embed(fig, "fig-rampup")
            + table(rows, ["", "Value"], {1}))


def _assumptions(p: Plan) -> str:
    items = sorted(p.scenario.assumptions.items())
    return ("<h2 id='assumptions'>Assumptions</h2>"
            "<p class='muted'>Numbers the case does not give, and why they "
            "were chosen (marked (A) in the scenario file).</p>"
            + table(items, ["Field", "Assumption"]))


SECTIONS: list[Section] = [_calendar, _rampup, _assumptions]


def render_report(p: Plan, sections: list[Section] | None = None) -> str:
    """The whole report as one HTML string."""
    body = [s(p) for s in (sections or SECTIONS)]
    title = html.escape(p.scenario.meta.name)
    return "\n".join([
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>taktplan - {title}</title>",
        f"<style>{_CSS}</style>",
        f"<script>{figures.plotly_js()}</script>",
        "</head><body><main>",
        f"<h1>{title}</h1>",
        f"<p class='muted'>{html.escape(p.scenario.meta.description)}</p>",
        _verdict(p),
        *[b for b in body if b],
        "</main></body></html>",
    ])
