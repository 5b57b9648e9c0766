"""The plant plan: capacity, then the stages that follow it.

``plan(scenario)`` runs every stage in order and returns a :class:`Plan`
whose parts are the stage results. It never prints; the command line
and the report draw what it returns.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from taktplan.capacity import (
    AvailableTime,
    BridgeStock,
    DailyDemand,
    RampUpCurve,
    ShiftNeed,
    Takt,
    available_time,
    bridge_stock,
    daily_demand,
    ramp_up_curve,
    shifts_needed,
    takt,
)
from taktplan.errors import InputError
from taktplan.plant.balance_stage import (
    PlantBalance,
    balance_plant,
    check_cross_segment_arcs,
)
from taktplan.plant.check import check_plan
from taktplan.plant.line_stage import PlantLine
from taktplan.plant.sequence_stage import PlantSequence, sequence_day
from taktplan.plant.verdict import (
    AnnualOutput,
    Design,
    Recommendation,
    annual_output,
    recommend,
    simulate_design,
    yearly,
)
from taktplan.precompile import (
    BALANCE,
    SIMULATION,
    BackgroundCompile,
    compile_depth_first,
)
from taktplan.scenario import Scenario, load_scenario

if TYPE_CHECKING:
    from taktplan.simulate.run import ReplicationExecutor

Progress = Callable[[str, float], None]


@dataclass(frozen=True)
class CapacityPlan:
    """The capacity stage: calendar, takt, shifts, demand, ramp-up."""

    time: AvailableTime
    takt: Takt
    shifts: ShiftNeed
    demand: DailyDemand
    rampup: RampUpCurve
    bridge: BridgeStock


@dataclass(frozen=True)
class Verdict:
    """The answer to "does the line make the volume?".

    Attributes
    ----------
    target
        Vehicles a year asked for.
    output
        Simulated vehicles a year: mean, 95 % CI, probability.
    meets_target
        The mean simulated output reaches the target.
    bottleneck
        The station most often the bottleneck (active-period method).
    bottleneck_share
        Its share of time as sole or shifting bottleneck.
    text
        One sentence for the top of the report.
    """

    target: int
    output: AnnualOutput
    meets_target: bool
    bottleneck: str
    bottleneck_share: float
    text: str


@dataclass(frozen=True)
class Plan:
    """Every stage's result for one scenario.

    Stages not run are ``None``.
    """

    scenario: Scenario
    source: str
    capacity: CapacityPlan
    balance: PlantBalance | None = None
    sequence: PlantSequence | None = None
    line: PlantLine | None = None
    simulation: Any = None
    verdict: Verdict | None = None
    recommendation: Recommendation | None = None
    timings_s: dict[str, float] = field(default_factory=dict)

    def figures(self) -> dict[str, Any]:
        """The report's plotly figures by name (for notebooks)."""
        from taktplan.report.figures import plan_figures

        return plan_figures(self)

    def summary(self) -> dict[str, Any]:
        """The headline numbers, JSON-ready."""
        return plan_to_dict(self)


def capacity_stage(scenario: Scenario) -> CapacityPlan:
    """Run the capacity stage of ``scenario``."""
    cal = scenario.calendar
    target = scenario.targets
    tk = takt(cal, target.annual_volume, target.availability)
    time_ = available_time(cal)
    curve = ramp_up_curve(scenario.rampup)
    return CapacityPlan(
        time=time_,
        takt=tk,
        shifts=shifts_needed(cal, target.annual_volume,
                             tk.planning_cycle_s, target.availability),
        demand=daily_demand(scenario.variant_ids, scenario.shares,
                            target.annual_volume, time_.working_days),
        rampup=curve,
        bridge=bridge_stock(scenario.rampup, curve),
    )


