"""`taktplan init`: a new plant folder to edit, from the built-in plant."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from taktplan.cli.app import app, console, guarded


@app.command(
    help="Write a working plant folder DIR: scenario.toml (the built-in "
         "plant, commented) and tasks.xlsx (its task list, one row a "
         "task). Planning it gives the built-in plant's plan.",
    epilog="Example: taktplan init my-plant && taktplan check "
           "my-plant/scenario.toml",
)
@guarded
def init(
    folder: Annotated[
        Path, typer.Argument(metavar="DIR", help="The folder to write "
                             "(made if missing).", show_default=False),
    ],
    force: Annotated[
        bool, typer.Option("--force", help="Overwrite scenario.toml and "
                                           "tasks.xlsx if they exist.")
    ] = False,
) -> None:
    """Write a plant folder."""
    from taktplan.scenario.starter import write_plant_folder

    made = write_plant_folder(folder, force=force)
    console.print(f"Wrote [bold]{made.scenario}[/] and [bold]{made.tasks}"
                  f"[/] ({made.n_tasks} tasks).")
    console.print(f"Next: edit {made.tasks}, then\n"
                  f"  taktplan check {made.scenario}\n"
                  f"  taktplan plan {made.scenario} --export line.xlsx",
                  highlight=False)
