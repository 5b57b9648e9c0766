"""`taktplan compare`: several plans side by side."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from taktplan.cli.app import (
    app,
    console,
    err_console,
    guarded,
    print_json,
    print_warnings,
)
from taktplan.cli.sweep import Scheduler, Workers, make_executor
from taktplan.limits import MAX_PLAN_REPLICATIONS, MAX_SEED
from taktplan.progress import stage_bars


@app.command(
    help="Plan every SCENARIO on the same random numbers and compare "
         "them: each plan's answers in one table, each later plan's "
         "difference to the first in vehicles a year with its 95% CI "
         "(paired years), and the key charts overlaid in one HTML "
         "report.",
    epilog="Example: taktplan compare two_shifts.toml three_shifts.toml "
           "--report compare.html --workers 2",
)
@guarded
def compare(
    scenarios: Annotated[
        list[Path],
        typer.Argument(help="Two or more scenario TOML files.",
                       show_default=False),
    ],
    report: Annotated[
        Path,
        typer.Option("--report", help="Where to write the HTML report."),
    ] = Path("taktplan-compare.html"),
    as_json: Annotated[
        bool, typer.Option("--json", help="Print one JSON object instead "
                                          "of the table.")
    ] = False,
    replications: Annotated[
        int | None,
        typer.Option("--replications", min=2, max=MAX_PLAN_REPLICATIONS,
                     help="Replicated years of every plan (default: the "
                          "first scenario's)."),
    ] = None,
    seed: Annotated[
        int | None,
        typer.Option("--seed", min=0, max=MAX_SEED,
                     help="Seed of every plan (default: the first "
                          "scenario's)."),
    ] = None,
    workers: Workers = None,
    scheduler: Scheduler = None,
) -> None:
    """Compare plans on common random numbers."""
    from taktplan.compare import compare as run_compare
    from taktplan.comparison_json import comparison_to_dict
    from taktplan.files import write_text_atomically
    from taktplan.report.compare import render_comparison
    from taktplan.scenario import load_scenario

    if len(scenarios) < 2:
        from taktplan.errors import InputError

        where = str(scenarios[0]) if scenarios else "<command line>"
        raise InputError(where, None, "fewer than two scenarios to "
                         "compare", "give two or more scenario files")
    for path in scenarios:
        load_scenario(path)  # a bad file stops here, before any work
    executor = make_executor(workers, scheduler)
    try:
        with ExitStack() as stack:
            bars = (None if as_json
                    else stack.enter_context(stage_bars(err_console)))
            # in-process, the replications run on threads (no executor)
            result = run_compare(
                scenarios, replications=replications, seed=seed,
                executor=None if workers is None and scheduler is None
                else executor, progress=bars)
    finally:
        executor.close()
    for p in result.plans:
        print_warnings(p.warnings, f"{p.source}: ")
    written = write_text_atomically(report, render_comparison(result))
    payload = comparison_to_dict(result)
    if as_json:
        payload["report"] = str(written)
        print_json(payload)
        return
    console.print(answers_table(payload["plans"]))
    for k, d in enumerate(payload["differences"]):
        lo, hi = d["annual_output"]["ci95"]
        console.print(f"{chr(66 + k)} - A: "
                      f"{d['annual_output']['mean']:+,.0f} vehicles a year "
                      f"(95% CI {lo:+,.0f} to {hi:+,.0f}, paired years)")
    console.print(f"Report written to [bold]{written}[/]")


def answers_table(plans: list[dict[str, Any]]) -> Table:
    """One column per plan (A, B, ...), one row per answer: narrow
    enough for a terminal whatever the number of answers."""
    t = Table(title="Plans compared (common random numbers)")
    t.add_column("")
    for k, _ in enumerate(plans):
        t.add_column(chr(65 + k), justify="right")

    def row(name: str, cell: Callable[[dict[str, Any]], str]) -> None:
        t.add_row(name, *[cell(p) for p in plans])

    row("scenario", lambda p: Path(p["scenario"]).name)
    row("takt (s)", lambda p: f"{p['takt_s']:.1f}")
    row("stations", lambda p: str(p["stations"]))
    row("operators a shift", lambda p: "not known" if p["operators"] is None
        else str(p["operators"]))
    row("rule violations", lambda p: str(p["violations"]))
    row("vehicles a year", lambda p: f"{p['annual_output']:,.0f}")
    row("95% CI", lambda p: "{:,.0f}-{:,.0f}".format(
        *p["annual_output_ci95"]))
    row("P(target)", lambda p: f"{p['probability_reaching_target']:.0%}")
    row("bottleneck", lambda p: str(p["bottleneck"]))
    row("cost a year", lambda p: f"{p['cost_per_year']:,.0f} "
        f"{p['currency']}")
    row("ramp-up", lambda p: str(p["rampup"]))
    row("bridge stock", lambda p: f"{p['bridge_stock']:,.0f}")
    return t