def check_tasks_fit(scenario: Scenario, cycle_s: float,
                    source: str) -> None:
    """Every task must fit a station at the planning cycle.

    A variant's time may exceed the cycle by the scenario's
    ``variant_overload``; the demand-weighted time may not exceed it.
    """
    limit = cycle_s * (1.0 + scenario.sequencing.variant_overload)
    load_limit = cycle_s * scenario.balancing.load_factor
    shares = dict(zip(scenario.variant_ids, scenario.shares, strict=True))
    weighted_times = [sum(task.time_for(v) * s for v, s in shares.items())
                      for task in scenario.tasks]
    too_long = sum(w > load_limit for w in weighted_times)
    if too_long and too_long * 2 >= len(weighted_times):
        # Most of the work fits no station: the volume is at fault, not
        # a task.
        volume = scenario.targets.annual_volume
        feasible = int(volume * load_limit / max(weighted_times))
        raise InputError(
            source, "targets.annual_volume",
            f"{volume:.6g} vehicles a year give a planning cycle of "
            f"{cycle_s:.3g} s, too short for {too_long} of "
            f"{len(weighted_times)} tasks",
            f"lower the volume to at most {feasible:,} a year or add "
            "shifts")
    for i, (task, weighted) in enumerate(zip(scenario.tasks, weighted_times,
                                             strict=True)):
        if weighted > load_limit:
            raise InputError(
                source, f"tasks[{i}]",
                f"task '{task.id}' takes {weighted:.1f} s on average, more "
                f"than a station may hold ({load_limit:.1f} s of the "
                f"{cycle_s:.1f} s planning cycle), so no station can take "
                "it", "split the task or lower the volume")
        for variant in scenario.variant_ids:
            t = task.time_for(variant)
            if t > limit:
                raise InputError(
                    source, f"tasks[{i}].times_s.{variant}",
                    f"task '{task.id}' takes {t:.1f} s for {variant}, more "
                    f"than the cycle with overload allows ({limit:.1f} s)",
                    "split the task or raise sequencing.variant_overload")


def plan(scenario: Scenario | str | Path | None = None, *,
         replications: int | None = None, seed: int | None = None,
         recommend_changes: bool = True,
         progress: Progress | None = None,
         executor: ReplicationExecutor | None = None) -> Plan:
    """Plan the plant of ``scenario`` (a model, a TOML path, or built-in).

    Parameters
    ----------
    scenario
        A :class:`Scenario`, the path of a scenario TOML file, or
        ``None`` for the built-in relocated LCV plant.
    replications, seed
        Override the scenario's ``[simulation]`` settings.
    recommend_changes
        Search for the cheapest changes that close a gap.
    progress
        Called with (stage name, fraction done) as the stages run.
    executor
        Runs the replicated years and the what-if simulations (a Dask
        cluster, see ``taktplan.experiment.executors``); each replication
        is a pure function of its seed, so the numbers are the same as
        in process.
    """
    if isinstance(scenario, Scenario):
        model, source = scenario, "<scenario>"
    else:
        model = load_scenario(scenario)
        source = str(scenario) if scenario is not None else "built-in"
    sim = model.simulation
    if replications is not None or seed is not None:
        sim = sim.model_copy(update={
            "replications": replications or sim.replications,
            "seed": sim.seed if seed is None else seed})
        model = model.model_copy(update={"simulation": sim})
    report = progress or (lambda stage, done: None)
    timings: dict[str, float] = {}

    def timed(stage: str, start: float) -> None:
        timings[stage] = time.perf_counter() - start
        report(stage, 1.0)

    t0 = time.perf_counter()
    report("capacity", 0.0)
    capacity = capacity_stage(model)
    cycle = capacity.takt.planning_cycle_s
    check_tasks_fit(model, cycle, source)
    check_cross_segment_arcs(model, source)
    timed("capacity", t0)

    # On a cold numba cache a child process compiles kernels while this
    # one compiles others and works (taktplan.precompile).
    balance = None
    with BackgroundCompile() as ahead:
        if model.tasks:
            t0 = time.perf_counter()
            report("balance", 0.0)
            compile_depth_first()
            ahead.wait(BALANCE)
            balance = balance_plant(
                model, cycle, seed=sim.seed,
                time_limit_s=model.balancing.time_limit_s,
                progress=lambda f: report("balance", f))
            timed("balance", t0)

        t0 = time.perf_counter()
        report("sequence", 0.0)
        sequence = sequence_day(model, capacity.demand, balance,
                                seed=sim.seed,
                                time_limit_s=model.sequencing.time_limit_s)
        timed("sequence", t0)
        ahead.wait(SIMULATION)

    t0 = time.perf_counter()
    report("simulate", 0.0)
    result, line = simulate_design(
        model, balance, sequence.sequence, Design(),
        replications=sim.replications, seed=sim.seed,
        progress=lambda k, n: report("simulate", k / n), over_time=True,
        executor=executor)
    output = annual_output(yearly(result, model, Design()),
                           model.targets.annual_volume)
    verdict = make_verdict(model, result, output)
    timed("simulate", t0)

    recommendation = None
    if recommend_changes and (not verdict.meets_target
                              or output.probability < 0.9):
        t0 = time.perf_counter()
        report("improve", 0.0)
        recommendation = recommend(
            model, balance, sequence.sequence, top_bottlenecks(result, 2),
            seed=sim.seed, progress=lambda f: report("improve", f),
            executor=executor)
        timed("improve", t0)
    checked = Plan(model, source, capacity, balance, sequence, line, result,
                   verdict, recommendation, timings)
    check_plan(checked)
    return checked


