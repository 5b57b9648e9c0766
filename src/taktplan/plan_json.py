"""The plan's numbers as one JSON-ready dict (``taktplan plan --json``).

The writer takes a :class:`~taktplan.plan_result.Plan`; the plan never
imports it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from taktplan.plant.losses import plant_loss_trees
from taktplan.plant.sequence_stage import ITERATIONS, OVERLOAD_MOVES

if TYPE_CHECKING:
    from taktplan.plan_result import Plan
    from taktplan.plant.balance_stage import PlantBalance, SegmentBalance
    from taktplan.plant.sequence_stage import PlantSequence
    from taktplan.plant.verdict import AnnualOutput, Verdict
    from taktplan.plant.whatif import DesignResult


def plan_to_dict(result: Plan) -> dict[str, Any]:
    """The plan's numbers as one JSON-ready dict (the ``--json`` output)."""
    cap = result.capacity
    return {
        "scenario": result.scenario.meta.name,
        "source": result.source,
        "capacity": {
            "working_days": cap.time.working_days,
            "shifts_per_day": cap.time.shifts_per_day,
            "net_hours_per_year": cap.time.net_hours_per_year,
            "annual_volume": cap.takt.annual_volume,
            "availability": cap.takt.availability,
            "takt_s": cap.takt.takt_s,
            "planning_cycle_s": cap.takt.planning_cycle_s,
            "jobs_per_hour_at_takt": cap.takt.jobs_per_hour_at_takt,
            "design_jobs_per_hour": cap.takt.design_jobs_per_hour,
            "vehicles_per_day": cap.takt.vehicles_per_day,
            "shifts_needed": cap.shifts.shifts_per_day,
            "shift_options": [
                {"shifts_per_day": o.shifts_per_day,
                 "annual_capacity": o.annual_capacity,
                 "meets_volume": o.meets_volume}
                for o in cap.shifts.options
            ],
            "daily_demand": dict(zip(cap.demand.variant_ids,
                                     cap.demand.whole, strict=True)),
        },
        "rampup": {
            "weeks_to_target": (cap.rampup.weeks_to_target
                                if cap.rampup.reached else None),
            "months_to_target": (cap.rampup.months_to_target
                                 if cap.rampup.reached else None),
            "reached_within_horizon": cap.rampup.reached,
            "horizon_weeks": cap.rampup.horizon_weeks,
            "rate_at_horizon_end_per_year": cap.rampup.rate_at_end,
            "reach_share": cap.rampup.reach_share,
            "bridge_still_short_at_horizon_end": cap.bridge.still_short,
            "bridge_stock": cap.bridge.total,
            "bridge_window_demand": cap.bridge.window_demand,
            "bridge_ramp_shortfall": cap.bridge.ramp_shortfall,
            "bridge_safety_stock": cap.bridge.safety_stock,
            "bridge_weeks_of_demand": cap.bridge.weeks_of_demand,
        },
        "warnings": [{"field": w.field, "message": w.message}
                     for w in result.warnings],
        "timings_s": dict(result.timings_s),
        **_later_stages(result),
    }


def _later_stages(result: Plan) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if result.balance is not None:
        out["balance"] = _balance(result.balance)
    if result.sequence is not None:
        out["sequence"] = _sequence(
            result.sequence, result.scenario.sequencing.time_limit_s)
    if result.verdict is not None:
        out["verdict"] = _verdict(result.verdict)
    if result.simulation is not None:
        sim = result.simulation.to_dict()
        out["simulation"] = {k: sim[k] for k in (
            "jobs_per_hour", "jobs_per_hour_ci95", "replications", "seed",
            "wip", "flow_time", "stations", "seeds") if k in sim}
    if (result.simulation is not None and result.line is not None
            and result.verdict is not None
            and result.simulation.unit_fractions.size):
        out["losses"] = [t.to_dict() for t in plant_loss_trees(
            result.scenario, result.line, result.simulation,
            result.capacity.takt.planning_cycle_s,
            result.verdict.output.mean, result.verdict.bottleneck)]
    if result.recommendation is not None:
        rec = result.recommendation
        out["changes"] = {
            "chosen": None if rec.chosen is None else _design(rec.chosen),
            "tried": [_design(d) for d in rec.tried],
            "baseline": (None if rec.baseline is None
                         else _design(rec.baseline)),
            "notes": list(rec.notes),
        }
    return out


