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
        The sequencer's status.
    runtime_s
        Seconds spent.
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


def plant_rules(scenario: Scenario,
                balance: PlantBalance | None) -> list[PlantRule]:
    """The scenario's rules plus, if asked, those the loads call for."""
    rules = rules_from_scenario(scenario)
    if balance is not None and scenario.sequencing.derive_rules_from_loads:
        for seg in balance.segments:
            rules += rules_from_loads(seg.loads, balance.cycle_s,
                                      list(seg.station_names))
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
    from taktplan.sequence import (
        CarSequencingInstance,
        solve_car_sequencing,
    )

    rules = plant_rules(scenario, balance)
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
                                  seed=seed)
    return PlantSequence(
        variant_ids=scenario.variant_ids,
        counts=tuple(demand.whole),
        rules=tuple(rules),
        sequence=result.sequence,
        violations=int(result.violations),
        violations_per_rule=result.violations_per_option,
        violation_mask=result.violation_mask,
        lower_bound=int(result.lower_bound),
        status=result.status,
        runtime_s=result.runtime_s,
    )
