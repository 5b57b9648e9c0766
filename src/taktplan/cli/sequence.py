"""`taktplan sequence`: order a day's cars under ratio (and paint) rules."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated, Any

import typer

from taktplan.cli.app import app, check_time_flag, console, guarded, print_json
from taktplan.errors import InputError
from taktplan.limits import MAX_SEED


class Format(str, Enum):
    """Instance formats the command reads."""

    auto = "auto"
    csplib = "csplib"
    roadef = "roadef"


@app.command(
    help=(
        "Sequence cars under ratio rules p/q (CSPLib prob001 file) or "
        "under ratio and paint rules (ROADEF 2005 instance directory); "
        "print the objective, the proved bound and the status."
    ),
    epilog=(
        "Example: taktplan sequence benchmarks/instances/carseq/10-93.txt "
        "--time-limit 10 --seed 1 --json"
    ),
)
@guarded
def sequence(
    file: Annotated[Path, typer.Argument(
        help="CSPLib prob001 file, or ROADEF 2005 instance directory.",
        show_default=False)],
    time_limit: Annotated[float, typer.Option(
        "--time-limit", min=0.0,
        help="CPU seconds of one core for the solve.")
    ] = 10.0,
    seed: Annotated[int, typer.Option(
        "--seed", min=0, max=MAX_SEED,
        help="Seed of every random choice.")] = 0,
    json_out: Annotated[bool, typer.Option(
        "--json", help="Print one JSON object instead of text.")] = False,
    fmt: Annotated[Format, typer.Option(
        "--format", help="Input format; auto: a directory is ROADEF, a "
        "file CSPLib.")] = Format.auto,
    exact: Annotated[bool, typer.Option(
        "--exact/--no-exact",
        help="Run the CP-SAT model to prove bounds (CSPLib).")] = True,
) -> None:
    """Sequence the cars of FILE and print the result."""
    check_time_flag("--time-limit", time_limit, positive=False,
                    what="give CPU seconds, e.g. 10")
    kind = fmt.value
    if kind == "auto":
        kind = "roadef" if file.is_dir() else "csplib"
    if kind == "roadef":
        payload = _roadef(file, time_limit, seed)
    else:
        payload = _csplib(file, time_limit, seed, exact)
    if json_out:
        print_json(payload)
        return
    _print_text(payload)


def _csplib(file: Path, time_limit: float, seed: int,
            exact: bool) -> dict[str, Any]:
    from taktplan.formats.carseq import read_carseq
    from taktplan.sequence import check_sequence, solve_car_sequencing

    instance = read_carseq(file)
    result = solve_car_sequencing(instance, time_limit=time_limit,
                                  seed=seed, exact=exact)
    check_sequence(instance, result.sequence,
                   claimed_violations=result.violations)
    return {
        "format": "csplib",
        "instance": str(file),
        "cars": instance.n_cars,
        "sequence": [int(c) for c in result.sequence],
        "violations": result.violations,
        "violations_per_option": [int(v) for v in
                                  result.violations_per_option],
        "lower_bound": result.lower_bound,
        "status": result.status,
        "method": result.method,
        "runtime_s": round(result.runtime_s, 3),
        "cpu_s": round(result.extra.get("cpu_s", 0.0), 3),
    }


def _roadef(path: Path, time_limit: float, seed: int) -> dict[str, Any]:
    from taktplan.formats.roadef import read_roadef
    from taktplan.sequence.check import SequenceCheckError
    from taktplan.sequence.check_roadef import check_roadef
    from taktplan.sequence.roadef import solve_roadef

    instance = read_roadef(path)
    result = solve_roadef(instance, time_limit=time_limit, seed=seed)
    check = check_roadef(instance, result.order)
    if check.objective != result.objective:
        raise SequenceCheckError(
            f"the ROADEF checker recomputed objective {check.objective}, "
            f"the solver reported {result.objective}")
    return {
        "format": "roadef",
        "instance": str(path),
        "cars": len(result.order),
        "sequence": [instance.idents[i] for i in result.order],
        "objective": result.objective,
        "objective_order": list(instance.objective_order),
        "paint_color_changes": result.color_changes,
        "high_priority_violations": result.high_violations,
        "low_priority_violations": result.low_violations,
        "lower_bound": result.lower_bound,
        "status": result.status,
        "runtime_s": round(result.runtime_s, 3),
    }


def _print_text(payload: dict[str, Any]) -> None:
    from rich.markup import escape

    name = escape(str(payload["instance"]))
    console.print(f"[bold]{name}[/] ({payload['format']}, "
                  f"{payload['cars']} cars)", highlight=False)
    if payload["format"] == "csplib":
        console.print(f"violations   {payload['violations']} "
                      f"(per option {payload['violations_per_option']})",
                      highlight=False)
    else:
        console.print(f"objective    {payload['objective']} "
                      f"(order {' > '.join(payload['objective_order'])})",
                      highlight=False)
        console.print(f"  paint colour changes      "
                      f"{payload['paint_color_changes']}", highlight=False)
        console.print(f"  high-priority violations  "
                      f"{payload['high_priority_violations']}",
                      highlight=False)
        console.print(f"  low-priority violations   "
                      f"{payload['low_priority_violations']}",
                      highlight=False)
    console.print(f"lower bound  {payload['lower_bound']}", highlight=False)
    console.print(f"status       {payload['status']}", highlight=False)
    console.print(f"time         {payload['runtime_s']:.2f} s",
                  highlight=False)
    what = ("class of each car" if payload["format"] == "csplib"
            else "vehicle idents")
    console.print(f"sequence     ({what}, in order)", highlight=False)
    console.print(" ".join(str(c) for c in payload["sequence"]),
                  highlight=False, markup=False)


__all__ = ["InputError", "sequence"]
