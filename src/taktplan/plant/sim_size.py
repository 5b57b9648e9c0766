"""The size of the plan's simulated years, checked before any work.

The simulator refuses a run estimated above
:data:`~taktplan.limits.MAX_EVENTS` events
(:mod:`taktplan.simulate.budget`), but the plan builds its line only
after balancing, which may take minutes. :func:`check_before_balance`
estimates the events from the scenario alone, with fewer events than
the balanced line will have: each balanced segment at its lower bound
of stations (:func:`~taktplan.plant.work_content.work_content`), every
station's time per vehicle at least the planning cycle ``c`` (for
failures) and at most ``(1 + variant_overload) x c`` (for the vehicles a
year: the balance keeps every variant's load within it, and the
overload stops add no more). A plan it refuses would be refused after
balancing too; :func:`check_balanced` checks the balanced line's own
estimate, naming the same flag or field.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from taktplan.capacity import available_time
from taktplan.errors import InputError
from taktplan.limits import MAX_EVENTS
from taktplan.plant.work_content import work_content
from taktplan.simulate.budget import estimated_events

if TYPE_CHECKING:
    from taktplan.plant.line_stage import PlantLine
    from taktplan.scenario.model import Scenario


def events_before_balance(scenario: Scenario) -> float:
    """Fewer events than one simulated year of the balanced line takes
    (see the module docstring)."""
    work = work_content(scenario)
    cycle = work.takt.planning_cycle_s
    bounds = {s.segment: s.lower_bound for s in work.segments}
    slowest = 0.0
    per_job = 0.0
    for seg in scenario.segments:
        if seg.kind == "fixed":
            n = seg.stations or 0
            time_s = slow_s = seg.cycle_time_s or 0.0
        else:
            n = bounds.get(seg.name, 0)
            time_s = cycle
            slow_s = cycle * (1.0 + scenario.sequencing.variant_overload)
        if n == 0:
            continue
        # the station that fails least often sets the fewest failures
        mtbf_s = 60.0 * max(r.mtbf_effective_min for r in (
            seg.reliability, *seg.station_reliability.values()))
        per_job += n * (1.0 + (time_s / mtbf_s if math.isfinite(mtbf_s)
                               else 0.0))
        slowest = max(slowest, slow_s / seg.parallel)
    if slowest <= 0.0:
        return 0.0
    span = (available_time(scenario.calendar).net_seconds_per_year
            + scenario.simulation.warmup_h * 3600.0)
    return span / slowest * per_job


def _refuse(events_per_year: float, replications: int, *, source: str,
            flag: bool, exact: bool) -> None:
    events = events_per_year * replications
    if events <= MAX_EVENTS:
        return
    most = math.floor(MAX_EVENTS / events_per_year)
    name = "--replications" if flag else "simulation.replications"
    fix = (f"give {name} at most {most}" if exact else
           f"lower {name} (more than {most} cannot fit)")
    raise InputError(
        "<command line>" if flag else source, name,
        f"{replications} simulated years would take "
        f"{'about' if exact else 'at least'} {events:.2g} events "
        f"({events_per_year:.2g} a year), more than the "
        f"{MAX_EVENTS:.0e} a run may take", fix)


def check_before_balance(scenario: Scenario, replications: int, *,
                         source: str, flag: bool) -> None:
    """Refuse, before balancing, a plan whose years are surely too many
    events. ``flag``: the replications came from ``--replications``
    (named then; else ``source``'s ``simulation.replications``).

    A scenario whose single year is already too many events is left to
    the balance: its bound of stations is then absurd (a task of 10**12
    s), and the balance names the cell that makes it so."""
    per_year = events_before_balance(scenario)
    if per_year <= MAX_EVENTS:
        _refuse(per_year, replications, source=source, flag=flag,
                exact=False)


def check_balanced(plant: PlantLine, replications: int, *, source: str,
                   flag: bool) -> None:
    """Refuse the balanced line's years when they are too many events,
    naming the flag or field as :func:`check_before_balance` does."""
    _refuse(estimated_events(plant.line, plant.horizon_s, plant.warmup_s),
            replications, source=source, flag=flag, exact=True)
