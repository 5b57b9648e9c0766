"""A comparison's answers as JSON-ready dicts (``taktplan compare --json``
and the comparison report's table)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from taktplan.comparison import Comparison
    from taktplan.plan_result import Plan
    from taktplan.simulate.model import Line


def _line(p: Plan) -> Line | None:
    return None if p.line is None else p.line.line


def _stations(p: Plan) -> int:
    line = _line(p)
    return 0 if line is None else len(line.stations)


def segment_operators(p: Plan) -> dict[str, int]:
    """Operators a shift of each balanced segment, where the plan knows
    them: the balance's staffed positions (one at each station of a
    one-sided segment, one a side used on a two-sided one), each
    parallel copy of the segment its own. Fixed segments (body, paint)
    are left out: the scenario does not say who works there."""
    if p.balance is None:
        return {}
    parallel = {s.name: s.parallel for s in p.scenario.segments}
    return {s.segment: s.operators * parallel.get(s.segment, 1)
            for s in p.balance.segments}


def line_cost_per_year(p: Plan) -> float:
    """The line's yearly cost from ``[costs]``: its stations, the
    operators where known, buffer places and shifts beyond the first,
    plus the recommended change."""
    c = p.scenario.costs
    line = _line(p)
    stations = len(line.stations) if line is not None else 0
    places = sum(line.buffers) if line is not None else 0
    shifts = p.scenario.calendar.shifts_per_day - 1
    change = 0.0
    if p.recommendation is not None and p.recommendation.chosen is not None:
        change = p.recommendation.chosen.cost_per_year
    operators = sum(segment_operators(p).values())
    return (stations * c.station_per_year + operators * c.operator_per_year
            + places * c.buffer_place_per_year
            + shifts * c.extra_shift_per_year + change)


def plan_row(p: Plan) -> dict[str, Any]:
    """One plan's answers (one entry of ``compare --json`` ``plans``)."""
    cap = p.capacity
    v = p.verdict
    operators = segment_operators(p)
    return {
        "scenario": p.source,
        "name": p.scenario.meta.name,
        "takt_s": cap.takt.takt_s,
        "planning_cycle_s": cap.takt.planning_cycle_s,
        "stations": _stations(p),
        "assembly_stations": (p.balance.n_stations if p.balance is not None
                              else None),
        "operators": sum(operators.values()) if operators else None,
        "operators_per_segment": operators,
        "violations": (p.sequence.violations if p.sequence is not None
                       else None),
        "annual_output": v.output.mean if v else None,
        "annual_output_ci95": [v.output.low, v.output.high] if v else None,
        "probability_reaching_target": v.output.probability if v else None,
        "target": v.target if v else None,
        "bottleneck": v.bottleneck if v else None,
        "cost_per_year": line_cost_per_year(p),
        "currency": p.scenario.costs.currency,
        "rampup_weeks": (cap.rampup.weeks_to_target if cap.rampup.reached
                         else None),
        "rampup_reached_within_horizon": cap.rampup.reached,
        "rampup": cap.rampup.describe(),
        "bridge_stock": cap.bridge.total,
        "recommended_change": (
            p.recommendation.chosen.design.describe()
            if p.recommendation is not None
            and p.recommendation.chosen is not None else None),
    }


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
