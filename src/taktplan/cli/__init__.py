"""The ``taktplan`` command line (typer + rich)."""

from __future__ import annotations

import os
import signal
import sys
from typing import Annotated

import typer

from taktplan import __version__
from taktplan.cli import (  # noqa: F401  (registers the commands)
    balance,
    check,
    compare,
    init,
    optimize_buffers,
    plan,
    results,
    sequence,
    simulate,
    sweep,
    tasks,
)
from taktplan.cli.app import EXIT_INTERRUPTED, app


def _version(value: bool) -> None:
    if value:
        typer.echo(f"taktplan {__version__}")
        raise typer.Exit


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
    try:
        app()
    except SystemExit as exc:
        if exc.code == EXIT_INTERRUPTED:
            # CPython remembers a KeyboardInterrupt that interrupted an
            # eval() of a string (numpy's f2py does one while importing)
            # and, though it was handled, kills the process by SIGINT at
            # exit (code -2): leave now, with the documented 130.
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(EXIT_INTERRUPTED)
        raise
    finally:
        # The command has returned and its output is complete. A Ctrl-C
        # landing now, in interpreter shutdown, would otherwise kill the
        # process by the signal (exit -2) after a successful run.
        signal.signal(signal.SIGINT, signal.SIG_IGN)


__all__ = ["app", "main"]
