"""Inputs that contradict each other: warnings the plan carries along.

A scenario can be valid key by key and still say two things at once: a
ramp-up to a volume the plan no longer targets, a fixed segment slower
than the cycle the line is designed for, a title naming another volume,
costs left out so the default figures rank the changes. Each
becomes a :class:`PlanWarning`, printed in the terminal, listed under
``warnings`` in ``plan --json`` and shown at the top of the report.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from taktplan.scenario.model import Costs

if TYPE_CHECKING:
    from taktplan.capacity.rampup import RampUpCurve
    from taktplan.capacity.takt import Takt
    from taktplan.plant.balance_stage import PlantBalance
    from taktplan.plant.capacity_stage import CapacityPlan
    from taktplan.plant.sequence_stage import PlantSequence
    from taktplan.scenario.checks import TaskPlace
    from taktplan.scenario.model import Scenario

#: A volume a year in free text: "100,000/yr", "60000 a year", "100k/yr".
_VOLUME = re.compile(
    r"(\d[\d,. ]*\d|\d)\s*(k)?\s*(?:/\s*yr|/\s*year|vehicles a year|a year"
    r"|per year|units a year)", re.IGNORECASE)


@dataclass(frozen=True)
class PlanWarning:
    """One contradiction in the inputs or one limit that bit.

    Attributes
    ----------
    field
        The key path it is about (``rampup.target_volume_per_year``).
    message
        What contradicts what, and what to do.
    """

    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


def volumes_in(text: str) -> list[int]:
    """The yearly volumes a free text names (``"(100,000/yr)"``)."""
    out = []
    for digits, k in _VOLUME.findall(text):
        number = float(re.sub(r"[, ]", "", digits))
        out.append(round(number * (1000 if k else 1)))
    return out


def scenario_warnings(scenario: Scenario, takt: Takt) -> list[PlanWarning]:
    """The contradictions of ``scenario`` at its design cycle."""
    out: list[PlanWarning] = []
    volume = scenario.targets.annual_volume
    ramp = scenario.rampup
    if ramp.target_volume_per_year != volume:
        out.append(PlanWarning(
            "rampup.target_volume_per_year",
            f"the ramp-up climbs to {ramp.target_volume_per_year:,} a year "
            f"but the plan targets {volume:,} (targets.annual_volume); "
            "make them equal, or leave target_volume_per_year out"))
    cycle = takt.planning_cycle_s
    for k, seg in enumerate(scenario.segments):
        if seg.kind != "fixed" or seg.cycle_time_s is None:
            continue
        per_vehicle = seg.cycle_time_s / seg.parallel
        if per_vehicle > cycle + 1e-9:
            out.append(PlanWarning(
                f"segments[{k}].cycle_time_s",
                f"fixed segment '{seg.name}' takes {per_vehicle:.1f} s a "
                f"vehicle, slower than the design cycle {cycle:.1f} s "
                f"({volume:,} a year, {scenario.calendar.shifts_per_day} "
                f"shift(s), {scenario.targets.availability:.0%} "
                "availability): the line cannot reach the target; shorten "
                "its cycle, add parallel stations or shifts"))
    for key, text in (("meta.name", scenario.meta.name),
                      ("meta.description", scenario.meta.description)):
        named = [v for v in volumes_in(text) if v != volume]
        if named:
            out.append(PlanWarning(
                key, f"names {named[0]:,} a year but the plan targets "
                f"{volume:,} (targets.annual_volume); update the text"))
    if "costs" not in scenario.model_fields_set:
        c = Costs()
        out.append(PlanWarning(
            "costs", "no [costs] table: the changes are ranked (and "
            f"compare prices the line) with default figures in "
            f"{c.currency} (buffer place {c.buffer_place_per_year:,.0f}, "
            f"station {c.station_per_year:,.0f} with its operators, "
            f"operator {c.operator_per_year:,.0f}, extra shift "
            f"{c.extra_shift_per_year:,.0f} a year); give your own"))
    return out


#: The task fields only a two-sided segment's balance reads.
TWO_SIDED_FIELDS = ("side", "together_with", "apart_from", "station", "zone")


def one_sided_rule_warnings(scenario: Scenario,
                            place: TaskPlace | None = None
                            ) -> list[PlanWarning]:
    """Two-sided rules on tasks of a one-sided segment, which its
    balance does not read: one warning per segment and field, at the
    first such task's field (``place``: a task list's cell; by default
    ``tasks[k].FIELD``), naming the tasks."""
    out: list[PlanWarning] = []
    for seg in scenario.segments:
        if seg.kind != "balanced" or seg.two_sided:
            continue
        areas = set(seg.areas)
        tasks = [(k, t) for k, t in enumerate(scenario.tasks)
                 if t.area in areas]
        for name in TWO_SIDED_FIELDS:
            given = [(k, t.id) for k, t in tasks
                     if getattr(t, name) not in (None, (), "E")]
            if not given:
                continue
            ids = ", ".join(f"'{tid}'" for _, tid in given[:5])
            more = len(given) - 5
            ids += f" and {more} more" if more > 0 else ""
            first = given[0][0]
            where = (f"tasks[{first}].{name}" if place is None
                     else ": ".join(place(first, name)))
            out.append(PlanWarning(
                where, f"{name} of task{'s' if len(given) > 1 else ''} "
                f"{ids} is ignored: segment '{seg.name}' is one-sided "
                "(its balance reads no sides, zones, pins or together/"
                "apart rules); set two_sided = true on the segment or "
                f"clear {name}"))
    return out


def rampup_warnings(curve: RampUpCurve) -> list[PlanWarning]:
    """A ramp-up that does not reach its target within the horizon."""
    if curve.reached:
        return []
    return [PlanWarning(
        "rampup", f"{curve.reach_share:.0%} of the target is "
        f"{curve.describe()}; check start_volume_per_year and the curve")]


def input_warnings(scenario: Scenario, takt: Takt,
                   place: TaskPlace | None = None) -> list[PlanWarning]:
    """The warnings that need no solving (``check`` prints them too):
    :func:`scenario_warnings` and :func:`one_sided_rule_warnings`."""
    return (scenario_warnings(scenario, takt)
            + one_sided_rule_warnings(scenario, place))


def plan_warnings(scenario: Scenario, capacity: CapacityPlan,
                  sequence: PlantSequence | None,
                  balance: PlantBalance | None = None,
                  place: TaskPlace | None = None) -> list[PlanWarning]:
    """The scenario's contradictions and the limits that bit (``place``
    names a task's field where its tasks were read)."""
    out = input_warnings(scenario, capacity.takt, place)
    out += rampup_warnings(capacity.rampup)
    for segment in () if balance is None else balance.segments:
        if segment.safety_net_hit:
            out.append(PlanWarning(
                "balancing.time_limit_s",
                f"a safety net (a multiple of the budget: 3 x in CPU "
                f"seconds for the searches, 30 x in wall seconds for a "
                f"two-sided segment's CP-SAT) ended segment "
                f"{segment.segment}'s balance before its work budget "
                f"({scenario.balancing.time_limit_s:g} s of work): "
                "its stations may differ on another machine; raise "
                "time_limit_s"))
    if sequence is not None and sequence.time_limit_hit:
        out.append(PlanWarning(
            "sequencing.time_limit_s",
            f"the {scenario.sequencing.time_limit_s:g} s safety net ended "
            "a sequence search before its move budget: the sequence may "
            "differ on another machine; raise time_limit_s"))
    return out