def _balance(b: PlantBalance) -> dict[str, Any]:
    return {
        "stations": b.n_stations,
        "lower_bound": b.lower_bound,
        "proved_optimal": b.proved_optimal,
        "cycle_s": b.cycle_s,
        "load_limit_s": b.load_limit_s,
        "variant_limit_s": b.variant_limit_s,
        "efficiency": b.efficiency(),
        "operators": b.operators,
        "operators_lower_bound": b.operators_lower_bound,
        "segments": [
            {"segment": s.segment, "stations": s.n_stations,
             **segment_operators_json(s),
             "lower_bound": s.lower_bound, "status": s.status,
             "safety_net_hit": s.safety_net_hit,
             "smoothness_s": s.smoothness,
             "station_tasks": {n: list(t) for n, t in zip(
                 s.station_names, s.station_tasks, strict=True)},
             "max_variant_load_s": float(s.loads.max()),
             "max_weighted_load_s": float(s.weighted_loads.max())}
            for s in b.segments],
    }


def segment_operators_json(s: SegmentBalance) -> dict[str, object]:
    """The operator keys of a segment (issue 18): ``two_sided``,
    ``operators``, the operators of each station and, on a two-sided
    segment, each station's positions with their side."""
    out: dict[str, object] = {
        "two_sided": s.two_sided,
        "operators": s.operators,
        "operators_lower_bound": s.operators_lower_bound,
        "station_operators": {n: s.operators_of(k) for k, n in
                              enumerate(s.station_names)},
    }
    if s.station_positions:
        out["station_positions"] = {
            n: [{"side": side, "tasks": list(tasks)}
                for side, tasks in pos]
            for n, pos in zip(s.station_names, s.station_positions,
                              strict=True)}
    return out


def _sequence(q: PlantSequence, time_limit_s: float) -> dict[str, Any]:
    return {
        "vehicles": int(q.sequence.size),
        "violations": q.violations,
        "lower_bound": q.lower_bound,
        "status": q.status,
        "rules": [{"name": r.name, "p": r.p, "q": r.q,
                   "origin": r.origin, "stated": r.stated,
                   "implied_by": r.implied_by,
                   "variants": [q.variant_ids[v] for v in r.variants],
                   "violations": int(q.violations_per_rule[k])}
                  for k, r in enumerate(q.rules)],
        "rule_violations_before_overload_search": q.rule_violations_before,
        "overload_s_per_day_before": q.overload_before_s,
        "overload_s_per_day": q.overload_s,
        "search": {"moves_per_phase": ITERATIONS,
                   "overload_moves": OVERLOAD_MOVES,
                   "time_limit_s": time_limit_s,
                   "time_limit_hit": q.time_limit_hit},
        "sequence": [q.variant_ids[v] for v in q.sequence],
    }


def _output(o: AnnualOutput) -> dict[str, Any]:
    """The simulated years' mean, interval and chance of the target."""
    return {"annual_output": o.mean,
            "annual_output_ci95": [o.low, o.high],
            "probability_reaching_target": o.probability}


def _verdict(v: Verdict) -> dict[str, Any]:
    o = v.output
    return {
        "text": v.text,
        "target": v.target,
        "meets_target": v.meets_target,
        **_output(o),
        "replications_reaching_target": o.reached,
        "annual_output_per_replication": [float(x) for x in
                                          o.per_replication],
        "bottleneck": v.bottleneck,
        "bottleneck_share": v.bottleneck_share,
    }


def _design(d: DesignResult) -> dict[str, Any]:
    return {"change": d.design.describe(),
            "cost_per_year": d.cost_per_year,
            **_output(d.output),
            "meets_target": d.meets_target,
            "screening": d.screening}
