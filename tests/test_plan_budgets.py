"""The plan's searches stop on work budgets, not the clock (issue 16,
item 7): the same numbers on an idle and a busy machine."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

from taktplan.pipeline import plan
from taktplan.plan_json import plan_to_dict
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
