"""The plant's daily sequence: variants as classes, rules as options."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from taktplan.capacity import DailyDemand
from taktplan.plant.balance_stage import PlantBalance
from taktplan.plant.rules import (
    PlantRule,
    rules_from_loads,
    rules_from_scenario,
)
from taktplan.scenario.model import Scenario

#: Local-search moves of the car sequencer in the plan (a move budget,
#: not a clock, so the plan is the same on every machine).
ITERATIONS = 100_000
#: Swap moves of the work-overload search.
OVERLOAD_MOVES = 40_000


@dataclass(frozen=True)
class PlantSequence:
    """One day's order of vehicles and how well it keeps the rules.

    Attributes
    ----------
    variant_ids
        The variants (class ``i`` of the sequence is ``variant_ids[i]``).
    counts
        Vehicles of each variant in the day.
    rules
        The ratio rules kept (given and derived from the loads).
    sequence
        Variant index of each vehicle in order.
    violations
        Summed excess over every full window of every rule.
    violations_per_rule
        The same, rule by rule.
    violation_mask
        ``(n_vehicles, n_rules)``: the vehicle sits in a window that
        breaks that rule and has the rule's option.
    lower_bound
        A proved lower bound on the violations.
    status
        The car sequencer's status on the rules.
    runtime_s
        Seconds spent.
    rule_violations_before
        Violations of the car sequencer's sequence, before the overload
        search moved vehicles.
    overload_before_s, overload_s
        Line-stop seconds a day from work overload (the drift model)
        before and after the overload search.
    """

    variant_ids: tuple[str, ...]
    counts: tuple[int, ...]
    rules: tuple[PlantRule, ...]
    sequence: np.ndarray
    violations: int
    violations_per_rule: np.ndarray
    violation_mask: np.ndarray
    lower_bound: int
    status: str
    runtime_s: float
    rule_violations_before: int = 0
    overload_before_s: float = 0.0
    overload_s: float = 0.0


def plant_rules(scenario: Scenario,
                balance: PlantBalance | None) -> list[PlantRule]:
    """The scenario's rules plus, if asked, those the loads call for.

    A derived rule that the day's mix itself breaks (its variants make
    up more than ``p/q`` of the demand) is left out: no order could keep
    it, and the work-overload search deals with that station instead.
    """
    rules = rules_from_scenario(scenario)
    if balance is not None and scenario.sequencing.derive_rules_from_loads:
        shares = np.asarray(scenario.shares)
        for seg in balance.segments:
            rules += [r for r in rules_from_loads(
                seg.loads, balance.cycle_s, list(seg.station_names))
                if shares[list(r.variants)].sum() <= r.p / r.q + 1e-9]
    merged: dict[tuple[int, ...], PlantRule] = {}
    for rule in rules:
        old = merged.get(rule.variants)
        if old is None or rule.p * old.q < old.p * rule.q:
            merged[rule.variants] = rule
    return list(merged.values())


def sequence_day(scenario: Scenario, demand: DailyDemand,
                 balance: PlantBalance | None, *, seed: int,
                 time_limit_s: float) -> PlantSequence:
    """Sequence one day's vehicles under the plant's ratio rules."""
    from taktplan.plant.overload import reduce_overload
    from taktplan.precompile import compile_sequencing_kernels
    from taktplan.sequence import (
        CarSequencingInstance,
        solve_car_sequencing,
    )
    from taktplan.sequence.check import check_sequence
    from taktplan.sequence.evaluate import (
        violation_mask,
        violations_per_option,
    )

    # Compiled before the search's CPU-time limit starts counting: a cold
    # compile inside it would cut the search short (plan, sweeps and
    # `simulate` all sequence through here).
    compile_sequencing_kernels()
    rules = plant_rules(scenario, balance)
    if not rules:
        # Nothing to keep apart: still a rule-free instance would have no
        # options, so stand in a rule no sequence can break (q = 1).
        rules = [PlantRule("none", tuple(range(len(scenario.variants))),
                           1, 1, "scenario")]
    n_var = len(scenario.variants)
    options = np.zeros((n_var, len(rules)), dtype=np.int64)
    for k, rule in enumerate(rules):
        options[list(rule.variants), k] = 1
    instance = CarSequencingInstance(
        class_counts=np.asarray(demand.whole, dtype=np.int64),
        options=options,
        p=np.array([r.p for r in rules], dtype=np.int64),
        q=np.array([r.q for r in rules], dtype=np.int64),
        class_names=scenario.variant_ids,
        option_names=tuple(r.name for r in rules),
    )
    result = solve_car_sequencing(instance, time_limit=time_limit_s,
                                  seed=seed, exact=False,
                                  max_iterations=ITERATIONS)
    sequence = result.sequence
    before = after = 0.0
    if balance is not None:
        loads = np.vstack([s.loads for s in balance.segments])
        drift = scenario.sequencing.variant_overload * balance.cycle_s
        polished = reduce_overload(sequence, loads, balance.cycle_s, drift,
                                   seed=seed, max_moves=OVERLOAD_MOVES,
                                   time_limit_s=10 * time_limit_s)
        sequence, before, after = (polished.sequence,
                                   polished.start_seconds, polished.seconds)
    per_rule = violations_per_option(instance, sequence)
    check_sequence(instance, sequence, int(per_rule.sum()))
    return PlantSequence(
        variant_ids=scenario.variant_ids,
        counts=tuple(demand.whole),
        rules=tuple(rules),
        sequence=sequence,
        violations=int(per_rule.sum()),
        violations_per_rule=per_rule,
        violation_mask=violation_mask(instance, sequence),
        lower_bound=min(int(result.lower_bound), int(per_rule.sum())),
        status=result.status if after == before else "feasible",
        runtime_s=result.runtime_s,
        rule_violations_before=int(result.violations),
        overload_before_s=before,
        overload_s=after,
    )
