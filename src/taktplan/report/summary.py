"""The plan's terminal summary as rich renderables (printed by the CLI)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.table import Table

if TYPE_CHECKING:
    from taktplan.plan_result import Plan


def summary_table(p: Plan) -> Table:
    """One table with the plan's headline numbers; fits one screen."""
    cap = p.capacity
    product = p.scenario.meta.product
    t = Table(title=p.scenario.meta.name, show_header=True,
              header_style="bold")
    t.add_column("Question")
    t.add_column("Answer", justify="right")
    t.add_row("Net production time",
              f"{cap.time.working_days} d x {cap.time.shifts_per_day} "
              f"shifts = {cap.time.net_hours_per_year:,.0f} h/yr")
    t.add_row("Takt for "
              f"{cap.takt.annual_volume:,}/yr", f"{cap.takt.takt_s:.1f} s")
    t.add_row(f"Cycle to design for ({cap.takt.availability:.0%} avail.)",
              f"{cap.takt.planning_cycle_s:.1f} s = "
              f"{cap.takt.design_jobs_per_hour:.1f} JPH")
    t.add_row("Shifts a day needed",
              str(cap.shifts.shifts_per_day or "more than max"))
    t.add_row(f"{product.capitalize()} a day",
              ", ".join(f"{v} {n}" for v, n in zip(
                  cap.demand.variant_ids, cap.demand.whole, strict=True)))
    if p.balance is not None:
        b = p.balance
        t.add_row("Assembly stations (balance)",
                  f"{b.n_stations}, {b.operators} operators (lower bound "
                  f"{b.lower_bound} stations, {b.operators_lower_bound} "
                  "operators, "
                  f"{'proved' if b.proved_optimal else 'not proved'})")
    if p.sequence is not None:
        q = p.sequence
        t.add_row("Day's sequence",
                  f"{q.sequence.size} {product}, {q.violations} rule "
                  f"violations ({q.status})")
    if p.verdict is not None:
        o = p.verdict.output
        style = "green" if p.verdict.meets_target else "red"
        t.add_row(f"Simulated {product} a year",
                  f"[{style}]{o.mean:,.0f}[/] (95% CI {o.low:,.0f}-"
                  f"{o.high:,.0f})")
        t.add_row(f"P(year >= {p.verdict.target:,})",
                  f"{o.probability:.0%} ({o.reached}/"
                  f"{o.per_replication.size} years)")
        t.add_row("Bottleneck", f"{p.verdict.bottleneck} "
                  f"({p.verdict.bottleneck_share:.0%} of the time)")
    if p.recommendation is not None:
        c = p.recommendation.chosen
        t.add_row("Cheapest change that closes the gap",
                  "none found" if c is None else
                  f"{c.design.describe()}: {c.output.mean:,.0f}/yr")
    t.add_row("Ramp-up SOP -> "
              f"{cap.rampup.reach_share:.0%} of target",
              cap.rampup.describe())
    t.add_row("Stock to build before the move",
              f"{cap.bridge.total:,.0f} {product} "
              f"({cap.bridge.weeks_of_demand:.1f} weeks)"
              + (" and still growing: output is below demand after "
                 f"{cap.rampup.horizon_weeks / 52:g} years"
                 if cap.bridge.still_short else ""))
    return t
