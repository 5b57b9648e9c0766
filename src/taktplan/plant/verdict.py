"""Does the line make the volume? And what closes a gap, cheapest first.

The annual output of each replication is its throughput times the net
production seconds of the calendar's year. The probability of reaching
the target is estimated from a normal fit to the replications (the mean
and standard deviation of the yearly outputs); the count of replications
at or above the target is reported beside it.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from taktplan.capacity import available_time
from taktplan.plant.balance_stage import PlantBalance
from taktplan.plant.line_stage import build_plant_line
from taktplan.scenario.model import Reliability, Scenario, Segment


@dataclass(frozen=True)
class AnnualOutput:
    """Simulated vehicles a year with a 95 % t-interval.

    Attributes
    ----------
    per_replication
        Vehicles in each replicated year.
    mean, low, high
        Mean and 95 % confidence interval of the mean.
    probability
        Estimated probability that a year reaches the target.
    reached
        Replications at or above the target.
    """

    per_replication: np.ndarray
    mean: float
    low: float
    high: float
    probability: float
    reached: int


def annual_output(per_year: np.ndarray, target: float) -> AnnualOutput:
    """Mean, t-interval and probability of reaching ``target``."""
    from scipy import stats

    x = np.asarray(per_year, dtype=np.float64)
    n = x.size
    mean = float(x.mean())
    sd = float(x.std(ddof=1)) if n > 1 else 0.0
    half = float(stats.t.ppf(0.975, n - 1) * sd / math.sqrt(n)) if n > 1 \
        else math.inf
    if sd > 0:
        prob = float(1.0 - stats.norm.cdf((target - mean) / sd))
    else:
        prob = 1.0 if mean >= target else 0.0
    return AnnualOutput(x, mean, mean - half, mean + half, prob,
                        int((x >= target).sum()))


@dataclass(frozen=True)
class Design:
    """A what-if change to the line: more buffer, a parallel station,
    another shift, or a combination.

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
    """

    buffers: tuple[tuple[str, int], ...] = ()
    parallel: tuple[tuple[str, int], ...] = ()
    shifts_per_day: int | None = None
    repair_crews: tuple[str, ...] = ()

    def describe(self) -> str:
        """A short phrase for people."""
        parts = [f"+{n} buffer places after {s}" for s, n in self.buffers]
        parts += [f"{n} parallel stations at {s}"
                  for s, n in self.parallel]
        parts += [f"repair crew at {s} (MTTR halved)"
                  for s in self.repair_crews]
        if self.shifts_per_day is not None:
            parts.append(f"{self.shifts_per_day} shifts a day")
        return ", ".join(parts) or "the line as planned"

    def cost(self, scenario: Scenario) -> float:
        """Yearly cost of the change (scenario ``[costs]``)."""
        c = scenario.costs
        extra_shifts = 0 if self.shifts_per_day is None else (
            self.shifts_per_day - scenario.calendar.shifts_per_day)
        return (sum(n for _, n in self.buffers) * c.buffer_place_per_year
                + sum(n - 1 for _, n in self.parallel)
                * c.parallel_station_per_year
                + extra_shifts * c.extra_shift_per_year
                + len(self.repair_crews) * c.repair_crew_per_year)

    def combine(self, other: Design) -> Design:
        """Both changes at once."""
        bufs = dict(self.buffers)
        for s, n in other.buffers:
            bufs[s] = bufs.get(s, 0) + n
        par = dict(self.parallel)
        par.update(dict(other.parallel))
        shifts = other.shifts_per_day or self.shifts_per_day
        crews = tuple(sorted(set(self.repair_crews)
                             | set(other.repair_crews)))
        return Design(tuple(sorted(bufs.items())),
                      tuple(sorted(par.items())), shifts, crews)

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
        return scenario.model_copy(update=update)


@dataclass(frozen=True)
class DesignResult:
    """A design and its simulated output."""

    design: Design
    cost_per_year: float
    output: AnnualOutput
    meets_target: bool
    screening: bool


def simulate_design(scenario: Scenario, balance: PlantBalance | None,
                    sequence: np.ndarray | None, design: Design, *,
                    replications: int, seed: int, horizon_share: float = 1.0,
                    progress: Callable[[int, int], None] | None = None,
                    ):  # -> tuple[SimulationResult, PlantLine]
    """Simulate ``design`` applied to ``scenario`` for (a share of) a year.

    Returns the simulation result and the line that was simulated.
    """
    from taktplan.simulate import simulate

    changed = design.apply(scenario)
    plant = build_plant_line(changed, balance, sequence,
                             parallel=dict(design.parallel))
    result = simulate(plant.line, horizon=plant.horizon_s * horizon_share,
                      warmup=plant.warmup_s, replications=replications,
                      seed=seed, variant_sequence=plant.variant_sequence,
                      progress=progress)
    return result, plant


def yearly(result, scenario: Scenario, design: Design) -> np.ndarray:  # noqa: ANN001
    """Vehicles a year of each replication on the design's calendar."""
    shifts = design.shifts_per_day or scenario.calendar.shifts_per_day
    seconds = available_time(scenario.calendar, shifts).net_seconds_per_year
    return np.array([r.throughput * seconds for r in result.replications])


