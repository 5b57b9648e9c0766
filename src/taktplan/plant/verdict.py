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
from typing import TYPE_CHECKING

import numpy as np

from taktplan.capacity import available_time
from taktplan.plant.balance_stage import PlantBalance
from taktplan.plant.line_stage import build_plant_line
from taktplan.scenario.model import Reliability, Scenario, Segment

if TYPE_CHECKING:
    from taktplan.simulate.run import ReplicationExecutor


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

    def cost(self, scenario: Scenario, added_stations: int = 0) -> float:
        """Yearly cost of the change (scenario ``[costs]``)."""
        c = scenario.costs
        extra_shifts = 0 if self.shifts_per_day is None else (
            self.shifts_per_day - scenario.calendar.shifts_per_day)
        return (sum(n for _, n in self.buffers) * c.buffer_place_per_year
                + (sum(n - 1 for _, n in self.parallel) + added_stations)
                * c.station_per_year
                + extra_shifts * c.extra_shift_per_year
                + len(self.repair_crews) * c.repair_crew_per_year
                + 12.0 * self.overtime_h_per_month * c.overtime_per_line_hour)

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


@dataclass(frozen=True)
class DesignResult:
    """A design and its simulated output.

    ``added_stations`` counts the stations a rebalance added.
    """

    design: Design
    cost_per_year: float
    output: AnnualOutput
    meets_target: bool
    screening: bool
    added_stations: int = 0


class LineVariants:
    """Balances and sequences per load factor, computed once each."""

    def __init__(self, scenario: Scenario, balance: PlantBalance | None,
                 sequence: np.ndarray | None, seed: int) -> None:
        self.scenario = scenario
        self.seed = seed
        self.base = (balance, sequence)
        self._cache: dict[float, tuple[PlantBalance | None,
                                       np.ndarray | None]] = {}

    def get(self, load_factor: float | None
            ) -> tuple[PlantBalance | None, np.ndarray | None]:
        """The balance and day's sequence at ``load_factor``."""
        if load_factor is None or self.base[0] is None:
            return self.base
        if load_factor not in self._cache:
            from taktplan.pipeline import balance_and_sequence

            s = Design(load_factor=load_factor).apply(self.scenario)
            s = s.model_copy(update={"simulation": s.simulation.model_copy(
                update={"seed": self.seed})})
            _, bal, seq = balance_and_sequence(s)
            self._cache[load_factor] = (bal, seq.sequence)
        return self._cache[load_factor]

    def added_stations(self, load_factor: float | None) -> int:
        """Stations a rebalance adds to the base balance."""
        bal, _ = self.get(load_factor)
        base = self.base[0]
        if bal is None or base is None:
            return 0
        return bal.n_stations - base.n_stations


def simulate_design(scenario: Scenario, balance: PlantBalance | None,
                    sequence: np.ndarray | None, design: Design, *,
                    replications: int, seed: int, horizon_share: float = 1.0,
                    progress: Callable[[int, int], None] | None = None,
                    over_time: bool = False,
                    executor: ReplicationExecutor | None = None,
                    ):  # -> tuple[SimulationResult, PlantLine]
    """Simulate ``design`` applied to ``scenario`` for (a share of) a year.

    ``balance`` and ``sequence`` must already suit the design (see
    :class:`LineVariants` for rebalanced designs). Returns the simulation
    result and the line that was simulated. ``over_time`` records the
    output per shift of every replicated year and a trace of the first
    day of the first (for the report; off for searches). ``executor``
    runs the replications (a Dask cluster; the same numbers).
    """
    from taktplan.simulate import simulate

    changed = design.apply(scenario)
    plant = build_plant_line(changed, balance, sequence,
                             parallel=dict(design.parallel))
    horizon = plant.horizon_s + design.extra_seconds_per_year()
    record = None
    if over_time:
        from taktplan.simulate.over_time import OverTime

        cal = changed.calendar
        shift = (cal.shift_length_min - cal.paid_breaks_min_per_shift) * 60
        record = OverTime(bin_width=shift, trace_start=0.0,
                          trace_length=shift * cal.shifts_per_day)
    result = simulate(plant.line, horizon=horizon * horizon_share,
                      warmup=plant.warmup_s, replications=replications,
                      seed=seed, variant_sequence=plant.variant_sequence,
                      progress=progress, over_time=record,
                      executor=executor)
    return result, plant


