"""`taktplan optimize-buffers`: the least buffer space reaching a target."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from taktplan.cli.app import app, console, guarded, print_json
from taktplan.cli.sweep import (
    Json,
    Quiet,
    Scheduler,
    Seed,
    Workers,
)
from taktplan.limits import MAX_REPLICATIONS

#: Two replications at least: the confirmation gives a confidence
#: interval.
Replications = Annotated[
    int, typer.Option("--replications", "-r", min=2, max=MAX_REPLICATIONS,
                      help="Replications per design point (candidate)."),
]


@app.command(
    name="optimize-buffers",
    help="Find the least total buffer space (within per-buffer limits) "
         "whose throughput reaches TARGET jobs per hour: exact search on "
         "the analytic decomposition, then simulation of the winner and "
         "its neighbours. SCENARIO is a line or scenario TOML (the "
         "built-in plant when omitted).",
    epilog="Example: taktplan optimize-buffers "
           "examples/four_machine_line.toml --target 48 --max-total 20 "
           "--limits 10 --replications 10 --seed 1",
)
@guarded
def optimize_buffers(
    scenario: Annotated[
        Path | None,
        typer.Argument(help="Line or scenario TOML file; omit for the "
                            "built-in plant.", show_default=False),
    ] = None,
    target: Annotated[
        float, typer.Option("--target", help="Jobs per hour to reach "
                            "(per productive hour of the line's clock).",
                            show_default=False),
    ] = ...,  # type: ignore[assignment]
    max_total: Annotated[
        int, typer.Option("--max-total", help="Most buffer places in "
                          "total."),
    ] = 100,
    limits: Annotated[
        str | None,
        typer.Option("--limits", help="Per-buffer limits: MAX for all, or "
                     "L1,L2,... one per buffer, each MAX or MIN:MAX.",
                     show_default=False),
    ] = None,
    replications: Replications = 10,
    seed: Seed = 0,
    workers: Workers = None,
    scheduler: Scheduler = None,
    as_json: Json = False,
    quiet: Quiet = False,
) -> None:
    """Search the buffer allocation and confirm it by simulation."""
    import time

    from taktplan.cli.sweep import make_executor, progress_bar
    from taktplan.experiment.buffer_plan import (
        confirm_buffers,
        plan_to_dict,
        search_buffers,
    )
    from taktplan.experiment.evaluators import evaluator_for
    from taktplan.experiment.runner import read_input

    start = time.perf_counter()
    raw, source = read_input(scenario)
    evaluator = evaluator_for(raw, source)
    model = evaluator.prepare(raw, source)
    executor = make_executor(workers, scheduler)
    try:
        if not (quiet or as_json):
            console.print("Searching on the analytic decomposition ...")
        search = search_buffers(model, target_jph=target,
                                max_total=max_total, limits=limits)
        with progress_bar(f"simulating ({executor.name})",
                          quiet or as_json
                          or search.result.allocation is None) as update:
            plan = confirm_buffers(search, model, evaluator.run,
                                   replications=replications, seed=seed,
                                   executor=executor, progress=update,
                                   runtime_s=time.perf_counter() - start)
    finally:
        executor.close()
    payload = plan_to_dict(plan)
    if as_json:
        print_json(payload)
    elif not quiet:
        _print(payload)


def _print(p: dict[str, Any]) -> None:
    from rich.table import Table

    if p["allocation"] is None:
        console.print(f"[bold red]No allocation[/] within the limits and "
                      f"--max-total reaches {p['target_jph']:.2f} jobs/h "
                      f"(status {p['status']}).")
    else:
        sim = p["simulated"]
        _print_answer(p)
        near = Table(title="Simulated allocations: the analytic winner, "
                           "its neighbours and any raised-target rounds "
                           f"({sim['replications']} replications each)")
        for col in ("allocation", "total", "analytic jobs/h",
                    "simulated jobs/h", "95% CI"):
            near.add_column(col, justify="right")
        for c in p["tried"]:
            near.add_row(str(c["allocation"]), str(c["total"]),
                         f"{c['analytic_jph']:.2f}",
                         f"{c['simulated_jph']:.2f}",
                         f"[{c['ci95_jph'][0]:.2f}, {c['ci95_jph'][1]:.2f}]")
        console.print(near)
    curve = Table(title="Trade-off: total buffer vs best analytic "
                        "throughput")
    for col in ("total", "jobs/h", "allocation", "proven best"):
        curve.add_column(col, justify="right")
    for c in p["curve"]:
        curve.add_row(str(c["total"]), f"{c['analytic_jph']:.2f}",
                      str(c["allocation"]), "yes" if c["exact"] else "greedy")
    console.print(curve)


def _print_answer(p: dict[str, Any]) -> None:
    """The allocation that reaches the target, or plainly that none does."""
    target = p["target_jph"]
    tried = len(p["tried"])
    best = p["answer"] or p["best_found"]
    lo, hi = best["ci95_jph"]
    said = (f"allocation {best['allocation']}, simulated "
            f"{best['simulated_jph']:.2f} jobs/h (95% CI [{lo:.2f}, "
            f"{hi:.2f}], {best['replications']} replications)")
    if p["answer"] is not None:
        console.print(
            f"Least total buffer reaching {target:.2f} jobs/h: "
            f"[bold]{best['total']}[/] places, {said}; the least total "
            f"that reaches it of {tried} simulated allocations. (Analytic "
            f"search: {p['total']} places, {p['status']}.)")
        if lo < target:
            console.print(f"The interval reaches below {target:.2f}: more "
                          "--replications would tell whether the target is "
                          "met with confidence.")
    else:
        console.print(
            f"[bold red]None of the {tried} simulated allocations reaches "
            f"{target:.2f} jobs/h.[/] Best found: {best['total']} places, "
            f"{said}. (The analytic decomposition promised "
            f"{p['analytic_jph']:.2f} jobs/h at {p['total']} places; "
            "raise --max-total or --limits.)")
