"""The ``taktplan`` command line (typer + rich)."""

from __future__ import annotations

import os
import signal
import sys
from typing import Annotated

import typer
from typer.exceptions import Abort

try:  # typer 0.22+ runs on its own copy of click: catch that copy's errors
    from typer._click.exceptions import ClickException, NoArgsIsHelpError
except ImportError:  # an older typer runs on the public click
    from click.exceptions import (  # type: ignore[assignment]
        ClickException,
        NoArgsIsHelpError,
    )

import taktplan
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
from taktplan.cli.app import EXIT_INPUT as EXIT_USAGE
from taktplan.cli.app import EXIT_INTERRUPTED, app, quiet_interrupt_hook


def _version(value: bool) -> None:
    if value:
        typer.echo(f"taktplan {taktplan.__version__}")
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


def usage_line(exc: ClickException) -> str:
    """A usage error (unknown command or option, a flag value the
    command line refuses) as the one line the README promises."""
    ctx = getattr(exc, "ctx", None)
    path = ctx.command_path if ctx is not None else "taktplan"
    text = " ".join(exc.format_message().split()).rstrip(".")
    return (f"error: <command line>: {text}; see `{path} --help`")


def _run(args: list[str]) -> int:
    """Run the app on ``args``; a usage error is one line and exit 2."""
    try:
        result = app(args=args, prog_name="taktplan", standalone_mode=False)
    except NoArgsIsHelpError as exc:
        sys.stdout.write(exc.ctx.get_help() + "\n")
        return 0
    except ClickException as exc:
        sys.stderr.write(usage_line(exc) + "\n")
        return EXIT_USAGE
    except Abort:
        sys.stderr.write("error: interrupted; no partial output was "
                         "written\n")
        return EXIT_INTERRUPTED
    # typer returns the code of a typer.Exit when not standalone
    return result if isinstance(result, int) else 0


def main() -> None:
    """Entry point of the ``taktplan`` console script."""
    sys.unraisablehook = quiet_interrupt_hook(sys.unraisablehook)
    try:
        code = _run(sys.argv[1:])
        if code:
            sys.exit(code)
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
