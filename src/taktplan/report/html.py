"""The plan's HTML report: one self-contained file that works offline.

The plot library's JavaScript is inlined once; every figure is a plotly
div. The report only draws the :class:`~taktplan.plan_result.Plan` it is
given and never runs a solver.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from taktplan.files import write_text_atomically
from taktplan.report import figures
from taktplan.report.plan_charts import over_time_section
from taktplan.report.style import embed, plotly_js
from taktplan.report.yamazumi import yamazumi_html

if TYPE_CHECKING:
    import os
    from pathlib import Path

    from taktplan.plan_result import Plan
    from taktplan.plant.balance_stage import SegmentBalance
    from taktplan.plant.whatif import DesignResult

Section = Callable[["Plan", dict[str, Any]], str | None]

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
.warnings{margin:12px 0;padding:10px 20px;border-left:6px solid #f0ad4e;
background:#fff8e6;border-radius:8px}
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
    takt_text = (
        f"{cap.takt.annual_volume:,} {p.scenario.meta.product} a year on "
        f"{cap.time.working_days} days x {cap.time.shifts_per_day} shifts "
        f"need a takt of {cap.takt.takt_s:.1f} s; at "
        f"{cap.takt.availability:.0%} availability the line is designed "
        f"for a {cap.takt.planning_cycle_s:.1f} s cycle "
        f"({cap.takt.design_jobs_per_hour:.1f} jobs/hour)."
    )
    parts = [takt_text]
    cls = "info"
    if p.balance is not None:
        b = p.balance
        proof = "proved minimal" if b.proved_optimal else (
            f"lower bound {b.lower_bound}")
        parts.append(f"The balance needs {b.n_stations} assembly stations "
                     f"({proof}) and {b.operators} operators a shift.")
    if p.verdict is not None:
        parts.append(p.verdict.text)
        cls = "pass" if p.verdict.meets_target else "fail"
    rec = p.recommendation
    if rec is not None:
        if rec.chosen is not None:
            o = rec.chosen.output
            parts.append(
                f"Cheapest change that closes the gap: "
                f"{rec.chosen.design.describe()} "
                f"({rec.chosen.cost_per_year:,.0f} "
                f"{p.scenario.costs.currency}/yr), simulated "
                f"{o.mean:,.0f} a year (95 % CI {o.low:,.0f} to "
                f"{o.high:,.0f}).")
        else:
            parts.append("No change tried closes the gap; see the table "
                         "of changes.")
    bridge = cap.bridge
    if cap.rampup.reached:
        parts.append(f"Ramp-up: {cap.rampup.months_to_target:.1f} months "
                     f"from SOP to {cap.rampup.reach_share:.0%} of the "
                     "target;")
    else:
        parts.append(f"Ramp-up: {cap.rampup.reach_share:.0%} of the target "
                     f"is {cap.rampup.describe()};")
    parts.append(f"build {bridge.total:,.0f} {p.scenario.meta.product} "
                 "ahead to bridge the "
                 "move" + (" (and more: output is still below demand at the "
                           "end of the horizon)." if bridge.still_short
                           else "."))
    return (f'<div class="verdict {cls}" id="verdict"><b>Verdict.</b> '
            + " ".join(html.escape(x) for x in parts) + "</div>")


def _warnings(p: Plan) -> str:
    """The inputs that contradict each other, above everything else."""
    if not p.warnings:
        return ""
    items = "".join(f"<li><code>{html.escape(w.field)}</code>: "
                    f"{html.escape(w.message)}</li>" for w in p.warnings)
    return (f'<div class="warnings" id="warnings"><b>Warnings '
            f"({len(p.warnings)}).</b><ul>{items}</ul></div>")


def _calendar(p: Plan, figs: dict[str, Any]) -> str:
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
        (f"{p.scenario.meta.product.capitalize()} a day",
         f"{cap.takt.vehicles_per_day:.0f}"),
        ("Shifts a day needed at the planning cycle",
         str(cap.shifts.shifts_per_day or "more than "
             f"{p.scenario.calendar.max_shifts_per_day}")),
    ]
    demand = table(
        zip(cap.demand.variant_ids,
            [f"{x:.1f}" for x in cap.demand.exact], cap.demand.whole,
            strict=True),
        ["Variant", f"{p.scenario.meta.product.capitalize()} a day (mean)",
         f"{p.scenario.meta.product.capitalize()} a day (whole)"],
        {1, 2})
    return ("<h2 id='calendar'>Calendar and takt</h2>"
            + table(rows, ["", "Value"], {1})
            + "<h3>Daily demand by variant</h3>" + demand)


def _rampup(p: Plan, figs: dict[str, Any]) -> str:
    cap = p.capacity
    b = cap.bridge
    rows = [
        ("From SOP to target", cap.rampup.describe()),
        ("Relocation window (weeks)", f"{b.window_weeks:g}"),
        ("Demand during the window", f"{b.window_demand:,.0f}"),
        ("Ramp-up shortfall after SOP", f"{b.ramp_shortfall:,.0f}"),
        ("Safety stock", f"{b.safety_stock:,.0f}"),
        ("Stock to build before the move",
         f"{b.total:,.0f}" + (" (still growing at the end of the horizon)"
                              if b.still_short else "")),
        ("... in weeks of demand", f"{b.weeks_of_demand:.1f}"),
    ]
    return ("<h2 id='rampup'>Ramp-up and bridge stock</h2>"
            + embed(figs["rampup-cumulative"], "rampup-cumulative")
            + table(rows, ["", "Value"], {1}))


def _balance(p: Plan, figs: dict[str, Any]) -> str | None:
    b = p.balance
    if b is None:
        return None
    rows = [(s.segment, "two" if s.two_sided else "one", s.n_stations,
             s.operators, s.lower_bound, s.operators_lower_bound, s.status,
             f"{s.weighted_loads.max():.1f}", f"{s.loads.max():.1f}",
             f"{s.smoothness:.1f}") for s in b.segments]
    rows.append(("all", "", b.n_stations, b.operators, b.lower_bound,
                 b.operators_lower_bound,
                 "optimal" if b.proved_optimal else "feasible", "", "", ""))
    stations = [(n, f"{w:.1f}", s.operators_of(k),
                 *_sides(s, k, t))
                for s in b.segments
                for k, (n, w, t) in enumerate(zip(
                    s.station_names, s.weighted_loads, s.station_tasks,
                    strict=True))]
    return ("<h2 id='balance'>Mixed-model balance</h2>"
            f"<p>Cycle {b.cycle_s:.1f} s for the demand-weighted load; "
            f"any one variant up to {b.variant_limit_s:.1f} s. Line "
            f"efficiency {b.efficiency():.1%}.</p>"
            + table(rows, ["Segment", "Sides", "Stations", "Operators",
                           "Lower bound (stations)",
                           "Lower bound (operators)", "Status",
                           "Max weighted load (s)", "Max variant load (s)",
                           "Smoothness (s)"], {2, 3, 4, 5, 7, 8, 9})
            + yamazumi_html(p.scenario, b, p.capacity.takt.takt_s)
            + embed(figs["loads"], "fig-loads")
            + "<details><summary>Operators and tasks of every station "
              "(left and right side of two-sided stations)</summary>"
            + table(stations, ["Station", "Weighted load (s)", "Operators",
                               "Left side tasks", "Right side tasks"],
                    {1, 2})
            + "</details>")


def _sides(s: SegmentBalance, k: int,
           tasks: tuple[str, ...]) -> tuple[str, str]:
    """The left and right tasks of station ``k`` (all tasks in the first
    column on a one-sided station)."""
    if not s.station_positions:
        return ", ".join(tasks), ""
    left = [t for side, ts in s.station_positions[k] if side == "L"
            for t in ts]
    right = [t for side, ts in s.station_positions[k] if side == "R"
             for t in ts]
    return ", ".join(left), ", ".join(right)


def _sequence(p: Plan, figs: dict[str, Any]) -> str | None:
    q = p.sequence
    if q is None:
        return None
    rows = [(r.name, f"{r.p}/{r.q}", r.origin,
             ", ".join(q.variant_ids[v] for v in r.variants),
             f"implied by {r.implied_by}" if r.implied_by else "enforced",
             int(q.violations_per_rule[k]))
            for k, r in enumerate(q.rules)]
    return ("<h2 id='sequence'>The day's sequence</h2>"
            f"<p>{q.sequence.size} {p.scenario.meta.product}; "
            f"{q.violations} violations "
            f"(lower bound {q.lower_bound}, {q.status}).</p>"
            + embed(figs["sequence-strip"], "sequence-strip")
            + table(rows, ["Rule", "At most p of q", "From", "Variants",
                           "Sequencer", "Violations"], {5}))


def _simulation(p: Plan, figs: dict[str, Any]) -> str | None:
    if p.verdict is None or p.simulation is None:
        return None
    v = p.verdict
    o = v.output
    sim = p.simulation
    jph = sim.jobs_per_hour
    rows = [
        (f"Target ({p.scenario.meta.product} a year)", f"{v.target:,}"),
        ("Simulated (mean)", f"{o.mean:,.0f}"),
        ("95 % CI of the mean", f"{o.low:,.0f} to {o.high:,.0f}"),
        ("Probability a year reaches the target", f"{o.probability:.0%}"),
        ("Replicated years reaching it",
         f"{o.reached} of {o.per_replication.size}"),
        ("Jobs per productive hour", f"{jph.mean:.2f}"),
        ("Work in process (mean)", f"{sim.wip.mean:.1f}"),
        ("Flow time (mean, min)", f"{sim.flow_time.mean / 60:.1f}"),
        ("Bottleneck", f"{v.bottleneck} ({v.bottleneck_share:.0%})"),
        ("Seed", f"{sim.seed}"),
    ]
    return ("<h2 id='simulation'>Simulated year</h2>"
            + table(rows, ["", "Value"], {1})
            + embed(figs["annual-output"], "annual-output")
            + embed(figs["states"], "fig-states")
            + over_time_section(figs))


def _change_row(number: str, label: str, d: DesignResult
                ) -> tuple[str, ...]:
    return (number, label, f"{d.cost_per_year:,.0f}", f"{d.output.mean:,.0f}",
            f"{d.output.low:,.0f} to {d.output.high:,.0f}",
            "yes" if d.meets_target else "no",
            "screening" if d.screening else "full")


def _changes(p: Plan, figs: dict[str, Any]) -> str | None:
    rec = p.recommendation
    if rec is None:
        return None
    cur = p.scenario.costs.currency
    done = (*rec.tried, *([rec.chosen] if rec.chosen else []))
    rows = [_change_row(str(k + 1), d.design.describe(), d)
            for k, d in enumerate(done)]
    if rec.baseline is not None:
        rows.insert(0, _change_row(
            "", "no change (the screening run's baseline)", rec.baseline))
    head = ("<p><b>Recommended:</b> "
            + html.escape(rec.chosen.design.describe()) + "</p>"
            if rec.chosen else "<p>No change tried reaches the target.</p>")
    notes = "".join(f"<p class='muted'>{html.escape(n)}</p>"
                    for n in rec.notes)
    return ("<h2 id='changes'>Changes that close the gap</h2>" + head
            + notes + embed(figs["changes-cost"], "changes-cost")
            + table(rows, ["#", "Change", f"Cost ({cur}/yr)", "Vehicles/yr",
                           "95 % CI", "Meets target", "Run"],
                    {0, 2, 3}))


def _assumptions(p: Plan, figs: dict[str, Any]) -> str:
    items = sorted(p.scenario.assumptions.items())
    return ("<h2 id='assumptions'>Assumptions</h2>"
            "<p class='muted'>Numbers the case does not give, and why they "
            "were chosen (marked (A) in the scenario file).</p>"
            + table(items, ["Field", "Assumption"]))


SECTIONS: list[Section] = [_calendar, _balance, _sequence, _simulation,
                           _changes, _rampup, _assumptions]


def render_report(p: Plan, sections: list[Section] | None = None) -> str:
    """The whole report as one HTML string."""
    figs = figures.plan_figures(p)
    body = [s(p, figs) for s in (sections or SECTIONS)]
    title = html.escape(p.scenario.meta.name)
    return "\n".join([
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>taktplan - {title}</title>",
        f"<style>{_CSS}</style>",
        f"<script>{plotly_js()}</script>",
        "</head><body><main>",
        f"<h1>{title}</h1>",
        f"<p class='muted'>{html.escape(p.scenario.meta.description)}</p>",
        _verdict(p),
        _warnings(p),
        *[b for b in body if b],
        "</main></body></html>",
    ])


def write_report(p: Plan, path: str | os.PathLike[str]) -> Path:
    """Write the HTML report of plan ``p`` to ``path`` (atomically: a
    reader never sees half a file) and return the path written.

    ``taktplan plan --report PATH`` does the same from the command line.
    """
    return write_text_atomically(path, render_report(p))
