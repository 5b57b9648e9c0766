"""What closes a gap, cheapest first: the search over what-if changes."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from taktplan.plant.design import Design
from taktplan.plant.simulate_stage import simulate_design, yearly
from taktplan.plant.stages import balanced_plant
from taktplan.plant.verdict import AnnualOutput, annual_output

if TYPE_CHECKING:
    from collections.abc import Callable

    from taktplan.plant.balance_stage import PlantBalance
    from taktplan.scenario.model import Scenario
    from taktplan.simulate.run import ReplicationExecutor


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
    """Balances and sequences per load factor, computed once each
    (:func:`~taktplan.plant.stages.balanced_plant`'s cache)."""

    def __init__(self, scenario: Scenario, balance: PlantBalance | None,
                 sequence: np.ndarray | None, seed: int) -> None:
        self.scenario = scenario
        self.seed = seed
        self.base = (balance, sequence)

    def get(self, load_factor: float | None,
            progress: Callable[[float], None] | None = None,
            ) -> tuple[PlantBalance | None, np.ndarray | None]:
        """The balance and day's sequence at ``load_factor``; a rebalance
        tells ``progress`` its balance stage's share done."""
        if load_factor is None or self.base[0] is None:
            return self.base
        s = Design(load_factor=load_factor).apply(self.scenario)
        s = s.model_copy(update={"simulation": s.simulation.model_copy(
            update={"seed": self.seed})})
        report = None if progress is None else _balance_only(progress)
        got = balanced_plant(s, progress=report)
        return got.balance, got.sequence.sequence

    def added_stations(self, load_factor: float | None) -> int:
        """Stations a rebalance adds to the base balance."""
        bal, _ = self.get(load_factor)
        base = self.base[0]
        if bal is None or base is None:
            return 0
        return bal.n_stations - base.n_stations

    def added_operators(self, load_factor: float | None) -> int:
        """Operators a rebalance adds to the base balance."""
        bal, _ = self.get(load_factor)
        base = self.base[0]
        if bal is None or base is None:
            return 0
        return bal.operators - base.operators


def _balance_only(progress: Callable[[float], None]
                  ) -> Callable[[str, float], None]:
    """A stage callback that passes on the balance stage's share done."""

    def report(stage: str, done: float) -> None:
        if stage == "balance":
            progress(done)

    return report


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
    baseline
        The scenario without any change, screened like ``tried`` (same
        share of a year, replications and seeds): the output each
        screened change is to be compared with. The full-year verdict is
        no yardstick for them (a change that does nothing shows below it).
    """

    tried: tuple[DesignResult, ...]
    chosen: DesignResult | None
    notes: tuple[str, ...] = field(default_factory=tuple)
    baseline: DesignResult | None = None


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
        # a rebalance (a lower load factor) takes far longer than a
        # screen: its balance moves the bar within this design's step
        bal, seq = variants.get(design.load_factor, within_step)
        res = simulate_design(scenario, bal, seq, design,
                              replications=reps_, seed=seed_,
                              horizon_share=share,
                              executor=executor).result
        out = annual_output(yearly(res, scenario, design), target)
        added = variants.added_stations(design.load_factor)
        cost = design.cost(scenario, added,
                           variants.added_operators(design.load_factor),
                           variants.base[0])
        return DesignResult(design, cost, out,
                            out.mean >= target, screening, added)

    def within_step(done_here: float) -> None:
        if progress is not None:
            progress(min(1.0, (done + done_here) / total))

    def screen(design: Design) -> DesignResult:
        nonlocal done
        result = run(design, screen_replications, seed,
                     screen_horizon_share, True)
        done += 1
        if progress is not None:
            progress(min(1.0, done / total))
        return result

    base = baseline = screen(Design())
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
            return Recommendation(tuple(tried), confirmed, tuple(notes),
                                  baseline)
        notes.append(f"{dr.design.describe()} reached the target in "
                     "screening but not in the full check")
    return Recommendation(tuple(tried), None, tuple(notes), baseline)
