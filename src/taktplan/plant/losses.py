"""Where the planned time goes: an OEE-style loss tree in vehicles a year.

Planned (paid shift) time splits into breaks (and planned maintenance),
then, in the simulated productive time, into breakdowns, blocking,
starving, work overload and running time. Each leaf is turned into
vehicles a year at the planning cycle, so a loss reads as "vehicles the
line did not build"; running time splits into the vehicles built and a
speed difference (running slower or faster than the cycle), so the
leaves add up to the planned time exactly.

A segment's tree is the mean over its units (a paced segment is one
unit: it stands when any of its stations is down or overloaded; a free
station is its own unit). The line's tree is taken at its output, the
last unit: there, every upstream loss shows as starving.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from taktplan.capacity import available_time

if TYPE_CHECKING:
    import numpy as np

    from taktplan.plant.line_stage import PlantLine
    from taktplan.scenario.model import Scenario
    from taktplan.simulate.results import SimulationResult

#: Leaves of the tree, in the order time is lost.
LEAVES = ("breaks", "breakdowns", "blocking", "starving", "overload",
          "speed", "output")
# unit_fractions columns: running, blocked, starved, down, overload
_COLUMN = {"breakdowns": 3, "blocking": 1, "starving": 2, "overload": 4}


@dataclass(frozen=True)
class LossTree:
    """The loss tree of a segment or of the line.

    Attributes
    ----------
    name
        The segment's name, or ``"line"``.
    planned_s
        Planned (paid) seconds a year.
    seconds
        Seconds a year in each leaf but ``speed`` and ``output``, and
        ``running``; they add up to ``planned_s``.
    cycle_s
        The cycle that turns seconds into vehicles.
    output
        Vehicles built a year (the line's output).
    """

    name: str
    planned_s: float
    seconds: dict[str, float]
    cycle_s: float
    output: float

    @property
    def planned(self) -> float:
        """Vehicles a year the planned time allows at the cycle."""
        return self.planned_s / self.cycle_s

    def vehicles(self) -> dict[str, float]:
        """Each leaf in vehicles a year (adding up to :attr:`planned`)."""
        out = {k: self.seconds[k] / self.cycle_s for k in LEAVES[:5]}
        out["speed"] = self.seconds["running"] / self.cycle_s - self.output
        out["output"] = self.output
        return out

    def biggest_loss(self) -> tuple[str, float]:
        """The leaf (not breaks or output) that costs most vehicles."""
        v = self.vehicles()
        name = max(LEAVES[1:6], key=lambda k: v[k])
        return name, v[name]

    def to_dict(self) -> dict[str, object]:
        """JSON-ready: planned vehicles and each leaf in vehicles."""
        return {"name": self.name, "planned": self.planned,
                "cycle_s": self.cycle_s,
                "vehicles": self.vehicles(),
                "seconds": {"planned": self.planned_s, **self.seconds}}


def _tree(name: str, fractions: np.ndarray, productive_s: float,
          breaks_s: float, cycle_s: float, output: float) -> LossTree:
    seconds = {"breaks": breaks_s}
    for leaf, col in _COLUMN.items():
        seconds[leaf] = float(fractions[col]) * productive_s
    seconds["running"] = float(fractions[0]) * productive_s
    return LossTree(name, productive_s + breaks_s, seconds, cycle_s, output)


def loss_trees(result: SimulationResult, segment_of_station: tuple[str, ...],
               *, productive_s: float, breaks_s: float, cycle_s: float,
               output: float) -> tuple[LossTree, ...]:
    """The line's loss tree, then one per segment in line order.

    Parameters
    ----------
    result
        A detailed simulation (its unit fractions).
    segment_of_station
        The segment of each station.
    productive_s
        Productive seconds a year (the simulated year).
    breaks_s
        Breaks and planned maintenance seconds a year.
    cycle_s
        The planning cycle.
    output
        Simulated vehicles a year (the mean of the replications).
    """
    fr = result.unit_fractions
    units = result.units
    trees = [_tree("line", fr[-1], productive_s, breaks_s, cycle_s,
                   output)]
    order: list[str] = []
    for name in segment_of_station:
        if name not in order:
            order.append(name)
    for seg in order:
        rows = [k for k, (first, _) in enumerate(units)
                if segment_of_station[first] == seg]
        trees.append(_tree(seg, fr[rows].mean(axis=0), productive_s,
                           breaks_s, cycle_s, output))
    return tuple(trees)


def plant_loss_trees(scenario: Scenario, plant: PlantLine,
                     result: SimulationResult, cycle_s: float,
                     output: float) -> tuple[LossTree, ...]:
    """The loss trees of a simulated plant year (line first).

    Planned time is the paid shift time of the scenario's calendar;
    breaks and planned maintenance are what it has beyond the simulated
    productive year.
    """
    cal = scenario.calendar
    time_ = available_time(cal)
    paid = (time_.working_days * cal.shifts_per_day
            * cal.shift_length_min * 60.0)
    productive = result.replications[0].horizon
    breaks = max(paid - time_.net_seconds_per_year, 0.0)
    return loss_trees(result, plant.segment_of_station,
                      productive_s=productive, breaks_s=breaks,
                      cycle_s=cycle_s, output=output)
