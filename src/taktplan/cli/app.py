"""The typer application and what every command shares.

Each sub-command lives in its own module of this package and registers
itself on :data:`app`. Only this package talks to the terminal.
"""

from __future__ import annotations

import functools
import json
import math
import signal
import sys
import threading
from collections.abc import Callable, Iterable
from typing import Any, NoReturn, ParamSpec, TypeVar

import typer
from rich.console import Console

from taktplan import stop_request
from taktplan.errors import InputError, ResultCheckError
from taktplan.limits import MAX_TIME

app = typer.Typer(
    name="taktplan",
    help=(
        "Design and prove assembly lines: takt, balancing, sequencing, "
        "simulation and ramp-up, end to end."
    ),
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    # Plain help: rich markup would turn ":b:" into an emoji, swallow
    # "[[points]]" and show flags as taking a value.
    rich_markup_mode=None,
)



class _Console(Console):
    """A console that prints no result once Ctrl-C has been pressed."""

    def print(self, *args: Any, **kwargs: Any) -> None:
        stop_request.raise_if_stopped()
        _output.started = True
        super().print(*args, **kwargs)


class _Output:
    """Whether the last command began to print its result (a Ctrl-C
    after that leaves the output incomplete, and says so), and whether
    Ctrl-C ended it."""

    started = False
    interrupted = False


_output = _Output()


# emoji=False: a ":x:" in a file or scenario name stays text, and rich's
# emoji table (0.03 s of CPU, a tenth of `taktplan balance` on a small
# line, measured) is never loaded.
console = _Console(emoji=False)
err_console = Console(stderr=True, highlight=False, soft_wrap=True,
                      emoji=False)

# The SIGINT handler of a guarded command marks the stop in
# taktplan.stop_request. A KeyboardInterrupt raised while numba compiles
# (inside llvmlite's ctypes callbacks) is printed as "ignored" and lost;
# the mark keeps it, and every output path checks it, so the command
# still stops instead of printing.


def quiet_interrupt_hook(
        previous: Callable[[sys.UnraisableHookArgs], object],
) -> Callable[[sys.UnraisableHookArgs], None]:
    """A ``sys.unraisablehook`` that keeps a swallowed Ctrl-C silent.

    Python prints an exception raised inside a ctypes callback (llvmlite
    calls back into numba while it compiles and caches kernels) as
    "Exception ignored in ..." with a traceback, then goes on. For a
    ``KeyboardInterrupt`` that is noise: the flag it leaves makes the
    command stop with its one line. So is what follows it once Ctrl-C
    was pressed: llvmlite objects that it left half made fail in their
    ``__del__`` ("'ValueRef' object has no attribute
    '_as_parameter_'"), also after the command's one line (the console
    script keeps this hook to its exit). Anything else is printed as
    before.
    """

    def hook(unraisable: sys.UnraisableHookArgs) -> None:
        if isinstance(unraisable.exc_value, KeyboardInterrupt):
            stop_request.request_stop()
            return
        if stop_request.stop_requested() or _output.interrupted:
            return
        previous(unraisable)

    return hook


def caused_by_interrupt(exc: BaseException) -> bool:
    """Whether ``exc`` is, or came from, a Ctrl-C.

    A Ctrl-C landing while a numba kernel returns surfaces as a
    ``SystemError`` ("returned a result with an exception set"), often
    with the ``KeyboardInterrupt`` lost on the way; the flag set by the
    SIGINT handler still says what happened.
    """
    if isinstance(exc, KeyboardInterrupt):
        return True
    if isinstance(exc, typer.Exit | SystemExit):
        return False
    return stop_request.stop_requested() or isinstance(
        exc.__cause__ or exc.__context__, KeyboardInterrupt)


P = ParamSpec("P")
R = TypeVar("R")

EXIT_INPUT = 2
EXIT_INTERRUPTED = 130
EXIT_CHECK_FAILED = 3


def fail(message: str, code: int = EXIT_INPUT) -> NoReturn:
    """Print one line on standard error and leave with ``code``."""
    err_console.print(f"[bold red]error:[/] {message}", markup=True,
                      highlight=False)
    raise typer.Exit(code)


def guarded(func: Callable[P, R]) -> Callable[P, R]:
    """Turn :class:`InputError` into one line and exit 2; Ctrl-C into 130.

    A result that its independent checker rejected
    (:class:`ResultCheckError`) becomes one line and exit 3. Wrap every
    command with it so that neither bad input nor a caught solver bug
    shows a traceback.
    """

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        stop_request.clear()
        _output.started = _output.interrupted = False
        main = threading.current_thread() is threading.main_thread()
        previous = signal.signal(signal.SIGINT,
                                 stop_request.on_interrupt) if main else None
        previous_hook = sys.unraisablehook
        sys.unraisablehook = quiet_interrupt_hook(previous_hook)
        try:
            return func(*args, **kwargs)
        except InputError as exc:
            fail(_escape(exc.message))
        except ResultCheckError as exc:
            detail = " ".join(str(exc).split())
            fail(_escape(f"internal check failed, so no result was printed "
                         f"or stored: {detail}; this is a bug in taktplan, "
                         f"please report it with the input file"),
                 EXIT_CHECK_FAILED)
        except BaseException as exc:
            # KeyboardInterrupt, or what a Ctrl-C turned into on its way
            # out of compiled code (see caused_by_interrupt)
            if caused_by_interrupt(exc):
                _output.interrupted = True
                fail("interrupted while printing; the output above is "
                     "incomplete" if _output.started else
                     "interrupted; no partial output was written",
                     EXIT_INTERRUPTED)
            raise
        finally:
            sys.unraisablehook = previous_hook
            stop_request.clear()
            if main:
                signal.signal(signal.SIGINT, previous)

    return wrapper


def check_time_flag(flag: str, value: float | None, *, positive: bool,
                    what: str = "give a number of the line's time units",
                    ) -> None:
    """Refuse a time flag that is NaN, infinite, negative (or 0) or above
    :data:`~taktplan.limits.MAX_TIME`, naming the flag."""
    if value is None:
        return
    low = "> 0" if positive else ">= 0"
    if not math.isfinite(value) or value < 0 or (positive and value == 0) \
            or value > MAX_TIME:
        raise InputError("<command line>", flag, f"{value!r} is not a "
                         f"finite time {low} and at most {MAX_TIME:g}",
                         what)


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)


def print_warnings(warnings: Iterable[object], prefix: str = "") -> None:
    """Each warning as one ``warning: ...`` line on standard error (with
    ``--json`` too: standard output stays the JSON); ``prefix`` names
    the file it came from, ``"plant.toml: "``."""
    for warning in warnings:
        err_console.print(f"[yellow]warning:[/] "
                          f"{_escape(prefix + str(warning))}",
                          highlight=False)


def print_json(payload: Any) -> None:
    """Print one JSON object on standard output (no colour, no wrapping)."""
    stop_request.raise_if_stopped()
    text = json.dumps(payload, indent=2, allow_nan=False)
    _output.started = True
    sys.stdout.write(text)
    sys.stdout.write("\n")
    sys.stdout.flush()


def not_yet(command: str, issue: int) -> NoReturn:
    """Say plainly that a command is not built yet, and exit 2."""
    fail(f"`taktplan {command}` is not available yet (tracked in issue "
         f"#{issue}); use `taktplan plan` for the capacity plan")
