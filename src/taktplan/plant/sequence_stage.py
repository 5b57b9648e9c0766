"""The plant's daily sequence: variants as classes, rules as options."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from taktplan.plant.rules import (
    PlantRule,
    mark_implied,
    rules_from_loads,
    rules_from_scenario,
)

if TYPE_CHECKING:
    from taktplan.capacity import DailyDemand
    from taktplan.plant.balance_stage import PlantBalance
    from taktplan.scenario.model import Scenario
    from taktplan.sequence.instance import CarSequencingInstance

#: Local-search moves of each of the car sequencer's two phases in the
#: plan (a move budget, not a clock, so the plan is the same on every
#: machine and load; ``sequencing.time_limit_s`` is only a safety net,
#: reported as ``time_limit_hit`` when it ends a search first).
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
        Every ratio rule, given and derived from the loads; one another
        rule implies carries ``implied_by`` and is not given to the
        sequencer, but its violations are counted like the others'.
    sequence
        Variant index of each vehicle in order.
    violations
        Summed excess over every full window of every rule (implied
        rules included).
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
    time_limit_hit
        A search's time limit (a safety net) ended it before its move
        budget: the sequence may then differ between machines.
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
    time_limit_hit: bool = False


def plant_rules(scenario: Scenario,
                balance: PlantBalance | None) -> list[PlantRule]:
    """The scenario's rules plus, if asked, those the loads call for.

    Every stated rule is kept as stated. A derived rule that the day's
    mix itself breaks (its variants make up more than ``p/q`` of the
    demand) is left out: no order could keep it, and the work-overload
    search deals with that station instead. A rule another one provably
    implies is marked ``implied_by`` (see
    :func:`taktplan.plant.rules.implies`).
    """
    rules = rules_from_scenario(scenario)
    if balance is not None and scenario.sequencing.derive_rules_from_loads:
        shares = np.asarray(scenario.shares)
        for seg in balance.segments:
            rules += [r for r in rules_from_loads(
                seg.loads, balance.cycle_s, list(seg.station_names))
                if shares[list(r.variants)].sum() <= r.p / r.q + 1e-9]
    return mark_implied(rules)


def rules_instance(rules: list[PlantRule], counts: np.ndarray,
                   variant_ids: tuple[str, ...]) -> CarSequencingInstance:
    """The car-sequencing instance of ``rules``: a variant is a class,
    a rule an option."""
    # lazy: the sequence package loads numba (see sequence_day)
    from taktplan.sequence.instance import CarSequencingInstance

    options = np.zeros((len(variant_ids), len(rules)), dtype=np.int64)
    for k, rule in enumerate(rules):
        options[list(rule.variants), k] = 1
    return CarSequencingInstance(
        class_counts=np.asarray(counts, dtype=np.int64),
        options=options,
        p=np.array([r.p for r in rules], dtype=np.int64),
        q=np.array([r.q for r in rules], dtype=np.int64),
        class_names=variant_ids,
        option_names=tuple(r.name for r in rules),
    )


def sequence_day(scenario: Scenario, demand: DailyDemand,
                 balance: PlantBalance | None, *, seed: int,
                 time_limit_s: float) -> PlantSequence:
    """Sequence one day's vehicles under the plant's ratio rules."""
    # lazy: numba loads with the first stage that runs it, not on import
    # (measured in taktplan.precompile.BackgroundCompile.start)
    from taktplan.sequence import warmup as sequencing_warmup
    from taktplan.sequence.check import check_sequence
    from taktplan.sequence.evaluate import (
        violation_mask,
        violations_per_option,
    )
    from taktplan.sequence.overload import reduce_overload
    from taktplan.sequence.solve import solve_car_sequencing

    # Compiled before the search's CPU-time limit starts counting: a cold
    # compile inside it would cut the search short (plan, sweeps and
    # `simulate` all sequence through here).
    sequencing_warmup.warm_up()
    rules = plant_rules(scenario, balance)
    if not rules:
        # Nothing to keep apart: still a rule-free instance would have no
        # options, so stand in a rule no sequence can break (q = 1).
        rules = [PlantRule("none", tuple(range(len(scenario.variants))),
                           1, 1, "scenario")]
    enforced = rules_instance([r for r in rules if r.implied_by is None],
                              np.asarray(demand.whole), scenario.variant_ids)
    instance = rules_instance(rules, np.asarray(demand.whole),
                              scenario.variant_ids)
    result = solve_car_sequencing(enforced, time_limit=time_limit_s,
                                  seed=seed, exact=False,
                                  max_iterations=ITERATIONS)
    sequence = result.sequence
    before = after = 0.0
    timed_out = bool(result.extra.get("time_limit_hit", 0.0))
    if balance is not None:
        loads = np.vstack([s.loads for s in balance.segments])
        drift = scenario.sequencing.variant_overload * balance.cycle_s
        polished = reduce_overload(sequence, loads, balance.cycle_s, drift,
                                   seed=seed, max_moves=OVERLOAD_MOVES,
                                   time_limit_s=10 * time_limit_s)
        sequence, before, after = (polished.sequence,
                                   polished.start_seconds, polished.seconds)
        timed_out = timed_out or polished.time_limit_hit
    per_rule = violations_per_option(instance, sequence)
    check_sequence(instance, sequence, int(per_rule.sum()))
    # The sequencer's proof covers the enforced rules; implied ones it
    # did not see can only add violations on top.
    optimal = after == before and int(per_rule.sum()) == int(
        violations_per_option(enforced, sequence).sum())
    return PlantSequence(
        variant_ids=scenario.variant_ids,
        counts=tuple(demand.whole),
        rules=tuple(rules),
        sequence=sequence,
        violations=int(per_rule.sum()),
        violations_per_rule=per_rule,
        violation_mask=violation_mask(instance, sequence),
        lower_bound=min(int(result.lower_bound), int(per_rule.sum())),
        status=result.status if optimal else "feasible",
        runtime_s=result.runtime_s,
        rule_violations_before=int(result.violations),
        overload_before_s=before,
        overload_s=after,
        time_limit_hit=timed_out,
    )
