"""The two-sided branch of ``taktplan balance``: type, solve, print.

``taktplan balance FILE`` comes here when FILE has a ``<task
directions>`` section. The type comes from the flags (``--cycle-time``
type I, ``--stations`` type II) or else from the file's ``<cycle
time>`` or ``<number of stations>``.
"""

from __future__ import annotations

import math
from dataclasses import replace
from pathlib import Path
from typing import Any

from taktplan.balance.twosided import Budget, solve_talbp1, solve_talbp2
from taktplan.balance.twosided.result import TwoSidedResult
from taktplan.cli.app import console, print_json
from taktplan.errors import InputError
from taktplan.formats.talbp import read_talbp


def balance_two_sided(file: Path, *, cycle_time: float | None,
                      stations: int | None, time_limit: float, seed: int,
                      node_limit: int | None, backend: str,
                      as_json: bool) -> None:
    """Balance a two-sided file and print the line (or one JSON object).

    A fractional ``cycle_time`` is kept as given in what is printed (the
    JSON ``cycle_time``, the idle time) and solved at its whole part:
    the task times are integers, so a side holds what ``floor(C)``
    holds, as for SALBP files.
    """
    problem = read_talbp(file)
    if cycle_time is None and stations is None:
        if problem.cycle_time is not None and problem.n_stations is not None:
            raise InputError(file, None, "gives both a <cycle time> and a "
                             "<number of stations>",
                             "choose the type with --cycle-time C or "
                             "--stations M")
        cycle_time, stations = problem.cycle_time, problem.n_stations
    if cycle_time is None and stations is None:
        raise InputError(file, None, "gives neither a <cycle time> (type I) "
                         "nor a <number of stations> (type II)",
                         "give --cycle-time C or --stations M")
    # the time limit becomes work budgets (the same line on any machine
    # and load); the CPU clock stops a run at 3 x S only as a safety net
    budget = Budget.for_seconds(time_limit, seed=seed, backend=backend,
                                operators_per_side=problem.operators_per_side)
    if node_limit is not None:
        budget = replace(budget, nodes=node_limit)
    if stations is not None:
        result = solve_talbp2(problem, stations, budget)
    else:
        assert cycle_time is not None
        problem.check_cycle_time(math.floor(cycle_time), shown=cycle_time)
        result = solve_talbp1(problem, math.floor(cycle_time), budget)
    payload = payload_of(file, problem.n_tasks, result)
    if stations is None and cycle_time is not None:
        payload["cycle_time"] = _number(cycle_time)
    if as_json:
        print_json(payload)
        return
    _print_table(payload, result)


def _number(value: float) -> float | int:
    """An integral cycle as an int (27.0 -> 27), a fractional one as
    given (12.5)."""
    return int(value) if float(value).is_integer() else float(value)


def payload_of(file: Path, n_tasks: int,
               result: TwoSidedResult) -> dict[str, Any]:
    """The JSON object of a two-sided run."""
    return {
        "problem": result.kind,
        "instance": str(file),
        "n_tasks": n_tasks,
        **result.to_json(),
        "upper_bound": result.objective,
        "backend": result.backend,
        "limit_hit": result.limit_hit,
        "nodes": result.nodes,
        "cpu_s": round(result.cpu_s, 4),
    }


def _print_table(payload: dict[str, Any], result: TwoSidedResult) -> None:
    from rich.markup import escape
    from rich.table import Table

    goal = "stations" if result.kind == "TALBP-1" else "cycle time"
    cycle = payload["cycle_time"]
    console.print(
        f"[bold]{result.kind}[/] {escape(str(payload['instance']))}: "
        f"{result.n_stations} mated station"
        f"{'' if result.n_stations == 1 else 's'}, {result.operators} "
        f"operator{'' if result.operators == 1 else 's'} "
        f"at cycle time {cycle:g} — [bold]{result.status}[/] "
        f"(lower bound on {goal}: {result.lower_bound}), "
        f"{result.cpu_s:.3f} s CPU")
    table = Table("station", "side", "work", "idle", "tasks (start-finish)")
    for k, station in enumerate(result.line):
        for p in station.positions:
            spans = " ".join(f"{s.task + 1}({s.start}-{s.finish})"
                             for s in p.tasks)
            table.add_row(str(k + 1), p.side or "-", str(p.work),
                          f"{cycle - p.work:g}" if p.tasks
                          else "-", spans)
    console.print(table)