def top_bottlenecks(result: Any, count: int) -> list[str]:
    """The ``count`` stations most often the bottleneck."""
    import numpy as np

    score = result.sole_share + result.shifting_share
    order = np.argsort(-score, kind="stable")[:count]
    return [result.names[int(i)] for i in order if score[int(i)] > 0]


def make_verdict(scenario: Scenario, result: Any,
                 output: AnnualOutput) -> Verdict:
    """The verdict sentence from the simulated years."""
    import numpy as np

    target = scenario.targets.annual_volume
    score = result.sole_share + result.shifting_share
    k = int(np.argmax(score))
    meets = output.mean >= target
    word = "reaches" if meets else "misses"
    text = (
        f"The line {word} {target:,} vehicles a year: simulated "
        f"{output.mean:,.0f} a year (95 % CI {output.low:,.0f} to "
        f"{output.high:,.0f}, {result.throughput.n} replicated years), "
        f"probability {output.probability:.0%} of reaching the target; "
        f"bottleneck {result.names[k]} ({score[k]:.0%} of the time)."
    )
    return Verdict(target, output, meets, result.names[k],
                   float(score[k]), text)


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
            "weeks_to_target": cap.rampup.weeks_to_target,
            "months_to_target": cap.rampup.months_to_target,
            "reach_share": cap.rampup.reach_share,
            "bridge_stock": cap.bridge.total,
            "bridge_window_demand": cap.bridge.window_demand,
            "bridge_ramp_shortfall": cap.bridge.ramp_shortfall,
            "bridge_safety_stock": cap.bridge.safety_stock,
            "bridge_weeks_of_demand": cap.bridge.weeks_of_demand,
        },
        "timings_s": dict(result.timings_s),
        **_later_stages(result),
    }