def yearly(result, scenario: Scenario, design: Design) -> np.ndarray:  # noqa: ANN001
    """Vehicles a year of each replication on the design's calendar."""
    shifts = design.shifts_per_day or scenario.calendar.shifts_per_day
    seconds = available_time(scenario.calendar, shifts).net_seconds_per_year
    seconds += design.extra_seconds_per_year()
    return np.array([r.throughput * seconds for r in result.replications])


@dataclass(frozen=True)
class Recommendation:
    """The changes tried and the cheapest that reaches the target.

    Attributes
    ----------
    tried
        Every design screened, with its (screening) output.
    chosen
        The cheapest design that reached the target when confirmed with
        the full replications, or ``None`` if none did.
    notes
        What else a person should know about the search.
    """

    tried: tuple[DesignResult, ...]
    chosen: DesignResult | None
    notes: tuple[str, ...] = field(default_factory=tuple)


def candidate_changes(scenario: Scenario, bottlenecks: list[str]
                      ) -> list[Design]:
    """Single changes worth trying: buffers, stations, crews, slack,
    a shift."""
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
    if scenario.tasks:
        lf = scenario.balancing.load_factor
        for step in (0.02, 0.04):
            if lf - step > 0.5:
                out.append(Design(load_factor=round(lf - step, 4)))
    cap = scenario.calendar.overtime_max_h_per_month
    for share in (1 / 3, 2 / 3, 1.0):
        if cap > 0:
            out.append(Design(overtime_h_per_month=round(cap * share, 1)))
    if scenario.calendar.shifts_per_day < scenario.calendar.max_shifts_per_day:
        out.append(Design(shifts_per_day=scenario.calendar.shifts_per_day
                          + 1))
    return out


def recommend(scenario: Scenario, balance: PlantBalance | None,
              sequence: np.ndarray | None, bottlenecks: list[str], *,
              seed: int, screen_replications: int = 3,
              screen_horizon_share: float = 0.2, max_steps: int = 2,
              progress: Callable[[float], None] | None = None,
              executor: ReplicationExecutor | None = None,
              ) -> Recommendation:
    """Find the cheapest change (or combination) that reaches the target.

    Greedy search over combinations: each step screens every candidate
    added to the current design on a share of a year with a few
    replications, then keeps the one with the most output gained per
    cost and goes on (up to ``max_steps`` changes). Every screened
    design that reached the target is then confirmed on full years with
    the scenario's replications (fresh seeds), cheapest first; the first
    confirmed is chosen. ``executor`` runs the replications.
    """
    target = scenario.targets.annual_volume
    reps = scenario.simulation.replications
    variants = LineVariants(scenario, balance, sequence, seed)
    tried: list[DesignResult] = []
    notes: list[str] = []
    candidates = candidate_changes(scenario, bottlenecks)
    total = max_steps * len(candidates) + 1
    done = 0

    def run(design: Design, reps_: int, seed_: int, share: float,
            screening: bool) -> DesignResult:
        bal, seq = variants.get(design.load_factor)
        res, _ = simulate_design(scenario, bal, seq, design,
                                 replications=reps_, seed=seed_,
                                 horizon_share=share, executor=executor)
        out = annual_output(yearly(res, scenario, design), target)
        added = variants.added_stations(design.load_factor)
        return DesignResult(design, design.cost(scenario, added), out,
                            out.mean >= target, screening, added)

    def screen(design: Design) -> DesignResult:
        nonlocal done
        result = run(design, screen_replications, seed,
                     screen_horizon_share, True)
        done += 1
        if progress is not None:
            progress(min(1.0, done / total))
        return result

    base = screen(Design())
    for _step in range(max_steps):
        screened = [screen(base.design.combine(c)) for c in candidates]
        tried += screened
        open_ = [d for d in screened if not d.meets_target]
        if not open_:
            break
        gains = [(d.output.mean - base.output.mean)
                 / max(d.cost_per_year - base.cost_per_year, 1.0)
                 for d in open_]
        best = int(np.argmax(gains))
        if gains[best] <= 0:
            notes.append("no further change raised the output")
            break
        base = open_[best]
        candidates = [c for c in candidates
                      if base.design.combine(c) != base.design]
    for dr in sorted((d for d in tried if d.meets_target),
                     key=lambda d: d.cost_per_year):
        confirmed = run(dr.design, reps, seed + 1, 1.0, False)
        if confirmed.meets_target:
            return Recommendation(tuple(tried), confirmed, tuple(notes))
        notes.append(f"{dr.design.describe()} reached the target in "
                     "screening but not in the full check")
    return Recommendation(tuple(tried), None, tuple(notes))