@dataclass(frozen=True)
class Recommendation:
    """The changes tried and the cheapest that reaches the target.

    Attributes
    ----------
    tried
        Every candidate screened, with its (screening) output.
    chosen
        The cheapest design that reached the target when confirmed with
        the full replications, or ``None`` if none did.
    """

    tried: tuple[DesignResult, ...]
    chosen: DesignResult | None
    notes: tuple[str, ...] = field(default_factory=tuple)


def candidate_changes(scenario: Scenario, bottlenecks: list[str]
                      ) -> list[Design]:
    """Single changes worth trying: buffers, parallel stations, a shift."""
    out = []
    for seg in scenario.segments[:-1]:
        for add in (10, 30):
            out.append(Design(buffers=((seg.name, add),)))
    paced = {s.name for s in scenario.segments if s.paced}
    for station in bottlenecks:
        if station.rsplit("-", 1)[0] in paced:
            # One station down stops a paced segment, and a parallel
            # station cannot sit inside it: a repair crew can help.
            out.append(Design(repair_crews=(station,)))
        else:
            out.append(Design(parallel=((station, 2),)))
    if scenario.calendar.shifts_per_day < scenario.calendar.max_shifts_per_day:
        out.append(Design(shifts_per_day=scenario.calendar.shifts_per_day
                          + 1))
    return out


def recommend(scenario: Scenario, balance: PlantBalance | None,
              sequence: np.ndarray | None, bottlenecks: list[str], *,
              seed: int, screen_replications: int = 4,
              screen_horizon_share: float = 0.25, max_steps: int = 3,
              progress: Callable[[float], None] | None = None,
              ) -> Recommendation:
    """Find the cheapest change (or combination) that reaches the target.

    Every single candidate is screened on a share of a year; the
    cheapest one that reaches the target is confirmed on full years.
    If none does, the candidate with the most output per cost is kept
    and the search goes on from it (up to ``max_steps`` changes).
    """
    target = scenario.targets.annual_volume
    reps = scenario.simulation.replications
    tried: list[DesignResult] = []
    notes: list[str] = []
    candidates = candidate_changes(scenario, bottlenecks)
    total = max_steps * len(candidates) + 1
    done = 0

    def screen(design: Design) -> DesignResult:
        nonlocal done
        res, _ = simulate_design(scenario, balance, sequence, design,
                                 replications=screen_replications,
                                 seed=seed,
                                 horizon_share=screen_horizon_share)
        out = annual_output(yearly(res, scenario, design), target)
        done += 1
        if progress is not None:
            progress(min(1.0, done / total))
        return DesignResult(design, design.cost(scenario), out,
                            out.mean >= target, True)

    base = screen(Design())
    for _step in range(max_steps):
        screened = [screen(base.design.combine(c)) for c in candidates]
        tried += screened
        for dr in sorted((d for d in screened if d.meets_target),
                         key=lambda d: d.cost_per_year):
            res, _ = simulate_design(scenario, balance, sequence, dr.design,
                                     replications=reps, seed=seed + 1)
            out = annual_output(yearly(res, scenario, dr.design), target)
            confirmed = DesignResult(dr.design, dr.cost_per_year, out,
                                     out.mean >= target, False)
            if confirmed.meets_target:
                return Recommendation(tuple(tried), confirmed,
                                      tuple(notes))
            notes.append(f"{dr.design.describe()} reached the target in "
                         "screening but not in the full check")
        extra = [d.cost_per_year - base.cost_per_year for d in screened]
        gains = [(d.output.mean - base.output.mean) / max(c, 1.0)
                 for d, c in zip(screened, extra, strict=True)]
        best = int(np.argmax(gains))
        if gains[best] <= 0:
            notes.append("no candidate raised the output further")
            break
        base = screened[best]
        candidates = [c for c in candidates
                      if base.design.combine(c) != base.design]
    return Recommendation(tuple(tried), None, tuple(notes))
