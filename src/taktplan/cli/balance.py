"""`taktplan balance`: fewest stations (SALBP-1) or shortest cycle (SALBP-2).

Reads a Scholl ``.IN2`` or Otto ``.alb`` file, solves it exactly (BB&R
search, proved optimal when the bound meets the line) and prints the
line, or one JSON object with ``--json``.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from taktplan.cli.app import app, check_time_flag, console, guarded, print_json
from taktplan.errors import InputError
from taktplan.limits import MAX_BALANCE_STATIONS, MAX_SEED, MAX_TIME

if TYPE_CHECKING:
    from taktplan.balance import SalbpResult, SmallLine

_CLI = "<command line>"


@app.command(
    help=(
        "Balance a line from a SALBP file (.IN2 or .alb): the fewest "
        "stations for a cycle time, or the shortest cycle for a number "
        "of stations, proved optimal where the bound meets the line. "
        "A file with <task directions> is balanced two-sidedly (mated "
        "stations, left and right operators)."
    ),
    epilog=(
        "Example: taktplan balance benchmarks/instances/salbp/BUXEY.IN2 "
        "--cycle-time 27 --json"
    ),
)
@guarded
def balance(
    file: Annotated[Path, typer.Argument(
        help="Instance file: Scholl .IN2 or Otto et al. .alb.")],
    cycle_time: Annotated[float | None, typer.Option(
        "--cycle-time", "-c",
        help="Cycle time (may be fractional, e.g. 27.5): find the fewest "
             "stations (SALBP-1). An .alb file's own cycle time is used "
             "when neither flag is given.", show_default=False)
    ] = None,
    stations: Annotated[int | None, typer.Option(
        "--stations", "-m", max=MAX_BALANCE_STATIONS,
        help="Number of stations: find the shortest cycle (SALBP-2).")
    ] = None,
    time_limit: Annotated[float, typer.Option(
        "--time-limit", "-t", min=0.0,
        help="The solve's budget in seconds, counted in work (the "
             "same line on any machine and load): the exact search's, "
             "and on lines of 400 tasks or more the beams' and windows' "
             "too. The best line found is returned (status feasible) "
             "when it runs out. A slow machine stops at 3 x S seconds "
             "of CPU at most.")
    ] = 60.0,
    seed: Annotated[int, typer.Option(
        "--seed", min=0, max=MAX_SEED,
        help="Seed of the randomised heuristic restarts.")
    ] = 0,
    node_limit: Annotated[int | None, typer.Option(
        "--node-limit", min=0,
        help="Nodes the exact search may expand, instead of the work "
             "budget (the time limit stays a safety net).")
    ] = None,
    as_json: Annotated[bool, typer.Option(
        "--json", help="Print one JSON object instead of a table.")
    ] = False,
    backend: Annotated[str, typer.Option(
        "--backend",
        help="Two-sided files: auto (search, then CP-SAT), search or "
             "cp-sat.")
    ] = "auto",
) -> None:
    """Balance a SALBP instance and print the line."""
    from taktplan.balance import check_line, solve_small
    from taktplan.formats.salbp import is_two_sided, read_instance

    if cycle_time is not None and stations is not None:
        raise InputError(_CLI, "--cycle-time/--stations",
                         "both a cycle time and a station count given",
                         "give exactly one of them")
    check_time_flag("--time-limit", time_limit, positive=False,
                    what="give the search's budget in seconds, e.g. 60")
    if stations is not None and stations < 1:
        raise InputError(_CLI, "--stations",
                         f"station count {stations} is below 1",
                         "give at least one station")
    if cycle_time is not None and not 1 <= cycle_time <= MAX_TIME:
        raise InputError(_CLI, "--cycle-time",
                         f"cycle time {cycle_time!r} is not a finite "
                         f"number from 1 to {MAX_TIME:g}",
                         "give a positive cycle time")
    if is_two_sided(file):
        from taktplan.cli.balance_twosided import balance_two_sided

        balance_two_sided(file, cycle_time=cycle_time, stations=stations,
                          time_limit=time_limit, seed=seed,
                          node_limit=node_limit, backend=backend,
                          as_json=as_json)
        return
    # Read, solve and check a small line without numpy (0.12 s of CPU);
    # SalbpProblem, the SALBP-2 search and the compiled SALBP-1 search
    # import it, and numba, only where they run.
    instance = read_instance(file)
    result: SalbpResult | SmallLine | None = None
    if stations is not None:
        from taktplan.balance import SalbpProblem, solve_salbp2

        result = solve_salbp2(SalbpProblem.from_instance(instance), stations,
                              time_limit=time_limit, seed=seed,
                              node_limit=node_limit)
        kind = "SALBP-2"
        shown_cycle: float | int = result.cycle_time
    else:
        given = cycle_time if cycle_time is not None else instance.cycle_time
        if given is None:
            raise InputError(_CLI, "--cycle-time/--stations",
                             f"{file} gives no cycle time",
                             "give --cycle-time C or --stations M")
        instance.check_cycle_time(given)
        c = solver_cycle(given, sum(instance.times))
        result = solve_small(instance.times, instance.arcs, c)
        if result is None:
            from taktplan.balance import SalbpProblem, solve_salbp1

            result = solve_salbp1(SalbpProblem.from_instance(instance), c,
                                  time_limit=time_limit, seed=seed,
                                  node_limit=node_limit)
        kind = "SALBP-1"
        shown_cycle = _number(given)
    check_line(result.stations, instance.times, instance.arcs,
               result.cycle_time)
    payload: dict[str, Any] = {
        "problem": kind,
        "instance": str(file),
        "n_tasks": instance.n_tasks,
        "status": result.status,
        "lower_bound": result.lower_bound,
        "upper_bound": result.upper_bound,
        "cycle_time": shown_cycle,
        "n_stations": result.n_stations,
        "stations": [[t + 1 for t in s] for s in result.stations],
        "loads": [int(x) for x in result.loads],
        "runtime_s": round(result.runtime_s, 4),
        "safety_net_hit": result.safety_net_hit,
    }
    if as_json:
        print_json(payload)
        return
    _print_table(payload)


def solver_cycle(cycle_time: float, total_time: int) -> int:
    """The integer cycle the search runs with for a given cycle time.

    Task times in SALBP files are integers, so a station's load fits a
    fractional cycle exactly when it fits its whole part (27.5 holds what
    27 holds); a cycle above the total work holds every task in one
    station, as the total itself does (this keeps the search's numbers
    small whatever is given).
    """
    return max(1, min(math.floor(cycle_time), max(total_time, 1)))


def _number(value: float) -> float | int:
    """An integral float as an int (27.0 -> 27), others unchanged."""
    return int(value) if float(value).is_integer() else float(value)


def _print_table(payload: dict[str, Any]) -> None:
    from rich.markup import escape
    from rich.table import Table

    goal = ("stations" if payload["problem"] == "SALBP-1" else "cycle time")
    console.print(
        f"[bold]{payload['problem']}[/] {escape(str(payload['instance']))}: "
        f"{payload['n_stations']} stations at cycle time "
        f"{payload['cycle_time']} — [bold]{payload['status']}[/] "
        f"(lower bound on {goal}: {payload['lower_bound']}), "
        f"{payload['runtime_s']:.3f} s")
    if payload["safety_net_hit"]:
        console.print("The safety net (CPU time) ended the search before "
                      "its work budget: another machine or load may give "
                      "another line; raise --time-limit or use "
                      "--node-limit.")
    table = Table("station", "load", "idle", "tasks (1-based)")
    for k, (tasks, load) in enumerate(zip(payload["stations"],
                                          payload["loads"], strict=True)):
        table.add_row(str(k + 1), str(load),
                      f"{payload['cycle_time'] - load:g}",
                      " ".join(str(t) for t in tasks))
    console.print(table)
