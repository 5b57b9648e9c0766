"""`taktplan compare`: several plans side by side."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from taktplan.cli.app import app, console, guarded, print_json
from taktplan.cli.sweep import Scheduler, Workers, make_executor


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
        typer.Option("--replications", min=2,
                     help="Replicated years of every plan (default: the "
                          "first scenario's)."),
    ] = None,
    seed: Annotated[
        int | None,
        typer.Option("--seed", min=0,
                     help="Seed of every plan (default: the first "
                          "scenario's)."),
    ] = None,
    workers: Workers = None,
    scheduler: Scheduler = None,
) -> None:
    """Compare plans on common random numbers."""
    from taktplan.compare import compare as run_compare
    from taktplan.compare import comparison_to_dict
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
        # in-process, the replications run on threads (no executor)
        result = run_compare(
            scenarios, replications=replications, seed=seed,
            executor=None if workers is None and scheduler is None
            else executor)
    finally:
        executor.close()
    written = write_text_atomically(report, render_comparison(result))
    payload = comparison_to_dict(result)
    if as_json:
        payload["report"] = str(written)
        print_json(payload)
        return
    from rich.table import Table

    t = Table(title="Plans compared (common random numbers)")
    t.add_column("Plan")
    for col in ("Vehicles/yr", "95% CI", "P(target)", "Bottleneck",
                "Cost/yr"):
        t.add_column(col, justify="right")
    for row in payload["plans"]:
        lo, hi = row["annual_output_ci95"]
        t.add_row(row["scenario"], f"{row['annual_output']:,.0f}",
                  f"{lo:,.0f}-{hi:,.0f}",
                  f"{row['probability_reaching_target']:.0%}",
                  str(row["bottleneck"]), f"{row['cost_per_year']:,.0f}")
    console.print(t)
    for d in payload["differences"]:
        lo, hi = d["annual_output"]["ci95"]
        console.print(f"{d['scenario']} - {d['against']}: "
                      f"{d['annual_output']['mean']:+,.0f} vehicles a year "
                      f"(95% CI {lo:+,.0f} to {hi:+,.0f})")
    console.print(f"Report written to [bold]{written}[/]")
