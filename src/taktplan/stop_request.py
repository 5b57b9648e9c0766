"""A Ctrl-C that compiled code can see, and where it may not be raised.

The mark of a Ctrl-C, set by :func:`on_interrupt` (the command's SIGINT
handler, and a library call's within :func:`kernel_safe_interrupts`)
and read by the searches and the command's output paths.

The exact SALBP searches read the CPU clock in numba's object mode
(:func:`taktplan.balance._kernel._now`), the large line's beams and
the local searches the mark (:func:`taktplan.balance._stop.stop_asked`):
the only Python they run. A ``KeyboardInterrupt`` raised there, or in
numba's unpickling of the object-mode call, can crash the process (a
segmentation fault, exit -11, no message: measured on ``taktplan
balance`` with SIGINT 1.1 s after the start, 3 times in 10). So the
SIGINT handler (:func:`on_interrupt`) inside such code only marks the
stop: the clock then reads infinite, the search ends at its next check,
and its Python caller raises :class:`KeyboardInterrupt`
(:func:`raise_if_stopped`). Outside kernels the handler raises at once.
The command installs it for its whole run; a search called from Python
(a script, a notebook) gets it for the search's duration
(:func:`kernel_safe_interrupts`) where Python's own handler is in place.
"""

from __future__ import annotations

import math
import signal
import threading
import time
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterator
    from types import FrameType

_stop = False

#: Source files whose Python runs inside compiled kernels (object mode),
#: as ``FrameType.f_code.co_filename`` ends.
_INSIDE_KERNELS = ("/taktplan/balance/_kernel.py",
                   "/taktplan/balance/_stop.py",
                   "/taktplan/stop_request.py",
                   "/numba/core/serialize.py")


def request_stop() -> None:
    """Mark that the user asked to stop (Ctrl-C)."""
    global _stop
    _stop = True


def clear() -> None:
    """Forget an earlier stop (a new command starts)."""
    global _stop
    _stop = False


def stop_requested() -> bool:
    """Whether :func:`request_stop` was called since :func:`clear`."""
    return _stop


def raise_if_stopped() -> None:
    """Raise :class:`KeyboardInterrupt` if a stop was marked: called
    after compiled kernels, where a Ctrl-C inside them only marked it."""
    if _stop:
        raise KeyboardInterrupt


def inside_kernel(frame: FrameType | None) -> bool:
    """Whether ``frame`` is Python run by a compiled kernel, where an
    exception must not be raised (see the module text)."""
    return frame is not None and frame.f_code.co_filename.replace(
        "\\", "/").endswith(_INSIDE_KERNELS)


def cpu_clock() -> float:
    """CPU seconds of the process, or infinity once a stop was asked
    for, so that a search past its deadline ends at once."""
    return math.inf if _stop else time.process_time()


def on_interrupt(signum: int, frame: FrameType | None) -> None:
    """The SIGINT handler: mark the stop, and raise
    :class:`KeyboardInterrupt` unless ``frame`` is inside a kernel."""
    request_stop()
    if inside_kernel(frame):
        # raising inside a compiled kernel's Python can crash the process:
        # only the mark, which ends the kernel at its next reading of it
        # (or of the clock); its Python caller raises (raise_if_stopped)
        return
    raise KeyboardInterrupt


@contextmanager
def kernel_safe_interrupts() -> Iterator[None]:
    """Within the block, Ctrl-C stops a compiled search safely.

    On the main thread with Python's own SIGINT handler in place (a
    library call from a script or notebook), :func:`on_interrupt`
    replaces it for the block: a Ctrl-C raises
    :class:`KeyboardInterrupt` once the search is back in Python, or at
    the end of the block if no search saw it (it came while a kernel
    without a clock ran). The mark is cleared after the block. A
    handler of the caller's own (the command's, or an application's) is
    left as it is, and so is any other thread. Also a decorator.
    """
    if (threading.current_thread() is not threading.main_thread()
            or signal.getsignal(signal.SIGINT)
            is not signal.default_int_handler):
        yield
        return
    signal.signal(signal.SIGINT, on_interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, signal.default_int_handler)
        stopped = stop_requested()
        clear()
    if stopped:
        raise KeyboardInterrupt
