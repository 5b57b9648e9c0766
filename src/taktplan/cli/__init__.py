"""The ``taktplan`` command line (typer + rich)."""

from __future__ import annotations

from typing import Annotated

import typer

from taktplan.cli import (  # noqa: F401  (registers the commands)
    balance,
    optimize_buffers,
    plan,
    results,
    sequence,
    simulate,
    sweep,
)
from taktplan.cli.app import app


def _version(value: bool) -> None:
    if value:
        from taktplan import __version__

        typer.echo(f"taktplan {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True,
                     help="Print the version and exit."),
    ] = False,
) -> None:
    """Design and prove assembly lines, end to end."""


def main() -> None:
    """Entry point of the ``taktplan`` console script."""
    app()


__all__ = ["app", "main"]
