"""Ctrl-C held back around work that must not be cut in half.

A Ctrl-C (SIGINT) raises :class:`KeyboardInterrupt` between any two
bytecodes of the main thread, also while a native library is inside a
call that holds its own locks: DuckDB's Python client has crashed
(SIGSEGV) on an interrupt that landed in one of its calls (duckdb
issue 13940: "another issue ... involving the GIL and keyboard
interrupts"). The blocks here take the signal, let the block end, then
act on it.
"""

from __future__ import annotations

import contextlib
import functools
import signal
import threading
from typing import TYPE_CHECKING, ParamSpec, TypeVar

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

P = ParamSpec("P")
R = TypeVar("R")


@contextlib.contextmanager
def sigint_deferred() -> Iterator[list[int]]:
    """Hold back Ctrl-C (SIGINT) in the block: yields a list that gets
    the signal if one came (nothing is raised). Outside the main thread
    it does nothing (only the main thread receives signals)."""
    got: list[int] = []
    if threading.current_thread() is not threading.main_thread():
        yield got
        return

    def hold(signum: int, frame: object) -> None:
        got.append(signum)

    previous = signal.signal(signal.SIGINT, hold)
    try:
        yield got
    finally:
        signal.signal(signal.SIGINT, previous)


@contextlib.contextmanager
def sigint_after() -> Iterator[None]:
    """Run the block whole, then deliver a Ctrl-C that came during it to
    the handler that was in place (by default: raise
    :class:`KeyboardInterrupt`)."""
    previous = signal.getsignal(signal.SIGINT)
    with sigint_deferred() as got:
        yield
    if got:
        if callable(previous):
            previous(signal.SIGINT, None)
        elif previous != signal.SIG_IGN:
            raise KeyboardInterrupt


def uninterrupted(func: Callable[P, R]) -> Callable[P, R]:
    """Run ``func`` under :func:`sigint_after`: a Ctrl-C lands after it."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with sigint_after():
            return func(*args, **kwargs)

    return wrapper


__all__ = ["sigint_after", "sigint_deferred", "uninterrupted"]
