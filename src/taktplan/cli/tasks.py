"""`taktplan tasks export`: a scenario's task list as CSV or XLSX."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from taktplan.cli.app import app, console, guarded

tasks_app = typer.Typer(
    help="Task lists: write a scenario's tasks as a spreadsheet.",
    no_args_is_help=True,
)
app.add_typer(tasks_app, name="tasks")


@tasks_app.command(
    "export",
    help="Write the task list of SCENARIO (the built-in plant when "
         "omitted) to FILE, as CSV or XLSX by its ending, in the layout "
         "that a scenario's tasks = \"FILE\" reads back unchanged.",
    epilog="Example: taktplan tasks export --out tasks.csv",
)
@guarded
def export(
    out: Annotated[
        Path,
        typer.Option("--out", help="The file to write: .csv or .xlsx.",
                     show_default=False),
    ],
    scenario: Annotated[
        Path | None,
        typer.Argument(help="Scenario TOML file; omit for the built-in "
                            "plant.", show_default=False),
    ] = None,
) -> None:
    """Write the scenario's task list."""
    from taktplan.errors import InputError
    from taktplan.formats.sheets import sheet_kind
    from taktplan.scenario import load_scenario
    from taktplan.scenario.tasklist import write_task_list

    if not sheet_kind(out):
        raise InputError(out, None, f"is not a CSV or XLSX file name (ends "
                         f"in '{out.suffix}')",
                         "give --out a name ending in .csv or .xlsx")
    model = load_scenario(scenario)
    written = write_task_list(out, model.tasks, model.variant_ids)
    console.print(f"Wrote {len(model.tasks)} tasks to [bold]{written}[/]")
