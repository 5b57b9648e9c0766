"""What a scenario's task list asks of the line, before any solver runs.

Work content per variant, per area and per balanced segment, the takt
and planning cycle, and a lower bound on each segment's stations: what
``taktplan check`` prints.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from taktplan.balance.mixed_bound import (
    float_lower_bound,
    two_sided_float_lower_bound,
)
from taktplan.capacity import Takt, takt

if TYPE_CHECKING:
    from taktplan.scenario.model import Scenario


@dataclass(frozen=True)
class AreaWork:
    """The work of one area: its tasks and their summed times.

    Attributes
    ----------
    area
        The area's id.
    n_tasks
        Tasks in the area.
    work_content_s
        Summed task time per variant id, s.
    weighted_s
        Demand-weighted summed task time, s.
    """

    area: str
    n_tasks: int
    work_content_s: dict[str, float]
    weighted_s: float


@dataclass(frozen=True)
class SegmentWork:
    """The work of one balanced segment and its fewest stations.

    ``lower_bound`` is the most of the weighted work over the load limit
    and each variant's work over the variant limit, rounded up (the
    bound the balance starts from; the balance may need more). On a
    ``two_sided`` segment it counts mated stations, each holding that
    much per operator on each side (the left-only work, the right-only
    work and half of all the work bound it).
    """

    segment: str
    areas: tuple[str, ...]
    n_tasks: int
    weighted_s: float
    lower_bound: int
    two_sided: bool = False


@dataclass(frozen=True)
class WorkContent:
    """A scenario's work against its cycle (see the module docstring).

    Attributes
    ----------
    takt
        The takt and planning cycle of the target volume.
    load_limit_s
        The weighted load a station may hold (cycle x load factor).
    variant_limit_s
        The load one variant may bring to a station (cycle x (1 +
        variant overload)).
    work_content_s
        Summed task time per variant id, s.
    weighted_s
        Demand-weighted work content per vehicle, s.
    areas
        Per area, in the order tasks first name them.
    segments
        Per balanced segment with tasks, in line order.
    """

    takt: Takt
    load_limit_s: float
    variant_limit_s: float
    work_content_s: dict[str, float]
    weighted_s: float
    areas: tuple[AreaWork, ...]
    segments: tuple[SegmentWork, ...]

    @property
    def lower_bound(self) -> int:
        """Stations over all balanced segments, at least."""
        return sum(s.lower_bound for s in self.segments)


def work_content(scenario: Scenario) -> WorkContent:
    """The work content of ``scenario``'s tasks against its cycle."""
    variants = scenario.variant_ids
    shares = np.asarray(scenario.shares, dtype=np.float64)
    times = np.array([[t.time_for(v) for v in variants]
                      for t in scenario.tasks],
                     dtype=np.float64).reshape(-1, len(variants))
    tk = takt(scenario.calendar, scenario.targets.annual_volume,
              scenario.targets.availability)
    cycle = tk.planning_cycle_s
    load_limit = cycle * scenario.balancing.load_factor
    variant_limit = cycle * (1.0 + scenario.sequencing.variant_overload)
    area_of = np.array([t.area for t in scenario.tasks], dtype=object)
    sides = np.array([t.side for t in scenario.tasks], dtype=object)

    def per_variant(mask: np.ndarray) -> dict[str, float]:
        sums = times[mask].sum(axis=0)
        return {v: round(float(x), 6) for v, x in zip(variants, sums,
                                                      strict=True)}

    areas = []
    for area in dict.fromkeys(t.area for t in scenario.tasks):
        mask = area_of == area
        areas.append(AreaWork(area, int(mask.sum()), per_variant(mask),
                              round(float(times[mask].sum(axis=0) @ shares),
                                    6)))
    segments = []
    for seg in scenario.segments:
        mask = np.isin(area_of, list(seg.areas))
        if seg.kind != "balanced" or not mask.any():
            continue
        if seg.two_sided:
            bound = two_sided_float_lower_bound(
                times[mask], shares, sides[mask],
                seg.max_operators_per_side, load_limit, variant_limit)
        else:
            bound = float_lower_bound(times[mask], shares, load_limit,
                                      variant_limit)
        segments.append(SegmentWork(
            seg.name, seg.areas, int(mask.sum()),
            round(float(times[mask].sum(axis=0) @ shares), 6), bound,
            seg.two_sided))
    everything = np.ones(len(scenario.tasks), dtype=bool)
    return WorkContent(
        takt=tk, load_limit_s=load_limit, variant_limit_s=variant_limit,
        work_content_s=per_variant(everything),
        weighted_s=round(float(times.sum(axis=0) @ shares), 6),
        areas=tuple(areas), segments=tuple(segments))
