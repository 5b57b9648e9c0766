"""The plan's terminal summary as rich renderables (printed by the CLI)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.table import Table

if TYPE_CHECKING:
    from taktplan.pipeline import Plan


def summary_table(p: Plan) -> Table:
    """One table with the plan's headline numbers; fits one screen."""
    cap = p.capacity
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
    t.add_row("Vehicles a day",
              ", ".join(f"{v} {n}" for v, n in zip(
                  cap.demand.variant_ids, cap.demand.whole, strict=True)))
    t.add_row("Ramp-up SOP -> "
              f"{cap.rampup.reach_share:.0%} of target",
              f"{cap.rampup.weeks_to_target:.1f} weeks "
              f"({cap.rampup.months_to_target:.1f} months)")
    t.add_row("Stock to build before the move",
              f"{cap.bridge.total:,.0f} vehicles "
              f"({cap.bridge.weeks_of_demand:.1f} weeks)")
    return t
