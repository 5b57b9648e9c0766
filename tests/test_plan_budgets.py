"""The plan's searches stop on work budgets, not the clock (issue 16,
item 7): the same numbers on an idle and a busy machine."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

from taktplan.balance.heuristic import greedy_lines
from taktplan.balance.mixed import (
    MixedModelProblem,
    balance_mixed_model,
    scaled_times,
)
from taktplan.balance.prepare import prepare
from taktplan.balance.search import search_depth_first_rounds
from taktplan.pipeline import plan
from taktplan.plan_json import plan_to_dict
from taktplan.plant.balance_stage import PlantBalance, SegmentBalance
from taktplan.plant.capacity_stage import capacity_stage
from taktplan.plant.consistency import plan_warnings
from taktplan.plant.stages import balance_and_sequence
from taktplan.scenario import load_scenario

TINY = Path(__file__).parent / "data" / "tiny_scenario.toml"


def numbers(out: dict[str, Any]) -> dict[str, Any]:
    """The plan's JSON without what measures time."""
    out = dict(out)
    out.pop("timings_s", None)
    for key in ("balance", "sequence"):
        if isinstance(out.get(key), dict):
            out[key] = {k: v for k, v in out[key].items()
                        if "runtime" not in k}
    return out


def test_same_plan_beside_a_busy_loop() -> None:
    """Planning the tiny plant idle and beside a process spinning on a
    core gives the same JSON numbers, and no search hit its clock."""
    idle = plan_to_dict(plan(TINY, replications=3, seed=5))
    busy_loop = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        busy = plan_to_dict(plan(TINY, replications=3, seed=5))
    finally:
        busy_loop.kill()
        busy_loop.wait()
    assert idle["sequence"]["search"]["time_limit_hit"] is False
    assert busy["sequence"]["search"]["time_limit_hit"] is False
    assert numbers(idle) == numbers(busy)


def test_a_safety_net_that_bites_is_reported() -> None:
    """A stated 1 of 5 on the 4x4 (a quarter of the day) cannot be kept,
    so the search never reaches its target; a time limit of 1 us ends it
    before its move budget, and the plan says so."""
    s = load_scenario(TINY).with_changes({
        "sequencing.time_limit_s": 1e-6,
        "sequencing.rules": [{"option": "drive", "value": "4x4", "p": 1,
                              "q": 5}]})
    q = balance_and_sequence(s).sequence
    assert q.time_limit_hit
    roomy = s.with_changes({"sequencing.time_limit_s": 600.0})
    q = balance_and_sequence(roomy).sequence
    assert not q.time_limit_hit


def hard_mixed_problem() -> MixedModelProblem:
    """70 tasks, 3 variants: not proved within 300 nodes (19 stations
    is the bound, the search stops at 20)."""
    rng = np.random.default_rng(4)
    n = 70
    arcs = np.array([(i, j) for j in range(1, n) for i in range(j)
                     if rng.random() < 0.04]).reshape(-1, 2)
    return MixedModelProblem(
        task_ids=tuple(f"t{i}" for i in range(n)),
        times=rng.uniform(1.0, 9.0, (n, 3)),
        weights=np.array([0.5, 0.3, 0.2]), arcs=arcs, cycle_time=20.0,
        variant_limit=24.0)


def test_mixed_balance_rounds_count_work_not_seconds() -> None:
    """The one-sided mixed-model balance, stopped by its budget before a
    proof, gives the same line idle and beside a busy loop: its rounds'
    shares are counted in work, not in seconds."""
    problem = hard_mixed_problem()
    idle = balance_mixed_model(problem, time_limit=60.0, node_limit=300)
    busy_loop = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        busy = balance_mixed_model(problem, time_limit=60.0,
                                   node_limit=300)
    finally:
        busy_loop.kill()
        busy_loop.wait()
    assert idle.status == "feasible"  # the budget, not a proof, ended it
    assert (idle.n_stations, idle.lower_bound) == (20, 19)
    assert idle.stations == busy.stations
    assert not idle.safety_net_hit and not busy.safety_net_hit


def test_search_rounds_spend_their_work_budget_exactly_again() -> None:
    """Two runs of the mixed-model rounds on one work budget expand the
    same nodes and count the same work, which stays within the budget
    plus one node's expansion."""
    problem = hard_mixed_problem()
    t = problem.times
    times, cap = scaled_times(t, problem.weights, 20.0, 24.0)
    fwd = prepare(times, cap, problem.arcs, increment=False)
    bwd = prepare(times, cap, problem.arcs[:, ::-1], increment=False)
    start, ub = greedy_lines(fwd, 50, 0)
    lb = max(fwd.lower_bound(), bwd.lower_bound())
    budget = 2_000_000
    runs = [search_depth_first_rounds(fwd, bwd, ub, start, lb,
                                      time.perf_counter() + 600.0,
                                      work_limit=budget)
            for _ in range(2)]
    a, b = runs
    assert (a.ub, a.lb, a.nodes, a.work) == (b.ub, b.lb, b.nodes, b.work)
    assert a.lb < a.ub and not a.safety_net_hit
    assert budget <= a.work < budget + 100 * problem.times.size


def test_a_balance_safety_net_that_bites_is_reported() -> None:
    """A wall-clock safety net shorter than any search (a time limit of
    1 us) ends the balance before its work budget: the result says so,
    and the plan turns it into a warning on balancing.time_limit_s."""
    result = balance_mixed_model(hard_mixed_problem(), time_limit=1e-6,
                                 node_limit=None)
    assert result.safety_net_hit and result.status == "feasible"
    scenario = load_scenario(TINY)
    capacity = capacity_stage(scenario)
    segment = SegmentBalance(
        segment="trim", task_ids=("a",), station_names=("trim-01",),
        station_tasks=(("a",),), loads=np.ones((1, 2)),
        weighted_loads=np.ones(1), lower_bound=1, status="feasible",
        smoothness=0.0, runtime_s=0.0, safety_net_hit=True)
    balance = PlantBalance(60.0, 60.0, 75.0, (segment,))
    fields = [w.field for w in plan_warnings(scenario, capacity, None,
                                             balance)]
    assert "balancing.time_limit_s" in fields
    assert "balancing.time_limit_s" not in [
        w.field for w in plan_warnings(scenario, capacity, None)]
