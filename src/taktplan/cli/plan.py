"""`taktplan plan`: the plant plan and its report."""

from __future__ import annotations

import webbrowser
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from taktplan import stop_request
from taktplan.cli.app import (
    app,
    console,
    err_console,
    guarded,
    print_json,
    print_warnings,
)
from taktplan.cli.sweep import Scheduler, Workers, make_executor
from taktplan.errors import InputError
from taktplan.files import check_output_path, write_text_atomically
from taktplan.limits import MAX_PLAN_REPLICATIONS, MAX_SEED

if TYPE_CHECKING:
    from collections.abc import Callable

    from taktplan.plan_result import Plan


@app.command(
    help="Plan the plant of SCENARIO (the built-in relocated LCV plant "
         "when omitted): takt, balance, sequence, simulation, ramp-up; "
         "print a summary and write the HTML report.",
    epilog="Example: taktplan plan my-plant/scenario.toml --report "
           "plant.html --export line.xlsx --open",
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
    replications: Annotated[
        int | None,
        typer.Option("--replications", min=2, max=MAX_PLAN_REPLICATIONS,
                     help="Replicated years (default: the scenario's)."),
    ] = None,
    seed: Annotated[
        int | None,
        typer.Option("--seed", min=0, max=MAX_SEED,
                     help="Seed of every random stream (default: the "
                          "scenario's)."),
    ] = None,
    export: Annotated[
        Path | None,
        typer.Option("--export", help="Also write the line design as an "
                     "XLSX workbook (sheets stations, loads, sequence, "
                     "summary).", show_default=False),
    ] = None,
    workers: Workers = None,
    scheduler: Scheduler = None,
) -> None:
    """Plan the plant and write its report."""
    from taktplan.formats.sheets import sheet_kind
    from taktplan.pipeline import plan as run_plan
    from taktplan.plan_json import plan_to_dict
    from taktplan.plant.line_workbook import write_line_workbook
    from taktplan.report.html import render_report

    check_output_path(report, "--report")
    if export is not None and sheet_kind(export) != "xlsx":
        raise InputError(export, None, "is not an XLSX file name (ends in "
                         f"'{export.suffix}')",
                         "give --export a name ending in .xlsx")
    if export is not None:
        check_output_path(export, "--export")
    executor = make_executor(workers, scheduler)
    try:
        result = _run_with_progress(
            partial(run_plan, executor=None if workers is None
                    and scheduler is None else executor),
            scenario, replications, seed, quiet or as_json)
    finally:
        executor.close()
    print_warnings(result.warnings)
    html = render_report(result)
    stop_request.raise_if_stopped()
    payload = plan_to_dict(result)
    payload["report"] = str(report)
    if export is not None:
        payload["export"] = str(export)
        write_line_workbook(export, result.scenario, result.balance,
                            result.sequence, payload)
    written = write_text_atomically(report, html)
    if as_json:
        print_json(payload)
    elif not quiet:
        from taktplan.report.summary import summary_table

        console.print(summary_table(result))
        console.print(f"Report written to [bold]{written}[/]")
        if export is not None:
            console.print(f"Line workbook written to [bold]{export}[/]")
    if open_report:
        webbrowser.open(written.resolve().as_uri())


def _run_with_progress(run_plan: Callable[..., Plan],
                       scenario: Path | None,
                       replications: int | None, seed: int | None,
                       silent: bool) -> Plan:
    """Run the plan with a progress bar per stage (on standard error)."""
    if silent:
        return run_plan(scenario, replications=replications, seed=seed,
                        progress=False)
    from taktplan.progress import stage_bars

    with stage_bars(err_console) as report:
        return run_plan(scenario, replications=replications, seed=seed,
                        progress=report)
