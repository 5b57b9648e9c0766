"""A what-if change to the line, its cost and the scenario it makes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from taktplan.plant.balance_stage import PlantBalance
    from taktplan.scenario.model import Reliability, Scenario, Segment


@dataclass(frozen=True)
class Design:
    """A what-if change to the line: more buffer, a parallel station,
    a repair crew, stations with more slack, another shift, or a
    combination.

    Attributes
    ----------
    buffers
        Segment name -> places added to its ``buffer_after``.
    parallel
        Station name -> parallel stations it gets (2 = doubled).
    shifts_per_day
        Shifts a day (``None``: the scenario's).
    repair_crews
        Stations that get a dedicated repair crew (MTTR halved).
    load_factor
        Rebalance with this ``balancing.load_factor`` (``None``: the
        scenario's); more slack costs stations.
    overtime_h_per_month
        Overtime hours a month the whole line works on top of its shifts
        (up to the calendar's ``overtime_max_h_per_month``).
    """

    buffers: tuple[tuple[str, int], ...] = ()
    parallel: tuple[tuple[str, int], ...] = ()
    shifts_per_day: int | None = None
    repair_crews: tuple[str, ...] = ()
    load_factor: float | None = None
    overtime_h_per_month: float = 0.0

    def describe(self) -> str:
        """A short phrase for people."""
        parts = []
        if self.load_factor is not None:
            parts.append(f"rebalance to {self.load_factor:.0%} station "
                         "load")
        parts += [f"+{n} buffer places after {s}" for s, n in self.buffers]
        parts += [f"{n} parallel stations at {s}"
                  for s, n in self.parallel]
        parts += [f"repair crew at {s} (MTTR halved)"
                  for s in self.repair_crews]
        if self.overtime_h_per_month:
            parts.append(f"{self.overtime_h_per_month:g} h overtime a "
                         "month")
        if self.shifts_per_day is not None:
            parts.append(f"{self.shifts_per_day} shifts a day")
        return ", ".join(parts) or "the line as planned"

    def extra_seconds_per_year(self) -> float:
        """Overtime production seconds a year."""
        return 12.0 * self.overtime_h_per_month * 3600.0

    def cost(self, scenario: Scenario, added_stations: int = 0,
             added_operators: int = 0,
             balance: PlantBalance | None = None) -> float:
        """Yearly cost of the change (scenario ``[costs]``): an added or
        parallel station costs ``station_per_year`` plus its operators at
        ``operator_per_year`` each (``added_operators`` for a rebalance;
        a parallel copy has as many as the station of ``balance``)."""
        c = scenario.costs
        copies = sum((n - 1) * (balance.operators_at(s) if balance else 1)
                     for s, n in self.parallel)
        operators = (copies + added_operators) * c.operator_per_year
        extra_shifts = 0 if self.shifts_per_day is None else (
            self.shifts_per_day - scenario.calendar.shifts_per_day)
        return (sum(n for _, n in self.buffers) * c.buffer_place_per_year
                + (sum(n - 1 for _, n in self.parallel) + added_stations)
                * c.station_per_year
                + extra_shifts * c.extra_shift_per_year
                + len(self.repair_crews) * c.repair_crew_per_year
                + 12.0 * self.overtime_h_per_month * c.overtime_per_line_hour
                + operators)

    def combine(self, other: Design) -> Design:
        """Both changes at once."""
        bufs = dict(self.buffers)
        for s, n in other.buffers:
            bufs[s] = bufs.get(s, 0) + n
        par = dict(self.parallel)
        par.update(dict(other.parallel))
        crews = tuple(sorted(set(self.repair_crews)
                             | set(other.repair_crews)))
        return Design(tuple(sorted(bufs.items())),
                      tuple(sorted(par.items())),
                      other.shifts_per_day or self.shifts_per_day, crews,
                      other.load_factor or self.load_factor,
                      max(self.overtime_h_per_month,
                          other.overtime_h_per_month))

    def _crewed(self, segment: Segment) -> dict[str, Reliability]:
        out = dict(segment.station_reliability)
        for name in self.repair_crews:
            if name.rsplit("-", 1)[0] == segment.name:
                rel = out.get(name, segment.reliability)
                # Keep the MTBF: only the repairs get faster.
                out[name] = rel.model_copy(update={
                    "mtbf_min": rel.mtbf_effective_min,
                    "availability": None,
                    "mttr_min": rel.mttr_min / 2.0})
        return out

    def apply(self, scenario: Scenario) -> Scenario:
        """The scenario with this change."""
        add = dict(self.buffers)
        segments = tuple(
            s.model_copy(update={
                "buffer_after": s.buffer_after + add.get(s.name, 0),
                "station_reliability": self._crewed(s)})
            for s in scenario.segments)
        update: dict[str, object] = {"segments": segments}
        if self.shifts_per_day is not None:
            update["calendar"] = scenario.calendar.model_copy(
                update={"shifts_per_day": self.shifts_per_day})
        if self.load_factor is not None:
            update["balancing"] = scenario.balancing.model_copy(
                update={"load_factor": self.load_factor})
        return scenario.model_copy(update=update)
