"""`taktplan plan`: the plant plan and its report."""

from __future__ import annotations

import webbrowser
from pathlib import Path
from typing import Annotated

import typer

from taktplan.cli.app import app, console, guarded, print_json


@app.command(
    help="Plan the plant of SCENARIO (the built-in relocated LCV plant "
         "when omitted): takt, balance, sequence, simulation, ramp-up; "
         "print a summary and write the HTML report.",
    epilog="Example: taktplan plan --report plant.html --open",
)
@guarded
def plan(
    scenario: Annotated[
        Path | None,
        typer.Argument(help="Scenario TOML file; omit for the built-in "
                            "plant.", show_default=False),
    ] = None,
    report: Annotated[
        Path,
        typer.Option("--report", help="Where to write the HTML report."),
    ] = Path("taktplan-report.html"),
    as_json: Annotated[
        bool, typer.Option("--json", help="Print one JSON object instead "
                                          "of the summary.")
    ] = False,
    quiet: Annotated[
        bool, typer.Option("--quiet", help="Print nothing but errors.")
    ] = False,
    open_report: Annotated[
        bool, typer.Option("--open", help="Open the report in a browser.")
    ] = False,
) -> None:
    """Plan the plant and write its report."""
    from taktplan.files import write_text_atomically
    from taktplan.pipeline import plan as run_plan
    from taktplan.pipeline import plan_to_dict
    from taktplan.report.html import render_report

    result = run_plan(scenario)
    written = write_text_atomically(report, render_report(result))
    if as_json:
        payload = plan_to_dict(result)
        payload["report"] = str(written)
        print_json(payload)
    elif not quiet:
        from taktplan.report.summary import summary_table

        console.print(summary_table(result))
        console.print(f"Report written to [bold]{written}[/]")
    if open_report:
        webbrowser.open(written.resolve().as_uri())