def _later_stages(result: Plan) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if result.balance is not None:
        b = result.balance
        out["balance"] = {
            "stations": b.n_stations,
            "lower_bound": b.lower_bound,
            "proved_optimal": b.proved_optimal,
            "cycle_s": b.cycle_s,
            "load_limit_s": b.load_limit_s,
            "variant_limit_s": b.variant_limit_s,
            "efficiency": b.efficiency(),
            "segments": [
                {"segment": s.segment, "stations": s.n_stations,
                 "lower_bound": s.lower_bound, "status": s.status,
                 "smoothness_s": s.smoothness,
                 "station_tasks": {n: list(t) for n, t in zip(
                     s.station_names, s.station_tasks, strict=True)},
                 "max_variant_load_s": float(s.loads.max()),
                 "max_weighted_load_s": float(s.weighted_loads.max())}
                for s in b.segments],
        }
    if result.sequence is not None:
        q = result.sequence
        out["sequence"] = {
            "vehicles": int(q.sequence.size),
            "violations": q.violations,
            "lower_bound": q.lower_bound,
            "status": q.status,
            "rules": [{"name": r.name, "p": r.p, "q": r.q,
                       "origin": r.origin,
                       "variants": [q.variant_ids[v] for v in r.variants],
                       "violations": int(q.violations_per_rule[k])}
                      for k, r in enumerate(q.rules)],
            "rule_violations_before_overload_search":
                q.rule_violations_before,
            "overload_s_per_day_before": q.overload_before_s,
            "overload_s_per_day": q.overload_s,
            "sequence": [q.variant_ids[v] for v in q.sequence],
        }
    if result.verdict is not None:
        v = result.verdict
        o = v.output
        out["verdict"] = {
            "text": v.text,
            "target": v.target,
            "meets_target": v.meets_target,
            "annual_output": o.mean,
            "annual_output_ci95": [o.low, o.high],
            "probability_reaching_target": o.probability,
            "replications_reaching_target": o.reached,
            "annual_output_per_replication": [float(x) for x in
                                              o.per_replication],
            "bottleneck": v.bottleneck,
            "bottleneck_share": v.bottleneck_share,
        }
    if result.simulation is not None:
        sim = result.simulation.to_dict()
        out["simulation"] = {k: sim[k] for k in (
            "jobs_per_hour", "jobs_per_hour_ci95", "replications", "seed",
            "wip", "flow_time", "stations", "seeds") if k in sim}
    if (result.simulation is not None and result.line is not None
            and result.verdict is not None
            and result.simulation.unit_fractions.size):
        from taktplan.plant.losses import plant_loss_trees

        out["losses"] = [t.to_dict() for t in plant_loss_trees(
            result.scenario, result.line, result.simulation,
            result.capacity.takt.planning_cycle_s,
            result.verdict.output.mean)]
    if result.recommendation is not None:
        rec = result.recommendation
        out["changes"] = {
            "chosen": None if rec.chosen is None else _design(rec.chosen),
            "tried": [_design(d) for d in rec.tried],
            "notes": list(rec.notes),
        }
    return out


def _design(d: Any) -> dict[str, Any]:
    return {"change": d.design.describe(),
            "cost_per_year": d.cost_per_year,
            "annual_output": d.output.mean,
            "annual_output_ci95": [d.output.low, d.output.high],
            "probability_reaching_target": d.output.probability,
            "meets_target": d.meets_target,
            "screening": d.screening}


_LINE_CACHE: dict[str, tuple[Any, Any]] = {}


def balance_and_sequence(scenario: Scenario, source: str = "<scenario>"
                         ) -> tuple[CapacityPlan, PlantBalance | None,
                                    PlantSequence]:
    """Capacity, balance and the day's sequence of ``scenario``, checked.

    The stages :func:`plan` runs one by one (with progress and timings),
    for callers that need only their results: sweeps, ``simulate`` and
    rebalanced what-if designs.
    """
    capacity = capacity_stage(scenario)
    cycle = capacity.takt.planning_cycle_s
    check_tasks_fit(scenario, cycle, source)
    check_cross_segment_arcs(scenario, source)
    seed = scenario.simulation.seed
    balance = None
    if scenario.tasks:
        balance = balance_plant(
            scenario, cycle, seed=seed,
            time_limit_s=scenario.balancing.time_limit_s)
    sequence = sequence_day(scenario, capacity.demand, balance, seed=seed,
                            time_limit_s=scenario.sequencing.time_limit_s)
    return capacity, balance, sequence


def scenario_line(scenario: Scenario) -> tuple[Any, Any, float, float,
                                               Any]:
    """The simulated line of a scenario, for sweeps and ``simulate``.

    Returns ``(line, calendar, horizon_s, warmup_s, variant_sequence)``.
    Balancing and sequencing depend only on the work, the mix, the
    volume and the calendar, not on buffers or reliability, so they are
    computed once per process for each such combination and reused
    across design points that vary only the line.
    """
    import json

    from taktplan.plant.line_stage import build_plant_line

    key = json.dumps(scenario.model_dump(
        include={"calendar", "targets", "variants", "tasks", "balancing",
                 "sequencing", "simulation"}), sort_keys=True)
    if key not in _LINE_CACHE:
        _, balance, sequence = balance_and_sequence(scenario)
        _LINE_CACHE[key] = (balance, sequence.sequence)
    balance, seq = _LINE_CACHE[key]
    plant = build_plant_line(scenario, balance, seq)
    return (plant.line, plant.calendar, plant.horizon_s, plant.warmup_s,
            plant.variant_sequence)
