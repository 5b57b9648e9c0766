"""The stages before the simulation, in their one order.

capacity -> input checks -> balance -> the day's sequence. :func:`plan
<taktplan.pipeline.plan>` runs them with progress, timings and the
compile-ahead child; sweeps, ``taktplan simulate`` and rebalanced
what-if designs take them through :func:`balanced_plant`, which keeps
the last results in one bounded cache.
"""

from __future__ import annotations

import json
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from taktplan.plant.balance_stage import PlantBalance, balance_plant
from taktplan.plant.capacity_stage import CapacityPlan, capacity_stage
from taktplan.plant.input_checks import check_inputs
from taktplan.plant.line_stage import PlantLine, build_plant_line
from taktplan.plant.sequence_stage import PlantSequence, sequence_day

if TYPE_CHECKING:
    from taktplan.scenario.checks import TaskPlace
    from taktplan.scenario.model import Scenario

#: Called with (stage name, fraction done) as the stages run.
Progress = Callable[[str, float], None]


@dataclass(frozen=True)
class BalancedPlant:
    """Capacity, balance and the day's sequence of one scenario, checked.

    ``balance`` is ``None`` for a scenario without tasks. ``timings_s``
    holds the seconds each stage took (``capacity``, ``balance``,
    ``sequence``).
    """

    capacity: CapacityPlan
    balance: PlantBalance | None
    sequence: PlantSequence
    timings_s: dict[str, float] = field(default_factory=dict)


def balance_and_sequence(scenario: Scenario, source: str = "<scenario>",
                         *, progress: Progress | None = None,
                         before_balance: Callable[[], None] | None = None,
                         place: TaskPlace | None = None,
                         ) -> BalancedPlant:
    """Run capacity, the input checks, balance and sequence in order.

    ``before_balance`` runs just before balancing (the plan uses it to
    wait for the kernels its compile-ahead child compiles). ``place``
    names a task in the input checks' errors where its tasks were read
    (a task list's cell; default ``tasks[i]`` of ``source``). Seeds and
    limits come from the scenario.
    """
    report = progress or (lambda stage, done: None)
    timings: dict[str, float] = {}

    def timed(stage: str, start: float) -> None:
        timings[stage] = time.perf_counter() - start
        report(stage, 1.0)

    t0 = time.perf_counter()
    report("capacity", 0.0)
    capacity = capacity_stage(scenario, report)
    cycle = capacity.takt.planning_cycle_s
    check_inputs(scenario, cycle, source, place)
    timed("capacity", t0)

    seed = scenario.simulation.seed
    balance = None
    if scenario.tasks:
        t0 = time.perf_counter()
        report("balance", 0.0)
        if before_balance is not None:
            before_balance()
        balance = balance_plant(
            scenario, cycle, seed=seed,
            time_limit_s=scenario.balancing.time_limit_s,
            progress=lambda f: report("balance", f), source=source,
            place=place)
        timed("balance", t0)

    t0 = time.perf_counter()
    report("sequence", 0.0)
    sequence = sequence_day(scenario, capacity.demand, balance, seed=seed,
                            time_limit_s=scenario.sequencing.time_limit_s)
    timed("sequence", t0)
    return BalancedPlant(capacity, balance, sequence, timings)


#: What the stages read: two scenarios that agree here get the same
#: balance and sequence (buffers, reliability and costs may differ).
CACHE_KEY_FIELDS: dict[str, Any] = {
    "calendar": True, "targets": True, "variants": True, "tasks": True,
    "balancing": True, "sequencing": True, "simulation": True,
    "segments": {"__all__": {"name", "kind", "areas", "two_sided",
                             "max_operators_per_side", "zones"}},
}
#: Scenarios kept: a sweep's design points and the what-if rebalances.
CACHE_SIZE = 16

_cache: OrderedDict[str, BalancedPlant] = OrderedDict()


def balanced_plant(scenario: Scenario, source: str = "<scenario>",
                   place: TaskPlace | None = None,
                   progress: Progress | None = None) -> BalancedPlant:
    """:func:`balance_and_sequence`, computed once per distinct key.

    The key is the JSON of the scenario's :data:`CACHE_KEY_FIELDS`; the
    last :data:`CACHE_SIZE` results are kept (least recently used out).
    ``source`` and ``place`` name a task in errors (as for
    :func:`balance_and_sequence`); ``progress`` gets its stages' progress
    when it computes.
    """
    key = json.dumps(scenario.model_dump(include=CACHE_KEY_FIELDS),
                     sort_keys=True)
    if key in _cache:
        _cache.move_to_end(key)
        return _cache[key]
    got = balance_and_sequence(scenario, source, progress=progress,
                               place=place)
    _cache[key] = got
    if len(_cache) > CACHE_SIZE:
        _cache.popitem(last=False)
    return got


def scenario_line(scenario: Scenario, source: str = "<scenario>",
                  place: TaskPlace | None = None) -> PlantLine:
    """The simulated line of a scenario, for sweeps and ``simulate``.

    Balancing and sequencing depend only on the work, the mix, the
    volume, the calendar and the segments' areas, not on buffers or
    reliability, so design points that vary only the line reuse them
    (:func:`balanced_plant`). ``source`` and ``place`` name a task in
    errors.
    """
    got = balanced_plant(scenario, source, place)
    return build_plant_line(scenario, got.balance, got.sequence.sequence)
