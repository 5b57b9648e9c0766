"""Two or more plans side by side, on common random numbers.

Every plan is simulated with the same seed and the same number of
replicated years, so year ``k`` of every plan draws from the same stream
(``SeedSequence(seed).spawn(n)[k]``): failures and repairs fall alike
where the lines are alike, and the difference of two plans' outputs is
estimated from the paired years (a t-interval of the differences), far
narrower than from two independent samples.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from taktplan.errors import InputError
from taktplan.pipeline import plan
from taktplan.scenario import load_scenario

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from taktplan.plan_result import Plan
    from taktplan.simulate.model import Line
    from taktplan.simulate.run import ReplicationExecutor


@dataclass(frozen=True)
class Difference:
    """A later plan's annual output minus the first plan's.

    Attributes
    ----------
    scenario
        The later plan's scenario file.
    mean, low, high
        Mean difference of the paired years and its 95 % t-interval.
    per_replication
        The difference in each replicated year.
    """

    scenario: str
    mean: float
    low: float
    high: float
    per_replication: np.ndarray


@dataclass(frozen=True)
class Comparison:
    """Plans of several scenarios and their differences to the first."""

    plans: tuple[Plan, ...]
    differences: tuple[Difference, ...]
    seed: int
    replications: int


def paired_difference(scenario: str, first: np.ndarray,
                      other: np.ndarray) -> Difference:
    """The mean of ``other - first`` year by year, with its 95 % CI."""
    from scipy import stats

    d = np.asarray(other, float) - np.asarray(first, float)
    n = d.size
    mean = float(d.mean())
    if n < 2:
        return Difference(scenario, mean, -math.inf, math.inf, d)
    half = float(stats.t.ppf(0.975, n - 1) * d.std(ddof=1) / math.sqrt(n))
    return Difference(scenario, mean, mean - half, mean + half, d)


def compare(paths: Sequence[Path], *, replications: int | None = None,
            seed: int | None = None,
            executor: ReplicationExecutor | None = None,
            progress: Callable[[str, float], None] | None = None,
            ) -> Comparison:
    """Plan every scenario on common random numbers and compare.

    The seed and the replications are the first scenario's unless
    given; every plan uses them.
    """
    if len(paths) < 2:
        where = str(paths[0]) if paths else "<command line>"
        raise InputError(where, "scenarios", "fewer than two scenarios "
                         "to compare", "give two or more scenario files")
    models = [load_scenario(p) for p in paths]
    sim = models[0].simulation
    seed = sim.seed if seed is None else seed
    replications = replications or sim.replications
    plans = []
    for k, (path, model) in enumerate(zip(paths, models, strict=True)):
        result = plan(model, replications=replications, seed=seed,
                      progress=_stage_progress(progress, path, k,
                                               len(paths)),
                      executor=executor)
        plans.append(_with_source(result, str(path)))
    first = plans[0]
    diffs = tuple(
        paired_difference(p.source, _years(first), _years(p))
        for p in plans[1:])
    return Comparison(tuple(plans), diffs, seed, replications)


def _stage_progress(progress: Callable[[str, float], None] | None,
                    path: Path, k: int, n: int
                    ) -> Callable[[str, float], None] | None:
    """Plan ``k`` of ``n``'s stage progress as the comparison's."""
    if progress is None:
        return None

    def step(stage: str, done: float) -> None:
        progress(f"{Path(path).name}: {stage}", (k + done) / n)

    return step


def _with_source(p: Plan, source: str) -> Plan:
    from dataclasses import replace

    return replace(p, source=source)


def _years(p: Plan) -> np.ndarray:
    assert p.verdict is not None
    return p.verdict.output.per_replication


def _line(p: Plan) -> Line | None:
    return None if p.line is None else p.line.line


def _stations(p: Plan) -> int:
    line = _line(p)
    return 0 if line is None else len(line.stations)


def line_cost_per_year(p: Plan) -> float:
    """The line's yearly cost from ``[costs]``: its stations, buffer
    places and shifts beyond the first, plus the recommended change."""
    c = p.scenario.costs
    line = _line(p)
    stations = len(line.stations) if line is not None else 0
    places = sum(line.buffers) if line is not None else 0
    shifts = p.scenario.calendar.shifts_per_day - 1
    change = 0.0
    if p.recommendation is not None and p.recommendation.chosen is not None:
        change = p.recommendation.chosen.cost_per_year
    return (stations * c.station_per_year + places * c.buffer_place_per_year
            + shifts * c.extra_shift_per_year + change)


def plan_row(p: Plan) -> dict[str, Any]:
    """One plan's answers (one entry of ``compare --json`` ``plans``)."""
    cap = p.capacity
    v = p.verdict
    out: dict[str, Any] = {
        "scenario": p.source,
        "name": p.scenario.meta.name,
        "takt_s": cap.takt.takt_s,
        "planning_cycle_s": cap.takt.planning_cycle_s,
        "stations": _stations(p),
        "assembly_stations": (p.balance.n_stations if p.balance is not None
                              else None),
        "violations": (p.sequence.violations if p.sequence is not None
                       else None),
        "annual_output": v.output.mean if v else None,
        "annual_output_ci95": [v.output.low, v.output.high] if v else None,
        "probability_reaching_target": v.output.probability if v else None,
        "target": v.target if v else None,
        "bottleneck": v.bottleneck if v else None,
        "cost_per_year": line_cost_per_year(p),
        "currency": p.scenario.costs.currency,
        "rampup_weeks": cap.rampup.weeks_to_target,
        "bridge_stock": cap.bridge.total,
        "recommended_change": (
            p.recommendation.chosen.design.describe()
            if p.recommendation is not None
            and p.recommendation.chosen is not None else None),
    }
    return out


def comparison_to_dict(c: Comparison) -> dict[str, Any]:
    """The ``compare --json`` object (keys documented in the README)."""
    return {
        "seed": c.seed,
        "replications": c.replications,
        "common_random_numbers": True,
        "plans": [plan_row(p) for p in c.plans],
        "differences": [
            {"scenario": d.scenario, "against": c.plans[0].source,
             "annual_output": {"mean": d.mean, "ci95": [d.low, d.high]},
             "annual_output_per_replication": d.per_replication.tolist()}
            for d in c.differences],
    }
